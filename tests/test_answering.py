"""Retrieval, refusal gate, work-order side door and follow-ups on the sample plant (no LLM here)."""

from __future__ import annotations

import json
import re

import pytest

from assistant.answering import final_answer
from assistant.domain import FinalEvent, SourcesEvent
from assistant.retrieve import Filters
from tests.conftest import REPO

GOLDEN = [json.loads(line) for line in (REPO / "sample_plant" / "questions.jsonl").read_text().splitlines() if line.strip()]


def retrieve(assistant, question, **filters):
    return assistant.retriever.retrieve(question, Filters(**filters) if filters else None)


@pytest.mark.parametrize("identifier", ["SV-4410", "HF-2210-B", "WO-23-0074", "24-1091"])
def test_a_named_identifier_ranks_the_passages_that_carry_it_first(retrieval_assistant, identifier):
    result = retrieve(retrieval_assistant, f"what do we know about {identifier}?")
    top = result.hits[0].chunk
    assert identifier in (top.text + top.title).upper() or identifier in top.fields.get("wo_id", "")
    assert identifier in result.identifiers


def test_superseded_revision_is_excluded_unless_the_question_names_it(retrieval_assistant):
    current = retrieve(retrieval_assistant, "lower die clamp bolt torque PRESS-03")
    assert current.hits and all(h.chunk.revision != "B" for h in current.hits if h.chunk.doc_id == "SOP-104")
    older = retrieve(retrieval_assistant, "lower die clamp bolt torque in rev B of SOP-104")
    assert older.hits[0].chunk.revision == "B"
    assert any("300 N·m" in h.chunk.text for h in older.hits)


def test_filters_by_kind_and_asset(retrieval_assistant):
    notes = retrieve(retrieval_assistant, "ram drifting when hot", kinds=("expert_note",))
    assert notes.hits and {h.chunk.kind.value for h in notes.hits} == {"expert_note"}
    cmp2 = retrieve(retrieval_assistant, "drain", assets=("CMP-2",))
    assert cmp2.hits and all("CMP-2" in h.chunk.asset_ids for h in cmp2.hits)


def test_sop_step_keeps_its_safety_warning(retrieval_assistant):
    hits = retrieve(retrieval_assistant, "torque for the lower die clamp bolts on PRESS-03").hits[:3]
    hit = next(h.chunk for h in hits if h.chunk.doc_id == "SOP-104")
    assert hit.revision == "C"
    assert "330 N·m" in hit.text
    assert hit.warnings and any(w.upper().startswith(("LOCKOUT", "WARNING", "DANGER", "CAUTION")) for w in hit.warnings)
    assert all(w in hit.text for w in hit.warnings)


@pytest.mark.parametrize("question", ["Will it rain on Friday?", "Write me a short poem about my shift supervisor.",
                                      "How do I reset my Windows password?"])
def test_out_of_scope_questions_are_refused_without_calling_the_llm(retrieval_assistant, question):
    events = list(retrieval_assistant.ask(question))  # generator is None: an LLM call would raise
    assert isinstance(events[0], SourcesEvent) and isinstance(events[-1], FinalEvent)
    answer = events[-1].answer
    assert answer.refused and "do not cover" in answer.text and answer.prompt_tokens == 0


# Record questions the side door does not handle yet, with the reason (strict: they fail today).
NOT_YET = {
    "q078": "asset named by description ('the paint oven'), not by tag; needs an asset glossary",
    "q079": "group-by on the technician column",
}
COUNT_QUESTIONS = [
    pytest.param(q, id=q["id"], marks=[pytest.mark.xfail(reason=NOT_YET[q["id"]], strict=True)] if q["id"] in NOT_YET else [])
    for q in GOLDEN if {"count", "date"} & set(q["tags"]) and q["answerable"]
]


@pytest.mark.parametrize("q", COUNT_QUESTIONS)
def test_work_order_counts_and_dates_are_exact(retrieval_assistant, q):
    history = [p["question"] for p in GOLDEN if p["id"] == q.get("follow_up_of")]
    answer = final_answer(retrieval_assistant.ask(q["question"], history=history))
    assert not answer.refused
    for expected in q["must_contain"]:
        assert re.search(rf"(?<![\w.-]){re.escape(expected)}(?![\w-])", answer.text), (expected, answer.text)
    assert answer.citations and all(c.chunk.kind.value == "work_order" for c in answer.citations)
    assert "computed from work-order records" in answer.verification.notes[0]


def test_follow_up_is_resolved_against_the_conversation(retrieval_assistant):
    first = "How many hydraulic leak work orders were written on PRESS-03 in 2023?"
    assert retrieval_assistant.resolve("And in 2022?", [first]) == first.replace("2023", "2022")
    assert retrieval_assistant.resolve("and on PRESS-02?", [first]) == first.replace("PRESS-03", "PRESS-02")


def test_prompt_stays_within_the_token_budget(sample_runtime):
    assistant = sample_runtime.assistant
    preview = assistant.prompt_for("What do I torque the lower die clamp bolts to on PRESS-03?")
    assert preview.prompt_tokens <= 450 + 40
    assert "330 N·m" in preview.text and preview.text.count("[1]") >= 1


def test_questions_are_answered_with_the_network_blocked(retrieval_assistant, no_network):
    counted = final_answer(retrieval_assistant.ask("How many work orders did CONV-12 get in 2024?"))
    refused = final_answer(retrieval_assistant.ask("Will it rain on Friday?"))
    assert counted.citations and refused.refused
    assert no_network == []
