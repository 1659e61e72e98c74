"""A one-line progress indication on a terminal, for runs that take more than a moment."""

from __future__ import annotations

import time
from typing import IO


class Progress:
    """Call with (done, total) as work completes; shows `checked done/total models` on `stream`
    once `delay` seconds have passed, at most every `interval` seconds, and erases it on close().
    Silent unless `stream` is a terminal, so logs and pipes never see it."""

    def __init__(self, stream: IO[str], *, delay: float = 1.0, interval: float = 0.1) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.delay = delay
        self.interval = interval
        self._start = time.monotonic()
        self._last_shown = 0.0
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < self.delay or now - self._last_shown < self.interval:
            return
        self._last_shown = now
        line = f"siglint: checked {done}/{total} models"
        # Carriage return and spaces, not escape codes: works on any terminal, TERM=dumb too.
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def close(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
