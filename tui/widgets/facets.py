"""The facet sidebar: outlets (several at once), years opening into months, "no date", and
languages when the archive holds more than one.

It owns the filter choices and says when they change with one message; the screen decides
what to search. Counts come from the last results and are redrawn in place, keeping the
cursor on the same outlet or month, so toggling one does not send the user back to the top.
The outlets can show, instead of counts, each outlet's matches as a share of all its
articles in the archive (a big outlet's many matches may be a small part of what it wrote).
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Label, SelectionList, Tree
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection
from textual.widgets.tree import TreeNode

from search.models import Facets, Filters
from tui.format import language_name, month_label

UNKNOWN_OUTLET = "(unknown)"  # the engine's facet key for articles with no known outlet
DateKey = str  # "2023" for a year, "2023-11" for a month


def key_bounds(key: DateKey) -> tuple[date, date]:
    """First and last day a year or month key covers (both inclusive)."""
    year = int(key[:4])
    if len(key) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(key[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


class DateTree(Tree[DateKey]):
    """Years that open into months. Enter picks one; `e` stretches the pick into a range."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "extend", "Extend range", id="warta.facets.extend_range"),
        Binding("j", "cursor_down", "Down", show=False, id="warta.facets.down"),
        Binding("k", "cursor_up", "Up", show=False, id="warta.facets.up"),
    ]

    class Extend(Message):
        """The user asked to stretch the date range to the node under the cursor."""

        def __init__(self, key: DateKey) -> None:
            super().__init__()
            self.key = key

    def action_extend(self) -> None:
        node = self.cursor_node
        if node is not None and node.data:
            self.post_message(self.Extend(node.data))


class OutletList(SelectionList[str]):
    """Outlets with counts; space or Enter toggles one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="warta.facets.outlet_down"),
        Binding("k", "cursor_up", "Up", show=False, id="warta.facets.outlet_up"),
    ]


class LanguageList(SelectionList[str]):
    """Languages with counts; shown only when the archive holds more than one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="warta.facets.language_down"),
        Binding("k", "cursor_up", "Up", show=False, id="warta.facets.language_up"),
    ]


