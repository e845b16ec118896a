"""Evidence: the verbatim sentences, steps or table fields that answer a question, across all passages.

Every retrieved passage is cut into units:
- a procedure step is one unit, and each of its sentences is one too (a torque question wants
  the sentence; "how do I" wants the steps);
- a table row is one unit of fields: the columns the question asks for and the row's key,
  `RPN: 16 · Power Unit · Fuel System · Fuel Cooler · Leaking`;
- any other passage gives one unit per sentence.

Each unit is scored on how much of the question's subject it and its heading name, whether it
holds a value of the asked kind, whether it names the asked attribute, and its dense similarity
to the question. The best units (and, for procedures, the steps in order) are the evidence.

>>> from assistant.asks import analyse
>>> from assistant.domain import Chunk, DocKind, Hit
>>> step = Chunk("c1", "SOP-104", "p", "SOP-104 Die Change", DocKind.SOP,
...     "14.2 Fit the six M20 strap clamp bolts. Torque them to 330 N·m in two passes.", 0, "h",
...     section_path=("14. Clamping",), step="14.2")
>>> note = Chunk("c2", "n", "n", "Shift notes", DocKind.EXPERT_NOTE, "Die clamps wear fast. Oil them weekly.", 0, "h")
>>> found = select(analyse("What torque for the die clamp bolts?"), [Hit(step, 1.0), Hit(note, 0.5)])
>>> [(e.number, e.text) for e in found.evidence]
[(1, '14.2 Fit the six M20 strap clamp bolts. Torque them to 330 N·m in two passes.')]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from assistant.asks import Ask, analyse, holds_value, names_attribute
from assistant.domain import Chunk, DocKind, Evidence, Hit
from assistant.identifiers import carried, identifier_tokens
from assistant.tables.columns import header_words, with_unit
from assistant.text import instructs, same_root, sentences, stem, terms

MAX_UNITS = 60  # units scored per question
DENSE_UNITS = 12  # of which the best this many by words are embedded to compare meaning
DENSE_WORDS = 40
MAX_STEPS = 8
NOTE_FOLLOW = 3  # sentences of an expert note kept after the one that answers "should I" / "why"
NOTE_FOLLOW_WORDS = 50  # ... while those added so far are shorter than this
PARAGRAPH_WORDS = 80  # a chosen sentence's paragraph up to this long is shown whole


@dataclass(frozen=True)
class Unit:
    number: int  # passage number, 1-based in retrieval order
    chunk: Chunk
    text: str
    kind: str  # sentence | step | fields
    position: int = 0  # order inside the passage


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float
    subject: float  # share of the question's subject named by the unit and its heading
    subject_own: float  # ... by the unit's own words
    value: bool | None  # holds a value of the asked kind (None: the kind has none to check)
    attribute: bool
    dense: float
    identifiers: float  # share of the question's identifiers the unit or its passage carries


@dataclass(frozen=True)
class Selection:
    evidence: tuple[Evidence, ...]
    best: Scored | None  # the top unit (its features feed the coverage decision)
    scored: tuple[Scored, ...] = field(default=())


def context_of(chunk: Chunk) -> str:
    """What a passage is under: its document's title, the folder the document is filed in
    ("fmea_haul_truck/", "Presses/"), its section breadcrumb and step.

    >>> from assistant.domain import Chunk, DocKind
    >>> context_of(Chunk("c", "d", "corpora/fmea_haul_truck/fmea.csv", "fmea", DocKind.TABLE, "Batteries", 0, "h"))
    'fmea fmea haul truck '
    """
    folder = chunk.source_path.replace("\\", "/").rpartition("/")[0].rpartition("/")[2]
    return " ".join((chunk.title, folder.replace("_", " "), *chunk.section_path, chunk.step or ""))


def units_of(ask: Ask, number: int, chunk: Chunk) -> list[Unit]:
    """The units of one passage (see the module docstring)."""
    if chunk.kind in (DocKind.TABLE, DocKind.WORK_ORDER) and chunk.fields:
        return [Unit(number, chunk, fields_text(ask, chunk), "fields")]
    out: list[Unit] = []
    pieces = sentences(chunk.text)
    if chunk.step:
        out.append(Unit(number, chunk, chunk.text.strip(), "step"))
    if len(pieces) > 1 or not chunk.step:
        out += [Unit(number, chunk, p, "sentence", i) for i, p in enumerate(pieces) if _worth(p)]
    return out


def _worth(piece: str) -> bool:
    return len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2 and not instructs(piece)


_SKIP_FIELDS = {"row", "sheet", "wo_id", "date", "asset", "problem", "action", "failure_code", "cost"}


def fields_text(ask: Ask, chunk: Chunk) -> str:
    """A table row as the asked columns first, then the row's key cells.

    >>> from assistant.asks import analyse
    >>> row = Chunk("r", "t", "t.csv", "FMEA", DocKind.TABLE, "", 0, "h", fields={"Subsystem": "Power Unit",
    ...     "Component": "Fuel System", "Failure Mode": "Leaking", "Severity": "4", "RPN": "16", "row": 4})
    >>> fields_text(analyse("RPN for a leaking fuel system?"), row)
    'RPN: 16 · Power Unit · Fuel System · Leaking'
    """
    if chunk.kind is DocKind.WORK_ORDER:
        return chunk.text
    cells = [(k, str(v)) for k, v in chunk.fields.items() if k not in _SKIP_FIELDS and str(v).strip()]
    q = set(terms(ask.question))
    asked = [(k, v) for k, v in cells if _names_header(q, k) and not _value_in(q, v)]
    if not asked:
        return chunk.text
    keys = [v for k, v in cells if (k, v) not in asked and not re.fullmatch(r"[-+\d.,%$ ]+", v)][:4]
    return " · ".join(["{}: {}".format(*with_unit(k, v)) for k, v in asked] + keys)


def _names_header(q: set[str], header: str) -> bool:
    words = [stem(w) for w in header_words(re.sub(r"\([^)]*\)", " ", header)) if len(w) > 2]
    return bool(words) and any(same_root(w, t) for w in words for t in q)


def _value_in(q: set[str], value: str) -> bool:
    vt = terms(value)
    return bool(vt) and all(any(same_root(v, t) for t in q) for v in vt)


def subject_share(subject: Sequence[str], have: Sequence[str]) -> float:
    """The share of `subject`'s words that some word of `have` shares a root with (1 for no subject)."""
    if not subject:
        return 1.0
    return sum(1 for s in subject if any(same_root(s, h) for h in have)) / len(subject)


