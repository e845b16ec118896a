"""What the UI handlers and the server routes share: the core objects, roles, shown chunks."""

from __future__ import annotations

import ipaddress
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from assistant.domain import Chunk

TECHNICIAN, OWNER = "technician", "owner"


class ChunkIndex:
    """chunk_id -> Chunk for passages shown to someone (bounded), so /source can find their file."""

    def __init__(self, capacity: int = 5000):
        self.capacity = capacity
        self._items: OrderedDict[str, Chunk] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, chunks: Iterable[Chunk]) -> None:
        with self._lock:
            for chunk in chunks:
                self._items[chunk.chunk_id] = chunk
                self._items.move_to_end(chunk.chunk_id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def get(self, chunk_id: str) -> Chunk | None:
        with self._lock:
            return self._items.get(chunk_id)


def _loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class UiContext:
    assistant: Any
    settings: Any  # assistant.settings.Settings
    catalog: Any = None
    ingest: Any = None  # ui.ingesting.IngestService or None (uploads disabled)
    feedback: Any = None  # ui.feedback.FeedbackStore
    chunks: ChunkIndex = field(default_factory=ChunkIndex)

    @property
    def users(self) -> dict[str, dict[str, str]]:
        return dict(self.settings.server.users)

    def check_password(self, username: str, password: str) -> bool:
        """Against the salted scrypt hash in [server.users] (see assistant.passwords)."""
        from assistant.passwords import check_login

        return check_login(self.users, username, password)

    def role_of(self, username: str | None) -> str:
        """Role of a logged-in user. Without configured users, only a localhost-bound server has an owner."""
        if self.users:
            user = self.users.get(username or "")
            return (user or {}).get("role", TECHNICIAN) if user else TECHNICIAN
        return OWNER if _loopback(self.settings.server.host) else TECHNICIAN

    def is_owner(self, username: str | None) -> bool:
        return self.role_of(username) == OWNER

    @property
    def uploads_dir(self) -> Path:
        return self.settings.data_dir / "uploads"

    def model_settings(self) -> dict[str, Any]:
        s = self.settings
        return {
            "llm_preset": s.models.llm_preset,
            "llm_path": str(s.models.llm_path) if s.models.llm_path else None,
            "generation_backend": s.generation.backend,
            "temperature": s.generation.temperature,
            "judge": s.generation.judge,
            "line": s.generation.line,
            "line_tokens": s.generation.line_tokens,
            "top_k": s.retrieval.top_k,
            "context_tokens": s.retrieval.context_tokens,
            "answer_threshold": s.retrieval.answer_threshold,
        }
