"""Fixtures for the search tests: an Engine over the seeds, and tiny hand-written indexes.

The seeds answer "does it work on real pages"; the tiny indexes answer ranking questions
that need two articles differing in exactly one way (exact word against stem only, phrase
against scattered words).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from index import store
from index.schema import NO_DATE, SCHEMA_VERSION, build_schema
from search.engine import Engine


@pytest.fixture(scope="session")
def engine(seeds_index: Path) -> Engine:
    return Engine(seeds_index)


@pytest.fixture(scope="session")
def seed_ids(engine: Engine) -> dict[str, str]:
    """Seed number ("000" … "004") → article id."""
    return {a.path[:3]: a.id for a in engine.iter_articles()}


MiniIndex = Callable[[list[dict[str, Any]]], Engine]


@pytest.fixture
def mini_index(tmp_path: Path) -> MiniIndex:
    """An Engine over articles given as dicts: title, body (paragraphs), outlet, published."""
    return lambda articles: build_mini_index(tmp_path, articles)


def build_mini_index(
    tmp_path: Path,
    articles: list[dict[str, Any]],
    segments: int = 1,
    deleted: tuple[int, ...] = (),
    compound: bool = True,
) -> Engine:
    """Write `articles` as an index under `tmp_path`, in `segments` segments (one commit
    each, unmerged) with the articles numbered in `deleted` deleted; an Engine over it.
    `compound=False` keeps each segment's files apart, as a build does."""
    index_dir = tmp_path / "mini"
    gen = index_dir / "gen-test"
    gen.mkdir(parents=True)
    ix = whoosh_index.create_in(str(gen), build_schema())
    per_segment = -(-len(articles) // segments)
    writer = ix.writer(compound=compound)
    for n, a in enumerate(articles):
        if n and n % per_segment == 0:
            writer.commit(merge=False)
            writer = ix.writer(compound=compound)
        published: datetime | None = a.get("published")
        body = "\n".join(a.get("body", []))
        doc: dict[str, Any] = {
            "id": f"a{n}",
            "path": f"a{n}.txt",
            "source": f"a{n}.txt",
            "title": a.get("title", f"Artikel {n}"),
            "title_exact": a.get("title", f"Artikel {n}"),
            "body": body,
            "body_exact": body,
            "outlet_name": a.get("outlet"),
            "published_iso": published.isoformat() if published else None,
            "published_estimated": False,
            "year": published.strftime("%Y") if published else NO_DATE,
            "month": published.strftime("%Y-%m") if published else NO_DATE,
            "authors": "",
            "authors_list": [],
            "words": len(body.split()),
        }
        if a.get("outlet"):
            doc["outlet"] = a["outlet"]
        if published:
            doc["published"] = published.replace(tzinfo=None)
        writer.add_document(**doc)
    for n in deleted:
        writer.delete_by_term("id", f"a{n}")
    writer.commit(merge=False)
    store.write_meta(gen, {"schema_version": SCHEMA_VERSION, "source": str(tmp_path)})
    (index_dir / store.CURRENT).write_text("gen-test\n", encoding="utf-8")
    return Engine(index_dir)
