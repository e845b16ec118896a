"""Atomic replace, supersession and crash recovery of sources in the catalog."""

from __future__ import annotations

from assistant.catalog import Catalog, revision_key
from assistant.domain import Chunk, DocKind, Document, chunk_id_for
from assistant.store.base import CURRENT, LIVE, Criteria, PointWrite


def version(path: str, doc_id: str, file_hash: str, texts: list[str], revision=None, effective=None):
    doc = Document(doc_id, path, doc_id, DocKind.SOP, file_hash, revision, effective)
    chunks = [
        Chunk(chunk_id_for(path, file_hash, i), doc_id, path, doc_id, DocKind.SOP, t, i, file_hash,
              revision=revision, effective_date=effective)
        for i, t in enumerate(texts)
    ]
    return doc, chunks


def points(chunks, embedder, bm25):
    texts = [c.embedding_text() for c in chunks]
    return [PointWrite(c, d, s) for c, d, s in zip(chunks, embedder.embed(texts), bm25.embed_documents(texts))]


def live_texts(catalog, path):
    return sorted(c.text for c in catalog.store.scroll(LIVE.and_(Criteria(equals={"source_path": path})), 100))


def test_replace_swaps_versions_without_leftovers(catalog, embedder, bm25):
    doc1, c1 = version("/p/a.md", "A", "h1", ["old step one", "old step two", "old step three"])
    catalog.replace(doc1, [points(c1, embedder, bm25)])
    doc2, c2 = version("/p/a.md", "A", "h2", ["new step one", "new step two"])
    source = catalog.replace(doc2, [points(c2, embedder, bm25)])
    assert source.chunk_count == 2 and source.file_hash == "h2"
    assert live_texts(catalog, "/p/a.md") == ["new step one", "new step two"]
    assert catalog.store.count(Criteria()) == 2  # the old version is gone, nothing pending


def test_newer_revision_supersedes_older(catalog, embedder, bm25):
    b, cb = version("/p/SOP-104 rev B.pdf", "SOP-104", "hb", ["torque to 85 N·m"], "B", "2022-05-01")
    c, cc = version("/p/SOP-104 rev C.pdf", "SOP-104", "hc", ["torque to 95 N·m"], "C", "2024-03-01")
    catalog.replace(c, [points(cc, embedder, bm25)])
    catalog.replace(b, [points(cb, embedder, bm25)])  # older revision arrives later
    flags = {s.revision: s.superseded for s in catalog.sources()}
    assert flags == {"B": True, "C": False}
    current = [ch.text for ch in catalog.store.scroll(CURRENT, 10)]
    assert current == ["torque to 95 N·m"]
    catalog.remove("/p/SOP-104 rev C.pdf")  # rev B becomes current again
    assert [s.superseded for s in catalog.sources()] == [False]
    assert [ch.text for ch in catalog.store.scroll(CURRENT, 10)] == ["torque to 85 N·m"]


def test_recovery_rolls_back_an_interrupted_write(edge_store, settings, embedder, bm25):
    cat = Catalog(edge_store, settings.state_db)
    doc1, c1 = version("/p/a.md", "A", "h1", ["v1 text"])
    cat.replace(doc1, [points(c1, embedder, bm25)])
    doc2, c2 = version("/p/a.md", "A", "h2", ["v2 text one", "v2 text two"])
    # Simulate a crash after half the new points were written.
    cat._journal(doc2.source_path, doc2.file_hash, "writing", None)
    edge_store.upsert(points(c2[:1], embedder, bm25))
    cat.close()
    cat = Catalog(edge_store, settings.state_db)  # recovery runs on open
    assert live_texts(cat, "/p/a.md") == ["v1 text"]
    assert edge_store.count(Criteria()) == 1
    assert cat.source("/p/a.md").file_hash == "h1"
    cat.close()


