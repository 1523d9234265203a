"""The relevance evaluation's parts: the affixation generator, query building, the metrics.

These pin the rules the issue names (nasal assimilation, stemmer-checked variants, the
abbreviation swap both ways) on concrete words, so a change to them shows up as a failure
rather than as a quiet shift in the benchmark's numbers.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import datetime, timezone
from random import Random

import pytest

from bench.corpus import IndoSumRecord
from bench.morphology import affixed_forms, nasal
from bench.relevance import (
    HALVES,
    abbreviation_swap,
    copy_groups,
    half_of,
    make_queries,
    metrics,
    natural_queries,
    rarer_first,
    summary_words,
    table_entries,
    variant_forms,
)
from index.analysis import STEMS


@pytest.mark.parametrize(
    ("root", "me", "pe"),
    [
        ("kirim", "mengirim", "pengirim"),
        ("pukul", "memukul", "pemukul"),
        ("sapu", "menyapu", "penyapu"),
        ("tulis", "menulis", "penulis"),
        ("bawa", "membawa", "pembawa"),
        ("cari", "mencari", "pencari"),
        ("ambil", "mengambil", "pengambil"),
        ("ganti", "mengganti", "pengganti"),
        ("lihat", "melihat", "pelihat"),
        ("bom", "mengebom", "pengebom"),
        ("proses", "memproses", "pemproses"),
    ],
)
def test_nasal_sound_changes(root: str, me: str, pe: str) -> None:
    assert nasal("me", root) == me
    assert nasal("pe", root) == pe


def test_affixed_forms_cover_the_issue_examples_and_not_nonsense() -> None:
    kirim = affixed_forms("kirim")
    for form in ("kirim", "mengirim", "mengirimkan", "dikirim", "pengiriman", "kiriman"):
        assert form in kirim
    assert "mengiriman" not in kirim  # me(N)- never takes -an alone
    assert "kekhawatiran" in affixed_forms("khawatir")
    assert "perjanjian" in affixed_forms("janji")
    assert "berjanji" in affixed_forms("janji")
    assert "berenang" in affixed_forms("renang")  # ber- loses its r before r
    assert affixed_forms("kirim") == affixed_forms("kirim")  # fixed order


def test_variants_are_attested_and_stem_back_to_the_root() -> None:
    vocabulary = frozenset({"pengiriman", "mengirimkan", "kiriman", "mengirim", "kirimannya"})
    forms = variant_forms("mengirim", vocabulary)
    assert forms == sorted(forms)
    assert set(forms) == {"pengiriman", "mengirimkan", "kiriman", "kirimannya"}
    assert all(STEMS.stem(f) == "kirim" for f in forms)
    # Sastrawi stems "berikan" to "ikan"; only the override makes it a form of "beri".
    assert "berikan" in variant_forms("memberi", frozenset({"berikan"}))


def _record(summary: str, body: str = "", rec_id: str = "1-x") -> IndoSumRecord:
    return IndoSumRecord(
        id=rec_id,
        source="kumparan",
        outlet="kumparan",
        outlet_name="kumparan",
        url="",
        category="news",
        published=datetime(2017, 1, 1, tzinfo=timezone.utc),
        title="Judul",
        paragraphs=(body or summary,),
        summary=summary,
    )


def test_summary_words_drop_stopwords_and_sentence_capitals_only() -> None:
    rec = _record(
        "Pemerintah akan mengirimkan bantuan ke Lombok. Bantuan itu tiba di Mataram.",
        body="pemerintah mengirimkan bantuan ke Lombok. Warga Mataram menerima bantuan.",
    )
    words = summary_words(rec, frozenset({"akan", "itu", "ke", "di"}))
    assert [w.word for w in words] == [
        "pemerintah",
        "mengirimkan",
        "bantuan",
        "lombok",
        "tiba",
        "mataram",
    ]
    typed = {w.word: w.typed for w in words}
    assert typed["pemerintah"] == "pemerintah"  # capital only because it opens a sentence
    assert typed["lombok"] == "Lombok"
    assert typed["mataram"] == "Mataram"


def test_rarer_words_come_first_more_often() -> None:
    rec = _record("rudal balistik diluncurkan pemerintah")
    words = summary_words(rec, frozenset())
    df = Counter({"rudal": 2, "balistik": 1, "diluncurkan": 40, "pemerintah": 900})
    firsts = Counter(rarer_first(words, df, 1000, Random(i))[0].word for i in range(300))
    assert firsts["balistik"] > firsts["diluncurkan"] > firsts["pemerintah"]


def test_abbreviation_swap_both_ways() -> None:
    entries = table_entries()
    assert abbreviation_swap("Korea Utara kembali meluncurkan rudal.", entries) == (
        "Korea Utara",
        "Korut",
    )
    assert abbreviation_swap("KPK menahan bupati itu.", entries) == (
        "KPK",
        "Komisi Pemberantasan Korupsi",
    )
    # Written in capitals in the table: lowercase "as" is a word, not Amerika Serikat.
    assert abbreviation_swap("Harga naik seperti as roda.", entries) is None
    # The longer name wins: DPRD, not DPR.
    assert abbreviation_swap("Anggota DPRD Jabar", entries) == (
        "DPRD",
        "Dewan Perwakilan Rakyat Daerah",
    )


def test_queries_are_deterministic_and_nested() -> None:
    recs = [
        _record(
            "Korea Utara meluncurkan rudal balistik antarbenua dari pangkalan militer rahasia.",
            rec_id="1-a",
        ),
        _record("Pengiriman senjata ke perbatasan dihentikan pemerintah Filipina.", rec_id="2-b"),
    ]
    df = Counter({"rudal": 3, "senjata": 5, "pengiriman": 2, "kiriman": 1, "dikirim": 4})
    a = make_queries(recs, recs, df, 10, seed=3, limit=None)
    b = make_queries(recs, recs, df, 10, seed=3, limit=None)
    assert a == b
    originals = [q for q in a["original"] if q.target == "1-a"]
    assert [q.length for q in originals] == [2, 3, 4]
    words = [set(q.text.lower().split()) for q in originals]
    assert words[0] < words[1] < words[2]
    assert [q.text.split()[0] for q in a["abbreviation"] if q.target == "1-a"] == ["Korut"]


def test_metrics() -> None:
    m = metrics([1, 2, None, 10])
    assert m["n"] == 4
    assert m["mrr"] == pytest.approx((1 + 0.5 + 0.1) / 4)
    assert m["s1"] == 0.25
    assert m["s10"] == 0.75
    assert metrics([])["mrr"] == 0.0


def test_natural_queries_use_the_articles_forms_or_only_its_stems() -> None:
    # The summary says "pertumbuhan ekonomi"; the article only writes "tumbuh": a reader
    # typing the summary's word finds the article by its stem alone.
    rec = _record(
        "Pertumbuhan ekonomi Indonesia melambat karena harga komoditas turun.",
        body="Ekonomi Indonesia tumbuh lebih lambat karena harga komoditas turun tajam.",
        rec_id="7-n",
    )
    queries = natural_queries(rec, seed=1, stop=frozenset({"karena"}))
    vocabulary = set(rec.paragraphs[0].lower().replace(".", "").split())
    verbatim = [q for q in queries if q.set == "verbatim"]
    assert [q.length for q in verbatim] == [2, 3, 4]
    for q in verbatim:
        assert set(q.text.lower().split()) <= vocabulary
    (natural,) = [q for q in queries if q.set == "natural"]
    typed = natural.text.lower().split()
    strangers = [w for w in typed if w not in vocabulary]
    assert len(strangers) == 1 and len(typed) == 3
    assert STEMS.stem(strangers[0]) in {STEMS.stem(w) for w in vocabulary}
    assert all(len(w) >= 4 for w in typed)  # "naik" and longer; no 3-letter words
    assert queries == natural_queries(rec, seed=1, stop=frozenset({"karena"}))


def test_an_article_using_every_form_has_no_natural_query() -> None:
    rec = _record("Harga beras naik di pasar induk.", rec_id="8-v")
    queries = natural_queries(rec, seed=1, stop=frozenset({"di"}))
    assert {q.set for q in queries} == {"verbatim"}


def test_copies_answer_for_each_other_and_halves_are_fixed() -> None:
    a = _record("Harga beras naik.", rec_id="1-a")
    b = _record("Harga beras naik.", rec_id="2-b")
    c = _record("Harga beras turun.", rec_id="3-c")
    groups = copy_groups([a, b, c])
    assert groups["1-a"] == groups["2-b"] == frozenset({"1-a", "2-b"})
    assert groups["3-c"] == frozenset({"3-c"})
    halves = [half_of(f"{n}-id") for n in range(200)]
    assert set(halves) == set(HALVES)
    assert 60 < halves.count("train") < 140
    assert halves == [half_of(f"{n}-id") for n in range(200)]


def test_baselines_stay_plain_whoosh_whatever_warta_ships() -> None:
    # They once inherited a new default (the exact-form stage) and stopped being baselines.
    from bench.relevance import CONFIGS

    for name, ranking in CONFIGS.items():
        if name == "warta":
            continue
        # Every second-stage factor and first-stage boost off, whatever levers come.
        for lever, value in dataclasses.asdict(ranking).items():
            if lever.endswith("_gain") or (
                lever.endswith("_boost")
                and lever not in ("stem_boost", "exact_boost", "title_boost")
            ):
                assert value == 0, (name, lever)
        assert ranking.exact_gain == 0 and ranking.lead_boost == 0, name
        assert ranking.phrase_boost == 0 and ranking.exact_all_boost == 0, name
        assert (ranking.bm25_b, ranking.bm25_k1, ranking.title_boost) == (0.75, 1.2, 1), name
        assert not ranking.expand_abbreviations, name
