"""What parsing produces: blocks for documents, aligned rows for tables; shared helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from assistant.errors import UnsupportedDocument


@dataclass(frozen=True)
class Block:
    """One structural element of a document."""

    text: str
    category: str  # "title" | "text" | "list_item" | "table"
    depth: int = 0  # heading level for titles (0 = top)
    page: int | None = None


@dataclass(frozen=True)
class ParsedTable:
    """One table: a CSV, a sheet (or sheets of one layout), or a table inside a document."""

    name: str  # "" for a CSV, the sheet name, or "table 2" for a document's second table
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # aligned to headers, merged cells filled
    row_numbers: tuple[int, ...]  # CSV line / sheet row / row inside the document table
    section_path: tuple[str, ...] = ()  # headings above a table inside a document


@dataclass(frozen=True)
class ParsedFile:
    """A parsed file: blocks for documents; for spreadsheets, the first table in `headers`/`rows`
    and any further sheets (or a document's tables) in `more_tables`."""

    path: Path
    file_hash: str  # sha256 of the bytes
    blocks: tuple[Block, ...] = ()  # documents (and text-only sheets)
    headers: tuple[str, ...] = ()  # tabular files: cleaned header names of the first table
    rows: tuple[tuple[str, ...], ...] = ()  # its rows aligned to headers
    row_numbers: tuple[int, ...] = ()  # source line / sheet row of each row
    metadata: Mapping[str, str] = field(default_factory=dict)  # email from/to/date/subject, title
    table_name: str = ""  # the first table's sheet name ("" for a CSV)
    more_tables: tuple[ParsedTable, ...] = ()

    @property
    def is_tabular(self) -> bool:
        """A spreadsheet: its content is tables (documents with tables inside are not)."""
        return bool(self.headers)

    @property
    def tables(self) -> tuple[ParsedTable, ...]:
        first = (ParsedTable(self.table_name, self.headers, self.rows, self.row_numbers),) if self.headers else ()
        return first + self.more_tables



def fail(path: Path, reason: str) -> UnsupportedDocument:
    """The one-line error for a file: `<name>: <reason and fix>` (a name can hold a newline).

    >>> str(fail(Path("a\\nb.txt"), "file is empty"))
    'a b.txt: file is empty'
    """
    return UnsupportedDocument(" ".join(f"{path.name}: {reason}".splitlines()))


def brief(exc: BaseException, limit: int = 160) -> str:
    """A third-party exception's message on one short line, for `fail` reasons.

    >>> brief(ValueError("line 1\\n" + "x" * 300))[-12:]
    'xxxxxxxxx...'
    """
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean "not text" (UTF-16 is not accepted)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05



def decode_text(path: Path, data: bytes, *, fallback: str | None = None) -> str:
    """UTF-8 (with or without BOM); `fallback` (e.g. "cp1252") for spreadsheets exported on Windows.

    >>> decode_text(Path("a.csv"), "caf\\xe9".encode("cp1252"), fallback="cp1252")
    'café'
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback:
            try:
                return data.decode(fallback)
            except UnicodeDecodeError:
                pass
        raise fail(path, f"not valid UTF-8 text (byte {exc.start}); re-save it as UTF-8") from exc



_ITEM_START = re.compile(
    r"^\s*(?:\d{1,3}(?:\.\d{1,3})+\.?\s|\d{1,3}[.)]\s|step\s+\d|[-*•▪‣]\s|[A-Z][\w /-]{1,30}:\s"
    r"|(?:warning|caution|danger|notice|lockout|note)\b|⚠)",
    re.IGNORECASE,
)


def starts_new_item(line: str) -> bool:
    """
    >>> starts_new_item("4.2 Close valve"), starts_new_item("and then")
    (True, False)"""
    return bool(_ITEM_START.match(line))
