#!/usr/bin/env python3
"""Self-check for the fresh_text_3 question set.

Uses only the standard library, plus pypdf and python-docx when they are
importable (run it with /work/main/.venv/bin/python to get them).

Checks:
  * structure: exact keys, id prefixes, tags, split, counts per file;
  * answerable questions: every must_contain string occurs (whitespace
    normalised, case-sensitive) in the text of EVERY cited gold document,
    and in the reference answer;
  * near misses: the subject of the question does occur in the site's
    documents (it is a near miss, not an off-topic question), and no passage
    (prose paragraph, DOCX/HTML line, 3-line PDF window, or table row) that mentions the
    subject also matches a pattern for the asked attribute. This is a keyword
    check, not a proof of absence.

Usage:  python datasets/fresh_text_3/check.py [--corpora DIR] [-v]
Exit status 0 when everything passes.
"""
from __future__ import annotations

import argparse
import csv
import html.parser
import io
import json
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

EXPECTED_KEYS = {"id", "question", "reference_answer", "must_contain",
                 "gold_sources", "answerable", "tags", "split"}
SPLIT = "fresh_text3"
TAGS = {"procedure", "fact", "list", "warning", "note", "situation", "near_miss"}

SITES = {
    "site_a.jsonl": {"prefix": "ta-", "kind": "dir", "root": REPO / "sample_hangar" / "docs",
                     "src": REPO / "sample_hangar" / "src"},
    "site_b.jsonl": {"prefix": "tb-", "kind": "dir", "root": REPO / "sample_plant" / "docs",
                     "src": REPO / "sample_plant" / "src"},
    "site_c.jsonl": {"prefix": "tc-", "kind": "corpora",
                     "files": ["loto_osha/29-CFR-1910.147.md",
                               "fmea_haul_truck/fmea_dataset_filled.csv"]},
}

# Near misses: id -> (subject regex, attribute regex).
# The subject must occur somewhere in the site's documents; no passage that
# mentions the subject may match the attribute pattern.
NEAR_MISS = {
    # Site A (sample_hangar)
    "ta-11": (r"(?i)filler cap", r"(?i)in-lb|N·m|ft-lb|lbf|\btorque"),
    "ta-12": (r"(?i)nose (wheel|tire)|LW-32115|TIRE ASSY, NOSE", r"(?i)\d+\s*psi"),
    "ta-13": (r"(?i)strut", r"(?i)\d+\s*(psi|bar)\b"),
    "ta-14": (r"(?i)igniter", r"(?i)in-lb|N·m|ft-lb|lbf|torque"),
    "ta-15": (r"(?i)valve cover", r"(?i)\d+(\.\d+)?\s*(in-lb|ft-lb|N·m|lbf)"),
    "ta-16": (r"(?i)oil tank|engine oil|turbine engine",
              r"(?i)capacity|tank holds|holds \d|\d+(\.\d+)?\s*US qt\s*(total|capacity|full)"),
    # Site B (sample_plant)
    "tb-11": (r"ACC-3A|ACC-3B", r"(?i)pre-?charge|nitrogen|\bN2\b"),
    "tb-12": (r"PRESS-01", r"(?i)relief"),
    "tb-13": (r"(?i)V-belt|flywheel belts",
              r"(?i)deflection|\d+(\.\d+)?\s*(mm|N|kN|lbf?|kg|Hz)\b"),
    "tb-14": (r"CMP-2|OIL-SC46",
              r"(?i)oil capacity|sump capacity|capacity of|holds \d|"
              r"\d+(\.\d+)?\s*(L|litres?|liters?)\s+of oil|refill (volume|quantity)"),
    "tb-15": (r"IGN-120|(?i:igniter)", r"(?i)N·m|\bNm\b|lbf|torque"),
    "tb-16": (r"(?i)tail pulley", r"(?i)N·m|\bNm\b|lbf|torque"),
    # Site C (public corpora)
    "tc-11": (r"(?i)wheel (bolts|nuts)", r"(?i)\d+\s*(N·m|Nm|ft[- .]?lbs?|lbf)"),
    "tc-12": (r"(?i)hydraulic oil",
              r"(?i)\bISO\b|\bVG\b|\bSAE\b|viscosity|\b\d+W-?\d+\b|\bgrade\b"),
    "tc-13": (r"(?i)\btyres?\b|\btires?\b", r"(?i)\bpsi\b|\bkPa\b|\bbar\b|inflat"),
    "tc-14": (r"(?i)lockout devices?",
              r"(?i)\b(red|yellow|blue|green|orange|black|white)\b"),
    "tc-15": (r"(?i)certif",
              r"(?i)\d+\s*(years?|months?|days?)|retain|retention|kept for|maintained for"),
    "tc-16": (r"(?i)hoist cylinder",
              r"(?i)replace\w*\D{0,30}\d+\s*(hours?|hrs?)|\d+\s*(hours?|hrs?)\D{0,30}replace"),
}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NOTES: list[str] = []


