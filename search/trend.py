"""Attention over time: matching articles per interval, per outlet, as counts or shares.

Counting reads no stored article: every document's publication day is one integer read
once from the `published` column (`DocSets.days`), its outlet one key of the outlet
partition, so a trend is a `Counter` over the matched set: a few milliseconds for tens of
thousands of matches. Days are the article's own calendar day in its zone (WIB, WITA,
WIT), as the reader sees it, not UTC.

Empty intervals are rows with a zero count, never left out: a chart of attention with the
quiet weeks removed lies. Undated articles are counted apart. With `normalize`, each
count is divided by all the archive's articles of that outlet (or of the archive) in that
interval, Media Cloud's "share of coverage"; where that is zero the share is None ("n/a").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, get_args

Interval = Literal["day", "week", "month", "year"]
INTERVALS: tuple[Interval, ...] = get_args(Interval)

#: Most periods an automatically chosen interval may give (a chart's width, a screen's rows).
AUTO_MAX_PERIODS = 60


@dataclass
class TrendRow:
    """One cell of the table: a query's matches in one period (and outlet)."""

    query: str
    period: date  # the interval's first day
    count: int
    outlet: str | None = None  # with by outlet
    share: float | None = None  # with normalize; None where the denominator is zero


@dataclass
class Trend:
    """A trend table and what it was counted over."""

    queries: list[str]
    interval: Interval
    by_outlet: bool
    normalized: bool
    periods: list[date]
    rows: list[TrendRow]
    #: query → matching articles without a date (counted apart, never in a period)
    undated: dict[str, int] = field(default_factory=dict)
    #: query → every match (dated in range, undated and dated outside the range)
    matched: dict[str, int] = field(default_factory=dict)
    outlets: list[str] = field(default_factory=list)


def period_of(day: date, interval: Interval) -> date:
    """The first day of the interval holding `day` (weeks start on Monday, ISO 8601)."""
    if interval == "day":
        return day
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, interval: Interval) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def periods_between(first: date, last: date, interval: Interval) -> list[date]:
    """Every period from the one holding `first` to the one holding `last`."""
    out: list[date] = []
    p, end = period_of(first, interval), period_of(last, interval)
    while p <= end:
        out.append(p)
        p = next_period(p, interval)
    return out


def auto_interval(first: date, last: date) -> Interval:
    """The finest interval that gives at most AUTO_MAX_PERIODS periods over the span."""
    for interval in INTERVALS:
        if len(periods_between(first, last, interval)) <= AUTO_MAX_PERIODS:
            return interval
    return "year"


def day_span(days: Sequence[int], docs: Iterable[int]) -> tuple[date, date] | None:
    """The first and last publication day among `docs` (0 in `days` means undated)."""
    dated = [days[d] for d in docs if days[d]]
    if not dated:
        return None
    return date.fromordinal(min(dated)), date.fromordinal(max(dated))


class PeriodKeys:
    """Day ordinal → period, memoised: an archive has a few thousand distinct days."""

    def __init__(self, interval: Interval) -> None:
        self.interval = interval
        self._of: dict[int, date] = {}

    def __call__(self, ordinal: int) -> date:
        p = self._of.get(ordinal)
        if p is None:
            p = self._of[ordinal] = period_of(date.fromordinal(ordinal), self.interval)
        return p


def count_by_day(
    docs: Iterable[int], days: Sequence[int], outlet_of: Sequence[str | None] | None
) -> Counter:
    """Matches per (outlet or None, day ordinal); undated documents under day 0."""
    if outlet_of is None:
        return Counter((None, days[d]) for d in docs)
    return Counter((outlet_of[d], days[d]) for d in docs)


def fold(
    by_day: Counter, keys: PeriodKeys, first: date, last: date
) -> tuple[Counter, dict[str | None, int]]:
    """Day counts folded into periods within [first, last]; and the undated per outlet."""
    lo, hi = first.toordinal(), last.toordinal()
    out: Counter = Counter()
    undated: dict[str | None, int] = {}
    for (outlet, day), n in by_day.items():
        if not day:
            undated[outlet] = undated.get(outlet, 0) + n
        elif lo <= day <= hi:
            out[(outlet, keys(day))] += n
    return out, undated


def tabulate(
    matched: dict[str, Iterable[int]],
    days: Sequence[int],
    outlet_of: Sequence[str | None] | None,
    *,
    since: date | None,
    until: date | None,
    interval: Interval | None,
    normalize_over: Iterable[int] | None = None,
) -> Trend:
    """The trend table of each query's matched documents.

    `outlet_of` given: one row per query, outlet and period. The span is since..until
    where given, else the span of the matches' days. `normalize_over`: the documents
    whose counts are the denominators (the archive under the same filters).
    """
    by_day = {q: count_by_day(docs, days, outlet_of) for q, docs in matched.items()}
    span = _span(by_day, since, until)
    queries = list(matched)
    trend = Trend(
        queries=queries,
        interval=interval or "month",
        by_outlet=outlet_of is not None,
        normalized=normalize_over is not None,
        periods=[],
        rows=[],
        matched={q: sum(c.values()) for q, c in by_day.items()},
    )
    if span is None:  # no dated match at all: only the undated counts
        trend.undated = {q: sum(n for (_, d), n in c.items() if not d) for q, c in by_day.items()}
        return trend
    first, last = span
    trend.interval = interval or auto_interval(first, last)
    # Whole periods, unless the user cut them: a month's count (and its share) covers the
    # whole month, not the days from its first match on.
    if since is None:
        first = period_of(first, trend.interval)
    if until is None:
        last = next_period(period_of(last, trend.interval), trend.interval) - timedelta(days=1)
    keys = PeriodKeys(trend.interval)
    trend.periods = periods_between(first, last, trend.interval)
    folded = {}
    for q, counts in by_day.items():
        folded[q], undated = fold(counts, keys, first, last)
        trend.undated[q] = sum(undated.values())
    outlets: list[str | None] = [None]
    if outlet_of is not None:
        seen = Counter()
        for counts in folded.values():
            for (outlet, _), n in counts.items():
                seen[outlet] += n
        outlets = sorted(seen, key=lambda o: (-seen[o], o or ""))
        trend.outlets = [o or "" for o in outlets]
    base: Counter | None = None
    if normalize_over is not None:
        base, _ = fold(count_by_day(normalize_over, days, outlet_of), keys, first, last)
    for q in queries:
        for outlet in outlets:
            for p in trend.periods:
                n = folded[q].get((outlet, p), 0)
                row = TrendRow(q, p, n, outlet)
                if base is not None:
                    total = base.get((outlet, p), 0)
                    row.share = n / total if total else None
                trend.rows.append(row)
    return trend


def _span(
    by_day: dict[str, Counter], since: date | None, until: date | None
) -> tuple[date, date] | None:
    """since..until; where one is open, the matches' first or last day within the other."""
    lo = since.toordinal() if since else None
    hi = until.toordinal() if until else None
    seen = [
        day
        for counts in by_day.values()
        for (_, day) in counts
        if day and (lo is None or day >= lo) and (hi is None or day <= hi)
    ]
    if not seen and (lo is None or hi is None):
        return None
    first = lo if lo is not None else min(seen)
    last = hi if hi is not None else max(seen)
    return date.fromordinal(first), date.fromordinal(last)
