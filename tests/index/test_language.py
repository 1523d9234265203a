"""Language per article (issue 19): identified at build time, stored, a facet, a query
field and a filter; only Indonesian is stemmed. The texts are written for these tests."""

from pathlib import Path

import pytest

from index import language
from index.analysis import ANALYZER, EXACT_ANALYZER, Unstemmed
from index.build import build_index
from search.engine import Engine
from search.errors import QueryError
from search.filters import make_filters
from search.query import language_term
from tests.helpers import run_warta

INDONESIAN = (
    "Pemerintah Provinsi DKI Jakarta menyiapkan ratusan pompa air untuk mengantisipasi banjir "
    "pada musim hujan tahun ini. Kepala Dinas Sumber Daya Air mengatakan petugas akan "
    "disiagakan di setiap kelurahan yang rawan tergenang selama dua puluh empat jam."
)
ENGLISH = (
    "The Jakarta administration has prepared hundreds of water pumps ahead of the rainy "
    "season, officials said on Monday. The head of the water resources agency said crews "
    "would stand by around the clock in every flood-prone neighbourhood, and that a sister "
    "city partnership with Berlin had helped train the operators."
)
MALAY = (
    "Kerajaan akan memperkenalkan beberapa langkah baharu bagi membantu golongan "
    "berpendapatan rendah menghadapi kenaikan kos sara hidup, kata Perdana Menteri. Beliau "
    "berkata, kerajaan sedang meneliti cadangan daripada pelbagai kementerian sebelum "
    "sebarang keputusan dibuat, dan polis pula meminta orang ramai tidak membuat spekulasi."
)
JAVANESE = (
    "Bupati ngendika yen warga kudu tansah waspada marang bebaya banjir lahar. Para warga "
    "sing manggon ing pinggir kali dijaluk supaya enggal ngungsi menawa udan deres terus "
    "tumurun, lan wis ana atusan kulawarga sing ngungsi ing balai desa."
)


def test_each_language_is_named():
    assert language.identify("Pompa air disiagakan", [INDONESIAN]) == "id"
    assert language.identify("Jakarta readies pumps", [ENGLISH]) == "en"
    assert language.identify("Langkah baharu kos sara hidup", [MALAY]) == "ms"
    assert language.identify("Warga kudu waspada", [JAVANESE]) == "jv"


def test_a_text_too_short_to_tell_is_indonesian():
    assert language.identify("", []) == "id"
    assert language.identify("Foto", ["Dok. Humas"]) == "id"


class _Unsure:
    """An identifier that leans to Malay without being sure of it."""

    labels = ("id", "ms", "en")

    def classify(self, text: str) -> tuple[str, float]:
        return "ms", 0.6


def test_malay_must_be_sure_a_close_call_is_indonesian(monkeypatch):
    monkeypatch.setattr(language, "_identifier", _Unsure())
    assert language.identify("Judul", [INDONESIAN]) == "id"


def test_language_codes_are_checked():
    assert language.parse_codes("id, EN") == frozenset({"id", "en"})
    with pytest.raises(ValueError, match="unknown language code 'xx'"):
        language.parse_codes("id,xx")
    with pytest.raises(ValueError, match="no language named"):
        language.parse_codes(" , ")


def test_lang_query_values():
    assert language_term("EN").code == "en"
    assert language_term("inggris").code == "en"
    assert language_term("Melayu").code == "ms"
    with pytest.raises(QueryError, match="unknown language 'x1'"):
        language_term("x1")


def test_unstemmed_text_keeps_its_words():
    assert ANALYZER.terms("Berlin bermain") == ["lin", "main"]
    assert ANALYZER.terms(Unstemmed("Berlin bermain")) == ["berlin", "bermain"]
    assert ANALYZER.positions(Unstemmed("Berlin bermain")) == {"berlin": [0], "bermain": [1]}
    assert [t.text for t in ANALYZER(Unstemmed("Berlin"))] == ["berlin"]
    assert EXACT_ANALYZER.terms("Berlin") == ["berlin"]


def _page(title: str, body: str) -> str:
    return f"{title}\n\nSenin, 06 November 2023 10:00 WIB\n\n{body}\n"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "id.txt").write_text(_page("Ratusan Pompa Air Disiagakan Hadapi Banjir", INDONESIAN))
    (src / "en.txt").write_text(_page("Jakarta readies hundreds of pumps for floods", ENGLISH))
    (src / "ms.txt").write_text(_page("Langkah baharu bantu golongan berpendapatan rendah", MALAY))
    return src