def score_units(ask: Ask, units: Sequence[Unit], dense: Sequence[float] | None = None) -> list[Scored]:
    out = []
    for i, u in enumerate(units):
        own = terms(u.chunk.text) if u.kind == "fields" else terms(u.text)  # a row: all its cells
        ctx = own + terms(context_of(u.chunk))
        subj_own = subject_share(ask.subject, own)
        subj = subject_share(ask.subject, ctx)
        value = holds_value(ask, u.text)
        if value and _names_another(ask.identifiers, u.text):
            value = False  # "CNC-07's bearings were replaced" is no answer for CNC-08
        attr = names_attribute(ask, u.text) or names_attribute(ask, context_of(u.chunk))
        tokens = set(identifier_tokens(f"{u.chunk.title} {u.chunk.text}")) | set(u.chunk.asset_ids)
        ids = len(carried(ask.identifiers, tokens)) / len(ask.identifiers) if ask.identifiers else 0.0
        d = dense[i] if dense is not None else 0.0
        score = (0.35 * subj + 0.25 * subj_own + 0.3 * d + 0.1 * attr + 0.15 * ids
                 + (0.25 if value else -0.25 if value is False else 0.0) + 0.05 / u.number
                 + (0.1 if ask.kind == "steps" and u.kind == "step" else 0.0)
                 - (_length_cost(u.text) if u.kind == "step" and ask.kind != "steps" else 0.0))
        out.append(Scored(u, score, subj, subj_own, value, attr, d, ids))
    return out


