"""Pilot tests of the analysis on the search screen: the timeline, the outlet shares, the
distinctive terms and the export (issue 17), over an index of seeds/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList, Static

from search.keyness import Term
from search.models import Filters
from tests.tui.pilot import settle, type_query
from tests.tui.test_app import SIZE, main_screen
from tui.app import WartaApp
from tui.screens.terms import KIND_TITLES, TermsScreen, as_query
from tui.storage import SavedSearch
from tui.widgets.facets import FacetSidebar, OutletList, percent
from tui.widgets.timeline import Timeline, TimelineAxis, cells_of, last_day, zero_based


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


async def test_no_timeline_when_nothing_in_the_archive_is_dated(
    tui_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.engine_thread.EngineThread.date_span", lambda self: None)
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        line = timeline(app)
        assert not line.display and line.data is None
        for _ in range(8):  # Tab goes round without stopping on it
            await pilot.press("tab")
            assert app.focused is not line


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


def test_squeezed_bars_mark_the_cell_the_sparkline_draws_each_period_in() -> None:
    from textual.renderables.sparkline import Sparkline

    for n in (7, 22, 60):
        for width in range(1, n + 1):
            counts = list(range(1, n + 1))  # count i + 1 for period i: findable in a bucket
            buckets = list(Sparkline._buckets(zero_based(counts), width))
            drawn = {v - 1: b for b, part in enumerate(buckets) for v in part if v}
            assert cells_of(n, width) == [drawn[i] for i in range(n)], (n, width)


def test_share_and_term_text() -> None:
    assert [percent(s) for s in (None, 0, 0.0004, 0.034, 0.5, 1)] == [
        "n/a",
        "0%",
        "<0.1%",
        "3.4%",
        "50%",
        "100%",
    ]
    assert as_query(Term("rudal", "word", 1.0, 2, 3)) == "rudal"
    assert as_query(Term("korea utara", "phrase", 1.0, 2, 3)) == '"korea utara"'
    assert as_query(Term("Joko Widodo", "name", 1.0, 2, 3)) == '"Joko Widodo"'
    assert as_query(Term("Jokowi", "name", 1.0, 2, 3)) == "Jokowi"
    assert as_query(Term("Korea-Utara", "word", 1.0, 2, 3)) == '"Korea-Utara"'


async def test_the_terms_screen_lists_terms_and_adds_the_chosen_one(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        expected = app.engine.terms("putin", Filters())
        assert expected, "the seeds should give putin a distinctive term"
        await pilot.press("escape", "t")
        await settle(pilot)
        terms = app.screen
        assert isinstance(terms, TermsScreen)
        listing = terms.query_one("#terms-list", OptionList)
        shown = [str(o.prompt) for o in listing.options if not o.disabled]
        ordered = [t for kind in KIND_TITLES for t in expected if t.kind == kind]
        assert len(shown) == len(ordered)
        assert all(line.startswith(t.term + " ") for line, t in zip(shown, ordered, strict=True))
        first = ordered[0]
        assert f"{first.matches:,} matches · {first.archive:,} in the archive" in shown[0]
        await pilot.press("enter")
        await settle(pilot)
        screen = main_screen(app)
        want = f"putin {as_query(first)}"
        assert screen.query_one("#search", Input).value == want
        assert screen.results is not None and screen.results.query == want


async def test_the_terms_screen_says_when_there_is_nothing_to_compare(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "t")  # no query typed
        await settle(pilot)
        assert isinstance(app.screen, TermsScreen)
        status = str(app.screen.query_one("#terms-status", Static).content)
        assert "Nothing to compare" in status
        await pilot.press("escape")
        await pilot.pause()
        await type_query(pilot, "zzzqqq")
        await pilot.press("tab", "t")  # no results to go to: Tab leaves the search bar
        await settle(pilot)
        status = str(app.screen.query_one("#terms-status", Static).content)
        assert "Nothing to compare" in status and "no article matches" in status


async def test_export_writes_every_hit_and_refuses_an_existing_file(
    tui_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = WartaApp(tui_index)
    notes: list[tuple[str, str, bool]] = []
    async with app.run_test(size=SIZE) as pilot:
        real = app.notify

        def record(message: str, **kwargs: object) -> None:
            notes.append((message, str(kwargs.get("severity", "information")), kwargs["markup"]))
            real(message, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(app, "notify", record)
        await settle(pilot)
        await type_query(pilot, "korea")
        screen = main_screen(app)
        assert screen.results is not None
        total = screen.results.total
        target = tmp_path / "korea.jsonl"

        async def export_to(path: Path) -> None:
            if isinstance(app.focused, Input):
                await pilot.press("escape")  # leave the search bar: letters are keys
            await pilot.press("x")
            await pilot.pause()
            name = app.screen.query_one("#name", Input)
            assert name.value == "warta-korea.csv"  # the offer, in the current directory
            name.value = str(path)
            await pilot.press("enter")
            await settle(pilot)

        await export_to(target)
        lines = target.read_text(encoding="utf-8").splitlines()
        assert "provenance" in json.loads(lines[0])
        assert len(lines) - 1 == total
        assert [json.loads(line)["rank"] for line in lines[1:]] == list(range(1, total + 1))
        assert (f"Wrote {total} hits to {target}", "information", False) in notes
        # Written by an engine of its own on its own thread: searches do not wait for it.
        assert app.engine is not None
        assert app.engine._export_engine not in (None, app.engine.engine)

        notes.clear()
        before = target.read_bytes()
        await export_to(target)
        assert target.read_bytes() == before
        errors = [n for n in notes if n[1] == "error"]
        assert len(errors) == 1 and "exists" in errors[0][0] and errors[0][2] is False

        notes.clear()
        await export_to(tmp_path / "korea.xlsx")
        errors = [n for n in notes if n[1] == "error"]
        assert len(errors) == 1 and ".csv or .jsonl" in errors[0][0]


async def test_with_a_date_filter_a_share_is_of_the_outlets_articles_in_that_span(
    tui_index: Path,
) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        since, until = date(2023, 11, 1), date(2023, 11, 30)
        screen.apply(SavedSearch("november", "", Filters(since=since, until=until)))
        await settle(pilot)
        await pilot.press("escape", "percent_sign")
        await pilot.pause()
        dated = app.outlet_totals(Filters(since=since, until=until))
        everything = app.outlet_totals()
        assert sum(dated.values()) < sum(everything.values())
        prompts = {
            o.id: str(o.prompt) for o in screen.query_one(OutletList).options if o.id is not None
        }
        assert screen.results is not None
        for key, count in screen.results.facets.outlet.items():
            if count:  # every dated article of the span matches the empty query: 100 %
                assert prompts[key].endswith(percent(count / dated[key])), prompts[key]
                assert prompts[key].endswith("100%"), prompts[key]
