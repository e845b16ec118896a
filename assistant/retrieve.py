"""Hybrid retrieval: dense + BM25 fused in Qdrant, identifiers first, filters, expansion.

One question's retrieval:
1. dense and BM25 vectors of the question, fused in the store with RRF;
2. when the question names identifiers that the corpus carries verbatim (asset
   tags, part numbers, work-order ids), the passages carrying them rank first;
3. filters (asset, kind, revision) and the default exclusion of superseded SOPs;
4. the best plain cosine similarity is kept for the refusal gate;
5. expansion: a step that refers to other steps brings them along; duplicates merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from assistant.domain import DocKind, Hit
from assistant.identifiers import carried, identifier_tokens, with_keys
from assistant.settings import RetrievalSettings
from assistant.store.base import CURRENT, LIVE, Criteria, Scored
from assistant.text import terms as normalise_terms

_STEP_REF = re.compile(r"\b(?:steps?|see)\s+(\d+(?:\.\d+)?)(?:\s*(?:-|to|and)\s*(\d+(?:\.\d+)?))?", re.IGNORECASE)
_REVISION = re.compile(r"\brev(?:ision)?\.?\s*([A-Z]|\d+(?:\.\d+)?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the search to (UI dropdowns, CLI flags)."""

    assets: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    revision: str | None = None
    include_superseded: bool = False

    def criteria(self) -> Criteria:
        base = LIVE if (self.include_superseded or self.revision) else CURRENT
        equals: dict = {}
        if self.assets:
            equals["asset_ids"] = tuple(a.upper() for a in self.assets)
        if self.kinds:
            equals["kind"] = tuple(DocKind(k).value for k in self.kinds)
        if self.revision:
            equals["revision"] = self.revision
        return base.and_(Criteria(equals=equals or None))


@dataclass(frozen=True)
class Retrieval:
    hits: tuple[Hit, ...]
    best_dense: float  # highest cosine similarity among candidates (refusal gate)
    best_lexical: float = 0.0  # share of the question's terms found in one top passage (refusal gate)
    identifiers: tuple[str, ...] = ()  # identifiers of the question found in the corpus
    filters: Filters = field(default_factory=Filters)


def revision_in(question: str) -> str | None:
    """Example:

    >>> revision_in("what did rev B say?"), revision_in("revision 2 torque"), revision_in("no rev")
    ('B', '2', None)
    """
    match = _REVISION.search(question)
    return match.group(1).upper() if match else None


