#!/usr/bin/env python3
"""Self-check for the fresh_text_1 question set.

Run from the repository root (the .venv has openpyxl / python-docx / pdfminer / bs4,
which are needed to read the ingested docx/xlsx/pdf/html files):

    .venv/bin/python datasets/fresh_text_1/check.py

Checks
  1. schema: exact keys, id prefix per site, split, tags, answerable/must_contain consistency,
     16 items per file (10 answerable, 6 near misses), unique ids;
  2. every gold_sources doc exists under the site's docs/ folder (or the public corpus);
  3. answerable: every must_contain string appears (case-insensitive, whitespace-collapsed)
     in EVERY cited document - both in the src/ markdown/text source (when one exists) and
     in the text extracted from the ingested file in docs/;
  4. near misses: the subject terms appear in the cited document, the absence regexes catch
     a positive probe sentence (so they are not vacuous), and none of the
     "answer-revealing" regexes below match anywhere in ANY document of that site
     (all of docs/ incl. tables, logs, work orders and both SOP revisions, plus src/).
Exit code 0 when everything passes.
"""
from __future__ import annotations

import email
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = Path("/work/shared/corpora")

SITES = {
    "site_a": {"prefix": "ta-", "docs": REPO / "sample_hangar" / "docs", "src": REPO / "sample_hangar" / "src"},
    "site_b": {"prefix": "tb-", "docs": REPO / "sample_plant" / "docs", "src": REPO / "sample_plant" / "src"},
    "site_c": {"prefix": "tc-", "docs": None, "src": None},
}
# Site C documents (public corpora). fmea_dataset_combined.csv is the same table before
# forward-filling; it is included only for the absence check.
SITE_C_FILES = [
    SHARED / "loto_osha" / "29-CFR-1910.147.md",
    SHARED / "fmea_haul_truck" / "fmea_dataset_filled.csv",
    SHARED / "fmea_haul_truck" / "fmea_dataset_combined.csv",
]

KEYS = {"id", "question", "reference_answer", "must_contain", "gold_sources", "answerable", "tags", "split"}
TAG2 = {"procedure", "fact", "list", "warning", "note", "near_miss"}

