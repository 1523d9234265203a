"""Errors a searcher can cause: a query that cannot be read, an id that is not there.

Both are WartaErrors (exit status 2, one line), so the CLI and the TUI show them as they
show every other user error.
"""

from __future__ import annotations

from index.errors import WartaError


class QueryError(WartaError):
    """A query, filter or option that cannot be searched as given."""


class ArticleNotFoundError(WartaError):
    """No article with that id in the index."""


class SourceFileError(WartaError):
    """The raw file of an article cannot be read any more (moved, deleted, unreadable)."""


class SearchTimeout(QueryError):
    """A search that used up its time budget (the TUI gives each a few seconds)."""

    def __init__(
        self, message: str = "the search took too long — narrow it (more words, fewer prefixes)"
    ) -> None:
        super().__init__(message)
