"""Index builds for Qdrant Edge in a child process, so answering never waits for them.

Qdrant Edge's `optimize()` holds the Python GIL for its whole run (minutes at a million chunks),
so on a thread of the serving process it would stop every answer. A build therefore goes:

1. the owner lets the write in flight finish, holds further writes and flushes; a child process
   copies the shard's files into the next generation folder; writes resume, and are recorded;
2. the child opens the copy with the configured graph, int8 copy and memory placement and runs
   `optimize()` at low CPU priority, while the owner keeps answering from the live shard;
3. the owner opens the indexed copy, replays the recorded writes onto it, and under its lock
   switches `store/CURRENT` to it; the old generation is deleted.

A crash or a failed build leaves CURRENT naming a complete generation; the leftovers go at the
next open. Disk: until the switch a build needs room for a second copy of the store and the
optimizer's temporary segments.

The child:  python -m assistant.store.indexing SRC DST SETTINGS_JSON
prints one JSON object per line: {"phase": "copied", "bytes": ...}, then {"phase": "indexed", ...}.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

COPIED = ("edge_config.json", "segments", "wal")  # a shard's files; temp_segments is scratch
DEFAULT_POINTS_PER_S = 1_500  # indexing speed assumed before this store has built once (2 busy cores)


def allocated_bytes(path: Path) -> int:
    """Bytes on disk (Edge preallocates sparse files, so apparent sizes overstate)."""
    if path.is_file():
        return path.stat().st_blocks * 512
    return sum(f.stat().st_blocks * 512 for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def shard_bytes(shard_dir: Path) -> int:
    return sum(allocated_bytes(shard_dir / name) for name in COPIED)


def copy_shard(src: Path, dst: Path) -> None:
    """Copy a shard's files, keeping sparse files sparse."""
    dst.mkdir(parents=True)
    for name in COPIED:
        if not (src / name).exists():
            continue
        if shutil.which("cp"):
            subprocess.run(["cp", "-a", "--sparse=always", str(src / name), str(dst / name)], check=True)
        elif (src / name).is_dir():
            shutil.copytree(src / name, dst / name)
        else:
            shutil.copy2(src / name, dst / name)


