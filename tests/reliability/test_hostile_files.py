"""Hostile and broken inputs (issue 14): each file and each row is its own failure
domain, and nothing a folder holds can hang or end a build."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from index import budget
from index.build import build_index
from index.errors import SkipFile
from index.sources import Found, discover, read_bytes
from tests.helpers import SEEDS, run_warta

STORY = (
    "JAKARTA - Pemerintah mengumumkan kebijakan baru tentang harga beras di pasar induk "
    "pada Senin pagi, kata menteri kepada wartawan."
)


def _found(path: Path, root: Path) -> Found:
    return next(f for f in discover(root) if isinstance(f, Found) and f.path == path)


def test_deeply_nested_json_is_a_bad_row_not_the_end(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"judul": "Harga Beras Naik di Pasar Induk", "isi": STORY})
    (src / "rows.jsonl").write_text(f"{good}\n{deep}\n{good.replace('Naik', 'Turun')}\n")
    huge_date = json.dumps({"judul": "Tanggal Rusak di Baris Ini", "isi": STORY, "date": 10**400})
    (src / "dates.jsonl").write_text(huge_date + "\n")
    ld = '{"@type": "NewsArticle", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (src / "page.html").write_text(
        f'<html><head><script type="application/ld+json">{ld}</script>'
        f"<title>Harga Beras Naik</title></head><body><article><h1>Harga Beras Naik</h1>"
        f"<p>{STORY}</p><p>{STORY.replace('Senin', 'Selasa')}</p></article></body></html>"
    )
    report = build_index(src, tmp_path / "ix")
    assert report.indexed == 4, report.to_dict()
    assert [(line, reason) for _, line, reason in report.bad_rows] == [(2, "malformed JSON")]
    assert report.skipped == []


def test_a_fifo_or_device_is_refused_at_once(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    page = src / "page.txt"
    page.write_text(f"Judul Berita\n{STORY}\n")
    found = _found(page, src)
    page.unlink()
    os.mkfifo(page)  # replaced after the folder was listed
    started = time.monotonic()
    with pytest.raises(SkipFile, match="not a regular file"):
        read_bytes(found)
    assert time.monotonic() - started < 2


@pytest.mark.skipif(sys.platform != "linux", reason="names that are not UTF-8 are a POSIX matter")
def test_a_file_name_that_is_not_utf8_is_indexed_or_skipped(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    name = os.fsencode(str(src)) + b"/berita-\xff\xfe.txt"
    with open(name, "wb") as fh:
        fh.write(f"Harga Beras Naik di Pasar Induk\n{STORY}\n".encode())
    shutil.copy(SEEDS / "000_cdbdf95fd593b164.txt", src / "seed.txt")
    run = run_warta("index", str(src), "--index", str(tmp_path / "ix"))
    assert run.returncode == 0, run.stderr
    assert "\udcff" not in run.stdout and "\xff" not in run.stdout
    shown = run_warta("search", "beras", "--index", str(tmp_path / "ix"))
    assert shown.returncode == 0 and "\udcff" not in shown.stdout


def test_show_raw_of_a_source_turned_fifo_fails_in_one_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    ix = str(tmp_path / "ix")
    assert run_warta("index", str(src), "--index", ix).returncode == 0
    hit = json.loads(
        run_warta("search", "--index", ix, "--json", "--limit", "1").stdout.split("\n")[0]
    )
    path = src / hit["path"]
    path.unlink()
    os.mkfifo(path)
    started = time.monotonic()
    run = run_warta("show", hit["id"], "--raw", "--index", ix)
    assert run.returncode != 0 and run.stderr.count("\n") == 1
    assert "not a regular file" in run.stderr and time.monotonic() - started < 5


def test_names_and_reasons_cannot_drive_the_terminal(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    evil = "x\x1b]52;c;aGVsbG8=\x07\x1b[2J\u202egnp.txt\nforged line: ok"
    (src / evil).write_text(f"Harga Beras Naik di Pasar Induk Jakarta\n{STORY}\n")
    (src / "cols\x1b[31m.csv").write_text("a\x1b[2J,b\n1,2\n")
    ix = str(tmp_path / "ix")
    run = run_warta("index", str(src), "--index", ix)
    assert run.returncode == 0, run.stderr
    for out in (run.stdout, run_warta("search", "beras", "--index", ix).stdout):
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
        assert "forged line" not in out.splitlines()[0] if out else True
    assert not any(line.startswith("forged line") for line in run.stdout.splitlines())


def test_a_query_nested_too_deeply_is_one_line(tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    assert run_warta("index", str(SEEDS), "--index", ix).returncode == 0
    run = run_warta("search", "(" * 248 + "rudal" + ")" * 248, "--index", ix)
    assert run.returncode == 2 and "nested too deeply" in run.stderr
    assert run.stderr.count("\n") == 1
    multi = run_warta("search", '"rudal\nkorut', "--index", ix)
    assert multi.returncode == 2 and multi.stderr.count("\n") == 1


def test_a_record_past_5_mib_is_a_bad_row_read_in_bounded_memory(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    good = json.dumps({"judul": "Harga Beras Naik di Pasar Induk", "isi": STORY})
    huge = json.dumps({"judul": "Terlalu Besar", "isi": "kata " * 1_300_000})
    (src / "rows.jsonl").write_text(f"{good}\n{huge}\n{good.replace('Naik', 'Turun')}\n")
    (src / "rows.csv").write_text(
        f'judul,isi\n"Ekspor Batu Bara Turun","{STORY}"\n"Besar","{"kata " * 1_300_000}"\n'
    )
    report = build_index(src, tmp_path / "ix")
    reasons = {(rel, reason.split(" (")[0]) for rel, _, reason in report.bad_rows}
    assert ("rows.jsonl", "line larger than 5 MiB") in reasons
    assert any(rel == "rows.csv" and "malformed CSV" in r for rel, r in reasons)
    assert report.indexed == 3


def test_a_page_nested_too_deeply_is_skipped_at_once(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "deep.html").write_text("<html><body>" + "<div>" * 400_000 + "</body></html>")
    wide = "".join(f"<div><p>{STORY} {n}</p></div>" for n in range(3000))  # many, not deep
    (src / "wide.html").write_text(
        f"<html><head><title>Harga Beras Naik</title></head><body>{wide}</body></html>"
    )
    started = time.monotonic()
    report = build_index(src, tmp_path / "ix")
    assert time.monotonic() - started < 20
    assert report.skipped == [("deep.html", "nested more than 5,000 elements deep")]
    assert report.indexed == 1


def test_update_keeps_the_newer_copy_of_a_url_as_a_rebuild_does(tmp_path: Path) -> None:
    """A URL already in the index seen again by --update: the newer copy replaces the
    older, an older copy is left out (issue 14: --update kept both)."""
    from search.engine import Engine

    src, ix = tmp_path / "src", tmp_path / "ix"
    src.mkdir()

    def row(title: str, hour: int, extra: str = "") -> str:
        return json.dumps(
            {
                "judul": title,
                "isi": STORY + extra,
                "tanggal": f"2023-11-09T{hour:02d}:00:00+07:00",
                "url": "https://news.example.com/2023/11/09/harga-beras",
            }
        )

    (src / "day1.jsonl").write_text(row("Harga Beras Naik Pagi Ini", 8) + "\n")
    build_index(src, ix)
    (src / "day2.jsonl").write_text(row("Harga Beras Naik Siang Ini", 10, " Diperbarui.") + "\n")
    report = build_index(src, ix, update=True)
    titles = [a.title for a in Engine(ix).iter_articles()]
    assert titles == ["Harga Beras Naik Siang Ini"], titles
    assert report.removed == 1
    (src / "day0.jsonl").write_text(row("Harga Beras Naik Subuh", 5, " Lama.") + "\n")
    build_index(src, ix, update=True)
    assert [a.title for a in Engine(ix).iter_articles()] == ["Harga Beras Naik Siang Ini"]


def test_a_page_slower_than_its_budget_is_skipped_and_the_build_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page no cap foresees can still be slow; a long real page read under a budget far
    # too small for it stands in for one, so the budget, not the page, is what is tested.
    src = tmp_path / "src"
    src.mkdir()
    seed = (SEEDS / "000_cdbdf95fd593b164.txt").read_text()
    head, _, body = seed.partition("\n\n")
    (src / "long.txt").write_text(head + "\n\n" + "\n\n".join([body] * 1500))
    shutil.copy(SEEDS / "001_be7c9fe0555141bb.txt", src / "short.txt")
    monkeypatch.setattr(budget, "PAGE_SECONDS", 0.05)
    report = build_index(src, tmp_path / "ix")
    assert report.skipped == [("long.txt", "took more than 0.05 s to read")]
    assert report.indexed == 1


def test_a_record_slower_than_its_budget_is_a_bad_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    rows = [{"judul": f"Harga Beras Naik {n}", "isi": STORY} for n in range(3)]
    rows[1]["isi"] = STORY * 20000
    (src / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.setattr(budget, "PAGE_SECONDS", 0.05)
    report = build_index(src, tmp_path / "ix")
    assert [(rel, line, reason) for rel, line, reason in report.bad_rows] == [
        ("rows.jsonl", 2, "took more than 0.05 s to read")
    ]
    assert report.indexed == 2
