"""The ranking levers issue 7 measured, pinned on concrete words.

bench/relevance.py decides the defaults with numbers; these tests keep what the numbers were
measured with from drifting: the stem overrides, the proper-noun rule, the field selection
that gives the "no stemming" and "stemming only" configurations.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from whoosh import query as wq

from index.analysis import STEMS, load_overrides, stem_terms
from search.compiler import LeadTerm, compile_query
from search.engine import Engine
from search.ranking import DEFAULT_RANKING, Ranking

# (word, what Warta must stem it to, Sastrawi's own mis-stem)
MIS_STEMS = [
    ("membantah", "bantah", "ban"),
    ("berpegangan", "pegang", "gang"),
    ("perangi", "perang", "rang"),
    ("memerangi", "perang", "rang"),
    ("pergerakan", "gerak", "gera"),
    ("gerakan", "gerak", "gera"),
    ("penarikan", "tarik", "tari"),
    ("mengunjungi", "kunjung", "unjung"),
    ("pengunjung", "kunjung", "unjung"),
    ("berikan", "beri", "ikan"),
    ("penyidikan", "sidik", "sidi"),
    ("pemilu", "pemilu", "milu"),
    ("bekasi", "bekasi", "bekas"),
    ("kediri", "kediri", "diri"),
    ("bali", "bali", "bal"),
    ("pemalang", "pemalang", "malang"),
]


@pytest.mark.parametrize(("word", "stem", "sastrawi"), MIS_STEMS)
def test_stem_overrides_fix_sastrawis_mis_stems(word: str, stem: str, sastrawi: str) -> None:
    # The override is needed: Sastrawi alone gets it wrong ...
    assert STEMS._sastrawi().stem(word) == sastrawi
    # ... and the one analyzer gets it right, capitalised or not.
    assert load_overrides()[word] == stem
    assert stem_terms(word.capitalize()) == [stem]


def test_overrides_leave_the_rest_of_the_family_to_sastrawi() -> None:
    assert stem_terms("memberikan diberikan pemberian") == ["beri", "beri", "beri"]
    assert stem_terms("pengiriman mengirimkan") == ["kirim", "kirim"]


def terms_of(q: wq.Query) -> set[tuple[str, str]]:
    """(field, word) of every term and phrase word in a compiled query."""
    out = {(t.fieldname, t.text) for t in q.leaves() if isinstance(t, wq.Term)}
    for p in q.leaves():
        if isinstance(p, wq.Phrase):
            out |= {(p.fieldname, w) for w in p.words}
    return out


def test_no_stemming_and_stemming_only_are_field_selections() -> None:
    exact = Ranking(stem_boost=0)
    q = compile_query("pengiriman", exact)
    assert {f for f, _ in terms_of(q.query)} == {"title_exact", "body_exact"}
    assert {f for f, _ in terms_of(q.match_query)} == {"title_exact", "body_exact"}
    assert {f for f, _ in terms_of(compile_query("pengiriman", Ranking(exact_boost=0)).query)} == {
        "title",
        "body",
    }
    # The nearness of an exact-only ranking is over the words as typed, in the exact
    # fields; so is the first-stage proximity clause kept for measuring.
    near = compile_query("pengiriman senjata", exact)
    assert near.near_groups == (("pengiriman", "senjata"),)
    assert near.near_fields == ("title_exact", "body_exact")
    prox = compile_query("pengiriman senjata", Ranking(stem_boost=0, phrase_boost=4)).query
    assert isinstance(prox, wq.AndMaybe)
    phrases = [p for p in prox.leaves() if isinstance(p, wq.Phrase)]
    assert {p.fieldname for p in phrases} == {"title_exact", "body_exact"}
    assert all(p.words == ["pengiriman", "senjata"] for p in phrases)


def test_abbreviations_can_be_switched_off_for_measuring() -> None:
    on = terms_of(compile_query("Korut").query)
    off = terms_of(compile_query("Korut", Ranking(expand_abbreviations=False)).query)
    assert ("body_exact", "utara") in on
    assert ("body_exact", "utara") not in off


def test_the_shipped_ranking_is_the_default() -> None:
    assert Ranking() == DEFAULT_RANKING


def test_all_words_exact_is_a_lever_kept_for_measuring_only() -> None:
    # Issue 16: the all-or-nothing bonus sank queries typed in another form than the
    # article's; the exact forms count through the exact-form stage instead.
    assert not isinstance(compile_query("pengiriman senjata").query, wq.AndMaybe)
    q = compile_query("pengiriman senjata", Ranking(exact_all_boost=3)).query
    assert isinstance(q, wq.AndMaybe)
    ands = [c for c in (q.b, *q.b.children()) if isinstance(c, wq.And)]
    assert len(ands) == 1
    assert terms_of(ands[0]) == {
        (f, w) for f in ("title_exact", "body_exact") for w in ("pengiriman", "senjata")
    }


def test_the_typed_forms_go_to_the_exact_form_stage() -> None:
    compiled = compile_query("title:pertumbuhan ekonomi Korut -inflasi penerbang*")
    # Abbreviations, negations and prefixes are not one exact term; "Korut" expands.
    assert compiled.exact_forms == (("title", "pertumbuhan"), (None, "ekonomi"))


def test_all_words_exact_ranks_the_very_words_first(mini_index) -> None:
    engine = mini_index(
        [
            {"body": ["Kiriman senjata dikirimkan lagi, pengirim senjata kirim senjata."]},
            {"body": ["Pengiriman senjata ke perbatasan dihentikan."]},
        ]
    )
    assert [h.id for h in engine.search("pengiriman senjata").hits] == ["a1", "a0"]


def test_a_clearly_better_stem_match_is_not_outranked_by_the_typed_form(mini_index) -> None:
    # The reader types "pertumbuhan"; the story about growth writes "tumbuh" in its
    # headline and lead, another story uses "pertumbuhan" once in passing. Other stories
    # write "tumbuh" too, so the typed form is rare beside its stem, as in an archive.
    passing = {
        "title": "Harga Cabai Naik di Pasar Induk",
        "body": [
            "Pedagang menyebut pertumbuhan ekonomi daerah ikut mendorong permintaan cabai.",
            FILLER,
        ],
    }
    about = {
        "title": "Konsumsi Tumbuh Paling Cepat",
        "body": [
            "Ekonomi Indonesia tumbuh 5,1 persen pada kuartal ketiga, kata BPS.",
            "Konsumsi rumah tangga tumbuh paling cepat di antara sektor ekonomi.",
            FILLER,
        ],
    }
    villages = [
        {"title": f"Kabar Desa {n}", "body": [f"Ekonomi desa {n} tumbuh pelan tahun ini.", FILLER]}
        for n in range(12)
    ]
    engine = mini_index([passing, about, *villages])
    # Under the first-stage lead and proximity clauses this test was written with, the
    # story about growth wins: its stem match is better by more than the exact-form
    # bound. With the lead and nearness as bounded factors (shipped since issue 16's
    # speed work) the two stem scores come within that bound, and the passing mention,
    # which holds both typed forms side by side in its first sentence, comes first: a
    # loss on this constructed pair, against +0.005 on the natural-variant set measured
    # on real summaries (bench/relevance.py, test half).
    clauses = Ranking(phrase_boost=4, lead_boost=5, near_gain=0, lead_gain=0)
    with_clauses = Engine(engine.index_dir, ranking=clauses)
    assert [h.id for h in with_clauses.search("pertumbuhan ekonomi").hits][:2] == ["a1", "a0"]
    assert [h.id for h in engine.search("pertumbuhan ekonomi").hits][:2] == ["a0", "a1"]
    # The levers before issue 16 (exact forms added in BM25, tripled when all are held)
    # put the passing mention first.
    old = Ranking(
        title_boost=2,
        phrase_boost=2,
        phrase_slop=1,
        exact_all_boost=3,
        lead_boost=3,
        bm25_b=0.75,
        exact_gain=0,
    )
    before = Engine(engine.index_dir, ranking=old)
    assert [h.id for h in before.search("pertumbuhan ekonomi").hits][:2] == ["a0", "a1"]


# Filler of real news prose without the test's words: pushes a word out of the lead.
FILLER = (
    "Pemerintah daerah menggelar rapat koordinasi bersama aparat kecamatan pada Senin pagi. "
    "Rapat itu membahas anggaran tahun depan dan rencana perbaikan jalan desa. "
) * 12


def lead_pair() -> list[dict[str, object]]:
    """Same words, same length: only where the typed words stand differs."""
    return [
        {"body": [FILLER, "Banjir merendam ratusan rumah warga di Bekasi."]},
        {"body": ["Banjir merendam ratusan rumah warga di Bekasi.", FILLER]},
    ]


def test_lead_words_rank_the_story_about_them_first(mini_index) -> None:
    engine = mini_index(lead_pair())
    # Without the lead the two score the same and the earlier document wins the tie.
    plain = Engine(engine.index_dir, ranking=Ranking(lead_boost=0, lead_gain=0))
    assert [h.id for h in plain.search("banjir rumah").hits] == ["a0", "a1"]
    # The article that opens with the words comes first, one word or several, and a
    # filter in the query does not change the order: with the shipped lead factor and
    # with the first-stage clause kept for measuring.
    clause = Ranking(lead_boost=5, lead_gain=0)
    for ranking in (DEFAULT_RANKING, clause):
        for fast in (True, False):
            ref = Engine(engine.index_dir, ranking=ranking, fast=fast)
            for q in ("banjir rumah", "banjir", "banjir -kebakaran", "banjir OR longsor"):
                assert [h.id for h in ref.search(q).hits] == ["a1", "a0"], (q, ranking, fast)
            assert [h.id for h in ref.search("merendam warga").hits] == ["a1", "a0"]


def subqueries(q: wq.Query) -> Iterator[wq.Query]:
    yield q
    for c in q.children():
        yield from subqueries(c)


def test_lead_is_the_bodys_opening_words_only() -> None:
    # Shipped: the stems go to the lead factor, the query holds no lead clause.
    assert compile_query("pengiriman senjata").lead_terms == (("", "kirim"), ("", "senjata"))
    clause = Ranking(lead_boost=5, lead_gain=0)
    q = compile_query("pengiriman senjata", clause).query
    leads = [c for c in subqueries(q) if isinstance(c, LeadTerm)]
    assert {(c.q.fieldname, c.q.text, c.limit) for c in leads} == {
        ("body", "kirim", DEFAULT_RANKING.lead_words),
        ("body", "senjata", DEFAULT_RANKING.lead_words),
    }
    # Scoring only: what matches is the same with and without it.
    assert compile_query("pengiriman senjata", clause).match_query == (
        compile_query("pengiriman senjata", Ranking(lead_boost=0)).match_query
    )
    assert not any(
        isinstance(c, LeadTerm)
        for c in subqueries(compile_query("pengiriman", Ranking(lead_boost=0)).query)
    )
