"""CI gate: generated answers on a fixed, stratified sample, against eval/thresholds.toml.

`datasets/ci_gate` holds 36 dev questions drawn with a fixed seed: answerable passage questions,
near misses, work-order counts and dates, and FMEA table questions, over the sample plant and the
public corpus files carried in tests/fixtures/corpora. One pass with the default 0.5B model and
the real answer path gates must-contain, false refusals, near-miss refusal recall and unsupported
numbers; a metric that was not measured fails the gate. Latency is printed, never gated.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_generated_answers_meet_the_gate(tmp_path, settings, llm_path):
    from eval.dataset import load_dataset
    from eval.gate import check, load_thresholds
    from eval.runner import RunOptions, run_dataset

    dataset = load_dataset(REPO / "datasets" / "ci_gate")
    limits = load_thresholds("ci_gate")
    settings = settings.model_copy(update={"models": settings.models.model_copy(update={"llm_path": llm_path})})
    summary = run_dataset(dataset, settings, tmp_path / "gate", RunOptions(generate=True, show_progress=False))
    print(json.dumps({k: v for k, v in summary["metrics"].items() if v is not None}, indent=1))
    print("latency", json.dumps(summary["latency"]))
    assert summary["errors"] == 0, f"questions failed with errors (see {tmp_path}/gate/results.jsonl)"
    problems = check(summary, limits)
    assert not problems, "; ".join(problems) + f" (reports in {tmp_path}/gate)"


def test_the_gate_fails_when_a_metric_is_missing_or_crossed():
    """The gate's teeth: thresholds with nothing measured, or a refusing-nothing run, fail."""
    from eval.gate import check, load_thresholds

    limits = load_thresholds("ci_gate")
    assert {"must_contain", "near_miss_recall"} <= set(limits["min"])
    assert {"false_refusal_rate", "unsupported_rate"} <= set(limits["max"])
    assert len(check({"metrics": {}}, limits)) == len(limits["min"]) + len(limits["max"])
    refuses_nothing = {"metrics": {"must_contain": 1.0, "near_miss_recall": 0.0, "false_refusal_rate": 0.0,
                                   "unsupported_rate": 0.0, "recall@5": 1.0}}
    assert check(refuses_nothing, limits) == [
        f"near_miss_recall = 0.000 is below the minimum {limits['min']['near_miss_recall']:.3f}"]
