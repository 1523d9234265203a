"""The very words typed, as a bounded share of an article's score (issue 16).

An article that holds the typed words in the very form typed should come before one that
shares only their stems, other things equal. Added to BM25 as more matching fields, that
evidence grows with the typed form's rarity and has no ceiling: a reader who types a
rarer form than the article uses (*pertumbuhan* where it writes *tumbuh*) hands every
other article using that form a bonus larger than the stem match that found the article
sought. Measured on queries people write (bench/relevance.py, the natural set), that cost
more than stemming won.

Here the exact forms multiply instead: an article's score is its stem-based score times
`1 + gain × share`, where `share` is the fraction of the typed words it holds in the typed
form (title or body; a word typed with `title:` only in the title). So the very words
reorder articles whose stem scores are within a factor `1 + gain` of each other and never
outrank a stem match better than that.

The ranking stays an exact top-k of that score (`search.rerank`, which also applies the
nearness factor of `search.nearness`): pages agree with each other.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from search.rerank import Factor

# (field the word was typed in, or None for anywhere; its exact form)
ExactForm = tuple[str | None, str]
# Who holds an exact form in a field ("title_exact", "body_exact"): document numbers.
Holders = Callable[[str, str], Collection[int]]

_FIELDS = {None: ("title_exact", "body_exact"), "title": ("title_exact",), "body": ("body_exact",)}


def shares(docs: Sequence[int], forms: Sequence[ExactForm], holders: Holders) -> dict[int, float]:
    """Each document's share of the typed words it holds in the typed form."""
    held = dict.fromkeys(docs, 0)
    for field, form in forms:
        found: set[int] = set()
        for f in _FIELDS.get(field, ()):
            found.update(_among(holders(f, form), docs))
        for d in found:
            held[d] += 1
    n = len(forms)
    return {d: h / n for d, h in held.items()}


def _among(holding: Collection[int], docs: Sequence[int]) -> Iterable[int]:
    """The documents of `docs` in `holding`: asked all at once where the collection can
    answer a batch (the fast path's posting arrays), else one by one."""
    among = getattr(holding, "among", None)
    if among is not None:
        return among(docs)
    return [d for d in docs if d in holding]


def _most_share(forms: Sequence[ExactForm], holders: Holders) -> float:
    """The largest share any article can have: forms held by no article count for none."""
    held = sum(1 for field, form in forms if any(holders(f, form) for f in _FIELDS.get(field, ())))
    return held / len(forms)


def factor(forms: Sequence[ExactForm], holders: Holders, gain: float) -> Factor:
    """The exact-form factor for `search.rerank`: 1 + gain × share, at most 1 + gain ×
    the largest share any article can have."""
    most = 1 + gain * _most_share(forms, holders) if forms and gain > 0 else 1.0

    def of(docs: list[int]) -> dict[int, float]:
        return {d: 1 + gain * share for d, share in shares(docs, forms, holders).items()}

    return Factor(of, most)
