#!/usr/bin/env python3
"""Deterministic generator for the Northfield Stamping & Assembly demo corpus.

Reads ``sample_plant/src/`` and writes ``sample_plant/docs/`` plus
``sample_plant/questions.jsonl``.  Everything here is fictional.

    python sample_plant/build.py

Re-running produces byte-identical files: fixed random seed, fixed dates,
reportlab ``invariant=1`` and ZIP containers (DOCX/XLSX) rewritten with fixed
timestamps and fixed document properties.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import shutil
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"

FIXED_TS = dt.datetime(2024, 12, 31, 12, 0, 0)
FIXED_ISO = "2024-12-31T12:00:00Z"
ZIP_DATE = (2024, 12, 31, 12, 0, 0)
COMPANY = "Northfield Stamping & Assembly"

# Which SOP source is rendered to which format.
SOP_FORMATS = {
    "SOP-101": "pdf",
    "SOP-104": "pdf",  # both rev B and rev C
    "SOP-112": "pdf",
    "SOP-150": "pdf",
    "SOP-118": "docx",
    "SOP-120": "docx",
    "SOP-160": "docx",
    "SOP-131": "md",
    "SOP-140": "md",
}

SAFETY_RE = re.compile(r"^(WARNING|CAUTION|DANGER|LOCKOUT):\s*(.*)$")
STEP_RE = re.compile(r"^(\d+)\.\s+(.*)$")
SUBSTEP_RE = re.compile(r"^\s+(\d+\.\d+)\s+(.*)$")


# --------------------------------------------------------------------------
# Markdown SOP parsing
# --------------------------------------------------------------------------

def parse_sop(text: str) -> dict:
    """Parse the restricted Markdown used in src/sops into a block list."""
    lines = text.splitlines()
    title = lines[0].lstrip("# ").strip()
    blocks: list[tuple] = []
    meta: list[str] = []
    i = 1
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if not s:
            i += 1
            continue
        if s.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r"-+", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(("table", rows))
            continue
        if s.startswith("### "):
            blocks.append(("h2", s[4:]))
        elif s.startswith("## "):
            blocks.append(("h1", s[3:]))
        elif m := SAFETY_RE.match(s):
            blocks.append(("safety", m.group(1), m.group(2)))
        elif m := SUBSTEP_RE.match(line):
            blocks.append(("substep", m.group(1), m.group(2)))
        elif m := STEP_RE.match(line):
            blocks.append(("step", m.group(1), m.group(2)))
        elif s.startswith("- "):
            blocks.append(("bullet", s[2:]))
        elif not blocks and re.match(r"^[A-Z][A-Za-z ]+: ", s):
            meta.append(s)
        else:
            blocks.append(("para", s))
        i += 1
    m = re.match(r"^(SOP-\d+)\b.*Revision ([A-Z])$", title)
    assert m, title
    eff = next(x for x in meta if x.startswith("Effective date:")).split(":", 1)[1].strip()
    return {"title": title, "doc_id": m.group(1), "rev": m.group(2), "meta": meta,
            "effective": eff, "blocks": blocks}


# --------------------------------------------------------------------------
# PDF (reportlab)
# --------------------------------------------------------------------------

def render_pdf(sop: dict, out: Path) -> dict[str, int]:
    """Render SOP to PDF; return {step number: page number}."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate,
                                    Spacer, Table, TableStyle)

    rl_config.invariant = 1
    ss = getSampleStyleSheet()
    from reportlab.pdfbase.pdfmetrics import stringWidth
    avail = A4[0] - 36 * mm
    tsize = next(s for s in (16, 15, 14, 13, 12, 11, 10)
                 if stringWidth(sop["title"], "Helvetica-Bold", s) <= avail - 2)  # title on one line
    st_title = ParagraphStyle("SOPTitle", parent=ss["Title"], fontName="Helvetica-Bold",
                              fontSize=tsize, leading=tsize + 4, alignment=TA_LEFT, spaceAfter=8)
    st_h1 = ParagraphStyle("SOPH1", parent=ss["Heading1"], fontName="Helvetica-Bold",
                           fontSize=13.5, leading=17, spaceBefore=10, spaceAfter=4)
    st_h2 = ParagraphStyle("SOPH2", parent=ss["Heading2"], fontName="Helvetica-Bold",
                           fontSize=11.5, leading=14, spaceBefore=6, spaceAfter=3)
    st_body = ParagraphStyle("SOPBody", parent=ss["BodyText"], fontName="Helvetica",
                             fontSize=10, leading=13.5, spaceAfter=4)
    st_meta = ParagraphStyle("SOPMeta", parent=st_body, spaceAfter=1)
    st_step = ParagraphStyle("SOPStep", parent=st_body, leftIndent=18, firstLineIndent=-18)
    st_sub = ParagraphStyle("SOPSub", parent=st_body, leftIndent=48, firstLineIndent=-26)
    st_bullet = ParagraphStyle("SOPBullet", parent=st_body, leftIndent=14, bulletIndent=4)
    st_cell = ParagraphStyle("SOPCell", parent=st_body, fontSize=9, leading=11, spaceAfter=0)
    safety_colors = {"DANGER": colors.HexColor("#f9d6d5"), "WARNING": colors.HexColor("#fdebc8"),
                     "CAUTION": colors.HexColor("#fff7cc"), "LOCKOUT": colors.HexColor("#dde8f6")}

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    step_pages: dict[str, int] = {}

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            for f in getattr(flowable, "_content", [flowable]):
                num = getattr(f, "_fw_step", None)
                if num and num not in step_pages:
                    step_pages[num] = self.page

    footer = f"{sop['doc_id']} Rev {sop['rev']}  |  {COMPANY}  |  Uncontrolled when printed"

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    story = [Paragraph(esc(sop["title"]), st_title)]
    for m in sop["meta"]:
        k, v = m.split(":", 1)
        story.append(Paragraph(f"<b>{esc(k)}:</b>{esc(v)}", st_meta))
    story.append(Spacer(1, 6))
    pending_safety: list = []
    for b in sop["blocks"]:
        kind = b[0]
        if kind == "safety":
            st = ParagraphStyle(f"Safety{b[1]}", parent=st_body, backColor=safety_colors[b[1]],
                                borderColor=colors.black, borderWidth=0.6, borderPadding=5,
                                spaceBefore=6, spaceAfter=9, leftIndent=4, rightIndent=4)
            pending_safety.append(Paragraph(f"<b>{b[1]}:</b> {esc(b[2])}", st))
            continue
        if kind == "h1":
            fl = Paragraph(esc(b[1]), st_h1)
        elif kind == "h2":
            fl = Paragraph(esc(b[1]), st_h2)
        elif kind == "step":
            fl = Paragraph(f"{b[1]}.&nbsp;&nbsp;{esc(b[2])}", st_step)
            fl._fw_step = b[1]
        elif kind == "substep":
            fl = Paragraph(f"{b[1]}&nbsp;&nbsp;{esc(b[2])}", st_sub)
            fl._fw_step = b[1]
        elif kind == "bullet":
            fl = Paragraph(esc(b[1]), st_bullet, bulletText="\u2022")
        elif kind == "para":
            fl = Paragraph(esc(b[1]), st_body)
        elif kind == "table":
            data = [[Paragraph(("<b>%s</b>" if r == 0 else "%s") % esc(c), st_cell) for c in row]
                    for r, row in enumerate(b[1])]
            fl = Table(data, repeatRows=1, hAlign="LEFT")
            fl.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
        else:  # pragma: no cover
            raise ValueError(kind)
        if pending_safety:
            # Keep every safety block on the same page as the step it guards.
            story.append(KeepTogether(pending_safety + [fl]))
            pending_safety = []
        else:
            story.append(fl)
    assert not pending_safety, "safety block at end of document"

    doc = Doc(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
              topMargin=18 * mm, bottomMargin=18 * mm, title=sop["title"],
              author=COMPANY, subject=f"{sop['doc_id']} Revision {sop['rev']}",
              creator="Floorwise sample_plant/build.py", invariant=1)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return step_pages


# --------------------------------------------------------------------------
# DOCX (python-docx)
# --------------------------------------------------------------------------

