"""A segment writer whose postings wait in memory grouped by term, not as sorted tuples.

Whoosh's SegmentWriter queues every posting as a (field, term, doc, weight, value) tuple,
sorts them, spills sorted runs to temporary files with one pickle per posting, merges the
runs with heapq, and then, for each posting, reads the document's field length back from
the length column it has just written. For an article of ~440 postings that bookkeeping
costs more than the codec's actual writing. Here:
- postings are appended to a bytearray per (field, term): documents arrive in increasing
  order, so each term's list is already sorted and only the terms need sorting;
- a run spilled to disk holds one pickle per term, and runs are merged term by term;
- the field lengths the postings need are remembered when each document is added;
- the Indonesian text fields skip Whoosh's Token stream (PositionIndexer, below);
- each term's postings go to index.block_writer in whole blocks, not one FieldWriter.add at
  a time, a chunk of blocks at a time (a common word's list is never held as Python lists
  whole);
- what is kept per document (its field lengths) is one byte a field.
The segment holds what Whoosh's own writer would write (tests compare the two block for
block); only the pickle protocol of the posting blocks differs (see index.block_writer).
"""

from __future__ import annotations

import contextlib
import heapq
import pickle
import struct
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from whoosh.formats import Positions
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.text import utf8encode
from whoosh.writing import SegmentWriter

from index.analysis import IndonesianAnalyzer
from index.segment import arrays as posting_arrays
from index.segment import blocks as block_writer
from index.segment.arrays import EXT as ARRAYS_EXT
from index.segment.arrays import ArraysWriter

# One posting in a term's buffer: docnum, weight, length of the value; then the value.
_HEAD = struct.Struct("<idI")
_HEAD_SIZE = _HEAD.size
# The same record in two parts: the document number, then what a term's postings share.
_DOCNUM = struct.Struct("<i")
_TAIL = struct.Struct("<dI")
# What a new term costs beyond its postings: the bytearray, the key bytes and the dict slot.
_TERM_OVERHEAD = 160
# A bytearray grows by about an eighth beyond what it holds.
_SLACK = 1.125

# One term's postings as three lists: docnums, weights, values.
Columns = block_writer.Columns
# A stream of (fieldname, btext, postings bytes) in field, then term order.
TermStream = Iterator[tuple[str, bytes, bytes]]


# A term's buffer this long or shorter is checked for fewer than INLINE_BELOW postings; a
# longer one (a word written dozens of times in its articles) takes the general path, which
# inlines it too if it is short.
_FEW_MAX = 160 * block_writer.INLINE_BELOW


def _few_postings(data: bytes) -> Columns | None:
    """A term's buffer as columns if it holds fewer than INLINE_BELOW postings, else None."""
    columns, end = _parse(data, 0, block_writer.INLINE_BELOW - 1)
    return columns if end == len(data) else None


