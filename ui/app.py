"""The chat UI: `build_app(assistant, settings) -> gr.Blocks`; serving lives in `ui.server`.

Per browser session, a `gr.State` holds the conversation (a list of `Turn`), so
answers never cross sessions. The chat handler is a generator: source cards as
soon as retrieval ends, then tokens, then the verified final answer.

The handlers below take plain arguments (and the user name) so tests drive
them without a browser; `build_app` wires them to components.
"""

import json
import logging
from pathlib import Path
from typing import Any, Iterator, Sequence

import gradio as gr  # this module is the UI: loading it loads gradio

from assistant.domain import DocKind, FinalEvent, QueuedEvent, SourcesEvent, TokenEvent
from assistant.errors import FloorwiseError
from ui.cards import Turn, sources_panel, thread_html
from ui.context import UiContext

log = logging.getLogger(__name__)

ALL_ASSETS = "All equipment"
KIND_CHOICES = [(k.label, k.value) for k in DocKind]
GENERIC_EXAMPLES = (
    "What are the lockout steps before working on a hydraulic press?",
    "Which PPE is required for this job?",
    "What does the procedure say to check before restarting?",
)
EXAMPLES_FILE = "examples.json"  # optional, in the data folder: ["question", ...]
FEEDBACK_REASONS = ("wrong", "outdated SOP", "missing", "unsafe")
SESSION_TTL_S = 12 * 3600  # a conversation left open is forgotten 12 h after its last change
ANSWER_FAILED = ("Something went wrong while answering. Try again; if it keeps happening, "
                 "tell the document owner (details are in the server log).")


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
        yield thread_html(turns), sources_panel(turns[-1] if turns else None), turns, True
        return
    history = [t.question for t in turns if t.status == "done"]
    turn = Turn(question=question)
    turns.append(turn)
    yield thread_html(turns), sources_panel(turn), turns, False
    try:
        for event in ctx.assistant.ask(question, history, filters_for(asset, kinds, include_superseded)):
            if isinstance(event, SourcesEvent):
                turn.hits = tuple(event.hits)
                ctx.chunks.remember(h.chunk for h in event.hits)
                turn.status = "streaming"
                yield thread_html(turns), sources_panel(turn), turns, False
            elif isinstance(event, QueuedEvent):
                turn.status, turn.ahead = "waiting", event.ahead
                yield thread_html(turns), sources_panel(turn), turns, False
            elif isinstance(event, TokenEvent):
                turn.text += event.text
                turn.status = "streaming"
                yield thread_html(turns), sources_panel(turn), turns, False
            elif isinstance(event, FinalEvent):
                turn.answer = event.answer
                turn.text = event.answer.text
                turn.status = "done"
                ctx.chunks.remember([*(h.chunk for h in event.answer.sources),
                                     *(c.chunk for c in event.answer.citations)])
        if turn.answer is None:
            raise RuntimeError("the assistant ended without a final answer")
    except FloorwiseError as exc:
        turn.status, turn.error = "error", str(exc)
    except Exception:  # the technician gets a message they can act on; the log gets the trace
        log.exception("answering %r failed", question)
        turn.status, turn.error = "error", ANSWER_FAILED
    yield thread_html(turns), sources_panel(turn), turns, True


def new_conversation() -> tuple:
    return "", sources_panel(None), []


