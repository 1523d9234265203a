"""Pilot tests of the analysis on the search screen: the timeline and the outlet shares
(issue 17), over an index of seeds/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Label

from search.models import Filters
from tests.tui.pilot import settle, type_query
from tests.tui.test_app import SIZE, main_screen
from tui.app import WartaApp
from tui.storage import SavedSearch
from tui.widgets.facets import FacetSidebar, OutletList, percent
from tui.widgets.timeline import Timeline, TimelineAxis, last_day, zero_based


def timeline(app: WartaApp) -> Timeline:
    return main_screen(app).query_one(Timeline)


def dated_counts(app: WartaApp) -> dict[date, int]:
    data = timeline(app).data
    assert data is not None
    return {p: n for p, n in zip(data.periods, data.counts, strict=True) if n}


def expected_counts(app: WartaApp, query: str) -> dict[date, int]:
    """The same counts straight from the engine's trend, for comparison."""
    data = timeline(app).data
    assert data is not None
    trend = app.engine.trend([query], Filters(), data.interval)
    return {r.period: r.count for r in trend.rows if r.count}


async def test_the_timeline_counts_the_query_and_follows_a_new_one(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        line = timeline(app)
        assert line.display
        data = line.data
        assert data is not None and data.query == "putin"
        # The archive's whole span, whatever the query: the seeds run June to November.
        span = app.engine.date_span()
        assert span is not None
        assert data.periods[0] <= span[0] and last_day(data.periods[-1], data.interval) >= span[1]
        putin = dated_counts(app)
        assert putin == expected_counts(app, "putin")
        screen = main_screen(app)
        assert screen.results is not None
        assert sum(putin.values()) + data.undated == screen.results.total
        assert "Jun 2023" in str(line.query_one(TimelineAxis).render())

        await pilot.press(*["backspace"] * 5)
        await type_query(pilot, "blinken")
        data = line.data
        assert data is not None and data.query == "blinken"
        blinken = dated_counts(app)
        assert blinken == expected_counts(app, "blinken")
        assert blinken != putin
        assert line.query_one("#timeline-bars").data == zero_based(data.counts)


async def test_picking_a_stretch_on_the_timeline_narrows_the_dates(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        screen = main_screen(app)
        assert screen.results is not None
        everything = screen.results.total
        line = timeline(app)
        for _ in range(8):  # Tab reaches the timeline, after the sidebar
            if app.focused is line:
                break
            await pilot.press("tab")
        assert app.focused is line
        data = line.data
        assert data is not None
        last = len(data.periods) - 1
        assert line.cursor == last  # it starts on the latest period

        # Back to September's second week, stretching the pick: Sep 11 … Nov 12.
        september = data.periods.index(date(2023, 9, 11))
        await pilot.press(*["shift+left"] * (last - september))
        assert line.selection == (september, last)
        await pilot.press("enter")
        await settle(pilot)
        since, until = date(2023, 9, 11), last_day(data.periods[last], data.interval)
        assert (screen.filters.since, screen.filters.until) == (since, until)
        assert screen.query_one(FacetSidebar).filters == screen.filters
        assert not screen.filters.include_undated  # a period leaves undated articles out
        hits = screen.results.hits
        assert 0 < screen.results.total < everything
        assert all(h.published and since <= h.published.date() <= until for h in hits)
        assert screen.results.total == sum(
            n for p, n in dated_counts(app).items() if since <= p <= until
        )
        assert line.applied == (september, last)

        # ← moves the cursor alone; Enter picks that one period.
        await pilot.press("right", "enter")
        await settle(pilot)
        week = data.periods[september + 1]
        assert (screen.filters.since, screen.filters.until) == (week, last_day(week, "week"))

        # Esc drops a stretch being picked, without touching the filter.
        await pilot.press("shift+right", "escape")
        assert line.anchor is None and app.focused is line
        await pilot.press("c")  # clear filters, as everywhere on the screen
        await settle(pilot)
        assert screen.filters == Filters()
        assert screen.results.total == everything
        assert line.applied is None


async def test_the_timeline_steps_aside_on_a_short_terminal(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=(100, 19)) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        assert timeline(app).data is not None
        assert not timeline(app).display
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert timeline(app).display


async def test_the_outlets_show_shares_of_each_outlets_articles(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        screen = main_screen(app)
        title = screen.query_one("#outlets-title", Label)
        assert "count" in str(title.content)
        await pilot.press("escape", "percent_sign")
        await pilot.pause()
        sidebar = screen.query_one(FacetSidebar)
        assert sidebar.share
        assert "%" in str(title.content)
        totals = app.outlet_totals()
        prompts = {
            o.id: str(o.prompt) for o in screen.query_one(OutletList).options if o.id is not None
        }
        assert screen.results is not None
        for key, count in screen.results.facets.outlet.items():
            assert prompts[key].endswith(percent(count / totals[key])), prompts[key]
        assert prompts["bisnis"].endswith("100%")  # its one article matches

        # An outlet the archive does not hold (a saved search from another index): n/a.
        screen.apply(SavedSearch("elsewhere", "putin", Filters(outlets=("nosuch",))))
        await settle(pilot)
        prompts = {o.id: str(o.prompt) for o in screen.query_one(OutletList).options}
        assert prompts["nosuch"].endswith("n/a")

        await pilot.press("percent_sign")
        await pilot.pause()
        assert not sidebar.share and "count" in str(title.content)


def test_share_text() -> None:
    assert [percent(s) for s in (None, 0, 0.0004, 0.034, 0.5, 1)] == [
        "n/a",
        "0%",
        "<0.1%",
        "3.4%",
        "50%",
        "100%",
    ]
