"""bench.scale at 2,000 chunks: the report's shape and sane recall; no timing asserts."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def test_scale_bench_small(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--sizes", "2000", "--queries", "20", "--out", str(tmp_path),
         "--store", "index_min_points=1000", "--sweep", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    )
    [result] = json.loads(out.stdout)
    assert result == json.loads((tmp_path / "scale-2000.json").read_text())
    assert result["points"] == 2000 and result["queries"] == 20
    assert result["store_settings"]["index_min_points"] == 1000
    assert set(result["kind_share"]) == {"sop", "work_order", "expert_note", "table"}
    assert 0 < result["superseded_share"] < 0.5
    assert result["ingest"]["upsert_points_per_s"] > 0 and result["disk_mb"]["written"] > 0
    assert set(result["rss_mb"]) >= {"start", "loaded", "indexed"}
    build = result["build"]
    assert build["indexed"] == 2000 and build["segments"] >= 1 and build["index_s"] is not None
    assert build["during"]["errors"] == 0 and build["peak_rss_mb"]["children"] > 0
    assert result["disk_mb"]["indexed"] > 0
    serving = result["serving"]
    assert serving["rss_mb"]["after_queries"]["rss"] >= serving["rss_mb"]["start"]["rss"] and serving["open_s"] >= 0
    for phase in ("written", "indexed", "serving"):
        stats = result[phase]
        for key in ("dense", "hybrid", "filtered", "filtered_dense", "kind_dense", "asset_dense", "sparse"):
            assert stats[f"{key}_ms"]["p50"] <= stats[f"{key}_ms"]["p95"]
        for key in ("recall_at_10", "filtered_recall_at_10", "kind_recall_at_10", "asset_recall_at_10"):
            assert stats[key] >= (0.99 if phase == "written" else 0.9), (phase, key)  # as written: exact scan
    assert result["written"]["ratio_dense_over_exact_p50"] > 0
    assert {(row["hnsw_ef"], row["oversampling"]) for row in result["sweep"]} >= {(128, 2.0), (512, 2.0)}


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


def test_first_source_bench_small():
    out = subprocess.run(
        [sys.executable, "-m", "bench.first_source", "--size", "3000", "--queries", "10", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    )
    result = json.loads(out.stdout)
    assert result["points"] == 3000 and result["queries"] == 10 and result["build"]["write"]["upsert_s"] >= 0
    assert result["index_served"] and result["open_s"] >= 0
    for key in ("first_source_ms", "bare_hybrid_ms", "filtered_hybrid_ms"):
        assert 0 < result[key]["p50"] <= result[key]["p95"]
    assert result["ratio_p50"] > 0
    assert result["warm"]["read_mb"] > 0 and not result["warm"]["stopped"]  # the store's files, read as serve does
