"""Read one file into structural blocks (documents) or aligned rows (tables).

`parse_file` is the only door: it checks size, sniffs the real type from the
bytes, and hands the file to one reader. Prose formats go through
unstructured (PDF through pdfminer directly, because unstructured's PDF
extra is not installed); CSV and XLSX are read natively because unstructured
turns a sheet into one HTML table and chokes on ragged rows.

>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "wo.csv"
>>> _ = p.write_text("WO,Text,Cost\\n1,seal leak,12.5\\n2,won,t swing,3\\n")
>>> f = parse_file(p, max_bytes=10_000)
>>> f.headers, f.rows[1], f.row_numbers
(('WO', 'Text', 'Cost'), ('2', 'won,t swing', '3'), (2, 3))
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from assistant.domain import sha256_hex
from assistant.errors import UnsupportedDocument
from ingest.archive import check_archive
from ingest.eml import email_body, email_headers
from ingest.offline_nlp import quiet_unstructured, use_bundled_spacy_model
from ingest.parsed import Block, ParsedFile, ParsedTable, brief, decode_text, looks_binary, starts_new_item
from ingest.parsed import fail as _fail
from ingest.pdf import read_pdf
from ingest.tabular import clean_headers, read_csv, read_xlsx

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".pdf", ".docx", ".pptx", ".html", ".htm", ".md", ".markdown", ".txt", ".eml", ".csv", ".xlsx"}
)
# suffix -> the real type the bytes must have
_TYPE_OF_SUFFIX = {
    ".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".xlsx": "xlsx", ".html": "html", ".htm": "html",
    ".md": "md", ".markdown": "md", ".txt": "txt", ".eml": "eml", ".csv": "csv",
}  # fmt: skip
_ZIP_MARKERS = {"word/document.xml": "docx", "ppt/presentation.xml": "pptx", "xl/workbook.xml": "xlsx"}
_ZIP_KINDS = frozenset(_ZIP_MARKERS.values())

# unstructured element category -> Block.category (others become "text")
_CATEGORIES = {"Title": "title", "ListItem": "list_item", "Table": "table"}
_DROPPED_CATEGORIES = {"PageBreak", "Header", "Footer", "PageNumber", "Image"}



def parse_file(path: Path, *, max_bytes: int, ocr: bool = True) -> ParsedFile:
    """Parse `path` or raise `UnsupportedDocument` saying why and how to fix it."""
    path = Path(path)
    data = _read_checked(path, max_bytes)
    kind = sniff_type(path, data)
    if kind in _ZIP_KINDS:
        check_archive(path, data, max_bytes=max_bytes)  # before any reader inflates a part whole
    parsed = _READERS[kind](path, data, ocr)
    return ParsedFile(path=path, file_hash=sha256_hex(data), **parsed)



def _read_checked(path: Path, max_bytes: int) -> bytes:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = " ".join(sorted(SUPPORTED_SUFFIXES))
        raise _fail(path, f"unsupported file type '{path.suffix or '(none)'}'; supported: {kinds}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror}); check the path and permissions") from exc
    if size == 0:
        raise _fail(path, "file is empty; re-export or re-copy it")
    if size > max_bytes:
        raise _fail(
            path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit; "
            "split it or raise ingest.max_file_mb",
        )  # fmt: skip
    return path.read_bytes()


def sniff_type(path: Path, data: bytes) -> str:
    """The real type of `data`; a mismatch with the file's suffix is an error.

    >>> sniff_type(Path("a.txt"), b"hello")
    'txt'
    """
    expected = _TYPE_OF_SUFFIX[path.suffix.lower()]
    actual = _type_from_bytes(path, data, expected)
    if actual != expected:
        suffix = {"docx": ".docx", "pptx": ".pptx", "xlsx": ".xlsx", "pdf": ".pdf"}.get(actual, ".txt")
        raise _fail(path, f"content is {actual.upper()} but the name ends in {path.suffix}; rename it to {suffix}")
    return actual


def _type_from_bytes(path: Path, data: bytes, expected: str) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(path, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(path, "legacy or password-protected Office file; save an unprotected .docx/.xlsx/.pptx copy")
    if expected in ("pdf", "docx", "pptx", "xlsx"):
        raise _fail(path, f"not a valid {expected.upper()} file (damaged, or another format renamed)")
    if looks_binary(data):
        raise _fail(path, "binary content, not text; open it and re-save as plain text")
    return expected


def _zip_type(path: Path, data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise _fail(path, "damaged ZIP/Office file (truncated?); re-save or re-copy it") from exc
    for marker, kind in _ZIP_MARKERS.items():
        if marker in names:
            return kind
    raise _fail(path, "ZIP archive that is not a Word, PowerPoint or Excel file; unzip it and ingest the files")




# --- prose through unstructured -------------------------------------------------------------


def _blocks_from_elements(elements) -> tuple[tuple[Block, ...], tuple[ParsedTable, ...]]:
    """unstructured elements -> Blocks (titles keep their depth, page numbers kept) and the tables.

    A table of at least two data rows and two columns becomes a `ParsedTable` (its rows are
    chunked and queried as a table) and leaves the blocks; a smaller one stays a text block.
    """
    blocks: list[Block] = []
    tables: list[ParsedTable] = []
    headings: list[tuple[int, str]] = []
    for el in elements:
        text = (el.text or "").strip()
        if not text or el.category in _DROPPED_CATEGORIES:
            continue
        category = _CATEGORIES.get(el.category, "text")
        html = getattr(el.metadata, "text_as_html", None) if category == "table" else None
        if html:
            grid = html_table_grid(html)
            if len(grid) >= 3 and len(grid[0]) >= 2:
                headers = clean_headers(grid[0])
                rows = tuple(tuple((r + [""] * len(headers))[: len(headers)]) for r in grid[1:])
                path = tuple(t for _, t in headings[1:]) if len(headings) > 1 else ()
                tables.append(ParsedTable(f"table {len(tables) + 1}", headers, rows,
                                          tuple(range(2, len(rows) + 2)), path))
                continue
            text = html_table_text(html) or text
        depth = el.metadata.category_depth or 0 if category == "title" else 0
        if category == "title":
            headings = [h for h in headings if h[0] < depth] + [(depth, text)]
        blocks.append(Block(text, category, depth, el.metadata.page_number))
    return tuple(blocks), tuple(tables)


def html_table_grid(html: str, max_cells: int = 200_000) -> list[list[str]]:
    """Rows of cell texts with row and column spans filled, empty rows dropped.

    >>> html_table_grid('<table><tr><td rowspan="2">Hot</td><td>Fan</td></tr><tr><td>Belt</td></tr></table>')
    [['Hot', 'Fan'], ['Hot', 'Belt']]
    """
    import lxml.html

    grid: list[list[str]] = []
    carry: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) from a rowspan above
    cells = 0
    for tr in lxml.html.fromstring(html).xpath("//tr"):
        row: list[str] = []
        col = 0
        for cell in tr.xpath("./th|./td"):
            while col in carry:
                left, value = carry[col]
                row.append(value)
                carry = {**carry, col: (left - 1, value)} if left > 1 else {k: v for k, v in carry.items() if k != col}
                col += 1
            value = " ".join(cell.text_content().split())
            span = min(_span(cell, "colspan"), 100)
            down = min(_span(cell, "rowspan"), 1000)
            for _ in range(span):
                row.append(value)
                if down > 1:
                    carry[col] = (down - 1, value)
                col += 1
        while col in carry:
            left, value = carry[col]
            row.append(value)
            carry = {**carry, col: (left - 1, value)} if left > 1 else {k: v for k, v in carry.items() if k != col}
            col += 1
        cells += len(row)
        if cells > max_cells:
            break
        if any(row):
            grid.append(row)
    return grid


def _span(cell, name: str) -> int:
    try:
        return max(1, int(cell.get(name) or 1))
    except ValueError:
        return 1


def html_table_text(html: str) -> str:
    """One line per row, cells labelled with the header row, so a row reads on its own.

    >>> html_table_text("<table><tr><th>Part</th><th>Qty</th></tr><tr><td>HF-2210</td><td>2</td></tr></table>")
    'Part: HF-2210 | Qty: 2'
    """
    rows = html_table_grid(html)
    if len(rows) < 2:
        return " | ".join(" | ".join(r) for r in rows)
    header = rows[0]
    return "\n".join(" | ".join(f"{h}: {v}" if h else v for h, v in zip(header, r) if v) for r in rows[1:])


def _partition(path: Path, function_name: str, **kwargs) -> tuple[Block, ...]:
    quiet_unstructured()
    use_bundled_spacy_model()
    import importlib

    module_name, _, func = function_name.rpartition(".")
    partition = getattr(importlib.import_module(f"unstructured.partition.{module_name}"), func)
    try:
        elements = partition(**kwargs)
    except UnsupportedDocument:
        raise
    except Exception as exc:  # unstructured raises many types for damaged files
        reason = f"could not be parsed ({type(exc).__name__}: {brief(exc)}); re-save or re-export it"
        raise _fail(path, reason) from exc
    return _blocks_from_elements(elements)


def _read_docx(path: Path, data: bytes, ocr: bool) -> dict:
    blocks, tables = _partition(path, "docx.partition_docx", file=io.BytesIO(data))
    return {"blocks": blocks, "more_tables": tables, "metadata": _docx_properties(data)}


def _docx_properties(data: bytes) -> dict[str, str]:
    import docx

    try:  # reading a damaged core.xml fails on attribute access too
        props = docx.Document(io.BytesIO(data)).core_properties
        pairs = {"title": props.title, "author": props.author, "revision": str(props.revision or "")}
    except Exception:  # properties are a nicety; the body already parsed
        return {}
    return {k: v.strip() for k, v in pairs.items() if v and v.strip() and v != "0"}


def _read_pptx(path: Path, data: bytes, ocr: bool) -> dict:
    blocks, tables = _partition(path, "pptx.partition_pptx", file=io.BytesIO(data))
    return {"blocks": blocks, "more_tables": tables}


def _read_html(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data)
    blocks, tables = _partition(path, "html.partition_html", text=text)
    return {"blocks": blocks, "more_tables": tables}


def _read_txt(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data)
    text = bounded_spaces(_one_item_per_line(text))
    return {"blocks": _partition(path, "text.partition_text", text=text)[0]}


def _read_md(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data)
    text = tame_brackets(markdown_keep_numbers(text))
    blocks, tables = _partition(path, "md.partition_md", text=text)
    return {"blocks": blocks, "more_tables": tables}


_MANY_BRACKETS = 256
_BLANK_LINE = re.compile(r"(\n[^\S\n]*\n)")


def tame_brackets(text: str) -> str:
    """Escape "[" in a paragraph holding hundreds: Python-Markdown's link matching is quadratic
    in unmatched brackets (8,000 take 8 s, 200,000 hours); a real paragraph has a few.

    >>> tame_brackets("See [1].\\n\\n" + "[" * 300)[:14]
    'See [1].\\n\\n\\\\[\\\\['
    """
    paragraphs = _BLANK_LINE.split(text)
    return "".join(p.replace("[", "\\[") if p.count("[") > _MANY_BRACKETS else p for p in paragraphs)


_NUMBERED_LINE = re.compile(r"^[ \t]*(\d{1,3}(?:\.\d{1,3})+|\d{1,3}(?=[.)]))([.)])?[ \t]+(?=\S)")
_FIELD_LINE = re.compile(r"^[ \t]*[A-Z][\w /-]{1,30}:[ \t]+\S")


def markdown_keep_numbers(text: str) -> str:
    """Rewrite numbered lines so Markdown keeps their numbers and each stays its own paragraph.

    Markdown renders `3. x` as an `<ol>` item and drops the "3", and an indented
    `4.1 y` becomes part of item 4. Steps need their numbers, so each numbered
    line (and each `Key: value` header line) becomes a separate paragraph.

    >>> markdown_keep_numbers("1. Stop\\n   1.1 Press STOP")
    '1\\\\. Stop\\n\\n1.1 Press STOP\\n'
    """
    out: list[str] = []
    for line in text.splitlines():
        match = _NUMBERED_LINE.match(line)
        if match and not line.lstrip().startswith("|"):
            number, dot = match.group(1), match.group(2) or ""
            escaped = f"{number}\\{dot}" if dot else number
            out += ["", escaped + " " + line[match.end() :], ""]
        elif _FIELD_LINE.match(line):
            out += ["", line.strip(), ""]
        else:
            out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + "\n"


_LONG_SPACE = re.compile(r"[^\S\n]{64,}")


def bounded_spaces(text: str) -> str:
    """Cut runs of spaces and tabs to 8: unstructured's paragraph regex (\\s*\\n\\s*) is
    quadratic in a run without a newline (150,000 tabs take 20 s, a megabyte hours).

    >>> bounded_spaces("Part" + " " * 100 + "Qty")
    'Part        Qty'
    """
    return _LONG_SPACE.sub(lambda m: m[0][:8], text)


def _one_item_per_line(text: str) -> str:
    """Plain text: numbered, bulleted, warning and `Key: value` lines start a new paragraph."""
    out: list[str] = []
    for line in text.splitlines():
        if out and out[-1] and starts_new_item(line):
            out.append("")
        out.append(line.strip() if starts_new_item(line) else line)
    return "\n".join(out)




def _read_eml(path: Path, data: bytes, ocr: bool) -> dict:
    metadata = email_headers(path, data)
    kind, body = email_body(path, data)
    if kind == "html":
        blocks = _partition(path, "html.partition_html", text=body)[0]
    else:
        blocks = _partition(path, "text.partition_text", text=bounded_spaces(body))[0]
    return {"blocks": blocks, "metadata": metadata}


_READERS = {
    "pdf": read_pdf, "docx": _read_docx, "pptx": _read_pptx, "html": _read_html, "md": _read_md,
    "txt": _read_txt, "eml": _read_eml, "csv": read_csv, "xlsx": read_xlsx,
}  # fmt: skip
