"""The tablet UI without a browser: handlers, the answer and source HTML, feedback, uploads, roles, the server API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.domain import (
    Answer, Chunk, Citation, DocKind, Evidence, FinalEvent, Hit, QueuedEvent, Reason, Route, SourcesEvent, TokenEvent,
    Verification,
)

XSS = "<script>alert('x')</script><img src=x onerror=\"alert(1)\">"
LOCKOUT = "LOCKOUT: Lock out PRESS-03 according to SOP-101 before reaching to the clamps."


def make_chunk(text="Torque the six bolts to 330 N·m in two passes.", **kw) -> Chunk:
    base = dict(chunk_id="c-1", doc_id="SOP-104", source_path="/nowhere/SOP-104.pdf", title="SOP-104 Die Change",
                kind=DocKind.SOP, text=text, ordinal=0, file_hash="h", section_path=("6. Procedure",),
                page=3, step="14.2", revision="C")
    base.update(kw)
    return Chunk(**base)


def make_answer(text: str, route: Route = Route.EVIDENCE, chunks=None, question: str = "q", **kw) -> Answer:
    """An Answer as the assistant builds it: passages [1..n] are both its sources and its citations."""
    chunks = chunks or [make_chunk()]
    base = dict(citations=tuple(Citation(n, c) for n, c in enumerate(chunks, 1)), verification=Verification(True),
                route=route, sources=tuple(Hit(c, 1.0) for c in chunks))
    base.update(kw)
    return Answer(question, text, **base)


class ScriptedAssistant:
    """Stands in for Assistant.ask: Sources, Queued..., the whole evidence as one Token, then the Final answer
    with the model's line on top; records what it was asked."""

    def __init__(self, line="Torque the clamp bolts to **330 N·m** [1].", chunk=None, queued=(), **answer_kw):
        self.chunk = chunk or make_chunk()
        self.queued = queued  # places in line reported before the first token
        self.line = line
        self.answer_kw = answer_kw
        self.calls = []
        self.store = None

    def ask(self, question, history=(), filters=None):
        self.calls.append((question, tuple(history), filters))
        hit = Hit(self.chunk, 1.0, 0.8)
        yield SourcesEvent((hit,))
        for ahead in self.queued:
            yield QueuedEvent(ahead)
        shown = f"{self.chunk.text} [1]"
        yield TokenEvent(shown)
        kw = dict(citations=(Citation(1, self.chunk),), verification=Verification(passed=True), sources=(hit,),
                  route=Route.GENERATED if self.line else Route.EVIDENCE, line=self.line,
                  evidence=(Evidence(1, self.chunk, self.chunk.text, "step"),))
        kw.update(self.answer_kw)
        text = kw.pop("text", f"{self.line}\n\n{shown}" if self.line else shown)
        yield FinalEvent(Answer(question=question, text=text, **kw))

    def known_assets(self):
        return ("PRESS-03",)


@pytest.fixture()
def ctx(settings):
    from ui.context import UiContext
    from ui.feedback import FeedbackStore

    return UiContext(ScriptedAssistant(), settings, feedback=FeedbackStore(settings.feedback_db))


def drain(gen):
    return list(gen)


def visible_text(html: str) -> str:
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html))


# -- streaming -------------------------------------------------------------------------------
def test_cards_come_first_then_the_evidence_then_the_answer_with_its_line_on_top(ctx):
    from ui.app import respond

    steps = drain(respond(ctx, "torque for the clamp bolts?", []))
    thread0, sources0, _, done0 = steps[0]
    assert "torque for the clamp bolts?" in thread0 and not done0
    first_cards = next(i for i, s in enumerate(steps) if "fw-card" in s[1])
    first_text = next(i for i, s in enumerate(steps) if "two passes" in s[0])
    assert first_cards < first_text
    assert "two passes" not in steps[first_cards][0]  # cards are up before any answer text
    streaming = steps[first_text][0]
    assert "fw-streaming" in streaming and "fw-caret" in streaming and "330 N·m</strong>" not in streaming
    final_thread, final_sources, turns, done = steps[-1]
    assert done and turns[-1].status == "done" and "fw-caret" not in final_thread
    lead = re.search(r'<div class="fw-lead">(.*?)</div>', final_thread).group(1)
    assert "<strong>330 N·m</strong>" in lead and 'href="#fw-src-1-1"' in lead  # the line leads, value in bold
    assert final_thread.index("fw-lead") < final_thread.index("two passes")
    assert "<mark>" in final_sources and "fw-cited" in final_sources and 'id="fw-src-1-1"' in final_sources
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


