"""Title, outlet, date, authors and dateline, read from the evidence a page gives.

Each finder takes lines the cleaner has already sorted (header, body, footer), so it only
looks where a page really states the fact: an outlet is read from the dateline, the page
title or a masthead line, never from prose that happens to mention "Kompas" or "antara";
a missing fact stays None rather than being guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache
from itertools import islice

from index import bylines, outlets, words
from index.dates import find_body_mention, find_date
from index.published import zone_for

# --- authors ---------------------------------------------------------------------------


def authors_in_line(line: str) -> list[str]:
    """Names an explicit byline gives ("Penulis : X", "X -detikFinance", "(ian)").

    Names are kept as the page writes them: initials in a sign-off are the only name
    some outlets print, and expanding them would be a guess.
    """
    found = bylines.parse_byline(line)
    return list(found.names) if found else []


def is_author_line(line: str) -> bool:
    """Whether a line only names the story's writers or editors (a byline or sign-off)."""
    if len(line) > 160 or line.count(" ") > _BYLINE_SPACES:
        return False  # a sentence of the story, not a byline
    if " " not in line and line[0] != "(":
        return False  # one word: a menu item, never a byline but a sign-off
    return bool(authors_in_line(line))


_BYLINE_SPACES = 16


def find_authors(lines: Iterable[str], slot: Iterable[str] = ()) -> list[str]:
    """Writers named in the given lines and the byline slot, each once, in page order.

    A sign-off's initials ("(bgs/rul)") stand for the writer only when the page names
    nobody in full: beside a byline they are the desk's initials, not another writer.
    """
    names: dict[str, None] = dict.fromkeys(slot)
    initials: dict[str, None] = {}
    for line in lines:
        who = bylines.signoff(line)
        if who:
            initials.setdefault(who, None)
            continue
        for name in authors_in_line(line) or bylines.names_before_date(line):
            names.setdefault(name, None)
    people = [n for n in names if not outlets.lookup(n)]
    # "Oleh Liputan6.com" names the outlet as writer: kept only when no person is named.
    return people or list(names) or list(initials)


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


_FOOTER_LINES = 40  # footer lines read for a date or a byline: the sign-off's, not sidebars'


@dataclass(frozen=True)
class _DateLine:
    value: datetime
    has_time: bool
    updated: bool
    near: bool  # in the article's head: just above or below its headline
    distance: int  # lines from the headline (or from the top when there is none)
    zoned: bool = False  # the line named its zone


def _date_lines(lines: list[str], anchor: int | None, offset: int = 0) -> Iterator[_DateLine]:
    for k, line in enumerate(lines):
        if not is_date_line(line):
            continue
        m = find_date(line)
        if m is None:
            continue
        pos = k + offset
        dist = pos - anchor if anchor is not None else pos
        near = anchor is not None and -2 <= dist <= 5
        updated = bool(_UPDATED.search(line))
        yield _DateLine(m.value, m.has_time, updated, near, abs(dist), m.zoned)


def find_published(
    header: list[str],
    body: list[str],
    footer: Iterable[str] = (),
    anchor: int | None = None,
    home: tzinfo | None = None,
) -> tuple[datetime | None, bool]:
    """The publication time and whether it is only estimated from a body mention.

    A page holds many dates: navigation bars, teasers, "updated" stamps, the byline.
    The article's own is the one in its head (beside the headline at `anchor`), and one
    with the minute beats a date alone; a date-only line is refined by a timed line of
    the same day elsewhere in the head or footer. "Diperbarui"/"Updated" counts only when
    nothing else does; a "Senin (12/6/2023)" mention in the body is the last resort. A
    time that names no zone is read in the outlet's `home` zone (WIB when None).
    """
    found = list(_date_lines(header, anchor))
    found.extend(_date_lines(list(islice(footer, _FOOTER_LINES)), None, offset=len(header) + 100))
    if found:
        best = min(found, key=lambda d: (d.updated, not d.near, not d.has_time, d.distance))
        if not best.has_time:
            day = best.value.date()
            timed = [d for d in found if d.has_time and not d.updated and d.value.date() == day]
            if timed:
                best = min(timed, key=lambda d: (not d.near, d.distance))
        value = best.value
        if home is not None and not best.zoned:
            value = value.replace(tzinfo=home)  # "9 Oktober 2020 14:58" on a Manado page
        return value, False
    mention = find_body_mention(body)
    if mention and home is not None:
        mention = mention.replace(tzinfo=home)
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
    """The place and outlet at the head of a paragraph (see `_split_dateline`)."""
    return _split_dateline(paragraph[:_DATELINE_SPAN])


_DATELINE_SPAN = 120  # a dateline's dash stands in the first 90 characters


