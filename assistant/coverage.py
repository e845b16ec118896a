"""Do the documents answer the question? Floorwise decides, from evidence signals, not the model's prose.

Signals (each in 0..1):
- `dense`: the best cosine similarity between the question and a passage;
- `lexical`: the largest share of the question's words one of the top passages holds;
- `subject`: the share of the question's subject the best evidence (and its heading) names;
- `value`: the best evidence holds a value of the asked kind (a torque for a torque question,
  a date for "when", a count for "how many", steps for "how do I"); 0.5 when the kind has none;
- `attribute`: the best evidence or its heading names the asked attribute ("torque");
- `unit_dense`: the cosine between the question and the best evidence itself;
- `identifiers`: the question's part numbers and tags found in the passages (0.5 when it names none);
- `subject_own`: the share of the subject the best evidence names in its own words (a table row
  must name every value asked about itself, its heading does not help);
- `unknown`: the share of the subject's words that no passage of any document uses;
- `tie`: how much of the subject the best unit holding a value of the asked kind names (a
  torque next to "main tire" does not answer a question about the nose tire);
- `row_complete`: the best table row names every subject word itself (1), or not (0); 0.5 when
  the evidence is not a table row. A row is its own whole context: "fuel tank overheating" is
  not answered by the fuel tank's "cracked or leaking" row;
- `judge`: the model's own yes/no, as P(yes) of its first token (only when a model is asked).

Two rules stand above the model. A question that names a part number or id that no passage of
any document carries (`unknown_ids`) is not covered, whatever else matches: the documents cannot
be about an item they never mention. And when the best table row lacks a subject word that
another row of the same table holds in the same column (`row_conflict`: "fuel tank overheating"
where "Overheating" is another component's failure mode), the asked combination is not in the
table: the attribute is missing for that subject. (On dev this caught 1 of 37 near misses and
refused no answerable question.) Likewise when every unit holding a value of the asked kind names
the asked thing only with another qualifier (`qualifier_conflict`: "the K-34 nose tire" asked,
"K-34 main tire: 118 psi" found, "nose" nowhere near a value): that value belongs to another
thing. (On dev: 1 of 28 near misses caught, no answerable question refused; a looser version that
read verbs as qualifiers, "hit stop", refused an answerable question and was narrowed to noun
phrases after a determiner or an id.) Two more, each from a blind set's dev half: the best evidence
is a record of another asset of the same id scheme (`asset_conflict`: "excavator D" asked, excavator
C's work order shown), and a quantity question names a specific attribute ("precharge",
"clearance", `SPECIFIC_ATTRIBUTES`) that no retrieved unit holding a value of its family uses
(`attribute_absent`). Neither refused an answerable question of the old dev halves. And a quantity
or part-number question that asks the value of a thing ("torque for the shank") where every retrieved
unit holding such a value names another thing (`object_absent`; on the dev halves of eight sets: 2 near
misses caught, no answerable question refused once times and generic wholes such as "system" were
read as no thing).

A logistic model over these gives P(answerable); the weights and the threshold are fitted on
the dev half of our question sets (`floorwise eval calibrate`) and stored in
`assistant/coverage_weights.toml` with the run they came from.

>>> m = CoverageModel({"bias": -2.0, "subject": 3.0, "value": 2.0}, {}, threshold=0.5)
>>> round(m.probability({"subject": 1.0, "value": 1.0}), 3), round(m.probability({"subject": 1.0, "value": 0.0}), 3)
(0.953, 0.731)
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from assistant.asks import Ask, analyse, asking_sentence, holds_value
from assistant.domain import Coverage, Reason
from assistant.evidence import Selection, context_of, subject_share
from assistant.identifiers import carried, id_pieces, identifier_tokens
from assistant.text import STOPWORDS, same_root, sentences, stem, terms, words

SIGNALS = ("dense", "lexical", "subject", "value", "attribute", "unit_dense", "identifiers", "subject_own", "unknown",
           "tie", "row_complete")
WEIGHTS_FILE = Path(__file__).with_name("coverage_weights.toml")
NEAR_MISS_SUBJECT = 0.6  # a refused question whose subject the evidence names this well is a near miss


def signals(ask: Ask, selection: Selection, best_dense: float, lexical: float, found_ids: int,
            frequency: Mapping[str, int] | None = None, unknown_ids: int = 0) -> dict[str, float]:
    """The signals of one question (see the module docstring); `frequency`: subject word -> passages using
    it; `unknown_ids`: how many of the question's identifiers no passage carries."""
    best = selection.best
    frequency = frequency or {}
    unknown = sum(1 for w in ask.subject if frequency.get(w, 1) == 0) / len(ask.subject) if ask.subject else 0.0
    value = 0.5 if best is None or best.value is None else float(best.value)
    if best is not None and best.value is False:
        # Another unit may hold the value while naming the subject nearly as well.
        holders = [s for s in selection.scored if s.value and s.subject >= best.subject - 0.2]
        value = 1.0 if holders else 0.0
    return {
        "dense": round(float(best_dense), 4),
        "lexical": round(float(lexical), 4),
        "subject": round(best.subject if best else 0.0, 4),
        "value": value,
        "attribute": float(best.attribute) if best else 0.0,
        "unit_dense": round(best.dense if best else 0.0, 4),
        "identifiers": (found_ids / len(ask.identifiers)) if ask.identifiers else 0.5,
        "subject_own": round(best.subject_own if best else 0.0, 4),
        "unknown": round(unknown, 4),
        "tie": round(_tie(ask, selection), 4),
        "row_complete": _row_complete(selection),
        "unknown_ids": float(unknown_ids),
        "row_conflict": _row_conflict(ask, selection),
        "qualifier_conflict": _qualifier_conflict(ask, selection),
        "asset_conflict": _asset_conflict(ask, selection),
        "attribute_absent": _attribute_absent(ask, selection),
        "id_value_absent": _id_value_absent(ask, selection),
        "object_absent": _object_absent(ask, selection),
    }


