"""Compute the gold answers of the fresh2 table/log question set from the source files.

    .venv/bin/python datasets/fresh_tables_2/compute_gold.py          # print id -> value
    .venv/bin/python datasets/fresh_tables_2/compute_gold.py --write  # also write site_*.jsonl

Reads only the documents (never the assistant, the eval code or any other question set).
Every max / min / top-N answer is checked for ties at its boundary; a tie raises.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # /work/main
SHARED = Path("/work/shared/corpora")

HANGAR_LOG = ROOT / "sample_hangar/docs/logs/maintenance_log_2022-2024.xlsx"
HANGAR_GSE = ROOT / "sample_hangar/docs/logs/gse_work_records.csv"
HANGAR_PARTS = ROOT / "sample_hangar/docs/tables/parts_catalogue.csv"
PLANT_CSV = ROOT / "sample_plant/docs/work_orders/cmms_export_2022_2023.csv"
PLANT_XLSX = ROOT / "sample_plant/docs/work_orders/cmms_export_2024.xlsx"
PLANT_TORQUE = ROOT / "sample_plant/docs/tables/torque_specs.csv"
EXCAVATORS = SHARED / "excavator_work_orders/excavators.csv"
FMEA = SHARED / "fmea_haul_truck/fmea_dataset_filled.csv"


# --------------------------------------------------------------------------- loaders

def load_squawks() -> pd.DataFrame:
    """All year sheets of the squawk log; text dates (DD-MMM-YYYY) parsed like Excel dates."""
    wb = openpyxl.load_workbook(HANGAR_LOG, read_only=True)
    rows = []
    for ws in wb.worksheets:
        if ws.title == "Notes":
            continue
        it = ws.iter_rows(values_only=True)
        hdr = next(it)
        for r in it:
            if all(v is None for v in r):
                continue
            d = dict(zip(hdr, r))
            v = d["Date Reported"]
            if isinstance(v, str):
                v = dt.datetime.strptime(v.strip(), "%d-%b-%Y")
            d["date"] = pd.Timestamp(v)
            d["sheet"] = ws.title
            rows.append(d)
    df = pd.DataFrame(rows)
    df = df.rename(columns={"Squawk No": "squawk", "Tail": "reg", "ATA": "ata", "Labor Hrs": "labor",
                            "Parts Cost ($)": "parts", "Mechanic": "mech"})
    assert len(df) == 731, len(df)
    return df


def load_gse() -> pd.DataFrame:
    df = pd.read_csv(HANGAR_GSE)
    df["date"] = pd.to_datetime(df["Opened"], format="%Y-%m-%d")
    return df.rename(columns={"Record No": "rec", "Unit": "unit", "Downtime (h)": "down", "Cost": "cost"})


def load_parts() -> pd.DataFrame:
    return pd.read_csv(HANGAR_PARTS, dtype={"ATA": str})


def load_plant_wo() -> pd.DataFrame:
    """CSV 2022-2023 + XLSX 2024 in one frame with common column names.

    The CSV has a UTF-8 BOM and one ragged row (WO-22-0070, unquoted comma in the problem text):
    its 4th and 5th fields are joined back together. WO-23-0002 has an empty cost (None).
    """
    out = []
    with open(PLANT_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    hdr = rows[0]
    for r in rows[1:]:
        if len(r) == 11:
            assert r[0] == "WO-22-0070", r
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == 10, r
        d = dict(zip(hdr, r))
        out.append(dict(wo=d["WO Number"], date=pd.Timestamp(d["Date Created"]), asset=d["Equipment ID"],
                        problem=d["Problem Description"], action=d["Action Taken"], code=d["Failure Code"],
                        cost=float(d["Total Cost"]) if d["Total Cost"] else None,
                        down=float(d["Downtime (h)"]), tech=d["Technician"], status=d["Status"]))
    wb = openpyxl.load_workbook(PLANT_XLSX, read_only=True)
    it = wb.worksheets[0].iter_rows(values_only=True)
    hdr = next(it)
    for r in it:
        if all(v is None for v in r):
            continue
        d = dict(zip(hdr, r))
        out.append(dict(wo=str(d["WONUM"]), date=pd.Timestamp(d["REPORTDATE"]), asset=d["ASSETNUM"],
                        problem=d["DESCRIPTION"], action=d["REMARKS"], code=d["FAILURECODE"],
                        cost=None if d["ACTTOTALCOST"] is None else float(d["ACTTOTALCOST"]),
                        down=float(d["DOWNTIME"]), tech=d["LEAD"], status=d["STATUS"]))
    df = pd.DataFrame(out)
    assert len(df) == 314 and df.wo.is_unique
    # one person per technician: CSV writes "M. Reyes", the 2024 export the login "MREYES"
    df["person"] = df.tech.map(lambda t: t.split(". ", 1)[1].upper() if ". " in t else t[1:])
    return df


def load_torque() -> pd.DataFrame:
    df = pd.read_csv(PLANT_TORQUE)
    df["Asset"] = df["Asset"].ffill()  # merged-cell style: asset only on the first row of a block
    return df


def load_excavators() -> pd.DataFrame:
    """excavators.csv; line 3454 ("won,t swing") has an unquoted comma: rejoin text, cost blank."""
    out = []
    with open(EXCAVATORS, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    for line, r in enumerate(rows[1:], start=2):
        if r[3] == "t swing":
            assert line == 3454, line
            r = [r[0], r[1], r[2] + "," + r[3], r[4], ""]
        out.append(dict(line=line, date=pd.Timestamp(r[0]), asset=r[1], text=r[2], pm=r[3],
                        cost=float(r[4]) if r[4] else None))
    df = pd.DataFrame(out)
    assert len(df) == 5485
    return df


def load_fmea() -> pd.DataFrame:
    df = pd.read_csv(FMEA)
    assert len(df) == 330
    return df


# --------------------------------------------------------------------------- helpers

def top_n(series: pd.Series, n: int, largest: bool = True) -> list:
    """Top-n index labels of a series; raises if rank n ties with rank n+1 or within the top n."""
    s = series.sort_values(ascending=not largest)
    vals = list(s.values)
    assert len(vals) > n, "not enough values"
    assert vals[n - 1] != vals[n], f"tie at the top-{n} boundary: {vals[:n + 1]}"
    assert len(set(vals[:n])) == n, f"tie inside the top {n}: {vals[:n]}"
    return list(s.index[:n])


def num(x: float, nd: int = 2) -> str:
    """A figure as naturally written: 115.5, 97.23, 495.7 (no trailing zeros, no separator)."""
    s = f"{round(float(x), nd):.{nd}f}".rstrip("0").rstrip(".")
    return s


def year(df, y):
    return df[df.date.dt.year == y]


def between(df, start, end):
    return df[(df.date >= pd.Timestamp(start)) & (df.date < pd.Timestamp(end) + pd.Timedelta(days=1))]


Q = []  # collected questions


def add(site, slug, question, reference, must, kind, op, answerable=True, value=None):
    tags = ["records", kind, op if answerable else "near_miss"]
    Q.append(dict(site=site, value=value, row=dict(
        id=f"g{site}-{slug}", question=question, reference_answer=reference,
        must_contain=must if answerable else [], gold_sources=[], answerable=answerable,
        tags=tags, split="fresh2")))


# --------------------------------------------------------------------------- site A: Harlow Field MRO

def site_a():
    s, g, p = load_squawks(), load_gse(), load_parts()

    n = int(((s.reg == "N4821K") & (s.date.dt.year == 2024)).sum())
    add("a", "n4821k-squawks-2024", "How many squawks got written up against N4821K during 2024?",
        f"N4821K had {n} squawks in 2024 (sheet 2024 of the squawk log).", [str(n)], "work_order", "count", value=n)

    n = int(((g.unit == "DEICE-1") & (g.date.dt.year == 2023)).sum())
    add("a", "deice1-gse-jobs-2023",
        "How many times was the de-ice truck DEICE-1 in the GSE shop in 2023? Just count the work records.",
        f"DEICE-1 has {n} GSE work records opened in 2023.", [str(n)], "work_order", "count", value=n)

    x = s[s.reg == "N88214"].sort_values(["date", "squawk"])
    last = x.iloc[-1]
    assert (x.date == last.date).sum() == 1
    add("a", "n88214-latest-squawk",
        "What's the most recent squawk on N88214 in the log? Give me the squawk number and the date.",
        f"The latest squawk on N88214 is {last.squawk}, reported {last.date:%Y-%m-%d}: {last.Discrepancy}.",
        [last.squawk], "work_order", "date", value=f"{last.squawk} {last.date:%Y-%m-%d}")

    x = g[(g.unit == "DEICE-1") & g["Corrective Action"].str.contains("fluid pump", case=False)].sort_values("date")
    first = x.iloc[0]
    add("a", "deice1-first-fluid-pump", "When did we first have to swap the fluid pump on DEICE-1?",
        f"The first DEICE-1 fluid pump replacement was {first.rec}, opened {first.Opened} "
        f"({first['Reported Problem']}; {first['Corrective Action']}).",
        [first.Opened], "work_order", "date", value=f"{first.Opened} {first.rec}")

    x = between(s[s.reg == "N350KV"], "2023-10-01", "2023-12-31")
    assert x.parts.notna().all()
    tot = x.parts.sum()
    add("a", "n350kv-parts-q4-2023", "What did parts come to on N350KV in Q4 2023?",
        f"Parts on N350KV's {len(x)} squawks from October to December 2023 total ${tot:.2f}.",
        [num(tot)], "work_order", "sum", value=round(tot, 2))

    x = year(g[g.unit == "TUG-2"], 2024)
    tot = x.down.sum()
    add("a", "tug2-downtime-2024", "Add up the downtime hours for TUG-2 over 2024 - what's the total?",
        f"TUG-2 had {num(tot)} hours of downtime over its {len(x)} GSE work records in 2024.",
        [num(tot)], "work_order", "sum", value=tot)

    lead = p.set_index("Part No")["Lead Time (days)"]
    (best,) = top_n(lead, 1)
    row = p[p["Part No"] == best].iloc[0]
    add("a", "parts-longest-lead-time", "Which part in the parts catalogue has the longest lead time?",
        f"{best} ({row.Description}) from {row.Vendor}, {row['Lead Time (days)']} days.",
        [best], "table", "max", value=f"{best} {row['Lead Time (days)']}")

    x = year(g, 2024).set_index("rec")
    top = top_n(x.down, 3)
    desc = "; ".join(f"{r} ({x.loc[r, 'unit']}, {num(x.loc[r, 'down'])} h)" for r in top)
    add("a", "gse-top3-downtime-2024", "List the three GSE jobs from 2024 with the most downtime.",
        f"The three longest 2024 GSE jobs: {desc}.", top, "work_order", "top_n", value=top)

    x = year(s[s.ata.str.startswith("32 ")], 2023).groupby("reg").size()
    top = top_n(x, 2)
    add("a", "top2-tails-gear-2023",
        "Which two tails had the most landing gear (ATA 32) squawks in 2023?",
        f"{top[0]} ({x[top[0]]}) and {top[1]} ({x[top[1]]}).", top, "work_order", "top_n",
        value={t: int(x[t]) for t in top})

    x = s.groupby(s.date.dt.year).size()
    add("a", "squawks-per-year", "Break down the squawk count by year for the fleet, 2022 through 2024.",
        f"2022: {x[2022]}, 2023: {x[2023]}, 2024: {x[2024]} squawks.",
        [str(x[2022]), str(x[2023]), str(x[2024])], "work_order", "group_by", value=x.to_dict())

    x = year(s[s.ata.str.startswith("27 ")], 2023)
    avg = x.labor.mean()
    assert abs(avg * 100 - round(avg * 100)) < 1e-9  # exact to 2 decimals
    add("a", "avg-labor-ata27-2023",
        "On average, how many labor hours did a flight controls (ATA 27) squawk take in 2023?",
        f"{len(x)} ATA 27 squawks in 2023 booked {num(x.labor.sum())} h, an average of {num(avg)} h each.",
        [num(avg)], "work_order", "average", value=round(avg, 4))

    assert "N3317K" not in set(s.reg) and "N3317K" not in set(g.unit)
    add("a", "near-n3317k-2023", "How many squawks did N3317K have in 2023?",
        "N3317K is not in the squawk log: the log covers the eight Kestrels N27315, N4821K, N61904, N1187T, "
        "N5526W, N350KV, N7093R and N88214, so the records cannot answer this.",
        [], "work_order", None, answerable=False)


# --------------------------------------------------------------------------- site B: Northfield Stamping

def site_b():
    w, t = load_plant_wo(), load_torque()

    n = int(((w.asset == "PRESS-03") & (w.code == "LEAK")).sum())
    add("b", "press03-leak-count",
        "How many LEAK-coded work orders has PRESS-03 had over the whole 2022-2024 history?",
        f"PRESS-03 has {n} work orders with failure code LEAK across both CMMS exports (2022-2024).",
        [str(n)], "work_order", "count", value=n)

    n = int(((w.code == "MECH") & (w.date.dt.year == 2023)).sum())
    add("b", "mech-count-2023", "How many MECH failure-code work orders were raised in 2023, all assets together?",
        f"{n} work orders with failure code MECH were created in 2023.", [str(n)], "work_order", "count", value=n)

    x = w[w.asset == "ROBOT-5"].sort_values("date")
    last = x.iloc[-1]
    add("b", "robot5-latest-wo", "When was the last work order on ROBOT-5?",
        f"{last.wo}, {last.date:%Y-%m-%d}: {last.problem}.", [f"{last.date:%Y-%m-%d}"], "work_order", "date",
        value=f"{last.date:%Y-%m-%d} {last.wo}")

    x = w[(w.asset == "ROBOT-4") & (w.code == "PM")].sort_values("date")
    first = x.iloc[0]
    add("b", "robot4-first-pm", "When did ROBOT-4 get its first PM work order in the CMMS?",
        f"{first.wo} on {first.date:%Y-%m-%d}: {first.problem}.", [f"{first.date:%Y-%m-%d}"], "work_order", "date",
        value=f"{first.date:%Y-%m-%d} {first.wo}")

    x = year(w[w.asset == "PRESS-04"], 2022)
    tot = x.down.sum()
    add("b", "press04-downtime-2022", "Total downtime hours booked against PRESS-04 in 2022?",
        f"PRESS-04's {len(x)} work orders in 2022 add up to {num(tot)} h of downtime.", [num(tot)],
        "work_order", "sum", value=tot)

    x = year(w[w.asset == "CNC-08"], 2024)
    assert x.cost.notna().all()
    tot = x.cost.sum()
    add("b", "cnc08-cost-2024", "What did CNC-08 cost us in work orders in 2024?",
        f"CNC-08's {len(x)} work orders in 2024 total {tot:.2f}.", [num(tot)], "work_order", "sum",
        value=round(tot, 2))

    tq = t.set_index(t.index)["Torque (N·m)"]
    (i,) = top_n(tq, 1)
    row = t.loc[i]
    add("b", "torque-highest-spec", "Which fastener on the torque spec sheet has the highest torque value?",
        f"{row.Asset} {row.Component.lower()} ({row.Fastener}, {row['Size / grade']}): "
        f"{num(row['Torque (N·m)'])} N·m ({num(row['Torque (lbf·ft)'])} lbf·ft).",
        [row.Asset, "flange"], "table", "max", value=f"{row.Asset} {row.Component} {row['Torque (N·m)']}")
    assert "flange" in row.Component

    x = year(w, 2022)
    assert x.cost.notna().all()
    x = x.set_index("wo")
    top = top_n(x.cost, 3)
    desc = "; ".join(f"{r} ({x.loc[r, 'asset']}, {x.loc[r, 'cost']:.2f})" for r in top)
    add("b", "top3-cost-2022", "Which three work orders cost the most in 2022?",
        f"{desc}.", top, "work_order", "top_n", value=top)

    x = w.groupby("person").size()
    top = top_n(x, 2)
    names = {p: sorted(set(w[w.person == p].tech)) for p in top}
    surname = {p: [n for n in names[p] if ". " in n][0].split(". ")[1] for p in top}
    add("b", "top2-technicians-all-years",
        "Which two techs have handled the most work orders across 2022-2024?",
        "; ".join(f"{' / '.join(names[p])}: {x[p]} work orders" for p in top) + " (both exports counted together).",
        [surname[p] for p in top], "work_order", "top_n", value={p: int(x[p]) for p in top})

    x = w[w.asset == "PRESS-03"].groupby(w.date.dt.year).down.sum()
    add("b", "press03-downtime-by-year", "PRESS-03 downtime hours per year, 2022 through 2024?",
        f"2022: {num(x[2022])} h, 2023: {num(x[2023])} h, 2024: {num(x[2024])} h.",
        [num(x[2022]), num(x[2023]), num(x[2024])], "work_order", "group_by", value=x.to_dict())

    x = year(w[w.asset == "PRESS-01"], 2024)
    assert x.cost.notna().all()
    avg = x.cost.mean()
    assert abs(avg * 100 - round(avg * 100)) < 1e-6
    add("b", "press01-avg-cost-2024", "What was the average cost per work order on PRESS-01 in 2024?",
        f"{len(x)} work orders totalling {x.cost.sum():.2f}: average {avg:.2f}.", [num(avg)],
        "work_order", "average", value=round(avg, 4))

    assert w.date.min() >= pd.Timestamp("2022-01-01")
    add("b", "near-press02-downtime-2021", "How much downtime did PRESS-02 have in 2021?",
        "The work-order exports start in January 2022 (2022-2023 CSV and 2024 XLSX), so 2021 is not covered.",
        [], "work_order", None, answerable=False)


# --------------------------------------------------------------------------- site C: shared corpora

def site_c():
    e, f = load_excavators(), load_fmea()

    n = int(((e.asset == "E") & (e.date.dt.year == 2007)).sum())
    add("c", "exc-e-count-2007", "How many work orders were logged on excavator E in 2007?",
        f"Excavator E has {n} work orders dated 2007 in excavators.csv.", [str(n)], "work_order", "count", value=n)

    x = f[f.Severity == 1]
    assert len(x) == len(x.drop_duplicates(["Subsystem", "Component", "Sub-Component", "Potential Failure Mode"]))
    add("c", "fmea-severity1-count", "How many failure modes in the haul truck FMEA carry a severity rating of 1?",
        f"{len(x)} rows (each a distinct failure mode) have severity 1.", [str(len(x))], "fmea", "count",
        value=len(x))

    d = e[e.asset == "D"].date.max()
    add("c", "exc-d-latest", "What's the most recent work order date for excavator D?",
        f"The last excavator D work order is dated {d:%Y-%m-%d}.", [f"{d:%Y-%m-%d}"], "work_order", "date",
        value=f"{d:%Y-%m-%d}")

    x = e[e.asset == "A"].sort_values("date")
    first = x.iloc[0]
    assert (x.date == first.date).sum() == 1
    add("c", "exc-a-earliest", "When was the first work order raised for excavator A?",
        f"{first.date:%Y-%m-%d} ({first.text}).", [f"{first.date:%Y-%m-%d}"], "work_order", "date",
        value=f"{first.date:%Y-%m-%d}")

    x = between(e[e.asset == "A"], "2005-03-01", "2005-03-31")
    assert x.cost.notna().all() and (x.cost >= 0).all()
    assert not x.duplicated(["date", "text", "cost"]).any()
    tot = x.cost.sum()
    add("c", "exc-a-cost-2005-03", "Total cost of excavator A's work orders in March 2005?",
        f"{len(x)} work orders in March 2005 totalling {tot:.2f}.", [num(tot)], "work_order", "sum",
        value=round(tot, 2))

    x = between(e[e.asset == "C"], "2004-09-01", "2004-09-30")
    assert x.cost.notna().all() and (x.cost >= 0).all()
    assert not x.duplicated(["date", "text", "cost"]).any()
    tot = x.cost.sum()
    add("c", "exc-c-cost-2004-09", "What did excavator C's work orders add up to in September 2004?",
        f"{len(x)} work orders in September 2004 totalling {tot:.2f}.", [num(tot)], "work_order", "sum",
        value=round(tot, 2))

    (i,) = top_n(f.Occurrence, 1)
    row = f.loc[i]
    add("c", "fmea-highest-occurrence",
        "Which sub-component has the highest occurrence rating in the haul truck FMEA?",
        f"The {row['Sub-Component']} ({row.Subsystem} > {row.Component}), failure mode "
        f"'{row['Potential Failure Mode']}', occurrence {row.Occurrence}.",
        [row["Sub-Component"]], "fmea", "max", value=f"{row['Sub-Component']} {row.Occurrence}")

    x = year(e[e.asset == "A"], 2007)
    assert x.cost.notna().all()
    top = top_n(x.cost, 3)
    for i in top:  # dates identify the rows
        assert (x.date == x.loc[i, "date"]).sum() == 1
    desc = "; ".join(f"{x.loc[i, 'date']:%Y-%m-%d} {x.loc[i, 'text']} ({x.loc[i, 'cost']:.2f})" for i in top)
    add("c", "exc-a-top3-cost-2007",
        "What were the three most expensive jobs on excavator A in 2007? Dates please.",
        f"{desc}.", [f"{x.loc[i, 'date']:%Y-%m-%d}" for i in top], "work_order", "top_n",
        value=[f"{x.loc[i, 'date']:%Y-%m-%d}" for i in top])

    x = f.groupby("Subsystem").size()
    top = top_n(x, 2)
    add("c", "fmea-top2-subsystems", "Which two subsystems have the most line items in the haul truck FMEA?",
        f"{top[0]} ({x[top[0]]} rows) and {top[1]} ({x[top[1]]} rows).", top, "fmea", "top_n",
        value={k: int(x[k]) for k in top})

    x = year(e, 2006).groupby("asset").size()
    assert "B" not in x.index
    must = [str(x[a]) for a in ("C", "D", "E")]
    add("c", "exc-count-per-asset-2006", "Give me work order counts per excavator for 2006.",
        ", ".join(f"{a}: {x[a]}" for a in x.index) + " (B has none in 2006).", must, "work_order", "group_by",
        value=x.to_dict())

    x = f[f.Subsystem == "Power Frame"]
    assert (x.RPN == x.Severity * x.Occurrence * x.Detection).all()
    avg = x.RPN.mean()
    assert abs(avg * 100 - round(avg * 100)) < 1e-9
    add("c", "fmea-avg-rpn-power-frame", "What's the average RPN across the Power Frame entries in the FMEA?",
        f"{len(x)} Power Frame rows, RPN total {x.RPN.sum()}, average {num(avg)}.", [num(avg)], "fmea", "average",
        value=round(avg, 4))

    cols = {c.lower() for c in f.columns}
    assert not any("date" in c or "responsib" in c or "target" in c for c in cols)
    add("c", "near-fmea-target-date",
        "What's the target completion date for the recommended action on the water pump in the haul truck FMEA?",
        "The FMEA has no target date (or responsibility) column: it lists severity, occurrence, detection, RPN and "
        "recommended actions only, so the completion date cannot be answered from it.",
        [], "fmea", None, answerable=False)


# --------------------------------------------------------------------------- main

def main(argv):
    site_a()
    site_b()
    site_c()
    for q in Q:
        r = q["row"]
        print(f"{r['id']:34s} {json.dumps(q['value'], default=str) if r['answerable'] else 'UNANSWERABLE'}"
              f"  must={r['must_contain']}")
    ids = [q["row"]["id"] for q in Q]
    assert len(ids) == len(set(ids)) == 36
    for site in "abc":
        rows = [q["row"] for q in Q if q["site"] == site]
        assert len(rows) == 12
        ops = [t for r in rows for t in r["tags"][2:]]
        want = {"count": 2, "date": 2, "sum": 2, "top_n": 2, "group_by": 1, "average": 1, "near_miss": 1}
        for k, v in want.items():
            assert ops.count(k) == v, (site, k, ops)
        assert ops.count("max") + ops.count("min") == 1
        if "--write" in argv:
            with open(HERE / f"site_{site}.jsonl", "w", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    if "--write" in argv:
        print("wrote", ", ".join(f"site_{s}.jsonl" for s in "abc"))


if __name__ == "__main__":
    main(sys.argv[1:])
