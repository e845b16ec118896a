"""Compute the gold answers for the fresh_tables question set.

Run from anywhere with the project venv:

    /work/main/.venv/bin/python datasets/fresh_tables/compute_gold.py          # print id -> value
    /work/main/.venv/bin/python datasets/fresh_tables/compute_gold.py --write  # also rewrite site_*.jsonl

Every gold value below is computed from the source files; nothing is typed in by hand
except the question wording. Quirks of the sources that the loaders handle:

Site A  maintenance_log_2022-2024.xlsx: one sheet per year (Notes sheet skipped); some
        'Date Reported' cells are text DD-MMM-YYYY, the rest are real dates (shown as
        mm/dd/yyyy); blank Parts Cost = invoice pending.
Site B  cmms_export_2022_2023.csv and cmms_export_2024.xlsx are one log with two schemas
        (WO Number/WONUM, Equipment ID/ASSETNUM, Technician 'M. Reyes'/LEAD 'MREYES', ...).
        CSV row WO-22-0070 has an unquoted comma in the problem text (11 fields);
        WO-23-0002 has a blank Total Cost. torque_specs.csv leaves Asset blank on
        continuation rows (filled down here).
Site C  excavators.csv line 3454 ('won,t swing') has a stray comma and no cost field:
        repaired to text "won,t swing", PMType PM01, cost blank.
        fmea_dataset_filled.csv: one row (Transmission ECU solenoid wiring corrosion) has
        RPN 0 although S*O*D = 12; no question here aggregates over that row.
"""
import csv
import json
import os
import sys

import pandas as pd

HANGAR = '/work/main/sample_hangar/docs'
PLANT = '/work/main/sample_plant/docs'
SHARED = '/work/shared/corpora'
OUT_DIR = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- loaders
def load_squawks():
    frames = []
    for s in ['2022', '2023', '2024']:
        d = pd.read_excel(f'{HANGAR}/logs/maintenance_log_2022-2024.xlsx', sheet_name=s,
                          dtype={'Squawk No': str})
        d['sheet'] = s
        frames.append(d)
    m = pd.concat(frames, ignore_index=True)
    m['date'] = m['Date Reported'].map(
        lambda v: pd.to_datetime(v, format='%d-%b-%Y') if isinstance(v, str) else pd.Timestamp(v))
    m = m.rename(columns={'Squawk No': 'sq', 'Tail': 'tail_no', 'Discrepancy': 'disc',
                          'Corrective Action': 'ca', 'ATA': 'ata', 'Labor Hrs': 'hrs',
                          'Parts Cost ($)': 'cost', 'Mechanic': 'mech'})
    m['ata_ch'] = m.ata.str.split().str[0]
    m['yr'] = m.date.dt.year
    assert (m.yr.astype(str) == m.sheet).all()
    return m


def load_gse():
    g = pd.read_csv(f'{HANGAR}/logs/gse_work_records.csv')
    g = g.rename(columns={'Record No': 'rec', 'Unit': 'unit', 'Opened': 'opened',
                          'Reported Problem': 'prob', 'Corrective Action': 'ca',
                          'Downtime (h)': 'down', 'Cost': 'cost', 'Tech': 'tech'})
    g['date'] = pd.to_datetime(g.opened)
    g['yr'] = g.date.dt.year
    return g


def load_parts():
    return pd.read_csv(f'{HANGAR}/tables/parts_catalogue.csv', dtype={'ATA': str})


def load_troubleshooting():
    t = pd.read_excel(f'{HANGAR}/tables/troubleshooting_wheels_brakes.xlsx', sheet_name='Wheels & Brakes')
    t['Symptom'] = t['Symptom'].ffill()
    return t


