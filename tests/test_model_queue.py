"""Turns at the model: first come first served, places in line, and waiters who leave."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.model_queue import ModelQueue


def take_turn(queue: ModelQueue, seen: list | None = None) -> None:
    for ahead in queue.wait():
        if seen is not None:
            seen.append(ahead)


def test_turns_go_in_arrival_order_and_report_places():
    queue = ModelQueue(slots=1, poll_s=0.01)
    take_turn(queue)  # someone is being answered
    order, places = [], {}

    def asker(i: int) -> None:
        places[i] = []
        take_turn(queue, places[i])
        order.append(i)
        time.sleep(0.01)
        queue.release()

    threads = []
    for i in range(5):
        threads.append(threading.Thread(target=asker, args=(i,)))
        threads[-1].start()
        while queue.waiting < i + 1:  # each joins the line before the next arrives
            time.sleep(0.001)
    assert queue.busy == 1 and queue.waiting == 5
    queue.release()
    for t in threads:
        t.join(timeout=10)
    assert order == [0, 1, 2, 3, 4]
    assert places[0][0] == 1 and places[4][0] == 5  # the one answering, plus those before them
    assert all(p == sorted(p, reverse=True) for p in places.values())  # places only improve
    assert queue.busy == 0 and queue.waiting == 0


def test_a_waiter_who_leaves_does_not_block_the_line():
    queue = ModelQueue(slots=1, poll_s=0.01)
    take_turn(queue)
    leaver = queue.wait()
    assert next(leaver) == 1
    got_turn = threading.Event()

    def stayer() -> None:
        take_turn(queue)
        got_turn.set()

    t = threading.Thread(target=stayer)
    t.start()
    while queue.waiting < 2:
        time.sleep(0.001)
    leaver.close()  # the tablet went away
    assert queue.waiting == 1
    queue.release()
    assert got_turn.wait(5)
    t.join()
    queue.release()
    assert queue.busy == 0 and queue.waiting == 0


def test_slots_run_side_by_side_and_release_needs_a_turn():
    queue = ModelQueue(slots=2)
    take_turn(queue)
    take_turn(queue)  # the second slot: no waiting
    assert queue.busy == 2
    queue.release()
    queue.release()
    with pytest.raises(RuntimeError, match="without a turn"):
        queue.release()
    with pytest.raises(ValueError):
        ModelQueue(slots=0)


@pytest.mark.slow
def test_a_question_shows_sources_then_its_place_then_the_answer(sample_runtime, llm_path):
    """Real retrieval and the real 0.5B model: while another answer holds the model, this one waits."""
    from assistant.answering import Assistant
    from assistant.domain import FinalEvent, QueuedEvent, SourcesEvent, TokenEvent

    sample_runtime.__dict__["llm_path"] = llm_path
    s = sample_runtime.settings
    queue = ModelQueue(slots=1, poll_s=0.05)
    assistant = Assistant(sample_runtime.catalog, sample_runtime.embedder, sample_runtime.bm25,
                          sample_runtime.generator, s.retrieval, s.generation, model_queue=queue)
    take_turn(queue)  # another technician's answer is being generated
    events = assistant.ask("what do I torque the lower die clamp bolts to on PRESS-03?")
    assert isinstance(next(events), SourcesEvent)
    assert next(events) == QueuedEvent(ahead=1)
    queue.release()
    rest = list(events)
    assert any(isinstance(e, TokenEvent) for e in rest) and isinstance(rest[-1], FinalEvent)
    assert not any(isinstance(e, QueuedEvent) for e in rest)
    assert queue.busy == 0  # the turn was given back
