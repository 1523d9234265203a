"""Build progress: a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Files done, rate and time left; redraws at most ten times a second.

    Given the bytes to read (`expect_bytes`), it also counts bytes (`advance_bytes`, which
    record readers call inside a file), and the bar and the time left follow the bytes:
    one 2 GB JSON Lines file among a thousand pages would otherwise sit at 0% for an hour.
    """

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "indexing") -> None:
        self.total = total
        self.done = 0
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.total_bytes = 0
        self.done_bytes = 0
        self._last = 0.0
        self._interval = 0.1 if self.tty else 5.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self._interval or self.done == self.total:
            self._last = now
            self._draw(now)

    def expect_bytes(self, total: int) -> None:
        self.total_bytes = total

    def advance_bytes(self, n: int) -> None:
        self.done_bytes += n
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._draw(now)

    def _fraction(self) -> float:
        if self.total_bytes:
            return min(self.done_bytes / self.total_bytes, 1.0)
        return self.done / self.total if self.total else 1.0

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        fraction = self._fraction()
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        counts = f"{self.done:,}/{self.total:,} files"
        if self.total_bytes:
            counts += f", {format_size(self.done_bytes)}/{format_size(self.total_bytes)}"
            rate_text = f"{self.done_bytes / elapsed / 1048576:,.1f} MB/s"
        else:
            rate_text = f"{rate:,.0f}/s"
        tail = f"{rate_text}  {format_clock(elapsed)} elapsed  {format_clock(left)} left"
        if not self.tty:
            self.stream.write(f"{self.label}: {counts}  {tail}\n")
            self.stream.flush()
            return
        width = 28
        filled = int(width * fraction)
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r\x1b[2K{self.label} {bar} {counts}  {tail}")
        self.stream.flush()

    def stage(self, message: str) -> None:
        """A phase with no count to show (Whoosh sorting and writing its segments)."""
        elapsed = time.monotonic() - self.started
        if self.tty:
            self.stream.write(f"\r\x1b[2K{message}… (files read in {format_clock(elapsed)})")
        else:
            self.stream.write(f"{self.label}: {message}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def format_size(n: int) -> str:
    """Bytes for people: KB, MB, GB."""
    if n < 1048576:
        return f"{n / 1024:,.0f} KB"
    if n < 1073741824:
        return f"{n / 1048576:,.1f} MB"
    return f"{n / 1073741824:,.2f} GB"


def format_clock(seconds: float) -> str:
    """Seconds as m:ss."""
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}:{seconds % 60:02d}"
