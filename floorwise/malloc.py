"""Keep a long-running server's native heap from creeping: fewer glibc malloc arenas.

glibc gives each thread that allocates under contention its own arena (up to 8 per
core). The server answers on many threads (web server, model queue, embedding,
llama.cpp), and memory freed in one arena is not reused by another, so resident
memory crept up by about 0.6 MB per question in an 8-technician run. Two arenas
held it flat after warm-up (docs/measurements.md, "Many technicians at once").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # from glibc's malloc.h
SERVER_ARENAS = 2


def limit_arenas(count: int = SERVER_ARENAS) -> bool:
    """Cap glibc's malloc arenas; call before threads start. False (and no change) off glibc."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = mallopt(M_ARENA_MAX, count) == 1
    if not ok:
        log.debug("mallopt(M_ARENA_MAX, %d) was refused", count)
    return ok
