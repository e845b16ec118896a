"""Plain-text and JSON renderings of answers for the command line."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Sequence

from assistant.domain import Answer, Chunk, Hit


def chunk_to_dict(chunk: Chunk) -> dict:
    data = asdict(chunk)
    data["kind"] = chunk.kind.value
    data["locator"] = chunk.locator
    return data


def answer_to_dict(answer: Answer) -> dict:
    return {
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "quoted_fallback": answer.quoted_fallback,
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
    print()
    if answer.refused or answer.quoted_fallback:
        print("\n" + answer.text)
    for warning in answer.safety:
        print(f"\n!! SAFETY: {warning}")
    if answer.citations:
        print("\ncitations:")
        for c in answer.citations:
            print(f"  [{c.number}] {describe(c.chunk)}")
    v = answer.verification
    if not v.passed:
        print(f"\nverification failed: unsupported {', '.join(v.unsupported)}; answer replaced by a quote")
