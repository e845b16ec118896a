#!/usr/bin/env python
"""Gold answers for the fresh_tables_9 blind records question set.

Written only from the raw data files listed in SOURCES (read with pandas /
openpyxl); nothing in the assistant code base was consulted.

    python compute_gold.py           # print "id  op  value" per question, exit 1 on any failed assert
    python compute_gold.py --write   # same, and write site_a.jsonl, site_b.jsonl, site_c.jsonl
"""
import csv
import json
import os
import re
import sys
from datetime import datetime

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
HANGAR = "/work/main/sample_hangar/docs"
PLANT = "/work/main/sample_plant/docs"
SHARED = "/work/shared/corpora"

SOURCES = {
    "squawks": f"{HANGAR}/logs/maintenance_log_2022-2024.xlsx",
    "gse": f"{HANGAR}/logs/gse_work_records.csv",
    "parts": f"{HANGAR}/tables/parts_catalogue.csv",
    "cmms_csv": f"{PLANT}/work_orders/cmms_export_2022_2023.csv",
    "cmms_xlsx": f"{PLANT}/work_orders/cmms_export_2024.xlsx",
    "torque": f"{PLANT}/tables/torque_specs.csv",
    "excavators": f"{SHARED}/excavator_work_orders/excavators.csv",
    "fmea": f"{SHARED}/fmea_haul_truck/fmea_dataset_filled.csv",
}

# --------------------------------------------------------------------------
# loaders
# --------------------------------------------------------------------------


def _squawk_date(v):
    # Squawks keyed from paper cards are typed as text DD-MMM-YYYY (Notes sheet);
    # the rest are real Excel dates.
    if isinstance(v, str):
        return pd.Timestamp(datetime.strptime(v.strip(), "%d-%b-%Y"))
    return pd.Timestamp(v)


def load_squawks():
    parts = []
    for sheet in ["2022", "2023", "2024"]:
        d = pd.read_excel(SOURCES["squawks"], sheet_name=sheet)
        d["sheet"] = int(sheet)
        parts.append(d)
    d = pd.concat(parts, ignore_index=True)
    d["date"] = d["Date Reported"].map(_squawk_date)
    d["year"] = d["date"].dt.year
    d["parts"] = d["Parts Cost ($)"]  # blank = invoice pending (Notes sheet)
    d["labor"] = d["Labor Hrs"]
    assert (d["year"] == d["sheet"]).all()
    assert not d["Squawk No"].duplicated().any()
    return d


def load_gse():
    g = pd.read_csv(SOURCES["gse"])
    g["date"] = pd.to_datetime(g["Opened"], format="%Y-%m-%d")
    g["year"] = g["date"].dt.year
    assert not g["Record No"].duplicated().any()
    return g


def load_parts():
    return pd.read_csv(SOURCES["parts"], dtype={"Part No": str, "ATA": str})