# -- each answer keeps its own sources ------------------------------------------------------------
def test_every_answer_keeps_its_own_cards_and_its_citations_point_at_them(ctx):
    from ui.app import respond

    docs = [make_chunk(chunk_id=f"c-{i}", doc_id=doc, title=title, text=text) for i, (doc, title, text) in
            enumerate([("SOP-104", "SOP-104 Die Change", "Torque the lower clamp bolts to 330 N·m."),
                       ("SOP-131", "SOP-131 Compressor Daily Check", "Drain the CMP-2 receiver daily."),
                       ("SOP-112", "SOP-112 Filter Replacement", "Replace the HPU-3 return filter element.")])]
    turns = []
    for doc in docs:
        ctx.assistant = ScriptedAssistant(line=None, chunk=doc)
        thread, sources, turns, _ = drain(respond(ctx, f"about {doc.doc_id}?", turns))[-1]
    sections = re.findall(r'<section class="fw-turn-sources" id="fw-sources-(\d)" data-turn="\d"( hidden)?>', sources)
    assert sections == [("1", " hidden"), ("2", " hidden"), ("3", "")]  # the latest shown, the others kept
    turn_html = thread.split('<div class="fw-turn">')[1:]
    for number, (doc, html) in enumerate(zip(docs, turn_html), 1):
        targets = set(re.findall(r'href="#(fw-src-\d-\d)"', html))
        assert targets == {f"fw-src-{number}-1"}, targets  # the first answer's [1] stays the first answer's
        card = re.search(rf'<details[^>]*id="fw-src-{number}-1".*?</details>', sources, re.S).group(0)
        assert doc.title in card and all(d.title not in card for d in docs if d is not doc)


def test_sources_panel_before_any_question_and_while_searching():
    from ui.cards import Turn, sources_panel

    assert "appear here" in sources_panel(None) and "appear here" in sources_panel([])
    searching = sources_panel([Turn("q")])
    assert "Searching" in searching and "fw-card" not in searching


# -- the value first, each safety text once --------------------------------------------------------
def test_the_route_decides_what_leads():
    from ui.answers import turn_html
    from ui.cards import Turn

    def lead(answer):
        html = turn_html(Turn(answer.question, answer=answer, status="done"))
        return visible_text(re.search(r'<div class="fw-lead">(.*?)</div>', html, re.S).group(1))

    generated = make_answer("The clamp bolts take **330 N·m** [1].\n\nTorque (N·m): 330 · Lower die clamp bolts [1]",
                            Route.GENERATED, line="The clamp bolts take **330 N·m** [1].")
    assert lead(generated) == "The clamp bolts take 330 N·m [1]."
    records = make_answer("**14** work orders match: Asset is PRESS-03.\nMost recent first:\n"
                          "- 2024-03-02 · PRESS-03 · seal leak [1]", Route.RECORDS)
    assert lead(records) == "14 work orders match: Asset is PRESS-03."
    evidence = make_answer("Open the main disconnect DS-1.\nLock it with your own lock. [1]\nTry the start button. [2]",
                           chunks=[make_chunk(), make_chunk(chunk_id="c-2")])
    assert lead(evidence) == "Open the main disconnect DS-1.\nLock it with your own lock. [1]"


def test_a_warning_is_shown_once_in_the_safety_box_not_again_in_the_answer():
    from ui.answers import turn_html
    from ui.cards import Turn

    chunk = make_chunk(text=f"{LOCKOUT}\n7. Torque the clamp bolts to 330 N·m.", warnings=(LOCKOUT,))
    line = "Torque them to **330 N·m** [1]."
    answer = make_answer(f"{line}\n\n{LOCKOUT} [1]\n7. Torque the clamp bolts to 330 N·m. [1]", Route.GENERATED,
                         chunks=[chunk], line=line, safety=(LOCKOUT,))
    html = turn_html(Turn("q", answer=answer, status="done"))
    assert visible_text(html).count(LOCKOUT) == 1
    assert html.index('class="fw-safety"') < html.index("fw-lead")  # the warning comes before the answer
    assert 'href="#fw-src-1-1"' in html.split('class="fw-safety"')[1].split("</ul>")[0]  # and says where it is from


