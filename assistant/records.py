"""The side door for work-order questions: count, latest, earliest, list.

"How many hydraulic leaks on PRESS-03 in 2023?" is answered from the records'
fields with Qdrant's filtering, exact counting and ordering, and cited by
work-order id; the LLM never estimates a count. The answer states the
criteria it used so a technician can judge them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from assistant.domain import Chunk, DocKind
from assistant.store.base import CURRENT, Criteria
from assistant.terms import normalise_terms

_COUNT = re.compile(r"\b(how many|how often|number of|count of|count the)\b", re.I)
_LATEST = re.compile(r"\b(last|latest|most recent|newest)\b", re.I)
_EARLIEST = re.compile(r"\b(first|earliest|oldest)\b", re.I)
_LIST = re.compile(r"\b(list|show)\b.*\b(work orders?|wos?|records|jobs|repairs|failures)\b", re.I)
_WHEN = re.compile(r"\bwhen\b", re.I)
_RECORD_CUE = re.compile(
    r"\b(work ?orders?|w/?os?|times|occurrences?|incidents?|failures?|breakdowns?|repairs?|records?|recorded|"
    r"logged|tickets?|jobs?|did)\b",
    re.I,
)
_PROCEDURE_CUE = re.compile(
    r"\b(torque|procedure|steps?|how (do|to|should)|specification|spec|setting|sop|rev(ision)?|interval|ppe)\b", re.I
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_BETWEEN = re.compile(r"\b(?:between|from)\s+((?:19|20)\d{2})\s+(?:and|to|-)\s+((?:19|20)\d{2})\b", re.I)
_SINCE = re.compile(r"\b(?:since|after)\s+((?:19|20)\d{2})\b", re.I)
_SHORT_ASSET_NOUNS = r"(?:excavator|machine|asset|unit|truck|equipment|press|line|pump|robot|cell|station)"

# Words that frame a record question but say nothing about which records.
FRAME_TERMS = frozenset(
    normalise_terms(
        "how many often number count times time when last latest most recent newest first earliest oldest list "
        "show all which what work order orders wo wos record recorded logged ticket job jobs happen happened "
        "occur occurred occurrence incident failure failures fail failed breakdown breakdowns problem problems "
        "issue issues repair repairs repaired maintenance event events lose lost get got have had go went year "
        "years month since between from until machine asset unit equipment did does was were been total "
        "we our any there ever date give tell me please written write wrote raised opened created entered"
    )
)


@dataclass(frozen=True)
class RecordQuery:
    intent: str  # count | latest | earliest | list
    assets: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    ignored: tuple[str, ...] = ()  # question terms no record uses at all

    def criteria(self) -> Criteria:
        equals: dict = {"kind": DocKind.WORK_ORDER.value}
        if self.assets:
            equals["wo_asset"] = self.assets
        where = CURRENT.and_(Criteria(equals=equals))
        if self.terms:  # every term must appear in the record's normalised terms
            where = where.and_(Criteria(contains_all={"wo_terms": self.terms}))
        if self.date_from or self.date_to:
            low = f"{self.date_from}T00:00:00Z" if self.date_from else None
            high = f"{self.date_to}T23:59:59Z" if self.date_to else None
            where = where.and_(Criteria(ranges={"wo_date": (low, high)}))
        return where

    def describe(self) -> str:
        parts = []
        if self.assets:
            parts.append("asset " + " or ".join(self.assets))
        if self.terms:
            parts.append("text or failure code mentioning " + ", ".join(f"'{t}'" for t in self.terms))
        if self.date_from or self.date_to:
            parts.append(f"dated {self.date_from or 'start'} to {self.date_to or 'today'}")
        if self.ignored:
            parts.append("ignoring " + ", ".join(f"'{t}'" for t in self.ignored) + " (in no record)")
        return "; ".join(parts) or "all work orders"


def asset_pattern(asset: str) -> re.Pattern:
    """Flexible match for an asset tag: 'PRESS-03' matches 'press 3', 'Press-03', 'PRESS03'.

    >>> bool(asset_pattern("PRESS-03").search("leak on press 3?")), bool(asset_pattern("B").search("excavator B"))
    (True, True)
    """
    if len(asset) <= 2:
        return re.compile(rf"\b{_SHORT_ASSET_NOUNS}\s+{re.escape(asset)}\b", re.I)
    pieces = re.findall(r"[A-Za-z]+|\d+", asset)
    regex = r"[\s_-]*".join(str(int(p)).join(("0*", "")) if p.isdigit() else re.escape(p) for p in pieces)
    return re.compile(rf"\b{regex}\b", re.I)


def parse_record_question(question: str, known_assets: Sequence[str]) -> RecordQuery | None:
    """A RecordQuery when the question asks to count or date work orders, else None."""
    intent = _intent(question)
    if intent is None:
        return None
    assets = tuple(a for a in known_assets if asset_pattern(a).search(question))
    if _PROCEDURE_CUE.search(question) and intent == "count":
        return None
    if not assets and not _RECORD_CUE.search(question):
        return None
    asset_terms = {t for a in assets for t in normalise_terms(a)}
    terms = tuple(t for t in normalise_terms(_strip_assets(question, assets)) if t not in FRAME_TERMS | asset_terms)
    date_from, date_to = _date_range(question)
    return RecordQuery(intent, assets, terms, date_from, date_to)


def _intent(question: str) -> str | None:
    if _COUNT.search(question):
        return "count"
    if _LIST.search(question):
        return "list"
    if _WHEN.search(question) and _LATEST.search(question):
        return "latest"
    if _WHEN.search(question) and _EARLIEST.search(question):
        return "earliest"
    if _LATEST.search(question) and _RECORD_CUE.search(question):
        return "latest"
    return None


def _strip_assets(question: str, assets: Sequence[str]) -> str:
    for asset in assets:
        question = asset_pattern(asset).sub(" ", question)
    return _YEAR.sub(" ", question)


def _date_range(question: str) -> tuple[str | None, str | None]:
    if match := _BETWEEN.search(question):
        return f"{match.group(1)}-01-01", f"{match.group(2)}-12-31"
    if match := _SINCE.search(question):
        return f"{match.group(1)}-01-01", None
    years = [m.group(0) for m in _YEAR.finditer(question)]
    if len(years) == 1:
        return f"{years[0]}-01-01", f"{years[0]}-12-31"
    return None, None


@dataclass(frozen=True)
class RecordResult:
    query: RecordQuery
    total: int
    records: tuple[Chunk, ...]  # the ones shown and cited, ordered as the intent asks

    def answer_text(self) -> str:
        q, n = self.query, self.total
        criteria = q.describe()
        if n == 0:
            return f"No work orders match ({criteria})."
        lines = []
        if q.intent == "count":
            noun = "work order matches" if n == 1 else "work orders match"
            lines.append(f"{n} {noun} ({criteria}).")
            if self.records:
                lines.append("Most recent first:" if n > 1 else "It is:")
        elif q.intent == "latest":
            lines.append(f"The most recent of {n} matching work orders ({criteria}):")
        elif q.intent == "earliest":
            lines.append(f"The earliest of {n} matching work orders ({criteria}):")
        else:
            lines.append(f"{n} matching work orders ({criteria}), most recent first:")
        for number, chunk in enumerate(self.records, start=1):
            lines.append(f"- {_record_line(chunk)} [{number}]")
        if len(self.records) < n:
            lines.append(f"({n - len(self.records)} more not listed.)")
        return "\n".join(lines)


def _record_line(chunk: Chunk) -> str:
    f = chunk.fields
    text = f.get("problem") or chunk.text
    action = f" -> {f['action']}" if f.get("action") else ""
    return f"{f.get('wo_id', '?')} on {f.get('date', '?')} ({f.get('asset', '?')}): {text}{action}"


def drop_unknown_terms(store, query: RecordQuery) -> RecordQuery:
    """Terms that no work order uses anywhere ('written', 'logged') cannot narrow the count: drop them."""
    base = CURRENT.and_(Criteria(equals={"kind": DocKind.WORK_ORDER.value}))
    known, ignored = [], []
    for term in query.terms:
        (known if store.count(base.and_(Criteria(contains_all={"wo_terms": (term,)}))) else ignored).append(term)
    return replace(query, terms=tuple(known), ignored=tuple(ignored))


def run_record_query(store, query: RecordQuery, show: int = 10) -> RecordResult:
    query = drop_unknown_terms(store, query)
    where = query.criteria()
    total = store.count(where)
    if query.intent in ("latest", "earliest"):
        show = 1 if query.intent != "list" else show
    descending = query.intent != "earliest"
    records = store.scroll(where, limit=min(show, total), order_by="wo_date", descending=descending) if total else []
    return RecordResult(query, total, tuple(records))
