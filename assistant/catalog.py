"""The catalog: which document versions the store holds, changed atomically.

A source (one file, keyed by its path) is replaced in three steps:

1. journal the intent in SQLite, then write the new chunks marked `pending`
   (readers never see pending chunks);
2. mark the journal entry `written` once every new chunk is flushed;
3. under the write lock: delete the old version's chunks, clear `pending` on the
   new ones, update the registry and the superseded flags, drop the journal entry.

Readers take the read lock, so within the owning process nobody sees both
versions or neither. After a crash, `recover()` rolls a `written` entry forward
and a `writing` entry back, so the store holds no duplicates and no orphans and
the next ingest run completes the job.

A source's tables (CSV, sheets, document tables) go to the `TableStore` in
the same steps: written pending in step 1, published in step 3, dropped on
rollback, so SQL answers and passages always come from one version.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from assistant.domain import DocKind, Document, Source
from assistant.store.base import Criteria, PointWrite, Store
from assistant.text import terms

if TYPE_CHECKING:
    from assistant.tables.store import TableStore, TableWrite

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    source_path TEXT PRIMARY KEY, doc_id TEXT NOT NULL, title TEXT, kind TEXT NOT NULL,
    file_hash TEXT NOT NULL, chunk_count INTEGER NOT NULL, ingested_at TEXT NOT NULL,
    revision TEXT, effective_date TEXT, superseded INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS journal (
    source_path TEXT PRIMARY KEY, new_hash TEXT, phase TEXT NOT NULL, source_json TEXT
);
CREATE TABLE IF NOT EXISTS vocabulary (
    source_path TEXT NOT NULL, file_hash TEXT NOT NULL, term TEXT NOT NULL, chunks INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS vocabulary_term ON vocabulary(term);
CREATE TABLE IF NOT EXISTS facets (
    source_path TEXT NOT NULL, file_hash TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
    chunks INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS facets_field ON facets(field);
CREATE INDEX IF NOT EXISTS vocabulary_source ON vocabulary(source_path);
"""


