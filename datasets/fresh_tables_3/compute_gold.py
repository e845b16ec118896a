#!/usr/bin/env python3
"""Compute gold answers for the fresh3 held-out table/log question set.

Run from anywhere with the project venv:
    /work/main/.venv/bin/python datasets/fresh_tables_3/compute_gold.py          # print id + value
    /work/main/.venv/bin/python datasets/fresh_tables_3/compute_gold.py --write  # also write site_*.jsonl
Reads only the source documents (never the assistant or any other question set).
"""
import csv, json, sys
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]          # /work/main
SHARED = Path('/work/shared/corpora')
OUT = Path(__file__).resolve().parent

# ---------------- loaders ----------------
def load_squawks():
    x = pd.read_excel(ROOT / 'sample_hangar/docs/logs/maintenance_log_2022-2024.xlsx', sheet_name=['2022', '2023', '2024'])
    s = pd.concat(x.values(), ignore_index=True)
    # paper-card squawks are typed as text DD-MMM-YYYY; the rest are real dates
    s['d'] = s['Date Reported'].map(lambda v: pd.to_datetime(v, format='%d-%b-%Y') if isinstance(v, str) else pd.Timestamp(v))
    assert (s.d.dt.year.astype(str) == s['Squawk No'].str[:4]).all()
    return s

def load_gse():
    g = pd.read_csv(ROOT / 'sample_hangar/docs/logs/gse_work_records.csv')
    g['d'] = pd.to_datetime(g.Opened, format='%Y-%m-%d')
    return g

def load_parts():
    return pd.read_csv(ROOT / 'sample_hangar/docs/tables/parts_catalogue.csv')

TECH_2024 = {'MREYES': 'M. Reyes', 'SNOVAK': 'S. Novak', 'KOSEI': 'K. Osei', 'DKOWALSKI': 'D. Kowalski',
             'TOKAFOR': 'T. Okafor', 'AFERREIRA': 'A. Ferreira', 'JLINDQVIST': 'J. Lindqvist', 'RBRENNAN': 'R. Brennan'}

def load_cmms():
    """Site B: one CMMS log in two exports with different headers, normalised to one frame."""
    rows = []
    with open(ROOT / 'sample_plant/docs/work_orders/cmms_export_2022_2023.csv', encoding='utf-8-sig', newline='') as f:
        r = csv.reader(f); hdr = next(r)
        for row in r:
            if not row:
                continue
            if len(row) == 11:   # unquoted comma inside Problem Description (WO-22-0070)
                row = row[:3] + [row[3] + ',' + row[4]] + row[5:]
            assert len(row) == 10, row
            rows.append(row)
    a = pd.DataFrame(rows, columns=hdr).rename(columns={
        'WO Number': 'wo', 'Date Created': 'date', 'Equipment ID': 'asset', 'Problem Description': 'problem',
        'Action Taken': 'action', 'Failure Code': 'code', 'Total Cost': 'cost', 'Downtime (h)': 'down',
        'Technician': 'tech', 'Status': 'status'})
    a['cost'] = pd.to_numeric(a.cost.replace('', None)); a['down'] = pd.to_numeric(a.down)
    a['date'] = pd.to_datetime(a.date)
    b = pd.read_excel(ROOT / 'sample_plant/docs/work_orders/cmms_export_2024.xlsx').rename(columns={
        'WONUM': 'wo', 'REPORTDATE': 'date', 'ASSETNUM': 'asset', 'DESCRIPTION': 'problem', 'REMARKS': 'action',
        'FAILURECODE': 'code', 'ACTTOTALCOST': 'cost', 'DOWNTIME': 'down', 'LEAD': 'tech', 'STATUS': 'status'})
    assert set(b.tech) <= set(TECH_2024)
    b['tech'] = b.tech.map(TECH_2024)
    d = pd.concat([a, b], ignore_index=True)
    d['y'] = d.date.dt.year
    assert len(d) == 314
    return d

