"""Warta's terminal UI: search as you type, facet by outlet and date, read clean articles.

The app talks to `search.engine.Engine` and its dataclasses only; it never imports Whoosh.
It opens the index at start (or shows the welcome screen when there is none), and every two
seconds asks the engine whether another process rebuilt the index, searching again if so.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import get_current_worker

from index.errors import IndexMissingError, WartaError
from search.models import Filters, SearchResults
from tui.commands import WartaCommands
from tui.storage import History, SavedSearches, Settings

if TYPE_CHECKING:
    from tui.engine_thread import EngineThread

log = logging.getLogger(__name__)

REFRESH_EVERY_S = 2.0


class WartaApp(App[int]):
    """The app. `show_timing=False` hides the milliseconds (for snapshot tests)."""

    TITLE = "Warta"
    # Absolute, so subclasses defined elsewhere (tests, tools) still find it.
    CSS_PATH = Path(__file__).parent / "warta.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {WartaCommands}
    COMMAND_PALETTE_DISPLAY = "^p"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="warta.quit"),
        Binding("question_mark", "help", "Help", id="warta.help"),
        Binding("f1", "help", "Help", show=False, priority=True, id="warta.help_anywhere"),
        Binding("ctrl+t", "toggle_dark_light", "Theme", show=False, id="warta.theme"),
    ]

    class ResultsShown(Message):
        """A search's results are on screen (tests and timing wait for this)."""

        def __init__(self, results: SearchResults) -> None:
            super().__init__()
            self.results = results

    def __init__(self, index_dir: Path, *, show_timing: bool = True) -> None:
        super().__init__()
        self.index_dir = Path(index_dir)
        self.show_timing = show_timing
        self.engine: EngineThread | None = None  # type: ignore[assignment]
        self.history = History()
        self.saved = SavedSearches()
        self.settings = Settings.load()
        self._refreshing = False
        self._names: dict[str, str] = {}
        self._dated_totals: dict[tuple[object, ...], dict[str, int]] = {}
        self._totals: dict[str, int] = {}
        self._names_token: object = None

    # -- start ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        try:
            self.open_engine()
        except WartaError as err:
            from tui.screens.welcome import WelcomeScreen

            reason = None if isinstance(err, IndexMissingError) else str(err)
            self.push_screen(WelcomeScreen(self.index_dir, reason))
            return
        self.show_search()

    def open_engine(self) -> None:
        """Open the index; raises IndexMissingError (or another WartaError) when it cannot."""
        from tui.engine_thread import EngineThread

        if self.engine is not None:
            self.engine.close()
        self.engine = EngineThread(self.index_dir)

    def on_unmount(self) -> None:
        if self.engine is not None:
            self.engine.close()

    def outlet_names(self) -> dict[str, str]:
        """Display names by outlet key, read once per opened index (called from workers).

        The facet counts name outlets by key; the sidebar should say "Bisnis.com" for every
        outlet, not only for those that happen to be on the first page of hits.
        """
        self._read_outlets()
        return self._names

    def outlet_totals(self, filters: Filters | None = None) -> dict[str, int]:
        """Articles per outlet key under the date filter of `filters` (the whole archive
        without one): the sidebar's share view divides each outlet's matches by these,
        so a share in 2023 is of the outlet's 2023 articles. Kept per date filter."""
        self._read_outlets()
        if filters is None or (
            filters.since is None and filters.until is None and filters.include_undated
        ):
            return self._totals
        engine = self.engine
        key = (
            engine.token if engine else None,
            filters.since,
            filters.until,
            filters.include_undated,
        )
        if key not in self._dated_totals:
            if len(self._dated_totals) > 32:
                self._dated_totals.clear()
            try:
                self._dated_totals[key] = engine.outlet_counts(filters) if engine else {}
            except WartaError:
                return self._totals
        return self._dated_totals[key]

    def _read_outlets(self) -> None:
        engine = self.engine
        if engine is None:
            self._names, self._totals = {}, {}
            return
        token = engine.token
        if token != self._names_token or not (self._names or self._totals):
            try:
                stats = engine.stats()
            except WartaError:
                stats = {}
            names = stats.get("outlet_names") or {}
            self._names = {str(k): str(v) for k, v in names.items() if v}
            self._totals = {str(k): int(v) for k, v in (stats.get("outlets") or {}).items()}
            self._names_token = token

    def show_search(self) -> None:
        """Put the search screen up (from the start, or once the welcome screen has built)."""
        from tui.screens.main import MainScreen

        if len(self.screen_stack) > 1:
            self.switch_screen(MainScreen())
        else:
            self.push_screen(MainScreen())
        self.set_interval(REFRESH_EVERY_S, self._check_index, name="index-refresh")

    # -- an index rebuilt elsewhere ------------------------------------------------------

    def _check_index(self) -> None:
        if self.engine is not None and not self._refreshing:
            self._refreshing = True
            self._refresh()

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh(self) -> None:
        worker = get_current_worker()
        try:
            changed = self.engine is not None and self.engine.refresh()
        except WartaError as err:
            log.info("index refresh failed: %s", err)
            changed = False
        finally:
            self._refreshing = False
        if changed and not worker.is_cancelled:
            self.call_from_thread(self._index_changed)

    def _index_changed(self) -> None:
        from tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.rerun()
        self.notify("The index was rebuilt: results updated.", timeout=3)

    # -- keys ----------------------------------------------------------------------------

    def key_for(self, binding_id: str) -> str:
        """How the key bound to `binding_id` is shown, after the user's keymap."""
        keys = self._keymap.get(binding_id) if self._keymap else None
        if keys is None:
            binding = _all_bindings().get(binding_id)
            if binding is None:
                return "?"
            keys = binding.key
        first = keys.split(",")[0].strip()
        return self.get_key_display(Binding(first, ""))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_dark_light(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.settings.theme:
            self.settings.theme = theme
            self.settings.save()


def _all_bindings() -> dict[str, Binding]:
    """Every Warta binding by id, for help texts that name keys."""
    from tui.screens.help import HelpScreen
    from tui.screens.main import MainScreen
    from tui.screens.reader import ReaderScreen
    from tui.screens.saved import SavedScreen
    from tui.screens.terms import TermsScreen
    from tui.widgets.facets import DateTree
    from tui.widgets.results import ResultsList
    from tui.widgets.search_bar import SearchBar
    from tui.widgets.timeline import Timeline

    found: dict[str, Binding] = {
        "warta.palette": Binding(WartaApp.COMMAND_PALETTE_BINDING, "command_palette"),
    }
    for owner in (
        WartaApp,
        MainScreen,
        ReaderScreen,
        SavedScreen,
        TermsScreen,
        HelpScreen,
        ResultsList,
        SearchBar,
        DateTree,
        Timeline,
    ):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found[binding.id] = binding
    return found


def run(index_dir: Path) -> int:
    """Open the UI over `index_dir` (what `warta` and `warta tui` call); the exit status."""
    app = WartaApp(index_dir)
    result = app.run()
    return result if isinstance(result, int) else 0
