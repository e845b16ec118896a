"""Evaluation metrics as pure functions over plain values and result records.

Every aggregate metric is a ratio of sums over questions: each question
contributes a (numerator, denominator) pair (`question_terms`), and the metric
is sum(num) / sum(den). Averages are pairs (value, 1); micro rates such as the
unsupported-number rate are (count, total). One shape serves the summary, the
per-tag breakdown and the paired bootstrap in `eval.compare`.

Text matching rules (documented here because the numbers depend on them):
- must_contain: NFKC, casefold, "·"/"-"/"_"/"/" spacing folded, whitespace dropped, so
  "95 N·m" ~ "95 N m" ~ "95 Nm"; a needle starting or ending in a digit must not touch
  another digit in the answer ("330" does not match inside "1330").
- token F1: SQuAD-style bag of word tokens (articles dropped) against the reference answer.
- nugget recall (FMEA): an ESSENTIAL nugget counts as found when every number in it
  appears in the answer AND at least NUGGET_THRESHOLD of its content words (stop words
  dropped, plural "s" stripped) appear in the answer.
- numeric fidelity: numbers, dates and identifiers (`assistant.identifiers.identifier_tokens`)
  in an answer that appear in none of its cited passages (title, locator and text).
  Citation markers [n] and list enumerators are ignored; answers computed from
  work-order records are exempt (their counts are computed, not quoted).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

from assistant.identifiers import identifier_tokens
from assistant.text import MARKER, NUMBER_WORDS, STOPWORDS, canon_number, fold, squash, stem

K_VALUES = (1, 3, 5)
NUGGET_THRESHOLD = 0.6

# -- retrieval -----------------------------------------------------------------------


def _first_hits(ranked_gold: Sequence[Sequence[int]], k: int) -> list[int]:
    """Per rank (up to k): 1 when it finds a gold source no earlier rank found."""
    found: set[int] = set()
    gains = []
    for golds in ranked_gold[:k]:
        new = set(golds) - found
        gains.append(1 if new else 0)
        found |= new
    return gains


def recall_at_k(ranked_gold: Sequence[Sequence[int]], n_gold: int, k: int) -> float:
    """Share of gold sources found in the top k; `ranked_gold[i]` lists the gold indices rank i matches.

    >>> recall_at_k([[], [0], [0, 1]], n_gold=2, k=2)
    0.5
    >>> recall_at_k([[], [0], [0, 1]], n_gold=2, k=3)
    1.0
    """
    found = {g for golds in ranked_gold[:k] for g in golds}
    return len(found) / n_gold if n_gold else 0.0


def reciprocal_rank(ranked_gold: Sequence[Sequence[int]]) -> float:
    """1 / rank of the first passage that matches any gold source (0 if none).

    >>> reciprocal_rank([[], [], [1]])
    0.3333333333333333
    """
    for rank, golds in enumerate(ranked_gold, start=1):
        if golds:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked_gold: Sequence[Sequence[int]], n_gold: int, k: int) -> float:
    """Binary-gain nDCG: a rank gains 1 when it finds a gold source not found above it.

    >>> ndcg_at_k([[0], [1]], n_gold=2, k=5)
    1.0
    >>> round(ndcg_at_k([[], [0]], n_gold=1, k=5), 3)
    0.631
    """
    if not n_gold:
        return 0.0
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(_first_hits(ranked_gold, k)))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(n_gold, k)))
    return dcg / ideal


# -- answer text ---------------------------------------------------------------------
# Text is read through `assistant.text`, the same module the assistant uses.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalise(text: str) -> str:
    """Unicode-, spacing- and thousands-separator-insensitive form of a text.

    >>> normalise("95 N·m") == normalise("95 N m") == normalise("95  nm"), normalise("47,758.71")
    (True, '47758.71')
    """
    text = re.sub(r"(?<=\d)\s+(?=\d)", "|", fold(_THOUSANDS.sub("", text)))  # "0014 · 2024" stays two numbers
    return squash(text)


def contains(answer: str, needle: str) -> bool:
    """Does `answer` contain `needle`, ignoring case, unicode forms, spacing and thousands separators?

    >>> contains("Torque to 95 N m [1].", "95 N·m"), contains("Use 1330 Nm", "330 N·m"), contains("Total 2,004,894.77", "2004894.77")
    (True, False, True)
    >>> contains("Total 25,459.90 over 42", "25459.9"), contains("Total 25,459.90", "25459")
    (True, False)
    >>> contains("- GS-23-019 · 2023-03-29", "GS-23-019")
    True
    >>> contains("Oil: ISO VG 220 (CLP 220), 6.5 L.", "6.5 L"), contains("fill 16.5 L", "6.5 L")
    (True, False)
    """
    hay, want = normalise(answer), normalise(needle)
    if not want:
        return True
    if re.fullmatch(r"-?\d+(?:\.\d+)?", want):  # a number: equal in value ("25459.9" ~ "25,459.90")
        return canon_number(want) in {canon_number(n) for n in re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?", hay)}
    pattern = re.escape(want)
    if want[0].isdigit():
        pattern = r"(?<![0-9.])(?<![0-9],)" + pattern  # not inside '1,330', but after ', ' (squashed away)
    if want[-1].isdigit():
        pattern += r"(?![0-9])"
    return re.search(pattern, hay) is not None


def must_contain_rate(answer: str, needles: Sequence[str]) -> float:
    """Share of `needles` found in `answer`.

    >>> must_contain_rate("Set 6.5 bar, then 95 Nm", ["6.5 bar", "95 N·m", "LOTO"])
    0.6666666666666666
    """
    return sum(contains(answer, n) for n in needles) / len(needles) if needles else 0.0


_ARTICLES = {"a", "an", "the"}


def words(text: str) -> list[str]:
    """Lower-case word tokens, citation markers and articles dropped.

    >>> words("The RPN is 18 [2].")
    ['rpn', 'is', '18']
    """
    text = fold(MARKER.sub(" ", text))
    return [w for w in re.findall(r"[\w.]*\w", text) if w not in _ARTICLES]


def token_f1(answer: str, reference: str) -> float:
    """SQuAD-style token F1.

    >>> round(token_f1("RPN is 18", "The RPN for the condenser is 18"), 3)
    0.75
    """
    got, want = Counter(words(answer)), Counter(words(reference))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def nugget_found(nugget: str, answer: str, threshold: float = NUGGET_THRESHOLD) -> bool:
    """The nugget rule (see module docstring): all its numbers, and enough of its content words.

    >>> nugget_found("The RPN for the condenser leaking failure mode is 18.", "Condenser: Leaking, RPN 18 [1]")
    True
    >>> nugget_found("The RPN for the condenser leaking failure mode is 18.", "Condenser: Leaking, RPN 16 [1]")
    False
    """
    have = {stem(w) for w in words(answer)}
    content = [stem(w) for w in words(nugget) if w not in STOPWORDS]
    numbers = [w for w in content if re.fullmatch(r"[\d.]+", w)]
    if any(n not in have for n in numbers):
        return False
    if not content:
        return True
    return sum(w in have for w in content) / len(content) >= threshold


def nugget_recall(nuggets: Sequence[Mapping[str, Any]], answer: str) -> float | None:
    """Share of ESSENTIAL nuggets found; None when the question has none.

    >>> nugget_recall([{"text": "RPN is 18", "essential": True}, {"text": "x", "essential": False}], "RPN 18")
    1.0
    """
    essential = [n["text"] for n in nuggets if n.get("essential")]
    if not essential:
        return None
    return sum(nugget_found(n, answer) for n in essential) / len(essential)


# -- numeric fidelity ----------------------------------------------------------------
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])")
_ENUMERATOR = re.compile(r"(?m)^\s*(?:\d{1,2}[.)]|[-*•])\s+")
def facts(text: str, passage_side: bool = False) -> set[str]:
    """Identifiers, dates and numbers of a text, canonical ('1,200.0' -> '1200').

    >>> sorted(facts("1. Torque HF-2210-B to 1,200.0 N·m on 2024-03-01 [2]"))
    ['1200', '2024-03-01', 'HF-2210-B']
    """
    text = _ENUMERATOR.sub(" ", MARKER.sub(" ", text))
    found: set[str] = set(identifier_tokens(text))
    for token in found:
        text = re.sub(rf"(?<![\w-]){re.escape(token)}(?![\w-])", " ", text, flags=re.IGNORECASE)
    found |= set(_DATE.findall(text))
    text = _DATE.sub(" ", text)
    found |= {canon_number(n) for n in _NUMBER.findall(text)}
    if passage_side:
        found |= {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS}
    return found


def unsupported_facts(answer: str, passages: Iterable[str]) -> tuple[list[str], int]:
    """(facts of the answer found in no passage, number of facts in the answer).

    >>> unsupported_facts("Torque to 330 N·m, two passes of 165 N·m [1].", ["Tighten to 330 N·m in 2 passes"])
    (['165'], 2)
    """
    wanted = facts(answer)
    have: set[str] = set()
    for text in passages:
        have |= facts(text, passage_side=True)
        have |= {t.upper() for t in re.findall(r"[\w-]+", text)}  # identifiers written inside longer tokens
    return sorted(f for f in wanted if f not in have and f.upper() not in have), len(wanted)


# -- refusal and latency ---------------------------------------------------------------


def refusal_scores(answerable: Sequence[bool], refused: Sequence[bool]) -> dict[str, float | None]:
    """Refusal precision/recall on unanswerable questions, false refusals on answerable ones.

    >>> refusal_scores([True, True, False, False], [False, True, True, False])
    {'refusal_precision': 0.5, 'refusal_recall': 0.5, 'false_refusal_rate': 0.5, 'refusal_accuracy': 0.5}
    """
    terms = [refusal_terms(a, r) for a, r in zip(answerable, refused)]
    return {name: ratio(t[name] for t in terms) for name in REFUSAL_METRICS}


REFUSAL_METRICS = ("refusal_precision", "refusal_recall", "false_refusal_rate", "refusal_accuracy")


def refusal_terms(answerable: bool, refused: bool) -> dict[str, tuple[float, float]]:
    good_refusal = float(refused and not answerable)
    return {
        "refusal_precision": (good_refusal, float(refused)),
        "refusal_recall": (good_refusal, float(not answerable)),
        "false_refusal_rate": (float(refused and answerable), float(answerable)),
        "refusal_accuracy": (float(refused != answerable), 1.0),
    }


def ratio(terms: Iterable[tuple[float, float]]) -> float | None:
    """sum(num) / sum(den), or None when nothing counts.

    >>> ratio([(1, 2), (0, 2)]), ratio([(0, 0)])
    (0.25, None)
    """
    num = den = 0.0
    for n, d in terms:
        num += n
        den += d
    return num / den if den else None


def percentiles(values: Sequence[float], qs: Sequence[int] = (50, 95)) -> dict[str, float | None]:
    """{'p50': ..., 'p95': ...} (linear interpolation), None for an empty list.

    >>> percentiles([1.0, 2.0, 3.0, 4.0])
    {'p50': 2.5, 'p95': 3.85}
    """
    if not values:
        return {f"p{q}": None for q in qs}
    import numpy as np

    return {f"p{q}": round(float(np.percentile(np.asarray(values, dtype=float), q)), 4) for q in qs}


# -- per question and summary ----------------------------------------------------------
# Metric name -> (higher is better?, group) in report order.
METRICS: dict[str, tuple[bool, str]] = {
    **{f"recall@{k}": (True, "retrieval") for k in K_VALUES},
    "mrr": (True, "retrieval"),
    "ndcg@5": (True, "retrieval"),
    "citation_precision": (True, "citations"),
    "citation_recall": (True, "citations"),
    "must_contain": (True, "answers"),
    "token_f1": (True, "answers"),
    "nugget_recall": (True, "answers"),
    "refusal_precision": (True, "refusal"),
    "refusal_recall": (True, "refusal"),
    "false_refusal_rate": (False, "refusal"),
    "refusal_accuracy": (True, "refusal"),
    "near_miss_recall": (True, "refusal"),
    "unsupported_rate": (False, "numeric fidelity"),
    "answers_with_unsupported": (False, "numeric fidelity"),
}
LATENCIES = ("retrieve", "first_token", "total")


def question_terms(record: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """One result record -> {metric: (numerator, denominator)} for the metrics it counts towards."""
    if record.get("error"):
        return {}
    terms: dict[str, tuple[float, float]] = {}
    gold = record.get("gold_sources") or []
    answerable = bool(record.get("answerable", True))
    if answerable and gold:
        ranked = [r.get("gold") or [] for r in record.get("retrieved") or []]
        for k in K_VALUES:
            terms[f"recall@{k}"] = (recall_at_k(ranked, len(gold), k), 1.0)
        terms["mrr"] = (reciprocal_rank(ranked), 1.0)
        terms["ndcg@5"] = (ndcg_at_k(ranked, len(gold), 5), 1.0)
    if record.get("refused") is not None:
        terms.update(refusal_terms(answerable, bool(record["refused"])))
        if not answerable and "near_miss" in (record.get("tags") or ()):
            terms["near_miss_recall"] = (float(bool(record["refused"])), 1.0)
    if record.get("answer") is None:  # retrieval-only run
        return terms
    terms.update(_answer_terms(record, answerable, gold))
    return terms


def _answer_terms(record: Mapping[str, Any], answerable: bool, gold: Sequence) -> dict[str, tuple[float, float]]:
    terms: dict[str, tuple[float, float]] = {}
    answer, refused = record["answer"], bool(record.get("refused"))
    cited = record.get("cited") or []
    removed = len((record.get("verification") or {}).get("removed_citations") or [])
    if cited or removed:
        good = sum(1 for c in cited if c.get("gold") or not gold)
        terms["citation_precision"] = (float(good), float(len(cited) + removed))
    if answerable and gold:
        found = {g for c in cited for g in c.get("gold") or []}
        terms["citation_recall"] = (len(found) / len(gold), 1.0)
    if answerable:
        shown = "" if refused else "\n".join([answer, *(record.get("safety") or ())])
        if record.get("must_contain"):
            terms["must_contain"] = (must_contain_rate(shown, record["must_contain"]), 1.0)
        if record.get("reference_answer"):
            terms["token_f1"] = (token_f1(shown, record["reference_answer"]), 1.0)
        recall = nugget_recall(record.get("nuggets") or [], shown)
        if recall is not None:
            terms["nugget_recall"] = (recall, 1.0)
    if not refused and not record.get("computed"):
        unsupported, total = unsupported_facts(answer, [c.get("support_text") or "" for c in cited])
        terms["unsupported_rate"] = (float(len(unsupported)), float(total))
        terms["answers_with_unsupported"] = (float(bool(unsupported)), 1.0)
    return terms


STAGES = ("delivered", "retrieval missed", "refused with evidence", "answered without the fact")


def failure_stage(record: Mapping[str, Any]) -> str | None:
    """Where an answerable question's asked fact was lost, or "delivered"; None when not judged.

    Judged are answerable questions with `must_contain` in a run that answered. The fact is
    delivered when every needle is in the shown answer; else retrieval missed it (no gold source in
    the top 5), or the answer refused with the evidence at hand, or it answered without the fact.

    >>> base = {"answerable": True, "must_contain": ["330"], "gold_sources": [{"doc": "a"}],
    ...         "retrieved": [{"gold": [0]}], "refused": False}
    >>> [failure_stage({**base, **r}) for r in ({"answer": "330 N·m [1]"}, {"answer": "See [1]."},
    ...  {"answer": "Not covered.", "refused": True}, {"answer": "?", "retrieved": [{"gold": []}]})]
    ['delivered', 'answered without the fact', 'refused with evidence', 'retrieval missed']
    """
    if record.get("error") or record.get("answer") is None or not record.get("answerable", True):
        return None
    if not record.get("must_contain"):
        return None
    terms = _answer_terms(record, True, record.get("gold_sources") or [])
    if terms["must_contain"][0] >= 1.0:
        return "delivered"
    ranked = [r.get("gold") or [] for r in (record.get("retrieved") or [])[:5]]
    if record.get("gold_sources") and not any(ranked):
        return "retrieval missed"
    return "refused with evidence" if record.get("refused") else "answered without the fact"


def summarise_records(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Metrics, latency percentiles and counts over a list of records (no per-tag breakdown)."""
    per_q = [question_terms(r) for r in records]
    metrics = {name: ratio(t[name] for t in per_q if name in t) for name in METRICS}
    support = {name: sum(1 for t in per_q if name in t and t[name][1] > 0) for name in METRICS}
    latency = {name: percentiles([r["timings"][name] for r in records if name in (r.get("timings") or {})])
               for name in LATENCIES}
    latency["prompt_tokens"] = percentiles([r["prompt_tokens"] for r in records if r.get("prompt_tokens")])
    unsupported = sorted({f for r in records for f in (r.get("unsupported") or [])})
    return {
        "questions": len(records),
        "answerable": sum(1 for r in records if r.get("answerable", True)),
        "errors": sum(1 for r in records if r.get("error")),
        "metrics": metrics,
        "support": support,  # how many questions each metric is computed over
        "latency": latency,
        "unsupported_examples": unsupported[:50],
        "stages": {name: sum(1 for r in records if failure_stage(r) == name) for name in STAGES},
    }


def summarise(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """`summarise_records` overall and for every tag."""
    out = summarise_records(records)
    tags = sorted({t for r in records for t in r.get("tags") or []})
    out["by_tag"] = {tag: summarise_records([r for r in records if tag in (r.get("tags") or [])]) for tag in tags}
    for part in out["by_tag"].values():
        part.pop("unsupported_examples", None)
        part.pop("stages", None)
    return out


def is_failure(record: Mapping[str, Any]) -> bool:
    """A question worth a human look: error, wrong refusal decision, missed gold, missing text, invented number."""
    if record.get("error"):
        return True
    terms = question_terms(record)

    def below(name: str, floor: float = 1.0) -> bool:
        return name in terms and terms[name][1] > 0 and terms[name][0] / terms[name][1] < floor

    return (
        below("refusal_accuracy")
        or below("recall@5", 1e-9)
        or below("must_contain")
        or below("nugget_recall")
        or ("unsupported_rate" in terms and terms["unsupported_rate"][0] > 0)
    )


