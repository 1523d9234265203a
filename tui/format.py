"""Turning search dataclasses into styled text: dates with their zone, highlighted spans.

Styles are theme variables (`$warning`, `$text-muted`…), resolved when a widget renders, so
the same text reads right in the dark and the light theme and follows a theme switch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from textual.content import Content

from index.dates import zone_name
from index.untrusted import printable
from search.models import Span

HIGHLIGHT = "bold $text-warning on $warning-muted"
CURRENT = "bold $background on $warning"
META = "$text-muted"
TITLE = "bold $text"
FOLDED = "$text-secondary"  # a hit's line naming the other copies of its story

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(moment: datetime | None, estimated: bool = False) -> str:
    """Fixed width (11 cells, `~` marking a date guessed from the text) so columns line up."""
    if moment is None:
        return "   no date "
    text = moment.strftime("%Y-%m-%d")
    return "~" + text if estimated else " " + text


def long_date(moment: datetime | None, estimated: bool = False) -> str:
    """The reader's date: day, time and zone as the page gave them."""
    if moment is None:
        return "no date"
    day = f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    if estimated:
        return f"{day} (estimated from the text)"
    if moment.hour or moment.minute:
        day += f", {moment.hour:02d}:{moment.minute:02d}"
    zone = zone_name(moment)
    return f"{day} {zone}".rstrip()


def month_label(key: str) -> str:
    """`2023-11` → `Nov`; anything unexpected is shown as it is."""
    try:
        return _MONTHS[int(key[5:7]) - 1]
    except (ValueError, IndexError):
        return key


def highlighted(text: str, spans: Iterable[Span], style: str = HIGHLIGHT) -> Content:
    """Text with each (start, end) span styled; spans out of range are clipped, not fatal."""
    content = Content(text)
    length = len(text)
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if end > start:
            content = content.stylize(style, start, end)
    return content


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 article`, `3 articles`; `many` for words that do not just take an s."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


# How the UI names the languages news archives hold; other codes show as they are.
LANGUAGE_NAMES = {
    "id": "Indonesia",
    "en": "English",
    "ms": "Melayu",
    "jv": "Jawa",
    "su": "Sunda",
    "zh": "中文",
    "ar": "العربية",
}


def language_name(code: str) -> str:
    """An ISO 639-1 code as the sidebar and the results name it."""
    return LANGUAGE_NAMES.get(code, printable(code))
