"""Saved searches: name one, and the editable list that reopens them.

The list is the one place to manage them: Enter or 1–9 reopens, `e` renames, `d` deletes,
shift+up / shift+down reorder (the order is what the number keys on the search screen use).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from index.untrusted import printable
from tui.storage import SavedSearch, SavedSearches


class NameScreen(ModalScreen[str | None]):
    """Ask for a name; Enter answers it, Esc answers None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="warta.name.cancel"),
    ]

    def __init__(
        self, prompt: str, value: str = "", help: str = "Enter to save · Esc to cancel"
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.help = help

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.prompt, classes="dialog-title")
            yield Input(self.value, id="name")
            yield Label(self.help, classes="dialog-help")

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def describe(saved: SavedSearch) -> str:
    """One line of what a saved search holds, for the list."""
    f = saved.filters
    bits = [f"“{saved.query}”" if saved.query else "all articles"]
    if f.outlets:
        bits.append(", ".join(f.outlets))
    if f.since or f.until:
        bits.append(f"{f.since or '…'} – {f.until or '…'}")
    if not f.include_undated:
        bits.append("dated only")
    if saved.sort != "relevance":
        bits.append(saved.sort)
    return " · ".join(bits)


class SavedScreen(ModalScreen[SavedSearch | None]):
    """The saved searches, in key order; dismisses with the one to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="warta.saved.close"),
        Binding("e", "rename", "Rename", id="warta.saved.rename"),
        Binding("d,delete", "delete", "Delete", id="warta.saved.delete"),
        Binding("shift+up", "move(-1)", "Move up", id="warta.saved.move_up"),
        Binding("shift+down", "move(1)", "Move down", id="warta.saved.move_down"),
        *(
            Binding(str(n), f"open({n - 1})", f"Open {n}", show=False, id=f"warta.saved.open_{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, saved: SavedSearches) -> None:
        super().__init__()
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Saved searches", classes="dialog-title")
            yield OptionList(id="saved-list")
            yield Label(
                "Enter or 1–9 open · e rename · d delete · shift+↑↓ reorder · Esc close",
                classes="dialog-help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self._fill(0)

    def _fill(self, highlight: int | None) -> None:
        box = self.query_one("#saved-list", OptionList)
        box.clear_options()
        if not self.saved.items:
            box.add_option(
                Option("Nothing saved yet: press ctrl+s on the search screen.", disabled=True)
            )
            return
        for i, s in enumerate(self.saved.items):
            number = f"{i + 1} " if i < 9 else "  "
            box.add_option(
                Option(
                    Content.assemble(
                        (number, "bold $text-accent"),
                        (s.name, "bold"),
                        "\n  ",
                        (describe(s), "$text-muted"),
                    )
                )
            )
        if highlight is not None:
            box.highlighted = min(highlight, len(self.saved.items) - 1)
        box.focus()

    def _index(self) -> int | None:
        box = self.query_one("#saved-list", OptionList)
        if not self.saved.items:
            return None
        return box.highlighted

    @on(OptionList.OptionSelected, "#saved-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option_index)

    def action_open(self, index: int) -> None:
        if 0 <= index < len(self.saved.items):
            self.dismiss(self.saved.items[index])

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        index = self._index()
        if index is None:
            return
        name = self.saved.items[index].name
        self.saved.remove(index)
        self.notify(f"Deleted “{printable(name)}”", timeout=2, markup=False)
        self._fill(index)

    def action_move(self, delta: int) -> None:
        index = self._index()
        if index is not None:
            self._fill(self.saved.move(index, delta))

    def action_rename(self) -> None:
        index = self._index()
        if index is None:
            return

        def renamed(name: str | None) -> None:
            if name:
                self.saved.rename(index, name)
                self._fill(index)

        self.app.push_screen(
            NameScreen("Rename saved search", self.saved.items[index].name), renamed
        )
