"""The `floorwise` command: a thin dispatcher over ingest, assistant, ui and eval.

Each verb parses its arguments, calls one core function and prints. Errors
that Floorwise raises on purpose become one line on stderr and an exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from assistant.errors import FloorwiseError
from assistant.offline import enforce_offline

log = logging.getLogger("floorwise")

EPILOG = """examples:
  floorwise ingest add sample_plant/docs          # parse, chunk, embed and store a folder
  floorwise ingest sync /plant/docs --dry-run     # what would change
  floorwise ingest list --json                    # sources for scripts
  floorwise ask "torque for the PRESS-03 die clamp bolts?"
  floorwise serve --host 0.0.0.0 --port 7860      # the tablet chat UI
  floorwise eval run sample_plant                 # measure retrieval, citations, refusals
"""


def _common(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a flag given before the verb is not reset by the verb's own parser.
    parser.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                        help="TOML config file (default: ./floorwise.toml if present)")
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="data directory (store, logs, models); overrides config")
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log at INFO level on stderr")


def build_parser() -> argparse.ArgumentParser:
    from floorwise import commands

    parser = argparse.ArgumentParser(
        prog="floorwise",
        description="Offline knowledge assistant for factory floors.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND")
    for register in commands.REGISTRY:
        register(verbs, _common)
    return parser


def setup_logging(settings, verbose: bool) -> None:
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.INFO if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(stderr)
    try:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(settings.log_file, maxBytes=5_000_000, backupCount=3)
        handler.setLevel(getattr(logging, settings.log_level))
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    except OSError as exc:
        log.warning("cannot write log file %s: %s", settings.log_file, exc)
    for noisy in ("httpx", "sentence_transformers", "urllib3", "unstructured", "pdfminer", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    from assistant.settings import load_settings

    try:
        overrides: dict[str, Any] = dict(getattr(args, "overrides", lambda a: {})(args))
        if getattr(args, "data_dir", None):
            overrides["data_dir"] = str(args.data_dir)
        settings = load_settings(getattr(args, "config", None), overrides)
        setup_logging(settings, getattr(args, "verbose", False))
        handler: Callable[[Any, Any], int] = args.handler
        return int(handler(args, settings) or 0)
    except FloorwiseError as exc:
        print(f"floorwise: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("floorwise: interrupted", file=sys.stderr)
        return 130


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    sys.exit(main())
