"""Who owns the store: the running server, or nobody.

A Qdrant Edge folder can be open in one process only. While `floorwise serve`
runs it writes `owner.json` in the data directory (mode 0600: pid, port and a
random token); other commands find it and hand their work to the server over
localhost instead of opening the store. A stale file (dead pid) is ignored.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

OWNER_FILE = "owner.json"


@dataclass(frozen=True)
class Owner:
    pid: int
    port: int
    token: str
    host: str = "127.0.0.1"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_owner(data_dir: Path) -> Owner | None:
    path = data_dir / OWNER_FILE
    try:
        owner = Owner(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if owner.pid == os.getpid() or not _alive(owner.pid):
        return None
    return owner


def claim(data_dir: Path, port: int) -> Owner:
    """Record this process as the owner; returns the record (with a fresh token)."""
    owner = Owner(pid=os.getpid(), port=port, token=secrets.token_urlsafe(24))
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / OWNER_FILE
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(owner), handle)
    os.replace(tmp, path)
    return owner


def release(data_dir: Path) -> None:
    path = data_dir / OWNER_FILE
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass
