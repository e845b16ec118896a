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

import csv
import io
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from assistant.domain import sha256_hex
from assistant.errors import UnsupportedDocument
from ingest.offline_nlp import quiet_unstructured, use_bundled_spacy_model

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".pdf", ".docx", ".pptx", ".html", ".htm", ".md", ".markdown", ".txt", ".eml", ".csv", ".xlsx"}
)
# suffix -> the real type the bytes must have
_TYPE_OF_SUFFIX = {
    ".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".xlsx": "xlsx", ".html": "html", ".htm": "html",
    ".md": "md", ".markdown": "md", ".txt": "txt", ".eml": "eml", ".csv": "csv",
}  # fmt: skip
_ZIP_MARKERS = {"word/document.xml": "docx", "ppt/presentation.xml": "pptx", "xl/workbook.xml": "xlsx"}

# unstructured element category -> Block.category (others become "text")
_CATEGORIES = {"Title": "title", "ListItem": "list_item", "Table": "table"}
_DROPPED_CATEGORIES = {"PageBreak", "Header", "Footer", "PageNumber", "Image"}


@dataclass(frozen=True)
class Block:
    """One structural element of a document."""

    text: str
    category: str  # "title" | "text" | "list_item" | "table"
    depth: int = 0  # heading level for titles (0 = top)
    page: int | None = None


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    file_hash: str  # sha256 of the bytes
    blocks: tuple[Block, ...] = ()  # documents
    headers: tuple[str, ...] = ()  # tabular files: cleaned header names
    rows: tuple[tuple[str, ...], ...] = ()  # tabular rows aligned to headers
    row_numbers: tuple[int, ...] = ()  # source line / sheet row of each row
    metadata: Mapping[str, str] = field(default_factory=dict)  # email from/to/date/subject, title

    @property
    def is_tabular(self) -> bool:
        return bool(self.headers)


def parse_file(path: Path, *, max_bytes: int, ocr: bool = True) -> ParsedFile:
    """Parse `path` or raise `UnsupportedDocument` saying why and how to fix it."""
    path = Path(path)
    data = _read_checked(path, max_bytes)
    kind = sniff_type(path, data)
    parsed = _READERS[kind](path, data, ocr)
    return ParsedFile(path=path, file_hash=sha256_hex(data), **parsed)


def _fail(path: Path, reason: str) -> UnsupportedDocument:
    return UnsupportedDocument(f"{path.name}: {reason}")


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
    if _looks_binary(data):
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


def _looks_binary(data: bytes) -> bool:
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
        raise _fail(path, f"not valid UTF-8 text (byte {exc.start}); re-save it as UTF-8") from exc


# --- prose through unstructured -------------------------------------------------------------


def _blocks_from_elements(elements) -> tuple[Block, ...]:
    """unstructured elements -> Blocks (titles keep their depth, page numbers kept)."""
    blocks = []
    for el in elements:
        text = (el.text or "").strip()
        if not text or el.category in _DROPPED_CATEGORIES:
            continue
        category = _CATEGORIES.get(el.category, "text")
        if category == "table" and getattr(el.metadata, "text_as_html", None):
            text = html_table_text(el.metadata.text_as_html) or text
        depth = el.metadata.category_depth or 0 if category == "title" else 0
        blocks.append(Block(text, category, depth, el.metadata.page_number))
    return tuple(blocks)


