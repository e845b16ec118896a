"""Ingestion throughput against the raw encoder, in one process.

    python -m bench.ingest [--extra FILE ...] [--json]

Ingests the sample plant and the excavator work orders into a fresh temporary
Qdrant Edge store, re-ingests them unchanged, then encodes the very same
chunk texts with a bare `SentenceTransformer.encode` and prints documents/s,
chunks/s and embedding tokens/s for both, with the ratio.
Targets: pipeline/raw >= 0.8; unchanged re-ingest < 5% of the first ingest.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from assistant.offline import enforce_offline

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = [
    REPO / "sample_plant" / "docs",
    REPO.parent / "shared" / "corpora" / "excavator_work_orders" / "excavators.csv",
]


def run(inputs: list[Path]) -> dict:
    from assistant.runtime import Runtime
    from assistant.settings import load_settings
    from assistant.store.base import Criteria
    from ingest.pipeline import Ingestor

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(overrides={"data_dir": tmp}, environ={})
        runtime = Runtime(settings)
        embedder = runtime.embedder
        embedder.load()  # the model loads outside both timings (the runtime loads it lazily)
        ingestor = Ingestor(runtime.catalog, embedder, runtime.bm25, settings.ingest)
        t0 = time.perf_counter()
        first = ingestor.add(inputs)
        t_first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingestor.add(inputs)
        t_again = time.perf_counter() - t0
        chunks = runtime.store.scroll(Criteria(), limit=10_000_000)
        texts = [c.embedding_text() for c in chunks]
        tokens = embedder.count_tokens(texts)
        t0 = time.perf_counter()
        embedder.model.encode(texts, batch_size=settings.ingest.batch_size, convert_to_numpy=True)
        t_raw = time.perf_counter() - t0
        docs = sum(1 for r in first.results if r.status == "added")
        failed = [r.error for r in first.failed]
        runtime.close()
    return {
        "documents": docs,
        "chunks": len(texts),
        "tokens": tokens,
        "failed": failed,
        "pipeline_s": round(t_first, 2),
        "pipeline_embed_s": round(first.embed_seconds, 2),
        "raw_encode_s": round(t_raw, 2),
        "reingest_unchanged_s": round(t_again, 3),
        "reingest_unchanged_statuses": again.counts(),
        "pipeline": _rates(docs, len(texts), tokens, t_first),
        "raw_encoder": _rates(docs, len(texts), tokens, t_raw),
        "ratio_pipeline_over_raw": round(t_raw / t_first, 3),
        "reingest_fraction": round(t_again / t_first, 4),
    }


def _rates(docs: int, chunks: int, tokens: int, seconds: float) -> dict:
    return {
        "documents_per_s": round(docs / seconds, 2),
        "chunks_per_s": round(chunks / seconds, 1),
        "tokens_per_s": round(tokens / seconds, 0),
    }


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extra", type=Path, action="append", default=[], help="more files or folders to ingest")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run([p for p in DEFAULT_INPUTS if p.exists()] + args.extra)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    p, r = result["pipeline"], result["raw_encoder"]
    print(f"{result['documents']} documents, {result['chunks']} chunks, {result['tokens']} embedding tokens")
    print(f"{'':24}{'docs/s':>10}{'chunks/s':>10}{'tokens/s':>10}{'seconds':>10}")
    print(f"{'floorwise ingest':24}{p['documents_per_s']:>10}{p['chunks_per_s']:>10}{p['tokens_per_s']:>10}{result['pipeline_s']:>10}")
    print(f"{'raw encode (baseline)':24}{r['documents_per_s']:>10}{r['chunks_per_s']:>10}{r['tokens_per_s']:>10}{result['raw_encode_s']:>10}")
    print(f"ratio pipeline/raw: {result['ratio_pipeline_over_raw']}  (target >= 0.8)")
    print(f"unchanged re-ingest: {result['reingest_unchanged_s']} s = {result['reingest_fraction']:.2%} of first (target < 5%)")
    if result["failed"]:
        print("failed:", *result["failed"], sep="\n  ")


if __name__ == "__main__":
    main()
