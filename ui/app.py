"""The chat UI: `build_app(assistant, settings) -> gr.Blocks`; serving lives in `ui.server`.

Per browser session, a `gr.State` holds the conversation (a list of `Turn`), so
answers never cross sessions. The chat handler is a generator: source cards as
soon as retrieval ends, then the evidence, then the final answer with its line.
Every turn keeps its own source cards (`ui.cards`); tapping an older answer or
its [n] brings them back in the browser (ui/tablet.js), with no round trip.

The handlers below take plain arguments (and the user name) so tests drive
them without a browser; `build_app` wires them to components.
"""

import logging
from pathlib import Path
from typing import Any, Iterator, Sequence

import gradio as gr  # this module is the UI: loading it loads gradio

from assistant.domain import DocKind, FinalEvent, QueuedEvent, SourcesEvent, TokenEvent
from assistant.errors import FloorwiseError
from ui.answers import thread_html
from ui.cards import Turn, sources_panel
from ui.context import UiContext
from ui.feedback import REASONS

log = logging.getLogger(__name__)

ALL_ASSETS = "All equipment"
KIND_CHOICES = [(k.label, k.value) for k in DocKind]
EXAMPLE_SLOTS = 4
SESSION_TTL_S = 12 * 3600  # a conversation left open is forgotten 12 h after its last change
ANSWER_FAILED = ("Something went wrong while answering. Try again; if it keeps happening, "
                 "tell the document owner (details are in the server log).")
THREAD_JS = Path(__file__).with_name("tablet.js")


class NotAllowed(FloorwiseError):
    """A technician reached an owner-only handler."""


# -- chat -------------------------------------------------------------------------------
def filters_for(asset: str | None, kinds: Sequence[str] | None, include_superseded: bool = False):
    from assistant.retrieve import Filters

    assets = (asset,) if asset and asset != ALL_ASSETS else ()
    return Filters(assets=assets, kinds=tuple(kinds or ()), include_superseded=bool(include_superseded))


def respond(ctx: UiContext, question: str, turns: list[Turn] | None, asset: str | None = None,
            kinds: Sequence[str] | None = None, include_superseded: bool = False) -> Iterator[tuple]:
    """Stream one answer. Yields (thread html, sources html, turns, done) after each change."""
    question = (question or "").strip()
    turns = list(turns or [])
    if not question:
        yield thread_html(turns), sources_panel(turns), turns, True
        return
    history = [t.question for t in turns if t.status == "done"]
    turn = Turn(question=question)
    turns.append(turn)
    yield thread_html(turns), sources_panel(turns), turns, False
    try:
        for event in ctx.assistant.ask(question, history, filters_for(asset, kinds, include_superseded)):
            if isinstance(event, SourcesEvent):
                turn.hits = tuple(event.hits)
                ctx.chunks.remember(h.chunk for h in event.hits)
                turn.status = "streaming"
            elif isinstance(event, QueuedEvent):
                turn.status, turn.ahead = "waiting", event.ahead
            elif isinstance(event, TokenEvent):  # the first carries the whole evidence
                turn.text += event.text
                turn.status = "streaming"
            elif isinstance(event, FinalEvent):
                turn.answer = event.answer
                turn.text = event.answer.text
                turn.status = "done"
                ctx.chunks.remember([*(h.chunk for h in event.answer.sources),
                                     *(c.chunk for c in event.answer.citations)])
                continue  # shown by the last yield, once the assistant has finished (and freed the model)
            yield thread_html(turns), sources_panel(turns), turns, False
        if turn.answer is None:
            raise RuntimeError("the assistant ended without a final answer")
    except FloorwiseError as exc:
        turn.status, turn.error = "error", str(exc)
    except Exception:  # the technician gets a message they can act on; the log gets the trace
        log.exception("answering %r failed", question)
        turn.status, turn.error = "error", ANSWER_FAILED
    yield thread_html(turns), sources_panel(turns), turns, True


def new_conversation() -> tuple:
    return "", sources_panel(None), []


