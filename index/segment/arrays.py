"""Postings arrays: a common term's postings written beside its segment as plain arrays.

A search touching a common word for the first time decodes Whoosh's posting blocks, about
400 ns a posting (zlib, unpickling every block's ids, weights and position lists, the
lists made into arrays): at a million articles 100-200 ms for a word's lists in four
fields, what the first search and a search-as-you-type's new word wait for. So the writer,
which holds each term's list whole anyway (`index.segment.blocks.write_term`), also writes
what a search reads of every posting of a term of `ARRAYS_FROM` postings or more (in a
segment of `SEGMENT_FROM` documents or more), into the segment's `.pra` file: document
numbers (as gaps), weights (as the codec stores them) and, in a field with positions, the
first position. Each array is in the narrowest unsigned type that holds it exactly. A
search maps the file and reads a term's arrays with a few numpy calls
(`PostingArrays.read`), and reads Whoosh's blocks only for what the arrays do not hold: a
phrase's positions, and only in the blocks of the documents it asks about (each term's
block offsets are kept too).

The file belongs to its segment: named by the segment's id, kept and deleted with it by
Whoosh's own clean-up, copied with the generation by `--update`. It is never the only
copy of anything, so it is left out of the generation's checksums (index.store), which
refuse a damaged index: it checks itself, term by term. A term is found by the offset of
its postings in the segment's `.pst` file (its term info says it); a term whose entry
does not agree with its term info (count, document range, CRC-32), or a file that does
not end with this module's trailer for the segment's document count, is not read, and
the search decodes Whoosh's blocks as before: a missing or damaged file costs speed,
never answers.

Layout (little-endian): the terms' arrays one after another, each 8-byte aligned; the
directory (`ENTRY`, one record a term, ascending by `.pst` offset); the trailer (`TRAILER`).
"""

from __future__ import annotations

import mmap
import struct
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.segment import reading
from index.segment.positions import first_positions_of

EXT = ".pra"
#: Terms of at least this many postings get arrays. Below, decoding Whoosh's blocks costs
#: under 0.1 ms a term, and the directory stays small (a few percent of the terms).
ARRAYS_FROM = 256
#: A segment of fewer documents gets no arrays. Its longest lists decode from the blocks
#: in tens of milliseconds, which the targets allow (at 300,000 articles, in segments of
#: 150,000, the TUI's p95 is under 100 ms without arrays), and arrays cost something
#: there: writing them, about a tenth of a segment's writing time, and reading position
#: lists block by block, which at 100,000 articles (segments of 50,000) put 1.5-2 ms on
#: the warm p95 of phrase and proximity checks. From a million articles (segments of
#: 500,000) the first touch is what a user waits for, and the arrays take it away.
SEGMENT_FROM = 200_000
MAGIC = b"WPRA0001"
TRAILER = struct.Struct("<QQQ8s")  # directory offset, entries, documents, magic
ENTRY = np.dtype(
    [
        ("pst", "<i8"),  # where the term's postings start in the .pst file (its term info)
        ("at", "<i8"),  # where its arrays start in this file
        ("n", "<u4"),  # postings
        ("blocks", "<u4"),  # posting blocks (their offsets follow the arrays)
        ("crc", "<u4"),  # CRC-32 of the term's arrays and block offsets, as written
        ("ids", "u1"),  # the kind of each array (`_KINDS`; 0: absent)
        ("weights", "u1"),
        ("firsts", "u1"),
        ("pad", "u1"),
    ]
)
# Kind codes: the dtype each array is stored in.
_KINDS: dict[int, np.dtype[Any]] = {
    1: np.dtype("u1"),
    2: np.dtype("u2"),
    3: np.dtype("<u4"),
    4: np.dtype("<f4"),
}
_ALIGN = 8


def _narrowest(values: np.ndarray) -> tuple[int, np.ndarray]:
    """(kind, array): non-negative integers in the narrowest unsigned type, anything else
    as float32 (weights are float32 in the codec: nothing is lost)."""
    if values.dtype.kind == "f":
        whole = values.astype(np.int64)
        if len(values) and not ((whole == values).all() and whole.min() >= 0):
            return 4, values.astype("<f4")
        values = whole
    top = int(values.max()) if len(values) else 0
    if int(values.min() if len(values) else 0) < 0 or top > 0xFFFFFFFF:
        raise ValueError("postings arrays hold unsigned 32-bit integers")
    for code in (1, 2, 3):
        dtype = _KINDS[code]
        if top <= np.iinfo(dtype).max:
            return code, values.astype(dtype)
    raise AssertionError("unreachable")


