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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# The first pass: the best `n` matches by the first-stage score, (docnum, score).
FirstPass = Callable[[int], list[tuple[int, float]]]


@dataclass(frozen=True)
class Factor:
    """A bounded multiplier: `of(docs)` gives each document's factor, all within 1..most."""

    of: Callable[[list[int]], dict[int, float]]
    most: float


def rerank(first_pass: FirstPass, factors: Sequence[Factor], limit: int) -> list[tuple[int, float]]:
    """The best `limit` matches by first-pass score × every factor, ties by document
    number, as (docnum, score)."""
    factors = [f for f in factors if f.most > 1.0]
    if not factors or limit <= 0:
        return first_pass(limit)
    # A first window half again as deep as the page: measured at 100,000 articles it
    # settles most queries at once, and twice as deep cost up to 2x on the pruned pass.
    n = limit + max(limit // 2, 8)
    known: dict[int, float] = {}
    most = 1.0
    for f in factors:
        most *= f.most
    while True:
        top = first_pass(n)
        fresh = [d for d, _ in top if d not in known]
        if fresh:
            product = dict.fromkeys(fresh, 1.0)
            for f in factors:
                for d, x in f.of(fresh).items():
                    product[d] *= x
            known.update(product)
        rescored = sorted(((d, s * known[d]) for d, s in top), key=lambda ds: (-ds[1], ds[0]))
        best = rescored[:limit]
        if len(top) < n:
            return best  # every match has been seen
        # A document outside the window scores at most this after rescoring.
        ceiling = top[-1][1] * most
        if len(best) == limit and best[-1][1] > ceiling:
            return best
        n *= 4
