"""Gold answers for the fresh_tables_11 question set.

Written blind: only the raw data files named in SOURCES below were read (with pandas /
openpyxl), plus the provenance README of /work/shared/corpora. Each question's wording sits
next to the pandas code that computes its gold answer.

    python compute_gold.py            # prints "id  op  value" per question; non-zero exit on a failed assert
    python compute_gold.py --write    # also writes site_a.jsonl, site_b.jsonl, site_c.jsonl next to this file
"""
import csv
import json
import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
HANGAR = Path("/work/main/sample_hangar/docs")
PLANT = Path("/work/main/sample_plant/docs")
CORP = Path("/work/shared/corpora")

SOURCES = {
    "squawks": HANGAR / "logs/maintenance_log_2022-2024.xlsx",
    "gse": HANGAR / "logs/gse_work_records.csv",
    "parts": HANGAR / "tables/parts_catalogue.csv",
    "cmms_csv": PLANT / "work_orders/cmms_export_2022_2023.csv",
    "cmms_xlsx": PLANT / "work_orders/cmms_export_2024.xlsx",
    "torque": PLANT / "tables/torque_specs.csv",
    "excavators": CORP / "excavator_work_orders/excavators.csv",
    "fmea": CORP / "fmea_haul_truck/fmea_dataset_filled.csv",
}

# --------------------------------------------------------------------------------------
# loaders
# --------------------------------------------------------------------------------------


def load_squawks():
    """Squawk log: one sheet per year (2022, 2023, 2024); the Notes sheet is skipped.
    Some Date Reported cells are text 'DD-MMM-YYYY' (keyed from paper cards)."""
    xl = pd.read_excel(SOURCES["squawks"], sheet_name=["2022", "2023", "2024"])
    d = pd.concat([v.assign(sheet=k) for k, v in xl.items()], ignore_index=True)

    def parse(v):
        if isinstance(v, str):
            return pd.to_datetime(v.strip(), format="%d-%b-%Y")
        return pd.Timestamp(v)

    d["date"] = d["Date Reported"].map(parse)
    assert d["date"].notna().all()
    assert (d["date"].dt.year.astype(str) == d["sheet"]).all(), "a squawk sits on the wrong year sheet"
    assert d["Squawk No"].is_unique
    for c in ["Tail", "ATA", "Mechanic", "Squawk No"]:
        d[c] = d[c].astype(str).str.strip()
    return d


def load_gse():
    g = pd.read_csv(SOURCES["gse"])
    g["date"] = pd.to_datetime(g["Opened"], format="%Y-%m-%d")
    assert g["Record No"].is_unique
    return g


def load_parts():
    p = pd.read_csv(SOURCES["parts"], dtype={"ATA": str})
    assert p["Part No"].is_unique
    return p


