#!/usr/bin/env python
"""Gold answers for the fresh_tables_10 question set, computed with pandas.

Written blind: only the raw data files listed in SOURCES below were read.
Each question's wording sits next to the code that computes its gold answer.

    python compute_gold.py           # print "id  op  value" per question, exit 1 on a failed assert
    python compute_gold.py --write   # same, then write site_a.jsonl, site_b.jsonl, site_c.jsonl
"""
from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]  # datasets/fresh_tables_10 -> repository root


def _shared_corpora() -> Path:
    for cand in (REPO / "shared" / "corpora", REPO.parent / "shared" / "corpora"):
        if cand.is_dir():
            return cand
    raise SystemExit("shared/corpora not found next to the repository")


CORPORA = _shared_corpora()
SOURCES = {
    "squawk_log": REPO / "sample_hangar/docs/logs/maintenance_log_2022-2024.xlsx",
    "gse": REPO / "sample_hangar/docs/logs/gse_work_records.csv",
    "parts": REPO / "sample_hangar/docs/tables/parts_catalogue.csv",
    "cmms_csv": REPO / "sample_plant/docs/work_orders/cmms_export_2022_2023.csv",
    "cmms_xlsx": REPO / "sample_plant/docs/work_orders/cmms_export_2024.xlsx",
    "torque": REPO / "sample_plant/docs/tables/torque_specs.csv",
    "excavators": CORPORA / "excavator_work_orders/excavators.csv",
    "fmea": CORPORA / "fmea_haul_truck/fmea_dataset_filled.csv",
}

SPLIT = "fresh10"


# --------------------------------------------------------------------------- helpers
class GoldError(AssertionError):
    pass


def check(cond, msg: str) -> None:
    if not cond:
        raise GoldError(msg)


def money(x: float) -> str:
    """Money with exactly two decimals, no thousands separator."""
    return f"{round(float(x) + 0.0, 2):.2f}"


def plain(x: float) -> str:
    """A non-money figure written plainly: 115.5, 6.8, 42 (no trailing .0)."""
    x = round(float(x), 2)
    if x == int(x):
        return str(int(x))
    return f"{x:.2f}".rstrip("0")


def two_dp(x: float) -> str:
    """An average asked for to two decimals, e.g. 3.73; asserts it is not on a rounding edge."""
    scaled = float(x) * 100
    frac = scaled - math.floor(scaled)
    check(abs(frac - 0.5) > 1e-6, f"average {x!r} sits on a rounding boundary")
    return f"{round(float(x), 2):.2f}"


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def no_blanks(series: pd.Series, what: str) -> None:
    check(series.notna().all(), f"blank value inside {what}: {int(series.isna().sum())} blank(s)")


def unique_extreme(df: pd.DataFrame, col: str, how: str, what: str) -> pd.Series:
    no_blanks(df[col], what)
    target = df[col].max() if how == "max" else df[col].min()
    hits = df[df[col] == target]
    check(len(hits) == 1, f"{what}: {len(hits)} rows tie at the {how} {target}")
    return hits.iloc[0]


def top_n_no_tie(s: pd.Series, n: int, what: str) -> pd.Series:
    s = s.sort_values(ascending=False)
    check(len(s) > n, f"{what}: fewer than {n + 1} groups")
    check(round(s.iloc[n - 1], 6) != round(s.iloc[n], 6), f"{what}: tie at the top-{n} cut-off")
    vals = [round(v, 6) for v in s.iloc[:n]]
    check(len(set(vals)) == n, f"{what}: tie inside the top {n}")
    return s.iloc[:n]


def one_row(df: pd.DataFrame, what: str) -> pd.Series:
    check(len(df) == 1, f"{what}: lookup matched {len(df)} rows, expected 1")
    return df.iloc[0]


def mentions(text: pd.Series, words) -> pd.Series:
    t = text.fillna("").str.lower()
    hit = pd.Series(False, index=text.index)
    for w in words:
        hit |= t.str.contains(w.lower(), regex=False)
    return hit


# --------------------------------------------------------------------------- loaders
def load_squawks() -> pd.DataFrame:
    """Site A squawk log: sheets 2022/2023/2024 (Notes sheet skipped); text dates are DD-MMM-YYYY."""
    frames = []
    for sheet in ("2022", "2023", "2024"):
        d = pd.read_excel(SOURCES["squawk_log"], sheet_name=sheet, dtype=object)
        d["sheet"] = sheet
        frames.append(d)
    a = pd.concat(frames, ignore_index=True)

    def to_date(v):
        if isinstance(v, str):
            return pd.to_datetime(v.strip(), format="%d-%b-%Y")
        return pd.Timestamp(v)

    a["date"] = a["Date Reported"].map(to_date)
    a["hrs"] = pd.to_numeric(a["Labor Hrs"])
    a["cost"] = pd.to_numeric(a["Parts Cost ($)"])
    a["y"] = a["date"].dt.year
    check((a["y"].astype(str) == a["sheet"]).all(), "a squawk's date year differs from its sheet")
    check(not a["Squawk No"].duplicated().any(), "duplicate squawk numbers")
    a["text"] = a["Discrepancy"].astype(str) + " " + a["Corrective Action"].astype(str)
    return a


def load_gse() -> pd.DataFrame:
    g = pd.read_csv(SOURCES["gse"])
    g["d"] = pd.to_datetime(g["Opened"], format="%Y-%m-%d")
    g["y"] = g["d"].dt.year
    g["text"] = g["Reported Problem"].astype(str) + " " + g["Corrective Action"].astype(str)
    return g


