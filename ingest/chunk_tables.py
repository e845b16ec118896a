"""Tables to chunks and typed SQL tables: one row per chunk, every row also a SQL row.

A table whose columns read as a maintenance log (dated records with a problem
or action text, see `assistant.tables.columns`) becomes work orders: one compact
line per record, with its fields mapped whatever the export calls them. Any
other table (FMEA, specs, a parts catalogue, a troubleshooting table) becomes
one chunk per row, each cell labelled with its header; blank cells of leading
merged-cell columns are filled down first.

>>> from ingest.parse import ParsedFile
>>> from pathlib import Path
>>> parsed = ParsedFile(Path("wo.csv"), "h", headers=("WO Number", "Date Created", "Asset", "Problem Description",
...     "Action Taken", "Failure Code", "Total Cost", "Tech"), rows=tuple((f"WO-22-001{n}", "3/4/2022", "PRESS-03",
...     "Oil leak at ram seal", "Replaced seal", "LEAK", "$412.50", "JR") for n in (7, 8, 9)), row_numbers=(2, 3, 4))
>>> table = parsed.tables[0]
>>> columns = infer_columns(table.headers, table.rows)
>>> log_record(table, columns, table.rows[0], 2, "wo").text
'Work order WO-22-0017 | 2022-03-04 | PRESS-03 | Problem: Oil leak at ram seal | Action: Replaced seal | Failure code: LEAK | Cost: 412.50 | Tech: JR'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from assistant.domain import DocKind
from assistant.tables.columns import Column, header_hint, infer_columns, looks_like_log
from assistant.tables.store import TableWrite
from assistant.text import iso_date, parse_number
from ingest.identifiers import normalise_id
from ingest.tabular import value_shape

if TYPE_CHECKING:
    from assistant.domain import Chunk, Document
    from ingest.parse import ParsedFile, ParsedTable

Row = tuple[str, ...]
_LABELS = {"problem": "Problem", "action": "Action", "failure_code": "Failure code"}
_ROLE_FIELDS = ("wo_id", "date", "asset", "problem", "action", "failure_code", "cost")


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
    """Blank cells of the leading hierarchical columns take the value above.

    >>> headers = ("Subsystem", "Component", "Failure Mode", "RPN")
    >>> rows = [("Power Unit", "Fuel Tank", "Leaking", "8"), ("", "", "Cracked", "12"), ("", "Cooler", "", "")]
    >>> fill_down(headers, rows)[2]
    ('Power Unit', 'Cooler', 'Cracked', '')
    """
    depth = hierarchical_columns(headers, rows)
    out: list[Row] = []
    for row in rows:
        if out and depth:
            row = tuple(v or out[-1][i] for i, v in enumerate(row[:depth])) + tuple(row[depth:])
        out.append(tuple(row))
    return out


def row_text(headers: Sequence[str], row: Row) -> str:
    """
    >>> row_text(("Subsystem", "RPN", "Note"), ("Power Unit", "12", ""))
    'Subsystem: Power Unit | RPN: 12'
    """
    return " | ".join(f"{h}: {v}" for h, v in zip(headers, row) if v)


@dataclass(frozen=True)
class LogRecord:
    text: str
    fields: Mapping[str, Any]  # wo_id, date, asset, problem, action, failure_code, cost, row, sheet + other columns


def log_record(table: "ParsedTable", columns: Sequence[Column], row: Row, number: int, stem: str) -> LogRecord:
    """One maintenance-log row as a work order: its mapped fields and one readable line."""
    by_role = {c.role: i for i, c in enumerate(columns) if c.role}
    raw = {role: row[i] for role, i in by_role.items() if i < len(row)}
    fields: dict[str, Any] = {f: raw.get(f) or None for f in _ROLE_FIELDS}
    sheet = _sheet_of(table, row)
    fields["wo_id"] = raw.get("wo_id") or (f"{stem}#{sheet}-{number}" if sheet else f"{stem}#{number}")
    fields["date"] = iso_date(raw.get("date", "")) if raw.get("date") else None
    fields["cost"] = parse_number(raw.get("cost", ""))
    fields["row"] = number
    if sheet:
        fields["sheet"] = sheet
    # columns the line has no place for (a person role included) keep their header: "Tech: JR"
    extras = {c.name: row[i] for i, c in enumerate(columns)
              if c.role not in _ROLE_FIELDS and i < len(row) and row[i]}
    extras.pop("Sheet", None) if sheet else None
    fields.update({h: v for h, v in extras.items() if h not in fields})
    parts = [f"Work order {fields['wo_id']}", fields["date"] or raw.get("date"), fields["asset"]]
    parts += [f"{label}: {fields[f]}" for f, label in _LABELS.items() if fields[f]]
    if fields["cost"] is not None:
        parts.append(f"Cost: {fields['cost']:.2f}")
    parts += [f"{h}: {v}" for h, v in extras.items()]
    return LogRecord(" | ".join(p for p in parts if p), fields)


def _sheet_of(table: "ParsedTable", row: Row) -> str | None:
    """The sheet a row came from: its Sheet column in merged sheets, else the table's sheet name."""
    if table.headers and table.headers[0] == "Sheet" and ", " in table.name:
        return row[0]
    return table.name if table.name and not table.name.startswith("table ") else None


def is_log(kind: DocKind, columns: Sequence[Column]) -> bool:
    """A table is read as work orders when it looks like a log, or when it is filed as one and has their text."""
    if kind is DocKind.TABLE:
        return False
    if kind is DocKind.WORK_ORDER:
        return bool({"problem", "action"} & {c.role for c in columns})
    return looks_like_log(columns)


def chunk_tables(
    doc: "Document", parsed: "ParsedFile", make: Callable[..., "Chunk"], overrides: Mapping[str, str] | None = None
) -> tuple[list["Chunk"], list[TableWrite]]:
    """Chunks of every table of a file, and the typed tables with each row's chunk id."""
    chunks: list["Chunk"] = []
    writes: list[TableWrite] = []
    for table in parsed.tables:
        rows = fill_down(table.headers, table.rows)
        columns = infer_columns(table.headers, rows, overrides)
        log = is_log(doc.kind, columns)
        ids: list[str] = []
        for row, number in zip(rows, table.row_numbers):
            chunk = _row_chunk(table, columns, row, number, log, parsed, make)
            if chunk is not None:
                chunks.append(chunk)
            ids.append(chunk.chunk_id if chunk is not None else "")
        kind = DocKind.WORK_ORDER.value if log else DocKind.TABLE.value
        writes.append(TableWrite(table.name, kind, columns, rows, table.row_numbers, ids))
    return chunks, writes


def _row_chunk(table, columns, row: Row, number: int, log: bool, parsed, make) -> "Chunk | None":
    if not any(row):
        return None
    if log:
        record = log_record(table, columns, row, number, parsed.path.stem)
        asset = record.fields.get("asset")
        return make(record.text, fields=record.fields, assets=(normalise_id(asset),) if asset else (),
                    section_path=table.section_path, kind=DocKind.WORK_ORDER)
    fields: dict[str, Any] = {**dict(zip(table.headers, row)), "row": number}
    sheet = _sheet_of(table, row)
    if sheet:
        fields["sheet"] = sheet
    asset_col = next((i for i, c in enumerate(columns) if c.role == "asset" and header_hint(c, "asset")), None)
    assets = (normalise_id(row[asset_col]),) if asset_col is not None and row[asset_col] else ()
    return make(row_text(table.headers, row), fields=fields, section_path=table.section_path,
                kind=DocKind.TABLE, assets=assets)
