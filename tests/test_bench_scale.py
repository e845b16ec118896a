"""bench.scale at 2,000 chunks: the report's shape and sane recall; no timing asserts."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def test_scale_bench_small(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--sizes", "2000", "--queries", "20", "--out", str(tmp_path),
         "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    )
    [result] = json.loads(out.stdout)
    assert result == json.loads((tmp_path / "scale-2000.json").read_text())
    assert result["points"] == 2000 and result["queries"] == 20
    assert set(result["kind_share"]) == {"sop", "work_order", "expert_note", "table"}
    assert 0 < result["superseded_share"] < 0.5
    assert result["ingest"]["upsert_points_per_s"] > 0 and result["disk_mb"]["written"] > 0
    assert set(result["rss_mb"]) >= {"start", "loaded", "optimized", "after_queries"}
    assert result["optimize"]["after"]["segments"] >= 1
    for phase in ("written", "reopened"):
        stats = result[phase]
        for key in ("dense", "hybrid", "filtered", "filtered_dense", "count", "facet"):
            assert stats[f"{key}_ms"]["p50"] <= stats[f"{key}_ms"]["p95"]
        assert stats["recall_at_10"] >= 0.9  # 2,000 points sit in one plain segment: search is exact
        assert stats["filtered_recall_at_10"] >= 0.9
        assert stats["ratio_dense_over_exact_p50"] > 0


def test_corpus_is_deterministic_and_filters_match_payloads():
    import numpy as np

    from bench.scale import Corpus

    a, b = Corpus(500, 5, seed=3), Corpus(500, 5, seed=3)
    assert (a.vectors == b.vectors).all() and a.chunks(0, 10) == b.chunks(0, 10)
    chunks = a.chunks(0, 500)  # row i of the store -> its Chunk
    _, asset, kind = a.query(0, np.random.default_rng(0))
    admitted = a.mask(asset, kind)
    assert admitted.any()
    for chunk, ok in zip(chunks, admitted):
        matches = asset in chunk.asset_ids and chunk.kind.value == kind and not chunk.superseded
        assert matches == ok
