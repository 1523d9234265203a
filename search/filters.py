"""Filters from what a user types: outlet names or keys, and dates as "2023", "2023-11" or
"2023-11-09" (a year or a month means all of it). One reading for the command line and
the Python API; a value that cannot be read is a QueryError."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from index import outlets as outlet_table
from search.daterange import parse_period
from search.errors import QueryError
from search.facets import UNKNOWN_OUTLET
from search.models import Filters
from search.query import language_term


def outlet_keys(names: Iterable[str]) -> tuple[str, ...]:
    """Outlet keys for keys, names or domains as typed ("kompas", "Kompas.com")."""
    keys: list[str] = []
    for raw in names:
        if raw == UNKNOWN_OUTLET:
            keys.append(raw)
            continue
        found = outlet_table.get(raw.lower()) or outlet_table.lookup(raw)
        if found is None:
            raise QueryError(f"unknown outlet '{raw}' — list them with: warta outlets")
        keys.append(found.key)
    return tuple(keys)


def make_filters(
    outlets: Iterable[str] = (),
    since: str | date | None = None,
    until: str | date | None = None,
    include_undated: bool | None = None,
    languages: Iterable[str] = (),
) -> Filters:
    """Filters as a user means them: with a date bound, undated articles are left out
    unless `include_undated` keeps them; languages as ISO 639-1 codes or names."""
    first = since if isinstance(since, date) or since is None else parse_period(since).first
    last = until if isinstance(until, date) or until is None else parse_period(until).last
    if first and last and first > last:
        raise QueryError(f"since {since} is after until {until}")
    dated = first is not None or last is not None
    keep = include_undated if include_undated is not None else not dated
    codes = tuple(dict.fromkeys(language_term(raw).code for raw in languages))
    return Filters(outlet_keys(outlets), first, last, include_undated=keep, languages=codes)
