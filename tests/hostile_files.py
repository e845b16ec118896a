"""Small valid documents of every supported type, and Hypothesis strategies that break them.

`seed_files()` builds one tiny real file per type (reportlab, python-docx,
openpyxl, python-pptx, plain text); the strategies mutate their bytes the way
damaged downloads, bad exports and hostile senders do: truncation, flipped
bytes, spliced garbage, NUL bytes, huge lines, other encodings and BOMs,
another type's content under the name, damage inside a zip member's XML,
deep HTML nesting, ragged CSV rows and giant fields.

>>> sorted(seed_files())[:3]
['.csv', '.docx', '.eml']
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from functools import lru_cache

from hypothesis import strategies as st

from sample_plant.build import normalize_zip  # fixed timestamps: derandomized runs see the same bytes

SOP_LINES = ("SOP-901 Press Guard Check rev B", "1. Stop PRESS-09 and lock it out.",
             "WARNING: Keep hands clear of the die.", "2. Test the light curtain with the test rod.")  # fmt: skip


@lru_cache(maxsize=1)
def seed_files() -> dict[str, bytes]:
    """suffix -> bytes of a small valid file of that type."""
    text = "\n".join(SOP_LINES) + "\n"
    return {
        ".pdf": _pdf(),
        ".docx": _docx(),
        ".xlsx": _xlsx(),
        ".pptx": _pptx(),
        ".csv": b"WO,Date,Asset,Problem,Cost\n1,2022-01-03,PRESS-09,guard switch loose,12.5\n"
        b"2,2022-02-11,PRESS-09,light curtain fault,80\n3,2022-03-01,HPU-3,filter clogged,45\n",
        ".eml": b"From: Dana <dana@example.com>\nTo: team@example.com\nSubject: PRESS-09 guard\n"
        b"Date: Tue, 14 Mar 2023 09:12:00 -0500\nContent-Type: text/plain; charset=utf-8\n\n"
        b"Test the PRESS-09 light curtain every shift.\n",
        ".html": b"<html><body><h1>SOP-901 Press Guard Check</h1><h2>Procedure</h2><p>Stop PRESS-09.</p>"
        b"<ol><li>Lock it out.</li></ol><table><tr><th>Part</th><th>Qty</th></tr>"
        b"<tr><td>HF-2210</td><td>2</td></tr></table></body></html>",
        ".md": ("# SOP-901 Press Guard Check\n\n## 1. Procedure\n\n" + text).encode(),
        ".txt": text.encode(),
    }


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)  # uncompressed, and the same bytes every run
    y = 740
    for line in SOP_LINES:
        title = line.startswith("SOP")
        c.setFont("Helvetica-Bold" if title else "Helvetica", 16 if title else 11)
        c.drawString(72, y, line)
        y -= 24
    c.showPage()
    c.save()
    return buf.getvalue()


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(SOP_LINES[0], 0)
    for line in SOP_LINES[1:]:
        d.add_paragraph(line)
    table = d.add_table(rows=2, cols=2)
    for cell, value in zip(table._cells, ("Part", "Qty", "HF-2210", "2")):
        cell.text = value
    buf = io.BytesIO()
    d.save(buf)
    return normalize_zip(buf.getvalue())


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["WO", "Date", "Asset", "Problem"])
    ws.append(["WO-1", "2022-01-03", "PRESS-09", "guard switch loose"])
    ws.append(["WO-2", "2022-02-11", "PRESS-09", "light curtain fault"])
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())


def _pptx() -> bytes:
    import pptx

    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = SOP_LINES[0]
    slide.placeholders[1].text = SOP_LINES[1]
    buf = io.BytesIO()
    prs.save(buf)
    return normalize_zip(buf.getvalue())


# suffix -> the part holding an Office file's text
MAIN_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml", ".pptx": "ppt/slides/slide1.xml"}
TEXT_SUFFIXES = frozenset({".csv", ".eml", ".html", ".md", ".txt"})

# --- byte-level mutations ---------------------------------------------------------------------

NASTY = [b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\r", b"\x1b[2J", b"%PDF-", b"PK\x03\x04",
         b"<!--", b"]]>", b"\xed\xa0\x80", b"\xc0\xaf", b"\"", b",", b"\n\n", "\u202e".encode(), b"endobj",
         b"<</Length 999999999>>", b"stream\n", b"--boundary", b"=?utf-8?b?", b"\xd0\xcf\x11\xe0"]  # fmt: skip
BOMS = {"utf-16": "utf-16", "utf-16-be": "utf-16-be", "utf-32": "utf-32", "utf-8-sig": "utf-8-sig",
        "cp1252": "cp1252", "latin-1": "latin-1", "shift_jis": "shift_jis"}  # fmt: skip


def _position(draw, low: int, high: int) -> int:
    """A byte offset spread over the whole file (Hypothesis favours small integers: the zip's first part)."""
    spread = (draw(st.integers(0, 2**32 - 1)) * 2654435761) % 2**32  # Knuth's multiplicative hash
    return low + spread * (high - low + 1) // 2**32


@st.composite
def _truncate(draw, data: bytes, keep: int = 0) -> bytes:
    low = min(keep, max(len(data) - 1, 0))
    return data[: _position(draw, low, max(len(data) - 1, low))]


@st.composite
def _flip(draw, data: bytes, keep: int = 0) -> bytes:
    if len(data) <= keep:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        out[_position(draw, keep, len(out) - 1)] ^= draw(st.integers(1, 255))
    return bytes(out)


@st.composite
def _splice(draw, data: bytes, keep: int = 0) -> bytes:
    at = _position(draw, min(keep, len(data)), len(data))
    junk = draw(st.one_of(st.binary(min_size=1, max_size=64), st.sampled_from(NASTY)))
    cut = draw(st.integers(0, 16))
    return data[:at] + junk + data[at + cut :]


@st.composite
def _huge_line(draw, data: bytes, keep: int = 0) -> bytes:
    at = _position(draw, min(keep, len(data)), len(data))
    unit = draw(st.sampled_from([b"A", b"PRESS-09 ", b",", b"<b>", b"1.", b'"', b"\t", b" ", b"[", b"(("]))
    return data[:at] + unit * draw(st.integers(10_000, 200_000)) + data[at:]


@st.composite
def _reencode(draw, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    encoding = draw(st.sampled_from(sorted(BOMS.values())))
    return text.encode(encoding, errors="replace")


def byte_mutation(data: bytes, *, text: bool = True) -> st.SearchStrategy[bytes]:
    """One mutation; a binary format keeps its first bytes so the damage reaches its parser."""
    keep = 0 if text else 8
    options = [_truncate(data, keep), _flip(data, keep), _splice(data, keep), _huge_line(data, keep)]
    if text:
        options += [_reencode(data), st.just(data.replace(b"\n", b"\x00\n"))]
    return st.one_of(*options)


@st.composite
def mutated(draw, data: bytes, text: bool = True) -> bytes:
    """1 to 3 byte-level mutations of `data`, applied one after another."""
    for _ in range(draw(st.integers(1, 3))):
        data = draw(byte_mutation(data, text=text))
    return data


# --- structure-aware mutations ----------------------------------------------------------------


@st.composite
def zip_member_mutated(draw, data: bytes) -> bytes:
    """Re-zip an Office file with one part damaged, dropped, doubled, or a stray part added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    main = [n for n in names if n in MAIN_PARTS.values()]
    victim = draw(st.one_of(st.sampled_from(main), st.sampled_from(sorted(names))))  # the main part half the time
    action = draw(st.sampled_from(["damage", "damage", "drop", "double", "stray"]))
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        warnings.simplefilter("ignore")  # zipfile warns about the doubled name
        for name in names:
            blob = src.read(name)
            if name == victim and action == "drop":
                continue
            if name == victim and action == "damage":
                blob = draw(st.one_of(mutated(blob), st.just(b""), _entity_bomb(), st.binary(max_size=200)))
            dst.writestr(name, blob)
            if name == victim and action == "double":
                dst.writestr(name, draw(mutated(blob)))
        if action == "stray":
            stray = draw(st.sampled_from(["../../etc/cron.d/x", "/abs.xml", "word/../../up.xml", "C:/x.xml", "a" * 300]))
            dst.writestr(stray, draw(st.binary(max_size=100)))
    return buf.getvalue()


@st.composite
def _entity_bomb(draw) -> bytes:
    """Billion-laughs style XML: must not expand (lxml and defusedxml refuse it)."""
    depth = draw(st.integers(2, 9))
    ents = ['<!ENTITY e0 "lol">']
    ents += [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, depth)]
    return (f'<?xml version="1.0"?><!DOCTYPE w [{"".join(ents)}]><w>&e{depth - 1};</w>').encode()


@st.composite
def deep_html(draw) -> bytes:
    tag = draw(st.sampled_from(["div", "b", "table", "ul", "li", "p", "span", "h1"]))
    depth = draw(st.integers(100, 20_000))
    closed = draw(st.booleans())
    return (f"<{tag}>" * depth + "Stop PRESS-09." + (f"</{tag}>" * depth if closed else "")).encode()


@st.composite
def hostile_csv(draw) -> bytes:
    """Ragged rows, giant fields, stray quotes and odd delimiters under a plausible header."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(["WO", "Date", "Asset", "Problem", "Cost", "", "\ufeffWO"]),
                           min_size=1, max_size=6))
    cell = st.one_of(
        st.text(max_size=20), st.sampled_from(["\"", "\"\"", "2022-01-01", "12.5", "PRESS-09", "=cmd|' /C calc'!A0"]),
        st.integers(50_000, 300_000).map(lambda n: "x" * n),
    )  # fmt: skip
    rows = draw(st.lists(st.lists(cell, max_size=12), max_size=12))
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