def test_build_counts_languages_and_stems_only_indonesian(mixed, tmp_path):
    report = build_index(mixed, tmp_path / "ix")
    assert report.languages == {"id": 1, "en": 1, "ms": 1}
    with Engine(tmp_path / "ix") as engine:
        # "Berlin" is "lin" to Sastrawi: an English article keeps the word it wrote.
        found = engine.search("berlin")
        assert [h.language for h in found.hits] == ["en"]
        assert engine.search("lin").total == 0
        # English words are not turned into Indonesian stems ("pumps" stays "pumps").
        assert engine.search("pumps").total == 1
        # The stored text is the text, whatever was indexed.
        view = engine.article(found.hits[0].id)
        assert view.language == "en"
        assert view.body[0].startswith("The Jakarta administration")
        # Indonesian search is as before: "banjir" finds the Indonesian article by stem.
        assert [h.language for h in engine.search("kebanjiran").hits] == ["id"]
        assert engine.search("lang:ms").total == 1
        assert engine.search("jakarta lang:en").hits[0].language == "en"
        facets = engine.search("jakarta").facets
        assert facets.language == {"en": 1, "id": 1}
        only_en = engine.search("jakarta", filters=make_filters(languages=["english"]))
        assert [h.language for h in only_en.hits] == ["en"]
        assert only_en.facets.language == {"en": 1}
        # As a sidebar counts: the language facet lifts its own filter.
        sidebar = engine.search("jakarta", filters=make_filters(languages=["en"]), disjunctive=True)
        assert sidebar.total == 1
        assert sidebar.facets.language == {"en": 1, "id": 1}


def test_lang_option_indexes_only_the_languages_named(mixed, tmp_path):
    report = build_index(mixed, tmp_path / "ix", languages=frozenset({"id"}))
    assert report.indexed == 1
    assert report.language_skipped == {"en": 1, "ms": 1}
    ran = run_warta("index", str(mixed), "--index", str(tmp_path / "ix2"), "--lang", "id,en")
    assert ran.returncode == 0, ran.stderr
    line = next(x for x in ran.stdout.splitlines() if x.strip().startswith("languages:"))
    assert sorted(line.split(":", 1)[1].strip().split(", ")) == ["en 1", "id 1"]
    assert "left out (--lang): ms 1" in ran.stdout


def test_a_bad_lang_option_is_one_line_and_exit_2(mixed, tmp_path):
    ran = run_warta("index", str(mixed), "--index", str(tmp_path / "ix"), "--lang", "id,xx")
    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines() == [
        "warta: --lang: unknown language code 'xx' — give ISO 639-1 codes such as id, en, ms, jv"
    ]
    assert not (tmp_path / "ix").exists() or not any((tmp_path / "ix").glob("gen-*"))


def test_languages_are_named_in_batches_and_the_stream_keeps_its_order(tmp_path, monkeypatch):
    """The build reads articles ahead to name their languages together: every article
    still comes in its file's order, its file's end after it, and a record file longer
    than a batch is neither held whole nor cut into two files."""
    import orjson

    from index import build
    from index.build import BuildReport, _read_all
    from index.reading import ReadContext
    from index.sources import Skipped, discover

    monkeypatch.setattr(build, "LANGUAGE_BATCH", 4)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(_page("Pompa air disiagakan", INDONESIAN))
    rows = [{"title": f"Berita {n}", "text": INDONESIAN if n % 2 else ENGLISH} for n in range(9)]
    (src / "b.jsonl").write_bytes(b"\n".join(orjson.dumps(r) for r in rows))
    (src / "c.txt").write_text("")  # no article
    (src / "d.txt").write_text(_page("Langkah baharu", MALAY))
    named: list[int] = []
    identify = language.identify
    monkeypatch.setattr(language, "identify", lambda t, b: named.append(1) or identify(t, b))
    found = sorted((f for f in discover(src) if not isinstance(f, Skipped)), key=lambda f: f.rel)
    report = BuildReport(str(src), str(tmp_path / "ix"), "rebuild")
    stream = _read_all(found, ReadContext(), report)
    events = []
    for f, parsed in stream:
        if parsed is not None:
            # Named before it is handed over, and at most a batch was read ahead for it.
            assert parsed.article.language is not None
            assert len(named) - len([e for e in events if e[1]]) <= 4 + 1
        events.append((f.rel, parsed.article.language if parsed else None))
    assert events == [
        ("a.txt", "id"),
        ("a.txt", None),
        *[("b.jsonl", "id" if n % 2 else "en") for n in range(9)],
        ("b.jsonl", None),
        ("c.txt", None),
        ("d.txt", "ms"),
        ("d.txt", None),
    ]
    assert len(named) == 11
