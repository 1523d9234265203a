"""Extraction on the shapes real pages print (issue 12): bylines, heads, times, records.

Every line here is copied in shape from real Indonesian news pages (detik, liputan6,
merdeka, okezone, kompas, fimela, beritasatu, jpnn, suara, media indonesia); the names and
headlines are the pages' own, the rest of each page is left out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from index.bylines import names_before_date, parse_byline
from index.clean import clean_page
from index.metadata import find_published, read_head, strip_site_suffix
from index.page import parse_text_page
from index.published import declares_time, reconcile
from index.record_fields import excel_serial, record_date, title_from_url, url_day

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("line", "names", "outlet"),
    [
        ("Retno Ayuningrum -detikFinance", ["Retno Ayuningrum"], "detik"),
        ("Putra Rusdi K - detikSport", ["Putra Rusdi K"], "detik"),
        ("Rizki Akbar Hasan, CNN Indonesia", ["Rizki Akbar Hasan"], "cnnindonesia"),
        ("Arnold H Sianturi / FMB", ["Arnold H Sianturi"], None),
        ("Oleh Johan Fatzry pada 26 Apr 2021, 07:00 WIB", ["Johan Fatzry"], None),
        ("By Silvanus Alvin", ["Silvanus Alvin"], None),
        ("Redaktur & Reporter : Boy", ["Boy"], None),
        ("Reporter : Ramadhian Fadillah | Jumat, 19 Juni 2015 03:40", ["Ramadhian Fadillah"], None),
        ("ARTIS | 17 Juni 2021 09:54 Reporter : Astri Agustina", ["Astri Agustina"], None),
        ("Laporan wartawan Tribunnews.com, Glery Lazuardi", ["Glery Lazuardi"], "tribunnews"),
        ("Tim detikBali", ["Tim detikBali"], "detik"),
    ],
)
def test_bylines_in_every_shape(line: str, names: list[str], outlet: str | None) -> None:
    found = parse_byline(line)
    assert found is not None and list(found.names) == names
    assert (found.outlet.key if found.outlet else None) == outlet


@pytest.mark.parametrize(
    "line",
    [
        "Layanan Bisnis",  # a menu item beside an outlet's name is no byline
        "Jokowi Resmikan Tol Baru",  # a bare name-shaped line needs the byline slot
        "Share on Google",
        "Editor kami sedang libur hari ini.",
        "Kompas.com",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_names_glued_to_a_date_but_not_a_place() -> None:
    assert names_before_date("Gayuh Tri Pinjungwati02 Jun 2020, 19:15 WIB") == [
        "Gayuh Tri Pinjungwati"
    ]
    assert names_before_date("Kota Bandung, 12 Juni 2023") == []
    assert names_before_date("Báo Quốc TếBáo Quốc Tế14/09/2023") == []


def test_the_byline_is_never_the_title() -> None:
    # fimela: a bare name between headline and date.
    header = [
        "Zodiak",
        "Prediksi Ramalan Zodiak Capricorn di Bulan Juni 2020",
        "Febi Anindya Kirana",
        "03 Jun 2020, 10:15 WIB",
    ]
    head = read_head(header)
    assert head.title == "Prediksi Ramalan Zodiak Capricorn di Bulan Juni 2020"
    assert head.names == ("Febi Anindya Kirana",)
    # detik: a byline with a desk the table does not know, over the date.
    header = [
        "Sepakbola Bola Dunia",
        "Susunan Pemain Maroko Vs Portugal: Ronaldo Cadangan Lagi",
        "Afif Farhan - Sepakbola",
        "Sabtu, 10 Des 2022 20:55 WIB",
    ]
    head = read_head(header)
    assert head.title == header[1] and head.names == ("Afif Farhan",)


def test_the_head_wins_over_widgets_and_profiles() -> None:
    header = [
        "J.G. Ballard Sastrawan Sabtu, 15 November 1930",
        "PROFIL BERITA",
        "Erry Ryana Hardjapamekas Tokoh Hukum",
        "Adhie M Massardi Aktivis",
        "MERDEKA.COM » PERISTIWA",
        "Kisah penjaga penjara Guantanamo yang beralih memeluk Islam",
        "Reporter : Ramadhian Fadillah | Jumat, 19 Juni 2015 03:40",
        "46",
    ]
    head = read_head(header)
    assert head.title == "Kisah penjaga penjara Guantanamo yang beralih memeluk Islam"
    published, _ = find_published(header, [], (), head.index)
    assert published == datetime(2015, 6, 19, 3, 40, tzinfo=WIB)
    header = [
        "Jum'at, 19 Juni 2015 - 11:58 wib",
        "Ahok Dukung Jokowi Diberi Pangkat Bintang Lima",
        "Fakhrizal Fakhri",
        "Jurnalis",
        "A A A",
    ]
    head = read_head(header)
    assert head.title == header[1] and head.names == ("Fakhrizal Fakhri",)


def test_the_dated_minute_beats_a_navigation_date() -> None:
    header = [
        "Kamis, 18 Juni 2015",  # the site's date bar
        "Supaya Timnya Mengalah, Eks Pelatih Mengaku Ditawari Rp 200 Juta",
        "Rabu, 17 Juni 2015 | 22:26 WIB",
    ]
    head = read_head(header)
    published, _ = find_published(header, [], (), head.index)
    assert published == datetime(2015, 6, 17, 22, 26, tzinfo=WIB)
    updated_only = ["Judul Berita Hari Ini", "Diperbarui 18 Jun 2025, 14:05 WIB"]
    published, _ = find_published(updated_only, [], (), 0)
    assert published == datetime(2025, 6, 18, 14, 5, tzinfo=WIB)


SITE_TITLES = [
    ("KapanLagi.com: Arif Edison Mengaku Jadi Korban", "Arif Edison Mengaku Jadi Korban", None),
    ("Harga Beras Naik di Pasar Induk - Kompas.com", "Harga Beras Naik di Pasar Induk", "kompas"),
    ("Eks Pelatih Ditawari Rp 200 Juta - Kompas.com Bola", "Eks Pelatih Ditawari Rp 200 Juta",
     "kompas"),
    ("Pemalsuan Tanda Tangan JK | Today Merdeka.com", "Pemalsuan Tanda Tangan JK", "merdeka"),
    ("FOTO: Kondisi Kapal Selam KRI Nanggala 402", "FOTO: Kondisi Kapal Selam KRI Nanggala 402",
     None),
]  # fmt: skip


@pytest.mark.parametrize(("title", "stripped", "outlet"), SITE_TITLES)
def test_site_names_leave_titles(title: str, stripped: str, outlet: str | None) -> None:
    got, found = strip_site_suffix(title)
    assert got == stripped
    if outlet:
        assert found is not None and found.key == outlet


def test_a_text_page_with_sidebars_byline_and_glued_dateline() -> None:
    page = "\n".join(
        [
            "Liputan6.com",
            "News Bisnis Bola",
            "Seharusnya DKPP lebih berani dalam memutus perkara.",  # a sidebar teaser
            "Home",
            "KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat",
            "Andhika Prasetyo",
            "22/10/2025 06:59",
            "A- A+",
            "Liputan6.com, JakartaKomisi Pemberantasan Korupsi (KPK) mengaku hingga saat ini "
            "belum menemukan surat keputusan resmi terkait pencabutan empat izin usaha.",
            "Padahal, pemerintah sudah mengumumkan pencabutan izin pada Juni 2025, kata Dian "
            "Patria kepada wartawan di Gedung Merah Putih KPK, Jakarta.",
            "Link successfully copied",
        ]
    )
    art = parse_text_page(page, "x.txt")
    assert art.title == "KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat"
    assert art.authors == ["Andhika Prasetyo"]
    assert art.published == datetime(2025, 10, 22, 6, 59, tzinfo=WIB)
    assert art.outlet == "liputan6" and art.dateline == "Jakarta"
    assert art.body[0].startswith("Liputan6.com, JakartaKomisi")
    assert all("copied" not in p for p in art.body)


def test_english_pages_keep_their_english_story() -> None:
    story = (
        "Police captured the white suspect on Thursday in a gun massacre at one of the "
        "oldest black churches in the United States, officials said."
    )
    page = "\n".join(
        [
            "World",
            "Suspect caught in US black",
            "church 'hate crime' rampage",
            "Fri, June 19 2015, 7:36 AM",
            story,
            story.replace("Thursday", "Friday"),
            story.replace("oldest", "largest"),
        ]
    )
    cleaned = clean_page(page)
    assert cleaned.title == "Suspect caught in US black church 'hate crime' rampage"
    assert len(cleaned.body) == 3


def test_markup_and_the_byline_reconciled() -> None:
    visible = datetime(2015, 6, 16, 14, 5, tzinfo=WIB)
    # detik: WIB wall time labelled Z.
    z = datetime(2015, 6, 16, 14, 5, 11, tzinfo=timezone.utc)
    assert reconcile(z, True, visible) == visible
    # merdeka: -07:00 for +07:00.
    minus = datetime(2021, 6, 17, 9, 54, 49, tzinfo=timezone(timedelta(hours=-7)))
    shown = datetime(2021, 6, 17, 9, 54, tzinfo=WIB)
    assert reconcile(minus, True, shown) == shown
    # a date without a time of day takes the byline's minute on the same day
    day = datetime(2015, 6, 16, tzinfo=WIB)
    assert reconcile(day, False, visible) == visible
    # agreeing or truly different: the markup's instant stands, shown in WIB not UTC
    utc = datetime(2015, 6, 16, 3, 0, tzinfo=timezone.utc)
    kept = reconcile(utc, True, visible)
    assert kept == utc and kept.utcoffset() == timedelta(hours=7)
    assert declares_time("2015-06-16T14-05-11Z") and not declares_time("2015-06-16")
    assert not declares_time("18 Jun 2015 at <span>06:25 WIB</span>")


def test_records_dates_from_split_and_excel_cells() -> None:
    url = "https://regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu-di-anambas"
    assert url_day(url) == date(2019, 9, 10)
    assert excel_serial("43747") == datetime(2019, 10, 9)
    # Excel read 10/09/2019 as October 9th: the URL puts day and month back.
    assert record_date("43747", "21:48 WIB", url) == datetime(2019, 9, 10, 21, 48, tzinfo=WIB)
    # okezone: serial date and a day-fraction time (0.96875 = 23:15)
    assert record_date("43721", "0.96875", None) == datetime(2019, 9, 13, 23, 15, tzinfo=WIB)
    # The same export's CSV conversion writes a small fraction in scientific notation:
    # 00:09 past midnight, not midnight (the workbook itself says 00:09).
    assert record_date("43722", "6.2499999999999995E-3", None) == datetime(
        2019, 9, 14, 0, 9, tzinfo=WIB
    )
    assert record_date("43722", "0", None) == datetime(2019, 9, 14, 0, 0, tzinfo=WIB)
    assert record_date("31 Juli 2019", "12:38", None) == datetime(2019, 7, 31, 12, 38, tzinfo=WIB)
    assert record_date("-", "-", url) == datetime(2019, 9, 10, tzinfo=WIB)
    assert record_date("-", "-", None) is None
    assert title_from_url(url) == "Diduga Pasok Sabu di Anambas"
    assert title_from_url("https://www.fimela.com/read/4058864/lewat-seni-anak-anak") == (
        "Lewat Seni Anak Anak"
    )
    assert title_from_url("https://www.wowkeren.com/berita/tampil/00276207.html") is None


def test_a_newsroom_outside_jakarta_keeps_its_zone() -> None:
    page = "\n".join(
        [
            "Forkopimda Mitra Koordinasikan Penanganan COVID-19 di Kebun Raya",
            "by Jenly Wenur",
            "Jumat, 9 Oktober 2020 14:58",
            "BeritaManado.com, Ratatotok - Rakor penanganan COVID-19 dan keamanan di kawasan "
            "Kebun Raya digelar bersama Forkopimda Minahasa Tenggara pada Jumat pagi.",
            "Rapat itu membahas pengamanan kawasan wisata yang ramai dikunjungi warga setiap "
            "akhir pekan selama masa pandemi.",
        ]
    )
    art = parse_text_page(page, "manado.txt")
    assert art.outlet == "beritamanado" and art.authors == ["Jenly Wenur"]
    assert art.published == datetime(2020, 10, 9, 14, 58, tzinfo=timezone(timedelta(hours=8)))
    assert art.published.utcoffset() == timedelta(hours=8)
    # a record of the same outlet: the cells name no zone, so the outlet's zone holds
    wita = timezone(timedelta(hours=8))
    assert record_date("09/10/2020", "14:58", None, wita) == datetime(
        2020, 10, 9, 14, 58, tzinfo=wita
    )
    assert record_date("09/10/2020", "14:58 WIB", None, wita).utcoffset() == timedelta(hours=7)


def test_breadcrumbs_are_no_headlines() -> None:
    header = ["Index Global »", "Brouhaha Over Bill to Weaken KPK Carries Hallmarks", "x"]
    assert read_head(header).title == header[1]
