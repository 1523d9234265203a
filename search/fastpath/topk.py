"""Top-k: every match's lower bound at once, then candidates in the order of their
upper bound, verified until the k-th best exact score beats the next bound.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

import numpy as np
from whoosh import query as wq

from search.fastpath.context import Context
from search.fastpath.limits import EPS, VERIFY_BATCH
from search.fastpath.plan import EXACT, FLOOR, LOWER, UPPER, MaybeNode, Node
from search.fastpath.rescore import rescore


def top_docs(
    ctx: Context,
    plan: Node,
    q: wq.Query,
    matched: Iterable[int],
    limit: int,
    whoosh_floats: bool = True,
) -> list[tuple[int, float]]:
    """The first `limit` of `matched` by Whoosh's score of `q`, ties by document number.

    Every match is scored at once (its lower bound: numpy sums over the whole set, a
    few milliseconds for a hundred thousand matches); where the plan has an optional
    clause, the documents whose upper bound can still reach the top are verified.

    `whoosh_floats=False` skips the last step, Whoosh's own summation of each finalist's
    score: the scores are then this module's sums, equal to Whoosh's but for the last
    bits, and the order may differ only between documents that tie to those bits. The
    second ranking stage widens its window on those and asks Whoosh (`rescore`) only
    for the few that decide its page.
    """
    docs = ctx.sorted_docs(matched)
    if not len(docs):
        return []
    lower = plan.score(ctx, docs, LOWER)
    if plan.has_optional():
        exact = _verify(ctx, plan, docs, lower, _upper(ctx, plan, docs, lower), limit)
    else:
        exact = _best(docs, lower, limit)
    if not whoosh_floats:
        return sorted(exact.items(), key=lambda ds: (-ds[1], ds[0]))[:limit]
    return rescore(ctx, q, exact, limit)


def _best(docs: np.ndarray, scores: np.ndarray, limit: int) -> dict[int, float]:
    """The documents scoring at least (a hair under) the `limit`-th best score."""
    if len(scores) > limit:
        keep = scores >= _below(_kth_best(scores, limit))
        docs, scores = docs[keep], scores[keep]
    return dict(zip(docs.tolist(), scores.tolist(), strict=True))


def _kth_best(scores: np.ndarray, k: int) -> float:
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _upper(ctx: Context, plan: Node, docs: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """Upper bounds; at the usual root (an AndMaybe) the lower bounds with the optional
    clause's floor swapped for its upper bound, without scoring the required part again."""
    if isinstance(plan, MaybeNode) and not plan.required.has_optional():
        opt = plan.optional
        return lower + (opt.masked(ctx, docs, UPPER) - opt.masked(ctx, docs, FLOOR))
    return plan.score(ctx, docs, UPPER)


def _verify(
    ctx: Context,
    plan: Node,
    docs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    limit: int,
) -> dict[int, float]:
    """Exact scores for every document that can reach the top `limit`.

    S(d) lies in [lower, upper]; the `limit`-th best lower bound is a floor for the
    `limit`-th best exact score, so documents whose upper bound is below it are out
    without a look. The rest are checked in upper-bound order, in batches that double,
    until the `limit`-th best exact score so far beats every upper bound left.
    """
    floor = _below(_kth_best(lower, limit)) if len(lower) > limit else float("-inf")
    keep = upper >= floor
    cand_up, cand = upper[keep], docs[keep]
    order = np.lexsort((cand, -cand_up))  # best bound first, ties by document number
    cand_up, cand = cand_up[order], cand[order]
    exact: dict[int, float] = {}
    best: list[float] = []  # min-heap of the top `limit` exact scores
    i, size = 0, VERIFY_BATCH
    while i < len(cand):
        bound = float(cand_up[i])
        if len(best) >= limit and best[0] > bound + abs(bound) * EPS:
            break
        ctx.check_time()
        batch = np.sort(cand[i : i + size])
        i += size
        size *= 2
        scores = plan.score(ctx, batch, EXACT).tolist()
        for d, s in zip(batch.tolist(), scores, strict=True):
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
