"""One FastAPI app: Gradio at "/", the CLI hand-off API, and original files of cited passages.

    POST /api/v1/ingest       Job dict -> IngestReport.to_dict()   (Bearer owner token)
    GET  /api/v1/sources      -> [source dict, ...]                 (Bearer owner token)
    GET  /api/v1/optimize     -> IndexState.to_dict()               (Bearer owner token)
    POST /api/v1/optimize     {"force": bool} -> starts an index build, IndexState.to_dict()
    GET  /source/{chunk_id}   the ingested file a shown passage came from (logged-in users);
                              ?download=1 sends it as an attachment
    GET  /view/{chunk_id}     a CSV/XLSX row's table as a page, that row marked (logged-in users)

The owner token is the one `assistant.ownership.claim` wrote to owner.json
(mode 0600), so only the local user who can read that file can drive ingestion.
"""

import hmac
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request  # this module is the server: loading it loads FastAPI

log = logging.getLogger(__name__)


def _bearer(request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _gradio_user(gradio_app, request) -> str | None:
    if gradio_app is None:
        return None
    token = request.cookies.get(f"access-token-{gradio_app.cookie_id}") or request.cookies.get(
        f"access-token-unsecure-{gradio_app.cookie_id}"
    )
    return gradio_app.tokens.get(token) if token else None


def source_file_for(ctx, chunk_id: str) -> tuple[Path, Any] | None:
    """The file behind a passage, only if the passage's source is in the catalog and the file exists."""
    chunk = ctx.chunks.get(chunk_id)
    if chunk is None:
        try:
            from assistant.store.base import Criteria

            found = ctx.assistant.store.scroll(Criteria(equals={"chunk_id": chunk_id}), 1)
            chunk = found[0] if found else None
        except Exception:
            chunk = None
    if chunk is None or ctx.catalog is None:
        return None
    source = ctx.catalog.source(chunk.source_path)  # registry of ingested paths: never an arbitrary path
    if source is None:
        return None
    path = Path(source.source_path)
    if not path.is_file():
        return None
    return path, chunk


def create_server(blocks, settings, owner_token: str | None = None):
    """FastAPI app with the API routes and `blocks` mounted at "/"."""
    import gradio as gr
    from fastapi.concurrency import run_in_threadpool
    from fastapi.responses import FileResponse, JSONResponse
    from starlette.routing import Mount

    from assistant.errors import FloorwiseError
    from assistant.passwords import check_login, check_users
    from ui.theme import launch_options

    ctx = blocks.floorwise
    users = dict(settings.server.users)
    check_users(users)  # before anything listens: a plain-text or broken entry stops the start (ConfigError)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.gradio = None  # the mounted Gradio app, for its login sessions; set below

    def check_token(request: Request) -> None:
        given = _bearer(request)
        if not owner_token or not given or not hmac.compare_digest(given.encode(), owner_token.encode()):
            raise HTTPException(status_code=401, detail="owner token required", headers={"WWW-Authenticate": "Bearer"})

    @app.get("/api/v1/sources")
    async def api_sources(request: Request):
        check_token(request)
        if ctx.ingest is None:
            raise HTTPException(status_code=503, detail="ingestion is not available on this server")
        return await run_in_threadpool(ctx.ingest.sources)

    @app.post("/api/v1/ingest")
    async def api_ingest(request: Request):
        check_token(request)
        if ctx.ingest is None:
            raise HTTPException(status_code=503, detail="ingestion is not available on this server")
        try:
            job = await request.json()
        except ValueError:
            raise HTTPException(status_code=400, detail="body must be a JSON ingest job") from None
        try:
            return await run_in_threadpool(ctx.ingest.run, job)
        except (FloorwiseError, KeyError, TypeError) as exc:
            return JSONResponse(status_code=400, content={"detail": str(exc)})

    def index_store():
        store = getattr(ctx.catalog, "store", None) or getattr(ctx.assistant, "store", None)
        if store is None or not hasattr(store, "index_state"):
            raise HTTPException(status_code=503, detail="no store on this server")
        return store

    @app.get("/api/v1/optimize")
    async def api_index_state(request: Request):
        check_token(request)
        return (await run_in_threadpool(index_store().index_state)).to_dict()

    @app.post("/api/v1/optimize")
    async def api_optimize(request: Request):
        """Start an index build (it runs in its own process; answering goes on) and return the state."""
        check_token(request)
        try:
            force = bool((await request.json() or {}).get("force", False))
        except (ValueError, AttributeError):
            raise HTTPException(status_code=400, detail='body must be JSON, e.g. {"force": false}') from None
        store = index_store()

        def start():
            if hasattr(store, "start_build"):
                store.start_build(force=force)
            return store.index_state().to_dict()

        return await run_in_threadpool(start)

    async def shown_file(chunk_id: str, request: Request):
        if ctx.users and _gradio_user(app.state.gradio, request) is None:
            raise HTTPException(status_code=401, detail="log in first")
        found = await run_in_threadpool(source_file_for, ctx, chunk_id)
        if found is None:
            raise HTTPException(status_code=404, detail="no such passage, or its file is no longer available")
        return found

    @app.get("/source/{chunk_id}")
    async def original_file(chunk_id: str, request: Request, download: bool = False):
        path, _ = await shown_file(chunk_id, request)
        media = "application/pdf" if path.suffix.lower() == ".pdf" else None
        return FileResponse(path, media_type=media, filename=path.name,
                            content_disposition_type="attachment" if download else "inline")

    @app.get("/view/{chunk_id}")
    async def original_table(chunk_id: str, request: Request):
        from fastapi.responses import HTMLResponse

        from ui.cards import is_table_row, source_url
        from ui.original import CSP, table_page

        path, chunk = await shown_file(chunk_id, request)
        if not is_table_row(chunk):
            raise HTTPException(status_code=404, detail="only rows of CSV and XLSX files open as a table page")
        max_bytes = int(settings.ingest.max_file_mb * 1024 * 1024)
        try:
            page = await run_in_threadpool(table_page, path, chunk, source_url(chunk, download=True), max_bytes)
        except FloorwiseError as exc:  # the file became unreadable since it was ingested
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        return HTMLResponse(page, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})

    # Gradio keeps every session's page state until this many sessions exist (its default, 10,000,
    # is gigabytes); read when the app is mounted.
    blocks.state_session_capacity = settings.server.max_sessions

    async def auth(username: str, password: str) -> bool:
        # Gradio awaits a coroutine; scrypt (about 70 ms) runs off the event loop, so logins at the
        # start of a shift do not stall the answers already streaming.
        return await run_in_threadpool(check_login, users, username, password)

    gr.mount_gradio_app(
        app, blocks, path="/", auth=auth if users else None,
        auth_message="Floorwise: log in with your plant account.",
        server_name=settings.server.host, server_port=settings.server.port,
        footer_links=[], run_history=False, show_error=True, ssr_mode=False, mcp_server=False, pwa=False,
        max_file_size=f"{int(settings.server.upload_max_mb * 1024 * 1024)}b", **launch_options(),
    )
    for route in app.routes:
        if isinstance(route, Mount) and route.path in ("", "/"):
            app.state.gradio = route.app
    return app


def serve(blocks, settings, owner_token: str | None = None) -> None:
    """Run until interrupted, bound to settings.server.host:port (never a public share link)."""
    import uvicorn

    app = create_server(blocks, settings, owner_token)
    config = uvicorn.Config(app, host=settings.server.host, port=settings.server.port, log_level="warning",
                            timeout_graceful_shutdown=5)
    if threading.current_thread() is threading.main_thread():
        # uvicorn re-raises SIGTERM after its graceful shutdown; as SystemExit the caller's
        # `finally` still runs (releasing the store's ownership) instead of dying on the spot.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    uvicorn.Server(config).run()


def _exit_on_sigterm(signum, frame):
    raise SystemExit(0)
