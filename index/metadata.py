"""Title, outlet, date, authors and dateline, read from the evidence a page gives.

Each finder takes lines the cleaner has already sorted (header, body, footer), so it only
looks where a page really states the fact: an outlet is read from the dateline, the page
title or a masthead line, never from prose that happens to mention "Kompas" or "antara";
a missing fact stays None rather than being guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from index import outlets
from index.dates import find_body_mention, find_date

# --- authors ---------------------------------------------------------------------------

_ROLE = re.compile(
    r"^(?:penulis|editor|reporter|pewarta|penyunting|redaktur|wartawan|kontributor|"
    r"author|writer|oleh|by)\s*:\s*(?P<names>\S.{0,120})$",
    re.IGNORECASE,
)
# A sign-off of editors' initials closing a story: "(ian)", "(ant/nov)".
_SIGNOFF = re.compile(r"^\(\s*(?P<who>[a-z]{2,5}(?:\s*/\s*[a-z]{2,5}){0,3})\s*\)$", re.I)
_NOT_SIGNOFF = frozenset({"foto", "dok", "ist", "video", "ilus"})
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b)\s*")


def _signoff(line: str) -> str | None:
    m = _SIGNOFF.match(line)
    if m and m["who"].casefold() not in _NOT_SIGNOFF:
        return re.sub(r"\s+", "", m["who"])
    return None


def authors_in_line(line: str) -> list[str]:
    """Names an author line gives ("Penulis : X", "Editor: X | Reporter: Y", "(ian)").

    Names are kept as the page writes them: initials in a sign-off are the only name
    some outlets print, and expanding them would be a guess.
    """
    who = _signoff(line)
    if who:
        return [who]
    names: list[str] = []
    for part in line.split("|"):
        m = _ROLE.match(part.strip())
        if not m:
            continue
        for name in _NAME_SPLIT.split(m["names"].strip().rstrip(".")):
            if name and len(name.split()) <= 6:
                names.append(name)
    return names


def is_author_line(line: str) -> bool:
    """Whether a line only names the story's writers or editors (a byline or sign-off)."""
    return bool(authors_in_line(line)) if len(line) <= 160 else False


def find_authors(lines: Iterable[str]) -> list[str]:
    """Writers and editors named in the given lines, each once, in page order."""
    seen: dict[str, None] = {}
    for line in lines:
        for name in authors_in_line(line):
            seen.setdefault(name, None)
    return list(seen)


# --- dates -----------------------------------------------------------------------------

_UPDATED = re.compile(r"\b(?:diperbarui|updated?|pembaruan)\b", re.I)
_NUMERIC_DATE = re.compile(r"\d[/.-]\d")


def is_date_line(line: str) -> bool:
    """Whether a line is a dateline of the page ("Kamis, 09 November 2023 - 20:27:00 WIB").

    A date in a short line counts when it carries a day name, a time or the numeric form,
    or fills most of the line; a headline that merely names a date ("Gempa 5 Juli 2023
    Guncang Bali") does not.
    """
    if len(line) > 100 or len(line.split()) > 14:
        return False
    m = find_date(line)
    if m is None:
        return False
    fills = (m.end - m.start) >= 0.6 * len(line.replace(" ", ""))
    if not fills and line.rstrip("”\"')").endswith((".", "!", "?")):
        # A sentence that mentions a date ("… di Seoul, Kamis (9/11/2023).") is prose.
        return False
    if m.has_time or m.has_dayname or _NUMERIC_DATE.search(line, m.start, m.end):
        return True
    return fills


def find_published(header: list[str], body: list[str]) -> tuple[datetime | None, bool]:
    """The publication time and whether it is only estimated from a body mention.

    The first date line above the story wins, an "updated" line only when it is the
    only one; a "Senin (12/6/2023)" mention in the body is the fallback.
    """
    updated: datetime | None = None
    for line in header:
        if not is_date_line(line):
            continue
        m = find_date(line)
        if m is None:
            continue
        if _UPDATED.search(line):
            updated = updated or m.value
            continue
        return m.value, False
    if updated:
        return updated, False
    mention = find_body_mention(body)
    return (mention, True) if mention else (None, False)


# --- dateline --------------------------------------------------------------------------

_DASH = re.compile(r"\s+(?:-{1,2}|–|—)\s+")
_PLACE_WORD = re.compile(r"[A-Z][A-Za-z.'’-]*")


@dataclass(frozen=True)
class Dateline:
    """The head of a story: "SEOUL, iNews.id - ", "Bisnis.com, JAKARTA - "."""

    place: str | None
    outlet: outlets.Outlet | None