def give_feedback(ctx: UiContext, turns: list[Turn] | None, rating: str, reason: str | None = None,
                  comment: str = "", username: str | None = None, turn: int | None = None) -> str:
    """Store a rating for answer number `turn` (1-based; default the latest); returns what the technician reads."""
    answered = [(n, t) for n, t in enumerate(turns or [], 1) if t.answer is not None]
    if not answered:
        return "Ask a question first; feedback is for an answer."
    chosen = dict(answered).get(_int(turn)) if turn is not None else answered[-1][1]
    if chosen is None:
        return "That answer is no longer on this screen; ask again to rate it."
    if rating not in ("up", "down"):
        return "Feedback is ✓ Helpful or ✗ Not right."
    if rating == "down" and reason not in REASONS:
        return "Pick what was wrong with the answer, then press Send."
    ctx.feedback.record_answer(chosen.answer, rating, reason or None, comment or "", user=username,
                               model_settings=ctx.model_settings())
    chosen.feedback.append(rating)
    chosen.note = "Thanks, noted." if rating == "up" else "Thanks. The document owner will review this answer."
    return chosen.note


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- owner-only -----------------------------------------------------------------------------
def require_owner(ctx: UiContext, username: str | None) -> None:
    if not ctx.is_owner(username):
        raise NotAllowed("only document owners can do this; log in with an owner account")


REPORT_COLUMNS = ["status", "kind", "doc id", "chunks", "file / reason"]
SOURCE_COLUMNS = ["doc id", "kind", "rev", "effective", "chunks", "ingested", "file"]
FEEDBACK_COLUMNS = ["when", "user", "rating", "reason", "question", "comment", "sources"]


def report_rows(report: dict) -> list[list[Any]]:
    return [[r["status"], r.get("kind") or "", r.get("doc_id") or "", r.get("chunks") or 0,
             r.get("error") or Path(r["path"]).name] for r in report.get("results", [])]


def upload_documents(ctx: UiContext, files: Sequence[Any] | None, username: str | None) -> tuple[str, list]:
    """Save uploads under data_dir/uploads/ and ingest them; returns (message, report rows)."""
    from ui.uploads import save_uploads

    require_owner(ctx, username)
    if ctx.ingest is None:
        raise NotAllowed("uploads are off: this server was started without an ingest service")
    pairs = []
    for f in files or []:
        temp = Path(getattr(f, "name", None) or getattr(f, "path", None) or str(f))
        original = getattr(f, "orig_name", None) or temp.name
        pairs.append((original, temp))
    if not pairs:
        return "Choose one or more files first.", []
    saved, errors = save_uploads(pairs, ctx.uploads_dir, ctx.settings.server.upload_max_mb)
    rows = [["rejected", "", "", 0, e] for e in errors]
    if saved:
        report = ctx.ingest.run({"verb": "add", "paths": [str(s.path) for s in saved]})
        rows = report_rows(report) + rows
        counts = ", ".join(f"{n} {k}" for k, n in sorted(report["counts"].items()))
        message = f"{counts}; {report['chunks']} passages written."
    else:
        message = "Nothing was added."
    if errors:
        message += f" {len(errors)} file(s) rejected."
    return message, rows


def source_rows(ctx: UiContext, username: str | None) -> list[list[Any]]:
    require_owner(ctx, username)
    from ingest.jobs import sources_as_dicts

    rows = ctx.ingest.sources() if ctx.ingest is not None else sources_as_dicts(ctx.catalog)
    return [[r["doc_id"], r["kind"], (r["revision"] or "") + (" (superseded)" if r["superseded"] else ""),
             r["effective_date"] or "", r["chunk_count"], r["ingested_at"], Path(r["source_path"]).name]
            for r in rows]


def _index_store(ctx: UiContext):
    store = getattr(ctx.catalog, "store", None) or getattr(ctx.assistant, "store", None)
    return store if store is not None and hasattr(store, "index_state") else None


