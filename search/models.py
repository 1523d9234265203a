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
    # Its story (index.stories): the id its copies share, whether it is the story's first
    # dated article, and how many articles the story holds in the archive.
    story: str | None = None
    origin: bool | None = None
    story_size: int = 1
    # Other matching articles of the same story folded into this hit (one hit per story),
    # and the names of their outlets, most relevant first.
    folded: int = 0
    folded_outlets: list[str] = field(default_factory=list)


@dataclass
class Facets:
    """Counts over the whole result set, not just the page shown."""

    outlet: dict[str, int] = field(default_factory=dict)
    year: dict[str, int] = field(default_factory=dict)
    month: dict[str, int] = field(default_factory=dict)
    no_date: int = 0
    language: dict[str, int] = field(default_factory=dict)  # ISO 639-1 code → articles
    counted: str = "articles"  # or "stories": each story once under every value it has


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
    # Distinct stories among the `total` articles, when hits are one per story; None
    # when every article is its own hit (asked for, or the index has no story table).
    stories: int | None = None


@dataclass
class StorySummary:
    """A story of several articles, as `warta stories` lists it."""

    story: str
    size: int  # its articles in the archive
    matching: int  # of them, those the query and filters let through
    title: str  # the origin's headline (the earliest article's when none is dated)
    origin_id: str | None  # None: no member is dated
    outlets: list[str]  # outlet names, the origin's (or earliest article's) first
    first: date | None  # the earliest and latest publication day among its articles
    last: date | None
    articles: list[str] = field(default_factory=list)  # every member's id, earliest first


@dataclass
class StoryMember:
    """Another article of a story, as the reader lists it."""

    id: str
    title: str
    outlet: str | None
    outlet_name: str | None
    published: datetime | None
    origin: bool
    # Paragraphs of this article not in the one being read, and of that one not here.
    added: int = 0
    missing: int = 0


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
    story: str | None = None
    origin: bool | None = None
    # The story's other articles, earliest first (index.stories); empty when it stands alone.
    family: list[StoryMember] = field(default_factory=list)
    # Against the story's first article (when this is another): the indexes of this
    # article's paragraphs it does not hold, and its paragraphs this one lacks.
    compared_with: str | None = None
    added: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    title_highlights: list[Span] = field(default_factory=list)
    body_highlights: list[list[Span]] = field(default_factory=list)
