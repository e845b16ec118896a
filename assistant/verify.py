"""Trust after generation: every number and identifier must come from a cited passage.

A sentence of the answer is checked fact by fact. A fact is a number with its
unit ("95 N·m"), a bare number ("6"), a date, or an identifier ("BLT-1240").
Each must occur in a passage the sentence cites, after normalisation
("95 Nm" == "95 N·m", "1,200" == "1200"). An uncited sentence whose facts one
passage holds gets that citation; a citation that shares nothing with its
sentence is removed; a fact found nowhere fails the answer, and the caller
replaces it with `quote_fallback`.

>>> from assistant.domain import Chunk, DocKind
>>> p = Chunk("i", "SOP-104", "p", "SOP-104", DocKind.SOP, "Torque the key screws to 95 N·m (70 lbf·ft).", 0, "h")
>>> verify("Torque the key screws to 95 Nm [1].", [p])[1].passed
True
>>> verify("Torque the key screws to 59 N·m [1].", [p])[1].unsupported
('59 N·m',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Sequence

from assistant.domain import Chunk, Citation, Verification
from assistant.identifiers import identifier_tokens
from assistant.prompting import REFUSAL, passage_where

# --- citations and sentences -------------------------------------------------

_MARKER = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
# A sentence ends at . ! ? (plus any markers right after it) before space, or at a newline.
_SENTENCE_END = re.compile(r"[.!?]+(?:[ \t]*\[\d+(?:\s*[,;–-]\s*\d+)*\])*(?=\s|$)|\n")
# Text that tries to instruct the model; it has no place in an answer.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules)\b"
    r"|\byou are now\b|\bnew instructions?\b|\bsystem prompt\b",
    re.IGNORECASE,
)


_ENUMERATOR = re.compile(r"(?:\d{1,3}|[a-z])[.)]")


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    raw: str  # as written, markers included
    body: str  # markers removed
    cited: tuple[int, ...]  # valid numbers, in order of appearance
    invalid: tuple[int, ...]  # numbers outside 1..n_passages


def _marker_numbers(inner: str) -> list[int]:
    """'1, 3' -> [1, 3]; '2-4' -> [2, 3, 4]."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", inner.strip()):
        span = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", part)
        if span:
            a, b = int(span.group(1)), int(span.group(2))
            out.extend(range(a, b + 1) if 0 <= b - a < 50 else (a, b))
        else:
            out.append(int(part))
    return out


def _sentences(text: str, n_passages: int) -> list[_Sentence]:
    out: list[_Sentence] = []
    cursor = 0
    bounds = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    start = 0
    for end in bounds:
        raw = text[start:end]
        if not raw.strip():
            start = end
            continue
        if _ENUMERATOR.fullmatch(raw.strip()) and end < len(text):
            continue  # "1." of a numbered list opens the next sentence
        cursor, start = start, end
        # Markers that open a piece ("[1] Torque ..." or a lone "[2]") belong to the piece.
        numbers = [n for m in _MARKER.finditer(raw) for n in _marker_numbers(m.group(1))]
        cited = tuple(dict.fromkeys(n for n in numbers if 1 <= n <= n_passages))
        invalid = tuple(dict.fromkeys(n for n in numbers if not 1 <= n <= n_passages))
        body = re.sub(r"\s+", " ", _MARKER.sub(" ", raw)).strip()
        if not re.search(r"\w", body) and out:
            # A piece that is only markers ("... 95 N·m.\n[1]") cites the sentence before it.
            prev = out.pop()
            merged_cited = tuple(dict.fromkeys((*prev.cited, *cited)))
            merged_invalid = tuple(dict.fromkeys((*prev.invalid, *invalid)))
            out.append(_Sentence(prev.start, end, text[prev.start : end], prev.body, merged_cited, merged_invalid))
            continue
        out.append(_Sentence(cursor, end, raw, body, cited, invalid))
    return out


