"""Web archives (.warc, .warc.gz) read as record files of HTML pages (issue 19).

What Browsertrix, `wget --warc-file`, Heritrix and the Internet Archive write, and the
format of Common Crawl's news crawl. A WARC is read as a stream, one record at a time, so a
multi-gigabyte file never sits in memory and the progress bar moves by its bytes.

Each response record of an HTML page (HTTP status 200, a text/html or XHTML content type)
goes through the same HTML extraction as a saved page. The record is evidence too: its
target URI stands in for a page that names no URL of its own (and so for the outlet), and
its capture date is the publication date of last resort, marked estimated. Every other
record (requests, metadata, warcinfo, images, redirects, errors) is counted, and the
counts are one line of the build report per file. A record that cannot be read is a bad
row; a file cut short (a gzip member cut in the middle) keeps what was read before it.

An article's path names the file and the record's offset (`crawl.warc.gz#1048576`):
`warta show --raw` reads that record's page again.

The records are read by FastWARC, picked over warcio by measurement
(`bench/warc.py`): see the module's docstring for the figures.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, BinaryIO

from index.budget import OverBudget, page_budget
from index.errors import SkipFile
from index.html import decode_html, parse_html_page
from index.reading import Parsed, ReadContext
from index.sources import MAX_FILE_BYTES, Found, open_found

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BYTES_EVERY = 64  # records between progress reports


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _iterator(stream: BinaryIO) -> Any:
    """FastWARC's records from the stream's position on (gzip detected from the bytes)."""
    from fastwarc.warc import ArchiveIterator

    return ArchiveIterator(stream, parse_http=True)


def read_warc(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    """Every HTML response of a WARC file as an article; the rest counted."""
    others: Counter[str] = Counter()
    read = 0
    try:
        fh = open_found(found)
    except OSError as err:
        raise SkipFile(f"unreadable ({(err.strerror or str(err)).lower()})") from None
    with fh:
        reported = 0
        records = _iterator(fh)
        last = -1  # where the last good record starts
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as err:  # a damaged record: go on at the next good one
                resume = _next_member(fh, last + 1)
                where = f"after byte {last:,}" if last >= 0 else "at the start"
                if resume is None:
                    why = f"damaged record {where}, the rest lost ({type(err).__name__})"
                    ctx.bad_row(found.rel, max(last, 0), why)
                    break
                ctx.bad_row(found.rel, resume, f"damaged record {where} passed over")
                fh.seek(resume)
                records = _iterator(fh)
                last = resume
                continue
            read += 1
            last = max(last, int(record.stream_pos))
            if read % _BYTES_EVERY == 0:
                reported = _progress(fh, ctx, reported)
            kind = _kind(record)
            if kind is not None:
                others[kind] += 1
                continue
            offset = int(record.stream_pos)
            try:
                with page_budget():
                    parsed = _article(record, found.rel, offset, ctx)
            except SkipFile as skip:
                ctx.bad_row(found.rel, offset, skip.reason)
                continue
            except OverBudget as over:
                ctx.bad_row(found.rel, offset, over.reason)
                continue
            except (MemoryError, KeyboardInterrupt):
                raise
            except Exception as err:  # every record is its own failure domain
                ctx.bad_row(found.rel, offset, f"could not be read ({type(err).__name__})")
                continue
            yield parsed
        _progress(fh, ctx, reported)
        if last >= 0 and _cut_short(fh, last):
            ctx.bad_row(found.rel, last, "the file is cut short in its last record")
    if not read:
        raise SkipFile("not a WARC file (no record in it)")
    if others:
        said = ", ".join(f"{n:,} {k}" for k, n in others.most_common(6))
        ctx.bad_row(found.rel, 0, f"records that are not HTML pages, passed over: {said}")


#: How far past a damaged record to look for the next one.
RESYNC_WINDOW = 64 * 1024 * 1024


def _next_member(fh: BinaryIO, start: int) -> int | None:
    """Where the next gzip member holding a WARC record begins after `start` (crawlers
    compress each record on its own, so a damaged record costs only itself)."""
    fh.seek(start)
    window = fh.read(RESYNC_WINDOW)
    at = -1
    while True:
        at = window.find(b"\x1f\x8b\x08", at + 1)
        if at < 0:
            return None
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(window[at : at + 4096], 16)
        except zlib.error:
            continue
        if head.startswith(b"WARC/"):
            return start + at


def _cut_short(fh: BinaryIO, last: int) -> bool:
    """True when the gzip member of the last record ends before its end (a download cut
    short): FastWARC hands over what there is without a word."""
    fh.seek(last)
    if fh.read(2) != b"\x1f\x8b":
        return False
    fh.seek(last)
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while chunk := fh.read(1 << 20):
            inflate.decompress(chunk, 1 << 16)
            while inflate.unconsumed_tail and not inflate.eof:
                inflate.decompress(inflate.unconsumed_tail, 1 << 16)
            if inflate.eof:
                return False
    except zlib.error:
        return True
    return not inflate.eof


def _progress(fh: BinaryIO, ctx: ReadContext, reported: int) -> int:
    try:
        pos = fh.tell()
    except (OSError, ValueError):
        return reported
    if pos > reported:
        ctx.read_bytes(pos - reported)
        return pos
    return reported


def _kind(record: Any) -> str | None:
    """None for an HTML page answered 200; else what the record is, for the counts."""
    from fastwarc.warc import WarcRecordType

    if record.record_type != WarcRecordType.response:
        return str(record.record_type).rsplit(".", 1)[-1]
    if not record.is_http:
        return "non-HTTP response"
    status = record.http_headers.status_code
    if status != 200:
        return f"HTTP {status}"
    ctype = (record.http_content_type or "").split(";")[0].strip().lower()
    if ctype not in _HTML_TYPES:
        return ctype or "untyped response"
    return None


def _article(record: Any, rel: str, offset: int, ctx: ReadContext) -> Parsed:
    body = record.reader.read(MAX_FILE_BYTES + 1)
    if len(body) > MAX_FILE_BYTES:
        raise SkipFile("a page larger than 5 MiB")
    if not body.strip():
        raise SkipFile("an empty page")
    where = f"{rel}#{offset}"
    article, url = parse_html_page(decode_html(body), where, ctx.outlet_hint)
    target = record.headers.get("WARC-Target-URI")
    if not url and target:
        url = target.strip("<> ")
    captured = record.record_date
    if article.published is None and isinstance(captured, datetime):
        # The capture is the latest the page can have been published: a last resort.
        when = captured if captured.tzinfo else captured.replace(tzinfo=timezone.utc)
        article.published = when
        article.published_estimated = True
    return Parsed(article, url)


def record_page(found: Found, offset: int) -> bytes:
    """The HTML of the response record at `offset` (what `warta show --raw` shows)."""
    with open_found(found) as fh:
        fh.seek(offset)
        for record in _iterator(fh):
            if _kind(record) is not None:
                raise SkipFile(f"the record at {offset} is not an HTML page")
            return record.reader.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]
    raise SkipFile(f"no record at {offset}")