def load_parts() -> pd.DataFrame:
    return pd.read_csv(SOURCES["parts"])


# 2024 export names the lead technician by a login; map to the 2022-23 spelling.
LEAD_TO_NAME = {
    "MREYES": "M. Reyes", "SNOVAK": "S. Novak", "DKOWALSKI": "D. Kowalski", "KOSEI": "K. Osei",
    "TOKAFOR": "T. Okafor", "JLINDQVIST": "J. Lindqvist", "RBRENNAN": "R. Brennan",
    "AFERREIRA": "A. Ferreira",
}


def load_cmms() -> pd.DataFrame:
    """Site B: the 2022-23 CSV and the 2024 workbook as one log with common column names.

    The CSV has one row (WO-22-0070) whose description holds an unquoted comma; rejoin it.
    """
    with open(SOURCES["cmms_csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], []
    for r in rows[1:]:
        if len(r) == len(header) + 1:  # stray comma inside Problem Description
            r = r[:3] + [r[3] + "," + r[4]] + r[5:]
        check(len(r) == len(header), f"unexpected CSV row width {len(r)}: {r[:1]}")
        body.append(r)
    c = pd.DataFrame(body, columns=header)
    one = pd.DataFrame({
        "wo": c["WO Number"],
        "date": pd.to_datetime(c["Date Created"], format="%Y-%m-%d %H:%M"),
        "asset": c["Equipment ID"].str.strip(),
        "problem": c["Problem Description"],
        "action": c["Action Taken"],
        "code": c["Failure Code"].str.strip(),
        "cost": pd.to_numeric(c["Total Cost"].str.strip().replace("", None)),
        "down": pd.to_numeric(c["Downtime (h)"]),
        "tech": c["Technician"],
        "status": c["Status"],
        "src": "csv",
    })
    x = pd.read_excel(SOURCES["cmms_xlsx"], dtype=object)
    check(set(x["LEAD"]) <= set(LEAD_TO_NAME), "unknown LEAD code in the 2024 export")
    two = pd.DataFrame({
        "wo": x["WONUM"].astype(str),
        "date": pd.to_datetime(x["REPORTDATE"]),
        "asset": x["ASSETNUM"].astype(str).str.strip(),
        "problem": x["DESCRIPTION"],
        "action": x["REMARKS"],
        "code": x["FAILURECODE"].astype(str).str.strip(),
        "cost": pd.to_numeric(x["ACTTOTALCOST"]),
        "down": pd.to_numeric(x["DOWNTIME"]),
        "tech": x["LEAD"].map(LEAD_TO_NAME),
        "status": x["STATUS"],
        "worktype": x["WORKTYPE"],
        "src": "xlsx",
    })
    b = pd.concat([one, two], ignore_index=True)
    b["y"] = b["date"].dt.year
    check(set(one["date"].dt.year) == {2022, 2023}, "CSV export is not 2022-2023")
    check(set(two["date"].dt.year) == {2024}, "xlsx export is not 2024")
    check(not b["wo"].duplicated().any(), "duplicate WO numbers across the exports")
    b["text"] = b["problem"].astype(str) + " " + b["action"].astype(str)
    return b


def load_torque() -> pd.DataFrame:
    t = pd.read_csv(SOURCES["torque"])
    t["asset_filled"] = t["Asset"].ffill()  # blank Asset = same asset as the row above
    return t


def load_excavators() -> pd.DataFrame:
    """Site C excavators. Line 3454 reads `2003-12-31,B,won,t swing,PM01`: the comma inside
    "won,t swing" shifts the columns. Re-seat it: text "won,t swing", PMType PM01, Cost blank."""
    e = pd.read_csv(SOURCES["excavators"], dtype=str, keep_default_na=False)
    bad = ~e["PMType"].str.match(r"^PM\d\d$")
    check(bad.sum() == 1, f"expected one shifted excavator row, found {int(bad.sum())}")
    e.loc[bad, "OriginalShorttext"] = e.loc[bad, "OriginalShorttext"] + "," + e.loc[bad, "PMType"]
    e.loc[bad, "PMType"] = e.loc[bad, "Cost"]
    e.loc[bad, "Cost"] = ""
    e["cost"] = pd.to_numeric(e["Cost"].replace("", None))
    e["d"] = pd.to_datetime(e["BscStartDate"], format="%Y-%m-%d")
    e["y"] = e["d"].dt.year
    e["dup"] = e.duplicated(["BscStartDate", "Asset", "OriginalShorttext", "PMType", "Cost"], keep=False)
    return e


def load_fmea() -> pd.DataFrame:
    return pd.read_csv(SOURCES["fmea"])


# --------------------------------------------------------------------------- question registry
QUESTIONS: list[dict] = []


def q(qid: str, kind: str, op: str, question: str, answerable: bool = True):
    site = {"na": "a", "nb": "b", "nc": "c"}[qid[:2]]

    def deco(fn):
        QUESTIONS.append(dict(id=qid, site=site, kind=kind, op=op, question=question,
                              answerable=answerable, fn=fn))
        return fn

    return deco


D: dict[str, pd.DataFrame] = {}


def data(name: str) -> pd.DataFrame:
    if name not in D:
        D[name] = {
            "a": load_squawks, "gse": load_gse, "parts": load_parts, "b": load_cmms,
            "torque": load_torque, "e": load_excavators, "f": load_fmea,
        }[name]()
    return D[name]


def result(value, reference: str, must: list[str]):
    return dict(value=value, reference=reference, must=must)


# =========================================================================== SITE A
@q("na-01", "work_order", "count",
   "Quick one for the fleet review: how many squawks did N4821K rack up over the whole log, 2022 through 2024?")
def na01():
    a = data("a")
    n = int((a["Tail"] == "N4821K").sum())
    return result(n, f"N4821K has {n} squawks in the 2022-2024 log (all three year sheets).", [str(n)])


@q("na-02", "work_order", "count",
   "landing gear squawks (ATA 32) in calendar 2024 - how many?")
def na02():
    a = data("a")
    s = a[(a["y"] == 2024) & a["ATA"].astype(str).str.match(r"^32\b")]
    check(set(s["ATA"]) == {"32 Landing Gear"}, "ATA 32 label is not uniform")
    n = len(s)
    return result(n, f"{n} squawks were written up under ATA 32 Landing Gear in 2024.", [str(n)])


@q("na-03", "work_order", "count_threshold",
   "I'm sizing next year's labour budget. How many of the 2024 squawks booked 3.0 labor hours or more?")
def na03():
    a = data("a")
    s = a[a["y"] == 2024]
    no_blanks(s["hrs"], "2024 labor hours")
    n = int((s["hrs"] >= 3.0).sum())
    at = int((s["hrs"] == 3.0).sum())
    check(at > 0, "no squawk sits exactly at 3.0 h (boundary not exercised)")
    return result(n, f"{n} of the 2024 squawks booked 3.0 labor hours or more ({at} of them exactly 3.0 h).",
                  [str(n)])


@q("na-04", "table", "count_threshold",
   "stores check - how many part numbers in the parts catalogue have a lead time longer than 30 days?")
def na04():
    p = data("parts")
    no_blanks(p["Lead Time (days)"], "lead times")
    n = int((p["Lead Time (days)"] > 30).sum())
    at = int((p["Lead Time (days)"] == 30).sum())
    return result(n, f"{n} catalogue part numbers have a lead time over 30 days "
                     f"({at} more sit at exactly 30 days and are not counted).", [str(n)])


@q("na-05", "work_order", "earliest",
   "When did we first R&R a prop overspeed governor in the squawk log, and which tail was it?")
def na05():
    a = data("a")
    gov = a[mentions(a["text"], ["OVERSPEED GOV", "LW-61420"])]
    rr = gov[gov["Corrective Action"].str.contains("LW-61420", regex=False)]
    first_day = rr["date"].min()
    row = one_row(rr[rr["date"] == first_day], "first governor R&R")
    check(gov["date"].min() == first_day, "an earlier governor write-up exists without a replacement")
    return result(day(first_day),
                  f"The first prop overspeed governor replacement (LW-61420) was on {day(first_day)}, "
                  f"squawk {row['Squawk No']} on {row['Tail']}.",
                  [day(first_day), row["Tail"]])


@q("na-06", "work_order", "latest",
   "last time tug 2 needed a new tow bar shear pin? date pls")
def na06():
    g = data("gse")
    s = g[(g["Unit"] == "TUG-2") & mentions(g["text"], ["shear pin"])]
    check(s["Corrective Action"].str.contains("Replaced shear pin").all(), "a shear-pin record is not a replacement")
    last = s["d"].max()
    row = one_row(s[s["d"] == last], "last shear pin")
    return result(day(last), f"TUG-2's tow bar shear pin was last replaced on {day(last)} "
                             f"(GSE record {row['Record No']}).", [day(last)])


@q("na-07", "work_order", "sum",
   "n7093r parts $ for 2023? (Parts Cost column, every 2023 squawk on that tail)")
def na07():
    a = data("a")
    s = a[(a["Tail"] == "N7093R") & (a["y"] == 2023)]
    no_blanks(s["cost"], "N7093R 2023 parts cost")
    v = s["cost"].sum()
    return result(money(v), f"N7093R's 2023 squawks carry ${money(v)} in parts cost ({len(s)} squawks).",
                  [money(v)])


@q("na-08", "work_order", "sum",
   "Can you pull the total downtime hours on TUG-2 from the GSE work records for the first half of 2024?")
def na08():
    g = data("gse")
    s = g[(g["Unit"] == "TUG-2") & (g["d"] >= "2024-01-01") & (g["d"] < "2024-07-01")]
    no_blanks(s["Downtime (h)"], "TUG-2 H1 2024 downtime")
    v = s["Downtime (h)"].sum()
    return result(plain(v), f"TUG-2 logged {plain(v)} hours of downtime from January to June 2024 "
                            f"({len(s)} GSE records).", [plain(v)])


@q("na-09", "work_order", "max",
   "Which single squawk on N27315 took the most labor hours? Give me the squawk number and the hours.")
def na09():
    a = data("a")
    row = unique_extreme(a[a["Tail"] == "N27315"], "hrs", "max", "N27315 labor hours")
    return result(f"{row['Squawk No']} {plain(row['hrs'])}",
                  f"Squawk {row['Squawk No']} ({day(row['date'])}, {row['Discrepancy']}) booked "
                  f"{plain(row['hrs'])} labor hours, the most for N27315.",
                  [row["Squawk No"], plain(row["hrs"])])


@q("na-10", "table", "min",
   "What's the cheapest item we buy from Tri-Valley Rotables? Part number and unit price from the catalogue.")
def na10():
    p = data("parts")
    row = unique_extreme(p[p["Vendor"] == "Tri-Valley Rotables"], "Unit Price", "min", "Tri-Valley unit price")
    return result(f"{row['Part No']} {money(row['Unit Price'])}",
                  f"The cheapest Tri-Valley Rotables item is {row['Part No']} ({row['Description']}) "
                  f"at ${money(row['Unit Price'])}.",
                  [row["Part No"], money(row["Unit Price"])])


@q("na-11", "work_order", "top_n",
   "Which 3 aircraft soaked up the most labor hours in 2023? Just the tails, highest first.")
def na11():
    a = data("a")
    s = a[a["y"] == 2023]
    no_blanks(s["hrs"], "2023 labor hours")
    top = top_n_no_tie(s.groupby("Tail")["hrs"].sum(), 3, "2023 labor hours by tail")
    desc = ", ".join(f"{k} ({plain(v)} h)" for k, v in top.items())
    return result(" > ".join(top.index), f"Top 3 tails by 2023 labor hours: {desc}.", list(top.index))


@q("na-12", "work_order", "group_by",
   "Give me 2024 labor hours per mechanic, all six of them.")
def na12():
    a = data("a")
    s = a[a["y"] == 2024]
    no_blanks(s["hrs"], "2024 labor hours")
    grp = s.groupby("Mechanic")["hrs"].sum().round(2)
    check(len(grp) == 6, f"expected 6 mechanics, got {len(grp)}")
    check(grp.nunique() == len(grp), "two mechanics share a total")
    must = []
    for k, v in grp.items():
        must += [k, plain(v)]
    desc = "; ".join(f"{k} {plain(v)} h" for k, v in grp.items())
    return result(desc, f"2024 labor hours by mechanic: {desc}.", must)


@q("na-13", "work_order", "group_by",
   "GSE cost by unit for 2024 please (GPU-07, GPU-09, TUG-2, DEICE-1) - it's for the equipment replacement memo.")
def na13():
    g = data("gse")
    s = g[g["y"] == 2024]
    no_blanks(s["Cost"], "2024 GSE cost")
    grp = s.groupby("Unit")["Cost"].sum()
    check(set(grp.index) == {"GPU-07", "GPU-09", "TUG-2", "DEICE-1"}, "unexpected GSE units")
    must = []
    for k, v in grp.items():
        must += [k, money(v)]
    desc = "; ".join(f"{k} ${money(v)}" for k, v in grp.items())
    return result(desc, f"2024 GSE cost by unit: {desc}.", must)


@q("na-14", "work_order", "average",
   "For the reliability review: average labor hours per ATA 27 flight controls squawk in 2023, to 2 decimals.")
def na14():
    a = data("a")
    s = a[(a["y"] == 2023) & a["ATA"].astype(str).str.match(r"^27\b")]
    no_blanks(s["hrs"], "2023 ATA 27 labor hours")
    v = s["hrs"].mean()
    return result(two_dp(v), f"The {len(s)} ATA 27 Flight Controls squawks of 2023 averaged "
                             f"{two_dp(v)} labor hours ({plain(s['hrs'].sum())} h in total).", [two_dp(v)])


@q("na-15", "work_order", "lookup",
   "what date was squawk 2022-0309 written up?")
def na15():
    a = data("a")
    row = one_row(a[a["Squawk No"] == "2022-0309"], "squawk 2022-0309")
    check(isinstance(row["Date Reported"], str), "2022-0309 was expected to carry a text date")
    return result(day(row["date"]), f"Squawk 2022-0309 ({row['Tail']}, {row['Discrepancy']}) was reported on "
                                    f"{day(row['date'])} (stored as text '{row['Date Reported']}').",
                  [day(row["date"])])


@q("na-16", "work_order", "near_miss",
   "How many squawks has N5562W had since January 2022?", answerable=False)
def na16():
    a, g = data("a"), data("gse")
    tails = set(a["Tail"])
    check("N5562W" not in tails, "N5562W is in the log")
    check(not a["text"].str.contains("5562", regex=False).any(), "5562 appears in squawk text")
    check(not g["Unit"].str.contains("5562", regex=False).any(), "5562 appears as a GSE unit")
    check("N5526W" in tails, "the look-alike tail N5526W should exist")
    return result("not in data",
                  "N5562W is not in the squawk log: the fleet is N1187T, N27315, N350KV, N4821K, N5526W, "
                  "N61904, N7093R and N88214 (note the similar N5526W). No answer can be given for N5562W.", [])


@q("na-17", "work_order", "near_miss",
   "When was the anti-collision beacon last replaced on N61904?", answerable=False)
def na17():
    a = data("a")
    words = ["beacon", "bcn", "anti-col", "anticol", "anti col", "strobe", "LW-33210"]
    own = a[a["Tail"] == "N61904"]
    check(len(own) > 0, "N61904 missing")
    check(not mentions(own["text"], words).any(), "an N61904 squawk mentions the beacon")
    others = a[(a["Tail"] != "N61904") & mentions(a["text"], words)]
    check(len(others) > 0, "no other tail mentions the beacon (near miss not near)")
    return result("no record",
                  "No N61904 squawk in 2022-2024 mentions the beacon, so there is no replacement date to give "
                  f"(beacon write-ups exist only for {', '.join(sorted(others['Tail'].unique()))}).", [])


# =========================================================================== SITE B
@q("nb-01", "work_order", "count",
   "Treating the 2022-23 CSV and the 2024 workbook as one log: how many work orders did PRESS-03 get from 2022 through 2024?")
def nb01():
    b = data("b")
    n = int((b["asset"] == "PRESS-03").sum())
    return result(n, f"PRESS-03 has {n} work orders across both exports (2022-2024).", [str(n)])


@q("nb-02", "work_order", "count",
   "# of PM work orders (failure code PM) in the CMMS, both exports together?")
def nb02():
    b = data("b")
    n = int((b["code"] == "PM").sum())
    x = b[b["src"] == "xlsx"]
    check(((x["code"] == "PM") == (x["worktype"] == "PM")).all(), "2024 failure code PM and work type PM disagree")
    return result(n, f"{n} work orders carry failure code PM across the 2022-23 and 2024 exports.", [str(n)])


@q("nb-03", "work_order", "count_threshold",
   "How many jobs had downtime >= 4 h? Whole 2022-2024 log, both exports.")
def nb03():
    b = data("b")
    no_blanks(b["down"], "downtime")
    n = int((b["down"] >= 4).sum())
    at = int((b["down"] == 4).sum())
    check(at > 0, "boundary not exercised")
    return result(n, f"{n} work orders had 4 h or more of downtime ({at} of them exactly 4 h).", [str(n)])


@q("nb-04", "work_order", "count_threshold",
   "Between March and June 2023, how many work orders came in at no more than $100 total cost?")
def nb04():
    b = data("b")
    s = b[(b["date"] >= "2023-03-01") & (b["date"] < "2023-07-01")]
    no_blanks(s["cost"], "Mar-Jun 2023 cost")
    n = int((s["cost"] <= 100).sum())
    return result(n, f"{n} of the {len(s)} work orders raised March-June 2023 cost $100.00 or less.", [str(n)])


@q("nb-05", "work_order", "earliest",
   "When was the teach pendant enabling switch on robot 5 first reported faulty? Need the WO number too.")
def nb05():
    b = data("b")
    s = b[(b["asset"] == "ROBOT-5") & mentions(b["text"], ["teach pendant", "enabling switch"])]
    first = s["date"].min()
    row = one_row(s[s["date"] == first], "first ROBOT-5 teach pendant WO")
    return result(f"{day(first)} {row['wo']}",
                  f"The first ROBOT-5 teach pendant enabling switch fault was {row['wo']} on {day(first)}.",
                  [day(first), row["wo"]])


@q("nb-06", "work_order", "latest",
   "Most recent main cylinder seal leak on press 3 - date and work order number?")
def nb06():
    b = data("b")
    s = b[(b["asset"] == "PRESS-03") & b["problem"].str.upper().str.contains("MAIN CYL SEAL", regex=False)]
    seal = b[(b["asset"] == "PRESS-03") & b["action"].str.contains("SEAL-0932", regex=False)]
    check(set(s["wo"]) == set(seal["wo"]), "main-cyl-seal problem rows and SEAL-0932 rows disagree")
    last = s["date"].max()
    row = one_row(s[s["date"] == last], "latest PRESS-03 seal leak")
    return result(f"{day(last)} {row['wo']}",
                  f"The latest PRESS-03 main cylinder seal leak is WO {row['wo']} on {day(last)} "
                  f"({row['action']}).", [day(last), row["wo"]])


@q("nb-07", "work_order", "sum",
   "robot5 spend 2024?")
def nb07():
    b = data("b")
    s = b[(b["asset"] == "ROBOT-5") & (b["y"] == 2024)]
    no_blanks(s["cost"], "ROBOT-5 2024 cost")
    v = s["cost"].sum()
    return result(money(v), f"ROBOT-5's 2024 work orders total ${money(v)} ({len(s)} WOs, total cost column).",
                  [money(v)])


@q("nb-08", "work_order", "sum",
   "I need total downtime hours for OVEN-1 over 2022 to 2024, both CMMS exports counted.")
def nb08():
    b = data("b")
    s = b[b["asset"] == "OVEN-1"]
    no_blanks(s["down"], "OVEN-1 downtime")
    v = s["down"].sum()
    return result(plain(v), f"OVEN-1 logged {plain(v)} hours of downtime across {len(s)} work orders, 2022-2024.",
                  [plain(v)])


@q("nb-09", "work_order", "max",
   "What was the single most expensive work order on PRESS-04 in the whole log? WO number and cost please.")
def nb09():
    b = data("b")
    row = unique_extreme(b[b["asset"] == "PRESS-04"], "cost", "max", "PRESS-04 cost")
    return result(f"{row['wo']} {money(row['cost'])}",
                  f"The most expensive PRESS-04 job is {row['wo']} ({day(row['date'])}, {row['problem']}) "
                  f"at ${money(row['cost'])}.", [row["wo"], money(row["cost"])])


@q("nb-10", "work_order", "min",
   "Cheapest work order ever raised on conv12 - which WO and how much?")
def nb10():
    b = data("b")
    row = unique_extreme(b[b["asset"] == "CONV-12"], "cost", "min", "CONV-12 cost")
    return result(f"{row['wo']} {money(row['cost'])}",
                  f"The cheapest CONV-12 work order is {row['wo']} ({day(row['date'])}, {row['problem']}) "
                  f"at ${money(row['cost'])}.", [row["wo"], money(row["cost"])])


@q("nb-11", "work_order", "top_n",
   "Which three machines cost us the most in 2024? Top 3 by total cost.")
def nb11():
    b = data("b")
    s = b[b["y"] == 2024]
    no_blanks(s["cost"], "2024 cost")
    top = top_n_no_tie(s.groupby("asset")["cost"].sum(), 3, "2024 cost by asset")
    desc = ", ".join(f"{k} (${money(v)})" for k, v in top.items())
    return result(" > ".join(top.index), f"Top 3 assets by 2024 total cost: {desc}.", list(top.index))


@q("nb-12", "work_order", "group_by",
   "Break down 2024 maintenance spend by failure code, please - every 2024 WO, open or closed.")
def nb12():
    b = data("b")
    s = b[b["y"] == 2024]
    no_blanks(s["cost"], "2024 cost")
    grp = s.groupby("code")["cost"].sum()
    check(len(grp) <= 8, "more than 8 groups")
    check(grp.round(2).nunique() == len(grp), "two codes share a total")
    must = []
    for k, v in grp.items():
        must += [k, money(v)]
    desc = "; ".join(f"{k} ${money(v)}" for k, v in grp.items())
    still_open = s.loc[s["status"] == "INPRG", "wo"].tolist()
    return result(desc, f"2024 total cost by failure code: {desc}. Open work orders included "
                        f"({', '.join(still_open) or 'none'} still in progress).", must)


@q("nb-13", "work_order", "group_by",
   "Spend per press, PRESS-01 through PRESS-04, for 2022-2024 combined (total cost, both exports, open WOs included).")
def nb13():
    b = data("b")
    s = b[b["asset"].isin(["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04"])]
    no_blanks(s["cost"], "press cost")
    grp = s.groupby("asset")["cost"].sum()
    check(len(grp) == 4, "expected 4 presses")
    must = []
    for k, v in grp.items():
        must += [k, money(v)]
    desc = "; ".join(f"{k} ${money(v)}" for k, v in grp.items())
    still_open = s.loc[s["status"] == "INPRG", "wo"].tolist()
    return result(desc, f"Total cost per press, 2022-2024: {desc}. Open work orders included "
                        f"({', '.join(still_open) or 'none'} still in progress).", must)


@q("nb-14", "work_order", "average",
   "What's the average cost per work order on HPU-3 across the whole 2022-2024 log? Two decimals is fine.")
def nb14():
    b = data("b")
    s = b[b["asset"] == "HPU-3"]
    no_blanks(s["cost"], "HPU-3 cost")
    v = s["cost"].mean()
    return result(two_dp(v), f"HPU-3's {len(s)} work orders average ${two_dp(v)} "
                             f"(${money(s['cost'].sum())} in total).", [two_dp(v)])


@q("nb-15", "table", "lookup",
   "torque for the lower die strap clamp bolts on press 3?")
def nb15():
    t = data("torque")
    row = one_row(t[(t["asset_filled"] == "PRESS-03") &
                    t["Component"].str.contains("Lower die strap clamp", case=False, regex=False)],
                  "PRESS-03 lower die strap clamp torque")
    nm, lbf = row["Torque (N·m)"], row["Torque (lbf·ft)"]
    return result(plain(nm), f"PRESS-03 lower die strap clamp bolts ({row['Fastener']}, {row['Size / grade']}): "
                             f"{plain(nm)} N·m ({plain(lbf)} lbf·ft), {row['Pattern / notes']} "
                             f"({row['Reference']}).", [plain(nm)])


@q("nb-16", "work_order", "near_miss",
   "How many work orders did PRESS-05 have in 2023?", answerable=False)
def nb16():
    b, t = data("b"), data("torque")
    check("PRESS-05" not in set(b["asset"]), "PRESS-05 exists")
    check(not b["text"].str.upper().str.contains("PRESS-05|PRESS 05|PRESS5", regex=True).any(), "PRESS-05 in text")
    check(not t["Asset"].astype(str).str.contains("PRESS-05", regex=False).any(), "PRESS-05 in torque table")
    presses = sorted(a for a in set(b["asset"]) if a.startswith("PRESS"))
    return result("not in data", f"There is no PRESS-05 in the CMMS exports; the presses are {', '.join(presses)}.",
                  [])


@q("nb-17", "work_order", "near_miss",
   "When was the light curtain on PRESS-01 last repaired?", answerable=False)
def nb17():
    b = data("b")
    words = ["light curtain", "light-curtain", "curtain", "muting"]
    own = b[b["asset"] == "PRESS-01"]
    check(len(own) > 0, "PRESS-01 missing")
    check(not mentions(own["text"], words).any(), "a PRESS-01 WO mentions the light curtain")
    others = b[(b["asset"] != "PRESS-01") & mentions(b["text"], words)]
    check(len(others) > 0, "no other asset mentions a light curtain")
    return result("no record",
                  "No PRESS-01 work order in 2022-2024 mentions the light curtain (light-curtain work orders exist "
                  f"only for {', '.join(sorted(others['asset'].unique()))}).", [])


# =========================================================================== SITE C
@q("nc-01", "work_order", "count",
   "How many work orders did excavator A have in calendar 2008?")
def nc01():
    e = data("e")
    s = e[(e["Asset"] == "A") & (e["y"] == 2008)]
    check(not s["dup"].any(), "duplicate lines inside the counted set")
    n = len(s)
    return result(n, f"Excavator A has {n} work orders dated in 2008.", [str(n)])


@q("nc-02", "fmea", "count",
   "haul truck FMEA: how many lines have nothing in the recommended action column?")
def nc02():
    f = data("f")
    n = int(f["Recommended Action"].isna().sum() +
            (f["Recommended Action"].astype(str).str.strip() == "").sum())
    return result(n, f"{n} of the {len(f)} FMEA lines have no recommended action.", [str(n)])


@q("nc-03", "work_order", "count_threshold",
   "From 2007 through 2008, how many excavator A work orders cost at least $1,000?")
def nc03():
    e = data("e")
    s = e[(e["Asset"] == "A") & e["y"].isin([2007, 2008])]
    no_blanks(s["cost"], "A 2007-2008 cost")
    check(not s["dup"].any(), "duplicate lines inside the counted set")
    n = int((s["cost"] >= 1000).sum())
    return result(n, f"{n} of excavator A's {len(s)} work orders in 2007-2008 cost $1,000 or more.", [str(n)])


@q("nc-04", "fmea", "count_threshold",
   "How many FMEA lines have an RPN of 24 or higher (RPN as listed)?")
def nc04():
    f = data("f")
    no_blanks(f["RPN"], "RPN")
    n = int((f["RPN"] >= 24).sum())
    recomputed = int(((f["Severity"] * f["Occurrence"] * f["Detection"]) >= 24).sum())
    check(n == recomputed, "listed RPN and S*O*D disagree at the threshold")
    return result(n, f"{n} FMEA lines have an RPN of 24 or more.", [str(n)])


@q("nc-05", "work_order", "earliest",
   "When does excavator E first show up in the work orders? earliest date")
def nc05():
    e = data("e")
    v = e.loc[e["Asset"] == "E", "d"].min()
    return result(day(v), f"Excavator E's earliest work order is dated {day(v)}.", [day(v)])


@q("nc-06", "work_order", "latest",
   "what's the last work order date we have for excavator B?")
def nc06():
    e = data("e")
    v = e.loc[e["Asset"] == "B", "d"].max()
    return result(day(v), f"Excavator B's last work order is dated {day(v)}.", [day(v)])


@q("nc-07", "work_order", "sum",
   "Total cost for excavator A, calendar 2008.")
def nc07():
    e = data("e")
    s = e[(e["Asset"] == "A") & (e["y"] == 2008)]
    no_blanks(s["cost"], "A 2008 cost")
    check(not s["dup"].any(), "duplicate lines inside the summed set")
    v = s["cost"].sum()
    return result(money(v), f"Excavator A's 2008 work orders total ${money(v)} ({len(s)} lines).", [money(v)])


@q("nc-08", "work_order", "sum",
   "Excavator E spend in Q1 2008?")
def nc08():
    e = data("e")
    s = e[(e["Asset"] == "E") & (e["d"] >= "2008-01-01") & (e["d"] < "2008-04-01")]
    no_blanks(s["cost"], "E Q1 2008 cost")
    check(not s["dup"].any(), "duplicate lines inside the summed set")
    v = s["cost"].sum()
    return result(money(v), f"Excavator E's January-March 2008 work orders total ${money(v)} ({len(s)} lines).",
                  [money(v)])


@q("nc-09", "work_order", "max",
   "Most expensive single work order on excavator D - date and cost, and what was the job?")
def nc09():
    e = data("e")
    row = unique_extreme(e[e["Asset"] == "D"], "cost", "max", "D cost")
    return result(f"{day(row['d'])} {money(row['cost'])}",
                  f"Excavator D's most expensive work order is '{row['OriginalShorttext']}' on {day(row['d'])} "
                  f"at ${money(row['cost'])}.", [day(row["d"]), money(row["cost"])])


@q("nc-10", "work_order", "min",
   "Auditor question: lowest cost figure on any excavator B work order (credits/negatives included) - date and amount?")
def nc10():
    e = data("e")
    s = e[(e["Asset"] == "B") & e["cost"].notna()]  # the one blank B cost is not a figure
    row = unique_extreme(s, "cost", "min", "B cost")
    return result(f"{day(row['d'])} {money(row['cost'])}",
                  f"Excavator B's lowest cost figure is {money(row['cost'])} (a credit) on {day(row['d'])} "
                  f"('{row['OriginalShorttext']}').", [day(row["d"]), money(row["cost"])])


@q("nc-11", "fmea", "top_n",
   "Top 3 components in the haul truck FMEA by number of failure-mode lines?")
def nc11():
    f = data("f")
    top = top_n_no_tie(f["Component"].value_counts().astype(float), 3, "FMEA lines by component")
    names = list(top.index)
    must = [n.split(" (")[0] for n in names]  # full name without the bracketed acronym
    desc = ", ".join(f"{k} ({int(v)} lines)" for k, v in top.items())
    return result(" > ".join(names), f"Components with the most FMEA lines: {desc}.", must)


@q("nc-12", "fmea", "group_by",
   "Reliability review: average severity rating per subsystem in the FMEA, 2 decimals.")
def nc12():
    f = data("f")
    no_blanks(f["Severity"], "severity")
    grp = f.groupby("Subsystem")["Severity"].mean()
    check(len(grp) <= 8, "more than 8 subsystems")
    must, parts = [], []
    for k, v in grp.items():
        s = two_dp(v)
        must += [k, s[:-1] if s.endswith("0") else s]  # 2.30 -> "2.3" still matches "2.30"
        parts.append(f"{k} {s}")
    return result("; ".join(parts), f"Average severity by subsystem: {'; '.join(parts)}.", must)


@q("nc-13", "work_order", "group_by",
   "excavator E, 2010: split the spend by PM type. Add up every line in the file as it stands.")
def nc13():
    e = data("e")
    s = e[(e["Asset"] == "E") & (e["y"] == 2010)]
    no_blanks(s["cost"], "E 2010 cost")
    grp = s.groupby("PMType")["cost"].sum()
    check(len(grp) <= 8, "more than 8 PM types")
    must, parts = [], []
    for k, v in grp.items():
        must += [k, money(v)]
        parts.append(f"{k} ${money(v)}")
    return result("; ".join(parts), f"Excavator E 2010 cost by PM type (all {len(s)} lines, "
                                    f"{int(s['dup'].sum())} of them repeated lines): {'; '.join(parts)}.", must)


@q("nc-14", "work_order", "average",
   "average cost per work order for excavator A in 2007, to the cent")
def nc14():
    e = data("e")
    s = e[(e["Asset"] == "A") & (e["y"] == 2007)]
    no_blanks(s["cost"], "A 2007 cost")
    check(not s["dup"].any(), "duplicate lines inside the averaged set")
    v = s["cost"].mean()
    return result(two_dp(v), f"Excavator A's {len(s)} work orders in 2007 average ${two_dp(v)} "
                             f"(${money(s['cost'].sum())} in total).", [two_dp(v)])


@q("nc-15", "fmea", "lookup",
   "What does the FMEA recommend doing about lock-up clutch wear on the transmission?")
def nc15():
    f = data("f")
    row = one_row(f[f["Sub-Component"].str.strip().str.lower() == "lock-up clutch"], "lock-up clutch line")
    ra = row["Recommended Action"]
    check(isinstance(ra, str) and "correct installation" in ra and "500" in ra, "unexpected recommended action")
    return result(ra, f"For lock-up clutch wear (Transmission) the FMEA recommends: \"{ra}\" "
                      f"(RPN {row['RPN']}).", ["correct installation", "500"])


@q("nc-16", "work_order", "near_miss",
   "How many work orders did excavator D have in 2014?", answerable=False)
def nc16():
    e = data("e")
    check(e["d"].max() < pd.Timestamp("2013-01-01"), "data reaches 2013 or later")
    check(not (e["y"] == 2014).any(), "2014 rows exist")
    return result("period not covered",
                  f"The excavator work orders run from {day(e['d'].min())} to {day(e['d'].max())} "
                  f"(excavator D: {day(e.loc[e['Asset'] == 'D', 'd'].min())} to "
                  f"{day(e.loc[e['Asset'] == 'D', 'd'].max())}); there are no 2014 records.", [])


@q("nc-17", "work_order", "near_miss",
   "How many hours of downtime did excavator C rack up in 2010?", answerable=False)
def nc17():
    e = data("e")
    raw_cols = list(pd.read_csv(SOURCES["excavators"], nrows=0).columns)
    check(raw_cols == ["BscStartDate", "Asset", "OriginalShorttext", "PMType", "Cost"], f"columns {raw_cols}")
    check(not any(w in c.lower() for c in raw_cols for w in ("down", "hour", "hrs", "duration")),
          "a downtime-like column exists")
    check(((e["Asset"] == "C") & (e["y"] == 2010)).any(), "excavator C has no 2010 rows")
    return result("no such column",
                  "The excavator work orders only record date, asset, short text, PM type and cost; there is no "
                  "downtime or hours column, so excavator C's 2010 downtime cannot be given.", [])


# --------------------------------------------------------------------------- driver
def build() -> tuple[list[dict], list[str]]:
    rows, failures = [], []
    for spec in QUESTIONS:
        try:
            r = spec["fn"]()
        except GoldError as exc:
            failures.append(f"{spec['id']}: {exc}")
            continue
        must = [str(m) for m in r["must"]]
        if spec["answerable"]:
            if not must:
                failures.append(f"{spec['id']}: answerable question without must_contain")
        elif must:
            failures.append(f"{spec['id']}: near miss with must_contain")
        rows.append({**spec, **r, "must": must})
    return rows, failures


def to_record(r: dict) -> dict:
    return {
        "id": r["id"],
        "question": r["question"],
        "reference_answer": r["reference"],
        "must_contain": r["must"],
        "gold_sources": [],
        "answerable": r["answerable"],
        "tags": ["records", r["kind"], r["op"]],
        "split": SPLIT,
    }


def main(argv: list[str]) -> int:
    rows, failures = build()
    ids = [s["id"] for s in QUESTIONS]
    if len(ids) != len(set(ids)):
        failures.append("duplicate question ids")
    for site in "abc":
        n = sum(1 for s in QUESTIONS if s["site"] == site)
        if n != 17:
            failures.append(f"site {site}: {n} questions, expected 17")
    for r in rows:
        print(f"{r['id']}  {r['op']}  {r['value']}")
    if failures:
        print("\nFAILED ASSERTS:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    if "--write" in argv:
        for site in "abc":
            path = HERE / f"site_{site}.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                for r in rows:
                    if r["site"] == site:
                        fh.write(json.dumps(to_record(r), ensure_ascii=False) + "\n")
            print(f"wrote {path.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
