"""`floorwise serve`: the tablet chat UI and the ingest hand-off API on the plant LAN."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("floorwise.serve")

HELP = """examples:
  floorwise serve                              # http://127.0.0.1:7860 (this machine only)
  floorwise serve --host 0.0.0.0 --port 7860   # tablets on the plant network
  floorwise --config plant.toml serve          # users and roles from [server.users]

While it runs, the server owns the store: `floorwise ingest ...` hands its jobs
to it. It is never exposed through a public share link."""


def register(verbs, common) -> None:
    p = verbs.add_parser("serve", help="start the tablet chat UI", epilog=HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p)
    p.add_argument("--host", help="address to bind (default from config: server.host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default from config: server.port, 7860)")
    p.set_defaults(handler=serve, overrides=_overrides)


def _overrides(args) -> dict:
    server = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    return {"server": server} if server else {}


def serve(args, settings) -> int:
    from assistant.passwords import check_users

    check_users(settings.server.users)  # a plain-text password stops here, before anything loads
    upload_dir(settings)  # before Gradio is imported: it reads the folder once
    from assistant import ownership
    from assistant.runtime import Runtime
    from floorwise.malloc import limit_arenas
    from ui.app import build_app
    from ui.ingesting import IngestService
    from ui.server import serve as run_server

    limit_arenas()  # before any worker thread exists
    runtime = Runtime(settings)
    owner = None
    try:
        runtime.catalog  # open the store first: fails fast (StoreBusy) if another process holds it
        owner = ownership.claim(settings.data_dir, settings.server.port)
        app = build_app(runtime.assistant, settings, catalog=runtime.catalog, ingest=IngestService.from_runtime(runtime))
        runtime.warm_store()
        url = f"http://{settings.server.host}:{settings.server.port}/"
        log.info("serving Floorwise on %s", url)
        print(f"Floorwise is serving on {url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
        run_server(app, settings, owner_token=owner.token)
        return 0
    finally:
        if owner is not None:
            ownership.release(settings.data_dir)
        runtime.close()


def upload_dir(settings, environ=None) -> Path:
    """Gradio's folder for uploads in flight: `DATA/uploads-tmp` unless GRADIO_TEMP_DIR is set.

    Gradio's default, /tmp/gradio, is shared by every user of the machine: once another account
    has created it, uploads fail with "Permission denied". Inside the data directory the folder
    belongs to whoever runs the server, and goes with the data when it moves.
    """
    environ = os.environ if environ is None else environ
    folder = Path(environ.get("GRADIO_TEMP_DIR") or settings.data_dir / "uploads-tmp")
    folder.mkdir(parents=True, exist_ok=True)
    environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder

