#!/usr/bin/env python
"""Gold answers for the fresh_tables_8 held-out set (written blind, from the source files only).

    python compute_gold.py           # prints  id  op  value
    python compute_gold.py --write   # also writes site_a.jsonl, site_b.jsonl, site_c.jsonl

Every question's wording sits next to the pandas code that computes its gold answer.
Assertions check the conditions the set relies on (unique max/min, no tie at the
top-N cut-off, no blank value inside a sum/average/threshold count, single-row
lookups and dates, near misses really absent, averages exact to 2 decimals).
"""
import csv
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
MAIN = HERE.parent.parent                      # /work/main
SHARED = Path('/work/shared/corpora')

SQUAWK_XLSX = MAIN / 'sample_hangar/docs/logs/maintenance_log_2022-2024.xlsx'
GSE_CSV = MAIN / 'sample_hangar/docs/logs/gse_work_records.csv'
PARTS_CSV = MAIN / 'sample_hangar/docs/tables/parts_catalogue.csv'
CMMS_CSV = MAIN / 'sample_plant/docs/work_orders/cmms_export_2022_2023.csv'
CMMS_XLSX = MAIN / 'sample_plant/docs/work_orders/cmms_export_2024.xlsx'
TORQUE_CSV = MAIN / 'sample_plant/docs/tables/torque_specs.csv'
EXC_CSV = SHARED / 'excavator_work_orders/excavators.csv'
FMEA_CSV = SHARED / 'fmea_haul_truck/fmea_dataset_filled.csv'


# ----------------------------------------------------------------------------- helpers
def D(x):
    """Exact decimal of a float/str as written in the source (shortest repr)."""
    return Decimal(str(x))


def dsum(series):
    assert series.notna().all(), 'blank value inside a sum/average'
    return sum((D(v) for v in series), Decimal(0))


def num(x):
    """Plain figure: at most 2 decimals, trailing zeros dropped."""
    q = D(x).quantize(Decimal('0.01'))
    s = format(q, 'f')
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


def money(x):
    return format(D(x).quantize(Decimal('0.01')), 'f')


def day(ts):
    return pd.Timestamp(ts).strftime('%Y-%m-%d')


def exact_mean(series):
    total = dsum(series)
    m = total / len(series)
    assert m == m.quantize(Decimal('0.01')), f'average not exact to 2 decimals: {m}'
    return m


def one(df, what=''):
    assert len(df) == 1, f'expected exactly one row {what}, got {len(df)}'
    return df.iloc[0]


def unique_extreme(df, col, kind):
    assert df[col].notna().all(), f'blank value in the {kind} scope of {col}'
    v = df[col].max() if kind == 'max' else df[col].min()
    hit = df[df[col] == v]
    assert len(hit) == 1, f'tie at the {kind} of {col}: {len(hit)} rows'
    return hit.iloc[0]


def top_n(series, n):
    s = series.sort_values(ascending=False)
    assert s.iloc[n - 1] != s.iloc[n], 'tie at the top-N cut-off'
    return s.iloc[:n]


def no_tie_at(series, threshold):
    assert series.notna().all(), 'blank value inside a threshold count'
    assert not (series == threshold).any(), 'a value sits exactly on the threshold'


def between(df, col, start, end_excl):
    return df[(df[col] >= pd.Timestamp(start)) & (df[col] < pd.Timestamp(end_excl))]


# ----------------------------------------------------------------------------- loaders
def load_squawks():
    """Three year sheets (2022, 2023, 2024); the Notes sheet is notes only.
    Date Reported is a real date, or text DD-MMM-YYYY for squawks keyed from paper cards."""
    xl = pd.ExcelFile(SQUAWK_XLSX)
    frames = []
    for sheet in ('2022', '2023', '2024'):
        d = xl.parse(sheet, dtype=object)
        d['sheet'] = sheet
        frames.append(d)
    s = pd.concat(frames, ignore_index=True)

    def parse_date(v):
        if isinstance(v, str):
            return pd.Timestamp(dt.datetime.strptime(v.strip(), '%d-%b-%Y'))
        return pd.Timestamp(v)

    s['date'] = s['Date Reported'].map(parse_date)
    assert (s['date'].dt.year.astype(str) == s['sheet']).all()
    assert not s['Squawk No'].duplicated().any()
    s['labor'] = s['Labor Hrs'].astype(float)
    s['cost'] = s['Parts Cost ($)'].astype(float)          # blank = invoice pending -> NaN
    return s


