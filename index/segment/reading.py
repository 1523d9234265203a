"""Whoosh 3 posting blocks read back, block by block: what `index.segment.blocks` writes.

Two readers need a term's postings a whole block at a time rather than one matcher call
a posting (about 2 µs each): the fast path decoding a term for a search
(`search.fastpath.postings.leaf_postings`), and the postings arrays made from a finished
segment (`index.segment.arrays.write_segment_arrays`). Both walk W3LeafMatcher's
private state the same way, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, repeat
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher

# One block: where it starts in the postings file, its document numbers, weights, values.
Block = tuple[int, Iterable[int], Iterable[float], Sequence[bytes] | None]


def readable(m: Any) -> bool:
    """True when `m` is a matcher whose blocks `blocks` can read (Whoosh 3, int ids)."""
    return isinstance(m, W3LeafMatcher) and not m._byteids


def blocks(m: Any) -> Iterator[Block]:
    """Each posting block of the term `m` (a fresh matcher that `readable` accepts): its
    pickle loaded once, the delta-coded ids summed by `accumulate` in C, weights made
    one a posting (Whoosh stores None for all 1.0, one number when all are equal), the
    values as stored."""
    at = m._baseoffset
    while m.is_active():
        m._read_data()
        deltas, weights, values = m._data
        n = m._blocklength
        if weights is None:
            weights = repeat(1.0, n)
        elif isinstance(weights, (int, float)):
            weights = repeat(float(weights), n)
        yield at, accumulate(deltas), weights, values
        at = m._nextoffset
        m._next_block()
