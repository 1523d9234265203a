"""Metadata finders and the outlet table."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import outlets
from index.metadata import (
    authors_in_line,
    find_outlet,
    find_published,
    is_date_line,
    pick_title,
    read_metadata,
    split_dateline,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("detik.com", "detik"),
        ("detikNews", "detik"),
        ("Detik", "detik"),
        ("https://news.detik.com/berita/d-123", "detik"),
        ("iNews.id", "inews"),
        ("inews", "inews"),
        ("KOMPAS.com", "kompas"),
        ("www.liputan6.com", "liputan6"),
        ("TEMPO.CO", "tempo"),
        ("REPUBLIKA.CO.ID", "republika"),
        ("CNN Indonesia", "cnnindonesia"),
        ("ANTARA", "antara"),
        ("kumparan", "kumparan"),
        ("Vietnam.vn", "vietnamvn"),
        ("SINDOnews", "sindonews"),
        ("Tribunnews.com", "tribunnews"),
        ("Okezone", "okezone"),
        ("Bisnis.com", "bisnis"),
    ],
)
def test_outlet_lookup(name: str, key: str) -> None:
    found = outlets.lookup(name)
    assert found is not None and found.key == key


def test_outlet_lookup_unknown_and_get() -> None:
    assert outlets.lookup("Reuters") is None
    assert outlets.lookup("") is None
    kompas = outlets.get("kompas")
    assert kompas is not None and kompas.name == "Kompas.com"
    keys = [o.key for o in outlets.all_outlets()]
    assert keys == sorted(keys) and {"inews", "bisnis", "detik", "juara", "goal"} <= set(keys)


def test_user_outlets_add_to_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "outlets.toml").write_text(
        '[warungberita]\nname = "Warung Berita"\ndomains = ["warungberita.id"]\n\n'
        '[detik]\naliases = ["detikSport"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WARTA_CONFIG", str(tmp_path))
    outlets.reload()
    try:
        found = outlets.lookup("https://warungberita.id/x")
        assert found is not None and found.name == "Warung Berita"
        detik = outlets.lookup("detikSport")
        assert detik is not None and detik.key == "detik" and detik.name == "detikNews"
        assert outlets.lookup("detik.com") == detik
    finally:
        monkeypatch.delenv("WARTA_CONFIG")
        outlets.reload()
    assert outlets.lookup("warungberita.id") is None


@pytest.mark.parametrize(
    ("para", "place", "outlet"),
    [
        ("SEOUL, iNews.id - Menteri Luar Negeri AS khawatir.", "SEOUL", "inews"),
        ("Bisnis.com, JAKARTA - Amerika Serikat mengecam.", "JAKARTA", "bisnis"),
        ("WASHINGTON DC, iNews.id – Amerika Serikat khawatir.", "WASHINGTON DC", "inews"),
        ("SEOUL - Menteri Luar Negeri Amerika Serikat mengatakan.", "SEOUL", None),
        ("Jakarta (ANTARA) - Presiden meresmikan jalan tol.", "Jakarta", "antara"),
        ("JAKARTA, KOMPAS.com - Harga beras naik.", "JAKARTA", "kompas"),
        ("Jakarta, CNN Indonesia -- Harga beras naik.", "Jakarta", "cnnindonesia"),
        ("REPUBLIKA.CO.ID, JAKARTA -- Harga beras naik.", "JAKARTA", "republika"),
    ],
)
def test_split_dateline(para: str, place: str, outlet: str | None) -> None:
    head = split_dateline(para)
    assert head is not None
    assert head.place == place
    assert (head.outlet.key if head.outlet else None) == outlet


@pytest.mark.parametrize(
    "para",
    [
        "Menurut dia - yang juga menteri - harga naik.",
        "Korut sedang bersiap meluncurkan satelit mata-mata setelah gagal dua kali.",
        "AS, Korsel dan Jepang mengecam - katanya - aliran senjata.",
        "Jakarta - Presiden meresmikan jalan tol.",  # place alone must be in capitals
    ],
)
def test_not_a_dateline(para: str) -> None:
    assert split_dateline(para) is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Penulis : Rendi Mahendra", ["Rendi Mahendra"]),
        ("Editor : Ahmad Islamy Jamil", ["Ahmad Islamy Jamil"]),
        ("Reporter: Budi, Sari dan Joko", ["Budi", "Sari", "Joko"]),
        ("Penulis: Ani | Editor: Bayu", ["Ani", "Bayu"]),
        ("(ian)", ["ian"]),
        ("(nov/ian)", ["nov/ian"]),
        ("(Foto)", []),
        ("Editor kami sedang libur hari ini.", []),
    ],
)
def test_authors_in_line(line: str, names: list[str]) -> None:
    assert authors_in_line(line) == names


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("Kamis, 09 November 2023 - 20:27:00 WIB", True),
        ("Báo Quốc TếBáo Quốc Tế14/09/2023", True),
        ("Kompas.com - 18/06/2025, 21:35 WIB", True),
        ("Diperbarui 18 Jun 2025, 14:05 WIB", True),
        ("18 Juni 2025", True),
        ("Gempa 5 Juli 2023 Guncang Bali dan Lombok", False),
        ("AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut", False),
    ],
)
def test_is_date_line(line: str, is_date: bool) -> None:
    assert is_date_line(line) is is_date


def test_find_published_prefers_the_first_date_line_over_updated() -> None:
    header = [
        "Judul Berita Hari Ini",
        "Diperbarui 18 Jun 2025, 14:05 WIB",
        "Rabu, 18 Jun 2025 07:30 WIB",
    ]
    published, estimated = find_published(header, [])
    assert published is not None and published.isoformat() == "2025-06-18T07:30:00+07:00"
    assert not estimated
    published, _ = find_published(header[:2], [])
    assert published is not None and published.isoformat() == "2025-06-18T14:05:00+07:00"


def test_find_published_from_body_is_estimated_and_never_invented() -> None:
    published, estimated = find_published([], ["Rapat digelar pada Senin (12/6/2023)."])
    assert published is not None and published.isoformat() == "2023-06-12T00:00:00+07:00"
    assert estimated
    assert find_published([], ["pada tanggal 25 Oktober yang lalu."]) == (None, False)


def test_pick_title() -> None:
    header = [
        "inews",
        "AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut",
        "Kamis, 09 November 2023 - 20:27:00 WIB",
        "AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut",
    ]
    assert pick_title(header) == header[1]
    repost = [
        "Home Amerika Serikat Featured Korea Utara Pilihan Ukraina",
        "AS Khawatir, Korut Terus Pasok Senjata ke Rusia - inews",
        "Korut Pasok Senjata: Apa Artinya bagi Perang Ukraina",
        "AS Khawatir, Korut Terus Pasok Senjata ke Rusia",
    ]
    assert pick_title(repost) == "AS Khawatir, Korut Terus Pasok Senjata ke Rusia"
    assert pick_title(["Kompas.com", "Beranda", "14/09/2023"]) is None


def test_find_outlet_needs_evidence_and_prefers_the_dateline() -> None:
    body = ["JAKARTA, KOMPAS.com - Harga beras naik di pasar induk."]
    found = find_outlet(["Berita Hari Ini - detikNews"], body, [], "Berita Hari Ini")
    assert found is not None and found.key == "kompas"
    found = find_outlet(
        ["Berita Hari Ini - detikNews"], ["Harga beras naik."], [], "Berita Hari Ini"
    )
    assert found is not None and found.key == "detik"
    # Prose that names outlets or the word "antara" is no evidence.
    prose = ["Harga naik antara 5 dan 10 persen, seperti dikutip dari Kompas.com kemarin."]
    assert find_outlet(["Judul Berita"], prose, [], "Judul Berita") is None


def test_read_metadata_uses_the_hint_only_without_evidence() -> None:
    body = ["SEOUL - Menteri Luar Negeri Amerika Serikat mengatakan bahwa ia prihatin."]
    meta = read_metadata(["Judul"], body, ["(ian)"], "Judul", outlet_hint="sindonews")
    assert meta.outlet is not None and meta.outlet.key == "sindonews"
    assert meta.dateline == "SEOUL" and meta.authors == ["ian"] and meta.words == 11
    meta = read_metadata(["Judul"], ["JAKARTA, KOMPAS.com - Harga naik."], [], "Judul", "detik")
    assert meta.outlet is not None and meta.outlet.key == "kompas"
