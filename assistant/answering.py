"""The Assistant: one question in, events out (Sources, Queued..., Token..., Final).

    question -> resolve follow-up
      ├─ a table question (count, sum, maximum, latest ... linked to a table) -> exact plan -> rows
      │     -> Answer(route=RECORDS, table=...)
      └─ retrieve -> Sources -> evidence (sentences, steps, fields) -> coverage decision
            -> [a turn at the model: its yes/no judgement, then a short line under a JSON schema]
            -> Answer(route=GENERATED | EVIDENCE | REFUSED, reason=...)

Floorwise, not the model's prose, decides whether the documents answer a question: the
model's yes/no is one signal among the evidence's. An answer leads with the model's checked
line when there is one, then the verbatim evidence, cited; a line that fails its check is
dropped and the evidence stays. The CLI, the UI and the evaluation harness all go through
`Assistant.ask`.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from typing import Iterator, Mapping, Sequence

from assistant.asks import Ask, analyse, asking_sentence
from assistant.coverage import CoverageModel, signals
from assistant.domain import (
    Answer,
    Citation,
    Coverage,
    DocKind,
    Evidence,
    FinalEvent,
    Hit,
    QueuedEvent,
    Reason,
    Route,
    SourcesEvent,
    TokenEvent,
    Verification,
)
from assistant.evidence import Selection, evidence_text, select
from assistant.followup import resolve
from assistant.model_queue import ModelQueue
from assistant.retrieve import Filters, Retrieval, Retriever
from assistant.settings import GenerationSettings, RetrievalSettings
from assistant.store.base import CURRENT, Criteria
from assistant.text import strip_markers

log = logging.getLogger(__name__)

NOT_COVERED_TEXT = (
    "The approved documents do not cover this question. The closest passages are listed below; "
    "check with your supervisor or the document owner."
)
# The model's line: one short sentence and the evidence numbers it used.
LINE_SCHEMA_MAX_CHARS = 200

Event = SourcesEvent | QueuedEvent | TokenEvent | FinalEvent


def line_schema(numbers: Sequence[int]) -> dict:
    """JSON schema for the model's line; `cites` may name only the evidence numbers shown.

    >>> line_schema([1, 3])["properties"]["cites"]["items"]
    {'type': 'integer', 'enum': [1, 3]}
    """
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "minLength": 1, "maxLength": LINE_SCHEMA_MAX_CHARS},
            "cites": {"type": "array", "items": {"type": "integer", "enum": sorted(set(numbers))},
                      "minItems": 1, "maxItems": 3},
        },
        "required": ["answer", "cites"],
    }


class Assistant:
    def __init__(self, catalog, embedder, bm25, generator, retrieval: RetrievalSettings, generation: GenerationSettings,
                 model_queue: ModelQueue | None = None, coverage: CoverageModel | None = None):
        """`generator` None answers from evidence alone (no judgement, no line)."""
        self.catalog = catalog
        self.model_queue = model_queue if model_queue is not None else ModelQueue(1)
        self.store = catalog.store
        self.tables = getattr(catalog, "tables", None)
        self.embedder = embedder
        self.generator = generator
        self.retrieval = retrieval
        self.generation = generation
        self.coverage = coverage or CoverageModel.load()
        self.retriever = Retriever(self.store, embedder, bm25, retrieval, reading=catalog.reading)

    # -- public ------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[str] = (), filters: Filters | None = None) -> Iterator[Event]:
        """Answer `question`; `history` holds the earlier user questions of this conversation."""
        started = time.perf_counter()
        resolved = self.resolve(question, history)
        unknown = self.unknown_identifiers(resolved)
        plan = self.plan(resolved, filters) if not unknown else None  # a table cannot count an item it lacks
        result = self._execute(plan) if plan is not None else None
        if result is not None and (result.span is not None or result.assets or result.measures):
            yield FinalEvent(self._outside_records(question, result, started))
            return
        if result is not None and _table_answers(result):
            yield from self._answer_table(question, result, started)
            return
        retrieval = self.retriever.retrieve(resolved, filters)
        timings = {"retrieve": time.perf_counter() - started}
        yield SourcesEvent(retrieval.hits)
        ask = analyse(resolved)
        frequency = self.catalog.document_frequency(ask.subject)
        ask = without_narrative(ask, frequency)
        selection = self.evidence(ask, retrieval)
        values = signals(ask, selection, retrieval.best_dense, retrieval.best_lexical, len(retrieval.identifiers),
                         frequency, len(unknown))
        timings["evidence"] = time.perf_counter() - started
        if not selection.evidence:
            coverage = Coverage(False, 0.0, values, Reason.NO_EVIDENCE)
            yield FinalEvent(self._refusal(question, ask, retrieval.hits, selection, coverage, timings))
            return
        if self.generator is None or not (self.generation.judge or self.generation.line):
            yield from self._finish(question, resolved, ask, retrieval, selection, values, None, started, timings)
            return
        turn = self.model_queue.wait()
        try:
            for ahead in turn:
                yield QueuedEvent(ahead)
        finally:
            turn.close()  # leaves the line if the asker went away while waiting
        try:
            judge = None
            if self.generation.judge:
                judge = self.generator.judge(self._messages(resolved, selection.evidence, "judge"))
                timings["judge"] = time.perf_counter() - started
            yield from self._finish(question, resolved, ask, retrieval, selection, values, judge, started, timings)
        finally:
            self.model_queue.release()

    def resolve(self, question: str, history: Sequence[str]) -> str:
        resolved_history: list[str] = []
        for earlier in history:
            resolved_history.append(resolve(earlier, resolved_history))
        return resolve(question, resolved_history)

    def plan(self, question: str, filters: Filters | None = None):
        """The table plan for a question a table answers exactly, or None."""
        if self.tables is None or (filters and (filters.kinds or filters.revision)):
            return None
        from assistant.tables.plan import plan_question

        with self.catalog.reading():
            return plan_question(question, self.tables)

    def evidence(self, ask: Ask, retrieval: Retrieval) -> Selection:
        embed = self.embedder.embed if self.embedder is not None else None
        return select(ask, retrieval.hits, embed=embed, neighbours=self._neighbours)

    def prompt_for(self, question: str, history: Sequence[str] = (), filters: Filters | None = None, task: str = "line"):
        """The exact prompt the model would see (for `floorwise prompt`)."""
        resolved = self.resolve(question, history)
        retrieval = self.retriever.retrieve(resolved, filters)
        selection = self.evidence(analyse(resolved), retrieval)
        from assistant.prompting import preview

        return preview(resolved, selection.evidence, self.retrieval.context_tokens, self._count_tokens, task)

    # -- passages ------------------------------------------------------------------
    def _finish(self, question, resolved, ask, retrieval, selection, values, judge, started, timings):
        coverage = self.coverage.decide(ask, values, judge, self.retrieval.answer_threshold)
        if not coverage.covered:
            yield FinalEvent(self._refusal(question, ask, retrieval.hits, selection, coverage, timings))
            return
        evidence, sources = _numbered(selection.evidence, retrieval.hits)
        safety = safety_notes([e.chunk for e in evidence])
        shown = evidence_text(without_warnings(evidence, safety))
        yield TokenEvent(shown)
        timings["first_token"] = time.perf_counter() - started
        line, verification, usage = None, Verification(passed=True), None
        if self.generator is not None and self.generation.line:
            line, verification = self._line(resolved, evidence, sources)
            usage = self.generator.last_usage
        timings["total"] = time.perf_counter() - started
        text = f"{line}\n\n{shown}" if line else shown
        numbers = sorted({e.number for e in evidence} | set(_cited(line or "")))
        citations = tuple(Citation(n, sources[n - 1].chunk) for n in numbers if 0 < n <= len(sources))
        used = [c.chunk for c in citations]
        yield FinalEvent(Answer(
            question=question, text=text, citations=citations, verification=verification,
            route=Route.GENERATED if line else Route.EVIDENCE, line=line, evidence=evidence, coverage=coverage,
            safety=safety_notes(used), sources=sources, timings=dict(timings),
            prompt_tokens=usage.prompt_tokens if usage else 0, completion_tokens=usage.completion_tokens if usage else 0,
        ))

    def _messages(self, question: str, evidence: Sequence[Evidence], task: str):
        from assistant.prompting import preview

        return preview(question, evidence, self.retrieval.context_tokens, self._count_tokens, task).messages

    def _count_tokens(self, text: str) -> int:
        if self.generator is not None:
            return self.generator.count_tokens(text)
        return max(1, len(text) // 4)

    def _line(self, question: str, evidence: Sequence[Evidence], hits: Sequence[Hit]) -> tuple[str | None, Verification]:
        messages = self._messages(question, evidence, "line")
        return checked_line(self.generator, messages, question, evidence, [h.chunk for h in hits],
                            self.generation.line_tokens)

    def unknown_identifiers(self, question: str) -> list[str]:
        """The part numbers and ids a question names that no current passage carries."""
        from assistant.identifiers import identifier_tokens, with_keys
        from assistant.tables.link import names_value

        out = []
        with self.catalog.reading():
            for ident in identifier_tokens(question):
                if not self.store.count(CURRENT.and_(Criteria(equals={"id_tokens": with_keys((ident,))}))) \
                        and not (self.tables is not None and names_value(self.tables, ident)):
                    out.append(ident)  # "conv12" is CONV-12 where a table holds that value
        return out

    def _neighbours(self, chunk):
        """The other steps of a step's procedure section, in document order (for "how do I")."""
        where = CURRENT.and_(Criteria(equals={"source_path": chunk.source_path}))
        with self.catalog.reading():
            found = self.store.scroll(where, limit=200, order_by="ordinal")
        return [c for c in found if c.section_path == chunk.section_path]

    def _refusal(self, question: str, ask: Ask, hits: Sequence[Hit], selection: Selection, coverage: Coverage,
                 timings: dict) -> Answer:
        citations: tuple[Citation, ...] = ()
        text = NOT_COVERED_TEXT
        evidence: tuple[Evidence, ...] = ()
        if coverage.reason is Reason.ATTRIBUTE_MISSING and selection.best is not None:
            scored = selection.scored
            if coverage.signals.get("qualifier_conflict"):  # the values the documents give for the other thing
                scored = tuple(s for s in scored if s.value) or scored
            named = [s for s in scored if s.subject >= 0.5] or [s for s in scored if s.subject > 0]
            said = list({s.unit.text: s for s in sorted(named, key=lambda s: -s.subject)}.values())[:2]
            evidence = tuple(Evidence(s.unit.number, s.unit.chunk, s.unit.text, s.unit.kind, round(s.score, 4))
                             for s in said)
            what = _asked_words(ask)
            text = (f"The approved documents do not give {what}. What they say about it:\n"
                    f"{evidence_text(evidence)}")
            citations = tuple(Citation(e.number, e.chunk) for e in dict((e.number, e) for e in evidence).values())
        return Answer(
            question=question, text=text, citations=citations, verification=Verification(passed=True),
            route=Route.REFUSED, reason=coverage.reason, evidence=evidence, coverage=coverage,
            sources=tuple(hits[:3]), timings=dict(timings),
        )

    # -- tables ------------------------------------------------------------------------
    def _execute(self, plan):
        from assistant.tables.run import execute

        with self.catalog.reading():
            return execute(plan, self.tables)

    def _answer_table(self, question: str, result, started: float) -> Iterator[Event]:
        from assistant.tables.answer import answer_text

        plan = result.plan
        with self.catalog.reading():
            chunks = self._chunks([r.chunk_id for r in result.rows if r.chunk_id])
        hits = tuple(Hit(chunks[r.chunk_id], 1.0) for r in result.rows if r.chunk_id in chunks)
        timings = {"retrieve": time.perf_counter() - started}
        yield SourcesEvent(hits)
        text = answer_text(result)
        yield TokenEvent(text)
        timings["first_token"] = timings["total"] = time.perf_counter() - started
        citations = tuple(Citation(n, hit.chunk) for n, hit in enumerate(hits, start=1))
        notes = (f"computed from {', '.join(t.label for t in plan.tables[:3])}: {plan.operation}, "
                 f"{result.matched} rows matched",)
        found_none = result.matched == 0 and plan.operation in _ONE_VALUE  # no row's date or cost: said, not shown
        yield FinalEvent(Answer(
            question, text, citations, Verification(passed=True, notes=notes),
            route=Route.REFUSED if found_none else Route.RECORDS,
            reason=Reason.NO_MATCHING_RECORDS if found_none else None, table=result, sources=hits, timings=timings,
        ))

    def _outside_records(self, question: str, result, started: float) -> Answer:
        """Refused: the records hold no date in the asked period (a log kept from 2022, asked about 2021),
        no asset by the name asked (excavator F of a log of A to E), or no column of the asked quantity
        ("how many hours" of a log that keeps costs)."""
        from assistant.tables.answer import outside_text

        timings = {"retrieve": time.perf_counter() - started}
        timings["first_token"] = timings["total"] = timings["retrieve"]
        reason = Reason.ATTRIBUTE_MISSING if result.measures else Reason.OUTSIDE_RECORDS
        return Answer(question, outside_text(result), (), Verification(passed=True), route=Route.REFUSED,
                      reason=reason, table=result, timings=timings)

    def _chunks(self, ids: Sequence[str]) -> dict:
        if not ids:
            return {}
        found = self.store.scroll(Criteria(equals={"chunk_id": tuple(ids)}), limit=len(ids))
        return {c.chunk_id: c for c in found}