def load_excavators():
    e = pd.read_csv(SHARED / 'excavator_work_orders/excavators.csv', dtype=str)
    bad = e.PMType == 't swing'   # line 3454: "won,t swing" split by the stray comma, cost missing
    assert bad.sum() == 1
    e.loc[bad, 'OriginalShorttext'] = 'won,t swing'; e.loc[bad, 'PMType'] = 'PM01'; e.loc[bad, 'Cost'] = None
    e['Cost'] = pd.to_numeric(e.Cost)
    e['d'] = pd.to_datetime(e.BscStartDate, format='%Y-%m-%d'); e['y'] = e.d.dt.year
    assert len(e) == 5485
    return e

def load_fmea():
    f = pd.read_csv(SHARED / 'fmea_haul_truck/fmea_dataset_filled.csv')
    assert len(f) == 330
    return f

S, G, P, B, E, F = load_squawks(), load_gse(), load_parts(), load_cmms(), load_excavators(), load_fmea()

# ---------------- helpers ----------------
def fmt(x, nd=2):
    """Number as naturally written: drop trailing zeros."""
    x = round(float(x), nd)
    s = f'{x:.{nd}f}'.rstrip('0').rstrip('.')
    return s

def unique_top(series, n=1, largest=True):
    s = series.sort_values(ascending=not largest)
    assert len(s) > n and s.iloc[n - 1] != s.iloc[n], f'tie at rank {n}: {s.head(n + 2).to_dict()}'
    return list(s.index[:n])

def noblank(col):
    assert col.notna().all(), 'sum over blank values'
    return col

QS = []  # (site, id, question, fn -> (reference_answer, must_contain, value), src_tag, op_tag)
def q(site, qid, question, src, op):
    def deco(fn):
        QS.append((site, qid, question, fn, src, op)); return fn
    return deco

# ================= Site A: Harlow Field MRO =================
@q('a', 'ha-n61904-squawks-2023', 'How many squawks got written up against N61904 during 2023?', 'work_order', 'count')
def _():
    n = int((S[S.Tail == 'N61904'].d.dt.year == 2023).sum())
    return f'{n} squawks were written up against N61904 in 2023.', [str(n)], n

@q('a', 'ha-ata32-q3-2023', 'How many landing gear (ATA 32) write-ups did the fleet have in Q3 2023, July through September?', 'work_order', 'count')
def _():
    m = S.ATA.str.startswith('32 ') & (S.d >= '2023-07-01') & (S.d <= '2023-09-30')
    n = int(m.sum())
    return f'{n} ATA 32 landing gear squawks were reported between 2023-07-01 and 2023-09-30.', [str(n)], n

@q('a', 'ha-deice1-last-job', 'When was the de-icer DEICE-1 last in the shop? Give me the date of its most recent GSE work record.', 'work_order', 'date')
def _():
    t = G[G.Unit == 'DEICE-1'].sort_values('d')
    last = t.iloc[-1]; assert (t.d == last.d).sum() == 1
    ds = last.d.strftime('%Y-%m-%d')
    return f'The most recent DEICE-1 record is {last["Record No"]}, opened {ds} ({last["Reported Problem"]}).', [ds], ds

@q('a', 'ha-n88214-labor-2022', 'What was the total labor booked on N88214 squawks in 2022, in hours?', 'work_order', 'sum')
def _():
    v = noblank(S[(S.Tail == 'N88214') & (S.d.dt.year == 2022)]['Labor Hrs']).sum()
    return f'N88214 squawks in 2022 booked {fmt(v, 1)} labor hours in total.', [fmt(v, 1)], round(v, 1)

