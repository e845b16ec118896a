"""Metrics, loaders, reports, compare and gate on synthetic records (fast, no models)."""

from __future__ import annotations

import doctest
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import eval.compare
import eval.dataset
import eval.fmea
import eval.gate
import eval.metrics
import eval.report
from assistant.domain import Chunk, DocKind
from eval.dataset import DatasetError, GoldSource
from eval.metrics import (
    contains,
    facts,
    ndcg_at_k,
    nugget_found,
    question_terms,
    recall_at_k,
    reciprocal_rank,
    refusal_scores,
    summarise,
    unsupported_facts,
)
from eval.report import markdown_report


@pytest.mark.parametrize("module", [eval.dataset, eval.fmea, eval.metrics, eval.report, eval.compare, eval.gate])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0


# -- retrieval ---------------------------------------------------------------------------
def test_retrieval_metrics_count_each_gold_once():
    ranked = [[0], [0], [], [1]]  # two chunks of the same gold source, then the second source
    assert recall_at_k(ranked, 2, 1) == 0.5
    assert recall_at_k(ranked, 2, 3) == 0.5
    assert recall_at_k(ranked, 2, 5) == 1.0
    assert reciprocal_rank(ranked) == 1.0
    assert ndcg_at_k(ranked, 2, 5) == pytest.approx((1 + 1 / 2.321928) / (1 + 1 / 1.584963), rel=1e-4)
    assert reciprocal_rank([[], []]) == 0.0 and ndcg_at_k([], 0, 5) == 0.0


def _chunk(**kw):
    base = dict(chunk_id="i", doc_id="SOP-104", source_path="sops/SOP-104 Die Change rev C.pdf", title="Die change",
                kind=DocKind.SOP, text="x", ordinal=0, file_hash="h")
    base.update(kw)
    return Chunk(**base)


@pytest.mark.parametrize("gold, chunk, expected", [
    (GoldSource("SOP-104", {"step": "14.2"}), _chunk(step="14.2"), True),
    (GoldSource("SOP-104", {"step": "14.2"}), _chunk(step="14"), True),
    (GoldSource("SOP-104", {"step": "14.2"}), _chunk(step="4"), False),
    (GoldSource("SOP-104", {"step": "14.2", "page": 3}), _chunk(step="14.2", page=4), False),
    (GoldSource("SOP-104", {}, revision="B"), _chunk(revision="C"), False),
    (GoldSource("SOP-104 Die Change rev C.pdf"), _chunk(), True),
    (GoldSource("torque_specs.csv", {"row": 7}),
     _chunk(doc_id="tables/torque_specs.csv", source_path="tables/torque_specs.csv", kind=DocKind.TABLE,
            fields={"row": 7}), True),
    (GoldSource("24-1078", {"wo_id": "24-1078"}),
     _chunk(doc_id="cmms.xlsx", source_path="cmms.xlsx", kind=DocKind.WORK_ORDER, fields={"wo_id": "24-1078"}), True),
    (GoldSource("SOP-104", {"section": "revision history"}), _chunk(section_path=("7. Revision History",)), True),
    (GoldSource("SOP-999"), _chunk(), False),
])
def test_gold_matching(gold, chunk, expected):
    assert gold.matches(chunk) is expected


# -- answers ---------------------------------------------------------------------------
@pytest.mark.parametrize("answer, needle, expected", [
    ("Torque to 95 N·m [1].", "95 N·m", True),
    ("Torque to 95 N m [1].", "95 N·m", True),
    ("Torque to 95 Nm [1].", "95 N·m", True),
    ("Torque to 95\u00a0N⋅m", "95 N·m", True),
    ("Torque to 195 Nm", "95 N·m", False),
    ("Torque to 95.5 Nm", "95 N·m", False),
    ("LOCK the isolator", "lock", True),
])
def test_must_contain_normalisation(answer, needle, expected):
    assert contains(answer, needle) is expected