def checked_line(generator, messages, question: str, evidence: Sequence[Evidence], passages: Sequence,
                 max_tokens: int) -> tuple[str | None, Verification]:
    """The model's short line under the JSON schema, checked; None when it fails the check.

    The line may cite only evidence numbers; every number and identifier in it must be in a
    passage it cites (`verify`), it may not tie them to a subject its passages never mention
    or give another quantity than the one asked (`mismatch`). A failed line is dropped with
    a note; the evidence it was drawn from stays the answer.
    """
    from assistant.mismatch import off_subject, other_quantity
    from assistant.verify import verify

    numbers = sorted({e.number for e in evidence})
    raw = "".join(generator.stream(messages, max_tokens, schema=line_schema(numbers)))
    try:
        data = json.loads(raw)
        sentence = " ".join(strip_markers(str(data["answer"])).split())
        cites = list(dict.fromkeys(int(n) for n in data["cites"] if int(n) in numbers))  # "[1][1]" -> "[1]"
    except (ValueError, KeyError, TypeError):
        return None, Verification(False, notes=(f"the model's line was not valid JSON: {raw[:120]!r}",))
    if not sentence or not cites:
        return None, Verification(False, notes=("the model gave no line or no citation",))
    marked = sentence.rstrip(".") + " " + "".join(f"[{n}]" for n in cites) + "."
    text, verification = verify(marked, passages, truncated=generator.last_usage.truncated)
    strays = off_subject(text, passages, question)
    other = other_quantity(text, question)
    notes = list(verification.notes)
    if strays:
        notes.append(f"line dropped: its cited passages do not mention {', '.join(strays)}")
    if other:
        notes.append(f"line dropped: it gives a {other}, not what was asked")
    if not verification.passed:
        notes.append("line dropped: it states what its cited passages do not")
    passed = verification.passed and not strays and not other
    return (text if passed else None), replace(verification, passed=passed, notes=tuple(notes))


