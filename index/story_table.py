"""The story table of an index generation: which documents tell the same story, and
which of them came first.

The build gives each article a `story` id as it writes it (index.stories); which member is
the story's origin is known only once every member is written, and searching wants the
stories by document number. So after the commit the build reads the new generation's
`story` column, and its publication times from the document columns (index.doc_columns),
and writes this table: for every story of more than
one article, its members in order of publication (the origin first when it is dated).
Articles that stand alone are not listed: they are their own story's only member.

The table lives in its own folder of the generation (`stories/`), outside the files the
open checks (index.store.verify_files): it carries its own checksum, and a damaged table
costs the collapsed view, not the index (the engine falls back to one hit per article
with a one-line notice).
"""

from __future__ import annotations

import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

FOLDER = "stories"
TABLE = "table.json"
VERSION = 1


class StoryTableError(ValueError):
    """The story table is missing, damaged or of another version: one line to show."""


@dataclass
class StoryTable:
    """Stories of more than one article, by document number.

    `members[i]` are story i's documents, earliest publication first (undated ones
    last); `origin[i]` is its first member when that one is dated, else -1 (an undated
    article is never an origin). `of(doc)` is a document's story index, -1 for an article
    that stands alone.
    """

    ids: list[str]
    members: list[list[int]]
    origin: list[int]
    docs: int
    _story_of: array | None = None

    def of(self, doc: int) -> int:
        return self.story_of()[doc]

    def story_of(self) -> array:
        """Every document's story index (-1: alone), built on first use."""
        if self._story_of is None:
            story_of = array("i", [-1]) * self.docs
            for i, docs in enumerate(self.members):
                for d in docs:
                    story_of[d] = i
            self._story_of = story_of
        return self._story_of

    def size(self, doc: int) -> int:
        i = self.of(doc)
        return len(self.members[i]) if i >= 0 else 1

    def is_origin(self, doc: int, dated: bool) -> bool:
        """True for a story's first dated article; an article alone is its own story's
        origin when it is dated."""
        i = self.of(doc)
        return self.origin[i] == doc if i >= 0 else dated

    @property
    def grouped(self) -> int:
        """Articles that share their story with another."""
        return sum(map(len, self.members))


def build_table(story_ids: list[str | None], published: list[int | None]) -> StoryTable:
    """The table from each document's story id and publication time (None: undated or a
    deleted document), both by document number."""
    groups: dict[str, list[int]] = {}
    for doc, story in enumerate(story_ids):
        if story is not None:
            groups.setdefault(story, []).append(doc)
    ids: list[str] = []
    members: list[list[int]] = []
    origin: list[int] = []
    for story, docs in groups.items():
        if len(docs) < 2:
            continue

        def when(d: int) -> tuple[int, int]:
            p = published[d]
            return (1, d) if p is None else (0, p)

        docs.sort(key=lambda d: (when(d), d))
        ids.append(story)
        members.append(docs)
        origin.append(docs[0] if published[docs[0]] is not None else -1)
    return StoryTable(ids, members, origin, len(story_ids))


def save(table: StoryTable, gen_dir: Path) -> None:
    """Write the table into the generation (a temporary file renamed into place)."""
    folder = gen_dir / FOLDER
    folder.mkdir(exist_ok=True)
    body = orjson.dumps(
        {"ids": table.ids, "members": table.members, "origin": table.origin, "docs": table.docs}
    )
    head = orjson.dumps({"version": VERSION, "crc32": zlib.crc32(body), "bytes": len(body)})
    tmp = folder / (TABLE + ".tmp")
    tmp.write_bytes(head + b"\n" + body)
    tmp.replace(folder / TABLE)


def load(gen_dir: Path, docs: int) -> StoryTable:
    """The generation's table, checked; StoryTableError says what is wrong in one line."""
    path = gen_dir / FOLDER / TABLE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StoryTableError("this index has no story table (built before stories)") from None
    except OSError as err:
        raise StoryTableError(f"the story table cannot be read ({err.strerror})") from None
    head, _, body = raw.partition(b"\n")
    try:
        meta: Any = orjson.loads(head)
        if not isinstance(meta, dict) or meta.get("version") != VERSION:
            raise StoryTableError("the story table is of another version")
        if meta.get("bytes") != len(body) or meta.get("crc32") != zlib.crc32(body):
            raise StoryTableError("the story table is damaged (checksum)")
        data = orjson.loads(body)
        table = StoryTable(
            [str(i) for i in data["ids"]],
            [[int(d) for d in m] for m in data["members"]],
            [int(o) for o in data["origin"]],
            int(data["docs"]),
        )
    except StoryTableError:
        raise
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise StoryTableError("the story table is damaged") from None
    if table.docs != docs or not len(table.ids) == len(table.members) == len(table.origin):
        raise StoryTableError("the story table does not match the index")
    if any(not 0 <= d < docs for m in table.members for d in m):
        raise StoryTableError("the story table does not match the index")
    return table


def read_stories(reader: Any) -> list[str | None]:
    """Each document's story id (None: a deleted document), by document number, from the
    `story` column. The publication times come from the generation's document columns
    (index.doc_columns), which the build reads once."""
    size = reader.doc_count_all()
    stories: list[str | None] = [None] * size
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    for leaf, offset in leaves:
        live = leaf.has_deletions()
        if leaf.has_column("story"):
            for i, v in enumerate(leaf.column_reader("story")):
                if v and (not live or not leaf.is_deleted(i)):
                    stories[offset + i] = v
    return stories
