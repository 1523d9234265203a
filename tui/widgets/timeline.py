"""The timeline above the results: the query's matches per period over the archive's span.

The bars are Textual's `Sparkline`, one cell a period when they fit (squeezed into the
width, each cell the busiest of its periods, when they do not). Under them one line names
the first and the last period and marks the stretch the date filter covers, or the one
being picked. Focused, ←/→ move a cursor over the periods, shift+←/→ stretch a
selection and Enter asks for it as the date filter (the screen applies it the way the
sidebar's dates are applied); Enter on the stretch already applied drops it.

The counts lift the date filter (the bars show where else the query lives) and keep the
outlet filter; the screen computes them after each search's results are on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from search.trend import Interval, next_period
from tui.format import plural

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_label(start: date, interval: Interval) -> str:
    """`2023`, `Nov 2023`, `6 Nov 2023` (a week is named by its Monday)."""
    if interval == "year":
        return f"{start.year}"
    if interval == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"


def stretch_label(first: date, last: date, interval: Interval) -> str:
    """The periods first..last (their starts) as one label."""
    if first == last:
        return ("week of " if interval == "week" else "") + period_label(first, interval)
    return f"{period_label(first, interval)} – {period_label(last, interval)}"


def last_day(start: date, interval: Interval) -> date:
    """The last day of the period starting on `start`."""
    return next_period(start, interval) - timedelta(days=1)


def zero_based(counts: list[int]) -> list[int]:
    """The Sparkline's data for bars that rise from zero.

    The Sparkline scales its bars from the smallest value to the largest: a query found
    500 to 600 times a month would look like one that comes and goes. Each count goes in
    as the pair (0, count): the smallest value is then 0, and as the widget splits the
    values into one bucket per cell and draws each bucket's max, the pair draws as the
    count, one cell a period (or the busiest of several, squeezed).
    """
    return [v for n in counts for v in (0, n)]


def cells_of(n: int, width: int) -> list[int]:
    """The cell each of n periods is drawn in, on bars `width` cells wide."""
    if n <= width:
        return list(range(n))
    # The Sparkline splits its 2n values (zero_based) into `width` buckets, bucket b from
    # int(b * 2n / width) on; a period is drawn where its count, value 2i + 1, falls.
    cell_of = [0] * n
    for b in range(width):
        for v in range(b * 2 * n // width, (b + 1) * 2 * n // width):
            if v % 2:
                cell_of[v // 2] = b
    return cell_of


@dataclass
class TimelineData:
    """What the bars show: one query's matches per period, the date filter lifted."""

    query: str
    interval: Interval
    periods: list[date]  # each period's first day, the archive's whole span
    counts: list[int]
    undated: int = 0


class TimelineSide(Static):
    """Beside the bars: the figures, or (focused) the period under the cursor."""


class TimelineAxis(Widget):
    """The line under the bars: first and last period, the stretch marked as a band."""

    DEFAULT_CSS = """
    TimelineAxis { height: 1; }
    """

    def render(self) -> RenderResult:
        timeline = self.parent
        if not isinstance(timeline, Timeline):
            return ""
        return timeline.axis_line()


