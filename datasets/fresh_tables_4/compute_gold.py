"""Gold values for the fresh_tables_4 question set, computed from the source files.

Every question's wording lives here next to the pandas code that answers it, so a
gold value can always be traced back to the rows it came from.

    python compute_gold.py            # print id, op and gold value for all 48 questions
    python compute_gold.py --write    # also regenerate site_a/b/c.jsonl beside this file

The script asserts the conditions the set relies on: no tie at the cut-off of a
max/min or top-N, no blank inside a sum or average, a date answer's subset not
empty, and a near miss's asset / period / column really absent.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent  # /work/main
SHARED = REPO.parent / "shared" / "corpora"

HANGAR_LOG = REPO / "sample_hangar/docs/logs/maintenance_log_2022-2024.xlsx"
HANGAR_GSE = REPO / "sample_hangar/docs/logs/gse_work_records.csv"
HANGAR_PARTS = REPO / "sample_hangar/docs/tables/parts_catalogue.csv"
HANGAR_WB = REPO / "sample_hangar/docs/tables/troubleshooting_wheels_brakes.xlsx"
PLANT_CSV = REPO / "sample_plant/docs/work_orders/cmms_export_2022_2023.csv"
PLANT_XLSX = REPO / "sample_plant/docs/work_orders/cmms_export_2024.xlsx"
PLANT_TORQUE = REPO / "sample_plant/docs/tables/torque_specs.csv"
EXCAVATORS = SHARED / "excavator_work_orders/excavators.csv"
EXCAVATORS_CLEANED = SHARED / "excavator_work_orders/excavators-cleaned.csv"
FMEA = SHARED / "fmea_haul_truck/fmea_dataset_filled.csv"

SPLIT = "fresh4"


# --------------------------------------------------------------------------- loaders

def load_hangar_log() -> pd.DataFrame:
    """Squawk log, sheets 2022-2024 stacked; 'date' parsed from datetimes or 'DD-MMM-YYYY' text.

    Columns: squawk, tail, date, ata, ata_no, labor, parts_cost (NaN = invoice pending), mechanic.
    """
    sheets = pd.read_excel(HANGAR_LOG, sheet_name=["2022", "2023", "2024"])
    df = pd.concat(sheets.values(), ignore_index=True)
    text = df["Date Reported"].map(lambda v: isinstance(v, str))
    parsed = df["Date Reported"].where(~text, pd.to_datetime(df.loc[text, "Date Reported"], format="%d-%b-%Y"))
    out = pd.DataFrame({
        "squawk": df["Squawk No"].astype(str),
        "tail": df["Tail"].str.strip(),
        "date": pd.to_datetime(parsed),
        "date_was_text": text,
        "date_raw": df["Date Reported"].astype(str),
        "ata": df["ATA"].str.strip(),
        "labor": df["Labor Hrs"].astype(float),
        "parts_cost": df["Parts Cost ($)"].astype(float),
        "mechanic": df["Mechanic"],
    })
    out["ata_no"] = out["ata"].str.split().str[0]
    out["ata_title"] = out["ata"].str.split(n=1).str[1]
    assert (out["squawk"].str[:4].astype(int) == out["date"].dt.year).all(), "squawk on wrong year sheet"
    assert not out["squawk"].duplicated().any()
    return out


def load_gse() -> pd.DataFrame:
    g = pd.read_csv(HANGAR_GSE)
    g["date"] = pd.to_datetime(g["Opened"], format="%Y-%m-%d")
    return g.rename(columns={"Record No": "record", "Unit": "unit", "Downtime (h)": "downtime", "Cost": "cost"})


def load_parts() -> pd.DataFrame:
    return pd.read_csv(HANGAR_PARTS, dtype={"Unit Price": str, "ATA": str})


def load_wheels_brakes() -> pd.DataFrame:
    """Troubleshooting table; Symptom is a merged cell in the sheet, so fill it down."""
    t = pd.read_excel(HANGAR_WB, sheet_name="Wheels & Brakes")
    t["Symptom"] = t["Symptom"].ffill()
    return t


def load_plant() -> pd.DataFrame:
    """2022-2023 CSV export and 2024 XLSX export as one log with common column names.

    The CSV has one malformed line (WO-22-0070): an unquoted comma in the problem
    description splits it into 11 fields; fields 4 and 5 are joined back together.
    """
    with open(PLANT_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, fixed = rows[0], []
    for r in rows[1:]:
        if len(r) == len(header) + 1:
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == len(header), r
        fixed.append(r)
    a = pd.DataFrame(fixed, columns=header)
    a = pd.DataFrame({
        "wo": a["WO Number"],
        "date": pd.to_datetime(a["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": a["Equipment ID"].str.strip(),
        "code": a["Failure Code"].str.strip(),
        "cost": pd.to_numeric(a["Total Cost"].replace("", None)),
        "downtime": pd.to_numeric(a["Downtime (h)"]),
        "status": a["Status"],
        "export": "csv_2022_2023",
    })
    b = pd.read_excel(PLANT_XLSX, sheet_name="WORKORDER")
    b = pd.DataFrame({
        "wo": b["WONUM"].astype(str),
        "date": pd.to_datetime(b["REPORTDATE"]),
        "asset": b["ASSETNUM"].str.strip(),
        "code": b["FAILURECODE"].str.strip(),
        "cost": b["ACTTOTALCOST"].astype(float),
        "downtime": b["DOWNTIME"].astype(float),
        "status": b["STATUS"],
        "export": "xlsx_2024",
    })
    assert a["date"].dt.year.isin([2022, 2023]).all() and (b["date"].dt.year == 2024).all()
    df = pd.concat([a, b], ignore_index=True)
    assert not df["wo"].duplicated().any()
    return df


def load_torque() -> pd.DataFrame:
    """Torque table; Asset is a merged cell (blank on follow-on rows), so fill it down."""
    t = pd.read_csv(PLANT_TORQUE, encoding="utf-8-sig")
    t["Asset"] = t["Asset"].ffill()
    return t


def load_excavators() -> pd.DataFrame:
    """Excavator work orders. Line 3454 ('won,t swing') has an unquoted comma: the text
    spills into PMType and PMType into Cost, and the row has no cost at all. It is
    repaired to text 'won,t swing', PMType 'PM01', Cost NaN (unknown)."""
    e = pd.read_csv(EXCAVATORS, dtype=str)
    bad = ~e["PMType"].str.fullmatch(r"PM\d\d")
    assert bad.sum() == 1
    e.loc[bad, "OriginalShorttext"] = e.loc[bad, "OriginalShorttext"] + "," + e.loc[bad, "PMType"]
    e.loc[bad, "PMType"] = e.loc[bad, "Cost"]
    e.loc[bad, "Cost"] = None
    e["Cost"] = pd.to_numeric(e["Cost"])
    e["date"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["year"] = e["date"].dt.year
    assert len(e) == 5485
    return e


def load_fmea() -> pd.DataFrame:
    return pd.read_csv(FMEA)


# --------------------------------------------------------------------------- formatting and checks

def num(x: float, dp: int = 2) -> str:
    """Round and drop trailing zeros: 32.60 -> '32.6', 37.0 -> '37'."""
    s = f"{round(float(x), dp):.{dp}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def money(x: float) -> str:
    """Money as the CSV sources write it: two decimals, no thousands separator."""
    return f"{round(float(x) + 0.0, 2):.2f}"


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def no_blanks(s: pd.Series, what: str) -> pd.Series:
    assert len(s) > 0, f"{what}: empty subset"
    assert not s.isna().any(), f"{what}: blank value inside the subset"
    return s


def unique_extreme(df: pd.DataFrame, col: str, how: str, what: str) -> pd.Series:
    """The one row holding the max/min of col; asserts no blank and no tie."""
    no_blanks(df[col], what)
    target = df[col].max() if how == "max" else df[col].min()
    hit = df[df[col] == target]
    assert len(hit) == 1, f"{what}: tie at the {how} ({len(hit)} rows)"
    return hit.iloc[0]


def top_n(counts: pd.Series, n: int, what: str) -> pd.Series:
    """Top n of a Series, asserting no tie at the cut-off (n-th vs n+1-th)."""
    s = counts.sort_values(ascending=False)
    assert len(s) > n, f"{what}: only {len(s)} groups for a top-{n}"
    assert s.iloc[n - 1] != s.iloc[n], f"{what}: tie at the top-{n} cut-off"
    return s.head(n)


def group_must(g: pd.Series, fmt, names: bool = True) -> list[str]:
    """must_contain for a group-by: top group's name and value first, then the other
    groups' values (and names, unless they are bare letters like excavator 'A').
    Asserts a single top group and at most 4 groups."""
    assert 1 < len(g) <= 4, f"{len(g)} groups"
    assert (g == g.max()).sum() == 1, "tie for the top group"
    top = g.idxmax()
    must = [str(top), fmt(g[top])]
    for k, v in g.items():
        if k != top:
            must += ([str(k)] if names else []) + [fmt(v)]
    return list(dict.fromkeys(must))


def between(df: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Rows whose date falls on a day from start to end inclusive."""
    d = df["date"].dt.normalize()
    return df[(d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))]


