"""Example questions for the empty screen, drawn from what is ingested: one of each kind a plant asks.

One SOP step, one work-order count, one table value and one expert note, each
built from a real passage of the store, so every example has an answer here.
An owner may set their own in data_dir/examples.json (["question", ...]).

>>> from assistant.domain import Chunk, DocKind
>>> row = Chunk("r", "t", "/t.csv", "torque specs", DocKind.TABLE, "x", 0, "h",
...             fields={"Asset": "PRESS-03", "Component": "Lower die clamp bolts", "Torque (N·m)": "330", "row": 4})
>>> table_question(row)
'What is the Torque (N·m) for the Lower die clamp bolts?'
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Callable

from assistant.domain import Chunk, DocKind

log = logging.getLogger(__name__)
EXAMPLES_FILE = "examples.json"
_NUMBER = re.compile(r"^[\s$€£]*-?[\d.,]+\s*%?$")
_NOT_VALUES = {"row", "sheet"}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) or bool(_NUMBER.match(str(value or "")))


def sop_question(chunk: Chunk) -> str | None:
    """'What does step 6.3 of SOP-104 say?'"""
    if not chunk.step:
        return None
    return f"What does step {chunk.step} of {chunk.doc_id if len(chunk.doc_id) <= 24 else chunk.title} say?"


def count_question(asset: str | None, title: str) -> str:
    return f"How many work orders were there for {asset}?" if asset else f"How many work orders are in {title}?"


def table_question(chunk: Chunk) -> str | None:
    """The first numeric column of a row, for the row's most telling text cell."""
    cells = [(k, v) for k, v in chunk.fields.items() if k not in _NOT_VALUES and str(v or "").strip()]
    value = next((k for k, v in cells if _is_number(v)), None)
    texts = [str(v) for _, v in cells if not _is_number(v)][:4]
    if value is None or not texts:
        return None
    subject = max(texts, key=len)
    return f"What is the {value} for the {subject}?"


def note_question(chunk: Chunk) -> str:
    return f"What do the expert notes say about {chunk.title}?"


def derive(catalog, store, limit: int = 4) -> list[str]:
    """One question per kind present (SOP step, work-order count, table value, expert note), then more SOPs."""
    from assistant.store.base import CURRENT, Criteria

    kinds = {s.kind for s in catalog.sources() if not s.superseded}

    def chunks(kind: DocKind, n: int = 60) -> list[Chunk]:
        return store.scroll(CURRENT.and_(Criteria(equals={"kind": kind.value})), n) if kind in kinds else []

    steps = [q for c in _spread(chunks(DocKind.SOP, 200)) if (q := sop_question(c))]
    found: list[str] = steps[:1]
    if DocKind.WORK_ORDER in kinds:
        logs = chunks(DocKind.WORK_ORDER, 1)
        assets = store.facet("asset_ids", CURRENT.and_(Criteria(equals={"kind": DocKind.WORK_ORDER.value})), 5)
        top = max(assets, key=assets.get) if assets else None
        if logs:
            found.append(count_question(top, logs[0].title))
    found += [q for c in chunks(DocKind.TABLE) if (q := table_question(c))][:1]
    found += [note_question(c) for c in chunks(DocKind.EXPERT_NOTE, 1)]
    found += steps[1:]
    return list(dict.fromkeys(found))[:limit]


def _spread(chunks: list[Chunk]) -> list[Chunk]:
    """One step per document first, from the middle of its procedure, so examples are not all one SOP."""
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        if c.step:
            by_doc.setdefault(c.doc_id, []).append(c)
    picked = [steps[len(steps) // 2] for steps in by_doc.values()]
    return picked


def example_questions(data_dir: Path, catalog, store, limit: int = 4,
                      derive_fn: Callable = derive) -> list[str]:
    """From data_dir/examples.json when present, else derived from the store; [] when nothing is ingested."""
    path = data_dir / EXAMPLES_FILE
    if path.is_file():
        try:
            items = [str(q) for q in json.loads(path.read_text(encoding="utf-8")) if str(q).strip()]
            if items:
                return items[:limit]
        except (OSError, ValueError, TypeError):
            log.warning("ignoring %s: not a JSON list of questions", path)
    if catalog is None or store is None:
        return []
    try:
        return derive_fn(catalog, store, limit)
    except Exception:  # examples are a convenience: never stop the page for them
        log.warning("could not derive example questions", exc_info=True)
        return []