def load_plant():
    rows = list(csv.reader(open(f'{PLANT}/work_orders/cmms_export_2022_2023.csv', encoding='utf-8-sig')))
    hdr, data = rows[0], []
    for r in rows[1:]:
        if len(r) == 11:  # WO-22-0070: unquoted comma inside Problem Description
            r = r[:3] + [r[3] + ',' + r[4]] + r[5:]
        assert len(r) == 10, r
        data.append(r)
    a = pd.DataFrame(data, columns=hdr)
    a = pd.DataFrame({
        'wo': a['WO Number'], 'date': pd.to_datetime(a['Date Created']), 'asset': a['Equipment ID'],
        'problem': a['Problem Description'], 'action': a['Action Taken'], 'fcode': a['Failure Code'],
        'cost': pd.to_numeric(a['Total Cost'].replace('', None)), 'down': pd.to_numeric(a['Downtime (h)']),
        'tech': a['Technician'], 'status': a['Status']})
    b = pd.read_excel(f'{PLANT}/work_orders/cmms_export_2024.xlsx', sheet_name='WORKORDER', dtype={'WONUM': str})
    b = pd.DataFrame({
        'wo': b.WONUM, 'date': pd.to_datetime(b.REPORTDATE), 'asset': b.ASSETNUM, 'problem': b.DESCRIPTION,
        'action': b.REMARKS, 'fcode': b.FAILURECODE, 'cost': b.ACTTOTALCOST.astype(float),
        'down': b.DOWNTIME.astype(float), 'tech': b.LEAD, 'status': b.STATUS})
    p = pd.concat([a, b], ignore_index=True)
    assert not p.wo.duplicated().any()
    p['yr'] = p.date.dt.year
    # 'M. Reyes' (CSV) and 'MREYES' (XLSX) are the same person
    p['tech_key'] = p.tech.str.replace(r'[^A-Za-z]', '', regex=True).str.upper()
    return p


def load_torque():
    t = pd.read_csv(f'{PLANT}/tables/torque_specs.csv')
    t['Asset'] = t['Asset'].ffill()
    return t


def load_exc():
    rows = list(csv.reader(open(f'{SHARED}/excavator_work_orders/excavators.csv', encoding='utf-8-sig')))
    hdr, data = rows[0], []
    for r in rows[1:]:
        if r[3] == 't swing':  # line 3454: "won,t swing" split by a stray comma, cost missing
            r = [r[0], r[1], r[2] + ',' + r[3], r[4], '']
        data.append(r)
    e = pd.DataFrame(data, columns=hdr)
    e['date'] = pd.to_datetime(e.BscStartDate)
    e['yr'] = e.date.dt.year
    e['cost'] = pd.to_numeric(e.Cost.replace('', None))
    return e


def load_fmea():
    return pd.read_csv(f'{SHARED}/fmea_haul_truck/fmea_dataset_filled.csv', encoding='utf-8-sig')


# ---------------------------------------------------------------- helpers
def money(v):
    return f'{round(float(v) + 1e-9, 2):.2f}'


def hrs(v):
    s = f'{round(float(v) + 1e-9, 2):.2f}'.rstrip('0')
    return s + '0' if s.endswith('.') else s


def iso(ts):
    return pd.Timestamp(ts).strftime('%Y-%m-%d')


def only(df):
    assert len(df) == 1, df
    return df.iloc[0]


def ranked(series, n):
    """Top n of a series, asserting there is no tie at the cut-off."""
    s = series.sort_values(ascending=False)
    assert s.iloc[n - 1] != s.iloc[n], s.head(n + 1)
    return s.head(n)


Q = []  # (site, id, question, tags, answerable, fn) ; fn() -> (value, must_contain, reference_answer)


def q(site, qid, question, tags, answerable=True):
    def deco(fn):
        Q.append((site, qid, question, tags, answerable, fn))
        return fn
    return deco


# ================================================================ SITE A
m, g, parts, tsb = load_squawks(), load_gse(), load_parts(), load_troubleshooting()


@q('a', 'fa-count-tug2-2023', 'How many work records did we open on TUG-2 in 2023?', ['work_order', 'count'])
def _():
    n = int(((g.unit == 'TUG-2') & (g.yr == 2023)).sum())
    return n, [str(n)], f'{n} GSE work records for unit TUG-2 with an Opened date in 2023 (gse_work_records.csv).'


@q('a', 'fa-count-parts-below-min', 'How many part numbers in the parts catalogue are currently below their minimum stock level?',
   ['table', 'count'])
def _():
    x = parts[parts['Qty On Hand'] < parts['Min Stock']]
    n = len(x)
    return n, [str(n)], (f'{n} catalogue lines have Qty On Hand strictly below Min Stock '
                         f'({", ".join(x["Part No"])}).')


@q('a', 'fa-count-shimmy-causes', 'Nose wheel is shimmying - how many possible causes does the wheels and brakes troubleshooting chart give for that?',
   ['table', 'count'])