def test_while_streaming_the_cited_passages_warnings_are_in_the_safety_box_once():
    from ui.answers import turn_html
    from ui.cards import Turn

    chunk = make_chunk(text=f"{LOCKOUT} Torque to 330 N·m.", warnings=(LOCKOUT,))
    turn = Turn("q", text=f"{LOCKOUT} [1]\nTorque to 330 N·m. [1]", hits=(Hit(chunk, 1.0),), status="streaming")
    html = turn_html(turn)
    assert "fw-safety" in html and visible_text(html).count(LOCKOUT) == 1 and "fw-caret" in html


@pytest.mark.parametrize("reason, heading", [
    (Reason.NO_EVIDENCE, "Nothing in the approved documents matches"),
    (Reason.NOT_COVERED, "Not covered by the approved documents"),
    (Reason.ATTRIBUTE_MISSING, "The approved documents do not give this"),
])
def test_refusals_say_why_with_no_symbol_font_glyph(reason, heading):
    from ui.answers import turn_html
    from ui.cards import Turn

    text = ("The approved documents do not give the torque for the PRESS-09 bolts. What they say about it:\n"
            "PRESS-09 bolts are M16 [1]") if reason is Reason.ATTRIBUTE_MISSING else "Not covered."
    refused = make_answer(text, Route.REFUSED, reason=reason)
    assert refused.refused
    html = turn_html(Turn("q", answer=refused, status="done"))
    assert "fw-refused" in html and heading in html and "fw-safety" not in html and "ⓘ" not in html
    assert ('href="#fw-src-1-1"' in html) is (reason is Reason.ATTRIBUTE_MISSING)


def test_how_the_answer_was_checked_is_a_button_with_the_notes_and_criteria():
    from ui.answers import turn_html
    from ui.cards import Turn

    plan = SimpleNamespace(describe=lambda: ["Asset is PRESS-03", "dated 2024-01-01 to 2024-12-31"])
    table = SimpleNamespace(plan=plan, matched=14)
    records = make_answer("**14** work orders match [1]", Route.RECORDS, table=table,
                          verification=Verification(True, notes=("computed from cmms export: count",)))
    html = turn_html(Turn("q", answer=records, status="done"))
    checked = re.search(r'<details class="fw-checked">.*?</details>', html, re.S).group(0)
    assert "How this answer was checked" in checked and 'class="fw-chevron"' in checked
    assert "Asset is PRESS-03; dated 2024-01-01 to 2024-12-31 (14 found)" in checked
    assert "computed from cmms export: count" in checked and "not written by the assistant" in checked


def test_citations_are_links_to_their_own_turns_cards_and_text_is_escaped():
    from ui.answers import rich

    html = rich(f"**330 N·m** {XSS} [1, 3] and [2-3]", 4)
    assert "<strong>330 N·m</strong>" in html and "<script" not in html and "&lt;img" in html
    assert re.findall(r'href="#(fw-src-\d-\d)"', html) == ["fw-src-4-1", "fw-src-4-3", "fw-src-4-2", "fw-src-4-3"]
    assert all('class="fw-cite"' in a for a in re.findall(r"<a [^>]*>", html))


def test_document_text_is_escaped_everywhere(ctx):
    from ui.app import respond

    chunk = make_chunk(text=f"Step 3 {XSS} torque 330 N·m.", title=f"Title {XSS}", warnings=(f"DANGER {XSS}",),
                       section_path=(f"Sec {XSS}",))
    ctx.assistant = ScriptedAssistant(line=f"Answer {XSS} [1]", chunk=chunk, safety=(f"WARNING {XSS}",))
    for thread, sources, _, _ in drain(respond(ctx, f"q {XSS}", [])):
        for html in (thread, sources):
            assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in thread and "&lt;img" in sources