# Near misses: subject terms that MUST be in the cited doc, and regexes that must NOT match
# anywhere in the site's documents (they would reveal the asked attribute).
NUM = r"\d[\d,.]*\s*"
NEAR_MISS = {
    # ---- site A
    "ta-nm-battery-vent-tube-torque": {
        "subject": ["vent tubes"],
        "absent": [r"vent[^\n]{0,80}(in-lb|n·m|ft-lb|torque)", r"(in-lb|n·m|torque)[^\n]{0,80}vent"],
    },
    "ta-nm-oil-tank-capacity": {
        "subject": ["oil tank", "MAX HOT"],
        "absent": [r"(tank|oil)[^\n]{0,30}capacity", r"capacity[^\n]{0,40}(qt|quart|gal|litre|liter)",
                   r"hold[s]?\s+(about\s+)?" + NUM + r"(us\s+)?(qt|quart)", r"(qt|quart)s?\s+(total|full)"],
    },
    "ta-nm-blast-tube-part-number": {
        "subject": ["blast tube"],
        "absent": [r"blast[^\n]{0,80}lw-\d", r"lw-\d+[^\n.]{0,40}(blast|cooling air|tube, |hose, cool|duct, cool)",
                   r"lw-\d+,\"?[^\n]*(blast|starter-generator cool)"],
    },
    "ta-nm-nose-tire-pressure": {
        "subject": ["nose tire"],
        "absent": [r"nose[^\n]{0,80}\d+\s*psi", r"nlg[^\n]{0,80}\d+\s*psi", r"lw-32115[^\n]{0,80}\d+\s*psi",
                   r"\d+\s*psi[^\n]{0,40}nose"],
    },
    "ta-nm-new-wear-pin-length": {
        "subject": ["wear pin"],
        "absent": [r"wear pin[^\n]{0,100}\d+(\.\d+)?\s*(in\b|in\.|mm|inch)", r"pin (protrusion|length|extension)",
                   r"protrud\w*[^\n]{0,40}\d+(\.\d+)?\s*(in\b|in\.|mm)"],
    },
    "ta-nm-gpu-contactor-coil-voltage": {
        "subject": ["contactor", "coil voltage"],
        "absent": [r"coil[^\n]{0,40}\d+(\.\d+)?\s*v\b", r"contactor[^\n]{0,80}\d+(\.\d+)?\s*v(dc)?\b",
                   r"pull[- ]in[^\n]{0,40}\d+\s*v"],
    },
    # ---- site B
    "tb-nm-press04-brake-spring-length": {
        "subject": ["brake springs"],
        "absent": [r"free length", r"spring[s]?[^\n]{0,40}length (of|is)\s*\d", r"spring[s]?[^\n]{0,60}\d+(\.\d+)?\s*mm long",
                   r"spring[s]?[^\n]{0,20}(nominal|new) length"],
    },
    "tb-nm-hpu3-bleed-screw-torque": {
        "subject": ["bleed screw"],
        "absent": [r"bleed screw[^\n]{0,100}(n·m|lbf|torque)", r"bleed[^\n]{0,40}\d+\s*n·m", r"hpu-3[^\n]*bleed",
                   r"^,\s*bleed"],
    },
    "tb-nm-cmp2-separator-interval": {
        "subject": ["SEP-7540"],
        "absent": [r"sep-7540[^\n]*(every|\d+\s*h\b|hours)", r"separator (element)?[^\n]{0,60}(every|\d[\d,]*\s*(h|hours)\b)",
                   r"(every|after)\s+\d[\d,]*\s*(h|hours)[^\n]{0,60}separator"],
    },
    "tb-nm-cnc-pull-stud-torque": {
        "subject": ["PS-4012"],
        "absent": [r"(pull stud|ps-4012)[^\n]{0,100}(n·m|lbf|torque)", r"(n·m|torque)[^\n]{0,60}(pull stud|ps-4012)",
                   r"^cnc-0[78],"],
    },
    "tb-nm-press02-acc2-precharge": {
        "subject": ["ACC-2"],
        "absent": [r"(acc-2\b|press-02)[^\n]{0,120}pre-?charg", r"pre-?charg[^\n]{0,120}(acc-2\b|press-02)",
                   r"acc-2\b[^\n]{0,80}\d+\s*bar"],
    },
    "tb-nm-conv14-gearbox-oil": {
        "subject": ["CONV-14", "gearmotor"],
        "absent": [r"conv-?14[^\n]{0,160}(gear ?oil|vg ?\d+|clp|gearbox oil|oil)", r"(gear ?oil|clp ?\d+|vg ?\d+)[^\n]{0,160}conv-?14"],
    },
    # ---- site C
    "tc-nm-padlock-strength": {
        "subject": ["Lockout devices shall be substantial"],
        "absent": [r"lockout devices?\.?\s+lockout devices shall be substantial[^\n]*\d", r"\b(lock|padlock)s?\b[^\n]{0,60}\d+\s*(pounds|lbs?|kg|n)\b"],
    },
    "tc-nm-lock-color": {
        "subject": ["Color"],
        "absent": [r"\b(red|yellow|blue|green|orange|black|white)\b(?! death)"],
    },
    "tc-nm-inspection-record-retention": {
        "subject": ["certify that the periodic inspections"],
        "absent": [r"\bretain", r"retention", r"\d+\s*years?", r"kept for"],
    },
    "tc-nm-training-hours": {
        "subject": ["training"],
        "absent": [r"\d+\s*hours? of training", r"training[^\n]{0,80}\d+\s*(hours?|minutes?|days?)"],
    },
    "tc-nm-wheel-nut-torque": {
        "subject": ["Check torques on wheel bolts and nuts"],
        "absent": [r"\d+\s*(n·?m|nm|ft[- ]?lbs?|lbf|in[- ]?lbs?|kgf)\b"],
    },
    "tc-nm-hyd-filter-micron": {
        "subject": ["Replace filter at 500 hour service"],
        "absent": [r"micron", r"µm", r"\d+\s*um\b", r"\bbeta\b"],
    },
}


