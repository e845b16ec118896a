"""`floorwise ingest ...`: add, sync, list and remove sources; build the search index."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from floorwise.cli import print_json

HELP = """examples:
  floorwise ingest add sample_plant/docs                 # a folder, recursively
  floorwise ingest add "SOP-104 rev C.pdf" --kind sop     # one file, kind forced
  floorwise ingest sync /plant/docs --dry-run            # what would change, nothing written
  floorwise ingest list --json                           # sources for scripts (--index: and the index state)
  floorwise ingest remove SOP-104                        # by doc id or path
  floorwise ingest optimize                              # build the search index now, with a progress bar
  floorwise ingest inspect exports/cmms_2024.xlsx        # how a file would be read: kind, columns, roles

While `floorwise serve` runs, these commands hand the job to the server
(it owns the store) and print its report; no restart needed.
Exit code: 0 when every file went in, 1 when any failed."""


OPTIMIZE_HELP = """examples:
  floorwise ingest optimize            # index what is not indexed yet; answering goes on meanwhile
  floorwise ingest optimize --json     # the final state for scripts

The graph is built in a separate, low-priority process on a copy of the store, which then
replaces the live one; until then questions are answered by exact scan, as before. While
`floorwise serve` runs, the server builds it (and does so by itself after ingestion);
this command starts the build there and shows its progress. Exit code 1 if the build failed."""


INSPECT_HELP = """examples:
  floorwise ingest inspect exports/logbook.xlsx          # every sheet: column types and work-order roles
  floorwise ingest inspect exports/logbook.csv --json    # for scripts

Nothing is written. Column roles (record id, date, asset, problem, action, failure code,
cost) are inferred from header names and values; when one is wrong, set it in the config:
  [ingest.workorder_columns]
  problem = "Reported Problem"
and inspect again to see the override applied."""


def inspect(args, settings) -> int:
    """`floorwise ingest inspect FILE`: the detected kind, each table's typed, mapped columns and sample rows."""
    from ingest.inspect import inspect_file, render

    report = inspect_file(args.file, settings.ingest.workorder_columns,
                          max_bytes=int(settings.ingest.max_file_mb * 1024 * 1024), sample=args.rows)
    if args.json:
        print_json(report)
    else:
        print(render(report))
    return 0


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
    p = sub.add_parser("list", help="list ingested sources and the search index state", epilog=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--index", action="store_true",
                   help='with --json: print {"sources": [...], "index": {...}} instead of the list alone')
    p.set_defaults(handler=list_sources)
    p = sub.add_parser("optimize", help="build the search index (HNSW graph, int8 copy) now", epilog=OPTIMIZE_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p)
    p.add_argument("--force", action="store_true", help="rebuild even when nothing is stale")
    p.add_argument("--json", action="store_true", help="print the final index state as JSON")
    p.set_defaults(handler=optimize)
    p = sub.add_parser("inspect", help="show how a file would be read (kind, typed columns, roles, sample rows)",
                       epilog=INSPECT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p)
    p.add_argument("file", type=Path, help="a spreadsheet, CSV or document")
    p.add_argument("--rows", type=int, default=3, help="sample rows shown per table (default 3)")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.set_defaults(handler=inspect)


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
        report, hint = run_local(settings, job, show_progress=not args.json)
        report = report.to_dict()
    if args.json:
        print_json(report)
    else:
        print_report(report)
    if owner is None and hint:
        print(hint, file=sys.stderr)
    return 1 if report["counts"].get("failed") else 0


def run_local(settings, job, show_progress: bool = True):
    """Run the job on the store opened here; returns (report, a hint about the index or None)."""
    from assistant.runtime import Runtime
    from ingest.jobs import run_job
    from ingest.pipeline import Ingestor
    from floorwise.progress import Bars

    runtime = Runtime(settings)
    try:
        with Bars(enabled=show_progress) as bars:
            ingestor = Ingestor(runtime.catalog, runtime.embedder, runtime.bm25, settings.ingest, bars.update)
            report = run_job(ingestor, job)
        wrote = report.to_dict()["chunks"] and not job.dry_run
        return report, index_hint(runtime.store.index_state()) if wrote else None
    finally:
        runtime.close()


def index_hint(state) -> str | None:
    if not state.stale:
        return None
    unindexed = state.points - state.indexed
    return (f"{unindexed:,} chunks are searched by exact scan, which slows answers on a large store: "
            "run `floorwise ingest optimize`, or start `floorwise serve`, which builds the index in the background")


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
        index = call(owner, "/api/v1/optimize")
    else:
        from assistant.runtime import Runtime
        from ingest.jobs import sources_as_dicts

        runtime = Runtime(settings)
        try:
            rows = sources_as_dicts(runtime.catalog)
            index = runtime.store.index_state().to_dict()
        finally:
            runtime.close()
    if args.json:
        print_json({"sources": rows, "index": index} if args.index else rows)
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
    console = Console()
    console.print(table)
    console.print(f"search index: {index['text']}")
    return 0


def optimize(args, settings) -> int:
    """Build the index here, or have the running server build it; a progress bar either way."""
    from assistant.ownership import find_owner

    owner = find_owner(settings.data_dir)
    with IndexBar(enabled=not args.json) as bar:
        if owner is not None:
            from floorwise.remote import call

            print(f"handing the build to the running server (pid {owner.pid})", file=sys.stderr)
            state = call(owner, "/api/v1/optimize", {"force": args.force})
            while state["state"] == "building":
                bar.update(state)
                time.sleep(1.0)
                state = call(owner, "/api/v1/optimize")
        else:
            from assistant.runtime import Runtime

            runtime = Runtime(settings)
            try:
                state = runtime.store.optimize(progress=lambda s: bar.update(s.to_dict()), force=args.force).to_dict()
            finally:
                runtime.close()
    if args.json:
        print_json(state)
    else:
        print(f"search index: {state['text']}")
    return 1 if state.get("error") else 0


class IndexBar:
    """One tqdm bar in percent for an index build: phase, share done, estimated time left."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._bar = None

    def __enter__(self) -> "IndexBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()

    def update(self, state: dict) -> None:
        if not self.enabled or state.get("state") != "building":
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=100, desc="index", unit="%", dynamic_ncols=True, disable=None,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix} [{elapsed}]")
        self._bar.n = round(100 * (state.get("progress") or 0.0))
        eta = state.get("eta_s")
        self._bar.set_postfix_str(f"{state.get('phase')}" + (f", about {eta / 60:.0f} min left" if eta else ""))