# ---------------------------------------------------------------- extraction
class _HTMLText(html.parser.HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
             "table", "ul", "ol", "section", "header", "footer", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.BLOCK:
            self.out.append("\n")
        if tag in ("td", "th"):
            self.out.append(" | ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def _html(path: Path) -> str:
    p = _HTMLText()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    text = "".join(p.out)
    return "\n".join(re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines())


def _docx(path: Path) -> str:
    try:
        import docx  # python-docx
        d = docx.Document(str(path))
        out = [p.text for p in d.paragraphs]
        for t in d.tables:
            for r in t.rows:
                out.append(" | ".join(c.text for c in r.cells))
        return "\n".join(out)
    except ImportError:
        pass
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(W + "p"):
        out.append("".join(t.text or "" for t in p.iter(W + "t")))
    return "\n".join(out)


def _xlsx(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(S + "si"):
                shared.append("".join(t.text or "" for t in si.iter(S + "t")))
        sheets = sorted(n for n in z.namelist()
                        if re.match(r"xl/worksheets/sheet\d+\.xml$", n))
        out = []
        for name in sheets:
            root = ET.fromstring(z.read(name))
            for row in root.iter(S + "row"):
                cells = []
                for c in row.iter(S + "c"):
                    t = c.get("t")
                    if t == "s":
                        v = c.find(S + "v")
                        cells.append(shared[int(v.text)] if v is not None else "")
                    elif t == "inlineStr":
                        cells.append("".join(x.text or "" for x in c.iter(S + "t")))
                    else:
                        v = c.find(S + "v")
                        cells.append(v.text if v is not None and v.text else "")
                out.append(" | ".join(cells))
    return "\n".join(out)


def _pdf(path: Path, src_dir: Path | None) -> str:
    try:
        import pypdf
        return "\n".join((pg.extract_text() or "") for pg in pypdf.PdfReader(str(path)).pages)
    except ImportError:
        pass
    if src_dir is not None:
        for cand in src_dir.rglob(path.stem + ".md"):
            NOTES.append(f"pypdf not installed: read {path.name} from its source {cand}")
            return cand.read_text(encoding="utf-8")
    raise RuntimeError(f"cannot read {path}: pypdf not installed and no source mirror")


def text_of(path: Path, src_dir: Path | None = None) -> str:
    ext = path.suffix.lower()
    if ext in (".md", ".txt", ".eml", ".csv"):
        return path.read_text(encoding="utf-8-sig", errors="replace")
    if ext in (".html", ".htm"):
        return _html(path)
    if ext == ".docx":
        return _docx(path)
    if ext == ".xlsx":
        return _xlsx(path)
    if ext == ".pdf":
        return _pdf(path, src_dir)
    raise ValueError(f"unsupported document type: {path}")


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def passages(path: Path, text: str) -> list[str]:
    """Rows for tables, 3-line windows for PDF, lines for DOCX/HTML, blank-line paragraphs for prose."""
    ext = path.suffix.lower()
    if ext == ".csv":
        rows = csv.reader(io.StringIO(text))
        return [" | ".join(r) for r in rows if any(c.strip() for c in r)]
    if ext == ".pdf":
        # PDF text lines wrap mid-sentence: use windows of three lines
        lines = [ln for ln in text.splitlines() if ln.strip()]
        return [" ".join(lines[i:i + 3]) for i in range(len(lines))]
    if ext in (".xlsx", ".docx", ".html", ".htm"):
        return [ln for ln in text.splitlines() if ln.strip()]
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


# ---------------------------------------------------------------- site docs
def site_docs(cfg: dict, corpora: Path) -> dict[str, Path]:
    if cfg["kind"] == "dir":
        docs = {}
        for p in sorted(cfg["root"].rglob("*")):
            if p.is_file():
                if p.name in docs:
                    raise RuntimeError(f"duplicate document name {p.name}")
                docs[p.name] = p
        return docs
    return {Path(f).name: corpora / f for f in cfg["files"]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default=os.environ.get("FLOORWISE_CORPORA", ""),
                    help="folder holding loto_osha/ and fmea_haul_truck/ "
                         "(default: $FLOORWISE_CORPORA, /work/shared/corpora or <repo>/shared/corpora)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    corpora = None
    for cand in (args.corpora, "/work/shared/corpora", str(REPO / "shared" / "corpora")):
        if cand and (Path(cand) / "loto_osha").is_dir():
            corpora = Path(cand)
            break
    if corpora is None:
        print("FAIL: cannot find the public corpora folder (use --corpora)")
        return 1

    errors: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    seen_ids: set[str] = set()

    for fname, cfg in SITES.items():
        path = HERE / fname
        docs = site_docs(cfg, corpora)
        for name, p in docs.items():
            if not p.is_file():
                errors.append(f"{fname}: site document missing: {p}")
        texts = {n: text_of(p, cfg.get("src")) for n, p in docs.items() if p.is_file()}
        ntexts = {n: norm(t) for n, t in texts.items()}
        psgs = [(n, norm(x)) for n, t in texts.items() for x in passages(docs[n], t)]

        rows = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        c = counts.setdefault(fname, {})
        c["total"] = len(rows)
        for r in rows:
            rid = r.get("id", "?")
            if set(r) != EXPECTED_KEYS:
                errors.append(f"{rid}: keys {sorted(r)}")
                continue
            if rid in seen_ids:
                errors.append(f"{rid}: duplicate id")
            seen_ids.add(rid)
            if not rid.startswith(cfg["prefix"]):
                errors.append(f"{rid}: id prefix should be {cfg['prefix']}")
            if r["split"] != SPLIT:
                errors.append(f"{rid}: split {r['split']!r}")
            tags = r["tags"]
            if not (isinstance(tags, list) and len(tags) == 2 and tags[0] == "text" and tags[1] in TAGS):
                errors.append(f"{rid}: tags {tags}")
                continue
            c[tags[1]] = c.get(tags[1], 0) + 1
            if not r["question"].strip() or not r["reference_answer"].strip():
                errors.append(f"{rid}: empty question or reference answer")

            if r["answerable"] is True:
                c["answerable"] = c.get("answerable", 0) + 1
                if tags[1] == "near_miss":
                    errors.append(f"{rid}: answerable but tagged near_miss")
                if not r["must_contain"]:
                    errors.append(f"{rid}: answerable with empty must_contain")
                if not r["gold_sources"]:
                    errors.append(f"{rid}: answerable with no gold_sources")
                for g in r["gold_sources"]:
                    doc = g.get("doc") if isinstance(g, dict) else None
                    if set(g) != {"doc"} or doc not in ntexts:
                        errors.append(f"{rid}: gold source {g!r} is not a document of this site")
                        continue
                    for s in r["must_contain"]:
                        if norm(s) not in ntexts[doc]:
                            errors.append(f"{rid}: {s!r} not found in {doc}")
                        elif args.verbose:
                            print(f"  ok {rid}: {s!r} in {doc}")
                for s in r["must_contain"]:
                    if norm(s) not in norm(r["reference_answer"]):
                        errors.append(f"{rid}: must_contain {s!r} missing from reference_answer")
            elif r["answerable"] is False:
                c["near_miss_rows"] = c.get("near_miss_rows", 0) + 1
                if tags[1] != "near_miss":
                    errors.append(f"{rid}: unanswerable but not tagged near_miss")
                if r["must_contain"] or r["gold_sources"]:
                    errors.append(f"{rid}: near miss should have empty must_contain and gold_sources")
                spec = NEAR_MISS.get(rid)
                if spec is None:
                    errors.append(f"{rid}: no near-miss keyword spec in check.py")
                    continue
                subj, attr = re.compile(spec[0]), re.compile(spec[1])
                hits = [(n, p) for n, p in psgs if subj.search(p)]
                if not hits:
                    errors.append(f"{rid}: subject /{spec[0]}/ not found in any site document "
                                  f"(not a near miss?)")
                bad = [(n, p) for n, p in hits if attr.search(p)]
                for n, p in bad[:3]:
                    errors.append(f"{rid}: attribute /{spec[1]}/ found next to subject in {n}: {p[:160]!r}")
                if args.verbose and not bad:
                    print(f"  ok {rid}: subject in {len(hits)} passages, attribute absent")
            else:
                errors.append(f"{rid}: answerable must be a bool")

        if c.get("total") != 16:
            errors.append(f"{fname}: {c.get('total')} questions, expected 16")
        if c.get("answerable", 0) != 10 or c.get("near_miss_rows", 0) != 6:
            errors.append(f"{fname}: {c.get('answerable', 0)} answerable / "
                          f"{c.get('near_miss_rows', 0)} near misses, expected 10 / 6")
        if c.get("situation", 0) != 4:
            errors.append(f"{fname}: {c.get('situation', 0)} situation questions, expected 4")

    for n in NOTES:
        print("note:", n)
    for fname, c in counts.items():
        tagc = ", ".join(f"{k}={v}" for k, v in sorted(c.items())
                         if k in TAGS)
        print(f"{fname}: {c.get('total', 0)} questions "
              f"({c.get('answerable', 0)} answerable, {c.get('near_miss_rows', 0)} near misses; {tagc})")
    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        return 1
    print("\nPASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