def test_nugget_rule_needs_numbers_and_most_words():
    nugget = "The recommended action is 'Check bolt connection torques on 500 hour service.'"
    assert nugget_found(nugget, "Recommended action: check bolt connection torques every 500 hour service [1].")
    assert not nugget_found(nugget, "Recommended action: check bolt connection torques every 250 hour service.")
    assert not nugget_found(nugget, "Service at 500 hours.")


def test_numeric_fidelity_flags_only_invented_facts():
    passage = "Die change > 6. Procedure, step 14\n14.2 Tighten the M20 bolts to 330 N·m in two passes (HF-2210-B)."
    bad, total = unsupported_facts("Tighten to 330 N·m in 2 passes, part HF-2210-B, then 400 N·m [1].", [passage])
    assert bad == ["400"] and total == 4
    assert unsupported_facts("1. Lock out.\n2. Verify zero [1].", ["Lock out; verify"])[0] == []
    assert facts("WO-22-0017 on 2022-05-01") == {"WO-22-0017", "2022-05-01"}


def test_refusal_scores():
    scores = refusal_scores([True, True, True, False, False], [False, False, True, True, True])
    assert scores == {"refusal_precision": 2 / 3, "refusal_recall": 1.0, "false_refusal_rate": 1 / 3,
                      "refusal_accuracy": 0.8}


# -- records, summary, breakdown ---------------------------------------------------------
def record(qid, *, tags=("sop",), answerable=True, gold=1, retrieved=((0,),), answer="Torque to 330 N·m [1].",
           refused=False, cited=((0,),), support="Tighten to 330 N·m", must=("330 N·m",), timings=None, **extra):
    r = {
        "id": qid, "question": f"question {qid}?", "tags": list(tags), "answerable": answerable,
        "reference_answer": "330 N·m per SOP-104" if answerable else "", "must_contain": list(must) if answerable else [],
        "gold_sources": [{"doc": "SOP-104", "locator": {}}] * gold if answerable else [],
        "nuggets": [], "retrieved": [{"doc_id": "SOP-104", "locator": {"step": "14"}, "gold": list(g)} for g in retrieved],
        "cited": [{"doc_id": "SOP-104", "locator": {}, "gold": list(g), "support_text": support} for g in cited],
        "answer": answer, "refused": refused, "verification": {"removed_citations": []},
        "timings": timings or {"retrieve": 0.2, "first_token": 1.0, "total": 3.0}, "prompt_tokens": 600,
        "unsupported": [], "error": None,
    }
    r.update(extra)
    return r


def synthetic_records():
    return [
        record("q1"),
        record("q2", retrieved=((), (0,)), answer="Torque to 300 N·m [1].", tags=("sop", "torque"),
               verification={"removed_citations": [2]}),
        record("q3", answerable=False, answer="not covered", refused=True, cited=(), tags=("unanswerable",)),
        record("q4", answerable=False, answer="It is 5 bar [1].", cited=((),), tags=("unanswerable",)),
        record("q5", retrieved=((),), answer="refusal", refused=True, cited=(), tags=("sop",),
               timings={"retrieve": 0.4}),
    ]