def render_docx(sop: dict, out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor, Cm

    d = docx.Document()
    sec = d.sections[0]
    sec.left_margin = sec.right_margin = Cm(2)
    fp = sec.footer.paragraphs[0]
    fp.text = f"{sop['doc_id']} Rev {sop['rev']} | {COMPANY} | Uncontrolled when printed"
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_heading(sop["title"], level=0)
    for m in sop["meta"]:
        k, v = m.split(":", 1)
        p = d.add_paragraph()
        p.add_run(k + ":").bold = True
        p.add_run(v)
    colors = {"DANGER": RGBColor(0xC0, 0x00, 0x00), "WARNING": RGBColor(0xC0, 0x60, 0x00),
              "CAUTION": RGBColor(0x80, 0x60, 0x00), "LOCKOUT": RGBColor(0x1F, 0x3F, 0x8F)}
    for b in sop["blocks"]:
        kind = b[0]
        if kind == "h1":
            d.add_heading(b[1], level=1)
        elif kind == "h2":
            d.add_heading(b[1], level=2)
        elif kind == "safety":
            p = d.add_paragraph()
            r = p.add_run(f"{b[1]}:")
            r.bold = True
            r.font.color.rgb = colors[b[1]]
            p.add_run(" " + b[2])
            p.paragraph_format.keep_with_next = True
        elif kind == "step":
            p = d.add_paragraph(f"{b[1]}. {b[2]}")
            p.paragraph_format.left_indent = Cm(0.6)
            p.paragraph_format.first_line_indent = Cm(-0.6)
        elif kind == "substep":
            p = d.add_paragraph(f"{b[1]} {b[2]}")
            p.paragraph_format.left_indent = Cm(1.6)
            p.paragraph_format.first_line_indent = Cm(-0.9)
        elif kind == "bullet":
            d.add_paragraph(b[1], style="List Bullet")
        elif kind == "para":
            d.add_paragraph(b[1])
        elif kind == "table":
            rows = b[1]
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, val in enumerate(row):
                    cell = t.cell(r, c)
                    cell.text = val
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
        else:  # pragma: no cover
            raise ValueError(kind)
    for p in d.paragraphs:
        for r in p.runs:
            if r.font.size is None and p.style.name == "Normal":
                r.font.size = Pt(10.5)
    cp = d.core_properties
    cp.title = sop["title"]
    cp.author = COMPANY
    cp.last_modified_by = COMPANY
    cp.subject = f"{sop['doc_id']} Revision {sop['rev']}"
    cp.created = FIXED_TS
    cp.modified = FIXED_TS
    cp.last_printed = FIXED_TS
    cp.revision = 1
    cp.comments = "Fictional demo document generated by sample_plant/build.py"
    buf = io.BytesIO()
    d.save(buf)
    out.write_bytes(normalize_zip(buf.getvalue()))


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps so the bytes are stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                txt = blob.decode("utf-8")
                txt = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", r"\g<1>%s\2" % FIXED_ISO, txt)
                blob = txt.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


# --------------------------------------------------------------------------
# Work orders
# --------------------------------------------------------------------------

TECHS = {
    "DK": ("D. Kowalski", "DKOWALSKI"),
    "MR": ("M. Reyes", "MREYES"),
    "TO": ("T. Okafor", "TOKAFOR"),
    "JL": ("J. Lindqvist", "JLINDQVIST"),
    "RB": ("R. Brennan", "RBRENNAN"),
    "SN": ("S. Novak", "SNOVAK"),
    "KO": ("K. Osei", "KOSEI"),
    "AF": ("A. Ferreira", "AFERREIRA"),
}

# (problem, action, failure code, cost range USD, downtime range h, technicians)
T = tuple
TEMPLATES: dict[str, list[T]] = {
    "PRESS-01": [
        ("L/H guard interlock faulty, press won't cycle", "Replaced interlock switch GS-1120 on L/H gate, tested", "SAFE", (120, 380), (0.5, 2), "MR SN"),
        ("Hyd hose chafed at ram manifold", "Replaced hose HSE-1612-90, re-routed w/ clamp", "LEAK", (180, 520), (1, 3), "DK SN"),
        ("Light curtain faults intermittent", "Cleaned lenses, realigned receiver, retested stop", "SAFE", (0, 150), (0.5, 1.5), "MR"),
        ("Tonnage monitor reads high on L/H channel", "Recalibrated strain gauge amplifier L/H", "CTRL", (90, 300), (1, 2), "MR"),
        ("Oil temp high alarm 62C", "Cleaned cooler fins, checked fan rotation OK", "MECH", (60, 200), (1, 3), "DK KO"),
        ("PM - monthly press inspection", "Checked gibs, lube, hyd levels, LOTO placard. OK", "PM", (80, 160), (1, 2), "RB SN KO"),
        ("Cushion air regulator leaking", "Replaced regulator diaphragm kit PR-0614-K", "PNEU", (70, 190), (0.5, 1.5), "SN AF"),
        ("Two-hand control button sticking", "Replaced palm button PB-2200, tested anti-tie-down", "SAFE", (90, 210), (0.5, 1), "MR"),
    ],
    "PRESS-02": [
        ("Ram guide gib noisy, worn liner", "Adjusted gibs, new liner GIB-0620-L front R/H", "WEAR", (350, 1200), (3, 8), "RB DK"),
        ("HYD LEAK AT PREFILL VALVE FLANGE", "Replaced flange O-ring SEAL-0720-F, retorqued", "LEAK", (150, 480), (2, 5), "DK"),
        ("Light curtain muting fault", "Replaced muting sensor MS-330, tested", "SAFE", (200, 420), (1, 2), "MR"),
        ("Die cushion air leak at cylinder", "Replaced cushion cyl seal kit SEAL-0840-K", "PNEU", (260, 700), (2, 6), "DK SN"),
        ("PM - monthly press inspection", "Checked gibs, lube, hyd levels, LOTO placard. OK", "PM", (80, 160), (1, 2), "RB SN KO"),
        ("Main motor amps high", "Checked pump compensator setting, reset to 210 bar", "MECH", (60, 240), (1, 2.5), "DK MR"),
        ("Lube pump fault on HMI", "Refilled central lube reservoir, primed pump", "MECH", (40, 120), (0.5, 1), "KO AF"),
        ("Stroke counter not counting", "Replaced prox sensor PX-1808 at crank cam", "CTRL", (70, 180), (0.5, 1.5), "MR"),
    ],
    "PRESS-03": [
        ("Hyd fitting weeping at die clamp manifold", "Retorqued JIC fittings, replaced O-ring SEAL-0412-O", "LEAK", (90, 300), (1, 3), "DK SN"),
        ("Upper die clamp #3 not reaching CLAMPED", "Replaced clamp prox switch PX-1808, adjusted", "CTRL", (110, 320), (1, 2.5), "MR"),
        ("Misfeed sensor fault during run", "Reconnected die sensor cable X-DS, pin bent - replaced connector", "ELEC", (60, 220), (0.5, 2), "MR KO"),
        ("Light curtain fault R/H", "Cleaned and realigned, tested stopping", "SAFE", (0, 140), (0.5, 1.5), "MR"),
        ("PM - monthly press inspection", "Checked gibs, lube, hyd levels, LOTO placard. OK", "PM", (90, 180), (1, 2.5), "RB SN KO"),
        ("Die cart DC-3 won't index", "Reset cart drive fault, cleaned rail, battery check", "ELEC", (40, 160), (0.5, 2), "AF MR"),
        ("Tonnage overload trip 830t", "Checked die shut height w/ setter, die was set 0.4mm low, corrected", "MECH", (0, 120), (1, 3), "RB"),
        ("Cushion pressure fluctuating", "Cleaned cushion regulator pilot, HPU-3 side OK", "MECH", (80, 260), (1, 3), "DK"),
    ],
    "PRESS-04": [
        ("Brake monitor alarm - stop time 176ms", "Adjusted brake air gap to 1.0mm, stop time 151ms", "SAFE", (150, 380), (2, 4), "RB"),
        ("Clutch air leak at rotary union", "Replaced rotary union seal RU-0410-S", "PNEU", (230, 640), (2, 5), "SN RB"),
        ("V-belt squeal at start", "Re-tensioned flywheel belts, 2 belts glazed - replaced set", "WEAR", (180, 520), (1.5, 4), "SN KO"),
        ("Crank bearing temp high R/H", "Flushed lube line, replaced metering unit MV-0303", "MECH", (140, 600), (2, 6), "RB AF"),
        ("PM - monthly clutch/brake inspection per SOP-160", "Air gap 1.1/1.2/1.1mm, stop time OK, AF-0520 drained", "PM", (90, 180), (1.5, 3), "RB"),
        ("Counterbalance air pressure low", "Replaced counterbalance regulator PR-0612", "PNEU", (120, 300), (1, 2), "SN"),
        ("Slide adjust motor won't run", "Replaced contactor K4 in slide adjust panel", "ELEC", (80, 250), (1, 3), "MR"),
    ],
    "CNC-07": [
        ("Spindle tool clamp alarm 2031", "Replaced pull stud PS-4012 on T12 holder, checked drawbar 13.5 kN", "MECH", (60, 210), (0.5, 2), "JL"),
        ("Coolant conc low 3%", "Adjusted mixer, conc 7%", "MECH", (20, 80), (0.2, 0.5), "JL KO"),
        ("Way lube alarm", "Refilled way lube, cleaned metering unit", "MECH", (30, 110), (0.3, 1), "JL AF"),
        ("X axis servo overload alarm", "Cleaned chips from X cover, checked servo load OK", "CTRL", (0, 150), (1, 3), "JL MR"),
        ("ATC arm stops mid-change", "Adjusted ATC prox, re-referenced arm", "CTRL", (50, 260), (1, 3), "JL"),
        ("PM - quarterly CNC PM", "Checked backlash, lube, filters, chip conveyor. OK", "PM", (120, 260), (2, 4), "JL"),
        ("Door interlock not releasing", "Replaced door lock solenoid DL-0722", "SAFE", (110, 280), (0.5, 2), "MR JL"),
    ],
    "CNC-08": [
        ("Spindle chiller alarm high temp", "Cleaned chiller condenser, refilled coolant", "MECH", (60, 220), (0.5, 2), "JL KO"),
        ("Laser tool setter not triggering", "Cleaned setter optics, recalibrated w/ T50", "CTRL", (30, 140), (0.5, 1.5), "JL"),
        ("Chip conveyor jammed", "Cleared chips, replaced shear pin SP-0816", "MECH", (30, 120), (0.5, 1.5), "KO AF"),
        ("Coolant pump low pressure", "Cleaned coolant tank screen, pump OK", "MECH", (30, 150), (0.5, 2), "JL AF"),
        ("PM - quarterly CNC PM", "Checked backlash, lube, filters, chip conveyor. OK", "PM", (120, 260), (2, 4), "JL"),
        ("Y axis encoder alarm", "Reseated encoder cable at amp, tested", "ELEC", (0, 180), (1, 3), "MR JL"),
    ],
    "CONV-12": [
        ("belt tracking off, adjusted take-up", "Tail take-up adj 1/2 turn R/H, runs centred", "MECH", (0, 90), (0.3, 1), "SN KO AF"),
        ("Return roller seized, belt edge marks", "Replaced return roller ROL-89-1050", "WEAR", (80, 190), (0.5, 1.5), "KO AF"),
        ("Gearbox oil leak at output seal", "Replaced output shaft seal SEAL-0560-G, topped up CLP 220", "LEAK", (120, 340), (2, 4), "SN"),
        ("E-stop pull cord not tripping", "Adjusted pull cord switch PC-0120, tested", "SAFE", (40, 160), (0.5, 1), "MR"),
        ("Belt slipping at drive under load", "Cleaned drive pulley, tensioned 0.3%", "MECH", (0, 120), (0.5, 2), "SN AF"),
        ("PM - monthly conveyor check", "Tracking, tension, rollers, guards checked. OK", "PM", (40, 90), (0.5, 1), "KO AF"),
        ("Drive motor trips OL", "Found debris under belt at head pulley, cleared, OL reset", "ELEC", (30, 140), (0.5, 1.5), "MR"),
    ],
    "CONV-14": [
        ("Belt walking L/H into frame", "Adjusted snub roller L/H 2mm toward drive per note", "MECH", (0, 110), (0.5, 2), "MR SN"),
        ("Lace clips damaged", "Replaced lace LACE-800, re-tensioned 0.4%", "WEAR", (150, 360), (1.5, 3), "SN KO"),
        ("Return roller noisy", "Replaced return roller ROL-89-850", "WEAR", (70, 170), (0.5, 1.5), "KO AF"),
        ("Photo eye at transfer not seeing parts", "Cleaned/realigned PE-1402", "CTRL", (0, 90), (0.3, 1), "MR"),
        ("PM - monthly conveyor check", "Tracking, tension, rollers, guards checked. OK", "PM", (40, 90), (0.5, 1), "KO AF"),
        ("Guard missing at tail pulley", "Refitted guard, replaced missing fasteners", "SAFE", (20, 80), (0.2, 0.5), "SN"),
    ],
    "CMP-2": [
        ("Auto drain ADV-1120 not draining", "Cleaned strainer ADV-1120-S, tested drain OK", "PNEU", (30, 120), (0, 0.5), "MR KO"),
        ("Element outlet temp high 102C", "Blew out cooler, louvre was closed - opened", "MECH", (40, 160), (0.5, 2), "MR SN"),
        ("Air leak at receiver drain valve", "Replaced ball valve BV-0125 on receiver", "PNEU", (60, 150), (0.5, 1), "SN"),
        ("PM - 2000h service", "Replaced AF-7520, OF-7530, oil OIL-SC46 top up", "PM", (420, 780), (2, 4), "MR SN"),
        ("Dryer dew point high +12C", "Cleaned dryer condenser, checked refrigerant pressures OK", "MECH", (80, 300), (1, 3), "MR"),
        ("Controller warning: air filter dP", "Replaced air filter AF-7520", "PM", (90, 160), (0.5, 1), "KO"),
    ],
    "HPU-3": [
        ("Pressure filter clog indicator red (hot)", "Replaced HF-2210-B and HF-1850-R per SOP-112", "WEAR", (260, 420), (1.5, 3), "DK SN"),
        ("PM - annual filter change", "Replaced HF-2210-B, HF-1850-R, O-rings SEAL-2210-OK per SOP-112", "PM", (280, 460), (2, 3.5), "DK"),
        ("Oil leak at pump case drain fitting", "Replaced fitting and O-ring SEAL-0412-O", "LEAK", (80, 260), (1, 2.5), "DK SN"),
        ("Oil temp high 58C", "Cleaned oil cooler, checked cooling water valve", "MECH", (60, 240), (1, 2), "DK AF"),
        ("Clamp circuit pressure low 180 bar", "Reset clamp pressure reducing valve to 200 bar", "CTRL", (0, 140), (0.5, 1.5), "DK"),
        ("Oil sample - quarterly", "Took oil sample, sent to lab. ISO 18/16/13", "PM", (60, 90), (0, 0.5), "DK"),
    ],
    "ROBOT-4": [
        ("Tip dresser blade chipped, ring on cap face", "Replaced cutter blade TD-3300-C", "WEAR", (120, 260), (0.5, 1.5), "TO"),
        ("Weld spatter high, caps mushroomed", "Changed caps CAP-1640, ran NEWCAP, checked water 4.2 L/min", "WEAR", (40, 120), (0.3, 1), "TO KO"),
        ("Cell gate interlock fault", "Replaced gate switch GS-1120, tested", "SAFE", (110, 260), (0.5, 1.5), "MR TO"),
        ("Collision alarm axis 5", "Re-taught point P23 prog 7, checked gun alignment", "CTRL", (0, 180), (1, 3), "TO"),
        ("Gun cooling water low flow", "Cleaned flow switch, replaced water hose at gun", "LEAK", (60, 210), (0.5, 2), "TO AF"),
        ("PM - quarterly robot PM", "Greased axes, checked cables, backup taken. OK", "PM", (150, 320), (2, 4), "TO"),
        ("Servo gun force out of tolerance", "Force calibration, 3.2 kN confirmed", "CTRL", (0, 150), (1, 2), "TO"),
    ],
    "ROBOT-5": [
        ("Tip dresser motor overload", "Cleared copper chips from dresser, reset", "MECH", (0, 90), (0.3, 1), "TO KO"),
        ("Weld spatter high, caps mushroomed", "Changed caps CAP-1640, ran NEWCAP", "WEAR", (40, 120), (0.3, 1), "TO"),
        ("Cell light curtain fault", "Realigned light curtain, cleaned lens", "SAFE", (0, 120), (0.3, 1), "MR"),
        ("Teach pendant enabling switch faulty", "Replaced teach pendant cable TP-5510", "SAFE", (280, 560), (0.5, 2), "TO MR"),
        ("Weld shank cracked, water leak", "Replaced shank SH-1620", "LEAK", (90, 240), (0.5, 1.5), "TO"),
        ("PM - quarterly robot PM", "Greased axes, checked cables, backup taken. OK", "PM", (150, 320), (2, 4), "TO"),
    ],
    "OVEN-1": [
        ("Burner lockout - flame failure", "Cleaned UV-5502 lens w/ IPA, flame signal 14uA, restarted", "CTRL", (0, 110), (0.5, 2), "MR"),
        ("Burner lockout - airflow", "Cleaned combustion blower inlet screen, purge OK", "MECH", (0, 120), (0.5, 2), "MR SN"),
        ("Zone 2 temp low -8C", "Replaced thermocouple TC-K-0550 zone 2", "CTRL", (90, 230), (1, 2), "MR"),
        ("Chain drive current high 9.8A", "Replaced seized trolley wheel, lubed chain LUB-HT250", "MECH", (120, 380), (1, 3), "SN AF"),
        ("RF-2 recirc fan vibration", "Cleaned impeller, balanced, bearings OK", "MECH", (150, 480), (2, 5), "SN RB"),
        ("PM - monthly oven PM", "Checked burner, scanner, airflow switch, chain lube. OK", "PM", (100, 220), (1, 3), "MR"),
        ("Igniter IGN-120 cracked, no spark", "Replaced igniter IGN-120, gap 2.5mm", "ELEC", (90, 210), (0.5, 1.5), "MR"),
    ],
}

# Work orders per asset per year (2022, 2023, 2024) for the random part.
RATES = {
    "PRESS-01": (8, 8, 7), "PRESS-02": (9, 9, 8), "PRESS-03": (8, 9, 8), "PRESS-04": (7, 8, 7),
    "CNC-07": (7, 7, 6), "CNC-08": (6, 7, 6), "CONV-12": (8, 9, 8), "CONV-14": (8, 8, 7),
    "CMP-2": (7, 9, 6), "HPU-3": (6, 7, 6), "ROBOT-4": (7, 8, 7), "ROBOT-5": (6, 7, 6),
    "OVEN-1": (8, 8, 7),
}

# Planted, fixed work orders that the notes and the golden questions rely on.
# (date, time, asset, problem, action, code, cost, downtime, tech)
PLANTED = [
    ("2022-01-18", "06:40", "CMP-2", "Auto drain ADV-1120 frozen overnight, dryer flooding", "Thawed valve w/ heat gun, drained receiver by hand", "PNEU", 0.0, 1.0, "MR"),
    ("2022-02-08", "06:50", "CMP-2", "AUTO DRAIN ADV-1120 FROZEN, WATER IN PLANT AIR", "Thawed ADV-1120, cleaned strainer ADV-1120-S, drained drip legs. Winter routine issued", "PNEU", 35.0, 2.5, "MR"),
    ("2022-02-15", "14:10", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL", "Replaced seal kit SEAL-0932-K, polished rod scratches", "LEAK", 1840.0, 7.5, "DK"),
    ("2022-03-21", "08:05", "CNC-07", "Spindle noise at 6000 rpm, runout 0.011 mm", "OEM replaced spindle bearings, runout now 0.002 mm", "WEAR", 11850.0, 36.0, "JL"),
    ("2022-03-22", "10:20", "PRESS-02", "Ram won't go down, SV-4410 coil dead", "Replaced coil SV-4410-C24", "ELEC", 96.0, 1.5, "MR"),
    ("2022-04-12", "09:30", "CONV-14", "Tail pulley bearing noisy", "Replaced tail pulley bearing BRG-6205-2RS", "WEAR", 145.0, 2.0, "SN"),
    ("2022-05-16", "10:05", "PRESS-01", "Slow return stroke, hangs at BDC ~1s", "PV-2500 pilot piston varnished - cleaned, new O-rings SEAL-2500-PK. Return 3.4s -> 2.1s", "MECH", 210.0, 3.0, "DK"),
    ("2022-07-19", "13:45", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL - oil on bolster", "Replaced seal kit SEAL-0932-K w/ install cone", "LEAK", 1795.0, 8.0, "DK"),
    ("2022-09-13", "07:15", "PRESS-03", "Upper clamp valve SV-4410 coil burnt", "Replaced coil SV-4410-C24, PLC output ch 12 dead - moved to spare ch", "ELEC", 240.0, 2.5, "MR"),
    ("2022-10-11", "08:30", "PRESS-04", "Annual stopping time test", "Stop time 168 ms (limit 190). Air gap 1.4 mm. Plan CB-4400-FD at Xmas shutdown", "SAFE", 0.0, 1.5, "RB"),
    ("2022-12-06", "15:20", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL", "Replaced SEAL-0932-K and wiper SEAL-0933-W", "LEAK", 1910.0, 8.5, "DK"),
    ("2022-12-28", "07:00", "PRESS-04", "Shutdown: brake friction disc replacement", "Replaced brake disc set CB-4400-FD, gap 1.0 mm, stop time 139 ms", "WEAR", 3420.0, 14.0, "RB"),
    ("2023-01-10", "11:40", "PRESS-02", "SV-4410 coil burnt, ram down valve", "Replaced coil SV-4410-C24", "ELEC", 96.0, 1.0, "MR"),
    ("2023-04-11", "09:50", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL, running down cyl", "Replaced seal kit SEAL-0932-K, gland bolts 610 N·m", "LEAK", 1880.0, 9.0, "DK"),
    ("2023-05-02", "13:05", "PRESS-03", "Cushion valve SV-4410 coil open circuit", "Replaced coil SV-4410-C24", "ELEC", 96.0, 1.0, "MR"),
    ("2023-06-14", "07:30", "PRESS-03", "Coil failures - suppression project", "Changed all SV-4410 connectors on PRESS-02 and PRESS-03 to SV-4410-CN (diode+LED)", "ELEC", 1150.0, 4.0, "MR"),
    ("2023-07-12", "15:10", "PRESS-02", "Ram drifting at TDC ~10mm/min, oil temp 57C", "Cooler fan stopped - reset OL in MCC-2 bkt 7, cleaned cooler fins. Ram holds at 48C", "ELEC", 0.0, 2.0, "DK"),
    ("2023-08-02", "09:15", "PRESS-02", "Cooler fan FM-3318 tripping OL again, ram creeping", "Megger W winding 2 MOhm to gnd. Replaced fan motor FM-3318 w/ crib spare, OL 2.6A. New spare ordered", "ELEC", 685.0, 3.0, "MR"),
    ("2023-08-29", "10:25", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL", "Replaced SEAL-0932-K. Rod re-chrome quote requested again", "LEAK", 1930.0, 8.0, "DK"),
    ("2023-11-07", "14:35", "PRESS-03", "LWR DIE CLAMP LOOSE - R/H rear clamp bolt backed off, die shifted 1.5mm", "Retorqued all 6 M20 clamp bolts to 300 N·m per SOP-104 rev B. Parts quarantined. Raised to eng. for torque review", "MECH", 0.0, 3.5, "RB"),
    ("2023-11-14", "08:20", "HPU-3", "Pump noisy, sounds like gravel", "Cavitation: breather BR-0450-E black - replaced. ACC-31 precharge 84 bar, topped up to 90 bar", "MECH", 160.0, 2.0, "DK"),
    ("2024-01-16", "08:45", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL", "Replaced seal kit SEAL-0932-K", "LEAK", 2010.0, 8.0, "DK"),
    ("2024-05-21", "11:30", "ROBOT-5", "Intermittent weld current not reached fault", "Dress pack DP-7710 worn thru at axis 6. Moved retract clamp 80mm, added sleeve. Replace pack Sat", "ELEC", 40.0, 1.0, "TO"),
    ("2024-05-25", "07:00", "ROBOT-5", "Replace dress pack DP-7710 (planned)", "Replaced DP-7710, re-taught 2 points prog 14, weld test OK", "WEAR", 4260.0, 4.5, "TO"),
    ("2024-06-25", "13:15", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL", "Replaced SEAL-0932-K and SEAL-0933-W", "LEAK", 2010.0, 7.5, "DK"),
    ("2024-10-22", "09:40", "PRESS-03", "HYD LEAK AT MAIN CYL SEAL - leak running down cyl", "Replaced SEAL-0932-K. Rod re-chrome approved for 2025 shutdown", "LEAK", 2085.0, 8.0, "DK"),
]


def generate_work_orders() -> list[dict]:
    rng = random.Random(20240611)
    rows: list[dict] = []
    planted_keys = set()
    for (d, t, asset, prob, act, code, cost, down, tech) in PLANTED:
        when = dt.datetime.fromisoformat(f"{d}T{t}")
        planted_keys.add((asset, when.date()))
        rows.append(dict(date=when, asset=asset, problem=prob, action=act, code=code,
                         cost=cost, downtime=down, tech=tech, planted=True))
    for asset in sorted(RATES):
        for yi, year in enumerate((2022, 2023, 2024)):
            n = RATES[asset][yi]
            for _ in range(n):
                while True:
                    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                    if day.weekday() < 6 and (asset, day) not in planted_keys:
                        break
                planted_keys.add((asset, day))
                prob, act, code, (c0, c1), (d0, d1), techs = rng.choice(TEMPLATES[asset])
                when = dt.datetime.combine(day, dt.time(rng.choice(range(6, 22)), rng.choice((0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55))))
                rows.append(dict(date=when, asset=asset, problem=prob, action=act, code=code,
                                 cost=round(rng.uniform(c0, c1), 2) if c1 else 0.0,
                                 downtime=round(rng.uniform(d0, d1) * 2) / 2,
                                 tech=rng.choice(techs.split()), planted=False))
    rows.sort(key=lambda r: (r["date"], r["asset"]))
    seq: Counter = Counter()
    for r in rows:
        y = r["date"].year
        seq[y] += 1
        r["wo"] = f"WO-{y % 100:02d}-{seq[y]:04d}" if y < 2024 else f"24-{1000 + seq[y]}"
    # Realistic messiness (chosen deterministically).
    rows_2022 = [r for r in rows if r["date"].year == 2022]
    ragged = next(r for r in rows_2022 if r["asset"] == "CONV-14" and not r["planted"] and r["code"] == "MECH")
    ragged["problem"] = "Belt walking L/H into frame, lace rubbing"
    ragged["ragged"] = True
    quoted = next(r for r in rows_2022 if r["asset"] == "PRESS-04" and not r["planted"])
    quoted["problem"] = 'Operator reports "clunk" at BDC, ' + quoted["problem"][0].lower() + quoted["problem"][1:]
    empty_cost = next(r for r in rows if r["date"].year == 2023 and r["asset"] == "CNC-08" and not r["planted"])
    empty_cost["cost"] = None
    # Status
    for r in rows:
        if r["date"].year < 2024:
            r["status"] = "CLOSED"
        elif r["date"] >= dt.datetime(2024, 12, 16):
            r["status"] = "INPRG" if r["cost"] else "WAPPR"
        else:
            r["status"] = "CLOSE" if r["code"] != "PM" else "COMP"
    return rows


def write_work_orders(rows: list[dict]) -> None:
    out_dir = DOCS / "work_orders"
    out_dir.mkdir(parents=True, exist_ok=True)
    # CSV 2022-2023, UTF-8 with BOM, CRLF (typical Windows CMMS export).
    header = ["WO Number", "Date Created", "Equipment ID", "Problem Description", "Action Taken",
              "Failure Code", "Total Cost", "Downtime (h)", "Technician", "Status"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        if r["date"].year >= 2024:
            continue
        fields = [r["wo"], r["date"].strftime("%Y-%m-%d %H:%M"), r["asset"], r["problem"], r["action"],
                  r["code"], "" if r["cost"] is None else f"{r['cost']:.2f}", f"{r['downtime']:g}",
                  TECHS[r["tech"]][0], r["status"]]
        if r.get("ragged"):
            # Broken export: the comma inside the problem text is not quoted -> one field too many.
            buf.write(",".join(fields) + "\r\n")
        else:
            w.writerow(fields)
    (out_dir / "cmms_export_2022_2023.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))

    # XLSX 2024, Maximo-like.
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "WORKORDER"
    cols = ["WONUM", "REPORTDATE", "ASSETNUM", "DESCRIPTION", "REMARKS", "FAILURECODE",
            "ACTTOTALCOST", "DOWNTIME", "LEAD", "STATUS", "WORKTYPE", "SITEID"]
    ws.append(cols)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        if r["date"].year != 2024:
            continue
        ws.append([r["wo"], r["date"], r["asset"], r["problem"][:100], r["action"], r["code"],
                   r["cost"], r["downtime"], TECHS[r["tech"]][1], r["status"],
                   "PM" if r["code"] == "PM" else "CM", "NFSA"])
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
        ws.cell(ws.max_row, 7).number_format = "#,##0.00"
    widths = [10, 17, 11, 48, 70, 12, 13, 10, 12, 9, 10, 7]
    for i, wdt in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = wdt
    ws.freeze_panes = "A2"
    wb.properties.creator = "MAXIMO"
    wb.properties.lastModifiedBy = "MAXIMO"
    wb.properties.created = FIXED_TS
    wb.properties.modified = FIXED_TS
    buf2 = io.BytesIO()
    wb.save(buf2)
    (out_dir / "cmms_export_2024.xlsx").write_bytes(normalize_zip(buf2.getvalue()))


# --------------------------------------------------------------------------
# Torque table
# --------------------------------------------------------------------------

TORQUE_ROWS = [
    # Asset, Component, Fastener, Size / grade, N·m, lbf·ft, Pattern / notes, Reference
    ("PRESS-01", "Prefill valve PV-2500 pilot cover", "6 x cap screw", "M12, 10.9", "85", "63", "Cross pattern", "Expert note 2022-05-16"),
    ("", "Main cylinder flange bolts", "8 x cap screw", "M30, 10.9", "1450", "1069", "Cross pattern, 3 passes (30/70/100 %)", "OEM manual"),
    ("PRESS-02", "Counterbalance valve CB-3150 mounting", "4 x cap screw", "M10, 10.9", "64", "47", "", "OEM manual"),
    ("", "Ram guide gib bolts", "16 x cap screw", "M16, 8.8", "210", "155", "Do not exceed; bolts cracked in the past", "OEM manual"),
    ("", "SV-4410 solenoid coil nut", "nut", "", "5", "3.7", "Hand tight + 1/4 turn max", "Expert note 2023-10-05"),
    ("PRESS-03", "Lower die strap clamp bolts", "6 x bolt", "M20, 8.8", "330", "243", "Cross pattern, 2 passes; was 300 N·m before SOP-104 rev C", "SOP-104 rev C"),
    ("", "Die locating key screws", "2 x cap screw", "M12, 10.9", "95", "70", "", "SOP-104 rev C"),
    ("", "Main cylinder gland bolts", "12 x cap screw", "M24, 10.9", "610", "450", "Cross pattern", "Expert note 2022-09-20"),
    ("", "SV-4410 solenoid coil nut", "nut", "", "5", "3.7", "Hand tight + 1/4 turn max", "Expert note 2023-10-05"),
    ("PRESS-04", "Clutch hub bolts", "8 x cap screw", "M16, 10.9", "250", "184", "", "SOP-160"),
    ("", "Clutch cover bolts", "12 x cap screw", "M10, 8.8", "45", "33", "", "SOP-160"),
    ("HPU-3", "Pressure filter bowl", "bowl thread", "", "60", "44", "Hand tight, then torque", "SOP-112"),
    ("", "Pressure filter drain plug", "plug", "G1/4", "25", "18", "", "SOP-112"),
    ("", "Return filter cover bolts", "4 x cap screw", "M16, 8.8", "40", "30", "Cross pattern", "SOP-112"),
    ("", "Pump flange bolts", "4 x cap screw", "M12, 10.9", "110", "81", "", "OEM manual"),
    ("CONV-12", "Take-up lock nuts", "2 x nut", "M24", "80", "59", "", "SOP-120"),
    ("", "Gearmotor mounting bolts", "4 x bolt", "M16, 8.8", "210", "155", "", "OEM manual"),
    ("CONV-14", "Take-up lock nuts", "2 x nut", "M24", "80", "59", "", "SOP-120"),
    ("", "Snub roller bearing housing", "4 x bolt", "M12, 8.8", "85", "63", "", "OEM manual"),
    ("ROBOT-4 / ROBOT-5", "Robot base anchor bolts", "8 x anchor", "M20, 8.8", "410", "302", "Check after any collision", "Robot OEM manual"),
    ("", "Weld gun bracket bolts", "6 x cap screw", "M12, 10.9", "120", "89", "Thread locker medium strength", "Robot OEM manual"),
    ("CMP-2", "Motor coupling hub set screws", "2 x set screw", "M10", "30", "22", "", "OEM manual"),
    ("OVEN-1", "Recirculation fan RF-1/RF-2 taper bush screws", "3 x set screw", "1/2 in. BSW", "50", "37", "Tighten evenly", "Fan OEM manual"),
    ("", "Burner mounting flange", "8 x nut", "M12", "45", "33", "Only by burner contractor", "Burner OEM manual"),
]


def write_torque_table() -> dict[tuple[str, str], int]:
    out = DOCS / "tables" / "torque_specs.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Asset", "Component", "Fastener", "Size / grade", "Torque (N·m)", "Torque (lbf·ft)",
                "Pattern / notes", "Reference"])
    rows_index = {}
    current = ""
    for i, row in enumerate(TORQUE_ROWS):
        w.writerow(row)
        current = row[0] or current
        rows_index[(current, row[1])] = i + 2  # spreadsheet row number, header = row 1
    out.write_text(buf.getvalue(), encoding="utf-8")
    return rows_index


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------

def sop(doc, step=None, rev=None, section=None, pages=None):
    loc = {}
    if step:
        loc["step"] = step
    if section:
        loc["section"] = section
    if pages is not None and step and (doc, rev, step) in pages:
        loc["page"] = pages[(doc, rev, step)]
    g = {"doc": doc, "locator": loc}
    if rev:
        g["revision"] = rev
    return g


def note(name, section=None):
    return {"doc": name, "locator": {"section": section} if section else {}}


def manual_questions(P, TR) -> list[dict]:
    """Hand-written questions. P: SOP page index, TR: torque table row index."""
    N_P02 = "2023-07-12 press02 ram drift.md"
    N_P02M = "2023-08-02 Re PRESS-02 cooler fan motor.eml"
    N_HPU = "2021-11-03 hpu3 filter tricks.txt"
    N_P03 = "2022-09-20 press03 main cylinder seal history.md"
    N_CMP = "2022-02-08 cmp2 condensate drain freezing.eml"
    N_ROB = "robot4 tip dresser notes.txt"
    N_OVN = "2023-01-24 OVEN-1 burner lockouts.eml"
    N_CNC = "2024-02-14 cnc07 spindle thermal growth.md"
    N_C14 = "conv14 belt walking.txt"
    N_P01 = "2022-05-16 PRESS-01 slow return stroke.eml"
    N_SV = "solenoid valve SV-4410 coil failures.md"
    N_C12 = "2023-03-08 conv12 gearbox oil.txt"
    N_R5 = "2024-05-21 ROBOT-5 dress pack wear.eml"
    N_CAV = "2023-11-20 hpu3 pump noise cavitation.md"
    N_TIPS = "new technician tips from ray.txt"
    N_CHAIN = "2024-06-03 oven1 conveyor chain lubrication.md"
    N_P04 = "2022-10-11 press04 brake stopping time.md"
    TT = "torque_specs.csv"

    def tt(asset, comp):
        return {"doc": TT, "locator": {"row": TR[(asset, comp)]}}

    Q = []

    def q(key, question, answer, must, gold, tags, follow=None, answerable=True):
        d = {"key": key, "question": question, "reference_answer": answer, "must_contain": must,
             "gold_sources": gold, "answerable": answerable, "tags": tags}
        if follow:
            d["follow_up_of"] = follow
        Q.append(d)

    # --- SOP-104 die change, revisions ---
    q("die_clamp", "what do I torque the lower die clamp bolts to on PRESS-03?",
      "330 N·m (243 lbf·ft) for the six M20 strap clamp bolts, in a cross pattern and two passes (first pass 165 N·m), per SOP-104 Revision C, step 14.2.",
      ["330 N·m"], [sop("SOP-104", "14.2", "C", pages=P), tt("PRESS-03", "Lower die strap clamp bolts")], ["sop", "torque", "revision"])
    q("die_clamp_b", "and what was it under the old rev B?",
      "Revision B (effective 2022-05-01, superseded) specified 300 N·m (221 lbf·ft) in a cross pattern, step 13.2. Revision C raised it to 330 N·m.",
      ["300 N·m"], [sop("SOP-104", "13.2", "B", pages=P)], ["sop", "torque", "revision", "follow_up"], follow="die_clamp")
    q("rev_c_new_step", "What got added to the PRESS-03 die change procedure in rev C?",
      "Rev C (effective 2024-03-01) added step 12: verify the shut height with the digital indicator against the die card (within ±0.2 mm) before closing the die, raised the lower die clamp bolt torque from 300 to 330 N·m after the 2023-11-07 clamp loosening event, and added two-pass tightening.",
      ["shut height"], [sop("SOP-104", "12", "C", pages=P), sop("SOP-104", None, "C", section="7. Revision History")], ["sop", "revision"])
    q("shut_height_tol", "How close does the shut height reading have to be to the die card on PRESS-03?",
      "Within ±0.2 mm of the die card (SOP-104 rev C step 12.4). If not, stop and call the die room lead; do not adjust with shims.",
      ["0.2 mm"], [sop("SOP-104", "12.4", "C", pages=P)], ["sop", "revision"])
    q("key_screws", "torque for the locating key screws when I set a die on PRESS-03?",
      "95 N·m (70 lbf·ft) on new BLT-1240 M12 class 10.9 screws (SOP-104 rev C step 14.3).",
      ["95 N·m"], [sop("SOP-104", "14.3", "C", pages=P), tt("PRESS-03", "Die locating key screws")], ["sop", "torque"])
    q("pg34", "What should PG-34 read after I clamp the upper die on the 800 ton press?",
      "190-210 bar (2,750-3,050 psi), with all four clamp lamps showing CLAMPED. Below 190 bar do not run the press (SOP-104 rev C step 13.2).",
      ["190-210 bar"], [sop("SOP-104", "13.2", "C", pages=P)], ["sop", "pressure"])
    q("unclamp_open", "Can I hit UNCLAMP UPPER on PRESS-03 with the ram up?",
      "No. Release the upper die clamps only with the die fully closed (upper die resting on lower die); otherwise the upper die falls when the clamps open (SOP-104 warning before step 5).",
      ["closed"], [sop("SOP-104", "5", "C", pages=P)], ["sop", "safety"])
    q("cushion_max", "max cushion pressure I can dial in on PRESS-03?",
      "Never more than 80 bar (1,160 psi); typical pre-pressure is 45 bar (650 psi), set from the die card (SOP-104 rev C step 16).",
      ["80 bar"], [sop("SOP-104", "16", "C", pages=P)], ["sop", "safety", "pressure"])
    # --- SOP-101 LOTO ---
    q("acc_zero", "How long does the accumulator gauge need to sit at zero before I can work on PRESS-02?",
      "It must read 0 bar and stay at 0 bar for at least 2 minutes, and the bleed valve stays open and tagged during the work (SOP-101 step 8.3/8.4).",
      ["2 minutes"], [sop("SOP-101", "8.3", "D", pages=P), note(N_TIPS)], ["sop", "safety", "lockout"])
    q("crew_lock", "Can the supervisor put one lock on the press for the whole crew?",
      "No. Every person who works on the press applies their own personal lock on the group hasp or GLB-7; one lock for the crew is not acceptable (SOP-101, lockout before step 5).",
      ["own"], [sop("SOP-101", "5", "D", pages=P), note(N_TIPS)], ["sop", "safety", "lockout"])
    q("block_p3", "which safety block goes in PRESS-03?",
      "The red ram safety block SB-800 (SOP-101 step 3).",
      ["SB-800"], [sop("SOP-101", "3", "D", pages=P)], ["sop", "safety", "lockout"])
    q("block_p1", "and for PRESS-01?",
      "SB-400. The blocks are not interchangeable.",
      ["SB-400"], [sop("SOP-101", "3", "D", pages=P), note(N_TIPS)], ["sop", "safety", "follow_up"], follow="block_p3")
    q("acc_pressure", "If the pump on PRESS-03 is off, how much pressure can still be in the accumulators?",
      "Up to 210 bar (3,045 psi). A zero reading on the pump gauge does not mean the accumulator is empty; read the accumulator gauge (SOP-101 Safety).",
      ["210 bar"], [sop("SOP-101", None, "D", section="5. Safety")], ["sop", "safety"])
    q("p3_isolation", "Besides the main disconnect, what else do I have to lock on PRESS-03?",
      "Open and lock DS-03, switch off the control UPS-3 and lock its breaker CB-3U, close and lock HPU-3 isolation valve HV-31 to the die cushion, and bleed accumulators ACC-3A/ACC-3B (SOP-101 steps 5, 7, 8).",
      ["UPS-3", "HV-31"], [sop("SOP-101", "5", "D", pages=P), sop("SOP-101", "7", "D", pages=P)], ["sop", "safety", "lockout"])
    q("verify_volt", "Do I have to test for voltage after opening the disconnect on PRESS-01?",
      "Yes. Verify zero voltage at the load side of the main disconnect with a CAT III 600 V tester, proving the tester on the proving unit before and after (SOP-101 step 10).",
      ["tester"], [sop("SOP-101", "10", "D", pages=P)], ["sop", "safety", "lockout"])
    q("after_hyd", "After a hydraulic repair on PRESS-02, can I put it straight back in continuous?",
      "No. Run the first three strokes in inch mode and check for leaks at the cylinder, fittings and prefill valve first (SOP-101 caution before step 18).",
      ["three strokes"], [sop("SOP-101", "18", "D", pages=P)], ["sop", "safety"])
    # --- SOP-112 HPU-3 ---
    q("hpu_element", "Which element goes in the HPU-3 pressure filter?",
      "HF-2210-B (10 µm absolute). The return filter takes HF-1850-R (SOP-112 Tools and Parts, step 5.6).",
      ["HF-2210-B"], [sop("SOP-112", "5.6", "B", pages=P)], ["sop", "parts"])
    q("hpu_bowl", "what torque on the HPU-3 filter bowl?",
      "60 N·m (44 lbf·ft) after hand tightening; drain plug 25 N·m (18 lbf·ft) (SOP-112 step 5.7).",
      ["60 N·m"], [sop("SOP-112", "5.7", "B", pages=P), tt("HPU-3", "Pressure filter bowl")], ["sop", "torque"])
    q("svt3", "What happens if HPU-3 is started with SV-T3 still shut?",
      "The pump cavitates and can be destroyed within a minute; never start the pump with tank shut-off valve SV-T3 closed. A pump was lost this way in 2019.",
      ["cavitat"], [sop("SOP-112", "10", "B", pages=P), note(N_HPU)], ["sop", "safety", "expert_note"])
    q("hpu_cold_red", "HPU-3 filter indicator is red first thing Monday, oil is cold. Change the element?",
      "No. Below about 20 °C (68 °F) the cold thick oil gives a false red; wait until the oil is at operating temperature (about 40 °C) before believing the indicator.",
      ["20"], [sop("SOP-112", "1", "B", pages=P), note(N_HPU)], ["sop", "expert_note"])
    q("hpu_interval", "How often are the HPU-3 filters changed?",
      "Every 2,000 running hours, once a year, or when the clogging indicator is red at normal operating temperature, whichever comes first (SOP-112 Scope).",
      ["2,000"], [sop("SOP-112", None, "B", section="2. Scope")], ["sop", "pm"])
    q("hpu_acc_drain", "Before I open the HPU-3 filter housing what has to be drained?",
      "The 20 L bladder accumulator ACC-31: open drain valve DV-31 slowly and wait until PG-31 reads 0 bar for 2 minutes, after locking out DS-31 (SOP-112 warning and step 4).",
      ["DV-31"], [sop("SOP-112", "4.1", "B", pages=P)], ["sop", "safety", "lockout"])
    # --- SOP-118 CNC ---
    q("cnc_weekend", "How long do I warm up CNC-07 on a Monday after the weekend?",
      "Run warm-up program O9000 twice after a stop longer than 48 hours, about 50 minutes in total (SOP-118 step 4.3).",
      ["twice"], [sop("SOP-118", "4.3", "A")], ["sop", "cnc"])
    q("cnc_runout", "what's the max spindle runout allowed after warm-up on the CNCs?",
      "0.005 mm measured on the T50 test bar 50 mm from the spindle nose (SOP-118 step 6.3).",
      ["0.005 mm"], [sop("SOP-118", "6.3", "A")], ["sop", "cnc"])
    q("cnc_drawbar", "Tool clamp alarm 2031 on CNC-08 — what drawbar force should it have?",
      "12-15 kN. Do not restart the spindle; the technician checks pull stud PS-4012 and disc springs DS-4015 (SOP-118 caution before step 9).",
      ["12-15 kN"], [sop("SOP-118", "9", "A")], ["sop", "cnc", "safety"])
    q("cnc_growth", "Why are the first die inserts of the day deeper on CNC-07?",
      "Spindle thermal growth: CNC-07 has no spindle chiller; the nose grows 0.012 mm in Z after 10 min and 0.018 mm after 25 min. Run the full O9000 warm-up and measure tools only after warm-up; use CNC-08 (with chiller) for tight Z depths early in the shift.",
      ["chiller"], [note(N_CNC)], ["expert_note", "cnc"])
    # --- SOP-120 conveyors ---
    q("c14_tension", "How far apart should the 1000 mm tension marks be on CONV-14?",
      "1,004 mm (0.4 % elongation) for CONV-14 with the mechanical lace; never more than 0.5 % (SOP-120 step 7.2).",
      ["1,004"], [sop("SOP-120", "7.2", "C")], ["sop", "conveyor"])
    q("c12_tension", "and CONV-12?",
      "1,003 mm, i.e. 0.3 % elongation (SOP-120 step 7.2).",
      ["1,003"], [sop("SOP-120", "7.2", "C")], ["sop", "conveyor", "follow_up"], follow="c14_tension")
    q("snub_running", "can I tweak the snub roller on CONV-14 while it's running?",
      "No. Lock out CONV-14 at DS-C14 first: its snub roller adjusting bolts are inside the guard (SOP-120 step 6).",
      ["lock"], [sop("SOP-120", "6", "C"), note(N_C14)], ["sop", "safety", "lockout", "conveyor"])
    q("c14_walk", "CONV-14 keeps walking to the operator side in summer. What's the real fix?",
      "The floor under the middle section settled (frame 6 mm low on the left at the third leg). Adjust the snub roller (left end 2 mm towards the drive, locked out), not the tail take-up, and inspect lace LACE-800.",
      ["snub roller"], [note(N_C14)], ["expert_note", "conveyor"])
    q("c14_bearing", "Which bearing is in the CONV-14 tail pulley?",
      "BRG-6205-2RS (CONV-12 uses BRG-6206-2RS).",
      ["BRG-6205-2RS"], [sop("SOP-120", None, "C", section="4. Tools and Parts"), note(N_C14)], ["sop", "parts", "conveyor"])
    q("c12_oil", "what oil goes in the CONV-12 gearbox and how much?",
      "ISO VG 220 mineral gear oil (CLP 220), 6.5 L; check level at the middle plug on the drive side with the gearbox stopped.",
      ["220"], [note(N_C12)], ["expert_note", "conveyor"])
    # --- SOP-131 CMP-2 ---
    q("cmp_oil", "What oil do we top up CMP-2 with?",
      "Synthetic screw compressor oil OIL-SC46, to the middle of the green band, after stopping and locking out (SOP-131 Tools and Parts, step 3).",
      ["OIL-SC46"], [sop("SOP-131", "3", "A")], ["sop", "compressor"])
    q("cmp_oil_running", "Can I open the oil fill plug on CMP-2 while it's running?",
      "No. Stop CMP-2, let the blow-down finish (sump 0 bar), lock out DS-CMP2 and IV-2 and wait 5 minutes. Oil at 80 °C and 8 bar will spray out (SOP-131 lockout before step 3).",
      ["lock"], [sop("SOP-131", "3", "A")], ["sop", "safety", "lockout", "compressor"])
    q("cmp_condensate", "Where does the condensate from CMP-2 go?",
      "Into the oil-water separator OWS-1, never into a floor drain, because it contains oil (SOP-131 step 4.4).",
      ["OWS-1"], [sop("SOP-131", "4.4", "A")], ["sop", "safety", "compressor"])
    q("cmp_trip", "At what temperature does CMP-2 trip?",
      "It trips at 110 °C (230 °F) element outlet temperature; above 100 °C check the cooler and the ventilation louvre (SOP-131 caution before step 8).",
      ["110 °C"], [sop("SOP-131", "8", "A")], ["sop", "compressor"])
    q("cmp_freeze", "The CMP-2 auto drain keeps freezing in winter — what's the routine?",
      "Louvre to the winter notch (not fully closed), second shift drains receiver and drip legs by hand, first shift presses TEST on ADV-1120 and thaws with a heat gun (never a torch), clean strainer ADV-1120-S monthly in winter.",
      ["ADV-1120"], [note(N_CMP)], ["expert_note", "compressor"])
    # --- SOP-140 robots ---
    q("tipdress_interval", "How often does ROBOT-4 dress its tips?",
      "Every 250 welds, automatically by the robot program (SOP-140 step 1).",
      ["250"], [sop("SOP-140", "1", "C")], ["sop", "robot"])
    q("peel_button", "what's the minimum button size on the peel test after new caps?",
      "At least 5.0 mm button diameter on the coupon peel test (SOP-140 step 8).",
      ["5.0 mm"], [sop("SOP-140", "8", "C")], ["sop", "robot"])
    q("cell_entry", "What do I have to do before I walk into the ROBOT-5 cell to change caps?",
      "Stop the robot at the cap change position, put it in T1, put your personal lock on the gate interlock and keep the teach pendant enabling switch with you; turn off the gun cooling water (SOP-140 step 4).",
      ["gate"], [sop("SOP-140", "4", "C")], ["sop", "safety", "lockout", "robot"])
    q("blade_r4", "How long does a tip dresser blade last on ROBOT-4?",
      "About 12,000 dress cycles (galvanized brackets load the blade with zinc); change the ROBOT-4 blade TD-3300-C every two months.",
      ["12,000"], [note(N_ROB)], ["expert_note", "robot"])
    q("blade_r5", "and on ROBOT-5?",
      "About 20,000 dress cycles.",
      ["20,000"], [note(N_ROB)], ["expert_note", "robot", "follow_up"], follow="blade_r4")
    q("r5_current", "ROBOT-5 keeps throwing weld current not reached, intermittent. Known cause?",
      "The dress pack DP-7710 wore through at axis 6 rubbing on the gun bracket in program 14 (May 2024); short-term the retraction clamp was moved 80 mm and a sleeve added, then the pack was replaced.",
      ["DP-7710"], [note(N_R5)], ["expert_note", "robot"])
    # --- SOP-150 oven ---
    q("oven_two_lockouts", "OVEN-1 burner locked out twice in a row. Can I hit reset again?",
      "No. After a second lockout do not reset; close manual gas valve MGV-1, leave the fans running to cool and purge, and call maintenance (SOP-150 step 14).",
      ["MGV-1"], [sop("SOP-150", "14", "E", pages=P), note(N_OVN)], ["sop", "safety", "oven"])
    q("oven_purge", "how long is the pre-purge on the paint oven?",
      "4 minutes, at least four air changes; do not interrupt it (SOP-150 step 5).",
      ["4 minutes"], [sop("SOP-150", "5", "E", pages=P)], ["sop", "safety", "oven"])
    q("oven_gas", "What gas pressure do I need on PG-G1 before starting OVEN-1?",
      "Between 140 and 210 mbar (2.0-3.0 psi); outside this range do not start (SOP-150 step 3.2).",
      ["140"], [sop("SOP-150", "3.2", "E", pages=P)], ["sop", "oven"])
    q("oven_fans", "Can I kill the oven fans right after BURNER STOP?",
      "No. Leave the recirculation and exhaust fans running until the oven is below 80 °C (176 °F); stopping them hot can warp the fan shaft and overheat the bearings (SOP-150 caution before step 16).",
      ["80 °C"], [sop("SOP-150", "16", "E", pages=P)], ["sop", "safety", "oven"])
    q("oven_airflow", "Can we jumper the airflow switch on OVEN-1 to get through the purge?",
      "Never. Bypassing the airflow switch can cause an oven explosion; in 2014 a jumpered switch led to a delayed ignition that blew the explosion relief panel off. Clean the blower inlet screen instead.",
      ["never"], [sop("SOP-150", None, "E", section="3. Safety"), note(N_OVN)], ["sop", "safety", "oven", "expert_note"])
    q("oven_flame", "What's usually behind OVEN-1 flame failures at light-off?",
      "A dirty UV scanner lens (UV-5502); clean it with isopropyl alcohol, flame signal should be above 10 µA; replace scanners older than about 3 years.",
      ["UV-5502"], [note(N_OVN), sop("SOP-150", "14", "E", pages=P)], ["expert_note", "oven"])
    q("oven_chain", "Which lube is allowed on the OVEN-1 chain?",
      "Only the synthetic high-temperature chain lubricant LUB-HT250 (rated 250 °C), applied at the oven entry.",
      ["LUB-HT250"], [note(N_CHAIN)], ["expert_note", "oven"])
    # --- SOP-160 PRESS-04 ---
    q("p04_stop", "What's the max stopping time on PRESS-04?",
      "190 ms at 90° of the downstroke (longest of five stops). Between 170 and 190 ms schedule a brake adjustment within 2 weeks; over 190 ms tag the press out of service (SOP-160 step 12).",
      ["190 ms"], [sop("SOP-160", "12", "B")], ["sop", "safety", "press"])
    q("p04_gap", "brake air gap limit on the mechanical press?",
      "Nominal 1.0 mm, maximum 1.6 mm; above 1.6 mm replace the brake friction discs CB-4400-FD (SOP-160 step 6.2).",
      ["1.6 mm"], [sop("SOP-160", "6.2", "B")], ["sop", "press"])
    q("p04_flywheel", "When can I start on the PRESS-04 clutch after I hit stop?",
      "Only after the flywheel has fully stopped (it can run up to 4 minutes), then lock out DS-04 and air valve AV-04 and dump the clutch air; slide at BDC or blocked with SB-250 (SOP-160 Safety, step 4).",
      ["flywheel"], [sop("SOP-160", "4", "B"), note(N_TIPS)], ["sop", "safety", "lockout", "press"])
    q("p04_drift", "Why would the PRESS-04 stopping time creep up?",
      "Clutch air pressure above 5.8 bar (keep 5.5 bar), water/sludge in the clutch air slowing the SV-4410-D exhaust, a growing brake air gap (about 5 ms per 0.1 mm), or oil on the friction discs.",
      ["air gap"], [note(N_P04)], ["expert_note", "press"])
    q("p04_hub", "clutch hub bolt torque on PRESS-04?",
      "250 N·m (184 lbf·ft), M16 class 10.9 (SOP-160 step 9.1).",
      ["250 N·m"], [sop("SOP-160", "9.1", "B"), tt("PRESS-04", "Clutch hub bolts")], ["sop", "torque", "press"])
    # --- expert notes, presses ---
    q("p02_drift", "PRESS-02 ram creeps down on hot afternoons. What do I check first?",
      "The oil temperature: above 55 °C the ram drifts. Check the cooler fan first (motor FM-3318 overload in MCC-2 bucket 7, dirty cooler fins, thermostat TS-02) before touching counterbalance valve CB-3150.",
      ["cooler fan"], [note(N_P02)], ["expert_note", "press", "hydraulics"])
    q("p02_drift_fix", "What turned out to be wrong with it in summer 2023?",
      "The cooler fan motor FM-3318 was tripping on overload because its insulation was failing (2 MOhm on the W winding); it was replaced with the crib spare on 2023-08-02 and the overload set at 2.6 A.",
      ["FM-3318"], [note(N_P02M), {"doc": "WO", "locator": {}}], ["expert_note", "press", "follow_up"], follow="p02_drift")
    q("p02_cb", "Should I just turn up the counterbalance pressure on PRESS-02 to stop the drift?",
      "No. Raising the counterbalance pressure has twice cracked the ram guide gib bolts on the next heavy job.",
      ["gib"], [note(N_P02)], ["expert_note", "safety", "press"])
    q("p03_fix", "What's the permanent fix for the PRESS-03 main cylinder leak?",
      "Re-chrome and regrind the scored cylinder rod (quoted about 38,000 USD and three weeks downtime); seal kit SEAL-0932-K changes only buy time.",
      ["chrome"], [note(N_P03)], ["expert_note", "press", "hydraulics"])
    q("p03_gland", "gland bolt torque when I refit the PRESS-03 main cylinder gland?",
      "610 N·m (450 lbf·ft), M24, in a cross pattern.",
      ["610 N·m"], [note(N_P03), tt("PRESS-03", "Main cylinder gland bolts")], ["expert_note", "torque", "table"])
    q("r4_anchor", "What torque on the ROBOT-4 base anchors?",
      "410 N·m (302 lbf·ft), M20 8.8 anchors; check after any collision (torque spec table, ROBOT-4 / ROBOT-5 block).",
      ["410 N·m"], [tt("ROBOT-4 / ROBOT-5", "Robot base anchor bolts")], ["table", "torque", "robot"])
    q("c12_motor", "torque for the CONV-12 gearmotor mounting bolts?",
      "210 N·m (155 lbf·ft), M16 8.8.",
      ["210 N·m"], [tt("CONV-12", "Gearmotor mounting bolts")], ["table", "torque", "conveyor"])
    q("sv_coil", "Spare coil part number for the SV-4410 valves on PRESS-03?",
      "SV-4410-C24 (24 V DC, 30 W), used with the suppressed connector SV-4410-CN; do not confuse with the 110 V AC coil SV-4410-C110.",
      ["SV-4410-C24"], [note(N_SV)], ["expert_note", "parts", "press"])
    q("p01_return", "PRESS-01 hangs at the bottom for a second before returning. Seen this before?",
      "Yes: prefill valve PV-2500 pilot piston sticking from varnished oil. Lock out, clean the pilot piston, new O-rings SEAL-2500-PK, pilot cover bolts 85 N·m; consider a varnish removal cart.",
      ["PV-2500"], [note(N_P01), tt("PRESS-01", "Prefill valve PV-2500 pilot cover")], ["expert_note", "press", "hydraulics"])
    q("hpu_precharge", "What nitrogen precharge should the HPU-3 accumulator have?",
      "90 bar (1,305 psi) measured with the oil side drained; check every 6 months.",
      ["90 bar"], [note(N_CAV)], ["expert_note", "hydraulics"])
    q("hpu_gravel", "HPU-3 pump sounds like gravel. Do we need a new pump?",
      "Probably not: that is cavitation. Check the suction strainer, that SV-T3 is fully open, the tank breather BR-0450-E, and cold oil below 15 °C.",
      ["cavitation"], [note(N_CAV), note(N_HPU)], ["expert_note", "hydraulics"])
    q("blocks_swap", "PRESS-03's block is missing, can I use the SB-400 from PRESS-01?",
      "No. Safety blocks are not interchangeable; the SB-400 is too short for PRESS-03 and would let the ram fall 90 mm. Use SB-800.",
      ["SB-800"], [note(N_TIPS), sop("SOP-101", "3", "D", pages=P)], ["expert_note", "safety", "press"])

    # --- unanswerable: near misses and out of scope ---
    def u(key, question, tags):
        q(key, question, "The documents do not contain this information.", [], [], ["unanswerable"] + tags,
          answerable=False)

    u("na_p03_guide", "What is the torque for the PRESS-03 ram guide bolts?", ["near_miss", "torque"])
    u("na_p04_belts", "What's the part number for the PRESS-04 flywheel V-belts?", ["near_miss", "parts"])
    u("na_cnc08_brg", "Which spindle bearings are in CNC-08 and when are they due?", ["near_miss", "cnc"])
    u("na_conv12_load", "What's the maximum load in kg that CONV-12 can carry per metre?", ["near_miss", "conveyor"])
    u("na_p03_precharge", "What nitrogen precharge do the PRESS-03 accumulators ACC-3A and ACC-3B need?", ["near_miss", "hydraulics"])
    u("na_oven_ratio", "What air-to-gas ratio is the OVEN-1 burner set to?", ["near_miss", "oven"])
    u("na_sep_interval", "After how many hours is the CMP-2 separator element SEP-7540 changed?", ["near_miss", "compressor"])
    u("na_weld_current", "What weld current does ROBOT-4 use on the galvanized brackets?", ["near_miss", "robot"])
    u("na_rev_a", "What did rev A of SOP-104 say for the lower die clamp torque?", ["near_miss", "revision"])
    u("na_hpu_maker", "Who manufactures the HPU-3 pump?", ["near_miss", "hydraulics"])
    u("na_vacation", "How many vacation days do I get after five years?", ["out_of_scope"])
    u("na_weather", "Will it rain on Friday?", ["out_of_scope"])
    u("na_password", "How do I reset my Windows password?", ["out_of_scope"])
    u("na_poem", "Write me a short poem about my shift supervisor.", ["out_of_scope"])
    return Q


def wo_questions(rows: list[dict]) -> list[dict]:
    """Questions whose answers are computed from the generated work orders."""
    def g(r):
        return {"doc": r["wo"], "locator": {"wo_id": r["wo"]}}

    def fmt(d):
        return d.strftime("%Y-%m-%d")

    Q = []

    def q(key, question, answer, must, gold_rows, tags, follow=None):
        d = {"key": key, "question": question, "reference_answer": answer, "must_contain": must,
             "gold_sources": [g(r) for r in gold_rows], "answerable": True, "tags": ["work_order"] + tags}
        if follow:
            d["follow_up_of"] = follow
        Q.append(d)

    def sel(asset=None, year=None, code=None, text=None):
        out = []
        for r in rows:
            if asset and r["asset"] != asset:
                continue
            if year and r["date"].year != year:
                continue
            if code and r["code"] != code:
                continue
            if text and text not in (r["problem"] + " " + r["action"]):
                continue
            out.append(r)
        return out

    leaks23 = sel("PRESS-03", 2023, "LEAK")
    q("wo_leak23", "How many hydraulic leak work orders were written on PRESS-03 in 2023?",
      f"{len(leaks23)} work orders with failure code LEAK on PRESS-03 in 2023: " +
      ", ".join(f"{r['wo']} ({fmt(r['date'])})" for r in leaks23) + ".",
      [str(len(leaks23))], leaks23, ["count"])
    leaks22 = sel("PRESS-03", 2022, "LEAK")
    q("wo_leak22", "And in 2022?",
      f"{len(leaks22)} LEAK work orders on PRESS-03 in 2022: " +
      ", ".join(f"{r['wo']} ({fmt(r['date'])})" for r in leaks22) + ".",
      [str(len(leaks22))], leaks22, ["count", "follow_up"], follow="wo_leak23")
    all_leak = sel("PRESS-03", code="LEAK")
    last = all_leak[-1]
    q("wo_last_leak", "When was the last hydraulic leak on PRESS-03?",
      f"{fmt(last['date'])}, work order {last['wo']}: {last['problem']} - {last['action']}.",
      [fmt(last["date"])], [last], ["date"])
    cmp = sel("CMP-2")
    q("wo_cmp_last", "When was the last work order on CMP-2 and what was it?",
      f"{cmp[-1]['wo']} on {fmt(cmp[-1]['date'])}: {cmp[-1]['problem']} - {cmp[-1]['action']}.",
      [fmt(cmp[-1]["date"])], [cmp[-1]], ["date"])
    c12 = sel("CONV-12", 2024)
    q("wo_c12_2024", "How many work orders did CONV-12 get in 2024?",
      f"{len(c12)} work orders in 2024.", [str(len(c12))], c12, ["count"])
    r4 = sel("ROBOT-4", 2024)
    codes = sorted({r["code"] for r in r4})
    q("wo_r4_codes", "List the failure codes logged against ROBOT-4 in 2024.",
      f"{', '.join(codes)} ({len(r4)} work orders).", codes, r4, ["list"])
    by_asset = Counter(r["asset"] for r in sel(year=2023))
    (top, n_top), (_, n_2nd) = by_asset.most_common(2)
    assert n_top > n_2nd, "need a unique maximum"
    q("wo_top2023", "Which machine had the most work orders in 2023?",
      f"{top}, with {n_top} work orders (next highest {n_2nd}).", [top], sel(top, 2023), ["count"])
    hpu24 = sel("HPU-3", 2024)
    tot = sum(r["cost"] or 0 for r in hpu24)
    q("wo_hpu_cost", "What did HPU-3 cost us in work orders in 2024?",
      f"{tot:,.2f} USD over {len(hpu24)} work orders.", [f"{tot:,.2f}"], hpu24, ["sum", "cost"])
    hf = sel("HPU-3", text="HF-2210-B")
    q("wo_hf_last", "When was the HF-2210-B element last changed on HPU-3?",
      f"{fmt(hf[-1]['date'])} ({hf[-1]['wo']}).", [fmt(hf[-1]["date"])], [hf[-1]], ["date", "parts"])
    safe24 = sel(year=2024, code="SAFE")
    q("wo_safe24", "How many SAFE failure code work orders were there plant-wide in 2024?",
      f"{len(safe24)}.", [str(len(safe24))], safe24, ["count", "safety"])
    oven22 = sel("OVEN-1", 2022)
    q("wo_oven_first", "What was the first work order on the paint oven in 2022?",
      f"{oven22[0]['wo']} on {fmt(oven22[0]['date'])}: {oven22[0]['problem']} - {oven22[0]['action']}.",
      [oven22[0]["wo"]], [oven22[0]], ["date"])
    r5 = [r for r in sel("ROBOT-5") if r["date"].year < 2024]
    tc = Counter(r["tech"] for r in r5).most_common(2)
    assert tc[0][1] > tc[1][1]
    q("wo_r5_tech", "Who worked the most ROBOT-5 work orders in 2022-2023?",
      f"{TECHS[tc[0][0]][0]}, on {tc[0][1]} of {len(r5)} work orders.", [TECHS[tc[0][0]][0]],
      [r for r in r5 if r["tech"] == tc[0][0]], ["count"])
    p02 = sel("PRESS-02", 2023)
    dt_sum = sum(r["downtime"] for r in p02)
    q("wo_p02_down", "Total downtime hours booked on PRESS-02 in 2023?",
      f"{dt_sum:g} hours over {len(p02)} work orders.", [f"{dt_sum:g}"], p02, ["sum", "downtime"])
    seal = sel(text="SEAL-0932-K")
    q("wo_seal_count", "How many times did we put a SEAL-0932-K kit in over 2022-2024?",
      f"{len(seal)} times, all on PRESS-03: " + ", ".join(fmt(r["date"]) for r in seal) + ".",
      [str(len(seal))], seal, ["count", "parts"])
    fan = sel("PRESS-02", text="FM-3318")
    q("wo_fan", "When was the PRESS-02 cooler fan motor replaced?",
      f"{fmt(fan[-1]['date'])}, work order {fan[-1]['wo']}.", [fmt(fan[-1]["date"])], [fan[-1]], ["date"])
    clamp = [r for r in sel("PRESS-03", 2023) if "CLAMP LOOSE" in r["problem"]]
    q("wo_clamp", "What happened with the loose die clamp on PRESS-03 in November 2023?",
      f"{clamp[0]['wo']} ({fmt(clamp[0]['date'])}): {clamp[0]['problem']}. {clamp[0]['action']}. "
      "This event led to SOP-104 rev C raising the clamp bolt torque to 330 N·m.",
      [clamp[0]["wo"]], clamp, ["date", "revision"])
    sv = sel(text="SV-4410-C24")
    q("wo_sv_coils", "How many SV-4410 coils were replaced on the presses in 2022-2024?",
      f"{len(sv)} coil replacements: " + ", ".join(f"{r['asset']} {fmt(r['date'])}" for r in sv) +
      ". None after the suppressed connectors were fitted on 2023-06-14.",
      [str(len(sv))], sv, ["count", "parts"])
    return Q


def write_questions(manual: list[dict], woq: list[dict], rows: list[dict]) -> int:
    # Patch the one manual question that points at a work order.
    fan = [r for r in rows if r["asset"] == "PRESS-02" and "FM-3318" in r["action"]][-1]
    allq = manual[:]
    # Interleave: put the work-order questions after the manual answerable ones,
    # before the unanswerable block.
    first_na = next(i for i, q in enumerate(allq) if not q["answerable"])
    allq = allq[:first_na] + woq + allq[first_na:]
    ids = {q["key"]: f"q{i + 1:03d}" for i, q in enumerate(allq)}
    lines = []
    for q in allq:
        gold = []
        for gs in q["gold_sources"]:
            if gs["doc"] == "WO":
                gs = {"doc": fan["wo"], "locator": {"wo_id": fan["wo"]}}
            gold.append(gs)
        d = {"id": ids[q["key"]], "question": q["question"], "reference_answer": q["reference_answer"],
             "must_contain": q["must_contain"], "gold_sources": gold, "answerable": q["answerable"],
             "tags": q["tags"]}
        if "follow_up_of" in q:
            d["follow_up_of"] = ids[q["follow_up_of"]]
        lines.append(json.dumps(d, ensure_ascii=False))
    (HERE / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main() -> None:
    if DOCS.exists():
        shutil.rmtree(DOCS)
    (DOCS / "sops").mkdir(parents=True)
    pages: dict[tuple[str, str, str], int] = {}
    for src in sorted((SRC / "sops").glob("*.md")):
        text = src.read_text(encoding="utf-8")
        s = parse_sop(text)
        fmt = SOP_FORMATS[s["doc_id"]]
        out = DOCS / "sops" / f"{src.stem}.{fmt}"
        if fmt == "pdf":
            for step, page in render_pdf(s, out).items():
                pages[(s["doc_id"], s["rev"], step)] = page
        elif fmt == "docx":
            render_docx(s, out)
        else:
            out.write_text(text, encoding="utf-8")
    notes_dir = DOCS / "expert_notes"
    notes_dir.mkdir(parents=True)
    for src in sorted((SRC / "notes").iterdir()):
        shutil.copyfile(src, notes_dir / src.name)
    rows = generate_work_orders()
    write_work_orders(rows)
    tr = write_torque_table()
    n = write_questions(manual_questions(pages, tr), wo_questions(rows), rows)
    print(f"SOPs: {len(list((DOCS / 'sops').iterdir()))}, notes: {len(list(notes_dir.iterdir()))}, "
          f"work orders: {len(rows)} ({sum(r['date'].year < 2024 for r in rows)} CSV, "
          f"{sum(r['date'].year == 2024 for r in rows)} XLSX), questions: {n}")


if __name__ == "__main__":
    main()
