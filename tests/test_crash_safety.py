"""SIGKILL during ingestion, 20 times at random points: the store stays consistent every time.

Between kills the corpus alternates between two versions of some files, so kills land in
additions and in replacements. After each kill the store is opened (recovery runs) and checked:
no pending, orphan or duplicate chunks, and every source holds exactly one version, old or new.
A final uninterrupted run completes the job.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_DOCS
from tests.test_ingest_pipeline import _check_store, sample_subset

pytestmark = pytest.mark.slow

KILLS = 20


def _flip_versions(docs: Path, version: int) -> None:
    """Rewrite two files so their content (and hash) differs between versions 0 and 1."""
    note = docs / "expert_notes" / "2023-07-12 press02 ram drift.md"
    original = (SAMPLE_DOCS / "expert_notes" / note.name).read_text(encoding="utf-8")
    note.write_text(original + (f"\n\nUpdate v{version}: cooler fan checked.\n" if version else ""), encoding="utf-8")
    csv = docs / "work_orders" / "cmms_export_head.csv"
    lines = (SAMPLE_DOCS / "work_orders" / "cmms_export_2022_2023.csv").read_bytes().splitlines(keepends=True)
    csv.write_bytes(b"".join(lines[: 41 + 20 * version]))


def test_twenty_random_kills_leave_a_consistent_store_and_the_next_run_completes(tmp_path, embedder):
    docs = sample_subset(tmp_path / "docs")
    data_dir = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "floorwise.cli", "--data-dir", str(data_dir), "ingest", "sync", str(docs), "--json"]
    rng = random.Random(20261123)
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=REPO, capture_output=True, check=True, timeout=600)
    full_run = time.monotonic() - started  # an uninterrupted sync: the window kills are drawn from
    for kill in range(KILLS):
        _flip_versions(docs, kill % 2)
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, full_run))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        problems, _ = _check_store(data_dir, embedder)
        assert problems == [], f"kill {kill + 1}/{KILLS}: {problems}"
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    problems, n_sources = _check_store(data_dir, embedder)
    assert problems == [] and n_sources == 6
