"""Gold answers for the fresh_tables_6 held-out question set.

Written blind: only the source data files named in README.md were read.
Every question's wording sits next to the pandas code that computes its gold
answer straight from those files.

    python compute_gold.py          # prints  id  op  value
    python compute_gold.py --write  # also writes site_a/b/c.jsonl
"""
from __future__ import annotations

import csv
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path("/work/shared/corpora")

A_LOG = REPO / "sample_hangar/docs/logs/maintenance_log_2022-2024.xlsx"
A_GSE = REPO / "sample_hangar/docs/logs/gse_work_records.csv"
A_PARTS = REPO / "sample_hangar/docs/tables/parts_catalogue.csv"
B_CSV = REPO / "sample_plant/docs/work_orders/cmms_export_2022_2023.csv"
B_XLSX = REPO / "sample_plant/docs/work_orders/cmms_export_2024.xlsx"
B_TORQUE = REPO / "sample_plant/docs/tables/torque_specs.csv"
C_EXC = SHARED / "excavator_work_orders/excavators.csv"
C_FMEA = SHARED / "fmea_haul_truck/fmea_dataset_filled.csv"


# --------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------
def num(x) -> str:
    """Plain figure: at most 2 decimals, trailing zeros dropped."""
    d = Decimal(str(round(float(x), 6))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    s = f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def money(x) -> str:
    """Money: 2 decimals, no thousands separator."""
    d = Decimal(str(round(float(x), 6))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{d:f}"


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def exact2(x: float) -> None:
    """Assert a value is exact to 2 decimals (no rounding hidden in gold)."""
    assert abs(round(x, 2) - x) < 1e-9, f"not exact to 2 decimals: {x!r}"


def no_blanks(s: pd.Series, what: str) -> None:
    assert s.notna().all(), f"blank values inside {what}: {s[s.isna()].index.tolist()}"


def one_row(df: pd.DataFrame, what: str) -> pd.Series:
    assert len(df) == 1, f"{what}: expected exactly one row, got {len(df)}"
    return df.iloc[0]


def unique_extreme(s: pd.Series, largest: bool, what: str):
    """Index label of the unique max/min of s; asserts no tie at the top."""
    no_blanks(s, what)
    v = s.max() if largest else s.min()
    hits = s[s == v]
    assert len(hits) == 1, f"{what}: tie at the extreme {v}: {hits.index.tolist()}"
    return hits.index[0], v


def top_n(s: pd.Series, n: int, what: str) -> pd.Series:
    """Top n of s (descending) asserting no tie at the cut-off."""
    s = s.sort_values(ascending=False)
    assert len(s) > n, f"{what}: fewer than {n + 1} groups"
    assert s.iloc[n - 1] != s.iloc[n], f"{what}: tie at the cut-off: {s.head(n + 2).to_dict()}"
    return s.head(n)


# --------------------------------------------------------------------------
# Site A: Harlow Field MRO (squawk log, GSE work records, parts catalogue)
# --------------------------------------------------------------------------
def load_a_log() -> pd.DataFrame:
    """Squawk log: one sheet per year (Notes sheet skipped).

    Quirks normalised: 'Date Reported' is a real date for most rows but text
    DD-MMM-YYYY for squawks keyed from paper cards; blank 'Parts Cost ($)' means
    invoice pending (kept as NaN, never treated as 0).
    """
    frames = []
    for sheet in ("2022", "2023", "2024"):
        df = pd.read_excel(A_LOG, sheet_name=sheet, dtype=object)
        df["sheet"] = sheet
        frames.append(df)
    d = pd.concat(frames, ignore_index=True)
    d = d.rename(columns={
        "Squawk No": "squawk", "Tail": "reg", "Date Reported": "date_raw",
        "Discrepancy": "discrepancy", "Corrective Action": "action", "ATA": "ata",
        "Labor Hrs": "labor", "Parts Cost ($)": "parts", "Mechanic": "mechanic",
    })
    for c in ("squawk", "reg", "ata", "mechanic"):
        d[c] = d[c].astype(str).str.strip()

    def parse(v):
        if isinstance(v, str):
            return pd.to_datetime(v.strip(), format="%d-%b-%Y")
        return pd.Timestamp(v)

    d["date"] = d["date_raw"].map(parse)
    d["labor"] = pd.to_numeric(d["labor"])
    d["parts"] = pd.to_numeric(d["parts"])
    d["ata_ch"] = d["ata"].str.split().str[0]
    assert d["squawk"].is_unique
    assert (d["date"].dt.year.astype(str) == d["sheet"]).all(), "date outside its year sheet"
    assert (d["squawk"].str[:4] == d["sheet"]).all()
    return d


def load_a_gse() -> pd.DataFrame:
    g = pd.read_csv(A_GSE, dtype=str, keep_default_na=False)
    g = g.rename(columns={
        "Record No": "rec", "Unit": "unit", "Opened": "opened",
        "Reported Problem": "problem", "Corrective Action": "action",
        "Downtime (h)": "downtime", "Cost": "cost", "Tech": "tech",
    })
    for c in g.columns:
        g[c] = g[c].str.strip()
    g["date"] = pd.to_datetime(g["opened"], format="%Y-%m-%d")
    g["downtime"] = pd.to_numeric(g["downtime"])
    g["cost"] = pd.to_numeric(g["cost"].replace("", None))  # 2 blank costs -> NaN
    assert g["rec"].is_unique
    return g


def load_a_parts() -> pd.DataFrame:
    p = pd.read_csv(A_PARTS, dtype=str, keep_default_na=False)
    for c in p.columns:
        p[c] = p[c].str.strip()
    for c in ("Unit Price", "Qty On Hand", "Min Stock", "Lead Time (days)"):
        p[c] = pd.to_numeric(p[c])
    assert p["Part No"].is_unique
    return p


# --------------------------------------------------------------------------
# Site B: stamping plant CMMS (two exports -> one schema), torque specs
# --------------------------------------------------------------------------
STATUS_MAP = {"CLOSED": "closed", "CLOSE": "closed", "COMP": "completed", "INPRG": "in progress"}


def load_b() -> pd.DataFrame:
    """One log from two exports of the same CMMS.

    2022-2023 CSV: UTF-8 BOM; row WO-22-0070 has an unquoted comma in the
    problem text (11 fields) -> the two halves are re-joined.  One blank Total
    Cost (WO-23-0002) stays NaN.
    2024 XLSX: Maximo-style headers (WONUM, REPORTDATE, ASSETNUM, ...), lead
    tech as a login (MREYES) and status CLOSE/COMP/INPRG.
    """
    with open(B_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], []
    for r in rows[1:]:
        if len(r) == 11:  # stray comma inside Problem Description
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == 10, r
        body.append(r)
    a = pd.DataFrame(body, columns=head)
    a = pd.DataFrame({
        "wo": a["WO Number"].str.strip(),
        "date": pd.to_datetime(a["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": a["Equipment ID"].str.strip(),
        "problem": a["Problem Description"],
        "action": a["Action Taken"],
        "code": a["Failure Code"].str.strip(),
        "cost": pd.to_numeric(a["Total Cost"].replace("", None)),
        "downtime": pd.to_numeric(a["Downtime (h)"]),
        "tech": a["Technician"].str.strip(),
        "status": a["Status"].str.strip().map(STATUS_MAP),
        "source": "csv",
    })
    x = pd.read_excel(B_XLSX, sheet_name="WORKORDER", dtype=object)
    # lead logins (MREYES) -> "M. Reyes" using the names the CSV export spells out
    names = {n.replace(". ", "").replace(" ", "").upper(): n for n in a["tech"].unique()}
    b = pd.DataFrame({
        "wo": x["WONUM"].astype(str).str.strip(),
        "date": pd.to_datetime(x["REPORTDATE"]),
        "asset": x["ASSETNUM"].astype(str).str.strip(),
        "problem": x["DESCRIPTION"],
        "action": x["REMARKS"],
        "code": x["FAILURECODE"].astype(str).str.strip(),
        "cost": pd.to_numeric(x["ACTTOTALCOST"]),
        "downtime": pd.to_numeric(x["DOWNTIME"]),
        "tech": x["LEAD"].astype(str).str.strip().map(names),
        "status": x["STATUS"].astype(str).str.strip().map(STATUS_MAP),
        "source": "xlsx",
    })
    assert b["tech"].notna().all(), "unmapped 2024 lead login"
    d = pd.concat([a, b], ignore_index=True)
    assert d["wo"].is_unique
    assert d["status"].notna().all()
    assert (a["date"].dt.year <= 2023).all() and (b["date"].dt.year == 2024).all()
    return d


def load_b_torque() -> pd.DataFrame:
    """Torque table: Asset is only written on the first row of each block -> fill down."""
    t = pd.read_csv(B_TORQUE, dtype=str, keep_default_na=False)
    t["Asset"] = t["Asset"].replace("", None).ffill()
    t["Nm"] = pd.to_numeric(t["Torque (N·m)"])
    t["lbf_ft"] = pd.to_numeric(t["Torque (lbf·ft)"])
    return t


# --------------------------------------------------------------------------
# Site C: public corpora (NIST excavator work orders, haul-truck FMEA)
# --------------------------------------------------------------------------
def load_c_exc() -> pd.DataFrame:
    """Excavator work orders.  Line 3454 reads `2003-12-31,B,won,t swing,PM01`:
    the apostrophe was typed as a comma, shifting PMType into Cost.  Repaired to
    text "won't swing", PMType PM01, Cost blank (NaN)."""
    with open(C_EXC, newline="") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], []
    for r in rows[1:]:
        if len(r) == 5 and r[4].startswith("PM") and r[2] == "won":
            r = [r[0], r[1], "won't swing", r[4], ""]
        body.append(r)
    e = pd.DataFrame(body, columns=head)
    e["date"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["Asset"] = e["Asset"].str.strip()
    e["PMType"] = e["PMType"].str.strip()
    e["cost"] = pd.to_numeric(e["Cost"].replace("", None))
    assert len(e) == 5485
    assert e["cost"].isna().sum() == 1
    assert set(e["PMType"]) <= {"PM01", "PM02", "PM04", "PM05", "PM06", "PM13"}
    return e


def load_c_fmea() -> pd.DataFrame:
    """FMEA (filled-down version).  Whitespace runs collapsed in text fields.
    One line (Transmission ECU / Solenoid Wiring / Corrosion) carries RPN 0 although
    S x O x D = 12; questions avoid the RPN column for that subsystem."""
    f = pd.read_csv(C_FMEA, dtype=str, keep_default_na=False)
    for c in f.columns:
        f[c] = f[c].str.replace(r"\s+", " ", regex=True).str.strip()
    for c in ("Severity", "Occurrence", "Detection", "RPN"):
        f[c] = pd.to_numeric(f[c])
    assert len(f) == 330
    return f


# --------------------------------------------------------------------------
# question registry
# --------------------------------------------------------------------------
QUESTIONS: list[dict] = []


def question(qid: str, kind: str, op: str, text: str):
    """Register a question; the decorated function returns
    (value_for_printing, reference_answer, must_contain)."""
    def deco(fn):
        QUESTIONS.append({"id": qid, "kind": kind, "op": op, "question": text, "fn": fn})
        return fn
    return deco


def between(df, start, end):
    """Rows with start <= date < end (dates as YYYY-MM-DD strings)."""
    return df[(df["date"] >= pd.Timestamp(start)) & (df["date"] < pd.Timestamp(end))]


def in_year(df, year):
    return df[df["date"].dt.year == year]


A_LOGD = load_a_log()
A_GSED = load_a_gse()
A_PARTSD = load_a_parts()
B_WO = load_b()
B_TQ = load_b_torque()
C_EX = load_c_exc()
C_FM = load_c_fmea()


# ============================ SITE A =======================================
@question("ha-01", "work_order", "count",
          "How many squawks did N61904 pick up in the first half of 2024?")
def _():
    s = between(A_LOGD[A_LOGD["reg"] == "N61904"], "2024-01-01", "2024-07-01")
    n = len(s)
    return n, f"N61904 had {n} squawks written up between 1 January and 30 June 2024.", [str(n)]


@question("ha-02", "work_order", "count",
          "Number of GSE work records opened on GPU-07 during calendar year 2023?")
def _():
    s = in_year(A_GSED[A_GSED["unit"] == "GPU-07"], 2023)
    n = len(s)
    return n, f"{n} GSE work records were opened on GPU-07 in 2023.", [str(n)]


@question("ha-03", "work_order", "count_threshold",
          "In 2023, how many write-ups had 4 or more labor hours booked against them?")
def _():
    s = in_year(A_LOGD, 2023)
    no_blanks(s["labor"], "2023 labor hours")
    n = int((s["labor"] >= 4).sum())
    return n, f"{n} squawks in 2023 had 4.0 labor hours or more.", [str(n)]


@question("ha-04", "work_order", "count_threshold",
          "Looking at the ground support equipment records for 2022 through 2024, how many jobs "
          "kept a unit out of service for more than 10 hours?")
def _():
    no_blanks(A_GSED["downtime"], "GSE downtime")
    assert A_GSED["date"].dt.year.between(2022, 2024).all()
    assert not (A_GSED["downtime"] == 10).any()  # 'more than' vs 'at least' makes no difference
    n = int((A_GSED["downtime"] > 10).sum())
    return n, f"{n} GSE work records show more than 10 hours of downtime.", [str(n)]


@question("ha-05", "work_order", "date_latest",
          "When was the most recent ATA 24 electrical power squawk on N61904 reported?")
def _():
    s = A_LOGD[(A_LOGD["reg"] == "N61904") & (A_LOGD["ata_ch"] == "24")]
    v = s["date"].max()
    r = one_row(s[s["date"] == v], "latest ATA 24 on N61904")
    return (day(v), f"The latest ATA 24 squawk on N61904 is {r['squawk']}, reported {day(v)}.",
            [day(v)])


@question("ha-06", "work_order", "date_earliest",
          "Since March 2024, what's the first date GPU-09 came into the shop?")
def _():
    s = A_GSED[(A_GSED["unit"] == "GPU-09") & (A_GSED["date"] >= "2024-03-01")]
    v = s["date"].min()
    r = one_row(s[s["date"] == v], "first GPU-09 record since March 2024")
    return (day(v), f"GPU-09's first work record since 1 March 2024 is {r['rec']}, opened {day(v)}.",
            [day(v)])


@question("ha-07", "work_order", "sum",
          "What did parts come to on N7093R's squawks in Q3 2023 (July to September)?")
def _():
    s = between(A_LOGD[A_LOGD["reg"] == "N7093R"], "2023-07-01", "2023-10-01")
    no_blanks(s["parts"], "N7093R Q3 2023 parts cost")
    v = s["parts"].sum()
    return money(v), f"Parts on N7093R in Q3 2023 totalled ${money(v)} across {len(s)} squawks.", [money(v)]


@question("ha-08", "work_order", "sum",
          "Total cost of the GSE work on GPU-09 in 2022?")
def _():
    s = in_year(A_GSED[A_GSED["unit"] == "GPU-09"], 2022)
    no_blanks(s["cost"], "GPU-09 2022 cost")
    v = s["cost"].sum()
    return money(v), f"GPU-09's 2022 work records cost ${money(v)} in total ({len(s)} records).", [money(v)]


@question("ha-09", "work_order", "max",
          "Which squawk in 2024 took the most labor, and how many hours were booked?")
def _():
    s = in_year(A_LOGD, 2024).set_index("squawk")
    k, v = unique_extreme(s["labor"], True, "2024 labor max")
    r = s.loc[k]
    return (f"{k} {num(v)}", f"Squawk {k} on {r['reg']} ({r['ata']}) had the most labor in 2024: {num(v)} hours.",
            [k, num(v)])


@question("ha-10", "table", "max",
          "Which part number in the parts catalogue has the longest lead time, and how many days is it?")
def _():
    s = A_PARTSD.set_index("Part No")["Lead Time (days)"]
    k, v = unique_extreme(s, True, "catalogue lead time max")
    desc = A_PARTSD.set_index("Part No").loc[k, "Description"]
    return f"{k} {num(v)}", f"{k} ({desc}) has the longest lead time: {num(v)} days.", [k, num(v)]


@question("ha-11", "work_order", "top_n",
          "Top three tails by number of squawks in 2023?")
def _():
    t = top_n(in_year(A_LOGD, 2023).groupby("reg").size(), 3, "2023 squawks per tail")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    return txt, f"The top three tails by 2023 squawk count are {txt}.", list(t.index)


@question("ha-12", "work_order", "group_by",
          "Can you break down 2023 GSE downtime hours by unit?")
def _():
    s = in_year(A_GSED, 2023)
    no_blanks(s["downtime"], "2023 GSE downtime")
    t = s.groupby("unit")["downtime"].sum().sort_index()
    txt = ", ".join(f"{k} {num(v)} h" for k, v in t.items())
    must = []
    for k, v in t.items():
        must += [k, num(v)]
    return txt, f"2023 GSE downtime by unit: {txt}.", must


@question("ha-13", "work_order", "group_by",
          "For 2024, how many labor hours did each mechanic book on the squawk log?")
def _():
    s = in_year(A_LOGD, 2024)
    no_blanks(s["labor"], "2024 labor")
    t = s.groupby("mechanic")["labor"].sum().sort_index()
    txt = ", ".join(f"{k} {num(v)}" for k, v in t.items())
    must = []
    for k, v in t.items():
        must += [k, num(v)]
    return txt, f"2024 labor hours by mechanic: {txt}.", must


@question("ha-14", "work_order", "average",
          "On average, how many labor hours did an ATA 80 starting squawk take in 2023?")
def _():
    s = in_year(A_LOGD[A_LOGD["ata_ch"] == "80"], 2023)["labor"]
    no_blanks(s, "ATA 80 2023 labor")
    v = s.sum() / len(s)
    exact2(v)
    return num(v), f"ATA 80 squawks in 2023 averaged {num(v)} labor hours ({len(s)} squawks, {num(s.sum())} h).", [num(v)]


@question("ha-15", "table", "lookup",
          "What's the unit price on LW-28410?")
def _():
    r = one_row(A_PARTSD[A_PARTSD["Part No"] == "LW-28410"], "LW-28410")
    v = r["Unit Price"]
    return money(v), f"LW-28410 ({r['Description']}) is listed at ${money(v)} each.", [money(v)]


@question("ha-16", "work_order", "near_miss",
          "How much did we spend on GPU-08 in 2023?")
def _():
    assert "GPU-08" not in set(A_GSED["unit"])
    assert not A_GSED["rec"].str.contains("GPU-08").any()
    assert "GPU-08" not in set(A_LOGD["reg"])
    return ("absent", "The GSE work records hold no unit GPU-08 (the GPUs are GPU-07 and GPU-09), "
            "so there is no 2023 spend for it.", [])


# ============================ SITE B =======================================
@question("hb-01", "work_order", "count",
          "How many work orders did the plant raise from September 2023 through February 2024, all assets?")
def _():
    s = between(B_WO, "2023-09-01", "2024-03-01")
    assert set(s["source"]) == {"csv", "xlsx"}  # spans both exports
    n = len(s)
    return n, f"{n} work orders were raised plant-wide from 1 September 2023 to 29 February 2024.", [str(n)]


@question("hb-02", "work_order", "count",
          "Tickets coded SAFE over 2022 through 2024 - how many in total?")
def _():
    assert B_WO["date"].dt.year.between(2022, 2024).all()
    n = int((B_WO["code"] == "SAFE").sum())
    return n, f"{n} work orders carry failure code SAFE across 2022-2024.", [str(n)]


@question("hb-03", "work_order", "count_threshold",
          "Since October 2023, how many jobs ran to two and a half hours of downtime or more?")
def _():
    s = B_WO[B_WO["date"] >= "2023-10-01"]
    assert set(s["source"]) == {"csv", "xlsx"}
    no_blanks(s["downtime"], "downtime since Oct 2023")
    n = int((s["downtime"] >= 2.5).sum())
    return n, f"{n} work orders since 1 October 2023 had 2.5 or more hours of downtime.", [str(n)]


@question("hb-04", "work_order", "count_threshold",
          "How many 2022 work orders cost more than $300?")
def _():
    s = in_year(B_WO, 2022)
    no_blanks(s["cost"], "2022 cost")
    assert not (s["cost"] == 300).any()
    n = int((s["cost"] > 300).sum())
    return n, f"{n} work orders in 2022 had a total cost above $300.", [str(n)]


@question("hb-05", "work_order", "date_earliest",
          "When was the first ELEC failure logged against PRESS-04?")
def _():
    s = B_WO[(B_WO["asset"] == "PRESS-04") & (B_WO["code"] == "ELEC")]
    v = s["date"].min()
    r = one_row(s[s["date"] == v], "first ELEC on PRESS-04")
    return day(v), f"The first ELEC work order on PRESS-04 is {r['wo']}, raised {day(v)}.", [day(v)]


@question("hb-06", "work_order", "date_latest",
          "HPU-3 - when was the last work order raised on it?")
def _():
    s = B_WO[B_WO["asset"] == "HPU-3"]
    v = s["date"].max()
    r = one_row(s[s["date"].dt.normalize() == v.normalize()], "last HPU-3 WO")
    return day(v), f"The most recent HPU-3 work order is {r['wo']}, raised {day(v)}.", [day(v)]


@question("hb-07", "work_order", "sum",
          "What did maintenance on ROBOT-4 cost us in 2024?")
def _():
    s = in_year(B_WO[B_WO["asset"] == "ROBOT-4"], 2024)
    no_blanks(s["cost"], "ROBOT-4 2024 cost")
    v = s["cost"].sum()
    return money(v), f"ROBOT-4's 2024 work orders total ${money(v)} ({len(s)} work orders).", [money(v)]


@question("hb-08", "work_order", "sum",
          "Add up the downtime on all LEAK-coded work orders from 2022 to 2024 - how many hours?")
def _():
    s = B_WO[B_WO["code"] == "LEAK"]
    no_blanks(s["downtime"], "LEAK downtime")
    v = s["downtime"].sum()
    return num(v), f"LEAK work orders account for {num(v)} hours of downtime ({len(s)} work orders).", [num(v)]


@question("hb-09", "work_order", "max",
          "What was the single most expensive work order of 2024, and what did it cost?")
def _():
    s = in_year(B_WO, 2024).set_index("wo")
    k, v = unique_extreme(s["cost"], True, "2024 cost max")
    return (f"{k} {money(v)}", f"{k} on {s.loc[k, 'asset']} was the most expensive 2024 work order at ${money(v)}.",
            [k, money(v)])


@question("hb-10", "table", "max",
          "What's the highest torque figure anywhere in the torque spec table, and which machine and bolts is it for?")
def _():
    s = B_TQ["Nm"]
    k, v = unique_extreme(s, True, "torque max")
    r = B_TQ.loc[k]
    return (f"{r['Asset']} {num(v)}",
            f"{r['Asset']} {r['Component'].lower()}: {num(v)} N·m ({num(r['lbf_ft'])} lbf·ft), {r['Pattern / notes'].lower()}.",
            [r["Asset"], num(v)])


@question("hb-11", "work_order", "top_n",
          "Which three assets had the most work orders across 2022-2024?")
def _():
    t = top_n(B_WO.groupby("asset").size(), 3, "WOs per asset")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    return txt, f"Most work orders 2022-2024: {txt}.", list(t.index)


@question("hb-12", "work_order", "group_by",
          "For each of the four presses, how much downtime did we log in 2023?")
def _():
    s = in_year(B_WO[B_WO["asset"].str.startswith("PRESS-")], 2023)
    no_blanks(s["downtime"], "2023 press downtime")
    t = s.groupby("asset")["downtime"].sum().sort_index()
    assert list(t.index) == ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"]
    txt = ", ".join(f"{k} {num(v)} h" for k, v in t.items())
    must = []
    for k, v in t.items():
        must += [k, num(v)]
    return txt, f"2023 downtime by press: {txt}.", must


@question("hb-13", "work_order", "group_by",
          "Break 2024 maintenance spend down by failure code, please.")
def _():
    s = in_year(B_WO, 2024)
    no_blanks(s["cost"], "2024 cost")
    t = s.groupby("code")["cost"].sum().sort_index()
    txt = ", ".join(f"{k} {money(v)}" for k, v in t.items())
    must = []
    for k, v in t.items():
        must += [k, money(v)]
    return txt, f"2024 spend by failure code: {txt}.", must


@question("hb-14", "work_order", "average",
          "What's the average cost per work order on CONV-12 over 2022 to 2024?")
def _():
    s = B_WO[B_WO["asset"] == "CONV-12"]["cost"]
    no_blanks(s, "CONV-12 cost")
    v = s.sum() / len(s)
    exact2(v)
    return money(v), f"CONV-12 averaged ${money(v)} per work order ({len(s)} work orders, ${money(s.sum())}).", [money(v)]


@question("hb-15", "table", "lookup",
          "What torque do the main cylinder gland bolts on PRESS-03 go to?")
def _():
    r = one_row(B_TQ[(B_TQ["Asset"] == "PRESS-03") & (B_TQ["Component"] == "Main cylinder gland bolts")],
                "PRESS-03 gland bolts")
    return (num(r["Nm"]), f"PRESS-03 main cylinder gland bolts ({r['Fastener']}, {r['Size / grade']}): "
            f"{num(r['Nm'])} N·m ({num(r['lbf_ft'])} lbf·ft), {r['Pattern / notes'].lower()}.", [num(r["Nm"])])


@question("hb-16", "work_order", "near_miss",
          "How many work orders did PRESS-05 have in 2023?")
def _():
    assert "PRESS-05" not in set(B_WO["asset"])
    assert "PRESS-05" not in set(B_TQ["Asset"])
    return ("absent", "There is no PRESS-05 in the CMMS exports; the presses are PRESS-01 to PRESS-04.", [])


# ============================ SITE C =======================================
@question("hc-01", "work_order", "count",
          "How many work orders were raised on excavator C in 2007?")
def _():
    n = len(in_year(C_EX[C_EX["Asset"] == "C"], 2007))
    return n, f"Excavator C had {n} work orders in 2007.", [str(n)]


@question("hc-02", "fmea", "count",
          "How many lines in the haul truck FMEA have a detection rating of 2?")
def _():
    no_blanks(C_FM["Detection"], "detection")
    n = int((C_FM["Detection"] == 2).sum())
    return n, f"{n} FMEA lines carry a detection rating of 2.", [str(n)]


@question("hc-03", "work_order", "count_threshold",
          "In 2010, how many of excavator E's work orders came in over $10,000?")
def _():
    s = in_year(C_EX[C_EX["Asset"] == "E"], 2010)
    no_blanks(s["cost"], "E 2010 cost")
    assert not (s["cost"] == 10000).any()
    n = int((s["cost"] > 10000).sum())
    return n, f"{n} of excavator E's 2010 work orders cost more than $10,000.", [str(n)]


@question("hc-04", "fmea", "count_threshold",
          "How many rows in the FMEA carry a severity rating of 4 or higher?")
def _():
    no_blanks(C_FM["Severity"], "severity")
    n = int((C_FM["Severity"] >= 4).sum())
    return n, f"{n} FMEA lines have a severity of 4 or more (none is rated above 4).", [str(n)]


@question("hc-05", "work_order", "date_earliest",
          "What's the earliest work order date we have on record for excavator A?")
def _():
    s = C_EX[C_EX["Asset"] == "A"]
    v = s["date"].min()
    r = one_row(s[s["date"] == v], "earliest A")
    return day(v), f"Excavator A's earliest work order is dated {day(v)} ({r['OriginalShorttext']}).", [day(v)]


@question("hc-06", "work_order", "date_latest",
          "Last PM02 order on excavator D - what date was that?")
def _():
    s = C_EX[(C_EX["Asset"] == "D") & (C_EX["PMType"] == "PM02")]
    v = s["date"].max()
    r = one_row(s[s["date"] == v], "latest D PM02")
    return day(v), f"Excavator D's last PM02 work order started {day(v)} ({r['OriginalShorttext']}).", [day(v)]


@question("hc-07", "work_order", "sum",
          "Total work order cost for excavator C in calendar 2006?")
def _():
    s = in_year(C_EX[C_EX["Asset"] == "C"], 2006)["cost"]
    no_blanks(s, "C 2006 cost")
    assert (s >= 0).all()
    v = s.sum()
    return money(v), f"Excavator C's 2006 work orders total ${money(v)} ({len(s)} orders).", [money(v)]


@question("hc-08", "work_order", "sum",
          "What did PM02 work on excavator C add up to in 2010?")
def _():
    s = in_year(C_EX[(C_EX["Asset"] == "C") & (C_EX["PMType"] == "PM02")], 2010)["cost"]
    no_blanks(s, "C PM02 2010 cost")
    assert (s >= 0).all()
    v = s.sum()
    return money(v), f"PM02 orders on excavator C in 2010 total ${money(v)} ({len(s)} orders).", [money(v)]


@question("hc-09", "work_order", "max",
          "Priciest single work order on excavator D in 2007 - when was it and what did it cost?")
def _():
    s = in_year(C_EX[C_EX["Asset"] == "D"], 2007)
    k, v = unique_extreme(s["cost"], True, "D 2007 cost max")
    r = s.loc[k]
    return (f"{day(r['date'])} {money(v)}",
            f"The most expensive 2007 work order on excavator D started {day(r['date'])} "
            f"({r['OriginalShorttext']}) at ${money(v)}.", [day(r["date"]), money(v)])


@question("hc-10", "fmea", "max",
          "Within the Fire Suppression System, which FMEA line has the highest RPN?")
def _():
    s = C_FM[C_FM["Subsystem"] == "Fire Suppression System"]
    k, v = unique_extreme(s["RPN"], True, "fire suppression RPN max")
    r = s.loc[k]
    assert r["Severity"] * r["Occurrence"] * r["Detection"] == v
    return (f"{r['Sub-Component']} {num(v)}",
            f"{r['Component']} / {r['Sub-Component']}, failure mode '{r['Potential Failure Mode']}', "
            f"has the highest RPN in the Fire Suppression System: {num(v)} "
            f"(S{r['Severity']} x O{r['Occurrence']} x D{r['Detection']}).",
            ["Activation System", num(v)])


@question("hc-11", "fmea", "top_n",
          "Which three components have the most lines in the FMEA?")
def _():
    t = top_n(C_FM.groupby("Component").size(), 3, "lines per component")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    must = {"Data Collection Unit (DCU)": "Data Collection Unit",
            "Programmable Logic Controller (PLC)": "Programmable Logic Controller",
            "Transmission": "Transmission"}
    assert list(t.index) == list(must)
    return txt, f"Components with the most FMEA lines: {txt}.", list(must.values())


@question("hc-12", "work_order", "group_by",
          "Give me total work order cost per excavator for 2008.")
def _():
    s = in_year(C_EX, 2008)
    no_blanks(s["cost"], "2008 cost")
    assert (s["cost"] >= 0).all()
    t = s.groupby("Asset")["cost"].sum().sort_index()
    assert list(t.index) == ["A", "C", "D", "E"]  # B has no 2008 work orders
    txt = ", ".join(f"{k} {money(v)}" for k, v in t.items())
    return txt, f"2008 work order cost by excavator: {txt} (excavator B has no 2008 orders).", [money(v) for v in t]


@question("hc-13", "fmea", "group_by",
          "How are the FMEA's lines split across the truck's subsystems? Give me a count for each.")
def _():
    t = C_FM.groupby("Subsystem").size().sort_values(ascending=False)
    assert len(t) == 7
    txt = ", ".join(f"{k} {v}" for k, v in t.items())
    must = []
    for k, v in t.items():
        must += [k, str(v)]
    return txt, f"FMEA lines per subsystem: {txt} ({int(t.sum())} in all).", must


@question("hc-14", "work_order", "average",
          "What's the average cost per work order for excavator A, across all its records?")
def _():
    s = C_EX[C_EX["Asset"] == "A"]["cost"]
    no_blanks(s, "A cost")
    v = s.sum() / len(s)
    exact2(v)
    return money(v), f"Excavator A averages ${money(v)} per work order ({len(s)} orders, ${money(s.sum())}).", [money(v)]


@question("hc-15", "fmea", "lookup",
          "What current control does the FMEA list for the cabin seatbelt?")
def _():
    r = one_row(C_FM[(C_FM["Component"] == "Cabin") & (C_FM["Sub-Component"] == "Seatbelt")], "cabin seatbelt")
    cc = r["Current Controls"]
    assert cc == "CM as indicated by weekly visual inspection"
    return cc, f"Cabin / Seatbelt (wearing): current control is '{cc}'.", ["weekly visual inspection"]


@question("hc-16", "work_order", "near_miss",
          "What did excavator C's work orders cost in 2013?")
def _():
    assert C_EX["date"].max() < pd.Timestamp("2013-01-01")
    assert len(in_year(C_EX, 2013)) == 0
    last = C_EX[C_EX["Asset"] == "C"]["date"].max()
    return ("absent", f"The excavator work orders end in December 2012 (excavator C's last is {day(last)}); "
            "there are no 2013 records.", [])


# --------------------------------------------------------------------------
SITES = {"ha-": "site_a.jsonl", "hb-": "site_b.jsonl", "hc-": "site_c.jsonl"}
MIX = {"count": 2, "count_threshold": 2, "date": 2, "sum": 2, "maxmin": 2,
       "top_n": 1, "group_by": 2, "average": 1, "lookup": 1, "near_miss": 1}
FAMILY = {"date_earliest": "date", "date_latest": "date", "max": "maxmin", "min": "maxmin"}


def build() -> list[dict]:
    out = []
    for q in QUESTIONS:
        value, ref, must = q["fn"]()
        assert isinstance(must, list) and all(isinstance(m, str) and m for m in must)
        for m in must:
            assert m in ref, f"{q['id']}: must_contain {m!r} not in reference answer"
        answerable = q["op"] != "near_miss"
        assert answerable or must == []
        out.append({
            "id": q["id"], "question": q["question"], "reference_answer": ref,
            "must_contain": must, "gold_sources": [], "answerable": answerable,
            "tags": ["records", q["kind"], q["op"]], "split": "fresh6", "_value": value,
        })
    ids = [r["id"] for r in out]
    assert len(ids) == len(set(ids)) == 48
    for prefix in SITES:
        rows = [r for r in out if r["id"].startswith(prefix)]
        assert len(rows) == 16, prefix
        mix: dict[str, int] = {}
        for r in rows:
            fam = FAMILY.get(r["tags"][2], r["tags"][2])
            mix[fam] = mix.get(fam, 0) + 1
        assert mix == MIX, (prefix, mix)
    return out


def main() -> None:
    rows = build()
    for r in rows:
        print(f"{r['id']}  {r['tags'][2]:<16} {r['_value']}")
    if "--write" in sys.argv:
        for prefix, name in SITES.items():
            with open(HERE / name, "w", encoding="utf-8") as fh:
                for r in rows:
                    if r["id"].startswith(prefix):
                        rec = {k: v for k, v in r.items() if not k.startswith("_")}
                        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print("wrote", ", ".join(SITES.values()))


if __name__ == "__main__":
    main()