_VALUE_KINDS = ("quantity", "count", "part", "date", "frequency")
_DETERMINERS = frozenset("the a an this that these those each every our my its their your".split())


def _qualifier_conflict(ask: Ask, selection: Selection) -> float:
    """1 when the units holding a value of the asked kind name the question's thing only with another
    qualifier: "nose tire" asked, "K-34 main tire: 118 psi" shown; "lower die" asked, "upper die" shown.
    The question's qualifier is in none of them (nor their headings), and each puts a different
    word, one the question does not use, right before the thing. That value answers another question."""
    if ask.kind not in _VALUE_KINDS or not ask.subject:
        return 0.0
    raw = words(ask.question)
    asked = {stem(w) for w in raw}
    subject = set(ask.subject)
    pairs = []
    for i in range(1, len(raw) - 1):
        a, b = raw[i], raw[i + 1]
        if not (a.isalpha() and b.isalpha() and len(a) > 2 and a not in STOPWORDS and stem(a) in subject
                and stem(b) in subject):
            continue
        lead = raw[i - 1]  # a noun phrase: "the nose tire", "K-34 nose tire", "the lower die clamp bolts"
        if lead in _DETERMINERS or any(ch.isdigit() for ch in lead) or (pairs and pairs[-1][1] == stem(a)):
            pairs.append((stem(a), stem(b)))
    holders = [s for s in selection.scored if s.value]
    conflict = False
    for mod, head in pairs:
        naming = []
        for s in holders:
            unit = words(s.unit.text)
            at = [i for i, w in enumerate(unit) if same_root(stem(w), head)]
            if at:
                naming.append((s, unit, at))
        if not naming:
            continue
        for s, unit, at in naming:
            context = {stem(w) for w in unit} | set(terms(context_of(s.unit.chunk)))
            if any(same_root(mod, c) for c in context):
                return 0.0  # the question's own thing holds a value
        before = [unit[i - 1] for _, unit, at in naming for i in at if i > 0]
        if any(b.isalpha() and len(b) > 2 and b not in STOPWORDS and stem(b) not in asked for b in before):
            conflict = True
    return 1.0 if conflict else 0.0


