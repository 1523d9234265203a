"""The typed words in the story's lead, as a bounded factor of an article's score (issue 16).

A news story names its subject in its headline and its opening lines. As a clause of the
first stage (each typed word among the body's first `lead_words` words scored again, ×
`lead_boost`) that evidence loosened the fast path's score bounds: every candidate's first
position had to be read to prune, tens of thousands a search at 100,000 articles. Here it
multiplies instead: `1 + lead_gain × share`, where `share` is the fraction of the typed
words that stand in the headline or among the body's first `lead_words` words. Bounded, it
is a factor of `search.rerank`'s exact top-k, read for a few dozen candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from search.rerank import Factor

# Which of `docs` hold `term` in the headline or the lead ((field suffix, term) pairs: a
# stem in the stemmed fields, "" suffix).
InLead = Callable[[str, str, list[int]], Collection[int]]


def shares(docs: list[int], terms: Sequence[tuple[str, str]], in_lead: InLead) -> dict[int, float]:
    """Each document's share of the typed words it holds in its headline or lead."""
    held = dict.fromkeys(docs, 0)
    for suffix, term in terms:
        for d in in_lead(suffix, term, docs):
            held[d] += 1
    n = len(terms)
    return {d: h / n for d, h in held.items()}


def factor(terms: Sequence[tuple[str, str]], in_lead: InLead, gain: float) -> Factor:
    """The lead factor for `search.rerank`: 1 + gain × share, at most 1 + gain."""
    if not terms or gain <= 0:
        return Factor(lambda docs: {}, 1.0)

    def of(docs: list[int]) -> dict[int, float]:
        return {d: 1 + gain * s for d, s in shares(docs, terms, in_lead).items()}

    return Factor(of, 1 + gain)