def _():
    x = tsb[tsb.Symptom == 'Nose wheel shimmy']
    n = len(x)
    return n, [str(n)], (f'{n} possible causes are listed under "Nose wheel shimmy": '
                         f'{"; ".join(x["Possible Cause"])}.')


@q('a', 'fa-date-last-prop-n1187t', 'What was the most recent propeller (ATA 61) squawk on N1187T? Give me the squawk number and date.',
   ['work_order', 'date'])
def _():
    r = m[(m.tail_no == 'N1187T') & (m.ata_ch == '61')].sort_values('date').iloc[-1]
    return r.sq, [r.sq], (f'Squawk {r.sq}, reported {iso(r.date)} ("{r.disc}"), is the latest ATA 61 squawk '
                          f'on N1187T across the 2022-2024 sheets.')


@q('a', 'fa-date-first-icerain-n61904', "Which was N61904's first ice and rain protection squawk in the log, and when was it written up?",
   ['work_order', 'date'])
def _():
    r = m[(m.tail_no == 'N61904') & (m.ata_ch == '30')].sort_values('date').iloc[0]
    return r.sq, [r.sq], (f'Squawk {r.sq}, reported {iso(r.date)} ("{r.disc}"), is the earliest ATA 30 squawk '
                          f'on N61904 in the 2022-2024 log.')


@q('a', 'fa-date-deice1-fluid-pump', 'When did DEICE-1 last get a new de-ice fluid pump?', ['work_order', 'date'])
def _():
    x = g[(g.unit == 'DEICE-1') & g.ca.str.contains('fluid pump', case=False)].sort_values('date')
    r = x.iloc[-1]
    return r.opened, [r.opened], (f'{r.opened} (record {r.rec}, "{r.ca}"); the fluid pump LW-90530 was replaced '
                                  f'{len(x)} times on DEICE-1 and this is the latest.')


@q('a', 'fa-sum-labor-n350kv-2023', 'Total labour hours booked against N350KV in 2023?', ['work_order', 'sum'])
def _():
    x = m[(m.tail_no == 'N350KV') & (m.yr == 2023)]
    v = hrs(x.hrs.sum())
    return v, [v], f'{v} h: sum of Labor Hrs over the {len(x)} squawks on N350KV in the 2023 sheet.'


@q('a', 'fa-sum-gse-cost-tug2-q4-2024', 'How much did we spend on TUG-2 between October and December 2024?', ['work_order', 'sum'])
def _():
    x = g[(g.unit == 'TUG-2') & (g.date >= '2024-10-01') & (g.date <= '2024-12-31')]
    assert x.cost.notna().all()
    v = money(x.cost.sum())
    return v, [v], f'${v}: sum of Cost over the {len(x)} TUG-2 GSE records opened 2024-10-01 to 2024-12-31.'


@q('a', 'fa-max-labor-squawk', 'Which single squawk took the most labour hours in the whole 2022-2024 log?', ['work_order', 'max'])
def _():
    r = only(m[m.hrs == m.hrs.max()])
    return r.sq, [r.sq, hrs(r.hrs)], (f'Squawk {r.sq} on {r.tail_no} ({iso(r.date)}, "{r.disc}") with {hrs(r.hrs)} labour hours, '
                                       f'the maximum Labor Hrs across all three year sheets.')


@q('a', 'fa-min-price-ata32-part', "What's the cheapest landing gear (ATA 32) part in the catalogue?", ['table', 'min'])
def _():
    x = parts[parts.ATA == '32']
    r = only(x[x['Unit Price'] == x['Unit Price'].min()])
    return r['Part No'], [r['Part No']], (f'{r["Part No"]} ({r["Description"]}) at ${money(r["Unit Price"])}, the lowest '
                                           f'Unit Price among the {len(x)} ATA 32 catalogue lines.')


@q('a', 'fa-top3-tails-2024', 'Which three tails had the most squawks in 2024?', ['work_order', 'top_n'])
def _():
    s = ranked(m[m.yr == 2024].groupby('tail_no').size(), 3)
    return dict(s), list(s.index), ('By number of squawks in the 2024 sheet: '
                                    + ', '.join(f'{k} ({v})' for k, v in s.items()) + '.')


@q('a', 'fa-top3-mechanics-labor', 'Who are the top 3 mechanics by total labour hours booked over 2022-2024?', ['work_order', 'top_n'])
def _():
    s = ranked(m.groupby('mech').hrs.sum().round(2), 3)
    return dict(s), [k.split()[-1] for k in s.index], ('Sum of Labor Hrs per mechanic over all three sheets: '
                                                       + ', '.join(f'{k} ({hrs(v)} h)' for k, v in s.items()) + '.')


