"""A build's helper processes carry names `ps` shows, so a user (and
bench/build_memory.py) can tell the writers, the story process and the template helper
apart (tests/bench/test_build_memory.py: the labels it prints)."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from index.segment.processes import name_process

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl names")


def _named(role: str, out: multiprocessing.Queue) -> None:
    name_process(role)
    out.put(Path("/proc/self/comm").read_text().strip())


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("writer", "warta-writer"),
        ("templates", "warta-templates"),
        ("a-long-role", "warta-a-long-ro"),
    ],
)
def test_a_helper_process_is_named(role: str, shown: str) -> None:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=_named, args=(role, out))
    proc.start()
    got = out.get(timeout=20)
    proc.join(timeout=20)
    assert got == shown  # the kernel keeps 15 bytes
