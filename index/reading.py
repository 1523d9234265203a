"""What a reader is given and what it gives back, shared by the page and record readers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from index.article import Article


class Parsed(NamedTuple):
    """An article, the URL its source declares (for "same URL seen twice") and, for a
    record missing a field, how Warta filled it in ("title from URL")."""

    article: Article
    url: str | None = None
    derived: str | None = None


def _ignore_row(rel: str, line: int, reason: str) -> None:
    return None


def _ignore_bytes(n: int) -> None:
    return None


@dataclass
class ReadContext:
    """How to read: the outlet hint, the user's column map and where to report.

    `bad_row(rel, line, reason)` hears of each skipped record; `read_bytes(n)` of bytes a
    streaming reader has consumed since it last said, so a progress bar can move inside a
    2 GB file. `templates` holds what the build learned of each folder's site template.
    """

    outlet_hint: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    bad_row: Callable[[str, int, str], None] = _ignore_row
    read_bytes: Callable[[int], None] = _ignore_bytes
    # Learned site templates by folder (index.template.GroupTemplate); empty: none.
    templates: Mapping[str, Any] = field(default_factory=dict)
    # The one sheet of a spreadsheet to read (`--sheet`); None: every sheet.
    sheet: str | None = None
    # The languages to index (`--lang`, ISO 639-1); None: every language.
    languages: frozenset[str] | None = None