def test_recovery_rolls_forward_a_written_version(edge_store, settings, embedder, bm25):
    from assistant.domain import Source

    cat = Catalog(edge_store, settings.state_db)
    doc1, c1 = version("/p/a.md", "A", "h1", ["v1 text"])
    cat.replace(doc1, [points(c1, embedder, bm25)])
    doc2, c2 = version("/p/a.md", "A", "h2", ["v2 text"])
    edge_store.upsert(points(c2, embedder, bm25))
    src = Source("A", "/p/a.md", "A", DocKind.SOP, "h2", 1, "2026-01-01T00:00:00+00:00")
    cat._journal("/p/a.md", "h2", "written", src)  # crash right after this
    cat.close()
    cat = Catalog(edge_store, settings.state_db)
    assert live_texts(cat, "/p/a.md") == ["v2 text"]
    assert edge_store.count(Criteria()) == 1
    assert cat.source("/p/a.md").file_hash == "h2"
    cat.close()


def test_revision_order():
    assert sorted(["10", "2", "1.1"], key=revision_key) == ["1.1", "2", "10"]
    assert sorted(["C", "B", "AA"], key=revision_key) == ["B", "C", "AA"]


# ---- tables, vocabulary and facets move with their source ----


def _table(rows):
    from assistant.tables.columns import infer_columns
    from assistant.tables.store import TableWrite

    headers = ("Part No", "Description", "Unit Price")
    return TableWrite("", "table", infer_columns(headers, rows), rows, tuple(range(2, len(rows) + 2)),
                      tuple(f"c{i}" for i in range(len(rows))))


def _with_tables(edge_store, settings):
    from assistant.tables.store import TableStore

    tables = TableStore(settings.tables_db)
    return Catalog(edge_store, settings.state_db, tables=tables), tables


def _prices(tables) -> list:
    [info] = tables.tables()
    return sorted(r[0] for r in tables.query(f'SELECT c2 FROM "{info.sql_name}"'))


def test_a_new_version_replaces_its_table_vocabulary_and_facets_at_once(edge_store, settings, embedder, bm25):
    cat, tables = _with_tables(edge_store, settings)
    doc1, c1 = version("/p/parts.csv", "P", "h1", ["LW-1 brake disc 12.50", "LW-2 tire 80.00"])
    cat.replace(doc1, [points(c1, embedder, bm25)], [_table([("LW-1", "brake disc", "12.50"), ("LW-2", "tire", "80.00")])])
    assert _prices(tables) == [12.5, 80.0]
    assert cat.document_frequency(["brake", "wheel"]) == {"brake": 1, "wheel": 0}
    doc2, c2 = version("/p/parts.csv", "P", "h2", ["LW-1 wheel bearing 15.00"])
    cat.replace(doc2, [points(c2, embedder, bm25)], [_table([("LW-1", "wheel bearing", "15.00")])])
    assert _prices(tables) == [15.0] and len(tables.tables()) == 1
    assert cat.document_frequency(["brake", "wheel"]) == {"brake": 0, "wheel": 1}
    assert cat.facet("kind") == {"sop": 1} and cat.check() == []
    cat.remove("/p/parts.csv")
    assert tables.tables() == [] and cat.facet("kind") == {} and cat.document_frequency(["wheel"]) == {"wheel": 0}
    cat.close()
    tables.close()


def test_recovery_drops_a_half_written_table_and_keeps_the_published_one(edge_store, settings, embedder, bm25):
    cat, tables = _with_tables(edge_store, settings)
    doc1, c1 = version("/p/parts.csv", "P", "h1", ["LW-1 brake disc 12.50"])
    cat.replace(doc1, [points(c1, embedder, bm25)], [_table([("LW-1", "brake disc", "12.50")])])

    def crash():  # the new version's rows and table are written, then the process dies mid-batches
        yield points(version("/p/parts.csv", "P", "h2", ["LW-1 hub 99.00"])[1], embedder, bm25)
        raise KeyboardInterrupt

    doc2, _ = version("/p/parts.csv", "P", "h2", ["LW-1 hub 99.00"])
    try:
        cat.replace(doc2, crash(), [_table([("LW-1", "hub", "99.00")])])
    except KeyboardInterrupt:
        pass
    assert tables.pending_count() == 1  # written, not published: answers do not see it
    cat.close()
    cat, tables = _with_tables(edge_store, settings)  # recovery runs on open
    assert _prices(tables) == [12.5] and tables.pending_count() == 0
    assert cat.document_frequency(["hub", "brake"]) == {"hub": 0, "brake": 1}
    assert cat.check() == []
    cat.close()
    tables.close()