@lru_cache(maxsize=1 << 14)
def _split_dateline(paragraph: str) -> Dateline | None:
    """The place and outlet at the head of a paragraph, or None if it opens no dateline.

    Every part before the dash must be a place or a known outlet; a place alone must be
    in capitals ("SEOUL - ") unless an outlet stands beside it, so a sentence that happens
    to hold a dash is not taken for a dateline.
    """
    dash = _DASH.search(paragraph, 0, 90)
    if dash is None or dash.start() < 2:
        return _glued_dateline(paragraph)
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


_GLUED = re.compile(r"^(?P<outlet>[\w.]{3,30}),\s*(?P<place>[A-Z][a-z]{2,})(?=[A-Z][a-z]|\s+[A-Z])")


def _glued_dateline(paragraph: str) -> Dateline | None:
    """A dateline without its dash, as a page's text form can give it: "Liputan6.com,
    JakartaKita semua…" (the place glued to the story's first word)."""
    m = _GLUED.match(paragraph)
    if m is None:
        return None
    found = outlets.lookup(m["outlet"])
    return Dateline(m["place"], found) if found else None


# --- title -----------------------------------------------------------------------------

_SEP = r"\s+[-|–—:»]\s+|\s*\|\s*|:\s+"
_SITE_SUFFIX = re.compile(rf"^(?P<title>.{{10,}}?)(?:{_SEP})(?P<site>[^-|–—:»]{{2,40}})$")
_SITE_PREFIX = re.compile(rf"^(?P<site>[^-|–—:»]{{2,40}}?)(?:{_SEP})(?P<title>.{{10,}})$")
_MENU_WORDS = words.MENU


def site_name(segment: str) -> outlets.Outlet | None:
    """The outlet a title's site segment names: "Kompas.com", "Today Kapanlagi.com",
    "Kompas.com Bola"; a segment of plain words names one only as a whole."""
    words = segment.split()
    if not 1 <= len(words) <= 4:
        return None
    found = outlets.lookup(segment)
    if found:
        return found
    for word in words:
        if bylines.BRANDED.search(word):
            found = outlets.lookup(word.strip("()[]")) or outlets.lookup_desk(word)
            if found:
                return found
    return None


@lru_cache(maxsize=1 << 15)
def strip_site_suffix(line: str) -> tuple[str, outlets.Outlet | None]:
    """A page title without the site name glued to it, before or after ("KapanLagi.com:
    …", "… - Kompas.com", "… | Today Merdeka.com"), and the outlet that name gives."""
    m = _SITE_SUFFIX.match(line)
    if m:
        found = site_name(m["site"])
        if found:
            return m["title"].rstrip(), found
        if len(m["site"].split()) <= 3 and _DOMAIN.search(m["site"]):
            return m["title"].rstrip(), None  # "| Today Kapanlagi.com": a site, one we don't know
    m = _SITE_PREFIX.match(line)
    if m:
        found = site_name(m["site"])
        if found or (len(m["site"].split()) <= 2 and _DOMAIN.search(m["site"])):
            return m["title"].lstrip(), found
    return line, None


_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1 << 14)
def _headline_like(line: str) -> bool:
    """Shape alone: a run of words a headline could be, not a menu, a widget or a label."""
    words = line.split()
    if not 3 <= len(words) <= 30 or len(line) > 250 or "©" in line:
        return False
    if line.rstrip("\"'”’)").endswith((".", ":", ",", "»", "›", ">")):
        return False  # a sentence, a label, a breadcrumb ("Index Global »")
    if sum(w.casefold() in _MENU_WORDS for w in words) >= 2:
        return False
    letters = len(_LETTERS.findall(line))
    if letters < 0.6 * len(line.replace(" ", "")) or max(len(w) for w in words) < 4:
        return False  # "13 746 0 0", "A A A", "A- A+"
    if sum(len(w) == 1 for w in words) * 2 > len(words):
        return False
    return outlets.lookup(line) is None and not is_date_line(line)


_VERBISH = re.compile(r"(?:kan|nya)$|^(?:mem|meng|meny|ber|per)[a-z]{3}", re.I)


_DESK_TAIL = re.compile(r"\s+[-–—|/]\s*[\w.]+(?:\s[\w.]+)?$|,\s+[\w.]+(?:\s[\w.]+)?$")


@lru_cache(maxsize=1 << 14)
def _slot_names(line: str) -> tuple[str, ...]:
    """The names a line gives where it stands in the byline slot: a bare name, a name with
    a desk the outlet table does not know ("Afif Farhan - Sepakbola"), or a name before
    the date ("Laban Laisila : 19 Jun 2015 | 13:06"). No verb-like word may be in it."""
    if line.isupper() or len(line) > 80:
        return ()
    m = find_date(line)
    if m is not None and m.start > 0:
        line = line[: m.start].rstrip(" :,|-–—·")
    found = bylines.parse_byline(line, bare=True)
    if found is None and _DESK_TAIL.search(line):
        found = bylines.parse_byline(line[: _DESK_TAIL.search(line).start()], bare=True)  # type: ignore[union-attr]
    if found is None or len(line.split()) > 6:
        return ()
    if any(_VERBISH.search(w) for name in found.names for w in name.split()):
        return ()
    return found.names


