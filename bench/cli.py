"""Wall time of whole `floorwise` processes for verbs that embed nothing, against a bare Python start.

    python -m bench.cli [--runs 5] [--json]

Each verb runs as its own process, as a document owner types it, `--runs` times; the table
shows the median, min and max wall seconds. Baselines in the same run: `python -c pass` (the
interpreter alone) and `floorwise --help` (the command's own imports). The sample plant is
ingested once into a temporary data folder first (not timed: it embeds); afterwards nothing
the timed verbs do needs the embedding model. `ingest remove` really removes a source; the
source is added back, untimed, before the next run.

Targets on 2 cores: verbs that embed nothing < 1 s; an unchanged `ingest sync` of the sample
plant < 2 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.offline import enforce_offline

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "sample_plant" / "docs"
ONE_SOP = DOCS / "sops" / "SOP-131 Compressor CMP-2 Daily Check rev A.md"
TARGETS = {"ingest sync (unchanged)": 2.0}  # everything else but the baselines: 1.0 s


def floorwise_command() -> list[str]:
    """The installed `floorwise` script next to this interpreter, else the module."""
    script = Path(sys.executable).with_name("floorwise")
    if script.exists():
        return [str(script)]
    found = shutil.which("floorwise")
    return [found] if found else [sys.executable, "-m", "floorwise.cli"]


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def cases(fw: list[str], empty: Path, plant: Path) -> list[tuple[str, list[str], list[str] | None]]:
    """(name, command, untimed command to run after it) for every measured verb."""
    on = [*fw, "--data-dir", str(plant)]
    return [
        ("python -c pass (baseline)", [sys.executable, "-c", "pass"], None),
        ("floorwise --help (baseline)", [*fw, "--help"], None),
        ("ingest list (empty store)", [*fw, "--data-dir", str(empty), "ingest", "list"], None),
        ("ingest list", [*on, "ingest", "list"], None),
        ("ingest list --json", [*on, "ingest", "list", "--json"], None),
        ("ingest sync (unchanged)", [*on, "ingest", "sync", str(DOCS)], None),
        ("ingest add (unchanged file)", [*on, "ingest", "add", str(ONE_SOP)], None),
        ("ingest remove --dry-run", [*on, "ingest", "remove", "SOP-131", "--dry-run"], None),
        ("ingest remove", [*on, "ingest", "remove", "SOP-131"], [*on, "ingest", "add", str(ONE_SOP)]),
        ("ingest optimize (nothing to index)", [*on, "ingest", "optimize"], None),
    ]


def run(runs: int) -> dict:
    fw = floorwise_command()
    with tempfile.TemporaryDirectory(prefix="floorwise-cli-") as tmp:
        empty, plant = Path(tmp) / "empty", Path(tmp) / "plant"
        t0 = time.perf_counter()
        subprocess.run([*fw, "--data-dir", str(plant), "ingest", "sync", str(DOCS), "--json"], cwd=REPO,
                       check=True, capture_output=True)
        setup_s = time.perf_counter() - t0
        results = []
        for name, cmd, restore in cases(fw, empty, plant):
            times = []
            for _ in range(runs):
                times.append(timed(cmd))
                if restore:
                    subprocess.run(restore, cwd=REPO, check=True, capture_output=True)
            results.append({"verb": name, "median_s": round(statistics.median(times), 3),
                            "min_s": round(min(times), 3), "max_s": round(max(times), 3),
                            "target_s": None if "baseline" in name else TARGETS.get(name, 1.0)})
    return {"runs": runs, "setup_ingest_s": round(setup_s, 1), "results": results}


def report(r: dict) -> str:
    help_s = next(x["median_s"] for x in r["results"] if x["verb"].startswith("floorwise --help"))
    lines = [f"{r['runs']} runs per verb; sample plant ingested once in {r['setup_ingest_s']} s (untimed)",
             f"{'verb':38}{'median':>8}{'min':>8}{'max':>8}{'/ --help':>10}  target"]
    for x in r["results"]:
        target = "" if x["target_s"] is None else (
            f"< {x['target_s']:g} s " + ("ok" if x["median_s"] < x["target_s"] else "MISSED"))
        lines.append(f"{x['verb']:38}{x['median_s']:>8.3f}{x['min_s']:>8.3f}{x['max_s']:>8.3f}"
                     f"{x['median_s'] / help_s:>10.1f}  {target}")
    return "\n".join(lines)


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    r = run(args.runs)
    print(json.dumps(r, indent=2) if args.json else report(r))


if __name__ == "__main__":
    main()
