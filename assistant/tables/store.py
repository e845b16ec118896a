"""Tables in SQLite, one physical table per ingested table, versioned like the vector store.

Why SQLite and not DuckDB: it is in the standard library (nothing to install
or pin on an air-gapped box), several processes may read one file while one
writes (DuckDB locks the file to one process, but a CLI verb must read while
the server runs), and its transactions let a source's new version appear in
one step. Work-order logs and reference tables hold thousands to a few hundred
thousand rows, where SQLite's scans take milliseconds.

A source's tables are written `pending` (invisible), then `commit` deletes the
other versions of that source and publishes the new one in one transaction;
`rollback` drops a half-written version. The catalog calls these in step with
the vector store, so both always hold the same version.

Physical table `t_<table_id>`: `_row` (row number in the file), `_chunk` (the
row's chunk id, for citations), `_terms` (" term term " of its text cells, for
matching words), then one typed column per header: `c0, c1, ...` (REAL for
numbers and money, ISO text for dates, text otherwise).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from assistant.tables.columns import Column, ColumnType
from assistant.identifiers import identifier_tokens
from assistant.text import iso_date, parse_number, terms

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tables (
    table_id TEXT PRIMARY KEY, source_path TEXT NOT NULL, file_hash TEXT NOT NULL, doc_id TEXT, title TEXT,
    name TEXT, kind TEXT NOT NULL, columns_json TEXT NOT NULL, row_count INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS tables_source ON tables(source_path);
"""


@dataclass(frozen=True)
class TableInfo:
    """One registered table (a sheet, a CSV, or a table inside a document)."""

    table_id: str
    source_path: str
    file_hash: str
    doc_id: str
    title: str  # the document's title
    name: str  # sheet name or "table 2"; "" for a CSV
    kind: str  # "work_order" | "table"
    columns: tuple[Column, ...]
    row_count: int

    @property
    def sql_name(self) -> str:
        return f't_{self.table_id}'

    @property
    def label(self) -> str:
        return f"{self.title} ({self.name})" if self.name else self.title


@dataclass(frozen=True)
class TableWrite:
    """What ingestion hands over: one table's typed columns and its rows with their chunk ids."""

    name: str
    kind: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[str]]  # raw cells, aligned to columns
    row_numbers: Sequence[int]
    chunk_ids: Sequence[str]  # the chunk each row became ("" when the row made none)


def table_id_for(source_path: str, file_hash: str, name: str) -> str:
    """
    >>> table_id_for("a.csv", "h", "") == table_id_for("a.csv", "h", ""), len(table_id_for("a.csv", "h", ""))
    (True, 16)
    """
    return hashlib.sha256(f"{source_path}\x1f{file_hash}\x1f{name}".encode()).hexdigest()[:16]


