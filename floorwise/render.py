"""Plain-text and JSON renderings of answers for the command line.

`floorwise ask` streams the evidence as it comes (the first token event), so
`print_answer` adds only what arrives with the final answer: the model's line,
a refusal, the table criteria, the safety texts and the citations.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any, Sequence

from assistant.domain import Answer, Chunk, Hit, Route


def chunk_to_dict(chunk: Chunk) -> dict:
    data = asdict(chunk)
    data["kind"] = chunk.kind.value
    data["locator"] = chunk.locator
    return data


def table_to_dict(table: Any) -> dict | None:
    """A RECORDS answer's TableAnswer: value, rows matched, the criteria used, the cited rows' chunks."""
    if table is None:
        return None
    value = table.value
    return {
        "value": value if isinstance(value, (int, float, str, type(None))) else list(value),
        "matched": table.matched,
        "operation": table.plan.operation,
        "criteria": list(table.plan.describe()),
        "closest": table.closest,
        "rows": [{"row": r.row, "chunk_id": r.chunk_id, "table": r.table.label} for r in table.rows],
    }


def answer_to_dict(answer: Answer) -> dict:
    coverage = answer.coverage
    return {
        "question": answer.question,
        "answer": answer.text,
        "route": answer.route.value,
        "refused": answer.refused,
        "reason": answer.reason.value if answer.reason else None,
        "line": answer.line,
        "evidence": [{"number": e.number, "kind": e.kind, "text": e.text, "chunk_id": e.chunk.chunk_id}
                     for e in answer.evidence],
        "table": table_to_dict(answer.table),
        "coverage": None if coverage is None else {
            "covered": coverage.covered, "probability": coverage.probability,
            "reason": coverage.reason.value if coverage.reason else None, "signals": dict(coverage.signals)},
        "citations": [{"number": c.number, **chunk_to_dict(c.chunk)} for c in answer.citations],
        "safety": list(answer.safety),
        "verification": asdict(answer.verification),
        "sources": [{"score": h.score, **chunk_to_dict(h.chunk)} for h in answer.sources],
        "timings": dict(answer.timings),
        "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
    }


def describe(chunk: Chunk) -> str:
    parts = [chunk.title or chunk.doc_id]
    if chunk.revision:
        parts.append(f"rev {chunk.revision}")
    if chunk.breadcrumb:
        parts.append(chunk.breadcrumb)
    if chunk.locator:
        parts.append(chunk.locator)
    return " | ".join(parts)


def print_sources(hits: Sequence[Hit]) -> None:
    print("sources:", file=sys.stderr)
    for n, hit in enumerate(hits, start=1):
        print(f"  ({n}) [{hit.chunk.kind.label}] {describe(hit.chunk)}", file=sys.stderr)
    print(file=sys.stderr)


def print_answer(answer: Answer) -> None:
    """What the streamed evidence did not show: the line, a refusal and why, criteria, safety, citations."""
    print()
    if answer.refused:
        why = answer.reason.value.replace("_", " ") if answer.reason else "not covered"
        print(f"\nNOT ANSWERED ({why}):\n{answer.text}")
    elif answer.route is Route.GENERATED and answer.line:
        print(f"\nanswer: {answer.line}")
    elif answer.route is Route.RECORDS and answer.table is not None:
        print(f"\ncomputed from the table: {'; '.join(answer.table.plan.describe()) or 'every row'} "
              f"({answer.table.matched} rows matched)")
    for warning in answer.safety:
        print(f"\n!! SAFETY: {warning}")
    if answer.citations:
        print("\ncitations:")
        for c in answer.citations:
            print(f"  [{c.number}] {describe(c.chunk)}")
    for note in answer.verification.notes:
        print(f"  check: {note}")
