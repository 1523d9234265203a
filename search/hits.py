"""Stored fields → the dataclasses the CLI and the TUI render (no Whoosh object leaks out)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import Any

from index.article import Article
from search.highlight import HighlightTerms, find_spans, make_snippet
from search.models import ArticleView, Hit


def article_from_stored(fields: dict[str, Any]) -> Article:
    """The one reading of an article's stored fields: export, hits and the reader share it."""
    iso = fields.get("published_iso")
    body = fields.get("body") or ""
    return Article(
        id=fields["id"],
        path=fields.get("path") or "",
        title=fields.get("title") or "",
        body=body.split("\n") if body else [],
        outlet=fields.get("outlet"),
        outlet_name=fields.get("outlet_name"),
        published=datetime.fromisoformat(iso) if iso else None,
        published_estimated=bool(fields.get("published_estimated")),
        authors=list(fields.get("authors_list") or []),
        dateline=fields.get("dateline"),
        captions=list(fields.get("captions") or []),
        words=int(fields.get("words") or 0),
        language=fields.get("language"),
        story=fields.get("story"),
    )


def hit_from_stored(fields: dict[str, Any], score: Any, terms: HighlightTerms) -> Hit:
    """A result-list entry. `score` is Whoosh's; sorted by date there is none (0.0)."""
    a = article_from_stored(fields)
    return Hit(
        id=a.id,
        title=a.title,
        outlet=a.outlet,
        outlet_name=a.outlet_name,
        published=a.published,
        published_estimated=a.published_estimated,
        authors=a.authors,
        dateline=a.dateline,
        path=a.path,
        words=a.words,
        score=float(score) if isinstance(score, (int, float)) else 0.0,
        snippet=make_snippet(a.body, terms),
        title_highlights=find_spans(a.title, terms),
        language=a.language,
        story=a.story,
    )


def view_from_stored(fields: dict[str, Any], terms: HighlightTerms) -> ArticleView:
    """The reader's article: the stored article plus the query's spans in it."""
    a = article_from_stored(fields)
    return ArticleView(
        **{f.name: getattr(a, f.name) for f in dataclass_fields(Article)},
        title_highlights=find_spans(a.title, terms),
        body_highlights=[find_spans(p, terms) for p in a.body],
    )