def load_gse():
    g = pd.read_csv(GSE_CSV, dtype=str, keep_default_na=False)
    g['date'] = pd.to_datetime(g['Opened'], format='%Y-%m-%d')
    g['down'] = g['Downtime (h)'].astype(float)
    g['cost'] = pd.to_numeric(g['Cost'].replace('', None))   # 2 blank costs -> NaN
    assert not g['Record No'].duplicated().any()
    return g


def load_parts():
    p = pd.read_csv(PARTS_CSV, dtype={'ATA': str})
    assert not p['Part No'].duplicated().any()
    return p


def load_cmms():
    """One CMMS log from two exports with different headers, mapped onto one schema:
    wo, date, asset, problem, action, code, cost, down, tech, status."""
    rows = list(csv.reader(open(CMMS_CSV, encoding='utf-8-sig', newline='')))
    header, body = rows[0], []
    for r in rows[1:]:
        if len(r) == 11:                      # WO-22-0070: unquoted comma in Problem Description
            r = r[:3] + [r[3] + ',' + r[4]] + r[5:]
        assert len(r) == 10, r
        body.append(r)
    a = pd.DataFrame(body, columns=header)
    A = pd.DataFrame({
        'wo': a['WO Number'],
        'date': pd.to_datetime(a['Date Created'], format='%Y-%m-%d %H:%M'),
        'asset': a['Equipment ID'],
        'problem': a['Problem Description'],
        'action': a['Action Taken'],
        'code': a['Failure Code'],
        'cost': pd.to_numeric(a['Total Cost'].replace('', None)),   # WO-23-0002 blank
        'down': a['Downtime (h)'].astype(float),
        'tech': a['Technician'],
        'status': a['Status'],
        'src': 'csv'})
    b = pd.read_excel(CMMS_XLSX, dtype=object)
    # LEAD is written MREYES; the older export writes M. Reyes
    lead_to_name = {n.replace('.', '').replace(' ', '').upper(): n for n in A['tech'].unique()}
    B = pd.DataFrame({
        'wo': b['WONUM'].astype(str),
        'date': pd.to_datetime(b['REPORTDATE']),
        'asset': b['ASSETNUM'],
        'problem': b['DESCRIPTION'],
        'action': b['REMARKS'],
        'code': b['FAILURECODE'],
        'cost': b['ACTTOTALCOST'].astype(float),
        'down': b['DOWNTIME'].astype(float),
        'tech': b['LEAD'].map(lead_to_name),
        'status': b['STATUS'],
        'src': 'xlsx'})
    assert B['tech'].notna().all()
    assert ((b['FAILURECODE'] == 'PM') == (b['WORKTYPE'] == 'PM')).all()
    c = pd.concat([A, B], ignore_index=True)
    assert not c['wo'].duplicated().any()
    assert set(A['date'].dt.year) == {2022, 2023} and set(B['date'].dt.year) == {2024}
    return c


def load_torque():
    t = pd.read_csv(TORQUE_CSV, dtype=str, keep_default_na=False)
    t['Asset'] = t['Asset'].replace('', None).ffill()      # asset written once per block
    t['Nm'] = t['Torque (N·m)'].astype(float)
    return t


PMTYPES = {'PM01', 'PM02', 'PM04', 'PM05', 'PM06', 'PM13'}


def load_excavators():
    rows = list(csv.reader(open(EXC_CSV, encoding='utf-8-sig', newline='')))
    header, body = rows[0], []
    for r in rows[1:]:
        assert len(r) == 5, r
        if r[3] not in PMTYPES:                # 2003-12-31 B "won,t swing": comma split the text,
            r = [r[0], r[1], r[2] + ',' + r[3], r[4], '']   # PMType slid over, Cost missing
        body.append(r)
    e = pd.DataFrame(body, columns=header)
    e['date'] = pd.to_datetime(e['BscStartDate'], format='%Y-%m-%d')
    e['cost'] = pd.to_numeric(e['Cost'].replace('', None))
    assert set(e['PMType']) <= PMTYPES
    return e


