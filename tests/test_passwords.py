"""Login passwords: scrypt hashes, the login check, the refusal of plain text, and `floorwise user`."""

from __future__ import annotations

import io
import logging
import stat
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.errors import ConfigError
from assistant.passwords import (
    check_login,
    check_users,
    hash_password,
    parse_hash,
    remove_user_from_text,
    set_user_in_text,
    verify_password,
)
from floorwise.cli import main

FAST = {"n": 2**10}  # the format and the checks are the same at any cost; the default n is slow on purpose


# -- hashing -------------------------------------------------------------------------------------
def test_hash_round_trip_and_wrong_password() -> None:
    stored = hash_password("die-clamp-2210", **FAST)
    assert verify_password("die-clamp-2210", stored)
    for wrong in ("die-clamp-2211", "", "Die-clamp-2210", "die-clamp-2210 ", stored):
        assert not verify_password(wrong, stored), wrong


def test_default_cost_and_a_fresh_salt_each_time() -> None:
    first, second = hash_password("same"), hash_password("same")
    assert first != second and verify_password("same", first) and verify_password("same", second)
    h = parse_hash(first)
    assert (h.n, h.r, h.p, len(h.salt), len(h.digest)) == (2**15, 8, 1, 16, 32)
    assert "same" not in first


@pytest.mark.parametrize("stored", [
    "", "same", "scrypt$1024$8$1$c2FsdA==", "scrypt$1000$8$1$c2FsdA==$aGFzaA==",
    "scrypt$1024$8$1$!!$aGFzaA==", "bcrypt$1024$8$1$c2FsdA==$aGFzaA==",
    f"scrypt${2**30}$8$1$c2FsdA==$aGFzaA==",  # would need 128 GiB: refused, not run
])  # fmt: skip
def test_malformed_hashes_never_match(stored: str) -> None:
    assert parse_hash(stored) is None and not verify_password("same", stored)


def test_a_changed_parameter_breaks_the_match() -> None:
    stored = hash_password("torque", **FAST)
    assert not verify_password("torque", stored.replace("$8$1$", "$4$1$", 1))


def test_login_check() -> None:
    users = {"tom": {"password_hash": hash_password("tech-pw-1", **FAST), "role": "technician"},
             "olga": {"password": "owner-pw", "role": "owner"}}  # plain text: never a way in
    assert check_login(users, "tom", "tech-pw-1")
    assert not check_login(users, "tom", "tech-pw-2")
    assert not check_login(users, "nobody", "tech-pw-1")
    assert not check_login(users, "olga", "owner-pw")
    assert not check_login(users, "tom", users["tom"]["password_hash"])  # the hash is not a password


# -- refusing plain text at start ---------------------------------------------------------------
def test_plain_text_password_is_refused_with_one_line_that_says_how_to_convert() -> None:
    users = {"alice": {"password_hash": hash_password("owner-pw-1", **FAST), "role": "owner"},
             "bob": {"password": "change-me", "role": "technician"}}
    with pytest.raises(ConfigError) as refused:
        check_users(users)
    message = str(refused.value)
    assert "\n" not in message
    assert message == ("[server.users] bob has a plain-text password; replace it with a salted hash: "
                       "floorwise user add bob --role technician")
    check_users({"alice": users["alice"]})


@pytest.mark.parametrize(("entry", "says"), [
    ({"password_hash": "change-me", "role": "owner"}, "no valid password_hash"),
    ({"password_hash": "HASH", "role": "boss"}, "role 'boss'"),
    ({"password_hash": "HASH", "role": "owner", "pasword": "x"}, "unknown key(s) pasword"),
    ({"role": "owner"}, "no valid password_hash"),
])  # fmt: skip
def test_other_unusable_entries_are_refused(entry: dict, says: str) -> None:
    entry = {k: hash_password("x", **FAST) if v == "HASH" else v for k, v in entry.items()}
    with pytest.raises(ConfigError, match=f"carl has {says}".replace("(", r"\(").replace(")", r"\)")):
        check_users({"carl": entry})


def test_the_server_refuses_plain_text_before_mounting_anything(settings) -> None:
    from ui.server import create_server

    server = settings.server.model_copy(update={"users": {"bob": {"password": "change-me", "role": "owner"}}})
    blocks = SimpleNamespace(floorwise=SimpleNamespace(users=server.users))
    with pytest.raises(ConfigError, match="floorwise user add bob --role owner"):
        create_server(blocks, settings.model_copy(update={"server": server}))


# -- editing the config file ---------------------------------------------------------------------
PLANT = """# Plant 3 settings
data_dir = "/srv/floorwise"   # kept as is

[server]
host = "10.0.3.20"

[server.users]
# alice = { password_hash = "...", role = "owner" }
bob = { password = "change-me", role = "technician" }  # old style

[retrieval]
top_k = 4
"""


def test_setting_a_user_replaces_its_line_and_keeps_the_rest() -> None:
    new = set_user_in_text(PLANT, "bob", "scrypt$H", "technician")
    assert new == PLANT.replace('bob = { password = "change-me", role = "technician" }  # old style',
                                'bob = { password_hash = "scrypt$H", role = "technician" }')
    added = set_user_in_text(new, "j.smith", "scrypt$J", "owner")
    data = tomllib.loads(added)
    assert data["server"]["users"] == {"bob": {"password_hash": "scrypt$H", "role": "technician"},
                                       "j.smith": {"password_hash": "scrypt$J", "role": "owner"}}
    assert data["retrieval"] == {"top_k": 4} and data["server"]["host"] == "10.0.3.20"
    assert added.startswith("# Plant 3 settings\n") and "# alice = " in added