def year(df: pd.DataFrame, y: int) -> pd.DataFrame:
    return df[df["date"].dt.year == y]


# --------------------------------------------------------------------------- question registry

QUESTIONS: list[dict] = []


def question(qid: str, text: str, kind: str, op: str, answerable: bool = True):
    """Register a question; the decorated function returns (gold, must_contain, reference)."""
    def wrap(fn):
        QUESTIONS.append(dict(id=qid, question=text, kind=kind, op=op, answerable=answerable, fn=fn))
        return fn
    return wrap


# =========================================================================== Site A: aircraft MRO

@question("fa-count-n4821k-2024",
          "How many squawks were written up against N4821K in 2024?",
          "work_order", "count")
def _():
    n = len(year(LOG[LOG["tail"] == "N4821K"], 2024))
    return n, [str(n)], f"N4821K has {n} squawks dated in 2024 in the maintenance log."


@question("fa-count-ata32-q1-2023",
          "Fleet-wide, how many ATA 32 landing gear squawks were reported between 1 January and 31 March 2023?",
          "work_order", "count")
def _():
    sub = between(LOG[LOG.ata_no == "32"], "2023-01-01", "2023-03-31")
    n = len(sub)
    return n, [str(n)], (f"{n} ATA 32 (Landing Gear) squawks were reported across the fleet from "
                         f"2023-01-01 to 2023-03-31 ({int(sub.date_was_text.sum())} of them have dates typed as text).")