def load_fmea():
    f = pd.read_csv(FMEA_CSV, dtype=str, keep_default_na=False, encoding='utf-8-sig')
    for c in ('Severity', 'Occurrence', 'Detection', 'RPN'):
        f[c] = f[c].astype(int)
    assert len(f) == 330
    return f


SQ, GSE, PARTS = load_squawks(), load_gse(), load_parts()
CM, TQ = load_cmms(), load_torque()
EX, FM = load_excavators(), load_fmea()

QUESTIONS = []


def q(qid, cat, op, question, answerable=True):
    def deco(fn):
        QUESTIONS.append(dict(id=qid, cat=cat, op=op, question=question, answerable=answerable, fn=fn))
        return fn
    return deco


# ============================================================================= SITE A
# --- count
@q('ka-01', 'work_order', 'count',
   'How many squawks were written up against ATA 32 Landing Gear during 2023?')
def _():
    n = int(((SQ['date'].dt.year == 2023) & (SQ['ATA'] == '32 Landing Gear')).sum())
    return f'{n} squawks were booked to ATA 32 Landing Gear in 2023.', [str(n)], n


@q('ka-02', 'work_order', 'count',
   'Count the GPU-07 work records opened in 2023.')
def _():
    n = int(((GSE['Unit'] == 'GPU-07') & (GSE['date'].dt.year == 2023)).sum())
    return f'GPU-07 had {n} work records opened in 2023.', [str(n)], n


# --- count with threshold
@q('ka-03', 'work_order', 'count_threshold',
   'night shift, quick one - how many squawks in 2023 booked more than four labour hours (over 4.0 h)?')
def _():
    d = SQ[SQ['date'].dt.year == 2023]
    no_tie_at(d['labor'], 4.0)
    n = int((d['labor'] > 4.0).sum())
    return f'{n} squawks in 2023 booked more than 4.0 labour hours.', [str(n)], n


@q('ka-04', 'table', 'count_threshold',
   'Stores here. In the parts catalogue, how many part numbers have a unit price above one thousand dollars ($1,000)?')
def _():
    no_tie_at(PARTS['Unit Price'], 1000)
    n = int((PARTS['Unit Price'] > 1000).sum())
    return f'{n} catalogue parts have a unit price above $1,000.', [str(n)], n


# --- dates
@q('ka-05', 'work_order', 'date',
   'Pull up the date the first squawk of 2024 was reported.')
def _():
    d = SQ[SQ['date'].dt.year == 2024]
    r = one(d[d['date'] == d['date'].min()], 'on the first 2024 date')
    return (f"The first 2024 squawk was reported on {day(r['date'])} (squawk {r['Squawk No']}, {r['Tail']}).",
            [day(r['date'])], day(r['date']))


@q('ka-06', 'work_order', 'date',
   'tug-2 - when did it last come in for a work record?')
def _():
    d = GSE[GSE['Unit'] == 'TUG-2']
    r = one(d[d['date'] == d['date'].max()], 'on the last TUG-2 date')
    return (f"TUG-2's latest work record ({r['Record No']}) was opened on {day(r['date'])}.",
            [day(r['date'])], day(r['date']))


# --- sums
@q('ka-07', 'work_order', 'sum',
   'N61904 labour hrs H2 2024 (Jul-Dec) total?')
def _():
    d = between(SQ[SQ['Tail'] == 'N61904'], 'date', '2024-07-01', '2025-01-01')
    v = dsum(d['labor'])
    return f'N61904 booked {num(v)} labour hours across {len(d)} squawks in July-December 2024.', [num(v)], num(v)


@q('ka-08', 'work_order', 'sum',
   "I'm pulling numbers for the budget review: what did we spend in total on GPU-07 work records in calendar year 2022?")
