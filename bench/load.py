"""Bounded load on loopback: several technicians chatting with one `floorwise serve` at once.

    python -m bench.load [--users 8] [--duration 180] [--baseline 6] [--concurrency N]
                         [--data-dir DIR] [--json FILE]

Starts `floorwise serve` on a free loopback port over the sample plant (ingested
into a temporary folder, or DIR when given and already filled), then:

1. baseline: one technician asks `--baseline` questions one after another;
2. load: `--users` technicians, each in its own thread, ask question after
   question (a new session for each, as after "New conversation") until
   `--duration` seconds have passed; answers in flight are awaited.

Every answer is timed as the tablet sees it over HTTP (`bench.technician`):
queue wait (until the first update), first source card, first answer text and
total. The server's resident memory is sampled every second. The ratios compare
the loaded p50s with the single-user baseline measured in the same run.
`--concurrency` sets server.concurrency (answers generated at once) for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.answer import pct
from bench.server import free_port, wait_for
from bench.technician import Exchange, Technician

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_plant"


def questions(path: Path) -> list[str]:
    """Stand-alone questions (follow-ups need their conversation), in file order."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("follow_up_of")]


def floorwise(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "floorwise.cli", "--data-dir", str(data), *args]


def start_server(data: Path, port: int, concurrency: int | None, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FLOORWISE_CONFIG", None)
    if concurrency:
        env["FLOORWISE_SERVER__CONCURRENCY"] = str(concurrency)
    with log.open("w") as out:
        proc = subprocess.Popen(floorwise(data, "serve", "--host", "127.0.0.1", "--port", str(port)),
                                cwd=data, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/", 300, proc)
    except (RuntimeError, TimeoutError) as exc:
        proc.kill()
        raise RuntimeError(f"{exc}; see {log}") from exc
    return proc


class MemorySampler(threading.Thread):
    """RSS of the server process (and its children), once a second."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process(pid)
        self.samples: list[tuple[float, float]] = []  # (monotonic, MiB)
        self.stopped = threading.Event()

    def rss_mib(self) -> float:
        procs = [self.process, *self.process.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / 2**20

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            try:
                self.samples.append((time.monotonic(), self.rss_mib()))
            except Exception:
                return


def slope_mib_per_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of RSS over time."""
    if len(samples) < 3:
        return float("nan")
    t0 = samples[0][0]
    xs = [(t - t0) / 60 for t, _ in samples]
    ys = [m for _, m in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else float("nan")


def queue_depths(exchanges: list[Exchange], step: float = 0.5) -> list[int]:
    """How many questions were waiting for a slot, sampled every `step` seconds."""
    if not exchanges:
        return []
    start = min(e.submitted for e in exchanges)
    end = max(e.finished for e in exchanges)
    depths, t = [], start
    while t <= end:
        depths.append(sum(1 for e in exchanges if e.submitted <= t < (e.started or e.finished)))
        t += step
    return depths


def summarise(exchanges: list[Exchange], wall_s: float) -> dict:
    def stats(values: list[float | None]) -> dict:
        vals = [v for v in values if v is not None]
        return {"n": len(vals), "p50": pct(vals, 50), "p95": pct(vals, 95), "max": max(vals, default=float("nan"))}

    done = [e for e in exchanges if e.outcome != "error"]
    depths = queue_depths(exchanges)
    return {
        "asked": len(exchanges),
        "answered": sum(e.outcome == "answered" for e in exchanges),
        "refused": sum(e.outcome == "refused" for e in exchanges),
        "errors": [f"{e.question[:60]}: {e.error or 'error shown'}" for e in exchanges if e.outcome == "error"],
        "wall_s": wall_s,
        "per_min": 60 * len(done) / wall_s if wall_s else float("nan"),
        "queue_wait_s": stats([e.queue_wait_s for e in exchanges]),
        "first_source_s": stats([e.first_source_s for e in exchanges]),
        "first_token_s": stats([e.first_token_s for e in exchanges]),
        "total_s": stats([e.total_s for e in exchanges]),
        "queue_depth": {"mean": statistics.fmean(depths) if depths else 0, "max": max(depths, default=0)},
        "ahead_at_model": {"p50": pct([e.ahead_max for e in exchanges], 50),
                           "max": max((e.ahead_max for e in exchanges), default=0)},
    }


def baseline(url: str, qs: list[str], n: int) -> tuple[list[Exchange], float]:
    tech = Technician(url)
    began = time.monotonic()
    try:
        exchanges = [tech.ask(q) for q in qs[:n]]
    finally:
        tech.close()
    return exchanges, time.monotonic() - began


def load(url: str, qs: list[str], users: int, duration_s: float) -> tuple[list[Exchange], float]:
    exchanges: list[Exchange] = []
    lock = threading.Lock()
    began = time.monotonic()
    deadline = began + duration_s

    def technician(i: int) -> None:
        k = i * max(1, len(qs) // users)
        while time.monotonic() < deadline:
            tech = Technician(url)
            try:
                exchange = tech.ask(qs[k % len(qs)])
            finally:
                tech.close()
            with lock:
                exchanges.append(exchange)
            k += 1

    threads = [threading.Thread(target=technician, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return exchanges, time.monotonic() - began


def fmt(stats: dict) -> str:
    return f"{stats['p50']:6.2f} {stats['p95']:6.2f}"


def report(result: dict) -> str:
    b, lo, mem = result["baseline"], result["load"], result["memory"]
    lines = [
        f"server.concurrency={result['concurrency']}  users={result['users']}  duration={result['duration_s']:.0f} s  "
        f"(loopback, {os.cpu_count()} cores)",
        "",
        f"{'':24} {'1 user p50   p95':>18} {str(result['users']) + ' users p50   p95':>20} {'p50 ratio':>10}",
    ]
    for key, label in (("queue_wait_s", "queue wait (s)"), ("first_source_s", "first source (s)"),
                       ("first_token_s", "first token (s)"), ("total_s", "total (s)")):
        ratio = lo[key]["p50"] / b[key]["p50"] if b[key]["p50"] else float("nan")
        lines.append(f"{label:24} {fmt(b[key]):>18} {fmt(lo[key]):>20} {ratio:>9.2f}x")
    lines += [
        "",
        f"answers per minute      1 user {b['per_min']:.1f}   {result['users']} users {lo['per_min']:.1f}   "
        f"ratio {lo['per_min'] / b['per_min'] if b['per_min'] else float('nan'):.2f}x",
        f"asked {lo['asked']}: answered {lo['answered']}, refused {lo['refused']}, errors {len(lo['errors'])}",
        f"in the server's queue   mean {lo['queue_depth']['mean']:.1f}, max {lo['queue_depth']['max']} "
        f"(before any search; server.max_active questions are searched at once)",
        f"ahead at the model      p50 {lo['ahead_at_model']['p50']}, max {lo['ahead_at_model']['max']} "
        f"(shown to the technician while the sources are up)",
        f"server RSS (MiB)        after warm-up {mem['after_warmup']:.0f}, max {mem['max']:.0f}, "
        f"end {mem['end']:.0f}; under load {mem['slope_mib_per_min']:+.1f} MiB/min, "
        f"second half {mem['second_half_slope_mib_per_min']:+.1f} MiB/min",
    ]
    lines += [f"  error: {e}" for e in lo["errors"][:10]]
    return "\n".join(lines)


def run(args) -> dict:
    qs = questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.data_dir) if args.data_dir else Path(tmp) / "data"
        if not (data / "store").exists():
            print(f"ingesting {args.docs} into {data} ...", file=sys.stderr, flush=True)
            subprocess.run(floorwise(data, "ingest", "add", str(args.docs)), check=True, cwd=REPO,
                           stdout=subprocess.DEVNULL)
        port = free_port()
        log = Path(tmp) / "serve.log"
        server = start_server(data, port, args.concurrency, log)
        url = f"http://127.0.0.1:{port}/"
        sampler = MemorySampler(server.pid)
        try:
            warm = Technician(url)
            warm.ask(qs[-1])  # warm-up: model loaded, KV cache primed
            warm.close()
            after_warmup = sampler.rss_mib()
            sampler.start()
            print(f"baseline: 1 technician, {args.baseline} questions ...", file=sys.stderr, flush=True)
            base, base_wall = baseline(url, qs, args.baseline)
            print(f"load: {args.users} technicians for {args.duration:.0f} s ...", file=sys.stderr, flush=True)
            load_from = time.monotonic()
            loaded, load_wall = load(url, qs, args.users, args.duration)
            end = sampler.rss_mib()
        finally:
            sampler.stopped.set()
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        under_load = [s for s in sampler.samples if s[0] >= load_from]
        return {
            "concurrency": args.concurrency or "config default",
            "users": args.users,
            "duration_s": args.duration,
            "baseline": summarise(base, base_wall),
            "load": summarise(loaded, load_wall),
            "memory": {
                "after_warmup": after_warmup,
                "max": max((m for _, m in sampler.samples), default=end),
                "end": end,
                "slope_mib_per_min": slope_mib_per_min(under_load),
                "second_half_slope_mib_per_min": slope_mib_per_min(under_load[len(under_load) // 2:]),
                "series": [(round(t - load_from, 1), round(m, 1)) for t, m in under_load[::10]],
                "samples": len(sampler.samples),
            },
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--duration", type=float, default=180, help="seconds of load (default 180)")
    parser.add_argument("--baseline", type=int, default=6, help="questions asked by the single user first")
    parser.add_argument("--concurrency", type=int, help="server.concurrency for this run (default: config)")
    parser.add_argument("--data-dir", help="an already ingested data folder to serve (default: a temp copy)")
    parser.add_argument("--docs", type=Path, default=SAMPLE / "docs")
    parser.add_argument("--questions", type=Path, default=SAMPLE / "questions.jsonl")
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    result = run(args)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 1 if result["load"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