def _names_another(asked: Sequence[str], text: str) -> bool:
    """The text names an identifier of an asked one's family (same letters: CNC-07 for CNC-08)
    and none of the asked ones: its values belong to that other asset or part.

    >>> _names_another(("CNC-08",), "The spindle bearings on CNC-07 were replaced."), _names_another(
    ...     ("CNC-08",), "CNC-07 and CNC-08 warm up for 20 minutes."), _names_another(
    ...     ("SV-4410",), "Spare coil part number is SV-4410-C24.")
    (True, False, False)
    """
    if not asked:
        return False
    named = set(identifier_tokens(text))
    if carried(asked, named) or any(a in n for a in asked for n in named):  # SV-4410-C24, the coil of valve SV-4410, names it
        return False
    families = {_family(a) for a in asked} - {""}
    return any(_family(n) in families for n in named)


def _family(identifier: str) -> str:
    match = re.match(r"[A-Z]+", identifier)
    return match.group(0) if match else ""


def _length_cost(text: str) -> float:
    """A long step buries its value: prefer its sentence once it runs past 40 words."""
    return 0.004 * max(0, len(text.split()) - 40)


Embed = Callable[[Sequence[str]], list[list[float]]]
Neighbours = Callable[[Chunk], Sequence[Chunk]]  # the other steps of a passage's procedure section


def select(ask: Ask, hits: Sequence[Hit], embed: Embed | None = None,
           neighbours: Neighbours | None = None, max_evidence: int = 3) -> Selection:
    units = [u for n, h in enumerate(hits, 1) for u in units_of(ask, n, h.chunk)][:MAX_UNITS]
    if not units:
        return Selection((), None)
    scored = sorted(score_units(ask, units), key=lambda s: -s.score)
    if embed:  # the dense similarity of the lexically best units only: embedding costs ~5 ms a unit
        top = [s.unit for s in scored[:DENSE_UNITS]]
        rescored = score_units(ask, top, _dense(ask.question, top, embed))
        scored = sorted(rescored + list(scored[DENSE_UNITS:]), key=lambda s: -s.score)
    best = scored[0]
    if ask.kind == "steps":
        chosen = _procedure(best, scored, hits, neighbours)
    else:
        chosen = _best_pieces(best, scored, max_evidence, ask.question)
        if ask.kind in ("cause", "yesno", "general"):
            chosen = _with_next_sentence(chosen, units)
        chosen = _second_part(ask, units, chosen)
        chosen = _whole_paragraphs(chosen, units)
    evidence = tuple(Evidence(s.unit.number, s.unit.chunk, s.unit.text, s.unit.kind, round(s.score, 4))
                     for s in chosen)
    return Selection(evidence, best, tuple(scored))


def _dense(question: str, units: Sequence[Unit], embed: Embed) -> list[float]:
    """Cosine of the question and each unit's first DENSE_WORDS words (a unit's meaning shows early;
    embedding whole 180-word steps would cost a second a question on two cores)."""
    vectors = embed([question] + [" ".join(u.text.split()[:DENSE_WORDS]) for u in units])
    q = vectors[0]
    return [sum(a * b for a, b in zip(q, v)) for v in vectors[1:]]


# A change record ("torque raised from 300 N·m to 330 N·m", a revision table): it states a value
# that no longer holds beside the one that does.
_CHANGE = re.compile(r"\b(?:raised|lowered|increased|reduced|decreased|changed|revised|updated|moved|replaced|"
                     r"amended)\s+from\b.{1,60}?\bto\b|\bsupersedes\b|\brevision history\b", re.I)
_ASKS_CHANGE = re.compile(r"\b(?:change[ds]?|revis\w*|rev\b|previous(?:ly)?|before|used to|old|older|history|"
                          r"why|supersed\w*|difference|was it)\b", re.I)


