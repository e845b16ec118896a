"""The HNSW index of a Qdrant Edge store: built in a child process while queries keep answering,
int8 search with rescoring, generations on disk, crashes, and `floorwise ingest optimize`."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from assistant.settings import StoreSettings
from assistant.store.base import Criteria, PointWrite
from tests.conftest import REPO

DIM = 384
SMALL = StoreSettings(index_min_points=1000, auto_index=False)  # 3,000 chunks: enough for a graph


def fill(store, n: int = 3000, seed: int = 5):
    """n synthetic chunks (bench.scale's corpus: clustered vectors, real payloads, BM25) written live."""
    from assistant.embedder import Bm25Encoder
    from bench.scale import Corpus

    corpus, bm25 = Corpus(n, 20, seed=seed), Bm25Encoder()
    for start in range(0, n, 500):
        chunks = corpus.chunks(start, min(n, start + 500))
        sparse = bm25.embed_documents([c.embedding_text() for c in chunks])
        store.upsert([PointWrite(c, corpus.vectors[start + i].tolist(), s, pending=False)
                      for i, (c, s) in enumerate(zip(chunks, sparse))])
    store.flush()
    return corpus


def top(store, vector, k: int = 10, exact: bool = False) -> list[str]:
    return [h.chunk.chunk_id for h in store.dense(vector, Criteria(), k, exact=exact)]


@pytest.fixture()
def store(tmp_path):
    from assistant.store.edge import EdgeStore

    s = EdgeStore(tmp_path / "store", DIM, tuning=SMALL)
    yield s
    s.close()


def test_queries_answer_the_same_during_a_build_and_writes_made_meanwhile_survive(store, tmp_path):
    from assistant.store.edge import EdgeStore

    corpus = fill(store)
    queries = [v.tolist() for v in corpus.queries]
    before = [top(store, q) for q in queries]
    assert store.index_state().state == "exact scan" and store.index_state().stale
    first = corpus.chunks(0, 1)[0]

    build = store.start_build()
    during, phases = [], set()
    while build.running:  # a technician asking while the graph is built
        i = len(during) % len(queries)
        during.append(top(store, queries[i]) == before[i])
        phases.add(store.index_state().phase)
        if len(during) == 5:
            store.set_payload(Criteria(equals={"chunk_id": first.chunk_id}), {"title": "edited during the build"})
    build.wait()
    assert build.error is None
    assert during and all(during), "a query during the build returned other top results than before it"
    assert phases & {"copying", "indexing", "swapping"}

    state = store.index_state()
    assert state.state == "indexed" and state.indexed == state.points == 3000 and not state.stale
    assert store.shard_dir.name == "gen-0002" and (tmp_path / "store" / "CURRENT").read_text() == "gen-0002"
    assert not (tmp_path / "store" / "gen-0001").exists()
    after = [top(store, q) for q in queries]
    overlap = sum(len(set(a) & set(b)) for a, b in zip(after, before)) / (10 * len(queries))
    assert overlap >= 0.9
    edited = store.scroll(Criteria(equals={"chunk_id": first.chunk_id}), 1)[0]
    assert edited.title == "edited during the build"
    store.close()
    reopened = EdgeStore(tmp_path / "store", DIM, tuning=SMALL)
    try:
        assert reopened.scroll(Criteria(equals={"chunk_id": first.chunk_id}), 1)[0].title == "edited during the build"
        assert reopened.index_state().state == "indexed"
    finally:
        reopened.close()


def test_warming_reads_the_live_shard_once_and_answers_stay_the_same(store):
    """`EdgeStore.warm` (what `floorwise serve` runs in the background) reads every file of the live
    shard, changes nothing, and stops when the store closes."""
    import os

    corpus = fill(store, 1500)
    before = top(store, corpus.queries[0])
    on_disk = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(store.shard_dir) for f in fs)
    done = store.warm()
    assert not done["stopped"] and done["read_mb"] == on_disk >> 20 > 0
    assert top(store, corpus.queries[0]) == before
    thread = store.warm_in_background()
    store._closing.set()  # as close() does: the warming thread stops early
    thread.join(timeout=30)
    assert not thread.is_alive()
    store._closing.clear()


