"""Saved HTML pages: metadata from meta tags, from JSON-LD, and from neither; the body
without the page around it; charsets; and a mixed folder through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import orjson
import pytest

from index.errors import SkipFile
from index.html import decode_html, parse_html_page, parse_markup_date

P1 = (
    "Menteri Luar Negeri Amerika Serikat Antony Blinken khawatir dengan kerja sama militer "
    "Rusia dan Korea Utara yang semakin erat."
)
P2 = (
    "Kekhawatiran itu disampaikan Blinken saat bertemu mitranya dari Korea Selatan (Korsel) "
    "Park Jin di Seoul, Kamis (9/11/2023)."
)
P3 = "“Kami memiliki keprihatinan nyata mengenai dukungan apa pun,” kata Blinken & stafnya."

NAV = (
    '<nav class="navbar"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
    '<li><a href="/sport">Sport</a></li></ul></nav>'
)
RELATED = (
    '<div class="related-box"><h3>Berita Terkait</h3><ul>'
    '<li><a href="/a">Harga Beras Naik Lagi di Pasar Induk Cipinang Hari Ini</a></li>'
    '<li><a href="/b">Jokowi Resmikan Jalan Tol Baru di Sumatera Selatan</a></li></ul></div>'
)
COMMENTS = (
    '<div id="comments"><h3>Komentar (0)</h3><p>Tulis komentar anda dengan sopan dan '
    "bertanggung jawab di kolom ini ya.</p></div>"
)
FOOTER = "<footer><p>Copyright © 2023 PT Media Nusantara. All rights reserved.</p></footer>"
SCRIPTS = "<script>var berita = 'Ini bukan isi berita yang harus diindeks.';</script>"
SCRIPTS += "<style>.x { color: red; }</style>"


def meta_page() -> str:
    """detik-like: Open Graph and date metas, the body as text split by <br>."""
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>AS Khawatir Rusia Transfer Teknologi Rudal - detikNews</title>
<meta property="og:title" content="AS Khawatir Rusia Transfer Teknologi Rudal - detikNews">
<meta property="og:site_name" content="detikNews">
<meta name="dtk:publishdate" content="2023/11/09 20:27:00">
<meta name="author" content="Rita Uli Hutapea">
<meta property="og:url" content="https://news.detik.com/internasional/d-7000001/as-khawatir">
{SCRIPTS}</head><body>{NAV}
<div class="detail"><h1>AS Khawatir Rusia Transfer Teknologi Rudal</h1>
<div class="detail__date">Kamis, 09 Nov 2023 20:27 WIB</div>
<figure><img src="a.jpg"><figcaption>Menlu AS Antony Blinken (Foto: Reuters)</figcaption></figure>
<div class="detail__body-text">Jakarta - {P1}<br><br>{P2}<br><br>
<div class="ads-slot">ADVERTISEMENT</div>
<table class="linksisip"><tr><td>Baca juga: <a href="/y">Judul lain</a></td></tr></table>
{P3.replace("&", "&amp;").replace("“", "&ldquo;")}<br><br>(rdp/rdp)</div></div>
{RELATED}{COMMENTS}{FOOTER}</body></html>"""