@q('a', 'ha-tug2-downtime-2024', 'Add up the downtime hours on the tug TUG-2 across all its 2024 GSE jobs.', 'work_order', 'sum')
def _():
    v = noblank(G[(G.Unit == 'TUG-2') & (G.d.dt.year == 2024)]['Downtime (h)']).sum()
    return f'TUG-2 logged {fmt(v, 1)} hours of downtime across its 2024 GSE work records.', [fmt(v, 1)], round(v, 1)

@q('a', 'ha-longest-lead-part', 'Which part in the parts catalogue has the longest vendor lead time?', 'table', 'max')
def _():
    i = unique_top(P.set_index('Part No')['Lead Time (days)'])[0]
    r = P[P['Part No'] == i].iloc[0]
    return f'{i} ({r.Description}, {r.Vendor}) has the longest lead time at {r["Lead Time (days)"]} days.', [i], i

@q('a', 'ha-top3-tails-2024', 'Which three tails generated the most squawks in 2024?', 'work_order', 'top_n')
def _():
    c = S[S.d.dt.year == 2024].Tail.value_counts()
    top = unique_top(c, 3)
    return 'Most 2024 squawks: ' + ', '.join(f'{t} ({c[t]})' for t in top) + '.', top, top

@q('a', 'ha-gse-jobs-per-tech-2024', 'Break down the 2024 GSE work records by technician: how many jobs did each tech do?', 'work_order', 'group_by')
def _():
    c = G[G.d.dt.year == 2024].Tech.value_counts()
    assert c.is_unique
    return '2024 GSE jobs per technician: ' + ', '.join(f'{k} {v}' for k, v in c.items()) + '.', [str(v) for v in c.values], c.to_dict()

@q('a', 'ha-gse-parts-direct-avg-price', "What's the average unit price of the catalogue parts we source from GSE Parts Direct?", 'table', 'average')
def _():
    t = noblank(P[P.Vendor == 'GSE Parts Direct']['Unit Price'])
    v = t.mean()
    return f'The {len(t)} GSE Parts Direct parts average ${v:.2f} per unit.', [f'{v:.2f}'], round(v, 2)

@q('a', 'ha-tug2-2021-nearmiss', 'How many times was TUG-2 written up in the GSE records during 2021?', 'work_order', 'near_miss')
def _():
    assert G.d.min() > pd.Timestamp('2021-12-31')
    return f'The GSE work records start on {G.d.min():%Y-%m-%d}, so they do not cover 2021; the count for TUG-2 in 2021 cannot be answered from them.', [], None

# ================= Site B: stamping plant CMMS =================
@q('b', 'hb-press03-wo-count-all', 'How many work orders has PRESS-03 had in the CMMS, counting 2022 through 2024?', 'work_order', 'count')
def _():
    n = int((B.asset == 'PRESS-03').sum())
    return f'PRESS-03 has {n} work orders across the 2022-2023 and 2024 exports.', [str(n)], n

@q('b', 'hb-reyes-wo-count', 'How many work orders has M. Reyes been the technician on over the whole 2022-2024 history?', 'work_order', 'count')
def _():
    t = B[B.tech == 'M. Reyes']; n = len(t)
    by = t.groupby('y').size().to_dict()
    return f'M. Reyes is on {n} work orders ({by[2022]} in 2022, {by[2023]} in 2023, {by[2024]} in 2024).', [str(n)], n

@q('b', 'hb-robot5-last-wo', "When was the most recent work order raised on ROBOT-5?", 'work_order', 'date')
def _():
    t = B[B.asset == 'ROBOT-5'].sort_values('date'); last = t.iloc[-1]
    assert (t.date.dt.date == last.date.date()).sum() == 1
    ds = last.date.strftime('%Y-%m-%d')
    return f'The latest ROBOT-5 work order is {last.wo}, raised {ds} ({last.problem}).', [ds], ds

@q('b', 'hb-press04-downtime-2022', 'How much downtime did PRESS-04 rack up in 2022, in hours?', 'work_order', 'sum')
def _():
    v = noblank(B[(B.asset == 'PRESS-04') & (B.y == 2022)].down).sum()
    return f'PRESS-04 work orders in 2022 total {fmt(v, 1)} hours of downtime.', [fmt(v, 1)], round(v, 1)

