"""A Qdrant server or cluster through qdrant-client: the scale-out store.

Same vectors and payload as Qdrant Edge. Tests drive this class with
qdrant-client's local mode (`QdrantClient(":memory:")`), which implements the
same API in-process.
"""

from __future__ import annotations

from typing import Any, Sequence

from assistant.domain import Chunk
from assistant.errors import StoreError
from assistant.store.base import (
    DENSE, PAYLOAD_INDEXES, SPARSE, Criteria, IndexState, PointWrite, Scored, SparseVec, plain,
)


def _models():
    from qdrant_client import models

    return models


def _condition(m, key: str, value: Any):
    value = plain(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return m.FieldCondition(key=key, match=m.MatchAny(any=list(value)))
    return m.FieldCondition(key=key, match=m.MatchValue(value=value))


def to_filter(where: Criteria):
    m = _models()
    must = [_condition(m, k, v) for k, v in (where.equals or {}).items()]
    must_not = [_condition(m, k, v) for k, v in (where.not_equals or {}).items()]
    for key, (low, high) in (where.ranges or {}).items():
        if isinstance(low, str) or isinstance(high, str):
            must.append(m.FieldCondition(key=key, range=m.DatetimeRange(gte=low, lte=high)))
        else:
            must.append(m.FieldCondition(key=key, range=m.Range(gte=low, lte=high)))
    for key, values in (where.contains_all or {}).items():
        must.extend(_condition(m, key, v) for v in values)
    if not must and not must_not:
        return None
    return m.Filter(must=must or None, must_not=must_not or None)


class ServerStore:
    def __init__(self, client, collection: str, dim: int):
        self.client = client
        self.collection = collection
        try:
            if not client.collection_exists(collection):
                self._create(dim)
        except Exception as exc:  # connection errors come in many types
            raise StoreError(f"cannot reach Qdrant for collection {collection!r}: {exc}; check store.url") from exc

    @classmethod
    def connect(cls, url: str, api_key: str | None, collection: str, dim: int) -> "ServerStore":
        from qdrant_client import QdrantClient

        return cls(QdrantClient(url=url, api_key=api_key, timeout=30), collection, dim)

    def _create(self, dim: int) -> None:
        m = _models()
        self.client.create_collection(
            self.collection,
            vectors_config={DENSE: m.VectorParams(size=dim, distance=m.Distance.COSINE)},
            sparse_vectors_config={SPARSE: m.SparseVectorParams(modifier=m.Modifier.IDF)},
        )
        schemas = {
            "keyword": m.PayloadSchemaType.KEYWORD,
            "datetime": m.PayloadSchemaType.DATETIME,
            "integer": m.PayloadSchemaType.INTEGER,
        }
        for field, kind in PAYLOAD_INDEXES.items():
            self.client.create_payload_index(self.collection, field, schemas[kind])

    @staticmethod
    def _sparse(vec: SparseVec):
        return _models().SparseVector(indices=list(vec.indices), values=list(vec.values))

    def upsert(self, points: Sequence[PointWrite]) -> None:
        m = _models()
        batch = [
            m.PointStruct(
                id=p.chunk.chunk_id,
                vector={DENSE: list(map(float, p.dense)), SPARSE: self._sparse(p.sparse)},
                payload={**p.chunk.to_payload(), "pending": int(p.pending)},
            )
            for p in points
        ]
        self.client.upsert(self.collection, batch, wait=True)

    def delete(self, where: Criteria) -> None:
        flt = to_filter(where)
        if flt is None:
            raise StoreError("refusing to delete with an empty filter")
        self.client.delete(self.collection, points_selector=_models().FilterSelector(filter=flt), wait=True)

    def set_payload(self, where: Criteria, values: dict[str, Any]) -> None:
        self.client.set_payload(self.collection, payload={k: plain(v) for k, v in values.items()}, points=to_filter(where), wait=True)

    def hybrid(self, dense, sparse: SparseVec, where: Criteria, limit: int, prefetch: int) -> list[Scored]:
        m = _models()
        flt = to_filter(where)
        response = self.client.query_points(
            self.collection,
            prefetch=[
                m.Prefetch(query=list(dense), using=DENSE, limit=prefetch, filter=flt),
                m.Prefetch(query=self._sparse(sparse), using=SPARSE, limit=prefetch, filter=flt),
            ],
            query=m.FusionQuery(fusion=m.Fusion.RRF),
            limit=limit,
            with_payload=True,
        )
        return [Scored(Chunk.from_payload(p.payload), float(p.score)) for p in response.points]

    def dense(self, dense, where: Criteria, limit: int) -> list[Scored]:
        response = self.client.query_points(
            self.collection, query=list(dense), using=DENSE, query_filter=to_filter(where), limit=limit,
            with_payload=True,
        )
        return [Scored(Chunk.from_payload(p.payload), float(p.score)) for p in response.points]

    def sparse(self, sparse: SparseVec, where: Criteria, limit: int) -> list[Scored]:
        response = self.client.query_points(
            self.collection, query=self._sparse(sparse), using=SPARSE, query_filter=to_filter(where), limit=limit,
            with_payload=True,
        )
        return [Scored(Chunk.from_payload(p.payload), float(p.score)) for p in response.points]

    def count(self, where: Criteria) -> int:
        return int(self.client.count(self.collection, count_filter=to_filter(where), exact=True).count)

    def scroll(self, where: Criteria, limit: int, order_by: str | None = None, descending: bool = False) -> list[Chunk]:
        m = _models()
        order = None
        if order_by:
            order = m.OrderBy(key=order_by, direction=m.Direction.DESC if descending else m.Direction.ASC)
        out: list[Chunk] = []
        offset = None
        while len(out) < limit:
            records, offset = self.client.scroll(
                self.collection, scroll_filter=to_filter(where), limit=min(limit - len(out), 1000),
                with_payload=True, order_by=order, offset=offset,
            )
            out.extend(Chunk.from_payload(r.payload) for r in records)
            if offset is None or not records or order is not None:
                break
        return out

    def facet(self, key: str, where: Criteria, limit: int = 100) -> dict[str, int]:
        response = self.client.facet(self.collection, key=key, facet_filter=to_filter(where), limit=limit, exact=True)
        return {str(hit.value): int(hit.count) for hit in response.hits if hit.count}

    def points_count(self) -> int:
        return int(self.client.count(self.collection, exact=True).count)

    def index_state(self) -> IndexState:
        """A Qdrant server builds its HNSW graphs in the background by itself."""
        return IndexState("server", points=self.points_count())

    def optimize(self, progress=None, force: bool = False) -> IndexState:
        state = self.index_state()
        if progress:
            progress(state)
        return state

    def flush(self) -> None:
        """Writes use wait=True; nothing is buffered client-side."""

    def close(self) -> None:
        self.client.close()
