"""The reader: one article, clean, with the query's terms highlighted.

n / p walk the highlights across paragraphs (the current one drawn stronger and scrolled
into view), `r` flips to the raw page the article was cleaned from, and related articles
wait at the end. It is pushed over the search screen, so Esc pops back to the very same
selection and scroll position.

An article that is one of several copies of a story (wire copy, reposts) says so under
its metadata and lists the story's articles at the end (`S` goes there; Enter opens one in
a reader of its own, Esc comes back). A copy is read against the story's first article:
its paragraphs the first does not hold carry a bar in the margin, and the first article's
paragraphs it dropped follow the text, dimmed, so what changed is seen without a diff.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from index.errors import WartaError
from index.untrusted import printable
from search.models import ArticleView, Hit, Span, StoryMember
from tui.format import (
    CURRENT,
    HIGHLIGHT,
    META,
    TITLE,
    highlighted,
    long_date,
    plural,
    short_date,
)
from tui.widgets.results import hit_prompt

if TYPE_CHECKING:
    from tui.app import WartaApp

RELATED = 5
ADDED_MARK = "▌"  # what the margin bar of a paragraph the first article lacks looks like
ADDED = "$text-success"
MISSING = "$text-error"
OUTLET_WIDTH = 16


class Paragraph(Static):
    """One body paragraph; redrawn when the current highlight moves in or out of it."""

    def __init__(self, text: str, spans: list[Span], classes: str = "") -> None:
        self.text = text
        self.spans = spans
        super().__init__(self.render_with(None), classes=classes)

    def render_with(self, current: int | None) -> Content:
        content = highlighted(self.text, self.spans, HIGHLIGHT)
        if current is not None:
            start, end = self.spans[current]
            content = content.stylize(CURRENT, start, end)
        return content

    def draw(self, current: int | None) -> None:
        self.update(self.render_with(current))


class StoryList(OptionList):
    """The story's articles, earliest first, this one among them (greyed: it is open);
    Enter opens another in a new reader (Esc comes back here)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="warta.story.down"),
        Binding("k", "cursor_up", "Up", show=False, id="warta.story.up"),
    ]


def story_rows(article: ArticleView) -> list[Option]:
    """One row a story article, earliest first: first-marker, date, outlet, what it adds
    to and lacks from the article being read (in paragraphs), headline. The article being
    read is a disabled row in its place, so the list shows where it came in the story."""
    rows: list[Option] = []
    here = _member_sort_key(article.published)
    placed = False
    for member in article.family:
        if not placed and here < _member_sort_key(member.published):
            rows.append(_this_row(article))
            placed = True
        rows.append(Option(_member_row(member), id=member.id))
    if not placed:
        rows.append(_this_row(article))
    return rows


def _member_sort_key(moment: datetime | None) -> tuple[int, float]:
    """Dated before undated, then by time: the family's order (earliest first)."""
    return (0, moment.timestamp()) if moment is not None else (1, 0.0)


def _row(
    origin: bool,
    published: datetime | None,
    estimated: bool,
    outlet: str,
    diff: Content,
    title: str,
) -> Content:
    """A story row's columns; page text (outlet, title) is made printable, never markup."""
    where = printable(outlet)
    if len(where) > OUTLET_WIDTH:
        where = where[: OUTLET_WIDTH - 1] + "…"
    return Content.assemble(
        ("first " if origin else "      ", f"bold {ADDED}"),
        (short_date(published, estimated), META),
        "  ",
        where.ljust(OUTLET_WIDTH),
        "  ",
        diff,
        "  ",
        (printable(title or "(untitled)"), TITLE),
    )


def _member_row(member: StoryMember) -> Content:
    if member.added or member.missing:
        diff = Content.assemble(
            (f"+{member.added:<3}", ADDED if member.added else META),
            (f"−{member.missing:<3}", MISSING if member.missing else META),
        )
    else:
        diff = Content.styled("same    ", META)
    outlet = member.outlet_name or member.outlet or "unknown outlet"
    return _row(member.origin, member.published, False, outlet, diff, member.title)


def _this_row(article: ArticleView) -> Option:
    outlet = article.outlet_name or article.outlet or "unknown outlet"
    row = _row(
        bool(article.origin),
        article.published,
        article.published_estimated,
        outlet,
        Content.styled("this one", "italic"),
        article.title,
    )
    return Option(row, id=f"this:{article.id}", disabled=True)