def _best_pieces(best: Scored, scored: Sequence[Scored], limit: int, question: str = "") -> list[Scored]:
    """The best unit, and others nearly as good that add something (another passage or sentence).

    A change record joins only a question about changes: beside the current value, the value it
    replaced is a trap for a reader in a hurry."""
    chosen = [best]
    history = bool(_ASKS_CHANGE.search(question))
    for s in scored[1:]:
        if len(chosen) >= limit or s.score < 0.85 * best.score or s.score <= 0:
            break
        if any(_overlaps(s.unit, c.unit) for c in chosen):
            continue
        if best.value is not None and s.value is False:
            continue
        if not history and _CHANGE.search(s.unit.text):
            continue
        chosen.append(s)
    return sorted(chosen, key=lambda s: (s.unit.number, s.unit.position))


# "How often ..., and who's allowed to do it?": a second question joined to the first.
_SECOND_ASK = re.compile(r"(?:,\s*|\s+)and\s+(?=(?:(?:at|in|for|by|to|from|on|after|under)\s+)?(?:who|whom|what|when|"
                         r"where|which|how|why|is|are|do|does|can|should|must)\b)", re.I)


def _second_part(ask: Ask, units: Sequence[Unit], chosen: list[Scored]) -> list[Scored]:
    """A question that asks two things gets the best unit for the second as well: the unit that holds
    a value of the second part's kind and names the whole question's subject best.

    >>> _SECOND_ASK.split("How often is it inspected, and who's allowed to do it?")[1]
    "who's allowed to do it?"
    """
    parts = _SECOND_ASK.split(ask.question, maxsplit=1)
    if len(parts) < 2:
        return chosen
    second = analyse(parts[1])
    if holds_value(second, "") is None:
        return chosen  # a kind with no value to look for ("what else"): nothing to pick by
    sub = Ask(parts[1], second.kind, second.families, second.attribute, ask.subject + second.subject, ask.identifiers)
    found = [s for s in score_units(sub, units)
             if s.value and s.subject >= 0.5 and not any(_overlaps(s.unit, c.unit) for c in chosen)]
    if not found:
        return chosen
    pick = max(found, key=lambda s: s.score)
    return sorted([*chosen, pick], key=lambda s: (s.unit.number, s.unit.position))


def _with_next_sentence(chosen: list[Scored], units: Sequence[Unit]) -> list[Scored]:
    """A short sentence that answers "should I" or "why" often gives its reason in the next one:
    "Do not turn up the counterbalance pressure. The drift comes from worn gibs." Keep it. An expert
    note tells a story: its next sentence carries the advice whatever the length of this one ("once
    the tank oil goes above 55 °C ... the ram creeps down." "Check the cooler fan first.")."""
    out = list(chosen)
    for s in chosen:
        u = s.unit
        note = u.chunk.kind is DocKind.EXPERT_NOTE
        if u.kind != "sentence" or len(u.text.split()) > 20 and not note:
            continue
        added = 0
        for step in range(1, NOTE_FOLLOW + 1 if note else 2):  # a note's advice: up to NOTE_FOLLOW sentences on
            nxt = next((v for v in units if v.chunk.chunk_id == u.chunk.chunk_id and v.kind == "sentence"
                        and v.position == u.position + step), None)
            if nxt is None or added > NOTE_FOLLOW_WORDS:
                break
            if not any(_overlaps(nxt, c.unit) for c in out):
                out.append(Scored(nxt, s.score, s.subject, 0, None, False, 0, 0))
                added += len(nxt.text.split())
    return sorted(out, key=lambda s: (s.unit.number, s.unit.position))


# A blank line, or a line that starts a new bullet, item or safety notice.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:(?:[-*•]|\d+[.)])\s|(?:WARNING|CAUTION|DANGER|NOTE)\b))")