def _():
    d = GSE[(GSE['Unit'] == 'GPU-07') & (GSE['date'].dt.year == 2022)]
    v = dsum(d['cost'])
    return f'GPU-07 work records in 2022 cost ${money(v)} in total ({len(d)} records).', [money(v)], money(v)


# --- max / min
@q('ka-09', 'work_order', 'max',
   'Which 2023 squawk ate the most labour hours, and how many hours was it?')
def _():
    r = unique_extreme(SQ[SQ['date'].dt.year == 2023], 'labor', 'max')
    return (f"Squawk {r['Squawk No']} ({r['Tail']}, {day(r['date'])}) with {num(r['labor'])} labour hours.",
            [r['Squawk No'], num(r['labor'])], f"{r['Squawk No']} {num(r['labor'])}")


@q('ka-10', 'table', 'min',
   'Cheapest part we buy from Northstar Avionics - part number and unit price?')
def _():
    r = unique_extreme(PARTS[PARTS['Vendor'] == 'Northstar Avionics'], 'Unit Price', 'min')
    return (f"{r['Part No']} ({r['Description']}) at ${money(r['Unit Price'])}.",
            [r['Part No'], money(r['Unit Price'])], f"{r['Part No']} {money(r['Unit Price'])}")


# --- top-N
@q('ka-11', 'work_order', 'top_n',
   'Top 3 tails for number of squawks in 2024?')
def _():
    counts = SQ[SQ['date'].dt.year == 2024].groupby('Tail').size()
    t = top_n(counts, 3)
    txt = ', '.join(f'{k} ({v})' for k, v in t.items())
    return f'Most squawks in 2024: {txt}.', list(t.index), ' '.join(t.index)


# --- group-by
@q('ka-12', 'work_order', 'group_by',
   'Show me total downtime hours for each piece of ground support equipment in 2024, unit by unit.')
def _():
    g = GSE[GSE['date'].dt.year == 2024].groupby('Unit')['down'].apply(dsum)
    txt = '; '.join(f'{k}: {num(v)} h' for k, v in g.items())
    mc = [x for k, v in g.items() for x in (k, num(v))]
    return f'GSE downtime in 2024 - {txt}.', mc, txt


@q('ka-13', 'work_order', 'group_by',
   'Break down the labour hours booked in Q3 2024 (July-September) by mechanic.')
def _():
    d = between(SQ, 'date', '2024-07-01', '2024-10-01')
    g = d.groupby('Mechanic')['labor'].apply(dsum)
    txt = '; '.join(f'{k}: {num(v)} h' for k, v in g.items())
    mc = [x for k, v in g.items() for x in (k.split('. ', 1)[1], num(v))]
    assert len(set(num(v) for v in g.values)) == len(g)
    return f'Labour hours booked in Q3 2024 - {txt}.', mc, txt


# --- average
@q('ka-14', 'work_order', 'average',
   'On average, what did a DEICE-1 work record cost us in 2024?')
def _():
    d = GSE[(GSE['Unit'] == 'DEICE-1') & (GSE['date'].dt.year == 2024)]
    m = exact_mean(d['cost'])
    return (f'DEICE-1 averaged ${money(m)} per work record in 2024 ({len(d)} records, ${money(dsum(d["cost"]))} total).',
            [money(m)], money(m))


# --- lookup
@q('ka-15', 'table', 'lookup',
   "What's the lead time in days on LW-61420?")
def _():
    r = one(PARTS[PARTS['Part No'] == 'LW-61420'])
    v = int(r['Lead Time (days)'])
    return f"LW-61420 ({r['Description']}) has a lead time of {v} days.", [str(v)], v


# --- near miss
@q('ka-16', 'work_order', 'near_miss',
   'GPU-08 downtime 2023 total?', answerable=False)
def _():
    assert 'GPU-08' not in set(GSE['Unit']) and 'GPU-08' not in set(SQ['Tail'])
    assert not GSE['Record No'].str.contains('GPU-08').any()
    units = ', '.join(sorted(GSE['Unit'].unique()))
    return (f'There is no GPU-08 in the records; the GSE work records only cover {units}.', [], 'absent')


