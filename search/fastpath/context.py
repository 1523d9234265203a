"""What one search needs: this thread's searcher, the shared caches, the generation."""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import repeat
from operator import add
from typing import Any

from search.errors import SearchTimeout
from search.fastpath.caches import FieldNorms, PostingCache
from search.fastpath.limits import BYTES_PER_BLOCK, BYTES_PER_POSTING
from search.fastpath.postings import EMPTY, TermPostings, leaf_postings


class Context:
    """What one search needs: this thread's searcher, the shared caches, the generation."""

    def __init__(
        self,
        searcher: Any,
        token: str,
        cache: PostingCache,
        norms: FieldNorms,
        live: frozenset[int],
        docnums: list[int],
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.token = token
        self.cache = cache
        self.norms = norms
        self.live = live
        self.docnums = docnums  # shared int objects: cached dicts don't each hold copies
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
            n = len(found.ids) if found is not None else 0
            self.cache.put(key, found if found is not None else EMPTY, 64 + n * BYTES_PER_POSTING)
        return None if found is EMPTY else found

    def _decode(self, field: str, btext: bytes) -> TermPostings | None:
        reader = self.reader
        if (field, btext) not in reader:
            return None
        fmt = reader.schema[field].format
        keep_values = fmt.supports("positions")
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
        for leaf, offset in leaves:
            if (field, btext) not in leaf:
                continue
            li, lw, lv = leaf_postings(leaf, field, btext, fmt)
            ids.extend(map(self.docnums.__getitem__, map(add, li, repeat(offset))))
            weights.extend(lw)
            if keep_values:
                values.extend(lv)
        lengths, table = self.norms.for_field(field)
        idf = self.searcher.idf(field, btext)
        k1p1 = self.norms.K1 + 1
        norms = map(table.__getitem__, map(lengths.__getitem__, ids))
        # Whoosh's bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        scores = [idf * ((w * k1p1) / (w + n)) for w, n in zip(weights, norms, strict=True)]
        return TermPostings(
            ids, dict(zip(ids, scores, strict=True)), tuple(values) if keep_values else None
        )

    def block_max(self, field: str, btext: bytes, p: TermPostings, shift: int) -> dict[int, float]:
        """A term's block maxima, charged to the cache's budget the first time."""
        fresh = p._blocks is None or p._blocks[0] != shift
        blocks = p.block_max(shift)
        if fresh:
            nbytes = 64 + len(p.ids) * BYTES_PER_POSTING + len(blocks) * BYTES_PER_BLOCK
            self.cache.put((self.token, "t", field, btext), p, nbytes)
        return blocks

    def known(self, key: Any) -> Any:
        """What `memo` holds for `key`, or None: without making it."""
        return self.cache.get((self.token, *key))

    def memo(self, key: Any, make: Callable[[], Any], size: Callable[[Any], int]) -> Any:
        """A derived value (a phrase's document set, say), cached like postings."""
        found = self.known(key)
        if found is None:
            found = make()
            self.cache.put((self.token, *key), found, 64 + size(found) * 40)
        return found
