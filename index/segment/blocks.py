"""A term's whole posting list written as Whoosh 3 blocks in one go.

Whoosh's FieldWriter takes postings one call at a time: add → add_posting checks the types
and updates the block statistics for every posting, and _write_block then walks each block
again through generators to "minify" it. A build writes some 900 postings per article, and
a TermPool already holds each term's list whole, so here each block is cut from the lists,
minified, pickled, compressed and written with its statistics in one pass.

One deliberate difference from Whoosh: a block's data is pickled with protocol 5, not 2.
Protocol 2 predates Python 3's bytes and writes every posting's value as a call to
`_codecs.encode` of a latin-1 string; protocol 5 writes the bytes as they are. Whoosh's
reader unpickles either, to the same tuple. Measured on 2,000 articles: pickling 4.5x and
compressing 1.5x faster, unpickling at query time 3x faster, and half the postings file.
Everything else (block headers, statistics, the term table) is as Whoosh writes it, but
for two things Whoosh 2.7.4 meant to do and does not (both bugs of its writer; its reader
handles either, and the tests compare what a search reads back):
- A term of fewer than `INLINE_BELOW` postings (nine terms in ten: most words of an
  archive are rare) is kept in its term-table entry, "inlined", not in a block of the
  postings file. W3Codec has the option (`inlinelimit`), but its writer calls `set_inline`
  where the term info has `set_inlined`, so it is off. A search reads such a term from the
  term table it reads anyway, one seek fewer; the build writes one record instead of a
  record and a block.
- A block whose pickle is shorter than `COMPRESS_FROM` is not compressed: Whoosh skips
  compressing pickles under 20 bytes, but then sets the level again. Measured on IndoSum's
  blocks, zlib makes every pickle under 48 bytes longer and every one above shorter.
On IndoSum's 3,463 articles these two took each writer's segment writing from 6.0-6.9 to
4.0-4.4 s of CPU (on a busy machine), and the index from 41 to 37 MB.

The segment's term table is written by `CompactTermTable`: Whoosh's file, its hashes
held in arrays instead of a tuple a term.

This reaches into W3PostingsWriter's state, which Whoosh 2.7.4 (the last release) keeps in
private attributes; `supports` (through `index.whoosh_release`) sends any other writer
down the public path.
"""

from __future__ import annotations

import io
import struct
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.util.numeric import length_to_byte

from index.segment.arrays import ARRAYS_FROM, ArraysWriter
from index.whoosh_release import internals_supported

# HashWriter's record head (key and value lengths) and hash table entry (hash, position).
_LENGTHS = struct.Struct("!ii")
_POINTER = struct.Struct("!Iq")
# A term table key's field number (whoosh.system.pack_ushort).
_FIELD_ID = struct.Struct("!H")

# The pickle protocol of a block's data (ids, weights, values); see the module's note.
DATA_PROTOCOL = 5
#: A term with fewer postings than this is inlined in its term-table entry. A block costs
#: a header, a length, two positions asked of the file and a seek to read it, which a short
#: list does not repay; on IndoSum's pages (1,732 articles a segment) a limit of 2, 4, 8
#: and 16 wrote the segment in 4.0, 3.7, 3.0 and 2.7 s of CPU into 18.2, 17.9, 18.2 and
#: 18.8 MB (uncompressed, an inlined list takes more room than a compressed block).
INLINE_BELOW = 16
#: A block's pickled data is compressed from this many bytes (see the module's note).
COMPRESS_FROM = 48


def supports(fw: Any) -> bool:
    """True when `fw` is the Whoosh 3 field writer, of the release, whose state this drives.

    A fork of Whoosh installed in its place keeps the classic API this project otherwise
    uses, not necessarily these private attributes: it gets the public path.
    """
    return internals_supported() and type(fw) is W3FieldWriter


#: Postings a term's lists are made and written in at a time, in blocks (`chunk_postings`):
#: a common word's postings as Python lists cost about 200 bytes each, 100 MB for a word
#: of half a million articles had they been made at once.
CHUNK_BLOCKS = 64

# One term's postings (or a run of them) as three lists: docnums, weights, values.
Columns = tuple[list[int], list[float], list[bytes]]


def chunk_postings(fw: Any) -> int:
    """How many postings a chunk handed to `write_term` holds (but the last): whole blocks
    of the field being written (after fw.start_field)."""
    pw = getattr(fw, "_postwriter", None)
    limit = getattr(pw, "_blocklimit", 128) if supports(fw) else 128
    return limit * CHUNK_BLOCKS


