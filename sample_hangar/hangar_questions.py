"""Golden questions for the Harlow Field MRO site, computed from the generated rows.

Record questions are computed here from the in-memory rows that build.py wrote;
check_gold.py recomputes every one of them from the written files on its own.
Each reference answer states the counting rule. Money is written with two
decimals and a thousands comma ("24,860.00"), hours in their shortest form
("14.6"), dates as ISO ("2024-09-17").

One line of questions.jsonl (eval/dataset.py's format plus "split"):
    {"id": "count-main-tire-N27315-2023", "question": "...", "reference_answer": "...",
     "must_contain": ["4"], "gold_sources": [{"doc": "maintenance_log_2022-2024.xlsx",
     "locator": {"sheet": "2023", "row": 17}}], "answerable": true,
     "tags": ["count", "records", "log"], "split": "dev"}
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path

from build import ATA, CAT_NAME, GSE_NAME, LOG_NAME, TS_DOCX, TS_SHEET, TS_XLSX, gpu_rows, ts_rows

MANY = 25  # more matching rows than this: cite the sheet (or file), not each row
NOT_COVERED = "The documents do not contain this information."


def money(x: float) -> str:
    """
    >>> money(24860)
    '24,860.00'
    """
    return f"{x:,.2f}"


def hours(x: float) -> str:
    """
    >>> hours(123.40000000001), hours(120.0)
    ('123.4', '120')
    """
    return f"{round(x, 1):g}"


def two(x: float) -> str:
    """An average to two decimals; the data is chosen so the last digit is not 0 (no '2.50' vs '2.5')."""
    s = f"{x:.2f}"
    assert not s.endswith("0"), s
    return s


def iso(d) -> str:
    return d.isoformat()


class Questions:
    def __init__(self, log, gse, parts, cards):
        self.log, self.gse, self.parts, self.cards = log, gse, parts, cards
        self.part = {p["pn"]: p for p in parts}
        self.items: list[dict] = []

    # -- gold sources --------------------------------------------------------------
    def log_gold(self, rows):
        if len(rows) > MANY:
            return [{"doc": LOG_NAME, "locator": {"sheet": s}} for s in sorted({r["sheet"] for r in rows})]
        return [{"doc": LOG_NAME, "locator": {"sheet": r["sheet"], "row": r["row"]}} for r in rows]

    def gse_gold(self, rows):
        if len(rows) > MANY:
            return [{"doc": GSE_NAME, "locator": {}}]
        return [{"doc": GSE_NAME, "locator": {"row": r["row"]}} for r in rows]

    def cat_gold(self, rows):
        if len(rows) > MANY:
            return [{"doc": CAT_NAME, "locator": {}}]
        return [{"doc": CAT_NAME, "locator": {"row": p["row"]}} for p in rows]

    def card(self, card_id, **locator):
        return {"doc": self.cards[card_id], "locator": locator}

    # -- adding --------------------------------------------------------------------
    def add(self, qid, kind, question, answer, must, gold, sources, records=False):
        tags = [kind] + (["records"] if records else []) + list(sources)
        self.items.append({"id": qid, "question": question, "reference_answer": answer, "must_contain": must,
                           "gold_sources": gold, "answerable": True, "tags": tags})

    def miss(self, qid, question, source, why):
        self.items.append({"id": qid, "question": question, "reference_answer": f"{NOT_COVERED} {why}",
                           "must_contain": [], "gold_sources": [], "answerable": False,
                           "tags": ["near_miss", "unanswerable", source]})

    # -- row selection -------------------------------------------------------------
    def sq(self, tail=None, year=None, ata=None, act=None, pred=None):
        out = []
        for r in self.log:
            if (tail and r["tail"] != tail) or (year and r["date"].year != year) or (ata and r["ata"] != ata):
                continue
            if (act and act not in r["act"]) or (pred and not pred(r)):
                continue
            out.append(r)
        return out

    def rec(self, unit=None, year=None):
        return [r for r in self.gse if (not unit or r["unit"] == unit) and (not year or r["date"].year == year)]


def squawk_list(rows) -> str:
    return ", ".join(f"{r['sq']} ({iso(r['date'])})" for r in rows)


def main_tire_change(r) -> bool:
    return r["act"].startswith("R&R") and "MLG" in r["act"] and "TIRE" in r["act"]


def any_tire_change(r) -> bool:
    return r["act"].startswith("R&R") and "TIRE" in r["act"]


def unique_top(counter: Counter, n: int) -> list[tuple[str, float]]:
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    assert len(top) == n or top[n - 1][1] > top[n][1], f"tie at place {n}: {top[:n + 1]}"
    return top[:n]


# ------------------------------------------------------------------------------------
# Squawk log questions
# ------------------------------------------------------------------------------------

def log_questions(Q: Questions) -> None:
    rows = Q.sq("N27315", 2023, pred=main_tire_change)
    Q.add("count-main-tire-N27315-2023", "count", "How many main tire changes did N27315 have in 2023?",
          f"{len(rows)} (2023 squawks on N27315 whose Corrective Action is an R&R of an MLG tire): {squawk_list(rows)}.",
          [str(len(rows))], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq("N4821K", 2024, ata="32")
    Q.add("count-ata32-N4821K-2024", "count", "How many landing gear squawks (ATA 32) were written up on N4821K in 2024?",
          f"{len(rows)} squawks in the 2024 sheet with Tail N4821K and ATA 32 Landing Gear.",
          [str(len(rows))], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq(year=2023)
    Q.add("count-squawks-2023", "count", "How many squawks did the fleet log in 2023?",
          f"{len(rows)} squawks: every data row of the 2023 sheet, all eight aircraft.",
          [str(len(rows))], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq(pred=lambda r: r["cost"] is None)
    Q.add("count-cost-pending", "count", "How many squawks in the maintenance log are still waiting for a parts cost?",
          f"{len(rows)} squawks over 2022-2024 have a blank Parts Cost ($) cell (invoice pending): "
          + ", ".join(r["sq"] for r in rows) + ".",
          [str(len(rows))], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq(act="LW-24120")
    Q.add("count-battery-changes", "count", "How many times was a main battery replaced across the fleet from 2022 to 2024?",
          f"{len(rows)} times (squawks whose Corrective Action installs main battery LW-24120): {squawk_list(rows)}.",
          [str(len(rows))], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq("N4821K", 2024)
    total = sum(r["cost"] or 0 for r in rows)
    blank = sum(r["cost"] is None for r in rows)
    Q.add("sum-cost-N4821K-2024", "sum", "What was the total parts cost on N4821K in 2024?",
          f"{money(total)} USD: the sum of Parts Cost ($) over N4821K's {len(rows)} squawks in 2024"
          + (f" ({blank} with no cost entered, not counted)" if blank else "") + ".",
          [money(total)], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq("N61904", 2023)
    Q.add("sum-labor-N61904-2023", "sum", "How many labor hours were booked on N61904 in 2023?",
          f"{hours(sum(r['labor'] for r in rows))} hours: the sum of Labor Hrs over N61904's {len(rows)} squawks in 2023.",
          [hours(sum(r["labor"] for r in rows))], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq(year=2022, ata="32")
    total = sum(r["cost"] or 0 for r in rows)
    Q.add("sum-cost-ata32-2022", "sum", "What did landing gear squawks (ATA 32) cost in parts across the fleet in 2022?",
          f"{money(total)} USD: the sum of Parts Cost ($) over the {len(rows)} ATA 32 squawks in the 2022 sheet"
          f" (blank costs not counted).", [money(total)], Q.log_gold(rows), ["log"], records=True)

    costed = [r for r in Q.log if r["cost"] is not None]
    top = sorted(costed, key=lambda r: -r["cost"])
    assert top[0]["cost"] > top[1]["cost"]
    r = top[0]
    Q.add("max-cost-squawk", "max", "Which squawk had the highest parts cost between 2022 and 2024?",
          f"Squawk {r['sq']} on {r['tail']} ({iso(r['date'])}): {r['disc']} - {r['act']}; parts cost {money(r['cost'])} USD. "
          f"The next highest is {money(top[1]['cost'])}.", [r["sq"], money(r["cost"])], Q.log_gold([r]), ["log"], records=True)

    top = sorted(Q.sq(year=2023), key=lambda r: -r["labor"])
    assert top[0]["labor"] > top[1]["labor"]
    r = top[0]
    Q.add("max-labor-2023", "max", "Which 2023 squawk took the most labor hours?",
          f"Squawk {r['sq']} on {r['tail']} ({iso(r['date'])}): {r['disc']}; {hours(r['labor'])} labor hours "
          f"(next highest {hours(top[1]['labor'])}).", [r["sq"], hours(r["labor"])], Q.log_gold([r]), ["log"], records=True)

    per_tail = Counter(r["tail"] for r in Q.sq(year=2024))
    low = sorted(per_tail.items(), key=lambda kv: kv[1])
    assert low[0][1] < low[1][1]
    Q.add("min-squawks-2024", "min", "Which aircraft had the fewest squawks in 2024?",
          f"{low[0][0]}, with {low[0][1]} squawks in the 2024 sheet (next fewest: {low[1][0]} with {low[1][1]}).",
          [low[0][0]], Q.log_gold(Q.sq(low[0][0], 2024)), ["log"], records=True)

    top = unique_top(Counter(r["tail"] for r in Q.sq(ata="32")), 3)
    Q.add("top3-ata32-tails", "top_n", "Which three aircraft had the most landing gear (ATA 32) squawks over 2022-2024?",
          "Counting ATA 32 squawks in all three year sheets: " + ", ".join(f"{t} ({n})" for t, n in top) + ".",
          [t for t, _ in top], Q.log_gold(Q.sq(ata="32")), ["log"], records=True)

    top = unique_top(Counter(r["ata"] for r in Q.log), 3)
    Q.add("top3-ata-chapters", "top_n", "What were the three ATA chapters with the most squawks over 2022-2024?",
          "Squawks per ATA chapter, all three year sheets: " + ", ".join(f"{a} {ATA[a]} ({n})" for a, n in top) + ".",
          [ATA[a] for a, _ in top], Q.log_gold(Q.log), ["log"], records=True)

    per = Counter(r["ata"] for r in Q.sq(year=2023))
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
    biggest = sorted(set(per.values()), reverse=True)[:3]  # the three largest distinct counts
    Q.add("group-ata-2023", "group_by", "How many squawks were written up per ATA chapter in 2023?",
          "Squawks in the 2023 sheet by ATA chapter: " + "; ".join(f"{a} {ATA[a]}: {n}" for a, n in ranked) + ".",
          [str(n) for n in biggest], Q.log_gold(Q.sq(year=2023)), ["log"], records=True)

    by_year = {y: sum(r["labor"] for r in Q.sq("N350KV", y)) for y in (2022, 2023, 2024)}
    assert len({hours(v) for v in by_year.values()}) == 3
    Q.add("group-labor-N350KV-year", "group_by", "How many labor hours did N350KV take in each of 2022, 2023 and 2024?",
          "Sum of Labor Hrs on N350KV per year sheet: " + ", ".join(f"{y}: {hours(v)} h" for y, v in by_year.items()) + ".",
          [hours(v) for v in by_year.values()], Q.log_gold(Q.sq("N350KV")), ["log"], records=True)

    for tail in ("N7093R", "N1187T", "N5526W"):  # the first whose average has no trailing 0
        rows = Q.sq(tail, 2024)
        avg = sum(r["labor"] for r in rows) / len(rows)
        if not f"{avg:.2f}".endswith("0"):
            break
    Q.add(f"avg-labor-{tail}-2024", "average", f"What was the average labor time per squawk on {tail} in 2024?",
          f"{two(avg)} hours: {hours(sum(r['labor'] for r in rows))} Labor Hrs over {len(rows)} squawks in 2024, "
          "rounded to two decimals.", [two(avg)], Q.log_gold(rows), ["log"], records=True)

    rows = Q.sq("N61904", act="STARTER GEN W/ LW-80110")
    r = rows[-1]
    assert not r["text_date"]
    Q.add("latest-sg-N61904", "latest", "When was the starter generator last replaced on N61904?",
          f"{iso(r['date'])}, squawk {r['sq']} (#2 engine): {r['act']}. Starter generator R&Rs on N61904: {squawk_list(rows)}.",
          [iso(r["date"])], Q.log_gold([r]), ["log"], records=True)

    rows = Q.sq("N88214", 2024)
    r = rows[0]
    assert not r["text_date"] and r["date"] < rows[1]["date"]
    Q.add("earliest-N88214-2024", "earliest", "What was N88214's first squawk of 2024?",
          f"Squawk {r['sq']} on {iso(r['date'])}: {r['disc']} - {r['act']}.", [r["sq"]], Q.log_gold([r]), ["log"], records=True)

    rows = Q.sq("N4821K", pred=any_tire_change)
    r = rows[-1]
    assert not r["text_date"] and r["date"] > rows[-2]["date"]
    Q.add("latest-tire-N4821K", "latest", "When did N4821K last have a tire changed?",
          f"{iso(r['date'])}, squawk {r['sq']}: {r['act']} (latest squawk whose Corrective Action is an R&R of a tire).",
          [iso(r["date"])], Q.log_gold([r]), ["log"], records=True)

    rows = Q.sq("N350KV", act="BRAKE ASSY W/")
    r = rows[0]
    assert not r["text_date"] and r["date"] < rows[1]["date"]
    Q.add("earliest-brake-N350KV", "earliest", "When was a brake assembly first replaced on N350KV?",
          f"{iso(r['date'])}, squawk {r['sq']}: {r['act']}.", [iso(r["date"])], Q.log_gold([r]), ["log"], records=True)


# ------------------------------------------------------------------------------------
# GSE work records
# ------------------------------------------------------------------------------------

def gse_questions(Q: Questions) -> None:
    rows = Q.rec("GPU-09", 2024)
    Q.add("count-gse-GPU-09-2024", "count", "How many work records did GPU-09 have in 2024?",
          f"{len(rows)} records with Unit GPU-09 opened in 2024: " + ", ".join(r["rec"] for r in rows) + ".",
          [str(len(rows))], Q.gse_gold(rows), ["gse_log"], records=True)

    rows = Q.rec("TUG-2", 2024)
    total = sum(r["down"] for r in rows)
    Q.add("sum-down-TUG-2-2024", "sum", "What was the total downtime of TUG-2 in 2024?",
          f"{hours(total)} hours: the sum of Downtime (h) over TUG-2's {len(rows)} records opened in 2024.",
          [hours(total)], Q.gse_gold(rows), ["gse_log"], records=True)

    rows = Q.rec("GPU-07", 2023)
    total = sum(r["cost"] or 0 for r in rows)
    Q.add("sum-cost-GPU-07-2023", "sum", "What did GPU-07's work records cost in 2023?",
          f"{money(total)} USD: the sum of Cost over GPU-07's {len(rows)} records opened in 2023 (blank costs not counted).",
          [money(total)], Q.gse_gold(rows), ["gse_log"], records=True)

    top = sorted(Q.gse, key=lambda r: -r["down"])
    assert top[0]["down"] > top[1]["down"]
    r = top[0]
    Q.add("max-down-gse", "max", "Which GSE work record had the longest downtime?",
          f"{r['rec']} ({r['unit']}, opened {iso(r['date'])}): {r['problem']} - {r['action']}; {hours(r['down'])} hours down.",
          [r["rec"], hours(r["down"])], Q.gse_gold([r]), ["gse_log"], records=True)

    per = Counter(r["unit"] for r in Q.rec(year=2023))
    assert len(set(per.values())) == len(per)
    Q.add("group-gse-units-2023", "group_by", "How many work records did each GSE unit have in 2023?",
          "Records opened in 2023 per Unit: " + ", ".join(f"{u}: {n}" for u, n in sorted(per.items())) + ".",
          [str(n) for _, n in sorted(per.items())], Q.gse_gold(Q.rec(year=2023)), ["gse_log"], records=True)

    for unit in ("GPU-09", "TUG-2", "DEICE-1", "GPU-07"):
        rows = Q.rec(unit)
        avg = sum(r["down"] for r in rows) / len(rows)
        if not f"{avg:.2f}".endswith("0"):
            break
    Q.add(f"avg-down-{unit}", "average", f"What is the average downtime per {unit} work record over 2022-2024?",
          f"{two(avg)} hours: {hours(sum(r['down'] for r in rows))} hours of Downtime (h) over {len(rows)} records, "
          "rounded to two decimals.", [two(avg)], Q.gse_gold(rows), ["gse_log"], records=True)

    rows = Q.rec("DEICE-1")
    r = rows[-1]
    assert r["date"] > rows[-2]["date"]
    Q.add("latest-DEICE-1", "latest", "When was DEICE-1's most recent work record, and what was it for?",
          f"{r['rec']}, opened {iso(r['date'])}: {r['problem']} - {r['action']}.",
          [iso(r["date"]), r["rec"]], Q.gse_gold([r]), ["gse_log"], records=True)

    down = Counter()
    for r in Q.rec(year=2023):
        down[r["unit"]] += r["down"]
    top = unique_top(down, 2)
    Q.add("top2-gse-down-2023", "top_n", "Which two GSE units had the most downtime in 2023?",
          "Sum of Downtime (h) per Unit for records opened in 2023: "
          + ", ".join(f"{u} ({hours(v)} h)" for u, v in sorted(down.items(), key=lambda kv: -kv[1])) + ".",
          [u for u, _ in top], Q.gse_gold(Q.rec(year=2023)), ["gse_log"], records=True)


# ------------------------------------------------------------------------------------
# Parts catalogue and troubleshooting tables
# ------------------------------------------------------------------------------------

def catalogue_questions(Q: Questions) -> None:
    low = [p for p in Q.parts if p["qty"] < p["min"]]
    Q.add("count-below-min", "count", "How many parts in the catalogue are below their minimum stock?",
          f"{len(low)} parts have Qty On Hand below Min Stock: " + ", ".join(p["pn"] for p in low) + ".",
          [str(len(low))], Q.cat_gold(low), ["catalogue"], records=True)

    top = sorted(Q.parts, key=lambda p: -p["lead"])
    assert top[0]["lead"] > top[1]["lead"]
    p = top[0]
    Q.add("max-lead-time", "max", "Which part has the longest lead time?",
          f"{p['pn']} ({p['desc']}), {p['lead']} days from {p['vendor']}.", [p["pn"], str(p["lead"])],
          Q.cat_gold([p]), ["catalogue"], records=True)

    top = sorted(Q.parts, key=lambda p: p["price"])
    assert top[0]["price"] < top[1]["price"]
    p = top[0]
    Q.add("min-price", "min", "What is the cheapest part in the catalogue?",
          f"{p['pn']} ({p['desc']}) at {money(p['price'])} USD.", [p["pn"], money(p["price"])],
          Q.cat_gold([p]), ["catalogue"], records=True)

    rows = [p for p in Q.parts if p["ata"] == "32"]
    avg = sum(p["price"] for p in rows) / len(rows)
    Q.add("avg-price-ata32", "average", "What is the average unit price of the ATA 32 parts in the catalogue?",
          f"{two(avg)} USD: {len(rows)} parts with ATA 32, total {money(sum(p['price'] for p in rows))}, rounded to two decimals.",
          [two(avg)], Q.cat_gold(rows), ["catalogue"], records=True)

    p = Q.part["LW-32130"]
    Q.add("lookup-price-LW-32130", "lookup", "What is the unit price of LW-32130?",
          f"{money(p['price'])} USD ({p['desc']}, {p['vendor']}).", [money(p["price"])], Q.cat_gold([p]), ["catalogue"])
    p = Q.part["LW-80110"]
    Q.add("lookup-vendor-LW-80110", "lookup", "Who supplies LW-80110, and what is its lead time?",
          f"{p['vendor']}, {p['lead']} days ({p['desc']}).", [p["vendor"], str(p["lead"])], Q.cat_gold([p]), ["catalogue"])
    p = Q.part["LW-32115"]
    Q.add("lookup-qty-LW-32115", "lookup", "How many LW-32115 nose tires do we have on hand?",
          f"{p['qty']} on hand (Min Stock {p['min']}).", [str(p["qty"])], Q.cat_gold([p]), ["catalogue"])
    p = Q.part["LW-24120"]
    Q.add("lookup-min-LW-24120", "lookup", "What is the minimum stock level for the main battery LW-24120?",
          f"Min Stock {p['min']} (Qty On Hand {p['qty']}).", [str(p["min"])], Q.cat_gold([p]), ["catalogue"])


def troubleshooting_questions(Q: Questions) -> None:
    ts = {(r["symptom"], r["cause"]): r for r in ts_rows()}
    gpu = {(r["fault"], r["cause"]): r for r in gpu_rows()}

    def xl(r):
        return {"doc": TS_XLSX, "locator": {"sheet": TS_SHEET, "row": r["row"]}}

    def dx(r):
        return {"doc": TS_DOCX, "locator": {"row": r["row"]}}

    r = ts[("Brake drags after pedal release", "Air in the brake lines")]
    Q.add("ts-brake-drag-air", "lookup", "The brakes drag after I let off the pedal and the pedal feels spongy. What's the fix?",
          f"Likely air in the brake lines (pedal spongy, travel more than 2.5 in): {r['remedy']} ({r['ref']}).",
          ["bleed"], [xl(r)], ["troubleshooting"])
    r = ts[("Wear pin flush with or below the housing", "Linings worn to limit")]
    Q.add("ts-wear-pin-check", "lookup", "How should I check a brake wear pin that looks flush with the housing?",
          f"{r['check']}. If it is still flush, the linings are worn to limit: {r['remedy']}.",
          ["parking brake"], [xl(r)], ["troubleshooting"])
    r = ts[("Tire loses more than 5 % pressure in 24 h", "Valve core leaking")]
    Q.add("ts-tire-valve-core", "lookup", "A main tire loses more than 5% of its pressure overnight and the valve bubbles. What do I do?",
          f"Valve core leaking: {r['remedy']}.", ["LW-32910"], [xl(r)], ["troubleshooting"])
    r = ts[("Anti-skid fail light on taxi", "Wheel speed transducer failed")]
    Q.add("ts-antiskid-resistance", "lookup", "What resistance should a good wheel speed transducer read when chasing an anti-skid fail light?",
          f"{r['check']}; outside that, {r['remedy'][0].lower()}{r['remedy'][1:]}.", ["1,050", "1,350"], [xl(r)], ["troubleshooting"])
    r = gpu[("Output voltage drops under load", "Voltage sense lead loose at the output stud")]
    Q.add("ts-gpu-voltage-first", "lookup", "The GPU's output voltage drops under load. What should I check first?",
          f"The voltage sense lead at the output stud: {r['action']}. Only then test the regulator (LW-90310).",
          ["sense lead"], [dx(r)], ["troubleshooting"])
    r = gpu[("Engine will not crank", "Starter motor failed")]
    Q.add("ts-gpu-no-crank-starter", "lookup",
          "The GPU engine won't crank, the battery is fine and there is 12 V at the starter terminal while cranking. What now?",
          f"The starter motor has failed: {r['action']}.", ["LW-90620"], [dx(r)], ["troubleshooting"])
    r = gpu[("Output voltage drops under load", "Engine speed low")]
    Q.add("ts-gpu-governor", "lookup", "What engine speed should the GPU hold under load?",
          f"1,800 rpm: {r['action']} (check: {r['check']}).", ["1,800"], [dx(r)], ["troubleshooting"])


# ------------------------------------------------------------------------------------
# Questions that join the logs and the catalogue
# ------------------------------------------------------------------------------------

def cross_questions(Q: Questions) -> None:
    r = next(r for r in Q.sq(year=2023, act="LW-32115") if not r["text_date"])
    p = Q.part["LW-32115"]
    Q.add("cross-part-cost-squawk", "cross_source", f"What does the part installed on squawk {r['sq']} cost?",
          f"Squawk {r['sq']} ({r['tail']}, {iso(r['date'])}) installed {p['pn']} ({p['desc']}); its catalogue unit price is "
          f"{money(p['price'])} USD.", [money(p["price"])], Q.log_gold([r]) + Q.cat_gold([p]), ["log", "catalogue"], records=True)

    brakes = Counter()
    for r in Q.log:
        for pn in ("LW-32240", "LW-32245"):
            if pn in r["act"]:
                brakes[pn] += 1
    (pn, n), (pn2, n2) = sorted(brakes.items(), key=lambda kv: -kv[1])
    assert n > n2
    p = Q.part[pn]
    Q.add("cross-brake-vendor", "cross_source", "Which vendor supplies the brake assembly we replaced most often over 2022-2024?",
          f"{p['vendor']}: {pn} ({p['desc']}) was installed on {n} squawks against {n2} for {pn2} "
          f"({Q.part[pn2]['vendor']}).", [p["vendor"]],
          Q.cat_gold([p]) + Q.log_gold([r for r in Q.log if pn in r["act"]]), ["log", "catalogue"], records=True)

    r = Q.sq("N61904", act="STARTER GEN W/ LW-80110")[-1]
    p = Q.part["LW-80110"]
    Q.add("cross-sg-lead-time", "cross_source", "What is the lead time on the part used in the last starter generator change on N61904?",
          f"The last change was squawk {r['sq']} ({iso(r['date'])}) with {p['pn']}; its lead time is {p['lead']} days "
          f"from {p['vendor']}.", [str(p["lead"])], Q.log_gold([r]) + Q.cat_gold([p]), ["log", "catalogue"], records=True)

    used = Counter(pn for r in Q.gse for pn, _ in r["parts"])
    (pn, n), = unique_top(used, 1)
    p = Q.part[pn]
    Q.add("cross-gse-part-on-hand", "cross_source",
          "For the part we replaced most often on the ground support equipment, how many do we have on hand?",
          f"{pn} ({p['desc']}) appears in the Corrective Action of {n} GSE work records; Qty On Hand {p['qty']} "
          f"(Min Stock {p['min']}).", [pn, str(p["qty"])],
          Q.cat_gold([p]) + Q.gse_gold([r for r in Q.gse if pn in r["action"]]), ["gse_log", "catalogue"], records=True)

    rows = [r for r in Q.sq("N88214", 2024) if r["cost"] is not None]
    r = max(rows, key=lambda r: r["cost"])
    pn = r["parts"][0][0]
    p = Q.part[pn]
    Q.add("cross-vendor-costliest-N88214-2024", "cross_source",
          "Which vendor supplied the most expensive part installed on N88214 in 2024?",
          f"{p['vendor']}: squawk {r['sq']} ({iso(r['date'])}) installed {pn} ({p['desc']}) for {money(r['cost'])} USD, "
          "the highest parts cost on N88214 in 2024.", [p["vendor"]], Q.log_gold([r]) + Q.cat_gold([p]),
          ["log", "catalogue"], records=True)


# ------------------------------------------------------------------------------------
# Task cards and expert notes
# ------------------------------------------------------------------------------------

NOTE_SG = "2024-10-02 N61904 starter-generator repeat failures (D. Ferreira).md"
NOTE_TIRES = "tires and brakes in winter - notes from R. Okafor.txt"
NOTE_GPU = "2023-09-18 Re GPU-07 output voltage drops.eml"


def card_questions(Q: Questions) -> None:
    c = Q.card
    tire, oil, batt = "TC-32-41-01", "TC-12-13-01", "TC-24-31-01"
    Q.add("tc-tire-psi-K19", "procedure", "What pressure do I service a Kestrel K-19 main tire to?",
          "95 psi with dry nitrogen, cold, aircraft on its wheels (TC-32-41-01 step 11.1).", ["95 psi"],
          [c(tire, step="11.1")], ["task_card"])
    Q.add("tc-tire-psi-K34", "procedure", "What pressure does a Kestrel K-34 main tire get?",
          "118 psi with dry nitrogen, cold, aircraft on its wheels (TC-32-41-01 step 11.2).", ["118 psi"],
          [c(tire, step="11.2")], ["task_card"])
    Q.add("tc-axle-nut-final", "procedure", "What's the final torque on a main wheel axle nut?",
          "40 in-lb (4.5 N·m), after seating the bearings at 150 in-lb and backing the nut off (TC-32-41-01 step 9.2).",
          ["40 in-lb"], [c(tire, step="9.2")], ["task_card"])
    Q.add("tc-axle-nut-seat", "procedure", "What torque do I use on the axle nut to seat the main wheel bearings?",
          "150 in-lb (17.0 N·m) while rotating the wheel (TC-32-41-01 step 9.1).", ["150 in-lb"],
          [c(tire, step="9.1")], ["task_card"])
    Q.add("tc-deflate-first", "procedure", "Do I have to let the air out of the tire before I pull a main wheel off?",
          "Yes. Fully deflate the tire (and remove the valve core) before you loosen the axle nut or remove the wheel: "
          "a cracked wheel half can separate under pressure (TC-32-41-01 WARNING, step 4).", ["deflate"],
          [c(tire, step="4"), c(tire, section="2. Safety")], ["task_card"])
    Q.add("tc-cotter-pin", "procedure", "The cotter pin hole doesn't line up after I torque the axle nut. Can I back the nut off?",
          "No. Never back off the axle nut; tighten it to the next hole, up to 60 in-lb (6.8 N·m) at most, "
          "otherwise repeat step 9 (TC-32-41-01 step 9.3 and CAUTION).", ["60 in-lb"], [c(tire, step="9.3")], ["task_card"])
    Q.add("tc-oil-check-time", "procedure", "How soon after shutdown do I have to check the engine oil level?",
          "Within 20 minutes after engine shutdown; later than that, dry motor the engine for 30 seconds and check again "
          "(TC-12-13-01 step 1).", ["20 minutes"], [c(oil, step="1")], ["task_card"])
    Q.add("tc-oil-max-add", "procedure", "How much oil can I add before I have to write up high oil consumption?",
          "If more than 2 US qt are needed to reach MAX HOT since the last servicing, enter a squawk "
          "(ENG OIL CONSUMPTION HIGH) and tell the lead mechanic (TC-12-13-01 step 5.2).", ["2 US qt"],
          [c(oil, step="5.2")], ["task_card"])
    Q.add("tc-oil-type", "procedure", "Which oil goes in the engines?",
          "Approved turbine oil LW-12010 only; do not mix brands or types (TC-12-13-01 CAUTION and step 5.1).",
          ["LW-12010"], [c(oil, section="2. Safety"), c(oil, step="5.1")], ["task_card"])
    Q.add("tc-batt-holddown", "procedure", "What torque do the main battery hold-down rod nuts get?",
          "35 in-lb (4.0 N·m), then safety wire them (TC-24-31-01 step 9 and torque table).", ["35 in-lb"],
          [c(batt, step="9"), c(batt, section="6. Torque Values")], ["task_card"])
    Q.add("tc-batt-before-disconnect", "procedure", "What must I do before I disconnect the main battery connector?",
          "Set the BATT switch to OFF, disconnect the GPU and pull the BATT BUS circuit breaker; disconnecting under load "
          "makes an arc that can ignite battery gases (TC-24-31-01 WARNING and step 1).", ["GPU"],
          [c(batt, step="1"), c(batt, section="2. Safety")], ["task_card"])
    Q.add("tc-batt-weight", "procedure", "How heavy is the main battery?",
          "84 lb (38 kg); lift it with two people using the carrying handles (TC-24-31-01 CAUTION).", ["84 lb"],
          [c(batt, section="2. Safety")], ["task_card"])
    Q.add("tc-batt-ground-stud", "procedure", "What's the torque for the battery tray ground stud nut?",
          "50 in-lb (5.6 N·m) (TC-24-31-01 torque table).", ["50", "5.6"], [c(batt, section="6. Torque Values")], ["task_card"])


def note_questions(Q: Questions) -> None:
    sg = Q.sq("N61904", act="STARTER GEN W/ LW-80110")[-1]
    Q.add("note-sg-cause", "fact", "Why did the #2 starter generator on N61904 keep failing?",
          "The cooling air blast tube for the #2 starter-generator was kinked behind the firewall clamp, so the generator ran "
          f"hot and cooked its brushes. Dale Ferreira rerouted the tube on {iso(sg['date'])} (squawk {sg['sq']}).",
          ["blast tube"], [{"doc": NOTE_SG, "locator": {}}, Q.log_gold([sg])[0]], ["note", "log"])
    Q.add("note-brush-length", "fact", "At what brush length should the starter-generator brushes be replaced?",
          "When any brush is shorter than 0.44 in (11.2 mm); a new brush is 0.81 in. Brush set LW-80115.",
          ["0.44 in"], [{"doc": NOTE_SG, "locator": {}}], ["note"])
    Q.add("note-tire-cold", "fact", "How long after a flight should I wait before checking tire pressure?",
          "At least 3 hours: a tire just off the runway reads about 10 % high; never bleed a hot tire.",
          ["3 hours"], [{"doc": NOTE_TIRES, "locator": {}}], ["note"])
    fix = next(r for r in Q.gse if r["unit"] == "GPU-07" and "sense lead" in r["action"])
    Q.add("note-gpu-fix", "fact", "What finally fixed GPU-07's output voltage drops in 2023?",
          f"Re-terminating the voltage sense lead, which was loose at the output stud ({iso(fix['date'])}, {fix['rec']}); "
          "the regulator replaced on 2023-08-22 had not fixed it. Load bank after repair: 28.0 V at 400 A.",
          ["sense lead"], [{"doc": NOTE_GPU, "locator": {}}, Q.gse_gold([fix])[0]], ["note", "gse_log"])
    r = next(r for r in ts_rows() if r["cause"].startswith("De-icing fluid"))
    Q.add("note-deice-grab", "fact", "The brakes grab and chatter for a few landings after the aircraft was de-iced. Why?",
          "De-icing fluid on the brake discs. Clean the discs with solvent before blaming the brake.",
          ["de-icing fluid"], [{"doc": NOTE_TIRES, "locator": {}}, {"doc": TS_XLSX, "locator": {"sheet": TS_SHEET, "row": r["row"]}}],
          ["note", "troubleshooting"])


# ------------------------------------------------------------------------------------
# Near misses: the subject is in the documents, the asked attribute is not
# ------------------------------------------------------------------------------------

def near_misses(Q: Questions) -> None:
    fcu = max((r for r in Q.log if r["cost"] is not None), key=lambda r: r["cost"])
    first = Q.sq("N27315", 2023)[0]
    m = Q.miss
    m("nm-brake-bolt-torque", "What torque do the brake housing bolts get when I change a main brake assembly?", "task_card",
      "TC-32-41-01 gives axle nut and hubcap torques only; no card covers the brake assembly bolts.")
    m("nm-nose-tire-psi", "What pressure does the K-34 nose tire take?", "task_card",
      "TC-32-41-01 gives main tire pressures only (95 psi K-19, 118 psi K-34).")
    m("nm-oil-filter-torque", "What's the torque for the engine oil filter housing cover?", "task_card",
      "TC-12-13-01 covers the oil level check and adding oil, not filter changes.")
    m("nm-oil-capacity", "How many quarts does the K-19 engine oil tank hold in total?", "task_card",
      "TC-12-13-01 gives the MAX HOT mark and the 2 US qt write-up limit, not the tank capacity.")
    m("nm-batt-vent-clamp", "What torque do the battery vent tube clamps get?", "task_card",
      "TC-24-31-01 lists hold-down nuts, connector receptacle screws and the ground stud nut only.")
    m("nm-batt-capacity", "What is the amp-hour rating of the main battery LW-24120?", "catalogue",
      "The catalogue and TC-24-31-01 give 24 V nickel-cadmium, not its capacity.")
    m("nm-flight-hours", f"How many flight hours did N27315 have when squawk {first['sq']} was written up?", "log",
      "The squawk log has no airframe hours column.")
    m("nm-rii-inspector", f"Who did the required inspection (RII) on squawk {fcu['sq']}?", "log",
      "The squawk log records the mechanic only, no inspector.")
    m("nm-squawks-2021", "How many squawks did N4821K have in 2021?", "log",
      "The maintenance log covers 2022 to 2024 only.")
    m("nm-serial-sg", "What was the serial number of the starter generator installed on N61904 in September 2024?", "log",
      "The squawk log gives the part number LW-80110, not serial numbers.")
    m("nm-mel-category", f"Which MEL category was squawk {first['sq']} deferred under?", "log",
      "The squawk log has no deferral or MEL column.")
    m("nm-gse-hour-meter", "What was TUG-2's hour meter reading at its last 250 h service?", "gse_log",
      "The GSE work records have no hour meter column.")
    m("nm-gse-labor", "How many labor hours did the GSE shop book on GPU-09 in 2023?", "gse_log",
      "The GSE work records give downtime and cost, not labor hours.")
    m("nm-gse-loadbank-due", "When is GPU-09's next load bank certification due?", "gse_log",
      "Neither the GSE records nor the GPU guide give certification due dates.")
    m("nm-shelf-life", "What's the shelf life of the LW-32240 brake assembly?", "catalogue",
      "The catalogue has no shelf life column.")
    m("nm-bin-location", "Which bin is LW-24120 stored in?", "catalogue", "The catalogue has no bin location column.")
    m("nm-price-LW-32250", "What is the unit price of LW-32250?", "catalogue", "There is no part LW-32250 in the catalogue.")
    m("nm-warranty", "What's the warranty period on the LW-80110 starter generator?", "catalogue",
      "The catalogue has no warranty column.")
    m("nm-vendor-phone", "What's the phone number for Meridian Wheel & Brake?", "catalogue",
      "The catalogue names vendors without contact details.")
    m("nm-ts-brake-squeal", "What does the wheels and brakes troubleshooting table say to do about brake squeal?",
      "troubleshooting", "The table has no squeal symptom (it covers grab or chatter, drag, wear pin, tire pressure loss, "
      "anti-skid and shimmy).")
    m("nm-ts-gpu-ac", "How do I troubleshoot a GPU with no 115 V AC output?", "troubleshooting",
      "GPU-07 and GPU-09 are 28 VDC units; the guide has no AC faults.")
    m("nm-sg-overhaul-shop", "Which overhaul shop did the N61904 starter generators go to?", "note",
      "Dale Ferreira's note mentions the overhaul shop's findings, not its name.")
    m("nm-tire-brand", "Which tire brand does Rosa Okafor recommend for the K-34?", "note",
      "Her note covers pressures, wear pins and bearings, not tire brands.")
    m("nm-spinner-torque", "What's the torque for the propeller spinner bulkhead screws?", "task_card",
      "The catalogue lists screw kit LW-61510, but no task card gives a spinner torque.")


# ------------------------------------------------------------------------------------

def assign_splits(items: list[dict], seed: int = 90210) -> None:
    """Half dev, half test within each question type (the first tag), with a fixed seed."""
    rng = random.Random(seed)
    groups: dict[str, list[dict]] = defaultdict(list)
    for q in items:
        groups[q["tags"][0]].append(q)
    count = Counter()
    for kind in sorted(groups):
        members = sorted(groups[kind], key=lambda q: q["id"])
        rng.shuffle(members)
        first, second = ("dev", "test") if count["dev"] <= count["test"] else ("test", "dev")
        for i, q in enumerate(members):
            q["split"] = first if i % 2 == 0 else second
            count[q["split"]] += 1


def write_questions(path: Path, log, gse, parts, cards) -> int:
    Q = Questions(log, gse, parts, cards)
    for section in (log_questions, gse_questions, catalogue_questions, troubleshooting_questions, cross_questions,
                    card_questions, note_questions, near_misses):
        section(Q)
    ids = [q["id"] for q in Q.items]
    assert len(ids) == len(set(ids)), "duplicate question ids"
    assign_splits(Q.items)
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in Q.items), encoding="utf-8")
    return len(Q.items)
