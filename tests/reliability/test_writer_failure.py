"""A writer process that cannot finish (a full disk, the OOM killer) stops the build in one
line; the previous index stays live (issue 14). Whoosh's own commit went on without it
and published a generation that silently lacked that writer's articles."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import index.segment.processes as writers
from index.build import build_index
from index.errors import WartaError
from search.engine import Engine
from tests.helpers import SEEDS


def test_a_failed_writer_keeps_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    ix = tmp_path / "ix"
    build_index(SEEDS, ix)
    monkeypatch.setattr(writers, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(writers, "cpu_count", lambda: 2)

    def full(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writers._StemReportingTask, "_write_segment", full)
    capfd.readouterr()
    with pytest.raises(WartaError, match=r"No space left on device\) — the previous index is kept"):
        build_index(SEEDS, ix)
    assert "Traceback" not in capfd.readouterr().err
    assert Engine(ix).search("").total == 5
