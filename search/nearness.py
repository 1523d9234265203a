"""The typed words standing together, as a bounded factor of an article's score (issue 16).

A reader who types several words means them together: an article where they stand within
a sentence or two of each other (`Ranking.near_slop` positions, in the order typed) is
about them; one that uses them pages apart merely mentions them. As a clause of the first
stage (a sloppy phrase added to BM25) that evidence had no bound, so the fast path could
not prune on it and warm queries at 100,000 articles took 68 % longer. Here it multiplies
instead: `1 + near_gain × share`, where `share` is the fraction of the query's groups of
words (usually one) that stand together in the headline or the body. Bounded, it is a
factor of `search.rerank`'s exact top-k, computed for a few dozen candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from search.rerank import Factor

# A group of words typed together: their stems, in order.
Group = tuple[str, ...]
# Which of `docs` hold `group`'s stems in order within the slop in `field`.
Near = Callable[[str, Group, list[int]], Collection[int]]


def shares(
    docs: list[int], groups: Sequence[Group], fields: Sequence[str], near: Near
) -> dict[int, float]:
    """Each document's share of the groups whose words stand together in some field."""
    held = dict.fromkeys(docs, 0)
    for group in groups:
        found: set[int] = set()
        for field in fields:
            found.update(near(field, group, [d for d in docs if d not in found]))
        for d in found:
            held[d] += 1
    n = len(groups)
    return {d: h / n for d, h in held.items()}


def factor(groups: Sequence[Group], fields: Sequence[str], near: Near, gain: float) -> Factor:
    """The nearness factor for `search.rerank`: 1 + gain × share, at most 1 + gain."""
    if not groups or not fields or gain <= 0:
        return Factor(lambda docs: {}, 1.0)

    def of(docs: list[int]) -> dict[int, float]:
        return {d: 1 + gain * s for d, s in shares(docs, groups, fields, near).items()}

    return Factor(of, 1 + gain, lazy=True)  # it reads position lists: only where it can matter
