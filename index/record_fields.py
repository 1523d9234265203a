"""A scraper's row made whole: its time from split or mangled columns, a title it lacks.

Real exports are messier than their column names: the date in one column and the time in
another, dates that passed through Excel and came back as serial numbers (43747) and day
fractions (0.96875), day and month swapped on the way, "-" for a missing value, and whole
outlets scraped without a title. The row's URL usually settles what the cells cannot: most
Indonesian outlets put the publication day in the path (/read/2019/09/10/...) and the
headline in the slug (/diduga-pasok-sabu-di-anambas).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import unquote, urlsplit

from index import words
from index.dates import WIB, find_date
from index.html import parse_markup_date

MISSING = frozenset({"", "-", "--", "—", "n/a", "na", "null", "none", "nan"})
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")  # 1927-01-01 .. 2173: serials of news dates
# 0.96875, midnight as 0, and 6.25E-3 (00:09) as a CSV conversion of a workbook writes it
_FRACTION = re.compile(r"^0?\.\d+$|^0$|^\d(?:\.\d+)?[eE]-\d{1,2}$")
_URL_DAY = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")
_SLUG_WORD = re.compile(r"[0-9a-z]+", re.IGNORECASE)
_LOWER_WORDS = words.HEADLINE_LOWER
_FIRST_SENTENCE = re.compile(r"^(.{20,200}?[.!?])(?:\s|$)")


def is_missing(value: object) -> bool:
    """A cell that holds nothing: empty, or a scraper's "-" placeholder."""
    return value is None or (isinstance(value, str) and value.strip().casefold() in MISSING)


def excel_serial(text: str) -> datetime | None:
    """An Excel serial date ("43747", "43747.96875") as a naive datetime, else None."""
    if not _SERIAL.match(text):
        return None
    days = float(text)
    if not 9000 <= days <= 100000:
        return None
    return _EXCEL_EPOCH + timedelta(days=days)


def _day_fraction(text: str) -> tuple[int, int] | None:
    """An Excel time cell (0.96875 = 23:15) as hour and minute."""
    if not _FRACTION.match(text):
        return None
    minutes = round(float(text) * 24 * 60)
    if not 0 <= minutes < 24 * 60:
        return None
    return divmod(minutes, 60)


def url_day(url: str | None) -> date | None:
    """The publication day a URL path holds (/2019/09/10/), if it holds one."""
    if not url:
        return None
    m = _URL_DAY.search(url)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _time_of(text: str) -> tuple[int, int, timezone] | None:
    """A time cell: "21:48 WIB", "12:38", an Excel day fraction."""
    frac = _day_fraction(text)
    if frac is not None:
        return frac[0], frac[1], WIB
    found = find_date(f"01 Januari 2000 {text}")
    if found is None or not found.has_time:
        return None
    v = found.value
    return v.hour, v.minute, v.tzinfo  # type: ignore[return-value]


def _parse_day(text: str) -> datetime | None:
    serial = excel_serial(text)
    if serial is not None:
        return serial.replace(tzinfo=WIB)
    return parse_markup_date(text)


_ZONE_NAMED = re.compile(r"\b(?:WIB|WITA|WIT|UTC|GMT)\b|[+-]\d{2}:?\d{2}$|\dZ$", re.I)


def record_date(
    date_cell: object, time_cell: object, url: str | None, home: tzinfo | None = None
) -> datetime | None:
    """record_date_wib (below), read in the outlet's `home` zone when no cell names one."""
    value = record_date_wib(date_cell, time_cell, url)
    if value is None or home is None or value.utcoffset() != timedelta(hours=7):
        return value
    if any(isinstance(c, str) and _ZONE_NAMED.search(c.strip()) for c in (date_cell, time_cell)):
        return value
    return value.replace(tzinfo=home)


def record_date_wib(date_cell: object, time_cell: object, url: str | None) -> datetime | None:
    """The publication time of a row from its date cell, its time cell and its URL.

    The date cell may be ISO, Indonesian or English text, Unix seconds or an Excel serial;
    a separate time cell fills in the time of day when the date has none. The URL's day
    settles a day/month swap (Excel reads 10/09 as October 9th) and stands in for a
    missing or unreadable date.
    """
    value: datetime | None = None
    numeric = isinstance(date_cell, (int, float)) and not isinstance(date_cell, bool)
    if numeric and not -(10**14) < date_cell < 10**14:  # type: ignore[operator]
        date_cell = None  # no date: a 400-digit number is not a time
    if isinstance(date_cell, (int, float)) and not isinstance(date_cell, bool):
        seconds = date_cell / 1000 if date_cell > 10**11 else date_cell
        if 9000 <= date_cell <= 100000:
            value = excel_serial(str(date_cell))
            value = value.replace(tzinfo=WIB) if value else None
        else:
            try:
                value = datetime.fromtimestamp(seconds, timezone.utc).astimezone(WIB)
            except (OverflowError, OSError, ValueError):
                value = None
    elif not is_missing(date_cell):
        value = _parse_day(str(date_cell).strip())
    day = url_day(url)
    if value is not None and day is not None and value.date() != day:
        swapped = (value.day, value.month) == (day.month, day.day) and value.year == day.year
        if swapped:
            value = value.replace(month=day.month, day=day.day)
    if value is None and day is not None:
        value = datetime(day.year, day.month, day.day, tzinfo=WIB)
    if value is None or is_missing(time_cell) or (value.hour, value.minute) != (0, 0):
        return value
    clock = _time_of(str(time_cell).strip())
    if clock is None:
        return value
    hour, minute, zone = clock
    return value.replace(hour=hour, minute=minute, tzinfo=zone)


def title_from_url(url: str | None) -> str | None:
    """A headline rebuilt from a URL's slug: /diduga-pasok-sabu-di-anambas → "Diduga Pasok
    Sabu di Anambas"; None when no path segment reads as words."""
    if not url:
        return None
    path = unquote(urlsplit(url if "//" in url else f"//{url}").path)
    best: list[str] = []
    for segment in path.split("/"):
        segment = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segment)
        words = _SLUG_WORD.findall(segment)
        if segment.count("-") + segment.count("_") < 2 or len(words) < 3:
            continue
        while words and words[0].isdigit() and len(words[0]) > 3:
            words.pop(0)  # an id before the slug ("4058864-lewat-seni")
        while words and words[-1].isdigit() and len(words[-1]) > 3:
            words.pop()
        if len(words) > len(best):
            best = words
    if len(best) < 3:
        return None
    out = [
        w.lower() if i and w.lower() in _LOWER_WORDS else w[:1].upper() + w[1:]
        for i, w in enumerate(best)
    ]
    return " ".join(out)


def title_from_body(paragraph: str) -> str:
    """A title from a story's first sentence, when its URL gives none."""
    text = " ".join(paragraph.split())
    m = _FIRST_SENTENCE.match(text)
    if m:
        return m.group(1)
    words = text.split()
    return " ".join(words[:14]) + (" …" if len(words) > 14 else "")
