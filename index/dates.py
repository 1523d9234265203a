"""Indonesian (and English) date expressions to timezone-aware datetimes.

Indonesian outlets write dates a dozen ways ("Kamis, 09 November 2023 - 20:27:00 WIB",
"18 Juni 2025 | 20.04 WIB", "Kompas.com - 18/06/2025, 21:35 WIB"); one searcher per form,
compiled once, keeps a page's date lines cheap to read. Local time zones map to fixed
offsets (WIB +07:00, WITA +08:00, WIT +09:00) and a date without a zone is Jakarta time,
the zone nearly every Indonesian newsroom publishes in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")
#: Indonesia's zones by name (lower case) and by offset: the one table of them.
ZONES = {"wib": WIB, "wita": WITA, "wit": WIT}
ZONES_BY_OFFSET = {zone.utcoffset(None): zone for zone in ZONES.values()}

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "ags": 8, "agt": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip

_ID_DAY_NAMES = (
    "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "jum’at", "sabtu", "minggu", "ahad",
)  # fmt: skip
DAY_NAMES = (
    *_ID_DAY_NAMES,
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "sen", "sel", "rab", "kam", "jum", "sab", "min",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
)  # fmt: skip


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    # Longest first, so "Agustus" is not read as "Agu" + "stus".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MONTH = rf"(?P<mon>{_alternation(list(MONTHS))})\.?"
# A day name just before a date ("Kamis, 09 November 2023"), looked for only once a date
# is found: trying it at every position of every line was most of the cost of a page.
_DAY_BEFORE = re.compile(rf"\b(?:{_alternation(DAY_NAMES)})\.?,?\s*$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A time after the date, separated by "-", "|", ",", "pukul" or plain space.
_TIME = (
    r"(?:\s*(?:[-|,–—/]|pukul|jam|at)?\s*"
    r"(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?:[:.](?P<ss>[0-5]\d))?(?!\d|[.:]\d)"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?"
    r"(?:\s*(?P<zone>wita|wib|wit)\b)?)?"
)
_ISO_TIME = (
    r"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?(?:\.\d+)?"
    r"(?P<off>z|[+-]\d{2}:?\d{2})?)?"
)

_FORMS = (
    # 09 November 2023 - 20:27:00 WIB, Rabu, 18 Jun 2025 07:30 WIB
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})\s+{_MONTH}\s+(?P<y>\d{{4}})(?!\d){_TIME}",
        re.IGNORECASE,
    ),
    # November 9, 2023 8:27 PM (bilingual and English-language pages)
    re.compile(
        rf"\b{_MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d){_TIME}",
        re.IGNORECASE,
    ),
    # 10-Sep-19, 10-Sep-2019 23:04 (what Excel makes of a date column)
    re.compile(
        rf"(?<![\d-])(?P<d>\d{{1,2}})-{_MONTH}-(?:(?P<y>\d{{4}})|(?P<yy>\d{{2}}))(?![\d-]){_TIME}",
        re.IGNORECASE,
    ),
    # 2023-11-09T20:27:00+07:00 (records from scrapers and APIs)
    re.compile(rf"(?<!\d)(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?!\d){_ISO_TIME}", re.I),
    # 14/09/2023, 18/06/2025, 21:35 WIB, 14-09-2023
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})(?!\d){_TIME}",
        re.IGNORECASE,
    ),
)

# "pada Senin (12/6/2023)", "Kamis (9/11/2023)": the day a story happened, written in its body.
_BODY_MENTION = re.compile(
    rf"\b(?P<dayname>{_alternation(_ID_DAY_NAMES)})\s*\(\s*(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})\s*\)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text, with where it was and how complete it was."""

    value: datetime
    start: int
    end: int
    has_time: bool
    has_dayname: bool
    zoned: bool = False  # the text named its zone or offset (WITA, +08:00, Z)


def _zone(m: re.Match[str]) -> timezone:
    groups = m.groupdict()
    off = groups.get("off")
    if off:
        if off.lower() == "z":
            return timezone.utc
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    zone = groups.get("zone")
    return ZONES[zone.lower()] if zone else WIB


def _build(m: re.Match[str]) -> datetime | None:
    """The datetime a match names, or None when it names an impossible one (31/2, 25:00)."""
    g = m.groupdict()
    month = MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
    hour = int(g["hh"]) if g.get("hh") else 0
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        value = datetime(
            int(g["y"]) if g.get("y") else 2000 + int(g["yy"]),
            month,
            int(g["d"]),
            hour,
            int(g["mi"]) if g.get("mi") else 0,
            int(g["ss"]) if g.get("ss") else 0,
            tzinfo=_zone(m),
        )
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


def find_date(text: str) -> DateMatch | None:
    """The first possible date in `text` (see `_find_date`); short lines are remembered,
    since a page's date and menu lines are read by several finders and recur by site."""
    if len(text) > 200:
        return _find_date(text)
    return _find_date_cached(text)


def _find_date(text: str) -> DateMatch | None:
    """The first possible date in `text`, wherever it sits in the line.

    Searching rather than matching the whole string is what lets a line such as
    "Báo Quốc TếBáo Quốc Tế14/09/2023" or "Kompas.com - 18/06/2025, 21:35 WIB" give its date.
    """
    if _DIGIT.search(text) is None:
        return None
    best: DateMatch | None = None
    for form in _FORMS:
        pos = 0
        while best is None or pos < best.start:
            m = form.search(text, pos)
            if m is None or (best is not None and m.start() >= best.start):
                break
            value = _build(m)
            if value is not None:
                before = _DAY_BEFORE.search(text, max(0, m.start() - 12), m.start())
                start = before.start() if before else m.start()
                g = m.groupdict()
                zoned = bool(g.get("zone") or g.get("off"))
                best = DateMatch(value, start, m.end(), bool(g.get("hh")), bool(before), zoned)
                break
            pos = m.start() + 1
    return best


_find_date_cached = lru_cache(maxsize=1 << 16)(_find_date)


def parse_date(text: str) -> datetime | None:
    """The first date in a date string or date line, timezone-aware; None if there is none.

    A date without a time is midnight, and one without a zone is WIB (+07:00).
    """
    found = find_date(text)
    return found.value if found else None


def find_body_mention(paragraphs: list[str]) -> datetime | None:
    """The first "Senin (12/6/2023)" style mention in a story's body, or None.

    Only a date beside its day name counts: a bare "25 Oktober" or a date in running prose
    may be any day the story talks about, while this form is how Indonesian reporters
    date the event they are reporting, so it is a fair estimate of when the story ran.
    """
    for para in paragraphs:
        if "(" not in para:
            continue
        for m in _BODY_MENTION.finditer(para):
            value = _build(m)
            if value is not None:
                return value
    return None


_ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}


def zone_name(moment: datetime) -> str:
    """The Indonesian zone a page printed (WIB/WITA/WIT), else the plain UTC offset."""
    offset = moment.utcoffset()
    if offset is None:
        return ""
    hours, rem = divmod(offset, timedelta(hours=1))
    if not rem and hours in _ZONE_NAMES:
        return _ZONE_NAMES[hours]
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
