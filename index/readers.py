"""From a found file to Articles: one reader per input format.

A reader takes a `Found` and a `ReadContext` and yields `Parsed` (an `Article` and the URL
its source declares): a page gives one, a record file one a row. It raises `SkipFile` for
a file that gives none; a record file reports its bad rows through the context and goes
on. Formats without a reader are counted as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath

from index import outlets
from index.budget import page_budget
from index.errors import SkipFile
from index.html import decode_html, parse_html_page
from index.page import parse_text_page
from index.reading import Parsed, ReadContext
from index.records import read_csv, read_json, read_jsonl
from index.sources import Found, read_bytes, read_text
from index.spreadsheets import SHEET_EXTS, read_spreadsheet
from index.template import lookup as lookup_template
from index.warc import read_warc

Reader = Callable[[Found, ReadContext], Iterator[Parsed]]


def read_text_file(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    template = lookup_template(ctx.templates, found.rel) if ctx.templates else frozenset()
    text = read_text(found)
    with page_budget():
        article = parse_text_page(text, found.rel, ctx.outlet_hint, template)
    yield Parsed(article)


def read_html_file(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    """A saved web page (at most 5 MiB, like a text page)."""
    data = read_bytes(found)
    with page_budget():
        article, url = parse_html_page(decode_html(data), found.rel, ctx.outlet_hint)
    yield Parsed(article, url)


READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".xhtml": read_html_file,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": read_csv,
    **dict.fromkeys(SHEET_EXTS, read_spreadsheet),
    ".warc": read_warc,
    ".warc.gz": read_warc,
}
FORMAT_NAMES: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".warc": "warc",
    ".warc.gz": "warc",
}
# Formats whose files stream and may be any size; the others are read whole.
STREAMED = frozenset({".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".warc", ".warc.gz"})


def format_of(found: Found) -> str:
    return FORMAT_NAMES.get(found.ext, found.ext.lstrip(".") or "no extension")


def folder_outlet(rel: str) -> str | None:
    """An outlet key named by a folder on the path (archive/kompas/2023/x.txt → kompas)."""
    for part in reversed(PurePosixPath(rel).parts[:-1]):
        outlet = outlets.get(part.lower())
        if outlet is not None:
            return outlet.key
    return None


def read_parsed(found: Found, context: ReadContext | None = None) -> Iterator[Parsed]:
    """Articles of one file with their URLs; the context's outlet (from --outlet) names
    articles that do not name theirs, else a folder named after an outlet does."""
    reader = READERS.get(found.ext)
    if reader is None:
        raise SkipFile(f"unsupported format ({found.ext or 'no extension'})")
    ctx = context or ReadContext()
    if ctx.outlet_hint is None:
        hint = folder_outlet(found.rel)
        if hint is not None:
            ctx = replace(ctx, outlet_hint=hint)
    yield from reader(found, ctx)