# ============================================================================= SITE B
@q('kb-01', 'work_order', 'count',
   'Between January 2022 and December 2024, how many work orders did PRESS-03 get?')
def _():
    n = int((CM['asset'] == 'PRESS-03').sum())
    return f'PRESS-03 had {n} work orders from 2022 through 2024.', [str(n)], n


@q('kb-02', 'work_order', 'count',
   'Count the preventive maintenance jobs (failure code PM) logged across 2022, 2023 and 2024.')
def _():
    n = int((CM['code'] == 'PM').sum())
    return f'{n} work orders carry failure code PM across 2022-2024.', [str(n)], n


@q('kb-03', 'work_order', 'count_threshold',
   '2024 - how many tickets came in under seventy-five dollars ($75) total cost?')
def _():
    d = CM[CM['date'].dt.year == 2024]
    no_tie_at(d['cost'], 75)
    n = int((d['cost'] < 75).sum())
    return f'{n} work orders in 2024 cost less than $75.', [str(n)], n


@q('kb-04', 'work_order', 'count_threshold',
   'Since 1 July 2023, how many work orders have cost more than $300?')
def _():
    d = CM[CM['date'] >= pd.Timestamp('2023-07-01')]
    no_tie_at(d['cost'], 300)
    n = int((d['cost'] > 300).sum())
    return f'{n} work orders since 2023-07-01 cost more than $300.', [str(n)], n


@q('kb-05', 'work_order', 'date',
   'When was the first LEAK failure-code work order raised in 2024?')
def _():
    d = CM[(CM['code'] == 'LEAK') & (CM['date'].dt.year == 2024)]
    first = d['date'].dt.normalize().min()
    r = one(d[d['date'].dt.normalize() == first], 'on the first LEAK 2024 day')
    return (f"The first 2024 LEAK work order was {r['wo']} on {r['asset']}, raised {day(r['date'])}.",
            [day(r['date'])], day(r['date']))


@q('kb-06', 'work_order', 'date',
   'Last ELEC work order of 2022 - what date was it created?')
def _():
    d = CM[(CM['code'] == 'ELEC') & (CM['date'].dt.year == 2022)]
    last = d['date'].dt.normalize().max()
    r = one(d[d['date'].dt.normalize() == last], 'on the last ELEC 2022 day')
    return (f"The last ELEC work order of 2022 was {r['wo']} on {r['asset']}, created {day(r['date'])}.",
            [day(r['date'])], day(r['date']))


@q('kb-07', 'work_order', 'sum',
   'Planner here - total spend on PRESS-03 work orders for 2022, 2023 and 2024 combined?')
def _():
    d = CM[CM['asset'] == 'PRESS-03']
    v = dsum(d['cost'])
    return f'PRESS-03 work orders cost ${money(v)} in total over 2022-2024 ({len(d)} work orders).', [money(v)], money(v)


@q('kb-08', 'work_order', 'sum',
   "What was CONV-14's total maintenance bill for 2022?")
def _():
    d = CM[(CM['asset'] == 'CONV-14') & (CM['date'].dt.year == 2022)]
    v = dsum(d['cost'])
    return f'CONV-14 work orders in 2022 came to ${money(v)} ({len(d)} work orders).', [money(v)], money(v)


@q('kb-09', 'work_order', 'max',
   'Priciest single work order in 2024: which WO number, and how much did it cost?')
def _():
    r = unique_extreme(CM[CM['date'].dt.year == 2024], 'cost', 'max')
    return (f"{r['wo']} on {r['asset']} ({day(r['date'])}) at ${money(r['cost'])}.",
            [r['wo'], money(r['cost'])], f"{r['wo']} {money(r['cost'])}")


@q('kb-10', 'table', 'min',
   'On HPU-3, which fastener has the lowest torque spec, and what is it in N·m?')
def _():
    r = unique_extreme(TQ[TQ['Asset'] == 'HPU-3'], 'Nm', 'min')
    assert r['Component'] == 'Pressure filter drain plug'
    return (f"{r['Component']} at {num(r['Nm'])} N·m ({r['Torque (lbf·ft)']} lbf·ft).",
            ['drain plug', num(r['Nm'])], f"{r['Component']} {num(r['Nm'])}")


