"""`floorwise eval run|compare|gate`: measure retrieval, citations, refusals and numbers on a dataset."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

HELP = """examples:
  floorwise eval run sample_plant                          # ingest into a temp dir, ask all, write reports
  floorwise eval run sample_plant --limit 10 --out /tmp/r1 # a quick subset
  floorwise eval run sample_plant --no-generate            # evidence-only answers, the LLM is not loaded
  floorwise eval run datasets/shared_corpora --split dev   # only the dev half (follow-ups go with parents)
  floorwise eval run ../shared/corpora/fmea_haul_truck     # the FMEA benchmark (nugget recall)
  floorwise eval compare eval-runs/a eval-runs/b           # deltas with paired-bootstrap 95% CIs
  floorwise eval gate eval-runs/a --dataset sample_plant   # exit 1 when below eval/thresholds.toml
  floorwise eval report eval-runs/a                        # rebuild summary and reports from results.jsonl
  floorwise eval calibrate eval-runs/dev-a eval-runs/dev-b --write   # refit the coverage model on dev runs

A dataset is a folder with questions.jsonl and docs/ (or a dataset.toml naming
docs = "path", docs = ["path", ...] or store = "data dir"). Outputs: results.jsonl,
summary.json, report.md and report.html (opens offline)."""


def register(verbs, common) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = verbs.add_parser("eval", help="evaluate the assistant on a question set", epilog=HELP,
                              formatter_class=fmt)
    sub = parser.add_subparsers(dest="eval_verb", metavar="VERB", required=True)
    p = sub.add_parser("run", help="run a dataset through the assistant", epilog=HELP, formatter_class=fmt)
    common(p)
    p.add_argument("dataset", type=Path, help="dataset folder (or a questions .jsonl to ask the configured store)")
    p.add_argument("--out", type=Path, help="output folder (default: eval-runs/<dataset>-<time>)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--split", metavar="NAME", help="only the questions of this split, e.g. dev or test (default: all)")
    p.add_argument("--no-generate", action="store_true", help="evidence-only answers; the LLM is not loaded")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=run)
    p = sub.add_parser("compare", help="compare two runs question by question", epilog=HELP, formatter_class=fmt)
    common(p)
    p.add_argument("run_a", type=Path)
    p.add_argument("run_b", type=Path)
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=compare)
    p = sub.add_parser("gate", help="check a run against eval/thresholds.toml", epilog=HELP, formatter_class=fmt)
    common(p)
    p.add_argument("run_dir", type=Path)
    p.add_argument("--dataset", help="thresholds table to use (default: the run's dataset name)")
    p.add_argument("--thresholds", type=Path, help="thresholds file (default: eval/thresholds.toml)")
    p.set_defaults(handler=gate)
    p = sub.add_parser("report", help="rebuild summary.json and reports from results.jsonl", epilog=HELP,
                       formatter_class=fmt)
    common(p)
    p.add_argument("run_dir", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=report)
    p = sub.add_parser("calibrate", help="fit the coverage model on dev runs", epilog=HELP, formatter_class=fmt)
    common(p)
    p.add_argument("runs", type=Path, nargs="+", help="run folders of `eval run --split dev`")
    p.add_argument("--max-false-refusals", type=float, default=0.10,
                   help="largest dev false-refusal rate the threshold may give (default 0.10)")
    p.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the logistic fit (default 1.0)")
    p.add_argument("--write", action="store_true", help="write assistant/coverage_weights.toml")
    p.add_argument("--source", help="how to name the runs in the weights file (default: their folders)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=calibrate)


def calibrate(args, settings) -> int:
    from dataclasses import asdict

    from eval.calibrate import calibrate as fit_runs
    from eval.calibrate import write
    from floorwise.cli import print_json

    plain, judged = fit_runs(args.runs, args.l2, args.max_false_refusals)
    if args.json:
        print_json({"plain": asdict(plain), "judged": asdict(judged) if judged else None})
    else:
        for name, f in (("without the judge", plain), ("with the judge", judged)):
            if f:
                print(f"{name}: n={f.n}, threshold {f.threshold}, dev false refusals {f.false_refusals}, "
                      f"near-miss recall {f.near_miss_recall}")
                print("  " + ", ".join(f"{k} {v:+.3f}" for k, v in f.weights.items()))
    if args.write:
        write(plain, judged, args.source or " + ".join(str(r) for r in args.runs))
        print("wrote assistant/coverage_weights.toml")
    return 0


def run(args, settings) -> int:
    from eval.dataset import load_dataset
    from eval.runner import RunOptions, run_dataset
    from floorwise.cli import print_json

    dataset = load_dataset(args.dataset)
    out = args.out or Path("eval-runs") / f"{dataset.name}-{datetime.now():%Y%m%d-%H%M%S}"
    if dataset.docs is None and dataset.store is None:
        print(f"note: {args.dataset} names no documents; asking the store in {settings.data_dir}", file=sys.stderr)
    summary = run_dataset(dataset, settings, out, RunOptions(generate=not args.no_generate, limit=args.limit,
                                                              show_progress=not args.json, split=args.split))
    if args.json:
        print_json(summary)
    else:
        print(_headline(summary))
        print(f"reports in {out}/ (report.html, report.md, summary.json, results.jsonl)")
    return 0


def _headline(summary) -> str:
    from eval.report import fmt

    m, lat = summary["metrics"], summary["latency"]
    keys = ("recall@5", "mrr", "citation_precision", "must_contain", "nugget_recall", "refusal_accuracy",
            "false_refusal_rate", "unsupported_rate")
    parts = [f"{k} {fmt(m.get(k))}" for k in keys if m.get(k) is not None]
    timing = ", ".join(f"{k} p50 {fmt(v['p50'], 2)} s" for k, v in lat.items() if k != "prompt_tokens" and v["p50"])
    return f"{summary['dataset']} ({summary['mode']}, {summary['questions']} questions): " + ", ".join(parts) + \
        (f"\nlatency: {timing}" if timing else "")


def compare(args, settings) -> int:
    from eval.compare import compare_runs, format_comparison
    from floorwise.cli import print_json

    result = compare_runs(args.run_a, args.run_b, resamples=args.resamples)
    if args.json:
        print_json(result)
    else:
        print(format_comparison(result))
    return 0


def gate(args, settings) -> int:
    from eval.compare import load_run
    from eval.gate import THRESHOLDS, check, load_thresholds

    _, summary = load_run(args.run_dir)
    name = args.dataset or summary.get("dataset", "")
    problems = check(summary, load_thresholds(name, args.thresholds or THRESHOLDS))
    for line in problems:
        print(f"FAIL {line}")
    print("gate passed" if not problems else f"gate failed: {len(problems)} metric(s) out of bounds")
    return 1 if problems else 0


def report(args, settings) -> int:
    from eval.report import rebuild
    from floorwise.cli import print_json

    summary = rebuild(args.run_dir)
    if args.json:
        print_json(summary)
    else:
        print(_headline(summary))
    return 0