@question("fa-count-shimmy-causes",
          "In the wheels and brakes troubleshooting table, how many possible causes are listed for nose wheel shimmy?",
          "table", "count")
def _():
    sub = WB[WB.Symptom == "Nose wheel shimmy"]
    n = len(sub)
    causes = "; ".join(sub["Possible Cause"])
    return n, [str(n)], f"The table lists {n} possible causes for nose wheel shimmy: {causes}."


@question("fa-date-last-n61904-ata24",
          "When was the last ATA 24 electrical power squawk on N61904 reported?",
          "work_order", "date")
def _():
    sub = LOG[(LOG["tail"] == "N61904") & (LOG.ata_no == "24")]
    assert len(sub) > 0
    row = sub.sort_values("date").iloc[-1]
    d = day(row.date)
    typed = f" (typed as text '{row.date_raw}' in the sheet)" if row.date_was_text else ""
    return d, [d], f"The most recent ATA 24 (Electrical Power) squawk on N61904 is {row.squawk}, reported {d}{typed}."


@question("fa-date-first-deice1-2023",
          "What was the date of DEICE-1's first GSE work record in 2023?",
          "work_order", "date")
def _():
    sub = year(GSE[GSE.unit == "DEICE-1"], 2023)
    assert len(sub) > 0
    row = sub.sort_values("date").iloc[0]
    d = day(row.date)
    return d, [d], f"DEICE-1's first work record of 2023 is {row.record}, opened {d}."


@question("fa-sum-labor-n7093r-2022",
          "How many labor hours in total were booked to N7093R in 2022?",
          "work_order", "sum")
def _():
    s = no_blanks(year(LOG[LOG["tail"] == "N7093R"], 2022).labor, "N7093R 2022 labor")
    v = num(s.sum(), 1)
    return v, [v], f"{v} labor hours were booked across N7093R's {len(s)} squawks in 2022."


@question("fa-sum-cost-tug2-2024",
          "Add up the cost of all the tug TUG-2's GSE work records from 2024. What's the total?",
          "work_order", "sum")
