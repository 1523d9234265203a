"""Indexing a web archive against indexing the same pages as files (issue 19).

Writes a WARC (one gzip member a record, as crawlers write them) of N HTML pages rendered
from the benchmark corpus (`bench/corpus.py`: IndoSum articles, grown past its 3,463), the
development pages' real HTML among them, with what a crawl also holds: a request record
before each response, images, a redirect, a 404, metadata and warcinfo records, and an
English page. The same HTML pages are written as files. Both are indexed in a fresh child
process each (`bench/measure.py`'s build task: its own peak memory), at each size asked,
and the reading alone is timed with FastWARC and with warcio.

    python bench/warc.py --docs 5000,20000 [--out bench/out/warc.json]
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timezone
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate, load_indosum  # noqa: E402
from bench.run import run_child  # noqa: E402

DEVPAGES = ROOT.parent / "shared" / "corpora" / "devpages" / "html"


def render_html(title: str, paragraphs: Sequence[str], published: Any, outlet: str) -> bytes:
    """A news page as a crawler saves it: head metadata, a menu, the story, a footer."""
    when = published.isoformat()
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} - {html.escape(outlet)}</title>"
        f"<meta property='og:title' content='{html.escape(title, quote=True)}'>"
        f"<meta property='article:published_time' content='{when}'>"
        f"<meta property='og:site_name' content='{html.escape(outlet, quote=True)}'></head>"
        "<body><nav><a href='/'>Beranda</a> <a href='/news'>News</a> <a href='/bola'>Bola</a></nav>"
        f"<article><h1>{html.escape(title)}</h1><time datetime='{when}'>{when}</time>"
        f"{body}</article><footer>Copyright {html.escape(outlet)}</footer></body></html>"
    ).encode()


def warc_record(kind: str, uri: str, block: bytes, date: str, content_type: str) -> bytes:
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash((kind, uri))):032x}>\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode("ascii")
    return gzip.compress(head + block + b"\r\n\r\n", compresslevel=6)


def http_response(body: bytes, status: str = "200 OK", ctype: str = "text/html") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: {ctype}; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("ascii") + body


def write_pair(n: int, warc_path: Path, pages_dir: Path, seed: int = 0) -> dict[str, int]:
    """The WARC and the folder of the same pages; counts of what the WARC holds."""
    pages_dir.mkdir(parents=True, exist_ok=True)
    counts = {"html": 0, "other": 0}
    date = "2024-01-15T08:00:00Z"
    with open(warc_path, "wb") as out:
        out.write(warc_record("warcinfo", "", b"software: bench/warc.py\r\n", date,
                              "application/warc-fields"))  # fmt: skip
        real = sorted(DEVPAGES.glob("*.html")) if DEVPAGES.is_dir() else []
        for i, path in enumerate(real):
            uri = f"https://devpages.example/{path.stem}"
            _page(out, pages_dir / f"dev-{i:05d}.html", uri, path.read_bytes(), date)
            counts["html"] += 1
        for art, _ in generate(max(0, n - len(real)), seed, records=load_indosum()):
            page = render_html(art.title, art.body, art.published.astimezone(timezone.utc),
                               art.outlet_name)  # fmt: skip
            uri = f"https://{art.outlet}.example/read/{art.id}"
            _page(out, pages_dir / f"{art.id}.html", uri, page, date)
            counts["html"] += 1
            if counts["html"] % 50 == 0:  # what else a crawl holds
                _others(out, uri, date)
                counts["other"] += 4  # and the request
        english = render_html(
            "Flood Hits Jakarta",
            [
                "Heavy rain flooded parts of the capital "
                "on Monday, officials said, as rivers burst their banks."
            ]
            * 3,
            __import__("datetime").datetime(2024, 1, 15),
            "The Jakarta Post",
        )
        _page(
            out, pages_dir / "english.html", "https://thejakartapost.example/flood", english, date
        )
        counts["html"] += 1
    return counts


def _others(out: io.BufferedWriter, uri: str, date: str) -> None:
    """An image, a redirect and a metadata record beside a page."""
    http = "application/http; msgtype=response"
    image = http_response(b"\xff\xd8\xff" + b"\0" * 2000, ctype="image/jpeg")
    out.write(warc_record("response", uri + ".jpg", image, date, http))
    out.write(warc_record("response", uri + "/old", http_response(b"", "301 Moved"), date, http))
    out.write(warc_record("metadata", uri, b"outlinks: 3\r\n", date, "application/warc-fields"))


def _page(out: io.BufferedWriter, file: Path, uri: str, page: bytes, date: str) -> None:
    out.write(warc_record("request", uri, f"GET {uri} HTTP/1.1\r\n\r\n".encode(), date,
                          "application/http; msgtype=request"))  # fmt: skip
    out.write(warc_record("response", uri, http_response(page), date,
                          "application/http; msgtype=response"))  # fmt: skip
    file.write_bytes(page)


def read_speed(warc_path: Path) -> dict[str, float]:
    """Seconds to read every HTML response's payload, by each library."""
    from fastwarc.warc import ArchiveIterator

    t = time.perf_counter()
    n = 0
    with open(warc_path, "rb") as fh:
        for rec in ArchiveIterator(fh, parse_http=True):
            if rec.is_http and rec.http_content_type:
                rec.reader.read()
                n += 1
    out: dict[str, float] = {"fastwarc_s": time.perf_counter() - t, "responses": n}
    try:
        from warcio.archiveiterator import ArchiveIterator as WarcioIterator
    except ImportError:
        return out
    t = time.perf_counter()
    with open(warc_path, "rb") as fh:
        for rec in WarcioIterator(fh):
            if rec.rec_type == "response" and rec.http_headers.get_header("Content-Type"):
                rec.content_stream().read()
    out["warcio_s"] = time.perf_counter() - t
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default="5000,20000", help="pages, comma-separated sizes")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "warc.json"))
    args = ap.parse_args(argv)
    report: dict[str, Any] = {}
    for n in (int(x) for x in args.docs.split(",")):
        with tempfile.TemporaryDirectory(prefix="warc-", dir=ROOT / "bench" / "out") as tmp:
            work = Path(tmp)
            (work / "warc").mkdir()
            counts = write_pair(n, work / "warc" / "crawl.warc.gz", work / "pages")
            size: dict[str, Any] = {
                "counts": counts,
                "warc_bytes": (work / "warc" / "crawl.warc.gz").stat().st_size,
            }
            size["read"] = read_speed(work / "warc" / "crawl.warc.gz")
            for kind in ("warc", "pages"):
                spec = {"source": str(work / kind), "index_dir": str(work / f"ix-{kind}")}
                built = run_child("build", spec, work, f"build-{kind}")
                peak = max(
                    built["memory"].get("vmhwm_bytes", 0), built["_process"]["tree_peak_rss_bytes"]
                )
                size[kind] = {
                    "indexed": built["indexed"],
                    "seconds": built["seconds"],
                    "articles_per_s": built["indexed"] / built["seconds"],
                    "peak_rss_mb": peak / 1e6,
                }
            ratio = size["warc"]["articles_per_s"] / size["pages"]["articles_per_s"]
            size["warc_rate_vs_pages"] = ratio
            report[str(n)] = size
            w, p, r = size["warc"], size["pages"], size["read"]
            line = (
                f"{n:>7,} pages: WARC {w['indexed']:,} articles in {w['seconds']:.1f} s"
                f" ({w['articles_per_s']:.0f}/s, peak {w['peak_rss_mb']:.0f} MB);"
                f" files {p['indexed']:,} in {p['seconds']:.1f} s"
                f" ({p['articles_per_s']:.0f}/s, peak {p['peak_rss_mb']:.0f} MB);"
                f" WARC/files rate {ratio:.2f}; reading {r['responses']:,} responses:"
                f" FastWARC {r['fastwarc_s']:.2f} s"
            )
            if "warcio_s" in r:
                line += f", warcio {r['warcio_s']:.2f} s"
            print(line, flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