def give_feedback(ctx: UiContext, turns: list[Turn] | None, rating: str, reason: str | None = None,
                  comment: str = "", username: str | None = None) -> str:
    """Store a rating for the latest answer; returns the message shown under the buttons."""
    done = [t for t in (turns or []) if t.answer is not None]
    if not done:
        return "Ask a question first; feedback is for an answer."
    if rating == "down" and not reason:
        return "Pick what was wrong with the answer, then press Send."
    turn = done[-1]
    ctx.feedback.record_answer(turn.answer, rating, reason or None, comment or "", user=username,
                               model_settings=ctx.model_settings())
    turn.feedback.append(rating)
    return "Thanks, noted." if rating == "up" else "Thanks. The document owner will review this answer."


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
def example_questions(ctx: UiContext, limit: int = 4) -> list[str]:
    """From data_dir/examples.json when present, else from the corpus titles, else generic ones."""
    path = ctx.settings.data_dir / EXAMPLES_FILE
    if path.is_file():
        try:
            items = [str(q) for q in json.loads(path.read_text(encoding="utf-8")) if str(q).strip()]
            if items:
                return items[:limit]
        except (OSError, ValueError, TypeError):
            log.warning("ignoring %s: not a JSON list of questions", path)
    try:
        sources = ctx.catalog.sources() if ctx.catalog is not None else []
    except Exception:
        sources = []
    titles = [s.title for s in sources if s.kind is DocKind.SOP and not s.superseded and s.title]
    derived = [f"What are the key safety steps in {t}?" for t in dict.fromkeys(titles)]
    return (derived + list(GENERIC_EXAMPLES))[:limit]


def asset_choices(ctx: UiContext) -> list[str]:
    from assistant.store.base import CURRENT

    found: set[str] = set()
    try:
        found.update(ctx.assistant.store.facet("asset_ids", CURRENT, limit=1000))
        found.update(ctx.assistant.known_assets())
    except Exception:
        log.warning("could not list assets", exc_info=True)
    return [ALL_ASSETS, *sorted(found)]