def load_cmms():
    """One CMMS, two exports with different headers, combined into one log."""
    with open(SOURCES["cmms_csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    hdr, fixed = rows[0], []
    for r in rows[1:]:
        if len(r) == 11:  # WO-22-0070: unquoted comma inside the problem description
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == 10, r
        fixed.append(r)
    a = pd.DataFrame(fixed, columns=hdr)
    a = pd.DataFrame({
        "wo": a["WO Number"],
        "date": pd.to_datetime(a["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": a["Equipment ID"].str.strip(),
        "problem": a["Problem Description"],
        "action": a["Action Taken"],
        "code": a["Failure Code"].str.strip(),
        "cost": pd.to_numeric(a["Total Cost"].replace("", None)),
        "downtime": pd.to_numeric(a["Downtime (h)"]),
        "tech": a["Technician"].str.strip(),
        "status": a["Status"],
        "source": "csv",
    })
    b = pd.read_excel(SOURCES["cmms_xlsx"])
    b = pd.DataFrame({
        "wo": b["WONUM"].astype(str),
        "date": pd.to_datetime(b["REPORTDATE"]),
        "asset": b["ASSETNUM"].str.strip(),
        "problem": b["DESCRIPTION"],
        "action": b["REMARKS"],
        "code": b["FAILURECODE"].str.strip(),
        "cost": b["ACTTOTALCOST"].astype(float),
        "downtime": b["DOWNTIME"].astype(float),
        "tech": b["LEAD"].str.strip(),
        "status": b["STATUS"],
        "source": "xlsx",
    })
    c = pd.concat([a, b], ignore_index=True)
    assert c["wo"].is_unique
    assert c["downtime"].notna().all()
    # LEAD logins in the 2024 export ("MREYES") vs names in the CSV ("M. Reyes"): one key per person
    c["person"] = c["tech"].str.replace(".", "", regex=False).str.replace(" ", "", regex=False).str.upper()
    assert c["person"].nunique() == 8
    return c


def load_torque():
    t = pd.read_csv(SOURCES["torque"])
    t["Asset"] = t["Asset"].ffill()  # asset is written once per block
    return t


def load_excavators():
    with open(SOURCES["excavators"], encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    hdr, out = rows[0], []
    for r in rows[1:]:
        assert len(r) == 5, r
        if r[2] == "won" and r[3] == "t swing":  # "won,t swing": stray comma; this line has no cost
            r = [r[0], r[1], "won,t swing", r[4], ""]
        out.append(r)
    e = pd.DataFrame(out, columns=hdr)
    e["date"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["cost"] = pd.to_numeric(e["Cost"].replace("", None))
    e["text"] = e["OriginalShorttext"]
    assert len(e) == 5485
    return e


def load_fmea():
    f = pd.read_csv(SOURCES["fmea"])
    assert len(f) == 330
    return f


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def no_blank(series, what):
    assert series.notna().all(), f"blank value inside {what}"
    assert len(series) > 0, f"empty set for {what}"


def money(x):
    return f"{x:.2f}"


def avg2(series, what):
    no_blank(series, what)
    v = float(series.mean())
    frac = abs(v * 100 - round(v * 100))
    assert abs(frac - 0.5) > 0.01, f"average {v} sits on a rounding boundary"
    return f"{v:.2f}"


def hours(x):
    """Sums of hours booked in tenths: write plainly with one decimal, no trailing .0."""
    assert abs(x * 10 - round(x * 10)) < 1e-6, x
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def ymd(ts):
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def unique_extreme(df, col, how, what):
    no_blank(df[col], what)
    v = df[col].max() if how == "max" else df[col].min()
    rows = df[df[col] == v]
    assert len(rows) == 1, f"tie for {how} in {what}: {len(rows)} rows"
    return rows.iloc[0]


def top_n(series, n, what):
    """series: value per group. Returns the top-n index; asserts no tie at the cut."""
    s = series.sort_values(ascending=False)
    assert len(s) > n
    assert s.iloc[n - 1] != s.iloc[n], f"tie at top-{n} cut in {what}"
    assert s.iloc[:n].is_unique, f"tie inside top-{n} in {what} (order ambiguous)"
    return s.iloc[:n]


def one_row(df, what):
    assert len(df) == 1, f"{what}: expected one row, got {len(df)}"
    return df.iloc[0]


def mentions(text_series, pattern):
    return text_series.fillna("").str.contains(pattern, case=False, regex=True)


def absent_for(df, key_col, key, text_cols, pattern, what):
    """Near miss: no row of asset `key` mentions `pattern`; some other asset's row does."""
    txt = df[text_cols].fillna("").astype(str).agg(" ".join, axis=1)
    hit = mentions(txt, pattern)
    mine = df[key_col] == key
    assert mine.sum() > 0, f"{what}: asset {key} has no rows at all (wrong kind of near miss)"
    assert not (hit & mine).any(), f"{what}: {key} does mention {pattern}"
    assert (hit & ~mine).sum() > 0, f"{what}: no other asset mentions {pattern}"


# --------------------------------------------------------------------------------------
# questions
# --------------------------------------------------------------------------------------

QUESTIONS = []


def question(qid, kind, op, text):
    def deco(fn):
        QUESTIONS.append({"id": qid, "kind": kind, "op": op, "question": text, "fn": fn})
        return fn
    return deco


D = {}


def data(name):
    if name not in D:
        D[name] = globals()["load_" + name]()
    return D[name]


# ============================== SITE A: aircraft MRO ===================================

@question("pa-01", "work_order", "count",
          "Auditor here, doing a sign-off sample. How many squawks in the 2022-2024 squawk log "
          "have J. Lindqvist as the mechanic? All three year sheets.")
def pa01():
    s = data("squawks")
    n = int((s["Mechanic"] == "J. Lindqvist").sum())
    return n, f"J. Lindqvist is the mechanic on {n} squawks across the 2022, 2023 and 2024 sheets.", [str(n)]


@question("pa-02", "work_order", "count",
          "landing gear squawks (ATA 32) 2022 through 2024, whole fleet - how many total?")
def pa02():
    s = data("squawks")
    n = int((s["ATA"] == "32 Landing Gear").sum())
    return n, f"{n} squawks are booked to ATA 32 Landing Gear over 2022-2024.", [str(n)]


@question("pa-03", "work_order", "count_threshold",
          "I'm sizing the heavy-job backlog for the hangar plan. Count the squawks where the labour "
          "booked was 3 hours or more - every aircraft, all of 2022-2024.")
def pa03():
    s = data("squawks")
    no_blank(s["Labor Hrs"], "labor threshold count")
    n = int((s["Labor Hrs"] >= 3.0).sum())
    return n, f"{n} squawks have 3.0 or more labour hours booked.", [str(n)]


@question("pa-04", "work_order", "count_threshold",
          "How many squawks on N61904 came to $1,000 or higher in parts? Use the Parts Cost column, "
          "whole log.")
def pa04():
    s = data("squawks")
    x = s[s["Tail"] == "N61904"]
    no_blank(x["Parts Cost ($)"], "N61904 parts cost threshold count")
    assert not (x["Parts Cost ($)"] == 1000).any()
    n = int((x["Parts Cost ($)"] >= 1000).sum())
    return n, f"{n} of N61904's squawks have a parts cost of $1,000.00 or more.", [str(n)]


@question("pa-05", "work_order", "earliest",
          "When was the first ice & rain protection squawk (ATA 30) written up in the log? Just need "
          "the date, plus which aircraft if you have it.")
def pa05():
    s = data("squawks")
    x = s[s["ATA"] == "30 Ice and Rain Protection"]
    r = unique_extreme(x, "date", "min", "first ATA 30 squawk")
    return ymd(r["date"]), (f"The first ATA 30 squawk was {r['Squawk No']} on {r['Tail']}, reported "
                            f"{ymd(r['date'])} ({r['Discrepancy']})."), [ymd(r["date"])]


@question("pa-06", "work_order", "latest",
          "Shift lead: what's the date of the last squawk N1187T had in 2023?")
def pa06():
    s = data("squawks")
    x = s[(s["Tail"] == "N1187T") & (s["date"].dt.year == 2023)]
    r = unique_extreme(x, "date", "max", "last N1187T squawk 2023")
    return ymd(r["date"]), (f"N1187T's last 2023 squawk is {r['Squawk No']}, reported {ymd(r['date'])} "
                            f"({r['Discrepancy']})."), [ymd(r["date"])]


@question("pa-07", "work_order", "sum",
          "Give me the total cost booked against GPU-07 in the GSE work records for calendar 2023.")
def pa07():
    g = data("gse")
    x = g[(g["Unit"] == "GPU-07") & (g["date"].dt.year == 2023)]
    no_blank(x["Cost"], "GPU-07 2023 cost sum")
    v = money(x["Cost"].sum())
    return v, f"GPU-07's {len(x)} GSE records in 2023 total ${v}.", [v]


@question("pa-08", "work_order", "sum",
          "total labor hrs n5526w 2023? squawk log only pls")
def pa08():
    s = data("squawks")
    x = s[(s["Tail"] == "N5526W") & (s["date"].dt.year == 2023)]
    no_blank(x["Labor Hrs"], "N5526W 2023 labor sum")
    v = hours(x["Labor Hrs"].sum())
    return v, f"N5526W had {len(x)} squawks in 2023 totalling {v} labour hours.", [v]


@question("pa-09", "work_order", "max",
          "Which single squawk in 2023 soaked up the most labour, and how many hours was it?")
def pa09():
    s = data("squawks")
    x = s[s["date"].dt.year == 2023]
    r = unique_extreme(x, "Labor Hrs", "max", "2023 max labor")
    v = hours(r["Labor Hrs"])
    return f"{r['Squawk No']} {v}", (f"Squawk {r['Squawk No']} ({r['Tail']}, {ymd(r['date'])}, "
                                     f"{r['Discrepancy']}) booked {v} labour hours, the most in 2023."), [r["Squawk No"], v]


@question("pa-10", "table", "min",
          "Stores clerk - what's the cheapest ATA 32 (landing gear) item in the parts catalogue by "
          "unit price? Part number and price please.")
def pa10():
    p = data("parts")
    x = p[p["ATA"] == "32"]
    r = unique_extreme(x, "Unit Price", "min", "cheapest ATA 32 part")
    v = money(r["Unit Price"])
    return f"{r['Part No']} {v}", f"{r['Part No']} ({r['Description']}) at ${v} is the cheapest ATA 32 part.", [r["Part No"], v]


@question("pa-11", "work_order", "top_n",
          "Top 3 tails by number of squawks raised in 2023?")
def pa11():
    s = data("squawks")
    cnt = s[s["date"].dt.year == 2023].groupby("Tail").size()
    t = top_n(cnt, 3, "2023 squawks per tail")
    ref = ", ".join(f"{k} ({v})" for k, v in t.items())
    return " ".join(t.index), f"Most squawks in 2023: {ref}.", list(t.index)


@question("pa-12", "work_order", "group_by",
          "Can you break down the 2024 GSE spend by unit? One cost total for each piece of ground "
          "equipment, from the GSE work records.")
def pa12():
    g = data("gse")
    x = g[g["date"].dt.year == 2024]
    no_blank(x["Cost"], "2024 GSE cost by unit")
    tot = x.groupby("Unit")["Cost"].sum()
    assert len(tot) <= 8
    ref = "; ".join(f"{k}: ${money(v)}" for k, v in tot.items())
    must = []
    for k, v in tot.items():
        must += [k, money(v)]
    return ref, f"2024 GSE cost by unit - {ref}.", must


@question("pa-13", "work_order", "group_by",
          "For the 2024 landing gear squawks (ATA 32), show me the labour hours per mechanic.")
def pa13():
    s = data("squawks")
    x = s[(s["date"].dt.year == 2024) & (s["ATA"] == "32 Landing Gear")]
    no_blank(x["Labor Hrs"], "2024 ATA 32 labor by mechanic")
    tot = x.groupby("Mechanic")["Labor Hrs"].sum()
    assert len(tot) <= 8
    ref = "; ".join(f"{k}: {hours(v)} h" for k, v in tot.items())
    must = []
    for k, v in tot.items():
        must += [k, hours(v)]
    return ref, f"2024 ATA 32 labour hours by mechanic - {ref}.", must


@question("pa-14", "work_order", "average",
          "On average, how long is the tug (TUG-2) out of service per job? Mean downtime hours over all "
          "its GSE work records, to 2 decimals.")
def pa14():
    g = data("gse")
    x = g[g["Unit"] == "TUG-2"]
    v = avg2(x["Downtime (h)"], "TUG-2 average downtime")
    return v, f"TUG-2's {len(x)} GSE records average {v} hours of downtime.", [v]


@question("pa-15", "table", "lookup",
          "who's the vendor for the prop overspeed governor, lw61420?")
def pa15():
    p = data("parts")
    r = one_row(p[p["Part No"] == "LW-61420"], "LW-61420 lookup")
    return r["Vendor"], f"LW-61420 ({r['Description']}) is bought from {r['Vendor']}.", [r["Vendor"]]


@question("pa-16", "work_order", "near_miss",
          "Can you pull every squawk written up against N3342F during 2023? Need them for a records audit.")
def pa16():
    s, g = data("squawks"), data("gse")
    for df, col in [(s, "Tail"), (g, "Unit")]:
        assert not df[col].str.contains("3342", case=False).any()
    tails = ", ".join(sorted(s["Tail"].unique()))
    return "not in data", (f"N3342F does not appear in the squawk log; the log covers eight Kestrels: "
                           f"{tails}. There are no squawks to pull for it."), []


@question("pa-17", "work_order", "near_miss",
          "Apprentice here - how many times has the fuel filter been changed on the de-icer, and when "
          "was the last one?")
def pa17():
    g = data("gse")
    assert (g["Unit"] == "DEICE-1").sum() > 0
    absent_for(g, "Unit", "DEICE-1", ["Reported Problem", "Corrective Action"], r"filt|fuel", "DEICE-1 fuel filter")
    return "no record", ("None of the DEICE-1 (de-icer) GSE records mention a fuel filter or any filter; "
                         "fuel filter changes in the records are on the GPUs and the tug, not the de-icer."), []


# ============================== SITE B: stamping plant =================================

B_NOTE = "Treat the 2022-23 CSV and the 2024 workbook as one CMMS log."


@question("pb-01", "work_order", "count",
          "How many work orders has M. Reyes been the tech/lead on across 2022-2024? Treat both CMMS "
          "exports as one log (MREYES in the 2024 export is the same person).")
def pb01():
    c = data("cmms")
    n = int((c["person"] == "MREYES").sum())
    assert n == int((c["tech"] == "M. Reyes").sum() + (c["tech"] == "MREYES").sum())
    return n, f"M. Reyes (MREYES in the 2024 export) is on {n} work orders across 2022-2024.", [str(n)]


@question("pb-02", "work_order", "count",
          "Number of work orders opened in calendar 2023?")
def pb02():
    c = data("cmms")
    n = int((c["date"].dt.year == 2023).sum())
    return n, f"{n} work orders were created in 2023.", [str(n)]


@question("pb-03", "work_order", "count_threshold",
          "I'm looking at downtime for the quarterly review. " + B_NOTE + " How many jobs kept the "
          "equipment down for 3 h or longer over 2022-2024?")
def pb03():
    c = data("cmms")
    no_blank(c["downtime"], "downtime threshold count")
    n = int((c["downtime"] >= 3).sum())
    return n, f"{n} work orders record 3.0 or more hours of downtime.", [str(n)]


@question("pb-04", "work_order", "count_threshold",
          "2024 WOs with a total cost upwards of $200 - how many?")
def pb04():
    c = data("cmms")
    x = c[c["date"].dt.year == 2024]
    no_blank(x["cost"], "2024 cost threshold count")
    assert not (x["cost"] == 200).any()  # "upwards of" reads the same as > or >=
    n = int((x["cost"] > 200).sum())
    return n, f"{n} of the {len(x)} work orders in 2024 cost more than $200.", [str(n)]


@question("pb-05", "work_order", "earliest",
          "When did the oven (OVEN-1) first log a zone 2 low-temperature problem?")
def pb05():
    c = data("cmms")
    x = c[(c["asset"] == "OVEN-1") & mentions(c["problem"], r"zone 2") & mentions(c["problem"], r"temp low")]
    r = unique_extreme(x, "date", "min", "first OVEN-1 zone 2 temp low")
    return ymd(r["date"]), f"The first 'Zone 2 temp low' on OVEN-1 is {r['wo']}, created {ymd(r['date'])}.", [ymd(r["date"])]


@question("pb-06", "work_order", "latest",
          "Most recent main cylinder seal leak on press 3 - which WO and what date? " + B_NOTE)
def pb06():
    c = data("cmms")
    x = c[(c["asset"] == "PRESS-03") & mentions(c["problem"], r"main cyl") & mentions(c["problem"], r"leak")]
    r = unique_extreme(x, "date", "max", "latest PRESS-03 main cyl seal leak")
    return f"{r['wo']} {ymd(r['date'])}", (f"The latest main cylinder seal leak on PRESS-03 is WO {r['wo']}, "
                                           f"created {ymd(r['date'])}."), [r["wo"], ymd(r["date"])]


@question("pb-07", "work_order", "sum",
          "PRESS-03, calendar 2024: what did all its work orders cost in total?")
def pb07():
    c = data("cmms")
    x = c[(c["asset"] == "PRESS-03") & (c["date"].dt.year == 2024)]
    no_blank(x["cost"], "PRESS-03 2024 cost sum")
    v = money(x["cost"].sum())
    return v, f"PRESS-03's {len(x)} work orders in 2024 total ${v}.", [v]


@question("pb-08", "work_order", "sum",
          "I need the total downtime hours for ROBOT-5 from 2022 through 2024, both CMMS exports combined.")
def pb08():
    c = data("cmms")
    x = c[c["asset"] == "ROBOT-5"]
    no_blank(x["downtime"], "ROBOT-5 downtime sum")
    v = hours(x["downtime"].sum())
    return v, f"ROBOT-5's {len(x)} work orders total {v} hours of downtime.", [v]


@question("pb-09", "work_order", "max",
          "Manager question: priciest single work order in 2024, by total cost? Give me the WO number "
          "and the amount.")
def pb09():
    c = data("cmms")
    x = c[c["date"].dt.year == 2024]
    r = unique_extreme(x, "cost", "max", "2024 max cost")
    v = money(r["cost"])
    return f"{r['wo']} {v}", f"WO {r['wo']} ({r['asset']}, {r['problem']}) at ${v} is the most expensive in 2024.", [r["wo"], v]


@question("pb-10", "work_order", "min",
          "Which 2024 work order had the lowest total cost, and what was it?")
def pb10():
    c = data("cmms")
    x = c[c["date"].dt.year == 2024]
    r = unique_extreme(x, "cost", "min", "2024 min cost")
    v = money(r["cost"])
    return f"{r['wo']} {v}", f"WO {r['wo']} ({r['asset']}, {r['problem']}) at ${v} is the cheapest in 2024.", [r["wo"], v]


@question("pb-11", "work_order", "top_n",
          "Show the three assets with the most downtime hours over 2022-2024. " + B_NOTE)
def pb11():
    c = data("cmms")
    no_blank(c["downtime"], "downtime by asset")
    t = top_n(c.groupby("asset")["downtime"].sum(), 3, "downtime per asset")
    ref = ", ".join(f"{k} ({hours(v)} h)" for k, v in t.items())
    return " ".join(t.index), f"Most downtime 2022-2024: {ref}.", list(t.index)


@question("pb-12", "work_order", "group_by",
          "Reliability review: 2024 total cost broken down by failure code, please. Include every 2024 "
          "work order whatever its status.")
def pb12():
    c = data("cmms")
    x = c[c["date"].dt.year == 2024]
    no_blank(x["cost"], "2024 cost by failure code")
    tot = x.groupby("code")["cost"].sum()
    assert len(tot) <= 8
    assert tot.round(2).is_unique
    ref = "; ".join(f"{k}: ${money(v)}" for k, v in tot.items())
    must = []
    for k, v in tot.items():
        if len(k) > 2:  # "PM" is too short to be a distinctive name; its value is kept
            must.append(k)
        must.append(money(v))
    return ref, f"2024 cost by failure code - {ref}.", must


@question("pb-13", "work_order", "group_by",
          "For 2023 only, what did each of the four presses (PRESS-01 to PRESS-04) cost us in work orders?")
def pb13():
    c = data("cmms")
    x = c[(c["date"].dt.year == 2023) & c["asset"].str.match(r"PRESS-0[1-4]$")]
    no_blank(x["cost"], "2023 press cost")
    tot = x.groupby("asset")["cost"].sum()
    assert list(tot.index) == ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"]
    ref = "; ".join(f"{k}: ${money(v)}" for k, v in tot.items())
    must = []
    for k, v in tot.items():
        must += [k, money(v)]
    return ref, f"2023 work-order cost per press - {ref}.", must


@question("pb-14", "work_order", "average",
          "What's the average total cost per work order on conveyor conv12 across the whole "
          "2022-2024 log? Both exports count.")
def pb14():
    c = data("cmms")
    x = c[c["asset"] == "CONV-12"]
    v = avg2(x["cost"], "CONV-12 average cost")
    return v, f"CONV-12's {len(x)} work orders average ${v}.", [v]


@question("pb-15", "table", "lookup",
          "Fitting the main cylinder flange on PRESS-01 tonight. What torque do those bolts go to, in N·m?")
def pb15():
    t = data("torque")
    r = one_row(t[(t["Asset"] == "PRESS-01") & (t["Component"] == "Main cylinder flange bolts")], "torque lookup")
    v = str(int(r["Torque (N·m)"]))
    return v, (f"PRESS-01 main cylinder flange bolts ({r['Fastener']}, {r['Size / grade']}): {v} N·m "
               f"({int(r['Torque (lbf·ft)'])} lbf·ft), {r['Pattern / notes']}."), [v]


@question("pb-16", "work_order", "near_miss",
          "Show me the press work orders from 2021 - I want to compare them against 2022's.")
def pb16():
    c = data("cmms")
    assert not (c["date"].dt.year == 2021).any()
    lo, hi = ymd(c["date"].min()), ymd(c["date"].max())
    return "not in data", (f"The CMMS exports start in January 2022 (first WO {lo}) and run to {hi}; "
                           f"there are no 2021 work orders."), []


@question("pb-17", "work_order", "near_miss",
          "When was the light curtain on PRESS-04 last repaired?")
def pb17():
    c = data("cmms")
    absent_for(c, "asset", "PRESS-04", ["problem", "action"], r"curtain|muting", "PRESS-04 light curtain")
    return "no record", ("No PRESS-04 work order mentions a light curtain; the light curtain faults in the "
                         "log are on PRESS-02, PRESS-03 and ROBOT-5."), []


# ============================== SITE C: public data ====================================

@question("pc-01", "work_order", "count",
          "How many work orders does excavator C have in calendar 2007?")
def pc01():
    e = data("excavators")
    n = int(((e["Asset"] == "C") & (e["date"].dt.year == 2007)).sum())
    return n, f"Excavator C has {n} work orders with a start date in 2007.", [str(n)]


@question("pc-02", "fmea", "count",
          "In the haul truck FMEA, how many lines are rated severity 4?")
def pc02():
    f = data("fmea")
    no_blank(f["Severity"], "severity count")
    n = int((f["Severity"] == 4).sum())
    return n, f"{n} FMEA lines have Severity 4.", [str(n)]


@question("pc-03", "work_order", "count_threshold",
          "Planner here - for excavator C, count the work orders that cost at least $5,000. All years in "
          "the file.")
def pc03():
    e = data("excavators")
    x = e[e["Asset"] == "C"]
    no_blank(x["cost"], "excavator C cost threshold count")
    assert not (x["cost"] == 5000).any()
    n = int((x["cost"] >= 5000).sum())
    return n, f"{n} of excavator C's {len(x)} work orders cost $5,000 or more.", [str(n)]


@question("pc-04", "fmea", "count_threshold",
          "FMEA lines with RPN >= 24 - how many? (Use the RPN column as given.)")
def pc04():
    f = data("fmea")
    no_blank(f["RPN"], "RPN threshold count")
    n = int((f["RPN"] >= 24).sum())
    return n, f"{n} FMEA lines have an RPN of 24 or more.", [str(n)]


@question("pc-05", "work_order", "earliest",
          "When does excavator E's work order history begin? I need the date of its first work order.")
def pc05():
    e = data("excavators")
    x = e[e["Asset"] == "E"]
    d = x["date"].min()
    return ymd(d), (f"Excavator E's earliest work order starts {ymd(d)} "
                    f"({int((x['date'] == d).sum())} orders that day)."), [ymd(d)]


@question("pc-06", "work_order", "latest",
          "last job on excavator A that mentions the boom - what date was it?")
def pc06():
    e = data("excavators")
    x = e[(e["Asset"] == "A") & mentions(e["text"], r"boom")]
    r = unique_extreme(x, "date", "max", "latest excavator A boom job")
    return ymd(r["date"]), f"The latest boom work order on excavator A is '{r['text']}' on {ymd(r['date'])}.", [ymd(r["date"])]


@question("pc-07", "work_order", "sum",
          "Total maintenance cost for excavator A in 2008 (sum of the Cost column)?")
def pc07():
    e = data("excavators")
    x = e[(e["Asset"] == "A") & (e["date"].dt.year == 2008)]
    no_blank(x["cost"], "A 2008 cost sum")
    v = money(x["cost"].sum())
    return v, f"Excavator A's {len(x)} work orders in 2008 total {v}.", [v]


@question("pc-08", "work_order", "sum",
          "Sum up the work order costs for excavator E over the back half of 2007 (Jul-Dec).")
def pc08():
    e = data("excavators")
    x = e[(e["Asset"] == "E") & (e["date"] >= "2007-07-01") & (e["date"] <= "2007-12-31")]
    no_blank(x["cost"], "E H2 2007 cost sum")
    v = money(x["cost"].sum())
    return v, f"Excavator E's {len(x)} work orders from July to December 2007 total {v}.", [v]


@question("pc-09", "work_order", "max",
          "What was the single most expensive work order on excavator C in 2009? Date and cost.")
def pc09():
    e = data("excavators")
    x = e[(e["Asset"] == "C") & (e["date"].dt.year == 2009)]
    r = unique_extreme(x, "cost", "max", "C 2009 max cost")
    v = money(r["cost"])
    return f"{ymd(r['date'])} {v}", f"'{r['text']}' on {ymd(r['date'])} at {v} is excavator C's most expensive 2009 order.", [ymd(r["date"]), v]


@question("pc-10", "fmea", "min",
          "Reliability engineer: within the Power Unit subsystem, which FMEA line has the lowest RPN?")
def pc10():
    f = data("fmea")
    x = f[f["Subsystem"] == "Power Unit"]
    r = unique_extreme(x, "RPN", "min", "Power Unit min RPN")
    return f"{r['Sub-Component']} {r['RPN']}", (f"Lowest RPN in Power Unit: {r['Component']} / {r['Sub-Component']}, "
                                                 f"failure mode '{r['Potential Failure Mode']}', RPN {r['RPN']} "
                                                 f"(S{r['Severity']} x O{r['Occurrence']} x D{r['Detection']})."), [r["Sub-Component"], str(r["RPN"])]


@question("pc-11", "fmea", "top_n",
          "Which three components have the most lines in the haul truck FMEA?")
def pc11():
    f = data("fmea")
    t = top_n(f.groupby("Component").size(), 3, "FMEA lines per component")
    ref = ", ".join(f"{k} ({v})" for k, v in t.items())
    must = [re.sub(r"\s*\(.*\)$", "", k) for k in t.index]  # "Data Collection Unit (DCU)" -> "Data Collection Unit"
    return " | ".join(t.index), f"Most FMEA lines: {ref}.", must


@question("pc-12", "work_order", "group_by",
          "Give me 2010 maintenance spend per excavator - a total for each machine that has work orders that year.")
def pc12():
    e = data("excavators")
    x = e[e["date"].dt.year == 2010]
    no_blank(x["cost"], "2010 cost by excavator")
    tot = x.groupby("Asset")["cost"].sum()
    assert len(tot) <= 8
    ref = "; ".join(f"{k}: {money(v)}" for k, v in tot.items())
    # single-letter asset names are not distinctive; the totals are
    return ref, f"2010 cost by excavator - {ref}.", [money(v) for v in tot.values]


@question("pc-13", "fmea", "group_by",
          "I need a line count per subsystem for the haul truck FMEA.")
def pc13():
    f = data("fmea")
    cnt = f.groupby("Subsystem").size()
    assert len(cnt) <= 8
    ref = "; ".join(f"{k}: {v}" for k, v in cnt.items())
    must = []
    for k, v in cnt.items():
        must.append(k)
        if v >= 10:  # Load Frame's single-digit count is left out of must_contain (see README caveats)
            must.append(str(v))
    return ref, f"FMEA lines per subsystem - {ref}.", must


@question("pc-14", "fmea", "average",
          "Mean RPN for the fire suppression system lines? 2 dp.")
def pc14():
    f = data("fmea")
    x = f[f["Subsystem"] == "Fire Suppression System"]
    v = avg2(x["RPN"], "Fire Suppression average RPN")
    return v, f"The {len(x)} Fire Suppression System lines average an RPN of {v}.", [v]


@question("pc-15", "fmea", "lookup",
          "Power Frame, grease lines, failure mode 'Wearing' - what current controls does the FMEA list "
          "for that one? How often are the lines inspected?")
def pc15():
    f = data("fmea")
    r = one_row(f[(f["Subsystem"] == "Power Frame") & (f["Sub-Component"] == "Grease Lines")
                  & (f["Potential Failure Mode"] == "Wearing")], "grease lines lookup")
    ctl = r["Current Controls"]
    assert "125 hr" in ctl
    return "125 hr", f"Current controls: '{ctl}'", ["125"]


@question("pc-16", "work_order", "near_miss",
          "Pull the cost history for excavator F for 2008, I'm comparing it against the others.")
def pc16():
    e = data("excavators")
    assert "F" not in set(e["Asset"])
    assets = ", ".join(sorted(e["Asset"].unique()))
    return "not in data", f"There is no excavator F; the work orders cover excavators {assets} only.", []


@question("pc-17", "work_order", "near_miss",
          "Track problems on excavator A - how many work orders, and when was the latest?")
def pc17():
    e = data("excavators")
    absent_for(e, "Asset", "A", ["text"], r"track|trk|undercarriage|crawler|travel|idler|sprocket|roller",
               "excavator A tracks")
    return "no record", ("None of excavator A's work orders mention tracks (or undercarriage, travel, rollers, "
                         "idlers); track work appears only on the other excavators."), []


# --------------------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------------------

OPS = {"count", "count_threshold", "earliest", "latest", "sum", "max", "min", "top_n",
       "group_by", "average", "lookup", "near_miss"}
PLAN = {"count": 2, "count_threshold": 2, "earliest": 1, "latest": 1, "sum": 2, "max": 1, "min": 1,
        "top_n": 1, "group_by": 2, "average": 1, "lookup": 1, "near_miss": 2}


def build():
    out = {"a": [], "b": [], "c": []}
    for q in QUESTIONS:
        value, ref, must = q["fn"]()
        assert q["op"] in OPS
        answerable = q["op"] != "near_miss"
        if not answerable:
            assert must == []
        else:
            assert must, q["id"]
            for m in must:
                assert isinstance(m, str) and m.strip() == m and m, (q["id"], m)
                assert m in ref, (q["id"], m, "must_contain not in reference answer")
                assert "," not in m or not re.fullmatch(r"[\d,.]+", m), (q["id"], m)
        rec = {
            "id": q["id"],
            "question": q["question"],
            "reference_answer": ref,
            "must_contain": must,
            "gold_sources": [],
            "answerable": answerable,
            "tags": ["records", q["kind"], q["op"]],
            "split": "fresh11",
        }
        out[q["id"][1]].append(rec)
        print(f"{q['id']}  {q['op']}  {value}")
    for site, recs in out.items():
        ids = [r["id"] for r in recs]
        assert ids == [f"p{site}-{i:02d}" for i in range(1, 18)], ids
        ops = pd.Series([r["tags"][2] for r in recs]).value_counts().to_dict()
        assert ops == PLAN, (site, ops)
    return out


def main():
    out = build()
    if "--write" in sys.argv[1:]:
        for site, recs in out.items():
            with open(HERE / f"site_{site}.jsonl", "w", encoding="utf-8") as fh:
                for r in recs:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"wrote {', '.join(f'site_{s}.jsonl' for s in out)} to {HERE}")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"ASSERTION FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