@q('a', 'fa-group-squawks-per-year', 'How many squawks did the fleet log each year, 2022 through 2024?', ['work_order', 'group_by'])
def _():
    s = m.groupby('yr').size()
    return dict(s), [str(v) for v in s.values], ('Rows per year sheet: ' + ', '.join(f'{k}: {v}' for k, v in s.items()) + '.')


@q('a', 'fa-group-gse-downtime-2024', 'Break down 2024 GSE downtime hours by unit.', ['work_order', 'group_by'])
def _():
    s = g[g.yr == 2024].groupby('unit').down.sum()
    keys = ['TUG-2', 'DEICE-1', 'GPU-09']
    return {k: hrs(v) for k, v in s.items()}, [hrs(s[k]) for k in keys], (
        'Sum of Downtime (h) per unit for records opened in 2024: ' + ', '.join(f'{k} {hrs(v)} h' for k, v in s.items()) + '.')


@q('a', 'fa-avg-labor-ata32-2023', 'On average, how many labour hours did a landing gear squawk take in 2023?', ['work_order', 'average'])
def _():
    x = m[(m.yr == 2023) & (m.ata_ch == '32')]
    v = hrs(x.hrs.mean())
    return v, [v], f'{v} h: mean Labor Hrs over the {len(x)} ATA 32 squawks in the 2023 sheet ({hrs(x.hrs.sum())} h total).'


@q('a', 'fa-nm-n61904-2021', 'How many squawks were written up on N61904 in 2021?', ['work_order', 'near_miss'], answerable=False)
def _():
    assert m.yr.min() == 2022
    return None, [], 'Not answerable: the squawk log only covers 2022-2024 (one sheet per year); there is no 2021 data.'


# ================================================================ SITE B
p, torque = load_plant(), load_torque()


@q('b', 'fb-count-press03-2023', 'How many work orders were raised on PRESS-03 in 2023?', ['work_order', 'count'])
def _():
    n = int(((p.asset == 'PRESS-03') & (p.yr == 2023)).sum())
    return n, [str(n)], f'{n} work orders with Equipment ID PRESS-03 created in 2023 (cmms_export_2022_2023.csv).'


@q('b', 'fb-count-leak-2023', 'How many jobs did we code as LEAK in 2023?', ['work_order', 'count'])
def _():
    n = int(((p.fcode == 'LEAK') & (p.yr == 2023)).sum())
    return n, [str(n)], f'{n} work orders created in 2023 with Failure Code LEAK.'


@q('b', 'fb-count-torque-press03', 'How many torque specs does the torque table list for PRESS-03?', ['table', 'count'])
def _():
    x = torque[torque.Asset == 'PRESS-03']
    n = len(x)
    return n, [str(n)], (f'{n} rows under PRESS-03 in torque_specs.csv (asset cell blank on continuation rows): '
                         + '; '.join(x.Component) + '.')


@q('b', 'fb-date-last-main-cyl-seal', 'When did PRESS-03 last have the main cylinder seal leak fixed?', ['work_order', 'date'])
def _():
    x = p[(p.asset == 'PRESS-03') & p.problem.str.contains(r'main\s+cyl', case=False, regex=True)].sort_values('date')
    r = x.iloc[-1]
    return iso(r.date), [iso(r.date)], (f'{iso(r.date)} (work order {r.wo}, "{r.problem}"), the latest of {len(x)} PRESS-03 '
                                        f'main cylinder seal leak work orders across both exports.')


@q('b', 'fb-date-first-oven1', 'When was the first work order ever raised on OVEN-1?', ['work_order', 'date'])
def _():
    r = p[p.asset == 'OVEN-1'].sort_values('date').iloc[0]
    return iso(r.date), [iso(r.date)], f'{iso(r.date)} (work order {r.wo}, "{r.problem}"), the earliest OVEN-1 work order in the log.'


@q('b', 'fb-date-last-robot4-pm', "When was ROBOT-4's quarterly PM last done?", ['work_order', 'date'])
def _():
    x = p[(p.asset == 'ROBOT-4') & p.problem.str.contains('quarterly robot PM', case=False)].sort_values('date')
    r = x.iloc[-1]
    return iso(r.date), [iso(r.date)], f'{iso(r.date)} (work order {r.wo}), the latest "PM - quarterly robot PM" work order on ROBOT-4.'