def index_text(ctx: UiContext, username: str | None, start: bool = False) -> str:
    """The search index's state for the Documents tab ("exact scan", "building: indexing, about 40%", ...).

    `start` begins a build (in its own low-priority process; answering goes on) when one is worth it.
    """
    require_owner(ctx, username)
    store = _index_store(ctx)
    if store is None:
        return "Search index: no store on this server."
    if start and hasattr(store, "start_build"):
        store.start_build(force=False)
    return f"Search index: {store.index_state().describe()}"


def feedback_rows(ctx: UiContext, username: str | None) -> list[list[Any]]:
    require_owner(ctx, username)
    return [[r["created_at"], r["user"] or "", r["rating"], r["reason"] or "", r["question"], r["comment"] or "",
             ", ".join(f"{s['doc_id']} {s['locator']}".strip() for s in r["sources"] if s.get("cited"))]
            for r in ctx.feedback.rows()]


def export_feedback(ctx: UiContext, username: str | None) -> tuple[str, str | None]:
    require_owner(ctx, username)
    path = ctx.settings.data_dir / "feedback-questions.jsonl"
    count = ctx.feedback.export_questions(path)
    return f"{count} question(s) written to {path}", str(path) if count else None


def owner_only(fn, *args):
    """Call an owner-only handler; a refusal becomes a Gradio error message for the user."""
    try:
        return fn(*args)
    except NotAllowed as exc:  # expected (a technician tried): one log line, not a traceback
        log.warning("refused %s: %s", getattr(fn, "__name__", "an owner-only action"), exc)
        raise gr.Error(str(exc), print_exception=False) from exc


# -- setup ------------------------------------------------------------------------------------
def example_questions(ctx: UiContext, limit: int = EXAMPLE_SLOTS) -> list[str]:
    """data_dir/examples.json when present, else one question per kind of document ingested (`ui.examples`)."""
    from ui.examples import example_questions as examples

    store = getattr(ctx.catalog, "store", None) or getattr(ctx.assistant, "store", None)
    return examples(ctx.settings.data_dir, ctx.catalog, store, limit)


def asset_choices(ctx: UiContext) -> list[str]:
    """The equipment list: kept by the catalog at ingest, so a page load never facets the store."""
    found: set[str] = set()
    try:
        catalog = getattr(ctx.assistant, "catalog", None)
        if catalog is not None and hasattr(catalog, "facet"):
            found.update(catalog.facet("asset_ids"))
        else:
            from assistant.store.base import CURRENT

            found.update(ctx.assistant.store.facet("asset_ids", CURRENT, limit=1000))
    except Exception:
        log.warning("could not list assets", exc_info=True)
    return [ALL_ASSETS, *sorted(found)]


