"""Compare two runs question by question: metric deltas with paired-bootstrap 95% intervals.

Only questions present in both runs count. Each bootstrap resample draws
question ids with replacement and recomputes both runs' metric over the same
draw (paired), so the interval reflects question-to-question variation, not
the difference between two question sets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from eval.dataset import DatasetError
from eval.metrics import LATENCIES, METRICS, question_terms

RESAMPLES = 2000
SEED = 0


def load_run(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(records, summary) of a run folder written by `floorwise eval run`."""
    results, summary = folder / "results.jsonl", folder / "summary.json"
    if not results.exists():
        raise DatasetError(f"{folder} is not an eval run folder (no results.jsonl)")
    records = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records, json.loads(summary.read_text(encoding="utf-8")) if summary.exists() else {}


def paired_bootstrap(a: Any, b: Any, statistic, resamples: int = RESAMPLES, seed: int = SEED):
    """(delta, low, high): statistic(b) - statistic(a), with a 95% percentile interval.

    `a` and `b` are arrays whose first axis is the question; `statistic` maps an
    array of index draws (resamples x n) and an array to one value per draw.

    >>> import numpy as np
    >>> mean = lambda idx, x: x[idx].mean(axis=-1)
    >>> d, lo, hi = paired_bootstrap(np.zeros(50), np.ones(50), mean)
    >>> (d, lo, hi)
    (1.0, 1.0, 1.0)
    """
    import numpy as np

    n = len(a)
    full = np.arange(n)[None, :]
    delta = float(statistic(full, b)[0] - statistic(full, a)[0])
    idx = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        draws = statistic(idx, b) - statistic(idx, a)
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return delta, None, None
    low, high = np.percentile(draws, [2.5, 97.5])
    return delta, float(low), float(high)


def _ratio_stat(idx, terms):
    # terms: (n, 2) array of (numerator, denominator) per question
    import numpy as np

    num, den = terms[:, 0][idx].sum(axis=-1), terms[:, 1][idx].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _percentile_stat(q: float):
    def stat(idx, values):
        import numpy as np

        return np.percentile(values[idx], q, axis=-1)

    return stat


def compare_runs(run_a: Path, run_b: Path, resamples: int = RESAMPLES, seed: int = SEED) -> dict[str, Any]:
    """Deltas B - A per metric and latency percentile, each with a paired-bootstrap 95% CI."""
    records_a, summary_a = load_run(run_a)
    records_b, summary_b = load_run(run_b)
    by_id_b = {r["id"]: r for r in records_b}
    pairs = [(r, by_id_b[r["id"]]) for r in records_a if r["id"] in by_id_b]
    if not pairs:
        raise DatasetError(f"{run_a} and {run_b} share no question ids")
    out: dict[str, Any] = {"run_a": str(run_a), "run_b": str(run_b), "paired_questions": len(pairs),
                           "resamples": resamples, "seed": seed, "metrics": {}, "latency": {}}
    terms = [(question_terms(a), question_terms(b)) for a, b in pairs]
    for name in METRICS:
        out["metrics"][name] = _metric_delta(name, terms, resamples, seed)
    for stage in LATENCIES:
        out["latency"].update(_latency_deltas(stage, pairs, resamples, seed))
    return out


def _metric_delta(name: str, terms: Sequence[tuple[Mapping, Mapping]], resamples: int, seed: int) -> dict[str, Any]:
    import numpy as np

    a = np.array([ta.get(name, (0.0, 0.0)) for ta, _ in terms], dtype=float)
    b = np.array([tb.get(name, (0.0, 0.0)) for _, tb in terms], dtype=float)
    base = {"higher_is_better": METRICS[name][0], "n_a": int((a[:, 1] > 0).sum()), "n_b": int((b[:, 1] > 0).sum())}
    if not base["n_a"] or not base["n_b"]:
        return {**base, "a": None, "b": None, "delta": None, "ci95": None}
    delta, low, high = paired_bootstrap(a, b, _ratio_stat, resamples, seed)
    value_a, value_b = a[:, 0].sum() / a[:, 1].sum(), b[:, 0].sum() / b[:, 1].sum()
    return {**base, "a": float(value_a), "b": float(value_b), "delta": delta,
            "ci95": None if low is None else [low, high]}


def _latency_deltas(stage: str, pairs, resamples: int, seed: int) -> dict[str, Any]:
    import numpy as np

    both = [(a["timings"][stage], b["timings"][stage]) for a, b in pairs
            if stage in (a.get("timings") or {}) and stage in (b.get("timings") or {})]
    if not both:
        return {}
    a, b = np.array([x for x, _ in both]), np.array([y for _, y in both])
    out = {}
    for q in (50, 95):
        delta, low, high = paired_bootstrap(a, b, _percentile_stat(q), resamples, seed)
        out[f"{stage} p{q}"] = {"a": float(np.percentile(a, q)), "b": float(np.percentile(b, q)), "delta": delta,
                                "ci95": None if low is None else [low, high], "n": len(both)}
    return out


def format_comparison(result: Mapping[str, Any]) -> str:
    """Plain-text table of a `compare_runs` result; '*' marks intervals that exclude zero."""
    lines = [f"A = {result['run_a']}", f"B = {result['run_b']}",
             f"{result['paired_questions']} paired questions, {result['resamples']} bootstrap resamples",
             "", f"{'metric':<26}{'A':>8}{'B':>8}{'B-A':>9}   95% CI"]

    def row(name: str, m: Mapping[str, Any]) -> str:
        if m.get("delta") is None:
            return f"{name:<26}{'–':>8}{'–':>8}{'–':>9}"
        ci = m.get("ci95")
        star = " *" if ci and (ci[0] > 0 or ci[1] < 0) else ""
        ci_text = f"[{ci[0]:+.3f}, {ci[1]:+.3f}]{star}" if ci else ""
        return f"{name:<26}{m['a']:>8.3f}{m['b']:>8.3f}{m['delta']:>+9.3f}   {ci_text}"

    lines += [row(n, m) for n, m in result["metrics"].items()]
    lines += ["", "latency (s)"] + [row(n, m) for n, m in result["latency"].items()]
    return "\n".join(lines)
