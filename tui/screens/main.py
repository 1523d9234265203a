"""The search screen: search bar, facet sidebar, timeline, results, footer.

Every search runs in one exclusive thread worker group, so a new keystroke cancels the
search still waiting out its debounce, and each request carries a serial number so an
answer that arrives after a newer request was made is dropped instead of flashing old hits.

Copies of one story (wire copy republished by several outlets, reposts) are one hit by
default, the others folded into it; `a` shows every article instead, for the rest of the
session. The timeline, the sidebar and an export count articles either way.

The timeline is counted after the results are on screen, in its own exclusive group, from
the match set the search just left in the engine (the same query and filters with the date
filter lifted, which the sidebar's date counts matched): a few milliseconds of the engine
thread between keystrokes, never before the results.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import get_current_worker

from index.errors import WartaError
from index.untrusted import printable
from search.models import Facets, Filters, Hit, SearchResults, Sort
from search.trend import auto_interval, periods_between
from tui.format import plural
from tui.storage import SORTS, SavedSearch
from tui.widgets.facets import FacetSidebar, key_bounds
from tui.widgets.results import ResultsList
from tui.widgets.search_bar import SearchBar, SearchStatus
from tui.widgets.timeline import Timeline, TimelineData

if TYPE_CHECKING:
    from tui.app import WartaApp

DEBOUNCE_S = 0.15
PAGE_SIZE = 20
SUGGESTION_KEY = "ctrl+y"


class MainScreen(Screen[None]):
    """Search as you type over the open index, filter by facets, open a hit to read it."""

    app: WartaApp  # type: ignore[assignment]

    # Under 20 lines the screen gets the class -short, and the timeline steps aside.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (20, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="warta.focus_search"),
        Binding("s", "cycle_sort", "Sort", id="warta.sort"),
        Binding("c", "clear_filters", "Clear filters", id="warta.clear_filters"),
        Binding("t", "terms", "Terms", id="warta.terms"),
        Binding("x", "export", "Export", id="warta.export"),
        Binding("a", "toggle_stories", "Stories", id="warta.stories"),
        Binding("percent_sign", "toggle_share", "Count/%", show=False, id="warta.facets.share"),
        Binding(
            SUGGESTION_KEY,
            "take_suggestion",
            "Did you mean",
            priority=True,
            id="warta.take_suggestion",
        ),
        Binding("ctrl+s", "save_search", "Save", priority=True, id="warta.save_search"),
        Binding("o", "saved_searches", "Saved", id="warta.saved_searches"),
        Binding("escape", "escape", "Back to search", show=False, id="warta.back"),
        *(
            Binding(
                str(n),
                f"open_saved({n - 1})",
                f"Saved search {n}",
                show=False,
                id=f"warta.open_saved_{n}",
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.filters = Filters()
        self.sort: Sort = "relevance"
        self.results: SearchResults | None = None
        self.fold = True  # one hit per story; False: every article its own hit
        self.has_stories = False  # the open index groups some articles into stories
        self._serial = 0
        self._last_change = 0.0  # monotonic time of the last keystroke in the search bar
        self._answered = 0  # serial of the last request whose answer is on screen
        self._loading_page = 0
        self._keep: tuple[str, str | None] | None = None  # hit (id, story) to reselect

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            yield SearchBar(
                self.app.history.items,
                id="search",
                placeholder='Search the archive — e.g. korea utara, "kerja sama", rusia -ukraina',
            )
            yield SearchStatus(id="search-status")
        with Horizontal(id="body"):
            yield FacetSidebar(id="facets")
            with Vertical(id="results-pane"):
                yield Timeline(id="timeline", classes="-empty")
                yield Static(id="results-info")
                yield ResultsList(id="results")
                yield Static(id="empty-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SearchBar).focus()
        self.request_search(debounce=False)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def results_list(self) -> ResultsList:
        return self.query_one(ResultsList)

    # -- searching -----------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        """Debounce only a burst of typing that outruns the answers.

        A keystroke searches at once when the screen already shows the answer to the one
        before it, or after a pause (results in the engine's time, not the engine's time
        plus 150 ms); keys that come within DEBOUNCE_S of each other while an answer is
        still outstanding coalesce into one search 150 ms after the last of them.
        """
        now = time.monotonic()
        outstanding = self._answered != self._serial
        in_burst = outstanding and now - self._last_change < DEBOUNCE_S
        self._last_change = now
        self.query_text = event.value
        self.request_search(debounce=in_burst)

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        """Enter commits the query to history and moves on to the results."""
        self.app.history.add(event.value)
        if self.results_list.hits:
            self.results_list.focus()

    @on(FacetSidebar.Changed)
    def _filters_changed(self, event: FacetSidebar.Changed) -> None:
        self.filters = event.filters
        self.request_search(debounce=False)

    def request_search(
        self, debounce: bool = True, keep: tuple[str, str | None] | None = None
    ) -> None:
        """Start a search for the current query, filters and sort; newer requests win.
        `keep` (a hit's id and story) is reselected in the new results if it is there, or
        else the hit of its story (folding may have swapped which copy stands for it)."""
        self._serial += 1
        self.workers.cancel_group(self, "timeline")  # it counts for the search before
        self._keep = keep
        self._search(self._serial, self.query_text, self.filters, self.sort, self.fold, debounce)

    @work(thread=True, exclusive=True, group="search")
    def _search(
        self, serial: int, query: str, filters: Filters, sort: Sort, fold: bool, debounce: bool
    ) -> None:
        worker = get_current_worker()
        if debounce:
            time.sleep(DEBOUNCE_S)
        if worker.is_cancelled:
            return
        engine = self.app.engine
        try:
            results = engine.search(query, filters, sort, page=1, page_size=PAGE_SIZE, fold=fold)
            if worker.is_cancelled:
                return
            sidebar = results.facets  # each facet counted with its own filter lifted
            names = self.app.outlet_names()
            totals = self.app.outlet_totals(filters)
            stories = engine.has_stories()
        except WartaError as err:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, serial, str(err))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(
                self._show_results, serial, results, sidebar, names, totals, stories
            )

    def _show_error(self, serial: int, message: str) -> None:
        if serial != self._serial:
            return
        self._answered = serial
        self.query_one(SearchStatus).show_error(message)
        self.query_one(Timeline).clear()  # a query that cannot run has nothing to count

    def _show_results(
        self,
        serial: int,
        results: SearchResults,
        sidebar: Facets,
        names: dict[str, str],
        totals: dict[str, int],
        has_stories: bool = False,
    ) -> None:
        if serial != self._serial:
            return  # a newer request is on its way: this answer is stale
        self._answered = serial
        self.results = results
        self.has_stories = has_stories
        self._loading_page = 0
        status = self.query_one(SearchStatus)
        if results.suggestion:
            status.show_suggestion(results.suggestion, self.app.key_for("warta.take_suggestion"))
        else:
            status.show_notice(results.notice)
        self.query_one(FacetSidebar).show(sidebar, names, totals)
        results_list = self.results_list
        results_list.show(results.hits, hit_count(results))
        if self._keep is not None:
            kept = _find(results_list.hits, *self._keep)
            if kept is not None:
                results_list.highlighted = kept
        self._keep = None
        self._show_info()
        self.refresh_bindings()
        self.app.post_message(self.app.ResultsShown(results))
        self._count_timeline(serial, self.query_text, self.filters)

    # -- the timeline --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _count_timeline(self, serial: int, query: str, filters: Filters) -> None:
        """The query's matches per period over the archive's span, the date filter lifted
        (the search just matched that set for the sidebar's dates: no second match)."""
        worker = get_current_worker()
        engine = self.app.engine
        try:
            span = engine.date_span()
            if span is None:
                data = None
            else:
                interval = auto_interval(*span)
                lifted = replace(filters, since=None, until=None, include_undated=True)
                if worker.is_cancelled or serial != self._serial:
                    return
                trend = engine.trend([query], lifted, interval)
                # The trend spans the matches; the axis is the archive's, fixed as you type.
                periods = periods_between(span[0], span[1], interval)
                counts = dict.fromkeys(periods, 0)
                for row in trend.rows:
                    if row.period in counts:
                        counts[row.period] += row.count
                data = TimelineData(
                    query,
                    interval,
                    periods,
                    list(counts.values()),
                    trend.undated.get(query, 0),
                )
        except WartaError:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_timeline, serial, data, filters)

    def _show_timeline(self, serial: int, data: TimelineData | None, filters: Filters) -> None:
        if serial != self._serial:
            return  # counted for a query or filters no longer on screen
        timeline = self.query_one(Timeline)
        if data is None:
            timeline.add_class("-empty")  # nothing dated in the archive: no timeline
            return
        timeline.show(data, filters.since, filters.until)

    @on(Timeline.Picked)
    def _timeline_picked(self, event: Timeline.Picked) -> None:
        event.stop()
        self.query_one(FacetSidebar).pick_dates(event.since, event.until)

    def _show_info(self) -> None:
        results = self.results
        info = self.query_one("#results-info", Static)
        hint = self.query_one("#empty-hint", Static)
        if results is None:
            info.update("")
            return
        parts = [self._count_text(results)]
        if self.app.show_timing:
            parts.append(f"{results.took_ms:,.0f} ms")
        parts.append(f"sorted by {self.sort}")
        chosen = self._filter_summary()
        if chosen:
            parts.append(chosen)
        info.update(Content(" · ".join(parts)))
        empty = results.total == 0
        hint.display = empty
        self.results_list.display = not empty
        if empty:
            hint.update(self._empty_hint(results))

    def _count_text(self, results: SearchResults) -> str:
        """`53 articles in 31 stories` when copies are folded into fewer hits; `53
        articles, one hit each` when the user asked for every article (and the index has
        stories to fold): the mode of the stories key is always readable here."""
        text = plural(results.total, "article")
        if results.stories is not None and results.stories != results.total:
            text += " in " + plural(results.stories, "story", "stories")
        elif not self.fold and self.has_stories:
            text += ", one hit each"
        return text

    def _filter_summary(self) -> str:
        f = self.filters
        bits = []
        if f.outlets:
            bits.append(", ".join(f.outlets))
        if f.since or f.until:
            bits.append(f"{f.since or '…'} – {f.until or '…'}")
        if not f.include_undated:
            bits.append("dated only")
        return "; ".join(bits)

    def _empty_hint(self, results: SearchResults) -> Content:
        lines: list[Content | str] = [Content.styled("No articles match.", "bold")]
        if results.suggestion:
            key = self.app.key_for("warta.take_suggestion")
            lines.append(
                Content.assemble(
                    "Did you mean ",
                    (results.suggestion, "bold $text-accent"),
                    f"? Press {key} to search it.",
                )
            )
        if self.filters != Filters():
            key = self.app.key_for("warta.clear_filters")
            lines.append(
                f"Filters are narrowing this search: loosen them, or press {key} to clear all."
            )
        elif self.query_text.strip():
            lines.append("Try fewer words, another spelling, or a word's root (kerja for bekerja).")
        return Content("\n").join(lines)

    # -- paging --------------------------------------------------------------------------

    @on(ResultsList.NearEnd)
    def _near_end(self) -> None:
        results = self.results
        if results is None or not self.results_list.more:
            return
        page = len(self.results_list.hits) // PAGE_SIZE + 1
        if self._loading_page >= page:
            return  # that page is already on its way
        self._loading_page = page
        self._fetch_page(self._serial, self.query_text, self.filters, self.sort, self.fold, page)

    @work(thread=True, exclusive=True, group="page")
    def _fetch_page(
        self, serial: int, query: str, filters: Filters, sort: Sort, fold: bool, page: int
    ) -> None:
        worker = get_current_worker()
        try:
            results = self.app.engine.search(
                query, filters, sort, page=page, page_size=PAGE_SIZE, fold=fold
            )
        except WartaError:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._append_page, serial, results)

    def _append_page(self, serial: int, results: SearchResults) -> None:
        if serial != self._serial:
            return
        self.results_list.show(results.hits, hit_count(results), append=True)

    # -- opening -------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#results")
    def _open_hit(self, event: OptionList.OptionSelected) -> None:
        hit = self.results_list.current
        if hit is None:
            return
        from tui.screens.reader import ReaderScreen

        self.app.history.add(self.query_text)
        self.app.push_screen(ReaderScreen(hit.id, self.query_text))

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_suggestion":
            return bool(self.results and self.results.suggestion) or False
        if action == "toggle_stories":  # shown only where there are stories to fold
            return self.has_stories or not self.fold
        return True

    def action_focus_search(self) -> None:
        self.search_bar.focus()

    def action_focus_timeline(self) -> None:
        timeline = self.query_one(Timeline)
        if timeline.data is not None and timeline.display and not self.has_class("-short"):
            timeline.focus()

    def action_escape(self) -> None:
        """Esc leaves typing for the results (so single-letter keys work), and comes back."""
        if self.focused is self.search_bar and self.results_list.hits:
            self.results_list.focus()
        else:
            self.search_bar.focus()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.notify(f"Sorted by {self.sort}", timeout=1.5)
        self.request_search(debounce=False)

    def action_toggle_stories(self) -> None:
        """One hit per story, or every article its own hit; kept for the session (a
        saved search does not store it). The highlighted hit stays highlighted, or its
        story's hit when it was a copy folded away."""
        self.fold = not self.fold
        self.notify("One hit per story" if self.fold else "Every article its own hit", timeout=1.5)
        self.rerun()

    def action_clear_filters(self) -> None:
        self.query_one(FacetSidebar).clear()

    def action_take_suggestion(self) -> None:
        if self.results and self.results.suggestion:
            self.set_query(self.results.suggestion)

    def set_query(self, text: str) -> None:
        """Put a query in the bar and search it now (no debounce: the user did not type it)."""
        bar = self.search_bar
        with bar.prevent(Input.Changed):
            bar.value = text
            bar.cursor_position = len(text)
        self.query_text = text
        self.request_search(debounce=False)

    def apply(self, saved: SavedSearch) -> None:
        """Reopen a saved search: its query, filters and sort, all at once."""
        self.filters = saved.filters
        self.sort = saved.sort
        self.query_one(FacetSidebar).set_filters(saved.filters)
        self.set_query(saved.query)
        self.notify(f"Saved search “{printable(saved.name)}”", timeout=2, markup=False)

    def current_search(self, name: str) -> SavedSearch:
        return SavedSearch(name=name, query=self.query_text, filters=self.filters, sort=self.sort)

    def action_save_search(self) -> None:
        from tui.screens.saved import NameScreen

        def saved(name: str | None) -> None:
            if name:
                self.app.saved.put(self.current_search(name))
                self.notify(f"Saved “{printable(name)}”", timeout=2, markup=False)

        self.app.push_screen(NameScreen("Save this search as", self._default_name()), saved)

    def _default_name(self) -> str:
        name = self.query_text.strip() or "all articles"
        if self.filters.outlets:
            name += " · " + ", ".join(self.filters.outlets)
        if self.filters.since and self.filters.until:
            name += f" · {self.filters.since:%b %Y}"
            if key_bounds(f"{self.filters.since:%Y-%m}")[1] != self.filters.until:
                name += f"–{self.filters.until:%b %Y}"
        return name

    def action_toggle_share(self) -> None:
        """Outlet counts, or each outlet's matches as a share of all its articles."""
        self.query_one(FacetSidebar).toggle_share()

    def action_terms(self) -> None:
        """The distinctive terms of the query's matches; the one chosen joins the query."""
        from tui.screens.terms import TermsScreen

        def chosen(term: str | None) -> None:
            if term:
                query = self.query_text.rstrip()
                self.set_query(f"{query} {term}" if query else term)

        total = self.results.total if self.results is not None else None
        self.app.push_screen(TermsScreen(self.query_text, self.filters, total), chosen)

    def action_export(self) -> None:
        """Every hit of the search on screen to a .csv or .jsonl file, named by the user."""
        from tui.screens.saved import NameScreen

        query, filters, sort = self.query_text, self.filters, self.sort
        total = self.results.total if self.results is not None else None

        def chosen(name: str | None) -> None:
            if name:
                self._export(query, filters, sort, Path(name).expanduser(), total)

        self.app.push_screen(
            NameScreen(
                f"Export {plural(total, 'hit') if total is not None else 'the hits'} "
                "to a .csv or .jsonl file",
                export_name(query),
                "Enter to export · Esc to cancel",
            ),
            chosen,
        )

    @work(thread=True, group="export", exit_on_error=False)
    def _export(
        self, query: str, filters: Filters, sort: Sort, path: Path, total: int | None
    ) -> None:
        """Written by the engine thread's export engine: searches go on meanwhile."""
        shown = printable(str(path))
        if path.exists():  # said here: the engine's message names a command-line option
            self._notify_error(f"{shown} exists: choose another name")
            return
        hits = plural(total, "hit") if total is not None else "the hits"
        # On a thread and an engine of its own (EngineThread.export): searching goes on.
        self.app.call_from_thread(
            self.notify, f"Exporting {hits} to {shown}…", timeout=3, markup=False
        )
        try:
            written = self.app.engine.export(query, filters, sort, path)
        except WartaError as err:
            self._notify_error(printable(str(err)))
            return
        where = printable(str(path.resolve()))
        self.app.call_from_thread(
            self.notify, f"Wrote {plural(written, 'hit')} to {where}", timeout=6, markup=False
        )

    def _notify_error(self, message: str) -> None:
        self.app.call_from_thread(self.notify, message, severity="error", timeout=8, markup=False)

    def action_saved_searches(self) -> None:
        from tui.screens.saved import SavedScreen

        def chosen(saved: SavedSearch | None) -> None:
            if saved is not None:
                self.apply(saved)

        self.app.push_screen(SavedScreen(self.app.saved), chosen)

    def action_open_saved(self, index: int) -> None:
        items = self.app.saved.items
        if 0 <= index < len(items):
            self.apply(items[index])
        else:
            self.notify(f"No saved search {index + 1}", severity="warning", timeout=2)

    def rerun(self) -> None:
        """Search again with everything as it is (the index changed underneath)."""
        current = self.results_list.current
        self.request_search(debounce=False, keep=(current.id, current.story) if current else None)

    def with_filters(self, **changes: object) -> None:
        """Change filters from a command (palette) as if picked in the sidebar."""
        self.filters = replace(self.filters, **changes)  # type: ignore[arg-type]
        self.query_one(FacetSidebar).set_filters(self.filters)
        self.request_search(debounce=False)


def hit_count(results: SearchResults) -> int:
    """How many hits a search has in all: its stories when folded, else its articles."""
    return results.stories if results.stories is not None else results.total


def _find(hits: list[Hit], hit_id: str, story: str | None) -> int | None:
    """The index of the hit `hit_id`, else of a hit of the same story, else None."""
    for i, hit in enumerate(hits):
        if hit.id == hit_id:
            return i
    if story is not None:
        for i, hit in enumerate(hits):
            if hit.story == story:
                return i
    return None


def export_name(query: str) -> str:
    """The file an export offers: `warta-korea-utara.csv` in the current directory."""
    words = "".join(c if c.isalnum() else " " for c in query.lower()).split()
    stem = "-".join(words)[:40].strip("-") or "all"
    return f"warta-{stem}.csv"
