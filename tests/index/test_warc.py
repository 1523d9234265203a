"""Web archives read as streams of HTML pages (issue 19): only HTML responses become
articles, the rest is counted, the capture date is a last resort, and a damaged record
costs only itself."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone

from bench.warc import http_response, render_html, warc_record
from index.build import build_index
from search.engine import Engine
from tests.helpers import run_warta

CAPTURED = "2024-01-15T08:00:00Z"
PAGE = "application/http; msgtype=response"


def _page(i: int, dated: bool = True) -> bytes:
    body = [f"Banjir merendam {i} desa di Kabupaten Bekasi sejak Senin pagi, kata petugas."] * 3
    page = render_html(f"Banjir Rendam Desa {i}", body, datetime(2024, 1, i + 1), "Kompas.com")
    if not dated:  # no date anywhere on the page
        page = page.replace(datetime(2024, 1, i + 1).isoformat().encode(), b"")
    return warc_record("response", f"https://kompas.example/read/{i}", http_response(page),
                       CAPTURED, PAGE)  # fmt: skip


def _crawl() -> list[bytes]:
    return [
        warc_record("warcinfo", "", b"software: test\r\n", CAPTURED, "application/warc-fields"),
        warc_record(
            "request",
            "https://kompas.example/read/0",
            b"GET / HTTP/1.1\r\n\r\n",
            CAPTURED,
            "application/http; msgtype=request",
        ),
        _page(0),
        warc_record(
            "response",
            "https://kompas.example/logo.jpg",
            http_response(b"\xff\xd8\xff", ctype="image/jpeg"),
            CAPTURED,
            PAGE,
        ),
        warc_record(
            "response",
            "https://kompas.example/gone",
            http_response(b"no", "404 Not Found"),
            CAPTURED,
            PAGE,
        ),
        _page(1, dated=False),
        _page(2),
    ]


def test_html_responses_become_articles_and_the_rest_is_counted(tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "crawl.warc.gz").write_bytes(b"".join(_crawl()))
    report = build_index(folder, tmp_path / "ix")
    assert report.indexed == 3 and report.formats["warc"] == 1
    (counted,) = [r for _, _, r in report.bad_rows]
    assert counted.startswith("records that are not HTML pages, passed over:")
    assert "1 request" in counted and "1 image/jpeg" in counted and "1 HTTP 404" in counted
    engine = Engine(tmp_path / "ix")
    by_title = {a.title: a for a in engine.iter_articles()}
    undated = by_title["Banjir Rendam Desa 1"]
    assert undated.published == datetime(2024, 1, 15, 8, 0, tzinfo=timezone.utc)
    assert undated.published_estimated  # the capture: the latest it can have been published
    assert not by_title["Banjir Rendam Desa 2"].published_estimated
    article = by_title["Banjir Rendam Desa 2"]
    assert article.path.startswith("crawl.warc.gz#")
    raw = run_warta("show", article.id, "--raw", "--index", str(tmp_path / "ix"))
    assert raw.returncode == 0 and "Banjir Rendam Desa 2" in raw.stdout


def test_a_damaged_record_costs_only_itself_and_a_cut_file_keeps_what_came_before(tmp_path):
    records = _crawl()
    whole = b"".join(records)
    files = {
        # A damaged record between two good ones: the good ones on either side are read.
        "damaged.warc.gz": b"".join(
            [*records[:3], b"this is not a gzip member" * 20, *records[3:]]
        ),
        # A download cut short: what came before is read, and the report says so.
        "cut.warc.gz": whole[: len(whole) - 200],
        "plain.warc": gzip.decompress(b"".join(records[:3])),  # not gzipped at all
        "empty.warc": b"",
    }
    got = {}
    for name, data in files.items():
        folder = tmp_path / name / "in"
        folder.mkdir(parents=True)
        (folder / name).write_bytes(data)
        report = build_index(folder, tmp_path / name / "ix")
        got[name] = (report.indexed, [r for _, _, r in report.bad_rows], dict(report.skipped))
    assert got["damaged.warc.gz"][0] == 3
    assert any(r.startswith("damaged record after byte") for r in got["damaged.warc.gz"][1])
    assert got["cut.warc.gz"][0] == 2  # the last page, cut, has no body left
    assert "the file is cut short in its last record" in got["cut.warc.gz"][1]
    assert got["plain.warc"][0] == 1
    assert got["empty.warc"][2] == {"empty.warc": "not a WARC file (no record in it)"}
