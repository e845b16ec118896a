"""CSV and XLSX read natively: header detection, BOM and cp1252, ragged-row repair.

unstructured turns a sheet into one HTML table and cannot repair a row with a
stray comma in its free text, so spreadsheets are read here.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ingest.parsed import Block, ParsedTable, brief, decode_text
from ingest.parsed import fail as _fail


# Every row becomes a passage of "column: value" pairs; a wider table is a wrong
# delimiter or not a table, and the ragged-row repair is quadratic in the width.
MAX_COLUMNS = 500
# An unquoted comma in free text splits a field. A row needing more fields merged
# than this is not that; its surplus goes into the last column unrepaired.
MAX_MERGED_FIELDS = 32
# Workbooks up to this size are read with merged cells filled; cells filled per sheet at most.
MERGED_CELLS_MAX_BYTES = 20_000_000
MAX_MERGED_CELLS = 1_000_000


def read_csv(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data, fallback="cp1252")
    try:
        table = read_csv_text(text)
    except csv.Error as exc:  # e.g. "field larger than field limit (131072)": a quote left open
        raise _fail(path, f"not a readable CSV ({brief(exc)}); check for a quote left open") from exc
    except ValueError as exc:
        raise _fail(path, f"{brief(exc)}; check that the first row holds the column names") from exc
    return table


def read_xlsx(path: Path, data: bytes, ocr: bool) -> dict:
    try:
        table = read_xlsx_bytes(data)
    except ValueError as exc:
        raise _fail(path, f"{exc}; put the column names in the first row of a sheet") from exc
    except Exception as exc:  # openpyxl raises many types on damaged workbooks
        raise _fail(path, f"damaged workbook ({type(exc).__name__}); re-save it in Excel") from exc
    return table


def read_csv_text(text: str) -> dict:
    """CSV text -> headers, rows (ragged rows repaired) and source line numbers."""
    delimiter = _guess_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []  # (line where the record starts, fields)
    start = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            records.append((start, fields))  # stripped after repair: "won, t swing" keeps its space
        start = reader.line_num + 1
    return _table(records, repair=True)


def _guess_delimiter(first_line: str) -> str:
    """
    >>> _guess_delimiter("a;b;c")
    ';'"""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def read_xlsx_bytes(data: bytes) -> dict:
    """Every sheet with data -> tables; merged cells filled; sheets of one layout become one table
    with a "Sheet" column; a sheet without a header row (notes) becomes text blocks.

    Real Excel dates become ISO dates.
    """
    import openpyxl

    # Merged cells are only visible outside read-only mode, which holds the whole sheet in memory
    # (about 50x the file): bigger workbooks are read streaming, merged cells left blank.
    read_only = len(data) > MERGED_CELLS_MAX_BYTES
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    tables: list[ParsedTable] = []
    blocks: list[Block] = []
    try:
        for sheet in workbook.worksheets:
            records = _sheet_records(sheet)
            if not records:
                continue
            table = _table(records, repair=False) if _has_header(records) else None
            if table is None or not table["rows"]:
                blocks += [Block(" | ".join(v for v in fields if v), "text") for _, fields in records]
                continue
            tables.append(ParsedTable(sheet.title, table["headers"], table["rows"], table["row_numbers"]))
    finally:
        workbook.close()
    tables = merge_same_layout(tables)
    if not tables:
        if blocks:
            return {"blocks": tuple(blocks)}
        raise ValueError("workbook has no data")
    first, more = tables[0], tuple(tables[1:])
    return {"headers": first.headers, "rows": first.rows, "row_numbers": first.row_numbers,
            "table_name": first.name, "more_tables": more, "blocks": tuple(blocks),
            "metadata": {"sheet": first.name}}


def _sheet_records(sheet) -> list[tuple[int, list[str]]]:
    """(sheet row, cell texts) of the non-empty rows; a merged range's value fills all its cells."""
    merged: dict[tuple[int, int], object] = {}
    budget = MAX_MERGED_CELLS
    for rng in getattr(sheet, "merged_cells", None) and sheet.merged_cells.ranges or ():
        rows = range(rng.min_row, min(rng.max_row, sheet.max_row) + 1)
        cols = range(rng.min_col, min(rng.max_col, sheet.max_column) + 1)
        budget -= len(rows) * len(cols)
        if budget < 0:
            break  # a hostile or absurd merge: leave the rest blank rather than fill billions of cells
        value = sheet.cell(rng.min_row, rng.min_col).value
        for r in rows:
            for c in cols:
                merged[(r, c)] = value
    records = []
    for n, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
        if merged:
            values = [merged.get((n, c), v) if v is None else v for c, v in enumerate(values, 1)]
        if any(v not in (None, "") for v in values):
            records.append((n, [cell_text(v) for v in values]))
    return records


