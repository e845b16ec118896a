"""From files to committed chunks: parse, chunk, embed, write, one file at a time atomically.

Files are parsed and chunked one by one; their chunks are gathered into a
window (a few thousand chunks) and embedded in one call, so the encoder sees
large length-sorted batches whatever the file sizes; then each file of the
window is committed through the catalog on its own. A file that fails is
reported with a one-line reason and the rest go in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from assistant.catalog import Catalog
from assistant.domain import Chunk, DocKind, Document
from assistant.embedder import Bm25Encoder, Embedder
from assistant.errors import UnsupportedDocument
from assistant.modelfiles import file_sha256
from assistant.settings import IngestSettings
from assistant.store.base import PointWrite

log = logging.getLogger(__name__)

WINDOW_CHUNKS = 2048


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str  # added | replaced | unchanged | removed | failed | skipped | would-add | would-replace | would-remove
    kind: str | None = None
    doc_id: str | None = None
    chunks: int = 0
    error: str | None = None
    seconds: float = 0.0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    embedded_texts: int = 0
    embed_seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def to_dict(self) -> dict:
        return {
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "chunks": sum(r.chunks for r in self.results if r.status in ("added", "replaced")),
            "results": [r.__dict__ for r in self.results],
        }


@dataclass
class _Pending:
    doc: Document
    chunks: list[Chunk]
    status: str
    started: float
    tables: list = field(default_factory=list)  # TableWrite: the file's typed tables


Progress = Callable[[str, int], None]  # (event, amount): "files" or "chunks"


def _no_progress(event: str, amount: int) -> None:
    return None


def discover(paths: Iterable[Path], suffixes: frozenset[str]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest under `paths` (recursive, hidden entries skipped), in a stable order.

    Files named explicitly are always returned (a wrong type then fails with a
    reason); inside folders, files of unknown type are reported as skipped.
    """
    found: list[Path] = []
    skipped: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or not child.is_file():
                    continue
                if child.suffix.lower() in suffixes:
                    found.append(child.resolve())
                else:
                    skipped.append(FileResult(str(child.resolve()), "skipped", error="not a supported type"))
        elif path.is_file():
            found.append(path.resolve())
        else:
            skipped.append(FileResult(str(path), "failed", error="no such file or folder"))
    return list(dict.fromkeys(found)), skipped