class Build:
    """One index build, driven from a thread of the owning process (see the module docstring)."""

    def __init__(self, store):
        from assistant.store.edge import next_gen_dir, read_build

        self.store = store
        self.src = store.shard_dir
        self.dst = next_gen_dir(store.path)
        self.points = store.shard_info()["points"]
        self.phase = "starting"
        self.error: str | None = None
        self.seconds: float | None = None
        self.started = time.monotonic()
        self._copy_total = max(1, shard_bytes(self.src))
        free = shutil.disk_usage(store.path).free
        if free < 2 * self._copy_total:  # the copy, then the optimizer's new segments beside it
            from assistant.errors import StoreError

            raise StoreError(f"an index build needs about {2 * self._copy_total / 2**30:.1f} GB free beside the "
                             f"store, and {free / 2**30:.1f} GB are; free some space on that disk and try again")
        self._index_started: float | None = None
        self._estimate = self._estimate_index_s(read_build(self.src))
        self._proc: subprocess.Popen | None = None
        self._cancelled = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="edge-index-build", daemon=True)

    def _estimate_index_s(self, last: dict) -> float:
        """Seconds the child's optimize() should take: the last build's rate, else a default."""
        rate = DEFAULT_POINTS_PER_S
        if last.get("index_s") and last.get("points"):
            rate = max(100.0, last["points"] / max(last["index_s"], 1.0))
        return max(5.0, self.points / rate)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() or (self._thread.ident is None and not self._done.is_set())

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def cancel(self) -> None:
        self._cancelled.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        self._thread.join(timeout=60)

    def progress(self) -> tuple[str, float | None, float | None]:
        """(phase, share done 0..1, seconds left): copying ~10%, indexing ~85% (estimated), swapping."""
        if self.phase == "copying":
            done = min(1.0, allocated_bytes(self.dst) / self._copy_total)
            return self.phase, 0.1 * done, self._estimate + 10
        if self.phase == "indexing" and self._index_started is not None:
            elapsed = time.monotonic() - self._index_started
            share = min(0.99, elapsed / self._estimate)
            return self.phase, 0.1 + 0.85 * share, max(0.0, self._estimate - elapsed)
        if self.phase == "swapping":
            return self.phase, 0.95, None
        return self.phase, 0.0, None

    # -- the thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._build()
        except Exception as exc:
            self.error = "cancelled" if self._cancelled.is_set() else str(exc)
            if not self._cancelled.is_set():
                log.exception("index build into %s failed", self.dst.name)
            self.store.stop_recording()
            if self._proc is not None and self._proc.poll() is None:
                self._proc.kill()
            shutil.rmtree(self.dst, ignore_errors=True)
        finally:
            self.seconds = round(time.monotonic() - self.started, 1)
            self._done.set()

    def _build(self) -> None:
        from assistant.store.edge import BUILD_FILE, _qe

        settings = {**self.store._index_settings(), "index_nice": self.store.tuning.index_nice, "dim": self.store.dim}
        self.store.pause_writes()
        try:
            self.phase = "copying"
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "assistant.store.indexing", str(self.src), str(self.dst), json.dumps(settings)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            copied = self._expect("copied")
        finally:
            self.store.record_writes()  # from here on the copy lags the live shard by the recorded writes
        self.phase, self._index_started = "indexing", time.monotonic()
        indexed = self._expect("indexed")
        if self._proc.wait() != 0:
            raise RuntimeError(f"the index process exited with {self._proc.returncode}")
        self.phase = "swapping"
        shard = _qe().EdgeShard.load(str(self.dst))
        replayed = 0
        while not self._cancelled.is_set():  # catch up outside the lock; the last few go in swap()
            batch = self.store.recorded_since(replayed)
            for operation in batch:
                shard.update(operation)
            replayed += len(batch)
            if len(batch) < 16:
                break
        if self._cancelled.is_set():
            shard.close()
            raise RuntimeError("cancelled")
        record = {"settings": {k: settings[k] for k in self.store._index_settings()}, "points": self.points,
                  "copy_s": copied["seconds"], "index_s": indexed["seconds"],
                  "seconds": round(time.monotonic() - self.started, 1), "segments": indexed["segments"]}
        (self.dst / BUILD_FILE).write_text(json.dumps(record), encoding="utf-8")
        self.store.swap(shard, self.dst, replayed)

    def _expect(self, phase: str) -> dict:
        """Read the child's lines until `phase`; fail with its stderr if it ends first."""
        for line in self._proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("phase") == phase:
                return message
        self._proc.wait()
        tail = (self._proc.stderr.read() or "").strip()[-500:]
        raise RuntimeError(f"the index process stopped before '{phase}' (exit {self._proc.returncode}): {tail}")


# -- the child process ------------------------------------------------------------------------------
def emit(**message) -> None:
    print(json.dumps(message), flush=True)


def child(src: Path, dst: Path, settings: dict) -> None:
    from assistant.settings import StoreSettings
    from assistant.store.base import PAYLOAD_INDEXES
    from assistant.store.edge import _qe, edge_config, field_index

    dim = int(settings.pop("dim"))
    tuning = StoreSettings(**settings)
    os.nice(tuning.index_nice)
    t0 = time.monotonic()
    copy_shard(src, dst)
    emit(phase="copied", bytes=shard_bytes(dst), seconds=round(time.monotonic() - t0, 1))
    qe = _qe()
    t0 = time.monotonic()
    shard = qe.EdgeShard.load(str(dst), edge_config(dim, tuning))
    schema = shard.info().payload_schema
    for field, kind in PAYLOAD_INDEXES.items():  # stores written before these settings: new index params
        wanted = field_index(kind, tuning)
        params = schema[field].params if field in schema else None
        if params is None or getattr(params, "enable_hnsw", None) != wanted.enable_hnsw \
                or getattr(params, "on_disk", None) != getattr(wanted, "on_disk", None):
            shard.update(qe.UpdateOperation.create_field_index(field, wanted))
    changed = shard.optimize()
    shard.flush()
    info = shard.info()
    emit(phase="indexed", changed=bool(changed), seconds=round(time.monotonic() - t0, 1),
         segments=int(info.segments_count), points=int(info.points_count))
    shard.close()


if __name__ == "__main__":
    child(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))