# Words that name one particular quantity of a family, not the family itself: a "precharge" is not
# any pressure, a "clearance" not any length. A value of the family that no passage calls by that
# word answers another question ("210 bar" is a maximum pressure, not ACC-2's precharge).
SPECIFIC_ATTRIBUTES = frozenset(stem(w) for w in (
    "precharge vacuum gap clearance width thickness diameter depth height deflection runout backlash "
    "flatness sag slack stroke"
).split())


def _attribute_absent(ask: Ask, selection: Selection) -> float:
    """1 when a quantity question names a specific attribute ("nitrogen precharge", "bearing clearance")
    and no retrieved unit that holds a value of its family, nor its heading, uses that word."""
    if ask.kind != "quantity":
        return 0.0
    asked = set(terms(asking_sentence(ask.question)))  # "belt is slack ... How far do I pull them?": not slack
    specific = [a for a in ask.attribute if a in SPECIFIC_ATTRIBUTES and any(same_root(a, w) for w in asked)]
    if not specific:
        return 0.0
    return 0.0 if _holder_names(selection, specific) else 1.0


def _holder_names(selection: Selection, words: list[str]) -> bool | None:
    """Does a unit that holds a value of the asked kind, or its heading, use every one of `words`?
    None when no unit holds such a value."""
    holders = [s for s in selection.scored if s.value]
    if not holders:
        return None
    for s in holders:
        have = set(terms(s.unit.text)) | set(terms(context_of(s.unit.chunk)))
        if all(any(same_root(w, h) for h in have) for w in words):
            return True
    return False


# The thing a quantity question asks the value of: the noun phrase after "for", "of" or "on", up to a
# preposition or the end ("torque for the shank?", "part number for the cooling blast tube").
_OBJECT = re.compile(r"\b(?:for|of|on)\s+(?:the\s+|a\s+|an\s+|our\s+|its\s+|this\s+|that\s+)?"
                     r"((?:[a-z][\w-]*\s+){0,4}?[a-z][a-z-]*)(?=\s+(?:on|in|at|for|of|from|with|to|when|after|before|"
                     r"under|per|and|or)\b|\s*[?.,;:!]|\s+[-–—]|\s*$)", re.I)


def asked_object(question: str) -> str | None:
    """The head noun of the thing whose value is asked, stemmed, or None.

    >>> asked_object("Replacing a cracked weld shank on ROBOT-5 - torque for the shank?")
    'shank'
    >>> asked_object("What's the part number for the starter-generator cooling blast tube? Want to order a spare.")
    'tube'
    >>> asked_object("torque for SH-1620?") is None, asked_object("What torque, and in how many passes?") is None
    (True, True)
    """
    for m in _OBJECT.finditer(question):
        head = m.group(1).split()[-1].lower()
        if len(head) >= 3 and head not in STOPWORDS and not re.search(r"\d", head) \
                and stem(head) not in _NOT_OBJECTS:
            return stem(head)
    return None


# Words that end such a phrase without naming a thing: times, generic wholes, "the spec".
_NOT_OBJECTS = frozenset(stem(w) for w in "time times way ways type kind sort value values spec specs number numbers "
                         "amount size setting settings reading readings figure one ones it them now today tonight "
                         "monday tuesday wednesday thursday friday saturday sunday weekend morning night shift day week "
                         "month year system systems machine machines equipment unit units side job work".split())


def _object_absent(ask: Ask, selection: Selection) -> float:
    """1 when a quantity or part-number question asks the value of a thing ("torque for the shank") and
    units hold values of the asked kind, but none of them, nor their headings, names that thing: the
    values shown belong to other things ("Torque: 120 N·m · weld gun bracket bolts")."""
    if ask.kind not in ("quantity", "part"):
        return 0.0
    head = asked_object(ask.question)
    return 1.0 if head is not None and _holder_names(selection, [head]) is False else 0.0