def _parse(data: bytes, pos: int, count: int) -> tuple[Columns, int]:
    """At most `count` postings of a term's buffer from `pos`, as columns; and where the
    next posting starts."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    end = len(data)
    unpack = _HEAD.unpack_from
    while pos < end and len(ids) < count:
        docnum, weight, vlen = unpack(data, pos)
        pos += _HEAD_SIZE
        ids.append(docnum)
        weights.append(weight)
        values.append(data[pos : pos + vlen])
        pos += vlen
    return (ids, weights, values), pos


def _read_columns(data: bytes, size: int | None) -> Iterator[Columns]:
    """A term's buffer of postings as columns, `size` postings at a time (None: all in
    one chunk), in the order they were added."""
    pos = 0
    while pos < len(data):
        columns, pos = _parse(data, pos, len(data) if size is None else size)
        yield columns


class TermPool:
    """Postings by field and term, within a memory budget, spilling sorted runs beyond it.

    Besides the fast path of TermPoolWriter.add_document it keeps PostingPool's `add`,
    `fieldnames` and `cleanup`, which Whoosh's writer calls when it merges segments.
    """

    def __init__(self, tempstore: Any, limitmb: float) -> None:
        self.tempstore = tempstore
        self.limit = int(limitmb * 1024 * 1024)
        self.size = 0
        self.fields: dict[str, dict[bytes, bytearray]] = {}
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        # Ordering guards: a term whose documents might not arrive in increasing order is
        # sorted on the way out (Whoosh's sort orders postings by docnum, weight, value).
        self.maxdoc = -1
        self.fast_maxdoc = -1
        self.last_generic: dict[tuple[str, bytes], int] = {}
        self.unordered: set[tuple[str, bytes]] = set()
        self.all_unordered = False
        # Postings added through `add` come from merged segments, whose lengths the writer
        # did not see: then lengths are read from the column, as Whoosh does.
        self.foreign = False

    def terms(self, fieldname: str) -> dict[bytes, bytearray]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def start_doc(self, docnum: int) -> None:
        if docnum <= self.maxdoc:
            self.all_unordered = True
        self.maxdoc = max(self.maxdoc, docnum)
        self.fast_maxdoc = max(self.fast_maxdoc, docnum)

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """PostingPool's interface: one posting from anywhere but add_document."""
        fieldname, btext, docnum, weight, value = item
        self.foreign = True
        key = (fieldname, btext)
        if docnum <= self.fast_maxdoc or docnum <= self.last_generic.get(key, -1):
            self.unordered.add(key)
        self.last_generic[key] = docnum
        self.maxdoc = max(self.maxdoc, docnum)
        value = value or b""
        rec = _HEAD.pack(docnum, weight, len(value)) + value
        terms = self.terms(fieldname)
        buf = terms.get(btext)
        if buf is None:
            terms[btext] = bytearray(rec)
            self.size += _TERM_OVERHEAD + len(btext)
        else:
            buf += rec
        self.size += int(len(rec) * _SLACK)
        self.check_size()

    def check_size(self) -> None:
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Spill what is in memory as a run: one pickle per term, in field and term order."""
        if not self.fields:
            return
        path = f"{random_name()}.trun"
        # One pickle.dump per term, not one Pickler for the run: a Pickler's memo would
        # keep every term's bytes alive until the run is written (and an Unpickler's
        # every term read back until the merge ends).
        with self.tempstore.create_file(path).raw_file() as f:
            for item in self._memory_terms():
                pickle.dump(item, f, pickle.HIGHEST_PROTOCOL)
        self.runs.append(path)
        self.fields = {}
        self.size = 0

    def _memory_terms(self) -> TermStream:
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for btext in sorted(terms):
                yield fieldname, btext, bytes(terms[btext])

    def _read_run(self, path: str) -> TermStream:
        f = self.tempstore.open_file(path).raw_file()
        try:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self.tempstore.delete_file(path)

    def term_stream(self) -> TermStream:
        """Every term once, in order, its postings from all runs joined in docnum order."""
        sources = [self._read_run(path) for path in self.runs]
        self.runs = []
        if not sources:
            yield from self._memory_terms()
            return
        sources.append(self._memory_terms())
        # heapq.merge keeps equal keys in the order of the sources: earlier runs, lower docs.
        merged = heapq.merge(*sources, key=lambda item: (item[0], item[1]))
        current: tuple[str, bytes] | None = None
        parts: list[bytes] = []
        for fieldname, btext, data in merged:
            key = (fieldname, btext)
            if key != current:
                if current is not None:
                    yield current[0], current[1], b"".join(parts)
                current = key
                parts = []
            parts.append(data)
        if current is not None:
            yield current[0], current[1], b"".join(parts)

    def postings(self, fieldname: str, btext: bytes, data: bytes) -> list[tuple[int, float, bytes]]:
        """The (docnum, weight, value) postings of one term, in Whoosh's order."""
        return list(zip(*self.columns(fieldname, btext, data), strict=True))

    def out_of_order(self, fieldname: str, btext: bytes) -> bool:
        """True when a term's postings may not have arrived in Whoosh's order."""
        return self.all_unordered or (fieldname, btext) in self.unordered

    def columns(self, fieldname: str, btext: bytes, data: bytes) -> Columns:
        """The docnums, weights and values of one term's postings, in Whoosh's order."""
        ids, weights, values = next(_read_columns(data, None), ([], [], []))
        if self.out_of_order(fieldname, btext):
            ordered = sorted(zip(ids, weights, values, strict=True))
            ids = [p[0] for p in ordered]
            weights = [p[1] for p in ordered]
            values = [p[2] for p in ordered]
        return ids, weights, values

    def column_chunks(
        self, fieldname: str, btext: bytes, data: bytes, size: int
    ) -> Iterator[Columns]:
        """`columns`, `size` postings at a time (the last chunk may be shorter); at once
        for a term whose postings must be sorted first."""
        if self.out_of_order(fieldname, btext):
            yield self.columns(fieldname, btext, data)
            return
        yield from _read_columns(data, size)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """PostingPool's interface: every posting as a tuple, in sorted order."""
        for fieldname, btext, data in self.term_stream():
            for docnum, weight, value in self.postings(fieldname, btext, data):
                yield fieldname, btext, docnum, weight, value

    def cleanup(self) -> None:
        for path in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(path)
        self.runs = []
        self.fields = {}


