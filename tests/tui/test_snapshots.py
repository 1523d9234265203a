"""SVG snapshots of the three screens a user meets first, and of stories (a folded hit,
the reader of a copy).

Deterministic by construction: a fixed terminal size, the seeds index, timings hidden
(`show_timing=False`), a private data dir (no history), and paths shown relative to the
repository. Regenerate with `pytest tests/tui --snapshot-update` after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.helpers import ROOT
from tests.tui.pilot import enter_query, settle
from tui.app import WartaApp


def test_main_screen_with_results(snap_compare, tui_index: Path) -> None:
    async def search(pilot: Pilot) -> None:
        await settle(pilot)
        await enter_query(pilot, "korea utara")
        await pilot.press("enter")
        await settle(pilot)

    app = WartaApp(tui_index, show_timing=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=search)


def test_main_screen_wide_light(snap_compare, tui_index: Path) -> None:
    async def search(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await enter_query(pilot, "rusia")
        await settle(pilot)

    app = WartaApp(tui_index, show_timing=False)
    assert snap_compare(app, terminal_size=(200, 60), run_before=search)


def test_reader(snap_compare, tui_index: Path) -> None:
    async def open_hit(pilot: Pilot) -> None:
        await settle(pilot)
        await enter_query(pilot, "trilateral")
        await pilot.press("enter", "enter")
        await settle(pilot)

    app = WartaApp(tui_index, show_timing=False)
    assert snap_compare(app, terminal_size=(100, 32), run_before=open_hit)


def test_results_with_a_folded_hit(snap_compare, story_index: Path) -> None:
    async def search(pilot: Pilot) -> None:
        await settle(pilot)
        await enter_query(pilot, "rudal")
        await pilot.press("enter")
        await settle(pilot)

    app = WartaApp(story_index, show_timing=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=search)


def test_reader_of_a_story_copy(snap_compare, story_index: Path) -> None:
    """The copy's added paragraphs barred, the first article's dropped one after the text,
    the story's list below: tall enough to hold the whole article."""

    async def open_copy(pilot: Pilot) -> None:
        await settle(pilot)
        await enter_query(pilot, "rudal")
        await pilot.press("enter", "enter")
        await settle(pilot)

    app = WartaApp(story_index, show_timing=False)
    assert snap_compare(app, terminal_size=(110, 66), run_before=open_copy)


def test_welcome_screen(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths on screen relative to the repository, wherever it is
    app = WartaApp(Path("tests/tui/no-index-here"), show_timing=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle)
    assert not (ROOT / "tests/tui/no-index-here").exists()
