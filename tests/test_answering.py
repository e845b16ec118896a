"""Retrieval, coverage, evidence, table answers and follow-ups on the sample plant (no LLM here).

`retrieval_assistant` has no model: it answers from the evidence and the tables alone, and any
call to a model would fail the test.
"""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from assistant.answering import final_answer
from assistant.domain import FinalEvent, Reason, Route, SourcesEvent, TokenEvent
from assistant.retrieve import Filters
from assistant.text import parse_number
from tests.conftest import REPO, SAMPLE_DOCS

GOLDEN = [json.loads(line) for line in (REPO / "sample_plant" / "questions.jsonl").read_text().splitlines() if line.strip()]


def retrieve(assistant, question, **filters):
    return assistant.retriever.retrieve(question, Filters(**filters) if filters else None)


@pytest.mark.parametrize("written, stored", [("sv4410", "SV-4410"), ("hf2210b", "HF-2210-B")])
def test_an_identifier_typed_without_its_dashes_finds_the_passages_that_carry_it(retrieval_assistant, written, stored):
    result = retrieve(retrieval_assistant, f"what do we know about {written}?")
    top = result.hits[0].chunk
    assert stored in (top.text + top.title).upper()
    assert written.upper() in result.identifiers  # found, so coverage does not count it unknown
    assert not retrieval_assistant.unknown_identifiers(f"what do we know about {written}?")


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
    assert any(w in hit.text for w in hit.warnings)  # its own warning, on top of its text
    # a Safety-section warning naming what the step acts on ("lower die") travels in `warnings` only
    assert all(w in hit.text or "die" in w.lower() for w in hit.warnings)


@pytest.mark.parametrize("question", ["Will it rain on Friday?", "Write me a short poem about my shift supervisor.",
                                      "How do I reset my Windows password?"])
def test_out_of_scope_questions_are_refused_without_calling_the_llm(retrieval_assistant, question):
    events = list(retrieval_assistant.ask(question))  # generator is None: a model call would raise
    assert isinstance(events[0], SourcesEvent) and isinstance(events[-1], FinalEvent)
    answer = events[-1].answer
    assert answer.route is Route.REFUSED and answer.reason in (Reason.NOT_COVERED, Reason.NO_EVIDENCE)
    assert answer.coverage is not None and not answer.coverage.covered and answer.prompt_tokens == 0


def test_an_answer_leads_with_the_verbatim_evidence_and_cites_it(retrieval_assistant):
    events = list(retrieval_assistant.ask("What do I torque the lower die clamp bolts to on PRESS-03?"))
    answer = events[-1].answer
    assert answer.route in (Route.EVIDENCE, Route.RECORDS)
    assert "330 N·m" in answer.text.split("\n")[0]  # the value is in the first line shown
    tokens = [e for e in events if isinstance(e, TokenEvent)]
    assert tokens and "330" in tokens[0].text  # the evidence is the first thing streamed
    cited = {c.number: c.chunk for c in answer.citations}
    for piece in answer.evidence:  # every piece is verbatim from the passage it cites
        assert piece.number in cited and piece.text in cited[piece.number].text or piece.kind == "fields"


def test_an_expert_note_keeps_the_sentences_that_carry_its_advice(retrieval_assistant):
    """The note's sentence that matches "should I replace the valve" describes the symptom; the advice
    ("look at the tank thermometer before you touch anything") follows it, so the evidence goes on."""
    answer = final_answer(retrieval_assistant.ask(
        "Should I replace the counterbalance valve when the PRESS-02 ram creeps down?"))
    assert answer.route in (Route.EVIDENCE, Route.GENERATED) and "55 °C" in answer.text
    assert "tank thermometer" in answer.text


def test_a_specific_attribute_no_passage_names_is_a_near_miss(retrieval_assistant):
    """ACC-2's row in SOP-101 gives its size, and other passages give pressures, but none gives its
    precharge: that is a near miss. HPU-3's ACC-31 precharge is written down, and is answered."""
    missing = final_answer(retrieval_assistant.ask("What nitrogen precharge should the ACC-2 accumulator on PRESS-02 have?"))
    assert missing.refused and missing.reason is Reason.ATTRIBUTE_MISSING
    assert missing.coverage.signals["attribute_absent"] == 1.0
    given = final_answer(retrieval_assistant.ask("What is the precharge of accumulator ACC-31?"))
    assert not given.refused and "90 bar" in given.text


