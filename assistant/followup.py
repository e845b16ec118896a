"""Resolve a follow-up ("and on PRESS-02?", "what about rev B?") against the conversation.

Deterministic rewriting, no LLM call: a short question that leans on the
previous one is merged into it, and identifiers it names replace those of the
same family in the previous question (PRESS-03 -> PRESS-02, rev C -> rev B).

>>> resolve("and on PRESS-02?", ["When was the last hydraulic leak on PRESS-03?"])
'When was the last hydraulic leak on PRESS-02?'
>>> resolve("What about rev B?", ["What torque for the die clamp bolts in SOP-104 rev C?"])
'What torque for the die clamp bolts in SOP-104 rev B?'
>>> resolve("How do I drain the compressor?", ["When was the last leak on PRESS-03?"])
'How do I drain the compressor?'
>>> resolve("and on excavator C?", ["How many leaks on excavator B?"]), resolve("what about on E?", ["Most expensive job on excavator A?"])
('How many leaks on excavator C?', 'Most expensive job on excavator E?')
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.identifiers import identifier_tokens

_LEAD = re.compile(
    r"^\s*(and|also|what about|how about|same for|same on|and for|and on|and in|what of|then)\b[\s,:]*", re.I
)
_PRONOUN = re.compile(r"\b(it|that|this|those|these|there|them|same)\b", re.I)
_REV = re.compile(r"\brev(?:ision)?\.?\s*([A-Z]|\d+(?:\.\d+)?)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# "excavator B", "unit C", "tail N27315": a thing named by a noun and a short name.
_NAMED = re.compile(r"\b(excavator|unit|machine|asset|truck|aircraft|tail|press|line|pump|robot|cell|station|loader|"
                    r"vehicle|crane|conveyor|oven|compressor)\s+([A-Z0-9][A-Za-z0-9-]{0,7})\b", re.I)
_BARE_NAME = re.compile(r"^(?:on|for|about|with)?\s*([A-Z][A-Z0-9-]{0,5})$")


def is_follow_up(question: str) -> bool:
    words = re.findall(r"\w+", question)
    return bool(_LEAD.match(question)) or (len(words) <= 6 and bool(_PRONOUN.search(question)))


def _family(token: str) -> str:
    """'PRESS-03' -> 'PRESS', 'WO-22-0017' -> 'WO', 'E47' -> 'E'."""
    match = re.match(r"[A-Z]+", token.upper())
    return match.group(0) if match else ""


def resolve(question: str, previous_questions: Sequence[str]) -> str:
    """The question to retrieve with: itself, or merged into the last one."""
    if not previous_questions or not is_follow_up(question):
        return question
    base = previous_questions[-1].strip()
    rest = _LEAD.sub("", question).strip().rstrip("?").strip()
    replaced = False
    for new in identifier_tokens(rest):
        for old in identifier_tokens(base):
            if _family(old) == _family(new) and old != new:
                base = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, base, flags=re.I)
                replaced = True
    for new_rev in _REV.findall(rest):
        if _REV.search(base):
            base = _REV.sub(lambda m: m.group(0)[: -len(m.group(1))] + new_rev, base, count=1)
        else:
            base = f"{base.rstrip('?')} (revision {new_rev})?"
        replaced = True
    named_base = _NAMED.search(base)
    if named_base and not replaced:
        named_new = _NAMED.search(rest)
        bare = _BARE_NAME.match(rest)
        new = named_new.group(2) if named_new and named_new.group(1).lower() == named_base.group(1).lower() else (
            bare.group(1) if bare else None)
        if new and new != named_base.group(2):
            base = base[: named_base.start(2)] + new + base[named_base.end(2):]
            replaced = True
    for new_year in _YEAR.findall(rest):
        if _YEAR.search(base):
            base = _YEAR.sub(new_year, base, count=1)
            replaced = True
    if replaced:
        return base
    return f"{base.rstrip('?')} ({rest})?" if rest else base
