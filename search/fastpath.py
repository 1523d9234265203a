"""The fast path: match sets and top-k ranking from decoded posting lists, not Whoosh matchers.

Whoosh's collector scores every matching document with the whole scoring query, walking a
tree of Python matcher objects per posting; its block-max skipping never fires on these
queries, so a common word at 100,000 articles costs seconds. Here the same query is answered
in three cheaper steps that give the same answer:

1. The match set (for the total and the facets) is built from each term's set of document
   numbers with C-speed set operations. A term's postings are decoded once, block by block
   straight from Whoosh's posting file, and kept in a bounded LRU (`PostingCache`), so
   search-as-you-type re-uses what the previous keystroke decoded.
2. Every matched document gets a lower and an upper bound of its score. Both are sums of
   BM25F contributions looked up in per-term dicts (`map` over dicts, no Python loop per
   document). They differ only where an `AndMaybe` adds an optional clause, in practice the
   proximity boost: the lower bound leaves it out, the upper bound assumes it matches
   wherever all its words occur. A phrase's score does not depend on where its words
   stand, only whether they stand together, so the upper bound is its exact score if it
   matches.
3. Candidates are verified in the order of their upper bound, checking word positions only
   for them, until the k-th best exact score beats the next upper bound. The top-k are then
   rescored with Whoosh's own matchers, so scores (and ties, broken by document number as
   Whoosh's collector does) are bit-for-bit Whoosh's.

Only the query shapes `search.compiler` produces are handled (terms and phrases on scored
fields, And, Or, AndMaybe, Not under And); anything else (prefixes, `outlet:`, `author:`)
returns None from `compile_plan` and the engine takes the straightforward path.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import accumulate, compress, groupby, repeat
from operator import add, itemgetter, mul, rshift
from operator import sub as minus
from pickle import loads
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher, ListMatcher
from whoosh.query.spans import SpanFirst
from whoosh.util.numeric import byte_to_length

#: Relative slack on score comparisons: our sums may add in another order than Whoosh's.
EPS = 1e-9
#: Default memory budget of decoded postings (bytes, estimated): the TUI must stay < 500 MB.
DEFAULT_BUDGET = 160 * 1024 * 1024
# Rough bytes per cached posting: a dict entry, a float, a shared int, position bytes.
_BYTES_PER_POSTING = 110
# Rough bytes per entry of a term's block maxima (a dict entry, a float, an int).
_BYTES_PER_BLOCK = 100
VERIFY_BATCH = 32


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


class PostingCache:
    """A byte-budgeted LRU of decoded postings and derived sets, shared by all threads.

    Keys start with the generation token, so a rebuilt index never reads stale entries;
    `clear()` on reopening frees the old ones at once.
    """

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.used = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

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

    def postings(self, field: str, btext: bytes) -> TermPostings | None:
        key = (self.token, "t", field, btext)
        found = self.cache.get(key)
        if found is None:
            found = self._decode(field, btext)
            n = len(found.ids) if found is not None else 0
            self.cache.put(key, found if found is not None else _EMPTY, 64 + n * _BYTES_PER_POSTING)
        return None if found is _EMPTY else found

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
            li, lw, lv = _leaf_postings(leaf, field, btext, fmt)
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
            nbytes = 64 + len(p.ids) * _BYTES_PER_POSTING + len(blocks) * _BYTES_PER_BLOCK
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


_EMPTY = object()


def _leaf_postings(
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


# ── the plan: a mirror of the Whoosh query tree ─────────────────────────────────────────

LOWER, UPPER, EXACT = 0, 1, 2
#: A lower bound that decodes no position lists: a phrase whose match set is not known yet
#: counts as absent (a lead is still exact: its check reads one number off the bytes).
#: What an AndMaybe's optional clause adds to LOWER (see `MaybeNode.score`).
FLOOR = 3


class Node:
    """One query node. `docs` passed to `score` are documents that match this node."""

    def match(self, ctx: Context) -> frozenset[int] | set[int] | Any:
        raise NotImplementedError

    def key(self) -> tuple[Any, ...]:
        """What the match set depends on (not boosts): a cache key across searches."""
        raise NotImplementedError

    def contains(self, ctx: Context, docnum: int) -> bool:
        return docnum in self.match(ctx)

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        """The documents of `docs` (ascending) this node matches: exactly for LOWER and
        EXACT, loosely for UPPER.

        Scoring asks this of a few thousand candidates; building `match` instead would
        union and intersect whole posting lists (tens of thousands of documents a common
        word) on every call.
        """
        raise NotImplementedError

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        raise NotImplementedError

    def masked(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        """Scores of any `docs`, 0.0 where this node does not match: what an Or adds up
        without first asking each part, level by level, which documents it matches."""
        hit = self.within(ctx, docs, mode)
        if not hit:
            return [0.0] * len(docs)
        if len(hit) == len(docs):
            return self.score(ctx, docs, mode)
        got = dict(zip(hit, self.score(ctx, hit, mode), strict=True))
        return list(map(got.get, docs, repeat(0.0)))

    def has_optional(self) -> bool:
        return False


class TermNode(Node):
    def __init__(self, field: str, btext: bytes, boost: float) -> None:
        self.field, self.btext, self.boost = field, btext, boost

    def postings(self, ctx: Context) -> TermPostings | None:
        return ctx.postings(self.field, self.btext)

    def match(self, ctx: Context) -> Any:
        p = self.postings(ctx)
        return p.docs if p is not None else frozenset()

    def key(self) -> tuple[Any, ...]:
        return ("t", self.field, self.btext)

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        p = self.postings(ctx)
        return list(filter(p.scores.__contains__, docs)) if p is not None else []

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        p = self.postings(ctx)
        assert p is not None
        raw = map(p.scores.__getitem__, docs)
        return list(raw) if self.boost == 1.0 else list(map(mul, raw, repeat(self.boost)))

    def masked(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        p = self.postings(ctx)
        if p is None:
            return [0.0] * len(docs)
        raw = map(p.scores.get, docs, repeat(0.0))
        return list(raw) if self.boost == 1.0 else list(map(mul, raw, repeat(self.boost)))


class PhraseNode(Node):
    """Words in order, each within `slop` positions of the one before (Whoosh's SpanNear2)."""

    def __init__(self, field: str, words: list[bytes], slop: int, boost: float) -> None:
        self.field, self.words, self.slop, self.boost = field, words, slop, boost
        self.terms = [TermNode(field, w, 1.0) for w in words]

    def _postings(self, ctx: Context) -> list[TermPostings] | None:
        found = [t.postings(ctx) for t in self.terms]
        return None if any(p is None for p in found) else found  # type: ignore[return-value]

    def _together(self, ctx: Context) -> set[int] | frozenset[int]:
        """The documents holding every word (a superset of the match: no positions read)."""
        ps = self._postings(ctx)
        if ps is None:
            return frozenset()
        ps = sorted(ps, key=lambda p: len(p.ids))
        docs = set(ps[0].docs)
        for p in ps[1:]:
            docs.intersection_update(p.docs)
        return docs

    def _key(self) -> tuple[Any, ...]:
        return ("p", self.field, tuple(self.words), self.slop)

    def key(self) -> tuple[Any, ...]:
        return self._key()

    def match(self, ctx: Context) -> Any:
        def make() -> frozenset[int]:
            ps = self._postings(ctx)
            if ps is None:
                return frozenset()
            return frozenset(d for d in sorted(self._together(ctx)) if self._at(ps, d))

        return ctx.memo(self._key(), make, len)

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        if mode == LOWER:  # the whole match, memoised across searches
            return list(filter(self.match(ctx).__contains__, docs))
        if mode == FLOOR:
            known = ctx.known(self._key())
            return [] if known is None else list(filter(known.__contains__, docs))
        ps = self._postings(ctx)
        if ps is None:
            return []
        for p in sorted(ps, key=lambda p: len(p.ids)):
            docs = list(filter(p.scores.__contains__, docs))
        return docs if mode == UPPER else [d for d in docs if self.contains(ctx, d)]

    def contains(self, ctx: Context, docnum: int) -> bool:
        known = ctx.known(self._key())
        if known is not None:
            return docnum in known
        ps = self._postings(ctx)
        if ps is None or any(docnum not in p.docs for p in ps):
            return False
        return self._at(ps, docnum)

    def _at(self, ps: list[TermPostings], docnum: int) -> bool:
        """True when the words stand in order, each 1..slop positions after the last."""
        slop = self.slop
        ends = set(ps[0].positions(docnum))
        for p in ps[1:]:
            nxt = p.positions(docnum)
            ends = {q for q in nxt if any(q - k in ends for k in range(1, slop + 1))}
            if not ends:
                return False
        return True

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        # SpanNear2 wraps an intersection of the terms: the sum of their scores, boosted.
        total = _sum([t.score(ctx, docs, mode) for t in self.terms], len(docs))
        return total if self.boost == 1.0 else list(map(mul, total, repeat(self.boost)))


class LeadNode(Node):
    """A term standing among the first `limit + 1` words of its field (Whoosh's SpanFirst
    over a Term): the lead of a story. It scores as the term does.

    Only ever an optional clause in practice, so its whole match set is never built:
    documents are checked one by one, the candidates that can still reach the top, each by
    the first position read off its encoded list (`first_position`).
    """

    def __init__(self, field: str, btext: bytes, limit: int, boost: float) -> None:
        self.term = TermNode(field, btext, boost)
        self.limit = limit

    def key(self) -> tuple[Any, ...]:
        return ("lead", self.term.field, self.term.btext, self.limit)

    def match(self, ctx: Context) -> Any:
        def make() -> frozenset[int]:
            p = self.term.postings(ctx)
            return frozenset() if p is None else frozenset(d for d in p.ids if self._at(p, d))

        return ctx.memo(self.key(), make, len)

    def _at(self, p: TermPostings, docnum: int) -> bool:
        return p.first_position(docnum) <= self.limit

    def contains(self, ctx: Context, docnum: int) -> bool:
        p = self.term.postings(ctx)
        return p is not None and docnum in p.scores and self._at(p, docnum)

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        p = self.term.postings(ctx)
        if p is None:
            return []
        held = list(filter(p.scores.__contains__, docs))
        if mode == UPPER:
            return held
        # Exact in every other mode, FLOOR included: a first position is read off the
        # encoded bytes, so the lower bounds can count the lead and prune far more.
        limit = self.limit
        values, ids = p.values, p.ids
        assert values is not None
        return [d for d in held if first_position(values[bisect_left(ids, d)]) <= limit]

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        return self.term.score(ctx, docs, mode)


class AndNode(Node):
    def __init__(self, parts: list[Node], nots: list[Node]) -> None:
        self.parts, self.nots = parts, nots

    def match(self, ctx: Context) -> Any:
        return _memo_match(ctx, self, self._match)

    def _match(self, ctx: Context) -> frozenset[int]:
        sets = sorted((p.match(ctx) for p in self.parts), key=len)
        docs = set(sets[0])
        for s in sets[1:]:
            if not docs:
                break
            docs.intersection_update(s)
        for n in self.nots:
            if docs:
                docs.difference_update(n.match(ctx))
        return frozenset(docs)

    def key(self) -> tuple[Any, ...]:
        return ("and", tuple(p.key() for p in self.parts), tuple(n.key() for n in self.nots))

    def contains(self, ctx: Context, docnum: int) -> bool:
        return all(p.contains(ctx, docnum) for p in self.parts) and not any(
            n.contains(ctx, docnum) for n in self.nots
        )

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        for p in self.parts:
            if not docs:
                return docs
            docs = p.within(ctx, docs, mode)
        if mode != UPPER:  # UPPER leaves the Not-ed parts out: still a superset
            # A floor must not keep a document a Not-ed phrase might exclude.
            not_mode = UPPER if mode == FLOOR else mode
            for n in self.nots:
                if docs:
                    out = set(n.within(ctx, docs, not_mode))
                    docs = [d for d in docs if d not in out]
        return docs

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        # A Not under Whoosh's And is an InverseMatcher in the intersection: it scores 1.0.
        parts = [p.score(ctx, docs, mode) for p in self.parts]
        parts += [[1.0] * len(docs) for _ in self.nots]
        return _sum(parts, len(docs))

    def has_optional(self) -> bool:
        return any(p.has_optional() for p in self.parts)


class OrNode(Node):
    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def match(self, ctx: Context) -> Any:
        return _memo_match(ctx, self, self._match)

    def _match(self, ctx: Context) -> frozenset[int]:
        docs: set[int] = set()
        for p in self.parts:
            docs.update(p.match(ctx))
        return frozenset(docs)

    def key(self) -> tuple[Any, ...]:
        return ("or", tuple(p.key() for p in self.parts))

    def contains(self, ctx: Context, docnum: int) -> bool:
        return any(p.contains(ctx, docnum) for p in self.parts)

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        found: set[int] = set()
        for p in self.parts:
            found.update(p.within(ctx, docs, mode))
        return list(filter(found.__contains__, docs))

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        # The sum over the parts that match each document (Whoosh's UnionMatcher).
        out = [0.0] * len(docs)
        for p in self.parts:
            out = list(map(add, out, p.masked(ctx, docs, mode)))
        return out

    def masked(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        return self.score(ctx, docs, mode)  # 0.0 where no part matches

    def has_optional(self) -> bool:
        return any(p.has_optional() for p in self.parts)


class MaybeNode(Node):
    """`AndMaybe(required, optional)`: the optional clause only adds to the score."""

    def __init__(self, required: Node, optional: Node) -> None:
        self.required, self.optional = required, optional

    def match(self, ctx: Context) -> Any:
        return self.required.match(ctx)

    def key(self) -> tuple[Any, ...]:
        return self.required.key()

    def contains(self, ctx: Context, docnum: int) -> bool:
        return self.required.contains(ctx, docnum)

    def within(self, ctx: Context, docs: list[int], mode: int) -> list[int]:
        return self.required.within(ctx, docs, mode)

    def score(self, ctx: Context, docs: list[int], mode: int) -> list[float]:
        base = self.required.score(ctx, docs, mode)
        if mode == LOWER:
            # Whatever of the optional clause needs no position lists decoded (the
            # exact-form words and the lead, typically) lifts the lower bounds of the
            # best documents close to their scores: the k-th best of them then prunes
            # far more.
            mode = FLOOR
        return list(map(add, base, self.optional.masked(ctx, docs, mode)))

    def has_optional(self) -> bool:
        return True


def _memo_match(
    ctx: Context, node: Node, make: Callable[[Context], frozenset[int]]
) -> frozenset[int]:
    """An And's or Or's match set, kept across searches: typing a third word re-uses the
    union of each of the first two words' fields, and a new filter, page or sort re-uses
    the whole query's (at 100,000 articles, 1-8 ms of set work)."""
    return ctx.memo(("m", node.key()), lambda: make(ctx), len)


def _sum(parts: list[list[float]], n: int) -> list[float]:
    if not parts:
        return [0.0] * n
    out = parts[0]
    for p in parts[1:]:
        out = list(map(add, out, p))
    return out


def compile_plan(q: wq.Query, schema: Any) -> Node | None:
    """The plan for a Whoosh query, or None when the fast path does not model it."""
    try:
        return _plan(q, schema)
    except Unsupported:
        return None


def _plan(q: wq.Query, schema: Any) -> Node:
    if isinstance(q, wq.Term):
        field = _scored_field(q.fieldname, schema, positions=False)
        return TermNode(q.fieldname, field.to_bytes(q.text), float(q.boost))
    if isinstance(q, wq.Phrase):
        field = _scored_field(q.fieldname, schema, positions=True)
        if len(q.words) < 2 or q.char_ranges:
            raise Unsupported
        words = [field.to_bytes(w) for w in q.words]
        return PhraseNode(q.fieldname, words, q.slop, float(q.boost))
    if isinstance(q, SpanFirst) and type(q.q) is wq.Term:  # scored as its term: no boost
        field = _scored_field(q.q.fieldname, schema, positions=True)
        return LeadNode(q.q.fieldname, field.to_bytes(q.q.text), q.limit, float(q.q.boost))
    if isinstance(q, wq.AndMaybe):
        if q.boost != 1.0:
            raise Unsupported
        return MaybeNode(_plan(q.a, schema), _plan(q.b, schema))
    if type(q) in (wq.And, wq.Or) or type(q).__name__ == "_Or":
        if q.boost != 1.0 or not q.subqueries:
            raise Unsupported
        if isinstance(q, wq.Or):
            if q.minmatch or q.scale or any(isinstance(s, wq.Not) for s in q.subqueries):
                raise Unsupported
            parts = [_plan(s, schema) for s in q.subqueries]
            return parts[0] if len(parts) == 1 else OrNode(parts)
        parts = [_plan(s, schema) for s in q.subqueries if not isinstance(s, wq.Not)]
        nots = [_plan(s.query, schema) for s in q.subqueries if isinstance(s, wq.Not)]
        if not parts or any(s.boost != 1.0 for s in q.subqueries if isinstance(s, wq.Not)):
            raise Unsupported
        if len(parts) == 1 and not nots:
            return parts[0]
        return AndNode(parts, nots)
    raise Unsupported


def _scored_field(name: str, schema: Any, positions: bool) -> Any:
    if name not in schema:
        raise Unsupported
    field = schema[name]
    if (
        not field.scorable
        or not field.format
        or (positions and not field.format.supports("positions"))
    ):
        raise Unsupported
    return field


# ── top-k ────────────────────────────────────────────────────────────────────────────────


def top_docs(
    ctx: Context, plan: Node, q: wq.Query, matched: Iterable[int], limit: int
) -> list[tuple[int, float]]:
    """The first `limit` of `matched` by Whoosh's score of `q`, ties by document number."""
    docs, lower = _candidates(ctx, plan, matched, limit)
    if not docs:
        return []
    if plan.has_optional():
        upper = _upper(ctx, plan, docs, lower)
        exact = _verify(ctx, plan, docs, lower, upper, limit)
    else:
        exact = dict(zip(docs, lower, strict=True))
        if len(exact) > limit:
            cut = _below(heapq.nlargest(limit, lower)[-1])
            exact = {d: s for d, s in exact.items() if s >= cut}
    return _rescore(ctx, q, exact, limit)


#: Below this many matches every one gets its bounds: pruning would not pay for itself.
PRUNE_FROM = 2000
#: Relative margin of the pruning test (far wider than any summation-order difference).
PRUNE_EPS = 1e-7
#: Blocks of 2**BLOCK_SHIFT document numbers share one score bound per term.
BLOCK_SHIFT = 7
#: Documents scored per call while pruning: fewer calls, a little more scoring.
CANDIDATE_BATCH = 128
#: Terms are bounded per document while their holders are at most this share of the
#: matches; the rest per block.
SPREAD = 0.25


def _candidates(
    ctx: Context, plan: Node, matched: Iterable[int], limit: int
) -> tuple[list[int], list[float]]:
    """The matched documents that can reach the top `limit`, with their lower bounds.

    A document's score is a sum of per-term contributions, each at most the term's BM25
    value in it times the boosts the term carries in the query (`_term_weights`). The
    terms split in two. The heavy ones (best contribution first, as in MaxScore, while
    together they hold at most a `SPREAD` share of the matches: title words, typically)
    pick the documents bounded one by one, by every term's own value in them. The other
    documents are bounded by the light terms (the common body words of an And, held by
    nearly every match) at their best value in the document's block of 2**BLOCK_SHIFT
    numbers (`TermPostings.block_max`), which, unlike a word's best value over the whole
    index, an outlier inflates only in its own block.

    Documents holding a heavy term are taken one by one, the others block by block, all
    in order of their bound, until the `limit`-th best lower bound so far beats the next
    bound: nothing after it can reach the top `limit`.
    """
    if not isinstance(matched, (set, frozenset)):
        matched = frozenset(matched)
    if len(matched) < PRUNE_FROM or limit >= len(matched):
        docs = sorted(matched)
        return docs, plan.score(ctx, docs, LOWER) if docs else []
    weights, const = _term_weights(plan)
    shift = BLOCK_SHIFT
    leaves = []
    for (field, btext), mult in weights.items():
        p = ctx.postings(field, btext)
        if p is not None:
            blocks = ctx.block_max(field, btext, p, shift)
            leaves.append((max(blocks.values(), default=0.0) * mult, mult, blocks, p))
    leaves.sort(key=lambda t: -t[0])
    spread = len(matched) * SPREAD
    seen: set[int] = set()
    heavy = 0
    for _, _, _, p in leaves:
        new = matched & p.docs
        if seen:
            new -= seen
        if len(seen) + len(new) > spread:
            break
        seen |= new
        heavy += 1
    bound: dict[int, float] = {}  # block -> bound of the light terms (and the constant)
    get = bound.get
    for _, mult, blocks, _ in leaves[heavy:]:
        for block, m in blocks.items():
            bound[block] = get(block, const) + m * mult
    held = sorted(seen)
    # A held document's bound counts every term at its own value there, not the light
    # terms' best in its block: a few lookups per term for far fewer candidates.
    ub = [const] * len(held)
    for _, mult, _, p in leaves:
        ub = list(map(add, ub, map(mul, map(p.scores.get, held, repeat(0.0)), repeat(mult))))
    one_by_one = sorted(zip(ub, held, strict=True), reverse=True)
    by_block = sorted(bound, key=bound.__getitem__, reverse=True)

    lowers: dict[int, float] = {}
    best: list[float] = []  # min-heap of the `limit` best lower bounds
    batch: list[int] = []
    rest: list[int] | None = None  # the matches no heavy term holds, ascending

    def take() -> None:
        batch.sort()
        got = plan.score(ctx, batch, LOWER)
        lowers.update(zip(batch, got, strict=True))
        for v in got:
            if len(best) < limit:
                heapq.heappush(best, v)
            elif v > best[0]:
                heapq.heapreplace(best, v)
        batch.clear()

    def beaten(bound: float) -> bool:
        return len(best) >= limit and (
            bound + abs(bound) * PRUNE_EPS < best[0] - abs(best[0]) * PRUNE_EPS
        )

    i = j = 0
    while i < len(one_by_one) or j < len(by_block):
        doc_ub = one_by_one[i][0] if i < len(one_by_one) else None
        block_ub = bound[by_block[j]] if j < len(by_block) else None
        if block_ub is None or (doc_ub is not None and doc_ub >= block_ub):
            assert doc_ub is not None
            if beaten(doc_ub):
                break
            batch.append(one_by_one[i][1])
            i += 1
        else:
            if beaten(block_ub):
                break
            if rest is None:
                rest = sorted(matched - seen)
            block = by_block[j]
            j += 1
            lo = bisect_left(rest, block << shift)
            batch.extend(rest[lo : bisect_left(rest, (block + 1) << shift, lo)])
        if len(batch) >= CANDIDATE_BATCH:
            take()
    else:  # matches in no block of a light term, holding no heavy one: the constant alone
        if len(seen) < len(matched) and not beaten(const):
            rest = sorted(matched - seen) if rest is None else rest
            batch.extend(d for d in rest if (d >> shift) not in bound)
    if batch:
        take()
    docs = sorted(lowers)
    return docs, [lowers[d] for d in docs]


def _term_weights(plan: Node) -> tuple[dict[tuple[str, bytes], float], float]:
    """Each term's total boost in the plan, and the constant a Not under And adds.

    A document's score is at most the sum, over the terms it holds, of the term's best
    BM25 value times its total boost, plus the constant (Whoosh scores a Not 1.0).
    """
    weights: dict[tuple[str, bytes], float] = {}
    const = 0.0

    def walk(node: Node, mult: float) -> None:
        nonlocal const
        if isinstance(node, TermNode):
            key = (node.field, node.btext)
            weights[key] = weights.get(key, 0.0) + mult * node.boost
        elif isinstance(node, LeadNode):
            walk(node.term, mult)
        elif isinstance(node, PhraseNode):
            for t in node.terms:
                walk(t, mult * node.boost)
        elif isinstance(node, AndNode):
            for part in node.parts:
                walk(part, mult)
            const += mult * len(node.nots)
        elif isinstance(node, OrNode):
            for part in node.parts:
                walk(part, mult)
        elif isinstance(node, MaybeNode):
            walk(node.required, mult)
            walk(node.optional, mult)
        else:  # pragma: no cover - every node type is listed above
            raise Unsupported(type(node).__name__)

    walk(plan, 1.0)
    return weights, const


def _upper(ctx: Context, plan: Node, docs: list[int], lower: list[float]) -> list[float]:
    """Upper bounds; at the usual root (an AndMaybe) the lower bounds with the optional
    clause's floor swapped for its upper bound, without scoring the required part again."""
    if isinstance(plan, MaybeNode) and not plan.required.has_optional():
        opt = plan.optional
        up = opt.masked(ctx, docs, UPPER)
        floor = opt.masked(ctx, docs, FLOOR)
        return list(map(add, lower, map(minus, up, floor)))
    return plan.score(ctx, docs, UPPER)


def _verify(
    ctx: Context,
    plan: Node,
    docs: list[int],
    lower: list[float],
    upper: list[float],
    limit: int,
) -> dict[int, float]:
    """Exact scores for every document that can reach the top `limit`.

    S(d) lies in [lower, upper]; the `limit`-th best lower bound is a floor for the
    `limit`-th best exact score, so documents whose upper bound is below it are out
    without a look. The rest are checked in upper-bound order until the `limit`-th best
    exact score so far beats every upper bound left.
    """
    floor = _below(heapq.nlargest(limit, lower)[-1]) if len(lower) > limit else float("-inf")
    cand = sorted(
        compress(zip(upper, docs, strict=True), map(floor.__le__, upper)),
        key=lambda t: (-t[0], t[1]),
    )
    exact: dict[int, float] = {}
    best: list[float] = []  # min-heap of the top `limit` exact scores
    i = 0
    while i < len(cand):
        if len(best) >= limit and best[0] > cand[i][0] + abs(cand[i][0]) * EPS:
            break
        batch = sorted(d for _, d in cand[i : i + VERIFY_BATCH])
        i += VERIFY_BATCH
        for d, s in zip(batch, plan.score(ctx, batch, EXACT), strict=True):
            exact[d] = s
            if len(best) < limit:
                heapq.heappush(best, s)
            elif s > best[0]:
                heapq.heapreplace(best, s)
    if len(exact) > limit:
        cut = _below(best[0])
        exact = {d: s for d, s in exact.items() if s >= cut}
    return exact


def _below(score: float) -> float:
    """A little under `score`: sums added in another order may differ in the last bits."""
    return score - abs(score) * EPS


def _rescore(
    ctx: Context, q: wq.Query, approx: dict[int, float], limit: int
) -> list[tuple[int, float]]:
    """Whoosh's own scores for the finalists, ordered as its collector orders them.

    Whoosh builds the matcher tree (which clauses are added in which order depends on
    each segment's term statistics) and adds the floats; only its leaves are ours: each
    term's postings cut down to the finalists, scored with the cached BM25 values (the
    same floats: `Context._decode` computes them with Whoosh's arithmetic). So no posting
    block is read or decoded, and a phrase's positions are checked only for finalists.
    """
    if not approx:
        return []
    wanted = sorted(approx)
    scored: list[tuple[float, int]] = []
    for sub, offset in ctx.searcher.leaf_searchers():
        n = sub.reader().doc_count_all()
        lo, hi = bisect_left(wanted, offset), bisect_left(wanted, offset + n)
        if lo == hi:
            continue
        mine = wanted[lo:hi]
        m = q.matcher(_FinalistSearcher(sub, ctx, offset, mine))
        for d in mine:
            if not m.is_active():
                break
            m.skip_to(d - offset)
            if m.is_active() and m.id() == d - offset:
                scored.append((m.score(), d))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(d, s) for s, d in scored[:limit]]


class _Leaf(ListMatcher):
    """A term's postings in the finalists of one segment, with cached BM25 scores.

    Stands in for Whoosh's `W3LeafMatcher`. Whoosh breaks ties between equally sized
    clauses, when it builds a matcher tree, by comparing matcher classes (same class:
    "less"), so every leaf of one tree must share one class, as Whoosh's own do.
    """

    def __init__(self, ids: list[int], scores: list[float], values: Any, fmt: Any) -> None:
        super().__init__(ids, values=values, format=fmt)
        self._scores = scores

    def score(self) -> float:
        return self._scores[self._i]

    def supports_block_quality(self) -> bool:
        return False


class _InlinedLeaf(_Leaf):
    """Stands in for the `ListMatcher` Whoosh uses for postings inlined in the term info."""


class _FinalistSearcher:
    """A segment's searcher whose `postings` only hold the finalists (see `_rescore`)."""

    def __init__(self, sub: Any, ctx: Context, offset: int, wanted: list[int]) -> None:
        self._sub = sub
        self._ctx = ctx
        self._offset = offset
        self._wanted = wanted

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sub, name)

    def reader(self) -> _StatsReader:
        return _StatsReader(self._sub.reader(), self._ctx, self._offset)

    def postings(self, fieldname: str, text: bytes, weighting: Any = None, qf: int = 1) -> Any:
        p = self._ctx.postings(fieldname, text)
        offset = self._offset
        if p is None:  # pragma: no cover - Whoosh asks only for terms in the segment
            raise Unsupported(fieldname)
        ids = [d for d in self._wanted if d in p.scores]
        scores = [p.scores[d] for d in ids]
        values = None
        if p.values is not None:
            values = [p.values[bisect_left(p.ids, d)] for d in ids]
        fmt = self._sub.schema[fieldname].format
        inlined = self.reader().stats(fieldname, text)[2]
        cls = _InlinedLeaf if inlined else _Leaf
        m = cls([d - offset for d in ids], scores, values, fmt)
        deleted = self._sub.reader()._perdoc.deleted_docs()
        if deleted:  # Whoosh wraps every leaf of such a segment: the same class for all
            m = _DeletedFilter(m, frozenset(deleted), exclude=True)
        return m


