"""Reading the index: the one place that opens a Whoosh index for searching.

`Engine` holds one open index and hands out plain dataclasses (`SearchResults`, `Hit`,
`ArticleView`): the CLI and the TUI are two renderers of the same answers, and neither
sees a Whoosh object. Whoosh searchers are not shared between threads: each thread gets
its own, and opening one costs tens of milliseconds, so callers should search from a few
long-lived threads (the TUI funnels every call through one, `tui/engine_thread.py`).
"""

from __future__ import annotations

import functools
import heapq
import logging
import pickle
import struct
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from datetime import date
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as wq

from index import doc_columns, safe_unpickle, store, story_table
from index import outlets as outlet_table
from index.analysis import STEMS
from index.archives import split_member
from index.article import Article
from index.errors import IndexDamagedError, IndexVersionError, SkipFile
from index.html import decode_html
from index.sources import MAX_FILE_BYTES, Found, decode_text, open_source
from index.spreadsheets import SHEET_EXTS, row_text
from index.untrusted import strip_controls
from index.warc import is_warc, record_page
from index.whoosh_release import internals_supported
from search import exactness, lead, nearness
from search.compiler import LeadTerm, compile_query
from search.docsets import DocSets
from search.errors import ArticleNotFoundError, QueryError, SearchTimeout, SourceFileError
from search.facets import filter_docs
from search.fastpath import Context, FieldNorms, PostingCache, compile_plan, top_docs
from search.fastpath.caches import SegmentArrays
from search.fastpath.docarrays import as_docs
from search.fastpath.plan import EXACT, PhraseNode, match_set
from search.fastpath.postings import DOC
from search.fastpath.rescore import rescore
from search.highlight import HighlightTerms
from search.hits import article_from_stored, hit_from_stored, view_from_stored
from search.keyness import Term, distinctive
from search.models import (
    SORTS,
    ArticleView,
    Facets,
    Filters,
    Hit,
    SearchResults,
    Sort,
    StoryMember,
    StorySummary,
)
from search.ranking import DEFAULT_RANKING, Ranking
from search.rerank import rerank
from search.spelling import suggest
from search.stories import Folded, Stories, fold_pages, story_facets
from search.trend import Interval, Trend, day_span, tabulate

MAX_PAGE_SIZE = 1000

log = logging.getLogger(__name__)

#: From this many documents the engine reads the generation's persisted columns
#: (index.doc_columns) rather than walking the term index: the walk costs about 4.5 µs a
#: document, importing numpy about 0.1 s, even at 25,000 documents.
COLUMNS_FROM_DOCS = 25_000


safe_unpickle.install()  # no code from an index: see index/safe_unpickle.py

F = TypeVar("F", bound=Callable[..., Any])

# What reading a damaged index raises from deep inside Whoosh: truncated or garbled files
# (struct, zlib, pickle, mmap errors), a table of contents from another machine or none.
_DAMAGE: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
    whoosh_index.EmptyIndexError,
    whoosh_index.IndexError,
)


def _refused(index_dir: Path, err: safe_unpickle.RefusedPickle) -> IndexDamagedError:
    return IndexDamagedError(
        f"index at {index_dir} was not opened: {err} — rebuild it from its articles with: "
        "warta index DIR"
    )


