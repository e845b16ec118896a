"""The store seam: one narrow interface, two real back ends (Qdrant Edge, Qdrant server).

Filters are expressed backend-neutrally as `Criteria`; each back end translates
them into its own filter objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from assistant.domain import Chunk

DENSE = "dense"
SPARSE = "bm25"

# Payload indexes created on every store: field -> schema kind.
PAYLOAD_INDEXES = {
    "kind": "keyword",
    "doc_id": "keyword",
    "source_path": "keyword",
    "file_hash": "keyword",
    "asset_ids": "keyword",
    "equipment_ids": "keyword",
    "id_tokens": "keyword",
    "revision": "keyword",
    "wo_id": "keyword",
    "wo_asset": "keyword",
    "wo_failure_code": "keyword",
    "wo_date": "datetime",
    "wo_terms": "keyword",
    # Flags are stored as 0/1: qdrant-edge-py 0.9 does not match Python bools.
    "superseded": "integer",
    "pending": "integer",
    "ordinal": "integer",
    "step": "keyword",
}


def plain(value: Any) -> Any:
    """Flags as 0/1 on the wire, lists as lists.

    >>> plain(True), plain(("a",))
    (1, ['a'])
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class SparseVec:
    indices: tuple[int, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Criteria:
    """A conjunction of payload conditions.

    `equals`: field -> value or tuple of values (any of them matches).
    `not_equals`: field -> value that must not match.
    `ranges`: field -> (gte, lte) ISO datetimes or numbers, either may be None.

    >>> Criteria(equals={"kind": "sop"}).and_(Criteria(not_equals={"pending": True})).equals
    {'kind': 'sop'}
    """

    equals: dict[str, Any] | None = None
    not_equals: dict[str, Any] | None = None
    ranges: dict[str, tuple[Any, Any]] | None = None
    contains_all: dict[str, tuple] | None = None  # array field -> values that must all be present

    def and_(self, other: "Criteria") -> "Criteria":
        def merge(a, b):
            return {**(a or {}), **(b or {})} or None

        contains = dict(self.contains_all or {})
        for key, values in (other.contains_all or {}).items():
            contains[key] = tuple(dict.fromkeys((*contains.get(key, ()), *values)))
        return Criteria(
            merge(self.equals, other.equals),
            merge(self.not_equals, other.not_equals),
            merge(self.ranges, other.ranges),
            contains or None,
        )


# What answers may see: no half-written versions, no superseded revisions.
LIVE = Criteria(not_equals={"pending": True})
CURRENT = Criteria(not_equals={"pending": True, "superseded": True})


@dataclass(frozen=True)
class PointWrite:
    chunk: Chunk
    dense: Sequence[float]
    sparse: SparseVec
    pending: bool = True


@dataclass(frozen=True)
class Scored:
    chunk: Chunk
    score: float


class Store(Protocol):
    """A collection of chunks with a dense and a BM25 sparse vector each."""

    def upsert(self, points: Sequence[PointWrite]) -> None: ...

    def delete(self, where: Criteria) -> None: ...

    def set_payload(self, where: Criteria, values: dict[str, Any]) -> None: ...

    def hybrid(
        self, dense: Sequence[float], sparse: SparseVec, where: Criteria, limit: int, prefetch: int
    ) -> list[Scored]: ...

    def dense(self, dense: Sequence[float], where: Criteria, limit: int) -> list[Scored]: ...

    def count(self, where: Criteria) -> int: ...

    def scroll(
        self, where: Criteria, limit: int, order_by: str | None = None, descending: bool = False
    ) -> list[Chunk]: ...

    def facet(self, key: str, where: Criteria, limit: int = 100) -> dict[str, int]: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
