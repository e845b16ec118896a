"""The server's ingest service: jobs from the CLI hand-off and from owner uploads.

One job at a time (a lock); inside a job each file is swapped in by the catalog
under its write lock, so answers being generated meanwhile never see half a
document.
"""

from __future__ import annotations

import threading
from typing import Any, Mapping


class IngestService:
    def __init__(self, catalog, embedder, bm25, ingest_settings):
        self.catalog = catalog
        self.embedder = embedder
        self.bm25 = bm25
        self.settings = ingest_settings
        self._lock = threading.Lock()

    @classmethod
    def from_runtime(cls, runtime) -> "IngestService":
        return cls(runtime.catalog, runtime.embedder, runtime.bm25, runtime.settings.ingest)

    def run(self, job: Mapping[str, Any] | Any) -> dict[str, Any]:
        """Run a job (a `Job` or its dict) and return `IngestReport.to_dict()`."""
        from ingest.jobs import Job, run_job
        from ingest.pipeline import Ingestor

        if not isinstance(job, Job):
            job = Job.from_dict(job)
        with self._lock:
            ingestor = Ingestor(self.catalog, self.embedder, self.bm25, self.settings)
            return run_job(ingestor, job).to_dict()

    def sources(self) -> list[dict[str, Any]]:
        from ingest.jobs import sources_as_dicts

        return sources_as_dicts(self.catalog)
