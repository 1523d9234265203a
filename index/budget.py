"""A time budget for reading one page or one record: a file no rule foresaw is cut short.

The readers bound what they can see coming (5 MiB a page or record, nesting depth of HTML
and JSON), but a page can still be slow in a way no cap names: a regular expression meeting
text it backtracks on, a template line matched against a million short lines. Rather than
time every loop, the whole reading of one page runs under an interval timer (SIGALRM): past
the budget, Python raises `OverBudget` at its next instruction and the page is skipped with
that reason, like any other unreadable file.

The timer only exists where signals can be had: in the main thread of the process on a
system with `setitimer`. Elsewhere (a build run from a worker thread through the Python
API, or on Windows) pages are read without a budget, as before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from index.errors import SkipFile

# The longest one page or one record may take. A 5 MiB page reads in about a second here;
# ordinary pages in a few milliseconds.
PAGE_SECONDS = 10.0


class OverBudget(SkipFile):
    """Raised inside a page's reading when its time is up."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took more than {seconds:g} s to read")
        self.seconds = seconds


class _Timer:
    armed = False
    seconds = 0.0


def _on_alarm(signum: int, frame: Any) -> None:
    # A late alarm (the page finished as the timer ran out) is ignored: only an armed
    # budget raises.
    if _Timer.armed:
        _Timer.armed = False
        raise OverBudget(_Timer.seconds)


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def page_budget(seconds: float | None = None) -> Iterator[None]:
    """Run the body under a budget of `seconds` (default PAGE_SECONDS); past it, the body
    gets OverBudget. Nested budgets keep the outer one (the timer is one per process)."""
    limit = PAGE_SECONDS if seconds is None else seconds
    if _Timer.armed or not _can_time():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _Timer.seconds = limit
    try:
        _Timer.armed = True
        signal.setitimer(signal.ITIMER_REAL, limit)
        yield
    finally:
        _Timer.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
