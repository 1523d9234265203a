"""Fixtures for the TUI: an index of seeds/ in a temporary folder, and a private data dir.

Every test gets its own WARTA_DATA, so history and saved searches never leak between tests
or into the user's real data directory.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (Pilot is async; no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def _private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "warta-data"
    monkeypatch.setenv("WARTA_DATA", str(data))
    return data


@pytest.fixture(scope="session")
def tui_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ indexed once for the session; tests only read it."""
    from index.build import build_index

    target = tmp_path_factory.mktemp("tui-index") / "ix"
    build_index(SEEDS, target)
    return target


async def settle(pilot: Pilot) -> None:
    """Let debounce timers, thread workers and the messages they post all finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_query(pilot: Pilot, text: str) -> None:
    """Type into the search bar key by key, as a user would, then wait for the results."""
    from tui.widgets.search_bar import SearchBar

    if not isinstance(pilot.app.focused, SearchBar):
        await pilot.press("slash")
    for char in text:
        await pilot.press("space" if char == " " else char)
    await settle(pilot)


async def enter_query(pilot: Pilot, text: str) -> None:
    """Put the whole query in the search bar at once (a paste), then wait for the results.

    Snapshots use this rather than key-by-key typing: how many intermediate searches a
    burst of keys triggers depends on the machine's speed, and Textual's option list can
    lay out a list that replaced an earlier one a cell differently.
    """
    from tui.widgets.search_bar import SearchBar

    if not isinstance(pilot.app.focused, SearchBar):
        await pilot.press("slash")
    bar = pilot.app.screen.query_one(SearchBar)
    # A blinking cursor is drawn or not depending on when the snapshot is taken.
    bar.cursor_blink = False
    bar.value = text
    await settle(pilot)
