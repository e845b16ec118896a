"""An ingest job as plain data, so the CLI can run it locally or hand it to the server.

>>> job = Job.from_dict({"verb": "sync", "paths": ["docs"]})
>>> job.verb, job.dry_run
('sync', False)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping

from assistant.domain import DocKind
from assistant.errors import FloorwiseError
from ingest.pipeline import IngestReport, Ingestor

VERBS = ("add", "sync", "remove")


@dataclass(frozen=True)
class Job:
    verb: str
    paths: tuple[str, ...]
    kind: str | None = None
    dry_run: bool = False
    force: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Job":
        job = cls(
            verb=str(data["verb"]),
            paths=tuple(str(p) for p in data.get("paths", ())),
            kind=data.get("kind"),
            dry_run=bool(data.get("dry_run", False)),
            force=bool(data.get("force", False)),
        )
        if job.verb not in VERBS:
            raise FloorwiseError(f"unknown ingest verb {job.verb!r}; use one of {', '.join(VERBS)}")
        if job.kind is not None and job.kind not in {k.value for k in DocKind}:
            raise FloorwiseError(f"unknown kind {job.kind!r}; use one of {', '.join(k.value for k in DocKind)}")
        return job

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_job(ingestor: Ingestor, job: Job) -> IngestReport:
    kind = DocKind(job.kind) if job.kind else None
    if job.verb == "add":
        return ingestor.add([Path(p) for p in job.paths], kind=kind, dry_run=job.dry_run, force=job.force)
    if job.verb == "sync":
        if len(job.paths) != 1 or not Path(job.paths[0]).is_dir():
            raise FloorwiseError("sync takes exactly one folder")
        return ingestor.sync(Path(job.paths[0]), kind=kind, dry_run=job.dry_run)
    return ingestor.remove(list(job.paths), dry_run=job.dry_run)


def sources_as_dicts(catalog) -> list[dict[str, Any]]:
    return [{**asdict(s), "kind": s.kind.value} for s in catalog.sources()]
