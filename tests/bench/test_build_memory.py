"""bench/build_memory.py: how it labels a build's processes."""

from __future__ import annotations


def test_build_memory_labels_processes_by_their_names() -> None:
    from bench.build_memory import _names

    pids = [10, 11, 12, 13, 14, 15]
    roles = {10: "", 11: "templates", 12: "writer", 13: "writer", 14: "story", 15: ""}
    assert _names(pids, roles) == {
        10: "main",
        11: "templates",
        12: "writer 1",
        13: "writer 2",
        14: "story",
        15: "process",
    }