def _is_slot_name(line: str) -> bool:
    return not is_date_line(line) and bool(_slot_names(line)) and not is_author_line(line)


_HEAD_REACH = 60  # header lines above the story a headline is looked for in


@dataclass(frozen=True)
class Head:
    """The article's head in a page's header: its headline, where it stands, and the
    names printed in the byline slot under it."""

    title: str | None
    index: int | None = None
    names: tuple[str, ...] = ()


@lru_cache(maxsize=1 << 15)
def _line_role(line: str) -> str:
    """A header line's part in an article head by itself: date, byline, role, name, outlet
    or text. Remembered: a site's menus and mastheads stand in every page's header."""
    if is_date_line(line):
        return "date"
    if is_author_line(line) or bylines.names_before_date(line):
        return "byline"
    if bylines.is_role_word(line):
        return "role"
    if _is_slot_name(line):
        return "name"
    if outlets.lookup(line) or outlets.lookup_desk(line):
        return "outlet"
    return "text"


class _Roles:
    """Each header line's part in the head, worked out only for the lines a decision looks
    at: a page's header is mostly menus that are never weighed. A name is a byline
    ("slot") where it stands in the byline slot: under a headline-like line, or over a
    date or a role word ("Fakhrizal Fakhri" / "Jurnalis"); elsewhere it is text."""

    def __init__(self, header: list[str], stripped: list[str]) -> None:
        self.header = header
        self.stripped = stripped
        self.memo: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.header)

    def __getitem__(self, i: int) -> str:
        role = self.memo.get(i)
        if role is None:
            role = _line_role(self.header[i])
            if role == "name":
                above = (
                    i > 0
                    and _line_role(self.header[i - 1]) == "text"
                    and _headline_like(self.stripped[i - 1])
                )
                below = i + 1 < len(self.header) and _line_role(self.header[i + 1]) in (
                    "date",
                    "role",
                    "byline",
                )
                role = "slot" if above or below else "text"
            self.memo[i] = role
        return role


def _starts_with_outlet(line: str) -> bool:
    """A breadcrumb or masthead: "MERDEKA.COM » PERISTIWA", "detikTravel Travel News"."""
    first = line.split(None, 1)[0].strip("»›>:|")
    return bool(bylines.BRANDED.search(first)) and site_name(first) is not None


def _below_score(header: list[str], roles: _Roles, eligible: list[bool] | None, i: int) -> int:
    """What hangs under a headline candidate: a date (+4, +1 with the minute) within a few
    lines past bylines, desk and role lines; an explicit byline (+2); a bare name (+2)."""
    score = 0
    for j in range(i + 1, min(len(header), i + 5)):
        role = roles[j]
        if role == "date":
            m = find_date(header[j])
            score += 5 if m is not None and m.has_time else 4
            if is_author_line(header[j]) or bylines.names_before_date(header[j]):
                score += 2  # "Reporter : X | Jumat, 19 Juni 2015 03:40"
            return score
        if role == "byline":
            score = max(score, 3 if j == i + 1 else 2)
        elif role == "slot":
            score = max(score, 2)
        elif role not in ("role", "outlet") and (eligible is None or eligible[j]):
            break
    return score


