"""The rules above the coverage model, on a real task card: a value shown for another qualifier of
the asked thing ("main tire" for a "nose tire" question) is not an answer."""

from __future__ import annotations

import pytest

from assistant.answering import Assistant, final_answer
from assistant.domain import Reason
from tests.conftest import REPO, ingested_runtime

CARD = REPO / "sample_hangar" / "docs" / "task_cards" / "TC-32-41-01 main wheel tire change.docx"


@pytest.fixture(scope="module")
def card_assistant(tmp_path_factory, embedder, bm25):
    docs = tmp_path_factory.mktemp("card_docs")
    (docs / CARD.name).write_bytes(CARD.read_bytes())
    runtime = ingested_runtime(tmp_path_factory, "card_data", [docs], embedder, bm25)
    s = runtime.settings
    yield Assistant(runtime.catalog, embedder, bm25, None, s.retrieval, s.generation)
    runtime.close()


def test_a_value_for_another_qualifier_of_the_thing_is_a_near_miss(card_assistant):
    answer = final_answer(card_assistant.ask("What pressure does the K-34 nose tire take?"))
    assert answer.refused and answer.reason is Reason.ATTRIBUTE_MISSING
    assert answer.coverage.signals["qualifier_conflict"] == 1.0
    assert "main tire" in answer.text  # what the card does say is shown, marked as not the answer


def test_the_same_qualifier_is_answered(card_assistant):
    answer = final_answer(card_assistant.ask("What pressure does the K-34 main tire take?"))
    assert not answer.refused and "118 psi" in answer.text
    assert answer.coverage.signals["qualifier_conflict"] == 0.0
