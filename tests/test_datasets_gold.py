"""The shared-corpora question set: its independent checker passes and the set has the promised shape."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import CORPORA, REPO

FOLDER = REPO / "datasets" / "shared_corpora"
NEEDED = ("loto_osha/29-CFR-1910.147.md", "fmea_haul_truck/fmea_dataset_filled.csv",
          "excavator_work_orders/excavators.csv")

pytestmark = pytest.mark.skipif(
    not all((CORPORA / n).exists() for n in NEEDED),
    reason=f"needs the shared corpora in {CORPORA} (../shared/corpora beside the clone)",
)


def test_check_gold_recomputes_every_answer():
    done = subprocess.run([sys.executable, str(FOLDER / "check_gold.py"), "--corpora", str(CORPORA)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.startswith("ok: ")


def test_dataset_loads_with_its_three_documents():
    from eval.dataset import load_dataset

    ds = load_dataset(FOLDER)
    assert ds.name == "shared_corpora" and ds.store is None
    assert [d.name for d in ds.docs] == ["29-CFR-1910.147.md", "fmea_dataset_filled.csv", "excavators.csv"]
    assert all(d.is_file() for d in ds.docs)
    questions = ds.questions
    assert len(questions) >= 120
    assert sum(not q.answerable for q in questions) >= 0.25 * len(questions)
    assert all(q.split in ("dev", "test") for q in questions)
    assert {q.tags[0] for q in questions} == {"loto", "fmea", "workorders"}
    assert any(q.follow_up_of for q in questions)


def test_both_splits_cover_every_corpus_and_follow_ups_stay_with_parents():
    from eval.dataset import load_dataset

    ds = load_dataset(FOLDER)
    dev, test = ds.only_split("dev").questions, ds.only_split("test").questions
    assert len(dev) + len(test) == len(ds.questions)
    assert abs(len(dev) - len(test)) <= 0.1 * len(ds.questions)
    for half in (dev, test):
        assert set(Counter(q.tags[0] for q in half)) == {"loto", "fmea", "workorders"}
        assert any(not q.answerable for q in half)
    by_id = {q.id: q for q in ds.questions}
    assert all(q.split == by_id[q.follow_up_of].split for q in ds.questions if q.follow_up_of)
