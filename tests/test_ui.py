"""The tablet UI without a browser: handlers, HTML escaping, feedback, uploads, roles, the server API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.domain import (
    Answer, Chunk, Citation, DocKind, FinalEvent, Hit, QueuedEvent, SourcesEvent, TokenEvent, Verification,
)

XSS = "<script>alert('x')</script><img src=x onerror=\"alert(1)\">"


def make_chunk(text="Torque the six bolts to 330 N·m in two passes.", **kw) -> Chunk:
    base = dict(chunk_id="c-1", doc_id="SOP-104", source_path="/nowhere/SOP-104.pdf", title="SOP-104 Die Change",
                kind=DocKind.SOP, text=text, ordinal=0, file_hash="h", section_path=("6. Procedure",),
                page=3, step="14.2", revision="C")
    base.update(kw)
    return Chunk(**base)


class ScriptedAssistant:
    """Stands in for Assistant.ask: Sources, Tokens, Final, and records what it was asked."""

    def __init__(self, answer_text="Torque to 330 N·m [1].", chunk=None, queued=(), **answer_kw):
        self.chunk = chunk or make_chunk()
        self.queued = queued  # places in line reported before the first token
        self.answer_text = answer_text
        self.answer_kw = answer_kw
        self.calls = []
        self.store = None

    def ask(self, question, history=(), filters=None):
        self.calls.append((question, tuple(history), filters))
        hit = Hit(self.chunk, 1.0, 0.8)
        yield SourcesEvent((hit,))
        for ahead in self.queued:
            yield QueuedEvent(ahead)
        for piece in ("Torque ", "to 330 ", "N·m [1]."):
            yield TokenEvent(piece)
        kw = dict(citations=(Citation(1, self.chunk),), verification=Verification(passed=True), sources=(hit,))
        kw.update(self.answer_kw)
        yield FinalEvent(Answer(question=question, text=self.answer_text, **kw))

    def known_assets(self):
        return ("PRESS-03",)


@pytest.fixture()
def ctx(settings):
    from ui.context import UiContext
    from ui.feedback import FeedbackStore

    return UiContext(ScriptedAssistant(), settings, feedback=FeedbackStore(settings.feedback_db))


def drain(gen):
    return list(gen)


# -- streaming -------------------------------------------------------------------------------
def test_chat_yields_source_cards_before_tokens_then_final_text(ctx):
    from ui.app import respond

    steps = drain(respond(ctx, "torque for the clamp bolts?", []))
    thread0, sources0, _, done0 = steps[0]
    assert "torque for the clamp bolts?" in thread0 and not done0
    first_cards = next(i for i, s in enumerate(steps) if "fw-card" in s[1])
    first_token = next(i for i, s in enumerate(steps) if "to 330" in s[0])
    assert first_cards < first_token
    assert "to 330" not in steps[first_cards][0]  # cards are up before any answer text
    final_thread, final_sources, turns, done = steps[-1]
    assert done and turns[-1].status == "done"
    assert 'href="#fw-src-1"' in final_thread and "fw-caret" not in final_thread
    assert "<mark>" in final_sources and "fw-cited" in final_sources
    assert "/source/c-1#page=3" in final_sources


def test_a_waiting_answer_shows_its_place_with_the_sources_up(settings):
    from ui.app import respond
    from ui.context import UiContext
    from ui.feedback import FeedbackStore

    ctx = UiContext(ScriptedAssistant(queued=(2, 1)), settings, feedback=FeedbackStore(settings.feedback_db))
    steps = drain(respond(ctx, "torque?", []))
    waiting = [s for s in steps if "answering" in s[0] and "first" in s[0]]
    assert [("2 other questions" in w[0], "1 other question first" in w[0]) for w in waiting] == [(True, False),
                                                                                                 (False, True)]
    assert all("fw-card" in w[1] for w in waiting)  # the technician can read the passages meanwhile
    assert steps[-1][2][-1].status == "done" and "answering" not in steps[-1][0]


def test_follow_up_passes_earlier_questions_and_filters(ctx):
    from ui.app import ALL_ASSETS, respond

    turns = drain(respond(ctx, "first?", []))[-1][2]
    drain(respond(ctx, "and the old rev?", turns, "PRESS-03", ["sop"], True))
    question, history, filters = ctx.assistant.calls[-1]
    assert history == ("first?",)
    assert filters.assets == ("PRESS-03",) and filters.kinds == ("sop",) and filters.include_superseded
    drain(respond(ctx, "x", [], ALL_ASSETS, []))
    assert ctx.assistant.calls[-1][2].assets == ()


def test_sessions_do_not_share_conversations(ctx):
    from ui.app import respond

    a = drain(respond(ctx, "question from tablet A", []))[-1]
    b = drain(respond(ctx, "question from tablet B", []))[-1]
    assert "tablet A" not in b[0] and len(b[2]) == 1 and len(a[2]) == 1


def test_errors_become_a_message_not_a_trace(ctx):
    from ui.app import respond

    class Broken(ScriptedAssistant):
        def ask(self, *a, **k):
            raise ValueError("boom")
            yield

    ctx.assistant = Broken()
    thread, _, turns, done = drain(respond(ctx, "q", []))[-1]
    assert done and "fw-error" in thread and "boom" not in thread


# -- escaping and answer styles ------------------------------------------------------------------
def test_document_text_is_escaped_everywhere(ctx):
    from ui.app import respond

    chunk = make_chunk(text=f"Step 3 {XSS} torque 330 N·m.", title=f"Title {XSS}", warnings=(f"DANGER {XSS}",),
                       section_path=(f"Sec {XSS}",))
    ctx.assistant = ScriptedAssistant(answer_text=f"Answer {XSS} [1]", chunk=chunk, safety=(f"WARNING {XSS}",))
    for thread, sources, _, _ in drain(respond(ctx, f"q {XSS}", [])):
        for html in (thread, sources):
            assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in thread and "&lt;img" in sources


def test_safety_refusal_and_quote_flags_are_visible():
    from ui.cards import Turn, turn_html

    chunk = make_chunk()
    safe = Answer("q", "Do it [1].", (Citation(1, chunk),), Verification(True), safety=("LOCKOUT: lock out PRESS-03.",))
    html = turn_html(Turn("q", answer=safe, status="done"))
    assert 'class="fw-safety"' in html and "LOCKOUT: lock out PRESS-03." in html

    refused = Answer("q", "The approved documents do not cover this question.", (), Verification(True), refused=True)
    html = turn_html(Turn("q", answer=refused, status="done"))
    assert "fw-refused" in html and "Not covered by the approved documents" in html and "fw-safety" not in html

    quoted = Answer("q", '"Torque to 330 N·m." [1]', (Citation(1, chunk),),
                    Verification(False, unsupported=("59 N·m",)), quoted_fallback=True)
    html = turn_html(Turn("q", answer=quoted, status="done"))
    assert "fw-quoted" in html and "replaced by a quote" in html and "unsupported 59 N·m" in html


def test_superseded_revision_and_kind_badge_on_cards():
    from ui.cards import source_card

    html = source_card(2, make_chunk(superseded=True, revision="B", kind=DocKind.WORK_ORDER, page=None,
                                     fields={"wo_id": "WO-1"}))
    assert "superseded" in html and "rev B" in html and "Work order" in html and "work order WO-1" in html
    assert "#page=" not in html


# -- feedback ------------------------------------------------------------------------------------
def test_feedback_is_stored_with_sources_and_exported_as_eval_questions(ctx, tmp_path):
    from ui.app import give_feedback, respond

    turns = drain(respond(ctx, "torque for the clamp bolts?", []))[-1][2]
    assert "Pick what was wrong" in give_feedback(ctx, turns, "down")
    assert give_feedback(ctx, turns, "down", "outdated SOP", "rev D is out", username="ana").startswith("Thanks")
    assert give_feedback(ctx, turns, "up", username="bo").startswith("Thanks")
    rows = ctx.feedback.rows()
    down = rows[1]
    assert down["user"] == "ana" and down["reason"] == "outdated SOP" and down["comment"] == "rev D is out"
    assert down["sources"][0] == {"number": 1, "chunk_id": "c-1", "doc_id": "SOP-104",
                                  "locator": "p. 3, step 14.2", "revision": "C", "cited": True}
    assert down["settings"]["llm_preset"] and down["answer"] == "Torque to 330 N·m [1]." and down["created_at"]
    out = tmp_path / "fb.jsonl"
    assert ctx.feedback.export_questions(out) == 2
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert set(items[0]) == {"id", "question", "reference_answer", "must_contain", "gold_sources", "answerable", "tags"}
    assert items[0]["tags"] == ["feedback", "outdated SOP"] and items[0]["answerable"] is True
    assert items[0]["question"] == "torque for the clamp bolts?" and items[0]["reference_answer"] == ""


def test_feedback_needs_an_answer_and_a_known_reason(ctx):
    from ui.app import give_feedback

    assert "Ask a question first" in give_feedback(ctx, [], "up")
    with pytest.raises(ValueError):
        ctx.feedback.record(question="q", answer_text="a", rating="down", reason="because")


# -- uploads -------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, cleaned", [
    ("SOP-104 Die Change rev C.pdf", "SOP-104 Die Change rev C.pdf"),
    ("../../etc/passwd.md", "etc_passwd.md"),
    ("..\\..\\windows\\evil.pdf", "windows_evil.pdf"),
    ("/abs/path/notes.txt", "abs_path_notes.txt"),
    (".hidden.md", "hidden.md"),
    ("a..b.pdf", "a.b.pdf"),
    ("wo <export>;rm -rf.csv", "wo _export_rm -rf.csv"),
])
def test_upload_names_are_cleaned(raw, cleaned):
    from ui.uploads import clean_filename

    assert clean_filename(raw) == cleaned
    assert ".." not in cleaned and "/" not in cleaned and not cleaned.startswith(".")


@pytest.mark.parametrize("raw", ["..", "...", "/", "../.."])
def test_upload_names_with_nothing_left_are_refused(raw):
    from ui.uploads import UploadRejected, clean_filename

    with pytest.raises(UploadRejected):
        clean_filename(raw)


def test_uploads_enforce_type_size_and_folder(tmp_path):
    from ui.uploads import save_uploads

    src = tmp_path / "in"
    src.mkdir()
    good, exe, big = src / "a.md", src / "b.exe", src / "c.txt"
    good.write_text("# hello")
    exe.write_text("MZ")
    big.write_bytes(b"x" * 3000)
    saved, errors = save_uploads([("../../x/a.md", good), ("b.exe", exe), ("c.txt", big)], tmp_path / "up", max_mb=0.002)
    assert [s.path for s in saved] == [(tmp_path / "up" / "x_a.md").resolve()]
    assert any(".exe files are not accepted" in e for e in errors) and any("upload limit" in e for e in errors)
    assert not (tmp_path / "x").exists()


# -- roles ---------------------------------------------------------------------------------------
def test_technicians_cannot_reach_owner_handlers(settings, tmp_path):
    from ui.app import NotAllowed, export_feedback, feedback_rows, source_rows, upload_documents
    from ui.context import UiContext
    from ui.feedback import FeedbackStore

    from assistant.passwords import hash_password

    users = {"tech": {"password_hash": hash_password("t", n=2**10), "role": "technician"},
             "boss": {"password_hash": hash_password("b", n=2**10), "role": "owner"}}
    s = settings.model_copy(update={"server": settings.server.model_copy(update={"users": users})})
    ctx = UiContext(ScriptedAssistant(), s, feedback=FeedbackStore(s.feedback_db))
    for name in ("tech", None, "stranger"):
        for call in (lambda: upload_documents(ctx, [str(tmp_path / "x.pdf")], name), lambda: source_rows(ctx, name),
                     lambda: feedback_rows(ctx, name), lambda: export_feedback(ctx, name)):
            with pytest.raises(NotAllowed):
                call()
    assert ctx.is_owner("boss") and feedback_rows(ctx, "boss") == []
    assert ctx.check_password("boss", "b") and not ctx.check_password("boss", "t") and not ctx.check_password("x", "")


def test_without_users_only_a_localhost_server_has_an_owner(settings):
    from ui.context import UiContext

    lan = settings.model_copy(update={"server": settings.server.model_copy(update={"host": "0.0.0.0"})})
    assert UiContext(None, settings).is_owner(None)
    assert not UiContext(None, lan).is_owner(None)


# -- build, theme, offline -----------------------------------------------------------------------
def test_build_app_returns_blocks_with_queue_and_system_fonts(ctx, settings):
    import gradio as gr

    from ui.app import build_app
    from ui.theme import launch_options

    app = build_app(ScriptedAssistant(), settings)
    assert isinstance(app, gr.Blocks) and app.floorwise.feedback is not None
    assert app._queue.default_concurrency_limit == settings.server.concurrency
    theme = launch_options()["theme"]
    assert not any(isinstance(f, gr.themes.GoogleFont) for f in theme._font + theme._font_mono)
    assert "system-ui" in theme.font


def test_page_and_config_reference_no_outside_host(settings):
    from fastapi.testclient import TestClient

    from ui.app import build_app
    from ui.server import create_server

    client = TestClient(create_server(build_app(ScriptedAssistant(), settings), settings, owner_token="t"))
    page = client.get("/")
    assert page.status_code == 200
    for body in (page.text, client.get("/config").text, client.get("/theme.css").text):
        for marker in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com", "huggingface.co"):
            assert marker not in body


# -- server API (real store) ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def api(ui_runtime):
    from fastapi.testclient import TestClient

    from ui.app import build_app
    from ui.ingesting import IngestService
    from ui.server import create_server

    assistant = ScriptedAssistant()
    assistant.store = ui_runtime.store
    app = build_app(assistant, ui_runtime.settings, catalog=ui_runtime.catalog,
                    ingest=IngestService.from_runtime(ui_runtime))
    return TestClient(create_server(app, ui_runtime.settings, owner_token="s3cret")), app.floorwise


def test_server_bounds_the_sessions_it_keeps(api):
    client, ctx = api
    gradio_app = client.app.state.gradio
    assert gradio_app.state_holder.capacity == ctx.settings.server.max_sessions == 200


def test_api_refuses_without_the_owner_token(api):
    client, _ = api
    assert client.get("/api/v1/sources").status_code == 401
    assert client.get("/api/v1/sources", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/v1/ingest", json={"verb": "add", "paths": ["/etc"]}).status_code == 401
    assert client.post("/api/v1/ingest", json={"verb": "add", "paths": ["/etc"]},
                       headers={"Authorization": "Basic s3cret"}).status_code == 401


def test_api_lists_sources_and_runs_jobs_with_the_token(api, ui_docs):
    client, _ = api
    auth = {"Authorization": "Bearer s3cret"}
    rows = client.get("/api/v1/sources", headers=auth).json()
    assert {"doc_id", "source_path", "kind", "chunk_count", "superseded"} <= set(rows[0])
    report = client.post("/api/v1/ingest", json={"verb": "add", "paths": [str(ui_docs)], "dry_run": True}, headers=auth)
    assert report.status_code == 200 and set(report.json()["counts"]) == {"unchanged"}
    bad = client.post("/api/v1/ingest", json={"verb": "explode", "paths": []}, headers=auth)
    assert bad.status_code == 400 and "unknown ingest verb" in bad.json()["detail"]


def test_source_route_serves_only_ingested_files(api, ui_runtime):
    from assistant.store.base import CURRENT

    client, ctx = api
    chunk = next(c for c in ui_runtime.store.scroll(CURRENT, 50) if c.source_path.endswith(".pdf") or c.page is None)
    ctx.chunks.remember([chunk])
    response = client.get(f"/source/{chunk.chunk_id}")
    assert response.status_code == 200 and response.content == Path(chunk.source_path).read_bytes()
    ctx.chunks.remember([make_chunk(chunk_id="evil", source_path="/etc/passwd")])
    assert client.get("/source/evil").status_code == 404
    assert client.get("/source/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/source/unknown-id").status_code == 404


def test_assets_and_examples_come_from_the_store(ui_runtime, tmp_path):
    from ui.app import ALL_ASSETS, asset_choices, example_questions
    from ui.context import UiContext

    ctx = UiContext(ui_runtime.assistant, ui_runtime.settings, ui_runtime.catalog)
    choices = asset_choices(ctx)
    assert choices[0] == ALL_ASSETS and "PRESS-09" in choices
    titles = [s.title for s in ui_runtime.catalog.sources()]
    assert any(t in q for q in example_questions(ctx) for t in titles)
    (ui_runtime.settings.data_dir / "examples.json").write_text(json.dumps(["Where is the spill kit?"]))
    try:
        assert example_questions(ctx) == ["Where is the spill kit?"]
    finally:
        (ui_runtime.settings.data_dir / "examples.json").unlink()


def test_owner_upload_goes_through_ingestion(ui_runtime, tmp_path):
    from ui.app import upload_documents
    from ui.context import UiContext
    from ui.ingesting import IngestService

    ctx = UiContext(ui_runtime.assistant, ui_runtime.settings, ui_runtime.catalog, IngestService.from_runtime(ui_runtime))
    temp = tmp_path / "upload.tmp"
    temp.write_text("# CONV-99 belt note\n\nCheck the CONV-99 belt tension weekly with the 5 kg gauge.\n")

    class Uploaded:  # what gradio hands a handler for gr.File
        name = str(temp)
        orig_name = "../conv99 belt note.md"

    message, rows = upload_documents(ctx, [Uploaded()], None)
    assert "1 added" in message and rows[0][0] == "added"
    saved = ui_runtime.settings.data_dir / "uploads" / "conv99 belt note.md"
    assert saved.is_file() and ui_runtime.catalog.source(str(saved.resolve())) is not None


# -- the real assistant --------------------------------------------------------------------------
@pytest.mark.slow
def test_real_assistant_streams_sources_first_and_escapes_documents(ui_assistant, ui_runtime):
    from ui.app import respond
    from ui.cards import esc
    from ui.context import UiContext

    ctx = UiContext(ui_assistant, ui_runtime.settings, ui_runtime.catalog)
    steps = drain(respond(ctx, "How often must the PRESS-09 guard interlock switch be tested?", []))
    cards_at = next(i for i, s in enumerate(steps) if "fw-card" in s[1])
    thread, sources, turns, done = steps[-1]
    assert done and turns[-1].status == "done", turns[-1].error
    first_words = esc(re.sub(r"\[\d+\]", "", turns[-1].answer.text).strip()[:12])
    assert "fw-streaming" in steps[cards_at][0] and first_words not in steps[cards_at][0]  # cards before tokens
    assert "press09" in sources.lower() or "PRESS-09" in sources
    for html in (thread, sources):
        assert "<script" not in html and "<img" not in html
    assert "&lt;img" in sources