def _():
    s = no_blanks(year(GSE[GSE.unit == "TUG-2"], 2024).cost, "TUG-2 2024 cost")
    v = money(s.sum())
    return v, [v], f"TUG-2's {len(s)} work records in 2024 cost ${v} in total."


@question("fa-max-downtime-gpu09-2022",
          "Which GPU-09 work record in 2022 had the longest downtime, and how many hours was it?",
          "work_order", "max")
def _():
    row = unique_extreme(year(GSE[GSE.unit == "GPU-09"], 2022), "downtime", "max", "GPU-09 2022 downtime")
    v = num(row.downtime, 1)
    return f"{row.record} {v} h", [row.record, v], (
        f"{row.record} (opened {day(row.date)}) had the longest GPU-09 downtime in 2022: {v} h.")


@question("fa-min-leadtime-meridian",
          "Of the catalogue parts supplied by Meridian Wheel & Brake, which has the shortest lead time, and how many days is it?",
          "table", "min")
def _():
    sub = PARTS[PARTS.Vendor == "Meridian Wheel & Brake"]
    row = unique_extreme(sub, "Lead Time (days)", "min", "Meridian lead time")
    v = str(int(row["Lead Time (days)"]))
    return f"{row['Part No']} {v} d", [row["Part No"], v], (
        f"{row['Part No']} ({row['Description']}) has the shortest Meridian Wheel & Brake lead time: {v} days.")


@question("fa-top3-tails-2024",
          "Which three tails racked up the most squawks in 2024?",
          "work_order", "top_n")
def _():
    t = top_n(year(LOG, 2024)["tail"].value_counts(), 3, "tails 2024")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    return txt, list(t.index), f"Most squawks in 2024: {txt}."


@question("fa-top3-ata-labor-2023",
          "Top three ATA chapters by labor hours booked in 2023?",
          "work_order", "top_n")
def _():
    sub = year(LOG, 2023)
    no_blanks(sub.labor, "2023 labor")
    t = top_n(sub.groupby("ata").labor.sum().round(1), 3, "ATA labor 2023")
    titles = [a.split(maxsplit=1)[1] for a in t.index]
    txt = ", ".join(f"{k} ({num(v, 1)} h)" for k, v in t.items())
    return txt, titles, f"By labor hours booked in 2023: {txt}."


@question("fa-group-gse-units-2022",
          "Break down the 2022 GSE work records by unit: how many records did each unit get?",
          "work_order", "group_by")
def _():
    c = year(GSE, 2022).unit.value_counts()
    txt = ", ".join(f"{k}: {v}" for k, v in c.items())
    must = group_must(c, str)
    return txt, must, f"GSE work records opened in 2022 by unit: {txt}."


@question("fa-group-labor-n61904-by-year",
          "How many labor hours were booked on N61904 in each of 2022, 2023 and 2024?",
          "work_order", "group_by")
def _():
    sub = LOG[LOG["tail"] == "N61904"]
    no_blanks(sub.labor, "N61904 labor")
    g = sub.groupby(sub.date.dt.year).labor.sum().round(1)
    assert list(g.index) == [2022, 2023, 2024]
    txt = ", ".join(f"{k}: {num(v, 1)} h" for k, v in g.items())
    must = group_must(g, lambda v: num(v, 1))
    return txt, must, f"Labor hours booked on N61904 by year: {txt}."


@question("fa-avg-labor-ata24-2023",
          "What was the average labor time per ATA 24 electrical power squawk in 2023, to two decimals?",
          "work_order", "average")
def _():
    s = no_blanks(year(LOG[LOG.ata_no == "24"], 2023).labor, "ATA 24 2023 labor")
    v = num(s.mean(), 2)
    return v, [v], f"{len(s)} ATA 24 squawks in 2023 booked {num(s.sum(), 1)} h, an average of {v} h each."


@question("fa-lookup-price-lw32620",
          "What's the unit price of the wheel speed transducer, part LW-32620?",
          "table", "lookup")
def _():
    row = PARTS[PARTS["Part No"] == "LW-32620"]
    assert len(row) == 1
    price = row.iloc[0]["Unit Price"]  # kept as the catalogue writes it
    return price, [price], f"LW-32620 ({row.iloc[0]['Description']}) lists at ${price} each."


@question("fa-near-n4812k-2023",
          "How many squawks did N4812K have in 2023?",
          "work_order", "near_miss", answerable=False)
