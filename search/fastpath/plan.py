"""The plan: a mirror of the Whoosh query tree whose nodes match and score from decoded
postings (match sets with C-speed set operations, lower and upper score bounds).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import repeat
from operator import add, mul
from typing import Any

from whoosh import query as wq
from whoosh.query.spans import SpanFirst

from search.fastpath.context import Context
from search.fastpath.postings import TermPostings, Unsupported, first_position

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
