"""The Makefile's setup steps for any user, run with stand-in `id`, `sudo`, `apt-get` and `uname`.

Nothing is installed: the stand-ins log what they were asked to do. The recipes run under a PATH
that holds only the stand-ins, so chromium and tesseract look missing whatever this machine has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, find_chromium

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")
PACKAGES = "chromium tesseract-ocr tesseract-ocr-eng"


def stand_ins(folder: Path, uid: int, sudo: str | None) -> Path:
    """A bin folder: `id -u` prints uid; sudo is None (absent), "nopasswd" or "password" (needs one)."""
    folder.mkdir()
    log = folder / "calls.log"
    scripts = {
        "id": f'#!/bin/sh\n[ "$1" = -u ] && echo {uid} || echo "uid={uid}"\n',
        "apt-get": f'#!/bin/sh\necho "apt-get $*" >> {log}\n',
        "uname": '#!/bin/sh\necho x86_64\n',
    }
    if sudo is not None:
        refuse = "exit 1" if sudo == "password" else "shift"
        scripts["sudo"] = f'#!/bin/sh\necho "sudo $*" >> {log}\n[ "$1" = -n ] && {{ {refuse}; }}\nexec "$@"\n'
    for name, text in scripts.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o755)
    for tool in ("env", "grep", "true"):
        (folder / tool).symlink_to(shutil.which(tool))
    return folder


def make(target: str, bin_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run([MAKE, "-s", "-C", str(REPO), target], env=environ, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


def calls(bin_dir: Path) -> list[str]:
    log = bin_dir / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_root_installs_with_apt_get(tmp_path) -> None:
    bin_dir = stand_ins(tmp_path / "bin", 0, sudo=None)
    done = make("system-deps", bin_dir)
    assert done.returncode == 0, done.stderr
    assert calls(bin_dir) == ["apt-get update -qq", f"apt-get install -y -qq {PACKAGES}"]


def test_another_user_installs_through_sudo(tmp_path) -> None:
    bin_dir = stand_ins(tmp_path / "bin", 1000, sudo="nopasswd")
    done = make("system-deps", bin_dir)
    assert done.returncode == 0, done.stderr
    assert [c for c in calls(bin_dir) if c.startswith("apt-get")] == [
        "apt-get update -qq", f"apt-get install -y -qq {PACKAGES}"]
    assert "sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq" in calls(bin_dir)


@pytest.mark.parametrize("sudo", [None, "password"])  # no sudo; sudo wanting a password with no terminal
def test_otherwise_one_line_names_the_packages(tmp_path, sudo) -> None:
    bin_dir = stand_ins(tmp_path / "bin", 1000, sudo=sudo)
    done = make("system-deps", bin_dir)
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make: ***")]
    assert ours == [f"make: the tests need Debian packages; as root run: apt-get install {PACKAGES}"]
    assert not [c for c in calls(bin_dir) if c.startswith("apt-get")]


def test_browser_deps_and_a_browser_named_by_environment(tmp_path) -> None:
    bin_dir = stand_ins(tmp_path / "bin", 0, sudo=None)
    assert make("browser-deps", bin_dir).returncode == 0
    assert calls(bin_dir)[-1] == "apt-get install -y -qq chromium"
    (bin_dir / "calls.log").unlink()
    assert make("browser-deps", bin_dir, FLOORWISE_CHROMIUM="/opt/chrome/chrome").returncode == 0
    assert calls(bin_dir) == []


def test_setup_stops_on_a_cpu_without_avx2(tmp_path) -> None:
    bin_dir = stand_ins(tmp_path / "bin", 0, sudo=None)
    no_avx2 = tmp_path / "cpuinfo"
    no_avx2.write_text("flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx\n")
    args = [f"VENV={tmp_path / 'venv'}", "PYTHON=false", f"CPUINFO={no_avx2}"]  # `false`: nothing gets built
    environ = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    stopped = subprocess.run([MAKE, "-s", "-C", str(REPO), "setup", *args], env=environ, capture_output=True,
                             text=True, timeout=60)
    assert stopped.returncode != 0
    assert stopped.stderr.splitlines()[0] == (
        "make: this CPU has no AVX2, and the default llama.cpp build would crash (Illegal instruction) "
        "when the model loads; build for this CPU: make setup LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON")
    no_avx2.write_text("flags\t\t: fpu sse avx avx2 fma f16c\n")
    past = subprocess.run([MAKE, "-s", "-C", str(REPO), "setup", *args], env=environ, capture_output=True,
                          text=True, timeout=60)
    assert "AVX2" not in past.stderr and not (tmp_path / "venv").exists()


def test_find_chromium_prefers_the_environment_then_path(tmp_path, monkeypatch) -> None:
    for name in ("chromium-browser", "google-chrome"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("FLOORWISE_CHROMIUM", raising=False)
    assert find_chromium() == str(tmp_path / "chromium-browser")
    monkeypatch.setenv("FLOORWISE_CHROMIUM", str(tmp_path / "google-chrome"))
    assert find_chromium() == str(tmp_path / "google-chrome")
    monkeypatch.setenv("FLOORWISE_CHROMIUM", str(tmp_path / "missing"))
    assert find_chromium() is None
    monkeypatch.delenv("FLOORWISE_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_chromium() is None
