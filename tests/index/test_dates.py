"""Indonesian date lines and body mentions."""

from __future__ import annotations

import pytest

from index.dates import find_body_mention, find_date, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Kamis, 09 November 2023 - 20:27:00 WIB", "2023-11-09T20:27:00+07:00"),
        ("09 November 2023 - 15:04 WIB", "2023-11-09T15:04:00+07:00"),
        ("14/09/2023", "2023-09-14T00:00:00+07:00"),
        ("Kompas.com - 18/06/2025, 21:35 WIB", "2025-06-18T21:35:00+07:00"),
        ("18 Juni 2025 | 20.04 WIB", "2025-06-18T20:04:00+07:00"),
        ("Rabu, 18 Jun 2025 07:30 WIB", "2025-06-18T07:30:00+07:00"),
        ("Diperbarui 18 Jun 2025, 14:05 WIB", "2025-06-18T14:05:00+07:00"),
        ("Jum'at, 01 Des 2023 09:15 wib", "2023-12-01T09:15:00+07:00"),
        ("Jumat, 1 Desember 2023 09:15 WITA", "2023-12-01T09:15:00+08:00"),
        ("Sabtu, 17 Agu 2024 10:00 WIT", "2024-08-17T10:00:00+09:00"),
        ("17 Ags 2024", "2024-08-17T00:00:00+07:00"),
        ("17 Agustus 2024 pukul 10.00", "2024-08-17T10:00:00+07:00"),
        ("Thursday, 09 November 2023 - 20:27 WIB", "2023-11-09T20:27:00+07:00"),
        ("November 9, 2023 8:27 PM", "2023-11-09T20:27:00+07:00"),
        ("Báo Quốc TếBáo Quốc Tế14/09/2023", "2023-09-14T00:00:00+07:00"),
        ("2023-11-09T20:27:00+07:00", "2023-11-09T20:27:00+07:00"),
        ("2023-11-09 13:27:00Z", "2023-11-09T13:27:00+00:00"),
    ],
)
def test_date_forms(text: str, iso: str) -> None:
    found = parse_date(text)
    assert found is not None
    assert found.isoformat() == iso


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2023",
        "30 Februari 2024",
        "25 Oktober",
        "Desa 12 2023",
        "tidak ada tanggal di sini",
        "",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_impossible_date_is_skipped_for_the_next_one() -> None:
    found = parse_date("30 Feb 2023 lalu 1 Mar 2023")
    assert found is not None and found.isoformat() == "2023-03-01T00:00:00+07:00"


def test_a_number_after_the_date_is_not_a_time() -> None:
    found = parse_date("Pada 25 Oktober 2023, 12.000 tentara dikerahkan")
    assert found is not None and found.isoformat() == "2023-10-25T00:00:00+07:00"


def test_find_date_reports_position_and_parts() -> None:
    found = find_date("Kompas.com - 18/06/2025, 21:35 WIB")
    assert found is not None
    assert (found.start, found.has_time, found.has_dayname) == (13, True, False)
    found = find_date("Kamis, 09 November 2023")
    assert found is not None and found.has_dayname and not found.has_time


def test_body_mention() -> None:
    paras = [
        "Tanpa tanggal di paragraf ini.",
        "Kekhawatiran itu diutarakan pada Senin (12/6/2023). Lalu Kamis (9/11/2023).",
    ]
    found = find_body_mention(paras)
    assert found is not None and found.isoformat() == "2023-06-12T00:00:00+07:00"
    found = find_body_mention(["Rapat digelar Jum'at (1/12/2023) malam."])
    assert found is not None and found.isoformat() == "2023-12-01T00:00:00+07:00"


def test_body_mention_needs_day_and_year() -> None:
    assert find_body_mention(["pada tanggal 25 Oktober", "pada (12/6/2023)"]) is None
    assert find_body_mention(["pada Senin (31/2/2023)"]) is None
