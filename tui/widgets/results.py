"""The results list: date, outlet, title and highlighted snippet, paged in as you scroll.

A hit that stands for a story (copies of one article republished by several outlets,
folded into one hit by the engine) says under its headline how many other matching copies
it stands for and where they ran: "+4: Kompas.com, detikNews, …".

An OptionList rather than a ListView of widgets: it renders only the rows in view, so
thousands of paged-in hits cost nothing, and its highlight is the selection Esc returns to.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.untrusted import printable
from search.models import Hit
from tui.format import FOLDED, HIGHLIGHT, META, TITLE, highlighted, language_name, short_date

# Ask for the next page when the highlight comes this close to the last loaded hit.
PAGE_AHEAD = 5
# Outlets named on a folded hit's line before "…".
FOLDED_OUTLETS = 4


def folded_line(hit: Hit, limit: int = FOLDED_OUTLETS) -> Content:
    """`+4: Kompas.com, detikNews, …`: the other matching copies a hit stands for, so a
    reader sees at a glance that the story ran elsewhere and where (outlet names come
    from pages: made printable, and never read as markup)."""
    names = [printable(n) for n in hit.folded_outlets[:limit]]
    if not names:
        return Content.styled(f"+{hit.folded:,} more of this story", FOLDED)
    more = ", …" if len(hit.folded_outlets) > limit else ""
    return Content.styled(f"+{hit.folded:,}: " + ", ".join(names) + more, FOLDED)


def hit_prompt(hit: Hit) -> Content:
    """Three short blocks: where and when, the headline, the passage that matched; and a
    fourth when the hit stands for other copies of its story."""
    where = hit.outlet_name or hit.outlet or "unknown outlet"
    meta = Content.assemble(
        (short_date(hit.published, hit.published_estimated), META), (" · ", META), where
    )
    if hit.dateline:
        meta = Content.assemble(meta, (f" · {hit.dateline}", META))
    if hit.language and hit.language != "id":  # the archive's own language goes unsaid
        meta = Content.assemble(meta, (f" · {language_name(hit.language)}", META))
    if hit.story_size > hit.folded + 1:  # copies the folded line does not account for
        role = "first of a story" if hit.origin else "story"
        meta = Content.assemble(meta, (f" · {role} of {hit.story_size:,}", META))
    title = highlighted(hit.title or "(untitled)", hit.title_highlights, HIGHLIGHT).stylize_before(
        TITLE
    )
    # Newlines become spaces one for one, so the engine's character spans stay valid.
    flat = hit.snippet.text.replace("\r", " ").replace("\n", " ")
    snippet = highlighted(flat, hit.snippet.highlights, HIGHLIGHT)
    blocks = [meta, title, snippet]
    if hit.folded:
        blocks.insert(2, folded_line(hit))
    return Content("\n").join(blocks)


class ResultsList(OptionList):
    """Hits of the current search; says when the user nears the end of what is loaded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="warta.results.down"),
        Binding("k", "cursor_up", "Up", show=False, id="warta.results.up"),
        Binding("enter", "select", "Open", id="warta.results.open"),
    ]

    class NearEnd(Message):
        """The user scrolled or moved close to the last loaded hit: time for the next page."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self.total = 0  # hits there are to page in: articles, or stories when folded
        self._ids: set[str] = set()

    def show(self, hits: list[Hit], total: int, *, append: bool = False) -> None:
        """Replace (or extend) the hits shown; a fresh list starts at the top. `total` is
        how many hits the search has in all (stories, not articles, when folded), which
        says when paging in is done."""
        self.total = total
        if not append:
            self.hits = []
            self._ids = set()
            self.clear_options()
        start = len(self.hits)
        # A rebuilt index or ties in the sort can repeat a hit across pages: show it once.
        fresh = [h for h in hits if h.id not in self._ids]
        self._ids.update(h.id for h in fresh)
        self.hits.extend(fresh)
        options: list[Option | None] = []
        for hit in fresh:  # a divider after each hit: three-line rows need a visible edge
            options += [Option(hit_prompt(hit), id=hit.id), None]
        self.add_options(options)
        if not append and self.hits:
            self.highlighted = 0
            self.scroll_home(animate=False)
        elif start == 0 and self.hits:
            self.highlighted = 0

    @property
    def current(self) -> Hit | None:
        """The highlighted hit, if any."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.hits):
            return None
        return self.hits[self.highlighted]

    @property
    def more(self) -> bool:
        return len(self.hits) < self.total

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and self.more and highlighted >= len(self.hits) - PAGE_AHEAD:
            self.post_message(self.NearEnd())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.more and new >= self.max_scroll_y - self.size.height:
            self.post_message(self.NearEnd())
