"""Network guard for test subprocesses: put this folder on PYTHONPATH and set NETGUARD_LOG.

Every Python-level attempt to resolve or connect to anything but this machine
(loopback, Unix sockets) is written to the log as "BLOCKED <event> <target>" and
refused with OSError. At start-up the process writes "ARMED <pid> <argv>", so a
test can tell a clean log from a guard that never ran.
"""

import os
import sys

_LOG = os.environ.get("NETGUARD_LOG")


def _local_host(host) -> bool:
    import ipaddress

    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0]
    if host in ("", "localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _write(line: str) -> None:
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _hook(event: str, args) -> None:
    if event == "socket.connect" or event == "socket.sendto":
        address = args[1]
        if isinstance(address, tuple) and address and not _local_host(address[0]):
            _write(f"BLOCKED {event} {address!r} pid={os.getpid()}")
            raise OSError(f"network guard: {event} to {address!r} refused")
    elif event == "socket.getaddrinfo":
        if not _local_host(args[0]):
            _write(f"BLOCKED {event} {args[0]!r} pid={os.getpid()}")
            raise OSError(f"network guard: name lookup of {args[0]!r} refused")


def _command_line() -> str:
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return " ".join(sys.argv)


if _LOG:
    sys.addaudithook(_hook)
    _write(f"ARMED {os.getpid()} {_command_line()}")