def test_summary_and_tags():
    summary = summarise(synthetic_records())
    m = summary["metrics"]
    assert m["recall@1"] == pytest.approx(1 / 3) and m["recall@5"] == pytest.approx(2 / 3)
    assert m["mrr"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["refusal_accuracy"] == pytest.approx(3 / 5)
    assert m["false_refusal_rate"] == pytest.approx(1 / 3)
    assert m["must_contain"] == pytest.approx(1 / 3)  # q1 yes, q2 says 300, q5 refused
    assert m["unsupported_rate"] == pytest.approx(2 / 3)  # "300" (q2) and "5" (q4) of 3 facts
    # Kept citations that match gold (or any kept one where there is no gold: q4) over all made (q2 lost one).
    assert m["citation_precision"] == pytest.approx(3 / 4)
    assert m["citation_recall"] == pytest.approx(2 / 3)  # q5 refused: nothing cited
    assert summary["latency"]["retrieve"]["p50"] == pytest.approx(0.2)
    assert summary["by_tag"]["torque"]["questions"] == 1
    assert summary["by_tag"]["unanswerable"]["metrics"]["refusal_recall"] == 0.5
    assert question_terms({**record("x"), "error": "boom"}) == {}
    # q1 delivers 330; q2 had the gold passage at rank 2 and said 300; q5 never retrieved its gold.
    assert summary["stages"] == {"delivered": 1, "retrieval missed": 1, "refused with evidence": 0,
                                 "answered without the fact": 1}
    assert "| answered without the fact | 1 | 0.333 |" in markdown_report(synthetic_records(), summary)


def test_retrieval_only_records_skip_answer_metrics():
    r = record("q1", answer=None, cited=())
    terms = question_terms(r)
    assert "recall@5" in terms and "refusal_accuracy" in terms and "must_contain" not in terms


# -- reports -----------------------------------------------------------------------------
class _Attrs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: list[str] = []
        self.tags: set[str] = set()
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_style = tag == "style"
        self.values += [v or "" for _, v in attrs]

    def handle_data(self, data):
        if self._in_style:
            self.style += data

    def handle_endtag(self, tag):
        self._in_style = False


def test_html_report_is_standalone_and_escaped(tmp_path):
    records = synthetic_records()
    records[1]["answer"] = "<script>alert(1)</script> see https://evil.example [1]"
    summary = {"dataset": "t", "mode": "full", **summarise(records)}
    eval.report.write_reports(tmp_path, records, summary)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    parser = _Attrs()
    parser.feed(page)
    assert not any("http" in v or "//" in v for v in parser.values)  # no src/href/xmlns to the outside
    assert "http" not in parser.style and "@import" not in parser.style
    assert not {"script", "link", "img", "iframe"} & parser.tags
    assert "&lt;script&gt;" in page and "<svg" in page
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert markdown.index("## Failures") < markdown.index("## Metrics")
    assert "q2" in markdown.split("## Metrics")[0]  # the wrong number is listed as a failure


# -- compare and gate ----------------------------------------------------------------------
def _write_run(folder: Path, records):
    folder.mkdir()
    (folder / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (folder / "summary.json").write_text(json.dumps({"dataset": "t", **summarise(records)}))


def test_compare_paired_bootstrap(tmp_path):
    a = [record(f"q{i}", retrieved=((),) if i % 2 else ((0,),)) for i in range(40)]
    b = [record(f"q{i}") for i in range(40)]
    _write_run(tmp_path / "a", a)
    _write_run(tmp_path / "b", b)
    result = eval.compare.compare_runs(tmp_path / "a", tmp_path / "b", resamples=500)
    delta = result["metrics"]["recall@5"]
    assert delta["a"] == 0.5 and delta["b"] == 1.0 and delta["delta"] == 0.5
    assert 0.3 < delta["ci95"][0] <= 0.5 <= delta["ci95"][1] <= 0.7
    again = eval.compare.compare_runs(tmp_path / "a", tmp_path / "b", resamples=500)
    assert again == result  # seeded
    assert "recall@5" in eval.compare.format_comparison(result)


def test_gate_reads_thresholds(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[x]\nmin = { "recall@5" = 0.9 }\nmax = { unsupported_rate = 0.1 }\n')
    section = eval.gate.load_thresholds("x", path)
    assert eval.gate.check({"metrics": {"recall@5": 0.95, "unsupported_rate": 0.0}}, section) == []
    assert len(eval.gate.check({"metrics": {"recall@5": 0.5, "unsupported_rate": 0.5}}, section)) == 2
    path.write_text('[x]\nmin = { total = 1.0 }\n')
    with pytest.raises(DatasetError, match="not a gateable metric"):
        eval.gate.load_thresholds("x", path)


def test_shipped_thresholds_cover_sample_plant():
    section = eval.gate.load_thresholds("sample_plant")
    assert {"recall@5", "refusal_accuracy"} <= set(section["min"])
