"""The nearness stage and the bounded second stage it shares with the exact forms: an
exact top-k whatever the window, and the same answer from the fast path and Whoosh."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from search import nearness
from search.engine import Engine
from search.ranking import Ranking
from search.rerank import Factor, rerank

WIB = timezone(timedelta(hours=7))


@settings(max_examples=300, deadline=None)
@given(
    scores=st.lists(st.floats(min_value=0.01, max_value=50, allow_nan=False), max_size=120),
    a=st.lists(st.floats(min_value=0, max_value=1), max_size=120),
    b=st.lists(st.booleans(), max_size=120),
    gains=st.tuples(st.sampled_from([0.5, 3.0]), st.sampled_from([0.25, 1.0, 2.0])),
    limit=st.integers(min_value=1, max_value=40),
    lazy=st.booleans(),
)
def test_two_factors_give_the_exact_top_k_of_the_product(scores, a, b, gains, limit, lazy):
    """Also with the second factor lazy (asked only where it can still matter), as the
    nearness factor is."""
    first = sorted(enumerate(scores), key=lambda ds: (-ds[1], ds[0]))

    def one(d: int) -> float:
        return 1 + gains[0] * (a[d] if d < len(a) else 0.0)

    def two(d: int) -> float:
        return 1 + gains[1] * (1.0 if d < len(b) and b[d] else 0.0)

    factors = [
        Factor(lambda docs: {d: one(d) for d in docs}, 1 + gains[0]),
        Factor(lambda docs: {d: two(d) for d in docs}, 1 + gains[1], lazy=lazy),
    ]
    asked: list[int] = []
    if lazy:
        factors[1] = Factor(
            lambda docs: asked.extend(docs) or {d: two(d) for d in docs}, 1 + gains[1], lazy=True
        )
    got = rerank(lambda n: first[:n], factors, limit)
    want = sorted(
        ((d, s * (one(d) * two(d))) for d, s in enumerate(scores)), key=lambda ds: (-ds[1], ds[0])
    )[:limit]
    assert got == want
    assert len(asked) == len(set(asked))  # each document asked about once at most


def test_a_group_counts_when_its_words_stand_together_in_any_field() -> None:
    held = {("title", ("kerja", "sama")): {1}, ("body", ("kerja", "sama")): {2}}

    def near(field, group, docs):
        return [d for d in docs if d in held.get((field, group), set())]

    got = nearness.shares([1, 2, 3], [("kerja", "sama")], ["title", "body"], near)
    assert got == {1: 1.0, 2: 1.0, 3: 0.0}


NEAR = Ranking(phrase_boost=0, near_gain=1.0, near_slop=3)


def test_words_typed_together_rank_the_article_where_they_stand_together_first(mini_index):
    when = datetime(2023, 5, 1, 9, tzinfo=WIB)
    filler = " ".join(["lain"] * 40)
    engine = mini_index(
        [
            {"title": "Laporan", "body": [f"Kerja {filler} sama."], "published": when},
            {"title": "Laporan", "body": [f"Kerja sama {filler}."], "published": when},
        ]
    )
    near = Engine(engine.index_dir, ranking=NEAR)
    assert [h.path for h in near.search("kerja sama").hits] == ["a1.txt", "a0.txt"]


def test_the_fast_path_and_whoosh_rank_alike_with_nearness(seeds_index):
    fast, slow = Engine(seeds_index, ranking=NEAR), Engine(seeds_index, ranking=NEAR, fast=False)
    for q in ("kerja sama", "korea utara rudal", "menteri luar negeri", "harga minyak dunia"):
        a = [(h.id, round(h.score, 6)) for h in fast.search(q, page_size=10).hits]
        b = [(h.id, round(h.score, 6)) for h in slow.search(q, page_size=10).hits]
        assert a == b, q


LEAD = Ranking(phrase_boost=0, lead_boost=0, near_gain=0.75, lead_gain=1.0)


def test_the_fast_path_and_whoosh_rank_alike_with_the_lead_factor(seeds_index):
    fast, slow = Engine(seeds_index, ranking=LEAD), Engine(seeds_index, ranking=LEAD, fast=False)
    for q in ("kerja sama", "korea utara rudal", "menteri luar negeri", "rusia", "harga minyak"):
        a = [(h.id, round(h.score, 6)) for h in fast.search(q, page_size=10).hits]
        b = [(h.id, round(h.score, 6)) for h in slow.search(q, page_size=10).hits]
        assert a == b, q


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.sampled_from([1.0, 2.0, 2.5, 3.0, 7.0]), max_size=80),
    noise=st.lists(st.floats(min_value=-1e-12, max_value=1e-12), min_size=80, max_size=80),
    held=st.lists(st.booleans(), max_size=80),
    limit=st.integers(min_value=1, max_value=30),
)
def test_approximate_first_sums_give_the_same_page_as_exact_ones(scores, noise, held, limit):
    """The fast path's sums differ from Whoosh's in the last bits; ties (many equal
    scores here) must still be ordered as the exact scores order them."""
    approx = sorted(
        ((d, s * (1 + noise[d])) for d, s in enumerate(scores)), key=lambda ds: (-ds[1], ds[0])
    )

    def two(d: int) -> float:
        return 2.0 if d < len(held) and held[d] else 1.0

    factors = [Factor(lambda docs: {d: two(d) for d in docs}, 2.0, lazy=True)]
    exact = dict(enumerate(scores))
    got = rerank(
        lambda n: approx[:n], factors, limit, exact_scores=lambda docs: {d: exact[d] for d in docs}
    )
    want = sorted(((d, s * two(d)) for d, s in exact.items()), key=lambda ds: (-ds[1], ds[0]))
    assert got == want[:limit]
