"""Progress bars (files parsed, chunks embedded) with rate and ETA, on stderr."""

from __future__ import annotations


class Bars:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._bars: dict = {}

    def __enter__(self) -> "Bars":
        return self

    def __exit__(self, *exc) -> None:
        for bar in self._bars.values():
            bar.close()

    def update(self, event: str, amount: int) -> None:
        if not self.enabled:
            return
        bar = self._bars.get(event)
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(desc=f"{event:>6}", unit=event[:-1] if event.endswith("s") else event, dynamic_ncols=True,
                       position=len(self._bars), leave=True, disable=None)
            self._bars[event] = bar
        bar.update(amount)
