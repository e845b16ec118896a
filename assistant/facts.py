"""The facts of a text that an answer must not invent: numbers with units, dates, identifiers.

"95 Nm" and "95 N·m" are one fact; "1,200" and "1200" too. A passage supports an answer's
fact when it holds the same number with the same unit (a bare number in the answer may
carry a unit in the passage), the same date, or the same identifier. Spelled numbers
("two passes") count on the passage side.

>>> f = facts("Torque BLT-1240 to 95 Nm on 2024-03-01.")
>>> [written for written, _ in f.shown]
['BLT-1240', '2024-03-01', '95 Nm']
>>> supports(f.shown[2], facts("Torque to 95 N·m (70 lbf·ft).", passage_side=True))
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.identifiers import identifier_tokens
from assistant.text import DATE, NUMBER_WORDS, QUANTITY, canon_number, canon_unit

Fact = tuple[str, tuple]  # (as written, ("id", token) | ("q", (number, unit)))


@dataclass(frozen=True)
class Facts:
    quantities: frozenset[tuple[str, str]]  # (number, unit), unit "" for bare numbers, "date" for dates
    identifiers: frozenset[str]
    shown: tuple[Fact, ...]  # in order, for messages

    @property
    def empty(self) -> bool:
        return not self.shown


def facts(text: str, passage_side: bool = False) -> Facts:
    """Facts of a text. The passage side also counts spelled numbers ("two passes")."""
    shown: list[Fact] = []
    ids = identifier_tokens(text)
    masked = text
    for token in ids:
        shown.append((token, ("id", token)))
        masked = re.sub(rf"(?<![\w-]){re.escape(token)}(?![\w-])", " ", masked, flags=re.IGNORECASE)
    for match in DATE.finditer(masked):
        shown.append((match.group(0), ("q", (match.group(0), "date"))))
    masked = DATE.sub(" ", masked)
    for match in QUANTITY.finditer(masked):
        sign, number, unit = match.groups()
        key = (("-" if sign else "") + canon_number(number), canon_unit(unit) if unit else "")
        shown.append((match.group(0).strip(), ("q", key)))
    quantities = {key for _, (kind, key) in shown if kind == "q"}
    if passage_side:
        for word in re.findall(r"[A-Za-z]+", text):
            if word.lower() in NUMBER_WORDS:
                quantities.add((NUMBER_WORDS[word.lower()], ""))
    return Facts(frozenset(quantities), frozenset(ids), tuple(dict.fromkeys(shown)))


def supports(fact: Fact, passage: Facts) -> bool:
    kind, key = fact[1]
    if kind == "id":
        return key in passage.identifiers
    number, unit = key
    if unit:
        return (number, unit) in passage.quantities
    return any(n == number for n, _ in passage.quantities)  # a bare number may carry a unit in the passage


def cover(missing: Sequence[Fact], passage_facts: Sequence[Facts], words: set[str],
          passage_words: Sequence[set[str]]) -> list[int] | None:
    """Passage numbers that together hold every missing fact; None if they cannot.

    Passages sharing more content words with the sentence are tried first, then by rank.
    """
    order = sorted(range(len(passage_facts)), key=lambda i: (-len(words & passage_words[i]), i))
    chosen: list[int] = []
    left = list(missing)
    for i in order:
        if any(supports(f, passage_facts[i]) for f in left):
            chosen.append(i + 1)
            left = [f for f in left if not supports(f, passage_facts[i])]
        if not left:
            return sorted(chosen)
    return None
