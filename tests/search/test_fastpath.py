"""The fast path (search.fastpath) answers exactly what Whoosh's own collector answers.

Every comparison runs one query through `Engine(fast=True)` and `Engine(fast=False)` (the
straightforward path: Whoosh's match query for the total and facets, its collector for the
ranking) and demands the same total, facets, hits in the same order with the same float
scores, snippets and highlights, and suggestion.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.query.spans import SpanFirst

from index.segment import arrays
from search import fastpath
from search.engine import Engine
from search.fastpath import docarrays, limits, postings, rescore, topk
from search.models import Filters, SearchResults
from search.ranking import Ranking

from .conftest import build_mini_index

QUERIES = [
    "rudal",
    "Korea Utara",
    "Korut",
    "korut rudal",
    "kim jong un",
    "menteri luar negeri",
    "Menlu",
    '"korea utara"',
    "rudal -korea",
    "rudal OR nuklir",
    "(rudal OR nuklir) amerika",
    'korea OR "korea utara" rudal',
    "khawatir",
    "rud*",
    "title:rudal",
    "outlet:inews korea",
    "rsudal",
    "yang dan di",
]


def answer(results: SearchResults) -> dict[str, Any]:
    return {
        "total": results.total,
        "hits": [
            (h.id, h.score, h.snippet.text, h.snippet.highlights, h.title_highlights)
            for h in results.hits
        ],
        "facets": results.facets,
        "suggestion": results.suggestion,
    }


def assert_same(fast: Engine, slow: Engine, query: str, **kwargs: Any) -> None:
    a = answer(fast.search(query, **kwargs))
    b = answer(slow.search(query, **kwargs))
    assert a == b, (query, kwargs)


def test_seeds_fast_equals_straightforward(seeds_index: Path) -> None:
    fast, slow = Engine(seeds_index), Engine(seeds_index, fast=False)
    for query in QUERIES:
        for filters in (Filters(), Filters(outlets=("inews",)), Filters(include_undated=False)):
            for page, size in ((1, 20), (1, 2), (2, 2)):
                assert_same(fast, slow, query, filters=filters, page=page, page_size=size)
        assert_same(fast, slow, query, sort="newest")


WORDS = [
    *[
        "pemerintah",
        "indonesia",
        "presiden",
        "jokowi",
        "menteri",
        "keuangan",
        "sri",
        "mulyani",
        "harga",
    ],
    *[
        "minyak",
        "dunia",
        "banjir",
        "jakarta",
        "polisi",
        "menangkap",
        "pelaku",
        "korea",
        "utara",
        "rudal",
    ],
    *[
        "nuklir",
        "timnas",
        "sepak",
        "bola",
        "ekonomi",
        "pasar",
        "saham",
        "bank",
        "sentral",
        "inflasi",
    ],
    *["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "akan"],
]


def _with_arrays(engine: Engine, how: str) -> Engine:
    """The engine as built ("blocks": every term decoded from Whoosh's blocks), or with
    postings arrays written beside each segment for every term of two postings or more
    and a new engine over it ("arrays"; index.segment.arrays)."""
    if how == "blocks":
        return engine
    reader = engine.searcher().reader()
    leaves = [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]
    for leaf in leaves:
        name = leaf.segment().make_filename(arrays.EXT)
        with open(Path(leaf.storage().folder) / name, "wb") as fh:
            assert arrays.write_segment_arrays(leaf, fh, threshold=2) > 10
    fresh = Engine(engine.index_dir)
    ctx = fresh._fast_context(fresh.searcher(), fresh.docsets())
    read = ctx.postings("body", b"yang")
    assert read is not None and read._sources is not None  # read from the arrays
    fresh._postings.clear()
    return fresh


@pytest.fixture(scope="module", params=["blocks", "arrays"])
def generated(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Engine, Engine]:
    """300 articles of words drawn from a small vocabulary: many ties, phrases, repeats."""
    apart = request.param == "arrays"
    engine = build_mini_index(
        tmp_path_factory.mktemp("gen"), _generated_articles(), compound=not apart
    )
    return _with_arrays(engine, request.param), Engine(engine.index_dir, fast=False)


def _generated_articles() -> list[dict[str, Any]]:
    rng = random.Random(7)
    articles = []
    start = datetime(2023, 1, 1, 8, 0)
    for n in range(300):
        paras = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            for _ in range(rng.randint(1, 4))
        ]
        articles.append(
            {
                "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))),
                "body": paras,
                "outlet": rng.choice(["antara", "kompas", "detik"]),
                "published": start + timedelta(days=n) if n % 7 else None,
            }
        )
    return articles


GENERATED_QUERIES = [
    "pemerintah",
    "pemerintah indonesia",
    "harga minyak dunia",
    "menteri keuangan sri mulyani",
    '"sepak bola"',
    "korea utara rudal",
    "yang",
    "yang dan",
    "banjir -jakarta",
    "banjir OR inflasi",
    "(banjir OR inflasi) pasar",
    "title:presiden",
    "bank sentral inflasi -saham",
    "presiden jokowi presiden",
]


@pytest.fixture(scope="module", params=["blocks", "arrays"])
def segmented(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Engine, Engine]:
    """The generated articles in three segments, some deleted in each: postings of one
    term from several segments, offset into one numbering, dead documents among them."""
    rng = random.Random(11)
    articles = _generated_articles()
    deleted = tuple(sorted(rng.sample(range(len(articles)), 40)))
    apart = request.param == "arrays"
    engine = build_mini_index(
        tmp_path_factory.mktemp("seg"), articles, 3, deleted, compound=not apart
    )
    assert len(engine.searcher().reader().leaf_readers()) == 3
    assert not engine.docsets().all_live
    return _with_arrays(engine, request.param), Engine(engine.index_dir, fast=False)


@pytest.mark.slow
def test_segmented_fast_equals_straightforward(segmented: tuple[Engine, Engine]) -> None:
    fast, slow = segmented
    for query in GENERATED_QUERIES:
        for filters in (Filters(), Filters(outlets=("antara",))):
            for page, size in ((1, 20), (3, 7)):
                assert_same(fast, slow, query, filters=filters, page=page, page_size=size)


@pytest.mark.slow
def test_generated_fast_equals_straightforward(generated: tuple[Engine, Engine]) -> None:
    fast, slow = generated
    for query in GENERATED_QUERIES:
        for filters in (
            Filters(),
            Filters(outlets=("antara",)),
            Filters(since=date(2023, 3, 1), until=date(2023, 6, 30)),
        ):
            for page, size in ((1, 20), (2, 7), (5, 10)):
                assert_same(fast, slow, query, filters=filters, page=page, page_size=size)


def test_posting_cache_stays_in_budget(generated: tuple[Engine, Engine]) -> None:
    fast, _ = generated
    cache = fast._postings
    before = cache.budget
    cache.resize(20_000)
    try:
        for query in GENERATED_QUERIES:
            fast.search(query)
            assert cache.used <= 20_000 or len(cache._items) == 1
        assert_same(fast, generated[1], "pemerintah indonesia")  # evictions change nothing
    finally:
        cache.resize(before)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dense_from", "batch"),
    [(0, 1), (10**9, 1), (0, 1000), (10**9, 1000)],
    ids=["searched-one-by-one", "masked-one-by-one", "searched-at-once", "masked-at-once"],
)
def test_set_algebra_and_batches_equal_straightforward(
    generated: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch, dense_from: int, batch: int
) -> None:
    """Sets met by binary search or through a dense mask, candidates verified one at a
    time or all at once: the same answers."""
    monkeypatch.setattr(postings, "DENSE_FROM", dense_from)
    monkeypatch.setattr(docarrays, "DENSE_FROM", dense_from)
    monkeypatch.setattr(topk, "VERIFY_BATCH", batch)
    fast, slow = generated
    fast._postings.clear()  # memoised sets were made the other way
    for query in GENERATED_QUERIES:
        for filters in (Filters(), Filters(outlets=("antara",))):
            for page, size in ((1, 20), (1, 3), (2, 7)):
                assert_same(fast, slow, query, filters=filters, page=page, page_size=size)
    fast._postings.clear()


@pytest.mark.parametrize("dense_from", [0, 10**9], ids=["searched", "masked"])
def test_seeds_verified_one_by_one_equal_straightforward(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch, dense_from: int
) -> None:
    monkeypatch.setattr(topk, "VERIFY_BATCH", 1)
    monkeypatch.setattr(postings, "DENSE_FROM", dense_from)
    monkeypatch.setattr(docarrays, "DENSE_FROM", dense_from)
    fast, slow = Engine(seeds_index), Engine(seeds_index, fast=False)
    for query in QUERIES:
        for page, size in ((1, 20), (1, 2), (2, 2)):
            assert_same(fast, slow, query, page=page, page_size=size)


def test_decoded_postings_are_whooshs(generated: tuple[Engine, Engine]) -> None:
    """A term's arrays hold Whoosh's own document numbers, BM25 scores (the same floats)
    and position lists, first positions included."""
    fast, _ = generated
    s = fast.searcher()
    ctx = fast._fast_context(s, fast.docsets())
    weighting = fast.ranking.weighting()
    checked = 0
    for field, word in (("body", "yang"), ("body", "harga"), ("title", "presiden")):
        btext = word.encode()
        p = ctx.postings(field, btext)
        assert p is not None
        ids, scores, firsts = [], [], []
        m = s.postings(field, btext, weighting=weighting)  # every segment, global numbers
        while m.is_active():
            ids.append(m.id())
            scores.append(m.score())
            firsts.append(m.value_as("positions")[0])
            m.next()
        assert p.ids.tolist() == ids
        assert p.scores.tolist() == scores
        leaves = ctx.leaves()
        assert p.first_positions(leaves).tolist() == firsts
        assert [p.positions(d, leaves)[0] for d in ids] == firsts
        checked += len(ids)
    assert checked > 100


BOUND_QUERIES = [
    # An optional clause with a Not-ed phrase: its floor must not count documents the
    # phrase may exclude.
    wq.AndMaybe(
        wq.Term("body", "harga"),
        wq.And([wq.Term("body", "minyak"), wq.Not(wq.Phrase("body", ["minyak", "dunia"]))]),
    ),
    wq.AndMaybe(
        wq.Or([wq.Term("title", "harga", boost=2.0), wq.Term("body", "harga")]),
        wq.Or([wq.Phrase("body", ["harga", "minyak"]), wq.Term("body", "dunia", boost=3.0)]),
    ),
    # The lead boost: a word among a field's first words (positions read one by one).
    wq.AndMaybe(
        wq.Term("body", "harga"),
        wq.Or(
            [
                SpanFirst(wq.Term("body", "harga", boost=3.0), limit=10),
                wq.Term("title", "harga", boost=3.0),
            ]
        ),
    ),
]


@pytest.mark.parametrize("q", BOUND_QUERIES, ids=["not-phrase", "phrase-or-term", "lead"])
def test_bounds_bracket_exact_scores(generated: tuple[Engine, Engine], q: wq.Query) -> None:
    """LOWER (with the optional clause's FLOOR) <= EXACT <= UPPER for every match, and
    `_upper`'s shortcut at an AndMaybe root equals scoring the plan in UPPER mode."""
    fast, _ = generated
    s = fast.searcher()
    ctx = fast._fast_context(s, fast.docsets())
    plan = fastpath.compile_plan(q, s.schema)
    assert plan is not None
    docs = plan.match(ctx)
    assert len(docs)
    lower = plan.score(ctx, docs, fastpath.LOWER)
    exact = plan.score(ctx, docs, fastpath.EXACT)
    upper = topk._upper(ctx, plan, docs, lower)
    full = plan.score(ctx, docs, fastpath.UPPER)
    for lo, ex, up, fu in zip(lower, exact, upper, full, strict=True):
        assert lo <= ex + 1e-9 and ex <= up + 1e-9
        assert up == pytest.approx(fu, rel=1e-12)


def test_stats_reader_answers_as_the_reader(generated: tuple[Engine, Engine]) -> None:
    """The rescoring's cached term statistics are the segment reader's own answers."""
    fast, _ = generated
    s = fast.searcher()
    ctx = fast._fast_context(s, fast.docsets())
    for sub, offset in s.leaf_searchers():
        real = sub.reader()
        stats = rescore._StatsReader(real, ctx, offset)
        for _ in range(2):  # the second round answers from the cache
            for field in ("title", "body", "title_exact"):
                for text in (b"pemerintah", b"yang", b"zzz-absent", "indonesia"):
                    assert ((field, text) in stats) == ((field, text) in real)
                    assert stats.doc_frequency(field, text) == real.doc_frequency(field, text)
        assert ("no_such_field", b"x") not in stats


def test_restrict_needs_no_live_set_without_deletions() -> None:
    from search.engine import _restrict

    live = frozenset(range(100))
    docs = {3, 5, 50, 99}
    for allowed in (None, frozenset({5, 99, 7}), frozenset(range(0, 100, 2)), frozenset()):
        assert _restrict(docs, None, allowed) == _restrict(docs, live, allowed)
        assert _restrict(dict.fromkeys(docs).keys(), None, allowed) == _restrict(
            docs, live, allowed
        )


def test_match_sets_are_cached_across_searches(generated: tuple[Engine, Engine]) -> None:
    fast, slow = generated
    assert_same(fast, slow, "harga minyak dunia")
    memo = [k for k in fast._postings._items if k[1] == "m"]
    assert any(k[2][0] == "and" for k in memo) and any(k[2][0] == "or" for k in memo)
    assert_same(fast, slow, "harga minyak dunia", filters=Filters(outlets=("antara",)))
    assert_same(fast, slow, "harga minyak", page=2, page_size=5)


def test_first_positions_are_charged_to_the_cache(generated: tuple[Engine, Engine]) -> None:
    fast, _ = generated
    fast._postings.clear()  # other tests read positions through the postings directly
    s = fast.searcher()
    ctx = fast._fast_context(s, fast.docsets())
    p = ctx.postings("body", b"yang")
    assert p is not None
    key = (ctx.token, "t", "body", b"yang")
    if p._sources is not None:  # read from postings arrays: first positions came with them
        assert p._firsts is not None
        before = p.nbytes()
        assert fast._postings._items[key][1] == before
        assert ctx.first_positions("body", b"yang", p) is p._firsts
        # A phrase reads some position lists from the blocks: charged as they are kept.
        assert_same(fast, Engine(fast.index_dir, fast=False), '"harga minyak"')
        assert_same(fast, Engine(fast.index_dir, fast=False), '"yang dan"')
        assert fast._postings._items[key][1] == p.nbytes() > before
        return
    p._firsts = None
    fast._postings.put(key, p, p.nbytes())
    before = fast._postings._items[key][1]
    firsts = ctx.first_positions("body", b"yang", p)
    assert fast._postings._items[key][1] == before + firsts.nbytes
    assert ctx.first_positions("body", b"yang", p) is firsts  # read once


def test_a_short_lead_answers_as_whoosh(generated: tuple[Engine, Engine]) -> None:
    """With a lead of a few words most matches hold the word outside it: the lead node's
    position checks decide the order, and must decide it as Whoosh's SpanFirst does."""
    base_fast, base_slow = generated
    # The lead as the shipped factor, and as the first-stage clause kept for measuring
    # (the fast path's LeadNode).
    for short in (Ranking(lead_words=6), Ranking(lead_words=6, lead_boost=5, lead_gain=0)):
        fast = Engine(base_fast.index_dir, ranking=short)
        slow = Engine(base_slow.index_dir, short, fast=False)
        no_lead = Engine(fast.index_dir, ranking=Ranking(lead_boost=0, lead_gain=0))
        if short.lead_boost:  # the clause reorders this query's page; the factor may not
            ids = [h.id for h in fast.search("pemerintah").hits]
            assert ids != [h.id for h in no_lead.search("pemerintah").hits]
        for query in GENERATED_QUERIES:
            for page, size in ((1, 20), (2, 7)):
                assert_same(fast, slow, query, page=page, page_size=size)


def test_first_position_read_off_the_bytes_is_the_decoded_one() -> None:
    """Lead checks read a list's first position without unpickling it; every pickle opcode
    a first position can take (one byte, two, four) and lists of one and of many."""
    from whoosh.formats import Positions

    encode = Positions().encode
    rng = random.Random(3)
    firsts = [0, 1, 100, 101, 255, 256, 65535, 65536, 2**31 - 1]
    firsts += [rng.randrange(0, 70000) for _ in range(300)]
    values: list[bytes] = []
    expected: list[int] = []
    for first in firsts:
        for extra in (0, 1, 5):
            poslist = [first, *sorted(first + 1 + rng.randrange(3000) for _ in range(extra))]
            value = encode(poslist)
            assert fastpath.first_position(value) == first, poslist
            assert postings.decode_positions(value)[0] == first
            values.append(value)
            expected.append(first)
    # a layout the reader does not expect is unpickled instead
    odd = b"\x00\x00\x00\x01" + b"\x80\x04]\x94K\x07a."
    assert fastpath.first_position(odd) == 7
    values.append(odd)
    expected.append(7)
    # all at once, from the concatenated bytes the postings hold
    offsets = np.cumsum([0, *map(len, values)])
    assert postings.first_positions_of(b"".join(values), offsets).tolist() == expected


def test_another_whoosh_takes_the_public_path(generated, monkeypatch) -> None:
    """Under a Whoosh other than the release the fast path reads, the engine answers
    through Whoosh's own collector: the same hits, no decoded postings."""
    fast, _ = generated
    expected = fast.search("pemerintah", page_size=10)
    from index import whoosh_release

    monkeypatch.setattr(whoosh_release, "RELEASE", (2, 7, 5))
    fast._postings.clear()
    got = fast.search("pemerintah", page_size=10)
    assert [h.id for h in got.hits] == [h.id for h in expected.hits]
    assert got.total == expected.total
    assert fast._postings.used == 0


def test_sorted_result_sets_are_kept_by_identity_beside_the_budget() -> None:
    """A result set is sorted once for the ranking of its pages; an equal set that is
    another object is sorted again; only the last few are kept, outside the budget."""
    cache = fastpath.PostingCache(1000)
    made: list[int] = []

    def make(docs: Any) -> Any:
        made.append(len(docs))
        return docarrays.as_docs(docs)

    first = frozenset({30, 10, 20})
    assert cache.sorted_docs(first, make).tolist() == [10, 20, 30]
    assert cache.sorted_docs(first, make).tolist() == [10, 20, 30] and len(made) == 1
    cache.sorted_docs(frozenset({30, 10, 20}), make)
    assert len(made) == 2
    for i in range(limits.SORTED_KEPT + 2):
        cache.sorted_docs(frozenset({i}), make)
    assert len(cache._sorted) == limits.SORTED_KEPT and cache.used == 0


def test_positions_read_all_at_once_are_the_unpickled_ones() -> None:
    """Position lists of every size and integer width (one, two, four bytes), lists past
    pickle's batch of 1,000 items, with and without the final STOP, and a layout the
    reader does not expect (unpickled instead), read together as one by one."""
    from whoosh.formats import Positions

    encode = Positions().encode
    rng = random.Random(5)
    values = []
    for _ in range(1500):
        n = rng.choice([1, 1, 2, 3, 7]) if rng.random() < 0.9 else rng.choice([999, 1000, 1500])
        start = rng.choice([0, 5, 255, 256, 65535, 65536, 2**31 - 1 - 70000 * n])
        poslist = [start + i * rng.choice([1, 200, 70000]) for i in range(n)]
        value = encode([p for p in poslist if p < 2**31] or [0])
        values.append(value[:-1] if rng.random() < 0.3 else value)
    values.append(b"\x00\x00\x00\x01" + b"\x80\x04]\x94K\x07a.")
    offsets = np.cumsum([0, *map(len, values)])
    where = np.array([*sorted(rng.sample(range(len(values) - 1), 900)), len(values) - 1])
    for some in (where, where[:5]):  # at once, and the few lists unpickled one by one
        owner, positions = postings.positions_of(b"".join(values), offsets, some)
        expected = [
            (j, p) for j, i in enumerate(some) for p in postings.decode_positions(values[i])
        ]
        assert list(zip(owner.tolist(), positions.tolist(), strict=True)) == expected


@pytest.mark.parametrize("slop", [1, 2, 4, 40])
def test_phrases_of_any_slop_match_as_whoosh(generated: tuple[Engine, Engine], slop: int) -> None:
    fast, _ = generated
    s = fast.searcher()
    ctx = fast._fast_context(s, fast.docsets())
    found = 0
    for words in (["harga", "minyak"], ["yang", "dan", "di"], ["pemerintah", "yang"]):
        fast._postings.clear()  # each way below checks positions, none reads a memo
        node = fastpath.compile_plan(wq.Phrase("body", words, slop=slop), s.schema)
        assert node is not None
        expected = sorted(s.docs_for_query(wq.Phrase("body", words, slop=slop)))
        held = node.within(ctx, np.arange(ctx.ndocs, dtype=np.int32), fastpath.EXACT)
        assert held.tolist() == expected
        assert [d for d in range(ctx.ndocs) if node.contains(ctx, d)] == expected
        assert node.match(ctx).tolist() == expected
        found += len(expected)
    assert found
    fast._postings.clear()
