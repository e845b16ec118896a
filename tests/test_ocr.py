"""Scanned PDFs (no text layer) are OCR'd with Debian's tesseract-ocr when it is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.parse import parse_file

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed")


def scanned_pdf(path: Path, lines: list[str]) -> Path:
    """An image-only PDF, as a scanner makes: text drawn on a bitmap, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1700, 2200), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    for n, line in enumerate(lines):
        draw.text((120, 150 + n * 90), line, fill="black", font=font)
    image.save(path, "PDF", resolution=200)
    return path


def test_scanned_pdf_is_read_through_ocr(tmp_path):
    pdf = scanned_pdf(tmp_path / "scan.pdf", [
        "SOP-210 Gearbox Oil Change",
        "1. Drain the gearbox oil into a clean tray.",
        "2. Refill with 12 litres of ISO VG 220 oil.",
    ])
    from pdfminer.high_level import extract_text

    assert extract_text(str(pdf)).strip() == ""  # really no text layer
    parsed = parse_file(pdf, max_bytes=50_000_000, ocr=True)
    text = " ".join(b.text for b in parsed.blocks)
    assert "Gearbox Oil Change" in text
    assert "12 litres" in text and "VG 220" in text
    assert {b.page for b in parsed.blocks} == {1}
