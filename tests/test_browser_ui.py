"""End to end in headless Chromium: `floorwise serve`, CLI hand-off, a streamed cited answer, feedback, offline.

Needs a Chromium (Debian's: `make browser-deps`; any other: set FLOORWISE_CHROMIUM to its path) and
Playwright for Python; no browser download. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
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


def ask(page, question: str) -> None:
    page.fill("#fw-question textarea", question)
    page.click("#fw-ask")
    page.wait_for_selector("#fw-sources .fw-card", timeout=60_000)  # cards come before the answer
    page.wait_for_selector("#fw-up", state="visible", timeout=240_000)


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

    card = page.locator("#fw-sources .fw-card").first
    card.locator("summary").click()
    assert card.get_attribute("open") is not None
    link = card.locator("a.fw-open")
    href = link.get_attribute("href")
    assert href.startswith("/source/")
    original = page.request.get(server["url"].rstrip("/") + href.split("#")[0])
    assert original.status == 200 and len(original.body()) > 100
    page.screenshot(path=str(ARTIFACTS / "ui-source-open-1024x768.png"), full_page=True)

    page.click("#fw-down")
    page.locator("#fw-reason label", has_text="outdated SOP").click()
    page.fill("#fw-comment textarea", "rev C changed this")
    page.click("#fw-send")
    page.wait_for_function("document.querySelector('#fw-feedback-status').innerText.includes('Thanks')",
                           timeout=15_000)
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
    page.click("#fw-sources .fw-card summary >> nth=0")
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
