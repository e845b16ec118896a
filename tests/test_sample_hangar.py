"""The second sample site (sample_hangar): it rebuilds byte for byte, its gold recomputes, it loads as a dataset."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "sample_hangar"


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_hangar")
    proc = _run(SITE / "build.py", "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_rebuild_is_byte_identical(rebuilt):
    committed = _files(SITE / "docs")
    assert _files(rebuilt / "docs") == committed
    for rel in committed:
        assert (rebuilt / "docs" / rel).read_bytes() == (SITE / "docs" / rel).read_bytes(), f"{rel} differs"
    assert (rebuilt / "questions.jsonl").read_bytes() == (SITE / "questions.jsonl").read_bytes()


def test_gold_answers_recompute():
    proc = _run(SITE / "check_gold.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 mismatches" in proc.stdout


@pytest.mark.parametrize("qid, field, value", [
    ("sum-cost-N4821K-2024", "must_contain", ["1.00"]),  # a wrong computed total
    ("latest-sg-N61904", "gold_sources", []),  # a missing cited row
    ("tc-oil-check-time", "must_contain", ["15 minutes"]),  # a value the task card does not hold
])
def test_check_gold_catches_a_wrong_answer(rebuilt, tmp_path, qid, field, value):
    shutil.copytree(rebuilt / "docs", tmp_path / "docs")
    lines = []
    for line in (rebuilt / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if q["id"] == qid:
            q[field] = value
        lines.append(json.dumps(q, ensure_ascii=False))
    (tmp_path / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _run(SITE / "check_gold.py", tmp_path)
    assert proc.returncode == 1 and qid in proc.stdout


def test_loads_as_a_dataset():
    from eval.dataset import load_dataset

    ds = load_dataset(SITE)
    docs = ds.docs if isinstance(ds.docs, tuple) else (ds.docs,)
    assert ds.name == "sample_hangar" and docs == ((SITE / "docs").resolve(),)
    questions = ds.questions
    assert 70 <= len(questions) <= 90
    assert Counter(q.split for q in questions) == {"dev": 45, "test": 45}
    assert sum(not q.answerable for q in questions) / len(questions) >= 0.25
    assert any(g.locator.get("sheet") == "2023" for q in questions for g in q.gold_sources)
    assert len(ds.only_split("test").questions) == 45