def build_app(assistant, settings, *, catalog=None, ingest=None, feedback=None):
    """The Blocks for the tablet UI. Theme, CSS and auth are applied where it is served (`ui.server`)."""
    from ui.feedback import FeedbackStore
    from ui.uploads import allowed_suffixes

    ctx = UiContext(assistant, settings, catalog if catalog is not None else getattr(assistant, "catalog", None),
                    ingest, feedback if feedback is not None else FeedbackStore(settings.feedback_db))

    def user(request: gr.Request | None) -> str | None:
        return getattr(request, "username", None) if request is not None else None

    with gr.Blocks(title="Floorwise", analytics_enabled=False, fill_width=True) as app:
        turns = gr.State([], time_to_live=SESSION_TTL_S)  # closed tabs are dropped at once; idle ones after a shift
        with gr.Row(equal_height=False, elem_id="fw-top"):
            gr.HTML('<div class="fw-header"><h1>Floorwise</h1>'
                    '<span class="fw-sub">Answers from the approved plant documents, with sources.</span></div>',
                    scale=4, min_width=300, js_on_load=None)
            new_btn = gr.Button("New conversation", variant="secondary", scale=1, min_width=200, elem_id="fw-new")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False, elem_id="fw-filters"):
                    asset = gr.Dropdown([ALL_ASSETS], value=ALL_ASSETS, label="Equipment", elem_id="fw-asset",
                                        scale=2, min_width=200)
                    kinds = gr.CheckboxGroup(KIND_CHOICES, value=[], label="Document types (none ticked: all)",
                                             elem_id="fw-kinds", scale=5, min_width=360)
                    superseded = gr.Checkbox(False, label="Old revisions too", scale=2, min_width=200,
                                             elem_id="fw-superseded")
                with gr.Row(equal_height=False, elem_id="fw-main"):
                    with gr.Column(scale=3, min_width=440, elem_id="fw-chat"):
                        with gr.Column(elem_id="fw-examples") as examples_box:
                            examples_head = gr.HTML("", js_on_load=None, elem_id="fw-examples-head")
                            example_btns = [gr.Button("", size="lg", visible=False, elem_classes=["fw-example"])
                                            for _ in range(EXAMPLE_SLOTS)]
                        # tablet.js: citations open their own turn's card, the view follows the streaming answer,
                        # feedback buttons send {turn, rating, reason, comment} as this component's click event.
                        thread = gr.HTML("", elem_id="fw-thread", js_on_load=THREAD_JS.read_text(encoding="utf-8"))
                    with gr.Column(scale=2, min_width=340, elem_id="fw-side"):
                        sources = gr.HTML(sources_panel(None), elem_id="fw-sources", js_on_load=None)
                with gr.Row(equal_height=True, elem_id="fw-composer"):
                    question = gr.Textbox(placeholder="Type your question, e.g. torque for the die clamp bolts",
                                          show_label=False, lines=1, max_lines=4, scale=5, elem_id="fw-question",
                                          autofocus=False, submit_btn=False)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=120, elem_id="fw-ask")
                # For scripts (`/on_up`): rate the latest answer. On the tablet each answer has its own buttons.
                latest_up = gr.Button("Helpful", visible=False, elem_id="fw-up-latest")
                feedback_status = gr.Markdown("", visible=False)

            with gr.Tab("Documents", id="documents", visible=False) as docs_tab:
                gr.Markdown("### Add documents\nFiles go through the same ingestion as `floorwise ingest add`. "
                            f"Accepted: {' '.join(sorted(allowed_suffixes()))}; "
                            f"up to {settings.server.upload_max_mb:g} MB each.")
                uploads = gr.File(file_count="multiple", file_types=sorted(allowed_suffixes()),
                                  label="Documents to add", elem_id="fw-upload")
                upload_btn = gr.Button("Add to the documents", variant="primary", elem_id="fw-upload-btn")
                upload_msg = gr.Markdown("")
                report = gr.Dataframe(headers=REPORT_COLUMNS, datatype="str", label="Ingestion report",
                                      interactive=False, wrap=True)
                gr.Markdown("### Sources in the store")
                refresh_btn = gr.Button("Refresh lists")
                sources_table = gr.Dataframe(headers=SOURCE_COLUMNS, datatype="str", interactive=False, wrap=True)
                with gr.Row():
                    index_msg = gr.Markdown("", elem_id="fw-index-state")
                    index_btn = gr.Button("Index now", scale=0, min_width=140, elem_id="fw-index-btn")
                gr.Markdown("### Feedback from technicians")
                feedback_table = gr.Dataframe(headers=FEEDBACK_COLUMNS, datatype="str", interactive=False, wrap=True)
                export_btn = gr.Button("Export feedback as evaluation questions")
                export_msg = gr.Markdown("")
                export_file = gr.File(label="Evaluation questions (JSONL)", interactive=False)

        # -- events ------------------------------------------------------------------------
        def on_ask(q, state, a, k, s):
            first = True
            for thread_html_, sources_html, new_state, done in respond(ctx, q, state, a, k, s):
                # The box empties once, when the question is taken: the next one may be typed meanwhile.
                yield (thread_html_, sources_html, new_state, "" if first and not done else gr.update(),
                       gr.update(visible=not new_state), gr.update(interactive=done))
                first = False

        ask_outputs = [thread, sources, turns, question, examples_box, ask_btn]
        # Questions search at once (up to server.max_active); the model queue orders their answers.
        common = dict(outputs=ask_outputs, show_progress="hidden", concurrency_limit=settings.server.max_active,
                      concurrency_id="ask", trigger_mode="once")
        asking = [gr.on([ask_btn.click, question.submit], on_ask, [question, turns, asset, kinds, superseded],
                        api_name="on_ask", **common)]
        for btn in example_btns:
            asking.append(btn.click(on_ask, [btn, turns, asset, kinds, superseded], api_visibility="private",
                                    **common))

        def on_new():
            thread_html_, sources_html, state = new_conversation()
            return thread_html_, sources_html, state, "", gr.update(visible=True), gr.update(interactive=True)

        new_btn.click(on_new, None, ask_outputs, concurrency_limit=None, cancels=asking)

        def on_thread_event(state, evt: gr.EventData, request: gr.Request):
            """A feedback button inside an answer: {turn, rating, reason, comment} (ui/tablet.js)."""
            data = dict(getattr(evt, "_data", None) or {})
            give_feedback(ctx, state, str(data.get("rating") or ""), data.get("reason") or None,
                          str(data.get("comment") or "")[:2000], user(request), turn=data.get("turn"))
            return thread_html(state or []), state

        thread.click(on_thread_event, [turns], [thread, turns], concurrency_limit=None, show_progress="hidden",
                     api_visibility="private")

        def on_up(state, request: gr.Request):
            message = give_feedback(ctx, state, "up", username=user(request))
            return message, thread_html(state or []), state

        latest_up.click(on_up, [turns], [feedback_status, thread, turns], concurrency_limit=None)

        def on_upload(files, request: gr.Request):
            name = user(request)
            message, rows = owner_only(upload_documents, ctx, files, name)
            return message, rows, owner_only(source_rows, ctx, name)

        def on_refresh(request: gr.Request):
            name = user(request)
            return (owner_only(source_rows, ctx, name), owner_only(feedback_rows, ctx, name),
                    owner_only(index_text, ctx, name))

        def on_index(request: gr.Request):
            return owner_only(index_text, ctx, user(request), True)

        def on_export(request: gr.Request):
            return owner_only(export_feedback, ctx, user(request))

        upload_btn.click(on_upload, [uploads], [upload_msg, report, sources_table], concurrency_limit=1)
        refresh_btn.click(on_refresh, None, [sources_table, feedback_table, index_msg], concurrency_limit=None)
        index_btn.click(on_index, None, [index_msg], concurrency_limit=1)
        export_btn.click(on_export, None, [export_msg, export_file], concurrency_limit=None)

        def on_load(request: gr.Request):
            name = user(request)
            owner = ctx.is_owner(name)
            tables = ((source_rows(ctx, name), feedback_rows(ctx, name), index_text(ctx, name)) if owner
                      else ([], [], ""))
            return (gr.update(choices=asset_choices(ctx), value=ALL_ASSETS), gr.update(visible=owner), *tables)

        app.load(on_load, None, [asset, docs_tab, sources_table, feedback_table, index_msg], concurrency_limit=None)

        def on_examples():
            """Read at each page load, so documents added since the start show up."""
            found = example_questions(ctx)
            head = ('<div class="fw-sub">Try a question:</div>' if found else
                    '<div class="fw-sub">No documents have been added yet. A document owner adds them in the '
                    "Documents tab, or with <code>floorwise ingest add</code>.</div>")
            slots = [gr.update(value=q, visible=True) for q in found]
            slots += [gr.update(visible=False)] * (EXAMPLE_SLOTS - len(found))
            return head, *slots

        app.load(on_examples, None, [examples_head, *example_btns], concurrency_limit=None, api_visibility="private")

    app.queue(default_concurrency_limit=settings.server.concurrency)
    app.floorwise = ctx  # the server's routes share the context (chunks shown, ingest service)
    return app
