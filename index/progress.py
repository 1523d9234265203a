"""Build progress: a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Files done, rate and time left; redraws at most ten times a second."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "indexing") -> None:
        self.total = total
        self.done = 0
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self._last = 0.0
        self._interval = 0.1 if self.tty else 5.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self._interval or self.done == self.total:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        counts = f"{self.done:,}/{self.total:,} files"
        tail = f"{rate:,.0f}/s  {_clock(elapsed)} elapsed  {_clock(left)} left"
        if not self.tty:
            self.stream.write(f"{self.label}: {counts}  {tail}\n")
            self.stream.flush()
            return
        width = 28
        filled = int(width * self.done / self.total) if self.total else width
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r\x1b[2K{self.label} {bar} {counts}  {tail}")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}:{seconds % 60:02d}"
