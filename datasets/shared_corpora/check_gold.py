#!/usr/bin/env python3
"""Recompute every reference answer of questions.jsonl from the corpora, independently of Floorwise.

    python3 datasets/shared_corpora/check_gold.py [--corpora ../shared/corpora]

Standard library only, no project imports. Exit 0 when every question checks out,
1 with one line per mismatch otherwise, 2 when a file is missing.

What is checked:
- OSHA questions: each must_contain string occurs (case- and whitespace-insensitive)
  inside the gold section of 29-CFR-1910.147.md, e.g. "(d) Application of control"
  spans from that heading to "(e) Release from lockout or tagout".
- Lookups (tag `lookup` without `records`): each must_contain string occurs in a gold row.
- Computed questions (tag `records`): RULES below recompute the answer from the CSV rows;
  every computed value must be in must_contain, every other must_contain item must name
  one of the answer rows, and the gold rows must be among the answer rows.
- Near misses (answerable false): must_contain is empty and NEAR below shows that the
  asked attribute is absent (no such column, failure mode or wording), while the subject exists.
- Every must_contain string also appears in the reference answer; follow-ups share their
  parent's split; every question has a check.

Rows are CSV line numbers: the header is line 1, the first data row line 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
DEFAULT_CORPORA = HERE.parents[2] / "shared" / "corpora"  # <repo>/../shared/corpora
OSHA = "loto_osha/29-CFR-1910.147.md"
FMEA = "fmea_haul_truck/fmea_dataset_filled.csv"
WORK_ORDERS = "excavator_work_orders/excavators.csv"
DOCS = {"29-CFR-1910.147.md": "loto", "fmea_dataset_filled.csv": "fmea", "excavators.csv": "workorders"}
TYPES = {"fact", "procedure", "definition", "lookup", "count", "sum", "average", "max", "min", "top_n", "group_by",
         "latest", "earliest", "list", "date", "near_miss", "follow_up", "records"}


def norm(text: str) -> str:
    """Case- and whitespace-insensitive form; curly quotes folded. norm(' A  “b” ') == 'a"b"'"""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return "".join(text.split()).casefold()


def fmt(x: float) -> str:
    """Numbers as the CSV writes them: 2 decimals at most, no trailing zeros (25459.90 -> '25459.9')."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


# -- the documents ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    line: int
    cells: dict

    def __getitem__(self, key):
        return self.cells[key]

    def text(self) -> str:
        return " | ".join(str(v) for v in self.cells.values())