@q('b', 'hb-conv14-cost-2024', 'What did maintenance on conveyor CONV-14 cost in total in 2024?', 'work_order', 'sum')
def _():
    v = noblank(B[(B.asset == 'CONV-14') & (B.y == 2024)].cost).sum()
    assert v < 1000
    return f'CONV-14 work orders in 2024 cost ${v:.2f} in total.', [f'{v:.2f}'], round(v, 2)

@q('b', 'hb-most-expensive-wo', 'Which single work order was the most expensive in the whole 2022-2024 CMMS history?', 'work_order', 'max')
def _():
    i = unique_top(B.set_index('wo').cost.dropna())[0]
    r = B[B.wo == i].iloc[0]
    return f'{i} on {r.asset} ({r.date:%Y-%m-%d}, "{r.problem}") at ${r.cost:.2f}.', [i], i

@q('b', 'hb-top3-downtime-2024', 'Which three assets had the most downtime hours in 2024?', 'work_order', 'top_n')
def _():
    c = B[B.y == 2024].groupby('asset').down.sum()
    top = unique_top(c, 3)
    return '2024 downtime leaders: ' + ', '.join(f'{t} ({fmt(c[t], 1)} h)' for t in top) + '.', top, top

@q('b', 'hb-press03-downtime-by-year', 'Give me PRESS-03 downtime hours year by year for 2022, 2023 and 2024.', 'work_order', 'group_by')
def _():
    c = B[B.asset == 'PRESS-03'].groupby('y').down.sum()
    vals = [fmt(c[y], 1) for y in (2022, 2023, 2024)]
    assert len(set(vals)) == 3
    return 'PRESS-03 downtime: ' + ', '.join(f'{y}: {v} h' for y, v in zip((2022, 2023, 2024), vals)) + '.', vals, dict(zip((2022, 2023, 2024), vals))

@q('b', 'hb-robot4-avg-cost-2022', 'On average, what did a ROBOT-4 work order cost in 2022?', 'work_order', 'average')
def _():
    t = noblank(B[(B.asset == 'ROBOT-4') & (B.y == 2022)].cost); v = t.mean()
    return f'ROBOT-4 had {len(t)} work orders in 2022 averaging ${v:.2f} each (total ${t.sum():.2f}).', [f'{v:.2f}'], round(v, 2)

@q('b', 'hb-press05-nearmiss', 'How many downtime hours did PRESS-05 log in 2023?', 'work_order', 'near_miss')
def _():
    assert 'PRESS-05' not in set(B.asset)
    presses = sorted(a for a in B.asset.unique() if a.startswith('PRESS'))
    return f'There is no PRESS-05 in the CMMS work orders; the presses logged are {", ".join(presses)}.', [], None

# ================= Site C: excavator work orders + haul-truck FMEA =================
@q('c', 'hc-excavator-c-wo-2008', 'How many work orders were raised on excavator C in 2008?', 'work_order', 'count')
def _():
    n = int(((E.Asset == 'C') & (E.y == 2008)).sum())
    return f'Excavator C has {n} work orders dated in 2008.', [str(n)], n

@q('c', 'hc-fmea-severity4-count', 'In the haul truck FMEA, how many failure mode lines carry a severity rating of 4?', 'fmea', 'count')
def _():
    n = int((F.Severity == 4).sum())
    return f'{n} of the {len(F)} FMEA lines have severity 4 (the highest rating in the sheet).', [str(n)], n

@q('c', 'hc-excavator-e-first-wo', 'When does the work order history for excavator E start? What is the date of its first work order?', 'work_order', 'date')
def _():
    ds = E[E.Asset == 'E'].d.min().strftime('%Y-%m-%d')
    return f"Excavator E's first work order is dated {ds}.", [ds], ds

