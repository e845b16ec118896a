"""parse_file over real small files of every supported type, and over bad inputs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.errors import UnsupportedDocument
from ingest.parse import SUPPORTED_SUFFIXES, Block, parse_file

CORPORA = Path(__file__).resolve().parent / "fixtures" / "corpora"  # public files, provenance in its README
MB = 1_000_000


def _pdf(path: Path, lines_by_page: list[list[tuple[str, str, int]]]) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter)
    for lines in lines_by_page:
        y = 740
        for text, font, size in lines:
            c.setFont(font, size)
            c.drawString(72, y, text)
            y -= size + 10
        c.showPage()
    c.save()
    return path


@pytest.fixture
def sop_pdf(tmp_path: Path) -> Path:
    body, bold = "Helvetica", "Helvetica-Bold"
    return _pdf(tmp_path / "sop.pdf", [
        [("SOP-210 Conveyor Belt Replacement", bold, 18), ("Revision 2", body, 11), ("1. Purpose", bold, 13),
         ("Replace the belt on CONV-7 safely.", body, 11), ("2. Procedure", bold, 13),
         ("WARNING: Lock out CONV-7 before work.", body, 11), ("2.1 Remove the guard.", body, 11),
         ("2.2 Release the belt tension.", body, 11)],
        [("3. Restart", bold, 13), ("Remove your lock and restart CONV-7.", body, 11)],
    ])  # fmt: skip


def test_pdf_text_layer_titles_and_pages(sop_pdf: Path) -> None:
    parsed = parse_file(sop_pdf, max_bytes=MB)
    titles = [(b.text, b.depth) for b in parsed.blocks if b.category == "title"]
    assert titles[0] == ("SOP-210 Conveyor Belt Replacement", 0)
    assert ("2. Procedure", 1) in titles
    assert Block("2.1 Remove the guard.", "list_item", 0, 1) in parsed.blocks
    assert parsed.blocks[-1] == Block("Remove your lock and restart CONV-7.", "text", 0, 2)
    assert len(parsed.file_hash) == 64


def test_docx_headings_lists_tables_and_title(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "Die change"
    d.add_heading("SOP-104 Die Change", 0)
    d.add_heading("Procedure", 1)
    d.add_paragraph("WARNING: Release clamps only with the die closed.")
    d.add_paragraph("Close the die.", style="List Number")
    table = d.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ("Part", "Qty", "HF-2210-B", "2")):
        cell.text = text
    d.save(tmp_path / "sop.docx")
    parsed = parse_file(tmp_path / "sop.docx", max_bytes=MB)
    cats = [(b.category, b.text) for b in parsed.blocks]
    assert cats[0] == ("title", "SOP-104 Die Change")
    assert ("text", "WARNING: Release clamps only with the die closed.") in cats
    assert any(c == "list_item" and "Close the die." in t for c, t in cats)
    assert ("table", "Part: HF-2210-B | Qty: 2") in cats
    assert parsed.metadata["title"] == "Die change"


def test_pptx_slides(tmp_path: Path) -> None:
    pptx = pytest.importorskip("pptx")
    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Oven start-up"
    slide.placeholders[1].text = "Purge the oven for five minutes before ignition."
    prs.save(tmp_path / "deck.pptx")
    parsed = parse_file(tmp_path / "deck.pptx", max_bytes=MB)
    assert parsed.blocks[0].category == "title" and parsed.blocks[0].text == "Oven start-up"
    assert parsed.blocks[1].page == 1


def test_markdown_keeps_step_numbers_and_substeps() -> None:
    parsed = parse_file(Path(__file__).parent / "fixtures" / "sop_press.md", max_bytes=MB)
    texts = [b.text for b in parsed.blocks]
    assert "3. Bleed the accumulator." in texts
    assert "3.1 Open bleed valve BV-7 a quarter turn." in texts
    assert ("title", 1) == (parsed.blocks[texts.index("3. Procedure")].category, 1)
    assert "Effective: 1 March 2024" in texts


def test_html_and_txt(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<h1>Guide</h1><h2>Steps</h2><p>Check the oil level daily.</p>"
                                     "<ol><li>Open the cover</li></ol>")  # fmt: skip
    html = parse_file(tmp_path / "a.html", max_bytes=MB)
    assert [(b.category, b.depth) for b in html.blocks[:2]] == [("title", 0), ("title", 1)]
    assert html.blocks[-1].category == "list_item"
    (tmp_path / "a.txt").write_text("Author: Joe\nDate: 2023-05-01\n\nThe PUMP-4 seal leaks.\n1. do this\n2. then that\n")
    txt = parse_file(tmp_path / "a.txt", max_bytes=MB)
    assert [b.text for b in txt.blocks][-2:] == ["1. do this", "2. then that"]


def test_eml_headers_become_metadata(tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_text(
        "From: Dana Ortiz <dana@example.com>\nTo: team@example.com\nSubject: PUMP-4 seal\n"
        "Date: Tue, 14 Mar 2023 09:12:00 -0500\nContent-Type: text/plain; charset=utf-8\n\n"
        "Run the flush line for ten minutes before you change the seal.\n"
    )
    parsed = parse_file(tmp_path / "m.eml", max_bytes=MB)
    assert parsed.metadata["subject"] == "PUMP-4 seal" and parsed.metadata["date"] == "2023-03-14"
    assert "flush line" in parsed.blocks[0].text


def test_csv_bom_ragged_and_cp1252(tmp_path: Path) -> None:
    good = "".join(f"2003-07-{d:02d},B,chip light on {d},PM01,3{d}.39\n" for d in range(1, 10))
    rows = "\ufeffDate,Asset,Text,Type,Cost\n" + good + "\n2003-12-31,B,won,t swing,PM01\n"
    (tmp_path / "wo.csv").write_text(rows, encoding="utf-8")
    parsed = parse_file(tmp_path / "wo.csv", max_bytes=MB)
    assert parsed.headers == ("Date", "Asset", "Text", "Type", "Cost")
    assert parsed.rows[-1] == ("2003-12-31", "B", "won,t swing", "PM01", "")
    assert parsed.row_numbers[-2:] == (10, 12)  # the blank line 11 is skipped
    (tmp_path / "w.csv").write_bytes("Part;Name\n1;Stra\xdfe caf\xe9\n".encode("latin-1"))
    assert parse_file(tmp_path / "w.csv", max_bytes=MB).rows == (("1", "Straße café"),)


def test_csv_longer_row_merges_into_text_column(tmp_path: Path) -> None:
    lines = ["WO,Date,Problem,Cost"] + [f"{i},2022-01-0{i},pump {i} noisy,1{i}.5" for i in range(1, 8)]
    lines.append("9,2022-02-01,seal leaks, drips, smokes,12.0")
    (tmp_path / "w.csv").write_text("\n".join(lines))
    parsed = parse_file(tmp_path / "w.csv", max_bytes=MB)
    assert parsed.rows[-1] == ("9", "2022-02-01", "seal leaks, drips, smokes", "12.0")


def test_xlsx_dates_numbers_and_title_row(tmp_path: Path) -> None:
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["CMMS export, plant 2"])
    ws.append([])
    ws.append(["WO Number", "Date Created", "Asset", "Total Cost"])
    ws.append(["WO-1", datetime.datetime(2022, 3, 4), "PRESS-03", 412.5])
    ws.append(["WO-2", datetime.datetime(2022, 3, 5, 14, 30), None, 7.0])
    wb.save(tmp_path / "wo.xlsx")
    parsed = parse_file(tmp_path / "wo.xlsx", max_bytes=MB)
    assert parsed.headers == ("WO Number", "Date Created", "Asset", "Total Cost")
    assert parsed.rows == (("WO-1", "2022-03-04", "PRESS-03", "412.5"), ("WO-2", "2022-03-05 14:30", "", "7"))
    assert parsed.row_numbers == (4, 5)


def test_excavator_line_3454_repaired() -> None:
    parsed = parse_file(CORPORA / "excavator_work_orders" / "excavators.csv", max_bytes=10 * MB)
    assert len(parsed.rows) == 5485
    row = parsed.rows[parsed.row_numbers.index(3454)]
    assert row == ("2003-12-31", "B", "won,t swing", "PM01", "")
    assert parsed.rows[0] == ("2004-07-01", "A", "BUCKET WON'T OPEN", "PM01", "183.05")


# --- bad inputs ---------------------------------------------------------------------------------


def _encrypted_pdf(path: Path, source: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as out:
        writer.write(out)


def _blank_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)  # a "scan": marks, no text
    c.showPage()
    c.save()


def _make_bad(kind: str, tmp: Path, sop_pdf: Path) -> tuple[Path, dict]:
    pdf = sop_pdf.read_bytes()
    makers = {
        "corrupt_pdf": ("bad.pdf", lambda p: p.write_bytes(pdf[: len(pdf) // 3])),
        "encrypted_pdf": ("locked.pdf", lambda p: _encrypted_pdf(p, sop_pdf)),
        "empty": ("empty.txt", lambda p: p.write_bytes(b"")),
        "binary_txt": ("data.txt", lambda p: p.write_bytes(bytes(range(256)) * 4)),
        "too_big": ("big.txt", lambda p: p.write_text("word " * 400)),
        "pdf_named_docx": ("report.docx", lambda p: p.write_bytes(pdf)),
        "invalid_utf8": ("note.txt", lambda p: p.write_bytes(b"caf\xe9 au lait \xff\xfe ok")),
        "zip_not_docx": ("pack.docx", lambda p: p.write_bytes(_zip_bytes())),
        "unsupported_type": ("photo.png", lambda p: p.write_bytes(b"\x89PNG\r\n")),
        "no_text_layer": ("scan.pdf", _blank_pdf),
    }
    name, make = makers[kind]
    path = tmp / name
    make(path)
    return path, {"max_bytes": 1000 if kind == "too_big" else MB, "ocr": False if kind == "no_text_layer" else True}


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("corrupt_pdf", "damaged PDF"),
        ("encrypted_pdf", "password-protected"),
        ("empty", "empty"),
        ("binary_txt", "binary content"),
        ("too_big", "over the"),
        ("pdf_named_docx", "rename it to .pdf"),
        ("invalid_utf8", "not valid UTF-8"),
        ("zip_not_docx", "not a Word"),
        ("unsupported_type", "unsupported file type"),
        ("no_text_layer", "no text layer"),
    ],
)
def test_bad_inputs_raise_one_line_reason(kind: str, reason: str, tmp_path: Path, sop_pdf: Path) -> None:
    path, kwargs = _make_bad(kind, tmp_path, sop_pdf)
    with pytest.raises(UnsupportedDocument) as err:
        parse_file(path, **kwargs)
    message = str(err.value)
    assert message.startswith(f"{path.name}: ") and reason in message and "\n" not in message


def test_scanned_pdf_without_tesseract_says_how_to_fix(tmp_path: Path, monkeypatch) -> None:
    _blank_pdf(tmp_path / "scan.pdf")
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(UnsupportedDocument, match="no text layer; install tesseract-ocr"):
        parse_file(tmp_path / "scan.pdf", max_bytes=MB)


def test_supported_suffixes() -> None:
    assert {".pdf", ".docx", ".pptx", ".html", ".htm", ".md", ".markdown", ".txt", ".eml", ".csv", ".xlsx"} == set(
        SUPPORTED_SUFFIXES
    )
