#!/usr/bin/env python3
"""Recompute every golden answer of the Harlow Field MRO site from the generated files.

    python sample_hangar/check_gold.py [SITE_FOLDER]   # default: the folder of this script

Independent of build.py and of Floorwise: it reads docs/ with openpyxl, csv,
python-docx and html.parser, applies the counting rule stated next to each
check, and compares the result with questions.jsonl (must_contain and, for
record questions, the cited rows). Lookups, procedures and notes are checked by
finding each must_contain value in the cited row, step or document; near misses
by showing that the asked attribute is absent. Exits 1 on any mismatch.

Conventions (the same ones the questions state):
- money "24,860.00", hours in shortest form ("14.6", "120"), averages to two decimals, dates ISO;
- blank cost cells count as nothing in sums;
- an answer over more than 25 rows cites the sheet (log) or the file (CSV), not each row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

SITE = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
DOCS = SITE / "docs"
LOG = "maintenance_log_2022-2024.xlsx"
GSE = "gse_work_records.csv"
CAT = "parts_catalogue.csv"
TSX = "troubleshooting_wheels_brakes.xlsx"
TSD = "gpu_troubleshooting_guide.docx"
MANY = 25


# ------------------------------------------------------------------------------------
# Reading the files
# ------------------------------------------------------------------------------------

def find(name: str) -> Path:
    hits = list(DOCS.rglob(name))
    assert len(hits) == 1, f"{name}: {len(hits)} files"
    return hits[0]


def read_log() -> tuple[list[dict], list[str], list[str]]:
    """Year sheets only (the Notes sheet is not data). Text dates are DD-MMM-YYYY."""
    import openpyxl

    wb = openpyxl.load_workbook(find(LOG), data_only=True)
    rows, headers = [], None
    for ws in wb.worksheets:
        if not re.fullmatch(r"\d{4}", ws.title):
            continue
        values = list(ws.iter_rows(values_only=True))
        headers = list(values[0])
        for n, v in enumerate(values[1:], start=2):
            r = dict(zip(headers, v))
            d = r["Date Reported"]
            date = d.date() if isinstance(d, dt.datetime) else dt.datetime.strptime(d, "%d-%b-%Y").date()
            rows.append(dict(sheet=ws.title, row=n, sq=r["Squawk No"], tail=r["Tail"], date=date,
                             text_date=isinstance(d, str), disc=r["Discrepancy"], act=r["Corrective Action"],
                             ata=r["ATA"], chapter=r["ATA"].split()[0], labor=float(r["Labor Hrs"]),
                             cost=None if r["Parts Cost ($)"] is None else float(r["Parts Cost ($)"]), mech=r["Mechanic"]))
    return rows, headers, wb.sheetnames


def read_csv(name: str) -> tuple[list[dict], list[str]]:
    """Rows with their line number (header = line 1)."""
    with open(find(name), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        headers = next(reader)
        rows, start = [], reader.line_num + 1
        for fields in reader:
            rows.append({**dict(zip(headers, fields)), "row": start})
            start = reader.line_num + 1
    return rows, headers


def read_gse() -> tuple[list[dict], list[str]]:
    rows, headers = read_csv(GSE)
    for r in rows:
        r["date"] = dt.date.fromisoformat(r["Opened"])
        r["down"] = float(r["Downtime (h)"])
        r["cost"] = float(r["Cost"]) if r["Cost"] else None
    return rows, headers


def read_catalogue() -> tuple[list[dict], list[str]]:
    rows, headers = read_csv(CAT)
    for r in rows:
        r["price"], r["qty"], r["min"], r["lead"] = (float(r["Unit Price"]), int(r["Qty On Hand"]),
                                                     int(r["Min Stock"]), int(r["Lead Time (days)"]))
    return rows, headers


def read_ts_xlsx() -> list[dict]:
    """Merged Symptom cells: every row of a merged range takes the top-left value."""
    import openpyxl

    ws = openpyxl.load_workbook(find(TSX)).worksheets[0]
    fill = {}
    for rng in ws.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            fill[row] = ws.cell(rng.min_row, rng.min_col).value
    headers = [c.value for c in ws[1]]
    out = []
    for n in range(2, ws.max_row + 1):
        r = dict(zip(headers, (ws.cell(n, c).value for c in range(1, len(headers) + 1))))
        r["Symptom"] = r["Symptom"] or fill.get(n)
        out.append({**r, "row": n, "sheet": ws.title})
    return out


def read_ts_docx() -> list[dict]:
    """Table rows numbered from 1 (header); vertically merged Fault cells repeat on every row they span."""
    import docx

    table = docx.Document(find(TSD)).tables[0]
    headers = [c.text for c in table.rows[0].cells]
    return [{**dict(zip(headers, (c.text for c in row.cells))), "row": n}
            for n, row in enumerate(table.rows[1:], start=2)]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_endtag(self, tag):
        if tag in ("p", "h1", "h2", "li", "tr", "td", "th"):
            self.parts.append("\n" if tag in ("p", "h1", "h2", "li", "tr") else " ")


def doc_text(name: str) -> str:
    path = find(name)
    if path.suffix == ".docx":
        import docx

        d = docx.Document(path)
        lines = [p.text for p in d.paragraphs]
        for t in d.tables:
            lines += [" | ".join(c.text for c in row.cells) for row in t.rows]
        return "\n".join(lines)
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        return "".join(parser.parts)
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------
# Formats and citations
# ------------------------------------------------------------------------------------

def money(x):
    return f"{x:,.2f}"


def hours(x):
    return f"{round(x, 1):g}"


def avg2(x):
    return f"{x:.2f}"


def log_cite(rows):
    if len(rows) > MANY:
        return [{"doc": LOG, "locator": {"sheet": s}} for s in sorted({r["sheet"] for r in rows})]
    return [{"doc": LOG, "locator": {"sheet": r["sheet"], "row": r["row"]}} for r in rows]


def csv_cite(name, rows):
    if len(rows) > MANY:
        return [{"doc": name, "locator": {}}]
    return [{"doc": name, "locator": {"row": r["row"]}} for r in rows]


def top_set(counter: Counter, n: int) -> set:
    """The n largest groups; the boundary must not be a tie."""
    ranked = counter.most_common()
    assert len(ranked) == n or ranked[n - 1][1] > ranked[n][1], f"tie at place {n}"
    return {k for k, _ in ranked[:n]}


# ------------------------------------------------------------------------------------
# The record questions: id -> rule. Each returns (must_contain, gold_sources).
# ------------------------------------------------------------------------------------

class Data:
    def __init__(self):
        self.log, self.log_headers, self.sheets = read_log()
        self.gse, self.gse_headers = read_gse()
        self.cat, self.cat_headers = read_catalogue()
        self.part = {p["Part No"]: p for p in self.cat}

    def sq(self, tail=None, year=None, chapter=None, where=lambda r: True):
        return [r for r in self.log if (tail is None or r["tail"] == tail) and (year is None or r["date"].year == year)
                and (chapter is None or r["chapter"] == chapter) and where(r)]

    def rec(self, unit=None, year=None):
        return [r for r in self.gse if (unit is None or r["Unit"] == unit) and (year is None or r["date"].year == year)]


CHECKS = {}


def check(qid):
    def register(fn):
        CHECKS[qid] = fn
        return fn
    return register


@check("count-main-tire-N27315-2023")
def _(D, q):
    """Main tire change = Corrective Action starts with R&R and names both MLG and TIRE."""
    rows = D.sq("N27315", 2023, where=lambda r: r["act"].startswith("R&R") and "MLG" in r["act"] and "TIRE" in r["act"])
    return [str(len(rows))], log_cite(rows)


@check("count-ata32-N4821K-2024")
def _(D, q):
    """ATA cell starts with chapter 32."""
    rows = D.sq("N4821K", 2024, "32")
    return [str(len(rows))], log_cite(rows)


@check("count-squawks-2023")
def _(D, q):
    """Every data row of the 2023 sheet."""
    rows = [r for r in D.log if r["sheet"] == "2023"]
    return [str(len(rows))], log_cite(rows)


@check("count-cost-pending")
def _(D, q):
    """Blank Parts Cost ($) cells in all year sheets."""
    rows = D.sq(where=lambda r: r["cost"] is None)
    return [str(len(rows))], log_cite(rows)


@check("count-battery-changes")
def _(D, q):
    """Corrective Action installs main battery LW-24120."""
    rows = D.sq(where=lambda r: "LW-24120" in r["act"])
    return [str(len(rows))], log_cite(rows)


@check("sum-cost-N4821K-2024")
def _(D, q):
    rows = D.sq("N4821K", 2024)
    return [money(sum(r["cost"] or 0 for r in rows))], log_cite(rows)


@check("sum-labor-N61904-2023")
def _(D, q):
    rows = D.sq("N61904", 2023)
    return [hours(sum(r["labor"] for r in rows))], log_cite(rows)


@check("sum-cost-ata32-2022")
def _(D, q):
    rows = D.sq(year=2022, chapter="32")
    return [money(sum(r["cost"] or 0 for r in rows))], log_cite(rows)


@check("max-cost-squawk")
def _(D, q):
    rows = sorted((r for r in D.log if r["cost"] is not None), key=lambda r: r["cost"], reverse=True)
    assert rows[0]["cost"] > rows[1]["cost"]
    return [rows[0]["sq"], money(rows[0]["cost"])], log_cite(rows[:1])


@check("max-labor-2023")
def _(D, q):
    rows = sorted(D.sq(year=2023), key=lambda r: r["labor"], reverse=True)
    assert rows[0]["labor"] > rows[1]["labor"]
    return [rows[0]["sq"], hours(rows[0]["labor"])], log_cite(rows[:1])


@check("min-squawks-2024")
def _(D, q):
    per = Counter(r["tail"] for r in D.sq(year=2024))
    (tail, n), (_, n2) = sorted(per.items(), key=lambda kv: kv[1])[:2]
    assert n < n2
    return [tail], log_cite(D.sq(tail, 2024))


@check("top3-ata32-tails")
def _(D, q):
    rows = D.sq(chapter="32")
    return sorted(top_set(Counter(r["tail"] for r in rows), 3)), log_cite(rows)


@check("top3-ata-chapters")
def _(D, q):
    """Chapter titles, taken from the ATA cells ("32 Landing Gear" -> "Landing Gear")."""
    title = {r["chapter"]: r["ata"].split(" ", 1)[1] for r in D.log}
    return sorted(title[c] for c in top_set(Counter(r["chapter"] for r in D.log), 3)), log_cite(D.log)


@check("group-ata-2023")
def _(D, q):
    """Squawks per ATA chapter in 2023; must_contain holds the three largest distinct counts."""
    rows = D.sq(year=2023)
    counts = sorted(set(Counter(r["chapter"] for r in rows).values()), reverse=True)[:3]
    return [str(n) for n in counts], log_cite(rows)


@check("group-labor-N350KV-year")
def _(D, q):
    return [hours(sum(r["labor"] for r in D.sq("N350KV", y))) for y in (2022, 2023, 2024)], log_cite(D.sq("N350KV"))


@check("avg-labor-")
def _(D, q):
    """avg-labor-<TAIL>-2024: mean Labor Hrs per squawk, two decimals."""
    tail = q["id"].split("-")[2]
    rows = D.sq(tail, 2024)
    return [avg2(sum(r["labor"] for r in rows) / len(rows))], log_cite(rows)


@check("latest-sg-N61904")
def _(D, q):
    """Starter generator R&R = Corrective Action installs LW-80110 as STARTER GEN."""
    rows = sorted(D.sq("N61904", where=lambda r: "STARTER GEN W/ LW-80110" in r["act"]), key=lambda r: r["date"])
    return [rows[-1]["date"].isoformat()], log_cite(rows[-1:])


@check("earliest-N88214-2024")
def _(D, q):
    rows = sorted(D.sq("N88214", 2024), key=lambda r: (r["date"], r["sq"]))
    assert rows[0]["date"] < rows[1]["date"]
    return [rows[0]["sq"]], log_cite(rows[:1])


@check("latest-tire-N4821K")
def _(D, q):
    """Tire change = Corrective Action starts with R&R and names a TIRE (main or nose)."""
    rows = sorted(D.sq("N4821K", where=lambda r: r["act"].startswith("R&R") and "TIRE" in r["act"]), key=lambda r: r["date"])
    assert rows[-1]["date"] > rows[-2]["date"]
    return [rows[-1]["date"].isoformat()], log_cite(rows[-1:])


@check("earliest-brake-N350KV")
def _(D, q):
    rows = sorted(D.sq("N350KV", where=lambda r: "BRAKE ASSY W/" in r["act"]), key=lambda r: r["date"])
    assert rows[0]["date"] < rows[1]["date"]
    return [rows[0]["date"].isoformat()], log_cite(rows[:1])


@check("count-gse-GPU-09-2024")
def _(D, q):
    rows = D.rec("GPU-09", 2024)
    return [str(len(rows))], csv_cite(GSE, rows)


@check("sum-down-TUG-2-2024")
def _(D, q):
    rows = D.rec("TUG-2", 2024)
    return [hours(sum(r["down"] for r in rows))], csv_cite(GSE, rows)


@check("sum-cost-GPU-07-2023")
def _(D, q):
    rows = D.rec("GPU-07", 2023)
    return [money(sum(r["cost"] or 0 for r in rows))], csv_cite(GSE, rows)


@check("max-down-gse")
def _(D, q):
    rows = sorted(D.gse, key=lambda r: r["down"], reverse=True)
    assert rows[0]["down"] > rows[1]["down"]
    return [rows[0]["Record No"], hours(rows[0]["down"])], csv_cite(GSE, rows[:1])


@check("group-gse-units-2023")
def _(D, q):
    """Records opened in 2023 per Unit, in unit name order."""
    rows = D.rec(year=2023)
    return [str(n) for _, n in sorted(Counter(r["Unit"] for r in rows).items())], csv_cite(GSE, rows)


@check("avg-down-")
def _(D, q):
    """avg-down-<UNIT>: mean Downtime (h) per record over all years, two decimals."""
    rows = D.rec(q["id"][len("avg-down-"):])
    return [avg2(sum(r["down"] for r in rows) / len(rows))], csv_cite(GSE, rows)


@check("latest-DEICE-1")
def _(D, q):
    rows = sorted(D.rec("DEICE-1"), key=lambda r: r["date"])
    assert rows[-1]["date"] > rows[-2]["date"]
    return [rows[-1]["date"].isoformat(), rows[-1]["Record No"]], csv_cite(GSE, rows[-1:])


@check("top2-gse-down-2023")
def _(D, q):
    rows = D.rec(year=2023)
    down = Counter()
    for r in rows:
        down[r["Unit"]] += r["down"]
    return sorted(top_set(down, 2)), csv_cite(GSE, rows)


@check("count-below-min")
def _(D, q):
    """Qty On Hand strictly below Min Stock."""
    rows = [p for p in D.cat if p["qty"] < p["min"]]
    return [str(len(rows))], csv_cite(CAT, rows)


@check("max-lead-time")
def _(D, q):
    rows = sorted(D.cat, key=lambda p: p["lead"], reverse=True)
    assert rows[0]["lead"] > rows[1]["lead"]
    return [rows[0]["Part No"], str(rows[0]["lead"])], csv_cite(CAT, rows[:1])


@check("min-price")
def _(D, q):
    rows = sorted(D.cat, key=lambda p: p["price"])
    assert rows[0]["price"] < rows[1]["price"]
    return [rows[0]["Part No"], money(rows[0]["price"])], csv_cite(CAT, rows[:1])


@check("avg-price-ata32")
def _(D, q):
    rows = [p for p in D.cat if p["ATA"] == "32"]
    return [avg2(sum(p["price"] for p in rows) / len(rows))], csv_cite(CAT, rows)


@check("lookup-price-LW-32130")
def _(D, q):
    p = D.part["LW-32130"]
    return [money(p["price"])], csv_cite(CAT, [p])


@check("lookup-vendor-LW-80110")
def _(D, q):
    p = D.part["LW-80110"]
    return [p["Vendor"], str(p["lead"])], csv_cite(CAT, [p])


@check("lookup-qty-LW-32115")
def _(D, q):
    p = D.part["LW-32115"]
    return [str(p["qty"])], csv_cite(CAT, [p])


@check("lookup-min-LW-24120")
def _(D, q):
    p = D.part["LW-24120"]
    return [str(p["min"])], csv_cite(CAT, [p])


PART_RE = re.compile(r"LW-\d{5}")


@check("cross-part-cost-squawk")
def _(D, q):
    """The squawk named in the question -> the part number in its Corrective Action -> catalogue Unit Price."""
    sq = re.search(r"\d{4}-\d{4}", q["question"]).group()
    r = next(r for r in D.log if r["sq"] == sq)
    (pn,) = set(PART_RE.findall(r["act"]))
    return [money(D.part[pn]["price"])], log_cite([r]) + csv_cite(CAT, [D.part[pn]])


@check("cross-brake-vendor")
def _(D, q):
    """Brake assemblies = catalogue parts described BRAKE ASSY; count squawks whose Corrective Action names each."""
    brakes = [p["Part No"] for p in D.cat if p["Description"].startswith("BRAKE ASSY")]
    used = Counter({pn: sum(pn in r["act"] for r in D.log) for pn in brakes})
    (pn,) = top_set(used, 1)
    return [D.part[pn]["Vendor"]], csv_cite(CAT, [D.part[pn]]) + log_cite([r for r in D.log if pn in r["act"]])


@check("cross-sg-lead-time")
def _(D, q):
    r = sorted(D.sq("N61904", where=lambda r: "STARTER GEN W/" in r["act"]), key=lambda r: r["date"])[-1]
    (pn,) = set(PART_RE.findall(r["act"]))
    return [str(D.part[pn]["lead"])], log_cite([r]) + csv_cite(CAT, [D.part[pn]])


@check("cross-gse-part-on-hand")
def _(D, q):
    """Count GSE records whose Corrective Action names each part number (once per record); take the most frequent."""
    used = Counter(pn for r in D.gse for pn in set(PART_RE.findall(r["Corrective Action"])))
    (pn,) = top_set(used, 1)
    p = D.part[pn]
    return [pn, str(p["qty"])], csv_cite(CAT, [p]) + csv_cite(GSE, [r for r in D.gse if pn in r["Corrective Action"]])


@check("cross-vendor-costliest-N88214-2024")
def _(D, q):
    rows = sorted((r for r in D.sq("N88214", 2024) if r["cost"] is not None), key=lambda r: r["cost"], reverse=True)
    assert rows[0]["cost"] > rows[1]["cost"]
    (pn,) = set(PART_RE.findall(rows[0]["act"]))
    return [D.part[pn]["Vendor"]], log_cite(rows[:1]) + csv_cite(CAT, [D.part[pn]])


def record_check(qid):
    if qid in CHECKS:
        return CHECKS[qid]
    return next((fn for key, fn in CHECKS.items() if key.endswith("-") and qid.startswith(key)), None)


# ------------------------------------------------------------------------------------
# Passages: each must_contain value sits in a cited row, step, section or document
# ------------------------------------------------------------------------------------

def norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def source_text(D, texts, g) -> str | None:
    """Text of one gold source, narrowed to its row when it cites one."""
    doc, loc = g["doc"], g["locator"]
    if doc == TSX:
        (r,) = [r for r in D.ts_xlsx if r["row"] == loc["row"] and r["sheet"] == loc["sheet"]]
        return " | ".join(str(v) for k, v in r.items() if k not in ("row", "sheet"))
    if doc == TSD:
        (r,) = [r for r in D.ts_docx if r["row"] == loc["row"]]
        return " | ".join(str(v) for k, v in r.items() if k != "row")
    if doc in (LOG, GSE, CAT):
        return None  # record rows are checked by the record rules
    text = texts.setdefault(doc, doc_text(doc))
    if "step" in loc:
        assert re.search(rf"(?m)^\s*{re.escape(loc['step'])}(\.|\s)", text), f"{doc}: no step {loc['step']}"
    if "section" in loc:
        assert norm(loc["section"]) in norm(text), f"{doc}: no section {loc['section']!r}"
    return text


# Near misses: the subject is present and the asked attribute is not, shown in code.
def near_miss_checks(D, texts) -> dict:
    card = {k: texts.setdefault(n, doc_text(n)) for k, n in (
        ("tire", "TC-32-41-01 main wheel tire change.docx"), ("oil", "TC-12-13-01 engine oil servicing.md"),
        ("batt", "TC-24-31-01 main battery removal and installation.html"))}
    cards = "\n".join(card.values())
    notes = {n: texts.setdefault(n, doc_text(n)) for n in (p.name for p in (DOCS / "notes").iterdir())}
    gpu = doc_text(TSD)  # paragraphs and the fault table
    lines = lambda t: t.lower().splitlines()  # noqa: E731
    log_heads = {"Squawk No", "Tail", "Date Reported", "Discrepancy", "Corrective Action", "ATA", "Labor Hrs",
                 "Parts Cost ($)", "Mechanic"}
    gse_heads = {"Record No", "Unit", "Opened", "Reported Problem", "Corrective Action", "Downtime (h)", "Cost", "Tech"}
    cat_heads = {"Part No", "Description", "ATA", "Unit Price", "Qty On Hand", "Min Stock", "Vendor", "Lead Time (days)"}
    return {
        "nm-brake-bolt-torque": not any("brake" in ln and "in-lb" in ln for ln in lines(cards)),
        "nm-nose-tire-psi": not any("nose" in ln and "psi" in ln for ln in lines(cards)),
        "nm-oil-filter-torque": "in-lb" not in card["oil"] and "N·m" not in card["oil"],
        "nm-oil-capacity": "capacity" not in card["oil"].lower(),
        "nm-batt-vent-clamp": not any("vent" in ln and "in-lb" in ln for ln in lines(card["batt"])),
        "nm-batt-capacity": not re.search(r"\bAh\b|amp-hour|ampere", card["batt"] + D.part["LW-24120"]["Description"], re.I),
        "nm-flight-hours": set(D.log_headers) == log_heads,
        "nm-rii-inspector": set(D.log_headers) == log_heads,
        "nm-squawks-2021": "2021" not in D.sheets and all(r["date"].year >= 2022 for r in D.log),
        "nm-serial-sg": not any(re.search(r"S/N|SERIAL", r["act"]) for r in D.log),
        "nm-mel-category": set(D.log_headers) == log_heads and not any("MEL" in r["act"] for r in D.log),
        "nm-gse-hour-meter": set(D.gse_headers) == gse_heads and not any("meter" in r["Corrective Action"] for r in D.gse),
        "nm-gse-labor": set(D.gse_headers) == gse_heads,
        "nm-gse-loadbank-due": not re.search(r"\bdue\b", gpu, re.I) and "GPU-09" in gpu,
        "nm-shelf-life": set(D.cat_headers) == cat_heads,
        "nm-bin-location": set(D.cat_headers) == cat_heads,
        "nm-price-LW-32250": "LW-32250" not in D.part,
        "nm-warranty": set(D.cat_headers) == cat_heads,
        "nm-vendor-phone": set(D.cat_headers) == cat_heads,
        "nm-ts-brake-squeal": not any("squeal" in str(r).lower() for r in D.ts_xlsx),
        "nm-ts-gpu-ac": not re.search(r"\bAC\b|115 V", gpu),
        "nm-sg-overhaul-shop": not re.search(r"overhaul shop\s+(at|in|of|called|named)|\bInc\b|\bLLC\b",
                                             notes["2024-10-02 N61904 starter-generator repeat failures (D. Ferreira).md"]),
        "nm-tire-brand": "brand" not in notes["tires and brakes in winter - notes from R. Okafor.txt"].lower(),
        "nm-spinner-torque": "spinner" not in cards.lower(),
    }


# ------------------------------------------------------------------------------------

def key(g) -> str:
    return json.dumps(g, sort_keys=True)


def main() -> int:
    D = Data()
    D.ts_xlsx, D.ts_docx = read_ts_xlsx(), read_ts_docx()
    questions = [json.loads(line) for line in (SITE / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
    texts: dict[str, str] = {}
    absent = near_miss_checks(D, texts)
    errors, checked = [], Counter()

    def fail(q, msg):
        errors.append(f"{q['id']}: {msg}")

    for q in questions:
        tags = q["tags"]
        if not q["answerable"]:
            checked["near_miss"] += 1
            if q["must_contain"] or q["gold_sources"] or "near_miss" not in tags:
                fail(q, "a near miss must have no must_contain, no gold sources and the near_miss tag")
            if not absent.get(q["id"], False):
                fail(q, "the asked attribute is present in the documents (or no absence rule is written)")
            continue
        rule = record_check(q["id"])
        if "records" in tags or rule is not None:
            if rule is None:
                fail(q, "tagged records but no rule in check_gold.py")
                continue
            try:
                must, gold = rule(D, q)
            except AssertionError as exc:
                fail(q, f"rule precondition failed: {exc}")
                continue
            checked["records" if "records" in tags else "lookup rows"] += 1
            if sorted(must) != sorted(q["must_contain"]):
                fail(q, f"must_contain {q['must_contain']} != recomputed {must}")
            if sorted(map(key, gold)) != sorted(map(key, q["gold_sources"])):
                fail(q, "gold_sources differ from the recomputed rows")
            continue
        checked["passages"] += 1
        sources = [t for t in (source_text(D, texts, g) for g in q["gold_sources"]) if t is not None]
        if not sources:
            fail(q, "no checkable gold source")
        for needle in q["must_contain"]:
            if not any(norm(needle) in norm(t) for t in sources):
                fail(q, f"{needle!r} not found in its gold sources")

    ids = [q["id"] for q in questions]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")
    splits = Counter(q.get("split") for q in questions)
    if set(splits) != {"dev", "test"} or abs(splits["dev"] - splits["test"]) > 1:
        errors.append(f"splits not half/half: {dict(splits)}")
    share = sum(not q["answerable"] for q in questions) / len(questions)
    if share < 0.25:
        errors.append(f"near misses are {share:.0%} of the questions, want at least 25%")
    for e in errors:
        print("MISMATCH", e)
    print(f"{len(questions)} questions: " + ", ".join(f"{k} {v}" for k, v in sorted(checked.items()))
          + f"; {len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
