import pickle

from index.analysis import ANALYZER, EXACT_ANALYZER, STEMS, exact_terms, iter_word_spans, stem_terms


def test_affixed_forms_share_a_stem():
    assert stem_terms("kekhawatiran") == ["khawatir"]
    assert stem_terms("mengkhawatirkan") == ["khawatir"]
    assert stem_terms("mengirimkan") == stem_terms("pengiriman") == stem_terms("dikirim")


def test_words_outside_a_to_z_are_not_fed_to_sastrawi():
    # Sastrawi's normaliser would turn "báo" into "b o" and a date into three tokens.
    assert stem_terms("báo") == ["báo"]
    assert stem_terms("9/11/2023") == ["9", "11", "2023"]
    assert stem_terms("Jum'at") == ["jum", "at"]


def test_reduplication_stays_whole_and_stems_to_its_base():
    assert stem_terms("negara-negara") == ["negara"]
    assert stem_terms("langkah-langkah mata-mata") == ["langkah", "mata"]
    assert exact_terms("negara-negara") == ["negara-negara"]


def test_hyphenated_compounds_are_split_so_each_part_is_findable():
    assert stem_terms("Rusia-Korea Utara") == ["rusia", "korea", "utara"]
    assert exact_terms("non-proliferasi") == ["non", "proliferasi"]


def test_stopwords_and_news_words_stay():
    assert stem_terms("naik bulan ini dan itu") == ["naik", "bulan", "ini", "dan", "itu"]


def test_overrides_fix_known_mis_stems_and_names():
    assert stem_terms("berikan") == ["beri"]
    assert stem_terms("Bekasi Kediri Bali") == ["bekasi", "kediri", "bali"]


def test_char_spans_point_at_the_original_text():
    text = "Kekhawatiran Rusia-Korea"
    toks = [(t.text, text[t.startchar : t.endchar]) for t in ANALYZER(text, chars=True)]
    assert toks == [("khawatir", "Kekhawatiran"), ("rusia", "Rusia"), ("korea", "Korea")]
    assert list(iter_word_spans("a-b  cd")) == [(0, 1), (2, 3), (5, 7)]


def test_analyzer_survives_pickling_as_whoosh_stores_it():
    again = pickle.loads(pickle.dumps(ANALYZER))
    assert again == ANALYZER
    assert [t.text for t in again("pengiriman")] == ["kirim"]
    assert pickle.loads(pickle.dumps(EXACT_ANALYZER)) == EXACT_ANALYZER


def test_stem_cache_persists_and_counts(tmp_path):
    path = tmp_path / "stems.json"
    STEMS.stem("perjanjian")
    STEMS.save(path)
    STEMS.stems.clear()
    assert STEMS.load(path) >= 1
    STEMS.reset_counters()
    assert stem_terms("perjanjian") == ["janji"]
    assert (STEMS.hits, STEMS.misses) == (1, 0)


def test_damaged_stem_cache_is_ignored(tmp_path):
    path = tmp_path / "stems.json"
    path.write_bytes(b"\x00not json")
    assert STEMS.load(path) == 0


def test_terms_list_is_what_the_token_stream_gives():
    """The build indexes analyzer.terms(); queries and highlights use the Token stream."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    texts = [p.read_text(errors="replace") for p in sorted(seeds.rglob("*")) if p.is_file()]
    texts += [
        "İstanbul ΟΔΟΣ ΑΣ-ΒΣ Straße KELVIN\u212a ǅemal ﬁnal",  # lowercase changes length
        "negara-negara Rusia-Korea bermain\u2010main a-b-c x_y 9/11/2023 báo",
        "Kirim pengiriman dikirim, mengirimkan kiriman: kirim!",  # one stem, many forms
        "",
        "---",
    ]
    for text in texts:
        for analyzer in (ANALYZER, EXACT_ANALYZER):
            want = [t.text for t in analyzer(text)]
            assert analyzer.terms(text) == want
            assert analyzer.terms(text) == want  # again: nothing kept between calls
            grouped: dict[str, list[int]] = {}
            for token in analyzer(text, positions=True):
                grouped.setdefault(token.text, []).append(token.pos)
            assert analyzer.positions(text) == grouped
            assert list(analyzer.positions(text)) == list(grouped)  # first-occurrence order


def test_terms_are_the_callers_to_keep():
    first = exact_terms("Banjir di Jakarta")
    first.append("x")
    assert exact_terms("Banjir di Jakarta") == ["banjir", "di", "jakarta"]