def _is_place(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 4 and all(_PLACE_WORD.fullmatch(w) for w in words)


def split_dateline(paragraph: str) -> Dateline | None:
    """The place and outlet at the head of a paragraph, or None if it opens no dateline.

    Every part before the dash must be a place or a known outlet; a place alone must be
    in capitals ("SEOUL - ") unless an outlet stands beside it, so a sentence that happens
    to hold a dash is not taken for a dateline.
    """
    dash = _DASH.search(paragraph, 0, 90)
    if dash is None or dash.start() < 2:
        return None
    head = paragraph[: dash.start()]
    if ". " in head or any(q in head for q in '"“”!?'):
        return None
    parts = [p.strip() for p in re.split(r"[,()]", head) if p.strip()]
    place: str | None = None
    outlet: outlets.Outlet | None = None
    for part in parts:
        found = outlets.lookup(part) if outlet is None else None
        if found:
            outlet = found
        elif place is None and _is_place(part):
            place = part
        else:
            return None
    if place and not outlet and not place.isupper():
        return None
    return Dateline(place, outlet) if place or outlet else None


# --- title -----------------------------------------------------------------------------

_SITE_SUFFIX = re.compile(r"^(?P<title>.{10,}?)\s+(?:[-|–—:])\s+(?P<site>[^-|–—]{2,40})$")
_MENU_WORDS = frozenset(
    [
        "home",
        "beranda",
        "featured",
        "news",
        "berita",
        "pilihan",
        "index",
        "indeks",
        "terpopuler",
        "terkini",
        "populer",
        "video",
        "foto",
        "galeri",
        "kanal",
        "nasional",
        "internasional",
        "ekonomi",
        "olahraga",
        "tekno",
        "lifestyle",
        "opini",
    ]
)


def strip_site_suffix(line: str) -> tuple[str, outlets.Outlet | None]:
    """A page title without its " - inews" / " | Kompas.com" tail, and the outlet it names."""
    m = _SITE_SUFFIX.match(line)
    if m:
        found = outlets.lookup(m["site"])
        if found:
            return m["title"], found
    return line, None


def _headline_like(line: str) -> bool:
    words = line.split()
    if not 3 <= len(words) <= 30 or len(line) > 250:
        return False
    if line.rstrip("\"'”’)").endswith((".", ":", ",")):
        return False
    if sum(w.casefold() in _MENU_WORDS for w in words) >= 2:
        return False
    return outlets.lookup(line) is None and not is_date_line(line)


def pick_title(header: list[str]) -> str | None:
    """The headline among the lines above a story, or None if none looks like one.

    The headline is the line a page repeats (page title and heading) or the one right
    above the date line; among equals the one nearest the story, since site names,
    promos and teasers sit higher up.
    """
    stripped = [strip_site_suffix(line)[0] for line in header]
    keys = [s.casefold() for s in stripped]
    counts = Counter(keys)
    best: tuple[int, int] | None = None
    for i, line in enumerate(stripped):
        if not _headline_like(line):
            continue
        score = 0
        if counts[keys[i]] > 1:
            score += 4
        if i + 1 < len(header) and is_date_line(header[i + 1]):
            score += 3
        if best is None or score >= best[0]:
            best = (score, i)
    return stripped[best[1]] if best else None


# --- outlet ----------------------------------------------------------------------------

_SEGMENTS = re.compile(r"\s+[-|–—•·]\s+")
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:co\.id|com|id|net|org|vn|tv|co)\b", re.I)


def _outlet_in_line(line: str) -> outlets.Outlet | None:
    """An outlet a masthead-like line names: the whole line, a segment or a domain in it."""
    if len(line) > 160:
        return None
    found = outlets.lookup(line)
    if found:
        return found
    for seg in _SEGMENTS.split(line):
        found = outlets.lookup(seg)
        if found:
            return found
    if len(line.split()) <= 12:
        for m in _DOMAIN.finditer(line):
            found = outlets.lookup(m.group())
            if found:
                return found
    return None


def find_outlet(
    header: list[str], body: list[str], footer: list[str], title: str | None
) -> outlets.Outlet | None:
    """The publisher the page itself names, strongest evidence first; None without any.

    The dateline names the original publisher even on a repost, so it outranks a page
    title's site suffix, which outranks mastheads and date lines.
    """
    if body:
        head = split_dateline(body[0])
        if head and head.outlet:
            return head.outlet
    key = title.casefold() if title else None
    for line in header:
        text, found = strip_site_suffix(line)
        if found and (key is None or text.casefold() == key):
            return found
    for line in header:
        if is_date_line(line):
            found = _outlet_in_line(line)
            if found:
                return found
    for line in (*header, *footer):
        found = _outlet_in_line(line)
        if found:
            return found
    return None


# --- all together ----------------------------------------------------------------------


@dataclass
class Metadata:
    """What a page says about its article besides the text."""

    title: str | None = None
    outlet: outlets.Outlet | None = None
    published: datetime | None = None
    published_estimated: bool = False
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    words: int = 0


def read_metadata(
    header: list[str],
    body: list[str],
    footer: list[str],
    title: str | None,
    outlet_hint: str | None = None,
) -> Metadata:
    """Metadata from a cleaned page's parts; `outlet_hint` names pages that name no outlet."""
    outlet = find_outlet(header, body, footer, title)
    if outlet is None and outlet_hint:
        outlet = outlets.get(outlet_hint)
    published, estimated = find_published(header, body)
    head = split_dateline(body[0]) if body else None
    return Metadata(
        title=title,
        outlet=outlet,
        published=published,
        published_estimated=estimated,
        authors=find_authors((*header, *footer)),
        dateline=head.place if head else None,
        words=sum(len(p.split()) for p in body),
    )