@q('b', 'fb-sum-down-press03-2023', 'How many hours of downtime did PRESS-03 rack up in 2023?', ['work_order', 'sum'])
def _():
    x = p[(p.asset == 'PRESS-03') & (p.yr == 2023)]
    v = hrs(x.down.sum())
    return v, [v], f'{v} h: sum of Downtime (h) over the {len(x)} PRESS-03 work orders created in 2023.'


@q('b', 'fb-sum-cost-conv14-2024', 'What did CONV-14 cost us in maintenance in 2024?', ['work_order', 'sum'])
def _():
    x = p[(p.asset == 'CONV-14') & (p.yr == 2024)]
    assert x.cost.notna().all()
    v = money(x.cost.sum())
    return v, [v], f'${v}: sum of ACTTOTALCOST over the {len(x)} CONV-14 work orders in the 2024 export.'


@q('b', 'fb-max-cost-wo', 'Which was the single most expensive work order from 2022 to 2024?', ['work_order', 'max'])
def _():
    r = only(p[p.cost == p.cost.max()])
    return r.wo, [r.wo], (f'Work order {r.wo} on {r.asset} ({iso(r.date)}, "{r.problem}") at ${money(r.cost)}, the highest '
                          f'total cost across both exports.')


@q('b', 'fb-min-downtime-asset-2024', 'Which machine had the least downtime in 2024?', ['work_order', 'min'])
def _():
    s = p[p.yr == 2024].groupby('asset').down.sum().sort_values()
    assert s.iloc[0] != s.iloc[1]
    return s.index[0], [s.index[0]], (f'{s.index[0]} with {hrs(s.iloc[0])} h of downtime in 2024 (next lowest: '
                                      f'{s.index[1]} {hrs(s.iloc[1])} h), summing Downtime per asset.')


@q('b', 'fb-top3-assets-wo', 'Which 3 assets had the most work orders over 2022-2024?', ['work_order', 'top_n'])
def _():
    s = ranked(p.groupby('asset').size(), 3)
    return dict(s), list(s.index), ('Work orders per asset across both exports: '
                                    + ', '.join(f'{k} ({v})' for k, v in s.items()) + '.')


@q('b', 'fb-top2-techs', 'Which two techs led the most work orders overall?', ['work_order', 'top_n'])
def _():
    s = ranked(p.groupby('tech_key').size(), 2)
    names = {'MREYES': 'M. Reyes', 'SNOVAK': 'S. Novak'}
    assert set(s.index) == set(names)
    return dict(s), ['Reyes', 'Novak'], ('Counting Technician (CSV) and LEAD (2024 XLSX, e.g. MREYES) as the same person: '
                                         + ', '.join(f'{names[k]} ({v})' for k, v in s.items()) + '.')


@q('b', 'fb-group-wo-per-year', 'How many work orders did we log per year, 2022, 2023 and 2024?', ['work_order', 'group_by'])
def _():
    s = p.groupby('yr').size()
    return dict(s), [str(v) for v in s.values], ('Work orders by creation year across both exports: '
                                                 + ', '.join(f'{k}: {v}' for k, v in s.items()) + '.')


@q('b', 'fb-group-press-downtime-2024', 'Give me 2024 downtime hours for each of the four presses.', ['work_order', 'group_by'])
def _():
    s = p[(p.yr == 2024) & p.asset.str.startswith('PRESS')].groupby('asset').down.sum()
    keys = ['PRESS-02', 'PRESS-03', 'PRESS-04']
    return {k: hrs(v) for k, v in s.items()}, [hrs(s[k]) for k in keys], (
        'Sum of DOWNTIME per press in the 2024 export: ' + ', '.join(f'{k} {hrs(v)} h' for k, v in s.items()) + '.')


@q('b', 'fb-avg-cost-robot4-2024', 'What was the average cost per work order on ROBOT-4 in 2024?', ['work_order', 'average'])
def _():
    x = p[(p.asset == 'ROBOT-4') & (p.yr == 2024)]
    v = money(x.cost.mean())
    return v, [v], f'${v}: mean ACTTOTALCOST over the {len(x)} ROBOT-4 work orders in 2024 (total ${money(x.cost.sum())}).'


