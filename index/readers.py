"""From a found file to Articles: one reader per input format.

A reader yields `Article`s (a text page gives one; record files give one a row) and raises
`SkipFile` for a file that gives none. Formats without a reader are counted as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from index import outlets
from index.article import Article
from index.errors import SkipFile
from index.page import parse_text_page
from index.sources import Found, read_text

Reader = Callable[[Found, "str | None"], Iterator[Article]]


def read_text_file(found: Found, outlet_hint: str | None) -> Iterator[Article]:
    yield parse_text_page(read_text(found), found.rel, outlet_hint)


READERS: dict[str, Reader] = {".txt": read_text_file}
FORMAT_NAMES: dict[str, str] = {".txt": "text"}


def format_of(found: Found) -> str:
    return FORMAT_NAMES.get(found.ext, found.ext.lstrip(".") or "no extension")


def folder_outlet(rel: str) -> str | None:
    """An outlet key named by a folder on the path (archive/kompas/2023/x.txt → kompas)."""
    for part in reversed(PurePosixPath(rel).parts[:-1]):
        outlet = outlets.get(part.lower())
        if outlet is not None:
            return outlet.key
    return None


def read_articles(found: Found, outlet: str | None = None) -> Iterator[Article]:
    """Articles of one file; `outlet` (from --outlet) names pages that do not name theirs."""
    reader = READERS.get(found.ext)
    if reader is None:
        raise SkipFile(f"unsupported format ({found.ext or 'no extension'})")
    hint = outlet or folder_outlet(found.rel)
    yield from reader(found, hint)
