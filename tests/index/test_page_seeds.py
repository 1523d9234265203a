"""The five real seed pages, parsed end to end into Articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.article import Article, article_id
from index.errors import SkipFile
from index.page import parse_text_page

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NAMES = {
    "000": "000_cdbdf95fd593b164.txt",
    "001": "001_be7c9fe0555141bb.txt",
    "002": "002_5a3c5d81fc76b85b.txt",
    "003": "003_5718ed46a52a3cac.txt",
    "004": "004_d72102ca8306deaf.txt",
}

BOILERPLATE = [
    "Advertisement",
    "Scroll to see content",
    "SCROLL TO CONTINUE WITH CONTENT",
    "[iklan",
    "Get iNews App",
    "Nyaman tanpa iklan",
    "Langganan BisnisPro",
    "Share:",
    "Aa Text",
    "Read Next",
    "Baca Juga",
    "Berita Terkait",
    "Artikel Terkait",
    "Rekomendasi Kami",
    "Follow WhatsApp Channel",
    "Follow Berita iNews",
    "Google News",
    "tulis komentar anda",
    "Komentar",
    "Penulis :",
    "Editor :",
    "Konten Premium",
    "Silakan login",
    "Scan QR Code",
    "Kami membuka kesempatan",
    "iNews Network",
    "16.000 Lansia Korsel",
    "Profil Zohran Mamdani",
    "Seberapa modern helikopter",
    "Dalam kategori yang sama",
    "Home Amerika Serikat",
    "powered by",
    "Additional JS",
    "No data",
    "(ian)",
]


def parse(key: str, hint: str | None = None) -> Article:
    name = NAMES[key]
    text = (SEEDS / name).read_text(encoding="utf-8")
    return parse_text_page(text, f"seeds/{name}", hint)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    return {key: parse(key) for key in NAMES}


EXPECTED = {
    "000": dict(
        title="AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut",
        outlet="inews",
        outlet_name="iNews.id",
        published="2023-11-09T20:27:00+07:00",
        published_estimated=False,
        authors=[],
        dateline="SEOUL",
        first="SEOUL, iNews.id - Menteri Luar Negeri (Menlu) Amerika Serikat Antony Blinken",
        last="“Ini merupakan kekhawatiran nyata terhadap keamanan Semenanjung Korea",
        paragraphs=7,
    ),
    "001": dict(
        title="Hubungan Militer Rusia-Korea Utara Mesra, Blinken Prihatin",
        outlet=None,
        outlet_name=None,
        published="2023-11-09T15:04:00+07:00",
        published_estimated=False,
        authors=["ian"],
        dateline="SEOUL",
        first="SEOUL - Menteri Luar Negeri Amerika Serikat (AS) Antony Blinken mengatakan",
        last="Kunjungan dua hari Blinken ke Korsel adalah yang pertama",
        paragraphs=10,
    ),
    "002": dict(
        title="AS, Jepang, dan Korsel Mengutuk Penyediaan Senjata dari Korea Utara ke Rusia",
        outlet="bisnis",
        outlet_name="Bisnis.com",
        published=None,
        published_estimated=False,
        authors=["Rendi Mahendra"],
        dateline="JAKARTA",
        first="Bisnis.com, JAKARTA - Amerika Serikat, Jepang, dan Korea Selatan mengeluarkan",
        last="Rusia melakukan uji coba serangan nuklir balasan skala besar pada 25 Oktober",
        paragraphs=8,
    ),
    "003": dict(
        title="AS Khawatir, Korut Terus Pasok Senjata ke Rusia untuk Perangi Ukraina",
        outlet="inews",
        outlet_name="iNews.id",
        published="2023-06-12T00:00:00+07:00",
        published_estimated=True,
        authors=["Ahmad Islamy Jamil"],
        dateline="WASHINGTON DC",
        first="WASHINGTON DC, iNews.id – Amerika Serikat khawatir Korea Utara berencana",
        last="Pada Maret lalu, Amerika Serikat mengklaim mendapat informasi baru",
        paragraphs=7,
    ),
    "004": dict(
        title=(
            "Rusia-Korea Utara perkuat kerja sama pertahanan pasca KTT, "
            'AS-Korea Selatan "duduk di atas bara api"'
        ),
        outlet="vietnamvn",
        outlet_name="Vietnam.vn",
        published="2023-09-14T00:00:00+07:00",
        published_estimated=False,
        authors=[],
        dateline=None,
        first="Amerika Serikat dan Korea Selatan telah menyatakan keprihatinannya",
        last="Moskow dan Pyongyang belum merilis rincian pertemuan antara kedua pemimpin",
        paragraphs=9,
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_metadata_of_each_seed(seeds: dict[str, Article], key: str) -> None:
    art, exp = seeds[key], EXPECTED[key]
    data = art.to_dict()
    for field in ("title", "outlet", "outlet_name", "published", "published_estimated"):
        assert data[field] == exp[field], field
    assert art.authors == exp["authors"]
    assert art.dateline == exp["dateline"]
    assert art.id == article_id(f"seeds/{NAMES[key]}")
    assert art.path == f"seeds/{NAMES[key]}"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_first_and_last_paragraph(seeds: dict[str, Article], key: str) -> None:
    art, exp = seeds[key], EXPECTED[key]
    assert art.body[0].startswith(exp["first"])
    assert art.body[-1].startswith(exp["last"])
    assert len(art.body) == exp["paragraphs"]
    assert art.words == sum(len(p.split()) for p in art.body) > 150


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_no_boilerplate_in_body(seeds: dict[str, Article], key: str) -> None:
    art = seeds[key]
    for para in art.body:
        for junk in BOILERPLATE:
            assert junk.casefold() not in para.casefold(), (junk, para)
        assert para.casefold() != art.title.casefold()


def test_001_body_is_not_doubled(seeds: dict[str, Article]) -> None:
    body = seeds["001"].body
    assert len(body) == len(set(body))
    assert sum(p.startswith("Blinken dan Park juga mengatakan") for p in body) == 1
    assert body[-1].endswith("Dia berada di Timur Tengah sebelum Jepang.")


def test_004_vietnamese_caption_not_in_body(seeds: dict[str, Article]) -> None:
    art = seeds["004"]
    assert not any("Mỹ" in p or "lo ngại" in p for p in art.body + art.captions)
    assert not any("Việt" in p for p in art.body)


def test_captions_are_extracted(seeds: dict[str, Article]) -> None:
    assert seeds["000"].captions == [
        "Menlu AS Antony Blinken (kiri) khawatir dengan kerja sama militer Rusia dan Korea "
        "Utara (Foto: Reuters)"
    ]
    caps_002 = seeds["002"].captions
    assert len(caps_002) == 2 and caps_002[1].endswith("/ KCNA via REUTERS")
    assert seeds["003"].captions == [
        "Korut pernah membantah laporan yang menyebut Pyongyang menawarkan amunisi ke Rusia."
    ]
    assert len(seeds["004"].captions) == 1
    assert seeds["004"].captions[0].endswith("(Sumber: KCNA)")
    for art in seeds.values():
        for cap in art.captions:
            assert cap not in art.body


def test_003_keeps_paragraphs_after_the_first_editor_line(seeds: dict[str, Article]) -> None:
    body = seeds["003"].body
    assert any(p.startswith("Korut memang berusaha untuk menjalin") for p in body)
    assert not any("16.000 Lansia" in p for p in body)


def test_outlet_hint_names_pages_without_evidence() -> None:
    assert parse("001", hint="sindonews").outlet == "sindonews"
    assert parse("001", hint="sindonews").outlet_name == "SINDOnews"
    # The page's own evidence wins over the hint.
    assert parse("000", hint="kompas").outlet == "inews"
    assert parse("001", hint="no-such-outlet").outlet is None


def test_control_characters_and_escapes_removed() -> None:
    text = (SEEDS / NAMES["000"]).read_text(encoding="utf-8")
    dirty = text.replace("SEOUL, iNews.id", "\x1b[31mSEOUL\x1b[0m, iNews.id\x07\x9b2J\x85")
    dirty = dirty.replace("Blinken khawatir", "Blinken\x00 khawa\u0301tir\x1b]0;pwned\x07")
    art = parse_text_page(dirty, "dirty.txt")
    joined = "\n".join([art.title, *art.body, *art.captions])
    assert not any(ord(c) < 32 and c not in "\n\t" for c in joined)
    assert not any(0x7F <= ord(c) < 0xA0 for c in joined)
    assert "pwned" not in joined
    assert art.body[0].startswith("SEOUL, iNews.id - Menteri")
    assert "khawátir" in art.body[0]  # a + combining acute composed to one character (NFC)


def test_navigation_page_is_skipped() -> None:
    nav = "\n".join(
        [
            "Beranda",
            "News",
            "Nasional",
            "Internasional",
            "Ekonomi",
            "Olahraga",
            "Berita Terpopuler",
            "Baca Juga",
            "Harga Emas Antam Hari Ini Naik Lagi",
            "Jadwal Liga Inggris Pekan Ini",
            "Advertisement",
            "Komentar (0)",
            "© 2024 Contoh Media. All rights reserved.",
        ]
    )
    with pytest.raises(SkipFile) as err:
        parse_text_page(nav, "nav.txt")
    assert err.value.reason == "no article body"


def test_crlf_and_bom_page(seeds: dict[str, Article]) -> None:
    text = (SEEDS / NAMES["002"]).read_text(encoding="utf-8")
    art = parse_text_page("\ufeff" + text.replace("\n", "\r\n"), "crlf.txt")
    assert art.body == seeds["002"].body
    assert art.title == seeds["002"].title