def parse_citations(answer_text: str, n_passages: int) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences (markers removed) with the valid passage numbers they cite.

    >>> parse_citations("Use 95 N·m [1][3]. Wear gloves [2, 9].", 3)
    [('Use 95 N·m.', (1, 3)), ('Wear gloves.', (2,))]
    """
    return [(_tidy(s.body), s.cited) for s in _sentences(answer_text, n_passages) if re.search(r"\w", s.body)]


def _tidy(body: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", body)


# --- facts -------------------------------------------------------------------

# Written unit -> canonical unit. Longest spellings first so "N·m" beats "N".
_UNIT_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"lbf?\s*[·⋅.\-*]?\s*ft|ft\s*[·⋅.\-*]?\s*lbf?s?", "lbf·ft"),
    (r"lbf?\s*[·⋅.\-*]?\s*in|in\s*[·⋅.\-*]?\s*lbf?s?", "lbf·in"),
    (r"N\s*[·⋅.\-*]?\s*m|Nm", "N·m"),
    (r"kN\s*[·⋅.\-*]?\s*m", "kN·m"),
    (r"(?:°|º|deg\.?\s*|degrees?\s+)\s*C", "°C"),
    (r"(?:°|º|deg\.?\s*|degrees?\s+)\s*F", "°F"),
    (r"l/min|lpm", "l/min"),
    (r"m3/h|m³/h", "m³/h"),
    (r"mm²|mm2", "mm²"),
    (r"MPa|kPa|Pa|bar|psi|mbar", None),
    (r"mm|cm|km|µm|um|m", None),
    (r"kN|N", None),
    (r"kg|g|t", None),
    (r"kW|W|kVA|kV|V|kA|mA|A|Hz|rpm|RPM", None),
    (r"hours?|hrs?|h|minutes?|mins?|min|seconds?|sec|s|ms", None),
    (r"mL|ml|L|l", None),
    (r"in\.?|inch(?:es)?|\"|″|ft|'", None),
    (r"%", None),
)
_UNIT_CANON = {
    "hour": "h", "hours": "h", "hr": "h", "hrs": "h", "minute": "min", "minutes": "min", "mins": "min",
    "second": "s", "seconds": "s", "sec": "s", "um": "µm", "ml": "mL", "l": "L", "in.": "in", "inch": "in",
    "inches": "in", '"': "in", "″": "in", "'": "ft", "rpm": "rpm", "RPM": "rpm",
}
_UNIT = "|".join(f"(?:{spelling})" for spelling, _ in _UNIT_SPELLINGS)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:/\d+)?"
_QUANTITY = re.compile(rf"(?<![\w.,/])(-|−)?({_NUMBER})(?:\s*({_UNIT})(?![A-Za-z]))?")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "once": "1", "twice": "2", "single": "1",
}


def _canon_unit(unit: str) -> str:
    for spelling, canon in _UNIT_SPELLINGS:
        if canon and re.fullmatch(spelling, unit, re.IGNORECASE if canon != "N·m" else 0):
            return canon
    return _UNIT_CANON.get(unit, _UNIT_CANON.get(unit.lower(), unit))


def _canon_number(number: str) -> str:
    """'1,200' -> '1200'; '0.50' -> '0.5'; '3/8' stays."""
    number = number.replace(",", "")
    if "/" in number:
        return number
    try:
        value = Decimal(number).normalize()
    except InvalidOperation:
        return number
    return format(value, "f")


@dataclass(frozen=True)
class _Facts:
    quantities: frozenset[tuple[str, str]]  # (number, unit) with unit "" for bare numbers
    identifiers: frozenset[str]
    shown: tuple[tuple[str, object], ...]  # (as written, key) in order, for messages

    @property
    def empty(self) -> bool:
        return not self.shown


def _facts(text: str, passage_side: bool = False) -> _Facts:
    """Facts of a text. The passage side also counts spelled numbers ("two passes")."""
    shown: list[tuple[str, object]] = []
    ids = identifier_tokens(text)
    masked = text
    for token in ids:
        shown.append((token, ("id", token)))
        masked = re.sub(rf"(?<![\w-]){re.escape(token)}(?![\w-])", " ", masked, flags=re.IGNORECASE)
    for match in _DATE.finditer(masked):
        shown.append((match.group(0), ("q", (match.group(0), "date"))))
    masked = _DATE.sub(" ", masked)
    quantities: set[tuple[str, str]] = set()
    for match in _QUANTITY.finditer(masked):
        sign, number, unit = match.groups()
        key = (("-" if sign else "") + _canon_number(number), _canon_unit(unit) if unit else "")
        shown.append((match.group(0).strip(), ("q", key)))
    for written, (kind, key) in shown:
        if kind == "q":
            quantities.add(key)  # type: ignore[arg-type]
    if passage_side:
        for word in re.findall(r"[A-Za-z]+", text):
            if word.lower() in _NUMBER_WORDS:
                quantities.add((_NUMBER_WORDS[word.lower()], ""))
    return _Facts(frozenset(quantities), frozenset(ids), tuple(dict.fromkeys(shown)))


def _supports(fact: tuple[str, object], passage: _Facts) -> bool:
    kind, key = fact[1]  # type: ignore[misc]
    if kind == "id":
        return key in passage.identifiers
    number, unit = key  # type: ignore[misc]
    if unit == "date":
        return key in passage.quantities
    if unit:
        return (number, unit) in passage.quantities
    # A bare number in the answer may carry a unit in the passage.
    return any(n == number for n, _ in passage.quantities)


# --- content words -----------------------------------------------------------

_STOP = frozenset(
    "the and for with from that this then than into onto your you are was were will must can may not "
    "all any each its it's has have had but use used using only also when what which who how why where "
    "step steps passage passages document documents according per out off about there their them they "
    "should does did done been being more most less least very same other such".split()
)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content_words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP}


# --- verify ------------------------------------------------------------------


def verify(answer_text: str, passages: Sequence[Chunk], truncated: bool = False) -> tuple[str, Verification]:
    """Check the answer against the passages ([n] is passages[n-1]); return cleaned text.

    Cleaning only touches citation markers: unsupported citations go, missing
    ones are added before the sentence's final punctuation. With `truncated`
    (generation hit max_tokens) an unfinished last sentence is dropped first,
    so "BLT-1" cut from "BLT-1240" is not read as a part number.
    """
    n = len(passages)
    notes: list[str] = []
    if truncated:
        answer_text = _drop_unfinished_tail(answer_text, notes)
    passage_facts = [_facts(f"{p.title}\n{passage_where(p)}\n{p.text}", passage_side=True) for p in passages]
    passage_words = [_content_words(p.text) | _content_words(p.title) for p in passages]
    unsupported: list[str] = []
    removed: list[int] = []
    out: list[str] = []
    cursor = 0
    answer_text = _drop_echoed_headings(answer_text, passages, notes)
    for sentence in _sentences(answer_text, n):
        if _INJECTION.search(sentence.body):
            unsupported.append(_tidy(sentence.body))
            notes.append(f"instruction-like text copied from a passage: {_tidy(sentence.body)!r}")
        body = re.sub(r"^(?:\d{1,3}[.)]|[-*•])\s+(?=[A-Za-z])", "", sentence.body)
        facts = _facts(body)
        words = _content_words(body)
        for bad in sentence.invalid:
            removed.append(bad)
            notes.append(f"citation [{bad}] points to no passage (there are {n})")
        keep = [c for c in sentence.cited if _cites_fairly(facts, words, passage_facts[c - 1], passage_words[c - 1])]
        if facts.shown and not any(_supports(f, passage_facts[c - 1]) for f in facts.shown for c in keep):
            keep = []  # a sentence with facts must cite a passage holding at least one of them
        for dropped in sentence.cited:
            if dropped not in keep:
                removed.append(dropped)
                notes.append(f"citation [{dropped}] removed: passage {dropped} does not support {_tidy(sentence.body)!r}")
        missing = [f for f in facts.shown if not any(_supports(f, passage_facts[c - 1]) for c in keep)]
        if missing:
            extra = _cover(missing, passage_facts, words, passage_words)
            if extra is None:
                for written, _ in missing:
                    if written not in unsupported:
                        unsupported.append(written)
                notes.append(f"unsupported in {_tidy(sentence.body)!r}: {', '.join(w for w, _ in missing)}")
            else:
                keep.extend(c for c in extra if c not in keep)
                notes.append(f"citation {', '.join(f'[{c}]' for c in extra)} added to {_tidy(sentence.body)!r}")
        out.append(answer_text[cursor : sentence.start])
        changed = tuple(keep) != sentence.cited or sentence.invalid
        out.append(_recite(sentence.raw, keep) if changed else sentence.raw)
        cursor = sentence.end
    out.append(answer_text[cursor:])
    if not re.search(r"\w", _MARKER.sub(" ", answer_text)):
        unsupported.append("(empty answer)")
        notes.append("the answer has no text besides citation markers")
    verification = Verification(
        passed=not unsupported,
        unsupported=tuple(unsupported),
        removed_citations=tuple(dict.fromkeys(removed)),
        notes=tuple(notes),
    )
    return "".join(out), verification


# A quantity's unit names what it measures: "610 N·m" is a torque even where the word is absent.
_UNIT_IMPLIED_WORDS = frozenset(_content_words(
    "torque pressure temperature speed current voltage weight load force length distance gap clearance "
    "time duration interval power flow"
))

# Question words that frame a request rather than name its subject.
_FRAMING = frozenset(_content_words(
    "max maximum min minimum value values setting settings need needs much many long often right correct "
    "allowed okay take get put check tell know give dial spec specified recommended required typical"
))


def off_subject(answer_text: str, passages: Sequence[Chunk], question: str) -> tuple[str, ...]:
    """Question words that a sentence stating facts repeats but none of its cited passages holds.

    A real number tied to the question's subject by the model is the wrong-torque hazard that
    number checks cannot see: "The torque for the PRESS-03 ram guide bolts is 610 N·m [1]",
    citing a passage about the gland bolts, repeats "guide", which passage 1 never mentions.

    >>> from assistant.domain import DocKind
    >>> gland = Chunk("c", "d", "p", "Seal history", DocKind.EXPERT_NOTE, "PRESS-03 gland bolts: 610 N·m.", 0, "h")
    >>> off_subject("The torque for the PRESS-03 ram guide bolts is 610 N·m [1].", [gland], "Torque for the PRESS-03 ram guide bolts?")
    ('guide', 'ram')
    >>> off_subject("Torque the gland bolts to 610 N·m [1].", [gland], "What torque for the gland bolts?")
    ()
    """
    asked = _content_words(question) - _FRAMING - _UNIT_IMPLIED_WORDS
    missing: list[str] = []
    for sentence in _sentences(answer_text, len(passages)):
        if not sentence.cited or not _facts(sentence.body).shown:
            continue
        held: set[str] = set()
        for c in sentence.cited:
            p = passages[c - 1]
            held |= _content_words(f"{p.title} {' '.join(p.section_path)} {p.text}")
        missing += sorted((_content_words(sentence.body) & asked) - held)
    return tuple(dict.fromkeys(missing))


# What a question asks to measure -> the canonical units that measure it.
_QUANTITY_UNITS = {
    "torque": frozenset({"N·m", "kN·m", "lbf·ft", "lbf·in"}),
    "pressure": frozenset({"MPa", "kPa", "Pa", "bar", "psi", "mbar"}),
    "temperature": frozenset({"°C", "°F"}),
    "current": frozenset({"A", "mA", "kA"}),
    "voltage": frozenset({"V", "kV"}),
    "force": frozenset({"N", "kN"}),
}
_ASKS = {
    "torque": re.compile(r"\btorque", re.I),
    "pressure": re.compile(r"\bpressure", re.I),
    "temperature": re.compile(r"\btemperature|\bhow (?:hot|cold)\b", re.I),
    # "current" alone is often "the current revision": only electrical uses count.
    "current": re.compile(r"\b(?:weld(?:ing)?|motor|rated|trip|overload|supply|load)\s+current\b|\bamps?\b|\bamperage\b", re.I),
    "voltage": re.compile(r"\bvoltage\b", re.I),
    "force": re.compile(r"\bforce\b", re.I),
}


def quantity_mismatch(answer_text: str, question: str) -> str | None:
    """The quantity an answer measures when it is not the one the question asks for.

    >>> quantity_mismatch("The electrode force is 3.2 kN [1].", "What weld current does ROBOT-4 use?")
    'force'
    >>> quantity_mismatch("Use 11.5 kA and 3.2 kN [1].", "What weld current does ROBOT-4 use?") is None
    True
    >>> quantity_mismatch("Torque to 330 N·m (243 lbf·ft) [1].", "Lower die clamp bolt torque?") is None
    True
    """
    asked = {name for name, pattern in _ASKS.items() if pattern.search(question)}
    if not asked:
        return None
    measured: list[str] = []
    for match in _QUANTITY.finditer(_MARKER.sub(" ", answer_text)):
        unit = _canon_unit(match.group(3)) if match.group(3) else ""
        for name, units in _QUANTITY_UNITS.items():
            if unit in units:
                measured.append(name)
    if not measured or asked & set(measured):
        return None
    return measured[0]


def _drop_unfinished_tail(text: str, notes: list[str]) -> str:
    """'Do A [1]. Do B to 9' -> 'Do A [1].' (the cut-off part is named in notes)."""
    stripped = text.rstrip()
    if re.search(r"[.!?:](?:[ \t]*\[[\d,\s–-]+\])*$|\]$", stripped):
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(stripped)]
    keep = stripped[: ends[-1]] if ends else ""
    notes.append(f"unfinished last sentence dropped (max_tokens reached): {stripped[len(keep):].strip()!r}")
    return keep.rstrip()


def _norm_header(text: str) -> str:
    return re.sub(r"[\W_]+", " ", _MARKER.sub(" ", text)).strip().lower()


def _drop_echoed_headings(text: str, passages: Sequence[Chunk], notes: list[str]) -> str:
    """Remove lines that only repeat a passage heading ("[1] SOP-104 ... — step 14.3")."""
    headings = {_norm_header(f"{p.title} — {passage_where(p)}") for p in passages}
    headings |= {_norm_header(p.title) for p in passages}
    kept = []
    for line in text.split("\n"):
        if line.strip() and _norm_header(line) in headings:
            notes.append(f"echoed passage heading removed: {line.strip()!r}")
        else:
            kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n") if len(kept) < len(text.split("\n")) else text


def _cites_fairly(facts: _Facts, words: set[str], passage: _Facts, passage_words: set[str]) -> bool:
    """A citation stands when its passage holds a fact or a content word of the sentence."""
    if any(_supports(f, passage) for f in facts.shown):
        return True
    return bool(words & passage_words) or (not words and facts.empty)


def _cover(
    missing: Sequence[tuple[str, object]],
    passage_facts: Sequence[_Facts],
    words: set[str],
    passage_words: Sequence[set[str]],
) -> list[int] | None:
    """Passage numbers that together hold every missing fact; None if they cannot.

    Passages sharing more content words with the sentence are tried first, then by rank.
    """
    order = sorted(range(len(passage_facts)), key=lambda i: (-len(words & passage_words[i]), i))
    chosen: list[int] = []
    left = list(missing)
    for i in order:
        if any(_supports(f, passage_facts[i]) for f in left):
            chosen.append(i + 1)
            left = [f for f in left if not _supports(f, passage_facts[i])]
        if not left:
            return sorted(chosen)
    return None


def _recite(raw: str, cited: Sequence[int]) -> str:
    """Rewrite a sentence's markers: "Use 95 N·m. [3]" with [1] -> "Use 95 N·m [1]."."""
    lead = re.match(r"\s*", raw).group(0)
    trail = re.search(r"\s*$", raw).group(0)
    core = re.sub(r"[ \t]*" + _MARKER.pattern, "", raw.strip()).strip()
    markers = "".join(f"[{c}]" for c in cited)
    if not markers:
        return lead + core + trail
    end = re.search(r"[.!?:]+$", core)
    if end:
        core = f"{core[: end.start()]} {markers}{end.group(0)}"
    else:
        core = f"{core} {markers}"
    return lead + core + trail


