"""Gold answers for the fresh_tables_12 question set.

Written blind: only the raw data files were read (see README.md).

    python compute_gold.py          # print "id  op  value" per question, exit 1 if an assert fails
    python compute_gold.py --write  # also write site_a.jsonl, site_b.jsonl, site_c.jsonl
"""
from __future__ import annotations

import csv
import json
import re
import sys
import traceback
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
MAIN = Path(__file__).resolve().parents[2]  # /work/main
CORPORA = Path("/work/shared/corpora")

HANGAR = MAIN / "sample_hangar" / "docs"
PLANT = MAIN / "sample_plant" / "docs"
SQUAWK_XLSX = HANGAR / "logs" / "maintenance_log_2022-2024.xlsx"
GSE_CSV = HANGAR / "logs" / "gse_work_records.csv"
PARTS_CSV = HANGAR / "tables" / "parts_catalogue.csv"
CMMS_CSV = PLANT / "work_orders" / "cmms_export_2022_2023.csv"
CMMS_XLSX = PLANT / "work_orders" / "cmms_export_2024.xlsx"
TORQUE_CSV = PLANT / "tables" / "torque_specs.csv"
EXCAVATOR_CSV = CORPORA / "excavator_work_orders" / "excavators.csv"
FMEA_CSV = CORPORA / "fmea_haul_truck" / "fmea_dataset_filled.csv"

SPLIT = "fresh12"


# ---------------------------------------------------------------- formatting

def money(x: float) -> str:
    """2 decimals, no thousands separator."""
    return f"{x:.2f}"


