"""The load benchmark's arithmetic and the simulated technician's reading of the rendered thread."""

from bench.load import queue_depths, slope_mib_per_min, summarise
from bench.technician import _AHEAD, Exchange, has_answer_text, last_turn, outcome_of


def exchange(submitted, started, source, token, finished, outcome="answered"):
    return Exchange("q", submitted, started, source, token, finished, outcome, "")


def test_summary_counts_outcomes_waits_and_throughput():
    runs = [exchange(0, 0.1, 0.2, 1.0, 2.0), exchange(0, 2.0, 2.1, 3.0, 4.0),
            exchange(1, 4.0, None, None, 4.5, "refused"), exchange(1, None, None, None, 5.0, "error")]
    s = summarise(runs, wall_s=6.0)
    assert (s["asked"], s["answered"], s["refused"], len(s["errors"])) == (4, 2, 1, 1)
    assert s["per_min"] == 30.0  # 3 finished without error in 6 s
    assert s["queue_wait_s"]["n"] == 3 and s["queue_wait_s"]["max"] == 3.0
    assert s["first_token_s"]["p50"] == 1.0 and s["first_token_s"]["p95"] == 3.0
    assert s["queue_depth"]["max"] == 3  # at t=1.0 the 2nd, 3rd and 4th questions all wait


def test_queue_depth_and_memory_slope():
    assert queue_depths([exchange(0, 1.0, 1.0, 1.0, 2.0)], step=0.5) == [1, 1, 0, 0, 0]
    flat = [(t, 1000.0) for t in range(0, 600, 60)]
    growing = [(t, 1000.0 + t / 60 * 5) for t in range(0, 600, 60)]
    assert slope_mib_per_min(flat) == 0.0
    assert abs(slope_mib_per_min(growing) - 5.0) < 1e-9


def test_thread_html_is_read_as_the_tablet_shows_it():
    from ui.cards import Turn, thread_html

    searching = thread_html([Turn(question="first"), Turn(question="second")])
    assert not has_answer_text(last_turn(searching))
    streaming = Turn(question="q", text="Lock out the", status="streaming")
    assert has_answer_text(last_turn(thread_html([streaming])))
    assert outcome_of(last_turn(thread_html([streaming]))) == "answered"
    failed = Turn(question="q", status="error", error="Something went wrong")
    assert outcome_of(last_turn(thread_html([failed]))) == "error"
    waiting = last_turn(thread_html([Turn(question="q", status="waiting", ahead=3)]))
    assert not has_answer_text(waiting) and _AHEAD.search(waiting).group(1) == "3"