def _why(err: BaseException) -> str:
    text = str(err).splitlines()[0][:80] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _reads_index(method: F) -> F:
    """A public read of the index: a damaged file surfaces as one line, not a traceback."""

    @functools.wraps(method)
    def read(self: Engine, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except safe_unpickle.RefusedPickle as err:
            raise _refused(self.index_dir, err) from None
        except _DAMAGE as err:
            raise IndexDamagedError(store.damaged_message(self.index_dir, _why(err))) from None
        except Exception as err:
            if type(err) is not Exception:  # Whoosh raises bare Exception("Block tag error")
                raise
            raise IndexDamagedError(store.damaged_message(self.index_dir, _why(err))) from None

    return read  # type: ignore[return-value]


class Engine:
    """An open index. Cheap to keep around; `refresh()` picks up a rebuilt index."""

    def __init__(
        self, index_dir: Path, ranking: Ranking = DEFAULT_RANKING, fast: bool = True
    ) -> None:
        """`fast=False` answers every query through Whoosh's own collector: the reference
        the fast path (`search.fastpath`) is tested against."""
        self.index_dir = Path(index_dir)
        self.ranking = ranking
        self.fast = fast
        self._postings = PostingCache()
        self._sets_lock = threading.Lock()
        self._local = threading.local()
        self._open()

    def _open(self) -> None:
        gen = store.current_generation(self.index_dir)
        store.check_permissions(gen, self.index_dir)
        store.verify_files(gen, self.index_dir)
        try:
            self._ix = whoosh_index.open_dir(str(gen.path))
        except safe_unpickle.RefusedPickle as err:
            raise _refused(self.index_dir, err) from None
        except (AttributeError, ImportError):
            # The pickled schema names analyzer classes this version of Warta lacks.
            raise IndexVersionError(
                f"index at {self.index_dir} was written by another version of Warta — "
                "rebuild it with: warta index DIR"
            ) from None
        except _DAMAGE as err:
            raise IndexDamagedError(store.damaged_message(self.index_dir, _why(err))) from None
        self.generation = gen
        self.token = gen.path.name
        self._local = threading.local()
        self._sets: DocSets | None = None
        self._filter_cache: dict[Filters, frozenset[int] | None] = {}
        self._spelling_cache: dict[str, str | None] = {}
        self._matched: dict[tuple[str, str, Filters], frozenset[int] | set[int]] = {}
        self._span: tuple[date, date] | bool | None = False  # False: not read yet
        self._postings.clear()
        self._norms: FieldNorms | None = None
        self._arrays: SegmentArrays | None = None
        self._stories: Stories | None = None
        self.story_notice: str | None = None  # why hits are not folded by story, if known
        self._stories_read = False
        STEMS.load(self.index_dir / store.STEMS)

    @property
    def meta(self) -> dict[str, Any]:
        return self.generation.meta

    def close(self) -> None:
        """Close this thread's searcher and the index; the engine is not used after."""
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
            self._local.searcher = None
        self._ix.close()
        self._postings.clear()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> bool:
        """Reopen if another process published a new generation; True when it did."""
        token = store.generation_token(self.index_dir)
        if token is None or token == self.token:
            return False
        self._open()
        return True

    def searcher(self) -> Any:
        """This thread's searcher (Whoosh searchers must not cross threads)."""
        s = getattr(self._local, "searcher", None)
        if s is None or getattr(self._local, "token", None) != self.token:
            s = self._ix.searcher(weighting=self.ranking.weighting())
            self._local.searcher = s
            self._local.token = self.token
        return s

    def doc_count(self) -> int:
        return self._ix.doc_count()

    @_reads_index
    def iter_articles(self) -> Iterator[Article]:
        """Every indexed article, in index order: what `warta export` writes."""
        reader = self.searcher().reader()
        for docnum, fields in reader.iter_docs():
            yield self._in_story(article_from_stored(fields), docnum)

    # ── stories ─────────────────────────────────────────────────────────────────────────

    def stories(self) -> Stories | None:
        """The generation's story table, read on first use; None (with `story_notice`
        saying why) when it is missing or damaged: hits are then one per article."""
        with self._sets_lock:
            if not self._stories_read:
                self._stories_read = True
                docs = self.searcher().reader().doc_count_all()
                try:
                    self._stories = Stories(story_table.load(self.generation.path, docs))
                except story_table.StoryTableError as err:
                    self.story_notice = f"{err} — one hit per article; rebuild to group stories"
            return self._stories

    def _in_story(self, article: Any, docnum: int) -> Any:
        """An article (or a view of one) with its story's facts: origin, and for a hit the
        story's size."""
        stories = self.stories()
        dated = article.published is not None
        article.origin = stories.is_origin(docnum, dated) if stories is not None else None
        if isinstance(article, Hit) and stories is not None:
            article.story_size = stories.size(docnum)
        return article

    def _folded_outlets(self, docs: list[int]) -> list[str]:
        """The outlets of folded articles, by name, each once."""
        of = self.docsets().outlet_of()
        names: dict[str, None] = {}
        for d in docs:
            key = of[d]
            if key is None or key == "(unknown)":
                continue
            known = outlet_table.get(key)
            names[known.name if known is not None else key] = None
        return list(names)

    # ── searching ───────────────────────────────────────────────────────────────────────

    @_reads_index
    def search(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
        sort: Sort = "relevance",
        page: int = 1,
        page_size: int = 20,
        *,
        disjunctive: bool = False,
        budget_s: float | None = None,
        fold: bool = True,
        by_story: bool = False,
    ) -> SearchResults:
        """One page of hits, with facets and the total over the whole result set.

        An empty query lists every article (newest first when sorted by relevance: there
        is nothing to rank by). Stored fields are read only for the page shown; facets
        come from the sortable columns. Every facet counts the filtered set (the counts
        add up to `total`), unless `disjunctive`: then each facet is counted with its own
        filter lifted, as a sidebar needs it (with an outlet chosen, the other outlets
        still show what adding them would bring; the dates likewise). The CLI, the TUI
        and the Python API all ask for that. With `budget_s`, ranking stops with a
        SearchTimeout once that many seconds are used (the TUI's budget per keystroke).
        With `fold` (the default), copies of one story are one hit: the best-ranked of
        them, with the others counted in `folded`; `total` still counts articles and
        `stories` the distinct stories among them. With `by_story`, the facets count
        stories (each once under every outlet, month and language it has), not articles.
        """
        started = time.monotonic()
        _check_paging(sort, page, page_size)
        run = self._prepare(query, filters, sort)
        if budget_s is not None:
            run.deadline = started + budget_s
            if run.ctx is not None:
                run.ctx.deadline = run.deadline
        matched = run.match(run.allowed)  # matching: the whole result set, counted
        self._remember(query, filters, matched)
        stories = self.stories() if fold else None
        if stories is not None and not stories.any:
            stories = None
        if stories is not None:  # ranking: one hit per story
            folded = fold_pages(
                functools.partial(run.rank, matched), stories, matched, page * page_size
            )
            page_docs = folded[(page - 1) * page_size : page * page_size]
        else:  # ranking: one hit per article
            page_docs = [
                Folded(d, score, [])
                for d, score in run.rank(matched, page * page_size)[(page - 1) * page_size :]
            ]
        s, compiled = run.searcher, run.compiled  # presenting: the page, the facets
        hits = [self._hit(s, f, compiled.highlight) for f in page_docs]
        suggestion = (
            suggest(s.reader(), query, compiled.words, self._spelling_cache)
            if compiled.words
            else None
        )
        return SearchResults(
            query=query,
            total=len(matched),
            hits=hits,
            facets=self._facets(query, filters, run, matched, by_story)
            if disjunctive
            else self._counter(run.sets, by_story)(matched),
            suggestion=suggestion,
            took_ms=(time.monotonic() - started) * 1000,
            page=page,
            page_size=page_size,
            notice=_notes(compiled.notice, self.story_notice if fold else None),
            stories=stories.count(matched) if stories is not None else None,
        )

    def _hit(self, searcher: Any, folded: Folded, terms: HighlightTerms) -> Hit:
        hit = hit_from_stored(searcher.stored_fields(folded.doc), folded.score, terms)
        if folded.others:
            hit.folded = len(folded.others)
            hit.folded_outlets = self._folded_outlets(folded.others)
        return self._in_story(hit, folded.doc)

    def _prepare(self, query: str, filters: Filters, sort: Sort) -> _Run:
        """A search's parts: the compiled query, its plans, the filter sets."""
        compiled = compile_query(query, self.ranking, unstemmed=self._unstemmed())
        if compiled.query is not None and _has_prefix(compiled.query):
            reader = self.searcher().reader()
            capped = _PrefixCap(reader, _count_prefixes(compiled.query))
            compiled.query = capped(compiled.query)
            if compiled.match_query is not None:
                compiled.match_query = capped(compiled.match_query)
            compiled.notices.extend(capped.notes)
        compiled.bounds.narrowed(filters.since, filters.until).check()
        if compiled.query is None and sort == "relevance":
            sort = "newest"  # nothing to rank by
        s = self.searcher()
        sets = self.docsets()
        typed: frozenset[int] | None = None
        if not compiled.bounds.is_open:
            # Dates typed in the query: a filter too (cached), never a scored clause.
            b = compiled.bounds
            typed = self._filter_docs(
                Filters(since=b.since, until=b.until, include_undated=False), sets, s
            )
        allowed = _both(self._filter_docs(filters, sets, s), typed)
        fast = self.fast and internals_supported()
        ctx = self._fast_context(s, sets) if fast else None
        run = _Run(s, sets, compiled, sort, typed, allowed, ctx)
        run.exact_gain = self.ranking.exact_gain
        run.near_gain, run.near_slop = self.ranking.near_gain, self.ranking.near_slop
        run.lead_gain, run.lead_words = self.ranking.lead_gain, self.ranking.lead_words
        return run

    def _counter(self, sets: DocSets, by_story: bool) -> Callable[[Any], Facets]:
        """How facets are counted: articles, or stories (`search.stories.story_facets`)."""
        stories = self.stories() if by_story else None
        if stories is None or not stories.any:
            return sets.count
        return functools.partial(story_facets, sets, stories)

    def _facets(
        self,
        query: str,
        filters: Filters,
        run: _Run,
        matched: frozenset[int] | set[int],
        by_story: bool = False,
    ) -> Facets:
        """Facet counts with each facet's own filter lifted (see `search`): the outlets
        over the query and the date filter, the dates over the query and the outlets."""
        sets, s = run.sets, run.searcher
        count = self._counter(sets, by_story)
        facets = count(matched)
        if filters.outlets:
            others = self._filter_docs(replace(filters, outlets=()), sets, s)
            facets.outlet = count(run.match(_both(others, run.typed))).outlet
        if filters.languages:
            others = self._filter_docs(replace(filters, languages=()), sets, s)
            facets.language = count(run.match(_both(others, run.typed))).language
        if filters.since or filters.until or not filters.include_undated:
            undated = replace(filters, since=None, until=None, include_undated=True)
            lifted = run.match(_both(self._filter_docs(undated, sets, s), run.typed))
            self._remember(query, undated, lifted)
            wider = count(lifted)
            facets.year, facets.month, facets.no_date = wider.year, wider.month, wider.no_date
        return facets

    def _fast_context(self, searcher: Any, sets: DocSets) -> Context:
        """This thread's view of the shared posting cache and length norms."""
        with self._sets_lock:
            if self._norms is None:
                w = self.ranking.weighting()
                self._norms = FieldNorms(searcher, w.B, w.K1)
                self._arrays = SegmentArrays()
            norms, arrays = self._norms, self._arrays
        ndocs = searcher.doc_count_all()
        return Context(searcher, self.token, self._postings, norms, ndocs, arrays)

    def _unstemmed(self) -> bool:
        """True when some articles are in another language than Indonesian (indexed as
        their exact words): what the compiler must know to find them."""
        return bool(self.docsets().languages_held() - {"id"})

    def docsets(self) -> DocSets:
        """Document sets per outlet and month of the open generation, built on first use."""
        with self._sets_lock:
            if self._sets is None:
                reader = self.searcher().reader()
                docs = reader.doc_count_all()
                columns = None
                if docs >= COLUMNS_FROM_DOCS:
                    try:
                        columns = doc_columns.load(self.generation.path, docs)
                    except doc_columns.DocColumnsError as err:
                        # The term index gives the same sets, slower (an index built
                        # before the columns, or damaged ones).
                        log.info("%s: reading the term index instead", err)
                self._sets = DocSets(reader, columns)
            return self._sets

    def _filter_docs(self, filters: Filters, sets: DocSets, searcher: Any) -> frozenset[int] | None:
        """Filters as a document set, cached: the TUI asks again for every keystroke."""
        if filters == Filters():
            return None
        with self._sets_lock:
            if filters in self._filter_cache:
                return self._filter_cache[filters]
        docs = filter_docs(filters, sets, searcher)
        with self._sets_lock:
            if len(self._filter_cache) >= 64:
                self._filter_cache.clear()
            self._filter_cache[filters] = docs
        return docs

    def _docnum(self, article_id: str) -> int:
        docnum = self.searcher().document_number(id=article_id)
        if docnum is None:
            raise ArticleNotFoundError(f"no article with id '{article_id}' in {self.index_dir}")
        return docnum

    @_reads_index
    def article(self, article_id: str, query: str = "") -> ArticleView:
        """One article for reading, with the spans of `query`'s terms in each paragraph."""
        s = self.searcher()
        docnum = self._docnum(article_id)
        fields = s.stored_fields(docnum)
        terms = (
            compile_query(query, self.ranking, unstemmed=self._unstemmed()).highlight
            if query.strip()
            else HighlightTerms()
        )
        view = self._in_story(view_from_stored(fields, terms), docnum)
        stories = self.stories()
        if stories is not None:
            family = stories.family(docnum)
            view.family = [self._member(s, d, view.body) for d in family]
            first = stories.first(docnum)
            if first is not None and first != docnum:
                theirs = article_from_stored(s.stored_fields(first))
                held = {_para_key(p) for p in theirs.body}
                mine = {_para_key(p) for p in view.body}
                view.compared_with = theirs.id
                view.added = [i for i, p in enumerate(view.body) if _para_key(p) not in held]
                view.missing = [p for p in theirs.body if _para_key(p) not in mine]
        return view

    def _member(self, searcher: Any, docnum: int, body: list[str]) -> StoryMember:
        """Another article of a story, with what its paragraphs add to and lack from
        `body` (paragraphs compared whole, whitespace and case aside)."""
        a = article_from_stored(searcher.stored_fields(docnum))
        mine = {_para_key(p) for p in body}
        theirs = {_para_key(p) for p in a.body}
        stories = self.stories()
        origin = stories.is_origin(docnum, a.published is not None) if stories else False
        return StoryMember(
            id=a.id,
            title=a.title,
            outlet=a.outlet,
            outlet_name=a.outlet_name,
            published=a.published,
            origin=origin,
            added=len(theirs - mine),
            missing=len(mine - theirs),
        )

    @_reads_index
    def more_like_this(self, article_id: str, limit: int = 5) -> list[Hit]:
        """Articles that share the most telling words of this one (its key terms, by Bo1)."""
        if limit < 1:
            raise QueryError(f"limit must be at least 1, not {limit}")
        s = self.searcher()
        docnum = self._docnum(article_id)
        key_terms = s.key_terms([docnum], "body", numterms=12)
        if not key_terms:
            return []
        q = wq.Or([wq.Term("body", term, boost=weight) for term, weight in key_terms])
        terms = HighlightTerms(stems=frozenset(term for term, _ in key_terms))
        results = s.search(q, limit=limit, mask=wq.Term("id", article_id))
        return [hit_from_stored(h.fields(), h.score or 0.0, terms) for h in results]

    # ── analysis: every match, not a page ──────────────────────────────────────────────

    @_reads_index
    def matches(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
    ) -> frozenset[int] | set[int]:
        """Document numbers of every match: the set a search's `total` counts, which
        trends, terms and exports work over. Numbers belong to this open generation."""
        with self._sets_lock:
            found = self._matched.get((self.token, query, filters))
        if found is not None:
            return found
        run = self._prepare(query, filters, "relevance")
        return self._remember(query, filters, run.match(run.allowed))

    def forget_matches(self) -> None:
        """Drop the kept match sets, so the next trend or terms matches anew (benchmarks
        time a fresh `warta trend` this way)."""
        with self._sets_lock:
            self._matched.clear()

    def _remember(
        self, query: str, filters: Filters, matched: frozenset[int] | set[int]
    ) -> frozenset[int] | set[int]:
        """Keep the last few match sets: the TUI's timeline and terms ask for the set the
        search before them just matched, and matching it again would double the work."""
        with self._sets_lock:
            if len(self._matched) >= 4:
                self._matched.pop(next(iter(self._matched)))
            self._matched[(self.token, query, filters)] = matched
        return matched

    @_reads_index
    def trend(
        self,
        queries: list[str],
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
        interval: Interval | None = None,
        *,
        by_outlet: bool = False,
        normalize: bool = False,
        stories: bool = False,
    ) -> Trend:
        """Matching articles per interval (None: chosen by the span), for each query, per
        outlet with `by_outlet`; shares of all articles under the same filters with
        `normalize`. Counted from columns (`search.trend`), no stored article read. With
        `stories`, each story counts once, on the day of its earliest matching article
        (articles when the index has no story table: `story_notice` says so)."""
        sets = self.docsets()
        days = sets.days(self.searcher().reader())
        matched = {q: self.matches(q, filters) for q in dict.fromkeys(queries)}
        table = self.stories() if stories else None
        if table is not None:
            matched = {q: table.first_of_each(m, days) for q, m in matched.items()}
        base = None
        if normalize:
            undated_too = replace(filters, since=None, until=None, include_undated=True)
            base = self._filter_docs(undated_too, sets, self.searcher()) or sets.live
            if table is not None:
                base = table.first_of_each(base, days)
        return tabulate(
            matched,
            days,
            sets.outlet_of() if by_outlet else None,
            since=filters.since,
            until=filters.until,
            interval=interval,
            normalize_over=base,
        )

    @_reads_index
    def top_stories(
        self,
        query: str = "",
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
        sort: str = "size",
        limit: int = 20,
    ) -> list[StorySummary]:
        """The stories of several articles among the matches (every article for an empty
        query): the largest (by matching articles) or the newest (by latest article)
        first. Empty when the index has no story table (`story_notice` says why)."""
        if sort not in ("size", "newest"):
            raise QueryError(f"stories sort by size or newest, not '{sort}'")
        if limit < 1:
            raise QueryError(f"limit must be at least 1, not {limit}")
        stories = self.stories()
        if stories is None:
            return []
        s, sets = self.searcher(), self.docsets()
        days = sets.days(s.reader())
        matched = (
            self.matches(query, filters) if query.strip() or filters != Filters() else sets.live
        )
        found = stories.among(matched)
        members = stories.table.members

        def newest(i: int) -> int:
            return max(days[d] for d in members[i])

        if sort == "size":
            order = sorted(found, key=lambda i: (-len(found[i]), -newest(i), i))
        else:
            order = sorted(found, key=lambda i: (-newest(i), -len(found[i]), i))
        return [self._story_summary(s, i, len(found[i]), days) for i in order[:limit]]

    def _story_summary(self, searcher: Any, i: int, matching: int, days: list[int]) -> StorySummary:
        stories = self.stories()
        assert stories is not None
        table = stories.table
        docs = table.members[i]
        head = searcher.stored_fields(docs[0])
        dated = [days[d] for d in docs if days[d]]
        return StorySummary(
            story=table.ids[i],
            size=len(docs),
            matching=matching,
            title=head.get("title") or "",
            origin_id=head["id"] if table.origin[i] >= 0 else None,
            outlets=self._folded_outlets(docs),
            first=date.fromordinal(min(dated)) if dated else None,
            last=date.fromordinal(max(dated)) if dated else None,
            articles=[searcher.stored_fields(d)["id"] for d in docs],
        )

    @_reads_index
    def outlet_counts(
        self,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
    ) -> dict[str, int]:
        """Articles per outlet among those the filters' dates let through (the outlet
        filter lifted): what a share of an outlet's coverage divides by."""
        sets = self.docsets()
        dated = self._filter_docs(replace(filters, outlets=()), sets, self.searcher())
        return sets.count(sets.live if dated is None else dated).outlet

    @_reads_index
    def date_span(self) -> tuple[date, date] | None:
        """The first and last publication day in the archive (None: nothing dated)."""
        with self._sets_lock:
            if self._span is not False:
                return self._span
        sets = self.docsets()
        span = day_span(sets.days(self.searcher().reader()), sets.live)
        with self._sets_lock:
            self._span = span
        return span

    @_reads_index
    def terms(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
        top: int = 20,
    ) -> list[Term]:
        """The words, two-word phrases and names most over-represented in the matches
        against the whole archive (`search.keyness`), `top` of each kind."""
        matched = self.matches(query, filters)
        sets = self.docsets()
        return distinctive(self.searcher(), matched, sets.live, query, top, self._docs_for)

    def _docs_for(self, q: wq.Query) -> frozenset[int] | set[int]:
        """A query's matching documents: the fast path's (memoised) where it models the
        query, Whoosh's matcher otherwise."""
        s = self.searcher()
        if self.fast and internals_supported():
            plan = compile_plan(q, s.schema)
            if plan is not None:
                return plan.match(self._fast_context(s, self.docsets()))
        return frozenset(s.docs_for_query(q))

    @_reads_index
    def iter_hits(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, safe as a default
        sort: Sort = "relevance",
    ) -> Iterator[tuple[Article, float]]:
        """Every hit in the order `search` pages them, one stored article at a time: an
        export of any size holds document numbers, never the articles."""
        run = self._prepare(query, filters, sort)
        matched = run.match(run.allowed)
        stored = run.searcher.stored_fields
        for docnum, score in run.rank(matched, len(matched)):
            yield self._in_story(article_from_stored(stored(docnum)), docnum), score

    def provenance(self) -> dict[str, Any]:
        """What an export or a table was measured on: cite it with the figures."""
        return {
            "warta_version": warta_version(),
            "index": str(self.index_dir),
            "generation": self.generation.path.name,
            "built_at": self.meta.get("built_at"),
            "articles": self.doc_count(),
        }

    # ── the archive ─────────────────────────────────────────────────────────────────────

    @_reads_index
    def stats(self) -> dict[str, Any]:
        """The archive's shape: counts per outlet and year, the date span, size, provenance."""
        s = self.searcher()
        sets = self.docsets()
        facets = sets.count(sets.live)
        span = []
        dated = sets.live - sets.undated()
        for newest in (False, True):
            first = sets.by_date(dated, newest, 1, s.reader())
            span.append(s.stored_fields(first[0]).get("published_iso") if first else None)
        names = {}
        for key, docs in sets.outlet.items():
            names[key] = s.stored_fields(next(iter(docs))).get("outlet_name")
        meta = self.meta
        return {
            "index": str(self.index_dir),
            "generation": self.generation.path.name,
            "articles": len(sets.live),
            "outlets": facets.outlet,
            "outlet_names": {k: names.get(k) for k in facets.outlet},
            "years": facets.year,
            "languages": facets.language,
            "first_published": span[0],
            "last_published": span[1],
            "undated": facets.no_date,
            "index_bytes": _dir_size(self.generation.path),
            "built_at": meta.get("built_at"),
            "source": meta.get("source"),
            "schema_version": meta.get("schema_version"),
            "warta_version": meta.get("warta_version"),
        }

    def raw(self, article_id: str) -> str:
        """The source file of an article as text, as it is on disk now.

        Control characters are removed: a scraped page must not drive the terminal.
        """
        fields = self.searcher().stored_fields(self._docnum(article_id))
        source = self.meta.get("source")
        rel = fields.get("source") or (fields.get("path") or "").split("#", 1)[0]
        if not source or not rel:
            raise SourceFileError(f"the index does not say where article {article_id} came from")
        path = Path(source) / rel
        if path.suffix.lower() in SHEET_EXTS:
            return strip_controls(_sheet_row(Path(source), rel, fields.get("path") or ""))
        if is_warc(rel):
            return strip_controls(_warc_page(Path(source), rel, fields.get("path") or ""))
        try:
            # Never a FIFO or a device (no hang, no flood); a member of a zip or tar file
            # is read out of it.
            with open_source(Path(source), rel) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            raise SourceFileError(
                f"cannot read the source file {path}: {err.strerror or err}"
            ) from None
        if len(data) > MAX_FILE_BYTES:
            raise SourceFileError(f"the source file {path} is larger than 5 MiB now")
        return strip_controls(decode_text(data))


def _warc_page(root: Path, rel: str, article_path: str) -> str:
    """A web archive article's page: the response record at its offset (`x.warc.gz#N`)."""
    offset = article_path.rpartition("#")[2]
    if not offset.isdigit():
        raise SourceFileError(f"the index does not say which record of {root / rel} it is")
    archive, member = split_member(rel)
    try:
        st = (root / archive).stat()
        found = Found(root / archive, rel, ".warc", st.st_size, st.st_mtime_ns, member)
        return decode_html(record_page(found, int(offset)))
    except OSError as err:
        why = err.strerror or err
        raise SourceFileError(f"cannot read the source file {root / rel}: {why}") from None
    except SkipFile as skip:
        raise SourceFileError(f"cannot show the record in {root / rel}: {skip.reason}") from None


def _sheet_row(root: Path, rel: str, article_path: str) -> str:
    """A spreadsheet article's row, as `column: value` lines (`file.xlsx#sheet#row`)."""
    path = root / rel
    _, _, where = article_path.partition("#")
    sheet, _, row = where.rpartition("#")
    if not sheet or not row.isdigit():
        raise SourceFileError(f"the index does not say which row of {path} holds the article")
    archive, member = split_member(rel)
    try:
        st = (root / archive).stat()
        found = Found(root / archive, rel, path.suffix.lower(), st.st_size, st.st_mtime_ns, member)
        return row_text(found, sheet, int(row))
    except OSError as err:
        why = err.strerror or err
        raise SourceFileError(f"cannot read the source file {path}: {why}") from None
    except SkipFile as skip:
        raise SourceFileError(f"cannot show the row in {path}: {skip.reason}") from None


def warta_version() -> str:
    """The running Warta's version, from the installed distribution."""
    try:
        return _dist_version("warta")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _whoosh_top(
    searcher: Any, q: wq.Query, allow: set[int] | None, limit: int, budget: float | None = None
) -> list[tuple[int, float]]:
    """The top `limit` by Whoosh's full scores, the reference the fast path must equal.

    Without quality shortcuts (`usequality=False`) and matcher replacement (`replace=0`):
    once the heap is full, Whoosh turns an OR of two clauses that each score below the
    heap's minimum into an AND, then ranks by scores that leave clauses out.
    """
    c: Any = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    if allow is not None:
        c = collectors.FilterCollector(c, allow=allow)
    if budget is not None:
        c = collectors.TimeLimitCollector(c, timelimit=budget, use_alarm=False)
    try:
        searcher.search_with_collector(q, c)
    except collectors.TimeLimit:
        raise SearchTimeout() from None
    return [(h.docnum, h.score) for h in c.results()]


class _Run:
    """One search's parts, for its three steps: matching, ranking, presenting."""

    def __init__(
        self,
        searcher: Any,
        sets: DocSets,
        compiled: Any,
        sort: Sort,
        typed: frozenset[int] | None,
        allowed: frozenset[int] | None,
        ctx: Context | None,
    ) -> None:
        self.searcher, self.sets, self.compiled, self.sort = searcher, sets, compiled, sort
        self.typed, self.allowed, self.ctx = typed, allowed, ctx
        self.deadline: float | None = None
        self.exact_gain = 0.0
        self.near_gain = 0.0
        self.near_slop = 0
        self.lead_gain = 0.0
        self.lead_words = 0
        schema = searcher.schema
        q, mq = compiled.query, compiled.match_query
        self.plan = compile_plan(q, schema) if ctx is not None and q is not None else None
        self.mplan = compile_plan(mq, schema) if ctx is not None and mq is not None else None

    def match(self, within: frozenset[int] | None) -> frozenset[int] | set[int]:
        """The query's matches among live documents within a filter set (None: all)."""
        sets = self.sets
        if self.mplan is not None:
            assert self.ctx is not None
            live = None if sets.all_live else sets.live
            return _restrict(match_set(self.ctx, self.mplan), live, within)
        mq = self.compiled.match_query
        found = (
            frozenset(self.searcher.docs_for_query(mq)) & sets.live if mq is not None else sets.live
        )
        return found if within is None else found & within

    def rank(self, matched: frozenset[int] | set[int], limit: int) -> list[tuple[int, float]]:
        """The best `limit` of the matches, (docnum, score), by relevance or by date."""
        if self.sort != "relevance":
            ordered = self.sets.by_date(
                matched, self.sort == "newest", limit, self.searcher.reader()
            )
            return [(d, 0.0) for d in ordered]
        c = self.compiled
        factors = []
        if self.exact_gain > 0 and c.exact_forms:
            factors.append(exactness.factor(c.exact_forms, self._holders(), self.exact_gain))
        if self.near_gain > 0 and c.near_groups:
            near = nearness.factor(c.near_groups, c.near_fields, self._near(), self.near_gain)
            factors.append(near)
        if self.lead_gain > 0 and c.lead_terms:
            factors.append(lead.factor(c.lead_terms, self._in_lead(), self.lead_gain))
        if factors:
            if self.plan is None:
                return rerank(functools.partial(self._first_pass, matched), factors, limit)
            # The fast path's own sums settle the windows; Whoosh sums only the page's.
            approx = functools.partial(self._first_pass, matched, whoosh_floats=False)
            return rerank(approx, factors, limit, self._whoosh_scores)
        return self._first_pass(matched, limit)

    def _whoosh_scores(self, docs: list[int]) -> dict[int, float]:
        """Whoosh's own first-stage scores of some matches (the fast path's finalists)."""
        assert self.ctx is not None and self.compiled.query is not None
        return dict(rescore(self.ctx, self.compiled.query, dict.fromkeys(docs, 0.0), len(docs)))

    def _in_lead(self) -> lead.InLead:
        """Which documents hold a term in the headline or among the body's first
        `lead_words` words: the fast path's first positions, or Whoosh's matchers."""
        ctx, limit, found = self.ctx, self.lead_words, {}

        def in_lead(suffix: str, term: str, docs: list[int]) -> Collection[int]:
            key = (suffix, term)
            if ctx is not None:
                btext = term.encode("utf-8")
                title = ctx.postings("title" + suffix, btext)
                body = ctx.postings("body" + suffix, btext)
                asked = np.array(docs, dtype=DOC)
                keep = np.zeros(len(asked), dtype=bool)
                if title is not None:
                    keep |= title.find(asked, ctx.ndocs)[0]
                if body is not None:
                    held, where = body.find(asked, ctx.ndocs)
                    firsts = ctx.first_positions("body" + suffix, btext, body)
                    keep |= held & (firsts[where] <= limit)
                return asked[keep].tolist()
            if key not in found:
                s = self.searcher
                heads = s.docs_for_query(wq.Term("title" + suffix, term))
                leads = s.docs_for_query(LeadTerm(wq.Term("body" + suffix, term), limit=limit))
                found[key] = frozenset(heads) | frozenset(leads)
            return [d for d in docs if d in found[key]]

        return in_lead

    def _near(self) -> nearness.Near:
        """Which documents hold a group's words in order within the slop: the fast path's
        position lists for the few candidates asked about, or Whoosh's phrase matcher."""
        ctx, slop, plans, found = self.ctx, self.near_slop, {}, {}

        def near(field: str, group: tuple[str, ...], docs: list[int]) -> Collection[int]:
            key = (field, group)
            if ctx is not None:
                plan = plans.get(key)
                if plan is None:
                    words = [w.encode("utf-8") for w in group]
                    plan = plans[key] = PhraseNode(field, words, slop, 1.0)
                return plan.within(ctx, as_docs(docs), EXACT).tolist()
            if key not in found:
                q = wq.Phrase(field, list(group), slop=slop)
                found[key] = frozenset(self.searcher.docs_for_query(q))
            return [d for d in docs if d in found[key]]

        return near

    def _holders(self) -> exactness.Holders:
        """Who holds an exact form in a field, for the exact-form rescoring: from the
        fast path's posting cache, or from Whoosh."""
        ctx, found = self.ctx, {}

        def holders(field: str, form: str) -> Collection[int]:
            key = (field, form)
            if key not in found:
                if ctx is not None:
                    p = ctx.postings(field, form.encode("utf-8"))
                    found[key] = p if p is not None else frozenset()
                else:
                    docs = self.searcher.docs_for_query(wq.Term(field, form))
                    found[key] = frozenset(docs)
            return found[key]

        return holders

    def _first_pass(
        self, matched: Matches, limit: int, whoosh_floats: bool = True
    ) -> list[tuple[int, float]]:
        """The best `limit` matches by the query's own (Whoosh's) score; the fast path's
        sums without `whoosh_floats` (see `top_docs`)."""
        q = self.compiled.query
        assert q is not None
        if self.deadline is not None and time.monotonic() > self.deadline:
            # Each window of the second stage asks again: a long one stops here.
            raise SearchTimeout()
        if self.plan is not None:
            # The scoring query matches what the match query matches (the compiler's
            # promise), so it ranks exactly the documents counted.
            assert self.ctx is not None
            return top_docs(self.ctx, self.plan, q, matched, limit, whoosh_floats)
        if not matched:  # (an empty filter set would mean "no filter" to Whoosh)
            return []
        within = set(matched) if self.allowed is not None else None
        budget = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        return _whoosh_top(self.searcher, q, within, limit, budget)


#: Words all the prefixes of one query may expand to together, as Lucene bounds a query's
#: clauses: two-letter prefixes match hundreds of words each ("me*" 624 at 10,000
#: articles), and "me* di* ke*" took 4.5 s. The most frequent words of each prefix are
#: kept, at least MIN_PER_PREFIX of them, and a note says so.
MAX_PREFIX_WORDS = 256
MIN_PER_PREFIX = 16


Matches = frozenset[int] | set[int]


def _has_prefix(q: wq.Query) -> bool:
    return isinstance(q, wq.Prefix) or any(_has_prefix(c) for c in q.children())


def _count_prefixes(q: wq.Query) -> int:
    """Prefixes as typed: one per text, though the compiler asks each field for it."""

    def texts(node: wq.Query) -> set[str]:
        own = {node.text} if isinstance(node, wq.Prefix) else set()
        return own.union(*(texts(c) for c in node.children()))

    return len(texts(q))


class _PrefixCap:
    """Rewrites each Prefix over more than its share of words into its most frequent ones."""

    def __init__(self, reader: Any, prefixes: int) -> None:
        self.reader = reader
        self.share = max(MIN_PER_PREFIX, MAX_PREFIX_WORDS // max(prefixes, 1))
        self._matched: dict[str, int] = {}  # prefix text -> words it matched (most fields)
        self._done: dict[tuple[str, str], list[str]] = {}

    @property
    def notes(self) -> list[str]:
        return [
            f"'{text}*' matches {n:,} words; the {self.share} most frequent were searched"
            for text, n in self._matched.items()
        ]

    def __call__(self, q: wq.Query) -> wq.Query:
        if isinstance(q, wq.Prefix):
            return self._cap(q)
        if q.is_leaf():
            return q
        return q.apply(self)

    def _cap(self, q: wq.Prefix) -> wq.Query:
        key = (q.fieldname, q.text)
        words = self._done.get(key)
        if words is None:
            found = list(self.reader.expand_prefix(q.fieldname, q.text))
            if len(found) <= self.share:
                self._done[key] = []
                return q
            freq = self.reader.doc_frequency
            words = heapq.nlargest(self.share, found, key=lambda w: freq(q.fieldname, w))
            self._done[key] = words
            self._matched[q.text] = max(self._matched.get(q.text, 0), len(found))
        if not words:
            return q
        terms = wq.Or([wq.Term(q.fieldname, w) for w in words])
        return wq.ConstantScoreQuery(terms, score=q.boost)


def _both(a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
    """Two filter sets together; None is "no filter"."""
    if a is None:
        return b
    return a if b is None else a & b


def _restrict(
    docs: Any, live: frozenset[int] | None, allowed: frozenset[int] | None
) -> frozenset[int]:
    """The matched documents that are live and let through by the filters (`live` is
    None when no document is deleted: every match is live)."""
    if live is None:
        if allowed is None:
            return docs if isinstance(docs, frozenset) else frozenset(docs)
        return (
            allowed.intersection(docs) if len(allowed) <= len(docs) else allowed & frozenset(docs)
        )
    base = allowed if allowed is not None and len(allowed) < len(live) else live
    out = base.intersection(docs) if len(base) <= len(docs) else frozenset(docs) & base
    if allowed is not None and base is not allowed:
        out = out & allowed
    return frozenset(out)


def _check_paging(sort: str, page: int, page_size: int) -> None:
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}' — use one of: {', '.join(SORTS)}")
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {page}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")


def _dir_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        try:
            if p.is_file():
                total += p.stat().st_size
        except OSError:
            continue
    return total


def _notes(*notes: str | None) -> str | None:
    """Notices joined into one line; None when there are none."""
    found = [n for n in notes if n]
    return "; ".join(found) if found else None


def _para_key(paragraph: str) -> str:
    """A paragraph as compared between copies of a story: case and spacing aside."""
    return " ".join(paragraph.casefold().split())
