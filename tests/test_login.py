"""Logins end to end: `floorwise user add` writes the config, `floorwise serve` reads it, HTTP logs in.

Real processes, as a plant runs them: the verb with `--password-stdin`, then the server on loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bench.server import free_port, wait_for
from tests.conftest import stop_process

pytestmark = pytest.mark.slow

FLOORWISE = [sys.executable, "-m", "floorwise.cli"]
OWNER, TECHNICIAN = ("olga", "owner-pw-1"), ("tom", "tech-pw-22")


def floorwise(cwd: Path, env: dict, *args: str, stdin: str = "", timeout: float = 300):
    return subprocess.run([*FLOORWISE, *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def plant(tmp_path_factory, llm_path):
    root = tmp_path_factory.mktemp("login")
    env = {**os.environ, "FLOORWISE_MODELS__LLM_PATH": str(llm_path)}
    env.pop("FLOORWISE_CONFIG", None)
    port = free_port()
    (root / "floorwise.toml").write_text(f'data_dir = "data"\n\n[server]\nhost = "127.0.0.1"\nport = {port}\n')
    return root, env, port


def test_users_added_with_the_verb_log_in_over_http(plant):
    root, env, port = plant
    for (name, password), role in ((OWNER, "owner"), (TECHNICIAN, "technician")):
        added = floorwise(root, env, "user", "add", name, "--role", role, "--password-stdin", stdin=password + "\n")
        assert added.returncode == 0, added.stderr
    config = (root / "floorwise.toml").read_text()
    assert OWNER[1] not in config and TECHNICIAN[1] not in config and config.count("password_hash = \"scrypt$") == 2
    url = f"http://127.0.0.1:{port}/"
    with (root / "serve.log").open("w") as log:
        server = subprocess.Popen([*FLOORWISE, "serve"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(url, 180, server)
        for name, password in (OWNER, TECHNICIAN):
            ok = httpx.post(url + "login", data={"username": name, "password": password}, timeout=30)
            assert ok.status_code == 200 and ok.json() == {"success": True}, ok.text
            with httpx.Client(base_url=url, cookies=ok.cookies, timeout=30) as session:
                assert session.get("config").status_code == 200
        for name, password in ((OWNER[0], TECHNICIAN[1]), ("nobody", OWNER[1]), (TECHNICIAN[0], "")):
            refused = httpx.post(url + "login", data={"username": name, "password": password}, timeout=30)
            assert refused.status_code in (400, 422) and not refused.cookies, (name, refused.text)
        assert httpx.get(url + "config", timeout=30).status_code == 401
    finally:
        stop_process(server, timeout=30)


def test_serve_refuses_a_plain_text_password_in_one_line(plant, tmp_path):
    root, env, _ = plant
    config = tmp_path / "plain.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n[server]\nport = {free_port()}\n'
                      '[server.users]\nbob = { password = "change-me", role = "technician" }\n')
    started = floorwise(root, env, "--config", str(config), "serve", timeout=300)
    assert started.returncode == 2, started.stderr[-2000:]
    errors = [line for line in started.stderr.splitlines() if line.startswith("floorwise: error:")]
    assert errors == ["floorwise: error: [server.users] bob has a plain-text password; replace it with a "
                      "salted hash: floorwise user add bob --role technician"], started.stderr[-2000:]
    assert not (tmp_path / "data" / "owner.json").exists()
