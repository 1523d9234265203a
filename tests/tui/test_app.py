"""Pilot tests: the app driven by key presses over an index of seeds/."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.helpers import SEEDS
from tests.tui.pilot import settle, type_query
from tui.app import WartaApp
from tui.screens.main import MainScreen
from tui.screens.reader import Paragraph, ReaderScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.facets import DateTree, FacetSidebar, OutletList
from tui.widgets.results import ResultsList

SIZE = (120, 40)


def main_screen(app: WartaApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def results(app: WartaApp) -> ResultsList:
    return main_screen(app).query_one(ResultsList)


def info(app: WartaApp) -> str:
    return str(main_screen(app).query_one("#results-info", Static).content)


async def test_typing_a_query_shows_count_and_first_title(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "trilateral")
        assert info(app).startswith("1 article ·")
        hits = results(app).hits
        assert [h.title for h in hits] == [
            "Hubungan Militer Rusia-Korea Utara Mesra, Blinken Prihatin"
        ]
        await type_query(pilot, " OR amunisi")
        assert main_screen(app).results.total == 3
        assert info(app).startswith("3 articles ·")


async def test_selecting_an_outlet_narrows_and_updates_counts(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        screen = main_screen(app)
        before = screen.results
        assert before is not None and before.total == 3
        assert {h.outlet for h in before.hits} == {"inews", "bisnis", "vietnamvn"}

        outlets = screen.query_one(OutletList)
        outlets.focus()
        index = next(i for i, o in enumerate(outlets.options) if o.id == "inews")
        outlets.highlighted = index
        await pilot.press("space")
        await settle(pilot)

        after = screen.results
        assert after is not None
        assert after.total == before.facets.outlet["inews"] == 1
        assert {h.outlet for h in results(app).hits} == {"inews"}
        assert screen.filters.outlets == ("inews",)
        # The date counts now describe only the inews article.
        assert sum(after.facets.year.values()) + after.facets.no_date == 1
        tree = screen.query_one(DateTree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == [f"{y} {n}" for y, n in sorted(after.facets.year.items(), reverse=True)]
        assert "inews" in info(app)


async def test_selecting_a_month_narrows_the_dates(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        screen = main_screen(app)
        assert screen.results is not None
        total = screen.results.total
        november = screen.results.facets.month["2023-11"]
        assert 0 < november < total

        tree = screen.query_one(DateTree)
        tree.focus()
        await pilot.pause()
        tree.cursor_line = 0  # the newest year
        await pilot.press("space")  # open it into months (newest first)
        await pilot.press("down", "enter")  # pick November 2023
        await settle(pilot)

        assert screen.results.total == november
        for hit in results(app).hits:
            assert hit.published is not None and (hit.published.year, hit.published.month) == (
                2023,
                11,
            )
        sidebar = screen.query_one(FacetSidebar)
        assert str(sidebar.filters.since) == "2023-11-01"
        assert str(sidebar.filters.until) == "2023-11-30"

        await pilot.press("c")  # clear filters: back to everything
        await settle(pilot)
        assert screen.results.total == total


async def test_opening_a_hit_shows_title_and_highlighted_term(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "trilateral")
        await pilot.press("enter")  # commit the query, move to the results
        await pilot.press("enter")  # open the first hit
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        title = str(reader.query_one("#reader-title", Static).content)
        assert title == "Hubungan Militer Rusia-Korea Utara Mesra, Blinken Prihatin"
        marked = [p.text[s:e].lower() for p in reader.query(Paragraph) for s, e in p.spans]
        assert "trilateral" in marked
        await pilot.press("n")  # jump to the first highlight
        assert reader.current == 0


async def test_escape_returns_to_the_same_selection(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        await pilot.press("enter", "j", "j", "j")
        listing = results(app)
        chosen = listing.current
        scroll = listing.scroll_y
        assert listing.highlighted == 3 and chosen is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == chosen.id
        await pilot.press("escape")
        await pilot.pause()
        listing = results(app)
        assert listing.highlighted == 3
        assert listing.current is not None and listing.current.id == chosen.id
        assert listing.scroll_y == scroll
        assert app.focused is listing


async def test_no_results_shows_the_suggestion(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "blinkne")
        screen = main_screen(app)
        assert screen.results is not None and screen.results.total == 0
        suggestion = screen.results.suggestion
        assert suggestion
        status = str(screen.query_one("#search-status", Static).content)
        assert f"Did you mean {suggestion}?" in status
        hint = str(screen.query_one("#empty-hint", Static).content)
        assert "No articles match" in hint and suggestion in hint
        await pilot.press("ctrl+y")  # take it with one key
        await settle(pilot)
        assert screen.query_one("#search", Input).value == suggestion
        assert screen.results.total > 0


async def test_bad_query_shows_its_message_and_keeps_running(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "since:2023-13")
        screen = main_screen(app)
        status = screen.query_one("#search-status", Static)
        assert status.has_class("-error")
        assert str(status.content)
        await type_query(pilot, "")  # still alive and searching
        await pilot.press(*["backspace"] * 20)
        await type_query(pilot, "blinken")
        assert screen.results is not None and screen.results.total == 3
        assert not status.has_class("-error")


async def test_sort_cycles_relevance_newest_oldest(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        await pilot.press("enter", "s")
        await settle(pilot)
        assert "sorted by newest" in info(app)
        dates = [h.published for h in results(app).hits if h.published is not None]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        assert "sorted by oldest" in info(app)
        dates = [h.published for h in results(app).hits if h.published is not None]
        assert dates == sorted(dates)
        await pilot.press("s")
        await settle(pilot)
        assert "sorted by relevance" in info(app)


async def test_history_recalls_queries_across_runs(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        await pilot.press("enter")
        await pilot.press("slash", *["backspace"] * 5)
        await type_query(pilot, "blinken")
        await pilot.press("enter")

    again = WartaApp(tui_index)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = main_screen(again).query_one("#search", Input)
        await pilot.press("up")
        assert bar.value == "blinken"
        await pilot.press("up")
        assert bar.value == "putin"
        await pilot.press("down", "down")
        assert bar.value == ""


async def test_saved_search_reopens_query_and_filters_with_one_key(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        screen = main_screen(app)
        outlets = screen.query_one(OutletList)
        outlets.focus()
        outlets.highlighted = next(i for i, o in enumerate(outlets.options) if o.id == "bisnis")
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+u", *"pagi", "enter")  # name it
        await pilot.pause()
        assert [s.name for s in app.saved.items] == ["pagi"]

        await pilot.press("c", "slash", *["backspace"] * 5)
        await settle(pilot)
        assert screen.filters.outlets == ()

        await pilot.press("escape")  # leave the search bar, so digits are keys
        await pilot.press("1")
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "putin"
        assert screen.filters.outlets == ("bisnis",)
        assert {h.outlet for h in results(app).hits} == {"bisnis"}


async def test_saved_search_list_is_editable(tui_index: Path) -> None:
    from tui.storage import SavedSearch, SavedSearches

    store = SavedSearches()
    store.put(SavedSearch("one", "putin"))
    store.put(SavedSearch("two", "blinken"))
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "o")
        await pilot.pause()
        await pilot.press("down", "e", "ctrl+u", *"kedua", "enter")
        await pilot.pause()
        await pilot.press("shift+up")
        await pilot.pause()
        assert [s.name for s in app.saved.items] == ["kedua", "one"]
        await pilot.press("down", "d")
        await pilot.pause()
        assert [s.name for s in SavedSearches().items] == ["kedua"]
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).query_one("#search", Input).value == "blinken"


async def test_results_page_in_as_you_scroll(
    tui_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.screens.main as main_module

    monkeypatch.setattr(main_module, "PAGE_SIZE", 2)
    monkeypatch.setattr("tui.widgets.results.PAGE_AHEAD", 1)
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        listing = results(app)
        total = main_screen(app).results.total
        assert total > 2 and len(listing.hits) == 2
        await pilot.press("enter")
        for _ in range(total):
            await pilot.press("down")
            await settle(pilot)
        assert len(listing.hits) == total
        assert len({h.id for h in listing.hits}) == total


async def test_welcome_screen_builds_an_index_from_seeds(tmp_path: Path) -> None:
    target = tmp_path / "fresh-index"
    app = WartaApp(target)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        folder = welcome.query_one("#folder", Input)
        assert Path(folder.value).resolve() == SEEDS  # the sample archive is offered first
        await pilot.press("enter")
        await settle(pilot)
        report = str(welcome.query_one("#build-report", Static).content)
        assert report.startswith("Indexed 5 articles from 5 files")
        await pilot.press("enter")  # start searching
        await settle(pilot)
        screen = main_screen(app)
        assert screen.results is not None and screen.results.total == 5
    assert (target / "meta.json").exists() or any(target.iterdir())


async def test_welcome_screen_reports_a_bad_folder(tmp_path: Path) -> None:
    app = WartaApp(tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+u", *"/nonexistent/folder", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#build-status", Static).content)
        assert "is not a folder" in status
        assert isinstance(app.screen, WelcomeScreen)


async def test_index_rebuilt_elsewhere_is_picked_up(tmp_path: Path) -> None:
    import shutil

    from index.build import build_index

    archive = tmp_path / "archive"
    archive.mkdir()
    for name in sorted(p.name for p in SEEDS.iterdir())[:2]:
        shutil.copy(SEEDS / name, archive / name)
    target = tmp_path / "ix"
    build_index(archive, target)

    app = WartaApp(target)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        before = main_screen(app).results.total
        for path in SEEDS.iterdir():
            shutil.copy(path, archive / path.name)
        build_index(archive, target)  # as another `warta index` would
        app._check_index()  # the 2-second timer, without the wait
        await settle(pilot)
        assert main_screen(app).results.total > before


async def test_help_and_palette_offer_the_actions(tui_index: Path) -> None:
    from tui.commands import WartaCommands
    from tui.screens.help import HelpScreen

    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        provider = WartaCommands(main_screen(app))
        names = [hit.text async for hit in provider.discover()]
        assert "Sort by newest" in names and "Clear filters" in names
        found = [hit.text async for hit in provider.search("newest")]
        assert found and found[0] == "Sort by newest"


async def test_languages_appear_only_where_there_is_a_choice(
    tui_index: Path, tmp_path: Path
) -> None:
    from index.build import build_index
    from tests.index.test_language import ENGLISH
    from tui.widgets.facets import LanguageList

    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "putin")
        assert not main_screen(app).query_one(LanguageList).display

    src = tmp_path / "mixed"
    src.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (src / seed.name).write_bytes(seed.read_bytes())
    page = "Jakarta readies pumps\n\nSenin, 06 November 2023 10:00 WIB\n\n" + ENGLISH
    (src / "en.txt").write_text(page + "\n")
    build_index(src, tmp_path / "ix")
    app = WartaApp(tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "jakarta")
        screen = main_screen(app)
        languages = screen.query_one(LanguageList)
        assert languages.display
        assert {o.id for o in languages.options} == {"lang-en", "lang-id"}
        languages.focus()
        languages.highlighted = next(
            i for i, o in enumerate(languages.options) if o.id == "lang-en"
        )
        await pilot.press("space")
        await settle(pilot)
        assert screen.filters.languages == ("en",)
        assert {h.language for h in results(app).hits} == {"en"}
        from tui.widgets.results import hit_prompt

        assert "English" in hit_prompt(results(app).hits[0]).plain
        # The other language still counts, so it can be added back.
        assert set(screen.results.facets.language) == {"en", "id"}
