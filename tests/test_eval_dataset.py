"""Dataset loaders: questions.jsonl with line-numbered errors, dataset.toml, the FMEA benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.dataset import Dataset, DatasetError, GoldSource, Question, load_dataset, load_questions
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
    assert ds.docs == ((tmp_path / "docs").resolve(),) and ds.store is None
    assert [q.id for q in ds.questions] == ["q1", "q2"] and ds.questions[1].follow_up_of == "q1"
    assert ds.limited(1).questions == ds.questions[:1]


def test_dataset_toml_docs_and_store(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    _write(tmp_path / "questions.jsonl", [GOOD])
    (tmp_path / "dataset.toml").write_text('name = "mine"\ndocs = "elsewhere"\n')
    ds = load_dataset(tmp_path)
    assert ds.name == "mine" and ds.docs == ((tmp_path / "elsewhere").resolve(),)
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
    ([{**GOOD, "split": 1}], "line 1: 'split' must be a name"),
    ([{**GOOD, "split": " "}], "line 1: 'split' must be a name"),
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
    assert ds.docs is not None and all(d.is_dir() for d in ds.docs)
    assert any(not q.answerable for q in ds.questions) and any(q.follow_up_of for q in ds.questions)


def test_fmea_benchmark_loads_all_40_questions():
    folder = corpus("fmea_haul_truck")
    ds = load_dataset(folder)
    assert len(ds.questions) == 40 and "23" not in {q.id for q in ds.questions}
    assert [d.name for d in ds.docs] == ["fmea_dataset_combined.csv"]
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


def test_dataset_toml_docs_list_of_files_and_folders(tmp_path):
    (tmp_path / "manuals").mkdir()
    (tmp_path / "log.csv").write_text("a,b\n1,2\n")
    _write(tmp_path / "questions.jsonl", [GOOD])
    (tmp_path / "dataset.toml").write_text('docs = ["manuals", "log.csv"]\n')
    assert load_dataset(tmp_path).docs == ((tmp_path / "manuals").resolve(), (tmp_path / "log.csv").resolve())


@pytest.mark.parametrize("toml, message", [
    ('docs = ["manuals", "gone.csv"]\n', "no documents at .*gone.csv"),
    ("docs = []\n", "docs must be a path or a non-empty list"),
    ("docs = [3]\n", "docs must be a path or a non-empty list"),
])
def test_dataset_toml_bad_docs_name_the_problem(tmp_path, toml, message):
    (tmp_path / "manuals").mkdir()
    _write(tmp_path / "questions.jsonl", [GOOD])
    (tmp_path / "dataset.toml").write_text(toml)
    with pytest.raises(DatasetError, match=message):
        load_dataset(tmp_path)


def test_one_path_is_kept_as_a_tuple(tmp_path):
    assert Dataset("d", tmp_path, (), tmp_path / "a.csv").docs == (tmp_path / "a.csv",)
    assert Dataset("d", tmp_path, (), "a.csv").docs == (Path("a.csv"),)


def test_split_is_read_and_follow_ups_keep_their_parents_split(tmp_path):
    rows = [{**GOOD, "id": "q1", "split": "dev"}, {**GOOD, "id": "q2", "split": "test"},
            {**GOOD, "id": "q3", "follow_up_of": "q1"},                    # no split of its own
            {**GOOD, "id": "q4", "follow_up_of": "q3", "split": "test"},  # the conversation's split wins
            {**GOOD, "id": "q5"}]
    (tmp_path / "docs").mkdir()
    _write(tmp_path / "questions.jsonl", rows)
    ds = load_dataset(tmp_path)
    assert [q.split for q in ds.questions] == ["dev", "test", None, "test", None]
    assert [q.id for q in ds.only_split("dev").questions] == ["q1", "q3", "q4"]
    assert [q.id for q in ds.only_split("test").questions] == ["q2"]
    assert ds.only_split(None) is ds
    assert ds.only_split("dev").docs == ds.docs and ds.only_split("dev").limited(1).questions[0].id == "q1"
    with pytest.raises(DatasetError, match="no question in split 'holdout'; its splits: dev, test"):
        ds.only_split("holdout")


def _table_chunk(fields):
    from assistant.domain import Chunk, DocKind

    return Chunk("c", "plan.xlsx", "/plants/plan.xlsx", "plan", DocKind.TABLE, "x", 0, "h", fields=fields)


@pytest.mark.parametrize("locator, fields, matches", [
    ({"sheet": "Hydraulics"}, {"sheet": "Hydraulics", "row": 4}, True),
    ({"sheet": "  hydraulics "}, {"sheet": "HYDRAULICS"}, True),
    ({"sheet": "Hydraulics", "row": 4}, {"sheet": "Hydraulics", "row": 4}, True),
    ({"sheet": "Hydraulics", "row": 5}, {"sheet": "Hydraulics", "row": 4}, False),
    ({"sheet": "Engine"}, {"sheet": "Hydraulics"}, False),
    ({"sheet": "Hydraulics"}, {"row": 4}, False),  # a chunk without a sheet never matches one
])
def test_sheet_locator(locator, fields, matches):
    assert GoldSource("plan.xlsx", locator).matches(_table_chunk(fields)) is matches


def test_sheet_is_a_known_locator_key(tmp_path):
    row = {**GOOD, "gold_sources": [{"doc": "plan.xlsx", "locator": {"sheet": "Hydraulics", "row": 4}}]}
    (q,) = load_questions(_write(tmp_path / "questions.jsonl", [row]))
    assert q.gold_sources[0].locator == {"sheet": "Hydraulics", "row": 4}


def test_questions_without_a_split_have_none():
    assert Question("q", "?").split is None