def test_the_evidence_of_a_step_shows_its_warning_once(retrieval_assistant):
    answer = final_answer(retrieval_assistant.ask("torque for the lower die clamp bolts in SOP-104 step 14.2?"))
    lockout = [w for w in answer.safety if w.upper().startswith("LOCKOUT")]
    assert lockout, answer.safety
    assert all(w not in answer.text for w in answer.safety)  # the safety box shows it; the body does not repeat it


def _count(q):
    return int(q["must_contain"][0]) if q["must_contain"][0].isdigit() else q["must_contain"][0]


# Record questions the table engine does not answer yet, with the reason (strict: they fail today).
NOT_YET = {
    "q078": "asset named by description ('the paint oven'), not by tag; needs an asset glossary",
    "q083": "a narrative question ('what happened') is answered with the rows, not a value",
    "q084": "counts the 5 records carrying SV-4410 in 2022-2024 (one is a connector change, not a coil)",
}
RECORD_QUESTIONS = [
    pytest.param(q, id=q["id"], marks=[pytest.mark.xfail(reason=NOT_YET[q["id"]], strict=True)] if q["id"] in NOT_YET else [])
    for q in GOLDEN if {"count", "date"} & set(q["tags"]) and q["answerable"]
]


@pytest.mark.parametrize("q", RECORD_QUESTIONS)
def test_work_order_counts_and_dates_are_exact(retrieval_assistant, q):
    """The value is asserted from the answer's typed table result, not found somewhere in its text."""
    history = [p["question"] for p in GOLDEN if p["id"] == q.get("follow_up_of")]
    answer = final_answer(retrieval_assistant.ask(q["question"], history=history))
    assert answer.route is Route.RECORDS and answer.table is not None
    value = answer.table.value[0] if answer.table.plan.operation.startswith("group") else answer.table.value
    assert value == _count(q), (answer.table.plan.describe(), answer.text)
    assert answer.citations and all(c.chunk.kind.value == "work_order" for c in answer.citations)
    assert answer.table.plan.describe(), "the answer states the criteria it used"


