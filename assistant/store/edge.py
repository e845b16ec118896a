"""Qdrant Edge: the Qdrant engine in-process, the default store.

One folder, one process: a second opener fails on the WAL lock, which is
reported as `StoreBusy` so the caller can hand its work to the owner instead.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Sequence

from assistant.domain import Chunk
from assistant.errors import StoreBusy, StoreError
from assistant.store.base import DENSE, PAYLOAD_INDEXES, SPARSE, Criteria, PointWrite, Scored, SparseVec, plain

log = logging.getLogger(__name__)


def _qe():
    import qdrant_edge

    return qdrant_edge


def _condition(qe, key: str, value: Any):
    value = plain(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return qe.FieldCondition(key=key, match=qe.MatchAny(list(value)))
    return qe.FieldCondition(key=key, match=qe.MatchValue(value))


def to_filter(where: Criteria):
    """Criteria -> qdrant_edge.Filter (None when empty)."""
    qe = _qe()
    must = [_condition(qe, k, v) for k, v in (where.equals or {}).items()]
    must_not = [_condition(qe, k, v) for k, v in (where.not_equals or {}).items()]
    for key, (low, high) in (where.ranges or {}).items():
        if isinstance(low, str) or isinstance(high, str):
            rng = qe.RangeDateTime(gte=low, lte=high)
        else:
            rng = qe.RangeFloat(gte=low, lte=high)
        must.append(qe.FieldCondition(key=key, range=rng))
    for key, values in (where.contains_all or {}).items():
        must.extend(_condition(qe, key, v) for v in values)
    if not must and not must_not:
        return None
    return qe.Filter(must=must or None, must_not=must_not or None)


class EdgeStore:
    def __init__(self, path: Path, dim: int, search_threads: int | None = None):
        qe = _qe()
        self.path = path
        self._lock = threading.Lock()  # EdgeShard calls are serialised per process
        try:
            if (path / "edge_config.json").exists() or any(path.glob("segments*")) or (path / "wal").exists():
                self.shard = qe.EdgeShard.load(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                config = qe.EdgeConfig(
                    vectors={DENSE: qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)},
                    sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
                    max_search_threads=search_threads,
                )
                self.shard = qe.EdgeShard.create(str(path), config)
                self._create_indexes()
        except Exception as exc:  # the bindings raise a bare Exception
            if "WouldBlock" in str(exc) or "lock" in str(exc).lower():
                raise StoreBusy(
                    f"store {path} is open in another process; stop it, or run this command while "
                    "`floorwise serve` runs so it is handed to the server"
                ) from exc
            raise StoreError(f"cannot open store {path}: {exc}") from exc

    def _create_indexes(self) -> None:
        qe = _qe()
        kinds = {
            "keyword": qe.PayloadSchemaType.Keyword,
            "datetime": qe.PayloadSchemaType.Datetime,
            "integer": qe.PayloadSchemaType.Integer,
        }
        for field, kind in PAYLOAD_INDEXES.items():
            self.shard.update(qe.UpdateOperation.create_field_index(field, kinds[kind]))

    def upsert(self, points: Sequence[PointWrite]) -> None:
        qe = _qe()
        batch = [
            qe.Point(
                id=p.chunk.chunk_id,
                vector={DENSE: list(map(float, p.dense)), SPARSE: qe.SparseVector(list(p.sparse.indices), list(p.sparse.values))},
                payload={**p.chunk.to_payload(), "pending": int(p.pending)},
            )
            for p in points
        ]
        with self._lock:
            self.shard.update(qe.UpdateOperation.upsert_points(batch))

    def delete(self, where: Criteria) -> None:
        flt = to_filter(where)
        if flt is None:
            raise StoreError("refusing to delete with an empty filter")
        with self._lock:
            self.shard.update(_qe().UpdateOperation.delete_points_by_filter(flt))

    def set_payload(self, where: Criteria, values: dict[str, Any]) -> None:
        with self._lock:
            self.shard.update(_qe().UpdateOperation.set_payload_by_filter(to_filter(where), {k: plain(v) for k, v in values.items()}))

    def hybrid(self, dense, sparse: SparseVec, where: Criteria, limit: int, prefetch: int) -> list[Scored]:
        qe = _qe()
        flt = to_filter(where)
        request = qe.QueryRequest(
            prefetches=[
                qe.Prefetch(query=qe.Query.Nearest(list(dense), using=DENSE), limit=prefetch, filter=flt),
                qe.Prefetch(
                    query=qe.Query.Nearest(qe.SparseVector(list(sparse.indices), list(sparse.values)), using=SPARSE),
                    limit=prefetch,
                    filter=flt,
                ),
            ],
            query=qe.Fusion.Rrf(k=60),
            limit=limit,
            with_payload=True,
        )
        return self._scored(request)

    def dense(self, dense, where: Criteria, limit: int) -> list[Scored]:
        qe = _qe()
        request = qe.QueryRequest(
            query=qe.Query.Nearest(list(dense), using=DENSE), filter=to_filter(where), limit=limit, with_payload=True
        )
        return self._scored(request)

    def sparse(self, sparse: SparseVec, where: Criteria, limit: int) -> list[Scored]:
        qe = _qe()
        vector = qe.SparseVector(list(sparse.indices), list(sparse.values))
        request = qe.QueryRequest(
            query=qe.Query.Nearest(vector, using=SPARSE), filter=to_filter(where), limit=limit, with_payload=True
        )
        return self._scored(request)

    def _scored(self, request) -> list[Scored]:
        with self._lock:
            points = self.shard.query(request)
        return [Scored(Chunk.from_payload(p.payload), float(p.score)) for p in points]

    def count(self, where: Criteria) -> int:
        qe = _qe()
        with self._lock:
            return int(self.shard.count(qe.CountRequest(filter=to_filter(where), exact=True)))

    def scroll(self, where: Criteria, limit: int, order_by: str | None = None, descending: bool = False) -> list[Chunk]:
        qe = _qe()
        order = None
        if order_by:
            direction = qe.Direction.Desc if descending else qe.Direction.Asc
            order = qe.OrderBy(key=order_by, direction=direction)
        out: list[Chunk] = []
        offset = None
        while len(out) < limit:
            request = qe.ScrollRequest(
                filter=to_filter(where), limit=min(limit - len(out), 1000), with_payload=True, order_by=order,
                offset=offset,
            )
            with self._lock:
                records, offset = self.shard.scroll(request)
            out.extend(Chunk.from_payload(r.payload) for r in records)
            if offset is None or not records or order is not None:
                break
        return out

    def facet(self, key: str, where: Criteria, limit: int = 100) -> dict[str, int]:
        qe = _qe()
        with self._lock:
            response = self.shard.facet(qe.FacetRequest(key=key, limit=limit, exact=True, filter=to_filter(where)))
        return {str(hit.value): int(hit.count) for hit in response.hits if hit.count}

    def points_count(self) -> int:
        with self._lock:
            return int(self.shard.info().points_count)

    def flush(self) -> None:
        with self._lock:
            self.shard.flush()

    def close(self) -> None:
        with self._lock:
            if self.shard is not None:
                self.shard.flush()
                self.shard.close()
                self.shard = None
