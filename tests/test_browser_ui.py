"""End to end in headless Chromium: `floorwise serve`, CLI hand-off, a streamed cited answer, feedback, offline.

Needs a Chromium (Debian's: `make browser-deps`; any other: set FLOORWISE_CHROMIUM to its path) and
Playwright for Python; no browser download. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.server import free_port, wait_for
from tests.conftest import find_chromium, stop_process

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = find_chromium()  # $FLOORWISE_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH
NO_CHROMIUM = ("no Chromium found: install Debian's with `make browser-deps`, or set FLOORWISE_CHROMIUM "
               "to a Chromium or Chrome executable")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FLOORWISE = [sys.executable, "-m", "floorwise.cli"]


@pytest.fixture(scope="module")
def server(tmp_path_factory, ui_docs, llm_path):
    """`floorwise serve` on 127.0.0.1 over an empty store, filled through the CLI hand-off."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api")
    data = tmp_path_factory.mktemp("browser_data")
    port = free_port()
    env = {**os.environ, "FLOORWISE_MODELS__LLM_PATH": str(llm_path)}
    env.pop("FLOORWISE_CONFIG", None)
    log = (data / "serve.log").open("w")
    proc = subprocess.Popen([*FLOORWISE, "--data-dir", str(data), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/", 180, proc)
        owner = json.loads((data / "owner.json").read_text())
        assert owner["port"] == port and owner["pid"] == proc.pid
        # The store belongs to the server now: `ingest add` hands the job over the API.
        added = subprocess.run([*FLOORWISE, "--data-dir", str(data), "ingest", "add", str(ui_docs), "--json"],
                               cwd=data, env=env, capture_output=True, text=True, timeout=600)
        assert added.returncode == 0, added.stderr
        assert "handing the job to the running server" in added.stderr
        report = json.loads(added.stdout)
        assert report["counts"].get("added", 0) >= 2, report
        listed = subprocess.run([*FLOORWISE, "--data-dir", str(data), "ingest", "list", "--json"],
                                cwd=data, env=env, capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0 and len(json.loads(listed.stdout)) == report["counts"]["added"]
        yield {"url": f"http://127.0.0.1:{port}/", "data": data, "port": port}
    finally:
        stop_process(proc, timeout=30)
        log.close()
    assert not (data / "owner.json").exists(), "the server did not release the store"


@pytest.fixture()
def browser_page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        requests, dialogs = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield page, requests, dialogs
        browser.close()


def ask(page, question: str, timeout_ms: int = 240_000) -> None:
    """Ask and wait for the answer: its turn's own cards come first, then its actions once it is done."""
    number = page.locator("#fw-thread .fw-turn").count() + 1
    page.fill("#fw-question textarea", question)
    page.click("#fw-ask")
    page.wait_for_selector(f"#fw-sources-{number} .fw-card", timeout=60_000)  # cards come before the answer
    page.locator("#fw-thread .fw-turn").nth(number - 1).locator(".fw-actions, .fw-error").first.wait_for(
        timeout=timeout_ms)
    page.wait_for_selector("#fw-ask:enabled", timeout=10_000)


def test_technician_asks_opens_a_source_and_gives_feedback(server, browser_page):
    page, requests, dialogs = browser_page
    page.goto(server["url"])
    page.wait_for_selector("#fw-examples button", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "ui-empty-1024x768.png"))

    ask(page, "What torque for the lower die clamp bolts on PRESS-03?")
    assert page.locator("#fw-thread .fw-a").count() == 1
    answer = page.inner_text("#fw-thread .fw-a")
    assert answer.strip()
    assert page.locator("#fw-examples").is_hidden()
    assert page.locator("#fw-sources .fw-card").count() >= 1
    if page.locator("#fw-thread .fw-refused").count() == 0:
        assert page.locator("#fw-thread .fw-cite").count() >= 1 or page.locator("#fw-thread .fw-quoted").count()
    page.screenshot(path=str(ARTIFACTS / "ui-answer-1024x768.png"), full_page=True)

    card = page.locator("#fw-sources-1 .fw-card").first
    card.locator("summary").click()
    assert card.get_attribute("open") is not None
    link = card.locator("a.fw-open")
    href = link.get_attribute("href")
    assert href.startswith("/source/")
    original = page.request.get(server["url"].rstrip("/") + href.split("#")[0])
    assert original.status == 200 and len(original.body()) > 100
    page.screenshot(path=str(ARTIFACTS / "ui-source-open-1024x768.png"), full_page=True)

    give_feedback(page, 1, "outdated SOP", "rev C changed this")
    with sqlite3.connect(server["data"] / "feedback.sqlite3") as db:
        rows = db.execute("SELECT rating, reason, comment, question FROM feedback").fetchall()
    assert ("down", "outdated SOP", "rev C changed this", "What torque for the lower die clamp bolts on PRESS-03?") in rows

    page.set_viewport_size({"width": 800, "height": 1280})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "ui-answer-800x1280.png"), full_page=True)

    assert not dialogs
    hosts = {urlparse(u).netloc for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {f"127.0.0.1:{server['port']}"}, hosts


def test_hostile_document_text_stays_inert(server, browser_page):
    page, requests, dialogs = browser_page
    page.goto(server["url"])
    page.wait_for_selector("#fw-ask", timeout=60_000)
    ask(page, "How often must the PRESS-09 guard interlock switch be tested?")
    sources = page.inner_text("#fw-sources")
    assert "PRESS-09" in sources
    assert page.locator("#fw-sources script, #fw-thread script, #fw-sources img, #fw-thread img").count() == 0
    assert "<img src=x" in sources or "<script>" in sources  # shown as text
    page.click("#fw-sources-1 .fw-card summary >> nth=0")
    page.wait_for_timeout(500)
    assert not dialogs
    page.screenshot(path=str(ARTIFACTS / "ui-hostile-1024x768.png"), full_page=True)
    hosts = {urlparse(u).netloc for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {f"127.0.0.1:{server['port']}"}, hosts


# -- login ---------------------------------------------------------------------------------------
LOGINS = {"olga": ("owner-pw-1", "owner"), "tom": ("tech-pw-22", "technician")}


@pytest.fixture(scope="module")
def login_server(tmp_path_factory, llm_path):
    """`floorwise serve` with two users in [server.users], as `floorwise user add` writes them."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api")
    from assistant.passwords import hash_password, user_line

    root = tmp_path_factory.mktemp("browser_login")
    port = free_port()
    users = "\n".join(user_line(name, hash_password(pw), role) for name, (pw, role) in LOGINS.items())
    (root / "floorwise.toml").write_text(f'data_dir = "data"\n[server]\nhost = "127.0.0.1"\nport = {port}\n'
                                         f"[server.users]\n{users}\n", encoding="utf-8")
    env = {**os.environ, "FLOORWISE_MODELS__LLM_PATH": str(llm_path)}
    env.pop("FLOORWISE_CONFIG", None)
    with (root / "serve.log").open("w") as log:
        proc = subprocess.Popen([*FLOORWISE, "serve"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/", 180, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_process(proc, timeout=30)


def log_in(page, url: str, name: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()


def documents_tab(page):
    return page.get_by_role("tab", name="Documents")


def test_wrong_password_stays_on_the_login_page(login_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        log_in(page, login_server, "olga", LOGINS["tom"][0])
        page.get_by_text("Incorrect Credentials").wait_for(timeout=15_000)
        assert page.locator("#fw-ask").count() == 0
        browser.close()


@pytest.mark.parametrize("name", ["olga", "tom"])
def test_owner_and_technician_log_in_and_see_their_tabs(login_server, name):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    password, role = LOGINS[name]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(login_server)
        page.screenshot(path=str(ARTIFACTS / "ui-login-1024x768.png"))
        log_in(page, login_server, name, password)
        page.wait_for_selector("#fw-ask", timeout=60_000)
        if role == "owner":
            documents_tab(page).wait_for(state="visible", timeout=30_000)  # shown by the page's load event
        else:
            # An owner's tab shows within a second of the chat; a technician's must not in five.
            with pytest.raises(PlaywrightTimeout):
                documents_tab(page).wait_for(state="visible", timeout=5_000)
        page.screenshot(path=str(ARTIFACTS / f"ui-logged-in-{role}-1024x768.png"))
        browser.close()


def give_feedback(page, turn: int, reason: str, comment: str, shot: str | None = None) -> None:
    """✗ Not right on answer `turn`, a reason, a comment, Send; waits for that answer's thanks."""
    answer = page.locator("#fw-thread .fw-turn").nth(turn - 1)
    answer.locator(".fw-fb-down summary").click()
    answer.locator("[data-fw-rating=down]").click()  # no reason picked yet: nothing is sent
    assert answer.locator(".fw-fb-hint").is_visible()
    answer.locator("label.fw-reason", has_text=reason).click()
    assert answer.locator(".fw-fb-hint").is_hidden()
    answer.locator(".fw-fb-comment").fill(comment)
    if shot:
        answer.locator(".fw-fb-form").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / shot))
    answer.locator("[data-fw-rating=down]").click()
    page.locator("#fw-thread .fw-turn").nth(turn - 1).locator(".fw-fb-note").wait_for(timeout=15_000)


