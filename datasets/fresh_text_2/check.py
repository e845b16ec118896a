#!/usr/bin/env python3
"""Self-check for the fresh_text_2 question set.

Checks, for site_a/site_b/site_c.jsonl:
  * schema: exact keys, id prefix, split, tags, 10 answerable + 6 near misses;
  * every cited gold document exists;
  * every must_contain string occurs (case-insensitive) in the text of at least
    one cited document -- in its plain-text source under src/ when there is one
    AND in the ingested original under docs/ (md/txt/eml/csv/html/docx/xlsx are
    parsed with the standard library; pdf only if pypdf is importable);
  * for every near miss (answerable: false, must_contain: []), the regex that
    would reveal the asked attribute matches nowhere in ANY document of the
    site (src/ sources, docs/ originals incl. tables and work-order logs, both
    revisions of revised SOPs).

Usage:  python datasets/fresh_text_2/check.py     (exit code 0 = pass)
Env:    FLOORWISE_SHARED_CORPORA overrides /work/shared/corpora for site C.
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("FLOORWISE_SHARED_CORPORA", "/work/shared/corpora"))

SITES = {
    "site_a.jsonl": {
        "prefix": "ua-",
        "src": [ROOT / "sample_hangar/src"],
        "docs": [ROOT / "sample_hangar/docs"],
        "files": [],
    },
    "site_b.jsonl": {
        "prefix": "ub-",
        "src": [ROOT / "sample_plant/src"],
        "docs": [ROOT / "sample_plant/docs"],
        "files": [],
    },
    "site_c.jsonl": {
        "prefix": "uc-",
        "src": [],
        "docs": [],
        "files": [SHARED / "loto_osha/29-CFR-1910.147.md",
                  SHARED / "fmea_haul_truck/fmea_dataset_filled.csv"],
    },
}

KEYS = {"id", "question", "reference_answer", "must_contain", "gold_sources",
        "answerable", "tags", "split"}
TAG2 = {"procedure", "fact", "list", "warning", "note", "situation", "near_miss"}

# Answer-revealing patterns for each near miss. Each must match NOWHERE in the
# site's documents (flags: IGNORECASE | MULTILINE; '.' does not cross lines).
NEAR_MISS = {
    # ---- site A (hangar)
    "ua-nm-engine-oil-tank-capacity": [
        r"(oil|tank)[^\n|]{0,60}capacity",
        r"capacity[^\n|]{0,60}\b(qt|quarts?|gal(lons?)?|litres?|liters?|L)\b",
        r"(oil )?tank[^\n|]{0,40}\b(holds?|contains?)\b[^\n|]{0,20}\d",
    ],
    "ua-nm-nose-tire-pressure": [
        r"\b(nose|NLG)\b[^\n|]{0,80}\d+\s*psi",
        r"\d+\s*psi[^\n|]{0,60}\b(nose|NLG)\b",
    ],
    "ua-nm-blast-tube-part-number": [
        r"blast tube[^\n]{0,30}(LW-\d{5}|P/N|part n)",
        r"^LW-\d{5},(\"[^\"\n]*|[^,\n]*)(BLAST|COOLING AIR)",
        r"^LW-\d{5},[^\n]*STARTER-GEN[^\n]*(TUBE|HOSE)",
        r"(P/N|part n\w*)[^\n]{0,30}blast tube",
    ],
    "ua-nm-main-tire-tread-depth-limit": [
        r"(tread|groove)[^\n|]{0,40}depth",
        r"depth[^\n|]{0,40}(tread|groove)",
        r"(minimum|min\.?)\s+tread",
    ],
    "ua-nm-gpu-load-bank-duration": [
        r"load bank[^\n]{0,120}\b\d+\s*(min\b|mins\b|minutes?|h\b|hrs?\b|hours?|s\b|sec\b|seconds?)",
        r"\b\d+\s*(minutes?|hours?)\b[^\n]{0,60}load bank",
    ],
    "ua-nm-battery-capacity-check-limit": [
        r"capacity[^\n|]{0,60}(\d+\s*%|percent|\bAh\b|amp[- ]hours?)",
        r"(\d+\s*%|percent|\bAh\b)[^\n|]{0,60}capacity",
    ],
    # ---- site B (plant)
    "ub-nm-hpu3-oil-change-interval": [
        r"oil change",
        r"(change|replace|renew|drain and refill)\s+(the\s+)?(hydraulic\s+|tank\s+|HM 46\s+)?oil\b",
        r"\boil\s+(is\s+|was\s+)?(changed|replaced|renewed)",
        r"HPU-3[^\n]{0,120}(oil|fluid)[^\n]{0,40}every",
    ],
    "ub-nm-press04-brake-spring-pn": [
        r"brake springs?[^\n.]{0,80}\b[A-Z]{2,}-\d{3,}",
        r"\b[A-Z]{2,}-\d{3,}[A-Z0-9-]*[^\n.]{0,30}brake springs?",
        r"CB-4400-(?!FD\b|CD\b)[A-Z0-9]+",
        r"spring (set|kit)[^\n]{0,40}(PRESS-04|CB-4400)",
    ],
    "ub-nm-sb800-block-weight": [
        r"SB-800[^\n]{0,80}\b\d+(\.\d+)?\s*(kg|lb|lbs)\b",
        r"(safety )?blocks?[^\n]{0,40}\bweigh",
        r"\bweigh[^\n]{0,40}(safety )?block",
    ],
    "ub-nm-sv4410d-mounting-torque": [
        r"SV-4410-D[^\n]{0,150}(N·m|\bNm\b|lbf)",
        r"combination valve[^\n]{0,100}(N·m|\bNm\b|lbf|,\d+,\d+)",
        r"(double|safety) valve[^\n]{0,60}(N·m|\bNm\b|lbf)",
    ],
    "ub-nm-press03-accumulator-precharge": [
        r"ACC-3[AB][^\n]{0,200}(pre-?charge|nitrogen)",
        r"(pre-?charge|nitrogen)[^\n]{0,200}ACC-3[AB]",
        r"PRESS-03[^\n]{0,100}pre-?charge",
    ],
    "ub-nm-conv14-tail-pulley-housing-torque": [
        r"tail pulley[^\n]{0,120}(N·m|\bNm\b|lbf|torque|,\d+,\d+)",
        r"(N·m|torque)[^\n]{0,60}tail pulley",
    ],
    # ---- site C (public)
    "uc-nm-lock-colour": [
        r"(lock|tag)[^\n]{0,100}\b(red|yellow|blue|orange|black|green|white)\b",
        r"\b(red|yellow|blue|orange|black|white)\b[^\n]{0,40}(lock|tag)",
    ],
    "uc-nm-lockout-violation-penalty": [
        r"\$\s?\d", r"penalt", r"\bfines?\b", r"\bfined\b", r"civil money",
    ],
    "uc-nm-retraining-fixed-interval": [
        r"retrain[^\n]{0,300}\b(every|annual(ly)?|each year|\d+\s*(years?|months?))\b",
        r"(every|each)\s+\w*\s*(years?|months?)[^\n]{0,60}(train|retrain)",
    ],
    "uc-nm-tag-minimum-size": [
        r"tag[^\n]{0,120}\b\d+(\.\d+)?\s*(inch|inches|in\.|mm|cm)\b",
        r"(minimum|min\.?)\s+(tag\s+)?size",
        r"\d+(\.\d+)?\s*(inch|inches|in\.|mm|cm)\b[^\n]{0,60}tag",
    ],
    "uc-nm-turbo-replacement-cost": [
        r"\$\s?\d", r"\bcost\b", r"\bprice\b", r"\bUSD\b", r"part number", r"\bP/N\b",
    ],
    "uc-nm-water-pump-recommended-action": [
        # a water pump row whose last (Recommended Action) field is non-empty
        r"^[^\n]*,Water Pump,[^\n]*,\d+,\d+,(\"[^\"\n]+\"|[^,\n\"]+)\s*$",
    ],
}


# ---------------------------------------------------------------- text readers
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    body = root.find(W + "body")
    out = []

    def ptext(p):
        return "".join(t.text or "" for t in p.iter(W + "t"))

    for el in body:
        if el.tag == W + "p":
            out.append(ptext(el))
        elif el.tag == W + "tbl":
            for tr in el.iter(W + "tr"):
                cells = []
                for tc in tr.findall(W + "tc"):
                    cells.append(" ".join(ptext(p) for p in tc.iter(W + "p")))
                out.append(" | ".join(cells))
    return "\n".join(out)


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(S + "si"):
                shared.append("".join(t.text or "" for t in si.iter(S + "t")))
        out = []
        sheets = sorted(n for n in z.namelist()
                        if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
        for name in sheets:
            root = ET.fromstring(z.read(name))
            for row in root.iter(S + "row"):
                vals = []
                for c in row.findall(S + "c"):
                    t = c.get("t")
                    if t == "s":
                        v = c.find(S + "v")
                        vals.append(shared[int(v.text)] if v is not None else "")
                    elif t == "inlineStr":
                        vals.append("".join(x.text or "" for x in c.iter(S + "t")))
                    else:
                        v = c.find(S + "v")
                        vals.append(v.text if v is not None and v.text else "")
                out.append(" | ".join(vals))
    return "\n".join(out)


class _Strip(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, d):
        self.parts.append(d)

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li", "tr", "br", "h1", "h2", "h3", "div", "td", "th"):
            self.parts.append("\n" if tag not in ("td", "th") else " | ")


def _html_text(path: Path) -> str:
    p = _Strip()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return html.unescape("".join(p.parts))


def _pdf_text(path: Path):
    try:
        import pypdf  # optional
    except Exception:
        return None
    return "\n".join((pg.extract_text() or "") for pg in pypdf.PdfReader(str(path)).pages)


def read_text(path: Path):
    ext = path.suffix.lower()
    if ext == ".docx":
        return _docx_text(path)
    if ext == ".xlsx":
        return _xlsx_text(path)
    if ext in (".html", ".htm"):
        return _html_text(path)
    if ext == ".pdf":
        return _pdf_text(path)
    return path.read_text(encoding="utf-8-sig", errors="replace")


def norm(s: str) -> str:
    # unify non-breaking / thin spaces so "330 N·m" matches across formats
    return re.sub(r"[\u00a0\u2009\u202f]", " ", s)


# ---------------------------------------------------------------- site corpus
def site_corpus(cfg):
    """Return (files: {path: text}, skipped: [paths])"""
    files, skipped = {}, []
    paths = list(cfg["files"])
    for d in cfg["src"] + cfg["docs"]:
        paths += [p for p in sorted(d.rglob("*")) if p.is_file()]
    for p in paths:
        t = read_text(p)
        if t is None:
            skipped.append(p)
        else:
            files[p] = norm(t)
    return files, skipped


def doc_texts(cfg, corpus, doc):
    """Texts for a cited doc name: its docs/ original (or shared file) and the
    src/ plain-text source with the same stem, if any."""
    stem = Path(doc).stem
    orig = [p for p in corpus if p.name == doc and not any(p.is_relative_to(s) for s in cfg["src"])]
    src = [p for p in corpus if p.stem == stem and any(p.is_relative_to(s) for s in cfg["src"])]
    exists = any(p.name == doc for p in
                 (list(cfg["files"]) + [q for d in cfg["docs"] for q in d.rglob(doc)]))
    return exists, orig, src


def main() -> int:
    errors, notes = [], []
    total = {"answerable": 0, "near_miss": 0}
    for fname, cfg in SITES.items():
        corpus, skipped = site_corpus(cfg)
        for p in skipped:
            notes.append(f"{fname}: {p.name} not parsed (no pypdf); its src/ text is used instead")
        rows = [json.loads(l) for l in (HERE / fname).read_text().splitlines() if l.strip()]
        ids = [r.get("id") for r in rows]
        if len(set(ids)) != len(ids):
            errors.append(f"{fname}: duplicate ids")
        n_ans = sum(1 for r in rows if r.get("answerable") is True)
        if len(rows) != 16 or n_ans != 10:
            errors.append(f"{fname}: {len(rows)} rows, {n_ans} answerable (want 16/10)")
        for r in rows:
            rid = r.get("id", "?")
            if set(r) != KEYS:
                errors.append(f"{rid}: keys {sorted(r)}")
                continue
            if not rid.startswith(cfg["prefix"]):
                errors.append(f"{rid}: id prefix")
            if r["split"] != "fresh_text2":
                errors.append(f"{rid}: split")
            if len(r["tags"]) != 2 or r["tags"][0] != "text" or r["tags"][1] not in TAG2:
                errors.append(f"{rid}: tags {r['tags']}")
            if not r["gold_sources"] or any(set(g) != {"doc"} for g in r["gold_sources"]):
                errors.append(f"{rid}: gold_sources")
            cited = []
            for g in r["gold_sources"]:
                exists, orig, src = doc_texts(cfg, corpus, g["doc"])
                if not exists:
                    errors.append(f"{rid}: cited doc not found: {g['doc']}")
                cited.append((g["doc"], orig, src))
            if r["answerable"]:
                total["answerable"] += 1
                if not (1 <= len(r["must_contain"]) <= 3):
                    errors.append(f"{rid}: must_contain count")
                if r["tags"][1] == "near_miss":
                    errors.append(f"{rid}: answerable but tagged near_miss")
                for s in r["must_contain"]:
                    s_l = norm(s).lower()
                    ok_any = False
                    for doc, orig, src in cited:
                        parts = [corpus[p] for p in src] + [corpus[p] for p in orig]
                        if not parts:
                            continue
                        # must be in every readable version (src and original)
                        if all(s_l in t.lower() for t in parts):
                            ok_any = True
                            break
                    if not ok_any:
                        errors.append(f"{rid}: must_contain {s!r} not in cited doc text")
            else:
                total["near_miss"] += 1
                if r["must_contain"] != []:
                    errors.append(f"{rid}: near miss with must_contain")
                if r["tags"][1] != "near_miss":
                    errors.append(f"{rid}: near miss tag")
                pats = NEAR_MISS.get(rid)
                if not pats:
                    errors.append(f"{rid}: no near-miss regex defined")
                    continue
                for pat in pats:
                    rx = re.compile(pat, re.I | re.M)
                    for p, t in corpus.items():
                        m = rx.search(t)
                        if m:
                            errors.append(f"{rid}: regex {pat!r} matches in {p.name}: {m.group(0)[:80]!r}")
        print(f"{fname}: {len(rows)} questions, {n_ans} answerable, "
              f"{len(rows) - n_ans} near misses, {len(corpus)} site documents scanned")
    for n in notes:
        print("note:", n)
    if errors:
        print(f"FAIL ({len(errors)})")
        for e in errors:
            print("  -", e)
        return 1
    print(f"PASS: {total['answerable']} answerable, {total['near_miss']} near misses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
