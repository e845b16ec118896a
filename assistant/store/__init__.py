"""Vector store back ends behind one interface (see `base.Store`)."""

from __future__ import annotations

from assistant.settings import Settings
from assistant.store.base import CURRENT, LIVE, Criteria, PointWrite, Scored, SparseVec, Store


def open_store(settings: Settings, dim: int) -> Store:
    """Open the configured store: Qdrant Edge in the data directory, or a Qdrant server."""
    if settings.store.backend == "server":
        from assistant.store.server import ServerStore

        if not settings.store.url:
            from assistant.errors import ConfigError

            raise ConfigError("store.backend is 'server' but store.url is empty; set store.url = 'http://host:6333'")
        return ServerStore.connect(settings.store.url, settings.store.api_key, settings.store.collection, dim)
    from assistant.store.edge import EdgeStore

    return EdgeStore(settings.store_dir, dim, tuning=settings.store)


__all__ = ["CURRENT", "LIVE", "Criteria", "PointWrite", "Scored", "SparseVec", "Store", "open_store"]