def _id_value_absent(ask: Ask, selection: Selection) -> float:
    """1 when a quantity question names a part or asset id that retrieved passages carry, but none of
    them holds a value of the asked kind: "the torque for igniter IGN-120" where IGN-120 appears only
    in a work order that gives its gap. The documents know the part, not that value of it."""
    if ask.kind != "quantity" or not ask.identifiers:
        return 0.0
    asked = set(ask.identifiers)
    known = False
    for s in selection.scored:
        chunk = s.unit.chunk
        tokens = set(identifier_tokens(f"{chunk.title} {s.unit.text} {context_of(chunk)}")) | {
            str(a).upper() for a in chunk.asset_ids}
        if not carried(asked, tokens):
            continue
        known = True
        if s.value:
            return 0.0
    return 1.0 if known else 0.0


_LETTER_TAG = re.compile(r"\b[A-Za-z]{3,}\s+([A-Z])(?![\w'-])")


def _asset_conflict(ask: Ask, selection: Selection) -> float:
    """1 when the best evidence is a record of another asset of the same kind than the one asked
    about: "excavator D" asked, excavator C's work order shown; "PRESS-04" asked, a PRESS-03 row.
    That record answers a question about another machine.

    >>> _tags(analyse("How many hours was excavator D down in 2009?")), _same_kind("D", "C"), _same_kind("PRESS-04", "PRESS-03")
    (('D',), True, True)
    >>> _same_kind("LW-90520", "DEICE-1"), _same_kind("D", "PRESS-03")
    (False, False)
    """
    best = selection.best
    if best is None or best.unit.kind != "fields":
        return 0.0
    chunk = best.unit.chunk
    assets = {str(a).upper() for a in (*chunk.asset_ids, chunk.fields.get("asset") or "") if a}
    asked = _tags(ask)
    if not assets or not asked or assets & set(asked) or any(id_pieces(a) == id_pieces(t) for a in assets for t in asked):
        return 0.0
    return 1.0 if any(_same_kind(t, a) for t in asked for a in assets) else 0.0


def _tags(ask: Ask) -> tuple[str, ...]:
    letters = tuple(m.group(1) for m in _LETTER_TAG.finditer(ask.question) if m.group(1) not in ("A", "I"))
    return tuple(dict.fromkeys((*ask.identifiers, *letters)))


def _same_kind(asked: str, shown: str) -> bool:
    """Two tags of one scheme: single letters, or the same letters before different numbers."""
    if len(asked) == 1 or len(shown) == 1:
        return len(asked) == len(shown) == 1 and asked.isalpha() and shown.isalpha()
    a, b = id_pieces(asked), id_pieces(shown)
    return len(a) == len(b) >= 2 and a[0] == b[0] and a[0].isalpha() and a != b


def _row_conflict(ask: Ask, selection: Selection) -> float:
    """1 when the best table row lacks one subject word, only one, that another row of the same table
    holds in the same column, and no retrieved row of that table holds every subject word: "RPN of fuel
    tank overheating" shown the fuel tank's "Cracked or leaking" row while overheating is other
    rows' effect. The asked combination is not in the table; that row answers another question.
    Words that name a column ("current controls") ask for an attribute, and words of the table's
    title ("GPU" of a GPU guide) name every row; neither is subject. A row that lacks two or more
    subject words is a loose match of a situation ("engine won't crank, battery is fine"), not a
    combination the table lacks."""
    best = selection.best
    if best is None or best.unit.kind != "fields" or not best.unit.chunk.fields or not ask.subject:
        return 0.0
    fields = best.unit.chunk.fields
    named = [w for column in fields for w in terms(str(column))] + list(terms(context_of(best.unit.chunk)))
    subject = [w for w in ask.subject if not any(same_root(w, h) for h in named)]  # "GPU" of the GPU guide
    rows = [s.unit.chunk for s in selection.scored
            if s.unit.kind == "fields" and s.unit.chunk.doc_id == best.unit.chunk.doc_id and s.unit.chunk.fields]

    def lacking(row_fields) -> list[str]:
        have = [w for v in row_fields.values() for w in terms(str(v))]
        return [w for w in subject if not any(same_root(w, h) for h in have)]

    missing = lacking(fields)
    if len(missing) != 1 or any(not lacking(row.fields) for row in rows):
        return 0.0  # the row names all of the subject but one word: that slot holds another value
    for row in rows:
        if row is best.unit.chunk:
            continue
        for column, value in row.fields.items():
            if column in fields and str(fields[column]) != str(value) and any(
                    same_root(w, t) for w in missing for t in terms(str(value))):
                return 1.0
    return 0.0