@st.composite
def hostile_eml(draw) -> bytes:
    """Broken MIME: bad boundaries, unknown charsets, bad base64, no headers, header floods."""
    charset = draw(st.sampled_from(["utf-8", "x-unknown", "utf-7", "", "latin-1\"; x=\""]))
    cte = draw(st.sampled_from(["base64", "quoted-printable", "8bit", "x-uuencode", "bogus"]))
    body = draw(st.one_of(st.binary(max_size=300), st.sampled_from([b"=ZZ=\n", b"!!!not base64", b""])))
    boundary = draw(st.sampled_from(["b1", "", "\"", "x" * 2000]))
    headers = draw(st.sampled_from(["From: a@b\nSubject: s\n", "", "Subject: " + "=?utf-8?b?!!?= " * 200 + "\n",
                                    "X: y\n" * 5000]))  # fmt: skip
    multipart = draw(st.booleans())
    if multipart:
        head = f'{headers}Content-Type: multipart/mixed; boundary="{boundary}"\n\n'.encode()
        part = (f"--{boundary}\nContent-Type: text/plain; charset={charset}\n"
                f"Content-Transfer-Encoding: {cte}\n\n").encode()  # fmt: skip
        return head + part + body + (f"\n--{boundary}" + ("--" if draw(st.booleans()) else "")).encode()
    head = f"{headers}Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: {cte}\n\n"
    return head.encode() + body