def _whole_paragraphs(chosen: list[Scored], units: Sequence[Unit]) -> list[Scored]:
    """A sentence of a short paragraph comes with the rest of it: a warning's "up to 210 bar" before
    its "a zero reading does not mean empty", a bullet's "wait at least 3 hours" before its reason.
    A short paragraph says one thing; a sentence cut from it can lose the value it is about."""
    out = list(chosen)
    for s in chosen:
        u = s.unit
        if u.kind != "sentence":
            continue
        paragraph = next((p for p in _PARAGRAPH_BREAK.split(u.chunk.text) if u.text in p), None)
        if paragraph is None or len(paragraph.split()) > PARAGRAPH_WORDS:
            continue
        for v in units:
            if v.chunk.chunk_id == u.chunk.chunk_id and v.kind == "sentence" and v.text in paragraph \
                    and not any(_overlaps(v, c.unit) for c in out):
                out.append(Scored(v, s.score, s.subject, 0, None, False, 0, 0))
    return sorted(out, key=lambda s: (s.unit.number, s.unit.position))


def _overlaps(a: Unit, b: Unit) -> bool:
    """Same text, or one unit inside the other (a step and its own sentence)."""
    return a.chunk.chunk_id == b.chunk.chunk_id and (a.text in b.text or b.text in a.text)


def _procedure(best: Scored, scored: Sequence[Scored], hits: Sequence[Hit],
               neighbours: Neighbours | None) -> list[Scored]:
    """The steps of the best-matching procedure section, in document order."""
    anchor = best.unit.chunk
    if not anchor.step:
        return _best_pieces(best, scored, 3)
    numbers = {h.chunk.chunk_id: n for n, h in enumerate(hits, 1)}
    same = [h.chunk for h in hits if _same_section(h.chunk, anchor)]
    if neighbours is not None:
        same += [c for c in neighbours(anchor) if c.chunk_id not in {x.chunk_id for x in same}]
    steps = sorted({c.chunk_id: c for c in same if c.step}.values(), key=lambda c: c.ordinal)
    at = next((i for i, c in enumerate(steps) if c.chunk_id == anchor.chunk_id), 0)
    start = max(0, min(at - 1, len(steps) - MAX_STEPS)) if len(steps) > MAX_STEPS else 0
    window = steps[start : start + MAX_STEPS]
    by_id = {s.unit.chunk.chunk_id: s for s in scored if s.unit.kind == "step"}
    out = []
    for c in window:
        s = by_id.get(c.chunk_id)
        unit = s.unit if s else Unit(numbers.get(c.chunk_id, 0), c, c.text.strip(), "step")
        out.append(Scored(unit, s.score if s else 0.0, 0, 0, None, False, 0, 0))
    return out


def _same_section(chunk: Chunk, anchor: Chunk) -> bool:
    return chunk.source_path == anchor.source_path and chunk.section_path == anchor.section_path


def evidence_text(evidence: Sequence[Evidence]) -> str:
    """The evidence as the answer shows it: each piece verbatim with its citation, consecutive
    sentences of one passage joined.

    >>> from assistant.domain import Chunk, DocKind
    >>> c = Chunk("c", "d", "p", "T", DocKind.SOP, "x", 0, "h")
    >>> print(evidence_text([Evidence(1, c, "Stop the press.", "sentence"), Evidence(1, c, "Lock DS-1.", "sentence"),
    ...                      Evidence(2, c, "RPN: 16 · Fuel Cooler", "fields")]))
    Stop the press. Lock DS-1. [1]
    RPN: 16 · Fuel Cooler [2]
    """
    lines: list[tuple[int, str]] = []
    for e in evidence:
        if lines and lines[-1][0] == e.number and e.kind == "sentence" and not lines[-1][1].endswith("\n"):
            lines[-1] = (e.number, f"{lines[-1][1]} {e.text}")
        else:
            lines.append((e.number, e.text))
    return "\n".join(f"{text.strip()} [{n}]" if n else text.strip() for n, text in lines)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(x * x for x in b)) or 1.0
    return sum(x * y for x, y in zip(a, b)) / (na * nb)
