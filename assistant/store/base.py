"""The store seam: one narrow interface, two real back ends (Qdrant Edge, Qdrant server).

Filters are expressed backend-neutrally as `Criteria`; each back end translates
them into its own filter objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Protocol, Sequence

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
    "chunk_id": "keyword",  # table answers fetch the rows they cite by id
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


@dataclass(frozen=True)
class IndexState:
    """How dense search runs: an exact scan, on an HNSW graph, or exact while a graph is built.

    `state`: "exact scan" (no graph), "indexed" (every chunk worth indexing is on a graph),
    "partly indexed" (recent chunks are scanned exactly until the next build), "building",
    or "server" (a Qdrant server indexes by itself).

    >>> IndexState("indexed", points=30_000, indexed=30_000, segments=2).describe()
    'indexed, 2 segments (30,000 of 30,000 chunks on the graph)'
    >>> IndexState("building", points=10, phase="indexing", progress=0.5).describe()
    'building: indexing, about 50%'
    """

    state: str
    points: int = 0
    indexed: int = 0  # chunks whose dense vector sits on an HNSW graph
    segments: int = 0
    stale: bool = False  # a build would change something (enough unindexed chunks, or new settings)
    phase: str | None = None  # while building: "copying", "indexing", "swapping"
    progress: float | None = None  # 0..1 while building; the indexing part is an estimate
    eta_s: float | None = None
    last_build_s: float | None = None  # seconds the last finished build took
    error: str | None = None  # why the last build failed, if it did

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.describe()}

    def describe(self) -> str:
        if self.state == "building":
            text = f"building: {self.phase or 'starting'}"
            if self.progress is not None:
                text += f", about {self.progress:.0%}"
            return text + (f", {self.eta_s / 60:.0f} min left" if self.eta_s and self.eta_s >= 60 else "")
        if self.state in ("indexed", "partly indexed"):
            text = f"{self.state}, {self.segments} segments ({self.indexed:,} of {self.points:,} chunks on the graph)"
        elif self.state == "exact scan":
            text = f"exact scan ({self.points:,} chunks)"
        else:
            text = f"indexed by the Qdrant server ({self.points:,} chunks)" if self.state == "server" else self.state
        if self.stale:
            text += "; `floorwise ingest optimize` would index more"
        return text + (f"; last build failed: {self.error}" if self.error else "")


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

    def index_state(self) -> IndexState: ...

    def optimize(self, progress: Callable[[IndexState], None] | None = None, force: bool = False) -> IndexState:
        """Build the search index now (or wait for the build under way); queries are served meanwhile."""
        ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