@q('b', 'fb-nm-press05-2023', 'How many work orders did PRESS-05 have in 2023?', ['work_order', 'near_miss'], answerable=False)
def _():
    assert 'PRESS-05' not in set(p.asset)
    return None, [], 'Not answerable: there is no PRESS-05 in the CMMS exports (the presses are PRESS-01 to PRESS-04).'


# ================================================================ SITE C
e, f = load_exc(), load_fmea()


@q('c', 'fc-count-exc-a-2005', 'How many work orders did excavator A have in 2005?', ['work_order', 'count'])
def _():
    n = int(((e.Asset == 'A') & (e.yr == 2005)).sum())
    return n, [str(n)], f'{n} rows in excavators.csv with Asset A and BscStartDate in 2005.'


@q('c', 'fc-count-exc-c-pm02', 'How many PM02 orders are there for excavator C?', ['work_order', 'count'])
def _():
    n = int(((e.Asset == 'C') & (e.PMType == 'PM02')).sum())
    return n, [str(n)], f'{n} rows in excavators.csv with Asset C and PMType PM02 (2003-2012).'


@q('c', 'fc-count-fmea-pu-sev4', 'In the haul truck FMEA, how many Power Unit failure modes are rated severity 4?', ['fmea', 'count'])
def _():
    n = int(((f.Subsystem == 'Power Unit') & (f.Severity == 4)).sum())
    return n, [str(n)], f'{n} rows of fmea_dataset_filled.csv with Subsystem Power Unit and Severity 4.'


@q('c', 'fc-date-first-exc-c', 'When was the first work order recorded for excavator C?', ['work_order', 'date'])
def _():
    x = e[e.Asset == 'C']
    d = x.date.min()
    r = only(x[x.date == d])
    return iso(d), [iso(d)], f'{iso(d)} ("{r.OriginalShorttext}"), the earliest BscStartDate for Asset C.'


@q('c', 'fc-date-last-exc-a', 'What is the last date we have a work order for excavator A?', ['work_order', 'date'])
def _():
    x = e[e.Asset == 'A']
    d = x.date.max()
    r = only(x[x.date == d])
    return iso(d), [iso(d)], f'{iso(d)} ("{r.OriginalShorttext}"), the latest BscStartDate for Asset A.'


@q('c', 'fc-date-last-pm02-exc-e', 'When was the most recent PM02 job on excavator E?', ['work_order', 'date'])
def _():
    x = e[(e.Asset == 'E') & (e.PMType == 'PM02')]
    d = x.date.max()
    r = only(x[x.date == d])
    return iso(d), [iso(d)], f'{iso(d)} ("{r.OriginalShorttext}"), the latest of {len(x)} PM02 orders on excavator E.'


@q('c', 'fc-sum-exc-a-2004-07', 'What did the excavator A work orders cost in July 2004?', ['work_order', 'sum'])
def _():
    x = e[(e.Asset == 'A') & (e.date.dt.to_period('M') == pd.Period('2004-07'))]
    assert x.cost.notna().all()
    v = money(x.cost.sum())
    return v, [v], f'{v}: sum of Cost over the {len(x)} excavator A orders dated July 2004.'


@q('c', 'fc-sum-exc-a-2008-09', 'Total cost of excavator A jobs in September 2008?', ['work_order', 'sum'])
def _():
    x = e[(e.Asset == 'A') & (e.date.dt.to_period('M') == pd.Period('2008-09'))]
    assert x.cost.notna().all()
    v = money(x.cost.sum())
    return v, [v], f'{v}: sum of Cost over the {len(x)} excavator A orders dated September 2008.'


@q('c', 'fc-max-cost-exc-e', 'What was the most expensive single work order on excavator E, and when was it?', ['work_order', 'max'])
def _():
    x = e[e.Asset == 'E']
    r = only(x[x.cost == x.cost.max()])
    return iso(r.date), [iso(r.date)], (f'{iso(r.date)}, "{r.OriginalShorttext}" ({r.PMType}) at {money(r.cost)}, '
                                        f'the highest Cost among excavator E orders.')


