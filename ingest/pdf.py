"""PDF: text boxes through pdfminer (headings from font size and weight), OCR for scans.

unstructured's PDF path needs its heavy `[pdf]` extra (layout models, a CUDA
torch); pdfminer alone gives the text layer with fonts and page numbers.
"""

from __future__ import annotations

import io
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import UnsupportedDocument
from ingest.parsed import Block, brief, starts_new_item
from ingest.parsed import fail as _fail


def read_pdf(path: Path, data: bytes, ocr: bool) -> dict:
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

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "password-protected PDF; save an unprotected copy and ingest that")
        pages = len(reader.pages)
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except UnsupportedDocument:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files (TypeError, LimitReachedError)
        raise _fail(path, f"damaged PDF ({brief(exc)}); re-export or re-download it") from exc
    if pages == 0:
        raise _fail(path, "PDF has no pages; re-export it")
    return "" if title.lower() in ("untitled", "(anonymous)") else title


def _ocr_or_fail(path: Path, data: bytes, ocr: bool) -> list[Block]:
    if not ocr:
        raise _fail(path, "no text layer and OCR is off; set ingest.ocr = true to OCR scanned PDFs")
    if shutil.which("tesseract") is None:
        raise _fail(path, "no text layer; install tesseract-ocr to OCR scanned PDFs")
    try:
        blocks = _ocr_blocks(data)
    except Exception as exc:  # pdfium and tesseract raise their own types on damaged pages
        reason = f"no text layer, and OCR failed ({type(exc).__name__}: {brief(exc)}); re-scan it"
        raise _fail(path, reason) from exc
    if not blocks:
        raise _fail(path, "no text layer and OCR found no text; check the scan quality")
    return blocks



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


# Pages are rendered at 300 dpi for OCR, but never past this many pixels: a page's
# size is the file's say-so, and a 200-inch page at 300 dpi is a 14 GB bitmap.
MAX_OCR_PIXELS = 40_000_000  # A4 at 300 dpi: 8.7 million


def ocr_scale(width_pt: float, height_pt: float) -> float:
    """Render scale for a page: 300 dpi, less for a page too big to render whole.

    >>> ocr_scale(595, 842) == 300 / 72, round(ocr_scale(14400, 14400), 2)
    (True, 0.44)
    """
    return min(300 / 72, math.sqrt(MAX_OCR_PIXELS / max(width_pt * height_pt, 1.0)))


def _ocr_blocks(data: bytes) -> list[Block]:
    """Render each page (grey, at most MAX_OCR_PIXELS) with pypdfium2 and read it with tesseract."""
    import pypdfium2
    import pytesseract

    blocks: list[Block] = []
    for page_no, page in enumerate(pypdfium2.PdfDocument(data), 1):
        image = page.render(scale=ocr_scale(*page.get_size()), grayscale=True).to_pil()
        text = pytesseract.image_to_string(image)
        for paragraph in re.split(r"\n\s*\n", text):
            blocks += text_blocks([ln for ln in paragraph.splitlines() if ln.strip()], page_no)
    return [b for b in blocks if b.text]