def test_a_serving_store_indexes_itself_once_writes_pause(tmp_path):
    import time

    from assistant.store.edge import EdgeStore

    s = EdgeStore(tmp_path / "store", DIM, tuning=SMALL.model_copy(update={"auto_index": True, "index_idle_s": 0.5}))
    try:
        fill(s)
        s.keep_indexed()  # what Runtime.assistant does in `floorwise serve`
        deadline = time.monotonic() + 300
        while s.index_state().state != "indexed" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert s.index_state().state == "indexed" and s.build is not None and s.build.error is None
    finally:
        s.close()


def test_int8_search_with_rescoring_keeps_recall_against_exact_search(store):
    corpus = fill(store)
    state = store.optimize()
    assert state.state == "indexed"
    assert list(store.shard_dir.glob("segments/*/vector_storage-dense/quantized.data")), "no int8 copy was built"
    queries = [v.tolist() for v in corpus.queries]
    found = [set(top(store, q)) for q in queries]
    exact = [set(top(store, q, exact=True)) for q in queries]
    recall = sum(len(f & e) for f, e in zip(found, exact)) / (10 * len(queries))
    assert recall >= 0.95, recall


def test_a_build_whose_process_dies_leaves_the_store_answering_as_before(store, monkeypatch):
    from assistant.errors import StoreError
    from assistant.store.indexing import Build

    corpus = fill(store)
    query = corpus.queries[0].tolist()
    before = top(store, query)
    expect = Build._expect

    def crash(self, phase):
        if phase == "indexed":
            self._proc.kill()  # the build process dies mid-optimize
        return expect(self, phase)

    monkeypatch.setattr(Build, "_expect", crash)
    with pytest.raises(StoreError, match="index build failed"):
        store.optimize()
    assert store.index_state().state == "exact scan" and store.index_state().error
    assert not (store.path / "gen-0002").exists()
    assert top(store, query) == before
    store.set_payload(Criteria(equals={"chunk_id": corpus.chunks(0, 1)[0].chunk_id}), {"title": "writes go on"})


def test_an_older_store_moves_into_a_generation_and_leftovers_go_at_open(tmp_path):
    from assistant.store.edge import EdgeStore

    root = tmp_path / "store"
    s = EdgeStore(root, DIM, tuning=SMALL)
    fill(s, n=1500)
    s.close()
    for entry in (root / "gen-0001").iterdir():  # the layout before generations: the shard in store/
        entry.rename(root / entry.name)
    (root / "gen-0001").rmdir()
    (root / "CURRENT").unlink()
    s = EdgeStore(root, DIM, tuning=SMALL)
    try:
        assert s.shard_dir == root and s.points_count() == 1500
        assert s.optimize().state == "indexed"
        assert s.shard_dir == root / "gen-0001"
        assert sorted(p.name for p in root.iterdir()) == ["CURRENT", "gen-0001"]
    finally:
        s.close()
    (root / "gen-0007").mkdir()  # an abandoned build
    s = EdgeStore(root, DIM, tuning=SMALL)
    try:
        assert s.points_count() == 1500 and not (root / "gen-0007").exists()
    finally:
        s.close()