def _has_header(records: list[tuple[int, list[str]]]) -> bool:
    """At least two rows, and a row near the top with two or more filled cells."""
    return len(records) >= 2 and any(sum(1 for f in fields if f) >= 2 for _, fields in records[:10])


def merge_same_layout(tables: list[ParsedTable]) -> list[ParsedTable]:
    """Sheets with the same header row (one per year, per fleet ...) become one table with a Sheet column.

    >>> a = ParsedTable("2022", ("Tail", "Cost"), (("N1", "3"),), (2,))
    >>> b = ParsedTable("2023", ("Tail", "Cost"), (("N2", "5"),), (2,))
    >>> m = merge_same_layout([a, b])[0]
    >>> m.name, m.headers, m.rows
    ('2022, 2023', ('Sheet', 'Tail', 'Cost'), (('2022', 'N1', '3'), ('2023', 'N2', '5')))
    """
    groups: dict[tuple[str, ...], list[ParsedTable]] = {}
    for table in tables:
        groups.setdefault(tuple(h.casefold() for h in table.headers), []).append(table)
    out = []
    for same in groups.values():
        if len(same) == 1 or "sheet" in same[0].headers[0].casefold():
            out.extend(same)
            continue
        rows = tuple((t.name, *row) for t in same for row in t.rows)
        numbers = tuple(n for t in same for n in t.row_numbers)
        out.append(ParsedTable(", ".join(t.name for t in same), ("Sheet", *same[0].headers), rows, numbers))
    return out