def test_users_in_sub_tables_and_files_without_a_users_table() -> None:
    text = '[server.users.bob]\npassword = "x"\nrole = "owner"\n\n[store]\ncollection = "c"\n'
    new = set_user_in_text(text, "bob", "scrypt$H", "owner")
    bob = {"password_hash": "scrypt$H", "role": "owner"}
    assert tomllib.loads(new) == {"store": {"collection": "c"}, "server": {"users": {"bob": bob}}}
    assert set_user_in_text("", "ann", "scrypt$A", "owner") == (
        '[server.users]\nann = { password_hash = "scrypt$A", role = "owner" }\n')


def test_an_edit_that_cannot_be_made_safely_writes_nothing() -> None:
    inline = '[server]\nusers = { bob = { password = "x", role = "owner" } }\n'
    with pytest.raises(ConfigError, match="cannot edit .* safely"):
        set_user_in_text(inline, "carl", "scrypt$C", "owner")
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_user_in_text("[server\n", "carl", "scrypt$C", "owner")


def test_removing_a_user() -> None:
    new = remove_user_from_text(PLANT, "bob")
    assert tomllib.loads(new)["server"]["users"] == {} and new.endswith("[retrieval]\ntop_k = 4\n")
    with pytest.raises(ConfigError, match="no user 'zed'"):
        remove_user_from_text(PLANT, "zed")


# -- the verb -----------------------------------------------------------------------------------
@pytest.fixture()
def plant_dir(tmp_path, monkeypatch) -> Path:
    """A working directory for `floorwise user ...` run in this process (main() adds log handlers: undone)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLOORWISE_CONFIG", raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield tmp_path
    for handler in set(root.handlers) - set(handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def run(*args: str, stdin: str = "", monkeypatch=None) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--data-dir", "data", *args])


def test_user_add_creates_floorwise_toml_with_a_hash_only(plant_dir, monkeypatch, capsys) -> None:
    assert run("user", "add", "alice", "--role", "owner", "--password-stdin", stdin="owner-pw-1\n",
               monkeypatch=monkeypatch) == 0
    config = plant_dir / "floorwise.toml"
    users = tomllib.loads(config.read_text())["server"]["users"]
    assert users["alice"]["role"] == "owner"
    assert verify_password("owner-pw-1", users["alice"]["password_hash"])
    assert "owner-pw-1" not in config.read_text()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert "added alice (owner)" in capsys.readouterr().out


def test_user_add_prompts_twice_and_converts_a_plain_text_entry(plant_dir, monkeypatch, capsys) -> None:
    config = plant_dir / "plant.toml"
    config.write_text(PLANT)
    answers = iter(["tech-pw-22", "tech-pw-22"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", SimpleNamespace(isatty=lambda: True))
    assert main(["--config", str(config), "user", "add", "bob"]) == 0  # keeps bob's role
    data = tomllib.loads(config.read_text())
    assert data["server"]["users"]["bob"]["role"] == "technician"
    assert verify_password("tech-pw-22", data["server"]["users"]["bob"]["password_hash"])
    assert data["retrieval"] == {"top_k": 4} and config.read_text().startswith("# Plant 3 settings\n")
    check_users(data["server"]["users"])


@pytest.mark.parametrize(("args", "stdin", "says"), [
    (["carl", "--role", "owner", "--password-stdin"], "short\n", "at least 8 characters"),
    (["carl", "--password-stdin"], "long-enough\n", "give a role with --role"),
    (["carl", "--role", "owner"], "", "pipe it in with --password-stdin"),
    ([" carl", "--role", "owner", "--password-stdin"], "long-enough\n", "not a usable login name"),
])  # fmt: skip
def test_user_add_refusals_write_nothing(plant_dir, monkeypatch, capsys, args, stdin, says) -> None:
    assert run("user", "add", *args, stdin=stdin, monkeypatch=monkeypatch) == 2
    assert says in capsys.readouterr().err and not (plant_dir / "floorwise.toml").exists()


def test_user_add_refuses_two_different_passwords(plant_dir, monkeypatch, capsys) -> None:
    answers = iter(["tech-pw-22", "tech-pw-23"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", SimpleNamespace(isatty=lambda: True))
    assert main(["user", "add", "bob", "--role", "technician"]) == 2
    assert "differ" in capsys.readouterr().err and not (plant_dir / "floorwise.toml").exists()


def test_user_list_and_remove(plant_dir, monkeypatch, capsys) -> None:
    (plant_dir / "floorwise.toml").write_text(PLANT)
    assert run("user", "list", monkeypatch=monkeypatch) == 1  # bob still has a plain-text password
    assert "bob has a plain-text password" in capsys.readouterr().out
    assert run("user", "add", "ann", "--role", "owner", "--password-stdin", stdin="owner-pw-1\n",
               monkeypatch=monkeypatch) == 0
    assert run("user", "remove", "bob", monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    assert run("user", "list", "--json", monkeypatch=monkeypatch) == 0
    assert '"name": "ann"' in capsys.readouterr().out
    assert run("user", "remove", "bob", monkeypatch=monkeypatch) == 2
