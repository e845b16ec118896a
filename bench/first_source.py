"""Time to first source at scale: the retrieval that precedes an answer's sources, on an indexed store.

    python -m bench.first_source [--size 1000000] [--queries 100] [--store DIR] [--keep] [--no-warm]

A store of `--size` synthetic chunks is written and indexed exactly as `bench.scale` does
(same corpus, same `[store]` defaults; `--store DIR` reuses one kept with `--keep`). Then a
fresh `EdgeStore` is opened, as `floorwise serve` opens it, and each question goes through
`Retriever.retrieve` with the real MiniLM embedder and BM25 encoder: what `Assistant.ask` does
before it yields the sources (the table planner and the catalog's identifier lookup excepted:
they are SQLite look-ups). Baseline, in the same process and on the same questions: one bare
`EdgeStore.hybrid` call with the query vectors already made.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assistant.offline import enforce_offline
from bench.answer import pct


def build(path: Path, size: int, seed: int) -> dict:
    from assistant.embedder import Bm25Encoder
    from assistant.settings import StoreSettings
    from assistant.store.edge import EdgeStore
    from bench.scale import DIM, Corpus, ingest, progress

    corpus = Corpus(size, 10, seed)
    store = EdgeStore(path, DIM, tuning=StoreSettings(auto_index=False))
    t0 = time.perf_counter()
    written = ingest(store, corpus, Bm25Encoder())
    store.flush()
    progress(f"written in {time.perf_counter() - t0:.0f} s; building the index")
    t1 = time.perf_counter()
    state = store.optimize()
    built = time.perf_counter() - t1
    store.close()
    return {"write": written, "index_build_s": round(built, 1), "index": state.describe()}


def measure(path: Path, size: int, queries: int, seed: int, warm: bool = True) -> dict:
    import numpy as np

    from assistant.embedder import Bm25Encoder, LazyEmbedder
    from assistant.modelfiles import resolve_embedding
    from assistant.retrieve import Filters, Retriever
    from assistant.settings import RetrievalSettings, StoreSettings
    from assistant.store.base import CURRENT
    from assistant.store.edge import EdgeStore
    from bench.scale import DIM, Corpus

    corpus = Corpus(min(size, 20_000), queries, seed)  # only for question texts: words and assets
    rng = np.random.default_rng((seed, 2))
    asked = [corpus.query(h, rng) for h in range(queries)]
    questions = [text for text, _, _ in asked]
    t0 = time.perf_counter()
    store = EdgeStore(path, DIM, tuning=StoreSettings())
    opened = time.perf_counter() - t0
    warmed = store.warm() if warm else None  # as `floorwise serve` does in the background ([store] warm)
    index = store.index_state().describe()
    embedder, bm25 = LazyEmbedder(resolve_embedding(None)), Bm25Encoder()
    embedder.load()
    settings = RetrievalSettings()
    retriever = Retriever(store, embedder, bm25, settings)
    retriever.retrieve(questions[0])  # first query pays for pages read from disk once
    first, bare, filtered = [], [], []
    for q, asset, kind in asked:
        t = time.perf_counter()
        hits = retriever.retrieve(q).hits
        first.append((time.perf_counter() - t) * 1000)
        assert hits, q
        dense, sparse = embedder.embed([q])[0], bm25.embed_query(q)
        t = time.perf_counter()
        store.hybrid(dense, sparse, CURRENT, limit=settings.prefetch_k, prefetch=settings.prefetch_k)
        bare.append((time.perf_counter() - t) * 1000)
        where = Filters(assets=(asset,), kinds=(kind,)).criteria()  # the UI's equipment and kind filters
        t = time.perf_counter()
        store.hybrid(dense, sparse, where, limit=settings.prefetch_k, prefetch=settings.prefetch_k)
        filtered.append((time.perf_counter() - t) * 1000)
    store.close()
    return {
        "points": size, "open_s": round(opened, 2), "index_served": index, "queries": len(questions),
        "first_source_ms": {"p50": round(statistics.median(first), 1), "p95": round(pct(first, 95), 1)},
        "bare_hybrid_ms": {"p50": round(statistics.median(bare), 1), "p95": round(pct(bare, 95), 1)},
        "filtered_hybrid_ms": {"p50": round(statistics.median(filtered), 1), "p95": round(pct(filtered, 95), 1)},
        "warm": warmed,
        "ratio_p50": round(statistics.median(first) / statistics.median(bare), 2),
    }


def main() -> None:
    enforce_offline()  # the MiniLM files are local; nothing may reach a model hub
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", type=Path, help="a store kept by --keep (skips writing and indexing)")
    parser.add_argument("--keep", action="store_true", help="keep the store it builds (path printed)")
    parser.add_argument("--no-warm", action="store_true", help="skip reading the store's files first (a cold start)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict = {}
    tmp = None
    path = args.store
    if path is None:
        tmp = Path(tempfile.mkdtemp(prefix="floorwise-first-source-"))
        path = tmp / "store"
        result["build"] = build(path, args.size, args.seed)
    try:
        result.update(measure(path, args.size, args.queries, args.seed, warm=not args.no_warm))
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp is not None:
            print(f"store kept at {path}")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    f, b = result["first_source_ms"], result["bare_hybrid_ms"]
    print(f"{args.size:,} chunks ({result['index_served']}); a fresh store opened in {result['open_s']} s")
    print(f"first source (Retriever.retrieve, MiniLM + BM25 + hybrid + expansion): p50 {f['p50']} ms, p95 {f['p95']} ms")
    print(f"bare EdgeStore.hybrid, same questions, vectors made: p50 {b['p50']} ms, p95 {b['p95']} ms")
    print(f"first source / bare hybrid, p50: {result['ratio_p50']}x")
    fl = result["filtered_hybrid_ms"]
    print(f"filtered EdgeStore.hybrid (one asset, one kind): p50 {fl['p50']} ms, p95 {fl['p95']} ms")
    w = result["warm"]
    print("store files not read first (cold start)" if w is None else
          f"store files read first, as `floorwise serve` does: {w['read_mb']:,} MB in {w['seconds']} s")


if __name__ == "__main__":
    main()
