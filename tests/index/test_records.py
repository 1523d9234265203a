"""Record files: JSON Lines, JSON, CSV and TSV exports, written small in tmp_path."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from index.build import build_index
from index.detokenize import detokenize
from index.errors import SkipFile, WartaError
from index.readers import read_parsed
from index.reading import ReadContext
from index.record_fields import title_from_body
from index.records import parse_map
from index.sources import Found

P1 = (
    "Harga beras di Pasar Induk Cipinang naik hingga Rp 2.000 per kilogram sejak awal "
    "pekan ini, menurut para pedagang."
)
P2 = (
    "Pedagang menyebut pasokan dari daerah sentra produksi berkurang karena musim kemarau "
    "panjang tahun ini."
)
P3 = "Pemerintah berjanji menggelar operasi pasar di sejumlah kota besar mulai pekan depan."


def _found(path: Path, root: Path) -> Found:
    st = path.stat()
    return Found(path, path.relative_to(root).as_posix(), path.suffix.lower(), st.st_size, 0)


def _read(path: Path, columns: dict[str, str] | None = None):
    bad: list[tuple[str, int, str]] = []
    ctx = ReadContext(columns=columns or {}, bad_row=lambda *a: bad.append(a))
    parsed = list(read_parsed(_found(path, path.parent), ctx))
    return [p.article for p in parsed], [p.url for p in parsed], bad


def _row(n: int = 1, **extra):
    row = {
        "judul": f"Harga Beras Naik di Pasar Induk Cipinang {n}",
        "isi": f"{P1}\n\nBaca Juga: Harga Cabai Turun Lagi\n\n"
        f"SCROLL TO CONTINUE WITH CONTENT\n\n{P2}",
        "tanggal": "Kamis, 09 November 2023 - 20:27:00 WIB",
        "sumber": "detik.com",
        "penulis": "Budi Santoso, Rina Wulandari",
        "tautan": f"https://news.detik.com/berita/d-{n}/harga-beras",
        "kategori": "Ekonomi",
    }
    row.update(extra)
    return row


def test_jsonl_with_indonesian_columns_is_cleaned_and_parsed(tmp_path):
    path = tmp_path / "scrape.jsonl"
    path.write_text("\n".join(json.dumps(_row(n)) for n in (1, 2)) + "\n", encoding="utf-8")
    articles, urls, bad = _read(path)
    assert bad == []
    a = articles[0]
    assert a.title == "Harga Beras Naik di Pasar Induk Cipinang 1"
    assert a.body == [P1, P2]  # "Baca Juga" and the scroll marker cleaned out
    assert a.outlet == "detik"
    assert a.published.isoformat() == "2023-11-09T20:27:00+07:00"
    assert a.authors == ["Budi Santoso", "Rina Wulandari"]
    assert a.path == "scrape.jsonl#1" and articles[1].path == "scrape.jsonl#2"
    assert a.id != articles[1].id
    assert urls[0] == "https://news.detik.com/berita/d-1/harga-beras"


def test_ids_stay_the_same_when_the_file_is_read_again(tmp_path):
    path = tmp_path / "scrape.jsonl"
    path.write_text(json.dumps(_row()) + "\n")
    assert _read(path)[0][0].id == _read(path)[0][0].id


def test_english_column_names_any_case_iso_and_unix_dates(tmp_path):
    path = tmp_path / "export.jsonl"
    rows = [
        {
            "Title": "Inflasi Oktober Capai 2,56 Persen",
            "CONTENT": P1,
            "Published_At": "2023-11-01T11:30:00+07:00",
            "Publisher": "Kompas",
        },
        {"headline": "Inflasi Oktober Capai 2,56 Persen Lagi", "text": P2, "datetime": 1698813000},
        {"headline": "Inflasi Oktober dalam milidetik", "text": P3, "date": "1698813000000"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    articles, _, bad = _read(path)
    assert bad == []
    assert articles[0].outlet == "kompas"
    assert articles[0].published.isoformat() == "2023-11-01T11:30:00+07:00"
    assert articles[1].published.isoformat() == "2023-11-01T11:30:00+07:00"
    assert articles[2].published == articles[1].published
    assert articles[1].outlet is None  # no evidence: never guessed


def test_outlet_from_the_url_domain_when_no_outlet_column(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps(
            {"title": "Judul berita yang cukup", "body": P1, "url": "https://www.tempo.co/a/b"}
        )
    )
    assert _read(path)[0][0].outlet == "tempo"


def test_json_array_of_records(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps([_row(1), _row(2), _row(3)], indent=2))
    articles, _, bad = _read(path)
    assert [a.title[-1] for a in articles] == ["1", "2", "3"]
    assert bad == []


def test_json_object_holding_a_list_of_records(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"source": "scraper", "count": 2, "articles": [_row(1), _row(2)]}))
    articles, _, _ = _read(path)
    assert len(articles) == 2


def test_json_array_streams_across_chunk_boundaries(tmp_path, monkeypatch):
    import index.records as records

    monkeypatch.setattr(records, "_CHUNK", 7)  # every element and number split across reads
    path = tmp_path / "data.json"
    rows = [_row(n, tanggal=1698813000 + n) for n in range(5)]
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    articles, _, bad = _read(path)
    assert bad == []
    assert len(articles) == 5
    assert [int(a.published.timestamp()) for a in articles] == [1698813000 + n for n in range(5)]


def test_paragraphs_as_lists_and_token_lists_are_detokenized(tmp_path):
    path = tmp_path / "indosum.jsonl"
    tokens = [
        [
            "“",
            "Kami",
            "khawatir",
            "dengan",
            "kerja",
            "sama",
            "itu",
            ",",
            "”",
            "kata",
            "Blinken",
            "(",
            "AS",
            ")",
            "kepada",
            "wartawan",
            ".",
        ]
    ]
    sentences = [
        [
            ["Harga", "beras", "naik", "lagi", "di", "pasar", "."],
            ["Pedagang", "mengeluh", "soal", "pasokan", "yang", "kurang", "."],
        ]
    ]
    rows = [
        {"title": "Blinken khawatir soal Korut", "paragraphs": tokens},
        {"title": "Harga beras naik lagi", "paragraphs": sentences},
        {"title": "Paragraf sebagai daftar", "content": [P1, P2]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    articles, _, bad = _read(path)
    assert bad == []
    assert articles[0].body == [
        "“Kami khawatir dengan kerja sama itu,” kata Blinken (AS) kepada wartawan."
    ]
    assert articles[1].body == [
        "Harga beras naik lagi di pasar. Pedagang mengeluh soal pasokan yang kurang."
    ]
    assert articles[2].body == [P1, P2]


def test_detokenize_rules():
    assert (
        detokenize(["Dia", "bilang", '"', "tidak", "tahu", '"', "."]) == 'Dia bilang "tidak tahu".'
    )
    assert detokenize(["naik", "5", "%", ";", "turun", "..."]) == "naik 5%; turun..."


def test_csv_with_bom_crlf_quoted_newlines(tmp_path):
    path = tmp_path / "berita.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["Judul", "Isi_Berita", "Waktu", "Portal"])
        w.writerow(
            ["Harga Beras Naik di Cipinang", f"{P1}\n\n{P2}", "18/06/2025, 21:35 WIB", "Kompas.com"]
        )
        w.writerow(["Operasi Pasar Digelar Pekan Depan", P3, "2025-06-19", "kompas"])
    articles, _, bad = _read(path)
    assert bad == []
    assert articles[0].title == "Harga Beras Naik di Cipinang"
    assert articles[0].body == [P1, P2]
    assert articles[0].published.isoformat() == "2025-06-18T21:35:00+07:00"
    assert articles[1].outlet == articles[0].outlet == "kompas"


@pytest.mark.parametrize(
    ("name", "delimiter"), [("semi.csv", ";"), ("tab.csv", "\t"), ("t.tsv", "\t")]
)
def test_csv_semicolon_and_tab_delimiters(tmp_path, name, delimiter):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(["judul", "konten", "tanggal"])
        w.writerow(["Harga Beras Naik, Pedagang Mengeluh", P1, "09/11/2023"])
    articles, _, bad = _read(path)
    assert bad == []
    assert articles[0].title == "Harga Beras Naik, Pedagang Mengeluh"
    assert articles[0].body == [P1]


def test_cp1252_csv_keeps_its_accents(tmp_path):
    path = tmp_path / "excel.csv"
    text = f'title,body\nCafé di Jakarta Ramai Dikunjungi,"{P1} Kafé itu buka sejak pagi."\n'
    path.write_bytes(text.encode("cp1252"))
    articles, _, bad = _read(path)
    assert bad == []
    assert articles[0].title == "Café di Jakarta Ramai Dikunjungi"


def test_every_kind_of_bad_row_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        json.dumps(_row(1)).encode(),
        b'{"judul": "rusak", "isi": ',  # malformed JSON
        json.dumps(_row(3)).encode()[:-2] + b'\xff\xfe"}',  # undecodable byte
        json.dumps({"judul": "Tanpa isi", "isi": ""}).encode(),
        json.dumps({"judul": "", "isi": P1}).encode(),
        json.dumps({"judul": "Hanya iklan", "isi": "Advertisement"}).encode(),
        b"[1, 2]",
        json.dumps(_row(8)).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    articles, _, bad = _read(path)
    # A row with a body but no title is kept, titled from its first sentence (issue 12).
    assert [a.path for a in articles] == ["bad.jsonl#1", "bad.jsonl#5", "bad.jsonl#8"]
    assert articles[1].title == title_from_body(P1)
    assert [(line, reason) for _, line, reason in bad] == [
        (2, "malformed JSON"),
        (3, "undecodable bytes"),
        (4, "no body"),
        (6, "no body"),
        (7, "not an object (list)"),
    ]
    assert all(rel == "bad.jsonl" for rel, _, _ in bad)


def test_csv_wrong_field_count_and_undecodable_rows(tmp_path):
    path = tmp_path / "bad.csv"
    good = f'"Judul yang baik sekali di kafé","{P1}"'.encode()  # UTF-8 beside a bad byte
    path.write_bytes(
        b"judul,isi\r\n"
        + good + b"\r\n"
        + b'"Terlalu banyak",kolom,ekstra\r\n'
        + b'"Judul \xff rusak","' + P2.encode() + b'"\r\n'
        + b'"Multi baris","baris satu\r\nbaris dua yang panjang sekali dan berakhir titik."\r\n'
        + b'"Kurang"\r\n'
        + good + b"\r\n"
    )  # fmt: skip
    articles, _, bad = _read(path)
    assert len(articles) == 3
    assert [(line, reason) for _, line, reason in bad] == [
        (3, "3 fields, the header has 2"),
        (4, "undecodable bytes"),
        (7, "1 fields, the header has 2"),
    ]
    assert articles[2].path == "bad.csv#6"


def test_unrecognisable_columns_skip_the_file_with_the_map_that_fixes_it(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(
        f'kepala,badan_teks,kapan\n"Harga Beras Naik di Pasar Induk","{P1}",2023-11-09\n'
    )
    with pytest.raises(SkipFile) as err:
        _read(path)
    msg = err.value.reason
    assert "kepala, badan_teks, kapan" in msg
    assert "--map title=kepala,body=badan_teks" in msg
    articles, _, _ = _read(path, {"title": "KEPALA", "body": "badan_teks", "date": "kapan"})
    assert articles[0].title == "Harga Beras Naik di Pasar Induk"
    assert articles[0].published.isoformat() == "2023-11-09T00:00:00+07:00"


def test_map_overrides_recognised_columns(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps({"title": "Judul salah", "judul_asli": "Judul yang benar sekali", "body": P1})
    )
    articles, _, _ = _read(path, parse_map("title=judul_asli"))
    assert articles[0].title == "Judul yang benar sekali"


def test_parse_map_names_the_valid_fields():
    assert parse_map("body=isi,date=waktu") == {"body": "isi", "date": "waktu"}
    assert parse_map(["body=isi", "Title=Judul"]) == {"body": "isi", "title": "Judul"}
    with pytest.raises(
        WartaError, match="unknown field 'isi_berita' — valid fields: title, body, date"
    ):
        parse_map("isi_berita=body")
    with pytest.raises(WartaError, match="FIELD=COLUMN"):
        parse_map("body")


def test_same_url_twice_is_one_article_and_the_newer_copy_wins(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    old = _row(1, isi=f"{P1}\n\n{P2}", tanggal="2023-11-09T08:00:00+07:00")
    new = _row(1, isi=f"{P1}\n\n{P2}\n\n{P3}", tanggal="2023-11-09T10:00:00+07:00")
    other = _row(2)
    (src / "day1.jsonl").write_text(json.dumps(old) + "\n" + json.dumps(other) + "\n")
    (src / "day2.jsonl").write_text(json.dumps(new) + "\n" + json.dumps(old) + "\n")
    report = build_index(src, tmp_path / "ix")
    assert report.url_duplicates == 2
    assert report.indexed == 2
    assert report.total_articles == 2
    from search.engine import Engine

    arts = {a.path: a for a in Engine(tmp_path / "ix").iter_articles()}
    assert set(arts) == {"day1.jsonl#2", "day2.jsonl#1"}
    assert arts["day2.jsonl#1"].body[-1] == P3


def test_big_jsonl_reports_bytes_as_it_goes(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    with (src / "big.jsonl").open("w") as fh:
        for n in range(600):
            fh.write(json.dumps(_row(n, isi=f"{P1} Nomor {n}.\n\n{P2}")) + "\n")

    class Bar:
        def __init__(self, total):
            self.calls, self.bytes, self.expected = 0, 0, 0

        def expect_bytes(self, n):
            self.expected = n

        def advance_bytes(self, n):
            self.calls += 1
            self.bytes += n

        def advance(self, n=1):
            pass

        def finish(self):
            pass

    bars = []
    report = build_index(src, tmp_path / "ix", progress=lambda t: bars.append(Bar(t)) or bars[-1])
    assert report.indexed == 600
    assert bars[0].calls >= 3  # moved inside the one file, not only at its end
    assert bars[0].bytes == bars[0].expected == (src / "big.jsonl").stat().st_size


def test_cli_map_and_unknown_target(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "odd.jsonl").write_text(
        json.dumps({"kepala": "Harga Beras Naik di Pasar Induk", "badan": P1}) + "\n"
    )
    ix = tmp_path / "ix"
    cmd = [sys.executable, "-m", "warta", "index", str(src), "--index", str(ix)]
    run = subprocess.run([*cmd, "--map", "foo=bar"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "valid fields: title, body, date, time, outlet, url, authors, category" in run.stderr
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "--map title=kepala,body=badan" in run.stdout
    run = subprocess.run(
        [*cmd, "--map", "title=kepala,body=badan", "--json"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert orjson.loads(run.stdout)["indexed"] == 1
