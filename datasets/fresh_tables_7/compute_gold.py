"""Gold answers for the fresh_tables_7 held-out records set, computed straight from the source files.

    python compute_gold.py           print `id  op  value` for every question
    python compute_gold.py --write   also write site_a.jsonl, site_b.jsonl, site_c.jsonl next to this file

Every question's wording sits next to the pandas code that computes its answer. The asserts check the
conditions the set relies on: no tie at the cut-off of a max/min/top-N, no blank value inside a
sum/average/threshold count, no value sitting exactly on a strict threshold, lookups and date answers
that hit exactly one row, near misses that are really absent, and averages that are exact to 2 decimals.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # repository root (/work/main)
HANGAR = ROOT / "sample_hangar" / "docs"
PLANT = ROOT / "sample_plant" / "docs"
CORPORA = Path(os.environ.get("FLOORWISE_SHARED_CORPORA", ROOT.parent / "shared" / "corpora"))
SPLIT = "fresh7"


# --------------------------------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------------------------------
def num(x: float) -> str:
    """Plain figure, at most 2 decimals, trailing zeros dropped (24.2, 64, 2.25)."""
    r = round(float(x), 2)
    assert abs(r - float(x)) < 1e-9, f"{x} is not exact to 2 decimals"
    s = f"{r:.2f}".rstrip("0").rstrip(".")
    return s


def money(x: float) -> str:
    """Money with 2 decimals, no thousands separator (891.70)."""
    r = round(float(x), 2)
    assert abs(r - float(x)) < 1e-6, f"{x} is not a whole number of cents"
    return f"{r:.2f}"


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


# --------------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------------
def no_blanks(s: pd.Series, what: str) -> pd.Series:
    assert len(s) > 0, f"{what}: empty selection"
    assert s.notna().all(), f"{what}: blank value inside the selection"
    return s


def exact_mean(s: pd.Series, what: str) -> float:
    no_blanks(s, what)
    cents = int(round(s.sum() * 100))
    assert abs(cents - s.sum() * 100) < 1e-6
    assert cents % len(s) == 0, f"{what}: mean {s.mean()} not exact to 2 decimals"
    return cents / len(s) / 100


def unique_extreme(df: pd.DataFrame, col: str, largest: bool, what: str) -> pd.Series:
    no_blanks(df[col], what)
    s = df.sort_values(col, ascending=not largest)
    assert len(s) >= 2 and s[col].iloc[0] != s[col].iloc[1], f"{what}: tie at the extreme"
    return s.iloc[0]


def one_row(df: pd.DataFrame, what: str) -> pd.Series:
    assert len(df) == 1, f"{what}: {len(df)} rows, expected exactly one"
    return df.iloc[0]


def extreme_date_row(df: pd.DataFrame, col: str, earliest: bool, what: str) -> pd.Series:
    target = df[col].min() if earliest else df[col].max()
    hit = df[df[col].dt.normalize() == target.normalize()]
    return one_row(hit, what + " (rows on the extreme date)")


def top_n(s: pd.Series, n: int, what: str) -> pd.Series:
    s = s.sort_values(ascending=False)
    assert len(s) > n and s.iloc[n - 1] != s.iloc[n], f"{what}: tie at the top-{n} cut-off"
    return s.head(n)


def strict_threshold(s: pd.Series, t: float, what: str) -> None:
    no_blanks(s, what)
    assert not (s == t).any(), f"{what}: a value sits exactly on the threshold {t}"


# --------------------------------------------------------------------------------------------------
# loaders (data quirks normalised here; see README)
# --------------------------------------------------------------------------------------------------
def load_squawks() -> pd.DataFrame:
    """Site A squawk log: one sheet per year (2022, 2023, 2024) plus a Notes sheet that is skipped."""
    path = HANGAR / "logs" / "maintenance_log_2022-2024.xlsx"
    frames = []
    for sheet in ("2022", "2023", "2024"):
        df = pd.read_excel(path, sheet_name=sheet, dtype=object)
        df["sheet"] = sheet
        frames.append(df)
    d = pd.concat(frames, ignore_index=True)

    def parse(v):
        # cards keyed from paper are typed as text DD-MMM-YYYY; the rest are real Excel dates
        if isinstance(v, str):
            return pd.to_datetime(v.strip(), format="%d-%b-%Y")
        return pd.Timestamp(v)

    d["date"] = d["Date Reported"].map(parse)
    assert (d["date"].dt.year.astype(str) == d["sheet"]).all()
    d["id"] = d["Squawk No"].str.strip()
    d["tail"] = d["Tail"].str.strip()
    d["ata"] = d["ATA"].str.strip()
    d["ata_ch"] = d["ata"].str.split().str[0]
    d["labor"] = d["Labor Hrs"].astype(float)
    d["cost"] = d["Parts Cost ($)"].astype(float)  # blank = invoice pending -> NaN
    d["mech"] = d["Mechanic"].str.strip()
    assert not d["id"].duplicated().any()
    return d


def load_gse() -> pd.DataFrame:
    g = pd.read_csv(HANGAR / "logs" / "gse_work_records.csv")
    g["id"] = g["Record No"].str.strip()
    g["unit"] = g["Unit"].str.strip()
    g["date"] = pd.to_datetime(g["Opened"], format="%Y-%m-%d")
    g["down"] = g["Downtime (h)"].astype(float)
    g["cost"] = g["Cost"].astype(float)  # two blanks
    assert not g["id"].duplicated().any()
    return g


def load_parts() -> pd.DataFrame:
    p = pd.read_csv(HANGAR / "tables" / "parts_catalogue.csv", dtype={"ATA": str})
    assert not p["Part No"].duplicated().any()
    return p


TECH_2024 = {  # 2024 export writes the lead as a login; map onto the 2022-2023 "X. Name" form
    "MREYES": "M. Reyes", "SNOVAK": "S. Novak", "DKOWALSKI": "D. Kowalski", "KOSEI": "K. Osei",
    "TOKAFOR": "T. Okafor", "JLINDQVIST": "J. Lindqvist", "RBRENNAN": "R. Brennan", "AFERREIRA": "A. Ferreira",
}


def load_cmms() -> pd.DataFrame:
    """Site B: the 2022-2023 CSV and the 2024 XLSX mapped onto one schema and stacked into one log."""
    rows = list(csv.reader(open(PLANT / "work_orders" / "cmms_export_2022_2023.csv", encoding="utf-8-sig")))
    head, body = rows[0], []
    for r in rows[1:]:
        if len(r) == 11:  # WO-22-0070: unquoted comma inside the problem description
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == 10, r
        body.append(r)
    a = pd.DataFrame(body, columns=head)
    A = pd.DataFrame({
        "id": a["WO Number"].str.strip(),
        "ts": pd.to_datetime(a["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": a["Equipment ID"].str.strip(),
        "code": a["Failure Code"].str.strip(),
        "cost": pd.to_numeric(a["Total Cost"].str.strip().replace("", None)),  # WO-23-0002 blank
        "down": pd.to_numeric(a["Downtime (h)"].str.strip()),
        "tech": a["Technician"].str.strip(),
        "status": a["Status"].str.strip(),
        "src": "csv",
    })
    b = pd.read_excel(PLANT / "work_orders" / "cmms_export_2024.xlsx", dtype=object)
    B = pd.DataFrame({
        "id": b["WONUM"].astype(str).str.strip(),
        "ts": pd.to_datetime(b["REPORTDATE"]),
        "asset": b["ASSETNUM"].str.strip(),
        "code": b["FAILURECODE"].str.strip(),
        "cost": b["ACTTOTALCOST"].astype(float),
        "down": b["DOWNTIME"].astype(float),
        "tech": b["LEAD"].str.strip().map(TECH_2024),
        "status": b["STATUS"].str.strip(),
        "src": "xlsx",
    })
    assert B["tech"].notna().all()
    w = pd.concat([A, B], ignore_index=True)
    assert not w["id"].duplicated().any()
    assert (w.loc[w.src == "csv", "ts"].dt.year <= 2023).all() and (w.loc[w.src == "xlsx", "ts"].dt.year == 2024).all()
    return w


def load_torque() -> pd.DataFrame:
    t = pd.read_csv(PLANT / "tables" / "torque_specs.csv", encoding="utf-8-sig")
    t["Asset"] = t["Asset"].ffill()  # asset written once per block
    return t


PMTYPES = {"PM01", "PM02", "PM04", "PM05", "PM06", "PM13"}


def load_excavators() -> pd.DataFrame:
    rows = list(csv.reader(open(CORPORA / "excavator_work_orders" / "excavators.csv", encoding="utf-8-sig")))
    head, body = rows[0], []
    for r in rows[1:]:
        if r[3] not in PMTYPES:  # line 3454: "won,t swing" unquoted -> text split, cost missing
            assert r[4] in PMTYPES, r
            r = [r[0], r[1], r[2] + "," + r[3], r[4], ""]
        body.append(r)
    e = pd.DataFrame(body, columns=head)
    e["date"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["asset"] = e["Asset"].str.strip()
    e["pm"] = e["PMType"].str.strip()
    e["cost"] = pd.to_numeric(e["Cost"].replace("", None))
    assert len(e) == 5485
    return e


def load_fmea() -> pd.DataFrame:
    f = pd.read_csv(CORPORA / "fmea_haul_truck" / "fmea_dataset_filled.csv", encoding="utf-8-sig")
    assert len(f) == 330
    return f


# --------------------------------------------------------------------------------------------------
# questions
# --------------------------------------------------------------------------------------------------
QUESTIONS: list[dict] = []


def q(qid: str, kind: str, op: str, question: str, answerable: bool = True):
    def deco(fn):
        QUESTIONS.append(dict(id=qid, kind=kind, op=op, question=question, answerable=answerable, fn=fn))
        return fn
    return deco


def yr(df, col, y):
    return df[df[col].dt.year == y]


def between(df, col, start, end_excl):
    return df[(df[col] >= pd.Timestamp(start)) & (df[col] < pd.Timestamp(end_excl))]


# ============================== Site A: Harlow Field MRO ==============================
SQ, GSE, PARTS = None, None, None


def site_a():
    global SQ, GSE, PARTS
    if SQ is None:
        SQ, GSE, PARTS = load_squawks(), load_gse(), load_parts()
    return SQ, GSE, PARTS


@q("ja-01", "work_order", "count", "N7093R, 2023: how many squawks were written up against it?")
def _():
    d, _, _ = site_a()
    n = len(yr(d[d["tail"] == "N7093R"], "date", 2023))
    return f"{n} squawks were written up against N7093R in 2023.", [str(n)]


@q("ja-02", "work_order", "count", "how many GSE work records did gpu-07 get between March and October 2023?")
def _():
    _, g, _ = site_a()
    n = len(between(g[g.unit == "GPU-07"], "date", "2023-03-01", "2023-11-01"))
    return f"GPU-07 had {n} work records opened from March through October 2023.", [str(n)]


@q("ja-03", "work_order", "count_threshold",
   "Going through the 2023 squawk sheet, how many write-ups had 4 or more labor hours booked to them?")
def _():
    d, _, _ = site_a()
    x = yr(d, "date", 2023)
    no_blanks(x.labor, "ja-03 labor")
    n = int((x.labor >= 4).sum())
    strict_threshold(x.labor, 4, "ja-03")  # none sits on 4.0, so >=4 and >4 agree
    return f"{n} squawks in 2023 had 4 or more labor hours booked.", [str(n)]


@q("ja-04", "table", "count_threshold", "How many parts in the parts catalogue are priced north of $1,000 a unit?")
def _():
    _, _, p = site_a()
    strict_threshold(p["Unit Price"], 1000, "ja-04")
    n = int((p["Unit Price"] > 1000).sum())
    return f"{n} catalogue parts have a unit price above $1,000.", [str(n)]


@q("ja-05", "work_order", "date_earliest",
   "When was the first propeller (ATA 61) squawk of 2024 written up, and on which tail?")
def _():
    d, _, _ = site_a()
    x = yr(d[d.ata_ch == "61"], "date", 2024)
    r = extreme_date_row(x, "date", True, "ja-05")
    return (f"The first ATA 61 squawk of 2024 was {r['id']} on {day(r.date)}, tail {r['tail']}.",
            [day(r.date), r["tail"]])


@q("ja-06", "work_order", "date_latest", "Pull up the most recent work record for GPU-09 - what date was it opened?")
def _():
    _, g, _ = site_a()
    r = extreme_date_row(g[g.unit == "GPU-09"], "date", False, "ja-06")
    return f"The latest GPU-09 record is {r['id']}, opened {day(r.date)}.", [day(r.date)]


@q("ja-07", "work_order", "sum", "Total labor hours racked up on N61904 in 2024?")
def _():
    d, _, _ = site_a()
    s = no_blanks(yr(d[d["tail"] == "N61904"], "date", 2024).labor, "ja-07").sum()
    return f"N61904 racked up {num(s)} labor hours in 2024.", [num(s)]


@q("ja-08", "work_order", "sum",
   "For the cost review: what did ATA 24 electrical power squawks set us back in parts during 2023?")
def _():
    d, _, _ = site_a()
    s = no_blanks(yr(d[d.ata_ch == "24"], "date", 2023).cost, "ja-08").sum()
    return f"ATA 24 squawks in 2023 came to ${money(s)} in parts.", [money(s)]


@q("ja-09", "work_order", "max",
   "Which TUG-2 job in 2024 kept the tug out of service the longest, and for how many hours?")
def _():
    _, g, _ = site_a()
    r = unique_extreme(yr(g[g.unit == "TUG-2"], "date", 2024), "down", True, "ja-09")
    return f"{r['id']} ({day(r.date)}) had TUG-2 down {num(r.down)} hours.", [r["id"], num(r.down)]


@q("ja-10", "table", "min", "cheapest part we buy from Tri-Valley Rotables? part number and unit price pls")
def _():
    _, _, p = site_a()
    r = unique_extreme(p[p.Vendor == "Tri-Valley Rotables"], "Unit Price", False, "ja-10")
    return (f"{r['Part No']} ({r['Description']}) at ${money(r['Unit Price'])} is the cheapest Tri-Valley Rotables part.",
            [r["Part No"], money(r["Unit Price"])])


@q("ja-11", "work_order", "top_n", "Top 3 tails by number of squawks in 2024?")
def _():
    d, _, _ = site_a()
    t = top_n(yr(d, "date", 2024).groupby("tail").size(), 3, "ja-11")
    return "Top 3 tails in 2024: " + ", ".join(f"{k} ({v})" for k, v in t.items()) + ".", list(t.index)


@q("ja-12", "work_order", "group_by", "Give me total GSE downtime hours per unit for 2024.")
def _():
    _, g, _ = site_a()
    x = yr(g, "date", 2024)
    no_blanks(x.down, "ja-12")
    s = x.groupby("unit").down.sum()
    mc = []
    for k, v in s.items():
        mc += [k, num(v)]
    return "2024 GSE downtime: " + ", ".join(f"{k} {num(v)} h" for k, v in s.items()) + ".", mc


@q("ja-13", "work_order", "group_by", "Tally the 2024 squawks by mechanic.")
def _():
    d, _, _ = site_a()
    s = yr(d, "date", 2024).groupby("mech").size()
    assert s.is_unique
    mc = []
    for k, v in s.items():
        mc += [k, str(v)]
    return "2024 squawks per mechanic: " + ", ".join(f"{k} {v}" for k, v in s.items()) + ".", mc


@q("ja-14", "work_order", "average", "What's the average labor time on ATA 27 flight controls squawks in 2023?")
def _():
    d, _, _ = site_a()
    m = exact_mean(yr(d[d.ata_ch == "27"], "date", 2023).labor, "ja-14")
    return f"ATA 27 squawks in 2023 averaged {num(m)} labor hours.", [num(m)]


@q("ja-15", "table", "lookup", "What's the lead time on LW-61420?")
def _():
    _, _, p = site_a()
    r = one_row(p[p["Part No"] == "LW-61420"], "ja-15")
    v = int(r["Lead Time (days)"])
    return f"LW-61420 ({r['Description']}) has a lead time of {v} days.", [str(v)]


@q("ja-16", "work_order", "near_miss", "How many hours was GPU-08 down in 2023?", answerable=False)
def _():
    _, g, p = site_a()
    assert not g.unit.str.upper().str.contains("GPU-08").any()
    assert not (g["Reported Problem"] + g["Corrective Action"]).str.upper().str.contains("GPU-08").any()
    return "There is no GPU-08 in the GSE work records (the GPUs are GPU-07 and GPU-09).", []


# ============================== Site B: stamping plant CMMS ==============================
WO, TQ = None, None


def site_b():
    global WO, TQ
    if WO is None:
        WO, TQ = load_cmms(), load_torque()
    return WO, TQ


@q("jb-01", "work_order", "count", "First half of 2023: how many work orders were raised across the whole plant?")
def _():
    w, _ = site_b()
    n = len(between(w, "ts", "2023-01-01", "2023-07-01"))
    return f"{n} work orders were raised plant-wide in January-June 2023.", [str(n)]


@q("jb-02", "work_order", "count", "how many LEAK-coded calls are in the CMMS altogether (2022-2024)?")
def _():
    w, _ = site_b()
    n = int((w.code == "LEAK").sum())
    return f"{n} work orders carry failure code LEAK across 2022-2024.", [str(n)]


@q("jb-03", "work_order", "count_threshold", "Since May 2023, how many jobs had at least 4 hours of downtime?")
def _():
    w, _ = site_b()
    x = w[w.ts >= pd.Timestamp("2023-05-01")]
    no_blanks(x.down, "jb-03")
    n = int((x.down >= 4).sum())
    return f"{n} work orders since 1 May 2023 had 4 or more hours of downtime.", [str(n)]


@q("jb-04", "table", "count_threshold", "How many entries in the torque spec table are 200 N·m or higher?")
def _():
    _, t = site_b()
    s = no_blanks(t["Torque (N·m)"], "jb-04")
    strict_threshold(s, 200, "jb-04")
    n = int((s >= 200).sum())
    return f"{n} torque spec entries are 200 N·m or higher.", [str(n)]


@q("jb-05", "work_order", "date_earliest", "When did robot-5 get its first work order of 2024?")
def _():
    w, _ = site_b()
    r = extreme_date_row(yr(w[w.asset == "ROBOT-5"], "ts", 2024), "ts", True, "jb-05")
    return f"ROBOT-5's first 2024 work order was {r['id']} on {day(r.ts)}.", [day(r.ts)]


@q("jb-06", "work_order", "date_latest", "Last time HPU-3 had a ticket raised - what date?")
def _():
    w, _ = site_b()
    r = extreme_date_row(w[w.asset == "HPU-3"], "ts", False, "jb-06")
    return f"HPU-3's latest work order is {r['id']}, raised {day(r.ts)}.", [day(r.ts)]


@q("jb-07", "work_order", "sum", "What did PRESS-03 set us back in maintenance in 2024?")
def _():
    w, _ = site_b()
    s = no_blanks(yr(w[w.asset == "PRESS-03"], "ts", 2024).cost, "jb-07").sum()
    return f"PRESS-03 work orders in 2024 total ${money(s)}.", [money(s)]


@q("jb-08", "work_order", "sum", "How many hours in total has HPU-3 been down for, 2022 through 2024?")
def _():
    w, _ = site_b()
    s = no_blanks(w[w.asset == "HPU-3"].down, "jb-08").sum()
    return f"HPU-3 was down {num(s)} hours in total over 2022-2024.", [num(s)]


@q("jb-09", "work_order", "max", "Most expensive work order of 2024 - which one, and how much?")
def _():
    w, _ = site_b()
    r = unique_extreme(yr(w, "ts", 2024), "cost", True, "jb-09")
    return f"{r['id']} on {r['asset']} ({day(r.ts)}) at ${money(r.cost)}.", [r["id"], money(r.cost)]


@q("jb-10", "work_order", "min", "cheapest ticket on press-04 in 2023?")
def _():
    w, _ = site_b()
    r = unique_extreme(yr(w[w.asset == "PRESS-04"], "ts", 2023), "cost", False, "jb-10")
    return f"{r['id']} ({day(r.ts)}) at ${money(r.cost)} was the cheapest PRESS-04 work order of 2023.", [r["id"], money(r.cost)]


@q("jb-11", "work_order", "top_n", "Which 3 machines racked up the most downtime hours in 2023?")
def _():
    w, _ = site_b()
    x = yr(w, "ts", 2023)
    no_blanks(x.down, "jb-11")
    t = top_n(x.groupby("asset").down.sum(), 3, "jb-11")
    return "Most downtime in 2023: " + ", ".join(f"{k} ({num(v)} h)" for k, v in t.items()) + ".", list(t.index)


@q("jb-12", "work_order", "group_by", "For the 2022 review, break down work order cost by failure code.")
def _():
    w, _ = site_b()
    x = yr(w, "ts", 2022)
    no_blanks(x.cost, "jb-12")
    s = x.groupby("code").cost.sum()
    mc = []
    for k, v in s.items():
        mc += [k, money(v)]
    return "2022 cost by failure code: " + ", ".join(f"{k} ${money(v)}" for k, v in s.items()) + ".", mc


@q("jb-13", "work_order", "group_by", "Maintenance spend per press, PRESS-01 to PRESS-04, for 2023?")
def _():
    w, _ = site_b()
    x = yr(w[w.asset.isin(["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"])], "ts", 2023)
    no_blanks(x.cost, "jb-13")
    s = x.groupby("asset").cost.sum()
    assert len(s) == 4
    mc = []
    for k, v in s.items():
        mc += [k, money(v)]
    return "2023 spend: " + ", ".join(f"{k} ${money(v)}" for k, v in s.items()) + ".", mc


@q("jb-14", "work_order", "average", "Average cost per work order on PRESS-02 in 2024?")
def _():
    w, _ = site_b()
    m = exact_mean(yr(w[w.asset == "PRESS-02"], "ts", 2024).cost, "jb-14")
    return f"PRESS-02 work orders in 2024 averaged ${money(m)}.", [money(m)]


@q("jb-15", "table", "lookup", "What torque do the PRESS-03 main cylinder gland bolts go to, in N·m?")
def _():
    _, t = site_b()
    r = one_row(t[(t.Asset == "PRESS-03") & (t.Component == "Main cylinder gland bolts")], "jb-15")
    v = num(r["Torque (N·m)"])
    return f"PRESS-03 main cylinder gland bolts: {v} N·m ({num(r['Torque (lbf·ft)'])} lbf·ft), {r['Pattern / notes']}.", [v]


@q("jb-16", "work_order", "near_miss", "How many work orders did PRESS-05 have in 2023?", answerable=False)
def _():
    w, t = site_b()
    assert not (w.asset == "PRESS-05").any()
    assert not t.Asset.str.contains("PRESS-05").any()
    return "There is no PRESS-05 in the CMMS exports; the presses are PRESS-01 to PRESS-04.", []


# ============================== Site C: public excavator WOs + haul-truck FMEA ==============================
EX, FM = None, None


def site_c():
    global EX, FM
    if EX is None:
        EX, FM = load_excavators(), load_fmea()
    return EX, FM


@q("jc-01", "work_order", "count", "How many work orders did excavator A log between 2005 and 2007?")
def _():
    e, _ = site_c()
    n = len(between(e[e.asset == "A"], "date", "2005-01-01", "2008-01-01"))
    return f"Excavator A has {n} work orders dated 2005-2007.", [str(n)]


@q("jc-02", "fmea", "count", "How many failure-mode lines does the haul truck FMEA have for the Data Collection Unit (DCU)?")
def _():
    _, f = site_c()
    n = int((f.Component == "Data Collection Unit (DCU)").sum())
    return f"The FMEA has {n} lines for the Data Collection Unit (DCU).", [str(n)]


@q("jc-03", "work_order", "count_threshold", "Excavator D - how many jobs ran $10,000 or more?")
def _():
    e, _ = site_c()
    x = e[e.asset == "D"]
    strict_threshold(x.cost, 10000, "jc-03")
    n = int((x.cost >= 10000).sum())
    return f"{n} excavator D work orders cost $10,000 or more.", [str(n)]


@q("jc-04", "fmea", "count_threshold", "how many lines in the FMEA carry an RPN of 24 or higher?")
def _():
    _, f = site_c()
    s = no_blanks(f.RPN, "jc-04")
    n = int((s >= 24).sum())
    return f"{n} FMEA lines have an RPN of 24 or more.", [str(n)]


@q("jc-05", "work_order", "date_earliest", "What's the earliest work order on record for excavator C?")
def _():
    e, _ = site_c()
    r = extreme_date_row(e[e.asset == "C"], "date", True, "jc-05")
    return f"Excavator C's earliest work order is dated {day(r.date)} ({r['OriginalShorttext'].strip()}).", [day(r.date)]


@q("jc-06", "work_order", "date_latest", "Excavator A: date of its last work order?")
def _():
    e, _ = site_c()
    r = extreme_date_row(e[e.asset == "A"], "date", False, "jc-06")
    return f"Excavator A's last work order is dated {day(r.date)} ({r['OriginalShorttext'].strip()}).", [day(r.date)]


@q("jc-07", "work_order", "sum", "How much did we spend maintaining excavator A in 2006?")
def _():
    e, _ = site_c()
    x = yr(e[e.asset == "A"], "date", 2006).cost
    no_blanks(x, "jc-07")
    assert (x >= 0).all()
    s = x.sum()
    return f"Excavator A work orders in 2006 total ${money(s)}.", [money(s)]


@q("jc-08", "work_order", "sum", "Add up the PM02 costs on excavator C for 2008.")
def _():
    e, _ = site_c()
    x = yr(e[(e.asset == "C") & (e.pm == "PM02")], "date", 2008).cost
    no_blanks(x, "jc-08")
    assert (x >= 0).all()
    s = x.sum()
    return f"Excavator C's PM02 work orders in 2008 total ${money(s)} ({len(x)} orders).", [money(s)]


@q("jc-09", "work_order", "max", "Biggest single work order on excavator D in 2007 - when was it and what did it cost?")
def _():
    e, _ = site_c()
    r = unique_extreme(yr(e[e.asset == "D"], "date", 2007), "cost", True, "jc-09")
    return f"{day(r.date)}: {r['OriginalShorttext'].strip()} ({r.pm}), ${money(r.cost)}.", [day(r.date), money(r.cost)]


@q("jc-10", "fmea", "min", "In the Power Unit subsystem, which FMEA line has the lowest RPN?")
def _():
    _, f = site_c()
    r = unique_extreme(f[f.Subsystem == "Power Unit"], "RPN", False, "jc-10")
    return (f"{r.Component} / {r['Sub-Component']} ({r['Potential Failure Mode']}) with RPN {r.RPN}.",
            [r["Sub-Component"], str(r.RPN)])


@q("jc-11", "work_order", "top_n", "What were excavator D's three busiest years by number of work orders?")
def _():
    e, _ = site_c()
    t = top_n(e[e.asset == "D"].groupby(e.date.dt.year).size(), 3, "jc-11")
    return "D's busiest years: " + ", ".join(f"{k} ({v})" for k, v in t.items()) + ".", [str(k) for k in t.index]


@q("jc-12", "work_order", "group_by", "Work order count per excavator for 2004, please.")
def _():
    e, _ = site_c()
    s = yr(e, "date", 2004).groupby("asset").size()
    assert s.is_unique
    return "2004 work orders: " + ", ".join(f"{k} {v}" for k, v in s.items()) + ".", [str(v) for v in s.values]


@q("jc-13", "fmea", "group_by", "Break the haul truck FMEA down - how many lines per subsystem?")
def _():
    _, f = site_c()
    s = f.groupby("Subsystem").size()
    assert s.is_unique
    mc = []
    for k, v in s.items():
        mc += [k, str(v)]
    return "FMEA lines per subsystem: " + ", ".join(f"{k} {v}" for k, v in s.items()) + ".", mc


@q("jc-14", "fmea", "average", "Reliability review: what's the mean RPN across the Fuel System lines in the FMEA?")
def _():
    _, f = site_c()
    m = exact_mean(f[f.Component == "Fuel System"].RPN.astype(float), "jc-14")
    return f"The Fuel System lines average an RPN of {num(m)}.", [num(m)]


@q("jc-15", "fmea", "lookup", "RPN on the transmission planetary gear sets?")
def _():
    _, f = site_c()
    r = one_row(f[(f.Component == "Transmission") & (f["Sub-Component"] == "Planetary gear sets")], "jc-15")
    assert r.Severity * r.Occurrence * r.Detection == r.RPN
    return (f"Planetary gear sets ({r['Potential Failure Mode']}): RPN {r.RPN} "
            f"(S{r.Severity} x O{r.Occurrence} x D{r.Detection}).", [str(r.RPN)])


@q("jc-16", "work_order", "near_miss", "What did excavator F cost us in maintenance in 2008?", answerable=False)
def _():
    e, _ = site_c()
    assert set(e.asset) == {"A", "B", "C", "D", "E"}
    return "The excavator work orders only cover excavators A-E; there is no excavator F.", []


# --------------------------------------------------------------------------------------------------
def build() -> dict[str, list[dict]]:
    out = {"a": [], "b": [], "c": []}
    seen = set()
    for item in QUESTIONS:
        ref, must = item["fn"]()
        assert item["id"] not in seen
        seen.add(item["id"])
        if item["answerable"]:
            assert must and all(isinstance(m, str) and m for m in must), item["id"]
            for m in must:
                assert m in ref, (item["id"], m, ref)
        else:
            assert must == []
        out[item["id"][1]].append({
            "id": item["id"],
            "question": item["question"],
            "reference_answer": ref,
            "must_contain": must,
            "gold_sources": [],
            "answerable": item["answerable"],
            "tags": ["records", item["kind"], item["op"]],
            "split": SPLIT,
            "_op": item["op"],
        })
    for site, rows in out.items():
        assert len(rows) == 16, (site, len(rows))
        ops = [r["_op"] for r in rows]
        c = {o: ops.count(o) for o in set(ops)}
        assert c["count"] == 2 and c["count_threshold"] == 2 and c["sum"] == 2 and c["group_by"] == 2
        assert c["date_earliest"] == 1 and c["date_latest"] == 1
        assert c.get("max", 0) + c.get("min", 0) == 2 and c.get("min", 0) >= 1
        assert c["top_n"] == 1 and c["average"] == 1 and c["lookup"] == 1 and c["near_miss"] == 1
    return out


def main() -> None:
    out = build()
    for site in "abc":
        for r in out[site]:
            val = " | ".join(r["must_contain"]) if r["answerable"] else "(unanswerable)"
            print(f"{r['id']}  {r['_op']}  {val}")
    if "--write" in sys.argv[1:]:
        for site in "abc":
            path = HERE / f"site_{site}.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                for r in out[site]:
                    r = {k: v for k, v in r.items() if k != "_op"}
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            print(f"wrote {path.relative_to(ROOT)} ({len(out[site])} questions)", file=sys.stderr)


if __name__ == "__main__":
    main()
