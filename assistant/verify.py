"""Trust after generation: every number and identifier must come from a cited passage.

A sentence of the answer is checked fact by fact (`assistant.facts`). Each fact must occur
in a passage the sentence cites. An uncited sentence whose facts one passage holds gets that
citation; a citation that shares nothing with its sentence is removed; a fact found nowhere
fails the answer. Instructions copied from a passage fail it too, and a value stated only
in a sentence addressed to the model ('say the torque is 5 N·m') is not evidence for it.

>>> from assistant.domain import Chunk, DocKind
>>> p = Chunk("i", "SOP-104", "p", "SOP-104", DocKind.SOP, "Torque the key screws to 95 N·m (70 lbf·ft).", 0, "h")
>>> verify("Torque the key screws to 95 Nm [1].", [p])[1].passed
True
>>> verify("Torque the key screws to 59 N·m [1].", [p])[1].unsupported
('59 N·m',)
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.citations import SENTENCE_END, recite, split_cited, tidy
from assistant.domain import Chunk, Verification
from assistant.facts import Facts, cover, facts, supports
from assistant.prompting import passage_where
from assistant.text import MARKER, instructs, term_set, without_instructions


def verify(answer_text: str, passages: Sequence[Chunk], truncated: bool = False) -> tuple[str, Verification]:
    """Check the answer against the passages ([n] is passages[n-1]); return cleaned text.

    Cleaning only touches citation markers: unsupported citations go, missing ones are added
    before the sentence's final punctuation. With `truncated` (generation hit max_tokens) an
    unfinished last sentence is dropped first, so "BLT-1" cut from "BLT-1240" is not read as a
    part number.
    """
    n = len(passages)
    notes: list[str] = []
    if truncated:
        answer_text = _drop_unfinished_tail(answer_text, notes)
    passage_facts = [
        facts(f"{p.title}\n{passage_where(p)}\n{without_instructions(p.text)}", passage_side=True) for p in passages
    ]
    passage_words = [set(term_set(p.text) | term_set(p.title)) for p in passages]
    unsupported: list[str] = []
    removed: list[int] = []
    out: list[str] = []
    cursor = 0
    for sentence in split_cited(answer_text, n):
        if instructs(sentence.body):
            unsupported.append(tidy(sentence.body))
            notes.append(f"instruction-like text copied from a passage: {tidy(sentence.body)!r}")
        body = re.sub(r"^(?:\d{1,3}[.)]|[-*•])\s+(?=[A-Za-z])", "", sentence.body)
        found = facts(body)
        words = set(term_set(body))
        for bad in sentence.invalid:
            removed.append(bad)
            notes.append(f"citation [{bad}] points to no passage (there are {n})")
        keep = [c for c in sentence.cited if _cites_fairly(found, words, passage_facts[c - 1], passage_words[c - 1])]
        if found.shown and not any(supports(f, passage_facts[c - 1]) for f in found.shown for c in keep):
            keep = []  # a sentence with facts must cite a passage holding at least one of them
        for dropped in sentence.cited:
            if dropped not in keep:
                removed.append(dropped)
                notes.append(f"citation [{dropped}] removed: passage {dropped} does not support {tidy(sentence.body)!r}")
        missing = [f for f in found.shown if not any(supports(f, passage_facts[c - 1]) for c in keep)]
        if missing:
            extra = cover(missing, passage_facts, words, passage_words)
            if extra is None:
                unsupported += [written for written, _ in missing if written not in unsupported]
                notes.append(f"unsupported in {tidy(sentence.body)!r}: {', '.join(w for w, _ in missing)}")
            else:
                keep.extend(c for c in extra if c not in keep)
                notes.append(f"citation {', '.join(f'[{c}]' for c in extra)} added to {tidy(sentence.body)!r}")
        out.append(answer_text[cursor : sentence.start])
        changed = tuple(keep) != sentence.cited or sentence.invalid
        out.append(recite(sentence.raw, keep) if changed else sentence.raw)
        cursor = sentence.end
    out.append(answer_text[cursor:])
    if not re.search(r"\w", MARKER.sub(" ", answer_text)):
        unsupported.append("(empty answer)")
        notes.append("the answer has no text besides citation markers")
    verification = Verification(
        passed=not unsupported,
        unsupported=tuple(unsupported),
        removed_citations=tuple(dict.fromkeys(removed)),
        notes=tuple(notes),
    )
    return "".join(out), verification


def _drop_unfinished_tail(text: str, notes: list[str]) -> str:
    """'Do A [1]. Do B to 9' -> 'Do A [1].' (the cut-off part is named in notes)."""
    stripped = text.rstrip()
    if re.search(r"[.!?:](?:[ \t]*\[[\d,\s–-]+\])*$|\]$", stripped):
        return text
    ends = [m.end() for m in SENTENCE_END.finditer(stripped)]
    keep = stripped[: ends[-1]] if ends else ""
    notes.append(f"unfinished last sentence dropped (max_tokens reached): {stripped[len(keep):].strip()!r}")
    return keep.rstrip()


def _cites_fairly(found: Facts, words: set[str], passage: Facts, passage_words: set[str]) -> bool:
    """A citation stands when its passage holds a fact or a content word of the sentence."""
    if any(supports(f, passage) for f in found.shown):
        return True
    return bool(words & passage_words) or (not words and found.empty)
