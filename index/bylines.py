"""Bylines: the lines that name a story's writers, in every shape real pages print them.

Outlets write the same fact many ways: "Penulis : Rendi Mahendra", "Oleh Johan Fatzry pada
26 Apr 2021, 07:00 WIB", "By Silvanus Alvin", "Retno Ayuningrum -detikFinance", "Arnold H
Sianturi / FMB", "Laporan wartawan Tribunnews.com, Glery Lazuardi", or just the name on
its own line between the headline and the date. Rather than a rule per outlet, a byline is
read as parts: an optional role word, one or more person names, an optional desk or
outlet suffix and an optional date tail. A line with a role word or a desk suffix is a
byline wherever it stands; a bare name is one only where the page's layout says so (the
byline slot beside the headline and the date), which `index.metadata` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index import outlets, words
from index.dates import DAY_NAMES, MONTHS, find_date

_ROLES = (
    r"laporan\s+(?:wartawan|reporter|koresponden|kontributor)(?:\s+[\w.]+){0,3}?\s*,?"
    r"|ditulis\s+oleh|written\s+by|posted\s+by|reported\s+by|dilaporkan\s+oleh|"
    + "|".join(sorted(words.BYLINE_ROLES, key=len, reverse=True))
)
_ROLE_HEAD = re.compile(
    rf"^(?:{_ROLES})\b(?:\s*(?:&|/|,|\bdan\b)\s*(?:{_ROLES})\b)*\s*:?\s*", re.IGNORECASE
)  # "Penulis:", "Redaktur & Reporter :"
# A labelled byline closing a line of other facts: "ARTIS | 17 Juni 2021 09:54 Reporter : X"
_ROLE_TAIL = re.compile(rf"(?:^|\s)(?:{_ROLES})\s*:\s*(?P<names>[^:|]{{2,80}})$", re.IGNORECASE)
_ROLE_WORD = re.compile(rf"^(?:{_ROLES})\s*:?$", re.IGNORECASE)
# "Penulis: Ani | Editor: Bayu", "Reporter : X | Jumat, 19 Juni 2015 03:40"
_PARTS = re.compile(r"\s+\|\s+|\s{3,}")
# A sign-off of editors' initials closing a story: "(ian)", "(ant/nov)".
_SIGNOFF = re.compile(r"^\(\s*(?P<who>[a-z]{2,5}(?:\s*/\s*[a-z]{2,5}){0,3})\s*\)$", re.I)
_NOT_SIGNOFF = frozenset({"foto", "dok", "ist", "video", "ilus"})
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\s\bdan\b|\band\b)\s*")
# A desk or outlet after the names: "-detikFinance", ", CNN Indonesia", "/ FMB", "- Okezone".
_DESK = re.compile(r"\s*(?:[-–—/|,]|\s)\s*(?P<desk>[^-–—/|,]{2,40})$")
_DATE_GLUE = re.compile(r"\s*(?:\bpada\b|\bon\b|\bditerbitkan\b|[-–—|,·•])?\s*$", re.IGNORECASE)
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’`.-]*|[A-Z]\.?|(?:bin|binti|van|der|de|al|el|von|da)\b)")
# A brand's spelling: a domain ("Kapanlagi.com") or brand + desk ("detikSport").
BRANDED = re.compile(r"\.[A-Za-z]{2,}\b|^[a-z]{3,}[A-Z]")
# Cheap first look: a role word first, names then a short desk after a separator or a
# branded desk ("X - detikSport", "X detikSport", "X, CNN Indonesia"), or a team.
# The first word of a labelled byline: a role, or a phrase that opens one ("Laporan
# wartawan", "Ditulis oleh", "Written by").
_ROLE_FIRST = words.BYLINE_ROLES | {
    *("laporan", "ditulis", "written", "posted", "reported", "dilaporkan")
}
_DESK_HINT = re.compile(r"[-–—/|,]|\s[a-z]{3,}[A-Z]|\.[a-z]{2,}")
_NAME_DESK = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,5}"
    r"(?:\s*[-–—/|,]\s*\S+(?:\s+\S+){0,2}|\s+[a-z]{3,}[A-Z]\w*|\s+\S+\.[a-z]{2,})$"
)


def _may_be(line: str) -> bool:
    first = line.split(None, 1)[0]
    if first.casefold().rstrip(":") in _ROLE_FIRST or first == "Tim":
        return True
    if ":" in line and _ROLE_TAIL.search(line):
        return True  # "ARTIS | 17 Juni 2021 09:54 Reporter : Astri Agustina"
    return (
        first[0].isupper() and _DESK_HINT.search(line) is not None and bool(_NAME_DESK.match(line))
    )


_GLUED_CAPS = re.compile(r"(?<!^Mc)(?<!^Mac)[^\W\d_A-Z][A-Z]")
_CODE = re.compile(r"[A-Z]{2,6}")
_FUNCTION_WORDS = words.INDONESIAN_FUNCTION | words.ENGLISH_FUNCTION
_NOT_NAMES = words.NOT_NAMES | {w.casefold() for w in (*MONTHS, *DAY_NAMES)}


@dataclass(frozen=True)
class Byline:
    """What a byline says: the names it gives and the outlet its desk suffix names."""

    names: tuple[str, ...]
    outlet: outlets.Outlet | None = None
    explicit: bool = True  # a role word or a desk suffix, not a bare name


def signoff(line: str) -> str | None:
    """The initials of a closing sign-off ("(ian)", "(ant/nov)"), or None."""
    m = _SIGNOFF.match(line)
    if m and m["who"].casefold() not in _NOT_SIGNOFF:
        return re.sub(r"\s+", "", m["who"])
    return None


def is_role_word(line: str) -> bool:
    """A line that is only a role ("Jurnalis", "Editor:"), printed under a bare name."""
    return len(line) <= 40 and _ROLE_WORD.match(line.strip()) is not None


def is_name(text: str) -> bool:
    """Whether `text` reads as one person's name: capitalised words, initials, particles.

    "Putra Rusdi K", "M. Rizal Maslan", "Ni Luh Putu Ayu" are names; a headline
    ("Jokowi Resmikan Tol Baru") can be too by shape alone, which is why bare names are
    only trusted in the byline slot.
    """
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 60:
        return False
    if not any(len(w.strip(".")) >= 3 for w in words):
        return False
    for w in words:
        if not _NAME_WORD.fullmatch(w) or w.casefold().strip(".,") in _NOT_NAMES:
            return False
        if w.casefold() in _FUNCTION_WORDS or any(ch.isdigit() for ch in w):
            return False
        if _GLUED_CAPS.search(w):
            return False  # "TếBáo": two words run together, not a name
    if len(words) == 1 and (text.isupper() or len(text) < 3):
        return False
    return outlets.lookup(text) is None


def desk_outlet(text: str) -> outlets.Outlet | None:
    """The outlet a desk name or outlet spelling names ("detikFinance", "Tribunnews.com")."""
    text = text.strip().strip(".")
    if not text or len(text) > 40:
        return None
    return outlets.lookup(text) or outlets.lookup_desk(text)


def _split_names(text: str, bare: bool = False) -> tuple[list[str], outlets.Outlet | None] | None:
    """The names in a list ("Budi, Sari dan Joko"), and an outlet written among them
    ("Laporan wartawan Tribunnews.com, Glery Lazuardi"); None if any part is no name."""
    names: list[str] = []
    outlet: outlets.Outlet | None = None
    for n in _NAME_SPLIT.split(text.strip()):
        n = n.strip(" .")
        if not n:
            continue
        found = desk_outlet(n) if outlet is None else None
        if found is not None:
            outlet = found
        elif is_name(n) and not (bare and len(n.split()) < 2):
            names.append(n)
        else:
            return None
    return (names, outlet) if names or outlet else None


def _without_date(line: str) -> str:
    """The line before a date tail: "Oleh X pada 26 Apr 2021, 07:00 WIB" → "Oleh X"."""
    found = find_date(line)
    if found is None or found.start == 0:
        return line
    head = line[: found.start]
    return head[: _DATE_GLUE.search(head).start()].rstrip()  # type: ignore[union-attr]


def _one_part(part: str, bare: bool) -> Byline | None:
    part = part.strip().strip("|").strip()
    m = _ROLE_HEAD.match(part)
    role = m is not None and m.end() < len(part)
    rest = part[m.end() :] if role and m else part
    rest = _without_date(rest).strip(" ,-–—|")
    if not rest:
        return None
    team = rest.split(None, 1)
    if len(team) == 2 and team[0].casefold() == "tim" and desk_outlet(team[1]):
        return Byline((rest,), desk_outlet(team[1]), True)  # "Tim detikBali"
    split = _split_names(rest, bare=not role)
    if split is not None:
        names, outlet = split
        if not names:  # "Oleh Liputan6.com": the outlet is the writer the page names
            return Byline((rest,), outlet, True) if role else None
        return (
            Byline(tuple(names), outlet, role or outlet is not None)
            if role or bare or outlet
            else None
        )
    d = _DESK.search(rest)
    if d is None:
        return None
    desk = d["desk"].strip()
    if not d.group()[: d.start("desk") - d.start()].strip() and not BRANDED.search(desk):
        return None  # "Layanan Bisnis" is a menu item; "X detikSport" is a byline
    found = desk_outlet(desk)
    code = _CODE.fullmatch(desk) is not None and "/" in d.group()  # "Arnold H Sianturi / FMB"
    if found is None and not code:
        return None
    split = _split_names(rest[: d.start()])
    if split is None or not split[0]:
        return None
    return Byline(tuple(split[0]), found or split[1], True)


def _tail_byline(line: str) -> Byline | None:
    m = _ROLE_TAIL.search(line)
    if m is None:
        return None
    split = _split_names(m["names"])
    return Byline(tuple(split[0]), split[1], True) if split and split[0] else None


def parse_byline(line: str, *, bare: bool = False) -> Byline | None:
    """The byline a line is, or None.

    With `bare`, a line holding only names counts too (the caller knows it stands in the
    byline slot); without it, a role word or a desk suffix must say so.
    """
    if not line or len(line) > 160:
        return None
    if not (bare and line[0].isupper()) and line[0] != "(" and not _may_be(line):
        return None  # the cheap first look: most lines of a page are no byline
    return _parse_byline(line, bare)


@lru_cache(maxsize=1 << 16)
def _parse_byline(line: str, bare: bool) -> Byline | None:
    """parse_byline, remembered: a site's menus and mastheads repeat on every page."""
    if line[0] == "(":
        who = signoff(line)
        return Byline((who,), None, True) if who else None

    names: list[str] = []
    outlet: outlets.Outlet | None = None
    explicit = False
    for part in _PARTS.split(line):
        found = _one_part(part, bare)
        if found is None:
            if find_date(part) is not None:
                continue  # "Reporter : X | Jumat, 19 Juni 2015 03:40"
            return _tail_byline(line)
        names.extend(n for n in found.names if n not in names)
        outlet = outlet or found.outlet
        explicit = explicit or found.explicit
    return Byline(tuple(names), outlet, explicit) if names else None


def names_before_date(line: str) -> list[str]:
    """Names glued to a date, as a page's text form gives a byline and date set inline
    ("Gayuh Tri Pinjungwati02 Jun 2020, 19:15 WIB"); a place before a date with a space
    between ("Kota Bandung, 12 Juni 2023") is a dateline, not a writer."""
    found = find_date(line)
    if found is None or found.start == 0 or not line[found.start - 1].isalpha():
        return []
    byline = parse_byline(line[: found.start], bare=True)
    return list(byline.names) if byline else []