@q('kb-11', 'work_order', 'top_n',
   'Which three assets lost the most hours to downtime in 2024?')
def _():
    s = CM[CM['date'].dt.year == 2024].groupby('asset')['down'].apply(dsum)
    t = top_n(s, 3)
    txt = ', '.join(f'{k} ({num(v)} h)' for k, v in t.items())
    return f'Most downtime in 2024: {txt}.', list(t.index), ' '.join(t.index)


@q('kb-12', 'work_order', 'group_by',
   'Plant manager, prepping the budget review - compare what we spent on ROBOT-4 versus ROBOT-5 in 2024.')
def _():
    d = CM[CM['asset'].isin(['ROBOT-4', 'ROBOT-5']) & (CM['date'].dt.year == 2024)]
    g = d.groupby('asset')['cost'].apply(dsum)
    txt = '; '.join(f'{k}: ${money(v)}' for k, v in g.items())
    mc = [x for k, v in g.items() for x in (k, money(v))]
    return f'2024 spend - {txt}.', mc, txt


@q('kb-13', 'work_order', 'group_by',
   'Hours each press was off the line in 2023 - PRESS-01 to PRESS-04, one figure per press please.')
def _():
    d = CM[CM['asset'].str.startswith('PRESS-') & (CM['date'].dt.year == 2023)]
    g = d.groupby('asset')['down'].apply(dsum)
    assert list(g.index) == ['PRESS-01', 'PRESS-02', 'PRESS-03', 'PRESS-04']
    txt = '; '.join(f'{k}: {num(v)} h' for k, v in g.items())
    mc = [x for k, v in g.items() for x in (k, num(v))]
    return f'Downtime in 2023 - {txt}.', mc, txt


@q('kb-14', 'work_order', 'average',
   'conv12 average cost per work order over 2022-2024?')
def _():
    d = CM[CM['asset'] == 'CONV-12']
    m = exact_mean(d['cost'])
    return (f'CONV-12 averaged ${money(m)} per work order over 2022-2024 ({len(d)} work orders, ${money(dsum(d["cost"]))} total).',
            [money(m)], money(m))


@q('kb-15', 'table', 'lookup',
   'Torque for the robot base anchor bolts on ROBOT-5, in N·m?')
def _():
    r = one(TQ[TQ['Asset'].str.contains('ROBOT-5') & (TQ['Component'] == 'Robot base anchor bolts')])
    return (f"Robot base anchor bolts (ROBOT-4 / ROBOT-5): {num(r['Nm'])} N·m ({r['Torque (lbf·ft)']} lbf·ft), {r['Fastener']}, {r['Size / grade']}.",
            [num(r['Nm'])], num(r['Nm']))


@q('kb-16', 'work_order', 'near_miss',
   'How many hours was PRESS-05 out of action in 2023?', answerable=False)
def _():
    assert 'PRESS-05' not in set(CM['asset']) and not TQ['Asset'].str.contains('PRESS-05').any()
    presses = ', '.join(sorted(a for a in CM['asset'].unique() if a.startswith('PRESS')))
    return f'There is no PRESS-05 in the work orders; the presses on record are {presses}.', [], 'absent'


# ============================================================================= SITE C
@q('kc-01', 'work_order', 'count',
   'How many work orders were raised on excavator E between April and September 2010?')
def _():
    n = len(between(EX[EX['Asset'] == 'E'], 'date', '2010-04-01', '2010-10-01'))
    return f'Excavator E had {n} work orders from April to September 2010.', [str(n)], n


@q('kc-02', 'fmea', 'count',
   'How many FMEA entries are there for the Data Collection Unit (DCU) component?')
def _():
    n = int((FM['Component'] == 'Data Collection Unit (DCU)').sum())
    return f'The Data Collection Unit (DCU) component has {n} FMEA lines.', [str(n)], n


