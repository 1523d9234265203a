"""Stored fields → the dataclasses the CLI and the TUI render (no Whoosh object leaks out)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from search.highlight import HighlightTerms, find_spans, make_snippet
from search.models import ArticleView, Hit


def _published(fields: dict[str, Any]) -> datetime | None:
    iso = fields.get("published_iso")
    return datetime.fromisoformat(iso) if iso else None


def _paragraphs(fields: dict[str, Any]) -> list[str]:
    body = fields.get("body") or ""
    return body.split("\n") if body else []


def hit_from_stored(fields: dict[str, Any], score: Any, terms: HighlightTerms) -> Hit:
    """A result-list entry. `score` is Whoosh's; sorted by date there is none (0.0)."""
    title = fields.get("title") or ""
    return Hit(
        id=fields["id"],
        title=title,
        outlet=fields.get("outlet"),
        outlet_name=fields.get("outlet_name"),
        published=_published(fields),
        published_estimated=bool(fields.get("published_estimated")),
        authors=list(fields.get("authors_list") or []),
        dateline=fields.get("dateline"),
        path=fields.get("path") or "",
        words=int(fields.get("words") or 0),
        score=float(score) if isinstance(score, (int, float)) else 0.0,
        snippet=make_snippet(_paragraphs(fields), terms),
        title_highlights=find_spans(title, terms),
    )


def view_from_stored(fields: dict[str, Any], terms: HighlightTerms) -> ArticleView:
    title = fields.get("title") or ""
    body = _paragraphs(fields)
    return ArticleView(
        id=fields["id"],
        path=fields.get("path") or "",
        title=title,
        outlet=fields.get("outlet"),
        outlet_name=fields.get("outlet_name"),
        published=_published(fields),
        published_estimated=bool(fields.get("published_estimated")),
        authors=list(fields.get("authors_list") or []),
        dateline=fields.get("dateline"),
        body=body,
        captions=list(fields.get("captions") or []),
        words=int(fields.get("words") or 0),
        title_highlights=find_spans(title, terms),
        body_highlights=[find_spans(p, terms) for p in body],
    )