def _numbered(evidence: Sequence[Evidence], hits: Sequence[Hit]) -> tuple[tuple[Evidence, ...], tuple[Hit, ...]]:
    """Evidence from passages retrieval did not return (the other steps of a procedure) gets the
    next source numbers, so every piece shown is cited and its card exists."""
    sources = list(hits)
    out = []
    for e in evidence:
        if e.number == 0:
            known = next((n for n, h in enumerate(sources, 1) if h.chunk.chunk_id == e.chunk.chunk_id), None)
            if known is None:
                sources.append(Hit(e.chunk, 0.0))
                known = len(sources)
            e = replace(e, number=known)
        out.append(e)
    return tuple(out), tuple(sources)


_ONE_VALUE = ("latest", "earliest", "max", "min")  # one row's date or amount


def _table_answers(result) -> bool:
    """Is a table result the answer? A count of zero is one ("0 work orders match ..."), and so is a
    date or maximum of a named asset whose criteria each find rows but never together. A lookup,
    list, maximum or date that finds no row otherwise, or criteria whose words no row uses at all,
    mean the question is about something else: the passages then decide."""
    if result.matched:
        return True
    if result.plan.operation not in ("count", "sum", "average", "group", "group_least", "group_sum"):
        # "when was the final drive last changed out on excavator A": A's rows exist and so does every word,
        # only never together; that is the answer (with the closest rows), not another asset's passage
        return bool(result.plan.operation in _ONE_VALUE and result.rows and not result.empty and result.plan.text
                    and any(c.op == "in" for c in result.plan.conditions))
    named = {f"mentioning '{t.word}'" for t in result.plan.text if t.forms == (t.word.lower(),) and "-" in t.word}
    if named & set(result.empty):
        return False  # a part number no row of the table carries: the rows are about other things
    return sum(1 for e in result.empty if e.startswith("mentioning")) < 2


