"""The Assistant: one question in, events out (Sources, Queued..., Token..., Final).

    question -> resolve follow-up -> [work-order side door] -> retrieve -> [refusal gate]
             -> wait for a turn at the model -> pack passages -> prompt -> stream -> verify -> Answer

The CLI, the UI and the evaluation harness all go through `Assistant.ask`.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Iterator, Sequence

from assistant.domain import (
    Answer,
    Citation,
    DocKind,
    FinalEvent,
    Hit,
    QueuedEvent,
    SourcesEvent,
    TokenEvent,
    Verification,
)
from assistant.followup import resolve
from assistant.model_queue import ModelQueue
from assistant.records import parse_record_question, run_record_query
from assistant.retrieve import Filters, Retrieval, Retriever
from assistant.settings import GenerationSettings, RetrievalSettings
from assistant.store.base import Criteria

log = logging.getLogger(__name__)

REFUSAL_TEXT = (
    "The approved documents do not cover this question. The closest passages are listed below; "
    "check with your supervisor or the document owner."
)
_CITE = re.compile(r"\[(\d+)\]")

Event = SourcesEvent | QueuedEvent | TokenEvent | FinalEvent


class Assistant:
    def __init__(self, catalog, embedder, bm25, generator, retrieval: RetrievalSettings, generation: GenerationSettings,
                 model_queue: ModelQueue | None = None):
        self.catalog = catalog
        self.model_queue = model_queue if model_queue is not None else ModelQueue(1)
        self.store = catalog.store
        self.generator = generator
        self.retrieval = retrieval
        self.generation = generation
        self.retriever = Retriever(self.store, embedder, bm25, retrieval, reading=catalog.reading)
        self._assets: tuple[str, ...] | None = None
        self._assets_at = -1.0

    # -- public ------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[str] = (), filters: Filters | None = None) -> Iterator[Event]:
        """Answer `question`; `history` holds the earlier user questions of this conversation."""
        started = time.perf_counter()
        resolved = self.resolve(question, history)
        record_query = parse_record_question(resolved, self.known_assets())
        if record_query is not None:
            yield from self._answer_records(question, record_query, started)
            return
        retrieval = self.retriever.retrieve(resolved, filters)
        timings = {"retrieve": time.perf_counter() - started}
        yield SourcesEvent(retrieval.hits)
        if self.should_refuse(retrieval):
            yield FinalEvent(self._refusal(question, retrieval.hits, timings))
            return
        turn = self.model_queue.wait()
        try:
            for ahead in turn:
                yield QueuedEvent(ahead)
        finally:
            turn.close()  # leaves the line if the asker went away while waiting
        try:
            yield from self._generate(question, resolved, retrieval, started, timings)
        finally:
            self.model_queue.release()

    def resolve(self, question: str, history: Sequence[str]) -> str:
        resolved_history: list[str] = []
        for earlier in history:
            resolved_history.append(resolve(earlier, resolved_history))
        return resolve(question, resolved_history)

    def prompt_for(self, question: str, history: Sequence[str] = (), filters: Filters | None = None):
        """The exact prompt the model would see (for `floorwise prompt`)."""
        from assistant.prompting import preview

        retrieval = self.retriever.retrieve(self.resolve(question, history), filters)
        return preview(
            self.resolve(question, history), retrieval.hits, self.retrieval.context_tokens,
            self.generator.count_tokens,
        )

    def known_assets(self) -> tuple[str, ...]:
        """Asset values present in work-order records (refreshed at most every 30 s)."""
        if self._assets is None or time.monotonic() - self._assets_at > 30:
            facet = self.store.facet("wo_asset", Criteria(equals={"kind": DocKind.WORK_ORDER.value}), limit=10_000)
            self._assets = tuple(sorted(facet, key=len, reverse=True))
            self._assets_at = time.monotonic()
        return self._assets

    # -- stages --------------------------------------------------------------------
    def should_refuse(self, retrieval: Retrieval) -> bool:
        """The refusal gate: is the evidence too weak to ask the LLM at all?"""
        if not retrieval.hits:
            return True
        if retrieval.identifiers:  # a named identifier found verbatim is evidence enough to try
            return False
        weak_dense = retrieval.best_dense < self.retrieval.min_dense_score
        weak_lexical = retrieval.best_lexical < self.retrieval.min_lexical_coverage
        return weak_dense and weak_lexical

    def _refusal(
        self, question: str, hits: Sequence[Hit], timings: dict, prompt_tokens: int = 0,
        note: str = "refused before the LLM: retrieval evidence too weak",
    ) -> Answer:
        return Answer(
            question=question,
            text=REFUSAL_TEXT,
            citations=(),
            verification=Verification(passed=True, notes=(note,)),
            refused=True,
            sources=tuple(hits[:3]),
            timings=dict(timings),
            prompt_tokens=prompt_tokens,
        )

    def _answer_records(self, question: str, query, started: float) -> Iterator[Event]:
        with self.catalog.reading():
            result = run_record_query(self.store, query)
        hits = tuple(Hit(chunk, 1.0) for chunk in result.records)
        timings = {"retrieve": time.perf_counter() - started}
        yield SourcesEvent(hits)
        text = result.answer_text()
        yield TokenEvent(text)
        timings["first_token"] = time.perf_counter() - started
        timings["total"] = timings["first_token"]
        citations = tuple(Citation(n, hit.chunk) for n, hit in enumerate(hits, start=1))
        notes = (f"computed from work-order records: {query.intent}, {result.total} matched",)
        yield FinalEvent(
            Answer(question, text, citations, Verification(passed=True, notes=notes), sources=hits, timings=timings)
        )

    def _generate(self, question: str, resolved: str, retrieval: Retrieval, started: float, timings: dict):
        from assistant.prompting import preview
        from assistant.verify import is_refusal, off_subject, quantity_mismatch, quote_fallback, safety_notes, verify

        prompt = preview(resolved, retrieval.hits, self.retrieval.context_tokens, self.generator.count_tokens)
        passages = [h.chunk for h in prompt.passages]
        pieces: list[str] = []
        for piece in self.generator.stream(prompt.messages, max_tokens=self.generation.max_tokens):
            if not pieces:
                timings["first_token"] = time.perf_counter() - started
            pieces.append(piece)
            yield TokenEvent(piece)
        timings["total"] = time.perf_counter() - started
        usage = self.generator.last_usage
        raw = "".join(pieces).strip()
        if not raw or is_refusal(raw):
            note = "refused by the model: it found no answer in the passages"
            yield FinalEvent(self._refusal(question, retrieval.hits, timings, usage.prompt_tokens, note))
            return
        text, verification = verify(raw, passages, truncated=usage.truncated)
        strays = off_subject(text, passages, resolved)
        other = quantity_mismatch(text, resolved)
        if strays or other:  # real numbers tied to another subject or quantity: not covered
            why = f"do not mention {', '.join(strays)}" if strays else f"give a {other}, not what was asked"
            note = f"refused after the LLM: the cited passages {why}"
            yield FinalEvent(self._refusal(question, retrieval.hits, timings, usage.prompt_tokens, note))
            return
        quoted = not verification.passed or not _CITE.sub("", text).strip()
        if quoted:
            text = quote_fallback(passages, resolved)
        cited = sorted({int(n) for n in _CITE.findall(text) if 0 < int(n) <= len(passages)})
        citations = tuple(Citation(n, passages[n - 1]) for n in cited)
        used = [c.chunk for c in citations] or passages[:1]
        yield FinalEvent(
            Answer(
                question=question,
                text=text,
                citations=citations,
                verification=verification,
                quoted_fallback=quoted,
                safety=safety_notes(used),
                sources=tuple(prompt.passages),
                timings=dict(timings),
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
            )
        )


def final_answer(events: Iterator[Event]) -> Answer:
    """Drain `ask` and return the Answer (for scripts and tests)."""
    answer = None
    for event in events:
        if isinstance(event, FinalEvent):
            answer = event.answer
    if answer is None:
        raise RuntimeError("ask() ended without a final answer")
    return answer