def _row_complete(selection: Selection) -> float:
    best = selection.best
    if best is None or best.unit.kind != "fields":
        return 0.5
    return 1.0 if best.subject_own >= 0.999 else 0.0


def _tie(ask: Ask, selection: Selection) -> float:
    """How well the best unit holding a value of the asked kind names the subject, mostly in the
    sentences that hold the value (a heading shared by every step of a procedure says little about
    one value, and "the ram stays closed" two sentences before a clamp-bolt torque does not make it
    the ram's torque)."""
    best = selection.best
    if best is None:
        return 0.0
    if best.value is None:
        return best.subject
    return max((0.7 * _value_sentences_cover(ask, s.unit.text, s.subject_own) + 0.3 * s.subject
                for s in selection.scored if s.value), default=0.0)


def _value_sentences_cover(ask: Ask, text: str, whole: float) -> float:
    """The share of the subject named by the sentences of `text` that hold the asked value."""
    pieces = sentences(text)
    holding = [t for t in pieces if holds_value(ask, t)]
    if not holding or len(holding) == len(pieces):
        return whole
    return min(whole, subject_share(ask.subject, [w for t in holding for w in terms(t)]))


@dataclass(frozen=True)
class CoverageModel:
    """Logistic model: `weights` without the judge, `judged` with it (used when P(yes) is known)."""

    weights: Mapping[str, float]
    judged: Mapping[str, float] = field(default_factory=dict)
    threshold: float = 0.5  # with the judge
    plain_threshold: float | None = None  # without it (None: the same)
    source: str = ""  # the run the weights were fitted on

    def probability(self, values: Mapping[str, float], judge: float | None = None) -> float:
        weights = self.judged if judge is not None and self.judged else self.weights
        z = weights.get("bias", 0.0) + sum(w * values.get(k, 0.0) for k, w in weights.items() if k != "bias")
        if judge is not None and self.judged:
            z += weights.get("judge", 0.0) * judge
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def decide(self, ask: Ask, values: Mapping[str, float], judge: float | None = None,
               threshold: float | None = None) -> Coverage:
        p = self.probability(values, judge)
        shown = {**values, **({"judge": round(judge, 4)} if judge is not None else {})}
        if values.get("unknown_ids", 0.0) > 0:
            return Coverage(False, round(p, 4), shown, Reason.NOT_COVERED)
        if values.get("asset_conflict", 0.0) > 0:
            return Coverage(False, round(p, 4), shown, Reason.NOT_COVERED)
        if any(values.get(rule, 0.0) > 0 for rule in _ATTRIBUTE_RULES):
            return Coverage(False, round(p, 4), shown, Reason.ATTRIBUTE_MISSING)
        if threshold is None:
            judged = judge is not None and bool(self.judged)
            threshold = self.threshold if judged or self.plain_threshold is None else self.plain_threshold
        covered = p >= threshold
        reason = None
        if not covered:
            reason = Reason.ATTRIBUTE_MISSING if _near_miss(ask, values) else Reason.NOT_COVERED
        return Coverage(covered, round(p, 4), shown, reason)

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "CoverageModel":
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        plain = data.get("plain_threshold")
        return cls(dict(data["weights"]), dict(data.get("judged", {})), float(data.get("threshold", 0.5)),
                   None if plain is None else float(plain), str(data.get("source", "")))


# The rules that find the subject without the asked value (see the module docstring).
_ATTRIBUTE_RULES = ("row_conflict", "qualifier_conflict", "attribute_absent", "id_value_absent", "object_absent")


def _near_miss(ask: Ask, values: Mapping[str, float]) -> bool:
    """The subject is there but the asked value is not: the documents speak of it, not to it."""
    return values.get("subject", 0.0) >= NEAR_MISS_SUBJECT and (values.get("value", 0.5) < 0.5 or not ask.subject)