class Ingestor:
    """Adds, syncs and removes sources in a catalog."""

    def __init__(
        self,
        catalog: Catalog,
        embedder: Embedder,
        bm25: Bm25Encoder,
        settings: IngestSettings,
        progress: Progress = _no_progress,
    ):
        from ingest.identifiers import IdExtractor

        self.catalog = catalog
        self.embedder = embedder
        self.bm25 = bm25
        self.settings = settings
        self.progress = progress
        self.ids = IdExtractor(settings.asset_patterns, settings.equipment_patterns)

    # -- public verbs ----------------------------------------------------------
    def add(
        self, paths: Sequence[Path], kind: DocKind | None = None, dry_run: bool = False, force: bool = False
    ) -> IngestReport:
        from ingest.parse import SUPPORTED_SUFFIXES

        started = time.perf_counter()
        files, report_skipped = discover(paths, SUPPORTED_SUFFIXES)
        report = IngestReport(results=list(report_skipped))
        roots = {f: self._root_for(f, paths) for f in files}
        self._ingest_files(files, roots, kind, dry_run, force, report)
        report.seconds = time.perf_counter() - started
        return report

    def sync(self, folder: Path, kind: DocKind | None = None, dry_run: bool = False) -> IngestReport:
        """Make the store mirror `folder`: new files in, changed replaced, deleted removed."""
        report = self.add([folder], kind=kind, dry_run=dry_run)
        root = folder.resolve()
        present = {r.path for r in report.results}
        for source in self.catalog.sources():
            path = Path(source.source_path)
            if root in path.parents and str(path) not in present and not path.exists():
                report.results.append(self._remove_one(source.source_path, dry_run))
        return report

    def remove(self, source_paths: Sequence[str], dry_run: bool = False) -> IngestReport:
        report = IngestReport()
        for raw in source_paths:
            key = self._source_key(raw)
            report.results.append(self._remove_one(key, dry_run))
        return report

    # -- internals -------------------------------------------------------------
    def _source_key(self, raw: str) -> str:
        """A path as given, or a doc id such as 'SOP-104', to the catalog's key."""
        resolved = str(Path(raw).resolve())
        if self.catalog.source(resolved):
            return resolved
        matches = [s.source_path for s in self.catalog.sources() if s.doc_id == raw or s.source_path.endswith(raw)]
        return matches[0] if len(matches) == 1 else resolved

    def _remove_one(self, key: str, dry_run: bool) -> FileResult:
        source = self.catalog.source(key)
        if source is None:
            return FileResult(key, "failed", error="not in the store; see `floorwise ingest list`")
        if not dry_run:
            self.catalog.remove(key)
        return FileResult(key, "would-remove" if dry_run else "removed", source.kind.value, source.doc_id, source.chunk_count)

    @staticmethod
    def _root_for(file: Path, paths: Sequence[Path]) -> Path:
        for p in paths:
            rp = p.resolve()
            if rp.is_dir() and (rp == file or rp in file.parents):
                return rp
        return file.parent

    def _ingest_files(self, files, roots, kind, dry_run, force, report: IngestReport) -> None:
        window: list[_Pending] = []
        window_chunks = 0
        for path in files:
            pending = self._prepare(path, roots[path], kind, dry_run, force, report)
            self.progress("files", 1)
            if pending is None:
                continue
            window.append(pending)
            window_chunks += len(pending.chunks)
            if window_chunks >= WINDOW_CHUNKS:
                self._flush_window(window, report)
                window, window_chunks = [], 0
        if window:
            self._flush_window(window, report)

    def _prepare(self, path: Path, root: Path, kind, dry_run: bool, force: bool, report: IngestReport):
        from ingest.chunkers import chunk_file
        from ingest.detect import detect_kind, identify
        from ingest.parse import parse_file

        started = time.perf_counter()
        key = str(path)
        try:
            data_hash = file_sha256(path)  # streamed: a huge file is refused later without being loaded
        except OSError as exc:
            report.results.append(FileResult(key, "failed", error=f"cannot read: {exc.strerror or exc}"))
            return None
        existing = self.catalog.source(key)
        if existing and existing.file_hash == data_hash and not force:
            report.results.append(FileResult(key, "unchanged", existing.kind.value, existing.doc_id, existing.chunk_count))
            return None
        status = "replaced" if existing else "added"
        try:
            parsed = parse_file(path, max_bytes=int(self.settings.max_file_mb * 1024 * 1024), ocr=self.settings.ocr)
            doc_kind = kind or detect_kind(path, parsed, root, workorder_columns=self.settings.workorder_columns)
            doc = identify(path, parsed, doc_kind, root)
            doc = Document(doc.doc_id, key, doc.title, doc.kind, parsed.file_hash, doc.revision, doc.effective_date)
            chunks, tables = chunk_file(doc, parsed, self.ids, workorder_columns=self.settings.workorder_columns)
        except UnsupportedDocument as exc:
            report.results.append(FileResult(key, "failed", error=str(exc)))
            return None
        except Exception as exc:  # a parser bug must not sink the batch
            log.exception("unexpected error parsing %s", path)
            report.results.append(FileResult(key, "failed", error=f"{path.name}: could not parse ({type(exc).__name__}: {exc})"))
            return None
        if not chunks:
            report.results.append(FileResult(key, "failed", doc_kind.value, doc.doc_id, error=f"{path.name}: no text found"))
            return None
        if dry_run:
            dry_status = {"added": "would-add", "replaced": "would-replace"}[status]
            report.results.append(FileResult(key, dry_status, doc.kind.value, doc.doc_id, len(chunks)))
            return None
        if existing and force and existing.file_hash == data_hash:
            self.catalog.remove(key)  # same version ids: drop it first, then write afresh
        return _Pending(doc, chunks, status, started, tables)

    def _flush_window(self, window: list[_Pending], report: IngestReport) -> None:
        texts = [c.embedding_text() for p in window for c in p.chunks]
        t0 = time.perf_counter()
        dense = self._embed_with_progress(texts)
        sparse = self.bm25.embed_documents(texts)
        report.embed_seconds += time.perf_counter() - t0
        report.embedded_texts += len(texts)
        offset = 0
        for pending in window:
            n = len(pending.chunks)
            points = [
                PointWrite(chunk, dense[offset + i], sparse[offset + i])
                for i, chunk in enumerate(pending.chunks)
            ]
            offset += n
            batch = self.settings.batch_size * 8
            self.catalog.replace(pending.doc, (points[i : i + batch] for i in range(0, n, batch)), pending.tables)
            report.results.append(
                FileResult(
                    pending.doc.source_path, pending.status, pending.doc.kind.value, pending.doc.doc_id, n,
                    seconds=time.perf_counter() - pending.started,
                )
            )

    def _embed_with_progress(self, texts: list[str]) -> list[list[float]]:
        step = max(self.settings.batch_size * 4, 256)
        out: list[list[float]] = []
        for i in range(0, len(texts), step):
            out.extend(self.embedder.embed(texts[i : i + step]))
            self.progress("chunks", len(texts[i : i + step]))
        return out