def json_ld_page() -> str:
    """kompas-like: JSON-LD NewsArticle, <p> paragraphs inside nested containers."""
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "Halaman"},
            {
                "@type": "NewsArticle",
                "headline": "Harga Beras Naik Lagi di Pasar Induk",
                "datePublished": "2023-11-09T15:04:00+07:00",
                "author": [{"@type": "Person", "name": "Ahmad Naufal"}, {"name": "Sari"}],
                "publisher": {"@type": "Organization", "name": "Kompas.com"},
                "mainEntityOfPage": {"@id": "https://money.kompas.com/read/2023/11/09/harga"},
            },
        ],
    }
    paras = "".join(f"<p>{p}</p>" for p in (P1, P2))
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Harga Beras Naik Lagi di Pasar Induk Halaman all - Kompas.com</title>
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body><header class="header"><div class="logo">Kompas.com</div>{NAV}</header>
<div class="container"><div class="read__header"><h1>Harga Beras Naik Lagi di Pasar Induk</h1>
<div class="read__time">Kompas.com - 09/11/2023, 15:04 WIB</div></div>
<div class="col-bs10-7"><div class="read__content"><div class="clearfix">{paras}
<p><strong>Baca juga: <a href="/z">Jokowi Resmikan Tol Baru</a></strong></p>
<p>{P3.replace("&", "&amp;")}</p></div></div>{RELATED}</div>
<aside class="sidebar"><h3>Terpopuler</h3><ol>
<li><a href="/p1">Berita populer satu hari ini yang ramai sekali dibaca orang</a></li>
<li><a href="/p2">Berita populer dua hari ini yang ramai sekali dibaca orang</a></li></ol></aside>
</div>{COMMENTS}{FOOTER}</body></html>"""


def plain_page() -> str:
    """Neither meta tags nor JSON-LD: the visible date line, byline and dateline."""
    paras = "".join(
        f"<p>{p}</p>" for p in (f"SEOUL, iNews.id - {P1}", P2, P3.replace("&", "&amp;"))
    )
    return f"""<html><head><title>Blinken Khawatirkan Kerja Sama Rusia dan Korut</title></head>
