"""Smoke test of bench/extraction.py on a tiny devpages folder made here, plus its scoring.

The real corpus lives outside the repository and is not needed: three small pages with gold
lines (one whose gold matches it, one whose gold deliberately does not, one from a site
Warta's outlet table does not know) and one small CSV. The end-to-end test runs the real
`warta index`/`warta export` through `main`, so a figure that goes missing or a verdict
that stops being counted (a renamed export key, a build report that changes shape) fails
here; the unit tests pin the scoring rules themselves.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from bench.extraction import (
    _shipped_table,
    main,
    outlet_verdict,
    overlap_scores,
    page_text,
    parse_args,
    score_record_file,
    table,
    url_day,
    url_host,
    words,
)

BODY = [
    "Pemerintah Kota Bandung membatasi kegiatan masyarakat setelah kasus aktif Covid-19 "
    "melonjak dalam dua pekan terakhir, kata wali kota kepada wartawan di Balai Kota.",
    "Pembatasan berlaku mulai Senin dan mencakup pusat perbelanjaan, tempat wisata, dan "
    "kegiatan sekolah tatap muka yang sempat dibuka kembali bulan lalu.",
    "Warga diminta tetap memakai masker, menjaga jarak, dan menghindari kerumunan selama "
    "masa pembatasan yang direncanakan berlangsung dua pekan.",
]


def _page(title: str, published: str, site: str, author: str, url: str) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in BODY)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published,
        "author": {"@type": "Person", "name": author},
    }
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{author}">
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>p {{ color: black }}</style></head>
<body><nav><ul><li>Beranda</li><li>Berita</li></ul></nav>
<article><h1>{title}</h1><div class="byline">{author}</div>
{paragraphs}
</article><footer>Hak cipta dilindungi</footer></body></html>
"""