# --- after verification -------------------------------------------------------


def citations(answer_text: str, passages: Sequence[Chunk]) -> tuple[Citation, ...]:
    """The passages an answer cites, in order of first citation.

    >>> from assistant.domain import DocKind
    >>> p = [Chunk(str(i), "d", "p", "T", DocKind.SOP, "x", i, "h") for i in range(3)]
    >>> [c.number for c in citations("A [3]. B [1][3].", p)]
    [3, 1]
    """
    numbers = dict.fromkeys(c for _, cited in parse_citations(answer_text, len(passages)) for c in cited)
    return tuple(Citation(number, passages[number - 1]) for number in numbers)


_REFUSAL_PHRASES = re.compile(
    r"i (?:do not|don't|cannot|can't) (?:know|answer|find)|not (?:in|covered by|found in|mentioned in|provided in)"
    r" the (?:documents|passages)|the passages? (?:do|does) not|the passages? (?:don't|doesn't)|no information",
    re.IGNORECASE,
)


def is_refusal(text: str) -> bool:
    """True for the refusal sentinel, or an uncited "I don't know"-style answer.

    >>> is_refusal("NOT_IN_DOCUMENTS"), is_refusal("The passages do not say."), is_refusal("Use 95 N·m [1].")
    (True, True, False)
    """
    if REFUSAL.lower() in text.lower() or "not in documents" in text.lower().replace("_", " "):
        return True
    return bool(_REFUSAL_PHRASES.search(text)) and not _MARKER.search(text)


