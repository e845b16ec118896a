"""Both store back ends behave the same: Qdrant Edge, and qdrant-client (local mode, same API as a server)."""

from __future__ import annotations

import pytest

from assistant.domain import Chunk, DocKind, chunk_id_for
from assistant.store.base import CURRENT, LIVE, Criteria, PointWrite

TEXTS = [
    ("SOP-104", DocKind.SOP, "4.2 Torque the die clamp bolts to 95 N·m in a cross pattern.", {}),
    ("SOP-112", DocKind.SOP, "3. Replace the hydraulic return filter HF-2210-B on HPU-3.", {}),
    ("cmms.csv", DocKind.WORK_ORDER, "Work order WO-22-0017 | PRESS-03 | hydraulic leak at main cylinder seal",
     {"wo_id": "WO-22-0017", "date": "2022-03-04", "asset": "PRESS-03", "failure_code": "LEAK"}),
    ("cmms.csv", DocKind.WORK_ORDER, "Work order WO-23-0101 | PRESS-03 | hydraulic leak at valve block",
     {"wo_id": "WO-23-0101", "date": "2023-06-10", "asset": "PRESS-03", "failure_code": "LEAK"}),
    ("cmms.csv", DocKind.WORK_ORDER, "Work order WO-23-0150 | CMP-2 | condensate drain blocked",
     {"wo_id": "WO-23-0150", "date": "2023-08-01", "asset": "CMP-2", "failure_code": "PNEU"}),
]


def make_chunks():
    out = []
    for i, (doc, kind, text, fields) in enumerate(TEXTS):
        out.append(Chunk(chunk_id_for(doc, "h1", i), doc, f"/plant/{doc}", doc, kind, text, i, "h1",
                         asset_ids=tuple(a for a in ("PRESS-03", "HPU-3", "CMP-2") if a in text), fields=fields))
    return out


@pytest.fixture(params=["edge", "client"])
def store(request, tmp_path, embedder):
    if request.param == "edge":
        from assistant.store.edge import EdgeStore

        s = EdgeStore(tmp_path / "store", embedder.dim)
    else:
        from qdrant_client import QdrantClient

        from assistant.store.server import ServerStore

        s = ServerStore(QdrantClient(location=":memory:"), "test", embedder.dim)
    yield s
    s.close()


def fill(store, embedder, bm25, pending=False):
    chunks = make_chunks()
    texts = [c.embedding_text() for c in chunks]
    store.upsert([PointWrite(c, d, s, pending) for c, d, s in zip(chunks, embedder.embed(texts), bm25.embed_documents(texts))])
    store.flush()
    return chunks


def test_pending_points_are_invisible_to_readers(store, embedder, bm25):
    fill(store, embedder, bm25, pending=True)
    assert store.count(LIVE) == 0
    assert store.count(Criteria()) == len(TEXTS)
    store.set_payload(Criteria(equals={"pending": True}), {"pending": False})
    assert store.count(LIVE) == len(TEXTS)


def test_hybrid_finds_the_passage(store, embedder, bm25):
    fill(store, embedder, bm25)
    q = "what torque for the die clamp bolts"
    hits = store.hybrid(embedder.embed([q])[0], bm25.embed_query(q), CURRENT, limit=3, prefetch=10)
    assert hits[0].chunk.doc_id == "SOP-104"
    assert hits[0].chunk.text.startswith("4.2 Torque")


def test_filters_count_and_order(store, embedder, bm25):
    fill(store, embedder, bm25)
    leaks = Criteria(equals={"wo_asset": "PRESS-03", "wo_failure_code": "LEAK"})
    assert store.count(leaks) == 2
    in_2023 = leaks.and_(Criteria(ranges={"wo_date": ("2023-01-01T00:00:00Z", "2023-12-31T23:59:59Z")}))
    assert store.count(in_2023) == 1
    latest = store.scroll(Criteria(equals={"kind": "work_order"}), limit=1, order_by="wo_date", descending=True)
    assert latest[0].fields["wo_id"] == "WO-23-0150"
    assert store.facet("wo_asset", Criteria()) == {"PRESS-03": 2, "CMP-2": 1}


def test_identifier_tokens_are_filterable(store, embedder, bm25):
    fill(store, embedder, bm25)
    found = store.scroll(Criteria(equals={"id_tokens": ["HF-2210-B"]}), limit=10)
    assert [c.doc_id for c in found] == ["SOP-112"]


def test_delete_by_criteria_and_empty_filter_refused(store, embedder, bm25):
    from assistant.errors import StoreError

    fill(store, embedder, bm25)
    store.delete(Criteria(equals={"doc_id": "cmms.csv"}))
    assert store.count(Criteria()) == 2
    with pytest.raises(StoreError):
        store.delete(Criteria())


def test_chunk_round_trips_through_payload(store, embedder, bm25):
    chunks = fill(store, embedder, bm25)
    back = {c.chunk_id: c for c in store.scroll(Criteria(), limit=10)}
    for chunk in chunks:
        assert back[chunk.chunk_id] == chunk


def test_second_process_gets_store_busy(tmp_path, embedder):
    import subprocess
    import sys

    from assistant.store.edge import EdgeStore

    s = EdgeStore(tmp_path / "store", embedder.dim)
    try:
        code = (
            "import sys; from pathlib import Path; from assistant.store.edge import EdgeStore\n"
            "from assistant.errors import StoreBusy\n"
            "try:\n    EdgeStore(Path(sys.argv[1]), 384)\nexcept StoreBusy as e:\n    print('BUSY', e); sys.exit(0)\n"
            "sys.exit(1)\n"
        )
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "floorwise serve" in out.stdout
    finally:
        s.close()
