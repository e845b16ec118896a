"""Reference tables (FMEA, specs, BOMs): one row per chunk, cells labelled with their headers.

Spreadsheets exported with merged cells leave the leading, hierarchical
columns blank below the first row of each group; those are filled down so
every row reads on its own.

>>> headers = ("Subsystem", "Component", "Failure Mode", "RPN")
>>> rows = [("Power Unit", "Fuel Tank", "Leaking", "8"), ("", "", "Cracked", "12"), ("", "Cooler", "", "")]
>>> fill_down(headers, rows)[2]
('Power Unit', 'Cooler', 'Cracked', '')
>>> row_text(headers, fill_down(headers, rows)[1])
'Subsystem: Power Unit | Component: Fuel Tank | Failure Mode: Cracked | RPN: 12'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from ingest.tabular import value_shape

if TYPE_CHECKING:
    from assistant.domain import Chunk
    from ingest.parse import ParsedFile

Row = tuple[str, ...]


def hierarchical_columns(headers: Sequence[str], rows: Sequence[Row]) -> int:
    """How many leading columns are merged-cell groups: text columns with blanks, from column 0.

    A blank in such a column means "same as above". The run stops at the first
    column that is never blank or is mostly numbers (Severity, RPN, Qty).
    """
    count = 0
    for col in range(len(headers)):
        values = [r[col] for r in rows]
        filled = [v for v in values if v]
        numeric = sum(value_shape(v) in ("number", "date") for v in filled) > len(filled) / 2
        if not rows or not rows[0][col] or numeric or len(filled) == len(values):
            break
        count += 1
    return count


def fill_down(headers: Sequence[str], rows: Sequence[Row]) -> list[Row]:
    """Blank cells of the leading hierarchical columns take the value above."""
    depth = hierarchical_columns(headers, rows)
    out: list[Row] = []
    for row in rows:
        if out and depth:
            row = tuple(v or out[-1][i] for i, v in enumerate(row[:depth])) + tuple(row[depth:])
        out.append(tuple(row))
    return out


def row_text(headers: Sequence[str], row: Row) -> str:
    return " | ".join(f"{h}: {v}" for h, v in zip(headers, row) if v)


def chunk_table(parsed: "ParsedFile", make: Callable[..., "Chunk"]) -> list["Chunk"]:
    chunks = []
    for row, number in zip(fill_down(parsed.headers, parsed.rows), parsed.row_numbers):
        if any(row):
            fields = {**dict(zip(parsed.headers, row)), "row": number}
            chunks.append(make(row_text(parsed.headers, row), fields=fields))
    return chunks
