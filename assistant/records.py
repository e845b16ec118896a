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
from assistant.identifiers import identifier_tokens
from assistant.store.base import CURRENT, Criteria
from assistant.terms import normalise_terms

_COUNT = re.compile(r"\b(how many|how often|number of|count of|count the)\b", re.I)
_LATEST = re.compile(r"\b(last|latest|most recent|newest)\b", re.I)
_EARLIEST = re.compile(r"\b(first|earliest|oldest)\b", re.I)
_LIST = re.compile(r"\b(list|show)\b.*\b(work orders?|wos?|records|jobs|repairs|failures)\b", re.I)
_WHEN = re.compile(r"\bwhen\b", re.I)
_RECORD_CUE = re.compile(
    r"\b(work ?orders?|w/?os?|times|occurrences?|incidents?|failures?|breakdowns?|repairs?|records?|recorded|"
    r"logged|tickets?|jobs?|did|replaced|repaired|changed|fitted|installed|swapped|serviced|failed|broke|"
    r"tripped|leaked)\b",
    re.I,
)
_PROCEDURE_CUE = re.compile(
    r"\b(torque|procedure|steps?|how (do|to|should)|specification|spec|setting|sop|rev(ision)?|interval|ppe)\b", re.I
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_BETWEEN = re.compile(
    r"\b(?:(?:between|from)\s+)?((?:19|20)\d{2})\s*(?:and|to|-|–|until)\s*((?:19|20)\d{2})\b", re.I
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_YEAR = re.compile(rf"\b({'|'.join(_MONTHS)}|{'|'.join(m[:3] for m in _MONTHS)})\.?\s+((?:19|20)\d{{2}})\b", re.I)
_HAPPENED = re.compile(r"\bwhat (happened|went wrong|was done)\b", re.I)
_WHEN_PAST = re.compile(r"\bwhen\s+(was|were|did|have|has)\b", re.I)
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
        "we our any there ever date give tell me please written write wrote raised opened created entered "
        "plant wide site factory whole put"
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
    identifiers: tuple[str, ...] = ()  # part numbers etc. that records must carry verbatim

    def criteria(self) -> Criteria:
        equals: dict = {"kind": DocKind.WORK_ORDER.value}
        if self.assets:
            equals["wo_asset"] = self.assets
        where = CURRENT.and_(Criteria(equals=equals))
        if self.terms:  # every term must appear in the record's normalised terms
            where = where.and_(Criteria(contains_all={"wo_terms": self.terms}))
        if self.identifiers:
            where = where.and_(Criteria(contains_all={"id_tokens": self.identifiers}))
        if self.date_from or self.date_to:
            low = f"{self.date_from}T00:00:00Z" if self.date_from else None
            high = f"{self.date_to}T23:59:59Z" if self.date_to else None
            where = where.and_(Criteria(ranges={"wo_date": (low, high)}))
        return where

    def describe(self) -> str:
        parts = []
        if self.assets:
            parts.append("asset " + " or ".join(self.assets))
        if self.identifiers:
            parts.append("carrying " + ", ".join(self.identifiers))
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
    assets = tuple(a for a in known_assets if asset_pattern(a).search(question))
    intent = _intent(question, bool(assets))
    if _PROCEDURE_CUE.search(question) and intent == "count":
        return None
    if not assets and not _RECORD_CUE.search(question):
        return None
    if intent is None:
        return None
    rest = _strip_assets(question, assets)
    identifiers = tuple(i for i in identifier_tokens(rest) if not _BETWEEN.fullmatch(i))
    for ident in identifiers:
        rest = re.sub(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", " ", rest, flags=re.I)
    asset_terms = {t for a in assets for t in normalise_terms(a)}
    # A named part number is the subject; the words around it ("changed", "kit") only add
    # vocabulary mismatch with technician shorthand, so they do not narrow the match.
    terms = () if identifiers else tuple(
        t for t in normalise_terms(rest) if t not in FRAME_TERMS | asset_terms and len(t) > 1
    )
    date_from, date_to = _date_range(question)
    return RecordQuery(intent, assets, terms, date_from, date_to, identifiers=identifiers)


_SUM = re.compile(r"\b(cost|costs|spent|spend|spending)\b", re.I)
_TOP_ASSET = re.compile(r"\b(which|what)\s+(machine|asset|equipment|unit|press|line)s?\b.*\bmost\b", re.I)
_CODES = re.compile(r"\b(which|what|list|show)\b.*\bfailure codes?\b", re.I)


def _intent(question: str, names_asset: bool = False) -> str | None:
    if _TOP_ASSET.search(question):
        return "top_asset"
    if _CODES.search(question):
        return "codes"
    if _SUM.search(question) and not _PROCEDURE_CUE.search(question):
        return "sum"
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
    if names_asset and _WHEN_PAST.search(question):
        return "latest"
    if names_asset and _HAPPENED.search(question):
        return "list"
    return None


def _strip_assets(question: str, assets: Sequence[str]) -> str:
    for asset in assets:
        question = asset_pattern(asset).sub(" ", question)
    question = _MONTH_YEAR.sub(" ", _BETWEEN.sub(" ", question))
    return _YEAR.sub(" ", question)


def _date_range(question: str) -> tuple[str | None, str | None]:
    """Inclusive ISO dates named by the question.

    >>> _date_range("in November 2023"), _date_range("over 2022-2024")
    (('2023-11-01', '2023-11-30'), ('2022-01-01', '2024-12-31'))
    """
    if match := _MONTH_YEAR.search(question):
        import calendar

        month = [m[:3] for m in _MONTHS].index(match.group(1)[:3].lower()) + 1
        year = int(match.group(2))
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
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
    groups: tuple[tuple[str, int], ...] = ()  # top_asset / codes: value -> count, largest first
    cost_sum: float | None = None  # sum: total of the records' cost field
    cost_missing: int = 0  # sum: matching records without a cost

    def answer_text(self) -> str:
        q, n = self.query, self.total
        criteria = q.describe()
        if n == 0:
            return f"No work orders match ({criteria})."
        lines = []
        if q.intent == "top_asset":
            (top, count), rest = self.groups[0], self.groups[1:4]
            others = ", ".join(f"{v} ({c})" for v, c in rest)
            lines.append(f"{top} has the most matching work orders: {count} of {n} ({criteria})."
                         + (f" Next: {others}." if others else ""))
            lines.append(f"Most recent on {top}:")
        elif q.intent == "codes":
            codes = ", ".join(f"{v} ({c})" for v, c in self.groups)
            lines.append(f"Failure codes on {n} matching work orders ({criteria}): {codes}.")
        elif q.intent == "sum":
            missing = f"; {self.cost_missing} without a cost" if self.cost_missing else ""
            lines.append(f"Total cost {self.cost_sum:,.2f} over {n} work orders ({criteria}{missing}).")
        elif q.intent == "count":
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


def _cost(chunk: Chunk) -> float | None:
    value = chunk.fields.get("cost")
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _grouped(store, query: RecordQuery, where: Criteria, total: int, show: int) -> RecordResult:
    key = "wo_asset" if query.intent == "top_asset" else "wo_failure_code"
    facet = store.facet(key, where, limit=1000)
    groups = tuple(sorted(facet.items(), key=lambda kv: (-kv[1], kv[0])))
    records: list[Chunk] = []
    if groups and query.intent == "top_asset":
        top = where.and_(Criteria(equals={"wo_asset": groups[0][0]}))
        records = store.scroll(top, limit=min(show, groups[0][1]), order_by="wo_date", descending=True)
    elif groups:  # one example record per code, so each code is cited
        for code, _ in groups[:show]:
            records += store.scroll(where.and_(Criteria(equals={"wo_failure_code": code})), limit=1,
                                    order_by="wo_date", descending=True)
    return RecordResult(query, total, tuple(records), groups)


def run_record_query(store, query: RecordQuery, show: int = 10) -> RecordResult:
    query = drop_unknown_terms(store, query)
    where = query.criteria()
    if query.intent in ("top_asset", "codes"):
        return _grouped(store, query, where, store.count(where), show)
    if query.intent == "sum":
        records = store.scroll(where, limit=100_000, order_by="wo_date", descending=True)
        costs = [c for c in map(_cost, records) if c is not None]
        return RecordResult(query, len(records), tuple(records[:show]), cost_sum=round(sum(costs), 2),
                            cost_missing=len(records) - len(costs))
    total = store.count(where)
    if query.intent in ("latest", "earliest"):
        show = 1
    descending = query.intent != "earliest"
    records = store.scroll(where, limit=min(show, total), order_by="wo_date", descending=descending) if total else []
    return RecordResult(query, total, tuple(records))
