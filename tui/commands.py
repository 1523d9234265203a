"""The command palette's Warta commands: every keyboard action by name, plus saved searches
and recent queries, so nothing needs its key remembered.

Commands run against whatever screen the palette was opened over; ones that make no sense
there (sorting in the reader, say) are not offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from search.models import SORTS, Sort

if TYPE_CHECKING:
    from tui.app import WartaApp

Command = tuple[str, str, Callable[[], object]]  # (name, help, run)


class WartaCommands(Provider):
    """Actions of the current screen, saved searches and the last queries."""

    @property
    def warta(self) -> WartaApp:
        return self.app  # type: ignore[return-value]

    def _commands(self) -> Iterator[Command]:
        from tui.screens.main import MainScreen
        from tui.screens.reader import ReaderScreen

        app = self.warta
        screen = self.screen
        if isinstance(screen, MainScreen):
            yield ("Search: focus the search bar", "type a query", screen.action_focus_search)
            for sort in SORTS:
                yield (f"Sort by {sort}", "order the results", partial(_sort, screen, sort))
            yield ("Clear filters", "drop outlet and date filters", screen.action_clear_filters)
            yield (
                "Distinctive terms",
                "words, phrases, names the matches hold more than the archive",
                screen.action_terms,
            )
            yield ("Export hits", "every hit to a .csv or .jsonl file", screen.action_export)
            if screen.has_stories or not screen.fold:
                yield (
                    "Stories: every article its own hit"
                    if screen.fold
                    else "Stories: one hit per story",
                    "copies of one story folded into one hit, or shown one by one",
                    screen.action_toggle_stories,
                )
            yield (
                "Outlets: counts / share",
                "each outlet's matches as a share of its articles",
                screen.action_toggle_share,
            )
            yield ("Timeline: pick dates", "matches over time", screen.action_focus_timeline)
            yield (
                "Save this search",
                "keep query and filters under a name",
                screen.action_save_search,
            )
            yield ("Saved searches", "open, rename, delete, reorder", screen.action_saved_searches)
            if screen.results and screen.results.suggestion:
                yield (
                    f"Did you mean: {screen.results.suggestion}",
                    "search the suggestion",
                    screen.action_take_suggestion,
                )
            for i, saved in enumerate(app.saved.items):
                yield (
                    f"Open saved search: {saved.name}",
                    saved.query,
                    partial(screen.action_open_saved, i),
                )
            for query in reversed(app.history.items[-10:]):
                yield (f"Search again: {query}", "from history", partial(screen.set_query, query))
        if isinstance(screen, ReaderScreen):
            yield ("Next highlighted term", "in this article", screen.action_next_highlight)
            yield ("Previous highlighted term", "in this article", screen.action_previous_highlight)
            yield ("Raw page / clean article", "compare with the source", screen.action_toggle_raw)
            if screen.article is not None and screen.article.family:
                yield (
                    "Story: its other articles",
                    "the copies of this story, and what each adds or lacks",
                    screen.action_focus_story,
                )
            yield ("Related articles", "articles like this one", screen.action_focus_related)
            yield ("Back to results", "as you left them", screen.action_back)
        yield (
            "Toggle dark / light theme",
            "remembered for next time",
            app.action_toggle_dark_light,
        )
        yield ("Keys and help", "every key, and query tips", app.action_help)

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name, help=help_text)


def _sort(screen: object, sort: Sort) -> None:
    screen.sort = sort  # type: ignore[attr-defined]
    screen.request_search(debounce=False)  # type: ignore[attr-defined]