# -- the tablet: conversation, citations, the view, originals (no model: real retrieval, paced) -------
TABLET_DOCS = {
    "sops": ["SOP-101 Lockout Tagout Hydraulic Presses rev D.pdf", "SOP-104 Die Change PRESS-03 rev C.pdf"],
    "tables": ["torque_specs.csv"],
    "work_orders": ["cmms_export_2024.xlsx"],
    "expert_notes": ["2022-09-20 press03 main cylinder seal history.md"],
}
TORQUE = "What torque for the lower die clamp bolts on PRESS-03?"
LOCKOUT = "What are the lockout steps for a hydraulic press?"
COUNT = "How many work orders for PRESS-03 in 2024?"
NOT_COVERED = "What is the boiling point of the coolant?"
# A line standing in for the model's on the first question (the model is not what these tests check).
LINES = {TORQUE: "The lower die strap clamp bolts on PRESS-03 take **330 N·m** (243 lbf·ft) [1]."}
PAUSE_S = 1.5  # before the evidence and before the final answer, so each stage can be seen and measured


class PacedAssistant:
    """The real Assistant without a model, slowed down so that the browser sees each stage."""

    def __init__(self, assistant, pause_s: float, lines: dict[str, str]):
        self.assistant, self.pause_s, self.lines = assistant, pause_s, lines

    def __getattr__(self, name):
        return getattr(self.assistant, name)

    def ask(self, question, history=(), filters=None):
        import time
        from dataclasses import replace

        from assistant.domain import FinalEvent, Route, TokenEvent

        for event in self.assistant.ask(question, history, filters):
            if isinstance(event, (TokenEvent, FinalEvent)):
                time.sleep(self.pause_s)
            line = self.lines.get(question)
            if isinstance(event, FinalEvent) and line:
                answer = event.answer
                event = FinalEvent(replace(answer, route=Route.GENERATED, line=line, text=f"{line}\n\n{answer.text}"))
            yield event


