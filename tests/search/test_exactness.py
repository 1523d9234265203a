"""The exact-form rescoring: an exact top-k of score × (1 + gain × share), whatever the
window the first pass is asked for, and the forms looked up where they were typed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.exactness import factor, shares
from search.rerank import rerank as rerank_by


def rerank(first_pass, forms, holders, gain, limit):
    """The second stage with the exact-form factor alone."""
    return rerank_by(first_pass, [factor(forms, holders, gain)], limit)


FORMS = [(None, "pertumbuhan"), (None, "ekonomi"), ("title", "melambat")]


def _holders(held: dict[tuple[str, str], set[int]]):
    calls: list[int] = []

    def holders(field: str, form: str) -> set[int]:
        calls.append(1)
        return held.get((field, form), set())

    return holders, calls


def test_a_share_counts_the_forms_held_where_they_were_typed() -> None:
    held = {
        ("body_exact", "pertumbuhan"): {1},
        ("title_exact", "ekonomi"): {1, 2},
        ("body_exact", "melambat"): {2},  # typed as title:melambat: the body does not count
        ("title_exact", "melambat"): {3},
    }
    holders, _ = _holders(held)
    assert shares([1, 2, 3, 4], FORMS, holders) == {1: 2 / 3, 2: 1 / 3, 3: 1 / 3, 4: 0.0}


@settings(max_examples=300, deadline=None)
@given(
    scores=st.lists(st.floats(min_value=0.01, max_value=50, allow_nan=False), max_size=120),
    held=st.lists(st.integers(min_value=0, max_value=3), max_size=120),
    gain=st.sampled_from([0.1, 0.3, 1.0, 3.0]),
    limit=st.integers(min_value=1, max_value=40),
)
def test_rerank_is_the_exact_top_k_of_the_rescored_score(scores, held, gain, limit) -> None:
    # Document d scores scores[d] in the first pass and holds held[d] of the 3 forms.
    first = sorted(enumerate(scores), key=lambda ds: (-ds[1], ds[0]))
    sets = {
        (f, form): {d for d, n in enumerate(held) if n > i}
        for i, (_, form) in enumerate(FORMS)
        for f in ("title_exact", "body_exact")
    }
    holders, _ = _holders(sets)
    got = rerank(lambda n: first[:n], FORMS, holders, gain, limit)
    share = shares(list(range(len(scores))), FORMS, holders)
    want = sorted(
        ((d, s * (1 + gain * share[d])) for d, s in enumerate(scores)),
        key=lambda ds: (-ds[1], ds[0]),
    )[:limit]
    assert got == want


def test_pages_agree_whatever_window_each_asks_for() -> None:
    scores = [10.0 - d * 0.05 for d in range(200)]
    first = [(d, s) for d, s in enumerate(scores)]
    sets = {("body_exact", "ekonomi"): set(range(0, 200, 3))}
    holders, _ = _holders(sets)
    forms = [(None, "ekonomi")]
    whole = rerank(lambda n: first[:n], forms, holders, 0.3, 100)
    for size in (7, 10, 20):
        pages = [
            rerank(lambda n: first[:n], forms, holders, 0.3, size * p)[size * (p - 1) :]
            for p in range(1, 100 // size + 1)
        ]
        assert [x for page in pages for x in page] == whole[: size * (100 // size)]


def test_no_forms_or_no_gain_is_the_first_pass() -> None:
    first = [(3, 5.0), (1, 4.0)]
    holders, calls = _holders({})
    assert rerank(lambda n: first[:n], [], holders, 0.3, 2) == first
    assert rerank(lambda n: first[:n], FORMS, holders, 0.0, 2) == first
    assert not calls
