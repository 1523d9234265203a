"""Distinctive terms: the words, phrases and names the query's matches hold far more often
than the archive does (`search.keyness`), to widen or sharpen the query with.

Counting reads a sample of the matching articles and takes 0.2–1 s at 100,000 articles,
so it runs in a thread worker behind a "counting…" line. Enter adds the highlighted term
to the query (a phrase or a name of several words in double quotes); Esc closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from index.errors import WartaError
from index.untrusted import printable
from search.keyness import Term
from search.models import Filters

if TYPE_CHECKING:
    from tui.app import WartaApp

KIND_TITLES = {"word": "Words", "phrase": "Phrases", "name": "Names"}


def as_query(term: Term) -> str:
    """The term as query text: a phrase, a name of several words or anything with more
    than letters and digits (a hyphenated word) in double quotes, so it matches as one."""
    text = " ".join(printable(term.term).replace('"', " ").split())
    return text if text.isalnum() else f'"{text}"'


class TermsScreen(ModalScreen[str | None]):
    """The distinctive terms of a query's matches; dismisses with one as query text."""

    app: WartaApp  # type: ignore[assignment]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="warta.terms.close"),
    ]

    def __init__(self, query: str, filters: Filters, total: int | None) -> None:
        super().__init__()
        self.query_text = query
        self.filters = filters
        self.total = total
        self.terms: list[Term] = []

    def compose(self) -> ComposeResult:
        shown = printable(self.query_text.strip())
        with Vertical(classes="dialog wide", id="terms"):
            yield Label(
                Content.assemble("Distinctive terms of “", (shown, "bold"), "”"),
                classes="dialog-title",
            )
            yield Static("counting…", id="terms-status")
            yield OptionList(id="terms-list")
            yield Label(
                "Enter adds the term to the query · Esc closes",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one("#terms-list", OptionList).display = False
        if not self.query_text.strip():
            self._nothing("Nothing to compare: type a query first.")
        elif self.total == 0:
            self._nothing("Nothing to compare: no article matches the query.")
        else:
            self._count()

    def _nothing(self, message: str) -> None:
        self.query_one("#terms-status", Static).update(message)

    @work(thread=True, exclusive=True, group="terms", exit_on_error=False)
    def _count(self) -> None:
        worker = get_current_worker()
        try:
            terms = self.app.engine.terms(self.query_text, self.filters)
        except WartaError as err:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._nothing, printable(str(err)))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, terms)

    def _show(self, terms: list[Term]) -> None:
        if not terms:
            self._nothing("Nothing to compare: the matches hold no term the archive lacks.")
            return
        self.terms = terms
        status = self.query_one("#terms-status", Static)
        total = f" of {self.total:,}" if self.total is not None else ""
        status.update(
            Content.styled(
                f"Held by how many matching articles{total}, and by how many in the archive:",
                "$text-muted",
            )
        )
        box = self.query_one("#terms-list", OptionList)
        options: list[Option] = []
        width = max(len(printable(t.term)) for t in terms) + 2
        for kind, title in KIND_TITLES.items():
            of_kind = [(i, t) for i, t in enumerate(terms) if t.kind == kind]
            if not of_kind:
                continue
            options.append(Option(Content.styled(title, "bold $text-accent"), disabled=True))
            for i, term in of_kind:
                options.append(
                    Option(
                        Content.assemble(
                            (printable(term.term).ljust(width), "bold"),
                            (
                                f"{term.matches:>7,} matches · {term.archive:,} in the archive",
                                "$text-muted",
                            ),
                        ),
                        id=str(i),
                    )
                )
        box.add_options(options)
        box.display = True
        box.highlighted = next(i for i, o in enumerate(options) if not o.disabled)
        box.focus()

    @on(OptionList.OptionSelected, "#terms-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(as_query(self.terms[int(event.option.id)]))

    def action_cancel(self) -> None:
        self.dismiss(None)