def test_an_open_card_shows_its_warning_once():
    from ui.cards import source_card

    html = source_card(1, 1, make_chunk(text=f"{LOCKOUT}\n14. Lock out PRESS-03.", warnings=(LOCKOUT,)))
    opened = html.split("</summary>", 1)[1]
    assert visible_text(opened).count(LOCKOUT) == 1 and "14. Lock out PRESS-03." in opened


def test_superseded_revision_and_kind_badge_on_cards():
    from ui.cards import source_card

    html = source_card(1, 2, make_chunk(superseded=True, revision="B", kind=DocKind.WORK_ORDER, page=None,
                                        fields={"wo_id": "WO-1"}))
    assert "superseded" in html and "rev B" in html and "Work order" in html and "work order WO-1" in html
    assert "#page=" not in html and 'id="fw-src-1-2"' in html


def test_a_table_row_opens_as_a_page_and_downloads_apart():
    from ui.cards import source_card

    row = make_chunk(chunk_id="r-9", source_path="/plant/torque_specs.csv", kind=DocKind.TABLE, page=None,
                     fields={"Asset": "PRESS-03", "row": 9})
    html = source_card(1, 1, row)
    assert 'href="/view/r-9#row-9"' in html and "Open the original file at row 9" in html
    assert 'class="fw-download" href="/source/r-9?download=1" download' in html
    pdf = source_card(1, 1, make_chunk())
    assert "/view/" not in pdf and "fw-download" not in pdf


# The characters the UI prints itself must be in the fonts a tablet has (DejaVu Sans, Noto Sans):
# "ⓘ" (U+24D8) was an empty box. Icons are drawn in CSS instead.
FONT_SAFE = set("…·⚠✓✗—–→’€£")


@pytest.mark.parametrize("name", ["answers.py", "cards.py", "app.py", "examples.py", "original.py", "tablet.css",
                                  "tablet.js"])
def test_the_ui_prints_no_glyph_a_system_font_lacks(name):
    text = (Path(__file__).resolve().parents[1] / "ui" / name).read_text(encoding="utf-8")
    odd = {ch for ch in text if ord(ch) > 127} - FONT_SAFE
    assert not odd, f"{name}: {sorted(odd)} may render as empty boxes; draw the icon in CSS"


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
    assert down["settings"]["llm_preset"] and down["answer"].startswith("Torque the clamp bolts to **330 N·m** [1].")
    assert down["created_at"]
    out = tmp_path / "fb.jsonl"
    assert ctx.feedback.export_questions(out) == 2
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert set(items[0]) == {"id", "question", "reference_answer", "must_contain", "gold_sources", "answerable", "tags"}
    assert items[0]["tags"] == ["feedback", "outdated SOP"] and items[0]["answerable"] is True
    assert items[0]["question"] == "torque for the clamp bolts?" and items[0]["reference_answer"] == ""


def test_feedback_attaches_to_the_answer_it_is_given_on(ctx):
    from ui.answers import thread_html
    from ui.app import give_feedback, respond

    turns = drain(respond(ctx, "first question?", []))[-1][2]
    turns = drain(respond(ctx, "second question?", turns))[-1][2]
    assert give_feedback(ctx, turns, "down", "wrong", "not this bolt", username="ana", turn=1).startswith("Thanks")
    assert [r["question"] for r in ctx.feedback.rows()] == ["first question?"]
    html = thread_html(turns).split('<div class="fw-turn">')
    assert "The document owner will review" in html[1] and 'data-fw-rating="up"' not in html[1]
    assert 'class="fw-fb" data-turn="2"' in html[2]  # the second answer can still be rated
    assert "no longer on this screen" in give_feedback(ctx, turns, "up", turn=7)
    assert "Pick what was wrong" in give_feedback(ctx, turns, "down", "because", turn=2)


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
    from ui.app import NotAllowed, export_feedback, feedback_rows, index_text, source_rows, upload_documents
    from ui.context import UiContext
    from ui.feedback import FeedbackStore

    from assistant.passwords import hash_password

    users = {"tech": {"password_hash": hash_password("t", n=2**10), "role": "technician"},
             "boss": {"password_hash": hash_password("b", n=2**10), "role": "owner"}}
    s = settings.model_copy(update={"server": settings.server.model_copy(update={"users": users})})
    ctx = UiContext(ScriptedAssistant(), s, feedback=FeedbackStore(s.feedback_db))
    for name in ("tech", None, "stranger"):
        for call in (lambda: upload_documents(ctx, [str(tmp_path / "x.pdf")], name), lambda: source_rows(ctx, name),
                     lambda: feedback_rows(ctx, name), lambda: export_feedback(ctx, name),
                     lambda: index_text(ctx, name, True)):
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

    ctx = UiContext(SimpleNamespace(store=ui_runtime.store), ui_runtime.settings, ui_runtime.catalog)
    choices = asset_choices(ctx)
    assert choices[0] == ALL_ASSETS and "PRESS-09" in choices
    sops = {s.doc_id for s in ui_runtime.catalog.sources() if s.kind is DocKind.SOP}
    examples = example_questions(ctx)
    assert any(q.startswith("What does step") and any(d in q for d in sops) for q in examples), examples
    (ui_runtime.settings.data_dir / "examples.json").write_text(json.dumps(["Where is the spill kit?"]))
    try:
        assert example_questions(ctx) == ["Where is the spill kit?"]
    finally:
        (ui_runtime.settings.data_dir / "examples.json").unlink()