def cell_text(value) -> str:
    """
    >>> import datetime; cell_text(datetime.datetime(2022, 3, 4)), cell_text(12.0), cell_text(None)
    ('2022-03-04', '12', '')"""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(" ", "minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(records: list[tuple[int, list[str]]], *, repair: bool) -> dict:
    at = _header_index(records)
    headers = clean_headers(records[at][1])
    if len(headers) > MAX_COLUMNS:
        raise ValueError(f"the header row has {len(headers)} columns, over the {MAX_COLUMNS} column limit")
    body = records[at + 1 :]
    if repair:
        rows = repair_rows(headers, [[f.strip() for f in fields] for _, fields in body], [fields for _, fields in body])
    else:
        rows = [tuple((fields + [""] * len(headers))[: len(headers)]) for _, fields in body]
    return {"headers": headers, "rows": tuple(rows), "row_numbers": tuple(n for n, _ in body)}


def _header_index(records: list[tuple[int, list[str]]]) -> int:
    """The first of the first 10 rows filled at least half as wide as the widest (skips title rows)."""
    if not records:
        raise ValueError("no rows")
    width = max(sum(1 for f in fields if f) for _, fields in records[:20])
    for i, (_, fields) in enumerate(records[:10]):
        if sum(1 for f in fields if f) >= max(1, width / 2):
            return i
    return 0


def clean_headers(cells: list[str]) -> tuple[str, ...]:
    """
    >>> clean_headers(["\\ufeffWO #", "", " Cost ", "Cost"])
    ('WO #', 'Column 2', 'Cost', 'Cost (2)')"""
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    out: list[str] = []
    seen: set[str] = set()  # linear: a hostile header row can hold 100,000 copies of one name
    next_n: dict[str, int] = {}  # name -> the next "(n)" to try for it
    for i, cell in enumerate(cells):
        name = " ".join(cell.replace("\ufeff", "").split()) or f"Column {i + 1}"
        base, n = name, next_n.get(name, 2)
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        next_n[base] = n
        out.append(name)
        seen.add(name)
    return tuple(out)


# --- ragged rows ------------------------------------------------------------------------------
# An unquoted comma inside free text shifts every later field one column right:
# `2003-12-31,B,won,t swing,PM01` under Date,Asset,Text,PMType,Cost. We learn each
# column's value shapes (date, number, code, text) from the rows and re-join
# extra fields into the longest free-text column where that fits the shapes better.

_SHAPES = (
    ("date", re.compile(r"^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")),
    ("number", re.compile(r"^[-+$€£]?\d[\d,]*(?:\.\d+)?%?$")),
    ("code", re.compile(r"^[A-Z0-9][A-Z0-9_./#-]{0,15}$")),
)


def value_shape(value: str) -> str:
    """
    >>> [value_shape(v) for v in ("2004-07-01", "183.05", "PM01", "won", "")]
    ['date', 'number', 'code', 'text', 'empty']"""
    if not value:
        return "empty"
    return next((name for name, pattern in _SHAPES if pattern.match(value)), "text")


def repair_rows(headers: tuple[str, ...], rows: list[list[str]], raw: list[list[str]]) -> list[tuple[str, ...]]:
    """`rows` are stripped fields (for shapes), `raw` the same unstripped (for re-joining)."""
    n = len(headers)
    profiles, text_col = _column_profiles(n, [r for r in rows if len(r) == n])
    return [_repair(fields, raw_fields, n, profiles, text_col) for fields, raw_fields in zip(rows, raw)]


def _column_profiles(n: int, rows: list[list[str]]) -> tuple[list[set[str]], int]:
    """Shapes of >= 5% (and >= 2) of each column's filled cells, and the longest free-text column."""
    sample = rows[:3000]
    profiles, lengths = [], []
    for col in range(n):
        shapes = [value_shape(r[col]) for r in sample if r[col]]
        profiles.append({s for s in set(shapes) if shapes.count(s) >= max(2, 0.05 * len(shapes))})
        texts = [len(r[col]) for r in sample if value_shape(r[col]) == "text"]
        lengths.append(sum(texts) / len(sample) if sample else 0)
    text_col = max(range(n), key=lambda c: lengths[c]) if n else 0
    return profiles, text_col


def _fit(fields: list[str], profiles: list[set[str]]) -> int:
    """+1 per cell whose shape its column has shown, -1 per misfit; blanks and unknown columns 0."""
    return sum(0 if not f or not p else (1 if value_shape(f) in p else -1) for f, p in zip(fields, profiles))


def _repair(fields: list[str], raw: list[str], n: int, profiles: list[set[str]], text_col: int) -> tuple[str, ...]:
    """Pad short rows; re-join fields into the text column when the shapes then fit better."""
    best = (fields + [""] * n)[:n] if len(fields) <= n else None
    if best is not None and _fit(best, profiles) == sum(1 for f, p in zip(best, profiles) if f and p):
        return tuple(best)  # every cell fits its column: nothing to repair
    best_score = _fit(best, profiles) if best is not None else None
    # Merging `extra` fields leaves len(fields) - extra; fewer tries than that cannot fit.
    for extra in range(max(1, len(fields) - n), min(len(fields) - text_col, MAX_MERGED_FIELDS + 1)):
        merged = fields[:text_col] + [",".join(raw[text_col : text_col + extra + 1]).strip()]
        merged += fields[text_col + extra + 1 :]
        if len(merged) > n:
            continue
        merged += [""] * (n - len(merged))
        score = _fit(merged, profiles)
        if best_score is None or score > best_score:
            best, best_score = merged, score
    return tuple(best if best is not None else fields[: n - 1] + [",".join(raw[n - 1 :]).strip()])

