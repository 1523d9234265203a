"""Driving the app as a user would, for tests: type, paste, wait for the results."""

from __future__ import annotations

from textual.pilot import Pilot


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