def hostile_bytes(suffix: str) -> st.SearchStrategy[bytes]:
    """Damaged content for a file named `*<suffix>`."""
    seeds = seed_files()
    seed = seeds[suffix]
    damaged = mutated(seed, text=suffix in TEXT_SUFFIXES)
    other_types = st.sampled_from(sorted(s for s in seeds if s != suffix)).map(seeds.get)
    special = {
        ".docx": zip_member_mutated(seed), ".xlsx": zip_member_mutated(seed), ".pptx": zip_member_mutated(seed),
        ".html": deep_html(), ".csv": hostile_csv(), ".eml": hostile_eml(),
    }.get(suffix, damaged)  # fmt: skip
    other = st.one_of(other_types, other_types.flatmap(mutated), st.binary(max_size=2048), st.just(b""),
                      st.just(b"\x00" * 4096))  # fmt: skip
    # Mostly damage that keeps the file recognisable, so the deep parsers see it; some of everything else.
    choices = [damaged, damaged, damaged, special, special, special, other]
    return st.sampled_from(range(len(choices))).flatmap(choices.__getitem__)


# --- zip bombs ---------------------------------------------------------------------------------


def zip_bomb(member: str, size: int, *, others: dict[str, bytes] | None = None, lie: bool = False) -> bytes:
    """A zip whose `member` inflates to `size` bytes of zeros (size < 4 GiB), built in about a second.

    The deflate stream is one fully flushed block of 1 MiB of zeros, repeated,
    so nothing is compressed at build time. With `lie`, the headers claim the
    member is 1 KiB: a bomb that hides from a central-directory check.
    """
    unit = 1 << 20
    count = size // unit
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    block = comp.compress(b"\0" * unit) + comp.flush(zlib.Z_FULL_FLUSH)  # no back-references past it
    tail = comp.flush(zlib.Z_FINISH)  # the final empty block
    crc = _zeros_crc32(count, unit)
    packed, declared, name = len(block) * count + len(tail), 1024 if lie else count * unit, member.encode()

    buf = io.BytesIO()  # the other members, written normally
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for other, blob in (others or {}).items():
            z.writestr(other, blob)
    head = buf.getvalue()
    cd_at = zipfile.ZipFile(io.BytesIO(head)).start_dir
    old_cd, n_old = head[cd_at : head.rindex(b"PK\x05\x06")], len(others or {})

    out = io.BytesIO()
    out.write(head[:cd_at])
    local_at = out.tell()
    out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, packed, declared, len(name), 0))
    out.write(name)
    for _ in range(count):
        out.write(block)
    out.write(tail)
    entry = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed, declared,
                        len(name), 0, 0, 0, 0, 0o644 << 16, local_at) + name  # fmt: skip
    cd_start = out.tell()
    out.write(old_cd + entry)
    count = n_old + 1
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(old_cd + entry), cd_start, 0))
    return out.getvalue()


@lru_cache(maxsize=8)
def _zeros_crc32(count: int, unit: int) -> int:
    crc, zeros = 0, b"\0" * unit
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    return crc


def office_bomb(suffix: str, size: int, *, lie: bool = False) -> bytes:
    """A DOCX/XLSX/PPTX whose main part is a `size`-byte bomb, the other parts real."""
    main = MAIN_PARTS[suffix]
    src = zipfile.ZipFile(io.BytesIO(seed_files()[suffix]))
    others = {n: src.read(n) for n in src.namelist() if n != main}
    return zip_bomb(main, size, others=others, lie=lie)
