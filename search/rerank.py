"""The second stage of ranking: first-pass scores times bounded factors, an exact top-k.

Each factor (`Factor`) multiplies a document's first-pass score by at least 1 and at most
`most`: the very words typed (`search.exactness`), the typed words standing together
(`search.nearness`). Because every factor is bounded, the best `limit` documents of the
rescored ranking are found exactly from a window of the first pass: candidates come in
growing windows until no document outside the window could climb in (its first-pass score
times the product of the factors' bounds is below the k-th rescored score). So pages agree
with each other, and the factors are computed for a few dozen documents, not the matches.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# The first pass: the best `n` matches by the first-stage score, (docnum, score).
FirstPass = Callable[[int], list[tuple[int, float]]]
# The first-stage scores of some documents exactly as the reference computes them (Whoosh's
# floats), for a first pass that answers with sums equal but for the last bits.
ExactScores = Callable[[list[int]], dict[int, float]]
#: Relative difference under which two sums of the same terms may be one score summed in
#: two orders.
_BITS = 1e-9


@dataclass(frozen=True)
class Factor:
    """A bounded multiplier: `of(docs)` gives each document's factor, all within 1..most."""

    of: Callable[[list[int]], dict[int, float]]
    most: float
    #: Dear to compute (it reads positions): asked only for the documents that could
    #: still reach the page given the other factors, best bound first.
    lazy: bool = False


def rerank(
    first_pass: FirstPass,
    factors: Sequence[Factor],
    limit: int,
    exact_scores: ExactScores | None = None,
) -> list[tuple[int, float]]:
    """The best `limit` matches by first-pass score × every factor, ties by document
    number, as (docnum, score).

    With `exact_scores`, the first pass may answer with approximate sums (equal to the
    reference's but for the last bits, `_BITS`): the windows are settled on those, then
    the page's documents, with every one within those bits of its last score, are scored
    again by `exact_scores` and ordered on that.
    """
    factors = [f for f in factors if f.most > 1.0]
    if not factors or limit <= 0:
        return first_pass(limit)
    margin = 1.0 if exact_scores is None else 1 + 4 * _BITS
    window, known = _window(first_pass, factors, limit, margin)
    if exact_scores is None or not window:
        return window[:limit]
    cut = window[min(limit, len(window)) - 1][1] / margin
    close = [d for d, s in window if s >= cut]
    exact = exact_scores(close)
    rescored = sorted(((d, exact[d] * known[d]) for d in close), key=lambda ds: (-ds[1], ds[0]))
    return rescored[:limit]


def _window(
    first_pass: FirstPass, factors: Sequence[Factor], limit: int, margin: float
) -> tuple[list[tuple[int, float]], dict[int, float]]:
    """The rescored window that settles the page, best first, and each document's
    product of factors. No document outside the window could rescore within `margin`
    of the page's last.

    The lazy factors are computed for a window's documents in order of their bound
    (first-stage score × the other factors × the lazy ones' most) until the page's last
    rescored score beats the next bound: a document that cannot reach the page is never
    asked about, and is left out of the window (it stays out: the page only rises).
    """
    # A first window half again as deep as the page: measured at 100,000 articles it
    # settles most queries at once, and twice as deep cost up to 2x on the pruned pass.
    n = limit + max(limit // 2, 8)
    eager = [f for f in factors if not f.lazy]
    lazy = [f for f in factors if f.lazy]
    most = lazy_most = 1.0
    for f in factors:
        most *= f.most
    for f in lazy:
        lazy_most *= f.most
    partial: dict[int, float] = {}  # the eager factors' product
    known: dict[int, float] = {}  # every factor's product
    while True:
        top = first_pass(n)
        _multiply(eager, [d for d, _ in top if d not in partial], partial)
        if lazy:
            _settle_lazy(top, lazy, lazy_most, partial, known, limit, margin)
        else:
            known = partial
        rescored = sorted(
            ((d, s * known[d]) for d, s in top if d in known), key=lambda ds: (-ds[1], ds[0])
        )
        if len(top) < n:
            return rescored, known  # every match has been seen
        # A document outside the window scores at most this after rescoring.
        ceiling = top[-1][1] * most * margin
        if len(rescored) >= limit and rescored[limit - 1][1] > ceiling:
            return rescored, known
        n *= 4


#: Documents asked about at once by a lazy factor.
LAZY_BATCH = 8


def _multiply(factors: Sequence[Factor], docs: list[int], into: dict[int, float]) -> None:
    """Each document's product of `factors`, into `into`."""
    if not docs:
        return
    product = dict.fromkeys(docs, 1.0)
    for f in factors:
        for d, x in f.of(docs).items():
            product[d] *= x
    into.update(product)


def _settle_lazy(
    top: list[tuple[int, float]],
    lazy: Sequence[Factor],
    lazy_most: float,
    partial: dict[int, float],
    known: dict[int, float],
    limit: int,
    margin: float,
) -> None:
    """Complete `known` for the window's documents that can reach the page, best bound
    first, until the page's last beats the next bound (by `margin`)."""
    bounds = sorted(
        ((s * partial[d] * lazy_most, d, s) for d, s in top), key=lambda t: (-t[0], t[1])
    )
    page: list[float] = []  # min-heap of the best `limit` complete scores
    scores = dict(top)
    for d, s in scores.items():
        if d in known:
            _push(page, s * known[d], limit)
    i = 0
    while i < len(bounds):
        if len(page) >= limit and page[0] > bounds[i][0] * margin:
            return
        batch = [d for _, d, _ in bounds[i : i + LAZY_BATCH] if d not in known]
        i += LAZY_BATCH
        if not batch:
            continue
        done: dict[int, float] = {}
        _multiply(lazy, batch, done)
        for d in batch:
            known[d] = partial[d] * done[d]
            _push(page, scores[d] * known[d], limit)


def _push(heap: list[float], value: float, limit: int) -> None:
    if len(heap) < limit:
        heapq.heappush(heap, value)
    elif value > heap[0]:
        heapq.heapreplace(heap, value)
