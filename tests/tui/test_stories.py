"""Stories in the TUI: copies of one article folded into one hit, the key that unfolds them,
the reader's story list and its marks against the first article, a damaged story table.

The index is seeds/ plus Kompas.com's repost of an iNews.id article (`story_index`): its
first paragraph rewritten, one paragraph added, another headline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from index import store
from tests.tui.conftest import REPOST_ADDED, REPOST_FIRST
from tests.tui.pilot import settle, type_query
from tui.app import WartaApp
from tui.screens.main import MainScreen
from tui.screens.reader import Paragraph, ReaderScreen, RelatedList, StoryList
from tui.widgets.results import ResultsList

SIZE = (120, 40)


def main_screen(app: WartaApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def info(app: WartaApp) -> str:
    return str(main_screen(app).query_one("#results-info", Static).content)


def prompts(app: WartaApp) -> list[str]:
    listing = main_screen(app).query_one(ResultsList)
    return [str(o.prompt) for o in listing.options]


def reader(app: WartaApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


async def open_copy(pilot: Pilot, app: WartaApp) -> ReaderScreen:
    """Search "rudal" and open Kompas.com's copy (the story's best-ranked article)."""
    await settle(pilot)
    await type_query(pilot, "rudal")
    listing = main_screen(app).query_one(ResultsList)
    assert listing.hits[0].outlet == "kompas"
    await pilot.press("enter", "enter")
    await settle(pilot)
    return reader(app)


async def test_folded_hit_names_its_copies_and_the_info_counts_stories(
    story_index: Path,
) -> None:
    app = WartaApp(story_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "rudal")
        assert info(app).startswith("5 articles in 4 stories ·")
        hits = main_screen(app).query_one(ResultsList).hits
        assert len(hits) == 4
        first = hits[0]
        assert (first.outlet, first.folded, first.folded_outlets) == ("kompas", 1, ["iNews.id"])
        assert prompts(app)[0].splitlines()[2] == "+1: iNews.id"
        assert not any("+" in p.splitlines()[2] for p in prompts(app)[1:])


async def test_stories_key_shows_every_article_and_back(story_index: Path) -> None:
    from tui.commands import WartaCommands

    app = WartaApp(story_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "rudal")
        screen = main_screen(app)
        listing = screen.query_one(ResultsList)
        names = [hit.text async for hit in WartaCommands(screen).discover()]
        assert "Stories: every article its own hit" in names

        await pilot.press("enter", "a")  # to the results, then every article
        await settle(pilot)
        assert not screen.fold
        assert info(app).startswith("5 articles, one hit each ·")
        assert len(listing.hits) == 5
        assert {h.outlet for h in listing.hits} >= {"kompas", "inews"}
        assert not any(h.folded for h in listing.hits)
        assert listing.current is not None and listing.current.outlet == "kompas"
        copies = [p for p in prompts(app) if "story of 2" in p.splitlines()[0]]
        assert len(copies) == 2 and any("first of a story of 2" in p for p in copies)

        # Kept across searches in the session.
        await pilot.press("slash", *["backspace"] * 5)
        await type_query(pilot, "blinken")
        assert not screen.fold and ", one hit each" in info(app)
        assert screen.results is not None and screen.results.stories is None

        await pilot.press("enter")
        origin = next(
            i for i, h in enumerate(listing.hits) if h.story_size == 2 and h.outlet == "inews"
        )
        listing.highlighted = origin  # stand on the copy that folding will hide
        await pilot.press("a")  # one hit per story again
        await settle(pilot)
        assert screen.fold
        assert " in " in info(app) and "stories" in info(app)
        assert len(listing.hits) == screen.results.stories
        # The copy the user stood on was folded away: its story's hit is selected.
        assert listing.current is not None and listing.current.folded == 1


async def test_folded_results_page_in_by_story(
    story_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.screens.main as main_module

    monkeypatch.setattr(main_module, "PAGE_SIZE", 2)
    monkeypatch.setattr("tui.widgets.results.PAGE_AHEAD", 1)
    app = WartaApp(story_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "rudal")
        listing = main_screen(app).query_one(ResultsList)
        assert len(listing.hits) == 2
        await pilot.press("enter")
        for _ in range(6):
            await pilot.press("down")
            await settle(pilot)
        assert len(listing.hits) == 4  # the four stories, and paging stops there
        assert not listing.more
        assert sum(1 + h.folded for h in listing.hits) == 5


async def test_reader_of_a_copy_marks_what_differs_from_the_first(story_index: Path) -> None:
    app = WartaApp(story_index)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_copy(pilot, app)
        article = screen.article
        assert article is not None and article.compared_with is not None
        meta = str(screen.query_one("#reader-meta", Static).content)
        assert "Story of 2 articles · first in iNews.id, 9 Nov 2023" in meta
        assert "2 paragraphs not in the first article" in meta
        assert "1 paragraph of it not here" in meta

        paragraphs = list(screen.query(Paragraph))
        added = [p.text for p in paragraphs if p.has_class("-added")]
        assert added == [REPOST_FIRST, REPOST_ADDED]
        missing = [str(w.content) for w in screen.query("#reader-missing .-missing")]
        assert len(missing) == 1 and missing[0].startswith("SEOUL, iNews.id - ")
        titles = [str(w.content) for w in screen.query("#reader-missing .section-title")]
        assert titles == ["In the first article, not here:"]

        # The highlights still walk as before, over the marked paragraphs too.
        await pilot.press("n")
        assert screen.current == 0


async def test_reader_lists_the_story_and_opens_a_member(story_index: Path) -> None:
    app = WartaApp(story_index)
    async with app.run_test(size=SIZE) as pilot:
        copy = await open_copy(pilot, app)
        assert copy.article is not None
        origin = copy.article.family[0]
        assert origin.origin and origin.outlet == "inews"

        story = copy.query_one(StoryList)
        assert story.display
        assert str(copy.query_one("#story-title", Static).content) == "Story: 2 articles"
        rows = [(str(o.prompt), o.disabled) for o in story.options]
        assert len(rows) == 2
        assert rows[0][0].startswith("first ") and "iNews.id" in rows[0][0]
        assert "+1  −2" in rows[0][0] and not rows[0][1]
        assert "this one" in rows[1][0] and rows[1][1]  # the open article, in its place

        related = copy.query_one(RelatedList)
        assert origin.id not in {o.id for o in related.options}  # listed once, above

        await pilot.press("S")  # to the story's list, on the first other article
        await pilot.pause()
        assert app.focused is story and story.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        first = reader(app)
        assert first is not copy and first.article_id == origin.id
        meta = str(first.query_one("#reader-meta", Static).content)
        assert "this is the first to report it" in meta
        assert not list(first.query(".-added")) and not first.query_one("#reader-missing").display
        rows = [str(o.prompt) for o in first.query_one(StoryList).options]
        assert "this one" in rows[0] and "+2  −1" in rows[1]

        await pilot.press("escape")  # back to the copy, as it was
        await pilot.pause()
        assert app.screen is copy and app.focused is story


async def test_raw_page_hides_the_missing_paragraphs(story_index: Path) -> None:
    app = WartaApp(story_index)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_copy(pilot, app)
        missing = screen.query_one("#reader-missing")
        assert missing.display
        await pilot.press("r")
        assert not missing.display and screen.query_one("#reader-raw").display
        await pilot.press("r")
        assert missing.display


async def test_an_article_alone_has_no_story_key(tui_index: Path) -> None:
    app = WartaApp(tui_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "trilateral")
        assert not main_screen(app).has_stories
        assert main_screen(app).check_action("toggle_stories", ()) is False
        await pilot.press("enter", "enter")
        await settle(pilot)
        screen = reader(app)
        assert not screen.query_one(StoryList).display
        assert screen.check_action("focus_story", ()) is False
        assert "Story" not in str(screen.query_one("#reader-meta", Static).content)


async def test_damaged_story_table_searches_with_a_notice(
    story_index: Path, tmp_path: Path
) -> None:
    index = tmp_path / "ix"
    shutil.copytree(story_index, index)
    generation = (index / store.CURRENT).read_text(encoding="utf-8").strip()
    (index / generation / "stories" / "table.json").write_bytes(b"\x00garbage{")
    app = WartaApp(index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "rudal")
        screen = main_screen(app)
        assert screen.results is not None and screen.results.total == 5
        assert len(screen.query_one(ResultsList).hits) == 5  # one hit per article
        assert info(app).startswith("5 articles ·")
        status = screen.query_one("#search-status", Static)
        assert "story table is damaged" in str(status.content)
        assert not status.has_class("-error")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert reader(app).article is not None and not reader(app).article.family