def write_term(
    fw: Any,
    btext: bytes,
    chunks: Iterator[Columns],
    lengths_of: Callable[[Sequence[int]], list[int | None]],
    arrays: ArraysWriter | None = None,
) -> None:
    """fw.start_term, fw.add for each posting, fw.finish_term: the same bytes, in bulk.
    `chunks` are the term's postings in order, `chunk_postings` at a time but the last;
    `lengths_of` gives the documents' lengths in the field (None: not in it). A term of
    ARRAYS_FROM postings or more also goes to `arrays` (the segment's postings arrays)."""
    pw = fw._postwriter
    chunk: Columns | None = next(chunks)
    following = next(chunks, None)
    if (
        type(pw) is not W3PostingsWriter
        or pw._byteids
        or (following is None and len(chunk[0]) < pw._inlinelimit)
    ):
        rest = chain([chunk], [] if following is None else [following], chunks)
        write_term_public(fw, btext, rest, lengths_of)
        return
    if following is None and len(chunk[0]) < INLINE_BELOW:
        write_inlined(fw, btext, chunk, lengths_of)
        return
    fw.start_term(btext)
    postfile = pw._postfile
    info = pw._terminfo
    limit = pw._blocklimit
    level = pw._compression
    fixedsize = pw._format.fixed_value_size()
    positions = pw._format.supports("positions")
    if arrays is not None and (following is not None or len(chunk[0]) >= ARRAYS_FROM):
        arrays.start(pw._startoffset, positions)
    else:
        arrays = None
    postfile.write(WHOOSH3_HEADER_MAGIC)
    total = 0
    while chunk is not None:
        ids, weights, values = chunk
        last_chunk = following is None
        # The codec keeps weights as 32-bit floats, but compares the unrounded ones for the
        # maximum.
        stored = array("f", weights).tolist()
        lengths = lengths_of(ids)
        count = len(ids)
        if not last_chunk and count % limit:
            raise ValueError("a chunk of postings that is not whole blocks")
        starts: list[int] = []
        for start in range(0, count, limit):
            starts.append(postfile.tell())
            end = min(start + limit, count)
            block_ids = ids[start:end]
            block_weights = stored[start:end]
            present = [n for n in lengths[start:end] if n]
            minlength = min(present) if present else None
            maxlength = max(present) if present else 0
            top = max(weights[start:end])
            maxweight = top if top > 0 else 0  # the codec starts its maximum at the int 0

            # W3TermInfo.add_block
            info._weight += sum(block_weights)
            info._df += end - start
            if info._minlength is None:
                info._minlength = minlength
            else:
                info._minlength = min(info._minlength, minlength)
            info._maxlength = max(info._maxlength, maxlength)
            info._maxweight = max(info._maxweight, maxweight)
            if info._minid is None:
                info._minid = block_ids[0]
            info._maxid = block_ids[-1]

            # W3PostingsWriter._write_block: ids as deltas from the block's start, weights
            # as None when all 1.0, one number when all equal, and the values as the format
            # keeps them.
            deltas = tuple(map(sub, block_ids, [0, *block_ids[:-1]]))
            if block_weights.count(1.0) == len(block_weights):
                mini_weights: Any = None
            elif block_weights.count(block_weights[0]) == len(block_weights):
                mini_weights = block_weights[0]
            else:
                mini_weights = tuple(block_weights)
            block_values = [v for v in values[start:end] if v]
            if fixedsize is None or fixedsize < 0:
                mini_values: Any = tuple(block_values)
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = b"".join(block_values)
            data = dumps((deltas, mini_weights, mini_values), DATA_PROTOCOL)
            compressed = level if len(data) >= COMPRESS_FROM else 0
            if compressed:
                data = zlib.compress(data, compressed)
            header = dumps(
                (
                    end - start,
                    block_ids[-1],
                    maxweight,
                    compressed,
                    length_to_byte(minlength),
                    length_to_byte(maxlength),
                ),
                2,
            )
            size = len(header) + len(data)
            postfile.write_int(-size if last_chunk and end == count else size)
            postfile.write(header)
            postfile.write(data)
        if arrays is not None:
            arrays.add(ids, stored, values if positions else None, starts)
        total += count
        chunk, following = following, (None if following is None else next(chunks, None))
    # finish_postings sees written blocks and nothing buffered: it records the extent only.
    pw._blockcount = -(-total // limit)
    fw.finish_term()
    if arrays is not None:
        arrays.finish()


def write_inlined(
    fw: Any,
    btext: bytes,
    chunk: Columns,
    lengths_of: Callable[[Sequence[int]], list[int | None]],
) -> None:
    """A posting list shorter than INLINE_BELOW kept in the term's entry of the term table
    (`fw` as `supports` accepts it): the entry Whoosh's W3PostingsWriter.finish_postings
    and W3TermInfo.to_bytes make for an inlined term (its statistics as for a block), the
    postings pickled as the blocks are."""
    ids, weights, values = chunk
    stored = array("f", weights).tolist()
    present = [n for n in lengths_of(ids) if n]
    top = max(weights)
    head = W3TermInfo._struct.pack(
        1,  # inlined
        sum(stored),
        len(ids),
        length_to_byte(min(present)) if present else 0,
        length_to_byte(max(present)) if present else 0,
        top if top > 0 else 0,  # the codec starts its maximum at the int 0
        ids[0],
        ids[-1],
    )
    postings = (tuple(ids), tuple(stored), tuple(v for v in values if v))
    fw._tindex.add(_FIELD_ID.pack(fw._fieldid) + btext, head + dumps(postings, DATA_PROTOCOL))


def write_term_public(
    fw: Any,
    btext: bytes,
    chunks: Iterable[Columns],
    lengths_of: Callable[[Sequence[int]], list[int | None]],
    arrays: ArraysWriter | None = None,
) -> None:
    """The same term through the FieldWriter's public calls, one posting at a time (no
    postings arrays: `arrays` is not written to)."""
    fw.start_term(btext)
    for ids, weights, values in chunks:
        for docnum, weight, value, length in zip(
            ids, weights, values, lengths_of(ids), strict=True
        ):
            fw.add(docnum, weight, value, length)
    fw.finish_term()


class CompactTermTable(OrderedHashWriter):
    """Whoosh's term table writer (OrderedHashWriter, the segment's .trm file) with each
    of its 256 buckets of (hash, position) pairs held in a flat array: 16 bytes a term
    instead of a tuple of two ints in a list, about 130. A segment's id, path, source,
    content key and story fields each hold a term an article, so a writer of half a
    million articles kept some 300 MB of these tuples until its segment was closed.
    The file is the same: pairs are added and laid into the hash tables in the same
    order, by the same probing (HashWriter.add and _write_hashes of Whoosh 2.7.4).
    """

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        dbfile = self.dbfile
        pos = dbfile.tell()
        self.index.append(pos)
        dbfile.write(_LENGTHS.pack(len(key), len(value)) + key + value)  # one call, not three
        h = self.hashfn(key)
        bucket = self.buckets[h & 255]
        bucket.append(h)
        bucket.append(pos)
        self.lastkey = key

    def _write_hashes(self) -> None:
        dbfile = self.dbfile
        pack = _POINTER.pack
        for flat in self.buckets:
            pos = dbfile.tell()
            numslots = len(flat)  # two numbers an entry: 2 * entries
            self.directory.append((pos, numslots))
            hashes = [0] * numslots
            positions = [0] * numslots
            for i in range(0, numslots, 2):
                hashval, position = flat[i], flat[i + 1]
                slot = (hashval >> 8) % numslots
                while positions[slot] != 0 or hashes[slot] != 0:
                    slot = (slot + 1) % numslots
                hashes[slot] = hashval
                positions[slot] = position
            for hashval, position in zip(hashes, positions, strict=True):
                dbfile.write(pack(hashval, position))
            flat[:] = array("Q")  # written: let it go


class CountedFile:
    """A file being written whose position is counted, not asked of the system.

    Whoosh asks its files for their position (`tell`) two or three times a term: where a
    posting list starts and ends, where each term-table record goes. A buffered file
    answers with a system call (lseek), some 250,000 of them for a segment of 83,000 terms,
    a tenth of the segment's writing on this machine. Every write goes through `write`
    here, which adds what it wrote; `seek` asks the file once.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._pos = raw.tell()

    def write(self, data: Any) -> int:
        written = self._raw.write(data)
        self._pos += written
        return written

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._raw.seek(offset, whence)
        return self._pos

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def count_positions(fw: Any) -> None:
    """Give `fw`'s postings file and term table counted positions (`CountedFile`; before
    any term is written, `fw` as `supports` accepts it). Only a plain buffered file is
    wrapped: its `write` writes everything it is given or raises."""
    for structfile in (fw._postfile, fw._tindex.dbfile):
        if type(structfile.file) is io.BufferedWriter:
            structfile.file = CountedFile(structfile.file)


def compact_term_table(fw: Any) -> None:
    """Hold `fw`'s term table as `CompactTermTable` (before any term is written; `fw` as
    `supports` accepts it)."""
    table = fw._tindex
    if type(table) is OrderedHashWriter and not any(table.buckets):
        table.__class__ = CompactTermTable
        table.buckets = [array("Q") for _ in range(256)]
