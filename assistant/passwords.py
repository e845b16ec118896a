"""Login passwords: salted scrypt hashes, checked in constant time, kept in `[server.users]`.

A stored password is one self-describing string, so its cost can be raised later
without breaking the hashes already written:

    scrypt$<n>$<r>$<p>$<salt, base64>$<32-byte key, base64>

The config file holds one line per user, which `floorwise user add` writes:

    [server.users]
    alice = { password_hash = "scrypt$32768$8$1$...$...", role = "owner" }

A plain `password = "..."` is refused when the server starts (`check_users`).

>>> stored = hash_password("torque-2210", n=2**10)  # a small n keeps the example fast
>>> stored.startswith("scrypt$1024$8$1$")
True
>>> verify_password("torque-2210", stored), verify_password("torque-2211", stored)
(True, False)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from assistant.errors import ConfigError

ROLES = ("technician", "owner")
# 32 MiB and about 70 ms per check on one core of a small server; raise n as machines grow.
N, R, P = 2**15, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
MIN_LENGTH = 8  # for passwords chosen with `floorwise user add`
_MAX_N, _MAX_R, _MAX_P = 2**20, 16, 4  # a hash asking for more (1 GiB+) is refused, not computed


@dataclass(frozen=True)
class ScryptHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def __str__(self) -> str:
        b64 = base64.b64encode
        return f"scrypt${self.n}${self.r}${self.p}${b64(self.salt).decode()}${b64(self.digest).decode()}"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = KEY_BYTES) -> bytes:
    maxmem = 128 * r * (n + p + 2) + (1 << 20)  # what OpenSSL needs, plus slack
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=length)


def parse_hash(stored: str) -> ScryptHash | None:
    """The parts of a stored hash, or None when it is not one (a plain-text password, say).

    >>> parse_hash("scrypt$16384$8$1$c2FsdA==$aGFzaA==")
    ScryptHash(n=16384, r=8, p=1, salt=b'salt', digest=b'hash')
    >>> parse_hash("change-me") is None
    True
    >>> parse_hash("scrypt$3$8$1$c2FsdA==$aGFzaA==") is None  # n must be a power of 2
    True
    """
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != "scrypt" or not all(x.isdigit() for x in parts[1:4]):
        return None
    n, r, p = (int(x) for x in parts[1:4])
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        return None
    try:
        salt, digest = (base64.b64decode(x, validate=True) for x in parts[4:])
    except (binascii.Error, ValueError):
        return None
    return ScryptHash(n, r, p, salt, digest) if salt and digest else None


def hash_password(password: str, n: int = N, r: int = R, p: int = P) -> str:
    """A new random salt and the scrypt key of `password`, as one string (see the module's example)."""
    salt = os.urandom(SALT_BYTES)
    return str(ScryptHash(n, r, p, salt, _scrypt(password, salt, n, r, p)))


def verify_password(password: str, stored: str) -> bool:
    """True when `password` gives the stored key; a malformed hash never matches."""
    h = parse_hash(stored)
    if h is None:
        return False
    return hmac.compare_digest(_scrypt(password, h.salt, h.n, h.r, h.p, len(h.digest)), h.digest)


_DUMMY: list[str] = []  # one hash computed on first use, for unknown names


def check_login(users: Mapping[str, Mapping[str, Any]], username: str, password: str) -> bool:
    """Gradio's login check. An unknown name costs the same scrypt work as a known one, so the
    time a refusal takes does not tell which names exist.
    """
    user = users.get(username)
    stored = user.get("password_hash") if isinstance(user, Mapping) else None
    if not isinstance(stored, str) or parse_hash(stored) is None:
        if not _DUMMY:
            _DUMMY.append(hash_password(""))
        verify_password(password, _DUMMY[0])
        return False
    return verify_password(password, stored)


def user_problem(name: str, user: Any) -> str | None:
    """Why a `[server.users]` entry cannot be used for login, or None when it can.

    >>> user_problem("bob", {"password": "change-me", "role": "technician"})
    'bob has a plain-text password; replace it with a salted hash: floorwise user add bob --role technician'
    >>> user_problem("bob", {"password_hash": hash_password("change-me", n=2**4), "role": "boss"})
    "bob has role 'boss'; roles are technician and owner (floorwise user add bob --role technician|owner)"
    """
    role = user.get("role", "technician") if isinstance(user, Mapping) else "technician"
    fix = f"floorwise user add {shlex.quote(name)} --role {role if role in ROLES else 'technician|owner'}"
    if not isinstance(user, Mapping):
        return f'{name} must be a table such as {{ password_hash = "...", role = "owner" }}; write it with: {fix}'
    if "password" in user:
        return f"{name} has a plain-text password; replace it with a salted hash: {fix}"
    if role not in ROLES:
        return f"{name} has role {role!r}; roles are {' and '.join(ROLES)} ({fix})"
    unknown = sorted(set(user) - {"password_hash", "role"})
    if unknown:
        return f"{name} has unknown key(s) {', '.join(unknown)}; an entry holds password_hash, role ({fix})"
    if parse_hash(str(user.get("password_hash", ""))) is None:
        return f"{name} has no valid password_hash; set one with: {fix}"
    return None


def check_users(users: Mapping[str, Any]) -> None:
    """Refuse to serve with any unusable login entry: one line naming the first and how to fix it."""
    problems = [p for name, user in users.items() if (p := user_problem(name, user))]
    if problems:
        more = f" ({len(problems) - 1} more user(s) to fix)" if len(problems) > 1 else ""
        raise ConfigError(f"[server.users] {problems[0]}{more}")


# -- the [server.users] table of a config file ---------------------------------------------------
# Edited line by line so comments and layout elsewhere stay as they are; every edit is checked by
# parsing the result, which must equal the old settings with only that user changed.

_HEADER = re.compile(r"^[ \t]*(?:\[\[(?P<array>.*?)\]\]|\[(?P<table>.*?)\])[ \t]*(?:#.*)?$")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
USERS_PATH = ("server", "users")


def valid_name(name: str) -> bool:
    """Login names: 1-64 printable characters, no spaces at either end.

    >>> valid_name("j.smith"), valid_name(" bob"), valid_name("a\\nb")
    (True, False, False)
    """
    return 0 < len(name) <= 64 and name == name.strip() and name.isprintable()


def toml_key(name: str) -> str:
    """A TOML key for `name`: bare when it can be, else quoted.

    >>> toml_key("alice"), toml_key("j.smith")
    ('alice', '"j.smith"')
    """
    return name if _BARE.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def user_line(name: str, password_hash: str, role: str) -> str:
    return f'{toml_key(name)} = {{ password_hash = "{password_hash}", role = "{role}" }}'


def _header_path(line: str) -> tuple[str, ...] | None:
    """`[server.users."j.smith"]` -> ("server", "users", "j.smith"); None for other lines."""
    match = _HEADER.match(line)
    if not match:
        return None
    if match["array"] is not None:
        return ("[[", match["array"])  # an array of tables: never a users section
    try:
        node = tomllib.loads(f"[{match['table']}]")
    except tomllib.TOMLDecodeError:
        return None
    path: list[str] = []
    while isinstance(node, dict) and len(node) == 1:
        key = next(iter(node))
        path.append(key)
        node = node[key]
    return tuple(path)


def _first_key(line: str) -> str | None:
    """The first key of a one-line `key = value` (dotted keys too), else None."""
    try:
        data = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    return next(iter(data)) if len(data) == 1 else None


def _without_user(lines: list[str], name: str) -> tuple[list[str], int | None]:
    """Lines with `name`'s entry and its own sub-tables removed, and where to insert into the
    [server.users] section (after its last entry, else after its last non-blank line), or None
    when the file has no such section."""
    out: list[str] = []
    section: tuple[str, ...] = ()
    after_entry = after_text = None
    for line in lines:
        path = _header_path(line)
        if path is not None:
            section = path
            if path[:3] == (*USERS_PATH, name):
                continue  # drop `[server.users.NAME]` and the lines under it
        elif section[:3] == (*USERS_PATH, name):
            continue
        elif section == USERS_PATH and _first_key(line) == name:
            continue
        out.append(line)
        if section == USERS_PATH:
            if path is None and _first_key(line) is not None:
                after_entry = len(out)
            if line.strip():
                after_text = len(out)
    return out, after_entry if after_entry is not None else after_text


def _users(data: Mapping[str, Any]) -> dict[str, Any]:
    return dict(data.get("server", {}).get("users", {}))


def _normal(data: Mapping[str, Any]) -> dict[str, Any]:
    """Settings data with a server.users table, present or not in the file."""
    return {**data, "server": {**data.get("server", {}), "users": _users(data)}}


def _expected(data: Mapping[str, Any], name: str, entry: dict[str, str] | None) -> dict[str, Any]:
    out = _normal(data)
    if entry is None:
        out["server"]["users"].pop(name, None)
    else:
        out["server"]["users"][name] = entry
    return out


def _checked(old: dict[str, Any], text: str, name: str, entry: dict[str, str] | None, where: Path) -> str:
    try:
        new = _normal(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        new = None
    if new != _expected(old, name, entry):
        raise ConfigError(f"cannot edit {where} safely (users are not in a [server.users] table?); "
                          f"nothing written; put {name}'s line under [server.users] by hand")
    return text


def set_user_in_text(text: str, name: str, password_hash: str, role: str,
                     where: Path = Path("config")) -> str:
    """`text` with `name`'s entry written into [server.users] (replaced if it was there); the rest unchanged.

    >>> text = 'port = 1  # kept\\n[server.users]\\nbob = { password = "x" }\\n'
    >>> print(set_user_in_text(text, "bob", "H", "owner"))
    port = 1  # kept
    [server.users]
    bob = { password_hash = "H", role = "owner" }
    <BLANKLINE>
    """
    old = _parse(text, where)
    lines, end = _without_user(text.splitlines(), name)
    if end is None:
        gap = [""] if lines and lines[-1].strip() else []
        lines += [*gap, "[server.users]", user_line(name, password_hash, role)]
    else:
        lines.insert(end, user_line(name, password_hash, role))
    new = _newline(text).join(lines) + _newline(text)
    return _checked(old, new, name, {"password_hash": password_hash, "role": role}, where)


def remove_user_from_text(text: str, name: str, where: Path = Path("config")) -> str:
    """`text` without `name`'s entry; ConfigError when there is none."""
    old = _parse(text, where)
    if name not in _users(old):
        raise ConfigError(f"no user {name!r} in {where}; `floorwise user list` shows who there is")
    lines, _ = _without_user(text.splitlines(), name)
    return _checked(old, _newline(text).join(lines) + _newline(text), name, None, where)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _parse(text: str, where: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {where} is not valid TOML: {exc}") from exc


def read_users(path: Path) -> dict[str, Any]:
    """The `[server.users]` table of a config file ({} when the file does not exist)."""
    return _users(_parse(path.read_text(encoding="utf-8"), path)) if path.is_file() else {}


def write_config(path: Path, text: str) -> None:
    """Replace the file in one step, keeping its mode; a new file is readable by its owner only."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