@pytest.fixture(scope="module")
def devpages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("devpages")
    (root / "html").mkdir()
    (root / "html_expected_body").mkdir()
    (root / "records").mkdir()
    title = "Kasus Aktif Covid-19 Melonjak, Pemkot Bandung Batasi Kegiatan Masyarakat"
    url = "https://news.detik.com/berita/d-1/kasus-aktif"
    (root / "html" / "good.html").write_text(
        _page(title, "2021-06-17T11:38:29+07:00", "detikNews", "Aksara Bebey", url)
    )
    (root / "html" / "wrong.html").write_text(
        _page(title + " Lagi", "2021-06-18T08:00:00+07:00", "detikNews", "Mulia Budi", url + "2")
    )
    (root / "html" / "unlisted.html").write_text(
        _page("Berita dari Situs Kecil", "2021-06-19T09:00:00+07:00", "Kabar Desa", "Ani", "")
    )
    (root / "html_expected_body" / "good.txt").write_text("\n".join(BODY) + "\n")
    gold = [
        {
            "file": "good.html",
            "outlet_site": "news.detik.com",
            "title": title,
            "published": "2021-06-17T04:38+00:00",  # the same instant, in UTC
            "authors": ["Aksara  Bebey"],
            "url": url,
            "expected_body_file": "html_expected_body/good.txt",
        },
        {  # gold that the page contradicts on purpose: every field must count as wrong
            "file": "wrong.html",
            "outlet_site": "news.detik.com",
            "title": "Judul yang Tidak Ada di Halaman",
            "published": "2020-01-01T10:00+07:00",
            "authors": ["Orang Lain"],
        },
        {
            "file": "unlisted.html",
            "outlet_site": "kabardesa.example",
            "title": "Berita dari Situs Kecil",
            "published": "2021-06-19T09:00+07:00",
        },
        {"file": "absent.html", "outlet_site": "detik.com", "title": "x", "published": None},
    ]
    (root / "html_gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold))
    body = " ".join(BODY)
    with open(root / "records" / "small.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "source", "date", "content", "url"])
        w.writerow(["Judul Pertama", "kompas.com", "2019-09-10T10:00:00+07:00", body,
                    "https://www.kompas.com/read/2019/09/10/1/judul-pertama"])  # fmt: skip
        w.writerow(["-", "kompas.com", "2019-09-12T10:00:00+07:00", body + " Dua.",
                    "https://www.kompas.com/read/2019/09/11/2/tanpa-judul"])  # fmt: skip
        w.writerow(["Tanpa Isi", "kompas.com", "2019-09-13", "-",
                    "https://www.kompas.com/read/2019/09/11/3/tanpa-isi"])  # fmt: skip
    return root


@pytest.fixture(scope="module")
def report(devpages: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("extraction-out") / "x.json"
    assert main(["--devpages", str(devpages), "--out", str(out), "--quiet"]) == 0
    return orjson.loads(out.read_bytes())


def _page_of(doc: dict[str, Any], fmt: str, name: str) -> dict[str, Any]:
    return next(p for p in doc["formats"][fmt]["pages"] if p["file"] == name)


def test_every_figure_is_in_the_json(report: dict[str, Any]) -> None:
    assert set(report["formats"]) == {"html", "text", "records"}
    assert {"commit", "dirty_core"} <= report["git"].keys()
    for fmt in ("html", "text"):
        res = report["formats"][fmt]
        assert res["build"]["wall_s"] > 0 and res["build"]["export_wall_s"] > 0
        assert {"indexed", "skipped", "elapsed_s"} <= res["build"]["report"].keys()
        s = res["summary"]
        assert s["pages"] == 4
        for key in ("title", "time_minute"):
            assert {"right", "n", "pct"} <= s[key].keys()
        assert set(s["outlet"]) == {"right", "wrong", "unknown"}
        assert sum(s["outlet"].values()) == 4
        assert {"right", "n", "pct", "recall_mean"} <= s["authors"].keys()
        assert s["authors"]["n"] == 2
        assert {"n", "f1_mean", "precision_mean", "recall_mean"} <= s["body"].keys()
        assert s["body"]["n"] == 1
        assert {"dated", "offset_same", "estimated", "indexed"} <= s.keys()
        assert "detik" in res["by_outlet"] and "kabardesa.example*" in res["by_outlet"]
        assert isinstance(res["failures"], list)
        for p in res["pages"]:
            assert {"title", "published", "outlet", "authors", "body", "indexed"} <= p.keys()
    rec = report["formats"]["records"]
    s = rec["summary"]
    for key in ("files", "rows", "with_body", "indexed", "untitled_indexed", "dated"):
        assert key in s, key
    (f,) = rec["files"]
    assert f["file"] == "small.csv" and f["rows"] == 3 and f["with_body"] == 2
    assert {"right", "wrong", "unknown", "pct"} <= f["outlet"].keys()
    assert {"right", "n", "pct"} <= f["url_date"].keys()


def test_a_right_page_scores_right(report: dict[str, Any]) -> None:
    p = _page_of(report, "html", "good.html")
    assert p["indexed"] and p["path"] == "good.html"
    assert p["title"]["right"], p["title"]
    assert p["published"]["right"], p["published"]  # same instant, gold in UTC
    assert p["published"]["expected_offset"] == "+00:00"
    assert p["published"]["offset_same"] is False  # we print +07:00: recorded, not a fault
    assert p["outlet"] == {"expected": "detik", "got": "detik", "verdict": "right"}
    assert p["authors"]["right"] and p["authors"]["recall"] == 1.0  # spaces collapsed
    assert p["body"]["f1"] > 0.9, p["body"]
    t = _page_of(report, "text", "good.html")
    assert t["path"] == "good.txt" and t["indexed"]


def test_a_wrong_page_is_counted_wrong(report: dict[str, Any]) -> None:
    p = _page_of(report, "html", "wrong.html")
    assert p["indexed"]
    assert not p["title"]["right"] and not p["published"]["right"]
    assert not p["authors"]["right"] and p["authors"]["recall"] == 0.0
    html = report["formats"]["html"]
    assert html["summary"]["title"]["right"] <= 2  # good and unlisted at most
    assert any(line.startswith("wrong.html: title:") for line in html["failures"])
    missing = _page_of(report, "html", "absent.html")
    assert not missing["indexed"] and missing["skipped"] == "missing from devpages"
    assert missing["outlet"]["verdict"] == "wrong" and not missing["title"]["right"]
    unlisted = _page_of(report, "html", "unlisted.html")
    assert unlisted["outlet"]["expected"] is None
    assert unlisted["outlet"]["verdict"] == (
        "right" if unlisted["outlet"]["got"] is None else "wrong"
    )


def test_records_are_scored_against_their_rows(report: dict[str, Any]) -> None:
    (f,) = report["formats"]["records"]["files"]
    assert f["indexed"] >= 1 and f["title_mismatch"] == 0
    assert f["outlet"]["right"] == f["indexed"]  # every row says kompas.com
    # Only row 1's date is its URL's day; rows 2 and 3 (if indexed) are a day or two late.
    assert f["url_date"]["right"] == 1
    assert f["url_date"]["n"] == f["indexed"]
    assert f["untitled_indexed"] <= 1  # row 2's "-" title, if Warta indexes it


def test_the_table_shows_every_section(report: dict[str, Any]) -> None:
    text = table(report)
    for part in ("── html", "── text", "── records", "small.csv", "failing", "wrong.html"):
        assert part in text, part


def test_no_devpages_is_one_line_and_status_2(tmp_path: Path, capsys) -> None:
    assert main(["--devpages", str(tmp_path / "nope"), "--out", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "devpages" in err
    assert not (tmp_path / "x.json").exists()
    with pytest.raises(SystemExit):
        parse_args(["--formats", "pdf"])
    assert parse_args(["--formats", "records,html"]).formats == ["html", "records"]


# --------------------------------------------------------------------------- the rules


def test_page_text_is_innertext_like() -> None:
    html = (
        "<html><head><title>T</title><style>x{}</style></head><body>"
        "<nav><a>Beranda</a> <a>Berita</a></nav><script>var x = 1;</script>"
        "<h1>Judul  Besar</h1><div>Oleh <b>Ani</b>, <i>kompas</i>.com<br>Senin</div>"
        "<p>Satu\n   dua <span>tiga</span></p><p>Empat</p><noscript>no</noscript>"
        "<div hidden>sembunyi</div><template><p>t</p></template><table><tr><td>a</td>"
        "<td>b</td></tr></table></body></html>"
    )
    assert page_text(html) == (
        "Beranda Berita\n\nJudul Besar\n\nOleh Ani, kompas.com\nSenin\n\n"
        "Satu dua tiga\n\nEmpat\n\na b\n"
    )


def test_word_overlap() -> None:
    s = overlap_scores(words("Satu dua dua tiga"), words("satu DUA empat"))
    assert s["precision"] == pytest.approx(2 / 4) and s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert overlap_scores(Counter(), words("a b"))["f1"] == 0.0
    assert words("Covid-19, Jum'at") == Counter({"covid": 1, "19": 1, "jum": 1, "at": 1})


def test_outlet_verdicts_and_urls() -> None:
    assert outlet_verdict("kompas", "kompas") == "right"
    assert outlet_verdict("kompas", None) == "unknown"
    assert outlet_verdict("kompas", "tempo") == "wrong"
    assert outlet_verdict(None, None) == "right"
    assert outlet_verdict(None, "kompas") == "wrong"
    assert url_host("//tirto.id/abc") == "tirto.id"
    assert url_host("www.kompas.com/read") == "www.kompas.com"
    assert url_host("-") is None
    assert str(url_day("https://x.com/read/2019/09/10/1/a")) == "2019-09-10"
    assert url_day("https://x.com/2019/13/10/a") is None


def test_record_rows_are_counted() -> None:
    rows: list[dict[str, Any] | None] = [
        {"title": "A", "source": "-", "content": "isi berita", "url": "https://tempo.co/2019/09/10/a"},
        {"title": "-", "source": "Kompas.com", "content": "-,,,", "url": ""},
        None,
        {"title": "C", "source": "kabardesa.example", "content": "isi", "url": "https://x.example/"},
    ]  # fmt: skip
    arts = {
        1: {"title": "A", "outlet": "tempo", "published": "2019-09-10T23:00:00+07:00"},
        2: {"title": "-", "outlet": None, "published": None},
        4: {"title": "C", "outlet": "kompas", "published": None},
    }
    f = score_record_file("x.csv", rows, arts, Counter({"no body": 1}), _shipped_table())
    assert f["rows"] == 4 and f["unparsed_rows"] == 1
    assert f["with_body"] == 2  # "-,,," holds no word
    assert f["indexed"] == 3 and f["untitled_indexed"] == 1 and f["bodyless_indexed"] == 1
    assert f["dated"] == 1 and f["dropped_unreported"] == 0
    # row 1: tempo from the URL (source "-"); row 2: kompas known, null answer; row 4:
    # the table knows no kabardesa.example, so any answer is wrong.
    assert (f["outlet"]["right"], f["outlet"]["unknown"], f["outlet"]["wrong"]) == (1, 1, 1)
    assert f["url_date"] == {"right": 1, "n": 1, "pct": 100.0, "undated": 0}
