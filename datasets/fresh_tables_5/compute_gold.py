#!/usr/bin/env python
"""Gold values for the fresh_tables_5 held-out question set.

Every question's wording lives here, next to the pandas code that computes its
answer straight from the source files.  Run without arguments to print
``id  op  value``; run with ``--write`` to regenerate site_a.jsonl,
site_b.jsonl and site_c.jsonl next to this script.

The asserts encode the conditions the set relies on: no ties at the cut-off
of a max/min or top-N, no blanks inside a sum, average or threshold count,
lookups that hit exactly one row, and near misses whose asset / period /
attribute really is absent from the data.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HANGAR = REPO / "sample_hangar" / "docs"
PLANT = REPO / "sample_plant" / "docs"
CORPORA = Path("/work/shared/corpora")

SQUAWK_XLSX = HANGAR / "logs" / "maintenance_log_2022-2024.xlsx"
GSE_CSV = HANGAR / "logs" / "gse_work_records.csv"
PARTS_CSV = HANGAR / "tables" / "parts_catalogue.csv"
PLANT_CSV = PLANT / "work_orders" / "cmms_export_2022_2023.csv"
PLANT_XLSX = PLANT / "work_orders" / "cmms_export_2024.xlsx"
TORQUE_CSV = PLANT / "tables" / "torque_specs.csv"
EXC_CSV = CORPORA / "excavator_work_orders" / "excavators.csv"
FMEA_CSV = CORPORA / "fmea_haul_truck" / "fmea_dataset_filled.csv"

SPLIT = "fresh5"


# --------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------
def num(x: float) -> str:
    """A figure as naturally written: at most 2 decimals, trailing zeros dropped."""
    s = f"{round(float(x), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def money(x: float) -> str:
    """Money with 2 decimals, no thousands separator (as the CSV sources write it)."""
    return f"{round(float(x), 2):.2f}"


def money_h(x: float) -> str:
    """Money for the prose reference answer: $1234.56 (same digits as must_contain)."""
    return f"${money(x)}"


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def between(s: pd.Series, start: str, end_exclusive: str) -> pd.Series:
    return (s >= pd.Timestamp(start)) & (s < pd.Timestamp(end_exclusive))


def no_blanks(series: pd.Series, what: str) -> None:
    assert len(series) > 0, f"{what}: empty selection"
    assert not series.isna().any(), f"{what}: blank value inside the selection"


def unique_extreme(series: pd.Series, largest: bool, what: str):
    """Index label of the single max/min; asserts no tie at the top."""
    assert len(series) >= 2, what
    s = series.sort_values(ascending=not largest)
    assert s.iloc[0] != s.iloc[1], f"{what}: tie at the extreme ({s.iloc[0]})"
    return s.index[0]


def top_n(series: pd.Series, n: int, what: str) -> pd.Series:
    s = series.sort_values(ascending=False)
    assert len(s) > n, what
    assert s.iloc[n - 1] != s.iloc[n], f"{what}: tie at the top-{n} cut-off"
    return s.iloc[:n]


def one_row(df: pd.DataFrame, what: str) -> pd.Series:
    assert len(df) == 1, f"{what}: lookup hit {len(df)} rows"
    return df.iloc[0]


# --------------------------------------------------------------------------
# loaders (with the normalisations described in README.md)
# --------------------------------------------------------------------------
def load_squawks() -> pd.DataFrame:
    """All three year sheets of the squawk log as one frame.

    Date Reported is a real date in most rows but text (DD-MMM-YYYY) in the
    rows keyed from paper cards; both are parsed.  Parts Cost blank means
    "invoice pending" and is kept as NaN (not 0).
    """
    frames = []
    for year in ("2022", "2023", "2024"):
        d = pd.read_excel(SQUAWK_XLSX, sheet_name=year, dtype=object)
        d["sheet"] = int(year)
        frames.append(d)
    d = pd.concat(frames, ignore_index=True)

    def parse(v):
        if isinstance(v, str):
            return pd.to_datetime(v.strip(), format="%d-%b-%Y")
        return pd.Timestamp(v)

    d["date"] = d["Date Reported"].map(parse)
    assert (d["date"].dt.year == d["sheet"]).all(), "squawk dated outside its year sheet"
    for c in ("Squawk No", "Tail", "ATA", "Mechanic"):
        d[c] = d[c].astype(str).str.strip()
    d["chapter"] = d["ATA"].str.split().str[0]
    d["hrs"] = pd.to_numeric(d["Labor Hrs"])
    d["cost"] = pd.to_numeric(d["Parts Cost ($)"])
    assert not d["Squawk No"].duplicated().any()
    return d


def load_gse() -> pd.DataFrame:
    g = pd.read_csv(GSE_CSV, dtype=str, keep_default_na=False)
    g = g.apply(lambda c: c.str.strip())
    g["date"] = pd.to_datetime(g["Opened"], format="%Y-%m-%d")
    g["down"] = pd.to_numeric(g["Downtime (h)"])
    g["cost"] = pd.to_numeric(g["Cost"].replace("", None))  # two blank costs stay NaN
    assert not g["Record No"].duplicated().any()
    return g


def load_parts() -> pd.DataFrame:
    p = pd.read_csv(PARTS_CSV, dtype=str, keep_default_na=False)
    p = p.apply(lambda c: c.str.strip())
    p["lead"] = pd.to_numeric(p["Lead Time (days)"])
    return p


LEAD_NAMES = {  # 2024 export writes the lead as a login; the 2022-23 export as "X. Name"
    "MREYES": "M. Reyes", "SNOVAK": "S. Novak", "KOSEI": "K. Osei",
    "DKOWALSKI": "D. Kowalski", "TOKAFOR": "T. Okafor", "AFERREIRA": "A. Ferreira",
    "JLINDQVIST": "J. Lindqvist", "RBRENNAN": "R. Brennan",
}


def load_plant() -> pd.DataFrame:
    """The 2022-2023 CSV export and the 2024 XLSX export as one work-order log.

    One CSV line (WO-22-0070) has an unquoted comma inside the problem text, so
    it splits into 11 fields; the two text pieces are joined back together.
    """
    with open(PLANT_CSV, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    fixed = []
    for r in body:
        if len(r) == len(header) + 1:
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == len(header), r
        fixed.append(r)
    a = pd.DataFrame(fixed, columns=header)
    a = pd.DataFrame({
        "wo": a["WO Number"].str.strip(),
        "date": pd.to_datetime(a["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": a["Equipment ID"].str.strip(),
        "code": a["Failure Code"].str.strip(),
        "cost": pd.to_numeric(a["Total Cost"].replace("", None)),
        "down": pd.to_numeric(a["Downtime (h)"]),
        "lead": a["Technician"].str.strip(),
        "status": a["Status"].str.strip(),
        "export": "csv 2022-2023",
    })
    b = pd.read_excel(PLANT_XLSX)
    b = pd.DataFrame({
        "wo": b["WONUM"].astype(str).str.strip(),
        "date": pd.to_datetime(b["REPORTDATE"]),
        "asset": b["ASSETNUM"].str.strip(),
        "code": b["FAILURECODE"].str.strip(),
        "cost": pd.to_numeric(b["ACTTOTALCOST"]),
        "down": pd.to_numeric(b["DOWNTIME"]),
        "lead": b["LEAD"].str.strip().map(lambda v: LEAD_NAMES[v]),
        "status": b["STATUS"].str.strip(),
        "export": "xlsx 2024",
    })
    assert a["date"].dt.year.isin([2022, 2023]).all() and (b["date"].dt.year == 2024).all()
    p = pd.concat([a, b], ignore_index=True)
    assert not p["wo"].duplicated().any()
    return p


def load_torque() -> pd.DataFrame:
    """Torque table; the Asset cell is only filled on an asset's first line, so forward-fill it."""
    t = pd.read_csv(TORQUE_CSV, dtype=str, keep_default_na=False)
    t = t.apply(lambda c: c.str.strip())
    t["Asset"] = t["Asset"].replace("", None).ffill()
    t["nm"] = pd.to_numeric(t["Torque (N·m)"])
    return t