def read_rows(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """CSV -> header, rows, line numbers; refuses rows spanning several lines (numbering would drift)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows, lines, last = [], [], 1
        for row in reader:
            if reader.line_num != last + 1:
                raise SystemExit(f"{path.name}: a row spans lines {last + 1}-{reader.line_num}")
            last = reader.line_num
            rows.append(row)
            lines.append(last)
    return header, rows, lines


def load_fmea(path: Path) -> tuple[list[str], list[Row]]:
    header, rows, lines = read_rows(path)
    out = []
    for line, raw in zip(lines, rows):
        cells = {h.strip(): v.strip() for h, v in zip(header, raw)}
        for k in ("Severity", "Occurrence", "Detection", "RPN"):
            cells[k] = int(cells[k])
        out.append(Row(line, cells))
    return header, out


def load_work_orders(path: Path) -> tuple[list[str], list[Row], list[int]]:
    """Rows with Cost as float (None when blank). A row whose last field is a PM code instead of a
    cost had an unquoted comma in its text (line 3454, "won,t swing"): the text is re-joined."""
    header, rows, lines = read_rows(path)
    out, repaired = [], []
    for line, raw in zip(lines, rows):
        date, asset, text, pm, cost = raw
        if re.fullmatch(r"PM\d+", cost) and not re.fullmatch(r"PM\d+", pm):
            text, pm, cost = f"{text},{pm}", cost, ""
            repaired.append(line)
        out.append(Row(line, {"date": date, "asset": asset, "text": text, "pm": pm,
                              "cost": float(cost) if cost else None}))
    return header, out, repaired


# -- rules for computed questions ---------------------------------------------------------------
@dataclass
class Result:
    exact: list[str]  # computed values an answer must show; all must be in must_contain
    rows: list[Row] = field(default_factory=list)  # rows that hold (or make up) the answer


class Tables:
    def __init__(self, fmea: list[Row], wos: list[Row]):
        self.fmea, self.wos = fmea, wos

    # FMEA row filters: exact column equality; `mode` is a case-insensitive substring of Failure Mode
    def fm(self, subsystem=None, component=None, controls=None, mode=None) -> list[Row]:
        return [r for r in self.fmea
                if (subsystem is None or r["Subsystem"] == subsystem)
                and (component is None or r["Component"] == component)
                and (controls is None or r["Current Controls"] == controls)
                and (mode is None or mode.casefold() in r["Potential Failure Mode"].casefold())]

    # Work-order filters: asset equality; year = first 4 characters of BscStartDate; `text_all`
    # all present and `text_any` one present in OriginalShorttext (case-insensitive); dates inclusive.
    def wo(self, asset=None, year=None, pm=None, text_all=(), text_any=(), start=None, end=None) -> list[Row]:
        out = []
        for r in self.wos:
            t = r["text"].casefold()
            if asset is not None and r["asset"] != asset:
                continue
            if year is not None and r["date"][:4] != str(year):
                continue
            if pm is not None and r["pm"] != pm:
                continue
            if any(k.casefold() not in t for k in text_all):
                continue
            if text_any and not any(k.casefold() in t for k in text_any):
                continue
            if (start and r["date"] < start) or (end and r["date"] > end):
                continue
            out.append(r)
        return out


def count(rows: list[Row]) -> Result:
    return Result([str(len(rows))], rows)


def extreme(rows: list[Row], key: Callable[[Row], float], highest=True, show: Callable[[Row], list] = None) -> Result:
    """All rows sharing the max (or min) of `key`; `show` picks the values must_contain holds."""
    best = max(map(key, rows)) if highest else min(map(key, rows))
    hits = [r for r in rows if key(r) == best]
    return Result(show(hits) if show else [], hits)


def top_n(rows: list[Row], key: Callable[[Row], float], n: int) -> Result:
    ranked = sorted(rows, key=key, reverse=True)
    if len(ranked) > n and key(ranked[n - 1]) == key(ranked[n]):
        raise AssertionError(f"top {n} is ambiguous: a tie at rank {n}")
    return Result([], ranked[:n])


def biggest_group(rows: list[Row], key: Callable[[Row], str], also_key=False) -> Result:
    """The largest group (must be unique): its size, and its key when `also_key`."""
    groups = Counter(map(key, rows)).most_common()
    (name, size), runner_up = groups[0], groups[1][1] if len(groups) > 1 else -1
    if size == runner_up:
        raise AssertionError(f"largest group is tied: {groups[:3]}")
    return Result(([name] if also_key else []) + [str(size)], [r for r in rows if key(r) == name])


def largest_counts(rows: list[Row], key: Callable[[Row], str], n: int) -> Result:
    return Result([str(size) for _, size in Counter(map(key, rows)).most_common(n)], [])


def mean(rows: list[Row], key: Callable[[Row], float]) -> Result:
    return Result([fmt(statistics.fmean(key(r) for r in rows))], rows)


def total(rows: list[Row]) -> Result:
    return Result([fmt(sum(r["cost"] or 0.0 for r in rows))], rows)


def dates_of(rows: list[Row]) -> Result:
    return Result(sorted({r["date"] for r in rows}), rows)


def costliest(rows: list[Row]) -> Result:
    return extreme(rows, lambda r: r["cost"] if r["cost"] is not None else float("-inf"),
                   show=lambda hits: [fmt(hits[0]["cost"]), hits[0]["date"]])


def latest(rows: list[Row]) -> Result:
    return extreme(rows, lambda r: int(r["date"].replace("-", "")), show=lambda hits: [hits[0]["date"]])


def earliest(rows: list[Row]) -> Result:
    return extreme(rows, lambda r: int(r["date"].replace("-", "")), highest=False, show=lambda hits: [hits[0]["date"]])


RPN, SEV, DET = (lambda r: r["RPN"]), (lambda r: r["Severity"]), (lambda r: r["Detection"])
NUM = lambda attr: (lambda hits: [str(hits[0][attr])])  # noqa: E731 - show the shared value

# question id -> rule. Each line is the counting rule the reference answer states.
RULES: dict[str, Callable[[Tables], Result]] = {
    # FMEA: max / min over Subsystem (exact match); ties all count as answer rows
    "sc119": lambda t: extreme(t.fmea, RPN, show=NUM("RPN")),                          # highest RPN overall
    "sc120": lambda t: extreme(t.fm("Power Unit"), RPN, show=NUM("RPN")),
    "sc121": lambda t: extreme(t.fm("Hydraulic System"), RPN, show=NUM("RPN")),
    "sc122": lambda t: extreme(t.fm("Power Frame"), RPN, show=NUM("RPN")),
    "sc123": lambda t: extreme(t.fm("Fire Suppression System"), RPN, show=NUM("RPN")),
    "sc124": lambda t: extreme(t.fm("Electrical System"), RPN, show=NUM("RPN")),
    "sc125": lambda t: extreme(t.fm("Power Frame"), RPN, highest=False),               # lowest RPN, named
    "sc126": lambda t: extreme(t.fm("Hydraulic System"), RPN, highest=False),
    "sc127": lambda t: count(t.fm("Hydraulic System")),                                # rows of the subsystem
    "sc128": lambda t: count(t.fm("Fire Suppression System")),
    "sc129": lambda t: largest_counts(t.fmea, lambda r: r["Subsystem"], 3),           # rows per Subsystem, top 3 shown
    "sc130": lambda t: biggest_group(t.fm("Power Train"), lambda r: r["Component"]),   # Component with most rows
    "sc131": lambda t: Result([], t.fm("Power Train", controls="No current controls")),
    "sc132": lambda t: Result([], t.fm(component="Fuel System", controls="No current controls")),
    "sc133": lambda t: extreme(t.fmea, DET),                                           # highest Detection = hardest
    "sc134": lambda t: extreme(t.fm("Power Unit"), DET),
    "sc135": lambda t: mean(t.fm(component="Engine"), SEV),                            # mean Severity, 2 decimals
    "sc136": lambda t: mean(t.fm(component="Transmission"), SEV),
    "sc137": lambda t: mean(t.fm(component="Drivelines"), RPN),
    "sc138": lambda t: Result(sorted({str(r["RPN"]) for r in top_n(t.fm(component="Transmission"), RPN, 3).rows}),
                              top_n(t.fm(component="Transmission"), RPN, 3).rows),
    "sc139": lambda t: top_n(t.fm("Power Unit"), RPN, 2),
    "sc140": lambda t: count(t.fm(mode="Corrosion")),                                  # Failure Mode contains "corrosion"
    "sc141": lambda t: Result([str(len({r["Component"] for r in t.fm("Electrical System")}))], t.fm("Electrical System")),
    "sc142": lambda t: Result([], t.fm(component="Upbox")),                            # its Sub-Components, named
    # Work orders: Asset equality, year of BscStartDate, text keywords case-insensitive
    "sc201": lambda t: count(t.wo("B", text_all=["leak"])),
    "sc202": lambda t: count(t.wo("C", text_all=["leak"])),
    "sc203": lambda t: count(t.wo("A")),
    "sc204": lambda t: biggest_group(t.wos, lambda r: r["asset"]),                     # asset with most rows
    "sc205": lambda t: biggest_group(t.wo(year=2004), lambda r: r["asset"]),
    "sc206": lambda t: count(t.wo(year=2009)),
    "sc207": lambda t: count(t.wo(pm="PM02")),
    "sc208": lambda t: count(t.wo("D", pm="PM06")),
    "sc209": lambda t: largest_counts(t.wos, lambda r: r["pm"], 3),                   # rows per PMType, top 3 shown
    "sc210": lambda t: costliest(t.wos),
    "sc211": lambda t: costliest(t.wo("A")),
    "sc212": lambda t: costliest(t.wo("E")),
    "sc213": lambda t: costliest(t.wo(year=2005)),
    "sc214": lambda t: total(t.wo("A", 2006)),                                         # sum of Cost (blank = 0)
    "sc215": lambda t: total(t.wo("E", 2010)),
    "sc216": lambda t: total(t.wo("A", 2008)),
    "sc217": lambda t: mean(t.wo("A"), lambda r: r["cost"] or 0.0),                    # zero-cost orders included
    "sc218": lambda t: mean(t.wo(pm="PM02"), lambda r: r["cost"] or 0.0),
    "sc219": lambda t: latest(t.wo("B", text_all=["engine"])),
    "sc220": lambda t: earliest(t.wo("E")),
    "sc221": lambda t: latest(t.wos),
    "sc222": lambda t: earliest(t.wos),
    "sc223": lambda t: count(t.wo("D", text_all=["tooth"])),
    "sc224": lambda t: count(t.wo("E", text_all=["bucket"])),
    "sc225": lambda t: count(t.wo("C", text_all=["c/o"])),
    "sc226": lambda t: dates_of(t.wo("A", text_all=["l/h", "bucket", "cyl"])),
    "sc227": lambda t: count(t.wo("C", start="2008-01-01", end="2008-03-31")),
    "sc229": lambda t: latest(t.wo("D", text_all=["final drive"])),
    "sc230": lambda t: earliest(t.wo(text_any=["air con", "a/c", "aircon"])),
    "sc231": lambda t: dates_of(t.wo("A", text_all=["starter"])),
    "sc232": lambda t: dates_of(t.wo("A", text_all=["camera"])),
    "sc233": lambda t: count([r for r in t.wo("A") if r["cost"] == 0]),
    "sc234": lambda t: count([r for r in t.wos if r["cost"] is not None and r["cost"] < 0]),
    "sc235": lambda t: biggest_group(t.wo("C"), lambda r: r["date"][:4], also_key=True),
}

# Near misses: evidence that the asked attribute is absent.
#   ("doc", regex)             OSHA: the regex occurs nowhere in the rule (case-insensitive)
#   ("column", name)           no column header contains `name`
#   ("mode", sub, regex)       the Sub-Component exists, and none of its failure modes matches
#   ("row", line, regex)       the row exists and does not match (work orders: its text)
#   ("text", regex)            no work-order text matches
NEAR: dict[str, list[tuple]] = {
    "sc051": [("doc", r"torque"), ("doc", r"N\s*·?\s*m\b"), ("doc", r"ft[- ]?lb")],
    "sc052": [("doc", r"maximum number"), ("doc", r"no more than \d+ employees")],
    "sc053": [("doc", r"\bdays?\b"), ("doc", r"\bweeks?\b")],
    "sc054": [("doc", r"\$"), ("doc", r"penalt"), ("doc", r"\bfine\b"), ("doc", r"dollar")],
    "sc055": [("doc", r"\binch"), ("doc", r"\bmm\b"), ("doc", r"\bcm\b"), ("doc", r"dimension")],
    "sc056": [("doc", r"\bhours?\b"), ("doc", r"\bhrs?\b")],
    "sc057": [("doc", r"\bvolt"), ("doc", r"\bkV\b"), ("doc", r"\d\s*V\b")],
    "sc058": [("doc", r"\byears?\b"), ("doc", r"retain"), ("doc", r"retention")],
    "sc059": [("doc", r"diameter"), ("doc", r"shackle")],
    "sc060": [("doc", r"\bage\b"), ("doc", r"years old"), ("doc", r"\bminors\b")],
    "sc061": [("doc", r"glove"), ("doc", r"arc[- ]flash"), ("doc", r"personal protective")],
    "sc062": [("doc", r"\bminutes?\b"), ("doc", r"\bseconds?\b")],
    "sc063": [("doc", r"\bpsi\b"), ("doc", r"\bbar\b"), ("doc", r"\bkPa\b")],
    "sc064": [("doc", r"°"), ("doc", r"degrees?"), ("doc", r"\btemperature")],
    "sc065": [("doc", r"brand"), ("doc", r"manufacturer"), ("doc", r"vendor")],
    "sc143": [("column", "MTBF"), ("row", 52, r"MTBF|mean time")],
    "sc144": [("column", "Cost"), ("row", 60, r"\$|cost")],
    "sc145": [("mode", "Fuel Tank", r"overheat")],
    "sc146": [("column", "Part"), ("row", 162, r"\d{5,}")],
    "sc147": [("mode", "Tyre", r"blow|burst|puncture")],
    "sc148": [("column", "Responsib"), ("row", 95, r"responsib|supervisor|planner")],
    "sc149": [("column", "Date"), ("row", 180, r"\d{4}-\d\d|\d+/\d+/\d+")],
    "sc150": [("column", "Revised"), ("column", "New RPN"), ("column", "Action Taken")],
    "sc151": [("mode", "Hoist Cylinder", r"corros")],
    "sc152": [("mode", "Starter Motor", r"heat")],
    "sc153": [("mode", "A-Frame", r"crack")],
    "sc154": [("row", 60, r"\d+\s*(hour|hr)"), ("row", 61, r"life|last")],
    "sc155": [("mode", "Wiper motor", r"leak")],
    "sc156": [("column", "Criticality"), ("column", "Class")],
    "sc236": [("column", "Technician"), ("row", 4037, r"by |tech|fitter")],
    "sc237": [("column", "Downtime"), ("row", 4463, r"\d+\s*(h|hr|hrs|hours)\b")],
    "sc238": [("column", "Part"), ("row", 2747, r"\d{4,}|material|p/n")],
    "sc239": [("column", "SMU"), ("column", "Hour"), ("row", 4126, r"\d+\s*(h|hr|hrs|hours)\b|smu")],
    "sc240": [("column", "Finish"), ("column", "Complet"), ("column", "End")],
    "sc241": [("column", "Failure"), ("column", "Code"), ("column", "FM")],
    "sc242": [("column", "Labour"), ("column", "Hours"), ("row", 3700, r"\d+\s*(h|hr|hrs|hours)\b")],
    "sc243": [("column", "Vendor"), ("row", 192, r"pty|ltd|inc\b|vendor|supplier")],
    "sc244": [("column", "Labour"), ("column", "Parts")],
    "sc245": [("column", "Priority"), ("row", 5093, r"priority|urgent|\bP[1-4]\b")],
    "sc246": [("column", "Serial"), ("text", r"serial|\bs/n\b")],
    "sc247": [("row", 4126, r"cause|due to|because")],
    "sc248": [("column", "Technician"), ("row", 2747, r"by |tech|fitter")],
    "sc249": [("column", "Shift"), ("row", 3454, r"shift|night|\bday")],
}


# -- OSHA sections ------------------------------------------------------------------------------
OSHA_HEADINGS = ["(a) Scope, application, and purpose", "(b) Definitions applicable to this section",
                 "(c) General", "(d) Application of control", "(e) Release from lockout or tagout",
                 "(f) Additional requirements", "Appendix A to § 1910.147"]
OSHA_SUBHEADINGS = {"Sequence of Lockout": "Appendix A to § 1910.147"}  # runs to the end of the appendix


def osha_span(text: str, section: str) -> str:
    """The text under the heading containing `section`, up to the next top-level heading."""
    lines = text.splitlines()
    starts = {h: next(i for i, line in enumerate(lines) if line.startswith(h)) for h in OSHA_HEADINGS}
    names = [h for h in [*OSHA_HEADINGS, *OSHA_SUBHEADINGS] if section.casefold() in h.casefold()]
    if len(names) != 1:
        raise AssertionError(f"section {section!r} names {len(names)} headings")
    name = names[0]
    if name in OSHA_SUBHEADINGS:
        start = next(i for i, line in enumerate(lines) if line.strip() == name)
    else:
        start = starts[name]
    end = min([i for i in starts.values() if i > start], default=len(lines))
    return "\n".join(lines[start:end])


# -- checks -------------------------------------------------------------------------------------
class Checker:
    def __init__(self, corpora: Path):
        self.osha = (corpora / OSHA).read_text(encoding="utf-8")
        self.fmea_header, fmea = load_fmea(corpora / FMEA)
        self.wo_header, wos, self.repaired = load_work_orders(corpora / WORK_ORDERS)
        self.tables = Tables(fmea, wos)
        self.rows = {"fmea_dataset_filled.csv": {r.line: r for r in fmea}, "excavators.csv": {r.line: r for r in wos}}
        self.errors: list[str] = []

    def fail(self, qid: str, message: str) -> None:
        self.errors.append(f"{qid}: {message}")

    def run(self, questions: list[dict]) -> None:
        by_id = {}
        for q in questions:
            try:
                self.check_shape(q, by_id)
                self.check_answer(q)
            except (AssertionError, KeyError, StopIteration, ValueError) as exc:
                self.fail(q.get("id", "?"), f"check crashed: {type(exc).__name__}: {exc}")
            by_id[q["id"]] = q
        unused = (set(RULES) | set(NEAR)) - set(by_id)
        for qid in sorted(unused):
            self.fail(qid, "has a rule in check_gold.py but no question")

    def check_shape(self, q: dict, earlier: dict) -> None:
        qid, tags = q["id"], q.get("tags", [])
        if not tags or tags[0] not in DOCS.values():
            self.fail(qid, f"first tag must be the corpus, got {tags[:1]}")
        if unknown := set(tags[1:]) - TYPES:
            self.fail(qid, f"unknown tags {sorted(unknown)}")
        if q.get("split") not in ("dev", "test"):
            self.fail(qid, f"split must be dev or test, got {q.get('split')!r}")
        if parent := q.get("follow_up_of"):
            if parent not in earlier:
                self.fail(qid, f"follow_up_of {parent!r} is not an earlier question")
            elif earlier[parent]["split"] != q.get("split"):
                self.fail(qid, "a follow-up must share its parent's split")
            if "follow_up" not in tags:
                self.fail(qid, "a follow-up needs the follow_up tag")
        for g in q.get("gold_sources", []):
            if DOCS.get(g["doc"]) != tags[0]:
                self.fail(qid, f"gold doc {g['doc']!r} is not a {tags[0]} document")
        if q["answerable"]:
            if not q["must_contain"]:
                self.fail(qid, "an answerable question needs must_contain")
            for needle in q["must_contain"]:
                if norm(needle) not in norm(q["reference_answer"]):
                    self.fail(qid, f"must_contain {needle!r} is not in the reference answer")
        elif q["must_contain"] or "near_miss" not in tags:
            self.fail(qid, "a near miss has an empty must_contain and the near_miss tag")

    def check_answer(self, q: dict) -> None:
        qid, tags = q["id"], q["tags"]
        if not q["answerable"]:
            return self.check_near_miss(q)
        if "records" in tags:
            return self.check_rule(q)
        if tags[0] == "loto":
            return self.check_osha(q)
        return self.check_lookup(q)

    def check_osha(self, q: dict) -> None:
        if not q["gold_sources"]:
            return self.fail(q["id"], "an OSHA question needs a gold section")
        spans = [osha_span(self.osha, g["locator"]["section"]) for g in q["gold_sources"]]
        for needle in q["must_contain"]:
            if not any(norm(needle) in norm(span) for span in spans):
                self.fail(q["id"], f"{needle!r} is not in section(s) {[g['locator']['section'] for g in q['gold_sources']]}")

    def gold_rows(self, q: dict) -> list[Row]:
        out = []
        for g in q["gold_sources"]:
            line = g["locator"].get("row")
            row = self.rows[g["doc"]].get(line)
            if row is None:
                self.fail(q["id"], f"gold row {line} is not a data row of {g['doc']}")
            else:
                out.append(row)
        return out

    def check_lookup(self, q: dict) -> None:
        rows = self.gold_rows(q)
        if not rows:
            return self.fail(q["id"], "a lookup needs gold rows")
        for needle in q["must_contain"]:
            if re.fullmatch(r"[\d.]+", needle):  # a number must be a whole cell, not part of one
                found = any(needle == str(v) for r in rows for v in r.cells.values())
            else:
                found = any(norm(needle) in norm(r.text()) for r in rows)
            if not found:
                self.fail(q["id"], f"{needle!r} is in none of the gold rows {[r.line for r in rows]}")

    def check_rule(self, q: dict) -> None:
        qid = q["id"]
        if qid not in RULES:
            return self.fail(qid, "computed question without a rule in check_gold.py RULES")
        result = RULES[qid](self.tables)
        wanted = {norm(m): m for m in q["must_contain"]}
        for value in result.exact:
            if norm(value) not in wanted:
                self.fail(qid, f"computed {value!r}, must_contain has {q['must_contain']}")
        answer_lines = {r.line for r in result.rows}
        for needle in q["must_contain"]:
            if norm(needle) in {norm(v) for v in result.exact}:
                continue
            if not any(norm(needle) in norm(r.text()) for r in result.rows):
                self.fail(qid, f"{needle!r} is neither a computed value {result.exact} nor in an answer row")
        for row in self.gold_rows(q):
            if row.line not in answer_lines:
                self.fail(qid, f"gold row {row.line} is not one of the rows the rule selects")

    def check_near_miss(self, q: dict) -> None:
        qid = q["id"]
        if qid not in NEAR:
            return self.fail(qid, "near miss without evidence in check_gold.py NEAR")
        fmea = q["tags"][0] == "fmea"
        header = self.fmea_header if fmea else self.wo_header
        rows = self.rows["fmea_dataset_filled.csv" if fmea else "excavators.csv"]
        for check in NEAR[qid]:
            kind, *args = check
            if kind == "doc" and re.search(args[0], self.osha, re.I):
                self.fail(qid, f"the OSHA text does match {args[0]!r}")
            elif kind == "column" and any(args[0].casefold() in h.casefold() for h in header):
                self.fail(qid, f"a column matches {args[0]!r}: {header}")
            elif kind == "mode":
                subject = [r for r in rows.values() if r["Sub-Component"] == args[0]]
                if not subject:
                    self.fail(qid, f"sub-component {args[0]!r} does not exist (not a near miss)")
                for r in subject:
                    if re.search(args[1], r["Potential Failure Mode"], re.I):
                        self.fail(qid, f"row {r.line} has failure mode {r['Potential Failure Mode']!r}")
            elif kind == "row":
                if args[0] not in rows:
                    self.fail(qid, f"row {args[0]} does not exist")
                    continue
                row = rows[args[0]]
                seen = row.text() if fmea else row["text"]
                if re.search(args[1], seen, re.I):
                    self.fail(qid, f"row {args[0]} matches {args[1]!r}: {seen}")
            elif kind == "text":
                for r in rows.values():
                    if re.search(args[0], r["text"], re.I):
                        self.fail(qid, f"row {r.line} text matches {args[0]!r}: {r['text']!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help=f"default {DEFAULT_CORPORA}")
    parser.add_argument("--questions", type=Path, default=HERE / "questions.jsonl")
    args = parser.parse_args(argv)
    missing = [p for p in (args.questions, *(args.corpora / d for d in (OSHA, FMEA, WORK_ORDERS))) if not p.exists()]
    if missing:
        print(f"missing: {', '.join(map(str, missing))} (the corpora live in ../shared/corpora beside the repository)",
              file=sys.stderr)
        return 2
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    checker = Checker(args.corpora)
    if checker.repaired != [3454]:
        checker.errors.append(f"expected only line 3454 to need the stray-comma repair, got {checker.repaired}")
    checker.run(questions)
    for line in checker.errors:
        print(f"MISMATCH {line}", file=sys.stderr)
    if checker.errors:
        print(f"{len(checker.errors)} mismatch(es) in {len(questions)} questions", file=sys.stderr)
        return 1
    computed = sum("records" in q["tags"] for q in questions)
    near = sum(not q["answerable"] for q in questions)
    print(f"ok: {len(questions)} questions ({computed} recomputed from rows, {near} near misses shown absent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
