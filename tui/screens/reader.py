"""The reader: one article, clean, with the query's terms highlighted.

n / p walk the highlights across paragraphs (the current one drawn stronger and scrolled
into view), `r` flips to the raw page the article was cleaned from, and related articles
wait at the end. It is pushed over the search screen, so Esc pops back to the very same
selection and scroll position.
"""

from __future__ import annotations

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
from search.models import ArticleView, Hit, Span
from tui.format import CURRENT, HIGHLIGHT, META, highlighted, long_date, plural
from tui.widgets.results import hit_prompt

if TYPE_CHECKING:
    from tui.app import WartaApp

RELATED = 5


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
            yield Static(id="reader-raw")
            yield Label("Related articles", id="related-title")
            yield RelatedList(id="related")
        yield Static(id="reader-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reader-raw").display = False
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
        try:
            related = self.app.engine.more_like_this(article_id, limit=RELATED)
        except WartaError:
            related = []
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
        paragraphs = [
            Paragraph(text, list(spans[i]) if i < len(spans) else [], classes="para")
            for i, text in enumerate(article.body)
        ]
        if article.captions:
            paragraphs.append(
                Paragraph("Captions: " + " / ".join(article.captions), [], classes="para captions")
            )
        body.mount_all(paragraphs)
        self.marks = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p.spans))]
        self.current = None
        self.sub_title = article.title

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
        lines.append(Content.styled(printable(article.path), META))
        return Content("\n").join(lines)

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

    @on(OptionList.OptionSelected, "#related")
    def _open_related(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(ReaderScreen(event.option.id, self.query_text))