class ArraysWriter:
    """Writes a segment's `.pra` file while the block writer writes the `.pst` file.

    `start` when a term of ARRAYS_FROM postings or more starts, `add` for each chunk of
    its postings (as written to the blocks, with the offset of each block written),
    `finish` at its end, `close` after the last term.
    """

    def __init__(self, dbfile: Any) -> None:
        self._file = dbfile
        self._pos = 0
        self._entries: list[tuple[int, int, int, int, int, int, int, int]] = []
        self._term: int | None = None
        self._ids: list[np.ndarray] = []
        self._weights: list[np.ndarray] = []
        self._firsts: list[np.ndarray] | None = []
        self._blocks: list[int] = []
        self._positions = False

    def start(self, pst_offset: int, positions: bool) -> None:
        self._term = pst_offset
        self._positions = positions
        self._ids, self._weights, self._firsts, self._blocks = [], [], [], []

    def add(
        self,
        ids: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes] | None,
        block_offsets: Sequence[int],
    ) -> None:
        """A chunk of the term's postings: ids ascending, weights as the codec stores them
        (float32), values the encoded positions (in a field with positions)."""
        self._ids.append(np.array(ids, dtype=np.int64))
        self._weights.append(np.array(weights, dtype=np.float32))
        if self._positions and self._firsts is not None:
            if values is None or not all(values):  # Whoosh drops empty values: misaligned
                self._firsts = None
            else:
                offsets = np.zeros(len(values) + 1, dtype=np.int64)
                np.cumsum(np.fromiter(map(len, values), np.int64, len(values)), out=offsets[1:])
                self._firsts.append(first_positions_of(b"".join(values), offsets))
        self._blocks.extend(block_offsets)

    def finish(self) -> None:
        """Write the term's arrays, unless a value does not fit them (then the term has
        none, and a search decodes its blocks)."""
        assert self._term is not None
        ids = np.concatenate(self._ids)
        gaps = np.diff(ids, prepend=0)
        try:
            parts = [_narrowest(gaps), _narrowest(np.concatenate(self._weights))]
            if self._positions:
                if self._firsts is None:
                    raise ValueError("a posting without positions")
                parts.append(_narrowest(np.concatenate(self._firsts)))
        except ValueError:
            self._term = None
            return
        at = self._pos
        crc = 0
        for data in [arr.tobytes() for _, arr in parts] + [
            np.array(self._blocks, dtype="<i8").tobytes()
        ]:
            crc = self._write(data, crc)
        kinds = [code for code, _ in parts] + [0] * (3 - len(parts))
        entry = (self._term, at, len(ids), len(self._blocks), crc, *kinds, 0)
        self._entries.append(entry)  # type: ignore[arg-type]
        self._term = None

    def _write(self, data: bytes, crc: int = 0) -> int:
        """Write `data` padded to the alignment; the CRC-32 of what was written, from `crc`."""
        data += bytes(-len(data) % _ALIGN)
        self._file.write(data)
        self._pos += len(data)
        return zlib.crc32(data, crc)

    def abandon(self) -> None:
        """Close the file unfinished (no trailer: a reader would not use it)."""
        self._file.close()

    def close(self, doc_count: int) -> None:
        """The directory and the trailer; closes the file."""
        directory = np.sort(np.array(self._entries, dtype=ENTRY), order="pst")
        at = self._pos
        self._write(directory.tobytes())
        self._file.write(TRAILER.pack(at, len(directory), doc_count, MAGIC))
        self._file.close()


