"""`floorwise ingest ...`: add, sync, list and remove sources."""

from __future__ import annotations

import sys
from pathlib import Path

from floorwise.cli import print_json

HELP = """examples:
  floorwise ingest add sample_plant/docs                 # a folder, recursively
  floorwise ingest add "SOP-104 rev C.pdf" --kind sop     # one file, kind forced
  floorwise ingest sync /plant/docs --dry-run            # what would change, nothing written
  floorwise ingest list --json
  floorwise ingest remove SOP-104                        # by doc id or path

While `floorwise serve` runs, these commands hand the job to the server
(it owns the store) and print its report; no restart needed.
Exit code: 0 when every file went in, 1 when any failed."""


def register(verbs, common) -> None:
    import argparse

    parser = verbs.add_parser(
        "ingest", help="add, sync, list and remove documents", epilog=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="ingest_verb", metavar="VERB", required=True)
    for verb, helptext in (("add", "add files or folders (recursive)"), ("sync", "mirror one folder"),
                           ("remove", "remove sources by path or doc id")):
        p = sub.add_parser(verb, help=helptext, epilog=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
        common(p)
        p.add_argument("paths", nargs="+", metavar="PATH")
        if verb != "remove":
            p.add_argument("--kind", choices=["sop", "work_order", "expert_note", "table"], help="override detection")
        if verb == "add":
            p.add_argument("--force", action="store_true", help="re-ingest even unchanged files")
        p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        p.set_defaults(handler=lambda a, s, verb=verb: run(a, s, verb))
    p = sub.add_parser("list", help="list ingested sources", epilog=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_sources)


def _job(args, verb: str):
    from ingest.jobs import Job

    return Job(
        verb=verb,
        paths=tuple(str(Path(p).resolve()) if verb != "remove" or Path(p).exists() else p for p in args.paths),
        kind=getattr(args, "kind", None),
        dry_run=args.dry_run,
        force=getattr(args, "force", False),
    )


def run(args, settings, verb: str) -> int:
    from assistant.ownership import find_owner

    job = _job(args, verb)
    owner = find_owner(settings.data_dir)
    if owner is not None:
        from floorwise.remote import call

        print(f"handing the job to the running server (pid {owner.pid})", file=sys.stderr)
        report = call(owner, "/api/v1/ingest", job.to_dict())
    else:
        report = run_local(settings, job, show_progress=not args.json).to_dict()
    if args.json:
        print_json(report)
    else:
        print_report(report)
    return 1 if report["counts"].get("failed") else 0


def run_local(settings, job, show_progress: bool = True):
    from assistant.runtime import Runtime
    from ingest.jobs import run_job
    from ingest.pipeline import Ingestor
    from floorwise.progress import Bars

    runtime = Runtime(settings)
    try:
        with Bars(enabled=show_progress) as bars:
            ingestor = Ingestor(runtime.catalog, runtime.embedder, runtime.bm25, settings.ingest, bars.update)
            return run_job(ingestor, job)
    finally:
        runtime.close()


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="ingest report", show_lines=False)
    for col in ("status", "kind", "doc id", "chunks", "file / reason"):
        table.add_column(col)
    order = {"failed": 0, "added": 1, "replaced": 2, "removed": 3}
    for r in sorted(report["results"], key=lambda r: (order.get(r["status"], 9), r["path"])):
        if r["status"] == "unchanged":
            continue
        style = "red" if r["status"] == "failed" else None
        table.add_row(r["status"], r["kind"] or "", r["doc_id"] or "", str(r["chunks"] or ""),
                      r["error"] or Path(r["path"]).name, style=style)
    console.print(table)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(report["counts"].items()))
    console.print(f"{counts}; {report['chunks']} chunks written in {report['seconds']:.1f} s")


def list_sources(args, settings) -> int:
    from assistant.ownership import find_owner

    owner = find_owner(settings.data_dir)
    if owner is not None:
        from floorwise.remote import call

        rows = call(owner, "/api/v1/sources")
    else:
        from assistant.runtime import Runtime
        from ingest.jobs import sources_as_dicts

        runtime = Runtime(settings)
        try:
            rows = sources_as_dicts(runtime.catalog)
        finally:
            runtime.close()
    if args.json:
        print_json(rows)
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} sources")
    for col in ("doc id", "kind", "rev", "effective", "chunks", "ingested", "file"):
        table.add_column(col)
    for r in rows:
        rev = (r["revision"] or "") + (" (superseded)" if r["superseded"] else "")
        table.add_row(r["doc_id"], r["kind"], rev, r["effective_date"] or "", str(r["chunk_count"]),
                      r["ingested_at"], Path(r["source_path"]).name)
    Console().print(table)
    return 0
