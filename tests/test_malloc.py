"""The server caps glibc's malloc arenas (see floorwise/malloc.py for the measurement)."""

import platform
import subprocess
import sys

import pytest


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_arena_cap_is_accepted_by_glibc():
    code = ("from floorwise.malloc import limit_arenas, M_ARENA_MAX; import sys; "
            "sys.exit(0 if limit_arenas(2) and M_ARENA_MAX == -8 else 1)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0

