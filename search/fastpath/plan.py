"""The plan: a mirror of the Whoosh query tree whose nodes match and score from decoded
postings (match sets as sorted arrays, scores and their lower and upper bounds as float
arrays: numpy operations over whole sets, not a Python step per document).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.query.spans import SpanFirst

from search.fastpath import docarrays
from search.fastpath.context import Context
from search.fastpath.docarrays import EMPTY_DOCS
from search.fastpath.limits import SET_BYTES
from search.fastpath.postings import DOC, TermPostings, Unsupported

# ── the plan: a mirror of the Whoosh query tree ─────────────────────────────────────────

LOWER, UPPER, EXACT = 0, 1, 2
#: A phrase check keys each position by its document: index << _POSITION_BITS | position
#: (Whoosh's positions are at most 2**31 - 1).
_POSITION_BITS = 32
#: A lower bound that decodes no position lists: a phrase whose match set is not known yet
#: counts as absent (a lead is still exact: its check reads one number off the bytes).
#: What an AndMaybe's optional clause adds to LOWER (see `MaybeNode.score`).
FLOOR = 3


class Node:
    """One query node. Document sets are sorted arrays of document numbers (`docarrays`);
    `docs` passed to `score` are documents that match this node."""

    def match(self, ctx: Context) -> np.ndarray:
        raise NotImplementedError

    def key(self) -> tuple[Any, ...]:
        """What the match set depends on (not boosts): a cache key across searches."""
        raise NotImplementedError

    def contains(self, ctx: Context, docnum: int) -> bool:
        return docarrays.contains(self.match(ctx), docnum)

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        """The documents of `docs` (ascending) this node matches: exactly for LOWER and
        EXACT, loosely for UPPER.

        Verifying asks this of a few dozen candidates; building `match` instead would
        union and intersect whole posting lists on every call.
        """
        raise NotImplementedError

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        raise NotImplementedError

    def masked(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        """Scores of any `docs`, 0.0 where this node does not match: what an Or adds up
        without first asking each part, level by level, which documents it matches."""
        hit = self.within(ctx, docs, mode)
        out = np.zeros(len(docs))
        if not len(hit):
            return out
        if len(hit) == len(docs):
            return self.score(ctx, docs, mode)
        out[np.searchsorted(docs, hit)] = self.score(ctx, hit, mode)
        return out

    def has_optional(self) -> bool:
        return False


class TermNode(Node):
    def __init__(self, field: str, btext: bytes, boost: float) -> None:
        self.field, self.btext, self.boost = field, btext, boost

    def postings(self, ctx: Context) -> TermPostings | None:
        return ctx.postings(self.field, self.btext)

    def match(self, ctx: Context) -> np.ndarray:
        p = self.postings(ctx)
        return p.ids if p is not None else EMPTY_DOCS

    def key(self) -> tuple[Any, ...]:
        return ("t", self.field, self.btext)

    def contains(self, ctx: Context, docnum: int) -> bool:
        p = self.postings(ctx)
        return p is not None and docnum in p

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        p = self.postings(ctx)
        if p is None:
            return EMPTY_DOCS
        return docs[p.find(docs, ctx.ndocs)[0]]

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        p = self.postings(ctx)
        assert p is not None
        raw = p.scores[p.find(docs, ctx.ndocs)[1]]
        return raw if self.boost == 1.0 else raw * self.boost

    def masked(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        p = self.postings(ctx)
        if p is None:
            return np.zeros(len(docs))
        held, where = p.find(docs, ctx.ndocs)
        raw = np.where(held, p.scores[where], 0.0)
        return raw if self.boost == 1.0 else raw * self.boost


class PhraseNode(Node):
    """Words in order, each within `slop` positions of the one before (Whoosh's SpanNear2)."""

    def __init__(self, field: str, words: list[bytes], slop: int, boost: float) -> None:
        self.field, self.words, self.slop, self.boost = field, words, slop, boost
        self.terms = [TermNode(field, w, 1.0) for w in words]

    def _postings(self, ctx: Context) -> list[TermPostings] | None:
        found = [t.postings(ctx) for t in self.terms]
        return None if any(p is None for p in found) else found  # type: ignore[return-value]

    def _together(
        self, ctx: Context, ps: list[TermPostings], docs: np.ndarray | None = None
    ) -> np.ndarray:
        """The documents (of `docs`, or of the index) holding every word: a superset of
        the match, no positions read."""
        arrays = [p.ids for p in ps]
        if docs is not None:
            arrays.append(docs)
        return docarrays.intersect(arrays, ctx.ndocs)

    def _key(self) -> tuple[Any, ...]:
        return ("p", self.field, tuple(self.words), self.slop)

    def key(self) -> tuple[Any, ...]:
        return self._key()

    def match(self, ctx: Context) -> np.ndarray:
        def make() -> np.ndarray:
            ps = self._postings(ctx)
            if ps is None:
                return EMPTY_DOCS
            together = self._together(ctx, ps)
            return together[self._at(ctx, ps, together)]

        return ctx.memo(self._key(), make, _nbytes)

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        if mode == LOWER:  # the whole match, memoised across searches
            return docs[docarrays.member(docs, self.match(ctx), ctx.ndocs)]
        if mode == FLOOR:
            known = ctx.known(self._key())
            return EMPTY_DOCS if known is None else docs[docarrays.member(docs, known, ctx.ndocs)]
        ps = self._postings(ctx)
        if ps is None:
            return EMPTY_DOCS
        held = self._together(ctx, ps, docs)
        if mode == UPPER:
            return held
        known = ctx.known(self._key())
        if known is not None:
            return held[docarrays.member(held, known, ctx.ndocs)]
        return held[self._at(ctx, ps, held)]

    def contains(self, ctx: Context, docnum: int) -> bool:
        known = ctx.known(self._key())
        if known is not None:
            return docarrays.contains(known, docnum)
        ps = self._postings(ctx)
        if ps is None or any(docnum not in p for p in ps):
            return False
        return bool(self._at(ctx, ps, np.array([docnum], dtype=DOC))[0])

    def _at(self, ctx: Context, ps: list[TermPostings], docs: np.ndarray) -> np.ndarray:
        """For each of `docs` (holding every word): do the words stand in order, each
        1..slop positions after the last? Position lists are decoded only here, all of
        a word's at once (`TermPostings.positions_at`).

        Each position is keyed by its document's index in `docs` and itself; a word's
        positions that stand 1..slop after a surviving position of the word before
        survive (the nearest one before decides: one binary search whatever the slop),
        and a document matches when some position of its last word survives. Keys of
        two documents lie 2**32 apart, farther than any slop.
        """
        ends: np.ndarray | None = None
        leaves = ctx.leaves()
        for term, p in zip(self.terms, ps, strict=True):
            owner, positions = p.positions_at(p.find(docs, ctx.ndocs)[1], leaves)
            ctx.charge(term.field, term.btext, p)
            keys = owner.astype(np.int64) << _POSITION_BITS | positions
            if ends is None:
                ends = keys
                continue
            # The nearest surviving position before each: within `slop` of it, or none is.
            before = np.searchsorted(ends, keys, side="left") - 1
            gap = keys - ends[np.maximum(before, 0)]
            ends = keys[(before >= 0) & (gap >= 1) & (gap <= self.slop)]
            if not len(ends):
                break
        out = np.zeros(len(docs), dtype=bool)
        if ends is not None:
            out[ends >> _POSITION_BITS] = True
        return out

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        # SpanNear2 wraps an intersection of the terms: the sum of their scores, boosted.
        total = _sum([t.score(ctx, docs, mode) for t in self.terms], len(docs))
        return total if self.boost == 1.0 else total * self.boost


class LeadNode(Node):
    """A term standing among the first `limit + 1` words of its field (Whoosh's SpanFirst
    over a Term): the lead of a story. It scores as the term does.

    Its checks read each document's first position off the encoded lists, all of a term's
    at once (`TermPostings.first_positions`), never unpickling a whole list.
    """

    def __init__(self, field: str, btext: bytes, limit: int, boost: float) -> None:
        self.term = TermNode(field, btext, boost)
        self.limit = limit

    def key(self) -> tuple[Any, ...]:
        return ("lead", self.term.field, self.term.btext, self.limit)

    def _firsts(self, ctx: Context, p: TermPostings) -> np.ndarray:
        return ctx.first_positions(self.term.field, self.term.btext, p)

    def match(self, ctx: Context) -> np.ndarray:
        p = self.term.postings(ctx)
        return EMPTY_DOCS if p is None else p.ids[self._firsts(ctx, p) <= self.limit]

    def contains(self, ctx: Context, docnum: int) -> bool:
        p = self.term.postings(ctx)
        if p is None or docnum not in p:
            return False
        return int(self._firsts(ctx, p)[p.index_of(docnum)]) <= self.limit

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        p = self.term.postings(ctx)
        if p is None:
            return EMPTY_DOCS
        held, where = p.find(docs, ctx.ndocs)
        if mode == UPPER:
            return docs[held]
        # Exact in every other mode, FLOOR included: first positions are read off the
        # encoded bytes, so the lower bounds can count the lead.
        return docs[held & (self._firsts(ctx, p)[where] <= self.limit)]

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        return self.term.score(ctx, docs, mode)


class AndNode(Node):
    def __init__(self, parts: list[Node], nots: list[Node]) -> None:
        self.parts, self.nots = parts, nots

    def match(self, ctx: Context) -> np.ndarray:
        return _memo_match(ctx, self, self._match)

    def _match(self, ctx: Context) -> np.ndarray:
        docs = docarrays.intersect([p.match(ctx) for p in self.parts], ctx.ndocs)
        for n in self.nots:
            if len(docs):
                docs = docarrays.difference(docs, n.match(ctx), ctx.ndocs)
        return docs

    def key(self) -> tuple[Any, ...]:
        return ("and", tuple(p.key() for p in self.parts), tuple(n.key() for n in self.nots))

    def contains(self, ctx: Context, docnum: int) -> bool:
        return all(p.contains(ctx, docnum) for p in self.parts) and not any(
            n.contains(ctx, docnum) for n in self.nots
        )

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        for p in self.parts:
            if not len(docs):
                return docs
            docs = p.within(ctx, docs, mode)
        if mode != UPPER:  # UPPER leaves the Not-ed parts out: still a superset
            # A floor must not keep a document a Not-ed phrase might exclude.
            not_mode = UPPER if mode == FLOOR else mode
            for n in self.nots:
                if len(docs):
                    docs = docarrays.difference(docs, n.within(ctx, docs, not_mode), ctx.ndocs)
        return docs

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        # A Not under Whoosh's And is an InverseMatcher in the intersection: it scores 1.0.
        parts = [p.score(ctx, docs, mode) for p in self.parts]
        parts += [np.ones(len(docs)) for _ in self.nots]
        return _sum(parts, len(docs))

    def has_optional(self) -> bool:
        return any(p.has_optional() for p in self.parts)


class OrNode(Node):
    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def match(self, ctx: Context) -> np.ndarray:
        return _memo_match(ctx, self, self._match)

    def _match(self, ctx: Context) -> np.ndarray:
        return docarrays.union([p.match(ctx) for p in self.parts], ctx.ndocs)

    def key(self) -> tuple[Any, ...]:
        return ("or", tuple(p.key() for p in self.parts))

    def contains(self, ctx: Context, docnum: int) -> bool:
        return any(p.contains(ctx, docnum) for p in self.parts)

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        return docarrays.union([p.within(ctx, docs, mode) for p in self.parts], ctx.ndocs)

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        # The sum over the parts that match each document (Whoosh's UnionMatcher).
        out = np.zeros(len(docs))
        for p in self.parts:
            out = out + p.masked(ctx, docs, mode)
        return out

    def masked(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        return self.score(ctx, docs, mode)  # 0.0 where no part matches

    def has_optional(self) -> bool:
        return any(p.has_optional() for p in self.parts)


class MaybeNode(Node):
    """`AndMaybe(required, optional)`: the optional clause only adds to the score."""

    def __init__(self, required: Node, optional: Node) -> None:
        self.required, self.optional = required, optional

    def match(self, ctx: Context) -> np.ndarray:
        return self.required.match(ctx)

    def key(self) -> tuple[Any, ...]:
        return self.required.key()

    def contains(self, ctx: Context, docnum: int) -> bool:
        return self.required.contains(ctx, docnum)

    def within(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        return self.required.within(ctx, docs, mode)

    def score(self, ctx: Context, docs: np.ndarray, mode: int) -> np.ndarray:
        base = self.required.score(ctx, docs, mode)
        if mode == LOWER:
            # Whatever of the optional clause needs no position lists decoded (the
            # exact-form words and the lead, typically) lifts the lower bounds of the
            # best documents close to their scores: fewer candidates to verify.
            mode = FLOOR
        return base + self.optional.masked(ctx, docs, mode)

    def has_optional(self) -> bool:
        return True


def match_set(ctx: Context, node: Node) -> frozenset[int]:
    """A node's match as a Python set, what the engine's filters and facets take; kept
    across searches like the arrays (a new page or sort of the same words re-uses it)."""
    return ctx.memo(
        ("fs", node.key()),
        lambda: frozenset(node.match(ctx).tolist()),
        lambda s: len(s) * SET_BYTES,
    )


def _memo_match(ctx: Context, node: Node, make: Callable[[Context], np.ndarray]) -> np.ndarray:
    """An And's or Or's match set, kept across searches: typing a third word re-uses the
    union of each of the first two words' fields, and a new filter, page or sort re-uses
    the whole query's."""
    return ctx.memo(("m", node.key()), lambda: make(ctx), _nbytes)


def _nbytes(docs: np.ndarray) -> int:
    return int(docs.nbytes)


def _sum(parts: list[np.ndarray], n: int) -> np.ndarray:
    """The parts added left to right: the same floats as Whoosh's sums in that order."""
    if not parts:
        return np.zeros(n)
    out = parts[0]
    for p in parts[1:]:
        out = out + p
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
