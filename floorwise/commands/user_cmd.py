"""`floorwise user add|list|remove`: login accounts in the config file's [server.users], as salted hashes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assistant.errors import ConfigError

HELP = """examples:
  floorwise user add alice --role owner                 # prompts twice; writes ./floorwise.toml
  floorwise --config plant.toml user add bob --role technician
  printf '%s\\n' "$PW" | floorwise user add bob --role technician --password-stdin
  floorwise user list [--json]
  floorwise user remove bob

The file keeps only a salted scrypt hash (assistant/passwords.py); the rest of it
is left as it was. `add` on an existing name changes the password (and the role,
when given). Restart `floorwise serve` to apply a change."""


def register(verbs, common) -> None:
    fmt = {"epilog": HELP, "formatter_class": argparse.RawDescriptionHelpFormatter}
    parser = verbs.add_parser("user", help="add, list and remove login accounts ([server.users])", **fmt)
    sub = parser.add_subparsers(dest="user_verb", metavar="VERB", required=True)
    p = sub.add_parser("add", help="add a user or change a password (prompts for it)", **fmt)
    common(p)
    p.add_argument("name")
    p.add_argument("--role", choices=["owner", "technician"],
                   help="owner: chat and the Documents tab; technician: chat (a new user needs one)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
    p.set_defaults(handler=add)
    p = sub.add_parser("list", help="users, roles, and whether each password is stored as a hash", **fmt)
    common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_users)
    p = sub.add_parser("remove", help="remove a user", **fmt)
    common(p)
    p.add_argument("name")
    p.set_defaults(handler=remove)


def config_path(args) -> Path:
    """The file to edit: --config, else $FLOORWISE_CONFIG, else ./floorwise.toml (created if missing)."""
    from assistant.settings import find_config

    return find_config(getattr(args, "config", None), os.environ) or Path("floorwise.toml")


def read_password(from_stdin: bool) -> str:
    from assistant.passwords import MIN_LENGTH

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise ConfigError("no terminal to ask for the password on; pipe it in with --password-stdin")
    else:
        import getpass

        password = getpass.getpass("Password: ")
        if getpass.getpass("Same password again: ") != password:
            raise ConfigError("the two passwords differ; nothing written")
    if len(password) < MIN_LENGTH:
        raise ConfigError(f"a password needs at least {MIN_LENGTH} characters; nothing written")
    return password


def add(args, settings) -> int:
    from assistant.passwords import hash_password, read_users, set_user_in_text, valid_name, write_config

    if not valid_name(args.name):
        raise ConfigError(f"{args.name!r} is not a usable login name: 1-64 printable characters, "
                          "no spaces at either end")
    path = config_path(args)
    existing = read_users(path).get(args.name)
    role = args.role or (existing.get("role") if isinstance(existing, dict) else None)
    if role not in ("owner", "technician"):
        raise ConfigError(f"{args.name} is a new user: give a role with --role owner or --role technician")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    set_user_in_text(text, args.name, "(hash)", role, path)  # an uneditable file fails before the prompt
    password = read_password(args.password_stdin)
    write_config(path, set_user_in_text(text, args.name, hash_password(password), role, path))
    done = "changed the password of" if existing is not None else "added"
    print(f"{done} {args.name} ({role}) in {path}; restart `floorwise serve` to apply")
    return 0


def list_users(args, settings) -> int:
    from assistant.passwords import user_problem
    from floorwise.cli import print_json

    rows = [{"name": name, "role": user.get("role", "technician") if isinstance(user, dict) else None,
             "problem": user_problem(name, user)} for name, user in sorted(settings.server.users.items())]
    if args.json:
        print_json(rows)
    elif not rows:
        print("no users: login is off (add one with `floorwise user add NAME --role owner|technician`)")
    for row in rows if not args.json else []:
        status = row["problem"] or "password stored as a salted hash"
        print(f"{row['name']:<24} {row['role'] or '?':<11} {status}")
    return 1 if any(row["problem"] for row in rows) else 0


def remove(args, settings) -> int:
    from assistant.passwords import read_users, remove_user_from_text, write_config

    path = config_path(args)
    if not path.is_file():
        raise ConfigError(f"no config file {path}, so no users to remove")
    write_config(path, remove_user_from_text(path.read_text(encoding="utf-8"), args.name, path))
    print(f"removed {args.name} from {path}; restart `floorwise serve` to apply")
    if not read_users(path):
        print("no users left: login is off, and only a server bound to localhost gives the Documents tab",
              file=sys.stderr)
    return 0