def _work_orders() -> list[dict]:
    """The sample plant's CMMS exports read independently: CSV with csv, XLSX with openpyxl."""
    rows = []
    with open(SAMPLE_DOCS / "work_orders" / "cmms_export_2022_2023.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r.get(None):  # WO-22-0070's problem text holds an unquoted comma: the fields after it shift by one
                names = list(r)[:-1]
                values = [r[n] for n in names] + list(r[None])
                r = dict(zip(names, [values[0], values[1], values[2], values[3] + "," + values[4], *values[5:]]))
            rows.append({"asset": r["Equipment ID"], "date": r["Date Created"], "code": r["Failure Code"],
                         "cost": parse_number(r["Total Cost"]), "down": parse_number(r["Downtime (h)"]),
                         "tech": r["Technician"]})
    sheet = openpyxl.load_workbook(SAMPLE_DOCS / "work_orders" / "cmms_export_2024.xlsx", read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    for v in values[1:]:
        r = dict(zip(header, v))
        rows.append({"asset": r["ASSETNUM"], "date": str(r["REPORTDATE"])[:10], "code": r["FAILURECODE"],
                     "cost": parse_number(str(r["ACTTOTALCOST"] or "")), "down": parse_number(str(r["DOWNTIME"] or "")),
                     "tech": r["LEAD"]})
    return rows


def _iso(date: str) -> str:
    from assistant.text import iso_date

    return iso_date(date) or date


def test_a_cost_sum_is_the_exact_total_of_the_matching_records(retrieval_assistant):
    want = round(sum(r["cost"] or 0 for r in _work_orders() if r["asset"] == "HPU-3" and _iso(r["date"]).startswith("2023")), 2)
    answer = final_answer(retrieval_assistant.ask("What did HPU-3 cost us in 2023?"))
    assert answer.route is Route.RECORDS and answer.table.plan.operation == "sum"
    assert answer.table.value == want > 0


def test_a_period_the_records_do_not_hold_is_refused_not_counted_as_zero(retrieval_assistant):
    """The work orders start in 2022: "in 2019" is outside them, so the answer is not "0 work orders"."""
    first = min(_iso(r["date"]) for r in _work_orders())
    assert first > "2020"
    answer = final_answer(retrieval_assistant.ask("How many work orders did HPU-3 have in 2019?"))
    assert answer.refused and answer.reason is Reason.OUTSIDE_RECORDS
    assert first[:10] in answer.text and "2019-01-01 to 2019-12-31" in answer.text and "**0**" not in answer.text
    inside = final_answer(retrieval_assistant.ask("How many work orders did HPU-3 have in 2023?"))
    assert inside.route is Route.RECORDS and inside.table.value > 0


def test_a_field_named_apart_in_two_exports_is_added_up_across_both(retrieval_assistant):
    """ "Downtime (h)" in the 2022-2023 CSV is "DOWNTIME" in the 2024 workbook: one field, unit aside."""
    want: dict[str, float] = {}
    for r in _work_orders():
        if r["asset"] == "HPU-3" and r["down"] is not None:
            year = _iso(r["date"])[:4]
            want[year] = round(want.get(year, 0.0) + r["down"], 2)
    answer = final_answer(retrieval_assistant.ask("HPU-3 downtime hours per year, 2022 through 2024?"))
    assert answer.route is Route.RECORDS and answer.table.plan.operation == "group_sum"
    assert len(answer.table.plan.tables) == 2 and "2024" in want
    assert {g: round(v, 2) for g, v in answer.table.groups} == want
    answer = final_answer(retrieval_assistant.ask("How much downtime did HPU-3 have in 2024?"))
    assert answer.table.value == want["2024"]
    answer = final_answer(retrieval_assistant.ask("Give me HPU-3 downtime hours year by year."))
    assert answer.table.plan.operation == "group_sum" and {g: round(v, 2) for g, v in answer.table.groups} == want


def test_a_person_written_two_ways_in_two_exports_is_one_person(retrieval_assistant):
    """ "M. Reyes" in the 2022-2023 CSV is the CMMS user "MREYES" in the 2024 workbook."""
    rows = _work_orders()
    assert {r["tech"] for r in rows} >= {"M. Reyes", "MREYES"}
    want = sum(1 for r in rows if r["tech"] in ("M. Reyes", "MREYES"))
    answer = final_answer(retrieval_assistant.ask("How many work orders has M. Reyes been the technician on?"))
    assert answer.route is Route.RECORDS and answer.table.value == want
    assert len(answer.table.plan.tables) == 2 and "MREYES" in answer.text
    # "lead" is the 2024 export's name for that column: a column word, not text the rows must hold
    # (asked of 2022-2023, so the CSV, whose column is "Technician", is the table the plan is built on)
    novak = sum(1 for r in rows if r["tech"] in ("S. Novak", "SNOVAK") and _iso(r["date"])[:4] in ("2022", "2023"))
    answer = final_answer(retrieval_assistant.ask("How many work orders did S. Novak lead over 2022 and 2023?"))
    assert answer.table.value == novak > 0 and not answer.table.plan.text


def test_failure_codes_are_counted_per_code(retrieval_assistant):
    want: dict[str, int] = {}
    for r in _work_orders():
        if r["asset"] == "PRESS-03" and _iso(r["date"]).startswith("2023") and r["code"]:
            want[r["code"]] = want.get(r["code"], 0) + 1
    answer = final_answer(retrieval_assistant.ask("List the failure codes logged against PRESS-03 in 2023."))
    assert answer.route is Route.RECORDS and answer.table.plan.operation == "group"
    assert dict(answer.table.groups) == want


def test_follow_up_is_resolved_against_the_conversation(retrieval_assistant):
    first = "How many hydraulic leak work orders were written on PRESS-03 in 2023?"
    assert retrieval_assistant.resolve("And in 2022?", [first]) == first.replace("2023", "2022")
    assert retrieval_assistant.resolve("and on PRESS-02?", [first]) == first.replace("PRESS-03", "PRESS-02")


def test_prompt_stays_within_the_token_budget(sample_runtime):
    assistant = sample_runtime.assistant
    preview = assistant.prompt_for("What should PG-34 read after I clamp the upper die on PRESS-03?")
    assert preview.prompt_tokens <= 450
    assert "PG-34" in preview.text and preview.text.rstrip().endswith("Give the evidence numbers you used.")


def test_questions_are_answered_with_the_network_blocked(retrieval_assistant, no_network):
    counted = final_answer(retrieval_assistant.ask("How many work orders did CONV-12 get in 2024?"))
    refused = final_answer(retrieval_assistant.ask("Will it rain on Friday?"))
    assert counted.table.value > 0 and counted.citations and refused.refused
    assert no_network == []


def test_a_sentence_of_a_short_warning_comes_with_the_whole_warning(retrieval_assistant):
    """SOP-101's accumulator warning is three sentences; the one that matches "the pump gauge reads
    zero" is the second, and the value it is about (210 bar) is in the first."""
    answer = final_answer(retrieval_assistant.ask(
        "The pump is stopped on PRESS-02 and its gauge reads zero. Does that mean the hydraulics are safe?"))
    assert not answer.refused and "210 bar" in answer.text and "accumulator gauge" in answer.text


def test_a_value_of_a_part_the_documents_only_mention_is_a_near_miss(retrieval_assistant):
    """IGN-120 is in a work order (its gap) and in SOP-150 (its gap), but no passage gives its torque:
    not covered, and the gap is not shown as if it answered. A value given for an id is answered."""
    missing = final_answer(retrieval_assistant.ask("What torque do I tighten the OVEN-1 igniter IGN-120 to?"))
    assert missing.refused and missing.reason is Reason.ATTRIBUTE_MISSING
    assert missing.coverage.signals["id_value_absent"] == 1.0
    given = final_answer(retrieval_assistant.ask("What is the precharge of accumulator ACC-31?"))
    assert not given.refused and given.coverage.signals["id_value_absent"] == 0.0


def test_a_situation_keeps_only_the_words_the_documents_use_as_its_subject(retrieval_assistant):
    """ "My mate went home sick" tells the story; the subject is what the documents can name."""
    from assistant.answering import without_narrative
    from assistant.asks import analyse

    ask = analyse("My mate went home sick halfway through the job. Who may take his lock off the press?")
    kept = without_narrative(ask, retrieval_assistant.catalog.document_frequency(ask.subject))
    assert "sick" in ask.subject and "sick" not in kept.subject and "lock" in kept.subject
    one = analyse("Who may take the lock off a sick technician's press?")
    assert without_narrative(one, {"sick": 0}) == one  # one sentence: every word stays the subject


def test_a_value_of_another_thing_is_no_value_of_the_asked_one(retrieval_assistant):
    """ "torque for the shank": the torque table gives the weld gun bracket bolts' torque and the log has
    the shank's replacement, but no passage gives a torque for the shank."""
    answer = final_answer(retrieval_assistant.ask("Replacing a cracked weld shank SH-1620 on ROBOT-5 - torque for the shank?"))
    assert answer.refused and answer.reason is Reason.ATTRIBUTE_MISSING
    assert answer.coverage.signals["object_absent"] == 1.0
    answer = final_answer(retrieval_assistant.ask("What's the torque for the weld gun bracket bolts on ROBOT-5?"))
    assert not answer.refused and "120 N·m" in answer.text and answer.coverage.signals["object_absent"] == 0.0


def test_a_situation_at_top_of_stroke_is_no_records_question(retrieval_assistant):
    """ "creeping down at top of stroke": a position, not "the top" of a ranking; the expert note answers."""
    question = ("PRESS-02 ram is creeping down at top of stroke again, hot afternoon. "
                "Thinking of swapping the counterbalance valve - good idea?")
    assert retrieval_assistant.plan(question) is None
    answer = final_answer(retrieval_assistant.ask(question))
    assert answer.route is Route.EVIDENCE and "55 °C" in answer.text


def test_a_specific_attribute_counts_only_where_the_question_asks_it(retrieval_assistant):
    """ "belt is slack ... How far do I pull them apart?": the situation's "slack" is not the asked attribute;
    the tensioning step answers."""
    answer = final_answer(retrieval_assistant.ask(
        "Put a new lace on the CONV-14 belt, belt is slack and I've marked two lines 1000 mm apart. "
        "How far do I pull them apart when tensioning?"))
    assert not answer.refused and "1,004 mm" in answer.text
    assert answer.coverage.signals["attribute_absent"] == 0.0