class _StatsReader:
    """A segment's reader whose term statistics are remembered across searches.

    Building a matcher tree, Whoosh checks that each term exists and sizes up each clause
    (`doc_frequency`, to order the tree); each answer is a lookup in the term file, some
    ten a term, which came to a third of the rescoring. The answers are the reader's own,
    kept in the posting cache under the generation and the segment.
    """

    def __init__(self, reader: Any, ctx: Context, offset: int) -> None:
        self._reader = reader
        self._ctx = ctx
        self._offset = offset

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def __contains__(self, term: tuple[str, Any]) -> bool:
        fieldname, text = term
        if fieldname not in self._reader.schema:
            return False
        return self.stats(fieldname, text)[0]

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        if fieldname not in self._reader.schema:
            return self._reader.doc_frequency(fieldname, text)  # Whoosh's own error
        return self.stats(fieldname, text)[1]

    def stats(self, fieldname: str, text: Any) -> tuple[bool, int, bool]:
        """(present, document frequency, postings inlined in the term info)."""
        ctx = self._ctx
        key = (ctx.token, "s", self._offset, fieldname, text)
        found = ctx.cache.get(key)
        if found is None:
            r = self._reader
            present = (fieldname, text) in r
            inlined = present and r._terms.term_info(fieldname, r._text_to_bytes(fieldname, text))
            found = (
                present,
                r.doc_frequency(fieldname, text),
                bool(inlined and inlined.is_inlined()),
            )
            ctx.cache.put(key, found, 200)
        return found


class _DeletedFilter(FilterMatcher):
    """Whoosh's `FilterMatcher` around the leaves of a segment with deleted documents."""
