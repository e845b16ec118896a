"""Turns at the language model: first come, first served, with each waiter's place in line.

Retrieval is quick and runs for every question at once; generation is the slow,
scarce part (one llama.cpp context, or the slots of an LLM server). Questions
wait here, after their sources are shown, for one of `slots` turns. A waiter
that goes away (the tablet closed the page) leaves the line, so nobody behind
it is stuck.

    queue = ModelQueue(slots=1)
    turn = queue.wait()
    for ahead in turn:          # yields how many questions are ahead, when it changes
        show(ahead)
    try:
        generate()
    finally:
        queue.release()
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Iterator


class ModelQueue:
    def __init__(self, slots: int = 1, poll_s: float = 0.5):
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self.slots = slots
        self.poll_s = poll_s
        self._line: deque[object] = deque()
        self._busy = 0
        self._changed = threading.Condition()

    def wait(self) -> Iterator[int]:
        """Join the line. Yields the number ahead (answers running plus earlier waiters) when it
        changes; when the generator ends the caller holds a turn and must call `release()`.
        Closing the generator before it ends leaves the line."""
        me = object()
        with self._changed:
            self._line.append(me)
        shown = None
        admitted = False
        try:
            while True:
                with self._changed:
                    if self._line[0] is me and self._busy < self.slots:
                        self._line.popleft()
                        self._busy += 1
                        admitted = True
                        self._changed.notify_all()
                        return
                    ahead = self._busy + self._line.index(me)
                    if ahead == shown:
                        self._changed.wait(self.poll_s)
                        continue
                shown = ahead
                yield ahead
        finally:
            if not admitted:
                with self._changed:
                    if me in self._line:
                        self._line.remove(me)
                    self._changed.notify_all()

    def release(self) -> None:
        with self._changed:
            if self._busy <= 0:
                raise RuntimeError("release() without a turn")
            self._busy -= 1
            self._changed.notify_all()

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._line)

    @property
    def busy(self) -> int:
        with self._changed:
            return self._busy