def load_excavators() -> pd.DataFrame:
    """Excavator work orders.  One line (2003-12-31, asset B) reads
    ``won,t swing,PM01``: the apostrophe of "won't" became a comma, shifting the
    fields, so the text is rejoined, PMType is PM01 and the cost is blank (NaN).
    """
    with open(EXC_CSV, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    fixed = []
    for r in body:
        assert len(r) == 5, r
        if r[4].startswith("PM"):  # shifted line
            r = [r[0], r[1], r[2] + "," + r[3], r[4], ""]
        fixed.append(r)
    e = pd.DataFrame(fixed, columns=header)
    e = e.apply(lambda c: c.str.strip())
    e["date"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["cost"] = pd.to_numeric(e["Cost"].replace("", None))
    assert len(e) == 5485 and e["cost"].isna().sum() == 1
    return e


def load_fmea() -> pd.DataFrame:
    f = pd.read_csv(FMEA_CSV, dtype=str, keep_default_na=False)
    for c in ("Subsystem", "Component", "Sub-Component", "Potential Failure Mode"):
        f[c] = f[c].str.strip()
    for c in ("Severity", "Occurrence", "Detection", "RPN"):
        f[c] = pd.to_numeric(f[c]).astype(int)
    return f


# --------------------------------------------------------------------------
# question builders
# --------------------------------------------------------------------------
QUESTIONS: dict[str, list[dict]] = {"a": [], "b": [], "c": []}


def q(site, qid, kind, op, question, answerable=True):
    """Decorator: register a question whose function returns
    (value_for_printing, must_contain, reference_answer)."""
    def deco(fn):
        QUESTIONS[site].append(dict(id=qid, kind=kind, op=op, question=question,
                                    answerable=answerable, fn=fn))
        return fn
    return deco


# ============================== SITE A ====================================
@q("a", "ga-count-n27315-2023", "work_order", "count",
   "Quick one for the fleet review: how many squawks did N27315 pick up over calendar year 2023?")
def _(S):
    d = S["sq"]
    sel = d[(d["Tail"] == "N27315") & (d["date"].dt.year == 2023)]
    n = len(sel)
    return n, [str(n)], f"N27315 had {n} squawks written up in 2023 (1 Jan to 31 Dec 2023)."


@q("a", "ga-count-gear-h2-2023", "work_order", "count",
   "How many landing gear write-ups (ATA 32) did we log across the fleet in the second half of 2023, July through December?")
def _(S):
    d = S["sq"]
    sel = d[(d["chapter"] == "32") & between(d["date"], "2023-07-01", "2024-01-01")]
    n = len(sel)
    return n, [str(n)], f"{n} ATA 32 Landing Gear squawks were reported between 1 July and 31 December 2023."


@q("a", "ga-compare-n61904-parts-over-1000", "work_order", "compare",
   "Across 2022, 2023 and 2024, how many of N61904's squawks needed more than $1,000 worth of parts?")
def _(S):
    d = S["sq"]
    sel = d[(d["Tail"] == "N61904") & d["date"].dt.year.isin([2022, 2023, 2024])]
    no_blanks(sel["cost"], "N61904 parts cost")
    hit = sel[sel["cost"] > 1000]
    by_year = hit.groupby(hit["date"].dt.year).size().to_dict()
    n = len(hit)
    return n, [str(n)], (f"{n} of N61904's {len(sel)} squawks from 2022-2024 had parts cost above $1,000 "
                         f"({by_year.get(2022, 0)} in 2022, {by_year.get(2023, 0)} in 2023, {by_year.get(2024, 0)} in 2024).")


@q("a", "ga-compare-catalogue-lead-over-30", "table", "compare",
   "Stores question: how many part numbers in the parts catalogue take longer than 30 days to come in?")
def _(S):
    p = S["parts"]
    no_blanks(p["lead"], "lead time")
    assert not p["Part No"].duplicated().any()
    n = int((p["lead"] > 30).sum())
    return n, [str(n)], f"{n} of the {len(p)} catalogue part numbers have a lead time of more than 30 days."


@q("a", "ga-date-n1187t-last-2023", "work_order", "date",
   "When was the last squawk written up on N1187T in 2023?")
def _(S):
    d = S["sq"]
    sel = d[(d["Tail"] == "N1187T") & (d["date"].dt.year == 2023)]
    last = sel["date"].max()
    row = one_row(sel[sel["date"] == last], "N1187T last 2023")
    return day(last), [day(last)], (f"The last 2023 squawk on N1187T was {row['Squawk No']}, reported on "
                                   f"{day(last)} ({row['ATA']}).")


@q("a", "ga-date-deice-first-2024", "work_order", "date",
   "When did the de-icing rig DEICE-1 first come in for work in 2024?")
def _(S):
    g = S["gse"]
    sel = g[(g["Unit"] == "DEICE-1") & (g["date"].dt.year == 2024)]
    first = sel["date"].min()
    row = one_row(sel[sel["date"] == first], "DEICE-1 first 2024")
    return day(first), [day(first)], f"DEICE-1's first 2024 work record was {row['Record No']}, opened {day(first)}."


@q("a", "ga-sum-n61904-labor-q2-2023", "work_order", "sum",
   "How many labour hours did we book against N61904 in Q2 2023 (April to June)?")
def _(S):
    d = S["sq"]
    sel = d[(d["Tail"] == "N61904") & between(d["date"], "2023-04-01", "2023-07-01")]
    no_blanks(sel["hrs"], "N61904 Q2 2023 hours")
    v = sel["hrs"].sum()
    return num(v), [num(v)], f"{num(v)} labour hours were booked to N61904 across {len(sel)} squawks from April to June 2023."


@q("a", "ga-sum-tug2-cost-q2-2022", "work_order", "sum",
   "What did we spend on the tug, TUG-2, between April and June 2022?")
def _(S):
    g = S["gse"]
    sel = g[(g["Unit"] == "TUG-2") & between(g["date"], "2022-04-01", "2022-07-01")]
    no_blanks(sel["cost"], "TUG-2 Q2 2022 cost")
    v = sel["cost"].sum()
    ids = ", ".join(sel["Record No"])
    return money(v), [money(v)], f"TUG-2 cost {money_h(v)} from April to June 2022 over {len(sel)} work records ({ids})."


@q("a", "ga-max-n5526w-labor-2022", "work_order", "max",
   "Which 2022 squawk on N5526W ate up the most labour, and how many hours went into it?")
def _(S):
    d = S["sq"]
    sel = d[(d["Tail"] == "N5526W") & (d["date"].dt.year == 2022)].set_index("Squawk No")
    no_blanks(sel["hrs"], "N5526W 2022 hours")
    k = unique_extreme(sel["hrs"], True, "N5526W 2022 max hours")
    r = sel.loc[k]
    return f"{k} {num(r['hrs'])}", [k, num(r["hrs"])], (
        f"Squawk {k} ({day(r['date'])}, {r['ATA']}) took the most labour on N5526W in 2022: {num(r['hrs'])} hours.")


@q("a", "ga-min-gse-downtime-2022", "work_order", "min",
   "Of our four GSE units, which one spent the least time out of service in 2022, and how many hours was that in total?")
def _(S):
    g = S["gse"]
    sel = g[g["date"].dt.year == 2022]
    no_blanks(sel["down"], "GSE 2022 downtime")
    tot = sel.groupby("Unit")["down"].sum()
    assert len(tot) == 4
    k = unique_extreme(tot, False, "GSE 2022 min downtime")
    return f"{k} {num(tot[k])}", [k, num(tot[k])], (
        f"{k} had the least 2022 downtime, {num(tot[k])} hours in total (others: "
        + ", ".join(f"{u} {num(v)} h" for u, v in tot.items() if u != k) + ").")


@q("a", "ga-topn-tails-2024", "work_order", "top_n",
   "Which three tails generated the most squawks in 2024?")
def _(S):
    d = S["sq"]
    cnt = d[d["date"].dt.year == 2024]["Tail"].value_counts()
    top = top_n(cnt, 3, "tails 2024")
    return ", ".join(top.index), list(top.index), (
        "Most squawks in 2024: " + ", ".join(f"{t} ({n})" for t, n in top.items())
        + f"; next was {cnt.sort_values(ascending=False).index[3]} with {cnt.sort_values(ascending=False).iloc[3]}.")


@q("a", "ga-group-gse-downtime-2024", "work_order", "group_by",
   "Can you give me the total GSE downtime hours for each unit for 2024?")
def _(S):
    g = S["gse"]
    sel = g[g["date"].dt.year == 2024]
    no_blanks(sel["down"], "GSE 2024 downtime")
    tot = sel.groupby("Unit")["down"].sum()
    assert len(tot) == 4
    mc = []
    for u, v in tot.items():
        mc += [u, num(v)]
    return "; ".join(f"{u}={num(v)}" for u, v in tot.items()), mc, (
        "2024 GSE downtime: " + ", ".join(f"{u} {num(v)} h" for u, v in tot.items()) + ".")


@q("a", "ga-group-n4821k-labor-quarters-2023", "work_order", "group_by",
   "Break down N4821K's labour hours by quarter for 2023, please.")
def _(S):
    d = S["sq"]
    sel = d[(d["Tail"] == "N4821K") & (d["date"].dt.year == 2023)]
    no_blanks(sel["hrs"], "N4821K 2023 hours")
    tot = sel.groupby(sel["date"].dt.quarter)["hrs"].sum()
    assert list(tot.index) == [1, 2, 3, 4]
    vals = [num(v) for v in tot]
    assert len(set(vals)) == 4
    return "; ".join(f"Q{k}={num(v)}" for k, v in tot.items()), vals, (
        "N4821K labour hours in 2023: " + ", ".join(f"Q{k} {num(v)} h" for k, v in tot.items())
        + f" ({num(tot.sum())} h for the year).")


@q("a", "ga-avg-aircon-labor-2024", "work_order", "average",
   "On average, how long did an air conditioning squawk (ATA 21) take to work in 2024, in labour hours?")
def _(S):
    d = S["sq"]
    sel = d[(d["chapter"] == "21") & (d["date"].dt.year == 2024)]
    no_blanks(sel["hrs"], "ATA 21 2024 hours")
    v = sel["hrs"].mean()
    assert abs(round(v, 2) - v) < 1e-9, "average is not a clean figure"
    return num(v), [num(v)], (f"{len(sel)} ATA 21 squawks in 2024 took {num(sel['hrs'].sum())} labour hours, "
                             f"an average of {num(v)} hours each.")


@q("a", "ga-lookup-lw61420-lead", "table", "lookup",
   "What's the lead time on the propeller overspeed governor, P/N LW-61420?")
def _(S):
    p = S["parts"]
    r = one_row(p[p["Part No"] == "LW-61420"], "LW-61420")
    v = int(r["lead"])
    return v, [str(v)], f"LW-61420 ({r['Description']}, {r['Vendor']}) has a lead time of {v} days."


@q("a", "ga-nearmiss-n4821k-2021", "work_order", "near_miss",
   "How many squawks did N4821K have in 2021?", answerable=False)
def _(S):
    d = S["sq"]
    assert (d["date"].dt.year == 2021).sum() == 0 and d["date"].min() >= pd.Timestamp("2022-01-01")
    assert (S["gse"]["date"].dt.year == 2021).sum() == 0
    return "not answerable", [], ("The squawk log only covers 2022 to 2024 (one sheet per year); "
                                 "there are no 2021 records, so N4821K's 2021 squawks cannot be counted from it.")


# ============================== SITE B ====================================
@q("b", "gb-count-press03-2023", "work_order", "count",
   "How many work orders did PRESS-03 get during 2023?")
def _(S):
    p = S["wo"]
    n = int(((p["asset"] == "PRESS-03") & (p["date"].dt.year == 2023)).sum())
    return n, [str(n)], f"PRESS-03 had {n} work orders in 2023."


@q("b", "gb-count-leak-2022-2024", "work_order", "count",
   "From January 2022 through December 2024, how many jobs were booked under the leak failure code?")
def _(S):
    p = S["wo"]
    sel = p[(p["code"] == "LEAK") & p["date"].dt.year.isin([2022, 2023, 2024])]
    n = len(sel)
    by = sel.groupby(sel["date"].dt.year).size().to_dict()
    return n, [str(n)], (f"{n} work orders carry failure code LEAK over 2022-2024 "
                         f"({by[2022]} in 2022, {by[2023]} in 2023, {by[2024]} in 2024).")


@q("b", "gb-compare-down-3h-2023", "work_order", "compare",
   "In 2023, how many work orders kept the equipment down for 3 hours or more?")
def _(S):
    p = S["wo"]
    sel = p[p["date"].dt.year == 2023]
    no_blanks(sel["down"], "2023 downtime")
    n = int((sel["down"] >= 3).sum())
    return n, [str(n)], f"{n} of the {len(sel)} work orders raised in 2023 recorded 3 or more hours of downtime."


@q("b", "gb-compare-torque-85nm", "table", "compare",
   "How many lines in the torque spec sheet call for 85 N·m or more?")
def _(S):
    t = S["tq"]
    no_blanks(t["nm"], "torque N·m")
    n = int((t["nm"] >= 85).sum())
    return n, [str(n)], f"{n} of the {len(t)} lines in the torque table specify 85 N·m or more."


@q("b", "gb-date-hpu3-last-2024", "work_order", "date",
   "When was the last work order raised on HPU-3 in 2024?")
def _(S):
    p = S["wo"]
    sel = p[(p["asset"] == "HPU-3") & (p["date"].dt.year == 2024)]
    last = sel["date"].max()
    r = one_row(sel[sel["date"] == last], "HPU-3 last")
    return day(last), [day(last)], f"The last 2024 work order on HPU-3 was {r['wo']}, raised on {day(last)}."


@q("b", "gb-date-safe-first-2023", "work_order", "date",
   "What was the date of the first safety-coded work order of 2023?")
def _(S):
    p = S["wo"]
    sel = p[(p["code"] == "SAFE") & (p["date"].dt.year == 2023)]
    first = sel["date"].min()
    r = one_row(sel[sel["date"] == first], "SAFE first 2023")
    return day(first), [day(first)], (f"The first 2023 work order with failure code SAFE was {r['wo']} on "
                                     f"{r['asset']}, raised {day(first)}.")


@q("b", "gb-sum-conv14-jul23-jun24", "work_order", "sum",
   "What did CONV-14 cost us in maintenance from July 2023 through June 2024?")
def _(S):
    p = S["wo"]
    sel = p[(p["asset"] == "CONV-14") & between(p["date"], "2023-07-01", "2024-07-01")]
    no_blanks(sel["cost"], "CONV-14 cost")
    assert sel["export"].nunique() == 2  # the period spans both exports
    v = sel["cost"].sum()
    return money(v), [money(v)], (f"CONV-14 work orders from 1 July 2023 to 30 June 2024 total {money_h(v)} "
                                  f"({len(sel)} work orders across the 2022-2023 and 2024 exports).")


@q("b", "gb-sum-press02-down-2022", "work_order", "sum",
   "How many hours in total was PRESS-02 down during 2022?")
def _(S):
    p = S["wo"]
    sel = p[(p["asset"] == "PRESS-02") & (p["date"].dt.year == 2022)]
    no_blanks(sel["down"], "PRESS-02 2022 downtime")
    v = sel["down"].sum()
    return num(v), [num(v)], f"PRESS-02 logged {num(v)} hours of downtime over {len(sel)} work orders in 2022."


@q("b", "gb-max-press02-cost-2024", "work_order", "max",
   "What was the single most expensive job on PRESS-02 in 2024?")
def _(S):
    p = S["wo"]
    sel = p[(p["asset"] == "PRESS-02") & (p["date"].dt.year == 2024)].set_index("wo")
    no_blanks(sel["cost"], "PRESS-02 2024 cost")
    k = unique_extreme(sel["cost"], True, "PRESS-02 2024 max cost")
    r = sel.loc[k]
    return f"{k} {money(r['cost'])}", [k, money(r["cost"])], (
        f"Work order {k} ({day(r['date'])}, failure code {r['code']}) was the most expensive PRESS-02 job of 2024 "
        f"at {money_h(r['cost'])}.")


@q("b", "gb-min-spend-asset-2024", "work_order", "min",
   "Which piece of equipment did we spend the least on in 2024, and how much was it?")
def _(S):
    p = S["wo"]
    sel = p[p["date"].dt.year == 2024]
    no_blanks(sel["cost"], "2024 cost")
    tot = sel.groupby("asset")["cost"].sum()
    assert set(tot.index) == set(p["asset"].unique())  # every asset has 2024 work
    k = unique_extreme(tot, False, "2024 min spend")
    return f"{k} {money(tot[k])}", [k, money(tot[k])], (
        f"{k} had the lowest 2024 spend: {money_h(tot[k])} over {int((sel['asset'] == k).sum())} work orders.")


@q("b", "gb-topn-spend-2024", "work_order", "top_n",
   "Top three assets by maintenance spend for 2024?")
def _(S):
    p = S["wo"]
    sel = p[p["date"].dt.year == 2024]
    no_blanks(sel["cost"], "2024 cost")
    tot = sel.groupby("asset")["cost"].sum().round(2)
    top = top_n(tot, 3, "2024 spend")
    return ", ".join(top.index), list(top.index), (
        "Highest 2024 spend: " + ", ".join(f"{a} ({money_h(v)})" for a, v in top.items()) + ".")


@q("b", "gb-group-press-down-2024", "work_order", "group_by",
   "Give me the total downtime for each of the four presses (PRESS-01 to PRESS-04) in 2024.")
def _(S):
    p = S["wo"]
    sel = p[p["asset"].str.startswith("PRESS-") & (p["date"].dt.year == 2024)]
    no_blanks(sel["down"], "press 2024 downtime")
    tot = sel.groupby("asset")["down"].sum()
    assert list(tot.index) == ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"]
    mc = []
    for a, v in tot.items():
        mc += [a, num(v)]
    return "; ".join(f"{a}={num(v)}" for a, v in tot.items()), mc, (
        "2024 downtime: " + ", ".join(f"{a} {num(v)} h" for a, v in tot.items()) + ".")


@q("b", "gb-group-novak-per-year", "work_order", "group_by",
   "How many work orders did S. Novak lead in each of 2022, 2023 and 2024?")
def _(S):
    p = S["wo"]
    sel = p[p["lead"] == "S. Novak"]
    cnt = sel.groupby(sel["date"].dt.year).size()
    assert list(cnt.index) == [2022, 2023, 2024]
    vals = [str(int(v)) for v in cnt]
    return "; ".join(f"{y}={v}" for y, v in zip(cnt.index, vals)), vals, (
        "S. Novak (SNOVAK in the 2024 export) led " + ", ".join(f"{v} in {y}" for y, v in zip(cnt.index, vals))
        + f" ({int(cnt.sum())} in all).")


@q("b", "gb-avg-mech-down-2022", "work_order", "average",
   "For 2022, what was the average downtime per work order coded as a mechanical failure?")
def _(S):
    p = S["wo"]
    sel = p[(p["code"] == "MECH") & (p["date"].dt.year == 2022)]
    no_blanks(sel["down"], "MECH 2022 downtime")
    v = sel["down"].mean()
    assert abs(round(v, 2) - v) < 1e-9
    return num(v), [num(v)], (f"{len(sel)} MECH work orders in 2022 logged {num(sel['down'].sum())} hours of downtime, "
                             f"an average of {num(v)} hours each.")


@q("b", "gb-lookup-press04-clutch-hub", "table", "lookup",
   "What torque do the clutch hub bolts on PRESS-04 get?")
def _(S):
    t = S["tq"]
    r = one_row(t[(t["Asset"] == "PRESS-04") & (t["Component"] == "Clutch hub bolts")], "PRESS-04 clutch hub")
    return num(r["nm"]), [num(r["nm"])], (f"PRESS-04 clutch hub bolts ({r['Fastener']}, {r['Size / grade']}): "
                                         f"{num(r['nm'])} N·m ({r['Torque (lbf·ft)']} lbf·ft), per {r['Reference']}.")


@q("b", "gb-nearmiss-press05-2023", "work_order", "near_miss",
   "How many work orders did PRESS-05 have in 2023?", answerable=False)
def _(S):
    p, t = S["wo"], S["tq"]
    assert "PRESS-05" not in set(p["asset"])
    assert not t["Asset"].str.contains("PRESS-05").any()
    return "not answerable", [], ("There is no PRESS-05 in the work-order log; the presses are PRESS-01 to PRESS-04, "
                                 "so the question cannot be answered from the data.")


# ============================== SITE C ====================================
@q("c", "gc-count-e-2009", "work_order", "count",
   "How many work orders were raised on excavator E during 2009?")
def _(S):
    e = S["exc"]
    n = int(((e["Asset"] == "E") & (e["date"].dt.year == 2009)).sum())
    return n, [str(n)], f"Excavator E had {n} work orders with a start date in 2009."


@q("c", "gc-count-fmea-hydraulics", "fmea", "count",
   "How many failure modes are listed in the hydraulics section of the haul truck FMEA?")
def _(S):
    f = S["fmea"]
    n = int((f["Subsystem"] == "Hydraulic System").sum())
    return n, [str(n)], f"The Hydraulic System subsystem has {n} lines (failure modes) in the FMEA."


@q("c", "gc-compare-fmea-rpn-24", "fmea", "compare",
   "How many FMEA lines have an RPN of 24 or higher?")
def _(S):
    f = S["fmea"]
    n = int((f["RPN"] >= 24).sum())
    # the one line whose RPN disagrees with S x O x D (RPN 0, product 12) is below the threshold either way
    alt = int(((f["Severity"] * f["Occurrence"] * f["Detection"]) >= 24).sum())
    assert n == alt
    return n, [str(n)], f"{n} of the {len(f)} FMEA lines have an RPN of 24 or more."


@q("c", "gc-compare-c-2008-over-5000", "work_order", "compare",
   "In 2008, how many excavator C jobs came in at more than $5,000?")
def _(S):
    e = S["exc"]
    sel = e[(e["Asset"] == "C") & (e["date"].dt.year == 2008)]
    no_blanks(sel["cost"], "C 2008 cost")
    n = int((sel["cost"] > 5000).sum())
    return n, [str(n)], f"{n} of excavator C's {len(sel)} work orders in 2008 cost more than $5,000."


@q("c", "gc-date-b-last-2004", "work_order", "date",
   "What's the date of excavator B's last work order in 2004?")
def _(S):
    e = S["exc"]
    sel = e[(e["Asset"] == "B") & (e["date"].dt.year == 2004)]
    last = sel["date"].max()
    one_row(sel[sel["date"] == last], "B last 2004")
    return day(last), [day(last)], f"Excavator B's last 2004 work order started on {day(last)}."


@q("c", "gc-date-d-first-pm06-2008", "work_order", "date",
   "When was the first PM06-type work order on excavator D in 2008?")
def _(S):
    e = S["exc"]
    sel = e[(e["Asset"] == "D") & (e["PMType"] == "PM06") & (e["date"].dt.year == 2008)]
    first = sel["date"].min()
    one_row(sel[sel["date"] == first], "D first PM06 2008")
    return day(first), [day(first)], f"The first PM06 order on excavator D in 2008 started on {day(first)}."


@q("c", "gc-sum-a-q1-2008", "work_order", "sum",
   "What did excavator A's work orders add up to for January through March 2008?")
def _(S):
    e = S["exc"]
    sel = e[(e["Asset"] == "A") & between(e["date"], "2008-01-01", "2008-04-01")]
    no_blanks(sel["cost"], "A Q1 2008")
    assert (sel["cost"] >= 0).all()
    v = sel["cost"].sum()
    return money(v), [money(v)], f"Excavator A's {len(sel)} work orders from January to March 2008 total {money_h(v)}."


@q("c", "gc-sum-d-pm06-2004", "work_order", "sum",
   "Total cost of the PM06 orders on excavator D in 2004?")
def _(S):
    e = S["exc"]
    sel = e[(e["Asset"] == "D") & (e["PMType"] == "PM06") & (e["date"].dt.year == 2004)]
    no_blanks(sel["cost"], "D PM06 2004")
    assert (sel["cost"] >= 0).all()
    v = sel["cost"].sum()
    return money(v), [money(v)], f"Excavator D's {len(sel)} PM06 work orders in 2004 total {money_h(v)}."


@q("c", "gc-max-a-2006", "work_order", "max",
   "What was the single most expensive work order on excavator A in 2006, and when was it?")
def _(S):
    e = S["exc"]
    sel = e[(e["Asset"] == "A") & (e["date"].dt.year == 2006)]
    no_blanks(sel["cost"], "A 2006")
    k = unique_extreme(sel["cost"], True, "A 2006 max")
    r = sel.loc[k]
    return f"{day(r['date'])} {money(r['cost'])}", [day(r["date"]), money(r["cost"])], (
        f"The most expensive excavator A work order in 2006 started {day(r['date'])} and cost {money_h(r['cost'])} "
        f"(order type {r['PMType']}).")


@q("c", "gc-min-fmea-avg-rpn-subsystem", "fmea", "min",
   "Which subsystem in the haul truck FMEA has the lowest average RPN, and what is that average?")
def _(S):
    f = S["fmea"]
    avg = f.groupby("Subsystem")["RPN"].mean()
    k = unique_extreme(avg, False, "lowest avg RPN")
    # robust to the one RPN that disagrees with S x O x D
    prod = (f["Severity"] * f["Occurrence"] * f["Detection"]).groupby(f["Subsystem"]).mean()
    assert unique_extreme(prod, False, "lowest avg SxOxD") == k and prod[k] == avg[k]
    n = int((f["Subsystem"] == k).sum())
    return f"{k} {num(avg[k])}", [k, num(avg[k])], f"{k} has the lowest average RPN, {num(avg[k])} over its {n} lines."


@q("c", "gc-topn-powertrain-components", "fmea", "top_n",
   "In the power train section of the FMEA, which three components have the most failure modes listed?")
def _(S):
    f = S["fmea"]
    cnt = f[f["Subsystem"] == "Power Train"]["Component"].value_counts()
    top = top_n(cnt, 3, "power train components")
    return ", ".join(top.index), list(top.index), (
        "Power Train components with the most FMEA lines: " + ", ".join(f"{c} ({n})" for c, n in top.items()) + ".")


@q("c", "gc-group-powerunit-severity", "fmea", "group_by",
   "For the Power Unit, how many failure modes are rated severity 2, severity 3 and severity 4?")
def _(S):
    f = S["fmea"]
    cnt = f[f["Subsystem"] == "Power Unit"]["Severity"].value_counts().sort_index()
    vals = [str(int(cnt[s])) for s in (2, 3, 4)]
    return "; ".join(f"sev{s}={v}" for s, v in zip((2, 3, 4), vals)), vals, (
        f"Power Unit lines by severity: severity 2: {vals[0]}, severity 3: {vals[1]}, severity 4: {vals[2]} "
        f"(plus {int(cnt.get(1, 0))} at severity 1; {int(cnt.sum())} in all).")


@q("c", "gc-group-excavator-count-2010", "work_order", "group_by",
   "How many work orders did each excavator have in 2010?")
def _(S):
    e = S["exc"]
    sel = e[e["date"].dt.year == 2010]
    cnt = sel["Asset"].value_counts().sort_index()
    assert list(cnt.index) == ["C", "D", "E"]  # A and B have no 2010 work orders
    vals = [str(int(v)) for v in cnt]
    assert len(set(vals)) == 3
    return "; ".join(f"{a}={v}" for a, v in zip(cnt.index, vals)), vals, (
        "2010 work orders: " + ", ".join(f"excavator {a} {v}" for a, v in zip(cnt.index, vals))
        + "; excavators A and B have none in 2010.")


@q("c", "gc-avg-fuel-system-rpn", "fmea", "average",
   "What's the average RPN across the fuel system lines of the FMEA?")
def _(S):
    f = S["fmea"]
    sel = f[f["Component"] == "Fuel System"]
    assert sel["Subsystem"].nunique() == 1
    assert not f["Sub-Component"].eq("Fuel System").any()
    assert (sel["RPN"] == sel["Severity"] * sel["Occurrence"] * sel["Detection"]).all()
    v = sel["RPN"].mean()
    assert abs(round(v, 2) - v) < 1e-9
    return num(v), [num(v)], f"The {len(sel)} Fuel System lines (Power Unit) average an RPN of {num(v)}."


@q("c", "gc-lookup-air-filter-rpn", "fmea", "lookup",
   "What RPN does the FMEA give the air filter in the air intake system?")
def _(S):
    f = S["fmea"]
    r = one_row(f[(f["Component"] == "Air Intake System") & (f["Sub-Component"] == "Air filter")], "air filter")
    return int(r["RPN"]), [str(int(r["RPN"]))], (
        f"Air filter ({r['Potential Failure Mode']}): severity {r['Severity']}, occurrence {r['Occurrence']}, "
        f"detection {r['Detection']}, RPN {r['RPN']}.")


@q("c", "gc-nearmiss-d-downtime-2009", "work_order", "near_miss",
   "How many hours was excavator D out of service in 2009?", answerable=False)
def _(S):
    e = S["exc"]
    cols = [c.lower() for c in pd.read_csv(EXC_CSV, nrows=0).columns]
    assert not any(w in c for c in cols for w in ("down", "hour", "hrs", "duration", "finish", "end"))
    assert ((e["Asset"] == "D") & (e["date"].dt.year == 2009)).sum() > 0  # asset and period exist; attribute does not
    return "not answerable", [], ("The excavator work orders record only a start date, asset, short text, order type "
                                 "and cost; there is no downtime or duration field, so D's 2009 downtime cannot be given.")


# --------------------------------------------------------------------------
def build():
    S = {
        "sq": load_squawks(), "gse": load_gse(), "parts": load_parts(),
        "wo": load_plant(), "tq": load_torque(),
        "exc": load_excavators(), "fmea": load_fmea(),
    }
    out = {}
    for site, qs in QUESTIONS.items():
        assert len(qs) == 16, (site, len(qs))
        ops = [x["op"] for x in qs]
        want = {"count": 2, "compare": 2, "date": 2, "sum": 2, "top_n": 1, "group_by": 2,
                "average": 1, "lookup": 1, "near_miss": 1}
        for k, v in want.items():
            assert ops.count(k) == v, (site, k)
        assert ops.count("max") + ops.count("min") == 2, site
        recs = []
        for x in qs:
            value, must, ref = x["fn"](S)
            if not x["answerable"]:
                assert must == []
            else:
                assert must and all(isinstance(m, str) and m for m in must)
            recs.append((x, value, {
                "id": x["id"],
                "question": x["question"],
                "reference_answer": ref,
                "must_contain": must,
                "gold_sources": [],
                "answerable": x["answerable"],
                "tags": ["records", x["kind"], x["op"]],
                "split": SPLIT,
            }))
        ids = [r[2]["id"] for r in recs]
        assert len(set(ids)) == len(ids)
        out[site] = recs
    return out


def main():
    out = build()
    write = "--write" in sys.argv[1:]
    for site, recs in out.items():
        for x, value, rec in recs:
            print(f"{rec['id']:40s} {x['op']:9s} {value}")
        if write:
            path = HERE / f"site_{site}.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                for _, _, rec in recs:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            print(f"wrote {path} ({len(recs)} questions)")


if __name__ == "__main__":
    main()