@q('c', 'fc-max-rpn-power-unit', "What's the highest RPN in the Power Unit section of the FMEA, and which failure mode is it?", ['fmea', 'max'])
def _():
    x = f[f.Subsystem == 'Power Unit']
    r = only(x[x.RPN == x.RPN.max()])
    return int(r.RPN), [str(int(r.RPN)), r['Sub-Component']], (
        f'RPN {int(r.RPN)} for {r.Component} / {r["Sub-Component"]}, failure mode "{r["Potential Failure Mode"]}" '
        f'(S{r.Severity} x O{r.Occurrence} x D{r.Detection}); the maximum RPN in the Power Unit subsystem.')


@q('c', 'fc-top3-years-exc-d', 'Which 3 years had the most work orders on excavator D?', ['work_order', 'top_n'])
def _():
    s = ranked(e[e.Asset == 'D'].groupby('yr').size(), 3)
    return dict(s), [str(k) for k in s.index], ('Excavator D orders per year: '
                                                + ', '.join(f'{k} ({v})' for k, v in s.items()) + '.')


@q('c', 'fc-top3-components-fmea', 'Which three components have the most failure modes listed in the haul truck FMEA?', ['fmea', 'top_n'])
def _():
    s = ranked(f.groupby('Component').size(), 3)
    keys = {'Data Collection Unit (DCU)': 'DCU', 'Programmable Logic Controller (PLC)': 'PLC', 'Transmission': 'Transmission'}
    assert list(s.index) == list(keys)
    return dict(s), list(keys.values()), ('Rows per Component: ' + ', '.join(f'{k} ({v})' for k, v in s.items()) + '.')


@q('c', 'fc-group-exc-per-asset-2004', 'Break down the 2004 work orders by excavator.', ['work_order', 'group_by'])
def _():
    s = e[e.yr == 2004].groupby('Asset').size()
    keys = ['B', 'C', 'D']
    return dict(s), [str(s[k]) for k in keys], ('Orders dated 2004 per asset: '
                                                + ', '.join(f'{k}: {v}' for k, v in s.items()) + ' (E has none in 2004).')


@q('c', 'fc-group-fmea-per-subsystem', 'How many failure modes does the FMEA have for each subsystem?', ['fmea', 'group_by'])
def _():
    s = f.groupby('Subsystem').size().sort_values(ascending=False)
    return dict(s), [str(v) for v in s.values[:3]], ('Rows per Subsystem (filled-down sheet): '
                                                     + ', '.join(f'{k} {v}' for k, v in s.items()) + '.')


@q('c', 'fc-avg-rpn-power-frame', 'What is the average RPN across the Power Frame failure modes?', ['fmea', 'average'])
def _():
    x = f[f.Subsystem == 'Power Frame']
    assert (x.RPN == x.Severity * x.Occurrence * x.Detection).all()
    v = hrs(x.RPN.mean())
    return v, [v], f'{v}: mean RPN over the {len(x)} Power Frame rows (RPN total {int(x.RPN.sum())}).'


@q('c', 'fc-nm-exc-f', 'How much did we spend on excavator F in 2009?', ['work_order', 'near_miss'], answerable=False)
def _():
    assert 'F' not in set(e.Asset)
    return None, [], 'Not answerable: the excavator work orders cover only excavators A to E; there is no excavator F.'


# ---------------------------------------------------------------- main
def main():
    write = '--write' in sys.argv
    out = {'a': [], 'b': [], 'c': []}
    for site, qid, question, tags, answerable, fn in Q:
        value, must, ref = fn()
        if isinstance(value, dict):
            value = {(k.item() if hasattr(k, 'item') else k): (v.item() if hasattr(v, 'item') else v) for k, v in value.items()}
        elif hasattr(value, 'item'):
            value = value.item()
        print(f'{qid}\t{value}\tmust_contain={must}')
        out[site].append({
            'id': qid, 'question': question, 'reference_answer': ref, 'must_contain': must,
            'gold_sources': [], 'answerable': answerable,
            'tags': ['records'] + [t for t in tags],
            'split': 'fresh-dev' if len(out[site]) % 2 == 0 else 'fresh-test'})  # alternate: every kind in both
    for site, rows in out.items():
        ids = [r['id'] for r in rows]
        assert len(rows) == 16 and len(set(ids)) == 16, (site, len(rows))
        if write:
            with open(os.path.join(OUT_DIR, f'site_{site}.jsonl'), 'w', encoding='utf-8') as fh:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + '\n')
    if write:
        print('wrote site_a.jsonl, site_b.jsonl, site_c.jsonl')


if __name__ == '__main__':
    main()
