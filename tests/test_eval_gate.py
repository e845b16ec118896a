"""CI gate: the sample plant's golden set against eval/thresholds.toml, with the default models.

Two passes over one ingest, to stay inside CI's time budget on 2 cores:
  1. every question retrieval-only (no LLM): recall@5 and refusal accuracy (of the refusal gate);
  2. the first `generate_limit` questions with the real 0.5B model: numeric fidelity.
Latency is printed, never gated.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_sample_plant_meets_thresholds(tmp_path, settings, llm_path):
    from assistant.runtime import Runtime
    from eval.dataset import load_dataset
    from eval.gate import check, load_thresholds
    from eval.runner import RunOptions, run_dataset
    from ingest.pipeline import Ingestor

    if not (REPO / "sample_plant" / "questions.jsonl").exists():
        pytest.skip("sample_plant/questions.jsonl not present")
    dataset = load_dataset(REPO / "sample_plant")
    limits = load_thresholds("sample_plant")
    settings = settings.model_copy(update={"models": settings.models.model_copy(update={"llm_path": llm_path})})
    runtime = Runtime(settings)
    try:
        report = Ingestor(runtime.catalog, runtime.embedder, runtime.bm25, settings.ingest).add([dataset.docs])
    finally:
        runtime.close()
    assert not report.failed, [f.error for f in report.failed]
    ingested = dataclasses.replace(dataset, docs=None, store=settings.data_dir)

    retrieval = run_dataset(ingested, settings, tmp_path / "retrieval", RunOptions(generate=False, show_progress=False))
    generated = run_dataset(ingested, settings, tmp_path / "generate",
                            RunOptions(generate=True, limit=limits.get("generate_limit", 12), show_progress=False))
    for name, summary in (("retrieval-only", retrieval), ("generated", generated)):
        print(name, json.dumps({k: v for k, v in summary["metrics"].items() if v is not None}, indent=1))
        print(name, "latency", json.dumps(summary["latency"]))
    problems = check(retrieval, {"min": limits.get("min", {})}) + check(generated, {"max": limits.get("max", {})})
    assert not problems, "; ".join(problems) + f" (reports in {tmp_path})"
