"""Warta: search and analysis for Indonesian news archives.

The public Python API (see the README's "Python API"): `build_index` builds an index from
a folder of articles, `Archive` opens one for searching; results are plain dataclasses;
every error a user can cause is a `WartaError` with a one-line message.

Names load on first use, so that `warta search` (which imports this package) starts
without the build machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Archive": "warta.api",
    "ArchiveStats": "warta.api",
    "build_index": "warta.api",
    "Article": "index.article",
    "BuildReport": "index.build",
    "IndexMissingError": "index.errors",
    "WartaError": "index.errors",
    "ArticleNotFoundError": "search.errors",
    "QueryError": "search.errors",
    "ArticleView": "search.models",
    "Facets": "search.models",
    "Filters": "search.models",
    "Hit": "search.models",
    "SearchResults": "search.models",
    "StoryMember": "search.models",
    "StorySummary": "search.models",
    "Trend": "search.trend",
    "TrendRow": "search.trend",
    "Term": "search.keyness",
}
__all__ = [
    "Archive",
    "ArchiveStats",
    "Article",
    "ArticleNotFoundError",
    "ArticleView",
    "BuildReport",
    "Facets",
    "Filters",
    "Hit",
    "IndexMissingError",
    "QueryError",
    "SearchResults",
    "StoryMember",
    "StorySummary",
    "Term",
    "Trend",
    "TrendRow",
    "WartaError",
    "build_index",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'warta' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # what type checkers and editors see
    from index.article import Article
    from index.build import BuildReport
    from index.errors import IndexMissingError, WartaError
    from search.errors import ArticleNotFoundError, QueryError
    from search.keyness import Term
    from search.models import (
        ArticleView,
        Facets,
        Filters,
        Hit,
        SearchResults,
        StoryMember,
        StorySummary,
    )
    from search.trend import Trend, TrendRow
    from warta.api import Archive, ArchiveStats, build_index