@q('kc-03', 'fmea', 'count_threshold',
   'Reliability review: how many lines in the haul truck FMEA carry an RPN of 25 or more?')
def _():
    no_tie_at(FM['RPN'], 24.5)
    n = int((FM['RPN'] >= 25).sum())
    assert not (FM['RPN'] == 25).any()
    return f'{n} FMEA lines have an RPN of 25 or more.', [str(n)], n


@q('kc-04', 'work_order', 'count_threshold',
   'Excavator C, calendar 2008: count the work orders that cost over ten thousand dollars ($10,000).')
def _():
    d = EX[(EX['Asset'] == 'C') & (EX['date'].dt.year == 2008)]
    no_tie_at(d['cost'], 10000)
    n = int((d['cost'] > 10000).sum())
    return f'{n} work orders on excavator C in 2008 cost more than $10,000.', [str(n)], n


@q('kc-05', 'work_order', 'date',
   'When did excavator C get its first PM02 work order?')
def _():
    d = EX[(EX['Asset'] == 'C') & (EX['PMType'] == 'PM02')]
    r = one(d[d['date'] == d['date'].min()], 'on the first C PM02 date')
    return f"Excavator C's first PM02 work order is dated {day(r['date'])}.", [day(r['date'])], day(r['date'])


@q('kc-06', 'work_order', 'date',
   "What's the date of the last work order on record for excavator A?")
def _():
    d = EX[EX['Asset'] == 'A']
    r = one(d[d['date'] == d['date'].max()], 'on the last A date')
    return f"Excavator A's last work order is dated {day(r['date'])}.", [day(r['date'])], day(r['date'])


@q('kc-07', 'work_order', 'sum',
   'Total work-order cost for excavator C over calendar 2007?')
def _():
    d = EX[(EX['Asset'] == 'C') & (EX['date'].dt.year == 2007)]
    v = dsum(d['cost'])
    return f'Excavator C work orders in 2007 cost ${money(v)} in total ({len(d)} work orders).', [money(v)], money(v)


@q('kc-08', 'fmea', 'sum',
   'Add up the RPNs of every line under the Fire Suppression System subsystem.')
def _():
    d = FM[FM['Subsystem'] == 'Fire Suppression System']
    assert (d['RPN'] == d['Severity'] * d['Occurrence'] * d['Detection']).all()
    v = int(d['RPN'].sum())
    return f'The {len(d)} Fire Suppression System lines have RPNs summing to {v}.', [str(v)], v


@q('kc-09', 'work_order', 'max',
   'Biggest single work order on excavator B in 2004 - what date, and what did it cost?')
def _():
    r = unique_extreme(EX[(EX['Asset'] == 'B') & (EX['date'].dt.year == 2004)], 'cost', 'max')
    return (f"The {day(r['date'])} work order ({r['OriginalShorttext']}) at ${money(r['cost'])}.",
            [day(r['date']), money(r['cost'])], f"{day(r['date'])} {money(r['cost'])}")


@q('kc-10', 'fmea', 'min',
   'In the Power Unit subsystem, which FMEA line has the lowest RPN? Give the sub-component, the failure mode and the RPN.')
def _():
    r = unique_extreme(FM[FM['Subsystem'] == 'Power Unit'], 'RPN', 'min')
    return (f"{r['Component']} / {r['Sub-Component']} - {r['Potential Failure Mode']}, RPN {r['RPN']} "
            f"(S{r['Severity']} x O{r['Occurrence']} x D{r['Detection']}).",
            [r['Sub-Component'], r['Potential Failure Mode'], str(r['RPN'])],
            f"{r['Sub-Component']} {r['Potential Failure Mode']} {r['RPN']}")


@q('kc-11', 'fmea', 'top_n',
   'Which three Power Unit components show up most often in the FMEA (by number of lines)?')
def _():
    s = FM[FM['Subsystem'] == 'Power Unit'].groupby('Component').size()
    t = top_n(s, 3)
    txt = ', '.join(f'{k} ({v})' for k, v in t.items())
    return f'Most FMEA lines in Power Unit: {txt}.', list(t.index), ' | '.join(t.index)