def build_app(assistant, settings, *, catalog=None, ingest=None, feedback=None):
    """The Blocks for the tablet UI. Theme, CSS and auth are applied where it is served (`ui.server`)."""
    from ui.feedback import FeedbackStore
    from ui.uploads import allowed_suffixes

    ctx = UiContext(assistant, settings, catalog if catalog is not None else getattr(assistant, "catalog", None),
                    ingest, feedback if feedback is not None else FeedbackStore(settings.feedback_db))
    examples = example_questions(ctx)

    def user(request: gr.Request | None) -> str | None:
        return getattr(request, "username", None) if request is not None else None

    with gr.Blocks(title="Floorwise", analytics_enabled=False, fill_width=True) as app:
        turns = gr.State([], time_to_live=SESSION_TTL_S)  # closed tabs are dropped at once; idle ones after a shift
        with gr.Row(equal_height=False, elem_id="fw-top"):
            gr.HTML('<div class="fw-header"><h1>Floorwise</h1>'
                    '<span class="fw-sub">Answers from the approved plant documents, with sources.</span></div>',
                    scale=4, min_width=300)
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
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=440):
                        with gr.Column(visible=True, elem_id="fw-examples") as examples_box:
                            gr.HTML('<div class="fw-sub">Try a question:</div>')
                            example_btns = [gr.Button(q, size="lg") for q in examples]
                        thread = gr.HTML("", elem_id="fw-thread", autoscroll=True)
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(placeholder="Type your question, e.g. torque for the die clamp bolts",
                                                  show_label=False, lines=1, max_lines=4, scale=5, elem_id="fw-question",
                                                  autofocus=False, submit_btn=False)
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=120, elem_id="fw-ask")
                        with gr.Column(visible=False, elem_id="fw-feedback") as feedback_box:
                            with gr.Row():
                                up_btn = gr.Button("✓ Helpful", elem_id="fw-up")
                                down_btn = gr.Button("✗ Not right", elem_id="fw-down")
                            with gr.Column(visible=False) as reason_box:
                                reason = gr.Radio(list(FEEDBACK_REASONS), label="What was wrong?", elem_id="fw-reason")
                                comment = gr.Textbox(label="Comment (optional)", lines=2, elem_id="fw-comment")
                                send_btn = gr.Button("Send feedback", variant="primary", elem_id="fw-send")
                            feedback_status = gr.Markdown("", elem_id="fw-feedback-status")
                    with gr.Column(scale=2, min_width=340):
                        sources = gr.HTML(sources_panel(None), elem_id="fw-sources")

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
                gr.Markdown("### Feedback from technicians")
                feedback_table = gr.Dataframe(headers=FEEDBACK_COLUMNS, datatype="str", interactive=False, wrap=True)
                export_btn = gr.Button("Export feedback as evaluation questions")
                export_msg = gr.Markdown("")
                export_file = gr.File(label="Evaluation questions (JSONL)", interactive=False)

        # -- events ------------------------------------------------------------------------
        def on_ask(q, state, a, k, s):
            for thread_html_, sources_html, new_state, done in respond(ctx, q, state, a, k, s):
                yield (thread_html_, sources_html, new_state, "" if not done else gr.update(),
                       gr.update(visible=not new_state), gr.update(visible=done and bool(new_state)),
                       gr.update(visible=False), "")

        ask_outputs = [thread, sources, turns, question, examples_box, feedback_box, reason_box, feedback_status]
        # Questions search at once (up to server.max_active); the model queue orders their answers.
        common = dict(outputs=ask_outputs, show_progress="minimal", show_progress_on=[thread],
                      concurrency_limit=settings.server.max_active, concurrency_id="ask")
        ask_btn.click(on_ask, [question, turns, asset, kinds, superseded], **common)
        question.submit(on_ask, [question, turns, asset, kinds, superseded], **common)
        for btn in example_btns:
            btn.click(on_ask, [btn, turns, asset, kinds, superseded], **common)

        def on_new():
            thread_html_, sources_html, state = new_conversation()
            return (thread_html_, sources_html, state, "", gr.update(visible=True), gr.update(visible=False),
                    gr.update(visible=False), "")

        new_btn.click(on_new, None, ask_outputs, concurrency_limit=None)

        def on_up(state, request: gr.Request):
            return give_feedback(ctx, state, "up", username=user(request)), gr.update(visible=False)

        def on_down():
            return gr.update(visible=True), "Pick what was wrong, add a comment if you like, then press Send."

        def on_send(state, why, text, request: gr.Request):
            message = give_feedback(ctx, state, "down", why, text, username=user(request))
            sent = message.startswith("Thanks")
            return message, gr.update(visible=not sent), None if sent else gr.update(), "" if sent else gr.update()

        up_btn.click(on_up, [turns], [feedback_status, reason_box], concurrency_limit=None)
        down_btn.click(on_down, None, [reason_box, feedback_status], concurrency_limit=None)
        send_btn.click(on_send, [turns, reason, comment], [feedback_status, reason_box, reason, comment],
                       concurrency_limit=None)

        def on_upload(files, request: gr.Request):
            name = user(request)
            message, rows = owner_only(upload_documents, ctx, files, name)
            return message, rows, owner_only(source_rows, ctx, name)

        def on_refresh(request: gr.Request):
            name = user(request)
            return owner_only(source_rows, ctx, name), owner_only(feedback_rows, ctx, name)

        def on_export(request: gr.Request):
            return owner_only(export_feedback, ctx, user(request))

        upload_btn.click(on_upload, [uploads], [upload_msg, report, sources_table], concurrency_limit=1)
        refresh_btn.click(on_refresh, None, [sources_table, feedback_table], concurrency_limit=None)
        export_btn.click(on_export, None, [export_msg, export_file], concurrency_limit=None)

        def on_load(request: gr.Request):
            name = user(request)
            owner = ctx.is_owner(name)
            tables = (source_rows(ctx, name), feedback_rows(ctx, name)) if owner else ([], [])
            return (gr.update(choices=asset_choices(ctx), value=ALL_ASSETS), gr.update(visible=owner), *tables)

        app.load(on_load, None, [asset, docs_tab, sources_table, feedback_table], concurrency_limit=None)

    app.queue(default_concurrency_limit=settings.server.concurrency)
    app.floorwise = ctx  # the server's routes share the context (chunks shown, ingest service)
    return app
