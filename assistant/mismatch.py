"""Real numbers tied to the wrong thing: another subject, or another quantity than the one asked.

Number checks cannot see these. "The torque for the PRESS-03 ram guide bolts is 610 N·m [1]"
citing a passage about the gland bolts holds a real number from the passage; but it repeats
"guide" and "ram", which passage 1 never mentions. "The electrode force is 3.2 kN" for a
question about current gives a force.

>>> from assistant.domain import Chunk, DocKind
>>> gland = Chunk("c", "d", "p", "Seal history", DocKind.EXPERT_NOTE, "PRESS-03 gland bolts: 610 N·m.", 0, "h")
>>> off_subject("The torque for the PRESS-03 ram guide bolts is 610 N·m [1].", [gland], "Torque for the PRESS-03 ram guide bolts?")
('guide', 'ram')
>>> off_subject("Torque the gland bolts to 610 N·m [1].", [gland], "What torque for the gland bolts?")
()
>>> other_quantity("The spindle speed is 1200 rpm [1].", "What torque for the spindle nut?")
'speed'
>>> other_quantity("Torque to 330 N·m (243 lbf·ft) [1].", "Lower die clamp bolt torque?") is None
True
"""

from __future__ import annotations

from typing import Sequence

from assistant.asks import FRAMING, analyse
from assistant.citations import split_cited
from assistant.domain import Chunk
from assistant.facts import facts
from assistant.text import families, term_set


def off_subject(answer_text: str, passages: Sequence[Chunk], question: str) -> tuple[str, ...]:
    """Question words that a sentence stating facts repeats but none of its cited passages holds."""
    ask = analyse(question)
    asked = set(ask.subject)
    missing: list[str] = []
    for sentence in split_cited(answer_text, len(passages)):
        if not sentence.cited or not facts(sentence.body).shown:
            continue
        held: set[str] = set()
        for c in sentence.cited:
            p = passages[c - 1]
            held |= term_set(f"{p.title} {' '.join(p.section_path)} {p.text}")
        missing += sorted((term_set(sentence.body) & asked) - held - FRAMING)
    return tuple(dict.fromkeys(missing))


def other_quantity(answer_text: str, question: str) -> str | None:
    """What the answer's units measure when the question asks for another quantity, else None."""
    asked = analyse(question).families - {"time"}
    if not asked:
        return None
    measured = families(answer_text)
    if not measured or asked & measured:
        return None
    return sorted(measured)[0]