@q('c', 'hc-fmea-fire-suppression-rpn-sum', 'Add up the RPNs of all the fire suppression system lines in the haul truck FMEA.', 'fmea', 'sum')
def _():
    t = noblank(F[F.Subsystem == 'Fire Suppression System'].RPN); v = int(t.sum())
    return f'The {len(t)} Fire Suppression System lines have a combined RPN of {v}.', [str(v)], v

@q('c', 'hc-excavator-a-cost-dec2007', 'What did the work orders on excavator A cost in total in December 2007?', 'work_order', 'sum')
def _():
    t = noblank(E[(E.Asset == 'A') & (E.d >= '2007-12-01') & (E.d <= '2007-12-31')].Cost); v = t.sum()
    assert v < 1000
    return f'Excavator A had {len(t)} work orders in December 2007 costing {v:.2f} in total.', [fmt(v)], round(v, 2)

@q('c', 'hc-excavator-a-costliest', 'What was the most expensive work order ever raised on excavator A, and when was it?', 'work_order', 'max')
def _():
    t = E[E.Asset == 'A']
    i = unique_top(t.Cost.dropna())[0]; r = t.loc[i]
    ds = r.d.strftime('%Y-%m-%d')
    return f'The costliest excavator A work order is "{r.OriginalShorttext}" on {ds}, cost {r.Cost:.2f}.', [ds], ds

@q('c', 'hc-fmea-top3-components', 'Which three components have the most failure mode lines in the haul truck FMEA?', 'fmea', 'top_n')
def _():
    c = F.Component.value_counts(); top = unique_top(c, 3)
    names = [t.split(' (')[0] for t in top]
    return 'Most FMEA lines: ' + ', '.join(f'{t} ({c[t]})' for t in top) + '.', names, top

@q('c', 'hc-excavator-wo-per-asset-2010', 'Break down the 2010 excavator work orders by machine: how many did each excavator get?', 'work_order', 'group_by')
def _():
    c = E[E.y == 2010].Asset.value_counts().sort_index(); assert c.is_unique
    return '2010 work orders per excavator: ' + ', '.join(f'{k} {v}' for k, v in c.items()) + '.', [str(v) for v in c.values], c.to_dict()

@q('c', 'hc-fmea-power-frame-avg-rpn', 'What is the average RPN across the power frame lines of the FMEA?', 'fmea', 'average')
def _():
    t = noblank(F[F.Subsystem == 'Power Frame'].RPN); v = t.mean()
    return f'The {len(t)} Power Frame lines average an RPN of {fmt(v)}.', [fmt(v)], round(v, 2)

@q('c', 'hc-excavator-d-downtime-nearmiss', 'How many hours was excavator D down for repairs in 2009?', 'work_order', 'near_miss')
def _():
    assert not any('down' in c.lower() or 'hour' in c.lower() for c in E.columns)
    return 'The excavator work orders record only start date, asset, short text, PM type and cost; there is no downtime or hours column, so downtime for excavator D in 2009 cannot be answered.', [], None

# ---------------- run ----------------
def main():
    write = '--write' in sys.argv
    out = {'a': [], 'b': [], 'c': []}
    for site, qid, question, fn, src, op in QS:
        ref, must, val = fn()
        print(qid, '=>', val)
        near = op == 'near_miss'
        out[site].append({'id': qid, 'question': question, 'reference_answer': ref, 'must_contain': must,
                          'gold_sources': [], 'answerable': not near, 'tags': ['records', src, op], 'split': 'fresh3'})
    ids = [r['id'] for v in out.values() for r in v]; assert len(ids) == len(set(ids)) == 30
    if write:
        for site, recs in out.items():
            with open(OUT / f'site_{site}.jsonl', 'w') as fh:
                for r in recs:
                    fh.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', [f'site_{s}.jsonl' for s in out])

if __name__ == '__main__':
    main()