@q('kc-12', 'work_order', 'group_by',
   'For 2011, give me the work-order count per excavator.')
def _():
    g = EX[EX['date'].dt.year == 2011].groupby('Asset').size()
    txt = '; '.join(f'{k}: {v}' for k, v in g.items())
    assert len(set(g.values)) == len(g)
    return f'Work orders in 2011 - {txt}.', [str(v) for v in g.values], txt


@q('kc-13', 'fmea', 'group_by',
   'Show me how many FMEA lines each subsystem has.')
def _():
    g = FM.groupby('Subsystem').size()
    txt = '; '.join(f'{k}: {v}' for k, v in g.items())
    mc = [x for k, v in g.items() for x in (k, str(v))]
    return f'FMEA lines per subsystem - {txt}.', mc, txt


@q('kc-14', 'work_order', 'average',
   'Average cost of a PM02 work order on excavator E in 2011?')
def _():
    d = EX[(EX['Asset'] == 'E') & (EX['date'].dt.year == 2011) & (EX['PMType'] == 'PM02')]
    m = exact_mean(d['cost'])
    return (f'Excavator E PM02 work orders in 2011 averaged ${money(m)} ({len(d)} work orders, ${money(dsum(d["cost"]))} total).',
            [money(m)], money(m))


@q('kc-15', 'fmea', 'lookup',
   'What current controls does the FMEA list for the turbocharger leaking failure mode?')
def _():
    r = one(FM[(FM['Sub-Component'] == 'Turbocharger') & (FM['Potential Failure Mode'] == 'Leaking')])
    v = r['Current Controls']
    assert v == 'Inspect induction hoses and joints every 125 hour service'
    return (f"{r['Component']} / Turbocharger, Leaking: current controls - \"{v}\".",
            ['induction hoses', '125 hour'], v)


@q('kc-16', 'work_order', 'near_miss',
   'How many work orders did excavator F have in 2008?', answerable=False)
def _():
    assert 'F' not in set(EX['Asset'])
    return (f"There is no excavator F in the work orders; the data covers excavators {', '.join(sorted(EX['Asset'].unique()))}.",
            [], 'absent')


# ============================================================================= run
def build():
    out = {'a': [], 'b': [], 'c': []}
    for item in QUESTIONS:
        ref, must, value = item['fn']()
        if not item['answerable']:
            assert must == []
        for m in must:
            assert m and m in ref, (item['id'], m)
        rec = {
            'id': item['id'],
            'question': item['question'],
            'reference_answer': ref,
            'must_contain': must,
            'gold_sources': [],
            'answerable': item['answerable'],
            'tags': ['records', item['cat'], item['op']],
            'split': 'fresh8',
        }
        out[item['id'][1]].append((rec, value))
    return out


EXPECTED_MIX = {'count': 2, 'count_threshold': 2, 'date': 2, 'sum': 2, 'max': 1, 'min': 1,
                'top_n': 1, 'group_by': 2, 'average': 1, 'lookup': 1, 'near_miss': 1}


def main():
    out = build()
    ids = [r['id'] for v in out.values() for r, _ in v]
    assert len(ids) == len(set(ids)) == 48
    for site, recs in out.items():
        assert len(recs) == 16, site
        assert all(r['id'].startswith(f'k{site}-') for r, _ in recs)
        mix = {}
        for r, _ in recs:
            mix[r['tags'][2]] = mix.get(r['tags'][2], 0) + 1
        assert mix == EXPECTED_MIX, (site, mix)
        qs = [r['question'] for r, _ in recs]
        assert len(set(qs)) == len(qs)
    for site, recs in out.items():
        for r, value in recs:
            print(f"{r['id']}  {r['tags'][2]}  {value}")
    if '--write' in sys.argv:
        for site, recs in out.items():
            path = HERE / f'site_{site}.jsonl'
            with open(path, 'w', encoding='utf-8') as fh:
                for r, _ in recs:
                    fh.write(json.dumps(r, ensure_ascii=False) + '\n')
            print(f'wrote {path} ({len(recs)} questions)', file=sys.stderr)


if __name__ == '__main__':
    main()