# -- the command line ----------------------------------------------------------------------------
def cli(data, *args, check=True):
    config = data.parent / "floorwise.toml"
    out = subprocess.run([sys.executable, "-m", "floorwise.cli", "--config", str(config), "--data-dir", str(data),
                          *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    if check:
        assert out.returncode == 0, out.stderr
    return out


@pytest.fixture()
def big_data(tmp_path):
    """A data folder whose store holds 3,000 chunks and no index; index_min_points 1,000 in its config."""
    from assistant.settings import load_settings
    from assistant.store.edge import EdgeStore

    (tmp_path / "floorwise.toml").write_text("[store]\nindex_min_points = 1000\nauto_index = false\n")
    settings = load_settings(tmp_path / "floorwise.toml", {"data_dir": str(tmp_path / "data")}, environ={})
    s = EdgeStore(settings.store_dir, DIM, tuning=settings.store)
    fill(s)
    s.close()
    return tmp_path / "data"


def test_ingest_list_json_shows_the_index_state_and_optimize_builds_it(big_data):
    listed = json.loads(cli(big_data, "ingest", "list", "--json", "--index").stdout)
    assert listed["sources"] == []  # written around the catalog: the store alone
    assert listed["index"]["state"] == "exact scan" and listed["index"]["points"] == 3000
    assert listed["index"]["stale"] is True
    assert "search index: exact scan" in cli(big_data, "ingest", "list").stdout

    state = json.loads(cli(big_data, "ingest", "optimize", "--json").stdout)
    assert state["state"] == "indexed" and state["indexed"] == 3000 and state["last_build_s"] is not None
    listed = json.loads(cli(big_data, "ingest", "list", "--json", "--index").stdout)
    assert listed["index"]["state"] == "indexed" and listed["index"]["stale"] is False
    assert json.loads(cli(big_data, "ingest", "list", "--json").stdout) == []  # the plain list keeps its shape


def test_optimize_is_handed_to_the_running_server(big_data):
    """With an owner in this process, `ingest optimize` asks it over localhost and polls its progress."""
    import uvicorn
    from fastapi.testclient import TestClient

    from assistant import ownership
    from assistant.settings import load_settings
    from assistant.store.edge import EdgeStore
    from bench.server import free_port
    from ui.app import build_app
    from ui.server import create_server

    settings = load_settings(big_data.parent / "floorwise.toml", {"data_dir": str(big_data)}, environ={})
    store = EdgeStore(settings.store_dir, DIM, tuning=settings.store)

    class Owner:  # the server's assistant, as far as the index routes go
        def __init__(self, store):
            self.store = store

    class NoSources:  # the server's ingest service, as far as `ingest list` goes
        def sources(self):
            return []

    port = free_port()
    settings = settings.model_copy(update={"server": settings.server.model_copy(update={"port": port})})
    owner = ownership.claim(settings.data_dir, port)
    app = create_server(build_app(Owner(store), settings, ingest=NoSources()), settings, owner_token=owner.token)
    assert TestClient(app).get("/api/v1/optimize").status_code == 401  # the owner token is required
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        out = cli(big_data, "ingest", "optimize", "--json")
        assert "handing the build to the running server" in out.stderr
        assert json.loads(out.stdout)["state"] == "indexed"
        listed = json.loads(cli(big_data, "ingest", "list", "--json", "--index").stdout)
        assert listed["index"]["state"] == "indexed"
        assert store.index_state().state == "indexed"  # the server's own store was indexed
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        ownership.release(settings.data_dir)
        store.close()


HEAVY = ("torch", "sentence_transformers", "transformers")
PROBE = """
import json, sys
from floorwise.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "heavy": [m for m in %r if m in sys.modules]}), file=sys.stderr)
""" % (HEAVY,)


@pytest.fixture(scope="module")
def plant_data(tmp_path_factory):
    """Two sample-plant notes ingested through the command line (this one embeds)."""
    import shutil

    from tests.conftest import SAMPLE_DOCS

    root = tmp_path_factory.mktemp("plant")
    docs = root / "docs"
    docs.mkdir()
    for name in ("conv14 belt walking.txt", "robot4 tip dresser notes.txt"):
        shutil.copy(SAMPLE_DOCS / "expert_notes" / name, docs / name)
    (root / "floorwise.toml").write_text("")
    cli(root / "data", "ingest", "sync", str(docs))
    return root / "data", docs


@pytest.mark.parametrize("verb", [
    ("--help",), ("ingest", "--help"), ("ingest", "list"), ("ingest", "list", "--json", "--index"),
    ("ingest", "sync", "{docs}"), ("ingest", "add", "{docs}/conv14 belt walking.txt"),
    ("ingest", "remove", "{docs}/robot4 tip dresser notes.txt", "--dry-run"), ("ingest", "optimize"),
])
def test_verbs_that_embed_nothing_never_import_torch(plant_data, verb):
    data, docs = plant_data
    args = [a.replace("{docs}", str(docs)) for a in verb]
    out = subprocess.run([sys.executable, "-c", PROBE, "--config", str(data.parent / "floorwise.toml"),
                          "--data-dir", str(data), *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    result = json.loads(out.stderr.strip().splitlines()[-1])
    assert result["code"] in (0, None), out.stderr
    assert result["heavy"] == [], f"{' '.join(verb)} imported {result['heavy']}"


def test_removing_a_source_does_not_import_torch(plant_data):
    data, docs = plant_data
    out = subprocess.run([sys.executable, "-c", PROBE, "--config", str(data.parent / "floorwise.toml"),
                          "--data-dir", str(data), "ingest", "remove", str(docs / "robot4 tip dresser notes.txt")],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    result = json.loads(out.stderr.strip().splitlines()[-1])
    assert result == {"code": 0, "heavy": []}, out.stderr
