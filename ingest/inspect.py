"""What ingestion would make of a file, without writing anything: `floorwise ingest inspect FILE`.

For a spreadsheet (or a document with tables): each table's columns with the type and
role inferred from their names and values, whether it reads as a work-order log, and a
few rows as they would be chunked. A document owner checks an unfamiliar export here and
overrides a role in the config (`[ingest.workorder_columns]`) when the guess is wrong.

>>> from pathlib import Path
>>> report = inspect_file(Path(__file__).parents[1] / "sample_hangar" / "docs" / "logs" / "gse_work_records.csv")
>>> report["kind"], report["tables"][0]["log"]
('work_order', True)
>>> [(c["name"], c["type"], c["role"]) for c in report["tables"][0]["columns"]][:3]
[('Record No', 'id', 'wo_id'), ('Unit', 'category', 'asset'), ('Opened', 'date', 'date')]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence


def inspect_file(path: Path, overrides: Mapping[str, str | Sequence[str]] | None = None,
                 max_bytes: int = 200_000_000, sample: int = 3) -> dict[str, Any]:
    """The detected kind, each table's typed and mapped columns, and `sample` chunked rows per table."""
    from assistant.domain import Document
    from assistant.tables.columns import looks_like_log
    from ingest.chunkers import chunk_file
    from ingest.detect import detect_kind, identify
    from ingest.identifiers import IdExtractor
    from ingest.parse import parse_file

    path = Path(path)
    parsed = parse_file(path, max_bytes=max_bytes, ocr=False)
    kind = detect_kind(path, parsed, path.parent, workorder_columns=overrides)
    found = identify(path, parsed, kind, path.parent)
    doc = Document(found.doc_id, str(path), found.title, kind, parsed.file_hash, found.revision, found.effective_date)
    chunks, tables = chunk_file(doc, parsed, IdExtractor(), workorder_columns=overrides)
    by_id = {c.chunk_id: c for c in chunks}
    out = []
    for table in tables:
        rows = [by_id[i].text for i in table.chunk_ids if i in by_id][:sample]
        out.append({
            "name": table.name, "rows": len(table.rows), "log": looks_like_log(table.columns),
            "kind": table.kind, "columns": [c.to_dict() for c in table.columns], "sample": rows,
        })
    return {"path": str(path), "kind": kind.value, "title": found.title, "doc_id": found.doc_id,
            "chunks": len(chunks), "tables": out,
            "text_blocks": len(parsed.blocks)}


def render(report: Mapping[str, Any]) -> str:
    """The report as text for a terminal."""
    lines = [f"{report['path']}: {report['kind']} ({report['chunks']} chunks), title {report['title']!r}"]
    if not report["tables"]:
        lines.append(f"  no tables; {report['text_blocks']} text blocks")
    for t in report["tables"]:
        name = f" {t['name']!r}" if t["name"] else ""
        what = "work-order log" if t["kind"] == "work_order" else "reference table"
        lines.append(f"  table{name}: {t['rows']} rows, read as a {what}")
        width = max(len(c["name"]) for c in t["columns"]) if t["columns"] else 0
        for c in t["columns"]:
            role = f"-> {c['role']}" if c["role"] and t["kind"] == "work_order" else ""
            lines.append(f"    {c['name']:<{width}}  {c['type']:<8} {role:<16} {c['distinct']} distinct of {c['filled']}")
        for row in t["sample"]:
            lines.append(f"    e.g. {row[:160]}")
    lines.append("  override a role in the config: [ingest.workorder_columns] problem = \"Header name\"")
    return "\n".join(lines)
