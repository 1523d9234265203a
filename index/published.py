"""When a page was published, when its markup and its visible byline disagree.

A saved page often states its time twice: for machines (`article:published_time`, JSON-LD
`datePublished`, an `itemprop` element) and for readers (the byline's "Selasa 16 Jun 2015,
14:05 WIB"). The markup is usually right to the second, but outlets get it wrong in two
known ways: a date with no time at all, and a wall time labelled with the wrong offset
(detik's `Z` that is really WIB, merdeka's `-07:00` for +07:00). Both show as a
disagreement with the visible byline of a whole number of hours, or of the time of day
alone, and in both the byline is what the newsroom meant.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

from index.dates import WIB, ZONES, ZONES_BY_OFFSET, find_date

_HAS_TIME = re.compile(r"\d[T ]?\d{1,2}[:.-]\d{2}|T\d{2}")


def declares_time(raw: str) -> bool:
    """Whether a declared date string carries a time of day ("2015-06-16" does not)."""
    value = raw.strip()
    if value.isdigit():
        return True  # Unix seconds
    if len(value) > 10 and value[4:5] == "-" and value[10:11] in ("T", " "):
        return True  # ISO 8601 with a time
    found = find_date(value)
    return found is not None and found.has_time


def is_trusted_offset(moment: datetime) -> bool:
    """An offset an Indonesian newsroom publishes in; anything else may be mislabelled."""
    return moment.utcoffset() in ZONES_BY_OFFSET


def zone_for(name: str | None) -> tzinfo:
    """The zone an outlet table entry names ("WITA"), WIB when it names none."""
    return ZONES.get((name or "").lower(), WIB)


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def reconcile(
    declared: datetime | None,
    declared_has_time: bool,
    visible: datetime | None,
    home: tzinfo = WIB,
) -> datetime | None:
    """The publication time to keep, shown in the page's own zone.

    The visible byline wins when the markup has no time of day, or when the two differ by
    a whole number of hours up to 14 while the minutes agree (a mislabelled offset).
    Otherwise the markup's instant stands. A time in UTC or another foreign offset is
    shown in the outlet's `home` zone (WIB unless the outlet table says otherwise): the
    instant is kept, the zone becomes the one readers of the outlet know.
    """
    visible_timed = visible is not None and (visible.hour, visible.minute) != (0, 0)
    chosen = declared
    if declared is None:
        chosen = visible
    elif visible is not None and visible_timed:
        local = declared.astimezone(visible.tzinfo)
        gap = abs(_to_minute(declared) - _to_minute(visible))
        if (not declared_has_time and local.date() == visible.date()) or (
            timedelta(0) < gap <= timedelta(hours=14)
            and gap % timedelta(hours=1) == timedelta(0)
            and (declared.hour, declared.minute) == (visible.hour, visible.minute)
        ):
            chosen = visible
    if chosen is None or chosen.tzinfo is None:
        return chosen
    if not is_trusted_offset(chosen):
        return chosen.astimezone(home if isinstance(home, timezone) else WIB)
    return chosen
