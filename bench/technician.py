"""A simulated technician: one Gradio session asking over HTTP, timed the way a tablet sees it.

Used by the load benchmark (`bench.load`) and the server hardening tests. Each
`Technician` is its own browser session (its own conversation state on the
server), so what it sees back can be checked for answers leaking between sessions.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

ALL_EQUIPMENT = "All equipment"
_TURN = '<div class="fw-turn">'
_QUESTION = re.compile(r'<div class="fw-q">(.*?)</div>', re.S)
_STREAMED = re.compile(r'fw-streaming">(.*?)<span class="fw-caret">', re.S)
_AHEAD = re.compile(r"answering (\d+) other question")


@dataclass(frozen=True)
class Exchange:
    """One question and what came back, with monotonic timestamps (seconds)."""

    question: str
    submitted: float
    started: float | None  # first update: the job left the server's queue
    first_source: float | None  # first source card shown
    first_token: float | None  # first answer text shown
    finished: float
    outcome: str  # "answered" | "refused" | "error"
    thread: str  # the conversation as rendered after the final update
    error: str = ""
    ahead_max: int = 0  # most questions shown ahead of this one while it waited for the model
    sources: str = ""  # the source panel as rendered after the final update

    def _since(self, t: float | None) -> float | None:
        return None if t is None else t - self.submitted

    @property
    def queue_wait_s(self) -> float | None:
        return self._since(self.started)

    @property
    def first_source_s(self) -> float | None:
        return self._since(self.first_source)

    @property
    def first_token_s(self) -> float | None:
        return self._since(self.first_token)

    @property
    def total_s(self) -> float:
        return self.finished - self.submitted

    def questions_shown(self) -> list[str]:
        """The questions in this session's rendered thread, oldest first (HTML-escaped as shown)."""
        return _QUESTION.findall(self.thread)


def last_turn(thread: str) -> str:
    return thread.rsplit(_TURN, 1)[-1] if _TURN in thread else ""


def has_answer_text(turn: str) -> bool:
    streamed = _STREAMED.search(turn)
    if streamed:
        return bool(streamed.group(1).strip())
    return '<div class="fw-a' in turn and not any(c in turn for c in ("fw-pending", "fw-refused", "fw-error"))


def outcome_of(turn: str) -> str:
    if "fw-a fw-error" in turn:
        return "error"
    if "fw-refused" in turn:
        return "refused"
    return "answered" if has_answer_text(turn) else "error"


class Technician:
    """One tablet session against a running `floorwise serve`."""

    def __init__(self, url: str, auth: tuple[str, str] | None = None, timeout_s: float = 600):
        from gradio_client import Client

        self.client = Client(url, auth=auth, verbose=False, download_files=False)
        self.timeout_s = timeout_s

    def ask(self, question: str, asset: str = ALL_EQUIPMENT, kinds: tuple[str, ...] = (),
            include_superseded: bool = False) -> Exchange:
        submitted = time.monotonic()
        started = first_source = first_token = None
        thread, sources, error, ahead_max = "", "", "", 0
        try:
            job = self.client.submit(question, asset, list(kinds), include_superseded, api_name="/on_ask")
            for output in job:
                now = time.monotonic()
                started = started or now
                thread, sources = str(output[0] or ""), str(output[1] or "")
                if first_source is None and "fw-card" in sources:
                    first_source = now
                waiting = _AHEAD.search(last_turn(thread))
                if waiting:
                    ahead_max = max(ahead_max, int(waiting.group(1)))
                if first_token is None and has_answer_text(last_turn(thread)):
                    first_token = now
                if time.monotonic() - submitted > self.timeout_s:
                    job.cancel()
                    raise TimeoutError(f"no final answer in {self.timeout_s:.0f} s")
            job.result(timeout=self.timeout_s)  # raises what the server raised, if anything
        except Exception as exc:  # a failed query is a result to report, not a crash of the benchmark
            error = f"{type(exc).__name__}: {exc}"
        finished = time.monotonic()
        outcome = "error" if error else outcome_of(last_turn(thread))
        return Exchange(question, submitted, started, first_source, first_token, finished, outcome, thread, error,
                        ahead_max, sources)

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:
            pass