class Retriever:
    def __init__(self, store, embedder, bm25, settings: RetrievalSettings, reading=None):
        self.store = store
        self.embedder = embedder
        self.bm25 = bm25
        self.settings = settings
        self._reading = reading  # the catalog's read lock: never see a half-swapped source

    def retrieve(self, question: str, filters: Filters | None = None) -> Retrieval:
        filters = filters or Filters()
        revision = revision_in(question)
        if revision and not filters.revision:
            filters = replace(filters, revision=revision, include_superseded=True)
        if self._reading is None:
            return self._retrieve(question, filters)
        with self._reading():
            return self._retrieve(question, filters)

    def _retrieve(self, question: str, filters: Filters) -> Retrieval:
        k, prefetch = self.settings.top_k, self.settings.prefetch_k
        where = filters.criteria()
        dense = self.embedder.embed([question])[0]
        sparse = self.bm25.embed_query(question)
        fused = _settled(self.store.hybrid(dense, sparse, where, limit=prefetch, prefetch=prefetch))
        nearest = self.store.dense(dense, where, limit=1)
        best_dense = nearest[0].score if nearest else 0.0
        ids = identifier_tokens(question)
        first: list[Scored] = []
        carrying: dict[str, tuple[str, ...]] = {}  # chunk_id -> question identifiers it carries

        def matched(scored: Scored) -> tuple[str, ...]:
            if scored.chunk.chunk_id not in carrying:
                tokens = _tokens(scored)
                carrying[scored.chunk.chunk_id] = tuple(carried(ids, tokens))
            return carrying[scored.chunk.chunk_id]

        if ids:
            first = _settled(self.store.hybrid(
                dense, sparse, where.and_(Criteria(equals={"id_tokens": with_keys(ids)})), limit=prefetch, prefetch=prefetch
            ))
            first.sort(key=lambda s: -len(matched(s)))  # stable: more ids first, then fused rank
        found_ids = [i for i in ids if any(i in matched(s) for s in first)]
        ranked = _dedupe([*first, *fused])[:k]
        hits = [Hit(s.chunk, s.score, matched_identifiers=matched(s) if ids else ()) for s in ranked]
        hits = self._expand(hits, where)
        lexical = lexical_coverage(question, [h.chunk.embedding_text() for h in hits[:3]])
        return Retrieval(tuple(hits), best_dense, lexical, tuple(found_ids), filters)

    def _expand(self, hits: list[Hit], where: Criteria) -> list[Hit]:
        """Add the steps an SOP step refers to ("as in step 3"), right after it."""
        out: list[Hit] = []
        seen = {h.chunk.chunk_id for h in hits}
        for hit in hits:
            out.append(hit)
            if hit.chunk.kind is not DocKind.SOP:
                continue
            for step in _referenced_steps(hit.chunk.text, hit.chunk.step):
                for chunk in self.store.scroll(
                    where.and_(Criteria(equals={"source_path": hit.chunk.source_path, "step": step})), limit=1
                ):
                    if chunk.chunk_id not in seen:
                        seen.add(chunk.chunk_id)
                        out.append(Hit(chunk, hit.score * 0.5))
        return out


def lexical_coverage(question: str, passages: Sequence[str]) -> float:
    """Largest share of the question's content terms that one passage contains.

    >>> lexical_coverage("RPN for the condenser?", ["Component: Condenser | RPN: 48", "other"])
    1.0
    >>> lexical_coverage("Will it rain on Friday?", ["Drain the tank daily"])
    0.0
    """
    terms = set(normalise_terms(question))
    if not terms:
        return 0.0
    return max((len(terms & set(normalise_terms(p))) / len(terms) for p in passages), default=0.0)


def _tokens(scored: Scored) -> set[str]:
    c = scored.chunk
    return {*c.asset_ids, *c.equipment_ids, *identifier_tokens(c.title), *identifier_tokens(c.text)}


def _dedupe(scored: Sequence[Scored]) -> list[Scored]:
    seen: set[str] = set()
    out = []
    for s in scored:
        if s.chunk.chunk_id not in seen:
            seen.add(s.chunk.chunk_id)
            out.append(s)
    return out


def _referenced_steps(text: str, own_step: str | None) -> list[str]:
    """Example:

    >>> _referenced_steps("Repeat step 3 and see 5.1", "4")
    ['3', '5.1']
    """
    steps: list[str] = []
    for match in _STEP_REF.finditer(text):
        for group in match.groups():
            if group and group != own_step and group not in steps:
                steps.append(group)
    return steps[:3]


def _settled(scored: list[Scored]) -> list[Scored]:
    """Equal fused scores in the documents' reading order: RRF gives two passages the same score
    when each is first on one list and second on the other, and the engine's order of such ties
    changes from one process to the next, so the same question would show different evidence.

    >>> from assistant.domain import Chunk, DocKind
    >>> c = lambda i, n: Chunk(i, "d", "p", "t", DocKind.SOP, "x", n, "h")
    >>> [s.chunk.chunk_id for s in _settled([Scored(c("s10", 10), 0.5), Scored(c("s9", 9), 0.5), Scored(c("z", 3), 0.9)])]
    ['z', 's9', 's10']
    """
    return sorted(scored, key=lambda s: (-s.score, s.chunk.doc_id, s.chunk.ordinal, s.chunk.chunk_id))
