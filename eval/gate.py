"""The CI gate: a run's summary against the minimums in `eval/thresholds.toml`.

    [ci_gate]
    min = { must_contain = 0.90, near_miss_recall = 0.63 }   # metric >= value
    max = { false_refusal_rate = 0.08, unsupported_rate = 0.0 }  # metric <= value

A threshold whose metric the run did not measure (None or absent) fails the gate.

Latency is reported by the run and never gated: CI machines vary too much.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Mapping

from eval.dataset import DatasetError
from eval.metrics import LATENCIES, METRICS

THRESHOLDS = Path(__file__).with_name("thresholds.toml")


def load_thresholds(dataset: str, path: Path = THRESHOLDS) -> dict[str, Any]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatasetError(f"cannot read thresholds {path}: {exc}") from exc
    if dataset not in table:
        raise DatasetError(f"{path} has no [{dataset}] table; add one with min/max values")
    section = table[dataset]
    for bound in ("min", "max"):
        for name in section.get(bound, {}):
            if name in LATENCIES or name not in METRICS:
                raise DatasetError(f"{path} [{dataset}].{bound}: {name!r} is not a gateable metric")
    return section


def check(summary: Mapping[str, Any], thresholds: Mapping[str, Any]) -> list[str]:
    """Violations as readable lines; empty when the run passes.

    >>> check({"metrics": {"recall@5": 0.7, "unsupported_rate": 0.0}},
    ...       {"min": {"recall@5": 0.8}, "max": {"unsupported_rate": 0.05}})
    ['recall@5 = 0.700 is below the minimum 0.800']
    >>> check({"metrics": {}}, {"max": {"false_refusal_rate": 0.1}})
    ['false_refusal_rate was not measured (no questions counted towards it)']
    """
    problems = []
    values = summary.get("metrics", {})
    for name, floor in thresholds.get("min", {}).items():
        value = values.get(name)
        if value is None:
            problems.append(f"{name} was not measured (no questions counted towards it)")
        elif value < floor:
            problems.append(f"{name} = {value:.3f} is below the minimum {floor:.3f}")
    for name, ceiling in thresholds.get("max", {}).items():
        value = values.get(name)
        if value is None:
            problems.append(f"{name} was not measured (no questions counted towards it)")
        elif value > ceiling:
            problems.append(f"{name} = {value:.3f} is above the maximum {ceiling:.3f}")
    return problems
