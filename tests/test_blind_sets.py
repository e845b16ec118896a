"""The blind question sets' own checks pass: every gold value is recomputed from the source files
(`compute_gold.py`, pandas) or found in its cited document (`check.py`), and each set's asserts
(no ties, no blanks in a sum, near misses really absent) hold."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import CORPORA, REPO

SETS = sorted(p for p in (REPO / "datasets").glob("fresh_*") if p.is_dir())

pytestmark = pytest.mark.skipif(not (CORPORA / "excavator_work_orders" / "excavators.csv").exists(),
                                reason=f"needs the shared corpora in {CORPORA}")


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_a_blind_sets_checker_passes_and_its_files_have_one_shape(folder) -> None:
    script = folder / "compute_gold.py" if (folder / "compute_gold.py").exists() else folder / "check.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=folder)
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    lines = [json.loads(line) for f in sorted(folder.glob("site_*.jsonl")) for line in f.read_text().splitlines() if line]
    assert len(lines) >= 30 and len({q["id"] for q in lines}) == len(lines)
    assert all(q["must_contain"] for q in lines if q["answerable"]) and not any(
        q["must_contain"] for q in lines if not q["answerable"])