class TermPoolWriter(SegmentWriter):
    """Whoosh's SegmentWriter with a TermPool and the field lengths kept in memory."""

    def __init__(self, ix: Any, limitmb: float = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb)
        # Each document's length in each field as the length column keeps it, one byte a
        # document (0: not in the field): a dict of ints cost about 70 bytes a document
        # and field, 180 MB in each writer of a million-article build.
        self.lengths: dict[str, bytearray] = {}
        self._direct: dict[str, PositionIndexer | None] = {}
        self._values = ValueMemo()

    def _indexer(self, fieldname: str, field: Any) -> PositionIndexer | None:
        """The direct indexer of a field, or None where Whoosh's field.index must run."""
        try:
            return self._direct[fieldname]
        except KeyError:
            indexer = PositionIndexer.for_field(field, self._values)
            self._direct[fieldname] = indexer
            return indexer

    def add_document(self, **fields: Any) -> None:
        """Whoosh 2.7.4's SegmentWriter.add_document, with postings appended by term."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        pool.start_doc(docnum)
        added = 0

        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]

            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                terms = pool.terms(fieldname)
                indexer = self._indexer(fieldname, field) if isinstance(value, str) else None
                if indexer is not None:
                    length, grown = indexer.add(value, docnum, fieldboost, terms)
                else:
                    length, grown = _add_items(field, value, docnum, fieldboost, terms)
                added += grown
                if length:
                    lens = self.lengths.get(fieldname)
                    if lens is None:
                        lens = self.lengths[fieldname] = bytearray()
                    if len(lens) <= docnum:
                        lens.extend(bytes(docnum + 1 - len(lens)))
                    lens[docnum] = length_to_byte(length)

            if field.separate_spelling():
                spellfield = field.spelling_fieldname(fieldname)
                for word in field.spellable_words(value):
                    word = utf8encode(word)[0]
                    # Whoosh passes whatever value its posting loop ended on; none is read.
                    pool.add((spellfield, word, 0, 1, b""))

            vformat = field.vector
            if vformat:
                analyzer = field.analyzer
                vitems = vformat.word_values(value, analyzer, mode="index")
                vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                perdocwriter.add_vector_items(fieldname, field, vitems)

            customval = fields.get(f"_stored_{fieldname}", value)
            sv = customval if field.stored else None
            perdocwriter.add_field(fieldname, field, sv, length)

            column = field.column_type
            if column and customval is not None:
                cv = field.to_column_value(customval)
                perdocwriter.add_column_value(fieldname, column, cv)

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        pool.size += int(added * _SLACK)
        pool.check_size()

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        return self.pool.iter_postings()

    def _flush_segment(self) -> None:
        """SegmentWriter._flush_segment, feeding the field writer term by term.

        These are the calls codec.base.FieldWriter.add_postings makes for the same sorted
        postings (it skips docnum -1, the spelling hack, and so do we).
        """
        self.perdocwriter.close()
        pdr = None
        if self.codec.length_stats and self.pool.foreign:
            pdr = self.per_document_reader()
        try:
            self._write_terms(pdr)
        finally:
            self.fieldwriter.close()
            if pdr is not None:
                pdr.close()

    def _write_terms(self, pdr: Any) -> None:
        fw = self.fieldwriter
        single: Callable[[Any, bytes, Columns, LengthsOf], None] | None = None
        arrays: ArraysWriter | None = None
        if block_writer.supports(fw):
            write_term = block_writer.write_term
            single = block_writer.write_inlined
            block_writer.compact_term_table(fw)
            block_writer.count_positions(fw)
            if self.docnum >= posting_arrays.SEGMENT_FROM:
                arrays = ArraysWriter(self.newsegment.create_file(self.storage, ARRAYS_EXT))
        else:
            write_term = block_writer.write_term_public
        try:
            self._write_all_terms(fw, pdr, write_term, single, arrays)
        except BaseException:
            if arrays is not None:
                arrays.abandon()  # the segment is not written: neither are its arrays
            raise
        if arrays is not None:
            arrays.close(self.docnum)

    def _write_all_terms(
        self,
        fw: Any,
        pdr: Any,
        write_term: Callable[..., None],
        single: Callable[[Any, bytes, Columns, LengthsOf], None] | None,
        arrays: ArraysWriter | None,
    ) -> None:
        schema = self.schema
        pool = self.pool
        lastfn = None
        lengths_of: LengthsOf = _no_lengths
        size = 0
        for fieldname, btext, data in pool.term_stream():
            if fieldname != lastfn:
                if lastfn is not None:
                    fw.finish_field()
                fw.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
                lengths_of = self._lengths_of(fieldname, pdr)
                size = block_writer.chunk_postings(fw)
            if single is not None and len(data) <= _FEW_MAX:
                few = _few_postings(data)
                if few is not None and few[0][0] != -1:
                    if len(few[0]) > 1 and pool.out_of_order(fieldname, btext):
                        few = pool.columns(fieldname, btext, data)
                    single(fw, btext, few, lengths_of)  # most terms: no generators
                    continue
            # A common word's postings are made into lists and written a chunk at a time.
            chunks = pool.column_chunks(fieldname, btext, data, size)
            first = next(chunks)
            if first[0][0] == -1:  # Whoosh's spelling hack; sorted, so only at the front
                ids, weights, values = pool.columns(fieldname, btext, data)
                first_doc = next((i for i, docnum in enumerate(ids) if docnum != -1), len(ids))
                if first_doc == len(ids):
                    continue
                whole = (ids[first_doc:], weights[first_doc:], values[first_doc:])
                write_term(fw, btext, iter([whole]), lengths_of, arrays)
                continue
            write_term(fw, btext, chain([first], chunks), lengths_of, arrays)
        if lastfn is not None:
            fw.finish_field()

    def _lengths_of(self, fieldname: str, pdr: Any) -> LengthsOf:
        """The documents' lengths in the field, rounded as the length column rounds them:
        from memory, or from the length column when postings came from merged segments
        the writer never saw. None for a document without the field: the codec skips a
        length that is not true."""
        if not self.codec.length_stats:
            return _no_lengths
        if pdr is not None:
            dfl = pdr.doc_field_length
            return lambda ids: [dfl(docnum, fieldname) for docnum in ids]
        lens = self.lengths.get(fieldname)
        if lens is None:
            return lambda ids: [None] * len(ids)
        if len(lens) < self.docnum:
            lens.extend(bytes(self.docnum - len(lens)))
        rounded = _ROUNDED.__getitem__

        def lengths_of(ids: Sequence[int]) -> list[int | None]:
            if len(ids) == 1:
                return [_ROUNDED[lens[ids[0]]]]
            return list(map(rounded, itemgetter(*ids)(lens)))

        return lengths_of


# What a length byte stands for (None: the document is not in the field).
_ROUNDED: tuple[int | None, ...] = (None, *(byte_to_length(b) for b in range(1, 256)))
# The lengths of some documents in a field, in their order.
LengthsOf = Callable[[Sequence[int]], list[int | None]]


def _no_lengths(ids: Sequence[int]) -> list[int | None]:
    return [0] * len(ids)


def _add_items(
    field: Any, value: Any, docnum: int, boost: float, terms: dict[bytes, bytearray]
) -> tuple[int, int]:
    """Append a document's postings from Whoosh's own field.index; (length, bytes added)."""
    pack = _HEAD.pack
    scorable = field.scorable
    length = added = 0
    for tbytes, freq, weight, vbytes in field.index(value):
        if scorable:
            length += freq
        if vbytes is None:
            vbytes = b""
        rec = pack(docnum, weight * boost, len(vbytes)) + vbytes
        buf = terms.get(tbytes)
        if buf is None:
            terms[tbytes] = bytearray(rec)
            added += _TERM_OVERHEAD + len(tbytes)
        else:
            buf += rec
        added += len(rec)
    return length, added


class ValueMemo:
    """Encoded position lists of the text being indexed, by list identity.

    An article's stemmed and exact fields share the position list of every word that is its
    own stem, so each such list is encoded once. The memo holds each list it keys, so an
    id cannot be reused while it is in the memo.
    """

    def __init__(self) -> None:
        self.text: str | None = None
        self.values: dict[int, tuple[list[int], bytes]] = {}

    def memo(self, text: str) -> dict[int, tuple[list[int], bytes]]:
        if self.text is not text and self.text != text:
            self.text = text
            self.values = {}
        return self.values


class PositionIndexer:
    """field.index for a text field of the Indonesian analyzer with Whoosh's Positions.

    Whoosh makes a Token per word, passes it through three generators and groups the tokens
    in defaultdicts; an article's ~1,000 words in four fields made that the largest part of
    its indexing time. Here the analyzer hands over each term with its positions, and the
    postings (weight = frequency, value = encoded positions, as Positions.word_values gives
    them) go straight into the pool. A term seen once in a document, the common case, gets
    its encoded position from a memo; a position list the stemmed and exact fields share is
    encoded once.
    """

    def __init__(self, analyzer: IndonesianAnalyzer, fmt: Positions, values: ValueMemo) -> None:
        self.analyzer = analyzer
        self.encode = fmt.encode
        self.single: dict[int, bytes] = {}
        self.values = values

    @classmethod
    def for_field(cls, field: Any, values: ValueMemo) -> PositionIndexer | None:
        fmt = field.format
        analyzer = field.analyzer
        if (
            type(fmt) is Positions
            and fmt.field_boost == 1.0
            and type(analyzer) is IndonesianAnalyzer
        ):
            return cls(analyzer, fmt, values)
        return None

    def add(
        self, text: str, docnum: int, boost: float, terms: dict[bytes, bytearray]
    ) -> tuple[int, int]:
        """Append the document's postings to `terms`; (field length, bytes added)."""
        positions = self.analyzer.positions(text)
        memo = self.values.memo(text)
        head = _DOCNUM.pack(docnum)
        tail = _TAIL.pack
        single = self.single if boost == 1.0 else {}
        encode = self.encode
        added = 0
        for term, poslist in positions.items():
            if len(poslist) == 1:
                rest = single.get(poslist[0])
                if rest is None:
                    value = encode(poslist)
                    rest = single[poslist[0]] = tail(boost, len(value)) + value
            else:
                seen = memo.get(id(poslist))
                if seen is not None and seen[0] is poslist:
                    value = seen[1]
                else:
                    value = encode(poslist)
                    memo[id(poslist)] = (poslist, value)
                rest = tail(len(poslist) * boost, len(value)) + value
            tbytes = term.encode("utf-8")
            buf = terms.get(tbytes)
            if buf is None:
                terms[tbytes] = buf = bytearray(head)
                added += _TERM_OVERHEAD + len(tbytes)
            else:
                buf += head
            buf += rest
            added += _HEAD_SIZE + len(rest)
        return sum(map(len, positions.values())), added
