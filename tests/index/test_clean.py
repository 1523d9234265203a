"""Line judgements and boilerplate removal on small pages written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import clean
from index.clean import (
    clean_page,
    clean_paragraphs,
    compile_patterns,
    is_caption,
    is_foreign,
    is_prose,
    normalize_text,
)

PROSE = [
    "JAKARTA - Pemerintah menaikkan harga bahan bakar minyak mulai Senin pagi.",
    "Kenaikan itu diumumkan Menteri Energi dan Sumber Daya Mineral di Jakarta.",
    "“Kami tidak punya pilihan lain,” kata menteri kepada wartawan.",
]


def test_normalize_strips_controls_and_escapes() -> None:
    dirty = "a\x1b[1;31mb\x1b[0m\x1b]8;;http://x\x07c\x00d\x7fe\x85f\x9b2Jg\tz\r\nx\u200b"
    assert normalize_text(dirty) == "abcdefg\tz\nx"
    assert normalize_text("e\u0301") == "\u00e9"


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Advertisement . Scroll to see content",
        "SCROLL TO CONTINUE WITH CONTENT",
        "[iklan_1]",
        "Get iNews App with new looks!",
        "Nyaman tanpa iklan. Langganan BisnisPro",
        "Share:",
        "Aa Text",
        "Read Next : Profil Zohran Mamdani, dari Sosok Tak Dikenal",
        "Follow WhatsApp Channel iNews untuk update berita terbaru setiap hari! Follow",
        "Cek Berita dan Artikel yang lain di Google News dan WA Channel",
        "Baca juga: Harga Emas Naik Lagi Hari Ini",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    page = clean_page("\n".join([PROSE[0], line, *PROSE[1:]]))
    assert page.body == PROSE


@pytest.mark.parametrize(
    "heading", ["Baca Juga", "Berita Terkait", "Artikel Terkait", "Rekomendasi Kami"]
)
def test_related_heading_drops_its_teasers_but_not_the_story(heading: str) -> None:
    text = "\n".join(
        [
            PROSE[0],
            heading,
            "Harga Emas Antam Hari Ini Naik Lagi",
            "Apakah Harga BBM Akan Turun Tahun Depan?",
            PROSE[1],
            PROSE[2],
        ]
    )
    assert clean_page(text).body == PROSE


@pytest.mark.parametrize("widget", ["tulis komentar anda", "Komentar (0)", "Komentar"])
def test_comment_widget_ends_the_story(widget: str) -> None:
    teaser = "Seorang warga menemukan ular sanca sepanjang lima meter di dalam rumahnya kemarin."
    page = clean_page("\n".join([*PROSE, widget, teaser]))
    assert page.body == PROSE


def test_sign_off_ends_the_story_and_stays_metadata() -> None:
    promo = "Dapatkan informasi komprehensif di Contoh.com yang diolah secara mendalam untuk Anda."
    page = clean_page("\n".join([*PROSE, "Penulis : Budi Santoso", "(ian)", promo]))
    assert page.body == PROSE
    assert "Penulis : Budi Santoso" in page.footer and "(ian)" in page.footer


def test_trailing_sign_off_is_split_from_the_last_paragraph() -> None:
    page = clean_page("\n".join([*PROSE[:2], PROSE[2] + " (nov/ian)"]))
    assert page.body == PROSE
    assert "(nov/ian)" in page.footer


def test_headline_repeat_and_duplicates_are_dropped() -> None:
    headline = "Pemerintah Naikkan Harga BBM Mulai Senin"
    text = "\n".join([headline, "Senin, 01 Juli 2024 - 08:00 WIB", headline, *PROSE, *PROSE[1:]])
    page = clean_page(text)
    assert page.title == headline
    assert page.body == PROSE


def test_menu_lines_before_the_headline_are_not_body() -> None:
    text = "\n".join(["Beranda", "News", "Nasional", "Ekonomi", "Olahraga", *PROSE, "Indeks"])
    assert clean_page(text).body == PROSE


def test_captions_are_separated() -> None:
    caption = "Warga antre di SPBU Cikini, Jakarta, Senin pagi. (Foto: ANTARA/Budi)"
    credit = "Antrean kendaraan di SPBU pada Senin pagi./ ANTARA FOTO/Galih Pradipta"
    page = clean_page("\n".join([PROSE[0], caption, PROSE[1], credit, PROSE[2]]))
    assert page.body == PROSE
    assert page.captions == [caption, credit]


def test_standfirst_and_duplicated_caption_above_the_dateline_are_captions() -> None:
    headline = "Pemerintah Naikkan Harga BBM Mulai Senin"
    standfirst = "Harga BBM naik mulai pekan depan di seluruh Indonesia."
    text = "\n".join([headline, standfirst, standfirst, *PROSE])
    page = clean_page(text)
    assert page.body == PROSE
    assert page.captions == [standfirst]


def test_foreign_lines_are_not_body() -> None:
    vi = "Mỹ lo ngại về hợp tác quốc phòng giữa Triều Tiên và Nga, Hàn Quốc lo ngại"
    en = "The ministry said that the price of fuel will rise in the coming weeks for all drivers."
    assert clean_page("\n".join([PROSE[0], vi, PROSE[1], en, PROSE[2]])).body == PROSE


@pytest.mark.parametrize(
    ("line", "foreign"),
    [
        ("Mỹ lo ngại về hợp tác quốc phòng giữa Triều Tiên và Nga", True),
        ("Độc lập - Tự do - Hạnh phúc", True),
        ("Presiden Recep Tayyip Erdoğan bertemu Nguyễn Phú Trọng di Hanoi pada Senin.", False),
        ("Kim Jong Un mengatakan kepada Sergei Shoigu bahwa kerja sama akan berlanjut.", False),
        ("Menurut dia, the show must go on dan semua pihak harus bekerja keras.", False),
        ("The ministry said that the price of fuel will rise in the coming weeks.", True),
    ],
)
def test_is_foreign(line: str, foreign: bool) -> None:
    assert is_foreign(line) is foreign


@pytest.mark.parametrize(
    ("line", "prose"),
    [
        ("Kekhawatiran itu disampaikan Blinken di Seoul, Kamis (9/11/2023).", True),
        ("“Kami khawatir,” ucap juru bicara itu kepada wartawan.”", True),
        ("AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut", False),
        ("Seberapa modern helikopter antikapal selam Ka-28 yang berpartisipasi?", False),
        ("Get iNews App with new looks!", False),
        ("Apa alasannya? Menurut dia, harga minyak dunia terus naik!", True),
        ("No data.", False),
    ],
)
def test_is_prose(line: str, prose: bool) -> None:
    assert is_prose(line) is prose


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Menlu AS Antony Blinken (kiri) khawatir (Foto: Reuters)", True),
        ("Kim Jong Un pada 27 Juli 2023./ KCNA via REUTERS", True),
        ("Kim Jong Un di Pyongyang pada 26 Juli. (Sumber: KCNA)", True),
        ("Foto: Warga antre di SPBU", True),
        ("Blinken bertemu Park Jin di Seoul, Kamis (9/11/2023).", False),
        ("Harga naik dan/atau turun setiap pekan menurut data resmi.", False),
    ],
)
def test_is_caption(line: str, caption: bool) -> None:
    assert is_caption(line) is caption


def test_user_patterns_add_to_the_shipped_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    promo = "Dukung jurnalisme berkualitas dengan berlangganan hari ini juga."
    assert clean_page("\n".join([PROSE[0], promo])).body == [PROSE[0], promo]
    (tmp_path / "boilerplate.txt").write_text(
        "# my site\ndukung jurnalisme\\b.*\n[end] bagikan pendapat anda\n(broken\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WARTA_CONFIG", str(tmp_path))
    clean.reload_patterns()
    try:
        assert clean_page("\n".join([PROSE[0], promo])).body == [PROSE[0]]
        page = clean_page("\n".join([*PROSE[:2], "Bagikan pendapat Anda", PROSE[2]]))
        assert page.body == PROSE[:2]
        # The shipped patterns still apply.
        assert clean_page("\n".join([PROSE[0], "Aa Text", PROSE[1]])).body == PROSE[:2]
    finally:
        monkeypatch.delenv("WARTA_CONFIG")
        clean.reload_patterns()


def test_compiled_patterns_are_one_regex_with_kinds() -> None:
    rx = compile_patterns([clean.SHIPPED_PATTERNS])
    assert rx.fullmatch("Baca Juga").lastgroup == "related"
    assert rx.fullmatch("Komentar (0)").lastgroup == "end"
    assert rx.fullmatch("Advertisement").lastgroup == "drop"
    assert rx.fullmatch(PROSE[1]) is None


def test_clean_paragraphs_for_records() -> None:
    title = "Pemerintah Naikkan Harga BBM Mulai Senin"
    paras = [
        title,
        PROSE[0],
        "Advertisement",
        "Baca Juga",
        "Harga Emas Antam Hari Ini Naik Lagi",
        PROSE[1] + "\x1b[31m",
        "Warga antre di SPBU Cikini, Jakarta, Senin pagi. (Foto: ANTARA/Budi)",
        PROSE[1],
        "Mỹ lo ngại về hợp tác quốc phòng giữa Triều Tiên và Nga",
        PROSE[2],
    ]
    body, captions = clean_paragraphs(paras, title)
    assert body == PROSE
    assert captions == ["Warga antre di SPBU Cikini, Jakarta, Senin pagi. (Foto: ANTARA/Budi)"]


def test_a_short_sentence_with_a_date_is_kept_as_prose():
    from index.page import parse_text_page

    text = (
        "Blinken Bertemu Park Jin\n"
        "Kamis, 09 November 2023 - 20:27:00 WIB\n"
        "SEOUL - Menlu AS Antony Blinken bertemu mitranya dari Korea Selatan, Park Jin.\n"
        "Dia tiba di Seoul, Kamis (9/11/2023).\n"
        "Keduanya membahas kerja sama militer Rusia dan Korea Utara yang makin erat.\n"
    )
    article = parse_text_page(text, "x.txt")
    assert "Dia tiba di Seoul, Kamis (9/11/2023)." in article.body
    assert article.published is not None and article.published.hour == 20