def test_owner_upload_goes_through_ingestion(ui_runtime, tmp_path):
    from ui.app import upload_documents
    from ui.context import UiContext
    from ui.ingesting import IngestService

    ctx = UiContext(SimpleNamespace(store=ui_runtime.store), ui_runtime.settings, ui_runtime.catalog,
                    IngestService.from_runtime(ui_runtime))
    temp = tmp_path / "upload.tmp"
    temp.write_text("# CONV-99 belt note\n\nCheck the CONV-99 belt tension weekly with the 5 kg gauge.\n")

    class Uploaded:  # what gradio hands a handler for gr.File
        name = str(temp)
        orig_name = "../conv99 belt note.md"

    message, rows = upload_documents(ctx, [Uploaded()], None)
    assert "1 added" in message and rows[0][0] == "added"
    saved = ui_runtime.settings.data_dir / "uploads" / "conv99 belt note.md"
    assert saved.is_file() and ui_runtime.catalog.source(str(saved.resolve())) is not None


def test_documents_tab_shows_the_search_index_state(ui_runtime):
    """The real Edge store, far below store.index_min_points: exact scan, and 'Index now' starts nothing."""
    from ui.app import index_text
    from ui.context import UiContext

    ctx = UiContext(SimpleNamespace(store=ui_runtime.store), ui_runtime.settings, ui_runtime.catalog)
    assert index_text(ctx, None) == f"Search index: {ui_runtime.store.index_state().describe()}"
    assert "exact scan" in index_text(ctx, None, start=True)
    assert ui_runtime.store.index_state().state == "exact scan"


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


# -- tables: originals as pages, examples of every kind --------------------------------------------
@pytest.fixture(scope="module")
def table_plant(tmp_path_factory, embedder, bm25):
    """A small plant: a CSV spec table (one hostile cell), a two-sheet XLSX, the sample work-order log,
    one SOP and one expert note, ingested into a temp store; served with a scripted assistant."""
    import shutil

    import openpyxl
    from fastapi.testclient import TestClient

    from assistant.runtime import Runtime
    from assistant.settings import load_settings
    from ingest.pipeline import Ingestor
    from ui.app import build_app
    from ui.server import create_server

    root = tmp_path_factory.mktemp("table_plant")
    docs = root / "docs"
    for folder in ("tables", "work_orders", "sops", "expert_notes"):
        (docs / folder).mkdir(parents=True)
    (docs / "tables" / "bolt specs.csv").write_text(
        "Asset,Component,Torque (N·m)\nPRESS-03,Lower die clamp bolts,330\n"
        f"PRESS-09,{XSS} guard bolts,45\nPRESS-04,Brake hub bolts,120\n", encoding="utf-8")
    book = openpyxl.Workbook()
    for n, name in enumerate(("2023", "2024")):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(["Part", "Bin", "Min stock"])
        sheet.append([f"Seal kit {name}", f"B-{n}1", 2 + n])
        sheet.append([f"Filter {name}", f"B-{n}2", 4 + n])
    book.save(docs / "tables" / "spares by year.xlsx")
    sample = Path(__file__).resolve().parents[1] / "sample_plant" / "docs"
    shutil.copy(sample / "work_orders" / "cmms_export_2024.xlsx", docs / "work_orders")
    shutil.copy(sample / "sops" / "SOP-131 Compressor CMP-2 Daily Check rev A.md", docs / "sops")
    shutil.copy(sample / "expert_notes" / "2023-03-08 conv12 gearbox oil.txt", docs / "expert_notes")
    settings = load_settings(overrides={"data_dir": str(root / "data")}, environ={})
    runtime = Runtime(settings)
    runtime.__dict__.update(embedder=embedder, bm25=bm25)
    report = Ingestor(runtime.catalog, embedder, bm25, settings.ingest).add([docs])
    assert not report.failed, report.failed
    assistant = ScriptedAssistant()
    assistant.store = runtime.store
    app = build_app(assistant, settings, catalog=runtime.catalog)
    client = TestClient(create_server(app, settings, owner_token="t"))
    yield SimpleNamespace(runtime=runtime, client=client, ctx=app.floorwise, docs=docs)
    runtime.close()