class RelatedList(OptionList):
    """Articles like this one; Enter opens one in a new reader (Esc comes back here)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="warta.related.down"),
        Binding("k", "cursor_up", "Up", show=False, id="warta.related.up"),
    ]


class ReaderScreen(Screen[None]):
    """A full article, opened from a hit (or from a related article)."""

    app: WartaApp  # type: ignore[assignment]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="warta.reader.back"),
        Binding("n", "next_highlight", "Next hit", id="warta.reader.next"),
        Binding("p,N", "previous_highlight", "Prev hit", id="warta.reader.previous"),
        Binding("r", "toggle_raw", "Raw/clean", id="warta.reader.raw"),
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="warta.reader.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="warta.reader.up"),
        Binding("space,pagedown", "page_down", "Page", show=False, id="warta.reader.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="warta.reader.page_up"),
        Binding("R", "focus_related", "Related", id="warta.reader.related"),
        Binding("S", "focus_story", "Story", id="warta.reader.story"),
    ]

    def __init__(self, article_id: str, query: str = "") -> None:
        super().__init__()
        self.article_id = article_id
        self.query_text = query
        self.article: ArticleView | None = None
        self.marks: list[tuple[int, int]] = []  # (paragraph, span) of every body highlight
        self.current: int | None = None
        self.raw_text: str | None = None
        self.related: list[Hit] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reader"):
            yield Static(id="reader-title")
            yield Static(id="reader-meta")
            yield Vertical(id="reader-body")
            yield Vertical(id="reader-missing")
            yield Static(id="reader-raw")
            yield Label("Story", id="story-title")
            yield Static(id="story-help")
            yield StoryList(id="story")
            yield Label("Related articles", id="related-title")
            yield RelatedList(id="related")
        yield Static(id="reader-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reader-raw").display = False
        self.query_one("#reader-missing").display = False
        for story in ("#story-title", "#story-help", "#story"):
            self.query_one(story).display = False
        self.query_one("#related-title").display = False
        self.query_one(RelatedList).display = False
        self.query_one("#reader", VerticalScroll).focus()
        self._load(self.article_id, self.query_text)

    # -- loading -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="reader")
    def _load(self, article_id: str, query: str) -> None:
        worker = get_current_worker()
        try:
            article = self.app.engine.article(article_id, query)
        except WartaError as err:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(err))
            return
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._show, article)
        # The story's own articles are listed above the related ones: not twice.
        family = {m.id for m in article.family}
        try:
            related = self.app.engine.more_like_this(article_id, limit=RELATED + len(family))
        except WartaError:
            related = []
        related = [
            h for h in related if h.id not in family and not (h.story and h.story == article.story)
        ][:RELATED]
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_related, related)

    def _failed(self, message: str) -> None:
        self.query_one("#reader-title", Static).update(Content.styled(message, "bold $error"))

    def _show(self, article: ArticleView) -> None:
        self.article = article
        title = highlighted(article.title or "(untitled)", article.title_highlights, HIGHLIGHT)
        self.query_one("#reader-title", Static).update(title)
        self.query_one("#reader-meta", Static).update(self._meta(article))
        body = self.query_one("#reader-body", Vertical)
        body.remove_children()
        spans = article.body_highlights or [[] for _ in article.body]
        added = set(article.added) if article.compared_with else set()
        paragraphs = [
            Paragraph(
                text,
                list(spans[i]) if i < len(spans) else [],
                classes="para -added" if i in added else "para",
            )
            for i, text in enumerate(article.body)
        ]
        if article.captions:
            paragraphs.append(
                Paragraph("Captions: " + " / ".join(article.captions), [], classes="para captions")
            )
        body.set_class(bool(added), "-compared")  # aligns the text beside the bars
        body.mount_all(paragraphs)
        self.marks = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p.spans))]
        self.current = None
        self.sub_title = article.title
        self._show_missing(article)
        self._show_story(article)
        self.refresh_bindings()

    def _show_missing(self, article: ArticleView) -> None:
        """The first article's paragraphs this copy dropped, after its own text."""
        box = self.query_one("#reader-missing", Vertical)
        box.remove_children()
        if not (article.compared_with and article.missing):
            return
        box.display = True
        box.mount_all(
            [
                Label("In the first article, not here:", classes="section-title"),
                *(Static(Content(text), classes="para -missing") for text in article.missing),
            ]
        )

    def _show_story(self, article: ArticleView) -> None:
        """The story's articles, this one in its place; nothing for an article alone."""
        if not article.family:
            return
        size = len(article.family) + 1
        self.query_one("#story-title", Label).update(f"Story: {size} articles")
        self.query_one("#story-help", Static).update(
            Content.assemble(
                ("+n", ADDED),
                " paragraphs it has that this one lacks · ",
                ("−n", MISSING),
                " paragraphs of this one it lacks · Enter opens it",
            ).stylize_before(META)
        )
        box = self.query_one(StoryList)
        box.clear_options()
        box.add_options(story_rows(article))
        for part in ("#story-title", "#story-help", "#story"):
            self.query_one(part).display = True

    def _meta(self, article: ArticleView) -> Content:
        lines: list[Content] = []
        where = article.outlet_name or article.outlet or "unknown outlet"
        first = Content.assemble(
            (where, "bold $text-accent"),
            ("  ·  ", META),
            long_date(article.published, article.published_estimated),
        )
        lines.append(first)
        details = []
        if article.authors:
            details.append("by " + ", ".join(article.authors))
        if article.dateline:
            details.append(f"dateline {article.dateline}")
        details.append(plural(article.words, "word"))
        lines.append(Content.styled("  ·  ".join(details), META))
        hits = sum(len(s) for s in article.body_highlights)
        if self.query_text.strip():
            key_n = self.app.key_for("warta.reader.next")
            lines.append(
                Content.styled(
                    f"{plural(hits, 'match', 'matches')} for “{self.query_text}”"
                    + (f" — {key_n} jumps to the next" if hits else ""),
                    META,
                )
            )
        lines.extend(self._story_lines(article))
        lines.append(Content.styled(printable(article.path), META))
        return Content("\n").join(lines)

    def _story_lines(self, article: ArticleView) -> list[Content]:
        """Where this article stands in its story, and for a copy what differs from the
        first article; nothing for an article alone."""
        if not article.family:
            return []
        key = self.app.key_for("warta.reader.story")
        size = len(article.family) + 1
        first = next((m for m in article.family if m.id == article.compared_with), None)
        if article.origin:
            role = "this is the first to report it"
        elif first is not None:
            where = printable(first.outlet_name or first.outlet or "unknown outlet")
            role = f"first in {where}, {long_date(first.published)}"
        else:
            role = "no article of it is dated"
        lines = [
            Content.assemble(
                (f"Story of {size} articles", "bold"),
                f" · {role} · ",
                (f"{key} lists them", META),
            )
        ]
        if first is not None:
            if article.added or article.missing:
                parts: list[Content | str] = []
                if article.added:
                    parts.append(
                        Content.assemble(
                            (ADDED_MARK, ADDED),
                            f" {plural(len(article.added), 'paragraph')} not in the first article",
                        )
                    )
                if article.missing:
                    parts.append(
                        f"{plural(len(article.missing), 'paragraph')} of it not here (at the end)"
                    )
                lines.append(Content(" · ").join(parts))
            else:
                lines.append(Content.styled("the same text as the first article", META))
        return lines

    def _show_related(self, related: list[Hit]) -> None:
        self.related = related
        if not related:
            return
        self.query_one("#related-title").display = True
        box = self.query_one(RelatedList)
        box.display = True
        box.clear_options()
        options: list[Option | None] = []
        for hit in related:
            options += [Option(hit_prompt(hit), id=hit.id), None]
        box.add_options(options)

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_story":  # in the footer only for an article of a story
            return bool(self.article is not None and self.article.family)
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def _paragraphs(self) -> list[Paragraph]:
        return list(self.query_one("#reader-body").query(Paragraph))

    def _go(self, step: int) -> None:
        if not self.marks:
            self._say("no highlighted terms in this article")
            return
        if self.raw_text is not None and self.query_one("#reader-raw").display:
            self.action_toggle_raw()
        paragraphs = self._paragraphs()
        if self.current is not None:
            para, _ = self.marks[self.current]
            paragraphs[para].draw(None)
            self.current = (self.current + step) % len(self.marks)
        else:
            self.current = 0 if step > 0 else len(self.marks) - 1
        para, span = self.marks[self.current]
        paragraphs[para].draw(span)
        self.query_one("#reader", VerticalScroll).scroll_to_center(paragraphs[para], animate=False)
        self._say(f"match {self.current + 1} of {len(self.marks)}")

    def _say(self, text: str) -> None:
        """The one-line status above the footer (a toast would cover the text being read)."""
        self.query_one("#reader-status", Static).update(Content.styled(text, META))

    def action_next_highlight(self) -> None:
        self._go(1)

    def action_previous_highlight(self) -> None:
        self._go(-1)

    def action_toggle_raw(self) -> None:
        raw = self.query_one("#reader-raw", Static)
        if raw.display:
            raw.display = False
            self.query_one("#reader-body").display = True
            missing = self.query_one("#reader-missing")
            missing.display = bool(missing.children)
            self._say("clean article")
            return
        if self.raw_text is None:
            try:
                self.raw_text = self.app.engine.raw(self.article_id)
            except WartaError as err:
                self.notify(printable(str(err)), severity="error", markup=False)
                return
            raw.update(Content(self.raw_text))
        self.query_one("#reader-body").display = False
        self.query_one("#reader-missing").display = False
        raw.display = True
        key = self.app.key_for("warta.reader.raw")
        self._say(f"raw page, as saved on disk — {key} for the clean article")
        self.query_one("#reader", VerticalScroll).scroll_home(animate=False)

    def action_scroll_down(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_page_up(animate=False)

    def action_focus_related(self) -> None:
        box = self.query_one(RelatedList)
        if box.display:
            box.focus()
            self.query_one("#reader", VerticalScroll).scroll_to_widget(box, animate=False)

    def action_focus_story(self) -> None:
        """Move to the story's list, on the first article other than this one."""
        box = self.query_one(StoryList)
        if not box.display:
            self._say("this article stands alone: no other article tells its story")
            return
        box.focus()
        if box.highlighted is None or box.get_option_at_index(box.highlighted).disabled:
            box.highlighted = next((i for i, o in enumerate(box.options) if not o.disabled), None)
        self.query_one("#reader", VerticalScroll).scroll_to_widget(box, animate=False)

    @on(OptionList.OptionSelected, "#story")
    def _open_member(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and not event.option.disabled:
            self.app.push_screen(ReaderScreen(event.option.id, self.query_text))

    @on(OptionList.OptionSelected, "#related")
    def _open_related(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(ReaderScreen(event.option.id, self.query_text))
