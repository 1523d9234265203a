"""What is distinctive (issue 17): log-likelihood on document counts, candidates from real
text, exact counts from the index."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from search.keyness import g2, names_of, sample_candidates

WIB = timezone(timedelta(hours=7))

# Real sentences, shaped like the wire copy an archive holds.
KPK = (
    "Jakarta - Komisi Pemberantasan Korupsi (KPK) menetapkan Bupati Kepulauan Meranti "
    "Muhammad Adil sebagai tersangka kasus dugaan korupsi. Penetapan tersangka diumumkan "
    "di Gedung Merah Putih KPK. Kasus korupsi itu berkaitan dengan pemotongan anggaran."
)
FLOOD = (
    "Banjir merendam ratusan rumah warga di Kecamatan Cileungsi. Warga mengungsi ke "
    "masjid terdekat dan meminta bupati turun tangan. Hujan deras sejak sore membuat "
    "sungai meluap."
)


def test_g2_is_zero_for_the_expected_share_and_signed_by_direction():
    assert g2(10, 100, 100, 1000) == pytest.approx(0.0, abs=1e-9)  # 10 % in and out
    assert g2(50, 100, 100, 1000) > 0  # half the matches, a tenth of the archive
    assert g2(1, 100, 500, 1000) < 0  # rarer in the matches than outside
    assert g2(50, 100, 100, 1000) > g2(20, 100, 100, 1000)
    assert g2(0, 0, 10, 10) == 0.0  # nothing to compare: no division by zero


def test_candidates_are_content_words_phrases_and_names_counted_once_per_article():
    cands = sample_candidates([KPK, KPK, FLOOD])
    assert cands.words["korupsi"] == 2  # three times in each copy, two articles
    assert "dengan" not in cands.words and "itu" not in cands.words  # stopwords
    assert cands.phrases["dugaan korupsi"] == 2
    names = names_of(cands)
    assert names["Komisi Pemberantasan Korupsi"] == 2
    assert names["KPK"] == 2
    # A title written in lower case elsewhere ("bupati") is cut off a long run.
    assert names["Kepulauan Meranti Muhammad Adil"] == 2
    assert "Penetapan" not in names and "Kasus" not in names  # capitalised by the sentence
    assert "Warga" not in names  # a sentence start; "warga" is seen lower case too


@pytest.fixture
def engine(mini_index):
    when = datetime(2023, 5, 1, 9, tzinfo=WIB)
    articles = [
        {"title": f"KPK tetapkan tersangka {n}", "body": [KPK], "outlet": "kompas",
         "published": when}
        for n in range(6)
    ] + [
        {"title": f"Banjir {n}", "body": [FLOOD], "outlet": "detik", "published": when}
        for n in range(14)
    ]  # fmt: skip
    return mini_index(articles)


def test_the_matches_own_words_stand_out_with_exact_counts(engine):
    terms = engine.terms("tersangka", top=5)
    by = {(t.kind, t.term): t for t in terms}
    assert ("word", "tersangka") not in by  # the query's own word says nothing
    word = by[("word", "korupsi")]
    assert (word.matches, word.archive) == (6, 6)
    name = by[("name", "Komisi Pemberantasan Korupsi")]
    assert (name.matches, name.archive) == (6, 6)
    assert all(t.score > 0 for t in terms)
    assert not any("banjir" in t.term.lower() for t in terms)


def test_a_query_that_matches_everything_or_nothing_has_no_distinctive_terms(engine):
    assert engine.terms("") == []
    assert engine.terms("tsunami") == []


def test_the_fast_path_and_whooshs_matcher_count_alike(engine, mini_index):
    from search.engine import Engine

    slow = Engine(engine.index_dir, fast=False)
    assert [vars(t) for t in slow.terms("banjir")] == [vars(t) for t in engine.terms("banjir")]
