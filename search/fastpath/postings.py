"""Posting lists read from a segment's postings arrays or decoded straight from Whoosh
2.7.4's posting blocks (`index.segment.reading`), and the positions in them, held as
compact arrays. The search side's only module that reads the private state of
W3LeafMatcher (a block's position lists, `ValueSource`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from itertools import repeat
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher

from index.segment import reading
from index.segment.positions import (
    BININT,
    BININT1,
    BININT2,
    LIST_HEAD,
    MARK,
    PAD,
    decode_positions,
    first_positions_of,
    padded,
)

#: The type of document numbers in every array of the fast path.
DOC = np.int32
#: Below one element in this many of the index's documents, sorted searching beats a
#: dense map over the documents.
DENSE_FROM = 32


class Unsupported(Exception):
    """A query shape the fast path does not model: the engine falls back to Whoosh."""


class TermPostings:
    """One term of one field, decoded: global document numbers, BM25 scores, positions.

    Held as arrays, about 30 bytes a posting with its positions (a dict of Python floats
    and a tuple of bytes objects took 110-130): at a million articles the posting lists a
    session of searches touches then stay in the cache instead of being decoded again.

    A term read from a segment's postings arrays (`index.segment.arrays`) comes with its
    first positions and without its position lists: those stay in Whoosh's blocks
    (`sources`, one a segment) until a phrase or a rescoring asks for some of them.
    """

    __slots__ = ("_firsts", "_offsets", "_sources", "_values", "ids", "scores")

    def __init__(
        self,
        ids: np.ndarray,
        scores: np.ndarray,
        values: list[bytes] | None,
        firsts: np.ndarray | None = None,
        sources: list[tuple[int, int, HeldValues | ValueSource]] | None = None,
    ) -> None:
        """`values` the encoded position lists, parallel to `ids`; or, instead, `sources`:
        (index in `ids` of its first posting, segment number, source) for each segment
        holding the term, ascending. Reading from a source takes the segments' readers
        of the thread asking (`leaves`): a reader's files are not shared across threads,
        and the postings are."""
        self.ids = ids  # DOC, ascending
        self.scores = scores  # float64, BM25 with boost 1, parallel to ids
        # Shared by every search through the cache, and handed out as match sets as they
        # are: read-only, so no caller can change them for the next.
        ids.setflags(write=False)
        scores.setflags(write=False)
        self._values: bytes | None = None  # encoded positions, concatenated
        self._offsets: np.ndarray | None = None  # where each document's bytes start (n+1)
        self._firsts: np.ndarray | None = firsts  # first positions, read on first use
        self._sources = sources
        if values is not None:
            self._values, self._offsets = joined(values)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.tolist())

    def __contains__(self, docnum: object) -> bool:
        i = int(np.searchsorted(self.ids, docnum))
        return i < len(self.ids) and int(self.ids[i]) == docnum

    def among(self, docs: Sequence[int]) -> list[int]:
        """The documents of `docs` (any order) holding the term: one binary search for
        all of them, where `in` would make one numpy call each."""
        asked = np.asarray(docs, dtype=DOC)
        if not len(asked) or not len(self.ids):
            return []
        where = np.searchsorted(self.ids, asked)
        np.minimum(where, len(self.ids) - 1, out=where)
        return asked[self.ids[where] == asked].tolist()

    @property
    def has_positions(self) -> bool:
        return self._values is not None or self._sources is not None

    def nbytes(self) -> int:
        """What the arrays hold, for the cache's budget."""
        n = self.ids.nbytes + self.scores.nbytes + 200
        if self._values is not None:
            assert self._offsets is not None
            n += len(self._values) + self._offsets.nbytes
        if self._firsts is not None:
            n += self._firsts.nbytes
        if self._sources is not None:
            n += sum(source.nbytes() for _, _, source in self._sources)
        return n

    def find(self, docs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(held, where): which of `docs` (ascending, numbers below `n`) hold the term,
        and the index of each in `ids` (meaningful only where held).

        Many documents are looked up through a dense map of the index's documents to
        their places in `ids`; a few by binary search.
        """
        ids = self.ids
        if not len(ids) or not len(docs):
            return np.zeros(len(docs), dtype=bool), np.zeros(len(docs), dtype=np.intp)
        if min(len(docs), len(ids)) * DENSE_FROM >= n:
            places = np.full(n, -1, dtype=np.int32)
            places[ids] = np.arange(len(ids), dtype=np.int32)
            where = places[docs]
            held = where >= 0
            return held, np.maximum(where, 0).astype(np.intp)
        where = np.searchsorted(ids, docs)
        np.minimum(where, len(ids) - 1, out=where)
        return ids[where] == docs, where

    def values_at(self, where: np.ndarray, leaves: Sequence[Any]) -> list[bytes]:
        """The encoded positions of the postings at these indexes (ascending)."""
        if self._values is None and self._sources is not None:
            return self._from_sources(where, leaves)
        assert self._values is not None and self._offsets is not None
        data, starts = self._values, self._offsets
        begins, ends = starts[where].tolist(), starts[where + 1].tolist()
        return [data[a:b] for a, b in zip(begins, ends, strict=True)]

    def _by_source(
        self, where: np.ndarray, leaves: Sequence[Any]
    ) -> Iterator[tuple[int, Any, HeldValues | ValueSource, np.ndarray]]:
        """For each segment holding some of `where` (ascending): (where its part of
        `where` begins, this thread's reader of the segment, its source of position lists,
        that part as indexes into the segment's own postings)."""
        assert self._sources is not None
        where = np.asarray(where, dtype=np.int64)
        bounds = [start for start, _, _ in self._sources[1:]] + [len(self.ids)]
        for (start, segment, source), end in zip(self._sources, bounds, strict=True):
            lo, hi = np.searchsorted(where, [start, end])
            if hi > lo:
                yield int(lo), leaves[segment], source, where[lo:hi] - start

    def _from_sources(self, where: np.ndarray, leaves: Sequence[Any]) -> list[bytes]:
        out: list[bytes] = []
        for _, leaf, source, local in self._by_source(where, leaves):
            out.extend(source.at(leaf, local))
        return out

    def _positions_from_sources(
        self, where: np.ndarray, leaves: Sequence[Any]
    ) -> tuple[np.ndarray, np.ndarray]:
        """`positions_at` for a term read from postings arrays, segment by segment."""
        owners: list[np.ndarray] = []
        found: list[np.ndarray] = []
        for lo, leaf, source, local in self._by_source(where, leaves):
            owner, positions = positions_between(*source.between(leaf, local))
            owners.append(owner + lo)
            found.append(positions)
        if not owners:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
        if len(owners) == 1:
            return owners[0], found[0]
        return np.concatenate(owners), np.concatenate(found)

    def index_of(self, docnum: int) -> int:
        """Where one document (which must hold the term) stands in `ids`."""
        return int(np.searchsorted(self.ids, docnum))

    def positions(self, docnum: int, leaves: Sequence[Any]) -> list[int]:
        """Word positions of the term in one document (which must contain it)."""
        i = self.index_of(docnum)
        return decode_positions(self.values_at(np.array([i]), leaves)[0])

    def positions_at(
        self, where: np.ndarray, leaves: Sequence[Any]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The word positions of the postings at `where` (ascending), flattened: (owner,
        positions), owner[i] the index into `where` of the posting that positions[i]
        belongs to, in order of `where` and ascending within each (`positions_of`)."""
        if self._values is None and self._sources is not None:
            return self._positions_from_sources(where, leaves)
        assert self._values is not None and self._offsets is not None
        return positions_of(self._values, self._offsets, where)

    def first_positions(self, leaves: Sequence[Any]) -> np.ndarray:
        """Where the term first stands in each of its documents (parallel to `ids`):
        from the postings arrays, or read off the encoded bytes in one pass
        (`first_positions_of`); kept."""
        if self._firsts is None:
            if self._values is None:
                everything = np.arange(len(self.ids))
                self._values, self._offsets = joined(self.values_at(everything, leaves))
            assert self._offsets is not None
            self._firsts = first_positions_of(self._values, self._offsets)
        return self._firsts


def joined(values: list[bytes]) -> tuple[bytes, np.ndarray]:
    """Encoded position lists concatenated (with `PAD` after them), and where each starts
    (one more offset than lists)."""
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, values), np.int64, len(values)), out=offsets[1:])
    return b"".join(values) + PAD, offsets


#: What a held position list costs beyond its bytes: a bytes object and its pointer.
_HELD_OVERHEAD = 41


class HeldValues:
    """A segment's position lists of one term, decoded with its postings (the segment
    had no postings arrays for it, another segment did)."""

    __slots__ = ("_values",)

    def __init__(self, values: list[bytes]) -> None:
        self._values = values

    def at(self, leaf: Any, where: np.ndarray) -> list[bytes]:
        values = self._values
        return [values[i] for i in where.tolist()]

    def between(self, leaf: Any, where: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
        """(data, starts, ends) of the lists at `where` (as `ValueSource.between`)."""
        data, offsets = joined(self.at(leaf, where))
        return data, offsets[:-1], offsets[1:]

    def nbytes(self) -> int:
        return sum(map(len, self._values)) + _HELD_OVERHEAD * len(self._values)


class ValueSource:
    """A segment's position lists of one term, read from Whoosh's posting blocks only in
    the blocks asked about (their offsets come with the postings arrays).

    The blocks read are kept, laid end to end in one buffer with each posting's start
    and end in it: rescoring and the proximity check ask for much the same lists every
    search, and `positions_between` then reads them all at once, as from a term decoded
    whole. The buffer only grows at its end, so what a reader took stays valid; a lock
    keeps two threads from adding the same block. Its bytes count in the term's size
    (`nbytes`), which the caller charges to the posting cache (`Context.charge`).
    """

    __slots__ = (
        "_blocks",
        "_buf",
        "_count",
        "_ends",
        "_held",
        "_lock",
        "_size",
        "_starts",
        "_term",
    )

    def __init__(self, field: str, btext: bytes, blocks: np.ndarray, count: int) -> None:
        self._term = (field, btext)
        self._blocks = blocks  # mapped from the arrays file, not held in memory
        self._count = count
        self._held: set[int] = set()  # blocks read into the buffer
        self._buf = PAD
        self._starts: np.ndarray | None = None  # per posting, where its list is in _buf
        self._ends: np.ndarray | None = None
        self._size: int | None = None  # postings a block, once known (0: not as expected)
        self._lock = threading.Lock()

    def between(self, leaf: Any, where: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
        """(data, starts, ends) of the segment's postings at `where` (ascending), their
        blocks read through `leaf` (this thread's reader of the segment) if not yet held.
        A matcher (a term-table lookup and a read) is made only when a block must be read;
        blocks not laid out as the arrays say are decoded from the start instead."""
        got = self._held_between(leaf, where)
        if got is None:
            data, offsets = joined(self._all(leaf, where))
            return data, offsets[:-1], offsets[1:]
        return got

    def _held_between(
        self, leaf: Any, where: np.ndarray
    ) -> tuple[bytes, np.ndarray, np.ndarray] | None:
        with self._lock:
            m = None
            if self._size is None:
                m = self._matcher(leaf)
                self._size = self._block_size(m) or 0
            size = self._size
            if not size:
                return None
            needed = np.unique(where // size).tolist()
            missing = [b for b in needed if b not in self._held]
            if missing:
                if m is None:
                    m = self._matcher(leaf)
                if not self._add(m, missing, size):
                    self._size = 0
                    return None
            assert self._starts is not None and self._ends is not None
            return self._buf, self._starts[where], self._ends[where]

    def _add(self, m: Any, missing: list[int], size: int) -> bool:
        """Read blocks into the buffer (the caller holds the lock); False if one is not
        as expected."""
        if self._starts is None:
            self._starts = np.zeros(self._count, dtype=np.int64)
            self._ends = np.zeros(self._count, dtype=np.int64)
        assert self._ends is not None
        pos = len(self._buf) - len(PAD)
        parts: list[bytes] = []
        for b in missing:
            values = self._read(m, b, size)
            if values is None:
                return False
            lens = np.fromiter(map(len, values), np.int64, len(values))
            ends = pos + np.cumsum(lens)
            first = b * size
            self._starts[first : first + len(values)] = ends - lens
            self._ends[first : first + len(values)] = ends
            pos += int(lens.sum())
            parts.append(b"".join(values))
        self._buf = self._buf[: -len(PAD)] + b"".join(parts) + PAD
        self._held.update(missing)
        return True

    def at(self, leaf: Any, where: np.ndarray) -> list[bytes]:
        """The encoded lists of the segment's postings at `where` (ascending)."""
        data, starts, ends = self.between(leaf, where)
        return [data[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]

    def _matcher(self, leaf: Any) -> Any:
        field, btext = self._term
        return leaf._terms.matcher(field, btext, leaf.schema[field].format)

    def _block_size(self, m: Any) -> int | None:
        """Postings a block (all but the last): the first block's, checked against the
        number of blocks; None when the blocks are not laid out as expected."""
        if not isinstance(m, W3LeafMatcher) or m._byteids or not len(self._blocks):
            return None
        size = int(m._blocklength)
        if size <= 0 or -(-self._count // size) != len(self._blocks):
            return None
        return size

    def _read(self, m: Any, b: int, size: int) -> tuple[bytes, ...] | None:
        m._goto(int(self._blocks[b]))
        expected = min(size, self._count - b * size)
        if m._blocklength != expected:
            return None
        m._read_values()
        values = tuple(m._values)
        return values if len(values) == expected else None

    def nbytes(self) -> int:
        held = 0 if self._starts is None else 2 * self._starts.nbytes
        return 64 + len(self._buf) + held

    def _all(self, leaf: Any, where: np.ndarray) -> list[bytes]:
        """Every list decoded from the start: the blocks were not as the arrays said."""
        field, btext = self._term
        values = leaf_postings(leaf, field, btext, leaf.schema[field].format)[2]
        return [values[i] for i in where.tolist()]


EMPTY = object()


#: Pickle's batch of list items: longer lists close a batch with APPENDS and open another.
_PICKLE_BATCH = 1000
_APPEND, _APPENDS = ord("a"), ord("e")


#: Below this many lists `positions_of` unpickles them one by one.
POSITIONS_AT_ONCE_FROM = 48


def _unpickled(data: bytes, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`positions_between`, one list at a time."""
    owner: list[int] = []
    positions: list[int] = []
    for i, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        decoded = decode_positions(data[a:b])
        owner.extend(repeat(i, len(decoded)))
        positions.extend(decoded)
    return np.array(owner, dtype=np.intp), np.array(positions, dtype=np.int64)


def positions_of(
    data: bytes, offsets: np.ndarray, where: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`decode_positions` of the lists at `where`, all at once: (owner, positions).

    A phrase check decodes the position lists of every document holding its words (tens
    of thousands at a million articles); unpickling each costs about 1.5 µs. Here the
    lists are read in numpy, item by item across all lists at once: the k-th item of
    every list that has k items, each a one-, two- or four-byte integer after its opcode
    (the layout `first_position` reads). A list of any other layout is unpickled.
    """
    return positions_between(data, offsets[where], offsets[where + 1])


def positions_between(
    data: bytes, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`positions_of` for the lists at data[starts[i]:ends[i]] (anywhere in `data`,
    which ends with `PAD`)."""
    n = len(starts)
    if n < POSITIONS_AT_ONCE_FROM:  # a few lists: numpy's steps cost more than unpickling
        return _unpickled(data, starts, ends)
    buf = padded(data)
    count = np.zeros(n, dtype=np.int64)
    for k in range(4):  # Whoosh's count: a big-endian unsigned int
        count = count << 8 | buf[starts + k]
    ok = (ends - starts > 10) & (count >= 1) & (count <= _PICKLE_BATCH)
    for k, byte in enumerate(LIST_HEAD):
        ok &= buf[starts + 4 + k] == byte
    several = count > 1
    ok &= ~several | (buf[starts + 9] == MARK)
    count[~ok] = 0
    base = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(count, out=base[1:])
    deltas = np.zeros(int(base[-1]), dtype=np.int64)
    # The lists longest first: those still being read at item k are then a prefix.
    order = np.argsort(-count, kind="stable")
    left = count[order]
    cursor = starts[order] + 9 + several[order]
    slot = base[:-1][order]
    end = ends[order]
    bad = np.zeros(n, dtype=bool)
    for k in range(int(left[0])):
        m = int(np.searchsorted(-left, -k, side="left"))  # the lists of more than k items
        at = cursor[:m]
        op = buf[at]
        b1, b2 = buf[at + 1].astype(np.int64), buf[at + 2].astype(np.int64)
        b3, b4 = buf[at + 3].astype(np.int64), buf[at + 4].astype(np.int64)
        one, two, four = op == BININT1, op == BININT2, op == BININT
        word = (b1 | b2 << 8 | b3 << 16 | b4 << 24).astype(np.uint32).view(np.int32)
        value = np.where(one, b1, np.where(two, b1 | b2 << 8, word.astype(np.int64)))
        size = np.where(one, 2, np.where(two, 3, 5))
        bad[:m] |= ~(one | two | four) | (value < 0) | (at + size > end[:m])
        deltas[slot[:m] + k] = value
        cursor[:m] = at + size
    # After the items, APPEND closes a list of one, APPENDS a list of several.
    closing = buf[cursor]
    bad |= (left > 0) & (closing != np.where(several[order], _APPENDS, _APPEND))
    redo = np.union1d(np.flatnonzero(~ok), order[bad])
    owner = np.repeat(np.arange(n, dtype=np.intp), count)
    # Deltas to positions: a running sum, less what the lists before had summed.
    running = np.cumsum(deltas)
    before = np.concatenate([[0], running])[base[:-1]]
    positions = running - np.repeat(before, count)
    if len(redo):
        keep = ~np.isin(owner, redo)
        owners, found = [owner[keep]], [positions[keep]]
        for i in redo.tolist():
            decoded = decode_positions(data[int(starts[i]) : int(ends[i])])
            owners.append(np.full(len(decoded), i, dtype=np.intp))
            found.append(np.array(decoded, dtype=np.int64))
        owner, positions = np.concatenate(owners), np.concatenate(found)
        regroup = np.argsort(owner, kind="stable")
        owner, positions = owner[regroup], positions[regroup]
    return owner, positions


def leaf_postings(
    leaf: Any, field: str, btext: bytes, fmt: Any
) -> tuple[list[int], list[float], list[bytes]]:
    """(ids, weights, values) of one segment's posting list, read block by block.

    Whoosh's own `all_ids()` yields one id per Python call (about 2 µs a posting); here
    each block is read whole (`index.segment.reading.blocks`).
    """
    terms = leaf._terms
    info = terms.term_info(field, btext)
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return list(ids), [float(w) for w in weights], list(values)
    m = terms.matcher(field, btext, fmt)
    ids, weights, values = [], [], []
    if not reading.readable(m):  # pragma: no cover - other codecs
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            values.append(m.value())
            m.next()
        return ids, weights, values
    for _, block_ids, block_weights, block_values in reading.blocks(m):
        ids.extend(block_ids)
        weights.extend(block_weights)
        if block_values is not None:
            values.extend(block_values)
    return ids, weights, values
