"""Run a dataset through the real assistant and record what happened to every question.

    Dataset -> ingest docs into a temporary data dir (or reuse its store)
            -> Assistant.ask per question (follow-ups get their conversation's history)
            -> one record per question -> DIR/results.jsonl, summary.json, report.md, report.html

A record is plain JSON, so reports, comparisons and the CI gate work from the
files alone:
    {"id": "q001", "question": ..., "tags": [...], "answerable": true, "gold_sources": [...],
     "retrieved": [{"doc_id": "SOP-104", "locator": {"step": "14.2", ...}, "score": 0.03, "gold": [0]}, ...],
     "cited": [{"number": 1, "doc_id": ..., "gold": [0], "support_text": ...}],
     "answer": "...", "refused": false, "verification": {...}, "timings": {"retrieve": 0.2, ...},
     "prompt_tokens": 612, "unsupported": [], "error": null}

`generate=False` (CLI `--no-generate`) is the evidence-only mode: the assistant
is built without a model, so it answers with the evidence and table results
alone and decides coverage without the model's judgement, exactly as a plant
running without an LLM would. Every answer metric is measured in both modes.

Each record also carries the typed facts of the answer: `route` (generated,
evidence, records, refused), `reason` (why refused), the coverage signals and
probability, and for table answers the computed `value` and `matched` rows.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from assistant.errors import ConfigError, ModelNotAvailable, StoreBusy
from eval import metrics
from eval.dataset import Dataset, Question

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    generate: bool = True
    limit: int | None = None
    show_progress: bool = True
    split: str | None = None  # only the questions of this split ("dev", "test"); None: all


def run_dataset(dataset: Dataset, settings, out_dir: Path, options: RunOptions = RunOptions()) -> dict[str, Any]:
    """Ingest, ask every question, write the four output files; returns the summary."""
    from eval.report import write_reports

    dataset = dataset.only_split(options.split).limited(options.limit)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with _prepared_settings(dataset, settings, options.generate) as run_settings:
        from assistant.runtime import Runtime

        runtime = Runtime(run_settings)
        try:
            ingest = _ingest(runtime, dataset, options.show_progress)
            assistant = runtime.assistant if options.generate else _evidence_only(runtime)
            records = _ask_all(assistant, dataset, out_dir / "results.jsonl", options.show_progress)
        finally:
            runtime.close()
    summary = {
        "dataset": dataset.name,
        "mode": "full" if options.generate else "evidence-only",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "settings": _settings_summary(run_settings, options.generate),
        "ingest": ingest,
        **metrics.summarise(records),
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    write_reports(out_dir, records, summary)
    return summary


@contextmanager
def _prepared_settings(dataset: Dataset, settings, generate: bool) -> Iterator[Any]:
    """Settings pointing at a fresh temporary data dir (or the dataset's store), the LLM file resolved once."""
    models = settings.models
    if generate and settings.generation.backend == "llama" and models.llm_path is None:
        from assistant.modelfiles import resolve_llm

        # Assemble (or reuse) the GGUF in the configured data dir, not once per temporary dir.
        path = resolve_llm(models.llm_preset, None, models.llm_sha256, settings.models_dir)
        models = models.model_copy(update={"llm_path": path})
    if dataset.store is not None:
        yield settings.model_copy(update={"data_dir": dataset.store, "models": models})
        return
    with tempfile.TemporaryDirectory(prefix="floorwise-eval-") as tmp:
        yield settings.model_copy(update={"data_dir": Path(tmp), "models": models})


def _ingest(runtime, dataset: Dataset, show_progress: bool) -> dict[str, Any]:
    """Ingest every file and folder of `dataset.docs` in one pass (or note the reused store)."""
    if dataset.docs is None:
        return {"reused_store": str(runtime.settings.data_dir)}
    from floorwise.progress import Bars
    from ingest.pipeline import Ingestor

    with Bars(enabled=show_progress) as bars:
        ingestor = Ingestor(runtime.catalog, runtime.embedder, runtime.bm25, runtime.settings.ingest, bars.update)
        report = ingestor.add(list(dataset.docs))
    for failed in report.failed:
        log.warning("ingest failed for %s: %s", failed.path, failed.error)
    data = report.to_dict()
    return {"docs": [str(d) for d in dataset.docs], "seconds": data["seconds"], "counts": data["counts"],
            "chunks": data["chunks"], "failed": [{"path": r.path, "error": r.error} for r in report.failed]}


def _evidence_only(runtime):
    from assistant.answering import Assistant

    s = runtime.settings
    return Assistant(runtime.catalog, runtime.embedder, runtime.bm25, None, s.retrieval, s.generation)


def _ask_all(assistant, dataset: Dataset, results_path: Path, show_progress: bool) -> list[dict[str, Any]]:
    from tqdm import tqdm

    by_id = {q.id: q for q in dataset.questions}
    histories: dict[str, list[str]] = {}  # question id -> earlier user questions of its conversation
    records = []
    with results_path.open("w", encoding="utf-8") as out:
        for q in tqdm(dataset.questions, desc="questions", unit="q", disable=not show_progress or None):
            history = []
            if q.follow_up_of is not None and q.follow_up_of in by_id:
                history = histories.get(q.follow_up_of, []) + [by_id[q.follow_up_of].question]
            histories[q.id] = history
            record = ask_one(assistant, q, history)
            records.append(record)
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            out.flush()
    return records


def ask_one(assistant, question: Question, history: list[str]) -> dict[str, Any]:
    """Send one question through `assistant.ask` and turn what came back into a record."""
    from assistant.domain import FinalEvent, SourcesEvent

    record = _question_fields(question, history)
    hits, answer, sources_at = (), None, None
    started = time.perf_counter()
    try:
        for event in assistant.ask(question.question, history):
            if isinstance(event, SourcesEvent):
                hits, sources_at = event.hits, time.perf_counter() - started
            elif isinstance(event, FinalEvent):
                answer = event.answer
    except (ModelNotAvailable, StoreBusy, ConfigError):
        raise  # every later question would fail the same way
    except Exception as exc:  # one broken question must not end the run
        log.exception("question %s failed", question.id)
        record["error"] = f"{type(exc).__name__}: {exc}"
    record["retrieved"] = [dict(_chunk_fields(h.chunk, question), score=_round(h.score),
                                dense_score=_round(h.dense_score)) for h in hits]
    seen = {"retrieve": round(sources_at, 4)} if sources_at is not None else {}
    record.update(_answer_fields(answer, question))
    record["timings"] = {**seen, **(record.get("timings") or {})}
    return record


def _question_fields(q: Question, history: list[str]) -> dict[str, Any]:
    return {
        "id": q.id, "question": q.question, "tags": list(q.tags), "answerable": q.answerable,
        "follow_up_of": q.follow_up_of, "history": history, "reference_answer": q.reference_answer,
        "must_contain": list(q.must_contain), "gold_sources": [g.to_dict() for g in q.gold_sources],
        "nuggets": [{"text": n.text, "essential": n.essential} for n in q.nuggets], "error": None,
    }


def _answer_fields(answer, question: Question) -> dict[str, Any]:
    if answer is None:  # the question failed (see "error")
        return {"answer": None, "refused": None, "cited": []}
    from assistant.domain import Route
    from assistant.prompting import passage_where

    refused = bool(answer.refused)
    cited = []
    for citation in answer.citations:
        chunk = citation.chunk
        support = "\n".join((chunk.title, passage_where(chunk), chunk.text))
        cited.append(dict(_chunk_fields(chunk, question), number=citation.number, text=chunk.text,
                          support_text=support))
    v = answer.verification
    computed = answer.route is Route.RECORDS
    unsupported = [] if refused or computed else metrics.unsupported_facts(
        answer.text, [c["support_text"] for c in cited])[0]
    timings = {k: round(float(t), 4) for k, t in dict(answer.timings).items()}
    coverage = answer.coverage
    return {
        "answer": answer.text, "safety": list(answer.safety), "refused": refused, "route": answer.route.value,
        "reason": answer.reason.value if answer.reason else None, "line": answer.line,
        "computed": computed, "cited": cited, "unsupported": unsupported,
        "coverage": {"covered": coverage.covered, "probability": coverage.probability,
                     "signals": dict(coverage.signals)} if coverage else None,
        "table": _table_fields(answer.table) if answer.table is not None else None,
        "verification": {"passed": v.passed, "unsupported": list(v.unsupported),
                         "removed_citations": list(v.removed_citations), "notes": list(v.notes)},
        "timings": timings, "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
    }


def _table_fields(result) -> dict[str, Any]:
    plan = result.plan
    value = result.value
    if isinstance(value, tuple):  # a group: (value, amount)
        value = list(value)
    return {"operation": plan.operation, "value": value, "matched": result.matched, "closest": result.closest,
            "criteria": plan.describe(), "empty": list(result.empty), "tables": [t.label for t in plan.tables]}


def _chunk_fields(chunk, question: Question) -> dict[str, Any]:
    locator = {"page": chunk.page, "step": chunk.step, "section": chunk.breadcrumb or None,
               "row": chunk.fields.get("row"), "wo_id": chunk.fields.get("wo_id"), "revision": chunk.revision}
    return {
        "doc_id": chunk.doc_id, "file": Path(chunk.source_path).name, "title": chunk.title,
        "kind": chunk.kind.value, "locator": {k: v for k, v in locator.items() if v not in (None, "")},
        "superseded": chunk.superseded,
        "gold": [i for i, g in enumerate(question.gold_sources) if g.matches(chunk)],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _settings_summary(settings, generate: bool) -> dict[str, Any]:
    r, g, m = settings.retrieval, settings.generation, settings.models
    return {
        "llm": (str(m.llm_path.name) if m.llm_path else m.llm_preset) if generate else None,
        "generation_backend": g.backend if generate else None,
        "embedding": str(m.embedding_path) if m.embedding_path else "all-MiniLM-L6-v2 (default)",
        "top_k": r.top_k, "prefetch_k": r.prefetch_k, "context_tokens": r.context_tokens,
        "answer_threshold": r.answer_threshold, "judge": g.judge if generate else None,
        "line": g.line if generate else None, "line_tokens": g.line_tokens,
    }