def _row_chunk(plant, file_name: str, text: str) -> Chunk:
    from assistant.store.base import CURRENT

    found = [c for c in plant.runtime.store.scroll(CURRENT, 1000)
             if c.source_path.endswith(file_name) and text in c.text]
    assert found, f"no row of {file_name} mentions {text!r}"
    plant.ctx.chunks.remember(found[:1])  # as when its card was shown
    return found[0]


def test_a_csv_row_opens_as_a_page_with_that_row_marked(table_plant):
    chunk = _row_chunk(table_plant, "bolt specs.csv", "guard bolts")
    page = table_plant.client.get(f"/view/{chunk.chunk_id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script runs
    marked = re.search(r'<tr id="row-(\d+)" class="fw-marked">(.*?)</tr>', page.text).groups()
    assert int(marked[0]) == chunk.fields["row"] and "PRESS-09" in marked[1] and "&lt;script&gt;" in marked[1]
    assert "<script" not in page.text and "<img" not in page.text
    assert page.text.count("<tr") == 4  # the header and every row, so the row is seen in context
    download = table_plant.client.get(f"/source/{chunk.chunk_id}?download=1")
    assert download.status_code == 200 and download.headers["content-disposition"].startswith("attachment")
    assert download.content == Path(chunk.source_path).read_bytes()


def test_an_xlsx_row_opens_on_its_own_sheet(table_plant):
    chunk = _row_chunk(table_plant, "spares by year.xlsx", "Filter 2024")
    page = table_plant.client.get(f"/view/{chunk.chunk_id}").text
    marked = re.search(r'<tr id="row-\d+" class="fw-marked">(.*?)</tr>', page).group(1)
    assert "Filter 2024" in marked and "2024" in marked and "Seal kit" not in marked


def test_only_table_rows_of_ingested_files_open_as_pages(table_plant):
    from ui.original import render_table_page

    client = table_plant.client
    sop = _row_chunk(table_plant, "SOP-131 Compressor CMP-2 Daily Check rev A.md", "")
    assert client.get(f"/view/{sop.chunk_id}").status_code == 404
    assert client.get("/view/unknown-id").status_code == 404
    table_plant.ctx.chunks.remember([make_chunk(chunk_id="evil", source_path="/etc/passwd.csv", fields={"row": 1})])
    assert client.get("/view/evil").status_code == 404
    chunk = _row_chunk(table_plant, "bolt specs.csv", "Brake hub")
    changed = render_table_page(chunk, [], "/source/x?download=1", changed=True)
    assert "has changed since" in changed and "no longer in this file" in changed


def test_examples_draw_one_question_from_each_kind_ingested(table_plant):
    from ui.app import example_questions

    examples = example_questions(table_plant.ctx)
    shapes = ("What does step ", "How many work orders were there for ", "What is the ", "What do the expert notes")
    assert len(examples) == 4 and [q.startswith(s) for q, s in zip(examples, shapes)] == [True] * 4, examples
    assert "SOP-131" in examples[0] and "CONV-12" in examples[3].upper().replace("CONV12", "CONV-12")