@pytest.fixture(scope="module")
def tablet(tmp_path_factory, embedder, bm25):
    """A Floorwise server in this process over a few sample-plant files, answering without a model."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api")
    import threading

    import uvicorn

    from assistant.answering import Assistant
    from assistant.runtime import Runtime
    from assistant.settings import load_settings
    from ingest.pipeline import Ingestor
    from ui.app import build_app
    from ui.server import create_server

    root = tmp_path_factory.mktemp("tablet")
    for folder, names in TABLET_DOCS.items():
        (root / "docs" / folder).mkdir(parents=True)
        for name in names:
            (root / "docs" / folder / name).write_bytes((REPO / "sample_plant" / "docs" / folder / name).read_bytes())
    port = free_port()
    settings = load_settings(overrides={"data_dir": str(root / "data"), "server": {"host": "127.0.0.1", "port": port}},
                             environ={})
    runtime = Runtime(settings)
    runtime.__dict__.update(embedder=embedder, bm25=bm25)
    report = Ingestor(runtime.catalog, embedder, bm25, settings.ingest).add([root / "docs"])
    assert not report.failed, report.failed
    real = Assistant(runtime.catalog, embedder, bm25, None, settings.retrieval, settings.generation)
    app = create_server(build_app(PacedAssistant(real, PAUSE_S, LINES), settings, catalog=runtime.catalog),
                        settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        import httpx

        for _ in range(200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            threading.Event().wait(0.1)
        yield {"url": f"http://127.0.0.1:{port}/", "port": port, "settings": settings}
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.close()


# Geometry read in the page: what a technician sees at this moment.
IN_VIEW_JS = """(n) => {
  const turn = document.querySelectorAll('#fw-thread .fw-turn')[n - 1];
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const answer = turn.querySelector('.fw-a');
  return {question: box(turn.querySelector('.fw-q')), answer: box(answer), streaming: answer.matches('.fw-streaming'),
          safety: turn.querySelector('.fw-safety') ? box(turn.querySelector('.fw-safety')) : null,
          composer: box(document.getElementById('fw-composer')), height: window.innerHeight};
}"""
OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# A glyph the fonts lack is drawn as the same empty box as a private-use character: compare the pixels.
TOFU_JS = """() => {
  const font = getComputedStyle(document.querySelector('.gradio-container')).fontFamily;
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 48;
  const ctx = canvas.getContext('2d');
  const draw = (c) => { ctx.clearRect(0, 0, 48, 48); ctx.font = `32px ${font}`; ctx.fillText(c, 4, 38);
                        return ctx.getImageData(0, 0, 48, 48).data.join(','); };
  const box = draw('\\u{10FFFD}');
  const text = document.body.innerText + [...document.querySelectorAll('*')].map(
      (el) => getComputedStyle(el, '::before').content).join('');
  const chars = [...new Set([...text].filter((c) => c.codePointAt(0) > 127 && !/\\s/.test(c)))];
  return {checked: chars.length, empty: chars.filter((c) => draw(c) === box)};
}"""


def in_view(page, n: int) -> dict:
    return page.evaluate(IN_VIEW_JS, n)


def tablet_ask(page, question: str, shot: str | None = None) -> dict:
    """Ask; while the answer streams, measure where it is and check the Ask button; wait for the end."""
    turns = page.locator("#fw-thread .fw-turn")
    number = turns.count() + 1
    page.fill("#fw-question textarea", question)
    page.click("#fw-ask")
    turns.nth(number - 1).locator(".fw-streaming .fw-body, .fw-refused").first.wait_for(timeout=60_000)
    seen = in_view(page, number)
    if seen["streaming"]:
        assert page.locator("#fw-ask").is_disabled(), "Ask stays active while an answer streams"
        if shot:
            page.screenshot(path=str(ARTIFACTS / shot))
    turns.nth(number - 1).locator(".fw-actions").wait_for(timeout=120_000)
    page.wait_for_selector("#fw-ask:enabled", timeout=10_000)
    page.wait_for_timeout(300)  # the view settles on the finished answer (tablet.js) before the next tap
    return seen


def assert_in_view(seen: dict) -> None:
    """The question, its safety box and (the top of) its answer are on screen, above the question box."""
    limit = seen["composer"]["top"]
    assert 0 <= seen["question"]["top"] < limit, seen
    assert seen["answer"]["top"] < limit - 40 and seen["answer"]["bottom"] > 0, seen
    if seen["safety"]:
        assert seen["safety"]["top"] >= 0 and seen["safety"]["top"] < limit, seen


def assert_fits(page) -> None:
    assert page.evaluate(OVERFLOW_JS) <= 0, "the page scrolls sideways"
    box = page.locator("#fw-question textarea").bounding_box()
    height = page.viewport_size["height"]
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= height, ("question box out of reach", box)


@pytest.mark.parametrize("width, height", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_each_answer_keeps_its_sources_and_the_screen_follows_the_answer(tablet, width, height):
    from playwright.sync_api import sync_playwright

    size = f"{width}x{height}"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(tablet["url"])
        examples = page.locator("#fw-examples button.fw-example:visible")
        examples.first.wait_for(timeout=60_000)
        texts = examples.all_inner_texts()
        assert len(texts) == 4 and any("step" in t for t in texts) and any("work orders" in t for t in texts)
        assert_fits(page)
        page.screenshot(path=str(ARTIFACTS / f"tablet-empty-{size}.png"))

        tablet_ask(page, TORQUE, shot=f"tablet-streaming-first-{size}.png")
        first = {c.get_attribute("id"): c.locator(".fw-title").inner_text()
                 for c in page.locator("#fw-sources-1 .fw-card").all()}
        assert first and all(k.startswith("fw-src-1-") for k in first)
        lead = page.locator("#fw-thread .fw-turn >> nth=0").locator(".fw-lead").inner_text()
        assert lead.startswith("The lower die strap clamp bolts on PRESS-03 take 330 N·m")
        tablet_ask(page, LOCKOUT)
        seen = tablet_ask(page, COUNT, shot=f"tablet-streaming-third-{size}.png")
        assert seen["streaming"]
        assert_in_view(seen)  # the page is long by now: the view followed the new answer
        assert_fits(page)
        page.screenshot(path=str(ARTIFACTS / f"tablet-three-answers-{size}.png"))
        assert page.locator("#fw-thread .fw-turn >> nth=2").locator(".fw-lead strong").inner_text() == "11"

        # Every citation of the first answer still opens the first answer's own card.
        cites = page.locator("#fw-thread .fw-turn >> nth=0").locator("a.fw-cite")
        assert cites.count() >= 2
        for i in range(cites.count()):
            cite = cites.nth(i)
            cite.scroll_into_view_if_needed()
            box = cite.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
            cite.tap()
            target = f"fw-src-1-{cite.get_attribute('data-n')}"
            card = page.locator(f"#{target}")
            page.wait_for_function("(id) => { const c = document.getElementById(id);"
                                   " const r = c.getBoundingClientRect();"
                                   " return c.open && r.top >= 0 && r.top < window.innerHeight; }",
                                   arg=target, timeout=5_000)
            assert "fw-flash" in card.get_attribute("class")
            assert card.locator(".fw-title").inner_text() == first[target]
            assert page.locator("#fw-sources-1").is_visible() and page.locator("#fw-sources-3").is_hidden()
            if i == 0:
                page.screenshot(path=str(ARTIFACTS / f"tablet-first-citation-{size}.png"))

        # Tapping an older answer brings back its cards.
        page.locator("#fw-thread .fw-turn >> nth=1").locator(".fw-a").tap()
        assert page.locator("#fw-sources-2").is_visible() and page.locator("#fw-sources-1").is_hidden()
        assert page.locator("#fw-sources-2 .fw-card").count() >= 1

        checked = page.locator("#fw-thread .fw-turn >> nth=2").locator(".fw-checked summary")
        assert checked.bounding_box()["height"] >= 44
        checked.tap()
        page.locator("#fw-thread .fw-turn >> nth=2").locator(".fw-checked ul").wait_for()
        page.screenshot(path=str(ARTIFACTS / f"tablet-checked-{size}.png"))

        tablet_ask(page, NOT_COVERED)
        refused = page.locator("#fw-thread .fw-turn >> nth=3")
        assert refused.locator(".fw-refused-head").is_visible()
        glyphs = page.evaluate(TOFU_JS)
        assert glyphs["checked"] > 0 and glyphs["empty"] == [], glyphs
        assert_fits(page)
        page.screenshot(path=str(ARTIFACTS / f"tablet-refused-{size}.png"))
        hosts = {urlparse(u).netloc for u in requests if not u.startswith(("data:", "blob:"))}
        assert hosts == {f"127.0.0.1:{tablet['port']}"}, hosts
        browser.close()


def test_a_csv_original_opens_as_a_page_and_feedback_stays_with_its_answer(tablet):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True)
        page = context.new_page()
        page.goto(tablet["url"])
        page.locator("#fw-examples button.fw-example:visible").first.wait_for(timeout=60_000)
        tablet_ask(page, TORQUE)
        tablet_ask(page, COUNT)

        # Back to the first answer: its cards come back; open its torque-table row from there.
        first = page.locator("#fw-thread .fw-turn >> nth=0")
        first.locator(".fw-a").tap()
        card = page.locator("#fw-sources-1 details.fw-card", has=page.locator('a.fw-open[href^="/view/"]')).first
        assert card.count(), "the torque question found no row of torque_specs.csv"
        cite = first.locator(f'a.fw-cite[data-n="{card.get_attribute("data-n")}"]')
        (cite.first if cite.count() else card.locator("summary")).tap()
        link = card.locator("a.fw-open")
        link.wait_for(timeout=5_000)  # the tap opened the card
        assert "Open the original file at row" in link.inner_text()
        assert card.locator("a.fw-download").get_attribute("href").endswith("?download=1")  # apart, secondary
        component = re.search(r"Component: ([^|]+)", card.locator(".fw-fulltext").inner_text()).group(1).strip()
        with context.expect_page() as opened:
            link.tap()
        original = opened.value
        original.wait_for_load_state()
        marked = original.locator("tr.fw-marked")
        marked.wait_for(timeout=15_000)
        assert component in marked.inner_text()
        assert marked.get_attribute("id") == link.get_attribute("href").rsplit("#", 1)[1]
        assert original.locator("table tr").count() > 10  # the row in its table, not alone
        box = marked.bounding_box()
        assert 0 <= box["y"] < original.viewport_size["height"], box
        original.screenshot(path=str(ARTIFACTS / "tablet-csv-original-1280x800.png"))
        original.close()

        give_feedback(page, 1, "wrong", "bolt size is M20", shot="tablet-feedback-form-1280x800.png")
        second = page.locator("#fw-thread .fw-turn >> nth=1")
        assert second.locator("[data-fw-rating=up]").is_visible()  # the other answer is still to rate
        page.screenshot(path=str(ARTIFACTS / "tablet-feedback-1280x800.png"))
        with sqlite3.connect(tablet["settings"].feedback_db) as db:
            rows = db.execute("SELECT rating, reason, comment, question FROM feedback").fetchall()
        assert ("down", "wrong", "bolt size is M20", TORQUE) in rows
        browser.close()
