"""Fit the coverage model on dev runs: logistic weights over the evidence signals, and the threshold.

    runs (results.jsonl of `floorwise eval run --split dev`) -> one example per passage question:
        signals -> label: 1 when the question is answerable, 0 when it is not (table answers and
                          questions decided by the unknown-identifier rule are left out). An
                          answerable question whose evidence misses the fact still counts as 1:
                          the documents cover it, and its closest evidence serves a technician
                          better than a refusal
    -> weights by L2-regularised logistic regression (plain numpy, Newton steps)
    -> the threshold: the lowest false-refusal rate that keeps near-miss recall at its target,
       read off the fitted probabilities of these dev examples
    -> assistant/coverage_weights.toml, with the runs it came from

Fitting with the judge signal needs runs with the model (`judge` in the signals); without it,
only the judge-free weights are fitted and the judged ones are left as they were.

>>> import numpy as np
>>> x = np.array([[0.0], [0.2], [0.8], [1.0]]); y = np.array([0, 0, 1, 1])
>>> w = fit_logistic(x, y, l2=0.01)
>>> bool(w[1] > 0)
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from assistant.coverage import SIGNALS, WEIGHTS_FILE


@dataclass(frozen=True)
class Example:
    id: str
    signals: dict[str, float]
    label: int
    near_miss: bool


def examples(records: Iterable[dict[str, Any]]) -> list[Example]:
    """Passage questions of a run as labelled examples (table answers and errors left out)."""
    out = []
    for r in records:
        cov = r.get("coverage") or {}
        if r.get("error") or not cov.get("signals") or r.get("route") == "records":
            continue
        if cov["signals"].get("unknown_ids", 0) > 0:
            continue  # decided by the unknown-identifier rule, not by the model
        if r["answerable"]:
            out.append(Example(r["id"], cov["signals"], 1, False))
        else:
            out.append(Example(r["id"], cov["signals"], 0, True))
    return out


def evidence_text(record: dict[str, Any]) -> str:
    """What the evidence would show, refused or not: the answer text, or for a refusal its passages."""
    if not record.get("refused"):
        return record.get("answer") or ""
    return "\n".join(c.get("text") or "" for c in record.get("cited") or []) + "\n" + (record.get("answer") or "")


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """[bias, w1, ...] maximising the L2-penalised log-likelihood (bias not penalised)."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb.T * (p * (1 - p))) @ xb + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def choose_threshold(p: np.ndarray, y: np.ndarray, max_false_refusals: float = 0.10) -> float:
    """The threshold with the best near-miss recall whose false-refusal rate stays within the cap."""
    best, best_key = 0.5, (-1.0, 0.0)
    for t in sorted(set(np.round(p, 4)) | {0.5}):
        refused = p < t
        fr = float(refused[y == 1].mean()) if (y == 1).any() else 0.0
        recall = float(refused[y == 0].mean()) if (y == 0).any() else 0.0
        if fr <= max_false_refusals and (recall, -fr) > best_key:
            best, best_key = float(t), (recall, -fr)
    return best


@dataclass(frozen=True)
class Fit:
    weights: dict[str, float]
    threshold: float
    n: int
    positives: int
    false_refusals: float
    near_miss_recall: float
    judged: dict[str, float] | None = None


def fit(exs: Sequence[Example], names: Sequence[str] = SIGNALS, l2: float = 1.0,
        max_false_refusals: float = 0.10) -> Fit:
    x = np.array([[e.signals.get(k, 0.0) for k in names] for e in exs], dtype=float)
    y = np.array([e.label for e in exs], dtype=float)
    w = fit_logistic(x, y, l2)
    p = 1.0 / (1.0 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w)))
    t = choose_threshold(p, y, max_false_refusals)
    refused = p < t
    return Fit({"bias": round(float(w[0]), 4), **{k: round(float(v), 4) for k, v in zip(names, w[1:])}}, round(t, 4),
               len(exs), int(y.sum()), round(float(refused[y == 1].mean()), 4) if y.any() else 0.0,
               round(float(refused[y == 0].mean()), 4) if (y == 0).any() else 0.0)


def load_runs(runs: Sequence[Path]) -> list[dict[str, Any]]:
    records = []
    for run in runs:
        path = run / "results.jsonl" if run.is_dir() else run
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records


def calibrate(runs: Sequence[Path], l2: float = 1.0, max_false_refusals: float = 0.10) -> tuple[Fit, Fit | None]:
    """The judge-free fit, and the judged fit when the runs carry the model's judgement."""
    exs = examples(load_runs(runs))
    if len({e.label for e in exs}) < 2:
        raise ValueError("calibration needs answerable and unanswerable dev questions in the runs")
    plain = fit(exs, SIGNALS, l2, max_false_refusals)
    judged_exs = [e for e in exs if "judge" in e.signals]
    judged = fit(judged_exs, (*SIGNALS, "judge"), l2, max_false_refusals) if len(judged_exs) == len(exs) else None
    return plain, judged


def weights_toml(plain: Fit, judged: Fit | None, source: str, previous: dict | None = None) -> str:
    """The weights file's text (judged weights kept from `previous` when not refitted)."""
    lines = [
        "# The coverage model (assistant/coverage.py): logistic weights over evidence signals.",
        "# Written by `floorwise eval calibrate`; the runs it was fitted on are named in `source`.",
        f'source = "{source}"',
        f"threshold = {judged.threshold if judged else plain.threshold}",
        f"# dev fit without the judge: n={plain.n} ({plain.positives} answerable with their evidence), threshold "
        f"{plain.threshold}, false refusals {plain.false_refusals}, near-miss recall {plain.near_miss_recall}",
    ]
    if judged:
        lines.append(f"# dev fit with the judge: threshold {judged.threshold}, false refusals {judged.false_refusals}, "
                     f"near-miss recall {judged.near_miss_recall}")
    lines.append(f"plain_threshold = {plain.threshold}")
    lines += ["", "[weights]"] + [f"{k} = {v}" for k, v in plain.weights.items()]
    judged_weights = judged.weights if judged else (previous or {}).get("judged", {})
    if judged_weights:
        lines += ["", "[judged]"] + [f"{k} = {v}" for k, v in judged_weights.items()]
    return "\n".join(lines) + "\n"


def write(plain: Fit, judged: Fit | None, source: str, path: Path = WEIGHTS_FILE) -> None:
    import tomllib

    previous = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    path.write_text(weights_toml(plain, judged, source, previous), encoding="utf-8")