class Timeline(Widget, can_focus=True):
    """Matches per period; pick a stretch of periods to filter the dates."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Earlier", show=False, id="warta.timeline.earlier"),
        Binding("right", "move(1)", "Later", show=False, id="warta.timeline.later"),
        Binding(
            "shift+left", "stretch(-1)", "Stretch earlier", show=False, id="warta.timeline.stretch"
        ),
        Binding(
            "shift+right", "stretch(1)", "Stretch later", show=False, id="warta.timeline.stretch_on"
        ),
        Binding("home", "jump(0)", "First period", show=False, id="warta.timeline.first"),
        Binding("end", "jump(-1)", "Last period", show=False, id="warta.timeline.last"),
        Binding("enter", "pick", "Filter dates", id="warta.timeline.pick"),
        Binding("escape", "drop", "Drop stretch", show=False, id="warta.timeline.drop"),
    ]

    class Picked(Message):
        """The user asked for this date filter (None, None: drop the date filter)."""

        def __init__(self, since: date | None, until: date | None) -> None:
            super().__init__()
            self.since = since
            self.until = until

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data: TimelineData | None = None
        self.cursor: int | None = None
        self.anchor: int | None = None  # the other end of a stretch being picked
        self.since: date | None = None  # the date filter in force
        self.until: date | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="timeline-row"):
            yield Sparkline([], id="timeline-bars")
            yield TimelineSide(id="timeline-side")
        yield TimelineAxis(id="timeline-axis")

    # -- data ----------------------------------------------------------------------------

    def show(self, data: TimelineData, since: date | None, until: date | None) -> None:
        """New counts; the cursor and a stretch being picked stay if the axis is the same."""
        old = self.data
        if old is None or old.periods != data.periods:
            self.cursor = self.anchor = None
        self.data = data
        self.since, self.until = since, until
        bars = self.query_one("#timeline-bars", Sparkline)
        bars.styles.width = max(1, len(data.periods))
        bars.data = zero_based(data.counts)
        self.remove_class("-empty")
        self._redraw()

    @property
    def applied(self) -> tuple[int, int] | None:
        """The periods the date filter touches (first, last index), if any."""
        data = self.data
        if data is None or (self.since is None and self.until is None):
            return None
        inside = [
            i
            for i, start in enumerate(data.periods)
            if (self.until is None or start <= self.until)
            and (self.since is None or last_day(start, data.interval) >= self.since)
        ]
        return (inside[0], inside[-1]) if inside else None

    @property
    def selection(self) -> tuple[int, int] | None:
        """The stretch being picked (anchor..cursor), else the cursor alone."""
        if self.cursor is None:
            return None
        if self.anchor is None:
            return self.cursor, self.cursor
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    # -- keys ----------------------------------------------------------------------------

    def _start(self) -> int | None:
        """Where the cursor starts: the filter's first period, else the latest one."""
        if self.data is None or not self.data.periods:
            return None
        applied = self.applied
        return applied[0] if applied else len(self.data.periods) - 1

    def _clamp(self, i: int) -> int:
        assert self.data is not None
        return max(0, min(len(self.data.periods) - 1, i))

    def action_move(self, step: int) -> None:
        if self.cursor is None:
            self.cursor = self._start()
        elif self.data is not None:
            self.cursor = self._clamp(self.cursor + step)
        self.anchor = None
        self._redraw()

    def action_stretch(self, step: int) -> None:
        if self.cursor is None:
            self.cursor = self._start()
            if self.cursor is None:
                return
        if self.anchor is None:
            self.anchor = self.cursor
        self.cursor = self._clamp(self.cursor + step)
        self._redraw()

    def action_jump(self, where: int) -> None:
        if self.data is None or not self.data.periods:
            return
        self.cursor = self._clamp(where if where >= 0 else len(self.data.periods) + where)
        self.anchor = None
        self._redraw()

    def action_pick(self) -> None:
        data = self.data
        if self.cursor is None:
            self.cursor = self._start()
        chosen = self.selection
        if data is None or chosen is None:
            return
        since = data.periods[chosen[0]]
        until = last_day(data.periods[chosen[1]], data.interval)
        self.anchor = None
        if (since, until) == (self.since, self.until):
            self.post_message(self.Picked(None, None))  # picking it again drops it
        else:
            self.post_message(self.Picked(since, until))
        self._redraw()

    def action_drop(self) -> None:
        self.anchor = None
        self._redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drop":
            return self.anchor is not None  # else Esc is the screen's (back to search)
        return True

    def on_focus(self) -> None:
        if self.cursor is None:
            self.cursor = self._start()
        self._redraw()

    def on_blur(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    # -- drawing -------------------------------------------------------------------------

    def _redraw(self) -> None:
        if not self.is_mounted:
            return
        self.query_one(TimelineSide).update(self._side())
        self.query_one(TimelineAxis).refresh()
        self.refresh_bindings()

    def _side(self) -> Content:
        data = self.data
        if data is None:
            return Content("")
        muted = "$text-muted"
        if self.has_focus and self.cursor is not None:
            at = data.periods[self.cursor]
            first = Content.assemble(
                (stretch_label(at, at, data.interval), "bold"),
                ": ",
                plural(data.counts[self.cursor], "article"),
            )
            chosen = self.selection
            if chosen is not None and chosen[0] != chosen[1]:
                lo, hi = chosen
                n = sum(data.counts[lo : hi + 1])
                second = Content.assemble(
                    (stretch_label(data.periods[lo], data.periods[hi], data.interval), "bold"),
                    f": {plural(n, 'article')} · Enter filters",
                )
            else:
                second = Content.styled("←→ move · shift stretches · Enter filters", muted)
            return Content("\n").join([first, second])
        total = sum(data.counts)
        if not total:
            first = Content.styled("no dated article matches", muted)
        else:
            peak = max(range(len(data.counts)), key=data.counts.__getitem__)
            first = Content.styled(
                f"per {data.interval} · peak {data.counts[peak]:,} "
                f"({period_label(data.periods[peak], data.interval)})",
                muted,
            )
        if data.undated:
            first = Content.assemble(first, (f" · {data.undated:,} undated", muted))
        applied = self.applied
        if applied is not None:
            lo, hi = applied
            second = Content.assemble(
                ("dates: ", muted),
                stretch_label(data.periods[lo], data.periods[hi], data.interval),
            )
        else:
            second = Content("")
        return Content("\n").join([first, second])

    def _cells(self) -> tuple[int, list[int]]:
        """How wide the bars are drawn, and the cell each period falls in."""
        assert self.data is not None
        n = len(self.data.periods)
        width = self.query_one("#timeline-bars", Sparkline).size.width or n
        return min(n, width), cells_of(n, width)

    def axis_line(self) -> Content:
        data = self.data
        if data is None or not data.periods:
            return Content("")
        width, cell_of = self._cells()
        left = period_label(data.periods[0], data.interval)
        right = period_label(data.periods[-1], data.interval)
        if len(data.periods) == 1:
            text = left
        elif len(left) + len(right) + 1 <= width:
            text = left + " " * (width - len(left) - len(right)) + right
        else:
            text = f"{left} – {right}"
        text = text.ljust(width)
        content = Content(text).stylize("$text-muted")
        # The stretch being picked, else the date filter in force; and the cursor.
        band = self.selection if self.anchor is not None else self.applied
        if band is not None:
            lo, hi = cell_of[band[0]], cell_of[band[1]]
            content = content.stylize("$text on $accent 50%", lo, hi + 1)
        if self.has_focus and self.cursor is not None:
            at = cell_of[self.cursor]
            if text[at] == " ":
                content = Content.assemble(content[:at], "▲", content[at + 1 :])
            content = content.stylize("bold $text-accent reverse", at, at + 1)
        return content

    def clear(self) -> None:
        """No counts to show (the query cannot be counted)."""
        self.data = None
        self.cursor = self.anchor = None
        if self.is_mounted:
            self.query_one("#timeline-bars", Sparkline).data = []
            self._redraw()
