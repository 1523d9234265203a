"""Filters as sets of documents.

Outlet and "no date" filters are unions of the per-outlet and per-month document sets
(`search.docsets`). A date range is a slice of the documents in order of publication day
(`DocSets.dated_between`, built once per index from the `published` column), where
Whoosh's DateRange walked the numeric terms of the range and cost 600 ms per new range at
100,000 articles (the cold start of every date-filtered search).
Both count an article by its calendar day in its own zone, and a month or year means all
of it. Facets are then counted on the same set of documents that the hits come from, so
the counts always add up to the total.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from search.daterange import DateBounds
from search.docsets import UNKNOWN_OUTLET, DocSets
from search.models import Filters

__all__ = ["UNKNOWN_OUTLET", "filter_docs", "in_days"]


def in_days(bounds: DateBounds, sets: DocSets, reader: Any) -> frozenset[int]:
    """The live documents published within the bounds (both days included)."""
    lo = bounds.since.toordinal() if bounds.since else 1
    hi = bounds.until.toordinal() if bounds.until else date.max.toordinal()
    return sets.dated_between(lo, hi, reader)


def filter_docs(filters: Filters, sets: DocSets, searcher: Any) -> frozenset[int] | None:
    """The documents the Filters let through, or None when they filter nothing."""
    allowed: frozenset[int] | None = None
    if filters.outlets:
        allowed = frozenset(sets.outlets(k.lower() for k in filters.outlets))
    if filters.languages:
        in_languages = frozenset(sets.languages(c.lower() for c in filters.languages))
        allowed = in_languages if allowed is None else allowed & in_languages
    bounds = DateBounds(filters.since, filters.until)
    if not bounds.is_open:
        in_range = in_days(bounds, sets, searcher.reader())
        if filters.include_undated:
            in_range |= sets.undated()
        allowed = in_range if allowed is None else allowed & in_range
    elif not filters.include_undated:
        dated = sets.live - sets.undated()
        allowed = dated if allowed is None else allowed & dated
    return allowed