def _():
    assert "N4812K" not in set(LOG["tail"]) and "N4812K" not in set(GSE.unit)
    return "absent", [], ("There is no N4812K in the maintenance log; the fleet is N1187T, N27315, N350KV, "
                          "N4821K, N5526W, N61904, N7093R and N88214, so this can't be answered.")


# =========================================================================== Site B: stamping plant

@question("fb-count-press03-2022-2024",
          "How many work orders has PRESS-03 had from January 2022 through December 2024?",
          "work_order", "count")
def _():
    sub = between(PLANT[PLANT.asset == "PRESS-03"], "2022-01-01", "2024-12-31")
    n = len(sub)
    by = sub.groupby("export").size().to_dict()
    return n, [str(n)], (f"PRESS-03 has {n} work orders across 2022-2024 "
                         f"({by['csv_2022_2023']} in the 2022-2023 export, {by['xlsx_2024']} in the 2024 export).")


@question("fb-count-leak-2023",
          "How many work orders with failure code LEAK were raised across the plant in 2023?",
          "work_order", "count")
def _():
    n = len(year(PLANT[PLANT.code == "LEAK"], 2023))
    return n, [str(n)], f"{n} work orders coded LEAK were raised in 2023."


@question("fb-count-cmp2-h1-2024",
          "How many work orders were opened on CMP-2 between January and June 2024?",
          "work_order", "count")
def _():
    n = len(between(PLANT[PLANT.asset == "CMP-2"], "2024-01-01", "2024-06-30"))
    return n, [str(n)], f"CMP-2 had {n} work orders from 2024-01-01 to 2024-06-30."


@question("fb-date-last-hpu3-leak",
          "When was the most recent LEAK work order on HPU-3 in the 2022-2024 records?",
          "work_order", "date")
def _():
    sub = PLANT[(PLANT.asset == "HPU-3") & (PLANT.code == "LEAK")]
    assert len(sub) > 0
    row = sub.sort_values("date").iloc[-1]
    d = day(row.date)
    return d, [d], f"HPU-3's latest LEAK work order is {row.wo}, created {d}."


@question("fb-date-first-oven1-2023",
          "What date was OVEN-1's first work order of 2023?",
          "work_order", "date")
def _():
    sub = year(PLANT[PLANT.asset == "OVEN-1"], 2023)
    assert len(sub) > 0
    row = sub.sort_values("date").iloc[0]
    d = day(row.date)
    return d, [d], f"OVEN-1's first work order in 2023 is {row.wo}, created {d}."


@question("fb-sum-downtime-press02-2024",
          "Total downtime on PRESS-02 in 2024 - how many hours?",
          "work_order", "sum")
def _():
    s = no_blanks(year(PLANT[PLANT.asset == "PRESS-02"], 2024).downtime, "PRESS-02 2024 downtime")
    v = num(s.sum(), 1)
    return v, [v], f"PRESS-02's {len(s)} work orders in 2024 logged {v} h of downtime."


@question("fb-sum-cost-press01-2023-2024",
          "What did PRESS-01's work orders cost in total over 2023 and 2024 combined?",
          "work_order", "sum")
def _():
    s = no_blanks(between(PLANT[PLANT.asset == "PRESS-01"], "2023-01-01", "2024-12-31").cost,
                  "PRESS-01 2023-2024 cost")
    v = money(s.sum())
    return v, [v], f"PRESS-01's {len(s)} work orders in 2023-2024 cost ${v} in total."


@question("fb-max-downtime-2023",
          "Which work order in 2023 had the longest downtime, and how long was it?",
          "work_order", "max")
def _():
    row = unique_extreme(year(PLANT, 2023), "downtime", "max", "2023 downtime")
    v = num(row.downtime, 1)
    return f"{row.wo} {v} h", [row.wo, v], (
        f"{row.wo} on {row.asset} ({day(row.date)}) had the longest downtime in 2023: {v} h.")


@question("fb-max-cost-press04-2022-2023",
          "What was the most expensive PRESS-04 work order in 2022-2023, and what did it cost?",
          "work_order", "max")
