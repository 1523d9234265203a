"""Rescoring the finalists with Whoosh's own matchers, so that scores and ties are
bit-for-bit Whoosh's: leaf matchers over decoded postings and a searcher facade.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching import FilterMatcher, ListMatcher

from search.fastpath.context import Context
from search.fastpath.postings import DOC, TermPostings, Unsupported


def rescore(
    ctx: Context, q: wq.Query, approx: dict[int, float], limit: int
) -> list[tuple[int, float]]:
    """Whoosh's own scores for the finalists, ordered as its collector orders them.

    Whoosh builds the matcher tree (which clauses are added in which order depends on
    each segment's term statistics) and adds the floats; only its leaves are ours: each
    term's postings cut down to the finalists, scored with the cached BM25 values (the
    same floats: `Context._decode` computes them with Whoosh's arithmetic). So no posting
    block is read or decoded, and a phrase's positions are checked only for finalists.
    """
    if not approx:
        return []
    wanted = sorted(approx)
    scored: list[tuple[float, int]] = []
    for sub, offset in ctx.searcher.leaf_searchers():
        n = sub.reader().doc_count_all()
        lo, hi = bisect_left(wanted, offset), bisect_left(wanted, offset + n)
        if lo == hi:
            continue
        mine = wanted[lo:hi]
        m = q.matcher(FinalistSearcher(sub, ctx, offset, mine))
        for d in mine:
            if not m.is_active():
                break
            m.skip_to(d - offset)
            if m.is_active() and m.id() == d - offset:
                scored.append((m.score(), d))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(d, s) for s, d in scored[:limit]]


class _Leaf(ListMatcher):
    """A term's postings in the finalists of one segment, with cached BM25 scores.

    Stands in for Whoosh's `W3LeafMatcher`. Whoosh breaks ties between equally sized
    clauses, when it builds a matcher tree, by comparing matcher classes (same class:
    "less"), so every leaf of one tree must share one class, as Whoosh's own do.
    """

    def __init__(self, ids: list[int], scores: list[float], values: Any, fmt: Any) -> None:
        super().__init__(ids, values=values, format=fmt)
        self._scores = scores

    def score(self) -> float:
        return self._scores[self._i]

    def supports_block_quality(self) -> bool:
        return False


class _InlinedLeaf(_Leaf):
    """Stands in for the `ListMatcher` Whoosh uses for postings inlined in the term info."""


class FinalistSearcher:
    """A segment's searcher whose `postings` only hold the finalists (see `rescore`)."""

    def __init__(self, sub: Any, ctx: Context, offset: int, wanted: list[int]) -> None:
        self._sub = sub
        self._ctx = ctx
        self._offset = offset
        self._docs = np.array(wanted, dtype=DOC)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sub, name)

    def reader(self) -> _StatsReader:
        return _StatsReader(self._sub.reader(), self._ctx, self._offset)

    def postings(self, fieldname: str, text: bytes, weighting: Any = None, qf: int = 1) -> Any:
        p = self._ctx.postings(fieldname, text)
        offset = self._offset
        if p is None:  # pragma: no cover - Whoosh asks only for terms in the segment
            raise Unsupported(fieldname)
        held, where = p.find(self._docs, self._ctx.ndocs)
        where = where[held]
        ids = self._docs[held].tolist()
        scores = p.scores[where].tolist()
        values = None
        if p.has_positions and len(where):
            values = _LazyValues(p, where, self._ctx, (fieldname, text))
        fmt = self._sub.schema[fieldname].format
        inlined = self.reader().stats(fieldname, text)[2]
        cls = _InlinedLeaf if inlined else _Leaf
        m = cls([d - offset for d in ids], scores, values, fmt)
        deleted = self._sub.reader()._perdoc.deleted_docs()
        if deleted:  # Whoosh wraps every leaf of such a segment: the same class for all
            m = _DeletedFilter(m, frozenset(deleted), exclude=True)
        return m


class _LazyValues:
    """A leaf's position lists, read only if a matcher asks for one.

    Rescoring hands every term's finalists to Whoosh's matchers, but only a phrase or a
    lead (`SpanNear`, `SpanFirst`) reads positions, and for a term read from its postings
    arrays they are still in Whoosh's blocks: read here on the first `value()`, all of the
    leaf's at once."""

    def __init__(
        self, p: TermPostings, where: np.ndarray, ctx: Context, term: tuple[str, bytes]
    ) -> None:
        self._p = p
        self._where = where
        self._ctx = ctx
        self._term = term
        self._values: list[bytes] | None = None

    def _list(self) -> list[bytes]:
        if self._values is None:
            self._values = self._p.values_at(self._where, self._ctx.leaves())
            self._ctx.charge(*self._term, self._p)
        return self._values

    def __len__(self) -> int:
        return len(self._where)

    def __getitem__(self, i: int) -> bytes:
        return self._list()[i]

    def __setitem__(self, i: int, value: bytes) -> None:
        self._list()[i] = value

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._list())


class _StatsReader:
    """A segment's reader whose term statistics are remembered across searches.

    Building a matcher tree, Whoosh checks that each term exists and sizes up each clause
    (`doc_frequency`, to order the tree); each answer is a lookup in the term file, some
    ten a term, which came to a third of the rescoring. The answers are the reader's own,
    kept in the posting cache under the generation and the segment.
    """

    def __init__(self, reader: Any, ctx: Context, offset: int) -> None:
        self._reader = reader
        self._ctx = ctx
        self._offset = offset

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def __contains__(self, term: tuple[str, Any]) -> bool:
        fieldname, text = term
        if fieldname not in self._reader.schema:
            return False
        return self.stats(fieldname, text)[0]

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        if fieldname not in self._reader.schema:
            return self._reader.doc_frequency(fieldname, text)  # Whoosh's own error
        return self.stats(fieldname, text)[1]

    def stats(self, fieldname: str, text: Any) -> tuple[bool, int, bool]:
        """(present, document frequency, postings inlined in the term info)."""
        ctx = self._ctx
        key = (ctx.token, "s", self._offset, fieldname, text)
        found = ctx.cache.get(key)
        if found is None:
            r = self._reader
            present = (fieldname, text) in r
            inlined = present and r._terms.term_info(fieldname, r._text_to_bytes(fieldname, text))
            found = (
                present,
                r.doc_frequency(fieldname, text),
                bool(inlined and inlined.is_inlined()),
            )
            ctx.cache.put(key, found, 200)
        return found


class _DeletedFilter(FilterMatcher):
    """Whoosh's `FilterMatcher` around the leaves of a segment with deleted documents."""
