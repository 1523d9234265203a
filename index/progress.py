"""Build progress: a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressCounter:
    """Files and bytes done, and the one status line both the CLI and the TUI show.

    Given the bytes to read (`expect_bytes`), it also counts bytes (`advance_bytes`, which
    record readers call inside a file), and the fraction and the time left follow the bytes:
    one 2 GB JSON Lines file among a thousand pages would otherwise sit at 0% for an hour.
    Subclasses say where the line goes (`draw`); redraws are throttled to `interval`.
    """

    interval = 0.1

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.total_bytes = 0
        self.done_bytes = 0
        self.started = time.monotonic()
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._tick(force=self.done >= self.total)

    def expect_bytes(self, total: int) -> None:
        self.total_bytes = total

    def advance_bytes(self, n: int) -> None:
        self.done_bytes += n
        self._tick()

    def _tick(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            self.draw(now)

    def fraction(self) -> float:
        if self.total_bytes:
            return min(self.done_bytes / self.total_bytes, 1.0)
        return self.done / self.total if self.total else 1.0

    def status(self, now: float) -> str:
        """The line after the label: "1,234/5,000 files, 12 MB/40 MB  3.1 MB/s  …  0:09 left"."""
        elapsed = max(now - self.started, 1e-6)
        fraction = self.fraction()
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        counts = f"{self.done:,}/{self.total:,} files"
        if self.total_bytes:
            counts += f", {format_size(self.done_bytes)}/{format_size(self.total_bytes)}"
            rate = f"{self.done_bytes / elapsed / 1048576:,.1f} MB/s"
        else:
            rate = f"{self.done / elapsed:,.0f}/s"
        return f"{counts}  {rate}  {format_clock(elapsed)} elapsed  {format_clock(left)} left"

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def draw(self, now: float) -> None:
        raise NotImplementedError

    def stage(self, message: str) -> None:
        """A phase with no count to show (Whoosh sorting and writing its segments)."""

    def finish(self) -> None:
        """The build is over."""


class Progress(ProgressCounter):
    """The CLI's progress: a bar on a terminal, a plain line every 5 s in a log."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "indexing") -> None:
        super().__init__(total)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = 0.1 if self.tty else 5.0

    def draw(self, now: float) -> None:
        line = self.status(now)
        if not self.tty:
            self.stream.write(f"{self.label}: {line}\n")
            self.stream.flush()
            return
        width = 28
        filled = int(width * self.fraction())
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r\x1b[2K{self.label} {bar} {line}")
        self.stream.flush()

    def stage(self, message: str) -> None:
        if self.tty:
            clock = format_clock(self.elapsed())
            self.stream.write(f"\r\x1b[2K{message}… (files read in {clock})")
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