# Positive probes: a sentence that WOULD answer the near miss; the absence regexes must
# catch it, which shows the patterns are not vacuous.
PROBES = {
    'ta-nm-battery-vent-tube-torque': 'torque the vent tube nuts to 15 in-lb',
    'ta-nm-oil-tank-capacity': 'oil tank capacity is 5.5 us qt',
    'ta-nm-blast-tube-part-number': 'blast tube lw-80130',
    'ta-nm-nose-tire-pressure': 'nose tire: 60 psi',
    'ta-nm-new-wear-pin-length': 'a new wear pin protrudes 0.5 in',
    'ta-nm-gpu-contactor-coil-voltage': 'contactor coil 24 v',
    'tb-nm-press04-brake-spring-length': 'free length 45 mm',
    'tb-nm-hpu3-bleed-screw-torque': 'tighten the bleed screw to 8 n·m',
    'tb-nm-cmp2-separator-interval': 'sep-7540 every 4,000 h',
    'tb-nm-cnc-pull-stud-torque': 'torque pull stud ps-4012 to 70 n·m',
    'tb-nm-press02-acc2-precharge': 'acc-2 precharge 60 bar',
    'tb-nm-conv14-gearbox-oil': 'conv-14 gearbox oil clp 220 4 l',
    'tc-nm-padlock-strength': 'padlocks shall withstand 100 pounds',
    'tc-nm-lock-color': 'locks shall be red',
    'tc-nm-inspection-record-retention': 'records shall be kept for 3 years',
    'tc-nm-training-hours': 'training of 8 hours',
    'tc-nm-wheel-nut-torque': 'wheel nuts 650 nm',
    'tc-nm-hyd-filter-micron': '10 micron filter',
}

# ---------------------------------------------------------------- text extraction
def text_of(p: Path) -> str:
    s = p.suffix.lower()
    if s in (".md", ".txt", ".csv"):
        return p.read_text(encoding="utf-8-sig", errors="replace")
    if s == ".eml":
        msg = email.message_from_bytes(p.read_bytes())
        out = []
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                out.append(part.get_payload(decode=True).decode("utf-8", "replace"))
        return "\n".join(out)
    if s == ".html":
        from bs4 import BeautifulSoup
        return BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text("\n")
    if s == ".docx":
        import docx
        d = docx.Document(str(p))
        out = [x.text for x in d.paragraphs]
        for t in d.tables:
            for r in t.rows:
                out.append(" | ".join(c.text for c in r.cells))
        return "\n".join(out)
    if s == ".xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(str(p), data_only=True)
        out = []
        for ws in wb:
            for r in ws.iter_rows(values_only=True):
                out.append(" | ".join("" if v is None else str(v) for v in r))
        return "\n".join(out)
    if s == ".pdf":
        from pdfminer.high_level import extract_text
        return extract_text(str(p))
    return ""


def norm(t: str) -> str:
    return re.sub(r"\s+", " ", t.replace("\u00a0", " ")).strip().casefold()


def site_files(site: str) -> list[Path]:
    cfg = SITES[site]
    if site == "site_c":
        return list(SITE_C_FILES)
    return [p for root in (cfg["docs"], cfg["src"]) for p in sorted(root.rglob("*")) if p.is_file()]


def find_doc(site: str, name: str) -> Path | None:
    if site == "site_c":
        for p in SITE_C_FILES:
            if p.name == name:
                return p
        return None
    hits = [p for p in SITES[site]["docs"].rglob("*") if p.is_file() and p.name == name]
    return hits[0] if len(hits) == 1 else None


def src_of(site: str, doc: Path) -> Path | None:
    if site == "site_c":
        return None
    for p in SITES[site]["src"].rglob("*"):
        if p.is_file() and p.stem == doc.stem:
            return p
    return None


