"""What one search needs: this thread's searcher, the shared caches, the generation."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from search.errors import SearchTimeout
from search.fastpath.caches import FieldNorms, PostingCache
from search.fastpath.docarrays import as_docs
from search.fastpath.postings import DOC, EMPTY, TermPostings, leaf_postings


class Context:
    """What one search needs: this thread's searcher, the shared caches, the generation."""

    def __init__(
        self, searcher: Any, token: str, cache: PostingCache, norms: FieldNorms, ndocs: int
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.token = token
        self.cache = cache
        self.norms = norms
        self.ndocs = ndocs  # document numbers run from 0 to ndocs - 1
        self.deadline: float | None = None  # time.monotonic() past which a search stops

    def check_time(self) -> None:
        """Raise SearchTimeout once the search has used its time budget."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SearchTimeout()

    def postings(self, field: str, btext: bytes) -> TermPostings | None:
        key = (self.token, "t", field, btext)
        found = self.cache.get(key)
        if found is None:
            found = self._decode(field, btext)
            self.cache.put(key, EMPTY if found is None else found, _size(found))
        return None if found is EMPTY else found

    def first_positions(self, field: str, btext: bytes, p: TermPostings) -> np.ndarray:
        """A term's first positions, charged to the cache's budget the first time."""
        fresh = p._firsts is None
        firsts = p.first_positions()
        if fresh:
            self.cache.put((self.token, "t", field, btext), p, _size(p))
        return firsts

    def _decode(self, field: str, btext: bytes) -> TermPostings | None:
        reader = self.reader
        if (field, btext) not in reader:
            return None
        fmt = reader.schema[field].format
        keep_values = fmt.supports("positions")
        parts: list[np.ndarray] = []
        weights: list[float] = []
        values: list[bytes] = []
        leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
        for leaf, offset in leaves:
            if (field, btext) not in leaf:
                continue
            li, lw, lv = leaf_postings(leaf, field, btext, fmt)
            ids = np.fromiter(li, dtype=DOC, count=len(li))
            if offset:
                ids += offset
            parts.append(ids)
            weights.extend(lw)
            if keep_values:
                values.extend(lv)
        ids = np.concatenate(parts) if len(parts) != 1 else parts[0]
        lengths, table = self.norms.for_field(field)
        idf = self.searcher.idf(field, btext)
        k1p1 = self.norms.K1 + 1
        w = np.fromiter(weights, dtype=np.float64, count=len(weights))
        norms = np.asarray(table, dtype=np.float64)[np.frombuffer(lengths, np.uint8)[ids]]
        # Whoosh's bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))),
        # each operation the same IEEE double one as Whoosh's Python floats.
        scores = idf * ((w * k1p1) / (w + norms))
        return TermPostings(ids, scores, values if keep_values else None)

    def known(self, key: Any) -> Any:
        """What `memo` holds for `key`, or None: without making it."""
        return self.cache.get((self.token, *key))

    def memo(self, key: Any, make: Callable[[], Any], nbytes: Callable[[Any], int]) -> Any:
        """A derived value (a phrase's document set, say), cached like postings."""
        found = self.known(key)
        if found is None:
            found = make()
            if isinstance(found, np.ndarray):
                found.setflags(write=False)  # shared across searches, like the postings
            self.cache.put((self.token, *key), found, 64 + nbytes(found))
        return found

    def sorted_docs(self, docs: Any) -> np.ndarray:
        """A set of matches as a sorted array (see `PostingCache.sorted_docs`)."""
        if isinstance(docs, np.ndarray):
            return docs
        return self.cache.sorted_docs(docs, as_docs)


def _size(p: TermPostings | None) -> int:
    return 64 if p is None else p.nbytes()
