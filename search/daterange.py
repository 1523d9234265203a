"""Dates as users type them in queries and options: `2023`, `2023-11`, `2023-11-09`.

A partial date stands for its whole period: `since:2023-11` starts on 1 November,
`until:2023-11` ends on 30 November at midnight. They are read here, not by Whoosh's own
date plugin, which reads `2023-05-12` as the whole of 2023; a range is then a slice of the
day column (search.facets), not a Whoosh query.

Published times are stored as the naive wall-clock time the page prints, so these bounds
are naive too: "since 2023-11-09" means the dates readers see on the pages.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from search.errors import QueryError

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


@dataclass(frozen=True)
class Period:
    """The first and last day a typed date covers."""

    first: date
    last: date


def parse_period(text: str) -> Period:
    """`2023` → all of 2023; `2023-11` → November; `2023-11-09` → that day."""
    m = _DATE.fullmatch(text.strip())
    if m is None:
        raise QueryError(f"not a date: '{text}' — use {FORMS}")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return Period(date(year, 1, 1), date(year, 12, 31))
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last))
        d = date(year, month, day)
    except ValueError:
        raise QueryError(f"impossible date '{text}' — use {FORMS}") from None
    return Period(d, d)


@dataclass(frozen=True)
class DateBounds:
    """An inclusive range of days; None on a side means open."""

    since: date | None = None
    until: date | None = None

    def narrowed(self, since: date | None, until: date | None) -> DateBounds:
        """Both ranges at once: the later start and the earlier end."""
        new_since = max(d for d in (self.since, since) if d) if (self.since or since) else None
        new_until = min(d for d in (self.until, until) if d) if (self.until or until) else None
        return DateBounds(new_since, new_until)

    def check(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise QueryError(
                f"since {self.since.isoformat()} is after until {self.until.isoformat()}"
            )

    @property
    def is_open(self) -> bool:
        return self.since is None and self.until is None


def parse_range(text: str) -> DateBounds:
    """`date:` values: `2023-11` (that month), `2023-09..2023-11`, `2023-09..`, `..2023-11`."""
    if ".." not in text:
        p = parse_period(text)
        return DateBounds(p.first, p.last)
    left, _, right = text.partition("..")
    if not left and not right:
        raise QueryError(f"empty date range '{text}' — use e.g. 2023-09..2023-11")
    since = parse_period(left).first if left else None
    until = parse_period(right).last if right else None
    bounds = DateBounds(since, until)
    bounds.check()
    return bounds
