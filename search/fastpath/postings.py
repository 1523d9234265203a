"""Posting lists decoded straight from Whoosh 2.7.4's posting blocks, and the positions
in them. The only module that reads the private state of W3LeafMatcher.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate, groupby, repeat
from operator import itemgetter, rshift
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher

from index.safe_unpickle import loads


class Unsupported(Exception):
    """A query shape the fast path does not model: the engine falls back to Whoosh."""


class TermPostings:
    """One term of one field, decoded: global document numbers, BM25 scores, positions."""

    __slots__ = ("_blocks", "docs", "ids", "scores", "values")

    def __init__(
        self, ids: list[int], scores: dict[int, float], values: tuple[bytes, ...] | None
    ) -> None:
        self.ids = ids  # ascending
        self.scores = scores  # docnum -> BM25 with boost 1 (keys: the term's documents)
        self.values = values  # encoded positions, parallel to ids (None: no positions)
        self.docs = scores.keys()  # a set-like view: C-speed &, |, -
        self._blocks: tuple[int, dict[int, float]] | None = None

    def block_max(self, shift: int) -> dict[int, float]:
        """The best score in each run of 2**shift document numbers that holds the term.

        A term's overall best score usually comes from one short outlier document; the
        best within each block is a far tighter bound for every other block (block-max
        WAND), and blocks without the term get none at all. Built on first use, kept
        with the postings.
        """
        if self._blocks is None or self._blocks[0] != shift:
            best = {
                block: max(map(itemgetter(1), run))
                for block, run in groupby(
                    zip(map(rshift, self.ids, repeat(shift)), self.scores.values(), strict=True),
                    itemgetter(0),
                )
            }
            self._blocks = (shift, best)
        return self._blocks[1]

    def positions(self, docnum: int) -> list[int]:
        """Word positions of the term in one document (which must contain it)."""
        assert self.values is not None
        return _positions(self.values[bisect_left(self.ids, docnum)])

    def first_position(self, docnum: int) -> int:
        """Where the term first stands in one document (which must contain it)."""
        assert self.values is not None
        return first_position(self.values[bisect_left(self.ids, docnum)])


def _positions(value: bytes) -> list[int]:
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


# Whoosh's Positions.encode: a 4-byte count, then pickle protocol 2 of the position deltas:
# PROTO 2, EMPTY_LIST, BINPUT 0, a MARK when there are several, then the first delta, which
# is the first position, as BININT1, BININT2 or BININT.
_LIST_HEAD = b"\x80\x02]q\x00"
_MARK = ord("(")
_BININT1, _BININT2, _BININT = ord("K"), ord("M"), ord("J")


def first_position(value: bytes) -> int:
    """The first position of an encoded position list, read off the pickle's first item.

    A lead check asks only this, of thousands of documents a search; unpickling each whole
    list costs several times more. Anything but the expected layout is unpickled.
    """
    if value.startswith(_LIST_HEAD, 4) and len(value) > 10:
        i = 9 if value[9] != _MARK else 10
        op = value[i]
        if op == _BININT1:
            return value[i + 1]
        if op == _BININT2 and len(value) > i + 2:
            return value[i + 1] | value[i + 2] << 8
        if op == _BININT and len(value) > i + 4:
            return int.from_bytes(value[i + 1 : i + 5], "little", signed=True)
    return _positions(value)[0]


EMPTY = object()


def leaf_postings(
    leaf: Any, field: str, btext: bytes, fmt: Any
) -> tuple[list[int], list[float], list[bytes]]:
    """(ids, weights, values) of one segment's posting list, read block by block.

    Whoosh's own `all_ids()` yields one id per Python call (about 2 µs a posting); here each
    block's pickle is loaded once and its delta-coded ids summed by `accumulate` in C.
    """
    terms = leaf._terms
    info = terms.term_info(field, btext)
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return list(ids), [float(w) for w in weights], list(values)
    m = terms.matcher(field, btext, fmt)
    if not isinstance(m, W3LeafMatcher) or m._byteids:  # pragma: no cover - other codecs
        ids, weights, values = [], [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            values.append(m.value())
            m.next()
        return ids, weights, values
    ids, weights, values = [], [], []
    while m.is_active():
        m._read_data()
        bids, bweights, bvalues = m._data
        n = m._blocklength
        ids.extend(accumulate(bids))
        if bweights is None:
            weights.extend(repeat(1.0, n))
        elif isinstance(bweights, float):
            weights.extend(repeat(bweights, n))
        else:
            weights.extend(bweights)
        if bvalues is not None:
            values.extend(bvalues)
        m._next_block()
    return ids, weights, values
