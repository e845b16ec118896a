#!/usr/bin/env python
"""Self-check for the fresh_text_5 blind question set.

Usage (run from this folder with /work/main/.venv/bin/python):
    python check.py            # validate all three site files
    python check.py --dump DIR # write extracted text of every site document to DIR
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN = Path(__file__).resolve().parents[2]          # /work/main
CORPORA = Path("/work/shared/corpora")

SITES = {
    "a": {"file": "site_a.jsonl", "prefix": "wa",
          "docs": sorted(p for p in (MAIN / "sample_hangar" / "docs").rglob("*") if p.is_file())},
    "b": {"file": "site_b.jsonl", "prefix": "wb",
          "docs": sorted(p for p in (MAIN / "sample_plant" / "docs").rglob("*") if p.is_file())},
    "c": {"file": "site_c.jsonl", "prefix": "wc",
          "docs": [CORPORA / "loto_osha" / "29-CFR-1910.147.md",
                   CORPORA / "fmea_haul_truck" / "fmea_dataset_filled.csv"]},
}

# Expected counts per kind per site (must match README.md).
EXPECTED = {"fact": 3, "list": 1, "warning": 1, "note": 2, "situation": 3, "near_miss": 6}
KEYS = {"id", "question", "reference_answer", "must_contain", "gold_sources",
        "answerable", "tags", "split"}
SPLIT = "fresh_text5"

# Regexes grepped for each near miss; none may match any document of the site.
NEAR_MISS_ABSENT = {
    # Site A
    "wa-11": [r"\d+\s?ah\b", r"\bah\b", r"amp[- ]?hours?", r"ampere"],
    "wa-12": [r"nose.{0,60}\d+\s?psi", r"psi.{0,40}nose", r"nose (tire|tyre) pressure\W{0,3}\d"],
    "wa-13": [r"load bank.{0,80}\b\d+\s?(min|mins|minutes?|hours?|hrs?|seconds?|sec)\b",
              r"(for|hold|run)\s+\d+\s?(min|minutes?)\b.{0,40}load bank"],
    "wa-14": [r"°", r"\d+\s?deg", r"set ?point", r"(heater|fluid).{0,60}\d+\s?(f|c)\b"],
    "wa-15": [r"\bbin\b", r"aisle", r"(storage|stock|stores|shelf|bin) location", r"\brack\b"],
    "wa-16": [r"(oil|tank)\s+capacity", r"capacity of the (oil|tank)", r"tank (holds|volume)",
              r"\d+(\.\d+)?\s?(us )?(qt|quarts?|gal|gallons?|l|litres?|liters?)\s+(total|capacity|usable)"],
    # Site B
    "wb-11": [r"m3/h", r"\bnm3", r"consumption", r"gas flow", r"gas (usage|rate)", r"kwh"],
    "wb-12": [r"pump.{0,60}(l/min|lpm|gpm|cc/rev|cm3/rev)", r"displacement", r"flow rate",
              r"(pump|hpu-3) (flow|delivery)"],
    "wb-13": [r"thickness", r"\d+(\.\d+)?\s?mm thick", r"\bply\b", r"\bplies\b"],
    "wb-14": [r"capacity", r"sump.{0,40}\d+(\.\d+)?\s?(l|litres?|liters?)\b",
              r"oil (fill )?(volume|quantity|charge)", r"(oil change|full change).{0,40}\d+\s?(l|litres?)\b"],
    "wb-15": [r"deflection", r"v-belt tension", r"belt tension (value|spec)",
              r"(v-belts?|flywheel belts?).{0,60}\d+(\.\d+)?\s?(mm|n|kg|lbs?|lbf)\b"],
    "wb-16": [r"\d+(\.\d+)?\s?ka\b", r"kilo-?amp", r"weld current (of|is|set|setting|=|:)\s?\d",
              r"weld(ing)? current.{0,20}\d+(\.\d+)?\s?(a|ka)\b"],
    # Site C
    "wc-11": [r"\bred\b", r"yellow", r"orange", r"colou?r (shall|must) be"],
    "wc-12": [r"penalt", r"\$\s?\d", r"\bfines?\b", r"dollars?", r"civil"],
    "wc-13": [r"retrain\w*.{0,80}\b(every|annual\w*|yearly|\d+ (years?|months?))\b", r"refresher",
              r"\b\d+\s?(years?|months?)\b"],
    "wc-14": [r"psi", r"kpa", r"\bbar\b", r"inflat", r"(tyre|tire) pressure"],
    "wc-15": [r"iso ?vg", r"viscosity", r"\bsae\b", r"\b\d+w-?\d+\b", r"\bhm ?\d+", r"oil (grade|specification|spec)\b"],
    "wc-16": [r"(afff|extinguisher).{0,250}\b\d+\s?(months?|years?)\b", r"hydrostatic", r"(six|twelve)[- ]monthly"],
}


def extract(path):
    path = Path(path)
    suf = path.suffix.lower()
    if suf == ".pdf":
        from pypdf import PdfReader
        return "\n".join((pg.extract_text() or "") for pg in PdfReader(str(path)).pages)
    if suf == ".docx":
        import docx
        d = docx.Document(str(path))
        out = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                out.append(" | ".join(c.text for c in row.cells))
        return "\n".join(out)
    if suf == ".xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(str(path), data_only=True)
        out = []
        for ws in wb.worksheets:
            out.append(f"## sheet: {ws.title}")
            for row in ws.iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                if any(cells):
                    out.append(" | ".join(cells))
        return "\n".join(out)
    if suf in (".html", ".htm"):
        from bs4 import BeautifulSoup
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text("\n")
    return path.read_text(encoding="utf-8", errors="replace")


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def main(argv):
    if len(argv) >= 2 and argv[0] == "--dump":
        out = Path(argv[1])
        out.mkdir(parents=True, exist_ok=True)
        for key, site in SITES.items():
            d = out / f"site_{key}"
            d.mkdir(exist_ok=True)
            for p in site["docs"]:
                (d / (p.name + ".txt")).write_text(extract(p), encoding="utf-8")
        print(f"dumped to {out}")
        return 0

    errors = []
    seen_ids = set()
    for key, site in SITES.items():
        texts = {p.name: extract(p) for p in site["docs"]}
        normed = {n: norm(t) for n, t in texts.items()}
        fpath = HERE / site["file"]
        if not fpath.exists():
            errors.append(f"{site['file']}: missing")
            continue
        counts = {}
        lines = [l for l in fpath.read_text(encoding="utf-8").splitlines() if l.strip()]
        for i, line in enumerate(lines, 1):
            try:
                q = json.loads(line)
            except Exception as e:
                errors.append(f"{site['file']}:{i}: bad JSON {e}")
                continue
            qid = q.get("id", f"?{i}")
            if set(q) != KEYS:
                errors.append(f"{qid}: keys {sorted(set(q) ^ KEYS)} wrong")
                continue
            if qid in seen_ids:
                errors.append(f"{qid}: duplicate id")
            seen_ids.add(qid)
            if not re.fullmatch(site["prefix"] + r"-\d\d", qid):
                errors.append(f"{qid}: id does not match prefix {site['prefix']}")
            if q["split"] != SPLIT:
                errors.append(f"{qid}: split {q['split']!r}")
            tags = q["tags"]
            if not (isinstance(tags, list) and len(tags) == 2 and tags[0] == "text"):
                errors.append(f"{qid}: tags {tags!r}")
                continue
            kind = tags[1]
            counts[kind] = counts.get(kind, 0) + 1
            if not q["question"].strip() or not q["reference_answer"].strip():
                errors.append(f"{qid}: empty question or answer")
            if not isinstance(q["gold_sources"], list) or not q["gold_sources"]:
                errors.append(f"{qid}: gold_sources empty")
                continue
            for g in q["gold_sources"]:
                if set(g) != {"doc"} or g["doc"] not in texts:
                    errors.append(f"{qid}: gold doc {g!r} not a site document")
            if kind == "near_miss":
                if q["answerable"] is not False:
                    errors.append(f"{qid}: near miss must be answerable=false")
                if q["must_contain"] != []:
                    errors.append(f"{qid}: near miss must_contain must be []")
                pats = NEAR_MISS_ABSENT.get(qid)
                if not pats:
                    errors.append(f"{qid}: no absence regexes recorded")
                    continue
                for pat in pats:
                    rx = re.compile(pat, re.I)
                    for n, t in normed.items():
                        m = rx.search(t)
                        if m:
                            errors.append(f"{qid}: absence regex {pat!r} matches {n}: {m.group(0)!r}")
            else:
                if q["answerable"] is not True:
                    errors.append(f"{qid}: answerable must be true")
                mc = q["must_contain"]
                if not (isinstance(mc, list) and 1 <= len(mc) <= 2):
                    errors.append(f"{qid}: must_contain needs 1-2 strings")
                    continue
                if kind == "list" and len(mc) != 2:
                    errors.append(f"{qid}: list needs 2 must_contain items")
                gold_text = " ".join(normed[g["doc"]] for g in q["gold_sources"] if g["doc"] in normed)
                for s in mc:
                    if norm(s) not in gold_text:
                        errors.append(f"{qid}: must_contain {s!r} not in gold text")
        if counts != EXPECTED:
            errors.append(f"{site['file']}: counts {counts} != {EXPECTED}")
    if errors:
        print("\n".join(errors))
        print(f"FAIL: {len(errors)} problem(s)")
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
