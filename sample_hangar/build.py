#!/usr/bin/env python3
"""Deterministic generator for the Harlow Field MRO sample site (a second, different site).

Reads ``sample_hangar/src/`` and writes ``docs/`` plus ``questions.jsonl``:

    python sample_hangar/build.py               # into sample_hangar/
    python sample_hangar/build.py --out /tmp/x  # into /tmp/x/docs and /tmp/x/questions.jsonl

Everything here is fictional. Re-running produces byte-identical files: fixed
random seeds, fixed dates, and DOCX/XLSX containers rewritten by sample_plant's
``normalize_zip`` (fixed zip timestamps and document properties).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import json
import random
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from sample_plant.build import normalize_zip  # noqa: E402  (fixed zip timestamps, shared with sample_plant)

SRC = HERE / "src"
FIXED_TS = dt.datetime(2024, 12, 31, 12, 0, 0)
COMPANY = "Harlow Field MRO"

LOG_NAME = "maintenance_log_2022-2024.xlsx"
GSE_NAME = "gse_work_records.csv"
CAT_NAME = "parts_catalogue.csv"
TS_XLSX = "troubleshooting_wheels_brakes.xlsx"
TS_SHEET = "Wheels & Brakes"
TS_DOCX = "gpu_troubleshooting_guide.docx"
YEARS = (2022, 2023, 2024)
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

# --------------------------------------------------------------------------
# Fleet, people, ATA chapters
# --------------------------------------------------------------------------

FLEET = {  # tail -> type
    "N27315": "K-19", "N4821K": "K-19", "N61904": "K-19", "N1187T": "K-19", "N5526W": "K-19",
    "N350KV": "K-34", "N7093R": "K-34", "N88214": "K-34",
}
# Random squawks per tail for 2022, 2023, 2024 (planted events come on top).
RATES = {
    "N27315": (33, 36, 31), "N4821K": (29, 34, 38), "N61904": (31, 30, 33), "N1187T": (26, 28, 25),
    "N5526W": (30, 27, 29), "N350KV": (35, 32, 30), "N7093R": (28, 31, 27), "N88214": (24, 29, 26),
}
MECHANICS = ("D. Ferreira", "R. Okafor", "J. Lindqvist", "M. Tran", "S. Barros", "K. Whitcomb")
ATA = {
    "21": "Air Conditioning", "23": "Communications", "24": "Electrical Power", "25": "Equipment/Furnishings",
    "27": "Flight Controls", "28": "Fuel", "29": "Hydraulic Power", "30": "Ice and Rain Protection",
    "32": "Landing Gear", "33": "Lights", "34": "Navigation", "36": "Pneumatic", "52": "Doors",
    "61": "Propellers", "73": "Engine Fuel and Control", "74": "Ignition", "79": "Oil", "80": "Starting",
}
TYPE_PARTS = {  # placeholders in templates that depend on the aircraft type
    "K-19": {"main_tire": "LW-32110", "brake": "LW-32240", "psi": "95"},
    "K-34": {"main_tire": "LW-32112", "brake": "LW-32245", "psi": "118"},
}

# --------------------------------------------------------------------------
# Parts catalogue: part no, description, ATA, unit price, vendor, lead time (days)
# --------------------------------------------------------------------------

V_CAS, V_MWB, V_TVR = "Cascade Aero Supply", "Meridian Wheel & Brake", "Tri-Valley Rotables"
V_NSA, V_PIN, V_HAR = "Northstar Avionics", "Pinecrest Battery Co.", "Harbor Lighting Co."
V_DVF, V_SUM, V_HOL = "Delta-V Fluid Power", "Summit Propeller Service", "Hollis Bearing Co."
V_GSE, V_RDG = "GSE Parts Direct", "Ridgeline Diesel"

CATALOGUE = [
    ("LW-12010", "OIL, TURBINE ENGINE, 1 US QT", "12", 14.85, V_CAS, 5),
    ("LW-12020", "FLUID, HYDRAULIC, 1 US GAL", "12", 61.30, V_CAS, 7),
    ("LW-12030", "GREASE, WHEEL BEARING, 1 LB", "12", 23.60, V_CAS, 7),
    ("LW-20110", "SAFETY WIRE, 0.032 IN, 1 LB", "20", 27.40, V_CAS, 5),
    ("LW-20120", "COTTER PIN ASSORTMENT", "20", 18.95, V_CAS, 5),
    ("LW-20215", "SEALANT, FUEL TANK, 6 OZ", "20", 74.20, V_CAS, 14),
    ("LW-21120", "FILTER, CABIN RECIRC FAN", "21", 38.75, V_CAS, 10),
    ("LW-21230", "SENSOR, CABIN TEMP", "21", 312.60, V_TVR, 21),
    ("LW-21350", "COMPRESSOR, VAPOR CYCLE", "21", 3185.00, V_TVR, 45),
    ("LW-21510", "VALVE, OUTFLOW, CABIN PRESSURE", "21", 4410.00, V_TVR, 60),
    ("LW-23150", "ANTENNA, VHF COMM", "23", 612.40, V_NSA, 21),
    ("LW-23310", "AMPLIFIER, PASSENGER ADDRESS", "23", 1275.00, V_NSA, 30),
    ("LW-23420", "JACK, PTT/HEADSET", "23", 46.80, V_NSA, 10),
    ("LW-24120", "BATTERY, MAIN, NI-CAD, 24 V", "24", 4985.00, V_PIN, 28),
    ("LW-24310", "GENERATOR CONTROL UNIT", "24", 3620.00, V_TVR, 35),
    ("LW-24415", "RELAY, BATTERY BUS", "24", 286.90, V_CAS, 14),
    ("LW-24520", "TERMINAL, RING, 1/4 IN, PKG 25", "24", 12.75, V_CAS, 5),
    ("LW-25140", "CARPET SECTION, AFT ENTRY", "25", 342.00, V_CAS, 21),
    ("LW-25310", "CABLE, SEAT RECLINE", "25", 58.20, V_CAS, 14),
    ("LW-25620", "LATCH, LAV DOOR", "25", 96.35, V_CAS, 12),
    ("LW-25710", "BELT ASSY, PASSENGER SEAT", "25", 148.00, V_CAS, 14),
    ("LW-27410", "ACTUATOR, ELEVATOR TRIM TAB", "27", 5240.00, V_TVR, 75),
    ("LW-27560", "TRANSMITTER, FLAP POSITION", "27", 1388.00, V_TVR, 40),
    ("LW-27610", "TURNBUCKLE, CONTROL CABLE", "27", 31.90, V_CAS, 10),
    ("LW-28110", "VALVE, FUEL SUMP DRAIN", "28", 64.80, V_CAS, 10),
    ("LW-28410", "PROBE, FUEL QUANTITY", "28", 1912.50, V_NSA, 45),
    ("LW-29110", "PUMP, HYDRAULIC, ENGINE DRIVEN", "29", 6875.00, V_DVF, 60),
    ("LW-32340", "SEAL KIT, MLG RETRACT ACTUATOR", "32", 148.60, V_DVF, 14),
    ("LW-29410", "FILTER ELEMENT, HYDRAULIC RETURN", "29", 88.15, V_DVF, 10),
    ("LW-30105", "PATCH KIT, DE-ICE BOOT", "30", 86.40, V_CAS, 7),
    ("LW-30220", "CONTROLLER, WINDSHIELD HEAT", "30", 2265.00, V_NSA, 30),
    ("LW-30340", "BOOT, PROPELLER DE-ICE", "30", 1140.00, V_SUM, 25),
    ("LW-32110", "TIRE ASSY, MAIN, K-19", "32", 398.25, V_MWB, 10),
    ("LW-32112", "TIRE ASSY, MAIN, K-34", "32", 516.80, V_MWB, 12),
    ("LW-32115", "TIRE ASSY, NOSE", "32", 214.60, V_MWB, 10),
    ("LW-32130", "BEARING CONE, MAIN WHEEL", "32", 42.15, V_HOL, 14),
    ("LW-32135", "SEAL, MAIN WHEEL GREASE", "32", 6.90, V_HOL, 14),
    ("LW-32240", "BRAKE ASSY, MAIN WHEEL, K-19", "32", 2875.00, V_MWB, 30),
    ("LW-32245", "BRAKE ASSY, MAIN WHEEL, K-34", "32", 3460.00, V_TVR, 45),
    ("LW-32510", "DAMPER, NLG SHIMMY", "32", 1630.00, V_TVR, 40),
    ("LW-32620", "TRANSDUCER, WHEEL SPEED", "32", 744.00, V_MWB, 28),
    ("LW-32710", "VALVE, PARKING BRAKE", "32", 905.00, V_DVF, 35),
    ("LW-32810", "SWITCH, PROXIMITY, MLG DOWNLOCK", "32", 377.50, V_NSA, 21),
    ("LW-32910", "VALVE CORE, TIRE", "32", 2.40, V_MWB, 5),
    ("LW-33010", "LAMP, NAVIGATION LIGHT", "33", 18.40, V_HAR, 5),
    ("LW-33120", "LAMP, LANDING LIGHT, LED", "33", 689.00, V_HAR, 21),
    ("LW-33210", "BEACON ASSY, LED", "33", 1045.00, V_HAR, 30),
    ("LW-33330", "LAMP, READING LIGHT", "33", 9.85, V_HAR, 5),
    ("LW-34220", "ANTENNA, VOR/LOC", "34", 455.00, V_NSA, 21),
    ("LW-34710", "DISPLAY, PRIMARY FLIGHT (PFD)", "34", 14300.00, V_NSA, 90),
    ("LW-36120", "CLAMP, BLEED DUCT, V-BAND", "36", 132.75, V_CAS, 10),
    ("LW-52130", "SWITCH, PROXIMITY, AIRSTAIR DOOR", "52", 212.00, V_NSA, 21),
    ("LW-52210", "SEAL, CARGO DOOR", "52", 268.30, V_CAS, 21),
    ("LW-61420", "GOVERNOR, PROPELLER OVERSPEED", "61", 7350.00, V_SUM, 105),
    ("LW-61510", "SCREW KIT, SPINNER BULKHEAD", "61", 22.70, V_SUM, 10),
    ("LW-73140", "FUEL CONTROL UNIT", "73", 24860.00, V_TVR, 90),
    ("LW-73210", "FILTER ELEMENT, ENGINE FUEL", "73", 57.90, V_CAS, 7),
    ("LW-74110", "PLUG, IGNITER", "74", 265.40, V_CAS, 14),
    ("LW-74250", "EXCITER, IGNITION", "74", 2380.00, V_TVR, 40),
    ("LW-79015", "O-RING, ACCESSORY GEARBOX PAD", "79", 1.85, V_CAS, 5),
    ("LW-79120", "FILTER ELEMENT, ENGINE OIL", "79", 72.45, V_CAS, 7),
    ("LW-79210", "DETECTOR, MAGNETIC CHIP", "79", 318.00, V_TVR, 21),
    ("LW-79330", "TRANSMITTER, OIL PRESSURE", "79", 1164.00, V_TVR, 35),
    ("LW-79410", "GASKET, OIL FILLER CAP", "79", 4.35, V_CAS, 7),
    ("LW-80110", "STARTER-GENERATOR, 28 VDC", "80", 8940.00, V_TVR, 45),
    ("LW-80115", "BRUSH SET, STARTER-GENERATOR", "80", 186.50, V_TVR, 21),
    ("LW-80210", "RELAY, START", "80", 410.00, V_CAS, 14),
    ("LW-90211", "FILTER, FUEL, GSE DIESEL", "GSE", 24.95, V_RDG, 7),
    ("LW-90214", "FILTER, AIR, GSE DIESEL", "GSE", 39.60, V_RDG, 7),
    ("LW-90216", "FILTER, OIL, GSE DIESEL", "GSE", 16.75, V_RDG, 7),
    ("LW-90310", "REGULATOR, VOLTAGE, GPU 28 VDC", "GSE", 1184.00, V_GSE, 21),
    ("LW-90320", "CONTACTOR, GPU OUTPUT", "GSE", 436.50, V_GSE, 14),
    ("LW-90330", "CABLE ASSY, GPU OUTPUT, 50 FT", "GSE", 912.00, V_GSE, 14),
    ("LW-90410", "HOSE, HYDRAULIC, GSE", "GSE", 127.80, V_GSE, 10),
    ("LW-90420", "PUMP, HYDRAULIC, TUG", "GSE", 1460.00, V_GSE, 30),
    ("LW-90430", "PIN, TOW BAR SHEAR", "GSE", 8.25, V_GSE, 5),
    ("LW-90510", "NOZZLE, DE-ICE SPRAY", "GSE", 214.00, V_GSE, 14),
    ("LW-90520", "HEATER ELEMENT, DE-ICE FLUID", "GSE", 1725.00, V_GSE, 35),
    ("LW-90530", "PUMP, DE-ICE FLUID", "GSE", 2890.00, V_GSE, 42),
    ("LW-90610", "BATTERY, 12 V, GSE", "GSE", 168.40, V_RDG, 5),
    ("LW-90620", "STARTER MOTOR, GSE DIESEL", "GSE", 642.00, V_RDG, 21),
    ("LW-90710", "TIRE, TUG, 18X7-8", "GSE", 186.25, V_GSE, 10),
]
PRICE = {p[0]: p[3] for p in CATALOGUE}


def catalogue_rows() -> list[dict]:
    """Catalogue with stock levels; row = CSV line number (header = line 1)."""
    rng = random.Random(3107)
    rows = []
    for i, (pn, desc, ata, price, vendor, lead) in enumerate(sorted(CATALOGUE)):
        choices = (10, 20, 25) if price < 50 else (2, 4, 6) if price < 1000 else (0, 1, 2)
        min_stock = rng.choice(choices)
        qty = rng.randint(min_stock // 2, 3 * min_stock + 3)
        rows.append(dict(pn=pn, desc=desc, ata=ata, price=price, vendor=vendor, lead=lead,
                         qty=qty, min=min_stock, row=i + 2))
    return rows


# --------------------------------------------------------------------------
# Squawk log templates: (ATA, weight, discrepancy, corrective action, parts, labor hrs, excluded tails)
# Placeholders: {side} L/H R/H, {pos} INBD OUTBD, {e} engine 1/2, {b} brake 1-4, {seat}, and TYPE_PARTS.
# --------------------------------------------------------------------------

NO_SG = ("N61904",)  # its #2 starter-generator story is planted below
TEMPLATES = [
    ("32", 6, "{side} MLG {pos} TIRE WORN TO LIMITS", "R&R {side} MLG {pos} TIRE W/ {main_tire}. SERVICED TO {psi} PSI N2. OPS CK GOOD", [("{main_tire}", 1)], (1.2, 2.5), ()),
    ("32", 2, "{side} MLG {pos} TIRE CUT IN TREAD", "R&R {side} MLG {pos} TIRE W/ {main_tire}. SERVICED TO {psi} PSI N2. OPS CK GOOD", [("{main_tire}", 1)], (1.2, 2.5), ()),
    ("32", 4, "{side} MLG {pos} TIRE PRESS LOW ON PREFLIGHT", "SERVICED TIRE TO {psi} PSI N2. NO LEAK FOUND AT VALVE OR BEAD. C/O", [], (0.3, 0.8), ()),
    ("32", 2, "NOSE TIRE WORN TO LIMITS", "R&R NOSE TIRE W/ LW-32115. OPS CK GOOD", [("LW-32115", 1)], (1.0, 2.0), ()),
    ("32", 5, "#{b} BRAKE WEAR PIN FLUSH", "R&R #{b} BRAKE ASSY W/ {brake}. BLED BRAKES. OPS CK GOOD", [("{brake}", 1)], (2.0, 4.0), ()),
    ("32", 2, "NLG SHIMMY ON TAXI ABOVE 40 KTS", "R&R NLG SHIMMY DAMPER W/ LW-32510. OPS CK GOOD", [("LW-32510", 1)], (1.5, 3.0), ()),
    ("32", 3, "{side} MLG STRUT EXTENSION LOW", "SERVICED {side} MLG STRUT W/ N2 AND HYD FLUID. EXTENSION 3.2 IN. C/O", [], (0.8, 1.5), ()),
    ("32", 2, "ANTI-SKID FAIL LT ON TAXI", "R&R #{b} WHEEL SPEED XDCR W/ LW-32620. OPS CK GOOD", [("LW-32620", 1)], (1.0, 2.5), ()),
    ("32", 2, "GEAR UNSAFE LT INTERMITTENT ON RETRACTION", "ADJUSTED {side} MLG DOWNLOCK PROX SW TO 0.040 IN GAP. 3 GEAR SWINGS GOOD", [], (2.0, 4.5), ()),
    ("32", 1, "{side} MLG DOWNLOCK PROX SW FAULT", "R&R {side} MLG DOWNLOCK PROX SW W/ LW-32810. 3 GEAR SWINGS GOOD", [("LW-32810", 1)], (2.5, 5.0), ()),
    ("32", 2, "{side} MLG {pos} WHEEL BEARING NOISY", "R&R BEARING CONE W/ LW-32130 AND GREASE SEAL W/ LW-32135. REPACKED. OPS CK GOOD", [("LW-32130", 1), ("LW-32135", 1)], (1.5, 3.0), ()),
    ("32", 1, "PARK BRAKE WILL NOT HOLD ON RUNUP", "R&R PARKING BRAKE VALVE W/ LW-32710. BLED BRAKES. OPS CK GOOD", [("LW-32710", 1)], (2.0, 3.5), ()),
    ("32", 2, "HYD LEAK AT {side} MLG RETRACT ACTR", "R&R ACTR SEALS W/ LW-32340. LEAK CK AND GEAR SWINGS GOOD", [("LW-32340", 1)], (3.0, 6.0), ()),
    ("80", 2, "#{e} ENG STARTER GEN INOP ON START", "R&R #{e} ENG STARTER GEN W/ LW-80110. OPS CK GOOD", [("LW-80110", 1)], (3.0, 5.0), NO_SG),
    ("80", 2, "#{e} GEN OFF LT, RESET NO EFFECT", "R&R #{e} STARTER GEN BRUSH SET W/ LW-80115. OPS CK GOOD", [("LW-80115", 1)], (2.0, 3.5), NO_SG),
    ("80", 1, "#{e} ENG NO START ON BATT, OK ON GPU", "R&R #{e} START RELAY W/ LW-80210. OPS CK GOOD", [("LW-80210", 1)], (1.0, 2.0), ()),
    ("24", 2, "MAIN BATT TEMP HOT LT ON", "R&R MAIN BATT W/ LW-24120 PER TC-24-31-01. REMOVED BATT SENT TO SHOP FOR CAPACITY CK", [("LW-24120", 1)], (1.0, 1.8), ()),
    ("24", 2, "#{e} GEN OFF LT IN FLIGHT", "R&R #{e} GCU W/ LW-24310. OPS CK GOOD", [("LW-24310", 1)], (1.0, 2.0), ()),
    ("24", 3, "#{e} DC BUS VOLTS LOW 26.1 V", "CLEANED AND TIGHTENED #{e} GEN B+ TERMINAL. OPS CK 28.2 V. C/O", [], (0.8, 1.5), ()),
    ("24", 1, "BATT BUS RELAY CHATTERS ON START", "R&R BATT BUS RELAY W/ LW-24415. OPS CK GOOD", [("LW-24415", 1)], (1.0, 2.0), ()),
    ("79", 2, "#{e} ENG CHIP LT ON", "PULLED #{e} ENG CHIP DETECTOR, FUZZ ONLY. CLEANED AND REINSTALLED. GROUND RUN 20 MIN, NO LT. C/O", [], (1.5, 2.5), ()),
    ("79", 1, "#{e} ENG CHIP LT ON, DETECTOR DAMAGED", "R&R #{e} ENG CHIP DETECTOR W/ LW-79210. GROUND RUN 20 MIN, NO LT", [("LW-79210", 1)], (1.5, 2.5), ()),
    ("79", 2, "#{e} ENG OIL PRESS FLUCTUATING", "R&R #{e} OIL PRESS XMTR W/ LW-79330. OPS CK GOOD", [("LW-79330", 1)], (1.0, 2.5), ()),
    ("79", 2, "OIL LEAK #{e} ENG ACCESSORY GBX PAD", "R&R PAD O-RINGS W/ LW-79015 (QTY 2). LEAK CK GOOD", [("LW-79015", 2)], (2.0, 4.0), ()),
    ("79", 2, "#{e} ENG OIL CONSUMPTION HIGH", "NO EXTERNAL LEAKS FOUND. CHANGED OIL FILTER W/ LW-79120. MONITOR CONSUMPTION", [("LW-79120", 1)], (1.0, 2.0), ()),
    ("79", 1, "#{e} ENG OIL FILLER CAP SEEPING", "R&R FILLER CAP GASKET W/ LW-79410. C/O", [("LW-79410", 1)], (0.3, 0.6), ()),
    ("74", 2, "#{e} ENG SLOW LIGHT-OFF", "R&R #{e} ENG IGNITER PLUGS W/ LW-74110 (QTY 2). GROUND RUN GOOD", [("LW-74110", 2)], (1.5, 3.0), ()),
    ("74", 1, "#{e} ENG IGNITION INOP, NO SPARK", "R&R #{e} ENG IGN EXCITER W/ LW-74250. GROUND RUN GOOD", [("LW-74250", 1)], (1.5, 3.0), ()),
    ("61", 3, "#{e} PROP BLADE NICK LEADING EDGE", "DRESSED BLADE WITHIN LIMITS PER CMM. C/O", [], (1.0, 2.5), ()),
    ("61", 1, "#{e} PROP OVERSPEED GOV TEST FAIL", "R&R #{e} PROP OVERSPEED GOV W/ LW-61420. GOV TEST GOOD", [("LW-61420", 1)], (3.0, 5.0), ()),
    ("30", 2, "{side} WING DE-ICE BOOT TORN", "PATCHED BOOT W/ LW-30105. CURED 24 H. OPS CK GOOD", [("LW-30105", 1)], (1.5, 3.0), ()),
    ("30", 1, "CAPT WINDSHIELD HEAT INOP", "R&R WINDSHIELD HEAT CONTROLLER W/ LW-30220. OPS CK GOOD", [("LW-30220", 1)], (1.0, 2.0), ()),
    ("30", 1, "#{e} PROP DE-ICE BOOT DAMAGED", "R&R #{e} PROP DE-ICE BOOT W/ LW-30340. OPS CK GOOD", [("LW-30340", 1)], (2.0, 4.0), ()),
    ("21", 1, "CABIN WILL NOT COOL ON GROUND", "R&R VAPOR CYCLE COMPRESSOR W/ LW-21350. SERVICED SYSTEM. OPS CK GOOD", [("LW-21350", 1)], (4.0, 7.0), ()),
    ("21", 1, "CABIN PRESS CONTROL ERRATIC IN CLIMB", "R&R OUTFLOW VALVE W/ LW-21510. PRESS CK GOOD", [("LW-21510", 1)], (3.0, 5.0), ()),
    ("21", 2, "CABIN RECIRC FAN NOISY", "R&R RECIRC FAN FILTER W/ LW-21120. C/O", [("LW-21120", 1)], (0.5, 1.0), ()),
    ("21", 2, "CABIN TEMP CONTROL ERRATIC IN AUTO", "RESEATED CABIN TEMP SENSOR CONNECTOR. OPS CK GOOD", [], (0.5, 1.5), ()),
    ("23", 1, "#2 COMM WEAK TRANSMIT", "R&R #2 COMM ANTENNA W/ LW-23150. OPS CK GOOD", [("LW-23150", 1)], (1.5, 3.0), ()),
    ("23", 1, "PA INOP IN CABIN", "R&R PA AMP W/ LW-23310. OPS CK GOOD", [("LW-23310", 1)], (1.0, 2.0), ()),
    ("23", 1, "F/O HEADSET JACK INTERMITTENT", "R&R F/O PTT JACK W/ LW-23420. OPS CK GOOD", [("LW-23420", 1)], (0.5, 1.5), ()),
    ("25", 2, "LAV DOOR LATCH BROKEN", "R&R LAV DOOR LATCH W/ LW-25620. C/O", [("LW-25620", 1)], (0.5, 1.0), ()),
    ("25", 1, "SEAT {seat} RECLINE INOP", "R&R RECLINE CABLE W/ LW-25310. OPS CK GOOD", [("LW-25310", 1)], (0.5, 1.5), ()),
    ("25", 1, "CARPET TORN AT AFT ENTRY DOOR", "R&R CARPET SECTION W/ LW-25140", [("LW-25140", 1)], (1.0, 2.0), ()),
    ("25", 1, "SEAT {seat} BELT BUCKLE WILL NOT LATCH", "R&R SEAT BELT ASSY W/ LW-25710. C/O", [("LW-25710", 1)], (0.3, 0.8), ()),
    ("27", 1, "ELEV TRIM TAB FREE PLAY EXCEEDS LIMITS", "R&R TRIM TAB ACTR W/ LW-27410. RIGGING CK GOOD", [("LW-27410", 1)], (4.0, 7.5), ()),
    ("27", 1, "FLAP ASYMMETRY FAULT ON EXTENSION", "R&R FLAP POSITION XMTR W/ LW-27560. RIGGED. OPS CK GOOD", [("LW-27560", 1)], (2.5, 5.0), ()),
    ("27", 2, "AILERON CABLE TENSION LOW ON INSP", "ADJUSTED AILERON CABLE TENSION TO LIMITS. SAFETIED. C/O", [], (1.5, 3.0), ()),
    ("28", 2, "{side} WING SUMP DRAIN VALVE DRIPPING", "R&R SUMP DRAIN VALVE W/ LW-28110. LEAK CK GOOD", [("LW-28110", 1)], (0.5, 1.5), ()),
    ("28", 1, "{side} FUEL QTY IND ERRATIC", "R&R {side} FUEL QTY PROBE W/ LW-28410. CALIBRATED. OPS CK GOOD", [("LW-28410", 1)], (3.0, 6.0), ()),
    ("29", 1, "#{e} HYD PUMP LOW PRESS LT", "R&R #{e} ENG DRIVEN HYD PUMP W/ LW-29110. BLED SYSTEM. OPS CK GOOD", [("LW-29110", 1)], (3.0, 5.5), ()),
    ("29", 1, "HYD FILTER BYPASS INDICATOR POPPED", "R&R HYD RETURN FILTER ELEMENT W/ LW-29410. C/O", [("LW-29410", 1)], (0.5, 1.0), ()),
    ("33", 3, "{side} NAV LT INOP", "R&R {side} NAV LT LAMP W/ LW-33010. OPS CK GOOD", [("LW-33010", 1)], (0.3, 0.8), ()),
    ("33", 2, "{side} LDG LT INOP", "R&R {side} LDG LT W/ LW-33120. OPS CK GOOD", [("LW-33120", 1)], (0.5, 1.2), ()),
    ("33", 1, "BEACON INOP", "R&R BEACON ASSY W/ LW-33210. OPS CK GOOD", [("LW-33210", 1)], (1.0, 2.0), ()),
    ("33", 1, "READING LT {seat} INOP", "R&R READING LT LAMP W/ LW-33330. C/O", [("LW-33330", 1)], (0.2, 0.5), ()),
    ("34", 2, "#1 VOR/LOC FLAG INTERMITTENT", "CLEANED AND RESEATED VOR ANTENNA CONNECTOR. OPS CK GOOD", [], (0.8, 2.0), ()),
    ("34", 1, "#1 VOR/LOC INOP", "R&R VOR/LOC ANTENNA W/ LW-34220. OPS CK GOOD", [("LW-34220", 1)], (1.5, 3.0), ()),
    ("36", 1, "#{e} BLEED AIR LEAK LT", "R&R #{e} BLEED DUCT V-BAND CLAMP W/ LW-36120. LEAK CK GOOD", [("LW-36120", 1)], (1.0, 2.5), ()),
    ("52", 2, "AIRSTAIR DOOR UNLOCKED LT STAYS ON", "ADJUSTED AIRSTAIR DOOR PROX SW. OPS CK GOOD", [], (0.8, 1.5), ()),
    ("52", 1, "AIRSTAIR DOOR PROX SW FAULT", "R&R AIRSTAIR DOOR PROX SW W/ LW-52130. OPS CK GOOD", [("LW-52130", 1)], (1.0, 2.0), ()),
    ("52", 1, "CARGO DOOR SEAL TORN", "R&R CARGO DOOR SEAL W/ LW-52210. C/O", [("LW-52210", 1)], (1.5, 3.0), ()),
]

# (tail, date, ATA, discrepancy, corrective action, parts, labor, mechanic)
PLANTED = [
    ("N61904", "2022-03-08", "80", "#2 ENG STARTER GEN INOP ON START", "R&R #2 ENG STARTER GEN W/ LW-80110. OPS CK GOOD", [("LW-80110", 1)], 4.2, "D. Ferreira"),
    ("N61904", "2022-11-21", "80", "#2 GEN OFF LT IN CRUISE, RESET NO EFFECT", "R&R #2 ENG STARTER GEN W/ LW-80110. BRUSHES BURNT. OPS CK GOOD", [("LW-80110", 1)], 4.5, "J. Lindqvist"),
    ("N61904", "2023-02-14", "80", "#2 GEN OFF LT, RESET OK ON GROUND", "R&R #2 STARTER GEN BRUSH SET W/ LW-80115. OPS CK GOOD", [("LW-80115", 1)], 2.8, "D. Ferreira"),
    ("N61904", "2023-06-12", "80", "#2 GEN OUTPUT LOW 24 V, BURNT SMELL IN NACELLE", "R&R #2 ENG STARTER GEN W/ LW-80110. OPS CK GOOD", [("LW-80110", 1)], 4.8, "M. Tran"),
    ("N61904", "2024-01-30", "80", "#2 ENG STARTER GEN INOP ON START", "R&R #2 ENG STARTER GEN W/ LW-80110. OPS CK GOOD", [("LW-80110", 1)], 4.4, "D. Ferreira"),
    ("N61904", "2024-09-17", "80", "#2 GEN OFF LT IN CLIMB", "R&R #2 ENG STARTER GEN W/ LW-80110. FOUND COOLING AIR BLAST TUBE KINKED AT FIREWALL CLAMP, REROUTED, NEW CUSHION CLAMP. OPS CK GOOD", [("LW-80110", 1)], 6.1, "D. Ferreira"),
    ("N4821K", "2024-05-14", "73", "#2 ENG TORQUE FLUCTUATES +/- 8% IN CRUISE", "R&R #2 ENG FCU W/ LW-73140. ENG RUN AND TRIM CK GOOD", [("LW-73140", 1)], 9.5, "J. Lindqvist"),
    ("N88214", "2024-03-05", "34", "CAPT PFD BLANK ON POWER UP", "R&R CAPT PFD W/ LW-34710. SW LOAD VERIFIED. OPS CK GOOD", [("LW-34710", 1)], 3.0, "K. Whitcomb"),
    ("N350KV", "2023-10-03", "32", "L/H MLG RETRACT ACTR LEAKING, ROD SCORED", "R&R L/H MLG RETRACT ACTR SEALS W/ LW-32340. ROD POLISHED WITHIN LIMITS. 3 GEAR SWINGS GOOD", [("LW-32340", 1)], 14.6, "R. Okafor"),
]


def _fill(text: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


def generate_log() -> list[dict]:
    """Squawks over 2022-2024, sorted by date; each knows its sheet and sheet row."""
    rng = random.Random(27315)
    rows: list[dict] = []
    for tail, date, ata, disc, act, parts, labor, mech in PLANTED:
        rows.append(dict(tail=tail, date=dt.date.fromisoformat(date), ata=ata, disc=disc, act=act,
                         parts=parts, labor=labor, mech=mech, planted=True))
    for tail in sorted(RATES):
        values = dict(TYPE_PARTS[FLEET[tail]])
        usable = [t for t in TEMPLATES if tail not in t[6]]
        weights = [t[1] for t in usable]
        for year, n in zip(YEARS, RATES[tail]):
            for _ in range(n):
                ata, _w, disc, act, parts, (lo, hi), _ex = rng.choices(usable, weights)[0]
                values.update(side=rng.choice(("L/H", "R/H")), pos=rng.choice(("INBD", "OUTBD")),
                              e=rng.choice("12"), b=rng.choice("1234"),
                              seat=f"{rng.randint(1, 9)}{rng.choice('ABC')}")
                rows.append(dict(tail=tail, date=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                                 ata=ata, disc=_fill(disc, values), act=_fill(act, values),
                                 parts=[(_fill(p, values), q) for p, q in parts],
                                 labor=round(rng.uniform(lo, hi), 1), mech=rng.choice(MECHANICS), planted=False))
    rows.sort(key=lambda r: (r["date"], r["tail"], r["disc"]))
    number: Counter = Counter()
    for r in rows:
        y = r["date"].year
        number[y] += rng.choice((1, 1, 1, 2, 3))  # the squawk sequence is shared with the line station
        r["sq"] = f"{y}-{number[y]:04d}"
        r["sheet"] = str(y)
        r["cost"] = round(sum(PRICE[p] * q for p, q in r["parts"]), 2)
        r["text_date"] = not r["planted"] and rng.random() < 0.06
    sheet_rows: Counter = Counter()
    for r in rows:
        sheet_rows[r["sheet"]] += 1
        r["row"] = sheet_rows[r["sheet"]] + 1  # header = row 1
    # A few invoices still pending: the cost cell is blank.
    pending = rng.sample([r for r in rows if r["parts"] and not r["planted"]], 6)
    for r in pending:
        r["cost"] = None
    return rows


def text_date(d: dt.date) -> str:
    """Text form of a date keyed from a paper card.

    >>> text_date(dt.date(2023, 3, 14))
    '14-MAR-2023'
    """
    return f"{d.day:02d}-{MONTHS[d.month - 1]}-{d.year}"


def _workbook_props(wb) -> None:
    wb.properties.creator = COMPANY
    wb.properties.lastModifiedBy = COMPANY
    wb.properties.created = FIXED_TS
    wb.properties.modified = FIXED_TS


LOG_HEADERS = ["Squawk No", "Tail", "Date Reported", "Discrepancy", "Corrective Action", "ATA",
               "Labor Hrs", "Parts Cost ($)", "Mechanic"]
LOG_NOTES = [
    "Harlow Field MRO - squawk log export (TrackLog 3.2), fleet of 8 Kestrel turboprops",
    "One sheet per calendar year: 2022, 2023, 2024. This sheet is notes only.",
    "Squawk No: year and sequence; the sequence is shared with the line station, so numbers have gaps.",
    "Date Reported: squawks keyed from paper cards are typed as text (DD-MMM-YYYY).",
    "ATA: chapter and title of the system written up.",
    "Labor Hrs: hours booked to the squawk, in tenths.",
    "Parts Cost ($): parts at catalogue unit price x quantity; 0.00 = no parts; blank = invoice pending.",
    "Ground support equipment is NOT in this log; see the GSE work records.",
    "Exported 2025-01-06 by K. Whitcomb, records clerk.",
]


def write_log(rows: list[dict], out: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    for line in LOG_NOTES:
        notes.append([line])
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 100
    for year in YEARS:
        ws = wb.create_sheet(str(year))
        ws.append(LOG_HEADERS)
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in (r for r in rows if r["date"].year == year):
            ws.append([r["sq"], r["tail"], text_date(r["date"]) if r["text_date"] else r["date"], r["disc"],
                       r["act"], f"{r['ata']} {ATA[r['ata']]}", r["labor"], r["cost"], r["mech"]])
            assert ws.max_row == r["row"], (r["sq"], ws.max_row, r["row"])
            if not r["text_date"]:
                ws.cell(r["row"], 3).number_format = "mm/dd/yyyy"
            ws.cell(r["row"], 7).number_format = "0.0"
            ws.cell(r["row"], 8).number_format = "#,##0.00"
            ws.cell(r["row"], 5).alignment = Alignment(wrap_text=True)
        for col, width in zip("ABCDEFGHI", (11, 8, 13, 44, 60, 26, 9, 13, 13)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
    _workbook_props(wb)
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(normalize_zip(buf.getvalue()))


# --------------------------------------------------------------------------
# Ground support equipment work records (CSV from the GSE shop's own system)
# --------------------------------------------------------------------------

GSE_UNITS = {  # unit -> (kind, random records 2022, 2023, 2024)
    "GPU-07": ("gpu", (20, 24, 19)), "GPU-09": ("gpu", (17, 15, 18)),
    "TUG-2": ("tug", (16, 19, 21)), "DEICE-1": ("deice", (12, 14, 11)),
}
GSE_TECHS = ("L. Quintero", "P. Martin", "A. Novak")
# (kinds, weight, problem, corrective action, parts, downtime hours, excluded units)
GSE_TEMPLATES = [
    ("gpu", 2, "Output voltage drops under load", "Tightened output terminal lugs, load bank test 28.0 V OK", [], (1, 3), ("GPU-07",)),
    ("gpu tug deice", 2, "Engine won't crank", "Battery dead, replaced battery LW-90610", [("LW-90610", 1)], (1, 4), ()),
    ("gpu tug", 1, "Engine cranks slowly, won't start in the cold", "Replaced starter motor LW-90620", [("LW-90620", 1)], (4, 24), ()),
    ("gpu", 2, "Fuel filter restriction light on", "Replaced fuel filter LW-90211, bled fuel system", [("LW-90211", 1)], (0.5, 2), ()),
    ("gpu", 1, "Output cable jacket cut, conductor showing", "Replaced output cable LW-90330", [("LW-90330", 1)], (1, 3), ()),
    ("gpu", 1, "Output contactor chatters, aircraft drops off the GPU", "Replaced output contactor LW-90320", [("LW-90320", 1)], (1, 4), ()),
    ("gpu tug", 3, "250 h service due", "250 h service: changed oil, replaced oil filter LW-90216, fuel filter LW-90211, air filter LW-90214",
     [("LW-90216", 1), ("LW-90211", 1), ("LW-90214", 1)], (2, 4), ()),
    ("gpu tug", 1, "Oil seeping at valve cover", "Retorqued valve cover bolts, cleaned engine, no further leak", [], (1, 3), ()),
    ("tug deice", 2, "Hydraulic leak at hose", "Replaced hose LW-90410, topped up fluid", [("LW-90410", 1)], (1, 4), ()),
    ("tug", 2, "Tow bar shear pin sheared during pushback", "Replaced shear pin LW-90430, inspected tow bar, no damage", [("LW-90430", 1)], (0.5, 1.5), ()),
    ("tug", 1, "Steering heavy", "Topped up hydraulic fluid, bled steering circuit", [], (1, 3), ()),
    ("tug", 1, "Flat tire, right front", "Replaced tire LW-90710", [("LW-90710", 1)], (1, 3), ()),
    ("tug", 1, "Lift pump whines, slow lift", "Replaced hydraulic pump LW-90420", [("LW-90420", 1)], (8, 30), ()),
    ("deice", 2, "Fluid heater slow to reach temperature", "Replaced heater element LW-90520", [("LW-90520", 1)], (6, 24), ()),
    ("deice", 2, "Spray pattern uneven at nozzle", "Replaced nozzle LW-90510", [("LW-90510", 1)], (0.5, 2), ()),
    ("deice", 1, "Fluid pump pressure low, 180 psi", "Replaced fluid pump LW-90530", [("LW-90530", 1)], (8, 36), ()),
    ("deice", 1, "Pre-season inspection", "Pre-season inspection completed, no defects", [], (3, 6), ()),
]
GSE_PLANTED = [  # (unit, date, problem, action, parts, downtime, tech)
    ("GPU-07", "2023-08-22", "Output voltage drops to 24 V during engine starts", "Replaced voltage regulator LW-90310. Load bank test OK",
     [("LW-90310", 1)], 6.0, "L. Quintero"),
    ("GPU-07", "2023-09-12", "Output voltage drops under load again, 24 V on engine start",
     "Found voltage sense lead loose at output stud. Re-terminated with new ring terminal, torqued stud nut 30 in-lb. Load bank 28.0 V at 400 A steady",
     [], 3.5, "L. Quintero"),
]
DEICE_MONTHS = (1, 2, 3, 10, 11, 12)


def generate_gse() -> list[dict]:
    rng = random.Random(7072)
    rows = [dict(unit=u, date=dt.date.fromisoformat(d), problem=p, action=a, parts=parts, down=down, tech=t, planted=True)
            for u, d, p, a, parts, down, t in GSE_PLANTED]
    for unit, (kind, rates) in GSE_UNITS.items():
        usable = [t for t in GSE_TEMPLATES if kind in t[0].split() and unit not in t[6]]
        for year, n in zip(YEARS, rates):
            for _ in range(n):
                _k, _w, problem, action, parts, (lo, hi), _ex = rng.choices(usable, [t[1] for t in usable])[0]
                while True:
                    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                    if kind != "deice" or day.month in DEICE_MONTHS:
                        break
                rows.append(dict(unit=unit, date=day, problem=problem, action=action, parts=parts,
                                 down=round(rng.uniform(lo, hi) * 2) / 2, tech=rng.choice(GSE_TECHS), planted=False))
    rows.sort(key=lambda r: (r["date"], r["unit"], r["problem"]))
    seq: Counter = Counter()
    for i, r in enumerate(rows):
        seq[r["date"].year] += 1
        r["rec"] = f"GS-{r['date'].year % 100:02d}-{seq[r['date'].year]:03d}"
        r["cost"] = round(sum(PRICE[p] * q for p, q in r["parts"]), 2)
        r["row"] = i + 2  # CSV line number, header = line 1
    for r in rng.sample([r for r in rows if r["parts"] and not r["planted"]], 2):
        r["cost"] = None
    return rows


def write_gse(rows: list[dict], out: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Record No", "Unit", "Opened", "Reported Problem", "Corrective Action", "Downtime (h)", "Cost", "Tech"])
    for r in rows:
        w.writerow([r["rec"], r["unit"], r["date"].isoformat(), r["problem"], r["action"], f"{r['down']:g}",
                    "" if r["cost"] is None else f"{r['cost']:.2f}", r["tech"]])
    out.write_text(buf.getvalue(), encoding="utf-8")


def write_catalogue(parts: list[dict], out: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Part No", "Description", "ATA", "Unit Price", "Qty On Hand", "Min Stock", "Vendor", "Lead Time (days)"])
    for p in parts:
        w.writerow([p["pn"], p["desc"], p["ata"], f"{p['price']:.2f}", p["qty"], p["min"], p["vendor"], p["lead"]])
    out.write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------
# Troubleshooting tables (merged cells)
# --------------------------------------------------------------------------

TS_WHEELS = [  # symptom -> [(possible cause, check, remedy, reference)]
    ("Brake drags after pedal release", [
        ("Parking brake valve not fully released", "PARK BRAKE handle fully in; valve detent", "Adjust the handle linkage; replace parking brake valve LW-32710 if the detent is worn", "AMM 32-44"),
        ("Air in the brake lines", "Pedal spongy, pedal travel more than 2.5 in", "Bleed the brakes from the brake bleeder up to the reservoir", "AMM 32-42"),
        ("Brake piston not retracting", "One wheel hot after a short taxi", "Replace the brake assembly (LW-32240 K-19, LW-32245 K-34)", "AMM 32-42"),
    ]),
    ("Wear pin flush with or below the housing", [
        ("Linings worn to limit", "Check the pin with the parking brake SET and hydraulic pressure up", "Replace the brake assembly (LW-32240 K-19, LW-32245 K-34)", "AMM 32-42"),
        ("Pin read with the parking brake off", "Recheck with the parking brake SET", "No action if the pin protrudes with the brake set", "AMM 32-42"),
    ]),
    ("Tire loses more than 5 % pressure in 24 h", [
        ("Valve core leaking", "Soap test at the valve stem", "Replace the valve core LW-32910, recheck after 12 h", "TC-32-41-01"),
        ("Bead or wheel half O-ring leak", "Soap test at the bead and tie bolts", "Remove the wheel and send it to the wheel and tire shop", "TC-32-41-01"),
        ("Cut or puncture", "Inspect the tread and sidewalls", "Replace the tire per TC-32-41-01", "TC-32-41-01"),
    ]),
    ("Anti-skid fail light on taxi", [
        ("Wheel speed transducer failed", "Resistance at the transducer connector 1,050 to 1,350 ohm", "Replace the wheel speed transducer LW-32620", "AMM 32-46"),
        ("Connector corrosion at the axle", "Inspect the connector pins for green corrosion", "Clean the pins and apply corrosion inhibitor", "AMM 32-46"),
    ]),
    ("Nose wheel shimmy", [
        ("Shimmy damper worn or low on fluid", "Damper servicing indicator in the red band", "Replace the shimmy damper LW-32510", "AMM 32-51"),
        ("Nose tire pressure low or tire out of balance", "Tire pressure and tread wear pattern", "Service the tire; replace the tire LW-32115 if cupped", "AMM 32-41"),
        ("Torque link bushings worn", "Free play at the tire more than 0.060 in", "Replace the torque link bushings", "AMM 32-51"),
    ]),
    ("Brakes grab or chatter", [
        ("De-icing fluid or hydraulic fluid on the discs", "Inspect the discs for fluid residue", "Clean the discs with solvent and do two moderate stops", "AMM 32-42"),
        ("Brake disc warped", "Runout of the disc stack", "Replace the brake assembly (LW-32240 K-19, LW-32245 K-34)", "AMM 32-42"),
    ]),
]

TS_GPU = [  # fault -> [(probable cause, check, corrective action)]
    ("Engine will not crank", [
        ("Battery discharged", "Battery voltage below 12.2 V", "Charge the battery; replace it with LW-90610 if it will not hold a charge"),
        ("Starter motor failed", "12 V at the starter terminal while cranking", "Replace the starter motor LW-90620"),
        ("Emergency stop pressed", "E-STOP button latched", "Pull the E-STOP button out and reset the panel"),
    ]),
    ("Engine cranks but will not start", [
        ("Fuel filter clogged", "Restriction light on, fuel pressure low", "Replace the fuel filter LW-90211 and bleed the fuel system"),
        ("Air in the fuel system", "Bubbles in the filter bowl", "Bleed at the injection pump bleed screw"),
    ]),
    ("Output voltage drops under load", [
        ("Voltage sense lead loose at the output stud", "Sense lead crimp and stud nut", "Re-terminate the sense lead and torque the stud nut to 30 in-lb; check this first"),
        ("Voltage regulator faulty", "Regulator output with the sense lead good", "Replace the voltage regulator LW-90310"),
        ("Engine speed low", "Engine speed below 1,800 rpm at load", "Adjust the governor to 1,800 rpm at 400 A"),
    ]),
    ("No DC output, contactor will not close", [
        ("Output contactor failed", "Coil voltage present, contactor does not pull in", "Replace the output contactor LW-90320"),
        ("Aircraft interlock not made", "Interlock pin E on the aircraft plug", "Check the plug pins; replace the output cable LW-90330 if pin E is damaged"),
    ]),
    ("Overvoltage trip", [
        ("Sense lead open", "Continuity of the sense lead", "Repair the sense lead"),
        ("Voltage regulator faulty", "Output above 30 V with the sense lead good", "Replace the voltage regulator LW-90310"),
    ]),
]


def ts_rows() -> list[dict]:
    """Wheels & brakes rows as they sit in the sheet: symptom (filled), cause, check, remedy, ref, row."""
    out, row = [], 2
    for symptom, causes in TS_WHEELS:
        for cause, check, remedy, ref in causes:
            out.append(dict(symptom=symptom, cause=cause, check=check, remedy=remedy, ref=ref, row=row))
            row += 1
    return out


def gpu_rows() -> list[dict]:
    """GPU guide table rows; row = table row number, header row = 1."""
    out, row = [], 2
    for fault, causes in TS_GPU:
        for cause, check, action in causes:
            out.append(dict(fault=fault, cause=cause, check=check, action=action, row=row))
            row += 1
    return out


def write_ts_xlsx(out: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = TS_SHEET
    ws.append(["Symptom", "Possible Cause", "Check", "Remedy", "Reference"])
    for c in ws[1]:
        c.font = Font(bold=True)
    row = 2
    for symptom, causes in TS_WHEELS:
        first = row
        for i, (cause, check, remedy, ref) in enumerate(causes):
            ws.append([symptom if i == 0 else None, cause, check, remedy, ref])
            row += 1
        ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        ws.cell(first, 1).alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in zip("ABCDE", (30, 38, 44, 60, 13)):
        ws.column_dimensions[col].width = width
    _workbook_props(wb)
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(normalize_zip(buf.getvalue()))


def _docx_props(d, title: str) -> None:
    cp = d.core_properties
    cp.title = title
    cp.author = COMPANY
    cp.last_modified_by = COMPANY
    cp.created = FIXED_TS
    cp.modified = FIXED_TS
    cp.last_printed = FIXED_TS
    cp.revision = 1
    cp.comments = "Fictional demo document generated by sample_hangar/build.py"


def write_ts_docx(out: Path) -> None:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.add_heading("GPU-07 / GPU-09 Ground Power Unit Troubleshooting Guide", level=0)
    d.add_paragraph("Harlow Field MRO, GSE shop. Applies to both 28 VDC diesel ground power units, GPU-07 and GPU-09. "
                    "Work down the causes of a fault in the order given. Revision 2, 2023-10-02.")
    d.add_heading("Fault table", level=1)
    rows = sum(len(c) for _, c in TS_GPU) + 1
    t = d.add_table(rows=rows, cols=4)
    t.style = "Table Grid"
    for c, text in enumerate(("Fault", "Probable cause", "Check", "Corrective action")):
        t.cell(0, c).text = text
        t.cell(0, c).paragraphs[0].runs[0].bold = True
    r = 1
    for fault, causes in TS_GPU:
        first = r
        for cause, check, action in causes:
            t.cell(r, 1).text, t.cell(r, 2).text, t.cell(r, 3).text = cause, check, action
            r += 1
        merged = t.cell(first, 0).merge(t.cell(r - 1, 0)) if r - 1 > first else t.cell(first, 0)
        merged.text = fault
    d.add_heading("Notes", level=1)
    d.add_paragraph("Load bank test after any repair to the output circuit: 28.0 V plus or minus 0.5 V at 400 A.")
    for p in d.paragraphs:
        for run in p.runs:
            if run.font.size is None and p.style.name == "Normal":
                run.font.size = Pt(10.5)
    _docx_props(d, "GPU Troubleshooting Guide")
    buf = io.BytesIO()
    d.save(buf)
    out.write_bytes(normalize_zip(buf.getvalue()))


# --------------------------------------------------------------------------
# Task cards: Markdown sources -> DOCX, Markdown, HTML
# --------------------------------------------------------------------------

CARD_FORMATS = {"TC-32-41-01": "docx", "TC-12-13-01": "md", "TC-24-31-01": "html"}
SAFETY_RE = re.compile(r"^(WARNING|CAUTION):\s*(.*)$")
STEP_RE = re.compile(r"^(\d+)\.\s+(.*)$")
SUBSTEP_RE = re.compile(r"^\s+(\d+\.\d+)\s+(.*)$")


def parse_card(text: str) -> dict:
    """Restricted Markdown -> title, meta lines and blocks (h1, safety, step, substep, bullet, table, para)."""
    lines = text.splitlines()
    blocks, meta, i = [], [], 1
    while i < len(lines):
        line, s = lines[i], lines[i].strip()
        i += 1
        if not s:
            continue
        if s.startswith("|"):
            rows = [[c.strip() for c in s.strip("|").split("|")]]
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r"-+", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(("table", rows))
        elif s.startswith("## "):
            blocks.append(("h1", s[3:]))
        elif m := SAFETY_RE.match(s):
            blocks.append(("safety", m.group(1), m.group(2)))
        elif m := SUBSTEP_RE.match(line):
            blocks.append(("substep", m.group(1), m.group(2)))
        elif m := STEP_RE.match(line):
            blocks.append(("step", m.group(1), m.group(2)))
        elif s.startswith("- "):
            blocks.append(("bullet", s[2:]))
        elif not blocks and re.match(r"^[A-Z][A-Za-z ]+: ", s):
            meta.append(s)
        else:
            blocks.append(("para", s))
    return {"title": lines[0].lstrip("# ").strip(), "meta": meta, "blocks": blocks}


def render_card_docx(card: dict, out: Path) -> None:
    import docx
    from docx.shared import Cm, Pt, RGBColor

    d = docx.Document()
    d.sections[0].footer.paragraphs[0].text = f"{card['title'].split()[0]} | {COMPANY} | Uncontrolled when printed"
    d.add_heading(card["title"], level=0)
    for m in card["meta"]:
        k, v = m.split(":", 1)
        p = d.add_paragraph()
        p.add_run(k + ":").bold = True
        p.add_run(v)
    colors = {"WARNING": RGBColor(0xC0, 0x60, 0x00), "CAUTION": RGBColor(0x80, 0x60, 0x00)}
    for b in card["blocks"]:
        if b[0] == "h1":
            d.add_heading(b[1], level=1)
        elif b[0] == "safety":
            p = d.add_paragraph()
            r = p.add_run(f"{b[1]}:")
            r.bold = True
            r.font.color.rgb = colors[b[1]]
            p.add_run(" " + b[2])
            p.paragraph_format.keep_with_next = True
        elif b[0] in ("step", "substep"):
            sep = ". " if b[0] == "step" else " "
            p = d.add_paragraph(f"{b[1]}{sep}{b[2]}")
            p.paragraph_format.left_indent = Cm(0.6 if b[0] == "step" else 1.6)
            p.paragraph_format.first_line_indent = Cm(-0.6 if b[0] == "step" else -0.9)
        elif b[0] == "bullet":
            d.add_paragraph(b[1], style="List Bullet")
        elif b[0] == "para":
            d.add_paragraph(b[1])
        else:  # table
            t = d.add_table(rows=len(b[1]), cols=len(b[1][0]))
            t.style = "Table Grid"
            for r, row in enumerate(b[1]):
                for c, val in enumerate(row):
                    t.cell(r, c).text = val
                    if r == 0:
                        t.cell(r, c).paragraphs[0].runs[0].bold = True
    for p in d.paragraphs:
        for run in p.runs:
            if run.font.size is None and p.style.name == "Normal":
                run.font.size = Pt(10.5)
    _docx_props(d, card["title"])
    buf = io.BytesIO()
    d.save(buf)
    out.write_bytes(normalize_zip(buf.getvalue()))


def render_card_html(card: dict, out: Path) -> None:
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{e(card['title'])}</title>",
             "<style>body{font-family:sans-serif;max-width:52em} .warning{color:#c06000} .caution{color:#806000}"
             " .substep{margin-left:2em} table{border-collapse:collapse} td,th{border:1px solid #999;padding:2px 8px}</style>",
             "</head>", "<body>", f"<h1>{e(card['title'])}</h1>", '<table class="meta">']
    for m in card["meta"]:
        k, v = m.split(":", 1)
        parts.append(f"<tr><th>{e(k)}</th><td>{e(v.strip())}</td></tr>")
    parts.append("</table>")
    in_list = False
    for b in card["blocks"]:
        if in_list and b[0] != "bullet":
            parts.append("</ul>")
            in_list = False
        if b[0] == "h1":
            parts.append(f"<h2>{e(b[1])}</h2>")
        elif b[0] == "safety":
            parts.append(f'<p class="{b[1].lower()}"><strong>{b[1]}:</strong> {e(b[2])}</p>')
        elif b[0] == "step":
            parts.append(f'<p class="step"><b>{b[1]}.</b> {e(b[2])}</p>')
        elif b[0] == "substep":
            parts.append(f'<p class="substep"><b>{b[1]}</b> {e(b[2])}</p>')
        elif b[0] == "bullet":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{e(b[1])}</li>")
        elif b[0] == "para":
            parts.append(f"<p>{e(b[1])}</p>")
        else:
            head, *body = b[1]
            parts.append("<table>")
            parts.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in head) + "</tr>")
            parts.extend("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in body)
            parts.append("</table>")
    if in_list:
        parts.append("</ul>")
    parts += [f"<p><small>{e(COMPANY)} | Uncontrolled when printed</small></p>", "</body>", "</html>"]
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")


def write_task_cards(out_dir: Path) -> dict[str, str]:
    """Render every card; returns {card id: file name}."""
    names = {}
    for src in sorted((SRC / "task_cards").glob("*.md")):
        card_id = src.stem.split()[0]
        fmt = CARD_FORMATS[card_id]
        out = out_dir / f"{src.stem}.{fmt}"
        text = src.read_text(encoding="utf-8")
        if fmt == "docx":
            render_card_docx(parse_card(text), out)
        elif fmt == "html":
            render_card_html(parse_card(text), out)
        else:
            out.write_text(text, encoding="utf-8")
        names[card_id] = out.name
    return names


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def build(root: Path) -> dict:
    """Write root/docs/ and root/questions.jsonl; return counts for the summary line."""
    from hangar_questions import write_questions  # next to this file

    docs = root / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for sub in ("logs", "tables", "task_cards", "notes"):
        (docs / sub).mkdir(parents=True)
    log, gse, parts = generate_log(), generate_gse(), catalogue_rows()
    write_log(log, docs / "logs" / LOG_NAME)
    write_gse(gse, docs / "logs" / GSE_NAME)
    write_catalogue(parts, docs / "tables" / CAT_NAME)
    write_ts_xlsx(docs / "tables" / TS_XLSX)
    write_ts_docx(docs / "tables" / TS_DOCX)
    cards = write_task_cards(docs / "task_cards")
    for src in sorted((SRC / "notes").iterdir()):
        shutil.copyfile(src, docs / "notes" / src.name)
    n = write_questions(root / "questions.jsonl", log, gse, parts, cards)
    return {"squawks": len(log), "gse records": len(gse), "parts": len(parts), "questions": n}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write docs/ and questions.jsonl into")
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
