"""Record questions over a large work-order log: time per answer through `Assistant.ask`'s table route.

    python -m bench.tables [--records 100000] [--repeat 5] [--json]

Writes a synthetic CMMS export of N work orders (40 assets, 2000-2024, technician shorthand,
costs) through the real catalog: the typed SQLite table and one Qdrant Edge point per row
(random vectors: the table route does not search them, it fetches the rows it cites). Then
asks a fixed set of record questions (counts, sums, maxima, group-by, latest, date ranges, text
by meaning) through `Assistant.ask` and reports p50/p95 per question and overall.

Baseline, in the same process: the one hand-written SQL statement that answers each question
on the same SQLite table (no planning, no citations): the ratio is what planning, criteria,
closest-record handling and citation fetching cost on top of the database's own work.
Target: record questions answered in p95 <= 300 ms at 100k records.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from assistant.offline import enforce_offline
from bench.answer import pct

PROBLEMS = ("HYD LEAK AT {part}", "{part} NOISY", "REPLACE {part}", "C/O {part}", "{part} CRACKED", "ADJUST {part}",
            "L/H {part} LEAKING", "R/H {part} WORN", "INSPECT {part}", "{part} U/S - REPL")
PARTS = ("BOOM CYL", "BUCKET TOOTH", "SLEW RING", "TRACK CHAIN", "FINAL DRIVE", "HOSE", "PUMP", "STARTER MOTOR",
         "AIR CON", "FUEL FILTER", "IDLER", "LIP SHROUD", "GREASE LINE", "RADIATOR", "ALTERNATOR")
QUESTIONS = (
    ("How many hydraulic leaks on unit EX-07 in 2015?",
     "SELECT COUNT(*) FROM t WHERE c1='EX-07' AND substr(c0,1,4)='2015' AND _terms LIKE '% hydraulic%' "
     "AND _terms LIKE '% leak%'"),
    ("What did EX-12 cost us in 2020?", "SELECT SUM(c4) FROM t WHERE c1='EX-12' AND substr(c0,1,4)='2020'"),
    ("Most expensive work order in 2010?", "SELECT * FROM t WHERE substr(c0,1,4)='2010' ORDER BY c4 DESC LIMIT 1"),
    ("Which unit had the most work orders in 2018?",
     "SELECT c1, COUNT(*) n FROM t WHERE substr(c0,1,4)='2018' GROUP BY c1 ORDER BY n DESC LIMIT 1"),
    ("When was the last final drive changeout on EX-03?",
     "SELECT * FROM t WHERE c1='EX-03' AND _terms LIKE '% final%' AND _terms LIKE '% drive%' "
     "AND _terms LIKE '% changeout%' ORDER BY c0 DESC LIMIT 1"),
    ("How many work orders between 2005 and 2008 cost more than 5000?",
     "SELECT COUNT(*) FROM t WHERE c0 >= '2005-01-01' AND c0 <= '2008-12-31' AND c4 > 5000"),
    ("Average cost per work order on EX-21?", "SELECT AVG(c4) FROM t WHERE c1='EX-21'"),
    ("Break the work orders down by PM type.", "SELECT c3, COUNT(*) FROM t GROUP BY c3"),
)


def _agrees(value, truth: list[tuple]) -> bool:
    """Does Floorwise's value equal the hand-written SQL's (a number, a group's top, a row's date or cost)?"""
    if not truth:
        return value in (0, None)
    first = truth[0]
    if isinstance(value, tuple):  # a group: (name, count)
        return (str(first[0]), float(first[1])) == (str(value[0]), float(value[1])) or any(
            str(r[0]) == str(value[0]) and float(r[1]) == float(value[1]) for r in truth)
    candidates = [c for c in first if c is not None]
    return any((isinstance(c, (int, float)) and isinstance(value, (int, float)) and abs(c - value) < 0.01)
               or str(c) == str(value) for c in candidates)


def write_log(path: Path, records: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        f.write("BscStartDate,Asset,OriginalShorttext,PMType,Cost\n")
        for _ in range(records):
            date = f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            text = rng.choice(PROBLEMS).format(part=rng.choice(PARTS))
            pm = rng.choice(("PM01",) * 8 + ("PM02", "PM06"))
            cost = f"{rng.lognormvariate(6.5, 1.4):.2f}"
            f.write(f"{date},EX-{rng.randint(1, 40):02d},{text},{pm},{cost}\n")


class _NoEmbedding:
    """The table route embeds nothing; a stand-in that fails loudly if it ever did."""

    dim = 384

    def embed(self, texts):
        raise AssertionError("the table route should not embed")


def run(records: int, repeat: int) -> dict:
    import numpy as np

    from assistant.answering import Assistant, final_answer
    from assistant.catalog import Catalog
    from assistant.domain import Document, DocKind, Route
    from assistant.embedder import Bm25Encoder
    from assistant.settings import load_settings
    from assistant.store.base import PointWrite, SparseVec
    from assistant.store.edge import EdgeStore
    from assistant.tables.store import TableStore
    from ingest.chunkers import chunk_file
    from ingest.identifiers import IdExtractor
    from ingest.parse import parse_file

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        log = root / "cmms_export.csv"
        write_log(log, records)
        settings = load_settings(overrides={"data_dir": str(root / "data")}, environ={})
        t0 = time.perf_counter()
        parsed = parse_file(log, max_bytes=10**9)
        doc = Document("cmms_export.csv", str(log), "cmms export", DocKind.WORK_ORDER, parsed.file_hash)
        chunks, tables = chunk_file(doc, parsed, IdExtractor())
        rng = np.random.default_rng(0)
        vectors = rng.standard_normal((len(chunks), 384)).astype("float32")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        points = [PointWrite(c, v.tolist(), SparseVec((1,), (1.0,))) for c, v in zip(chunks, vectors)]
        store = EdgeStore(settings.store_dir, 384)
        table_store = TableStore(settings.tables_db)
        catalog = Catalog(store, settings.state_db, tables=table_store)
        catalog.replace(doc, (points[i : i + 2048] for i in range(0, len(points), 2048)), tables)
        load_s = time.perf_counter() - t0
        assistant = Assistant(catalog, _NoEmbedding(), Bm25Encoder(), None, settings.retrieval, settings.generation)
        [info] = table_store.tables()
        rows = []
        for question, sql in QUESTIONS:
            ours, raw = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                answer = final_answer(assistant.ask(question))
                ours.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                truth = table_store.query(sql.replace("FROM t", f'FROM "{info.sql_name}"'))
                raw.append((time.perf_counter() - t) * 1000)
            assert answer.route is Route.RECORDS, (question, answer.route, answer.text[:200])
            agrees = _agrees(answer.table.value, truth)
            rows.append({"question": question, "p50_ms": round(statistics.median(ours), 1), "p95_ms": round(pct(ours, 95), 1),
                         "sql_p50_ms": round(statistics.median(raw), 1), "value": str(answer.table.value)[:40],
                         "agrees_with_sql": agrees,
                         "ratio": round(statistics.median(ours) / max(statistics.median(raw), 0.01), 2)})
            print(f"  {rows[-1]['p50_ms']:7.1f} / {rows[-1]['p95_ms']:7.1f} ms   sql {rows[-1]['sql_p50_ms']:6.1f} ms   "
                  f"{rows[-1]['ratio']:5.1f}x  {'same' if agrees else 'DIFFERS'}  {question}  -> {rows[-1]['value']}",
                  flush=True)
        catalog.close()
        table_store.close()
        store.close()
    every = [r["p95_ms"] for r in rows]
    return {"records": records, "load_s": round(load_s, 1), "questions": rows,
            "all_agree": all(r["agrees_with_sql"] for r in rows),
            "p95_ms_worst": max(every), "p50_ms_median": statistics.median(r["p50_ms"] for r in rows),
            "ratio_median": round(statistics.median(r["ratio"] for r in rows), 2)}


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print(f"{args.records} synthetic work orders; per question p50 / p95 through Assistant.ask, "
          "then the hand-written SQL in the same process")
    result = run(args.records, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"\nloaded in {result['load_s']} s; worst p95 {result['p95_ms_worst']} ms (target <= 300 ms); "
          f"median p50 {result['p50_ms_median']} ms; Floorwise / hand-written SQL median {result['ratio_median']}x; "
          f"every value {'equals' if result['all_agree'] else 'does NOT equal'} the hand-written SQL's")


if __name__ == "__main__":
    main()
