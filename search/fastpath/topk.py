"""Top-k: candidates in the order of their upper bound, verified until the k-th best
exact score beats the next bound.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable
from itertools import compress, repeat
from operator import add, mul
from operator import sub as minus

from whoosh import query as wq

from search.fastpath.context import Context
from search.fastpath.limits import EPS, VERIFY_BATCH
from search.fastpath.plan import (
    EXACT,
    FLOOR,
    LOWER,
    UPPER,
    AndNode,
    LeadNode,
    MaybeNode,
    Node,
    OrNode,
    PhraseNode,
    TermNode,
)
from search.fastpath.postings import Unsupported
from search.fastpath.rescore import rescore

# ── top-k ────────────────────────────────────────────────────────────────────────────────


def top_docs(
    ctx: Context,
    plan: Node,
    q: wq.Query,
    matched: Iterable[int],
    limit: int,
    whoosh_floats: bool = True,
) -> list[tuple[int, float]]:
    """The first `limit` of `matched` by Whoosh's score of `q`, ties by document number.

    `whoosh_floats=False` skips the last step, Whoosh's own summation of each finalist's
    score: the scores are then this module's sums, equal to Whoosh's but for the last
    bits, and the order may differ only between documents that tie to those bits. The
    second ranking stage widens its window on those and asks Whoosh (`rescore`) only
    for the few that decide its page.
    """
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
    if not whoosh_floats:
        return sorted(exact.items(), key=lambda ds: (-ds[1], ds[0]))[:limit]
    return rescore(ctx, q, exact, limit)


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
        ctx.check_time()
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
        ctx.check_time()
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
