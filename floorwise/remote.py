"""Client side of the hand-off: send an ingest job to the running server."""

from __future__ import annotations

from typing import Any

from assistant.errors import StoreBusy
from assistant.ownership import Owner


def call(owner: Owner, path: str, payload: dict[str, Any] | None = None, timeout: float = 3600) -> Any:
    import httpx

    headers = {"Authorization": f"Bearer {owner.token}"}
    try:
        if payload is None:
            response = httpx.get(owner.base_url + path, headers=headers, timeout=timeout)
        else:
            response = httpx.post(owner.base_url + path, json=payload, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise StoreBusy(
            f"the store is owned by the server (pid {owner.pid}) but it did not answer on port {owner.port}: {exc}; "
            "wait for it to start, or stop it"
        ) from exc
    if response.status_code != 200:
        raise StoreBusy(f"the server refused the job ({response.status_code}): {response.text[:200]}")
    return response.json()
