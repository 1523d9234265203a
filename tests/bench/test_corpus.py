"""Smoke tests of the benchmark corpus: the pages must look like seeds/, the run must be
reproducible, and grown articles must be made of real text of their own outlet, or the
benchmark measures something other than an archive."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from bench import corpus
from bench.corpus import (
    MONTHS,
    MONTHS_SHORT,
    WIB,
    detokenize,
    format_date,
    headline,
    load_indosum,
    write_corpus,
)

N_DOCS = 50
N_REAL = 20  # the rest are grown, so both kinds are checked


@pytest.fixture(scope="module")
def records():
    folder = corpus._indosum_dir(None)
    if not any(folder.glob("*.jsonl")):
        pytest.skip(f"IndoSum not found at {folder} (set WARTA_INDOSUM)")
    return load_indosum()


@pytest.fixture(scope="module")
def generated(records, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    truth = write_corpus(out, N_DOCS, seed=7, records=records, real=N_REAL)
    return out, truth


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.txt"))}


# --------------------------------------------------------------------------- loading


def test_load_indosum_dedups_folds(records):
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
    assert 3400 <= len(ids) <= 3463  # 3,743 lines across five overlapping folds
    assert all(r.summary and r.paragraphs and r.title for r in records)
    assert {r.outlet for r in records} >= {"cnnindonesia", "kumparan", "antara", "suara"}


def test_detokenized_text_reads_like_a_page(records):
    text = "\n".join(p for r in records for p in r.paragraphs)
    assert " ," not in text and " )" not in text and "( " not in text
    assert "Jakarta, CNN Indonesia -- " in text
    assert re.search(r"\(\d{1,2}/\d{1,2}\)", text)  # "(27/3)"


# --------------------------------------------------------------------------- writing


def test_writes_n_files_under_outlet_folders(generated):
    out, truth = generated
    files = _files(out)
    assert len(files) == N_DOCS == len(truth)
    assert sorted(files) == sorted(a.path for a in truth)
    for art in truth:
        assert art.path == f"{art.outlet}/{art.id}.txt"
    assert sum(a.grown for a in truth) == N_DOCS - N_REAL


def test_same_seed_same_bytes(records, generated, tmp_path):
    out, _ = generated
    again = write_corpus(tmp_path / "again", N_DOCS, seed=7, records=records, real=N_REAL)
    assert _files(tmp_path / "again") == _files(out)
    assert len(again) == N_DOCS
    write_corpus(tmp_path / "other", N_DOCS, seed=8, records=records, real=N_REAL)
    assert _files(tmp_path / "other") != _files(out)


_DATE = re.compile(
    r"(?:(?P<d>\d{1,2}) (?P<mon>[A-Z][a-z]+) (?P<y>\d{4})"
    r"|(?P<nd>\d{2})/(?P<nm>\d{2})/(?P<ny>\d{4}))"
    r".*\b\d{2}:\d{2}(?::\d{2})? WIB$"
)


def _date_of(line: str) -> tuple[int, int, int] | None:
    m = _DATE.search(line)
    if not m:
        return None
    if m["d"]:
        names = [x.lower() for x in MONTHS]
        short = [x.lower() for x in MONTHS_SHORT]
        mon = m["mon"].lower()
        month = names.index(mon) + 1 if mon in names else short.index(mon) + 1
        return int(m["y"]), month, int(m["d"])
    return int(m["ny"]), int(m["nm"]), int(m["nd"])


def test_pages_carry_headline_date_outlet_and_body(generated):
    out, truth = generated
    for art in truth:
        page = (out / art.path).read_text(encoding="utf-8")
        lines = page.splitlines()
        assert art.title in lines, art.path
        dates = [d for line in lines if (d := _date_of(line))]
        pub = art.published.astimezone(WIB)
        assert dates == [(pub.year, pub.month, pub.day)], art.path
        assert any(art.outlet_name in line for line in lines), art.path
        for para in art.body:
            assert para in lines, (art.path, para[:60])
        # the body is most of the page; boilerplate stays a few short lines
        body_chars = sum(len(p) for p in art.body)
        assert body_chars > 0.6 * len(page), art.path


def test_boilerplate_seen_in_seeds_appears(generated):
    out, _ = generated
    text = "\n".join(_files(out)[k].decode() for k in _files(out))
    for marker in ("Advertisement", "Share:", "Baca Juga", "Editor : ", "Follow WhatsApp Channel"):
        assert marker in text, marker


def test_grown_articles_reuse_real_paragraphs_of_their_outlet(records, generated):
    _, truth = generated
    by_outlet: dict[str, set[str]] = defaultdict(set)
    outlet_of = {}
    for r in records:
        by_outlet[r.outlet].update(r.paragraphs)
        outlet_of[r.id] = r.outlet
    real_ids = {r.id for r in records}
    grown = [a for a in truth if a.grown]
    assert grown
    for art in grown:
        assert art.id not in real_ids
        for para in art.body:
            assert para in by_outlet[art.outlet], (art.id, para[:60])
        assert {outlet_of[s] for s in art.sources} == {art.outlet}
    # recombined, not copied: most grown articles draw on more than one real article
    assert sum(len(a.sources) > 1 for a in grown) > len(grown) // 2
    lo = min(r.published for r in records)
    hi = max(r.published for r in records)
    assert all(lo <= a.published <= hi for a in grown)


def test_real_articles_are_unchanged(records, generated):
    _, truth = generated
    by_id = {r.id: r for r in records}
    for art in truth:
        if not art.grown:
            rec = by_id[art.id]
            assert art.body == rec.paragraphs and art.published == rec.published


def test_cli_writes_and_reports(records, tmp_path, capsys):
    manifest = tmp_path / "truth.jsonl"
    assert corpus.main([str(tmp_path / "c"), "--docs", "5", "--manifest", str(manifest)]) == 0
    assert len(list((tmp_path / "c").rglob("*.txt"))) == 5
    assert len(manifest.read_text().splitlines()) == 5
    assert "wrote 5 articles" in capsys.readouterr().out


# --------------------------------------------------------------------------- pieces


def _t(text: str) -> list[str]:
    """IndoSum-style tokens from a space-separated string."""
    return text.split()


@pytest.mark.parametrize(
    ("tokens", "dateline", "expected"),
    [
        (
            _t('" Tidak hanya tarif . Kan bisa , " ucap Zulkifli , Senin ( 27 / 3 ) .'),
            False,
            '"Tidak hanya tarif. Kan bisa," ucap Zulkifli, Senin (27/3).',
        ),
        (
            ["Go", "-", "Jek", "menang", "3", "-", "0", "dan", "bentrokan", "-", "bentrokan"],
            False,
            "Go-Jek menang 3-0 dan bentrokan-bentrokan",
        ),
        (
            ["Jakarta", ",", "CNN", "Indonesia", "-", "-", "Bali", "lagi-lagi", "."],
            True,
            "Jakarta, CNN Indonesia -- Bali lagi-lagi.",
        ),
        (
            ["Merdeka.com", "-", "Hari", "-", "hari", "suram", "."],
            True,
            "Merdeka.com - Hari-hari suram.",
        ),
        (
            ["Wamena", "(", "ANTARA", "News", ")", "-", "Pemerintah", "Kabupaten"],
            True,
            "Wamena (ANTARA News) - Pemerintah Kabupaten",
        ),
        (
            ["“", "Kami", "khawatir", ",", "”", "kata", "dia", "."],
            False,
            "“Kami khawatir,” kata dia.",
        ),
        (["GoToMalls", "\xa0", "mengklaim", "\n"], False, "GoToMalls mengklaim"),
        (["It", "'s", "Seminyak", "(", "Heri", "31", "'", ")"], False, "It's Seminyak (Heri 31')"),
    ],
)
def test_detokenize(tokens, dateline, expected):
    assert detokenize(tokens, dateline=dateline) == expected


def test_headline_title_cases_like_an_outlet():
    words = ["ketua", "mpr", "mustahil", "transportasi", "dan", "online", "bersaing"]
    assert headline(words, {"mpr": "MPR"}) == "Ketua MPR Mustahil Transportasi dan Online Bersaing"
    words = ["persib", "menang", "3", "0", "dari", "go", "jek", "masing", "masing"]
    assert headline(words, {}, {("go", "jek")}) == "Persib Menang 3-0 dari Go-Jek Masing-Masing"


def test_format_date_styles():
    dt = datetime(2023, 11, 9, 20, 27, 5, tzinfo=WIB)
    assert format_date(dt, "long_dash") == "Kamis, 09 November 2023 - 20:27 WIB"
    assert format_date(dt, "long_dash_sec") == "Kamis, 09 November 2023 - 20:27:05 WIB"
    assert format_date(dt, "short") == "Kamis, 09 Nov 2023 20:27 WIB"
    assert format_date(dt, "numeric") == "09/11/2023, 20:27 WIB"
    assert format_date(dt, "plain") == "Kamis, 9 November 2023 20:27 WIB"
    # the timestamp is read in Jakarta time whatever zone it comes in
    assert format_date(datetime.fromtimestamp(0, WIB), "numeric") == "01/01/1970, 07:00 WIB"
