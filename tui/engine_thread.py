"""The search engine, driven from one long-lived thread.

`Engine` keeps one Whoosh searcher per thread, and every Textual thread worker is a new
thread: calling the engine straight from the workers opened a fresh searcher for every
keystroke (measured at 5,000 articles: 70 ms a search instead of 15 ms). So the workers
still debounce, get cancelled and drop stale answers, but hand the engine call itself to
this thread and wait for it. One thread also means a `refresh()` never swaps the index
under a search that is running.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from search.engine import Engine
from search.export import export_hits
from search.keyness import Term
from search.models import ArticleView, Filters, Hit, SearchResults, Sort
from search.trend import Interval, Trend

T = TypeVar("T")


#: Seconds one search may take in the TUI before it stops with a message: a search the
#: user typed past must not hold the engine thread for the next keystrokes.
SEARCH_BUDGET_S = 3.0


class EngineThread:
    """The Engine API of the TUI, each call run on the one engine thread."""

    def __init__(self, index_dir: Path) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-engine")
        self._exports = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-export")
        self._export_engine: Engine | None = None
        try:
            self.engine: Engine = self._run(Engine, index_dir)
        except BaseException:
            self._pool.shutdown(wait=False)
            raise

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._pool.submit(fn, *args, **kwargs).result()

    @property
    def token(self) -> object:
        """Changes when the engine reopened a rebuilt index."""
        return getattr(self.engine, "token", None)

    def search(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
        sort: Sort = "relevance",
        page: int = 1,
        page_size: int = 20,
        *,
        fold: bool = True,
    ) -> SearchResults:
        """One page of hits; with `fold`, copies of one story are one hit (`Hit.folded`)."""
        return self._run(
            partial(self.engine.search, disjunctive=True, budget_s=SEARCH_BUDGET_S, fold=fold),
            query,
            filters,
            sort,
            page,
            page_size,
        )

    def has_stories(self) -> bool:
        """True when the open index groups some articles into stories: only then does
        the key that folds or unfolds them mean anything (the footer hides it otherwise)."""
        return self._run(self._has_stories)

    def _has_stories(self) -> bool:
        stories = self.engine.stories()
        return stories is not None and stories.any

    def article(self, article_id: str, query: str = "") -> ArticleView:
        return self._run(self.engine.article, article_id, query)

    def more_like_this(self, article_id: str, limit: int = 5) -> list[Hit]:
        return self._run(self.engine.more_like_this, article_id, limit)

    def raw(self, article_id: str) -> str:
        return self._run(self.engine.raw, article_id)

    def trend(
        self,
        queries: list[str],
        filters: Filters,
        interval: Interval | None = None,
        *,
        by_outlet: bool = False,
        normalize: bool = False,
    ) -> Trend:
        return self._run(
            partial(self.engine.trend, by_outlet=by_outlet, normalize=normalize),
            queries,
            filters,
            interval,
        )

    def outlet_counts(self, filters: Filters) -> dict[str, int]:
        return self._run(self.engine.outlet_counts, filters)

    def date_span(self) -> tuple[date, date] | None:
        return self._run(self.engine.date_span)

    def terms(self, query: str, filters: Filters, top: int = 10) -> list[Term]:
        return self._run(self.engine.terms, query, filters, top)

    def export(self, query: str, filters: Filters, sort: Sort, path: Path) -> int:
        """Every hit to `path` (`search.export`), on a thread of its own with an engine of
        its own (opened on the first export, reopened when the index was rebuilt): an
        export of the whole archive takes seconds, and searches must not wait for it."""
        return self._exports.submit(self._export, query, filters, sort, path).result()

    def _export(self, query: str, filters: Filters, sort: Sort, path: Path) -> int:
        if self._export_engine is None:
            self._export_engine = Engine(self.engine.index_dir)
        else:
            self._export_engine.refresh()
        return export_hits(self._export_engine, query, filters, sort, path)

    def refresh(self) -> bool:
        return self._run(self.engine.refresh)

    def stats(self) -> dict[str, Any]:
        return self._run(self.engine.stats)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._exports.shutdown(wait=False, cancel_futures=True)
