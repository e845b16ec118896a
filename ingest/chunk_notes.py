"""Expert notes and e-mails: paragraphs of ~60-180 words, with author and date.

Leading `Author:` / `From:` / `Date:` / `Subject:` lines (or the e-mail's
headers) become fields {author, date, subject} on every chunk, an `Assets:`
line adds asset ids, and none of them is repeated as text. Very
short paragraphs are merged with the next; very long ones are split at
sentence ends.

>>> words = lambda n: "Check" + " word" * (n - 2) + " end."
>>> long = " ".join([words(10)] * 40)
>>> [len(p.split()) for p in pack_paragraphs([words(10), words(20), words(70), long])]
[100, 180, 180, 40]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from ingest.detect import iso_date
from ingest.identifiers import normalise_id

if TYPE_CHECKING:
    from assistant.domain import Chunk
    from ingest.parse import Block

MIN_WORDS, MAX_WORDS = 60, 180
_HEADER_LINE = re.compile(
    r"^\s*(author|written by|by|from|technician|date|sent|subject|re|to|cc|assets?|equipment|machines?)\s*:"
    r"\s*(.+?)\s*$",
    re.I,
)
_FIELD_OF = {"author": "author", "written by": "author", "by": "author", "from": "author",
             "technician": "author", "date": "date", "sent": "date", "subject": "subject", "re": "subject",
             "asset": "assets", "assets": "assets", "equipment": "assets", "machine": "assets", "machines": "assets"}  # fmt: skip
# Upper-case signal words, any case with a colon ("Caution:"), or the warning sign.
# "Lockout the press" is a step, not a warning.
_WARNING_UPPER = re.compile(r"^\s*(?:⚠|(?:WARNING|CAUTION|DANGER|NOTICE|LOCKOUT)\b)")
_WARNING_COLON = re.compile(r"^\s*(?:warning|caution|danger|notice|lockout)\s*[:!]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def is_warning(text: str) -> bool:
    """
    >>> is_warning("WARNING: hot"), is_warning("Caution: hot"), is_warning("Lockout the press")
    (True, True, False)
    """
    return bool(_WARNING_UPPER.match(text) or _WARNING_COLON.match(text))


def split_sentences(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Cut `text` at sentence ends into pieces of at most about `max_words` words."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if pieces and len(pieces[-1].split()) + len(sentence.split()) <= max_words:
            pieces[-1] += " " + sentence
        else:
            pieces.append(sentence)
    return pieces


def pack_paragraphs(paragraphs: Sequence[str], lo: int = MIN_WORDS, hi: int = MAX_WORDS) -> list[str]:
    """Merge short paragraphs until `lo` words, split long ones, never over `hi` when avoidable."""
    out: list[str] = []
    for paragraph in paragraphs:
        for piece in split_sentences(paragraph, hi) if len(paragraph.split()) > hi else [paragraph]:
            if out and len(out[-1].split()) < lo and len(out[-1].split()) + len(piece.split()) <= hi:
                out[-1] += "\n\n" + piece
            else:
                out.append(piece)
    return out


def note_header(blocks: Sequence["Block"], metadata: Mapping[str, str]) -> tuple[dict[str, str], int]:
    """Fields from the leading header lines (and e-mail metadata), and how many blocks they take."""
    fields = {"author": metadata.get("from", ""), "date": metadata.get("date", ""), "subject": metadata.get("subject", "")}
    used = 0
    for block in blocks[:8]:
        matches = [_HEADER_LINE.match(ln) for ln in block.text.splitlines() if ln.strip()]
        if not matches or not all(matches):
            break
        for match in matches:
            key = _FIELD_OF.get(match.group(1).lower())
            if key and not fields.get(key):
                fields[key] = match.group(2)
        used += 1
    if fields["date"]:
        fields["date"] = iso_date(fields["date"]) or fields["date"]
    return {k: v for k, v in fields.items() if v}, used


def chunk_notes(blocks: Sequence["Block"], make: Callable[..., "Chunk"], metadata: Mapping[str, str]) -> list["Chunk"]:
    """Paragraph chunks under their headings; see the module docstring."""
    # A heading first is the note's title (already the Document title), not a section.
    start = 1 if blocks and blocks[0].category == "title" and not _HEADER_LINE.match(blocks[0].text) else 0
    fields, used = note_header(blocks[start:], metadata)
    assets = tuple(normalise_id(a) for a in re.split(r"[,;/]\s*|\s+and\s+", fields.pop("assets", "")) if a.strip())
    chunks: list["Chunk"] = []
    path: list[tuple[int, str]] = []
    group: list["Block"] = []
    for block in [*blocks[start + used :], None]:
        if block is None or block.category == "title":
            chunks += _emit(group, path, fields, assets, make)
            group = []
            if block is not None:
                path = [(d, t) for d, t in path if d < block.depth] + [(block.depth, block.text)]
        else:
            group.append(block)
    return chunks


def _emit(group, path, fields, assets, make) -> list["Chunk"]:
    section = tuple(t for _, t in path)
    chunks = []
    for text in pack_paragraphs([b.text for b in group]):
        warnings = tuple(p for p in text.split("\n\n") if is_warning(p))
        page = next((b.page for b in group if b.text.startswith(text[:40])), None)
        chunks.append(make(text, section_path=section, page=page, warnings=warnings, fields=fields, assets=assets))
    return chunks
