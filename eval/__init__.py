"""The evaluation harness: datasets in, the real assistant in the middle, metrics and reports out.

    dataset folder -> dataset.load_dataset -> runner.run_dataset -> results.jsonl
                   -> metrics.summarise -> summary.json -> report.md / report.html
    two runs       -> compare.compare_runs -> paired-bootstrap deltas
    summary + thresholds.toml -> gate.check -> pass/fail (CI)
"""