def html_table_text(html: str) -> str:
    """One line per row, cells labelled with the header row, so a row reads on its own.

    >>> html_table_text("<table><tr><th>Part</th><th>Qty</th></tr><tr><td>HF-2210</td><td>2</td></tr></table>")
    'Part: HF-2210 | Qty: 2'
    """
    import lxml.html

    rows = [
        [" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
        for tr in lxml.html.fromstring(html).xpath("//tr")
    ]
    rows = [r for r in rows if any(r)]
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
        raise _fail(path, f"could not be parsed ({type(exc).__name__}: {exc}); re-save or re-export it") from exc
    return _blocks_from_elements(elements)


def _read_docx(path: Path, data: bytes, ocr: bool) -> dict:
    blocks = _partition(path, "docx.partition_docx", file=io.BytesIO(data))
    return {"blocks": blocks, "metadata": _docx_properties(data)}


def _docx_properties(data: bytes) -> dict[str, str]:
    import docx

    try:
        props = docx.Document(io.BytesIO(data)).core_properties
    except Exception:  # properties are a nicety; the body already parsed
        return {}
    pairs = {"title": props.title, "author": props.author, "revision": str(props.revision or "")}
    return {k: v.strip() for k, v in pairs.items() if v and v.strip() and v != "0"}


def _read_pptx(path: Path, data: bytes, ocr: bool) -> dict:
    return {"blocks": _partition(path, "pptx.partition_pptx", file=io.BytesIO(data))}


def _read_html(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data)
    return {"blocks": _partition(path, "html.partition_html", text=text)}


def _read_txt(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data)
    return {"blocks": _partition(path, "text.partition_text", text=_one_item_per_line(text))}


def _read_md(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data)
    return {"blocks": _partition(path, "md.partition_md", text=markdown_keep_numbers(text))}


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


def _one_item_per_line(text: str) -> str:
    """Plain text: numbered, bulleted, warning and `Key: value` lines start a new paragraph."""
    out: list[str] = []
    for line in text.splitlines():
        if out and out[-1] and starts_new_item(line):
            out.append("")
        out.append(line.strip() if starts_new_item(line) else line)
    return "\n".join(out)


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


def _read_eml(path: Path, data: bytes, ocr: bool) -> dict:
    metadata = email_headers(path, data)
    blocks = _partition(path, "email.partition_email", file=io.BytesIO(data))
    return {"blocks": blocks, "metadata": metadata}


def email_headers(path: Path, data: bytes) -> dict[str, str]:
    """From/To/Subject and the date (ISO) of an .eml file."""
    from email import policy
    from email.parser import BytesParser
    from email.utils import parsedate_to_datetime

    msg = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    if not msg.keys():
        raise _fail(path, "no e-mail headers found; save the message as .eml from the mail client")
    out = {k: str(msg[k]).strip() for k in ("from", "to", "subject") if msg[k]}
    try:
        out["date"] = parsedate_to_datetime(str(msg["date"])).date().isoformat()
    except (TypeError, ValueError):
        pass
    return out


# --- PDF --------------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes, ocr: bool) -> dict:
    title = _check_pdf_readable(path, data)
    try:
        blocks = _pdf_layout_blocks(data)
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise _fail(path, f"damaged PDF ({type(exc).__name__}); re-export or re-download it") from exc
    if not any(b.text.strip() for b in blocks):
        blocks = _ocr_or_fail(path, data, ocr)
    return {"blocks": tuple(blocks), "metadata": {"title": title} if title else {}}


def _check_pdf_readable(path: Path, data: bytes) -> str:
    """Raise on encrypted or unreadable PDFs (checked with pypdf first); return the title."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "password-protected PDF; save an unprotected copy and ingest that")
        pages = len(reader.pages)
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except UnsupportedDocument:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise _fail(path, f"damaged PDF ({exc}); re-export or re-download it") from exc
    if pages == 0:
        raise _fail(path, "PDF has no pages; re-export it")
    return "" if title.lower() in ("untitled", "(anonymous)") else title


def _ocr_or_fail(path: Path, data: bytes, ocr: bool) -> list[Block]:
    if not ocr:
        raise _fail(path, "no text layer and OCR is off; set ingest.ocr = true to OCR scanned PDFs")
    if shutil.which("tesseract") is None:
        raise _fail(path, "no text layer; install tesseract-ocr to OCR scanned PDFs")
    blocks = _ocr_blocks(data)
    if not blocks:
        raise _fail(path, "no text layer and OCR found no text; check the scan quality")
    return blocks


# --- tables -----------------------------------------------------------------------------------


def _read_csv(path: Path, data: bytes, ocr: bool) -> dict:
    text = decode_text(path, data, fallback="cp1252")
    try:
        table = read_csv_text(text)
    except (ValueError, csv.Error) as exc:
        raise _fail(path, f"{exc}; check that the first row holds the column names") from exc
    return table


def _read_xlsx(path: Path, data: bytes, ocr: bool) -> dict:
    try:
        table = read_xlsx_bytes(data)
    except ValueError as exc:
        raise _fail(path, f"{exc}; put the column names in the first row of the first sheet") from exc
    except Exception as exc:  # openpyxl raises many types on damaged workbooks
        raise _fail(path, f"damaged workbook ({type(exc).__name__}); re-save it in Excel") from exc
    return table


def _pdf_layout_blocks(data: bytes) -> list[Block]:
    """Text boxes from pdfminer; larger or all-bold short boxes become titles."""
    boxes = _pdf_boxes(data)
    body = _body_font_size(boxes)
    heading_sizes = sorted({b.size for b in boxes if b.size > body + 0.8}, reverse=True)
    repeated = _running_headers(boxes)
    blocks: list[Block] = []
    run: list[_PdfBox] = []  # consecutive body boxes, joined where a sentence runs on
    for box in boxes:
        if _normalise_digits(box.text) in repeated:
            continue
        is_heading = (box.size > body + 0.8 or (box.bold and box.size >= body)) and len(box.text.split()) <= 15
        if is_heading and len(box.lines) <= 2:
            blocks += _run_blocks(run)
            run = []
            depth = heading_sizes.index(box.size) if box.size in heading_sizes else len(heading_sizes)
            blocks.append(Block(" ".join(box.lines), "title", depth, box.page))
        else:
            run.append(box)
    return blocks + _run_blocks(run)


def _run_blocks(run: list[_PdfBox]) -> list[Block]:
    """A box continues the previous one unless it starts an item or the previous ended a sentence."""
    blocks: list[Block] = []
    for box in run:
        if blocks and not starts_new_item(box.lines[0]) and not re.search(r"[.!?:;]$", blocks[-1].text):
            lines = [blocks.pop().text, *box.lines]
            blocks += text_blocks(lines, box.page)
        else:
            blocks += text_blocks(box.lines, box.page)
    return blocks


@dataclass(frozen=True)
class _PdfBox:
    page: int
    lines: tuple[str, ...]
    size: float  # font size of most characters
    bold: bool

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _pdf_boxes(data: bytes) -> list[_PdfBox]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer

    boxes = []
    for page_no, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            lines = tuple(t for line in box if (t := _clean_pdf_line(line.get_text())))
            chars = [c for line in box for c in line if isinstance(c, LTChar) and c.get_text().strip()]
            if lines and chars:
                sizes = [round(c.size, 1) for c in chars]
                bold = all(re.search(r"bold|black|heavy", c.fontname, re.I) for c in chars)
                boxes.append(_PdfBox(page_no, lines, max(set(sizes), key=sizes.count), bold))
    return boxes


def _clean_pdf_line(line: str) -> str:
    """Unmapped glyphs pdfminer prints as "(cid:127)" are bullets in practice; squeeze spaces.

    >>> _clean_pdf_line("(cid:127) Personal lock  and tag")
    '- Personal lock and tag'
    """
    line = re.sub(r"^\s*\(cid:\d+\)\s*", "- ", line)
    return " ".join(re.sub(r"\(cid:\d+\)", " ", line).split())


def _body_font_size(boxes: list[_PdfBox]) -> float:
    weight: dict[float, int] = {}
    for box in boxes:
        weight[box.size] = weight.get(box.size, 0) + len(box.text)
    return max(weight, key=weight.get) if weight else 0.0


def _normalise_digits(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _running_headers(boxes: list[_PdfBox]) -> set[str]:
    """Short boxes repeated on most pages ("SOP-101 Rev D  Page 2 of 5") are page furniture."""
    pages = {b.page for b in boxes}
    if len(pages) < 2:
        return set()
    seen: dict[str, set[int]] = {}
    for box in boxes:
        if len(box.text.split()) <= 12:
            seen.setdefault(_normalise_digits(box.text), set()).add(box.page)
    return {text for text, on in seen.items() if len(on) >= max(2, 0.6 * len(pages))}


_LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|[a-z][.)]|step\s+\d+[.:)]?|[-*•▪‣])\s", re.I)


def text_blocks(lines: tuple[str, ...] | list[str], page: int | None = None) -> list[Block]:
    """Wrapped lines -> Blocks: a numbered, bulleted or WARNING line starts a new block.

    >>> [b.text for b in text_blocks(["4. Stop the", "pump.", "4.1 Press STOP."])]
    ['4. Stop the pump.', '4.1 Press STOP.']
    """
    items: list[list[str]] = []
    for line in lines:
        if not items or starts_new_item(line):
            items.append([])
        items[-1].append(line.strip())
    blocks = []
    for item in items:
        text = " ".join(item)
        blocks.append(Block(text, "list_item" if _LIST_MARKER.match(text) else "text", 0, page))
    return blocks


def _ocr_blocks(data: bytes) -> list[Block]:
    """Render each page at 300 dpi with pypdfium2 and read it with tesseract."""
    import pypdfium2
    import pytesseract

    blocks: list[Block] = []
    for page_no, page in enumerate(pypdfium2.PdfDocument(data), 1):
        text = pytesseract.image_to_string(page.render(scale=300 / 72).to_pil())
        for paragraph in re.split(r"\n\s*\n", text):
            blocks += text_blocks([ln for ln in paragraph.splitlines() if ln.strip()], page_no)
    return [b for b in blocks if b.text]


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
    """First non-empty sheet -> headers and rows; real Excel dates become ISO dates."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            records = [
                (n, [cell_text(v) for v in values])
                for n, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
                if any(v not in (None, "") for v in values)
            ]
            if records:
                return _table(records, repair=False) | {"metadata": {"sheet": sheet.title}}
    finally:
        workbook.close()
    raise ValueError("workbook has no data")


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
    for i, cell in enumerate(cells):
        name = " ".join(cell.replace("\ufeff", "").split()) or f"Column {i + 1}"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
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
    for extra in range(1, len(fields) - text_col):
        merged = fields[:text_col] + [",".join(raw[text_col : text_col + extra + 1]).strip()]
        merged += fields[text_col + extra + 1 :]
        if len(merged) > n:
            continue
        merged += [""] * (n - len(merged))
        score = _fit(merged, profiles)
        if best_score is None or score > best_score:
            best, best_score = merged, score
    return tuple(best if best is not None else fields[: n - 1] + [",".join(raw[n - 1 :]).strip()])


_READERS = {
    "pdf": _read_pdf, "docx": _read_docx, "pptx": _read_pptx, "html": _read_html, "md": _read_md,
    "txt": _read_txt, "eml": _read_eml, "csv": _read_csv, "xlsx": _read_xlsx,
}  # fmt: skip