def _count_chunk(chunk, vocabulary: dict[str, int], facets: dict[tuple[str, str], int]) -> None:
    """Add one chunk's words and facet values (asset ids, kind) to the running counts."""
    for term in set(terms(chunk.embedding_text())):
        vocabulary[term] = vocabulary.get(term, 0) + 1
    for key in {("kind", chunk.kind.value), *(("asset_ids", a) for a in chunk.asset_ids)}:
        facets[key] = facets.get(key, 0) + 1


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ReadWriteLock:
    """Many readers or one writer (writers are preferred once waiting)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting_writers += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def revision_key(revision: str | None) -> tuple:
    """Order revisions: 'B' < 'C', '2' < '10', missing first.

    >>> sorted(["C", None, "B"], key=revision_key)
    [None, 'B', 'C']
    """
    if not revision:
        return (0, 0, "")
    text = revision.strip().upper()
    if re.fullmatch(r"\d+(\.\d+)*", text):
        return (1, tuple(int(p) for p in text.split(".")), "")
    return (2, 0, text.rjust(4))


class Catalog:
    def __init__(self, store: Store, db_path: Path, tables: "TableStore | None" = None):
        self.store = store
        self.tables = tables
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(db_path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db_lock = threading.Lock()
        self.lock = ReadWriteLock()
        self.recover()
        self._backfill_vocabulary()

    # -- reading ---------------------------------------------------------------
    def reading(self):
        return self.lock.reading()

    def sources(self) -> list[Source]:
        with self._db_lock:
            rows = self._db.execute("SELECT * FROM sources ORDER BY source_path").fetchall()
        return [self._row_to_source(r) for r in rows]

    def source(self, source_path: str) -> Source | None:
        with self._db_lock:
            row = self._db.execute("SELECT * FROM sources WHERE source_path=?", (source_path,)).fetchone()
        return self._row_to_source(row) if row else None

    @staticmethod
    def _row_to_source(row) -> Source:
        (path, doc_id, title, kind, file_hash, count, at, revision, effective, superseded) = row
        return Source(doc_id, path, title, DocKind(kind), file_hash, count, at, revision, effective, bool(superseded))

    # -- writing ---------------------------------------------------------------
    def replace(
        self, doc: Document, batches: Iterable[Sequence[PointWrite]], tables: "Sequence[TableWrite]" = ()
    ) -> Source:
        """Write a new version of `doc.source_path` (chunks and tables) and swap it in atomically."""
        self._journal(doc.source_path, doc.file_hash, "writing", None)
        if self.tables is not None and tables:
            self.tables.write(doc.source_path, doc.file_hash, doc.doc_id, doc.title, tables)
        count = 0
        vocabulary: dict[str, int] = {}  # term -> chunks using it
        facets: dict[tuple[str, str], int] = {}  # (field, value) -> chunks
        for batch in batches:
            self.store.upsert(batch)
            count += len(batch)
            for point in batch:
                _count_chunk(point.chunk, vocabulary, facets)
        self._write_vocabulary(doc.source_path, doc.file_hash, vocabulary, facets)
        self.store.flush()
        source = Source(
            doc.doc_id, doc.source_path, doc.title, doc.kind, doc.file_hash, count, now_iso(),
            doc.revision, doc.effective_date,
        )
        self._journal(doc.source_path, doc.file_hash, "written", source)
        self._commit(source)
        return self.source(doc.source_path) or source

    def _write_vocabulary(self, path: str, file_hash: str, vocabulary: dict[str, int],
                          facets: dict[tuple[str, str], int]) -> None:
        """The new version's words and facet values, beside the old ones until the swap drops those."""
        with self._db_lock:
            self._db.execute("BEGIN")
            for table in ("vocabulary", "facets"):
                self._db.execute(f"DELETE FROM {table} WHERE source_path=? AND file_hash=?", (path, file_hash))
            self._db.executemany("INSERT INTO vocabulary VALUES (?,?,?,?)",
                                 ((path, file_hash, t, n) for t, n in vocabulary.items()))
            self._db.executemany("INSERT INTO facets VALUES (?,?,?,?,?)",
                                 ((path, file_hash, f, v, n) for (f, v), n in facets.items()))
            self._db.execute("COMMIT")

    def facet(self, field: str) -> dict[str, int]:
        """Value -> passages, over the published sources: the asset list (`asset_ids`) or the kinds
        (`kind`), kept at ingest so no request has to facet the store (2 s at a million chunks)."""
        with self._db_lock:
            rows = self._db.execute(
                "SELECT f.value, SUM(f.chunks) FROM facets f JOIN sources s ON s.source_path = f.source_path "
                "AND s.file_hash = f.file_hash WHERE f.field = ? GROUP BY f.value ORDER BY f.value", (field,)
            ).fetchall()
        return {value: int(n) for value, n in rows}

    def _backfill_vocabulary(self) -> None:
        """A store written before the vocabulary existed gets it once, from its chunks."""
        with self._db_lock:
            have = {r[0] for r in self._db.execute(
                "SELECT DISTINCT v.source_path FROM vocabulary v JOIN facets f ON f.source_path = v.source_path")}
        missing = [s for s in self.sources() if s.source_path not in have]
        for source in missing:
            vocabulary: dict[str, int] = {}
            facets: dict[tuple[str, str], int] = {}
            for chunk in self.store.scroll(Criteria(equals={"source_path": source.source_path}), limit=10_000_000):
                _count_chunk(chunk, vocabulary, facets)
            self._write_vocabulary(source.source_path, source.file_hash, vocabulary, facets)
        if missing:
            log.info("vocabulary built for %d sources ingested before it existed", len(missing))

    def document_frequency(self, words: Iterable[str]) -> dict[str, int]:
        """How many passages of the published sources use each (stemmed) word, or a word of its root.

        A question word no passage uses at all is one the documents cannot answer about.
        """
        out: dict[str, int] = {}
        with self._db_lock:
            for word in dict.fromkeys(words):
                pattern = (word[:-1] if len(word) >= 6 else word) + ("%" if len(word) >= 4 else "")
                row = self._db.execute(
                    "SELECT COALESCE(SUM(v.chunks), 0) FROM vocabulary v JOIN sources s "
                    "ON s.source_path = v.source_path AND s.file_hash = v.file_hash WHERE v.term LIKE ?", (pattern,)
                ).fetchone()
                out[word] = int(row[0])
        return out

    def remove(self, source_path: str) -> bool:
        existing = self.source(source_path)
        if existing is None:
            return False
        self._journal(source_path, None, "removing", existing)
        self._commit_remove(existing)
        return True

    def _journal(self, path: str, new_hash: str | None, phase: str, source: Source | None) -> None:
        payload = json.dumps({**asdict(source), "kind": source.kind.value}) if source else None
        with self._db_lock:
            self._db.execute(
                "INSERT OR REPLACE INTO journal VALUES (?,?,?,?)", (path, new_hash, phase, payload)
            )

    def _commit(self, source: Source) -> None:
        with self.lock.writing():
            self.store.delete(
                Criteria(equals={"source_path": source.source_path}, not_equals={"file_hash": source.file_hash})
            )
            self.store.set_payload(
                Criteria(equals={"source_path": source.source_path, "file_hash": source.file_hash}),
                {"pending": False},
            )
            if self.tables is not None:
                self.tables.commit(source.source_path, source.file_hash)
            with self._db_lock:
                self._db.execute("BEGIN")
                self._db.execute(
                    "INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?,?,0)",
                    (source.source_path, source.doc_id, source.title, source.kind.value, source.file_hash,
                     source.chunk_count, source.ingested_at, source.revision, source.effective_date),
                )
                for table in ("vocabulary", "facets"):
                    self._db.execute(f"DELETE FROM {table} WHERE source_path=? AND file_hash!=?",
                                     (source.source_path, source.file_hash))
                self._db.execute("COMMIT")
            self._refresh_superseded(source.doc_id)
            self.store.flush()
            with self._db_lock:
                self._db.execute("DELETE FROM journal WHERE source_path=?", (source.source_path,))

    def _commit_remove(self, source: Source) -> None:
        with self.lock.writing():
            self.store.delete(Criteria(equals={"source_path": source.source_path}))
            if self.tables is not None:
                self.tables.remove(source.source_path)
            with self._db_lock:
                self._db.execute("DELETE FROM sources WHERE source_path=?", (source.source_path,))
                self._db.execute("DELETE FROM vocabulary WHERE source_path=?", (source.source_path,))
                self._db.execute("DELETE FROM facets WHERE source_path=?", (source.source_path,))
            self._refresh_superseded(source.doc_id)
            self.store.flush()
            with self._db_lock:
                self._db.execute("DELETE FROM journal WHERE source_path=?", (source.source_path,))

    def _refresh_superseded(self, doc_id: str) -> None:
        """Within a document id, only the newest SOP revision is current."""
        group = [s for s in self.sources() if s.doc_id == doc_id]
        if not group:
            return
        newest = max(group, key=lambda s: (s.effective_date or "", revision_key(s.revision)))
        for s in group:
            flag = s.kind is DocKind.SOP and s is not newest and len(group) > 1
            # New chunks arrive with superseded=0, so a True flag is always (re)written.
            if flag or s.superseded:
                self.store.set_payload(Criteria(equals={"source_path": s.source_path}), {"superseded": flag})
            with self._db_lock:
                self._db.execute("UPDATE sources SET superseded=? WHERE source_path=?", (int(flag), s.source_path))

    def check(self) -> list[str]:
        """Consistency problems between the catalog and the store (empty when healthy)."""
        problems: list[str] = []
        pending = self.store.count(Criteria(equals={"pending": True}))
        if pending:
            problems.append(f"{pending} pending chunks outside any running write")
        sources = {s.source_path: s for s in self.sources()}
        per_path = self.store.facet("source_path", Criteria(), limit=1_000_000)
        for path, count in per_path.items():
            source = sources.get(path)
            if source is None:
                problems.append(f"{count} orphan chunks of {path} (not in the catalog)")
            elif count != source.chunk_count:
                problems.append(f"{path}: {count} chunks in the store, catalog says {source.chunk_count}")
        for path, source in sources.items():
            if path not in per_path:
                problems.append(f"{path}: in the catalog but has no chunks")
            elif self.store.count(Criteria(equals={"source_path": path}, not_equals={"file_hash": source.file_hash})):
                problems.append(f"{path}: chunks of two versions")
        if self.tables is not None:
            problems += self._check_tables(sources)
        return problems

    def _check_tables(self, sources: dict[str, Source]) -> list[str]:
        problems = []
        if self.tables.pending_count():
            problems.append(f"{self.tables.pending_count()} pending tables outside any running write")
        for table in self.tables.tables():
            source = sources.get(table.source_path)
            if source is None:
                problems.append(f"orphan table {table.label} of {table.source_path} (not in the catalog)")
            elif source.file_hash != table.file_hash:
                problems.append(f"{table.source_path}: table {table.label} is of another version")
        return problems

    # -- recovery --------------------------------------------------------------
    def recover(self) -> list[str]:
        """Finish or undo what a crashed run left in the journal. Returns the paths touched."""
        with self._db_lock:
            entries = self._db.execute("SELECT source_path, new_hash, phase, source_json FROM journal").fetchall()
        for path, new_hash, phase, source_json in entries:
            source = None
            if source_json:
                data = json.loads(source_json)
                source = Source(**{**data, "kind": DocKind(data["kind"])})
            if phase == "written" and source is not None:
                log.warning("recovery: completing interrupted update of %s", path)
                self._commit(source)
            elif phase == "removing" and source is not None:
                log.warning("recovery: completing interrupted removal of %s", path)
                self._commit_remove(source)
            else:
                log.warning("recovery: rolling back interrupted write of %s", path)
                self.store.delete(Criteria(equals={"source_path": path, "pending": True}))
                if self.tables is not None:
                    self.tables.rollback(path)
                with self._db_lock:
                    for table in ("vocabulary", "facets"):
                        self._db.execute(f"DELETE FROM {table} WHERE source_path=? AND file_hash=?", (path, new_hash))
                self.store.flush()
                with self._db_lock:
                    self._db.execute("DELETE FROM journal WHERE source_path=?", (path,))
        return [e[0] for e in entries]

    def close(self) -> None:
        with self._db_lock:
            self._db.close()
