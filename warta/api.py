"""The public Python API: an archive opened as a context manager, searched with keyword
arguments, answering with the plain dataclasses the command line and the TUI render.

    from warta import Archive, build_index

    build_index("seeds/", "my-index")
    with Archive("my-index") as archive:
        results = archive.search("rudal", since="2023-09", limit=5)
        for hit in results.hits:
            print(hit.published, hit.outlet, hit.title)

Everything a user can get wrong (a missing index, an unreadable query, an unknown id)
raises a `WartaError` subclass with a one-line message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from index.article import Article
from index.build import BuildReport
from index.build import build_index as _build_index
from index.config import default_index_dir
from search.engine import Engine
from search.export import export_hits
from search.filters import make_filters
from search.keyness import Term
from search.models import ArticleView, Hit, SearchResults, Sort, StorySummary
from search.trend import Interval, Trend


def build_index(
    source: str | Path,
    index: str | Path | None = None,
    *,
    update: bool = False,
    outlet: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    languages: Iterable[str] | None = None,
    story_threshold: float | None = None,
) -> BuildReport:
    """Index every article under `source` into `index` (the user's default index when
    None), atomically; `update` re-reads only new and changed files. The report says what
    was indexed, skipped and learned (`report.to_dict()` is `warta index --json`); `sheet`
    reads only that sheet of each spreadsheet; `languages` (ISO 639-1 codes) indexes only
    articles in those languages; `story_threshold` (0-1) how alike two articles must be
    to be one story (index.stories.DEFAULT_THRESHOLD unless given)."""
    target = Path(index).expanduser() if index is not None else default_index_dir()
    wanted = frozenset(c.lower() for c in languages) if languages is not None else None
    return _build_index(
        Path(source),
        target,
        outlet=outlet,
        update=update,
        columns=columns,
        sheet=sheet,
        languages=wanted,
        story_threshold=story_threshold,
    )


@dataclass(frozen=True)
class ArchiveStats:
    """The archive's shape, as `warta stats` shows it."""

    articles: int
    outlets: dict[str, int]
    outlet_names: dict[str, str | None]
    years: dict[str, int]
    first_published: str | None
    last_published: str | None
    undated: int
    index_bytes: int
    built_at: str | None
    source: str | None


class Archive:
    """An indexed archive, open for searching. Use it as a context manager, or `close()`.

    One Archive serves one thread at a time; open one per thread to search in parallel.
    """

    def __init__(self, index: str | Path | None = None) -> None:
        path = Path(index).expanduser() if index is not None else default_index_dir()
        self._engine = Engine(path)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._engine.close()

    def search(
        self,
        query: str = "",
        *,
        outlets: Iterable[str] = (),
        since: str | date | None = None,
        until: str | date | None = None,
        include_undated: bool | None = None,
        languages: Iterable[str] = (),
        sort: Sort = "relevance",
        limit: int = 10,
        page: int = 1,
        fold: bool = True,
    ) -> SearchResults:
        """One page of hits for `query` (the query syntax of `warta search`; empty: all),
        with the total and the facets of the whole result set, each facet counted with
        its own filter lifted (as `warta search --facets` and the TUI's sidebar count).

        `since`/`until` take a date or "YYYY", "YYYY-MM", "YYYY-MM-DD" (a month or year
        means all of it); with either, undated articles are left out unless
        `include_undated` says otherwise. `languages`: ISO 639-1 codes (or names) to keep.
        With `fold` (the default) copies of one story are one hit (`Hit.folded` counts
        the others, `results.stories` the distinct stories); `fold=False` lists every
        article.
        """
        filters = make_filters(outlets, since, until, include_undated, languages=languages)
        return self._engine.search(query, filters, sort, page, limit, disjunctive=True, fold=fold)

    def stories(
        self,
        query: str = "",
        *,
        outlets: Iterable[str] = (),
        since: str | date | None = None,
        until: str | date | None = None,
        sort: str = "size",
        limit: int = 20,
    ) -> list[StorySummary]:
        """The stories told by several articles among the matches of `query` (every
        article when empty), the largest ("size") or the newest ("newest") first, as
        `warta stories` lists them."""
        filters = make_filters(outlets, since, until, None)
        return self._engine.top_stories(query, filters, sort, limit)

    def trend(
        self,
        *queries: str,
        outlets: Iterable[str] = (),
        since: str | date | None = None,
        until: str | date | None = None,
        interval: Interval | None = None,
        by_outlet: bool = False,
        normalize: bool = False,
        stories: bool = False,
    ) -> Trend:
        """Matching articles per interval for each query, side by side (`warta trend`):
        `interval` "day", "week", "month" or "year" (None: chosen by the span), one series
        per outlet with `by_outlet`, shares of all articles with `normalize`, each story
        counted once with `stories`."""
        filters = make_filters(outlets, since, until, None)
        return self._engine.trend(
            list(queries) or [""],
            filters,
            interval,
            by_outlet=by_outlet,
            normalize=normalize,
            stories=stories,
        )

    def terms(
        self,
        query: str,
        *,
        outlets: Iterable[str] = (),
        since: str | date | None = None,
        until: str | date | None = None,
        top: int = 10,
    ) -> list[Term]:
        """The words, two-word phrases and names most over-represented in the matches of
        `query` against the whole archive, `top` of each kind (`warta terms`)."""
        filters = make_filters(outlets, since, until, None)
        return self._engine.terms(query, filters, top)

    def export(
        self,
        query: str,
        path: str | Path,
        *,
        outlets: Iterable[str] = (),
        since: str | date | None = None,
        until: str | date | None = None,
        sort: Sort = "relevance",
        body: bool = True,
        force: bool = False,
    ) -> int:
        """Every hit of `query` to `path` (.csv or .jsonl) with its provenance, as
        `warta search --export` writes it; the number of hits written."""
        filters = make_filters(outlets, since, until, None)
        return export_hits(self._engine, query, filters, sort, Path(path), body=body, force=force)

    def article(self, article_id: str, *, query: str = "") -> ArticleView:
        """One article by id, its query words located for highlighting."""
        return self._engine.article(article_id, query)

    def related(self, article_id: str, *, limit: int = 5) -> list[Hit]:
        """Articles that share the most distinctive words of this one."""
        return self._engine.more_like_this(article_id, limit)

    def articles(self) -> Iterator[Article]:
        """Every indexed article, in index order (`warta export`)."""
        return self._engine.iter_articles()

    def stats(self) -> ArchiveStats:
        """The archive's shape: articles, outlets, years, dates, size, provenance."""
        raw: dict[str, Any] = self._engine.stats()
        return ArchiveStats(**{k: raw[k] for k in ArchiveStats.__dataclass_fields__})
