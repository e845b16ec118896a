"""Qdrant Edge at 100k and 1M chunks: before and after the index, against exact numpy search.

    python -m bench.scale [--sizes 100000 1000000] [--queries 200] [--out DIR] [--json]
                          [--no-index] [--sweep] [--store KEY=VALUE ...]

For each size, a fresh Edge store in a temporary folder is filled through
`EdgeStore.upsert` (batches of 512, as the ingest pipeline writes) with real
`Chunk` payloads and the product's payload indexes: SOPs with superseded
revisions, expert notes, tables and work-order exports over a few hundred
assets drawn Zipf-wise, text of 40-120 plant words with Zipf frequencies and
per-topic words, BM25 vectors from `Bm25Encoder`. Dense vectors are synthetic
(not MiniLM: 1M texts would take hours on 2 cores): a few thousand unit
centroids sharing a common direction, plus gaussian noise, renormalised, so
that neighbours cluster as real embeddings do. Queries are held-out points,
perturbed. Everything follows from one seed. The store uses the `[store]`
defaults of `assistant.settings`; `--store hnsw_ef=256` (repeatable) overrides one.

Phases, each with p50/p95 of dense (top 10, no filter), hybrid (RRF of dense and
BM25, 40 each, `CURRENT`), filtered (hybrid under the Criteria the retriever
builds for one asset and one kind), dense under that filter, under the kind
alone and under the asset alone, sparse (BM25 alone), count and facet, and
recall@10 of each dense search against exact numpy search under the same filter:
- written: as ingested, before any index (every dense search is an exact scan);
- building: `EdgeStore.optimize()` builds the index in its child process while
  this process keeps running hybrid and filtered queries (latency, and how much
  of their top 10 is the exact scan's); build time, peak memory of both processes;
- indexed: the same process after the build switched generations;
- serving: a fresh process opens the indexed store, reads its files once (`[store] warm`, as
  `floorwise serve` does) and runs the queries (its resident memory is the store's share of a server's).
`--sweep` adds recall and latency of dense search over hnsw_ef x oversampling.
Baseline: exact search with numpy (one matrix-vector product and argpartition
per query) over the same vectors, in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.offline import enforce_offline
from bench.answer import pct

DIM = 384
BATCH = 512  # ingest.pipeline writes batch_size * 8 points per upsert
KINDS = ("sop", "work_order", "expert_note", "table")
PLANT_WORDS = (
    "pump valve hydraulic pressure bearing motor seal leak filter oil temperature check replace inspect "
    "torque bolt flange gasket hose cylinder gearbox coupling shaft alignment vibration noise belt chain "
    "conveyor sensor switch relay fuse breaker cable connector panel lockout tagout isolate drain vent "
    "compressor air line regulator lubricate grease nozzle spray weld clamp die press ram guide stroke "
    "cycle speed rpm current voltage phase overload trip alarm fault reset restart operator shift "
    "maintenance preventive corrective spare part stock supplier cost hours downtime production batch "
    "tank level flow meter gauge calibrate tolerance clearance wear crack corrosion rust paint clean "
    "coolant chiller fan blower duct heater element thermocouple controller setpoint program robot arm "
    "gripper axis servo encoder spindle tool chuck lathe mill drill cut blade knife guard interlock "
    "emergency stop button light curtain safety glasses gloves permit confined space ladder scaffold"
).split()
ASSET_PREFIXES = ("PRESS", "PUMP", "CMP", "HPU", "CNV", "MIX", "OVEN", "BLR", "CHL", "FAN", "GBX", "ROB",
                  "WELD", "CNC", "LATHE", "EXC", "TRK", "KILN")


def zipf_weights(n: int, s: float) -> np.ndarray:
    """Example:

    >>> zipf_weights(3, 1.0).round(3).tolist()
    [0.545, 0.273, 0.182]
    """
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@dataclass
class Doc:
    doc_id: str
    source_path: str
    title: str
    kind: str
    file_hash: str
    revision: str | None
    effective_date: str | None
    superseded: bool


class Corpus:
    """`n` points to store and `q` held-out queries; every per-point array is indexed by spec number."""

    def __init__(self, n: int, q: int, seed: int = 7, assets: int = 300):
        self.n, self.q, self.seed = n, q, seed
        rng = np.random.default_rng(seed)
        self.vocab = np.array(PLANT_WORDS + _pseudo_words(rng, 3000))
        self.word_cdf = np.cumsum(zipf_weights(len(self.vocab), 1.0))
        prefixes = ASSET_PREFIXES
        self.assets = np.array([f"{prefixes[i % len(prefixes)]}-{100 + i}" for i in range(assets)])
        self.asset_w = zipf_weights(assets, 1.1)
        self.n_clusters = int(np.clip((n + q) // 250, 8, 4000))
        # Real embeddings share a direction: cosine about 0.1 between unrelated topics.
        common = unit(rng.standard_normal((1, DIM)))
        centroids = unit(rng.standard_normal((self.n_clusters, DIM)))
        self.centroids = unit(centroids + 0.35 * common).astype(np.float32)
        self.topic_words = rng.integers(len(PLANT_WORDS), len(self.vocab), (self.n_clusters, 6))
        self.docs: list[Doc] = []
        self._layout(rng, n + q)
        self.cluster = rng.choice(self.n_clusters, n + q, p=zipf_weights(self.n_clusters, 0.7))
        held = np.sort(rng.choice(n + q, q, replace=False))
        self.stored = np.setdiff1d(np.arange(n + q), held)  # row i of the store's vectors is spec stored[i]
        self.held = held
        self.vectors = self._vectors(self.stored, rng, 0.05)
        held_vectors = self._vectors(held, rng, 0.05)
        self.queries = unit(held_vectors + rng.standard_normal((q, DIM)).astype(np.float32) * 0.02)

    def _layout(self, rng, total: int) -> None:
        """Documents until `total` chunks: doc, ordinal, kind, up to two assets, superseded flag of each."""
        doc, ordinal = np.zeros(total, np.int32), np.zeros(total, np.int32)
        kind, asset = np.zeros(total, np.int8), np.full((total, 2), -1, np.int16)
        superseded = np.zeros(total, bool)
        i = 0
        while i < total:
            k = rng.choice(4, p=(0.45, 0.1, 0.35, 0.1))
            revisions = int(rng.choice(3, p=(0.5, 0.3, 0.2))) + 1 if k == 0 else 1
            size = int({0: rng.integers(10, 41), 1: rng.integers(50, 401), 2: rng.integers(3, 16),
                        3: rng.integers(20, 121)}[k])
            doc_assets = rng.choice(len(self.assets), 2, p=self.asset_w)
            n_assets = int(rng.choice(3, p=(0.1, 0.7, 0.2)))
            for rev in range(revisions):
                j = min(total, i + size)
                d = len(self.docs)
                self.docs.append(_doc(d, KINDS[k], rev, revisions, rng))
                doc[i:j], ordinal[i:j], kind[i:j] = d, np.arange(j - i), k
                superseded[i:j] = rev < revisions - 1
                if k == 1:  # work orders: one asset per row
                    asset[i:j, 0] = rng.choice(len(self.assets), j - i, p=self.asset_w)
                else:
                    asset[i:j, :n_assets] = doc_assets[:n_assets]
                i = j
        self.doc, self.ordinal, self.kind, self.asset, self.superseded = doc, ordinal, kind, asset, superseded

    def _vectors(self, specs: np.ndarray, rng, sigma: float) -> np.ndarray:
        out = np.empty((len(specs), DIM), np.float32)
        for a in range(0, len(specs), 65536):
            c = self.centroids[self.cluster[specs[a : a + 65536]]]
            out[a : a + len(c)] = unit(c + rng.standard_normal(c.shape, dtype=np.float32) * sigma)
        return out

    def chunk_id(self, spec: int) -> str:
        from assistant.domain import chunk_id_for

        d = self.docs[self.doc[spec]]
        return chunk_id_for(d.source_path, d.file_hash, int(self.ordinal[spec]))

    def chunks(self, start: int, stop: int) -> list:
        """The `Chunk`s of stored rows start..stop, text included."""
        rng = np.random.default_rng((self.seed, start))
        specs = self.stored[start:stop]
        lengths = rng.integers(40, 121, len(specs))
        words = np.searchsorted(self.word_cdf, rng.random(lengths.sum()))
        topical = rng.random(len(words)) < 0.3
        owner = np.repeat(self.cluster[specs], lengths)
        words[topical] = self.topic_words[owner[topical], rng.integers(0, 6, topical.sum())]
        texts = np.split(self.vocab[words], np.cumsum(lengths)[:-1])
        return [self._chunk(int(s), " ".join(t.tolist()), rng) for s, t in zip(specs, texts)]

    def _chunk(self, spec: int, body: str, rng):
        from assistant.domain import Chunk, DocKind

        d, ordinal = self.docs[self.doc[spec]], int(self.ordinal[spec])
        assets = tuple(self.assets[a] for a in self.asset[spec] if a >= 0)
        fields, step, section = {}, None, ()
        if d.kind == "work_order":
            wo = f"WO-{d.doc_id[-4:]}-{ordinal:04d}"
            date = f"20{rng.integers(16, 27)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
            fields = {"wo_id": wo, "date": date, "asset": assets[0],
                      "failure_code": f"F{rng.integers(10, 60)}",
                      "problem": body[:60], "action": body[60:120], "row": ordinal + 2}
            text = f"Work order {wo} | {date} | {assets[0]} | {body}"
        elif d.kind == "sop":
            step, section = f"{ordinal // 5 + 1}.{ordinal % 5 + 1}", (f"Section {ordinal // 5 + 1}",)
            text = f"{step} {' '.join(assets)} {body}"
        else:
            text = f"{' '.join(assets)} {body}" if assets else body
        return Chunk(self.chunk_id(spec), d.doc_id, d.source_path, d.title, DocKind(d.kind), text, ordinal,
                     d.file_hash, section_path=section, step=step, revision=d.revision,
                     effective_date=d.effective_date, asset_ids=assets, fields=fields,
                     superseded=d.superseded, ingested_at="2026-11-23T10:00:00+00:00")

    def query(self, h: int, rng) -> tuple[str, str, str]:
        """(text, asset, kind) of held-out query h: topic words, common words, half the time its asset."""
        spec = self.held[h]
        words = [*self.vocab[rng.choice(self.topic_words[self.cluster[spec]], 3, replace=False)],
                 *self.vocab[rng.integers(0, len(PLANT_WORDS), rng.integers(1, 4))]]
        a = self.asset[spec, 0]
        asset = self.assets[a] if a >= 0 else self.assets[rng.choice(len(self.assets), p=self.asset_w)]
        if rng.random() < 0.5:
            words.append(asset)
        return " ".join(words), str(asset), KINDS[self.kind[spec]]

    def mask(self, asset: str | None, kind: str | None) -> np.ndarray:
        """Stored rows that Filters(assets=(asset,), kinds=(kind,)).criteria() admits (None: any)."""
        if not hasattr(self, "_stored_rows"):  # (asset, kind, live) of stored rows, computed once
            s = self.stored
            self._stored_rows = (self.asset[s], self.kind[s], ~self.superseded[s])
        assets, kinds, live = self._stored_rows
        admitted = live.copy()
        if asset is not None:
            admitted &= (assets == int(np.flatnonzero(self.assets == asset)[0])).any(axis=1)
        if kind is not None:
            admitted &= kinds == KINDS.index(kind)
        return admitted


def _pseudo_words(rng, n: int) -> list[str]:
    syllables = "ka ro tel vin dur mes pol ant ix or ul sen bar tro lek quin fa dor zet mon".split()
    out: dict[str, None] = {}
    while len(out) < n:
        out.setdefault("".join(rng.choice(syllables, rng.integers(2, 4))), None)
    return list(out)


def _doc(d: int, kind: str, rev: int, revisions: int, rng) -> Doc:
    from assistant.domain import sha256_hex

    prefix = {"sop": "SOP", "work_order": "CMMS", "expert_note": "NOTE", "table": "TBL"}[kind]
    doc_id = f"{prefix}-{d - rev:05d}"
    revision = "ABC"[rev] if kind == "sop" else None
    suffix = "csv" if kind in ("work_order", "table") else "pdf"
    path = f"plant/{kind}/{doc_id}{'-rev' + revision if revision else ''}.{suffix}"
    date = None
    if kind == "sop":
        date = f"20{18 + rev * 2 + int(rng.integers(0, 2))}-0{int(rng.integers(1, 10))}-15"
    title = f"{prefix} {d - rev}"
    return Doc(doc_id, path, title, kind, sha256_hex(path), revision, date, rev < revisions - 1)


def rss_mb(pid: int | None = None) -> dict:
    """Resident memory: all of it, and the anonymous part (without mmap'd store files)."""
    import psutil

    m = psutil.Process(pid).memory_info()
    return {"rss": round(m.rss / 2**20, 1), "anon": round((m.rss - m.shared) / 2**20, 1)}


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def disk_mb(path: Path) -> float:
    """Allocated size (as du counts it: Edge preallocates sparse files)."""
    from assistant.store.indexing import allocated_bytes

    return round(allocated_bytes(path) / 2**20, 1)


def stats(ms: list[float]) -> dict:
    return {"p50": round(pct(ms, 50), 2), "p95": round(pct(ms, 95), 2)}


FILTERS = {"filtered": lambda a, k: (a, k), "kind": lambda a, k: (None, k), "asset": lambda a, k: (a, None)}


def exact(corpus: Corpus, queries: list[tuple]) -> tuple[list, list, dict]:
    """numpy baseline: per-query time, exact top-10 spec numbers, and the exact top-10 under each
    filter of FILTERS (the query's asset and kind, its kind alone, its asset alone; current only)."""
    times, top, top_filtered = [], [], {name: [] for name in FILTERS}
    corpus.vectors @ corpus.queries[0]  # warm-up: BLAS threads, page faults
    for v, (_, asset, kind) in zip(corpus.queries, queries):
        t0 = time.perf_counter()
        scores = corpus.vectors @ v
        best = np.argpartition(-scores, 10)[:10]
        times.append((time.perf_counter() - t0) * 1000)
        top.append(set(corpus.stored[best].tolist()))
        for name, narrow in FILTERS.items():
            rows = np.flatnonzero(corpus.mask(*narrow(asset, kind)))
            keep = rows[np.argsort(-scores[rows])[:10]]
            top_filtered[name].append(set(corpus.stored[keep].tolist()))
    return times, top, top_filtered


def recall(found: list[list[str]], truth: list[set], corpus: Corpus) -> float | None:
    """Mean share of the exact top-10 (or of all matches, when fewer) that Edge returned."""
    shares = []
    for ids, specs in zip(found, truth):
        if specs:
            want = {corpus.chunk_id(s) for s in specs}
            shares.append(len(want & set(ids)) / len(want))
    return round(float(np.mean(shares)), 4) if shares else None


def query_set(corpus: Corpus, queries: list[tuple], sparse: list) -> dict:
    """What every phase asks, as plain data (a fresh process gets it as JSON)."""
    return {"dense": [v.tolist() for v in corpus.queries],
            "sparse": [[list(s.indices), list(s.values)] for s in sparse],
            "filters": [[a, k] for _, a, k in queries]}


def searches(store, qs: dict) -> dict:
    """name -> function of query number i; each returns what the store returned."""
    from assistant.retrieve import Filters
    from assistant.store.base import CURRENT, Criteria, SparseVec

    vectors = qs["dense"]
    sparse = [SparseVec(tuple(i), tuple(v)) for i, v in qs["sparse"]]
    wheres = [Filters(assets=(a,), kinds=(k,)).criteria() for a, k in qs["filters"]]
    by_kind = [Filters(kinds=(k,)).criteria() for _, k in qs["filters"]]
    by_asset = [Filters(assets=(a,)).criteria() for a, _ in qs["filters"]]
    return {
        "dense": lambda i: store.dense(vectors[i], Criteria(), 10),
        "hybrid": lambda i: store.hybrid(vectors[i], sparse[i], CURRENT, limit=40, prefetch=40),
        "filtered": lambda i: store.hybrid(vectors[i], sparse[i], wheres[i], limit=40, prefetch=40),
        "filtered_dense": lambda i: store.dense(vectors[i], wheres[i], 10),
        "kind_dense": lambda i: store.dense(vectors[i], by_kind[i], 10),
        "asset_dense": lambda i: store.dense(vectors[i], by_asset[i], 10),
        "sparse": lambda i: store.sparse(sparse[i], CURRENT, 40),
        "count": lambda i: store.count(wheres[i]),
        "facet": lambda i: store.facet("asset_ids", CURRENT, limit=20),
    }


def time_queries(store, qs: dict, names: tuple[str, ...]) -> tuple[dict, dict]:
    """p50/p95 ms of each search over the queries, and the chunk ids each search returned."""
    fns, out, found = searches(store, qs), {}, {}
    for name in names:
        n = len(qs["dense"]) if name not in ("count", "facet") else min(len(qs["dense"]), 20)
        for i in range(min(3, n)):  # warm-up
            fns[name](i)
        times, ids = [], []
        for i in range(n):
            t0 = time.perf_counter()
            result = fns[name](i)
            times.append((time.perf_counter() - t0) * 1000)
            ids.append([h.chunk.chunk_id for h in result] if isinstance(result, list) else [])
        out[f"{name}_ms"], found[name] = stats(times), ids
    return out, found


PHASE_SEARCHES = ("dense", "hybrid", "filtered", "filtered_dense", "kind_dense", "asset_dense", "sparse", "count",
                  "facet")
RECALLS = {"recall_at_10": ("dense", None), "filtered_recall_at_10": ("filtered_dense", "filtered"),
           "kind_recall_at_10": ("kind_dense", "kind"), "asset_recall_at_10": ("asset_dense", "asset")}


def recalls(found: dict, truth: tuple, corpus: Corpus) -> dict:
    """recall@10 of each dense search against numpy's exact top 10 under the same filter."""
    return {key: recall(found[search], truth[1] if narrow is None else truth[2][narrow], corpus)
            for key, (search, narrow) in RECALLS.items() if search in found}


def query_phase(store, corpus: Corpus, qs: dict, truth: tuple, names=PHASE_SEARCHES) -> tuple[dict, dict]:
    out, found = time_queries(store, qs, names)
    out.update(recalls(found, truth, corpus))
    out["ratio_dense_over_exact_p50"] = round(out["dense_ms"]["p50"] / pct(truth[0], 50), 3)
    return out, found


def ingest(store, corpus: Corpus, bm25) -> dict:
    """Upsert every stored row in batches; seconds spent making chunks, BM25 vectors and upserts."""
    from assistant.store.base import PointWrite

    timer = dict.fromkeys(("synth", "bm25", "upsert"), 0.0)
    for start in range(0, corpus.n, BATCH):
        t0 = time.perf_counter()
        chunks = corpus.chunks(start, min(corpus.n, start + BATCH))
        dense = corpus.vectors[start : start + len(chunks)].tolist()  # the embedder hands lists over too
        t1 = time.perf_counter()
        vectors = bm25.embed_documents([c.embedding_text() for c in chunks])
        t2 = time.perf_counter()
        # Written live: the catalog's later set_payload that clears `pending` is not part of this.
        store.upsert([PointWrite(c, d, s, pending=False) for c, d, s in zip(chunks, dense, vectors)])
        t3 = time.perf_counter()
        timer["synth"] += t1 - t0
        timer["bm25"] += t2 - t1
        timer["upsert"] += t3 - t2
        if (start // BATCH) % max(1, corpus.n // BATCH // 10) == 0:
            done = start + len(chunks)
            progress(f"ingested {done:,} / {corpus.n:,}: {done / timer['upsert']:,.0f} points/s")
    n = corpus.n
    return {
        "synth_s": round(timer["synth"], 1),
        "bm25_s": round(timer["bm25"], 1),
        "bm25_docs_per_s": round(n / timer["bm25"]),
        "upsert_s": round(timer["upsert"], 1),
        "upsert_points_per_s": round(n / timer["upsert"]),
    }


class PeakMemory:
    """Samples this process's and its children's resident memory every half second."""

    def __init__(self):
        self.peak = {"self": 0.0, "children": 0.0, "children_anon": 0.0, "total": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.5):
            mine = me.memory_info().rss / 2**20
            kids = kids_anon = 0.0
            for child in me.children(recursive=True):
                try:
                    m = child.memory_info()
                except psutil.Error:
                    continue
                kids, kids_anon = kids + m.rss / 2**20, kids_anon + (m.rss - m.shared) / 2**20
            for key, value in (("self", mine), ("children", kids), ("children_anon", kids_anon),
                               ("total", mine + kids)):
                self.peak[key] = max(self.peak[key], round(value, 1))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def build_index(store, qs: dict, exact_top: dict) -> dict:
    """`store.optimize()` while a reader keeps asking hybrid and filtered questions, as technicians would."""
    from assistant.store.edge import read_build

    fns = searches(store, qs)
    stop, times, same, errors = threading.Event(), {"hybrid": [], "filtered": []}, [], []

    def reader():
        i = 0
        while not stop.is_set():
            name = ("hybrid", "filtered")[i % 2]
            q = (i // 2) % len(qs["dense"])
            try:
                t0 = time.perf_counter()
                hits = fns[name](q)
                times[name].append((time.perf_counter() - t0) * 1000)
                # RRF ranks tie often (rank r in one list only scores alike), so compare top-10 sets
                same.append(len({h.chunk.chunk_id for h in hits[:10]} & set(exact_top[name][q][:10])) / 10)
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                errors.append(repr(exc))
            i += 1
            time.sleep(0.02)

    thread = threading.Thread(target=reader, daemon=True)
    last = [0.0]

    def report(state):
        if time.monotonic() - last[0] >= 30:
            last[0] = time.monotonic()
            progress(f"index: {state.describe()}")

    with PeakMemory() as memory:
        thread.start()
        t0 = time.perf_counter()
        state = store.optimize(progress=report)
        seconds = time.perf_counter() - t0
        stop.set()
        thread.join()
    built = read_build(store.shard_dir)
    return {
        "seconds": round(seconds, 1), "copy_s": built.get("copy_s"), "index_s": built.get("index_s"),
        "segments": state.segments, "indexed": state.indexed, "state": state.describe(),
        "peak_rss_mb": memory.peak,
        "during": {"queries": sum(map(len, times.values())), "errors": len(errors), "first_error": errors[:1],
                   "hybrid_ms": stats(times["hybrid"]), "filtered_ms": stats(times["filtered"]),
                   "max_ms": round(max(max(t, default=0) for t in times.values()), 1),
                   "top10_overlap": round(float(np.mean(same)), 4) if same else None},
    }


def sweep(store, corpus: Corpus, qs: dict, truth: tuple) -> list[dict]:
    """Dense recall and latency over hnsw_ef x oversampling on the indexed store (no filter)."""
    base, rows = store.tuning, []
    oversampling = (1.0, 2.0, 4.0) if base.quantization == "int8" else (1.0,)
    for ef in (64, 128, 256, 512):
        for over in oversampling:
            store.tuning = base.model_copy(update={"hnsw_ef": ef, "oversampling": over})
            out, found = time_queries(store, qs, ("dense", "hybrid"))
            rows.append({"hnsw_ef": ef, "oversampling": over, "dense_ms": out["dense_ms"],
                         "hybrid_ms": out["hybrid_ms"], "recall_at_10": recall(found["dense"], truth[1], corpus)})
    store.tuning = base
    return rows


def serving(path: Path, tuning, qs: dict, corpus: Corpus, truth: tuple, tmp: Path) -> dict:
    """A fresh process opens the store and answers the queries: its memory is what serving costs."""
    (tmp / "queries.json").write_text(json.dumps(qs), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bench.scale", "--probe", str(path), str(tmp / "queries.json"),
                          tuning.model_dump_json()], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    r.update(recalls(r.pop("found"), truth, corpus))
    return r


def probe(path: Path, queries: Path, tuning_json: str) -> None:
    """The fresh process of `serving`: open, ask, report (JSON on stdout)."""
    from assistant.settings import StoreSettings
    from assistant.store.edge import EdgeStore

    qs = json.loads(queries.read_text(encoding="utf-8"))
    r = {"rss_mb": {"start": rss_mb()}}
    t0 = time.perf_counter()
    store = EdgeStore(path, DIM, tuning=StoreSettings.model_validate_json(tuning_json))
    r["open_s"] = round(time.perf_counter() - t0, 2)
    r["warm"] = store.warm() if store.tuning.warm else None  # as `floorwise serve` does, in the background there
    r["rss_mb"]["opened"] = rss_mb()
    stats_, found = time_queries(store, qs, PHASE_SEARCHES[:-2])
    r.update(stats_)
    r["rss_mb"]["after_queries"] = rss_mb()
    r["found"] = {search: found[search] for search, _ in RECALLS.values()}
    store.close()
    print(json.dumps(r))


def describe(corpus: Corpus, queries: list[tuple]) -> dict:
    stored = corpus.stored
    return {
        "points": corpus.n,
        "queries": corpus.q,
        "documents": len({d.doc_id for d in corpus.docs}),
        "clusters": corpus.n_clusters,
        "kind_share": {k: round(float((corpus.kind[stored] == i).mean()), 3) for i, k in enumerate(KINDS)},
        "superseded_share": round(float(corpus.superseded[stored].mean()), 3),
        "filter_matches_p50": int(pct([int(corpus.mask(a, k).sum()) for _, a, k in queries], 50)),
        "kind_matches_p50": int(pct([int(corpus.mask(None, k).sum()) for _, a, k in queries], 50)),
        "asset_matches_p50": int(pct([int(corpus.mask(a, None).sum()) for _, a, k in queries], 50)),
        "numpy_vectors_mb": round(corpus.vectors.nbytes / 2**20, 1),
    }


def run_size(n: int, q: int, seed: int = 7, index: bool = True, partial: Path | None = None,
             store_overrides: dict | None = None, with_sweep: bool = False) -> dict:
    """One size, start to end; with `partial`, the figures so far are written there before indexing."""
    from assistant.embedder import Bm25Encoder
    from assistant.settings import StoreSettings
    from assistant.store.edge import EdgeStore

    # auto_index off: this run decides when the build starts; everything else is the product's default.
    tuning = StoreSettings(**{**(store_overrides or {}), "auto_index": False})
    rss = {"start": rss_mb()}
    t0 = time.perf_counter()
    corpus = Corpus(n, q, seed)
    bm25 = Bm25Encoder()
    rng = np.random.default_rng((seed, 1))
    queries = [corpus.query(h, rng) for h in range(q)]
    qs = query_set(corpus, queries, [bm25.embed_query(text) for text, _, _ in queries])
    truth = exact(corpus, queries)
    r = {**describe(corpus, queries), "generate_s": round(time.perf_counter() - t0, 1),
         "store_settings": tuning.model_dump()}
    r["exact_ms"] = stats(truth[0])
    rss["data"] = rss_mb()
    progress(f"{n:,}: corpus and exact baseline ready in {r['generate_s']} s")
    with tempfile.TemporaryDirectory(prefix="floorwise-scale-") as tmp:
        path = Path(tmp) / "store"
        store = EdgeStore(path, DIM, tuning=tuning)
        r["ingest"] = ingest(store, corpus, bm25)
        t0 = time.perf_counter()
        store.flush()
        r["ingest"]["flush_s"] = round(time.perf_counter() - t0, 2)
        assert store.points_count() == n, (store.points_count(), n)
        rss["loaded"], r["disk_mb"] = rss_mb(), {"written": disk_mb(path)}
        progress("querying the store as written")
        r["written"], found = query_phase(store, corpus, qs, truth)
        r["rss_mb"] = rss
        if partial:
            partial.write_text(json.dumps(r, indent=2), encoding="utf-8")
        if index:
            progress("building the index while queries run")
            r["build"] = build_index(store, qs, found)
            rss["indexed"], r["disk_mb"]["indexed"] = rss_mb(), disk_mb(path)
            progress("querying the indexed store")
            r["indexed"], _ = query_phase(store, corpus, qs, truth)
            if with_sweep:
                progress("sweeping hnsw_ef x oversampling")
                r["sweep"] = sweep(store, corpus, qs, truth)
        store.close()
        progress("a fresh process opens the store and asks")
        r["serving"] = serving(path, tuning, qs, corpus, truth, Path(tmp))
    r["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return r


def report(r: dict) -> str:
    ing, w, s = r["ingest"], r["written"], r["serving"]
    b, i = r.get("build"), r.get("indexed", {})
    lines = [
        f"== {r['points']:,} chunks ({r['documents']:,} documents, {r['clusters']:,} clusters), "
        f"{r['queries']} queries, load average {r['loadavg'][0]}",
        f"ingest: upsert {ing['upsert_points_per_s']:,} points/s ({ing['upsert_s']:,} s), "
        f"BM25 {ing['bm25_docs_per_s']:,} docs/s ({ing['bm25_s']} s), flush {ing['flush_s']} s",
    ]
    if b:
        d = b["during"]
        lines += [
            f"index build: {b['seconds']:,} s (copy {b['copy_s']} s, optimize {b['index_s']} s), {b['state']}; "
            f"peak RSS MB: this process {b['peak_rss_mb']['self']:,}, build process {b['peak_rss_mb']['children']:,} "
            f"({b['peak_rss_mb']['children_anon']:,} anonymous)",
            f"answering during the build: {d['queries']:,} queries, {d['errors']} errors, hybrid p50/p95 "
            f"{d['hybrid_ms']['p50']}/{d['hybrid_ms']['p95']} ms, filtered {d['filtered_ms']['p50']}/"
            f"{d['filtered_ms']['p95']} ms, slowest {d['max_ms']} ms, top-10 overlap with the exact scan {d['top10_overlap']}",
        ]
    disk = ", ".join(f"{k} {v:,}" for k, v in r["disk_mb"].items())
    memory = ", ".join(f"{k} {v['rss']:,} ({v['anon']:,})" for k, v in r["rss_mb"].items())
    serving_memory = ", ".join(f"{k} {v['rss']:,} ({v['anon']:,})" for k, v in s["rss_mb"].items())
    lines += [
        f"disk MB: {disk}",
        f"RSS MB (anonymous), this process: {memory}; numpy copy {r['numpy_vectors_mb']:,}",
        f"RSS MB (anonymous), fresh serving process: {serving_memory}; open {s['open_s']} s"
        + (f", store files read {s['warm']['read_mb']:,} MB in {s['warm']['seconds']} s" if s.get("warm") else ""),
        f"{'ms p50 / p95':22}{'as written':>20}{'indexed':>20}{'fresh process':>20}",
    ]
    for key in PHASE_SEARCHES:
        cells = [x.get(f"{key}_ms") for x in (w, i, s)]
        lines.append(f"{key:22}" + "".join(f"{c['p50']:>10} / {c['p95']:<8}" if c else f"{'':20}" for c in cells))
    lines += [f"{'numpy exact (baseline)':22}{r['exact_ms']['p50']:>10} / {r['exact_ms']['p95']:<8}"]
    for key in RECALLS:
        label = "recall@10 " + (key.split("_")[0] if key != "recall_at_10" else "dense")
        lines.append(f"{label:22}" + "".join(f"{str(x.get(key, '')):>20}" for x in (w, i, s)))
    lines.append(f"(chunks matching a query's filter, p50: asset and kind {r['filter_matches_p50']:,}, "
                 f"kind {r['kind_matches_p50']:,}, asset {r['asset_matches_p50']:,})")
    for row in r.get("sweep", []):
        lines.append(f"  sweep ef {row['hnsw_ef']:>4} x{row['oversampling']:<4} dense {row['dense_ms']['p50']}/"
                     f"{row['dense_ms']['p95']} ms, hybrid {row['hybrid_ms']['p50']}/{row['hybrid_ms']['p95']} ms, "
                     f"recall@10 {row['recall_at_10']}")
    return "\n".join(lines)


def store_override(text: str) -> tuple[str, object]:
    """`key=value` for StoreSettings; the value read as JSON when it parses, else as text."""
    key, _, value = text.partition("=")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def main() -> None:
    enforce_offline()
    if len(sys.argv) == 5 and sys.argv[1] == "--probe":
        probe(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-index", action="store_true", help="skip the index build: exact scan only")
    parser.add_argument("--sweep", action="store_true", help="dense recall/latency over hnsw_ef x oversampling")
    parser.add_argument("--store", type=store_override, action="append", default=[], metavar="KEY=VALUE",
                        help="override a [store] setting, e.g. quantization=none")
    parser.add_argument("--out", type=Path, help="write scale-<size>.json here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        partial = args.out / f"scale-{n}.partial.json" if args.out else None
        r = run_size(n, args.queries, args.seed, index=not args.no_index, partial=partial,
                     store_overrides=dict(args.store), with_sweep=args.sweep)
        results.append(r)
        if args.out:
            (args.out / f"scale-{n}.json").write_text(json.dumps(r, indent=2), encoding="utf-8")
        if not args.json:
            print(report(r), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