def without_narrative(ask: Ask, frequency: Mapping[str, int]) -> Ask:
    """A question that first tells a situation ("Guy who hung a lock went home sick. Can the supervisor
    cut it?") keeps as its subject only the words some passage uses: "guy", "home" and "sick" tell
    the story, they are not what the documents must name. A one-sentence question keeps every word:
    there a word no passage uses is a sign the documents do not cover it."""
    if asking_sentence(ask.question) == ask.question:
        return ask
    kept = tuple(w for w in ask.subject if frequency.get(w, 1) > 0)
    return replace(ask, subject=kept) if kept else ask


def _asked_words(ask: Ask) -> str:
    """'the torque for lower die clamp bolt' from the question's attribute and subject words."""
    attribute = " ".join(ask.attribute) or {"date": "a date", "count": "a number", "steps": "steps",
                                            "frequency": "an interval", "person": "who",
                                            "part": "a part number"}.get(ask.kind, "an answer")
    subject = " ".join(ask.subject[:6])
    head = attribute if attribute.startswith(("a ", "an ", "who", "steps")) else f"the {attribute}"
    return f"{head} for {subject}" if subject else head


def _cited(text: str) -> list[int]:
    from assistant.text import cited_numbers

    return cited_numbers(text)


def without_warnings(evidence: Sequence[Evidence], safety: Sequence[str]) -> list[Evidence]:
    r"""The evidence as the answer shows it: warnings are shown once, in the safety box, so they
    are taken out of the pieces (a piece that was only a warning goes).

    >>> from assistant.domain import Chunk, DocKind
    >>> c = Chunk("c", "d", "p", "T", DocKind.SOP, "x", 0, "h")
    >>> pieces = [Evidence(1, c, "WARNING: hot.\n2. Wait 30 min.", "step"), Evidence(1, c, "WARNING: hot.", "sentence")]
    >>> [e.text for e in without_warnings(pieces, ["WARNING: hot."])]
    ['2. Wait 30 min.']
    """
    out = []
    for e in evidence:
        text = e.text
        for warning in safety:
            text = text.replace(warning, "")
        text = text.strip()
        if text and any(ch.isalnum() for ch in text):
            out.append(replace(e, text=text))
    return out


def safety_notes(chunks: Sequence) -> tuple[str, ...]:
    """The verbatim warnings of the passages used, deduplicated, in order."""
    return tuple(dict.fromkeys(w for chunk in chunks for w in chunk.warnings))


def final_answer(events: Iterator[Event]) -> Answer:
    """Drain `ask` and return the Answer (for scripts and tests)."""
    answer = None
    for event in events:
        if isinstance(event, FinalEvent):
            answer = event.answer
    if answer is None:
        raise RuntimeError("ask() ended without a final answer")
    return answer