def hours(x: float) -> str:
    """One decimal, no trailing .0."""
    r = round(float(x), 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


# ---------------------------------------------------------------- asserts

def check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def no_blanks(s: pd.Series, what: str) -> None:
    check(len(s) > 0, f"{what}: empty subset")
    check(not s.isna().any(), f"{what}: {int(s.isna().sum())} blank value(s) in subset")


def not_on_threshold(s: pd.Series, t: float, what: str) -> None:
    no_blanks(s, what)
    check(not (s.round(6) == round(t, 6)).any(), f"{what}: a value sits exactly on threshold {t}")


def unique_extreme(df: pd.DataFrame, col: str, kind: str, what: str) -> pd.Series:
    """Return the single row holding the max/min of col; fail on ties or blanks."""
    no_blanks(df[col], what)
    v = df[col].max() if kind == "max" else df[col].min()
    hit = df[df[col] == v]
    check(len(hit) == 1, f"{what}: {len(hit)} rows share the {kind} value {v}")
    return hit.iloc[0]


def top_n_no_tie(s: pd.Series, n: int, what: str) -> pd.Series:
    """s is a value series (index = label). Descending top n, no tie at or inside the cut-off."""
    no_blanks(s, what)
    srt = s.sort_values(ascending=False)
    check(len(srt) > n, f"{what}: fewer than {n + 1} candidates")
    vals = [round(float(v), 6) for v in srt.iloc[: n + 1]]
    check(len(set(vals)) == n + 1, f"{what}: tie at or inside the top-{n} cut-off: {vals}")
    return srt.iloc[:n]


def avg_safe(s: pd.Series, what: str) -> float:
    no_blanks(s, what)
    m = float(s.mean())
    frac = (m * 100) % 1
    check(abs(frac - 0.5) > 0.01, f"{what}: average {m} is on a half-cent rounding boundary")
    return m


def hours_sum_safe(s: pd.Series, what: str) -> float:
    no_blanks(s, what)
    t = float(s.sum())
    check(abs(t * 10 - round(t * 10)) < 1e-6, f"{what}: hour total {t} is not in tenths")
    return t


def one_row(df: pd.DataFrame, what: str) -> pd.Series:
    check(len(df) == 1, f"{what}: lookup matched {len(df)} rows, expected 1")
    return df.iloc[0]


def absent(texts: pd.Series, pattern: str, what: str) -> None:
    hits = texts.fillna("").astype(str).str.contains(pattern, case=False, regex=True)
    check(not hits.any(), f"{what}: pattern {pattern!r} found in {int(hits.sum())} record(s)")


def present(texts: pd.Series, pattern: str, what: str) -> int:
    hits = texts.fillna("").astype(str).str.contains(pattern, case=False, regex=True)
    check(hits.any(), f"{what}: pattern {pattern!r} not found anywhere")
    return int(hits.sum())


# ---------------------------------------------------------------- loaders: site A

def load_squawks() -> pd.DataFrame:
    """Squawk log: one sheet per year (2022, 2023, 2024); the Notes sheet is skipped.

    Quirks: some Date Reported cells are text 'DD-MMM-YYYY' (keyed from paper
    cards), the rest are real dates; Parts Cost blank = invoice pending (kept NaN,
    0.00 = no parts); Labor Hrs mixes int and float cells.
    """
    sheets = pd.read_excel(SQUAWK_XLSX, sheet_name=None, dtype=object)
    frames = []
    for name, df in sheets.items():
        if not re.fullmatch(r"\d{4}", str(name)):
            continue  # Notes sheet
        frames.append(df.assign(sheet=str(name)))
    df = pd.concat(frames, ignore_index=True)
    df.columns = ["squawk", "tail", "date", "discrepancy", "action", "ata", "labor_hrs", "parts_cost", "mechanic", "sheet"]

    def to_date(v):
        if isinstance(v, str):
            return pd.to_datetime(v.strip(), format="%d-%b-%Y")
        return pd.Timestamp(v)

    df["date"] = df["date"].map(to_date)
    for c in ["squawk", "tail", "discrepancy", "action", "ata", "mechanic"]:
        df[c] = df[c].astype(str).str.strip()
    df["labor_hrs"] = pd.to_numeric(df["labor_hrs"]).astype(float).round(1)
    df["parts_cost"] = pd.to_numeric(df["parts_cost"]).astype(float)
    df["ata_ch"] = df["ata"].str.split().str[0]
    check((df["date"].dt.year.astype(str) == df["sheet"]).all(), "squawk date outside its year sheet")
    check(not df["squawk"].duplicated().any(), "duplicate squawk numbers")
    return df


def load_gse() -> pd.DataFrame:
    """GSE work records. Quirks: quoted commas in text; two blank Cost cells."""
    df = pd.read_csv(GSE_CSV, dtype=str, keep_default_na=False)
    df.columns = ["record", "unit", "opened", "problem", "action", "downtime_h", "cost", "tech"]
    for c in df.columns:
        df[c] = df[c].str.strip()
    df["opened"] = pd.to_datetime(df["opened"], format="%Y-%m-%d")
    df["downtime_h"] = df["downtime_h"].astype(float)
    df["cost"] = pd.to_numeric(df["cost"].replace("", None)).astype(float)
    check(not df["record"].duplicated().any(), "duplicate GSE record numbers")
    return df


def load_parts() -> pd.DataFrame:
    """Parts catalogue. Quirk: ATA column mixes chapter numbers and 'GSE'."""
    df = pd.read_csv(PARTS_CSV, dtype=str, keep_default_na=False)
    df.columns = ["part_no", "description", "ata", "unit_price", "qty_on_hand", "min_stock", "vendor", "lead_days"]
    for c in df.columns:
        df[c] = df[c].str.strip()
    df["unit_price"] = df["unit_price"].astype(float)
    for c in ["qty_on_hand", "min_stock", "lead_days"]:
        df[c] = df[c].astype(int)
    return df


# ---------------------------------------------------------------- loaders: site B

def load_cmms() -> pd.DataFrame:
    """Both CMMS exports as one log with common column names.

    2022-2023 CSV: UTF-8 BOM; row WO-22-0070 has an unquoted comma inside the
    problem text (11 fields) -> the two text pieces are joined back; one blank
    Total Cost (WO-23-0002). 2024 workbook: Maximo-style headers (WONUM,
    REPORTDATE, ASSETNUM, DESCRIPTION, REMARKS, FAILURECODE, ACTTOTALCOST,
    DOWNTIME, LEAD, STATUS, WORKTYPE, SITEID); LEAD is a login (MREYES) that is
    mapped to the 'M. Reyes' form used in the CSV; status words differ
    (CLOSED vs CLOSE / COMP / INPRG) and are kept as written.
    """
    with open(CMMS_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    fixed = []
    for r in body:
        if len(r) == len(header) + 1:
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        check(len(r) == len(header), f"CMMS CSV row with {len(r)} fields: {r[:1]}")
        fixed.append(r)
    c = pd.DataFrame(fixed, columns=header)
    old = pd.DataFrame({
        "wo": c["WO Number"].str.strip(),
        "date": pd.to_datetime(c["Date Created"].str.strip(), format="%Y-%m-%d %H:%M"),
        "asset": c["Equipment ID"].str.strip(),
        "problem": c["Problem Description"].str.strip(),
        "action": c["Action Taken"].str.strip(),
        "failure_code": c["Failure Code"].str.strip(),
        "cost": pd.to_numeric(c["Total Cost"].str.strip().replace("", None)).astype(float),
        "downtime_h": c["Downtime (h)"].astype(float),
        "tech": c["Technician"].str.strip(),
        "status": c["Status"].str.strip(),
        "source": "csv_2022_2023",
    })
    login_to_name = {re.sub(r"[^A-Z]", "", n.upper()): n for n in old["tech"].unique()}
    x = pd.read_excel(CMMS_XLSX, sheet_name=0, dtype=object)
    new = pd.DataFrame({
        "wo": x["WONUM"].astype(str).str.strip(),
        "date": pd.to_datetime(x["REPORTDATE"]),
        "asset": x["ASSETNUM"].astype(str).str.strip(),
        "problem": x["DESCRIPTION"].astype(str).str.strip(),
        "action": x["REMARKS"].astype(str).str.strip(),
        "failure_code": x["FAILURECODE"].astype(str).str.strip(),
        "cost": pd.to_numeric(x["ACTTOTALCOST"]).astype(float),
        "downtime_h": pd.to_numeric(x["DOWNTIME"]).astype(float),
        "tech": x["LEAD"].astype(str).str.strip().map(login_to_name),
        "status": x["STATUS"].astype(str).str.strip(),
        "source": "xlsx_2024",
    })
    check(not new["tech"].isna().any(), "unmapped LEAD login in 2024 export")
    df = pd.concat([old, new], ignore_index=True)
    df["year"] = df["date"].dt.year
    check(not df["wo"].duplicated().any(), "duplicate WO numbers across the two exports")
    check(old["date"].dt.year.max() <= 2023 and (new["date"].dt.year == 2024).all(), "exports overlap in time")
    return df


def load_torque() -> pd.DataFrame:
    """Torque table. Quirk: Asset is written once per group and left blank below
    (merged-cell style) -> filled down; one group is 'ROBOT-4 / ROBOT-5'."""
    df = pd.read_csv(TORQUE_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = ["asset", "component", "fastener", "size_grade", "torque_nm", "torque_lbfft", "notes", "reference"]
    for c in df.columns:
        df[c] = df[c].str.strip()
    df["asset"] = df["asset"].replace("", None).ffill()
    df["torque_nm"] = df["torque_nm"].astype(float)
    df["torque_lbfft"] = df["torque_lbfft"].astype(float)
    df["assets"] = df["asset"].str.split(r"\s*/\s*")
    return df


# ---------------------------------------------------------------- loaders: site C

def load_excavators() -> pd.DataFrame:
    """Excavator work orders A-E. Quirk: line 3454 ('won,t swing') has an unquoted
    comma, so its text spills into PMType and PMType into Cost; the row is put
    back together and its Cost is blank. Negative costs (credits) and zero costs
    are kept as written. Exact repeat rows exist; every row counts as one work
    order."""
    with open(EXCAVATOR_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    fixed = []
    for r in body:
        check(len(r) == 5, f"excavator row with {len(r)} fields")
        if not re.fullmatch(r"PM\d\d", r[3].strip()) and re.fullmatch(r"PM\d\d", r[4].strip()):
            r = [r[0], r[1], r[2] + "," + r[3], r[4], ""]
        fixed.append(r)
    e = pd.DataFrame(fixed, columns=header)
    df = pd.DataFrame({
        "date": pd.to_datetime(e["BscStartDate"].str.strip(), format="%Y-%m-%d"),
        "asset": e["Asset"].str.strip(),
        "text": e["OriginalShorttext"],
        "pm_type": e["PMType"].str.strip(),
        "cost": pd.to_numeric(e["Cost"].str.strip().replace("", None)).astype(float),
    })
    check(df["pm_type"].str.fullmatch(r"PM\d\d").all(), "bad PMType after repair")
    df["year"] = df["date"].dt.year
    return df


def load_fmea() -> pd.DataFrame:
    """Haul-truck FMEA, filled-down version. Quirks: 7 blank Current Controls
    cells, 9 that say 'No current controls'; one RPN of 0 where S*O*D = 12
    (Electrical System, Solenoid Wiring) kept as written; failure-mode spelling
    varies."""
    df = pd.read_csv(FMEA_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = ["subsystem", "component", "sub_component", "failure_mode", "effect", "severity",
                  "cause", "occurrence", "controls", "detection", "rpn", "action"]
    for c in df.columns:
        df[c] = df[c].str.strip()
    for c in ["severity", "occurrence", "detection", "rpn"]:
        df[c] = df[c].astype(int)
    return df


# ---------------------------------------------------------------- question helpers

QUESTIONS: list[dict] = []


def q(qid: str, op: str, kind: str, question: str):
    """Register a gold function. It returns (printed_value, reference_answer, must_contain)."""
    def deco(fn):
        QUESTIONS.append({"id": qid, "op": op, "kind": kind, "question": question, "fn": fn})
        return fn
    return deco


def near(qid: str, kind: str, question: str):
    def deco(fn):
        QUESTIONS.append({"id": qid, "op": "near_miss", "kind": kind, "question": question, "fn": fn})
        return fn
    return deco


# ================================================================ SITE A

SQ = load_squawks()
GSE = load_gse()
PARTS = load_parts()


@q("ka-01", "count", "work_order",
   "Planner here. How many write-ups did n4821k pick up in the 2024 squawk log?")
def _():
    s = SQ[(SQ["tail"] == "N4821K") & (SQ["date"].dt.year == 2024)]
    n = len(s)
    return n, f"N4821K has {n} squawks dated in 2024.", [str(n)]


@q("ka-02", "count", "work_order",
   "number of GSE work records for the tow tug (TUG 2) opened during 2023")
def _():
    s = GSE[(GSE["unit"] == "TUG-2") & (GSE["opened"].dt.year == 2023)]
    n = len(s)
    return n, f"TUG-2 has {n} GSE work records opened in 2023.", [str(n)]


@q("ka-03", "count_threshold", "work_order",
   "Audit check on N61904, all of 2022-2024: how many squawks carried a parts cost above $2,000?")
def _():
    s = SQ[SQ["tail"] == "N61904"]
    not_on_threshold(s["parts_cost"], 2000, "ka-03")
    n = int((s["parts_cost"] > 2000).sum())
    return n, f"{n} of the {len(s)} N61904 squawks in 2022-2024 have a parts cost over 2000.00.", [str(n)]


@q("ka-04", "count_threshold", "work_order",
   "Ground equipment: how many GSE jobs kept a unit down for more than 12 hours, across 2022 to 2024?")
def _():
    not_on_threshold(GSE["downtime_h"], 12, "ka-04")
    n = int((GSE["downtime_h"] > 12).sum())
    return n, f"{n} GSE work records show more than 12 hours of downtime.", [str(n)]


@q("ka-05", "earliest", "work_order",
   "When did the de-icing truck first turn up in the GSE records, and what was wrong with it?")
def _():
    s = GSE[GSE["unit"] == "DEICE-1"]
    r = unique_extreme(s, "opened", "min", "ka-05")
    ans = (f"The first DEICE-1 record is {r['record']}, opened {day(r['opened'])}: "
           f"\"{r['problem']}\" ({r['action']}).")
    return day(r["opened"]), ans, [day(r["opened"]), r["record"]]


@q("ka-06", "latest", "work_order",
   "Stores needs this: when did we last fit a main ship's battery (P/N LW-24120), and on which tail?")
def _():
    s = SQ[SQ["action"].str.contains("LW-24120", case=False)]
    r = unique_extreme(s, "date", "max", "ka-06")
    ans = (f"The last main battery change with LW-24120 is squawk {r['squawk']} on {r['tail']}, "
           f"dated {day(r['date'])}, by {r['mechanic']}.")
    return day(r["date"]), ans, [day(r["date"]), r["tail"]]


@q("ka-07", "sum", "work_order",
   "Total labour hours booked against N61904 in calendar 2024?")
def _():
    s = SQ[(SQ["tail"] == "N61904") & (SQ["date"].dt.year == 2024)]
    t = hours_sum_safe(s["labor_hrs"], "ka-07")
    return hours(t), f"N61904 has {hours(t)} labour hours booked over {len(s)} squawks in 2024.", [hours(t)]


@q("ka-08", "sum", "work_order",
   "Stores clerk: what did GPU-07 cost in GSE repairs during 2023? Add up the cost of every record.")
def _():
    s = GSE[(GSE["unit"] == "GPU-07") & (GSE["opened"].dt.year == 2023)]
    no_blanks(s["cost"], "ka-08")
    t = float(s["cost"].sum())
    return money(t), f"GPU-07 GSE repair cost in 2023 comes to {money(t)} over {len(s)} records.", [money(t)]


@q("ka-09", "max", "work_order",
   "Which 2024 squawk soaked up the most labour? Squawk number, aircraft and hours please.")
def _():
    s = SQ[SQ["date"].dt.year == 2024]
    r = unique_extreme(s, "labor_hrs", "max", "ka-09")
    ans = (f"Squawk {r['squawk']} on {r['tail']} ({day(r['date'])}, {r['discrepancy']}) "
           f"booked {hours(r['labor_hrs'])} labour hours, the most in 2024.")
    return f"{r['squawk']} {hours(r['labor_hrs'])}", ans, [r["squawk"], hours(r["labor_hrs"])]


@q("ka-10", "min", "table",
   "cheapest landing gear part in the parts catalogue (ATA 32) - part number and unit price")
def _():
    s = PARTS[PARTS["ata"] == "32"]
    r = unique_extreme(s, "unit_price", "min", "ka-10")
    ans = f"The cheapest ATA 32 item is {r['part_no']} ({r['description']}) at {money(r['unit_price'])} each."
    return f"{r['part_no']} {money(r['unit_price'])}", ans, [r["part_no"], money(r["unit_price"])]


@q("ka-11", "top_n", "work_order",
   "Manager asking: top 3 mechanics by labour hours booked in 2024, with their totals.")
def _():
    s = SQ[SQ["date"].dt.year == 2024]
    no_blanks(s["labor_hrs"], "ka-11")
    tot = s.groupby("mechanic")["labor_hrs"].sum().round(1)
    top = top_n_no_tie(tot, 3, "ka-11")
    parts = [f"{m} {hours(v)} h" for m, v in top.items()]
    ans = "Top 3 by 2024 labour hours: " + "; ".join(parts) + "."
    must = []
    for m, v in top.items():
        must += [m, hours(v)]
    return ", ".join(top.index), ans, must


@q("ka-12", "group_by", "work_order",
   "Break down the 2023 landing-gear write-ups (ATA 32) by tail number.")
def _():
    s = SQ[(SQ["date"].dt.year == 2023) & (SQ["ata_ch"] == "32")]
    no_blanks(s["tail"], "ka-12")
    g = s.groupby("tail").size().sort_values(ascending=False)
    ans = f"2023 ATA 32 squawks per tail ({len(s)} in all): " + ", ".join(f"{t} {n}" for t, n in g.items()) + "."
    must = []
    for t, n in g.items():
        must += [t, str(n)]
    must = list(dict.fromkeys(must))
    return {k: int(v) for k, v in g.items()}, ans, must


@q("ka-13", "group_by", "work_order",
   "GSE spend for 2022 split by unit - total cost for each piece of ground equipment.")
def _():
    s = GSE[GSE["opened"].dt.year == 2022]
    no_blanks(s["cost"], "ka-13")
    g = s.groupby("unit")["cost"].sum().round(2)
    ans = "2022 GSE cost per unit: " + ", ".join(f"{u} {money(v)}" for u, v in g.items()) + "."
    must = []
    for u, v in g.items():
        must += [u, money(v)]
    return {u: money(v) for u, v in g.items()}, ans, must


@q("ka-14", "average", "work_order",
   "Reliability engineer: average parts cost per oil-system squawk (ATA 79) in 2022?")
def _():
    s = SQ[(SQ["date"].dt.year == 2022) & (SQ["ata_ch"] == "79")]
    m = avg_safe(s["parts_cost"], "ka-14")
    return money(m), f"The {len(s)} ATA 79 squawks of 2022 average {money(m)} in parts cost.", [money(m)]


@q("ka-15", "lookup", "table",
   "lead time on the prop overspeed governor, lw61420?")
def _():
    r = one_row(PARTS[PARTS["part_no"] == "LW-61420"], "ka-15")
    ans = (f"{r['part_no']} ({r['description']}) has a lead time of {r['lead_days']} days "
           f"from {r['vendor']}.")
    return r["lead_days"], ans, [str(r["lead_days"])]


@near("ka-16", "work_order",
      "Shift lead: how many hours was GPU-08 out of service in 2023?")
def _():
    all_text = pd.concat([GSE[c] for c in GSE.columns if GSE[c].dtype == object] +
                         [SQ[c] for c in ["tail", "discrepancy", "action"]] +
                         [PARTS["description"]])
    absent(all_text, r"GPU[\s\-_]*0*8\b", "ka-16")
    units = sorted(GSE["unit"].unique())
    ans = ("There is no GPU-08 in the records. The GSE work records cover " + ", ".join(units) +
           "; the ground power units are GPU-07 and GPU-09.")
    return "absent", ans, []


@near("ka-17", "work_order",
      "Has N5526W ever had igniter plugs or an ignition exciter changed?")
def _():
    pat = r"IGNIT|\bIGN\b|EXCITER|SPARK|LIGHT[\s\-]?OFF|\bPLUGS?\b"
    t = SQ[SQ["tail"] == "N5526W"]
    check(len(t) > 0, "ka-17: tail missing")
    check(not (t["ata_ch"] == "74").any(), "ka-17: N5526W has an ATA 74 squawk")
    absent(t["discrepancy"] + " " + t["action"], pat, "ka-17")
    others = SQ[(SQ["tail"] != "N5526W") & ((SQ["ata_ch"] == "74") |
                (SQ["discrepancy"] + " " + SQ["action"]).str.contains(pat, case=False))]
    present(others["discrepancy"], r".", "ka-17 others")
    tails = sorted(others["tail"].unique())
    ans = (f"No. None of the {len(t)} N5526W squawks mention igniters or ignition (no ATA 74 entries). "
           f"Ignition write-ups exist only for other aircraft: " + ", ".join(tails) + ".")
    return "absent", ans, []


# ================================================================ SITE B

WO = load_cmms()
TQ = load_torque()
PRESSES = ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"]


@q("kb-01", "count", "work_order",
   "Treat the 2022-23 CSV export and the 2024 workbook as one work order log. How many work orders carry the LEAK failure code in total?")
def _():
    n = int((WO["failure_code"] == "LEAK").sum())
    return n, f"{n} work orders across 2022-2024 have failure code LEAK.", [str(n)]


@q("kb-02", "count", "work_order",
   "how many jobs did M. Reyes lead in 2024")
def _():
    s = WO[(WO["tech"] == "M. Reyes") & (WO["year"] == 2024)]
    n = len(s)
    return n, f"M. Reyes (MREYES in the 2024 export) led {n} work orders in 2024.", [str(n)]


@q("kb-03", "count_threshold", "work_order",
   "Work orders raised since 1 January 2024 where the actual total cost came in over $250 - how many?")
def _():
    s = WO[WO["year"] == 2024]
    not_on_threshold(s["cost"], 250, "kb-03")
    n = int((s["cost"] > 250).sum())
    return n, f"{n} of the {len(s)} work orders in 2024 cost more than 250.00.", [str(n)]


@q("kb-04", "count_threshold", "work_order",
   "Counting both CMMS exports as one log, how many press work orders (PRESS-01 to PRESS-04) cost more than $500 between 2022 and 2024?")
def _():
    s = WO[WO["asset"].isin(PRESSES)]
    not_on_threshold(s["cost"], 500, "kb-04")
    n = int((s["cost"] > 500).sum())
    return n, f"{n} work orders on PRESS-01 to PRESS-04 cost more than 500.00 in 2022-2024.", [str(n)]


@q("kb-05", "earliest", "work_order",
   "First electrical (ELEC) work order of 2023 - WO number and date?")
def _():
    s = WO[(WO["failure_code"] == "ELEC") & (WO["year"] == 2023)].copy()
    s["day"] = s["date"].dt.normalize()
    r = unique_extreme(s, "day", "min", "kb-05")
    ans = (f"The first ELEC work order of 2023 is {r['wo']} on {r['asset']}, created {day(r['date'])}: "
           f"\"{r['problem']}\".")
    return f"{r['wo']} {day(r['date'])}", ans, [r["wo"], day(r["date"])]


@q("kb-06", "latest", "work_order",
   "When was the cure oven (OVEN-1) last worked on, and what was done? Both exports count as one log.")
def _():
    s = WO[WO["asset"] == "OVEN-1"].copy()
    s["day"] = s["date"].dt.normalize()
    r = unique_extreme(s, "day", "max", "kb-06")
    ans = (f"The latest OVEN-1 work order is {r['wo']}, created {day(r['date'])}: \"{r['problem']}\" - "
           f"{r['action']} ({r['tech']}).")
    return f"{r['wo']} {day(r['date'])}", ans, [r["wo"], day(r["date"])]


@q("kb-07", "sum", "work_order",
   "Total cost booked to press 2 (PRESS-02) for 2022 through 2024? Take the two CMMS exports as one log.")
def _():
    s = WO[WO["asset"] == "PRESS-02"]
    no_blanks(s["cost"], "kb-07")
    t = float(s["cost"].sum())
    return money(t), f"PRESS-02 total cost 2022-2024 is {money(t)} over {len(s)} work orders.", [money(t)]


@q("kb-08", "sum", "work_order",
   "Downtime on the four presses in the first half of 2023, added up.")
def _():
    s = WO[WO["asset"].isin(PRESSES) & (WO["date"] >= "2023-01-01") & (WO["date"] < "2023-07-01")]
    t = hours_sum_safe(s["downtime_h"], "kb-08")
    return hours(t), f"The presses logged {hours(t)} hours of downtime over {len(s)} work orders from January to June 2023.", [hours(t)]


@q("kb-09", "max", "work_order",
   "Single most expensive work order raised in 2024?")
def _():
    s = WO[WO["year"] == 2024]
    r = unique_extreme(s, "cost", "max", "kb-09")
    ans = (f"{r['wo']} on {r['asset']} ({day(r['date'])}, \"{r['problem']}\") cost {money(r['cost'])}, "
           f"the highest in 2024.")
    return f"{r['wo']} {money(r['cost'])}", ans, [r["wo"], money(r["cost"])]


@q("kb-10", "min", "table",
   "Apprentice question: in the torque table, what is the lowest torque listed for press 3 and which fastener is it?")
def _():
    s = TQ[TQ["assets"].map(lambda a: "PRESS-03" in a)]
    r = unique_extreme(s, "torque_nm", "min", "kb-10")
    nm = hours(r["torque_nm"])
    ans = (f"The lowest PRESS-03 value is the {r['component']}: {nm} N·m ({hours(r['torque_lbfft'])} lbf·ft), "
           f"{r['notes']}.")
    return f"{r['component']} {nm}", ans, ["SV-4410", nm]


@q("kb-11", "top_n", "work_order",
   "Which three machines had the most downtime over 2022-2024 (both exports as one log)? Give hours.")
def _():
    no_blanks(WO["downtime_h"], "kb-11")
    tot = WO.groupby("asset")["downtime_h"].sum().round(1)
    top = top_n_no_tie(tot, 3, "kb-11")
    ans = "Most downtime 2022-2024: " + "; ".join(f"{a} {hours(v)} h" for a, v in top.items()) + "."
    must = []
    for a, v in top.items():
        must += [a, hours(v)]
    return ", ".join(top.index), ans, must


@q("kb-12", "group_by", "work_order",
   "2024 jobs broken out by fault category code, with a count for each")
def _():
    s = WO[WO["year"] == 2024]
    no_blanks(s["failure_code"].replace("", None), "kb-12")
    g = s.groupby("failure_code").size()
    ans = f"2024 work orders per failure code ({len(s)} in all): " + ", ".join(f"{k} {v}" for k, v in g.items()) + "."
    must = []
    for k, v in g.items():
        must += [k, str(v)]
    must = list(dict.fromkeys(must))
    return {k: int(v) for k, v in g.items()}, ans, must


@q("kb-13", "group_by", "work_order",
   "Maintenance manager: 2022 repair cost for each of the four presses, please.")
def _():
    s = WO[WO["asset"].isin(PRESSES) & (WO["year"] == 2022)]
    no_blanks(s["cost"], "kb-13")
    g = s.groupby("asset")["cost"].sum().round(2)
    ans = "2022 cost per press: " + ", ".join(f"{a} {money(v)}" for a, v in g.items()) + "."
    must = []
    for a, v in g.items():
        must += [a, money(v)]
    return {a: money(v) for a, v in g.items()}, ans, must


@q("kb-14", "average", "work_order",
   "What does a preventive maintenance work order (failure code PM) cost on average, 2022 to 2024, with the CSV and the 2024 workbook taken as one log?")
def _():
    s = WO[WO["failure_code"] == "PM"]
    m = avg_safe(s["cost"], "kb-14")
    return money(m), f"The {len(s)} PM work orders of 2022-2024 average {money(m)} each.", [money(m)]


@q("kb-15", "lookup", "table",
   "torque for the base anchor bolts on robot 5?")
def _():
    s = TQ[TQ["assets"].map(lambda a: "ROBOT-5" in a) & TQ["component"].str.contains("anchor", case=False)]
    r = one_row(s, "kb-15")
    nm = hours(r["torque_nm"])
    ans = (f"Robot base anchor bolts ({r['fastener']}, {r['size_grade']}): {nm} N·m / {hours(r['torque_lbfft'])} lbf·ft. "
           f"The row is shared by {r['asset']}; note: {r['notes']}.")
    return nm, ans, [nm]


@near("kb-16", "work_order",
      "Total downtime on PRESS-05 during 2023?")
def _():
    txt = pd.concat([WO["asset"], WO["problem"], WO["action"], TQ["asset"], TQ["component"]])
    absent(txt, r"PRESS[\s\-_]*0*5\b", "kb-16")
    absent(txt, r"\bpress\s*(?:no\.?|#)?\s*5\b", "kb-16 words")
    presses = sorted(a for a in WO["asset"].unique() if a.startswith("PRESS"))
    ans = ("There is no PRESS-05 in the work order log. The presses on record are " +
           ", ".join(presses) + ".")
    return "absent", ans, []


@near("kb-17", "work_order",
      "Any gearbox repairs on the CONV-14 belt conveyor?")
def _():
    pat = r"GEAR|REDUC|G/?BOX|\bGBX"
    t = WO[WO["asset"] == "CONV-14"]
    check(len(t) > 0, "kb-17: asset missing")
    absent(t["problem"] + " " + t["action"], pat, "kb-17")
    o = WO[WO["asset"] != "CONV-14"]
    # narrower pattern for naming the other assets ("reducing valve" is not a gearbox)
    hits = o[(o["problem"] + " " + o["action"]).str.contains(r"GEAR|G/?BOX|\bGBX|\bREDUCER", case=False)]
    check(len(hits) > 0, "kb-17: no other asset mentions a gearbox")
    who = hits["asset"].value_counts()
    ans = (f"No. None of the {len(t)} CONV-14 work orders mention a gearbox. Gearbox work orders exist for " +
           ", ".join(f"{a} ({n})" for a, n in who.items()) + ".")
    return "absent", ans, []


# ================================================================ SITE C

EX = load_excavators()
FM = load_fmea()


@q("kc-01", "count", "work_order",
   "How many work orders were logged on excavator A in 2008?")
def _():
    s = EX[(EX["asset"] == "A") & (EX["year"] == 2008)]
    check(not s.duplicated().any(), "kc-01: repeat rows in subset")
    n = len(s)
    return n, f"Excavator A has {n} work orders dated in 2008.", [str(n)]


@q("kc-02", "count", "fmea",
   "Haul truck FMEA: how many lines have no current control, meaning the controls cell is empty or says there are none?")
def _():
    blank = FM["controls"] == ""
    none_ = FM["controls"].str.fullmatch(r"(?i)no current controls?\.?|none\.?|nil\.?|n/?a")
    n = int((blank | none_).sum())
    ans = (f"{n} FMEA lines have no current control: {int(none_.sum())} say \"No current controls\" "
           f"and {int(blank.sum())} have an empty controls cell.")
    return n, ans, [str(n)]


@q("kc-03", "count_threshold", "work_order",
   "Excavator E: number of work orders that cost more than $50,000.")
def _():
    s = EX[EX["asset"] == "E"]
    not_on_threshold(s["cost"], 50000, "kc-03")
    check(not s[s["cost"] > 50000].duplicated().any(), "kc-03: repeat rows in result")
    n = int((s["cost"] > 50000).sum())
    return n, f"{n} excavator E work orders cost more than 50000.00.", [str(n)]


@q("kc-04", "count_threshold", "fmea",
   "Reliability engineer: how many failure modes in the haul truck FMEA are rated severity 4 or higher?")
def _():
    # Integer scale: ">= 4" is checked as "> 3.5" so no value sits on the bound.
    not_on_threshold(FM["severity"].astype(float), 3.5, "kc-04")
    n = int((FM["severity"] > 3.5).sum())
    return n, f"{n} of the {len(FM)} FMEA lines have severity 4 or higher (4 is the highest severity used).", [str(n)]


@q("kc-05", "earliest", "work_order",
   "When does excavator A's work order history start, and what was the first job?")
def _():
    s = EX[EX["asset"] == "A"]
    r = unique_extreme(s, "date", "min", "kc-05")
    ans = f"Excavator A's first work order is dated {day(r['date'])}: \"{r['text']}\" ({r['pm_type']}, cost {money(r['cost'])})."
    return day(r["date"]), ans, [day(r["date"])]


@q("kc-06", "latest", "work_order",
   "Most recent work order on digger C - date and what it was for.")
def _():
    s = EX[EX["asset"] == "C"]
    r = unique_extreme(s, "date", "max", "kc-06")
    ans = f"Excavator C's latest work order is dated {day(r['date'])}: \"{r['text']}\" ({r['pm_type']}, cost {money(r['cost'])})."
    return day(r["date"]), ans, [day(r["date"])]


@q("kc-07", "sum", "work_order",
   "Add up the maintenance cost for excavator A over 2007.")
def _():
    s = EX[(EX["asset"] == "A") & (EX["year"] == 2007)]
    no_blanks(s["cost"], "kc-07")
    check(not s.duplicated().any(), "kc-07: repeat rows in subset")
    t = float(s["cost"].sum())
    return money(t), f"Excavator A's {len(s)} work orders in 2007 total {money(t)}.", [money(t)]


@q("kc-08", "sum", "work_order",
   "PM02 orders on excavator C in 2009 - what did they cost altogether?")
def _():
    s = EX[(EX["asset"] == "C") & (EX["year"] == 2009) & (EX["pm_type"] == "PM02")]
    no_blanks(s["cost"], "kc-08")
    check(not s.duplicated().any(), "kc-08: repeat rows in subset")
    t = float(s["cost"].sum())
    return money(t), f"The {len(s)} PM02 work orders on excavator C in 2009 total {money(t)}.", [money(t)]


@q("kc-09", "max", "fmea",
   "Within the Power Unit subsystem of the FMEA, which line has the highest RPN?")
def _():
    s = FM[FM["subsystem"] == "Power Unit"]
    r = unique_extreme(s, "rpn", "max", "kc-09")
    ans = (f"The highest Power Unit RPN is {r['rpn']}: {r['component']} / {r['sub_component']}, "
           f"failure mode \"{r['failure_mode']}\" (S{r['severity']} x O{r['occurrence']} x D{r['detection']}).")
    return f"{r['sub_component']} {r['rpn']}", ans, [str(r["rpn"]), r["sub_component"]]


@q("kc-10", "min", "fmea",
   "Lowest RPN anywhere in the Power Frame section, and for what part?")
def _():
    s = FM[FM["subsystem"] == "Power Frame"]
    r = unique_extreme(s, "rpn", "min", "kc-10")
    ans = (f"The lowest Power Frame RPN is {r['rpn']}: {r['component']} / {r['sub_component']}, "
           f"failure mode \"{r['failure_mode']}\".")
    return f"{r['sub_component']} {r['rpn']}", ans, [str(r["rpn"]), r["sub_component"]]


@q("kc-11", "top_n", "work_order",
   "Three costliest single work orders on excavator D - dates, descriptions and amounts.")
def _():
    s = EX[EX["asset"] == "D"].reset_index(drop=True)
    top = top_n_no_tie(s["cost"], 3, "kc-11")
    rows = s.loc[top.index]
    ans = "Costliest excavator D work orders: " + "; ".join(
        f"{day(r['date'])} \"{r['text']}\" {money(r['cost'])}" for _, r in rows.iterrows()) + "."
    must = []
    for _, r in rows.iterrows():
        must += [day(r["date"]), money(r["cost"])]
    return ", ".join(money(v) for v in top), ans, must


@q("kc-12", "group_by", "fmea",
   "how many FMEA lines per subsystem?")
def _():
    no_blanks(FM["subsystem"].replace("", None), "kc-12")
    g = FM.groupby("subsystem").size().sort_values(ascending=False)
    ans = f"FMEA lines per subsystem ({len(FM)} in all): " + ", ".join(f"{k} {v}" for k, v in g.items()) + "."
    must = []
    for k, v in g.items():
        must += [k, str(v)]
    must = list(dict.fromkeys(must))
    return {k: int(v) for k, v in g.items()}, ans, must


@q("kc-13", "group_by", "work_order",
   "Total PM02 spend per excavator over the whole file. Count every line as its own work order, repeats included.")
def _():
    s = EX[EX["pm_type"] == "PM02"]
    no_blanks(s["cost"], "kc-13")
    g = s.groupby("asset")["cost"].sum().round(2)
    ans = "PM02 cost per excavator, all years: " + ", ".join(f"{a} {money(v)}" for a, v in g.items()) + "."
    must = [money(v) for v in g.values]
    return {a: money(v) for a, v in g.items()}, ans, must


@q("kc-14", "average", "work_order",
   "Average cost of a PM02 work order on excavator E?")
def _():
    s = EX[(EX["asset"] == "E") & (EX["pm_type"] == "PM02")]
    check(not s.duplicated().any(), "kc-14: repeat rows in subset")
    m = avg_safe(s["cost"], "kc-14")
    return money(m), f"Excavator E's {len(s)} PM02 work orders average {money(m)}.", [money(m)]


@q("kc-15", "lookup", "work_order",
   "Technician: excavator A had a left-hand bucket cylinder leak written up on 20 March 2005. What did that job cost?")
def _():
    s = EX[(EX["asset"] == "A") & (EX["date"] == "2005-03-20")]
    r = one_row(s, "kc-15")
    check("BUCKET CYL" in r["text"].upper(), "kc-15: wrong row")
    ans = f"The {day(r['date'])} excavator A work order \"{r['text']}\" ({r['pm_type']}) cost {money(r['cost'])}."
    return money(r["cost"]), ans, [money(r["cost"])]


@near("kc-16", "work_order",
      "Total repair spend on excavator A during 2010?")
def _():
    a = EX[EX["asset"] == "A"]
    check(not (a["year"] == 2010).any(), "kc-16: A has 2010 rows")
    others = sorted(EX[EX["year"] == 2010]["asset"].unique())
    ans = (f"Excavator A has no work orders in 2010. Its records run from {day(a['date'].min())} to "
           f"{day(a['date'].max())}. The 2010 work orders belong to excavators " + ", ".join(others) + ".")
    return "absent", ans, []


@near("kc-17", "work_order",
      "How many fire suppression faults has excavator B had?")
def _():
    pat = r"FIRE|SUPPRESS|SUPRESS|EXTINGU|ANSUL|\bFSS\b|F/S\b|HALON|DRY\s?CHEM|FOAM|FLAME"
    b = EX[EX["asset"] == "B"]
    check(len(b) > 0, "kc-17: asset missing")
    absent(b["text"], pat, "kc-17")
    o = EX[(EX["asset"] != "B") & EX["text"].str.contains(r"FIRE|SUPPRESS", case=False)]
    check(len(o) > 0, "kc-17: no other excavator mentions fire suppression")
    ans = (f"None. None of excavator B's {len(b)} work orders mention fire suppression. "
           f"Fire or suppression work orders exist for excavators " + ", ".join(sorted(o["asset"].unique())) + ".")
    return "absent", ans, []


# ---------------------------------------------------------------- run

EXPECTED_MIX = {"count": 2, "count_threshold": 2, "earliest": 1, "latest": 1, "sum": 2, "max": 1, "min": 1,
                "top_n": 1, "group_by": 2, "average": 1, "lookup": 1, "near_miss": 2}
PREFIX_FILE = {"ka": "site_a.jsonl", "kb": "site_b.jsonl", "kc": "site_c.jsonl"}


def main() -> int:
    write = "--write" in sys.argv[1:]
    failed = 0
    records: dict[str, list[dict]] = {k: [] for k in PREFIX_FILE}
    for item in QUESTIONS:
        try:
            value, ref, must = item["fn"]()
            must = [str(m) for m in must]
            answerable = item["op"] != "near_miss"
            if answerable:
                check(len(must) > 0, "answerable question without must_contain")
            else:
                check(must == [], "near miss with must_contain")
            for m in must:
                check(m in ref, f"must_contain {m!r} not in reference answer")
                check(not re.search(r"\d,\d{3}", m), f"thousands separator in {m!r}")
            if item["op"] in ("count", "count_threshold"):
                check(int(value) >= 10, f"single-digit count {value}")
            rec = {
                "id": item["id"],
                "question": item["question"],
                "reference_answer": ref,
                "must_contain": must,
                "gold_sources": [],
                "answerable": answerable,
                "tags": ["records", item["kind"], item["op"]],
                "split": SPLIT,
            }
            records[item["id"][:2]].append(rec)
            print(f"{item['id']}  {item['op']}  {value}")
        except Exception as exc:  # noqa: BLE001
            failed += 1
            print(f"{item['id']}  {item['op']}  ASSERT FAILED: {exc}")
            if not isinstance(exc, AssertionError):
                traceback.print_exc()

    # op mix and id checks per site
    for prefix, recs in records.items():
        ids = [r["id"] for r in recs]
        want = [f"{prefix}-{i:02d}" for i in range(1, 18)]
        if ids != want:
            failed += 1
            print(f"{prefix}: ids {ids} != {want}")
        mix: dict[str, int] = {}
        for r in recs:
            mix[r["tags"][2]] = mix.get(r["tags"][2], 0) + 1
        if mix != EXPECTED_MIX:
            failed += 1
            print(f"{prefix}: op mix {mix} != {EXPECTED_MIX}")
        kinds = [r["tags"][1] for r in recs]
        aux = sum(k in ("table", "fmea") for k in kinds)
        if prefix in ("ka", "kb") and not 1 <= aux <= 3:
            failed += 1
            print(f"{prefix}: {aux} table questions, want 1-3")
        if prefix == "kc" and kinds.count("fmea") < 5:
            failed += 1
            print(f"{prefix}: {kinds.count('fmea')} FMEA questions, want >= 5")
    qs = [r["question"] for recs in records.values() for r in recs]
    if len(set(qs)) != len(qs):
        failed += 1
        print("duplicate question text")

    if write and not failed:
        for prefix, fname in PREFIX_FILE.items():
            with open(HERE / fname, "w", encoding="utf-8") as fh:
                for r in records[prefix]:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"wrote {', '.join(PREFIX_FILE.values())}")
    elif write:
        print("not writing: asserts failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
