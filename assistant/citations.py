"""Citation markers in an answer: sentences with the passage numbers they cite, and rewriting them.

A sentence ends at . ! ? (plus any markers right after it) before a space, or at a newline; a
piece that is only markers ("... 95 N·m.\n[1]") cites the sentence before it.

>>> parse_citations("Use 95 N·m [1][3]. Wear gloves [2, 9].", 3)
[('Use 95 N·m.', (1, 3)), ('Wear gloves.', (2,))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.domain import Chunk, Citation
from assistant.text import MARKER, marker_numbers

SENTENCE_END = re.compile(r"[.!?]+(?:[ \t]*\[\d+(?:\s*[,;–-]\s*\d+)*\])*(?=\s|$)|\n")
_ENUMERATOR = re.compile(r"(?:\d{1,3}|[a-z])[.)]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    raw: str  # as written, markers included
    body: str  # markers removed
    cited: tuple[int, ...]  # valid numbers, in order of appearance
    invalid: tuple[int, ...]  # numbers outside 1..n_passages


def split_cited(text: str, n_passages: int) -> list[Sentence]:
    """The sentences of an answer with the passage numbers each cites."""
    out: list[Sentence] = []
    cursor = 0
    bounds = [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
    start = 0
    for end in bounds:
        raw = text[start:end]
        if not raw.strip():
            start = end
            continue
        if _ENUMERATOR.fullmatch(raw.strip()) and end < len(text):
            continue  # "1." of a numbered list opens the next sentence
        cursor, start = start, end
        numbers = [n for m in MARKER.finditer(raw) for n in marker_numbers(m.group(1))]
        cited = tuple(dict.fromkeys(n for n in numbers if 1 <= n <= n_passages))
        invalid = tuple(dict.fromkeys(n for n in numbers if not 1 <= n <= n_passages))
        body = re.sub(r"\s+", " ", MARKER.sub(" ", raw)).strip()
        if not re.search(r"\w", body) and out:
            prev = out.pop()
            merged_cited = tuple(dict.fromkeys((*prev.cited, *cited)))
            merged_invalid = tuple(dict.fromkeys((*prev.invalid, *invalid)))
            out.append(Sentence(prev.start, end, text[prev.start : end], prev.body, merged_cited, merged_invalid))
            continue
        out.append(Sentence(cursor, end, raw, body, cited, invalid))
    return out


def parse_citations(answer_text: str, n_passages: int) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences (markers removed) with the valid passage numbers they cite."""
    return [(tidy(s.body), s.cited) for s in split_cited(answer_text, n_passages) if re.search(r"\w", s.body)]


def tidy(body: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", body)


def recite(raw: str, cited: Sequence[int]) -> str:
    """Rewrite a sentence's markers: "Use 95 N·m. [3]" with [1] -> "Use 95 N·m [1]."."""
    lead = re.match(r"\s*", raw).group(0)
    trail = re.search(r"\s*$", raw).group(0)
    core = re.sub(r"[ \t]*" + MARKER.pattern, "", raw.strip()).strip()
    markers = "".join(f"[{c}]" for c in cited)
    if not markers:
        return lead + core + trail
    end = re.search(r"[.!?:]+$", core)
    if end:
        core = f"{core[: end.start()]} {markers}{end.group(0)}"
    else:
        core = f"{core} {markers}"
    return lead + core + trail


def citations(answer_text: str, passages: Sequence[Chunk]) -> tuple[Citation, ...]:
    """The passages an answer cites, in order of first citation.

    >>> from assistant.domain import DocKind
    >>> p = [Chunk(str(i), "d", "p", "T", DocKind.SOP, "x", i, "h") for i in range(3)]
    >>> [c.number for c in citations("A [3]. B [1][3].", p)]
    [3, 1]
    """
    numbers = dict.fromkeys(c for _, cited in parse_citations(answer_text, len(passages)) for c in cited)
    return tuple(Citation(number, passages[number - 1]) for number in numbers)
