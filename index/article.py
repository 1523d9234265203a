"""The `Article`: the one shape every source becomes, and the data contract of DESIGN.md."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CONTRACT_KEYS = (
    "id",
    "path",
    "title",
    "outlet",
    "outlet_name",
    "published",
    "published_estimated",
    "authors",
    "dateline",
    "body",
    "captions",
    "words",
    "language",
    "story",
    "origin",
)


def contract_dict(item: Any, keys: tuple[str, ...] = CONTRACT_KEYS) -> dict[str, Any]:
    """The data contract's JSON form of anything holding its fields (an `Article`, the
    search layer's `ArticleView` or `Hit`), for `keys` in that order: `published` as ISO
    8601 with its offset, lists copied. One writer for export, show and search output."""
    out = {key: getattr(item, key) for key in keys}
    if "published" in out:
        when = out["published"]
        out["published"] = when.isoformat() if when else None
    for key in _LIST_KEYS:
        if key in out:
            out[key] = list(out[key])
    return out


_LIST_KEYS = ("authors", "body", "captions")


#: The contract's keys a search hit carries: an article's without its text.
HIT_KEYS = tuple(k for k in CONTRACT_KEYS if k not in ("body", "captions"))


@dataclass
class Article:
    """A cleaned article with its metadata.

    `published` is timezone-aware or None; it is never guessed from a file's mtime.
    """

    id: str
    path: str
    title: str
    body: list[str]
    outlet: str | None = None
    outlet_name: str | None = None
    published: datetime | None = None
    published_estimated: bool = False
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    captions: list[str] = field(default_factory=list)
    words: int = 0
    # ISO 639-1, from the source where it says (a record's column) or else the build's
    # identifier (index.language); None until one of them has spoken.
    language: str | None = None
    # The story it belongs to (an id every copy of it shares, index.stories) and whether
    # it is that story's first dated article: facts of the archive, not of the page, so
    # the index fills them in.
    story: str | None = None
    origin: bool | None = None

    def __post_init__(self) -> None:
        if not self.words:
            self.words = sum(len(p.split()) for p in self.body)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the data contract: exactly CONTRACT_KEYS, dates as ISO 8601."""
        return contract_dict(self)

    def content_key(self) -> str:
        """Fingerprint of the cleaned text, so the same article saved twice is indexed once."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.title.casefold().encode("utf-8"))
        for p in self.body:
            h.update(b"\n")
            h.update(p.encode("utf-8"))
        return h.hexdigest()


def article_id(rel_path: str) -> str:
    """A stable id from the source path (relative to the indexed folder, plus `#row`).

    Stable across rebuilds and --update, so links, saved searches and exports keep pointing
    at the same article.
    """
    return hashlib.blake2b(rel_path.encode("utf-8"), digest_size=8).hexdigest()