class FacetSidebar(VerticalScroll, can_focus=False):
    """Outlet and date filters over the current query, with counts for the whole result set."""

    class Changed(Message):
        """The filters the user picked changed."""

        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = Filters()
        self.date_keys: tuple[DateKey, DateKey] | None = None
        self._names: dict[str, str] = {}
        self._totals: dict[str, int] = {}
        self._facets: Facets | None = None
        self.share = False  # outlets as a share of each outlet's articles, not counts
        self._expanded: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Label(self._outlets_title(), classes="facet-title", id="outlets-title")
        yield OutletList(id="outlets")
        yield Label("Dates", classes="facet-title")
        tree: DateTree = DateTree("dates", id="dates")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Checkbox("no date", value=True, id="undated", compact=True)
        yield Label("Languages", classes="facet-title", id="languages-title")
        yield LanguageList(id="languages")
        yield Button("Clear filters", id="clear-filters", compact=True)

    # -- showing counts ------------------------------------------------------------------

    def show(
        self,
        facets: Facets,
        names: dict[str, str] | None = None,
        totals: dict[str, int] | None = None,
    ) -> None:
        """Redraw the counts for a new result set, keeping choices and cursor positions.
        `totals`: each outlet's articles in the whole archive (for the share view)."""
        if names:
            self._names.update(names)
        if totals is not None:
            self._totals = totals
        self._facets = facets
        self._show_outlets(facets)
        self._show_dates(facets)
        self._show_languages(facets)
        box = self.query_one("#undated", Checkbox)
        box.label = Content(f"no date ({facets.no_date:,})")

    def toggle_share(self) -> None:
        """Switch the outlets between counts and shares of each outlet's articles."""
        self.share = not self.share
        self.query_one("#outlets-title", Label).update(self._outlets_title())
        if self._facets is not None:
            self._show_outlets(self._facets)

    def _outlets_title(self) -> str:
        return "Outlets · % of its articles" if self.share else "Outlets · count"

    def share_of(self, key: str, count: int) -> float | None:
        """`count` as a share of the outlet's articles under the date filter (the whole
        archive without one); None: it has none."""
        total = self._totals.get(key, 0)
        return count / total if total > 0 else None

    def _show_outlets(self, facets: Facets) -> None:
        outlets = self.query_one(OutletList)
        chosen = set(self.filters.outlets)
        counts = dict(facets.outlet)
        for key in chosen:
            counts.setdefault(key, 0)
        if self.share:
            shares = {k: self.share_of(k, counts[k]) for k in counts}
            order = sorted(counts, key=lambda k: (shares[k] is None, -(shares[k] or 0.0), k))
        else:
            order = sorted(counts, key=lambda k: (-counts[k], k))
        cursor = outlets.highlighted
        at = outlets.get_option_at_index(cursor).id if cursor is not None else None
        with outlets.prevent(SelectionList.SelectedChanged):
            outlets.clear_options()
            outlets.add_options(
                Selection(self._outlet_prompt(k, counts[k]), k, k in chosen, id=k) for k in order
            )
            if at in counts:
                outlets.highlighted = order.index(at)
            elif order and cursor is not None:
                outlets.highlighted = min(cursor, len(order) - 1)

    def _outlet_prompt(self, key: str, count: int) -> Content:
        name = self._names.get(key) or ("unknown outlet" if key == UNKNOWN_OUTLET else key)
        figure = percent(self.share_of(key, count)) if self.share else f"{count:,}"
        return Content.assemble(name, " ", (figure, "$text-muted"))

    def _show_languages(self, facets: Facets) -> None:
        """The language list, only where there is a choice to make: a one-language
        archive (most) keeps the sidebar as it was."""
        languages = self.query_one(LanguageList)
        chosen = set(self.filters.languages)
        counts = dict(facets.language)
        for code in chosen:
            counts.setdefault(code, 0)
        visible = bool(chosen) or len(counts) > 1 or bool(set(counts) - {"id"})
        languages.display = visible
        self.query_one("#languages-title", Label).display = visible
        if not visible:
            return
        order = sorted(counts, key=lambda k: (-counts[k], k))
        with languages.prevent(SelectionList.SelectedChanged):
            languages.clear_options()
            languages.add_options(
                Selection(
                    Content.assemble(
                        language_name(code), " ", (f"{counts[code]:,}", "$text-muted")
                    ),
                    code,
                    code in chosen,
                    id=f"lang-{code}",
                )
                for code in order
            )

    def _show_dates(self, facets: Facets) -> None:
        tree = self.query_one(DateTree)
        cursor = tree.cursor_node.data if tree.cursor_node is not None else None
        self._expanded = {
            n.data for n in tree.root.children if n.is_expanded and n.data
        } | self._expanded_from_filters()
        tree.clear()
        restore: TreeNode[DateKey] | None = None
        for year in sorted(facets.year, reverse=True):
            node = tree.root.add(
                self._date_label(year, facets.year[year]),
                data=year,
                expand=year in self._expanded,
            )
            if year == cursor:
                restore = node
            months = sorted((m for m in facets.month if m.startswith(year)), reverse=True)
            for month in months:
                leaf = node.add_leaf(self._date_label(month, facets.month[month]), data=month)
                if month == cursor:
                    restore = leaf
        if restore is not None:
            tree.move_cursor(restore)

    def _expanded_from_filters(self) -> set[str]:
        """Years holding a picked month stay open, so the pick stays in sight."""
        if not self.date_keys:
            return set()
        return {k[:4] for k in self.date_keys if len(k) > 4}

    def _date_label(self, key: DateKey, count: int) -> Text:
        # Tree labels are Rich Text (not Content), so plain styles here, not theme variables.
        text = key if len(key) == 4 else f"{month_label(key)} {key[:4]}"
        mark = "● " if self._date_chosen(key) else ""
        return Text.assemble((mark, "bold"), text, " ", (f"{count:,}", "dim"))

    def _date_chosen(self, key: DateKey) -> bool:
        if not self.date_keys:
            return False
        lo, hi = self.date_keys
        return lo <= key <= hi or (len(key) > 4 and key[:4] in (lo, hi))

    # -- user choices --------------------------------------------------------------------

    @on(SelectionList.SelectedChanged, "#outlets")
    def _outlets_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        chosen = tuple(sorted(event.selection_list.selected))
        self._set(replace(self.filters, outlets=chosen))

    @on(SelectionList.SelectedChanged, "#languages")
    def _languages_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        chosen = tuple(sorted(event.selection_list.selected))
        self._set(replace(self.filters, languages=chosen))

    @on(Tree.NodeSelected, "#dates")
    def _date_picked(self, event: Tree.NodeSelected[DateKey]) -> None:
        event.stop()
        key = event.node.data
        if not key:
            return
        if self.date_keys == (key, key):
            self.date_keys = None  # picking the one already picked clears it
        else:
            self.date_keys = (key, key)
        self._apply_dates()

    @on(DateTree.Extend)
    def _date_extended(self, event: DateTree.Extend) -> None:
        event.stop()
        if self.date_keys is None:
            self.date_keys = (event.key, event.key)
        else:
            keys = sorted([*self.date_keys, event.key], key=lambda k: key_bounds(k)[0])
            self.date_keys = (keys[0], keys[-1])
        self._apply_dates()

    def _apply_dates(self) -> None:
        if self.date_keys is None:
            since = until = None
        else:
            bounds = [key_bounds(k) for k in self.date_keys]
            since = min(b[0] for b in bounds)
            until = max(b[1] for b in bounds)
        self._set_dates(since, until)

    def pick_dates(self, since: date | None, until: date | None) -> None:
        """A date range picked elsewhere (the timeline: any days, weeks too), applied as
        if picked here; None, None drops the date filter."""
        self.date_keys = _keys_for(replace(self.filters, since=since, until=until))
        self._set_dates(since, until)  # the next results redraw the dates, marked

    def _set_dates(self, since: date | None, until: date | None) -> None:
        """Picking a period means articles of that period: undated ones leave with it (the
        "no date" box can bring them back); dropping the period brings them back too."""
        had_period = self.filters.since is not None or self.filters.until is not None
        undated = self.filters.include_undated
        if since is not None and not had_period:
            undated = False
        elif since is None and had_period:
            undated = True
        self._set_undated_box(undated)
        self._set(replace(self.filters, since=since, until=until, include_undated=undated))

    def _set_undated_box(self, value: bool) -> None:
        box = self.query_one("#undated", Checkbox)
        with box.prevent(Checkbox.Changed):
            box.value = value

    @on(Checkbox.Changed, "#undated")
    def _undated_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._set(replace(self.filters, include_undated=event.value))

    @on(Button.Pressed, "#clear-filters")
    def _clear_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.clear()

    def clear(self) -> None:
        """Drop every filter (the `c` key and the button)."""
        self.set_filters(Filters())
        self.post_message(self.Changed(self.filters))

    def set_filters(self, filters: Filters) -> None:
        """Adopt filters from elsewhere (a saved search) without announcing a change."""
        self.filters = filters
        self.date_keys = _keys_for(filters)
        outlets = self.query_one(OutletList)
        with outlets.prevent(SelectionList.SelectedChanged):
            outlets.deselect_all()
            for key in filters.outlets:
                if _has_option(outlets, key):
                    outlets.select(key)
        languages = self.query_one(LanguageList)
        with languages.prevent(SelectionList.SelectedChanged):
            languages.deselect_all()
            for code in filters.languages:
                if _has_option(languages, f"lang-{code}"):
                    languages.select(code)
        self._set_undated_box(filters.include_undated)

    def _set(self, filters: Filters) -> None:
        if filters != self.filters:
            self.filters = filters
            self.post_message(self.Changed(filters))


def percent(share: float | None) -> str:
    """A share as the sidebar shows it: `12%`, `3.4%`, `<0.1%`, `0%`, or `n/a`."""
    if share is None:
        return "n/a"
    pct = share * 100
    if pct == 0:
        return "0%"
    if pct < 0.1:
        return "<0.1%"
    if pct < 10:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def _has_option(outlets: SelectionList[str], key: str) -> bool:
    try:
        outlets.get_option(key)
    except OptionDoesNotExist:
        return False
    return True


def _keys_for(filters: Filters) -> tuple[DateKey, DateKey] | None:
    """Date keys for a saved range: whole months or years when it covers them exactly."""
    if filters.since is None or filters.until is None:
        return None

    def key(day: date, end: bool) -> DateKey:
        year_key, month_key = f"{day.year}", f"{day.year}-{day.month:02d}"
        bound = 1 if end else 0
        if key_bounds(year_key)[bound] == day:
            return year_key
        return month_key

    return key(filters.since, False), key(filters.until, True)