def _():
    sub = between(PLANT[PLANT.asset == "PRESS-04"], "2022-01-01", "2023-12-31")
    row = unique_extreme(sub, "cost", "max", "PRESS-04 2022-2023 cost")
    v = money(row.cost)
    return f"{row.wo} {v}", [row.wo, v], f"{row.wo} ({day(row.date)}) was the most expensive at ${v}."


@question("fb-top3-assets-count-2022-2024",
          "Across the whole log, January 2022 to December 2024, which three assets had the most work orders?",
          "work_order", "top_n")
def _():
    sub = between(PLANT, "2022-01-01", "2024-12-31")
    t = top_n(sub.asset.value_counts(), 3, "assets 2022-2024")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    return txt, list(t.index), f"Most work orders over 2022-2024: {txt}."


@question("fb-top3-cost-2022",
          "Which three assets cost the most in work orders during 2022?",
          "work_order", "top_n")
def _():
    sub = year(PLANT, 2022)
    no_blanks(sub.cost, "2022 cost")
    t = top_n(sub.groupby("asset").cost.sum().round(2), 3, "cost 2022")
    txt = ", ".join(f"{k} (${money(v)})" for k, v in t.items())
    return txt, list(t.index), f"Highest total work order cost in 2022: {txt}."


@question("fb-group-cost-presses-2024",
          "What did each press, PRESS-01 to PRESS-04, cost in work orders during 2024?",
          "work_order", "group_by")
def _():
    presses = ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"]
    sub = year(PLANT[PLANT.asset.isin(presses)], 2024)
    no_blanks(sub.cost, "press cost 2024")
    g = sub.groupby("asset").cost.sum().round(2)
    assert list(g.index) == presses
    txt = ", ".join(f"{k}: ${money(v)}" for k, v in g.items())
    must = group_must(g, money)
    return txt, must, f"2024 work order cost by press: {txt}."


@question("fb-group-safe-by-year",
          "How many SAFE-coded work orders were there in each year, 2022, 2023 and 2024?",
          "work_order", "group_by")
def _():
    sub = PLANT[PLANT.code == "SAFE"]
    g = sub.groupby(sub.date.dt.year).size()
    assert list(g.index) == [2022, 2023, 2024]
    txt = ", ".join(f"{k}: {v}" for k, v in g.items())
    must = group_must(g, str)
    return txt, must, f"SAFE work orders by year: {txt}."


@question("fb-avg-cost-robot4-2023",
          "What was the average cost per work order on ROBOT-4 in 2023?",
          "work_order", "average")
def _():
    s = no_blanks(year(PLANT[PLANT.asset == "ROBOT-4"], 2023).cost, "ROBOT-4 2023 cost")
    v = money(s.mean())
    return v, [v], f"ROBOT-4's {len(s)} work orders in 2023 cost ${money(s.sum())}, an average of ${v} each."


@question("fb-lookup-torque-press03-die-strap",
          "What torque do the lower die strap clamp bolts on PRESS-03 take, in N·m?",
          "table", "lookup")
def _():
    row = TORQUE[(TORQUE.Asset == "PRESS-03") & (TORQUE.Component == "Lower die strap clamp bolts")]
    assert len(row) == 1
    r = row.iloc[0]
    v = str(r["Torque (N·m)"])
    return v, [v], (f"PRESS-03 lower die strap clamp bolts ({r['Size / grade']}): {v} N·m "
                    f"({num(r['Torque (lbf·ft)'], 1)} lbf·ft) per {r['Reference']}; note: {r['Pattern / notes']}.")


@question("fb-near-press02-2021",
          "How many work orders did PRESS-02 have in 2021?",
          "work_order", "near_miss", answerable=False)
def _():
    assert PLANT.date.min() >= pd.Timestamp("2022-01-01")
    return "absent", [], (f"The work order exports only cover {day(PLANT.date.min())} to {day(PLANT.date.max())}; "
                          "there are no 2021 records, so this can't be answered from the log.")


# =========================================================================== Site C: public corpora

@question("fc-count-c-2007",
          "How many work orders were raised for excavator C in 2007?",
          "work_order", "count")
def _():
    n = len(EXC[(EXC.Asset == "C") & (EXC.year == 2007)])
    return n, [str(n)], f"Excavator C has {n} work orders dated in 2007."


@question("fc-count-d-pm06-2010",
          "How many PM06 work orders did excavator D get in 2010?",
          "work_order", "count")