def read_head(
    header: list[str], eligible: list[bool] | None = None, labelled: list[bool] | None = None
) -> Head:
    """The headline among the lines above a story, weighing where each line stands.

    The headline is the line a reader would point at: the one the byline and the date
    hang from (a date within a few lines below it, past bylines and desk lines, or a
    byline right under it), or a date just above it; a line the page repeats (page title
    and heading) gains too. Breadcrumbs and mastheads lose; among equals the line nearest
    the story wins, since promos and teasers sit higher up. `eligible` masks lines that
    may not be the headline (captions, learned template lines) but still shape the head;
    `labelled` marks lines that may be it only with a byline or date under them ("FOTO:
    Kondisi Kapal Selam …" heads a photo story; elsewhere it is a caption).
    """
    stripped = [strip_site_suffix(line)[0] for line in header]
    keys = [s.casefold() for s in stripped]
    counts = Counter(keys)
    roles = _Roles(header, stripped)
    n = len(header)
    best: tuple[int, int] | None = None
    for i in range(max(0, n - _HEAD_REACH), n):
        line = stripped[i]
        weak = labelled is not None and labelled[i]
        if eligible is not None and not eligible[i] and not weak:
            continue
        if not _headline_like(line) or roles[i] != "text":
            continue
        score = _below_score(header, roles, eligible, i)
        if weak and score < 4:
            continue
        if any(roles[k] == "date" for k in range(max(0, i - 2), i)):
            score += 3
        if counts[keys[i]] > 1:
            score += 2
        if _starts_with_outlet(header[i]):
            score -= 3
        if best is None or score >= best[0]:
            best = (score, i)
    if best is None:
        return Head(None)
    i = best[1]
    title = stripped[i]
    if (
        i > 0
        and title[:1].islower()
        and roles[i - 1] == "text"
        and _headline_like(stripped[i - 1])
        and not stripped[i - 1].endswith((".", "!", "?"))
    ):
        title = f"{stripped[i - 1]} {title}"  # a headline broken over two lines
    names: list[str] = []
    for j in range(i + 1, min(n, i + 5)):
        if roles[j] == "slot":
            names.extend(_slot_names(header[j]))
        elif roles[j] == "date":
            if not is_author_line(header[j]):
                names.extend(_slot_names(header[j]))  # "Laban Laisila : 19 Jun 2015 | 13:06"
            break
    return Head(title, i, tuple(names))


def pick_title(header: list[str]) -> str | None:
    """The headline among the lines above a story, or None if none looks like one."""
    return read_head(header).title


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
    header: list[str],
    body: list[str],
    footer: list[str],
    title: str | None,
    anchor: int | None = None,
) -> outlets.Outlet | None:
    """The publisher the page itself names, strongest evidence first; None without any.

    The dateline names the original publisher even on a repost, so it outranks a page
    title's site name, which outranks a byline's desk ("-detikFinance") around the
    headline at `anchor` or under the story, mastheads and date lines, and last the
    footer's lines (a copyright line names its owner).
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
    for line in (*_head_window(header, anchor), *footer[:_FOOTER_LINES]):
        byline = bylines.parse_byline(line)
        if byline and byline.outlet:
            return byline.outlet
    for line in footer:
        if COPYRIGHT.search(line):
            found = _outlet_in_copyright(line)
            if found:
                return found
    for line in header:
        if is_date_line(line):
            found = _outlet_in_line(line)
            if found:
                return found
    return _sole_outlet(header) or _sole_outlet(footer)


COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)  # a copyright line's mark


def _outlet_in_copyright(line: str) -> outlets.Outlet | None:
    """The owner a copyright line names: "Copyright @ 2025 Media Group - mediaindonesia"."""
    found = _outlet_in_line(line)
    if found:
        return found
    for word in re.findall(r"[\w.-]{3,}", line):
        found = outlets.lookup(word.strip(".-"))
        if found:
            return found
    return None


def _sole_outlet(lines: list[str]) -> outlets.Outlet | None:
    """The outlet mastheads name, when they name only one: a network bar or a list of
    partner sites ("kompas.com | tempo.co | …") names several and proves nothing."""
    named: dict[str, outlets.Outlet] = {}
    for line in lines:
        found = _outlet_in_line(line)
        if found:
            named[found.key] = found
            if len(named) > 1:
                return None
    return next(iter(named.values()), None)


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


_HEAD_SPAN = 12  # lines under the headline a byline may stand in (past captions, a date)


def _head_window(header: list[str], anchor: int | None) -> list[str]:
    """The header lines a byline can stand in: around the headline, not the menus and
    sidebars above it (whose "Layanan Bisnis" or profile names are no writers)."""
    if anchor is None:
        return header
    return header[max(0, anchor - 2) : anchor + _HEAD_SPAN]


def read_metadata(
    header: list[str],
    body: list[str],
    footer: list[str],
    title: str | None,
    outlet_hint: str | None = None,
    head: Head | None = None,
) -> Metadata:
    """Metadata from a cleaned page's parts; `outlet_hint` names pages that name no outlet.

    `head` is where the headline stands in `header` and the names in its byline slot,
    when the cleaner has read them.
    """
    anchor = head.index if head else None
    outlet = find_outlet(header, body, footer, title, anchor)
    if outlet is None and outlet_hint:
        outlet = outlets.get(outlet_hint)
    home = zone_for(outlet.zone) if outlet and outlet.zone else None
    published, estimated = find_published(header, body, footer, anchor, home)
    dateline = split_dateline(body[0]) if body else None
    return Metadata(
        title=title,
        outlet=outlet,
        published=published,
        published_estimated=estimated,
        authors=find_authors(
            (*_head_window(header, anchor), *footer[:_FOOTER_LINES]), head.names if head else ()
        ),
        dateline=dateline.place if dateline else None,
        words=sum(len(p.split()) for p in body),
    )
