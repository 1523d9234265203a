"""Spreadsheets read as record files (issue 19): every sheet, Excel's dates, the sheet a
user names, and workbooks that are not what their name says."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from index.build import build_index
from search.engine import Engine
from tests.helpers import run_warta

WIB = timezone(timedelta(hours=7))
HEAD = ["title", "source", "date", "time", "content", "url"]
BODY = (
    "Satresnarkoba Polres Anambas bersama Polres Tanjungpinang mengamankan dua orang yang "
    "diduga memasok sabu di Kepulauan Anambas. Keduanya kini ditahan untuk diperiksa."
)


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    _workbook(
        folder / "kompas.xlsx",
        {
            "kompas": [
                HEAD,
                # A real date cell and an Excel day fraction (0.90625 = 21:45).
                ["Pemasok Sabu Ditangkap", "Kompas.com", datetime(2019, 9, 14), 0.90625,
                 BODY, "https://regional.kompas.com/read/2019/09/14/2148/pemasok-sabu"],
                # An Excel serial that swapped day and month (43747 = 9 October): the
                # URL's 10 September settles it, as for CSV rows.
                ["Banjir Rendam Anambas", "Kompas.com", 43747, "21:48 WIB",
                 BODY.replace("sabu", "banjir"),
                 "https://regional.kompas.com/read/2019/09/10/2148/banjir-rendam"],
                [],  # an empty row between articles
                # A formula Excel never computed holds no text: the row has no body.
                ["Rumus", "Kompas.com", datetime(2019, 9, 15), "10:00", '=CONCAT("a","b")',
                 "https://regional.kompas.com/read/2019/09/15/1000/rumus"],
            ],
            "labels": [["title", "label"], ["Pemasok Sabu Ditangkap", "clickbait"]],
        },
    )  # fmt: skip
    return folder


def test_every_sheet_is_read_and_a_sheet_without_articles_is_reported(archive, tmp_path):
    report = build_index(archive, tmp_path / "ix")
    assert report.indexed == 2
    assert report.format_articles["xlsx"] == 2
    reasons = {(rel, reason.split(":")[0]) for rel, _, reason in report.bad_rows}
    assert ("kompas.xlsx#labels", "sheet passed over") in reasons
    assert ("kompas.xlsx#kompas", "no body") in reasons  # the formula row, by its number
    assert any(rel == "kompas.xlsx#kompas" and line == 5 for rel, line, _ in report.bad_rows)


def test_excel_dates_and_times_read_as_what_they_mean(archive, tmp_path):
    build_index(archive, tmp_path / "ix")
    engine = Engine(tmp_path / "ix")
    by_title = {a.title: a for a in engine.iter_articles()}
    assert by_title["Pemasok Sabu Ditangkap"].published == datetime(2019, 9, 14, 21, 45, tzinfo=WIB)
    assert by_title["Banjir Rendam Anambas"].published == datetime(2019, 9, 10, 21, 48, tzinfo=WIB)
    assert by_title["Banjir Rendam Anambas"].path == "kompas.xlsx#kompas#3"


def test_show_raw_prints_the_row_of_its_sheet(archive, tmp_path):
    build_index(archive, tmp_path / "ix")
    hit = Engine(tmp_path / "ix").search("banjir").hits[0]
    raw = run_warta("show", hit.id, "--raw", "--index", str(tmp_path / "ix"))
    assert raw.returncode == 0, raw.stderr
    assert "title: Banjir Rendam Anambas" in raw.stdout and "date: 43747" in raw.stdout


def test_sheet_picks_one_sheet_and_names_the_others_when_it_is_not_there(archive, tmp_path):
    report = build_index(archive, tmp_path / "ix", sheet="kompas")
    assert report.indexed == 2 and not any("labels" in rel for rel, _, _ in report.bad_rows)
    report = build_index(archive, tmp_path / "ix2", sheet="berita")
    assert report.skipped == [("kompas.xlsx", "no sheet named 'berita' (it has: kompas, labels)")]
    ran = run_warta("index", str(archive), "--index", str(tmp_path / "ix3"), "--sheet", "kompas")
    assert ran.returncode == 0 and "Indexed 2 articles" in ran.stdout


def test_a_workbook_that_is_not_one_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "renamed.xlsx").write_text("title,content\nA,B\n", encoding="utf-8")
    (folder / "page.xlsx").write_text("<html><body>bukan</body></html>", encoding="utf-8")
    _workbook(folder / "labels.xlsx", {"labels": [["title", "label"], ["A", "x"]]})
    report = build_index(folder, tmp_path / "ix")
    reasons = dict(report.skipped)
    assert reasons["renamed.xlsx"].startswith("not a readable spreadsheet")
    assert reasons["page.xlsx"].startswith("not a readable spreadsheet")
    assert reasons["labels.xlsx"].startswith("no sheet holds articles ('labels': no body column")


def test_a_sheet_formatted_to_its_last_row_is_left_after_a_long_empty_run(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = _workbook(
        folder / "long.xlsx",
        {"s": [HEAD, ["Banjir", "Kompas.com", "2019-09-10", "10:00", BODY, "https://k.com/a"]]},
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["s"]
    # A row far below, after a million empty ones: never reached (bounded reading).
    for i, value in enumerate(["Jauh", "Kompas.com", "2019-09-11", "", BODY, "https://k.com/b"]):
        ws.cell(row=1_000_000, column=i + 1, value=value)
    wb.save(path)
    report = build_index(folder, tmp_path / "ix")
    assert report.indexed == 1