<body><div id="top"><a href="/">Beranda</a> | <a href="/e">Internasional</a></div>
<div class="main"><h2>Blinken Khawatirkan Kerja Sama Rusia dan Korut</h2>
<div class="meta">Penulis: Budi Santoso</div><div>Kamis, 09 November 2023 - 20:27:00 WIB</div>
<div>{paras}</div></div><div class="foot">Hak cipta dilindungi undang-undang.</div></body></html>"""


def test_meta_tags_page():
    article, url = parse_html_page(meta_page(), "detik/a.html")
    assert article.title == "AS Khawatir Rusia Transfer Teknologi Rudal"
    assert article.outlet == "detik"
    assert article.published.isoformat() == "2023-11-09T20:27:00+07:00"
    assert article.authors == ["Rita Uli Hutapea"]
    assert url == "https://news.detik.com/internasional/d-7000001/as-khawatir"
    assert article.body == [f"Jakarta - {P1}", P2, P3]  # <br>-split; entities decoded
    assert article.captions == ["Menlu AS Antony Blinken (Foto: Reuters)"]
    text = " ".join(article.body)
    for junk in ("ADVERTISEMENT", "Baca juga", "Berita Terkait", "Harga Beras", "Komentar",
                 "Copyright", "bukan isi berita", "color", "Home", "(rdp/rdp)"):  # fmt: skip
        assert junk not in text


def test_json_ld_page():
    article, url = parse_html_page(json_ld_page(), "b.html")
    assert article.title == "Harga Beras Naik Lagi di Pasar Induk"
    assert article.outlet == "kompas"
    assert article.published.isoformat() == "2023-11-09T15:04:00+07:00"
    assert article.authors == ["Ahmad Naufal", "Sari"]
    assert url == "https://money.kompas.com/read/2023/11/09/harga"
    assert article.body == [P1, P2, P3]


def test_page_with_neither_reads_the_visible_lines():
    article, url = parse_html_page(plain_page(), "c.html")
    assert article.title == "Blinken Khawatirkan Kerja Sama Rusia dan Korut"
    assert article.outlet == "inews"  # from the dateline
    assert article.dateline == "SEOUL"
    assert article.published.isoformat() == "2023-11-09T20:27:00+07:00"
    assert article.published_estimated is False
    assert article.authors == ["Budi Santoso"]
    assert url is None
    assert article.body[1:] == [P2, P3]
    assert "Hak cipta" not in " ".join(article.body)


def test_outlet_hint_only_when_the_page_names_none():
    page = plain_page().replace("SEOUL, iNews.id - ", "")
    assert parse_html_page(page, "c.html", "tempo")[0].outlet == "tempo"
    assert parse_html_page(meta_page(), "a.html", "tempo")[0].outlet == "detik"


def test_title_suffix_of_an_unknown_outlet_is_cut_by_its_site_name():
    page = meta_page().replace("detikNews", "Warta Desa Sukamaju").replace("news.detik.com", "x.id")
    article, _ = parse_html_page(page, "a.html")
    assert article.title == "AS Khawatir Rusia Transfer Teknologi Rudal"
    assert article.outlet is None


def test_charset_from_meta_when_not_utf8():
    page = plain_page().replace("<head>", '<head><meta charset="windows-1252">')
    page = page.replace("Budi Santoso", "José Ramírez")
    data = page.encode("cp1252")
    assert "José Ramírez" in decode_html(data)
    page2 = plain_page().replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    )
    assert "“" in decode_html(page2.replace("Budi", "Bédi").encode("cp1252", errors="replace"))
    assert decode_html("<p>naïve</p>".encode()) == "<p>naïve</p>"


def test_page_without_a_story_is_skipped():
    with pytest.raises(SkipFile, match="no article body"):
        parse_html_page(f"<html><body>{NAV}{FOOTER}</body></html>", "nav.html")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2023-11-09T20:27:00+07:00", "2023-11-09T20:27:00+07:00"),
        ("2023-11-09T13:27:00Z", "2023-11-09T13:27:00+00:00"),
        ("2023/11/09 20:27:00", "2023-11-09T20:27:00+07:00"),
        ("1699536420", "2023-11-09T20:27:00+07:00"),
        ("Kamis, 09 November 2023 - 20:27:00 WIB", "2023-11-09T20:27:00+07:00"),
    ],
)
def test_markup_dates(value, iso):
    assert parse_markup_date(value).isoformat() == iso


def test_mixed_folder_through_the_cli(tmp_path):
    src = tmp_path / "arsip"
    (src / "html").mkdir(parents=True)
    (src / "html" / "a.html").write_text(meta_page())
    (src / "html" / "b.htm").write_text(json_ld_page())
    (src / "html" / "c.html").write_text(plain_page())
    (src / "page.txt").write_text(
        "Blinken Temui Park Jin di Seoul\nKamis, 09 November 2023 - 20:27:00 WIB\n\n"
        f"SEOUL, iNews.id - {P1}\n\n{P2}\n"
    )
    row = {"judul": "Harga Cabai Turun di Pasar", "isi": f"{P1}\n\n{P2} Harga cabai turun.",
           "tanggal": "2023-11-10", "sumber": "Tempo"}  # fmt: skip
    (src / "rows.jsonl").write_text(json.dumps(row) + "\n{oops\n")
    (src / "rows.csv").write_text(
        f'title,content\n"Inflasi Oktober Capai 2,56 Persen","{P3} Inflasi naik."\n"lonely"\n'
    )
    (src / "rows.json").write_text(
        json.dumps([{"headline": "Ekspor Batu Bara Turun", "text": P2 + " Ekspor turun."}])
    )
    (src / "odd.tsv").write_text("a\tb\n1\t2\n")
    ix = tmp_path / "ix"
    cmd = [sys.executable, "-m", "warta", "index", str(src), "--index", str(ix)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Indexed 7 articles from 8 files" in out
    assert "html 3 files (3 articles)" in out
    assert "jsonl 1 file (1 article)" in out
    assert "csv 1 file (1 article)" in out
    assert "json 1 file (1 article)" in out
    assert "text 1 file (1 article)" in out
    assert "rows.jsonl:2: malformed JSON" in out
    assert "rows.csv:3: 1 fields, the header has 2" in out
    assert "odd.tsv: no body column among: a, b" in out
    run = subprocess.run([*cmd, "--json"], capture_output=True, text=True)
    report = orjson.loads(run.stdout)
    assert report["formats"] == {"html": 3, "csv": 1, "json": 1, "jsonl": 1, "text": 1}
    assert report["bad_rows"] == 2
    export = subprocess.run(
        [sys.executable, "-m", "warta", "export", "--index", str(ix)], capture_output=True
    )
    rows = [orjson.loads(line) for line in export.stdout.splitlines()]
    assert {r["path"] for r in rows} >= {"rows.jsonl#1", "rows.csv#1", "rows.json#1", "html/a.html"}
    assert {r["outlet"] for r in rows} >= {"detik", "kompas", "inews", "tempo"}