def safety_notes(chunks: Sequence[Chunk]) -> tuple[str, ...]:
    """The verbatim warnings of the passages used, deduplicated, in order."""
    return tuple(dict.fromkeys(w for chunk in chunks for w in chunk.warnings))


def quote_fallback(passages: Sequence[Chunk], question: str, max_passages: int = 2) -> str:
    """Quote the passage(s) that best match the question, verbatim and marked as a quote.

    A passage is ranked by the question's identifiers, numbers and content
    words it holds; ties go to the better-ranked passage. A second passage is
    quoted only when it matches as well as the first.
    """
    if not passages:
        return REFUSAL
    q_facts = _facts(question)
    q_words = _content_words(question)

    def score(chunk: Chunk) -> int:
        facts = _facts(chunk.text + " " + chunk.title, passage_side=True)
        hits = sum(3 for f in q_facts.shown if _supports(f, facts))
        suspicious = 100 if _INJECTION.search(chunk.text) else 0  # quote a passage that instructs last
        return hits + len(q_words & (_content_words(chunk.text) | _content_words(chunk.title))) - suspicious

    ranked = sorted(range(len(passages)), key=lambda i: (-score(passages[i]), i))
    best = score(passages[ranked[0]])
    chosen = [ranked[0]] + [i for i in ranked[1:max_passages] if best > 0 and score(passages[i]) >= best]
    blocks = []
    for i in sorted(chosen):
        chunk = passages[i]
        where = passage_where(chunk)
        head = f"Quoted from [{i + 1}] {chunk.title}" + (f", {where}" if where else "") + ":"
        body = "\n".join(f"> {line}" if line.strip() else ">" for line in chunk.text.strip().splitlines())
        blocks.append(f"{head}\n{body}")
    return "\n\n".join(blocks)
