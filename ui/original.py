"""A CSV or XLSX original as a page: the table the row came from, with that row marked.

The file is read again with the readers ingestion used (`ingest.parse.parse_file`),
so the row numbers are the ones the passage carries. Every cell is escaped; the
page has no script at all (the server sends it with a CSP that forbids them).

>>> from assistant.domain import Chunk, DocKind
>>> c = Chunk("c1", "t", "/x/torque.csv", "torque", DocKind.TABLE, "x", 0, "h", fields={"row": 3})
>>> t = ParsedTable("", ("Bolt", "N·m"), (("M16", "210"), ("<b>M20</b>", "330")), (2, 3))
>>> page = render_table_page(c, [t], "/source/c1?download=1")
>>> '<tr id="row-3" class="fw-marked">' in page and "&lt;b&gt;M20" in page and "<script" not in page
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from assistant.domain import Chunk
from ingest.parsed import ParsedTable
from ui.cards import esc

ROWS_AROUND = 300  # rows shown either side of the marked one; a log of 100,000 rows stays a light page
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'self'"

_STYLE = """
body { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 18px;
       margin: 0; color: #0f172a; background: #fff; }
header { position: sticky; top: 0; background: #fff; border-bottom: 2px solid #cbd5e1; padding: 12px 16px; z-index: 2; }
h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
.meta { color: #334155; font-size: 16px; }
.actions { margin-top: 8px; display: flex; gap: 12px; flex-wrap: wrap; }
.actions a { display: inline-flex; align-items: center; min-height: 48px; padding: 0 16px; border-radius: 10px;
             font-weight: 700; text-decoration: none; }
.jump { background: #1d4ed8; color: #fff; }
.download { background: #fff; color: #1e3a8a; border: 2px solid #94a3b8; }
.note { background: #fff7ed; border-left: 6px solid #c2410c; padding: 8px 12px; margin: 8px 16px; }
.wrap { overflow-x: auto; padding: 0 16px 40px; }
table { border-collapse: collapse; margin-top: 12px; font-size: 17px; }
th, td { border: 1px solid #cbd5e1; padding: 8px 10px; text-align: left; vertical-align: top; max-width: 28em;
         overflow-wrap: anywhere; }
th { background: #e2e8f0; }
td.n { color: #64748b; font-variant-numeric: tabular-nums; text-align: right; }
tr.fw-marked td { background: #fde68a; font-weight: 700; border-top: 3px solid #b45309;
                  border-bottom: 3px solid #b45309; }
tr.fw-marked td.n::before { content: "\\2192  "; }
tr.fw-marked { scroll-margin-top: 200px; }
"""


def read_tables(path: Path, max_bytes: int) -> tuple[list[ParsedTable], str]:
    """The tables of a CSV or XLSX file as ingestion reads them, and the file's SHA-256."""
    from ingest.parse import parse_file

    parsed = parse_file(path, max_bytes=max_bytes, ocr=False)
    return list(parsed.tables), parsed.file_hash


def locate(tables: Sequence[ParsedTable], row: int, sheet: str | None) -> tuple[ParsedTable, int] | None:
    """(table, index of the row in it) for file row `row`, in `sheet` when the file has several.

    >>> a = ParsedTable("2022, 2023", ("Sheet", "Tail"), (("2022", "N1"), ("2023", "N2")), (2, 2))
    >>> locate([a], 2, "2023")[1]
    1
    """
    for table in tables:
        merged = bool(table.headers) and table.headers[0] == "Sheet" and ", " in table.name
        if sheet and not merged and table.name and table.name != sheet:
            continue
        for index, number in enumerate(table.row_numbers):
            if number == row and (not merged or not sheet or table.rows[index][0] == sheet):
                return table, index
    return None


def render_table_page(chunk: Chunk, tables: Sequence[ParsedTable], download_url: str, changed: bool = False) -> str:
    """The whole page: title, where the row is, the table (a window around the row when long)."""
    row = int(chunk.fields.get("row") or 0)
    sheet = chunk.fields.get("sheet")
    found = locate(tables, row, str(sheet) if sheet else None)
    name = Path(chunk.source_path).name
    notes = []
    if changed:
        notes.append("This file has changed since it was added to the documents; the marked row may have moved. "
                     "Ask the document owner to add it again.")
    if found is None:
        notes.append(f"Row {row} is no longer in this file.")
        table_html, where = "", ""
    else:
        table, index = found
        where = f"row {row}" + (f", sheet {sheet}" if sheet else "")
        start, end = max(0, index - ROWS_AROUND), min(len(table.rows), index + ROWS_AROUND + 1)
        if start or end < len(table.rows):
            notes.append(f"Showing rows {table.row_numbers[start]} to {table.row_numbers[end - 1]} of "
                         f"{len(table.rows)}; download the file for all of them.")
        table_html = _table(table, range(start, end), index)
    head = (f'<header><h1>{esc(chunk.title or name)}</h1><div class="meta">{esc(name)}'
            + (f" · marked: {esc(where)}" if where else "") + "</div>"
            + '<div class="actions">'
            + (f'<a class="jump" href="#row-{row}">Go to the marked row</a>' if found else "")
            + f'<a class="download" href="{esc(download_url)}" download>Download the file</a></div></header>')
    body = "".join(f'<p class="note">{esc(n)}</p>' for n in notes) + f'<div class="wrap">{table_html}</div>'
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(name)} · {esc(where or 'original')}</title><style>{_STYLE}</style></head>"
            f"<body>{head}{body}</body></html>")


def _table(table: ParsedTable, indexes: range, marked: int) -> str:
    heads = "".join(f"<th>{esc(h)}</th>" for h in table.headers)
    rows = []
    for i in indexes:
        number = table.row_numbers[i]
        cells = "".join(f"<td>{esc(v)}</td>" for v in table.rows[i])
        mark = f' id="row-{int(number)}" class="fw-marked"' if i == marked else ""  # the only id: #row-N finds it
        rows.append(f'<tr{mark}><td class="n">{int(number)}</td>{cells}</tr>')
    return f'<table><thead><tr><th>Row</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def table_page(path: Path, chunk: Chunk, download_url: str, max_bytes: int) -> str:
    tables, file_hash = read_tables(path, max_bytes)
    return render_table_page(chunk, tables, download_url, changed=file_hash != chunk.file_hash)
