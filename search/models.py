"""What the search API returns: plain dataclasses, rendered by the CLI and the TUI alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, get_args

Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = get_args(Sort)  # the one list of sort orders, in cycling order
Span = tuple[int, int]


@dataclass(frozen=True)
class Filters:
    """Filters applied on top of the query; empty means no filter."""

    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    include_undated: bool = True
    languages: tuple[str, ...] = ()  # ISO 639-1 codes

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: saved searches keep it, exports and tables cite it."""
        return {
            "outlets": list(self.outlets),
            "languages": list(self.languages),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "include_undated": self.include_undated,
        }


@dataclass
class Snippet:
    """A passage of text with character spans to highlight in it."""

    text: str
    highlights: list[Span] = field(default_factory=list)


@dataclass
class Hit:
    id: str
    title: str
    outlet: str | None
    outlet_name: str | None
    published: datetime | None
    published_estimated: bool
    authors: list[str]
    dateline: str | None
    path: str
    words: int
    score: float
    snippet: Snippet
    title_highlights: list[Span] = field(default_factory=list)
    language: str | None = None  # ISO 639-1


@dataclass
class Facets:
    """Counts over the whole result set, not just the page shown."""

    outlet: dict[str, int] = field(default_factory=dict)
    year: dict[str, int] = field(default_factory=dict)
    month: dict[str, int] = field(default_factory=dict)
    no_date: int = 0
    language: dict[str, int] = field(default_factory=dict)  # ISO 639-1 code → articles


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    facets: Facets
    suggestion: str | None
    took_ms: float
    page: int = 1
    page_size: int = 20
    notice: str | None = None


@dataclass
class ArticleView:
    """One article for the reader: paragraphs with the query's spans in each."""

    id: str
    path: str
    title: str
    outlet: str | None
    outlet_name: str | None
    published: datetime | None
    published_estimated: bool
    authors: list[str]
    dateline: str | None
    body: list[str]
    captions: list[str]
    words: int
    language: str | None = None  # ISO 639-1
    title_highlights: list[Span] = field(default_factory=list)
    body_highlights: list[list[Span]] = field(default_factory=list)