def load_cmms():
    """Both CMMS exports as one log with common column names."""
    with open(SOURCES["cmms_csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head, data = rows[0], []
    for r in rows[1:]:
        if len(r) == 11:  # WO-22-0070: unquoted comma inside the problem text
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        assert len(r) == 10, r
        data.append(r)
    a = pd.DataFrame(data, columns=head)
    a = pd.DataFrame({
        "wo": a["WO Number"],
        "date": pd.to_datetime(a["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": a["Equipment ID"],
        "problem": a["Problem Description"],
        "action": a["Action Taken"],
        "code": a["Failure Code"],
        "cost": pd.to_numeric(a["Total Cost"].replace("", None)),
        "downtime": pd.to_numeric(a["Downtime (h)"]),
        "tech": a["Technician"],
        "status": a["Status"],
    })
    b = pd.read_excel(SOURCES["cmms_xlsx"], dtype={"WONUM": str})
    techmap = {t.replace(". ", "").replace(" ", "").upper(): t for t in a["tech"].unique()}
    b = pd.DataFrame({
        "wo": b["WONUM"],
        "date": pd.to_datetime(b["REPORTDATE"]),
        "asset": b["ASSETNUM"],
        "problem": b["DESCRIPTION"],
        "action": b["REMARKS"],
        "code": b["FAILURECODE"],
        "cost": b["ACTTOTALCOST"].astype(float),
        "downtime": b["DOWNTIME"].astype(float),
        "tech": b["LEAD"].map(techmap),
        "status": b["STATUS"],
    })
    assert b["tech"].notna().all()
    c = pd.concat([a, b], ignore_index=True)
    c["year"] = c["date"].dt.year
    c["text"] = (c["problem"] + " | " + c["action"]).str.lower()
    assert not c["wo"].duplicated().any()
    return c


def load_torque():
    t = pd.read_csv(SOURCES["torque"])
    t["Asset"] = t["Asset"].ffill()  # asset written once per block
    return t


def load_excavators():
    with open(SOURCES["excavators"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head, data = rows[0], []
    for r in rows[1:]:
        if len(r) == 5 and r[3] == "t swing":  # line 3454: "won,t swing,PM01" (no cost)
            r = [r[0], r[1], r[2] + "," + r[3], r[4], ""]
        data.append(r)
    e = pd.DataFrame(data, columns=head)
    e["date"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["year"] = e["date"].dt.year
    e["cost"] = pd.to_numeric(e["Cost"].replace("", None))
    assert len(e) == 5485 and e["cost"].isna().sum() == 1
    assert set(e["PMType"]) <= {"PM01", "PM02", "PM04", "PM05", "PM06", "PM13"}
    return e


def load_fmea():
    return pd.read_csv(SOURCES["fmea"])


# --------------------------------------------------------------------------
# helpers and asserts
# --------------------------------------------------------------------------


def money(x):
    return f"{x:.2f}"


def hours(x):
    return f"{x:.1f}"


def day(ts):
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def no_blank(series, what):
    n = int(series.isna().sum())
    assert n == 0, f"{what}: {n} blank value(s)"


def unique_extreme(series, kind, what):
    v = series.max() if kind == "max" else series.min()
    n = int((series == v).sum())
    assert n == 1, f"{what}: {kind} {v} shared by {n} rows"
    return v


def no_tie_at_cut(series, n, what):
    s = series.sort_values(ascending=False)
    assert len(s) > n and s.iloc[n - 1] != s.iloc[n], f"{what}: tie at top-{n} cut"
    return list(s.index[:n])


def single_row(df, what):
    assert len(df) == 1, f"{what}: {len(df)} rows"
    return df.iloc[0]


def nothing_at(series, t, what):
    assert not (series == t).any(), f"{what}: a value sits exactly on the threshold {t}"


def round2_safe(v, what):
    # make sure the 2-decimal rounding is not on a knife edge
    frac = abs(v * 100 - round(v * 100))
    assert frac < 0.45, f"{what}: {v} too close to a rounding boundary"
    return f"{v:.2f}"


def absent(text_series, pattern, what):
    hits = text_series.str.contains(pattern, case=False, regex=True)
    assert not hits.any(), f"{what}: {int(hits.sum())} row(s) match {pattern!r}"


# --------------------------------------------------------------------------
# question registry
# --------------------------------------------------------------------------

QUESTIONS = []


def question(qid, kind, op, text):
    def deco(fn):
        QUESTIONS.append({"id": qid, "kind": kind, "op": op, "question": text, "fn": fn})
        return fn
    return deco


D = {}


def data():
    if not D:
        D.update(squawks=load_squawks(), gse=load_gse(), parts=load_parts(), cmms=load_cmms(),
                 torque=load_torque(), exc=load_excavators(), fmea=load_fmea())
    return D


# ==========================================================================
# SITE A  -  Harlow Field MRO (squawk log 2022-2024, GSE records, parts catalogue)
# ==========================================================================


@question("ma-01", "work_order", "count",
          "How many landing gear squawks (ATA 32) did we write up across the whole 2022-2024 log?")
def _():
    s = data()["squawks"]
    n = int(s["ATA"].str.startswith("32 ").sum())
    return n, f"{n} landing gear (ATA 32) squawks across 2022-2024.", [str(n)]


@question("ma-02", "work_order", "count",
          "how many squawks has d. ferreira signed for in total, all three years of the log?")
def _():
    s = data()["squawks"]
    n = int((s["Mechanic"] == "D. Ferreira").sum())
    return n, f"D. Ferreira is the mechanic on {n} squawks (2022-2024).", [str(n)]


@question("ma-03", "work_order", "count_threshold",
          "Stores question: in 2023, how many landing gear squawks had parts cost north of two "
          "thousand dollars?")
def _():
    s = data()["squawks"]
    d = s[(s["year"] == 2023) & s["ATA"].str.startswith("32 ")]
    no_blank(d["parts"], "ma-03 parts cost")
    nothing_at(d["parts"], 2000, "ma-03")
    n = int((d["parts"] > 2000).sum())
    return n, f"{n} ATA 32 squawks in 2023 had parts cost above $2,000.", [str(n)]


@question("ma-04", "work_order", "count_threshold",
          "Squawks with labor >= 3.0 hrs over the whole log (2022-2024) - how many?")
def _():
    s = data()["squawks"]
    no_blank(s["labor"], "ma-04 labor")
    n = int((s["labor"] >= 3.0).sum())
    return n, f"{n} squawks booked 3.0 labor hours or more.", [str(n)]


@question("ma-05", "work_order", "earliest",
          "When was N350KV's first write-up of 2024?")
def _():
    s = data()["squawks"]
    d = s[(s["Tail"] == "N350KV") & (s["year"] == 2024)]
    r = d.loc[d["date"].idxmin()]
    assert (d["date"] == r["date"]).sum() == 1
    v = day(r["date"])
    return v, f"{v} (squawk {r['Squawk No']}: {r['Discrepancy']}).", [v]


@question("ma-06", "work_order", "latest",
          "GPU-09: date of the most recent 250 h service in the ground equipment records?")
def _():
    g = data()["gse"]
    d = g[(g["Unit"] == "GPU-09") & g["Reported Problem"].str.contains("250 h service")]
    r = d.loc[d["date"].idxmax()]
    v = day(r["date"])
    return v, f"{v} (record {r['Record No']}).", [v]


@question("ma-07", "work_order", "sum",
          "For the quarterly audit: what did N61904 spend on parts across 2023? Just total the "
          "parts cost column for that tail.")
def _():
    s = data()["squawks"]
    d = s[(s["Tail"] == "N61904") & (s["year"] == 2023)]
    no_blank(d["parts"], "ma-07 parts cost")
    v = money(round(d["parts"].sum(), 2))
    return v, f"${v} in parts over {len(d)} squawks on N61904 in 2023.", [v]


@question("ma-08", "work_order", "sum",
          "Total downtime hours logged on the tug, TUG-2, during 2024?")
def _():
    g = data()["gse"]
    d = g[(g["Unit"] == "TUG-2") & (g["year"] == 2024)]
    no_blank(d["Downtime (h)"], "ma-08 downtime")
    v = hours(d["Downtime (h)"].sum())
    return v, f"{v} h of downtime over {len(d)} TUG-2 records in 2024.", [v]


@question("ma-09", "work_order", "max",
          "Which 2023 squawk had the most labour hours booked against it, and how many hours?")
def _():
    s = data()["squawks"]
    d = s[s["year"] == 2023].set_index("Squawk No")
    v = unique_extreme(d["labor"], "max", "ma-09")
    sq = d["labor"].idxmax()
    r = d.loc[sq]
    return f"{sq} {v}", (f"Squawk {sq} on {r['Tail']} ({day(r['date'])}, {r['Discrepancy']}): "
                         f"{v} labor hours."), [sq, f"{v}"]


@question("ma-10", "table", "min",
          "Cheapest part we carry from Meridian Wheel & Brake - part number and unit price?")
def _():
    p = data()["parts"]
    d = p[p["Vendor"] == "Meridian Wheel & Brake"].set_index("Part No")
    v = unique_extreme(d["Unit Price"], "min", "ma-10")
    pn = d["Unit Price"].idxmin()
    return f"{pn} {money(v)}", f"{pn} ({d.loc[pn, 'Description']}) at ${money(v)}.", [pn, money(v)]


@question("ma-11", "work_order", "top3",
          "top 3 tails by total labor hours in 2024?")
def _():
    s = data()["squawks"]
    t = s[s["year"] == 2024].groupby("Tail")["labor"].sum().round(1)
    top = no_tie_at_cut(t, 3, "ma-11")
    ref = ", ".join(f"{k} ({t[k]:.1f} h)" for k in top)
    return " ".join(top), f"1-3: {ref}.", top


@question("ma-12", "work_order", "groupby",
          "Can you break down 2023 labor hours by mechanic? Total hours per person.")
def _():
    s = data()["squawks"]
    d = s[s["year"] == 2023]
    no_blank(d["labor"], "ma-12 labor")
    t = d.groupby("Mechanic")["labor"].sum().round(1).sort_values(ascending=False)
    assert len(t) <= 8
    must = []
    for k, v in t.items():
        must += [k, hours(v)]
    ref = "; ".join(f"{k} {hours(v)} h" for k, v in t.items())
    return ref, f"2023 labor hours: {ref}.", must


@question("ma-13", "work_order", "groupby",
          "GSE repair spend per unit for 2024 - what did each piece of ground equipment cost us? "
          "(cost column of the GSE work records)")
def _():
    g = data()["gse"]
    d = g[g["year"] == 2024]
    no_blank(d["Cost"], "ma-13 cost")
    t = d.groupby("Unit")["Cost"].sum().round(2).sort_values(ascending=False)
    assert len(t) <= 8
    must = []
    for k, v in t.items():
        must += [k, money(v)]
    ref = "; ".join(f"{k} ${money(v)}" for k, v in t.items())
    return ref, f"2024 GSE cost by unit: {ref}.", must


@question("ma-14", "work_order", "average",
          "Reliability check: average downtime per work record on the de-icer DEICE-1, all years, "
          "to 2 decimals?")
def _():
    g = data()["gse"]
    d = g[g["Unit"] == "DEICE-1"]
    no_blank(d["Downtime (h)"], "ma-14 downtime")
    v = round2_safe(d["Downtime (h)"].mean(), "ma-14")
    return v, (f"{v} h per record ({d['Downtime (h)'].sum():.1f} h over {len(d)} DEICE-1 "
               f"records)."), [v]


@question("ma-15", "table", "lookup",
          "what's the unit price on the vapor cycle compressor in the parts catalogue?")
def _():
    p = data()["parts"]
    r = single_row(p[p["Description"].str.contains("COMPRESSOR, VAPOR CYCLE")], "ma-15")
    v = money(r["Unit Price"])
    return v, f"${v} each (part {r['Part No']}, {r['Description']}).", [v]


@question("ma-16", "work_order", "near_miss",
          "How many squawks did N61904 have in 2021?")
def _():
    s = data()["squawks"]
    assert (s["Tail"] == "N61904").any()
    assert s["date"].min() >= pd.Timestamp("2022-01-01")
    assert not s["Squawk No"].str.startswith("2021").any()
    return "N/A", ("The squawk log only covers 2022-2024 (sheets 2022, 2023, 2024); there is no 2021 "
                   "data, so the count for N61904 in 2021 cannot be given from the records."), []


@question("ma-17", "work_order", "near_miss",
          "N88214 - when did we last change out the windshield heat controller?")
def _():
    s = data()["squawks"]
    d = s[s["Tail"] == "N88214"]
    assert len(d) > 0
    txt = d["Discrepancy"] + " | " + d["Corrective Action"] + " | " + d["ATA"]
    absent(txt, r"windshield|windscreen|w/s|wshld|lw-30220", "ma-17")
    # it is a real fault on other tails, so the near miss is plausible
    assert s["Discrepancy"].str.contains("WINDSHIELD HEAT").sum() > 0
    return "N/A", ("No squawk for N88214 mentions the windshield or its heat controller; that fault "
                   "appears on other tails only, so there is no date for N88214."), []


# ==========================================================================
# SITE B  -  stamping plant CMMS (two exports treated as one log) + torque specs
# ==========================================================================


@question("mb-01", "work_order", "count",
          "How many work orders were opened in 2023?")
def _():
    c = data()["cmms"]
    n = int((c["year"] == 2023).sum())
    return n, f"{n} work orders were created in 2023.", [str(n)]


@question("mb-02", "work_order", "count",
          "Treating the two CMMS exports as one log, how many jobs carry the MECH failure code, "
          "2022 through 2024?")
def _():
    c = data()["cmms"]
    n = int((c["code"] == "MECH").sum())
    return n, f"{n} work orders coded MECH across 2022-2024.", [str(n)]


@question("mb-03", "work_order", "count_threshold",
          "How many 2024 work orders came in north of two hundred fifty in total cost?")
def _():
    c = data()["cmms"]
    d = c[c["year"] == 2024]
    no_blank(d["cost"], "mb-03 cost")
    nothing_at(d["cost"], 250, "mb-03")
    n = int((d["cost"] > 250).sum())
    return n, f"{n} work orders in 2024 had a total cost above 250.", [str(n)]


@question("mb-04", "work_order", "count_threshold",
          "count of WOs with downtime >= 4 h, both exports together (2022-2024)?")
def _():
    c = data()["cmms"]
    no_blank(c["downtime"], "mb-04 downtime")
    n = int((c["downtime"] >= 4).sum())
    return n, f"{n} work orders recorded 4 h or more of downtime.", [str(n)]


@question("mb-05", "work_order", "earliest",
          "First time ROBOT-4 shows up in the 2024 work orders - what date?")
def _():
    c = data()["cmms"]
    d = c[(c["asset"] == "ROBOT-4") & (c["year"] == 2024)]
    r = d.loc[d["date"].idxmin()]
    v = day(r["date"])
    return v, f"{v} (WO {r['wo']}: {r['problem']}).", [v]


@question("mb-06", "work_order", "latest",
          "When was the last work order for the oil leak at the pump case drain fitting on hpu-3?")
def _():
    c = data()["cmms"]
    d = c[(c["asset"] == "HPU-3") & c["text"].str.contains("case drain")]
    assert len(d) >= 2
    r = d.loc[d["date"].idxmax()]
    v = day(r["date"])
    return v, f"{v} (work order {r['wo']}: {r['action']}).", [v]


@question("mb-07", "work_order", "sum",
          "ROBOT-5 spend 2023? (total cost column)")
def _():
    c = data()["cmms"]
    d = c[(c["asset"] == "ROBOT-5") & (c["year"] == 2023)]
    no_blank(d["cost"], "mb-07 cost")
    v = money(round(d["cost"].sum(), 2))
    return v, f"{v} total cost over {len(d)} ROBOT-5 work orders in 2023.", [v]


@question("mb-08", "work_order", "sum",
          "Manager here - total maintenance cost across all assets for the first half of 2024 "
          "(January to June), using the total cost of each work order?")
def _():
    c = data()["cmms"]
    d = c[(c["date"] >= "2024-01-01") & (c["date"] < "2024-07-01")]
    no_blank(d["cost"], "mb-08 cost")
    v = money(round(d["cost"].sum(), 2))
    return v, f"{v} over {len(d)} work orders dated 2024-01-01 to 2024-06-30.", [v]


@question("mb-09", "work_order", "max",
          "What was the single most expensive work order in 2024, and which asset was it on?")
def _():
    c = data()["cmms"]
    d = c[c["year"] == 2024].set_index("wo")
    v = unique_extreme(d["cost"], "max", "mb-09")
    wo = d["cost"].idxmax()
    r = d.loc[wo]
    return f"{wo} {money(v)}", (f"WO {wo} on {r['asset']} ({day(r['date'])}, {r['problem']}): "
                                f"{money(v)}."), [wo, money(v), r["asset"]]


@question("mb-10", "work_order", "min",
          "Cheapest job on PRESS-03 in 2024 - WO number and cost?")
def _():
    c = data()["cmms"]
    d = c[(c["asset"] == "PRESS-03") & (c["year"] == 2024)].set_index("wo")
    no_blank(d["cost"], "mb-10 cost")
    v = unique_extreme(d["cost"], "min", "mb-10")
    wo = d["cost"].idxmin()
    return f"{wo} {money(v)}", f"WO {wo} ({d.loc[wo, 'problem']}): {money(v)}.", [wo, money(v)]


@question("mb-11", "work_order", "top3",
          "Which three assets racked up the most downtime over 2022-2024, both exports combined?")
def _():
    c = data()["cmms"]
    no_blank(c["downtime"], "mb-11 downtime")
    t = c.groupby("asset")["downtime"].sum()
    top = no_tie_at_cut(t, 3, "mb-11")
    ref = ", ".join(f"{k} ({t[k]:.1f} h)" for k in top)
    return " ".join(top), f"1-3: {ref}.", top


@question("mb-12", "work_order", "groupby",
          "Split 2024 total cost by failure code, please.")
def _():
    c = data()["cmms"]
    d = c[c["year"] == 2024]
    no_blank(d["cost"], "mb-12 cost")
    t = d.groupby("code")["cost"].sum().round(2).sort_values(ascending=False)
    assert len(t) <= 8
    must = []
    for k, v in t.items():
        must += [k, money(v)]
    ref = "; ".join(f"{k} {money(v)}" for k, v in t.items())
    return ref, f"2024 cost by failure code: {ref}.", must


@question("mb-13", "work_order", "groupby",
          "For the press line review: what did each press (PRESS-01 to PRESS-04) cost in maintenance "
          "in 2023, total cost per press?")
def _():
    c = data()["cmms"]
    d = c[(c["year"] == 2023) & c["asset"].str.startswith("PRESS-")]
    no_blank(d["cost"], "mb-13 cost")
    t = d.groupby("asset")["cost"].sum().round(2)
    assert list(t.index) == ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"]
    must = []
    for k, v in t.items():
        must += [k, money(v)]
    ref = "; ".join(f"{k} {money(v)}" for k, v in t.items())
    return ref, f"2023 cost per press: {ref}.", must


@question("mb-14", "work_order", "average",
          "Average cost per work order on ROBOT-5 over the whole log (2022-2024), to 2 decimals?")
def _():
    c = data()["cmms"]
    d = c[c["asset"] == "ROBOT-5"]
    no_blank(d["cost"], "mb-14 cost")
    v = round2_safe(d["cost"].mean(), "mb-14")
    return v, f"{v} per work order ({money(d['cost'].sum())} over {len(d)} work orders).", [v]


@question("mb-15", "table", "lookup",
          "torque for the main cylinder gland bolts on press-03?")
def _():
    t = data()["torque"]
    r = single_row(t[(t["Asset"] == "PRESS-03") & (t["Component"] == "Main cylinder gland bolts")],
                   "mb-15")
    nm = str(r["Torque (N·m)"])
    return nm, (f"{nm} N·m ({r['Torque (lbf·ft)']:g} lbf·ft), {r['Fastener']} {r['Size / grade']}, "
                f"{r['Pattern / notes']} ({r['Reference']})."), [nm]


@question("mb-16", "work_order", "near_miss",
          "How much did we spend on PRESS-05 in 2023?")
def _():
    c = data()["cmms"]
    assert not c["asset"].str.upper().str.contains("PRESS-05|PRESS-5|PRESS 05").any()
    assert not c["text"].str.contains("press-05|press 05|press-5").any()
    assert not data()["torque"]["Asset"].str.contains("PRESS-05").any()
    return "N/A", ("There is no PRESS-05 in the work orders; the presses in the log are PRESS-01 to "
                   "PRESS-04, so no 2023 spend can be given for PRESS-05."), []


@question("mb-17", "work_order", "near_miss",
          "When did the light curtain last fault on PRESS-01?")
def _():
    c = data()["cmms"]
    d = c[c["asset"] == "PRESS-01"]
    assert len(d) > 0
    absent(d["text"], r"curtain|muting|light", "mb-17")
    assert c[c["asset"] != "PRESS-01"]["text"].str.contains("light curtain").any()
    return "N/A", ("No PRESS-01 work order mentions a light curtain (light curtain faults are logged "
                   "on other assets only), so there is no date to give."), []


# ==========================================================================
# SITE C  -  public data: excavator work orders (NIST/Nestor) + haul truck FMEA
# ==========================================================================


@question("mc-01", "work_order", "count",
          "How many work orders are there for excavator A?")
def _():
    e = data()["exc"]
    n = int((e["Asset"] == "A").sum())
    return n, f"{n} work orders for excavator A (2003-2008).", [str(n)]


@question("mc-02", "fmea", "count",
          "how many lines in the haul truck FMEA fall under the Electrical System subsystem?")
def _():
    f = data()["fmea"]
    n = int((f["Subsystem"] == "Electrical System").sum())
    return n, f"{n} FMEA lines are in the Electrical System subsystem.", [str(n)]


@question("mc-03", "work_order", "count_threshold",
          "How many excavator D work orders cost more than fifty thousand dollars?")
def _():
    e = data()["exc"]
    d = e[e["Asset"] == "D"]
    no_blank(d["cost"], "mc-03 cost")
    nothing_at(d["cost"], 50000, "mc-03")
    n = int((d["cost"] > 50000).sum())
    return n, f"{n} excavator D work orders cost over $50,000.", [str(n)]


@question("mc-04", "fmea", "count_threshold",
          "FMEA: number of failure-mode lines with an RPN of 24 or higher?")
def _():
    f = data()["fmea"]
    no_blank(f["RPN"], "mc-04 RPN")
    n = int((f["RPN"] >= 24).sum())
    return n, f"{n} FMEA lines have RPN >= 24.", [str(n)]


@question("mc-05", "work_order", "earliest",
          "When does excavator E's work order history start?")
def _():
    e = data()["exc"]
    d = e[e["Asset"] == "E"]
    r = d.loc[d["date"].idxmin()]
    v = day(r["date"])
    return v, f"{v} (first excavator E work order: {r['OriginalShorttext'].strip()}).", [v]


@question("mc-06", "work_order", "latest",
          "What's the date of the last work order on excavator B?")
def _():
    e = data()["exc"]
    d = e[e["Asset"] == "B"]
    r = d.loc[d["date"].idxmax()]
    v = day(r["date"])
    # the text of that row is mangled in the source ('replace blown \\o\\" ring"'), so it is not quoted
    return v, f"{v}: excavator B's last work order; B has no records after this date.", [v]


@question("mc-07", "work_order", "sum",
          "Total cost booked to excavator A in 2005?")
def _():
    e = data()["exc"]
    d = e[(e["Asset"] == "A") & (e["year"] == 2005)]
    no_blank(d["cost"], "mc-07 cost")
    v = money(round(d["cost"].sum(), 2))
    return v, f"${v} over {len(d)} excavator A work orders in 2005.", [v]


@question("mc-08", "work_order", "sum",
          "Excavator E - what did work orders cost between March and June 2007 (1 Mar to 30 Jun "
          "inclusive)?")
def _():
    e = data()["exc"]
    d = e[(e["Asset"] == "E") & (e["date"] >= "2007-03-01") & (e["date"] <= "2007-06-30")]
    no_blank(d["cost"], "mc-08 cost")
    v = money(round(d["cost"].sum(), 2))
    return v, f"${v} over {len(d)} excavator E work orders, 2007-03-01 to 2007-06-30.", [v]


@question("mc-09", "work_order", "max",
          "Costliest single job on excavator D - when was it and how much?")
def _():
    e = data()["exc"]
    d = e[e["Asset"] == "D"]
    no_blank(d["cost"], "mc-09 cost")
    v = unique_extreme(d["cost"], "max", "mc-09")
    r = d.loc[d["cost"].idxmax()]
    dt = day(r["date"])
    return f"{dt} {money(v)}", f"{dt}, {r['OriginalShorttext'].strip()}: ${money(v)}.", [dt, money(v)]


@question("mc-10", "fmea", "min",
          "Which hydraulic system line in the FMEA has the lowest RPN, and what is the RPN?")
def _():
    f = data()["fmea"]
    d = f[f["Subsystem"] == "Hydraulic System"]
    v = unique_extreme(d["RPN"], "min", "mc-10")
    r = d.loc[d["RPN"].idxmin()]
    return f"{r['Sub-Component']} {v}", (f"{r['Component']} / {r['Sub-Component']}, "
                                         f"{r['Potential Failure Mode']}: RPN {v}."), \
        [r["Sub-Component"], str(v)]


@question("mc-11", "fmea", "top3",
          "Which 3 components have the most failure-mode lines in the FMEA?")
def _():
    f = data()["fmea"]
    t = f["Component"].value_counts()
    top = no_tie_at_cut(t, 3, "mc-11")
    ref = ", ".join(f"{k} ({t[k]} lines)" for k in top)
    must = [re.sub(r"\s*\(.*\)$", "", k) for k in top]  # name without the abbreviation
    return " | ".join(top), f"1-3: {ref}.", must


@question("mc-12", "work_order", "groupby",
          "2009 maintenance spend per excavator? Total work order cost for each machine.")
def _():
    e = data()["exc"]
    d = e[e["year"] == 2009]
    no_blank(d["cost"], "mc-12 cost")
    t = d.groupby("Asset")["cost"].sum().round(2)
    assert len(t) <= 8
    must = [money(v) for v in t.values]  # asset letters are too short to check verbatim
    ref = "; ".join(f"{k} ${money(v)}" for k, v in t.items())
    return ref, f"2009 cost by excavator: {ref}.", must


@question("mc-13", "fmea", "groupby",
          "Reliability review - average RPN per subsystem in the FMEA, 2 decimals, RPN column as "
          "recorded.")
def _():
    f = data()["fmea"]
    no_blank(f["RPN"], "mc-13 RPN")
    t = f.groupby("Subsystem")["RPN"].mean()
    assert len(t) <= 8
    must, parts = [], []
    for k, v in t.items():
        s = round2_safe(v, f"mc-13 {k}")
        s_check = s[:-1] if s.endswith("0") else s  # "10.50" checked as "10.5" (prefix of both)
        must += [k, s_check]
        parts.append(f"{k} {s}")
    ref = "; ".join(parts)
    return ref, f"Mean RPN by subsystem: {ref}.", must


@question("mc-14", "work_order", "average",
          "What's the average cost per work order for excavator A, all years, to the cent?")
def _():
    e = data()["exc"]
    d = e[e["Asset"] == "A"]
    no_blank(d["cost"], "mc-14 cost")
    v = round2_safe(d["cost"].mean(), "mc-14")
    return v, f"${v} per work order (${money(d['cost'].sum())} over {len(d)} work orders).", [v]


@question("mc-15", "fmea", "lookup",
          "In the FMEA, what current controls are listed for the turbocharger leaking?")
def _():
    f = data()["fmea"]
    r = single_row(f[(f["Sub-Component"] == "Turbocharger") &
                     f["Potential Failure Mode"].str.contains("Leak")], "mc-15")
    v = r["Current Controls"]
    assert "induction hoses" in v
    return v, f"{v} (Power Unit / {r['Component']} / Turbocharger, Leaking).", ["induction hoses"]


@question("mc-16", "work_order", "near_miss",
          "What did excavator F cost us in 2009?")
def _():
    e = data()["exc"]
    assert set(e["Asset"]) == {"A", "B", "C", "D", "E"}
    return "N/A", ("The work orders cover excavators A to E only; there is no excavator F, so no "
                   "2009 cost can be given."), []


@question("mc-17", "work_order", "near_miss",
          "When was the final drive last changed out on excavator A?")
def _():
    e = data()["exc"]
    d = e[e["Asset"] == "A"]
    assert len(d) > 0
    absent(d["OriginalShorttext"], r"final|drive|f/d|f\.d|\bfd\b|drv", "mc-17")
    assert e["OriginalShorttext"].str.contains("final drive", case=False).any()
    return "N/A", ("None of excavator A's work orders mentions a final drive (final drive jobs appear "
                   "only on other excavators), so there is no date for A."), []


# --------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------


def main(argv):
    write = "--write" in argv
    rows, failures = [], 0
    for q in QUESTIONS:
        try:
            value, ref, must = q["fn"]()
        except AssertionError as exc:
            failures += 1
            print(f"{q['id']}  {q['op']}  ASSERT FAILED: {exc}")
            continue
        answerable = q["op"] != "near_miss"
        assert answerable or must == [], q["id"]
        assert all(isinstance(m, str) and m for m in must), q["id"]
        print(f"{q['id']}  {q['op']}  {value}")
        rows.append({
            "id": q["id"],
            "question": q["question"],
            "reference_answer": ref,
            "must_contain": must,
            "gold_sources": [],
            "answerable": answerable,
            "tags": ["records", q["kind"], q["op"]],
            "split": "fresh9",
        })
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    if failures:
        print(f"{failures} question(s) failed their asserts", file=sys.stderr)
        return 1
    if write:
        for site in "abc":
            out = [r for r in rows if r["id"].startswith(f"m{site}-")]
            assert len(out) == 17, (site, len(out))
            with open(os.path.join(HERE, f"site_{site}.jsonl"), "w", encoding="utf-8") as fh:
                for r in out:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print("wrote site_a.jsonl, site_b.jsonl, site_c.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
