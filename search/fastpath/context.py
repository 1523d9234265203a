"""What one search needs: this thread's searcher, the shared caches, the generation."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from index.segment.positions import first_positions_of
from search.errors import SearchTimeout
from search.fastpath.caches import FieldNorms, PostingCache, SegmentArrays
from search.fastpath.docarrays import as_docs
from search.fastpath.postings import (
    DOC,
    EMPTY,
    HeldValues,
    TermPostings,
    ValueSource,
    joined,
    leaf_postings,
)


class Context:
    """What one search needs: this thread's searcher, the shared caches, the generation."""

    def __init__(
        self,
        searcher: Any,
        token: str,
        cache: PostingCache,
        norms: FieldNorms,
        ndocs: int,
        arrays: SegmentArrays | None = None,
    ) -> None:
        self.searcher = searcher
        self.arrays = arrays or SegmentArrays()
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
        firsts = p.first_positions(self.leaves())
        if fresh:
            self.cache.put((self.token, "t", field, btext), p, _size(p))
        return firsts

    def charge(self, field: str, btext: bytes, p: TermPostings) -> None:
        """Charge a term's postings to the cache's budget again, after they grew (position
        lists read from Whoosh's blocks for a term read from postings arrays)."""
        if p._sources is not None:
            self.cache.recharge((self.token, "t", field, btext), p, _size(p))

    def leaves(self) -> list[Any]:
        """This thread's reader of each segment, by segment number."""
        reader = self.reader
        return [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]

    def _decode(self, field: str, btext: bytes) -> TermPostings | None:
        reader = self.reader
        if (field, btext) not in reader:
            return None
        fmt = reader.schema[field].format
        keep_values = fmt.supports("positions")
        parts: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        values: list[bytes] = []
        firsts: list[np.ndarray | list[bytes]] = []
        sources: list[tuple[int, int, HeldValues | ValueSource]] = []
        whole = True  # every segment's postings came from Whoosh's blocks
        start = 0
        leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
        for segment, (leaf, offset) in enumerate(leaves):
            if (field, btext) not in leaf:
                continue
            got = self._from_arrays(leaf, field, btext, keep_values)
            if got is not None:
                ids, w, first, blocks = got
                ids = ids.astype(DOC)
                whole = False
                if keep_values:
                    assert first is not None
                    firsts.append(first)
                    sources.append((start, segment, ValueSource(field, btext, blocks, len(ids))))
            else:
                li, lw, lv = leaf_postings(leaf, field, btext, fmt)
                ids = np.fromiter(li, dtype=DOC, count=len(li))
                w = np.fromiter(lw, dtype=np.float64, count=len(lw))
                if keep_values:
                    values.extend(lv)
                    firsts.append(lv)  # read off the lists only if another segment had arrays
                    sources.append((start, segment, HeldValues(lv)))
            if offset:
                ids += offset
            parts.append(ids)
            weights.append(w)
            start += len(ids)
        ids = np.concatenate(parts) if len(parts) != 1 else parts[0]
        w = np.concatenate(weights) if len(weights) != 1 else weights[0]
        lengths, table = self.norms.for_field(field)
        idf = self.searcher.idf(field, btext)
        k1p1 = self.norms.K1 + 1
        norms = np.asarray(table, dtype=np.float64)[np.frombuffer(lengths, np.uint8)[ids]]
        # Whoosh's bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))),
        # each operation the same IEEE double one as Whoosh's Python floats.
        scores = idf * ((w * k1p1) / (w + norms))
        if not keep_values:
            return TermPostings(ids, scores, None)
        if whole:
            return TermPostings(ids, scores, values)
        read = [f if isinstance(f, np.ndarray) else first_positions_of(*joined(f)) for f in firsts]
        return TermPostings(ids, scores, None, np.concatenate(read), sources)

    def _from_arrays(
        self, leaf: Any, field: str, btext: bytes, positions: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray] | None:
        """A segment's postings of the term from its postings arrays, when it has them."""
        arrays = self.arrays.of(leaf)
        if arrays is None or len(arrays) == 0:
            return None
        info = leaf._terms.term_info(field, btext)
        if info.is_inlined():
            return None
        return arrays.read(info._offset, info.doc_frequency(), positions)

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