# ---------------------------------------------------------------- checks
def main() -> int:
    errors: list[str] = []
    ids: set[str] = set()
    cache: dict[Path, str] = {}

    def txt(p: Path) -> str:
        if p not in cache:
            try:
                cache[p] = text_of(p)
            except Exception as e:  # missing optional library etc.
                errors.append(f"cannot read {p}: {e!r}")
                cache[p] = ""
        return cache[p]

    for site, cfg in SITES.items():
        path = HERE / f"{site}.jsonl"
        items = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        n_ans = sum(1 for i in items if i.get("answerable") is True)
        if len(items) != 16 or n_ans != 10:
            errors.append(f"{site}: {len(items)} items, {n_ans} answerable (want 16 / 10)")
        corpus = {p: norm(txt(p)) for p in site_files(site)}
        # raw (line-preserving, casefolded) text for line-anchored absence regexes
        corpus_raw = {p: txt(p).casefold() for p in site_files(site)}
        for it in items:
            iid = it.get("id", "?")
            if set(it) != KEYS:
                errors.append(f"{iid}: keys {sorted(it)}")
            if not iid.startswith(cfg["prefix"]) or iid in ids:
                errors.append(f"{iid}: bad or duplicate id")
            ids.add(iid)
            if it["split"] != "fresh_text" or len(it["tags"]) != 2 or it["tags"][0] != "text" or it["tags"][1] not in TAG2:
                errors.append(f"{iid}: split/tags {it['split']} {it['tags']}")
            docs = []
            for g in it["gold_sources"]:
                if set(g) != {"doc"}:
                    errors.append(f"{iid}: gold_sources entry {g}")
                p = find_doc(site, g["doc"])
                if p is None:
                    errors.append(f"{iid}: gold doc not found (or ambiguous): {g['doc']}")
                else:
                    docs.append(p)
            if not docs:
                continue
            if it["answerable"]:
                if it["tags"][1] == "near_miss" or not (1 <= len(it["must_contain"]) <= 3):
                    errors.append(f"{iid}: answerable item needs 1-3 must_contain and a non-near_miss tag")
                for p in docs:
                    texts = {"docs": norm(txt(p))}
                    sp = src_of(site, p)
                    if sp is not None:
                        texts["src"] = norm(txt(sp))
                    for s in it["must_contain"]:
                        for kind, t in texts.items():
                            if norm(s) not in t:
                                errors.append(f"{iid}: must_contain {s!r} not in {kind} text of {p.name}")
            else:
                if it["must_contain"] or it["tags"][1] != "near_miss":
                    errors.append(f"{iid}: near miss must have empty must_contain and tag near_miss")
                if not it["reference_answer"].startswith("Not in the documents."):
                    errors.append(f"{iid}: near-miss reference_answer should start with 'Not in the documents.'")
                spec = NEAR_MISS.get(iid)
                if spec is None:
                    errors.append(f"{iid}: no absence spec in check.py")
                    continue
                for term in spec["subject"]:
                    if not any(norm(term) in norm(txt(p)) for p in docs):
                        errors.append(f"{iid}: subject term {term!r} not in cited doc(s)")
                probe = PROBES.get(iid, "")
                if not any(re.search(pat, probe, re.I | re.M) for pat in spec["absent"]):
                    errors.append(f"{iid}: absence patterns do not catch the positive probe {probe!r}")
                for pat in spec["absent"]:
                    rx = re.compile(pat, re.I | re.M)
                    for p, raw in corpus_raw.items():
                        m = rx.search(raw)
                        if m:
                            errors.append(f"{iid}: absence pattern {pat!r} matched in {p.name}: {m.group(0)[:120]!r}")
        print(f"{site}: {len(items)} items ({n_ans} answerable, {len(items) - n_ans} near misses), "
              f"{len(corpus)} site documents scanned for absence")

    if errors:
        print("\nFAIL")
        for e in errors:
            print(" -", e)
        return 1
    print("\nALL CHECKS PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