def _():
    n = len(EXC[(EXC.Asset == "D") & (EXC.PMType == "PM06") & (EXC.year == 2010)])
    return n, [str(n)], f"Excavator D has {n} PM06 work orders dated in 2010."


@question("fc-count-fmea-powertrain-sev4",
          "In the haul truck FMEA, how many Power Train lines carry a severity of 4?",
          "fmea", "count")
def _():
    n = int(((FM.Subsystem == "Power Train") & (FM.Severity == 4)).sum())
    return n, [str(n)], f"{n} FMEA lines in the Power Train subsystem have severity 4."


@question("fc-date-last-a",
          "When was the last work order on excavator A?",
          "work_order", "date")
def _():
    sub = EXC[EXC.Asset == "A"]
    d = day(sub.date.max())
    return d, [d], f"Excavator A's last work order is dated {d}."


@question("fc-date-first-e-pm06",
          "When did excavator E get its first PM06 work order?",
          "work_order", "date")
def _():
    sub = EXC[(EXC.Asset == "E") & (EXC.PMType == "PM06")]
    assert len(sub) > 0
    d = day(sub.date.min())
    return d, [d], f"Excavator E's first PM06 work order is dated {d}."


@question("fc-sum-a-2005",
          "What was the total work order cost for excavator A in 2005?",
          "work_order", "sum")
def _():
    s = no_blanks(EXC[(EXC.Asset == "A") & (EXC.year == 2005)].Cost, "A 2005 cost")
    assert (s >= 0).all()
    v = money(s.sum())
    return v, [v], f"Excavator A's {len(s)} work orders in 2005 cost ${v} in total."


@question("fc-sum-e-pm02-2010",
          "What did excavator E's PM02 work orders in 2010 cost altogether?",
          "work_order", "sum")
def _():
    s = no_blanks(EXC[(EXC.Asset == "E") & (EXC.PMType == "PM02") & (EXC.year == 2010)].Cost, "E PM02 2010")
    assert (s >= 0).all()
    v = money(s.sum())
    return v, [v], f"Excavator E's {len(s)} PM02 work orders in 2010 total ${v}."


@question("fc-max-e-2008",
          "What was the single most expensive work order on excavator E in 2008? Give the date and the cost.",
          "work_order", "max")
def _():
    row = unique_extreme(EXC[(EXC.Asset == "E") & (EXC.year == 2008)], "Cost", "max", "E 2008 cost")
    d, v = day(row.date), money(row.Cost)
    return f"{d} {v}", [d, v], f"The most expensive excavator E work order in 2008 is dated {d} and cost ${v}."


@question("fc-max-fmea-hydraulic-rpn",
          "Which line in the Hydraulic System part of the FMEA has the highest RPN, and what is it?",
          "fmea", "max")
def _():
    row = unique_extreme(FM[FM.Subsystem == "Hydraulic System"], "RPN", "max", "hydraulic RPN")
    v = str(int(row.RPN))
    return (f"{row.Component}/{row['Sub-Component']}/{row['Potential Failure Mode']} {v}",
            [row.Component, row["Potential Failure Mode"], v],
            f"The highest Hydraulic System RPN is {v}: {row.Component}, {row['Sub-Component']}, "
            f"{row['Potential Failure Mode']} (S{row.Severity} x O{row.Occurrence} x D{row.Detection}).")


@question("fc-top3-d-years",
          "Which three years saw the most work orders on excavator D?",
          "work_order", "top_n")
def _():
    t = top_n(EXC[EXC.Asset == "D"].year.value_counts(), 3, "D years")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    return txt, [str(k) for k in t.index], f"Excavator D's busiest years by work order count: {txt}."


@question("fc-top3-fmea-powerunit-components",
          "Within the Power Unit subsystem of the FMEA, which three components have the most lines?",
          "fmea", "top_n")
def _():
    t = top_n(FM[FM.Subsystem == "Power Unit"].Component.value_counts(), 3, "power unit components")
    txt = ", ".join(f"{k} ({v})" for k, v in t.items())
    return txt, list(t.index), f"Power Unit components with the most FMEA lines: {txt}."


@question("fc-group-cost-by-excavator-2006",
          "Total work order cost for each excavator in 2006?",
          "work_order", "group_by")
