"""The search bar: an Input that walks the query history with Up and Down.

The line under it carries whatever the last search had to say: a did-you-mean, the engine's
notice, or the message of a query it could not parse (never a traceback).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static

from index.untrusted import printable


class SearchBar(Input):
    """Up recalls earlier queries (newest first); Down walks back to what was being typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "History", id="warta.search.history_back"),
        Binding("down", "history(1)", "Later query", show=False, id="warta.search.history_fwd"),
        Binding("enter", "submit", "Results", id="warta.search.submit"),
    ]

    def __init__(self, history: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = history
        self._pos: int | None = None  # index into history while browsing, else None
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._pos is not None and self.value != self.history[self._pos]:
            self._pos = None  # the recalled query was edited: it is the new draft
        if self._pos is None:
            if step > 0:
                return
            self._draft = self.value
            pos = len(self.history) - 1
        else:
            pos = self._pos + step
        if pos >= len(self.history):
            self._pos = None
            self._recall(self._draft)
            return
        self._pos = max(0, pos)
        self._recall(self.history[self._pos])

    def _recall(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)


class SearchStatus(Static):
    """One line under the search bar: the suggestion, a notice, or a query error."""

    def show_suggestion(self, suggestion: str, key: str) -> None:
        self.set_class(False, "-error")
        self.update(
            Content.assemble(
                "Did you mean ",
                (suggestion, "bold $text-accent"),
                "?  ",
                (f"{key} to search it", "$text-muted"),
            )
        )

    def show_error(self, message: str) -> None:
        self.set_class(True, "-error")
        self.update(Content(printable(message)))

    def show_notice(self, message: str | None) -> None:
        self.set_class(False, "-error")
        self.update(Content(printable(message or "")))
