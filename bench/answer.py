"""Answer latency against raw llama.cpp in the same process, on two baselines.

    python -m bench.answer [--questions FILE] [--limit N] [--json]

Ingests the sample plant into a temporary store, then for each question runs
`Assistant.ask` and records time to first source, time to first token (the
evidence is the first text shown), total time, prompt tokens and tokens/s.
For every question that reached the model, a second llama.cpp instance (same
GGUF, same settings) runs two baselines:
- "raw line": the very same line prompt, generated for the same number of tokens
  without the grammar: the ratio is Floorwise's overhead (retrieval, evidence,
  the yes/no judgement, the JSON grammar, the checks);
- "plain RAG first token": the prompt a plain RAG build sends (the top passages
  packed to `retrieval.context_tokens`, the question), decoded to its first token:
  the time to first token of the answer path before the evidence-first redesign.
Both instances see the questions in the same order, so both reuse their KV
cache the same way.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.offline import enforce_offline

REPO = Path(__file__).resolve().parents[1]


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile.

    >>> pct([1, 2, 3, 4], 50), pct([1, 2, 3, 4], 95)
    (2, 4)
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def load_questions(path: Path, limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


PLAIN_SYSTEM = ("You help factory technicians. Answer the question from the passages and put the passage "
                "number after each sentence, like [1]. If no passage is about the question, write NOT_IN_DOCUMENTS.")


def run(questions: list[dict], docs: Path) -> dict:
    from llama_cpp import Llama

    from assistant.answering import final_answer
    from assistant.domain import Route
    from assistant.prompting import pack_passages, passage_where
    from assistant.runtime import Runtime
    from assistant.settings import load_settings
    from ingest.pipeline import Ingestor

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(overrides={"data_dir": tmp}, environ={})
        runtime = Runtime(settings)
        Ingestor(runtime.catalog, runtime.embedder, runtime.bm25, settings.ingest).add([docs])
        assistant, generator = runtime.assistant, runtime.generator
        gen = settings.generation
        raw = Llama(model_path=str(runtime.llm_path), n_ctx=gen.n_ctx, n_threads=gen.n_threads or None,
                    seed=gen.seed, verbose=False)
        history: dict[str, list[str]] = {}
        rows = []
        for q in questions:
            past = history.get(q.get("follow_up_of") or "", [])
            answer = final_answer(assistant.ask(q["question"], history=past))
            history[q["id"]] = [*past, q["question"]]
            row = {
                "id": q["id"],
                "first_source_ms": answer.timings.get("retrieve", 0) * 1000,
                "first_token_ms": answer.timings.get("first_token", 0) * 1000 if "first_token" in answer.timings else None,
                "total_ms": answer.timings.get("total", answer.timings.get("retrieve", 0)) * 1000,
                "path": answer.route.value,
                "prompt_tokens": answer.prompt_tokens,
                "completion_tokens": answer.completion_tokens,
            }
            if answer.route in (Route.GENERATED, Route.EVIDENCE) and answer.completion_tokens:
                usage = generator.last_usage
                row["gen_tokens_per_s"] = usage.tokens_per_s
                preview = assistant.prompt_for(q["question"], history=past)
                tokens = generator._prompt_tokens(preview.messages)
                t0 = time.perf_counter()
                raw.create_completion(tokens, max_tokens=max(1, answer.completion_tokens), temperature=0.0)
                row["raw_total_ms"] = (time.perf_counter() - t0) * 1000
                row["ratio"] = row["total_ms"] / row["raw_total_ms"]
                hits = pack_passages(answer.sources, settings.retrieval.context_tokens, generator.count_tokens)
                passages = "\n\n".join(f"[{n}] {h.chunk.title} — {passage_where(h.chunk)}\n{h.chunk.text}"
                                        for n, h in enumerate(hits, 1))
                plain = [{"role": "system", "content": PLAIN_SYSTEM},
                         {"role": "user", "content": f"Passages:\n\n{passages}\n\nQuestion: {q['question']}"}]
                plain_tokens = generator._prompt_tokens(plain)
                t0 = time.perf_counter()
                raw.create_completion(plain_tokens, max_tokens=1, temperature=0.0)
                row["plain_first_token_ms"] = (time.perf_counter() - t0) * 1000 + row["first_source_ms"]
                row["plain_prompt_tokens"] = len(plain_tokens)
            rows.append(row)
            print(_row_line(row), flush=True)
        runtime.close()
    return {"questions": rows, "summary": summarise(rows)}


def summarise(rows: list[dict]) -> dict:
    llm = [r for r in rows if "ratio" in r]

    def stats(key, subset):
        values = [r[key] for r in subset if r.get(key) is not None]
        return {"p50": round(pct(values, 50), 1), "p95": round(pct(values, 95), 1), "n": len(values)}

    total_ours = sum(r["total_ms"] for r in llm)
    total_raw = sum(r["raw_total_ms"] for r in llm)
    first = stats("first_token_ms", llm)["p50"]
    plain = stats("plain_first_token_ms", llm)["p50"]
    return {
        "first_source_ms": stats("first_source_ms", rows),
        "first_token_ms": stats("first_token_ms", llm),
        "plain_first_token_ms": stats("plain_first_token_ms", llm),
        "total_ms_llm": stats("total_ms", llm),
        "raw_llama_total_ms": stats("raw_total_ms", llm),
        "prompt_tokens": stats("prompt_tokens", llm),
        "plain_prompt_tokens": stats("plain_prompt_tokens", llm),
        "gen_tokens_per_s": stats("gen_tokens_per_s", llm),
        "ratio_p50": round(statistics.median([r["ratio"] for r in llm]), 3) if llm else None,
        "ratio_sum": round(total_ours / total_raw, 3) if total_raw else None,
        "first_token_vs_plain_p50": round(first / plain, 3) if llm and plain else None,
        "paths": {p: sum(1 for r in rows if r["path"] == p) for p in ("generated", "evidence", "records", "refused")},
    }


def _row_line(r: dict) -> str:
    ratio = f"{r['ratio']:.2f}x" if "ratio" in r else "-"
    ttft = f"{r['first_token_ms']:.0f}" if r.get("first_token_ms") else "-"
    return (f"{r['id']:>6} {r['path']:>8} source {r['first_source_ms']:6.0f} ms  first token {ttft:>6} ms  "
            f"total {r['total_ms']:7.0f} ms  prompt {r['prompt_tokens']:4d} tok  vs raw {ratio}")


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=REPO / "sample_plant" / "questions.jsonl")
    parser.add_argument("--docs", type=Path, default=REPO / "sample_plant" / "docs")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(load_questions(args.questions, args.limit), args.docs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    s = result["summary"]
    print("\nsummary (p50 / p95):")
    for key in ("first_source_ms", "first_token_ms", "plain_first_token_ms", "total_ms_llm", "raw_llama_total_ms",
                "prompt_tokens", "plain_prompt_tokens", "gen_tokens_per_s"):
        print(f"  {key:20} {s[key]['p50']:>8} / {s[key]['p95']:<8} (n={s[key]['n']})")
    print(f"  first token / plain RAG first token (p50): {s['first_token_vs_plain_p50']}x (target <= 1.0)")
    print(f"  end-to-end / raw llama.cpp on the same line prompt: median {s['ratio_p50']}x, all {s['ratio_sum']}x")
    print(f"  paths: {s['paths']}")


if __name__ == "__main__":
    main()
