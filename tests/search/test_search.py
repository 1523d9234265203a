"""The search API over an index of the five seeds: matching, filters, sorts, facets."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from search.errors import ArticleNotFoundError, QueryError
from search.facets import UNKNOWN_OUTLET
from search.models import Filters, SearchResults
from tests.helpers import paths

WIB = timezone.utc  # the mini indexes only need an aware datetime


def found(engine, query: str, **kw) -> set[str]:
    return set(paths(engine.search(query, page_size=50, **kw)))


def body_text(engine, seed_ids, seed: str) -> str:
    view = engine.article(seed_ids[seed])
    return view.title + "\n" + "\n".join(view.body)


# ── what matches ────────────────────────────────────────────────────────────────────────


def test_words_match_other_forms_of_the_same_root(engine, seed_ids):
    # 000 says only "mengirim"; "pengiriman" reaches it through the stem "kirim".
    assert "pengiriman" not in body_text(engine, seed_ids, "000").lower()
    assert found(engine, "pengiriman") == {"000", "002", "003"}
    assert found(engine, "mengirimkan") == {"000", "002", "003"}
    # 004 says only "mengkhawatirkan" and "kekhawatiran".
    assert found(engine, "khawatir") == {"000", "003", "004"}


def test_korut_finds_all_five_though_two_only_say_korea_utara(engine, seed_ids):
    for seed in ("002", "004"):
        assert "korut" not in body_text(engine, seed_ids, seed).lower()
    assert found(engine, "Korut") == {"000", "001", "002", "003", "004"}
    assert found(engine, "korut") == {"000", "001", "002", "003", "004"}


def test_menlu_finds_the_articles_that_only_say_menteri_luar_negeri(engine, seed_ids):
    for seed in ("001", "002"):
        text = body_text(engine, seed_ids, seed)
        assert "Menlu" not in text and "Menteri Luar Negeri" in text
    assert found(engine, "Menlu") == {"000", "001", "002"}


def test_full_forms_find_the_abbreviation_too(engine):
    # "Menteri Luar Negeri" typed out also finds 000's "(Menlu)"; quoted, the same.
    assert found(engine, '"Menteri Luar Negeri"') == {"000", "001", "002"}
    assert found(engine, "Korea Utara") == {"000", "001", "002", "003", "004"}


def test_lowercase_as_is_a_word_not_amerika_serikat(engine):
    results = engine.search("as")
    assert ("amerika", "serikat") not in results_phrases(engine, "as")
    assert ("amerika", "serikat") in results_phrases(engine, "AS")
    assert results.total <= engine.search("AS").total


def results_phrases(engine, query: str) -> tuple:
    from search.compiler import compile_query

    return compile_query(query).highlight.phrases


def test_text_only_in_a_baca_juga_teaser_is_not_searchable(engine):
    assert engine.search("Lansia").total == 0


def test_phrases_and_booleans(engine):
    assert found(engine, '"Kim Jong Un"') == {"002", "003", "004"}
    assert found(engine, "Blinken Kirby") == {"002"}
    assert found(engine, "Blinken OR Kirby") == {"000", "001", "002", "004"}
    assert found(engine, "Blinken -Kirby") == {"000", "001"}
    assert found(engine, "Blinken NOT Kirby") == {"000", "001"}
    assert found(engine, "(Blinken OR Kirby) -satelit") == set()
    assert found(engine, '-"Kim Jong Un"') == {"000", "001"}


def test_prefix_and_fields(engine):
    assert found(engine, "Blink*") == {"000", "001", "002"}
    assert found(engine, "title:Blinken") == {"001"}
    assert found(engine, "outlet:inews") == {"000", "003"}
    assert found(engine, "outlet:Bisnis.com Korut") == {"002"}
    assert found(engine, 'author:"Rendi Mahendra"') == {"002"}


def test_dates_in_the_query(engine):
    assert found(engine, "since:2023-11-09 until:2023-11-09") == {"000", "001"}
    assert found(engine, "Korut date:2023-09..2023-11") == {"000", "001", "004"}
    assert found(engine, "date:2023-06") == {"003"}
    # A typed date range leaves undated articles out.
    assert "002" not in found(engine, "until:2030")


def test_empty_query_lists_everything_newest_first_undated_last(engine):
    results = engine.search("")
    assert paths(results) == ["000", "001", "004", "003", "002"]
    assert results.total == 5


# ── filters and sorts ───────────────────────────────────────────────────────────────────


def test_outlet_filter_including_unknown(engine):
    assert found(engine, "Korut", filters=Filters(outlets=("bisnis",))) == {"002"}
    assert found(engine, "Korut", filters=Filters(outlets=("bisnis", "vietnamvn"))) == {
        "002",
        "004",
    }
    assert found(engine, "", filters=Filters(outlets=(UNKNOWN_OUTLET,))) == {"001"}


def test_date_filters_and_undated_articles(engine):
    since = Filters(since=date(2023, 9, 1), include_undated=False)
    assert found(engine, "Korut", filters=since) == {"000", "001", "004"}
    with_undated = Filters(since=date(2023, 9, 1), include_undated=True)
    assert found(engine, "Korut", filters=with_undated) == {"000", "001", "002", "004"}
    until = Filters(until=date(2023, 9, 30), include_undated=False)
    assert found(engine, "", filters=until) == {"003", "004"}
    assert found(engine, "", filters=Filters(include_undated=False)) == {"000", "001", "003", "004"}


def test_filter_dates_and_query_dates_narrow_each_other(engine):
    f = Filters(since=date(2023, 9, 1), include_undated=False)
    assert found(engine, "until:2023-10", filters=f) == {"004"}
    with pytest.raises(QueryError, match="is after"):
        engine.search("until:2023-06", filters=Filters(since=date(2023, 9, 1)))


def test_sorts(engine):
    assert paths(engine.search("Korut", sort="newest")) == ["000", "001", "004", "003", "002"]
    assert paths(engine.search("Korut", sort="oldest")) == ["003", "004", "001", "000", "002"]
    by_score = engine.search("Korut")
    scores = [h.score for h in by_score.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_pages_cover_the_result_set_once(engine):
    seen = []
    for page in (1, 2, 3):
        results = engine.search("Korut", sort="oldest", page=page, page_size=2)
        assert results.total == 5
        seen += paths(results)
    assert seen == ["003", "004", "001", "000", "002"]
    assert engine.search("Korut", page=4, page_size=2).hits == []


@pytest.mark.parametrize(
    "kwargs",
    [{"sort": "sideways"}, {"page": 0}, {"page_size": 0}, {"page_size": -5}],
)
def test_bad_paging_is_a_query_error(engine, kwargs):
    with pytest.raises(QueryError):
        engine.search("Korut", **kwargs)


# ── facets ──────────────────────────────────────────────────────────────────────────────


def test_facets_count_the_whole_result_set(engine):
    results = engine.search("", page_size=1)
    assert len(results.hits) == 1
    f = results.facets
    assert f.outlet == {"inews": 2, "bisnis": 1, "vietnamvn": 1, UNKNOWN_OUTLET: 1}
    assert f.year == {"2023": 4}
    assert f.month == {"2023-06": 1, "2023-09": 1, "2023-11": 2}
    assert f.no_date == 1
    assert sum(f.outlet.values()) == results.total == sum(f.month.values()) + f.no_date


@pytest.mark.parametrize("query", ["", "Korut", "khawatir", "Blinken OR Kirby", "pengiriman"])
def test_each_facet_count_equals_the_hits_it_counts(engine, query):
    results: SearchResults = engine.search(query, page_size=50)
    assert results.total == len(results.hits)
    for outlet, count in results.facets.outlet.items():
        narrowed = engine.search(query, filters=Filters(outlets=(outlet,)), page_size=50)
        assert narrowed.total == count == len(narrowed.hits)
    for month, count in results.facets.month.items():
        narrowed = engine.search(f"{query} date:{month}", page_size=50)
        assert narrowed.total == count
    undated = [h for h in results.hits if h.published is None]
    assert results.facets.no_date == len(undated)


# ── ranking, on two articles that differ in one way ─────────────────────────────────────


def test_exact_word_outranks_a_stem_only_match(mini_index):
    engine = mini_index(
        [
            {"body": ["Para warga mengaku khawatir soal harga beras di pasar."]},
            {"body": ["Para warga menyampaikan kekhawatiran soal harga beras di pasar."]},
        ]
    )
    assert [h.id for h in engine.search("khawatir").hits] == ["a0", "a1"]
    assert [h.id for h in engine.search("kekhawatiran").hits] == ["a1", "a0"]


def test_a_phrase_outranks_scattered_words(mini_index):
    engine = mini_index(
        [
            {"body": ["Di pasar beras naik, kata pedagang soal harga hari ini."]},
            {"body": ["Di pasar harga beras naik, kata pedagang soal hari ini."]},
        ]
    )
    assert [h.id for h in engine.search("harga beras").hits] == ["a1", "a0"]


def test_the_title_outranks_the_body(mini_index):
    engine = mini_index(
        [
            {"title": "Kabar pagi dari ibu kota", "body": ["Banjir melanda kota pagi ini."]},
            {"title": "Banjir melanda ibu kota", "body": ["Kabar pagi dari kota ini."]},
        ]
    )
    assert [h.id for h in engine.search("banjir").hits] == ["a1", "a0"]


def test_more_facets_on_a_mini_index(mini_index):
    engine = mini_index(
        [
            {"outlet": "kompas", "published": datetime(2022, 5, 1, tzinfo=WIB), "body": ["x y"]},
            {"outlet": "kompas", "published": datetime(2023, 5, 1, tzinfo=WIB), "body": ["x"]},
            {"outlet": "detik", "body": ["x"]},
            {"body": ["x"]},
        ]
    )
    f = engine.search("x").facets
    assert f.outlet == {"kompas": 2, "detik": 1, UNKNOWN_OUTLET: 1}
    assert f.year == {"2022": 1, "2023": 1}
    assert f.month == {"2022-05": 1, "2023-05": 1}
    assert f.no_date == 2


# ── one article, related articles, the archive ──────────────────────────────────────────


def test_article_by_id_and_unknown_id(engine, seed_ids):
    view = engine.article(seed_ids["002"])
    assert view.outlet == "bisnis" and view.published is None
    assert view.authors and view.body and len(view.body_highlights) == len(view.body)
    with pytest.raises(ArticleNotFoundError):
        engine.article("nosuchid")


def test_more_like_this_excludes_the_article_itself(engine, seed_ids):
    related = engine.more_like_this(seed_ids["000"], limit=3)
    assert 1 <= len(related) <= 3
    assert seed_ids["000"] not in {h.id for h in related}
    with pytest.raises(ArticleNotFoundError):
        engine.more_like_this("nosuchid")


def test_stats_describe_the_archive(engine, seeds_dir):
    stats = engine.stats()
    assert stats["articles"] == 5
    assert stats["outlets"]["inews"] == 2
    assert stats["undated"] == 1
    assert stats["first_published"].startswith("2023-06-12")
    assert stats["last_published"].startswith("2023-11-09")
    assert stats["index_bytes"] > 0
    assert stats["source"] == str(seeds_dir.resolve())
    assert stats["built_at"]


def test_raw_returns_the_source_file(engine, seed_ids, seeds_dir):
    raw = engine.raw(seed_ids["003"])
    assert "Baca Juga" in raw and "Lansia" in raw  # the raw page, teaser and all
    assert raw.startswith("Sosial Media")


def test_raw_of_a_vanished_file_is_a_clear_error(mini_index):
    from search.errors import SourceFileError

    engine = mini_index([{"body": ["x"]}])
    with pytest.raises(SourceFileError, match="cannot read the source file"):
        engine.raw("a0")


def test_several_segments_and_deleted_articles(mini_index):
    """Document sets and date sorts use global numbers across segments, without deletions."""
    from whoosh import index as whoosh_index

    from search.engine import Engine

    engine = mini_index(
        [
            {"outlet": "kompas", "published": datetime(2022, 1, 1, tzinfo=WIB), "body": ["x"]},
            {"outlet": "detik", "published": datetime(2023, 1, 1, tzinfo=WIB), "body": ["x"]},
        ]
    )
    ix = whoosh_index.open_dir(str(engine.generation.path))
    writer = ix.writer()
    writer.add_document(
        id="late",
        path="late.txt",
        title="Berita",
        body="x",
        body_exact="x",
        outlet="tempo",
        year="2024",
        month="2024-03",
        published=datetime(2024, 3, 1),
        published_iso="2024-03-01T00:00:00+07:00",
    )
    writer.delete_by_term("id", "a1")
    writer.commit(merge=False)
    engine = Engine(engine.index_dir)
    assert not engine.searcher().reader().is_atomic()
    results = engine.search("x", sort="newest")
    assert [h.id for h in results.hits] == ["late", "a0"]
    assert results.total == 2
    assert results.facets.outlet == {"kompas": 1, "tempo": 1}
    assert results.facets.month == {"2022-01": 1, "2024-03": 1}


def test_facets_lift_their_own_filter_as_a_sidebar_needs(engine):
    """With an outlet chosen, the other outlets still count what adding them would bring;
    with a date range on, the dates count outside it. By default every facet counts the
    filtered set and adds up to the total."""
    everything = engine.search("", Filters(), "newest")
    outlets = sorted(everything.facets.outlet)
    assert len(outlets) >= 2
    one = Filters(outlets=(outlets[0],))
    lifted = engine.search("", one, "newest", disjunctive=True)
    assert lifted.facets.outlet == everything.facets.outlet
    assert lifted.total == everything.facets.outlet[outlets[0]]
    plain = engine.search("", one, "newest")
    assert set(plain.facets.outlet) == {outlets[0]}
    assert sum(plain.facets.month.values()) + plain.facets.no_date == plain.total
    assert plain.facets.year == lifted.facets.year  # the outlet filter still narrows dates
    ranged = Filters(since=date(2023, 11, 1), until=date(2023, 11, 30), include_undated=False)
    by_date = engine.search("", ranged, "newest", disjunctive=True)
    assert by_date.facets.year == everything.facets.year
    assert by_date.facets.no_date == everything.facets.no_date
    assert sum(by_date.facets.outlet.values()) == by_date.total


def test_a_prefix_expands_to_its_most_frequent_words_with_a_note(engine, monkeypatch):
    import search.engine as engine_module

    whole = engine.search("me*", Filters(), "newest", page_size=50)
    assert whole.notice is None
    monkeypatch.setattr(engine_module, "MAX_PREFIX_WORDS", 2)
    monkeypatch.setattr(engine_module, "MIN_PER_PREFIX", 2)
    capped = engine.search("me*", Filters(), "newest", page_size=50)
    assert capped.notice and "'me*' matches" in capped.notice and "2 most frequent" in capped.notice
    assert {h.id for h in capped.hits} <= {h.id for h in whole.hits}
    assert 0 < capped.total <= whole.total


def test_a_search_past_its_time_budget_stops_in_one_line(engine):
    from search.errors import SearchTimeout

    with pytest.raises(SearchTimeout, match="took too long"):
        engine.search("me* OR di* OR ke*", Filters(), budget_s=0.0)
    with pytest.raises(SearchTimeout):
        engine.search("rudal nuklir Korut", Filters(), budget_s=-1.0)
    assert engine.search("rudal", Filters(), budget_s=5.0).total > 0