def _():
    sub = EXC[EXC.year == 2006]
    no_blanks(sub.Cost, "2006 cost")
    assert (sub.Cost >= 0).all()
    g = sub.groupby("Asset").Cost.sum().round(2)
    txt = ", ".join(f"{k}: ${money(v)}" for k, v in g.items())
    must = group_must(g, money, names=False)
    return txt, must, f"2006 work order cost by excavator: {txt} (excavator B has no 2006 work orders)."


@question("fc-group-fmea-powerframe-components",
          "How many FMEA lines does each component in the Power Frame subsystem have?",
          "fmea", "group_by")
def _():
    g = FM[FM.Subsystem == "Power Frame"].Component.value_counts()
    txt = ", ".join(f"{k}: {v}" for k, v in g.items())
    must = group_must(g, str)
    return txt, must, f"Power Frame FMEA lines by component: {txt}."


@question("fc-avg-a-2007",
          "What was the average cost per work order for excavator A in 2007?",
          "work_order", "average")
def _():
    s = no_blanks(EXC[(EXC.Asset == "A") & (EXC.year == 2007)].Cost, "A 2007 cost")
    assert (s >= 0).all()
    v = money(s.mean())
    return v, [v], f"Excavator A's {len(s)} work orders in 2007 cost ${money(s.sum())}, an average of ${v}."


@question("fc-lookup-fmea-afff-tag-rpn",
          "What RPN does the FMEA give the AFFF activation system & gauge being out of date / no test tag?",
          "fmea", "lookup")
def _():
    row = FM[(FM.Component == "AFFF") & (FM["Sub-Component"] == "Activation System & Gauge")
             & (FM["Potential Failure Mode"] == "Out of date / no test tag")]
    assert len(row) == 1
    r = row.iloc[0]
    assert r.RPN == r.Severity * r.Occurrence * r.Detection
    v = str(int(r.RPN))
    return v, [v], (f"RPN {v} (severity {r.Severity} x occurrence {r.Occurrence} x detection {r.Detection}) "
                    "for Fire Suppression System > AFFF > Activation System & Gauge, out of date / no test tag.")


@question("fc-near-d-downtime-2009",
          "How many hours of downtime did excavator D clock up in 2009?",
          "work_order", "near_miss", answerable=False)
def _():
    for path in (EXCAVATORS, EXCAVATORS_CLEANED):
        cols = [c.lower() for c in pd.read_csv(path, nrows=0).columns]
        assert not any(re.search(r"down|hour|hrs|labou?r", c) for c in cols), (path, cols)
    assert len(EXC[(EXC.Asset == "D") & (EXC.year == 2009)]) > 0
    return "absent", [], ("The excavator work orders record only date, asset, short text, PM type and cost; "
                          "there is no downtime field, so downtime hours can't be given.")


# --------------------------------------------------------------------------- main

def build() -> list[dict]:
    global LOG, GSE, PARTS, WB, PLANT, TORQUE, EXC, FM
    LOG, GSE, PARTS, WB = load_hangar_log(), load_gse(), load_parts(), load_wheels_brakes()
    PLANT, TORQUE = load_plant(), load_torque()
    EXC, FM = load_excavators(), load_fmea()
    out = []
    for q in QUESTIONS:
        gold, must, ref = q["fn"]()
        assert q["answerable"] == bool(must), q["id"]
        out.append(dict(q, gold=gold, must=must, ref=ref))
    return out


def record(q: dict) -> dict:
    return {
        "id": q["id"],
        "question": q["question"],
        "reference_answer": q["ref"],
        "must_contain": q["must"],
        "gold_sources": [],
        "answerable": q["answerable"],
        "tags": ["records", q["kind"], q["op"]],
        "split": SPLIT,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="regenerate site_a/b/c.jsonl")
    args = ap.parse_args()
    qs = build()
    ids = [q["id"] for q in qs]
    assert len(ids) == len(set(ids)) == 48
    for q in qs:
        print(f"{q['id']:42s} {q['op']:9s} {q['gold']}")
    if args.write:
        for site in "abc":
            rows = [record(q) for q in qs if q["id"].startswith(f"f{site}-")]
            assert len(rows) == 16, (site, len(rows))
            path = HERE / f"site_{site}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            print(f"wrote {path} ({len(rows)} questions)")


if __name__ == "__main__":
    main()
