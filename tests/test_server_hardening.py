"""`floorwise serve` under faults, concurrent users and ingestion, login roles, and no network.

Every process started here (the servers, the CLI) runs with tests/netguard on its
PYTHONPATH: any attempt to reach a host other than this machine is refused and
logged, and the last test reads that log. Technicians are real Gradio sessions
over HTTP (`bench.technician`), the same clients the load benchmark uses.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.passwords import hash_password, user_line

from bench.server import free_port, wait_for
from tests.conftest import REPO, corpus, stop_process
from tests.test_ingest_pipeline import _check_store

pytestmark = pytest.mark.slow

FLOORWISE = [sys.executable, "-m", "floorwise.cli"]
NETGUARD = REPO / "tests" / "netguard"
FIXTURES = REPO / "tests" / "fixtures"
OWNER, TECHNICIAN = ("olga", "owner-pw"), ("tom", "tech-pw")
ONLY_OWNERS = "only document owners"

QUESTIONS = (
    "How long should the flush line run when PUMP-4 weeps after a restart?",
    "What pressure does accumulator ACC-7 hold after shutdown?",
    "How often must the PRESS-09 guard interlock switch be tested?",
    "Which bleed valve is opened on PRESS-07, and how far?",
    "What part number is the flush orifice?",
    "What must be installed before lowering the ram on PRESS-07?",
)


# -- helpers ------------------------------------------------------------------------------------
class Plant:
    """A data folder, a docs folder, a config with login, and the processes started on them."""

    def __init__(self, root: Path, llm_path: Path, netlog: Path, ui_docs: Path):
        self.root, self.data, self.docs = root, root / "data", root / "docs"
        self.docs.mkdir(parents=True)
        for source in [*ui_docs.iterdir(), FIXTURES / "sop_press.md", FIXTURES / "note_pump.txt"]:
            shutil.copy(source, self.docs / source.name)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.config = root / "floorwise.toml"
        self.config.write_text(
            f'data_dir = "{self.data}"\n[models]\nllm_path = "{llm_path}"\n'
            f'[server]\nhost = "127.0.0.1"\nport = {self.port}\n[server.users]\n'
            f'{user_line(OWNER[0], hash_password(OWNER[1]), "owner")}\n'
            f'{user_line(TECHNICIAN[0], hash_password(TECHNICIAN[1]), "technician")}\n', encoding="utf-8")
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NETGUARD), str(REPO)]),
                    "NETGUARD_LOG": str(netlog)}
        self.env.pop("FLOORWISE_CONFIG", None)
        self.server: subprocess.Popen | None = None
        self.logs: list[Path] = []

    def command(self, *args: str) -> list[str]:
        return [*FLOORWISE, "--config", str(self.config), *args]

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), cwd=self.root, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def cli_background(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(self.command(*args), cwd=self.root, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start(self) -> subprocess.Popen:
        log = self.root / f"serve-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("w") as out:
            self.server = subprocess.Popen(self.command("serve"), cwd=self.root,
                                           env=self.env, stdout=out, stderr=subprocess.STDOUT)
        wait_for(self.url, 180, self.server)
        return self.server

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            stop_process(self.server, timeout=30)
        self.server = None

    def kill(self) -> None:
        assert self.server is not None
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(timeout=30)
        self.server = None

    def server_log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def client(self, auth):
        """A bare Gradio client session, for calling any of the app's endpoints."""
        from gradio_client import Client

        return Client(self.url, auth=auth, verbose=False, download_files=False)

    def technician(self, auth=TECHNICIAN):
        from bench.technician import Technician

        return Technician(self.url, auth=auth, timeout_s=300)


def login_cookies(url: str, user: tuple[str, str]) -> httpx.Cookies:
    response = httpx.post(url + "login", data={"username": user[0], "password": user[1]}, timeout=30)
    assert response.status_code == 200, response.text
    return response.cookies


