"""What searches share: decoded posting lists in a bounded LRU, field length norms."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from index.segment.arrays import EXT as ARRAYS_EXT
from index.segment.arrays import PostingArrays
from search.fastpath.limits import DEFAULT_BUDGET, SORTED_KEPT


class PostingCache:
    """A byte-budgeted LRU of decoded postings and derived sets, shared by all threads.

    Keys start with the generation token, so a rebuilt index never reads stale entries;
    `clear()` on reopening frees the old ones at once.
    """

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.used = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        # The last few result sets as sorted arrays, by identity (see `sorted_docs`).
        self._sorted: OrderedDict[int, tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def sorted_docs(self, docs: Any, make: Callable[[Any], Any]) -> Any:
        """`make(docs)` (a result set as a sorted array), remembered for the last
        SORTED_KEPT sets: the ranking of a page, then of the next, sorts the same matches
        once. Kept apart from the budget: each entry keeps its set alive, and a new
        filter makes a new set every search, which would crowd out the postings."""
        with self._lock:
            found = self._sorted.get(id(docs))
            if found is not None and found[0] is docs:  # the same object, not a reused id
                self._sorted.move_to_end(id(docs))
                return found[1]
        arr = make(docs)
        with self._lock:
            self._sorted[id(docs)] = (docs, arr)
            while len(self._sorted) > SORTED_KEPT:
                self._sorted.popitem(last=False)
        return arr

    def get(self, key: Any) -> Any:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Any, value: Any, nbytes: int) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self._items[key] = (value, nbytes)
            self.used += nbytes
            self._evict()

    def recharge(self, key: Any, value: Any, nbytes: int) -> None:
        """`put` again, for a cached value that may have grown: nothing to do (not even
        a move to the front) when its charge is already `nbytes`."""
        with self._lock:
            old = self._items.get(key)
            if old is not None and old[0] is value and old[1] == nbytes:
                return
        self.put(key, value, nbytes)

    def resize(self, budget: int) -> None:
        with self._lock:
            self.budget = budget
            self._evict()

    def _evict(self) -> None:
        """Least recently used first; the newest entry stays even when over budget."""
        while self.used > self.budget and len(self._items) > 1:
            _, (_, n) = self._items.popitem(last=False)
            self.used -= n

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._sorted.clear()
            self.used = 0


class FieldNorms:
    """Per field, BM25's length normaliser K1·((1−B)+B·len/avg) of every document.

    Whoosh keeps field lengths as one byte a document, so there are at most 256 distinct
    normalisers: a table per field, indexed by the raw length byte. The arithmetic is
    Whoosh's own, in its order, so the scores are the same floats.
    """

    def __init__(self, searcher: Any, B: float, K1: float) -> None:
        self.searcher = searcher
        self.B = B
        self.K1 = K1
        self._bytes: dict[str, bytes] = {}
        self._tables: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def for_field(self, field: str) -> tuple[bytes, list[float]]:
        with self._lock:
            if field not in self._bytes:
                self._bytes[field] = _length_bytes(self.searcher.reader(), field)
                avgfl = self.searcher.avg_field_length(field) or 1
                B, K1 = self.B, self.K1
                self._tables[field] = [
                    K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)
                ]
            return self._bytes[field], self._tables[field]


def _length_bytes(reader: Any, field: str) -> bytes:
    """The length byte of `field` for every document, by global number."""
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    parts = []
    for leaf, _offset in leaves:
        n = leaf.doc_count_all()
        col = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = b"" if col is None else col._dbfile.get(col._basepos, col._count)
        parts.append(bytes(raw[:n]) + b"\0" * (n - min(len(raw), n)))
    return b"".join(parts)


class SegmentArrays:
    """The postings arrays of a generation's segments (`index.segment.arrays`), each
    mapped the first time a search asks, by segment id; None for a segment without them
    (an index built before them, a damaged file): its terms are decoded from Whoosh."""

    def __init__(self) -> None:
        self._files: dict[str, PostingArrays | None] = {}
        self._lock = threading.Lock()

    def of(self, leaf: Any) -> PostingArrays | None:
        segment = leaf.segment()
        key = segment.segment_id()
        with self._lock:
            if key not in self._files:
                self._files[key] = _open_arrays(leaf, segment)
            return self._files[key]


def _open_arrays(leaf: Any, segment: Any) -> PostingArrays | None:
    folder = getattr(leaf.storage(), "folder", None)
    if folder is None or segment.is_compound():
        return None
    path = os.path.join(folder, segment.make_filename(ARRAYS_EXT))
    return PostingArrays.open(path, leaf.doc_count_all())