class PostingArrays:
    """A segment's `.pra` file, mapped read-only: a term's arrays by its `.pst` offset."""

    def __init__(self, buf: Any, doc_count: int) -> None:
        """ValueError when `buf` is not a postings-arrays file of `doc_count` documents."""
        if len(buf) < TRAILER.size:
            raise ValueError("too short")
        at, entries, docs, magic = TRAILER.unpack_from(buf, len(buf) - TRAILER.size)
        if magic != MAGIC or docs != doc_count:
            raise ValueError("not the arrays of this segment")
        if at + entries * ENTRY.itemsize != len(buf) - TRAILER.size:
            raise ValueError("directory out of place")
        self._buf = buf
        self._end = at  # where the directory starts: no array reaches past it
        self._docs = doc_count
        self._dir = np.frombuffer(buf, dtype=ENTRY, count=entries, offset=at)
        self._keys = self._dir["pst"]

    @classmethod
    def open(cls, path: str, doc_count: int) -> PostingArrays | None:
        """The file at `path` mapped, or None when it is missing or not this segment's."""
        try:
            with open(path, "rb") as fh:
                buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, unreadable, or empty (mmap refuses)
            return None
        try:
            return cls(buf, doc_count)
        except ValueError:
            buf.close()
            return None

    def __len__(self) -> int:
        return len(self._dir)

    def _entry(self, pst_offset: int) -> Any:
        i = int(np.searchsorted(self._keys, pst_offset))
        if i == len(self._keys) or int(self._keys[i]) != pst_offset:
            return None
        return self._dir[i]

    def read(
        self, pst_offset: int, count: int, positions: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray] | None:
        """(ids, weights, firsts, block offsets) of the term whose postings start at
        `pst_offset`, when the file holds them and they agree with its term info
        (`count` postings, ids ascending within the segment); else None. ids are int64,
        weights float64 (as Whoosh reads them), firsts int64 (None without positions)."""
        e = self._entry(pst_offset)
        if e is None or int(e["n"]) != count:
            return None
        kinds = (int(e["ids"]), int(e["weights"]), int(e["firsts"]))
        if not all(k in _KINDS for k in kinds[: 3 if positions else 2]):
            return None
        if kinds[0] == 4 or kinds[2] == 4:  # numbers and positions are never floats
            return None
        pos = int(e["at"])
        if pos < 0 or pos % _ALIGN:
            return None
        out: list[np.ndarray] = []
        for kind in kinds[: 3 if positions else 2]:
            dtype = _KINDS[kind]
            size = count * dtype.itemsize
            if pos + size > self._end:
                return None
            out.append(np.frombuffer(self._buf, dtype=dtype, count=count, offset=pos))
            pos += size + (-size % _ALIGN)
        nblocks = int(e["blocks"])
        if pos + nblocks * 8 > self._end:
            return None
        start = int(e["at"])
        if zlib.crc32(memoryview(self._buf)[start : pos + nblocks * 8]) != int(e["crc"]):
            return None  # damaged: the blocks are read instead
        blocks = np.frombuffer(self._buf, dtype="<i8", count=nblocks, offset=pos)
        ids = np.cumsum(out[0], dtype=np.int64)
        if count and (ids[-1] >= self._docs or (count > 1 and not (out[0][1:] > 0).all())):
            return None
        weights = out[1].astype(np.float64)
        firsts = out[2].astype(np.int64) if positions else None
        return ids, weights, firsts, blocks


def write_segment_arrays(leaf: Any, dbfile: Any, threshold: int = ARRAYS_FROM) -> int:
    """Write the postings arrays of an existing segment (`leaf`, its reader) to `dbfile`,
    read back from its posting blocks: every term of `threshold` postings or more that is
    not inlined. The same file the block writer writes while it writes the segment (tests
    hold them byte for byte equal); for a segment written by another writer. Returns the
    number of terms written."""
    out = ArraysWriter(dbfile)
    terms = leaf._terms
    schema = leaf.schema
    for field, btext in leaf.all_terms():
        info = terms.term_info(field, btext)
        if info.is_inlined() or info.doc_frequency() < threshold:
            continue
        fmt = schema[field].format
        m = terms.matcher(field, btext, fmt)
        if not reading.readable(m):
            continue
        positions = fmt.supports("positions")
        out.start(info._offset, positions)
        for at, ids, weights, values in reading.blocks(m):
            out.add(list(ids), list(weights), values if positions else None, [at])
        out.finish()
    out.close(leaf.doc_count_all())
    return len(out._entries)
