"""Golden chunk files: a compact projection of each chunker's output on a real document.

Regenerate after an intended change with `FLOORWISE_UPDATE_GOLDEN=1 pytest tests/test_chunk_golden.py`
and review the diff by eye (warnings must sit with the step they guard).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from assistant.domain import DocKind
from assistant.settings import IngestSettings
from ingest.chunkers import chunk_document
from ingest.detect import identify
from ingest.identifiers import IdExtractor
from ingest.parse import ParsedFile, parse_file

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "fixtures" / "corpora"  # copies of public files, provenance in its README
GOLDEN = HERE / "golden"
IDS = IdExtractor.from_settings(IngestSettings())


def _rows(parsed: ParsedFile, keep) -> ParsedFile:
    picked = [i for i, n in enumerate(parsed.row_numbers) if keep(i, n)]
    return dataclasses.replace(
        parsed, rows=tuple(parsed.rows[i] for i in picked), row_numbers=tuple(parsed.row_numbers[i] for i in picked)
    )


CASES = {
    "sop_fixture": (HERE / "fixtures" / "sop_press.md", DocKind.SOP, None),
    "osha_1910_147": (CORPORA / "loto_osha" / "29-CFR-1910.147.md", DocKind.SOP, None),
    "excavator_work_orders": (
        CORPORA / "excavator_work_orders" / "excavators.csv", DocKind.WORK_ORDER, lambda i, n: i < 20 or n == 3454,
    ),
    "fmea_first_30": (CORPORA / "fmea_haul_truck" / "fmea_dataset_combined.csv", DocKind.TABLE, lambda i, n: i < 30),
    "expert_note": (HERE / "fixtures" / "note_pump.txt", DocKind.EXPERT_NOTE, None),
}  # fmt: skip


def project(path: Path, kind: DocKind, keep) -> dict:
    parsed = parse_file(path, max_bytes=50_000_000)
    if keep is not None:
        parsed = _rows(parsed, keep)
    doc = identify(path, parsed, kind, root=path.parent)
    chunks = chunk_document(doc, parsed, IDS)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    return {
        "document": {k: getattr(doc, k) for k in ("doc_id", "title", "revision", "effective_date")},
        "chunks": [
            {
                "text": c.text, "section_path": list(c.section_path), "step": c.step, "page": c.page,
                "warnings": list(c.warnings), "fields": dict(c.fields), "asset_ids": list(c.asset_ids),
            }
            for c in chunks
        ],
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    actual = project(*CASES[name])
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("FLOORWISE_UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if os.environ.get("FLOORWISE_UPDATE_GOLDEN") != "1":
            pytest.fail(f"wrote missing golden {golden.name}; review it and re-run")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))
