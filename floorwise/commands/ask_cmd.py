"""`floorwise ask` and `floorwise prompt`: one question from the command line."""

from __future__ import annotations

import argparse
import sys

HELP = """examples:
  floorwise ask "What torque for the die clamp bolts on PRESS-03?"
  floorwise ask "How many hydraulic leaks on PRESS-03 in 2023?" --json
  floorwise ask "filter change interval" --asset HPU-3 --kind sop
  floorwise prompt "What torque for the die clamp bolts?"   # the exact prompt the model sees"""


def register(verbs, common) -> None:
    for verb, helptext in (("ask", "answer a question from the documents"),
                           ("prompt", "print the exact prompt the model would see")):
        p = verbs.add_parser(verb, help=helptext, epilog=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
        common(p)
        p.add_argument("question")
        p.add_argument("--asset", action="append", default=[], help="only passages about this asset (repeatable)")
        p.add_argument("--kind", action="append", default=[], choices=["sop", "work_order", "expert_note", "table"])
        p.add_argument("--include-superseded", action="store_true", help="also search superseded SOP revisions")
        p.add_argument("--json", action="store_true", help="print the answer as JSON")
        p.set_defaults(handler=ask if verb == "ask" else prompt)


def _filters(args):
    from assistant.retrieve import Filters

    return Filters(assets=tuple(args.asset), kinds=tuple(args.kind), include_superseded=args.include_superseded)


def _runtime(settings):
    from assistant.ownership import find_owner
    from assistant.runtime import Runtime

    owner = find_owner(settings.data_dir)
    if owner is not None:
        print(f"note: the server (pid {owner.pid}) owns the store; ask in the UI at {owner.base_url} "
              "or stop the server", file=sys.stderr)
    return Runtime(settings)


def ask(args, settings) -> int:
    from assistant.domain import FinalEvent, SourcesEvent, TokenEvent
    from floorwise.cli import print_json
    from floorwise.render import answer_to_dict, print_answer, print_sources

    runtime = _runtime(settings)
    try:
        answer = None
        for event in runtime.assistant.ask(args.question, filters=_filters(args)):
            if isinstance(event, SourcesEvent) and not args.json:
                print_sources(event.hits)
            elif isinstance(event, TokenEvent) and not args.json:
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, FinalEvent):
                answer = event.answer
        if args.json:
            print_json(answer_to_dict(answer))
        else:
            print_answer(answer)
        return 0
    finally:
        runtime.close()


def prompt(args, settings) -> int:
    runtime = _runtime(settings)
    try:
        preview = runtime.assistant.prompt_for(args.question, filters=_filters(args))
        if args.json:
            from floorwise.cli import print_json

            print_json({"messages": list(preview.messages), "prompt_tokens": preview.prompt_tokens})
        else:
            print(preview.text)
            print(f"\n[{preview.prompt_tokens} prompt tokens, {len(preview.passages)} passages]", file=sys.stderr)
        return 0
    finally:
        runtime.close()