def card_link(sources_html: str) -> str:
    found = re.search(r'href="(/source/[^"#]+)', sources_html)
    assert found, sources_html[:500]
    return found.group(1)


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def netlog(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("netguard") / "net.log"


@pytest.fixture(scope="module")
def plant(tmp_path_factory, llm_path, netlog, ui_docs):
    """A plant with login on: documents ingested and asked about from the CLI, then served."""
    plant = Plant(tmp_path_factory.mktemp("plant"), llm_path, netlog, ui_docs)
    added = plant.cli("ingest", "add", str(plant.docs), "--json")
    assert added.returncode == 0, added.stderr[-2000:]
    asked = plant.cli("ask", QUESTIONS[1], "--json")
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert json.loads(asked.stdout)["sources"], asked.stdout[:1000]
    plant.start()
    yield plant
    plant.stop()
    assert not (plant.data / "owner.json").exists(), "the server did not release the store"


# -- access -------------------------------------------------------------------------------------
def test_unauthenticated_requests_to_every_endpoint_are_refused(plant):
    tech = plant.technician()
    link = card_link(tech.ask(QUESTIONS[2]).sources)
    tech.close()
    document = next(plant.docs.glob("*.pdf"), next(plant.docs.glob("*.md")))
    anonymous = httpx.Client(base_url=plant.url, timeout=30)
    refused = {
        "config": anonymous.get("config"),
        "api info": anonymous.get("gradio_api/info"),
        "queue join": anonymous.post("gradio_api/queue/join", json={"fn_index": 0, "data": [], "session_hash": "x"}),
        "file upload": anonymous.post("gradio_api/upload", files={"files": ("a.txt", b"hello")}),
        "file read": anonymous.get(f"gradio_api/file={document}"),
        "original file": anonymous.get(link.lstrip("/")),
        "ingest api": anonymous.post("api/v1/ingest", json={"verb": "remove", "paths": [str(document)]}),
        "sources api": anonymous.get("api/v1/sources"),
    }
    assert {name: r.status_code for name, r in refused.items()} == {name: 401 for name in refused}
    bad = anonymous.post("login", data={"username": OWNER[0], "password": "wrong"})
    assert bad.status_code in (400, 401) and not bad.cookies
    # A logged-in technician may open the original of a passage shown to them...
    with httpx.Client(base_url=plant.url, cookies=login_cookies(plant.url, TECHNICIAN), timeout=30) as tom:
        assert tom.get(link.lstrip("/")).status_code == 200
        # ...but the ingest API wants the owner token from owner.json, not a login.
        assert tom.post("api/v1/ingest", json={"verb": "remove", "paths": [str(document)]}).status_code == 401
        assert tom.get("api/v1/sources").status_code == 401
    listed = plant.cli("ingest", "list", "--json")
    assert listed.returncode == 0 and any(Path(s["source_path"]).name == document.name
                                          for s in json.loads(listed.stdout))


def test_a_technician_cannot_upload_list_or_see_feedback_and_an_owner_can(plant, tmp_path):
    from gradio_client import handle_file

    tom, olga = plant.client(TECHNICIAN), plant.client(OWNER)
    try:
        asked = tom.predict(QUESTIONS[0], "All equipment", [], False, api_name="/on_ask")
        assert html.escape(QUESTIONS[0]) in asked[0]
        thanked = tom.predict(api_name="/on_up")  # the hidden reason box is not an output the client sees
        assert (thanked if isinstance(thanked, str) else thanked[0]).startswith("Thanks"), thanked

        upload = tmp_path / "compressor note.txt"
        upload.write_text("Subject: CMP-2 drain\nAuthor: Lee Park\nDate: 2 May 2024\n\n"
                          "Drain the CMP-2 receiver tank daily at shift start.\n", encoding="utf-8")
        for api_name, args in (("/on_refresh", ()), ("/on_export", ()), ("/on_upload", ([handle_file(upload)],))):
            with pytest.raises(Exception, match=ONLY_OWNERS):
                tom.predict(*args, api_name=api_name)
        # on_load also toggles the Documents tab; the client sees only the data outputs.
        _, tom_sources, tom_feedback, tom_index = tom.predict(api_name="/on_load")
        assert _rows(tom_sources) == [] and _rows(tom_feedback) == [] and tom_index == ""

        _, sources, feedback, index = olga.predict(api_name="/on_load")
        assert len(_rows(sources)) >= 4 and index.startswith("Search index:"), index
        assert any(row[1] == TECHNICIAN[0] and row[2] == "up" for row in _rows(feedback)), _rows(feedback)
        message, report, after = olga.predict([handle_file(upload)], api_name="/on_upload")
        assert "1 added" in message, message
        # Uploads in flight stay in the data directory, not in /tmp/gradio shared by every account.
        assert any((plant.data / "uploads-tmp").rglob("compressor note.txt"))
        assert len(_rows(after)) == len(_rows(sources)) + 1
    finally:
        tom.close()
        olga.close()
    upload_result = plant.cli("ingest", "list", "--json")
    assert any(Path(s["source_path"]).name == "compressor note.txt" for s in json.loads(upload_result.stdout))


def _rows(table) -> list:
    if isinstance(table, dict):
        table = table.get("value", table)
        if isinstance(table, dict):
            table = table.get("data", [])
    return [row for row in (table or []) if any(str(cell).strip() for cell in row)]


# -- concurrency ----------------------------------------------------------------------------------
def test_technicians_keep_asking_while_documents_are_synced(plant):
    """Three sessions ask follow-up questions while `ingest sync` adds, changes and removes files."""
    technicians = [plant.technician() for _ in range(3)]
    results: dict[int, list] = {i: [] for i in range(3)}
    crashes: list[BaseException] = []

    def session(i: int) -> None:
        try:
            for k in range(3):
                results[i].append(technicians[i].ask(QUESTIONS[(2 * i + k) % len(QUESTIONS)]))
        except BaseException as exc:  # surfaced below, with which session it was
            crashes.append(exc)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()

    syncs, windows = [], []

    def sync() -> None:
        began = time.monotonic()
        syncs.append(plant.cli("ingest", "sync", str(plant.docs), "--json"))
        windows.append((began, time.monotonic()))

    new_note = plant.docs / "cmp2 dryer note.txt"
    new_note.write_text("Subject: CMP-2 dryer\nAuthor: Lee Park\nDate: 3 May 2024\n\n"
                        "The CMP-2 dryer dew point must stay below 3 degC; above that, change the desiccant.\n",
                        encoding="utf-8")
    sync()
    pump = plant.docs / "note_pump.txt"
    pump.write_text(pump.read_text(encoding="utf-8") + "\nUpdate 2024: the flush orifice is now part HF-2210-B.\n",
                    encoding="utf-8")
    sync()
    (plant.docs / "sop_press.md").unlink()
    sync()

    for t in threads:
        t.join(timeout=900)
    for tech in technicians:
        tech.close()
    assert not crashes, crashes
    for sync in syncs:
        assert sync.returncode == 0, sync.stderr[-2000:]
        assert "handing the job to the running server" in sync.stderr
    counts = [json.loads(s.stdout)["counts"] for s in syncs]
    assert counts[0].get("added") == 1 and counts[1].get("replaced") == 1 and counts[2].get("removed") == 1, counts

    for i, exchanges in results.items():
        assert len(exchanges) == 3
        asked = []
        for exchange in exchanges:
            asked.append(html.escape(exchange.question))
            assert exchange.outcome in ("answered", "refused"), (exchange.error, exchange.thread[-800:])
            assert exchange.first_source is not None or exchange.outcome == "refused"
            assert exchange.questions_shown() == asked, f"session {i} shows another session's turns"
            text = exchange.thread.lower()
            assert "locked" not in text and "busy" not in text and "went wrong" not in text
    exchanges = [e for session in results.values() for e in session]
    for began, ended in windows:  # each sync really ran while some technician was waiting for an answer
        assert any(e.submitted < ended and e.finished > began for e in exchanges), (began, ended)
    log = plant.server_log()
    assert "Traceback" not in log and "StoreBusy" not in log, log[-3000:]

    # What the syncs wrote is what technicians now get.
    after = plant.technician()
    try:
        fresh = after.ask("What dew point must the CMP-2 dryer stay below?")
    finally:
        after.close()
    assert fresh.outcome != "error", fresh.error
    assert "CMP-2 dryer" in fresh.sources
    listed = json.loads(plant.cli("ingest", "list", "--json").stdout)
    assert not any(Path(s["source_path"]).name == "sop_press.md" for s in listed)


# -- faults ---------------------------------------------------------------------------------------
def test_a_server_killed_mid_answer_or_mid_ingest_restarts_and_serves(tmp_path, llm_path, netlog, ui_docs,
                                                                     embedder):
    plant = Plant(tmp_path, llm_path, netlog, ui_docs)
    assert plant.cli("ingest", "add", str(plant.docs)).returncode == 0
    n_docs = len(list(plant.docs.iterdir()))
    try:
        # 1. SIGKILL while an answer streams.
        first = plant.start()
        client = plant.client(TECHNICIAN)
        job = client.submit(QUESTIONS[1], "All equipment", [], False, api_name="/on_ask")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("fw-card" in str(o[1]) for o in job.outputs()):
            time.sleep(0.05)
        assert any("fw-card" in str(o[1]) for o in job.outputs()), "no sources before the kill"
        plant.kill()
        with pytest.raises(Exception):
            job.result(timeout=60)
        client.close()
        assert json.loads((plant.data / "owner.json").read_text())["pid"] == first.pid  # stale, left behind
        problems, n_sources = _check_store(plant.data, embedder)  # server stopped: recovery runs, then the check
        assert problems == [] and n_sources == n_docs

        second = plant.start()  # same port, same folder: stale ownership is taken over
        assert json.loads((plant.data / "owner.json").read_text())["pid"] == second.pid
        tech = plant.technician()
        again = tech.ask(QUESTIONS[1])
        tech.close()
        assert again.outcome in ("answered", "refused") and again.first_source is not None, again.error

        # 2. SIGKILL while the server runs an ingest job handed over by the CLI.
        orders = tmp_path / "orders"
        orders.mkdir()
        rows = corpus("excavator_work_orders", "excavators.csv").read_text(encoding="utf-8-sig").splitlines()
        (orders / "excavator orders.csv").write_text("\n".join(rows[:1500]) + "\n", encoding="utf-8")
        handing = plant.cli_background("ingest", "add", str(orders), "--json")
        time.sleep(8)  # embedding 1,500 work orders takes well over this on two cores
        assert handing.poll() is None, "the ingest job ended before the kill"
        plant.kill()
        out, err = handing.communicate(timeout=120)
        assert handing.returncode != 0
        assert "Traceback" not in err and err.strip(), err[-2000:]
        problems, n_sources = _check_store(plant.data, embedder)
        assert problems == [] and n_sources == n_docs, problems  # the CSV is fully absent, not half in

        plant.start()
        redo = plant.cli("ingest", "add", str(orders), "--json")
        assert redo.returncode == 0, redo.stderr[-2000:]
        assert json.loads(redo.stdout)["counts"] == {"added": 1}
        plant.stop()
        problems, n_sources = _check_store(plant.data, embedder)
        assert problems == [] and n_sources == n_docs + 1
    finally:
        plant.stop()
    log = plant.server_log()
    assert "Traceback" not in log, log[-3000:]


# -- offline --------------------------------------------------------------------------------------
def test_no_process_tried_to_reach_the_network(plant, netlog):
    """Runs last: every CLI and server process above ran under the guard, and none reached out."""
    tech = plant.technician()
    tech.ask(QUESTIONS[0])
    tech.close()
    assert plant.cli("ingest", "list").returncode == 0
    lines = netlog.read_text(encoding="utf-8").splitlines()
    armed = [line for line in lines if line.startswith("ARMED")]
    assert any(" serve" in line for line in armed) and any(" ingest" in line for line in armed), armed
    assert any(" ask " in line for line in armed), armed
    assert [line for line in lines if not line.startswith("ARMED")] == []


def test_uploads_in_flight_go_to_the_data_directory_unless_gradio_is_told_otherwise(tmp_path):
    from assistant.settings import load_settings
    from floorwise.commands.serve_cmd import upload_dir

    settings = load_settings(overrides={"data_dir": str(tmp_path / "data")}, environ={})
    environ: dict[str, str] = {}
    assert upload_dir(settings, environ) == tmp_path / "data" / "uploads-tmp"
    assert environ["GRADIO_TEMP_DIR"] == str(tmp_path / "data" / "uploads-tmp") and (tmp_path / "data" / "uploads-tmp").is_dir()
    chosen = {"GRADIO_TEMP_DIR": str(tmp_path / "elsewhere")}
    assert upload_dir(settings, chosen) == tmp_path / "elsewhere" and (tmp_path / "elsewhere").is_dir()

