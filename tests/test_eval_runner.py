"""The runner's bookkeeping with a scripted assistant (fast): records, follow-up history, errors, typed routes."""

from __future__ import annotations

import json

from assistant.domain import (Answer, Chunk, Citation, Coverage, DocKind, FinalEvent, Hit, Reason, Route, SourcesEvent,
                              TokenEvent, Verification)
from eval.dataset import Dataset, GoldSource, Question
from eval.runner import _ask_all, ask_one

CHUNK = Chunk("c1", "SOP-104", "sops/SOP-104 rev C.pdf", "Die change", DocKind.SOP,
              "14.2 Torque the six bolts to 330 N·m.", 3, "h", section_path=("6. Procedure",), page=3, step="14",
              revision="C")
OTHER = Chunk("c2", "SOP-101", "sops/SOP-101.pdf", "LOTO", DocKind.SOP, "Lock the disconnect.", 0, "h2", step="5")


class ScriptedAssistant:
    """Yields what Assistant.ask yields; remembers the histories it was given."""

    def __init__(self, text="Torque to 330 N·m, then 400 N·m [1].", fail_on=None, refuse=False):
        self.text, self.fail_on, self.refuse, self.seen = text, fail_on, refuse, []

    def ask(self, question, history=(), filters=None):
        self.seen.append((question, list(history)))
        if question == self.fail_on:
            raise ValueError("parser exploded")
        yield SourcesEvent((Hit(OTHER, 0.5, 0.4), Hit(CHUNK, 0.4, 0.6)))
        if self.refuse:
            coverage = Coverage(False, 0.12, {"subject": 1.0, "value": 0.0}, Reason.ATTRIBUTE_MISSING)
            yield FinalEvent(Answer(question, "not given", (), Verification(True), route=Route.REFUSED,
                                    reason=Reason.ATTRIBUTE_MISSING, coverage=coverage))
            return
        yield TokenEvent(self.text)
        yield FinalEvent(Answer(question, self.text, (Citation(1, CHUNK),), Verification(True), route=Route.EVIDENCE,
                                coverage=Coverage(True, 0.9, {"subject": 1.0}), safety=("LOCKOUT: lock PRESS-03.",),
                                sources=(Hit(CHUNK, 0.4),), timings={"retrieve": 0.1, "first_token": 0.5,
                                                                    "total": 1.5}, prompt_tokens=321))


Q1 = Question("q1", "torque for the clamp bolts?", "330 N·m", ("330 N·m",),
              (GoldSource("SOP-104", {"step": "14.2"}),), True, ("sop",))
Q2 = Question("q2", "and under rev B?", follow_up_of="q1")
Q3 = Question("q3", "and for PRESS-01?", follow_up_of="q2")


def test_record_shape_and_scores():
    record = ask_one(ScriptedAssistant(), Q1, [])
    assert [r["gold"] for r in record["retrieved"]] == [[], [0]]
    assert record["retrieved"][1]["locator"] == {"page": 3, "step": "14", "section": "6. Procedure", "revision": "C"}
    assert record["cited"][0]["gold"] == [0] and "330 N·m" in record["cited"][0]["support_text"]
    assert record["refused"] is False and record["prompt_tokens"] == 321
    assert record["route"] == "evidence" and record["reason"] is None and record["safety"] == ["LOCKOUT: lock PRESS-03."]
    assert record["coverage"] == {"covered": True, "probability": 0.9, "signals": {"subject": 1.0}}
    assert record["timings"] == {"retrieve": 0.1, "first_token": 0.5, "total": 1.5}
    assert record["unsupported"] == ["400"]
    json.dumps(record)  # plain JSON all the way down


def test_follow_ups_carry_their_conversation(tmp_path):
    assistant = ScriptedAssistant()
    dataset = Dataset("t", tmp_path, (Q1, Q2, Q3, Question("q4", "unrelated?")))
    records = _ask_all(assistant, dataset, tmp_path / "results.jsonl", show_progress=False)
    assert [h for _, h in assistant.seen] == [[], [Q1.question], [Q1.question, Q2.question], []]
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == len(records) == 4


def test_a_failing_question_is_recorded_and_the_run_goes_on(tmp_path):
    assistant = ScriptedAssistant(fail_on=Q2.question)
    records = _ask_all(assistant, Dataset("t", tmp_path, (Q1, Q2, Q3)), tmp_path / "r.jsonl", show_progress=False)
    assert records[1]["error"] == "ValueError: parser exploded"
    assert records[0]["error"] is None and records[2]["error"] is None


def test_a_refusal_records_its_typed_reason_and_signals():
    record = ask_one(ScriptedAssistant(refuse=True), Q1, [])
    assert record["refused"] is True and record["route"] == "refused" and record["reason"] == "attribute_missing"
    assert record["coverage"]["signals"] == {"subject": 1.0, "value": 0.0} and record["unsupported"] == []
    assert record["retrieved"][1]["gold"] == [0] and "retrieve" in record["timings"]