def typed_value(column: Column, raw: str):
    """A cell as stored: numbers as floats, dates as ISO text, empty as None.

    >>> from assistant.tables.columns import Column, ColumnType
    >>> typed_value(Column("Cost", ColumnType.MONEY), "$1,204.50"), typed_value(Column("D", ColumnType.DATE), "7/1/2004")
    (1204.5, '2004-07-01')
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    if column.type.numeric:
        return parse_number(raw)
    if column.type is ColumnType.DATE:
        return iso_date(raw) or raw
    return raw


def row_terms(columns: Sequence[Column], row: Sequence[str]) -> str:
    """The words of a row's text cells as ' term term ', for LIKE matching.

    >>> from assistant.tables.columns import Column, ColumnType
    >>> row_terms([Column("T", ColumnType.TEXT), Column("C", ColumnType.MONEY)], ["HYD LEAK at L/H cyl LW-20417", "12"])
    ' hydraulic leak left cylinder lw lw-20417 '
    """
    text = " ".join(v for c, v in zip(columns, row) if v and not c.type.numeric and c.type is not ColumnType.DATE)
    ids = [i.lower() for i in identifier_tokens(text)]
    return " " + " ".join([*terms(text), *ids]) + " "


def terms_match(forms: Iterable[str]) -> tuple[str, list[str]]:
    """SQL matching a row whose `row_terms` hold any of the stemmed forms, and its parameters.

    A form of four letters or more matches as a prefix ("leak" finds "leaking"); a final e is dropped
    first, since a row keeps "replac" for "Replaced" ("replace" finds it). Shorter forms match whole.

    >>> terms_match(["replace", "pin"])
    ('(_terms LIKE ? OR _terms LIKE ?)', ['% pin %', '% replac%'])
    """
    roots = sorted({f[:-1] if len(f) >= 5 and f.endswith("e") else f for f in forms})
    return ("(" + " OR ".join("_terms LIKE ?" for _ in roots) + ")",
            [f"% {f}%" if len(f) >= 4 else f"% {f} %" for f in roots])


class TableStore:
    """The SQL side of the catalog. Thread-safe; one connection, serialised."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._cache: dict[str, list[TableInfo]] = {}

    # -- writing -------------------------------------------------------------------------------
    def write(self, source_path: str, file_hash: str, doc_id: str, title: str, tables: Sequence[TableWrite]) -> None:
        """Write a source version's tables as pending (replacing a pending copy of the same version)."""
        with self._lock, self._transaction():
            self._drop(source_path, "file_hash = ?", (file_hash,))
            for table in tables:
                info = TableInfo(table_id_for(source_path, file_hash, table.name), source_path, file_hash, doc_id,
                                 title, table.name, table.kind, tuple(table.columns), len(table.rows))
                self._create(info, table)

    def _create(self, info: TableInfo, table: TableWrite) -> None:
        cols = ", ".join(f"c{i} {'REAL' if c.type.numeric else 'TEXT'}" for i, c in enumerate(info.columns))
        self._db.execute(f'CREATE TABLE "{info.sql_name}" (_row INTEGER, _chunk TEXT, _terms TEXT, {cols})')
        marks = ", ".join("?" for _ in range(len(info.columns) + 3))
        self._db.executemany(
            f'INSERT INTO "{info.sql_name}" VALUES ({marks})',
            (
                (number, chunk_id or None, row_terms(info.columns, row),
                 *(typed_value(c, row[i] if i < len(row) else "") for i, c in enumerate(info.columns)))
                for row, number, chunk_id in zip(table.rows, table.row_numbers, table.chunk_ids)
            ),
        )
        for i, column in enumerate(info.columns):  # the columns criteria filter on: ids, categories, dates
            if column.type in (ColumnType.CATEGORY, ColumnType.ID, ColumnType.DATE) or column.role:
                self._db.execute(f'CREATE INDEX "{info.sql_name}_c{i}" ON "{info.sql_name}"(c{i})')
        self._db.execute(
            "INSERT INTO tables VALUES (?,?,?,?,?,?,?,?,?,1)",
            (info.table_id, info.source_path, info.file_hash, info.doc_id, info.title, info.name, info.kind,
             json.dumps([c.to_dict() for c in info.columns]), info.row_count),
        )

    def commit(self, source_path: str, file_hash: str) -> None:
        """Publish `file_hash`'s tables for `source_path` and drop every other version, in one step."""
        with self._lock, self._transaction():
            self._drop(source_path, "file_hash != ?", (file_hash,))
            self._db.execute("UPDATE tables SET pending=0 WHERE source_path=? AND file_hash=?", (source_path, file_hash))

    def remove(self, source_path: str) -> None:
        with self._lock, self._transaction():
            self._drop(source_path, "1=1", ())

    def rollback(self, source_path: str) -> None:
        """Drop a half-written (pending) version of `source_path`."""
        with self._lock, self._transaction():
            self._drop(source_path, "pending=1", ())

    def _drop(self, source_path: str, condition: str, params: tuple) -> None:
        rows = self._db.execute(
            f"SELECT table_id FROM tables WHERE source_path=? AND {condition}", (source_path, *params)
        ).fetchall()
        for (table_id,) in rows:
            self._db.execute(f'DROP TABLE IF EXISTS "t_{table_id}"')
            self._db.execute("DELETE FROM tables WHERE table_id=?", (table_id,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
            self._cache.clear()

    # -- reading -------------------------------------------------------------------------------
    def tables(self, kind: str | None = None) -> list[TableInfo]:
        """Published tables, work-order logs first, then by source and name."""
        key = kind or ""
        with self._lock:
            if key not in self._cache:
                where, params = ("pending=0 AND kind=?", (kind,)) if kind else ("pending=0", ())
                rows = self._db.execute(
                    f"SELECT table_id, source_path, file_hash, doc_id, title, name, kind, columns_json, row_count "
                    f"FROM tables WHERE {where} ORDER BY kind != 'work_order', source_path, name", params
                ).fetchall()
                self._cache[key] = [
                    TableInfo(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5] or "", r[6],
                              tuple(Column.from_dict(c) for c in json.loads(r[7])), r[8])
                    for r in rows
                ]
            return list(self._cache[key])

    def pending_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM tables WHERE pending=1").fetchone()[0]

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()
