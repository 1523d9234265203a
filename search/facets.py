"""Filters as sets of documents, and the date range of a query as a Whoosh query.

Outlet and "no date" filters are unions of the per-outlet and per-month document sets
(`search.docsets`); only a date range goes through Whoosh (`query.DateRange`, built in code:
Whoosh's date parser reads `2023-05-12` as all of 2023). Facets are then counted on the
same set of documents that the hits come from, so the counts always add up to the total.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from search.daterange import DateBounds, end_of, start_of
from search.docsets import UNKNOWN_OUTLET, DocSets
from search.models import Filters

__all__ = ["UNKNOWN_OUTLET", "date_query", "filter_docs"]


def date_query(bounds: DateBounds) -> wq.Query | None:
    if bounds.is_open:
        return None
    start = start_of(bounds.since) if bounds.since else None
    end = end_of(bounds.until) if bounds.until else None
    return wq.DateRange("published", start, end)


def filter_docs(filters: Filters, sets: DocSets, searcher: Any) -> frozenset[int] | None:
    """The documents the Filters let through, or None when they filter nothing."""
    allowed: frozenset[int] | None = None
    if filters.outlets:
        allowed = frozenset(sets.outlets(k.lower() for k in filters.outlets))
    dates = date_query(DateBounds(filters.since, filters.until))
    if dates is not None:
        in_range = frozenset(searcher.docs_for_query(dates)) & sets.live
        if filters.include_undated:
            in_range |= sets.undated()
        allowed = in_range if allowed is None else allowed & in_range
    elif not filters.include_undated:
        dated = sets.live - sets.undated()
        allowed = dated if allowed is None else allowed & dated
    return allowed
