#!/usr/bin/env python
"""Self-check for datasets/fresh_text_4 (blind text questions, three sites).

Run from this folder:  python check.py      (exit 0 = all good)
         python check.py --dump DIR         (write extracted text of every source doc)

Document text is extracted with the same functions used when the questions were
written: pypdf for PDF, python-docx (paragraphs + tables) for DOCX, openpyxl
(all sheets, all cells) for XLSX, BeautifulSoup get_text for HTML, raw UTF-8
for .md/.txt/.eml/.csv.
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # /work/main
SITES = {
    "site_a.jsonl": ("ua", ROOT / "sample_hangar" / "docs"),
    "site_b.jsonl": ("ub", ROOT / "sample_plant" / "docs"),
    "site_c.jsonl": ("uc", Path("/work/shared/corpora")),
}
# Site C: only these corpus files are in scope (no published Q/A file).
SITE_C_FILES = [
    "loto_osha/29-CFR-1910.147.md",
    "fmea_haul_truck/fmea_dataset_filled.csv",
    "fmea_haul_truck/fmea_dataset_combined.csv",
]
KEYS = {"id", "question", "reference_answer", "must_contain", "gold_sources",
        "answerable", "tags", "split"}
KINDS = {"fact", "list", "warning", "note", "situation", "near_miss"}
SPLIT = "fresh_text4"


def extract(path: Path) -> str:
    suf = path.suffix.lower()
    if suf == ".pdf":
        from pypdf import PdfReader
        return "\n".join((p.extract_text() or "") for p in PdfReader(str(path)).pages)
    if suf == ".docx":
        import docx
        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.append(" | ".join(c.text for c in row.cells))
        return "\n".join(parts)
    if suf == ".xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(str(path), data_only=True)
        parts = []
        for ws in wb.worksheets:
            parts.append(f"## sheet {ws.title}")
            for row in ws.iter_rows(values_only=True):
                parts.append(" | ".join("" if v is None else str(v) for v in row))
        return "\n".join(parts)
    if suf in (".html", ".htm"):
        from bs4 import BeautifulSoup
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text("\n")
    return path.read_text(encoding="utf-8-sig", errors="replace")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def site_docs(prefix, base):
    if prefix == "uc":
        return {Path(f).name: base / f for f in SITE_C_FILES}
    return {p.name: p for p in base.rglob("*") if p.is_file()}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        out = Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
        for fname, (prefix, base) in SITES.items():
            for name, p in site_docs(prefix, base).items():
                (out / f"{prefix}__{name}.txt").write_text(extract(p), encoding="utf-8")
        return 0
    errors = []
    ids = set()
    cache = {}
    for fname, (prefix, base) in SITES.items():
        docs = site_docs(prefix, base)
        rows = [json.loads(l) for l in (HERE / fname).read_text(encoding="utf-8").splitlines() if l.strip()]
        if len(rows) != 16:
            errors.append(f"{fname}: {len(rows)} rows, want 16")
        n_ans = sum(1 for r in rows if r.get("answerable") is True)
        if n_ans != 10:
            errors.append(f"{fname}: {n_ans} answerable, want 10")
        for i, r in enumerate(rows, 1):
            rid = r.get("id")
            if set(r) != KEYS:
                errors.append(f"{rid}: keys {sorted(set(r) ^ KEYS)} wrong")
            if rid != f"{prefix}-{i:02d}":
                errors.append(f"{fname} row {i}: id {rid!r}, want {prefix}-{i:02d}")
            if rid in ids:
                errors.append(f"duplicate id {rid}")
            ids.add(rid)
            if r.get("split") != SPLIT:
                errors.append(f"{rid}: split {r.get('split')!r}")
            tags = r.get("tags")
            if not (isinstance(tags, list) and len(tags) == 2 and tags[0] == "text" and tags[1] in KINDS):
                errors.append(f"{rid}: bad tags {tags}")
                continue
            kind = tags[1]
            if not r.get("question") or not r.get("reference_answer"):
                errors.append(f"{rid}: empty question/reference_answer")
            if kind == "near_miss":
                if r.get("answerable") is not False or r.get("must_contain") != [] or r.get("gold_sources") != []:
                    errors.append(f"{rid}: near miss must be answerable=false, no must_contain, no sources")
                continue
            if r.get("answerable") is not True:
                errors.append(f"{rid}: {kind} must be answerable=true")
            srcs = r.get("gold_sources") or []
            mc = r.get("must_contain") or []
            if len(srcs) != 1 or not (1 <= len(mc) <= 2):
                errors.append(f"{rid}: want 1 gold source and 1-2 must_contain, got {len(srcs)}/{len(mc)}")
            for s in srcs:
                doc = s.get("doc") if isinstance(s, dict) else None
                if set(s) != {"doc"} or doc not in docs:
                    errors.append(f"{rid}: gold source {s} not a document of {fname}")
                    continue
                if doc not in cache:
                    cache[doc] = norm(extract(docs[doc]))
                for m in mc:
                    if norm(m) not in cache[doc]:
                        errors.append(f"{rid}: {m!r} not found in {doc}")
    for e in errors:
        print("FAIL", e)
    print(f"{len(ids)} questions checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
