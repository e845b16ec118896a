"""CMMS work-order exports: one work order per chunk.

The chunk text is one compact line a technician (and the model) can read:

>>> from ingest.parse import ParsedFile
>>> from pathlib import Path
>>> parsed = ParsedFile(Path("wo.csv"), "h", headers=("WO Number", "Date Created", "Asset", "Problem Description",
...     "Action Taken", "Failure Code", "Total Cost", "Tech"), rows=(("WO-22-0017", "3/4/2022", "PRESS-03",
...     "Oil leak at ram seal", "Replaced seal", "LEAK", "$412.50", "JR"),), row_numbers=(2,))
>>> rec = work_order_records(parsed)[0]
>>> rec.text
'Work order WO-22-0017 | 2022-03-04 | PRESS-03 | Problem: Oil leak at ram seal | Action: Replaced seal | Failure code: LEAK | Cost: 412.50 | Tech: JR'
>>> rec.fields["cost"], rec.fields["row"], rec.fields["Tech"]
(412.5, 2, 'JR')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ingest.detect import iso_date
from ingest.identifiers import normalise_id
from ingest.workorder_columns import FIELDS, map_columns

if TYPE_CHECKING:
    from assistant.domain import Chunk
    from ingest.parse import ParsedFile

_LABELS = {"problem": "Problem", "action": "Action", "failure_code": "Failure code"}


@dataclass(frozen=True)
class WorkOrder:
    text: str
    fields: Mapping[str, Any]  # wo_id, date, asset, problem, action, failure_code, cost, row + other columns


def parse_cost(value: str) -> float | None:
    """
    >>> parse_cost("$1,234.50"), parse_cost("0"), parse_cost(""), parse_cost("n/a")
    (1234.5, 0.0, None, None)
    """
    cleaned = re.sub(r"[^\d.\-]", "", value or "")
    try:
        return float(cleaned) if cleaned else None
    except ValueError:
        return None


def work_order_records(parsed: "ParsedFile", extra: Mapping[str, Sequence[str]] | None = None) -> list[WorkOrder]:
    columns = map_columns(parsed.headers, extra)
    others = [(i, h) for i, h in enumerate(parsed.headers) if i not in columns.values()]
    stem = parsed.path.stem
    return [
        _record(row, number, columns, others, stem) for row, number in zip(parsed.rows, parsed.row_numbers)
    ]


def _record(row, number: int, columns: Mapping[str, int], others, stem: str) -> WorkOrder:
    raw = {f: row[i] for f, i in columns.items()}
    fields: dict[str, Any] = {f: raw.get(f) or None for f in FIELDS}
    fields["wo_id"] = raw.get("wo_id") or f"{stem}#{number}"
    fields["date"] = iso_date(raw.get("date", "")) if raw.get("date") else None
    fields["cost"] = parse_cost(raw.get("cost", ""))
    fields["row"] = number
    extras = {h: row[i] for i, h in others if row[i]}
    fields.update({h: v for h, v in extras.items() if h not in fields})
    parts = [f"Work order {fields['wo_id']}", fields["date"] or raw.get("date"), fields["asset"]]
    parts += [f"{label}: {fields[f]}" for f, label in _LABELS.items() if fields[f]]
    if fields["cost"] is not None:
        parts.append(f"Cost: {fields['cost']:.2f}")
    parts += [f"{h}: {v}" for h, v in extras.items()]
    return WorkOrder(" | ".join(p for p in parts if p), fields)


def chunk_workorders(
    parsed: "ParsedFile", make: Callable[..., "Chunk"], extra: Mapping[str, Sequence[str]] | None = None
) -> list["Chunk"]:
    chunks = []
    for record in work_order_records(parsed, extra):
        asset = record.fields.get("asset")
        chunks.append(make(record.text, fields=record.fields, assets=(normalise_id(asset),) if asset else ()))
    return chunks
