"""Dataset loaders: questions.jsonl with line-numbered errors, dataset.toml, the FMEA benchmark."""

from __future__ import annotations

import json

import pytest

from eval.dataset import DatasetError, load_dataset, load_questions
from eval.fmea import parse_nuggets
from tests.conftest import REPO, corpus

GOOD = {"id": "q1", "question": "torque?", "reference_answer": "95 N·m", "must_contain": ["95 N·m"],
        "gold_sources": [{"doc": "SOP-1", "locator": {"step": "4"}}], "answerable": True, "tags": ["sop"]}


def _write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_loads_a_folder_with_docs(tmp_path):
    (tmp_path / "docs").mkdir()
    _write(tmp_path / "questions.jsonl", [GOOD, {**GOOD, "id": "q2", "question": "and rev B?", "follow_up_of": "q1"}])
    ds = load_dataset(tmp_path)
    assert ds.docs == (tmp_path / "docs").resolve() and ds.store is None
    assert [q.id for q in ds.questions] == ["q1", "q2"] and ds.questions[1].follow_up_of == "q1"
    assert ds.limited(1).questions == ds.questions[:1]


def test_dataset_toml_docs_and_store(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    _write(tmp_path / "questions.jsonl", [GOOD])
    (tmp_path / "dataset.toml").write_text('name = "mine"\ndocs = "elsewhere"\n')
    ds = load_dataset(tmp_path)
    assert ds.name == "mine" and ds.docs == (tmp_path / "elsewhere").resolve()
    (tmp_path / "dataset.toml").write_text('store = "elsewhere"\n')
    assert load_dataset(tmp_path).store == (tmp_path / "elsewhere").resolve()


@pytest.mark.parametrize("rows, message", [
    ([GOOD, "{not json"], "line 2: not valid JSON"),
    ([GOOD, {**GOOD}], "line 2: duplicate id"),
    ([{**GOOD, "question": ""}], "line 1: missing or empty 'question'"),
    ([{**GOOD, "answerable": "yes"}], "line 1: 'answerable' must be true or false"),
    ([{**GOOD, "follow_up_of": "q9"}], "line 1: follow_up_of 'q9'"),
    ([{**GOOD, "gold_sources": [{"doc": "A", "locator": {"chapter": 2}}]}], "gold_sources\\[0\\]: unknown locator"),
    ([{**GOOD, "must_contain": "95"}], "'must_contain' must be a list"),
])
def test_bad_lines_name_the_line(tmp_path, rows, message):
    with pytest.raises(DatasetError, match=message):
        load_questions(_write(tmp_path / "questions.jsonl", rows))


def test_missing_docs_says_how_to_fix(tmp_path):
    _write(tmp_path / "questions.jsonl", [GOOD])
    with pytest.raises(DatasetError, match="dataset.toml"):
        load_dataset(tmp_path)


def test_sample_plant_golden_set_loads():
    path = REPO / "sample_plant" / "questions.jsonl"
    if not path.exists():
        pytest.skip("sample_plant/questions.jsonl not written yet")
    ds = load_dataset(REPO / "sample_plant")
    assert ds.docs is not None and ds.docs.is_dir()
    assert any(not q.answerable for q in ds.questions) and any(q.follow_up_of for q in ds.questions)


def test_fmea_benchmark_loads_all_40_questions():
    folder = corpus("fmea_haul_truck")
    ds = load_dataset(folder)
    assert len(ds.questions) == 40 and "23" not in {q.id for q in ds.questions}
    assert ds.docs.name == "fmea_dataset_combined.csv"
    assert {q.id for q in ds.questions if not q.answerable} == {"12", "24", "25", "26", "27"}
    assert all(q.nuggets for q in ds.questions)
    by_id = {q.id: q for q in ds.questions}
    # The two cells that are not valid JSON as published still give all their nuggets.
    assert [n.essential for n in by_id["3"].nuggets] == [False, True]
    assert "500 hour service" in by_id["3"].nuggets[1].text
    assert [n.essential for n in by_id["35"].nuggets] == [True, True, False]
    assert "125 hour service" in by_id["35"].nuggets[1].text


@pytest.mark.parametrize("cell, texts", [
    ('[{"nugget": "A is 1.", "status": "ESSENTIAL"}]', ["A is 1."]),
    ('[{"nugget": "A \\\'quoted\\\'.", "status": "OPTIONAL"}]', ["A 'quoted'."]),
    ('[{"nugget": "on 125\\ hour", "status": "ESSENTIAL"}]', ["on 125 hour"]),
    ('[{"nugget": "x is \'y.\\\', "status": "ESSENTIAL"}]', ["x is 'y."]),
    ("", []),
])
def test_tolerant_nugget_parsing(cell, texts):
    assert [n.text for n in parse_nuggets(cell)] == texts


def test_unparseable_nuggets_raise():
    with pytest.raises(DatasetError):
        parse_nuggets("just words")
