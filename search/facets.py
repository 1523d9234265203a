"""Facet counts, sort orders and filters, all from the sortable columns.

Counting reads the `outlet`, `year` and `month` columns of every matching article, never
its stored fields: that is what keeps facets in milliseconds (Whoosh's DateRangeFacet
over monthly buckets costs hundreds). Undated articles carry "none" in `year`/`month`,
so they are counted once, as `no_date`, and every article lands in exactly one month
bucket: the month counts plus `no_date` always add up to the total.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh import sorting

from index.schema import NO_DATE
from search.daterange import DateBounds, end_of, start_of
from search.models import Facets, Filters, Sort

UNKNOWN_OUTLET = "(unknown)"  # facet key of articles whose outlet is unknown


def facet_spec() -> dict[str, sorting.FacetType]:
    return {
        "outlet": sorting.FieldFacet("outlet", maptype=sorting.Count),
        "year": sorting.FieldFacet("year", maptype=sorting.Count),
        "month": sorting.FieldFacet("month", maptype=sorting.Count),
    }


def read_facets(results: Any) -> Facets:
    """Facets of a Whoosh result set searched with `groupedby=facet_spec()`."""
    outlet = _sorted_counts(results.groups("outlet"))
    if "" in outlet:
        outlet[UNKNOWN_OUTLET] = outlet.pop("")
    year = _sorted_counts(results.groups("year"), by_key=True)
    month = _sorted_counts(results.groups("month"), by_key=True)
    year.pop(NO_DATE, None)
    no_date = month.pop(NO_DATE, 0)
    return Facets(outlet=outlet, year=year, month=month, no_date=no_date)


def _sorted_counts(groups: dict[Any, int], by_key: bool = False) -> dict[str, int]:
    items = [(_text(k), int(v)) for k, v in groups.items()]
    if by_key:
        items.sort(key=lambda kv: kv[0])
    else:
        items.sort(key=lambda kv: (-kv[1], kv[0]))
    return dict(items)


def _text(key: Any) -> str:
    if isinstance(key, bytes):
        return key.decode("utf-8")
    return "" if key is None else str(key)


def _is_undated(key: Any) -> bool:
    return key in (NO_DATE, NO_DATE.encode())


def sort_facet(sort: Sort) -> sorting.FacetType | None:
    """Newest or oldest first, undated articles last either way; None: by score."""
    if sort == "relevance":
        return None
    undated_last = sorting.TranslateFacet(_is_undated, sorting.FieldFacet("year"))
    newest = sort == "newest"
    return sorting.MultiFacet([undated_last, sorting.FieldFacet("published", reverse=newest)])


def date_query(bounds: DateBounds) -> wq.Query | None:
    if bounds.is_open:
        return None
    start = start_of(bounds.since) if bounds.since else None
    end = end_of(bounds.until) if bounds.until else None
    return wq.DateRange("published", start, end)


def filter_query(filters: Filters) -> wq.Query | None:
    """The Filters as one Whoosh query, or None when they filter nothing."""
    parts: list[wq.Query] = []
    if filters.outlets:
        keys = [k.lower() for k in dict.fromkeys(filters.outlets)]
        terms: list[wq.Query] = [wq.Term("outlet", k) for k in keys if k != UNKNOWN_OUTLET]
        if UNKNOWN_OUTLET in keys:
            terms.append(wq.Not(wq.Every("outlet")))
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    undated = wq.Term("year", NO_DATE)
    dates = date_query(DateBounds(filters.since, filters.until))
    if dates is not None:
        parts.append(wq.Or([dates, undated]) if filters.include_undated else dates)
    elif not filters.include_undated:
        parts.append(wq.Not(undated))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
