"""The help screen: the keys, drawn from the live bindings so a remapped key shows as remapped."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

if TYPE_CHECKING:
    from tui.app import WartaApp

# (section, [(binding id, what it does)]): ids, not keys, so user keymaps are respected.
SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Searching",
        [
            ("warta.focus_search", "type a query (results follow as you type)"),
            ("warta.back", "leave the search bar for the results, and back"),
            ("warta.search.history_back", "in the search bar: earlier queries"),
            ("warta.take_suggestion", "take the did-you-mean suggestion"),
            ("warta.sort", "sort: relevance → newest → oldest"),
            ("warta.clear_filters", "clear every filter"),
            ("warta.facets.share", "outlets: counts / share of each outlet's articles"),
            ("warta.terms", "distinctive terms of the matches (Enter adds one)"),
            ("warta.export", "export every hit to a .csv or .jsonl file"),
            ("warta.stories", "stories: one hit per story / every article its own hit"),
            ("warta.save_search", "save query and filters under a name"),
            ("warta.saved_searches", "the saved searches (1–9 reopen one directly)"),
        ],
    ),
    (
        "Moving",
        [
            ("warta.results.down", "next result (also ↓)"),
            ("warta.results.up", "previous result (also ↑)"),
            ("warta.results.open", "open the result"),
            ("warta.facets.extend_range", "in Dates: stretch the date range to here"),
            ("warta.timeline.earlier", "in the timeline: earlier period (→ later)"),
            ("warta.timeline.stretch", "in the timeline: stretch the pick (shift+→ too)"),
            ("warta.timeline.pick", "in the timeline: filter to the picked periods"),
        ],
    ),
    (
        "Reading",
        [
            ("warta.reader.next", "next highlighted term"),
            ("warta.reader.previous", "previous highlighted term"),
            ("warta.reader.raw", "raw page / clean article"),
            ("warta.reader.story", "the story's other articles (Enter opens one)"),
            ("warta.reader.related", "related articles"),
            ("warta.reader.back", "back to the results, as you left them"),
        ],
    ),
    (
        "Everywhere",
        [
            ("warta.help", "this help (F1 works even while typing)"),
            ("warta.theme", "dark / light theme"),
            ("warta.palette", "command palette: every action by name"),
            ("warta.quit", "quit"),
        ],
    ),
]

QUERY_TIPS = (
    "Words are matched by their root: kerja finds bekerja, pekerjaan, dikerjakan.\n"
    '"Korea Utara" a phrase · -nuklir or NOT nuklir excludes · rudal OR roket widens · '
    "rud* a prefix\n"
    'title:rudal · outlet:kompas · author:"Rendi Mahendra" · since:2023-09 · '
    "date:2023-09..2023-11\n"
    "Tab moves between the search bar, outlets, dates, the timeline and results."
)


class HelpScreen(ModalScreen[None]):
    """Keys grouped by what the user is doing; any key in the list below closes it."""

    app: WartaApp  # type: ignore[assignment]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="warta.help.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="help"):
            yield Label("Warta — keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(self._keys())
                yield Static(Content.styled(QUERY_TIPS, "$text-muted"), id="help-tips")
            yield Label("Esc closes", classes="dialog-help")

    def _keys(self) -> Content:
        lines: list[Content] = []
        for title, rows in SECTIONS:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(title, "bold $text-accent"))
            for binding_id, what in rows:
                key = self.app.key_for(binding_id)
                lines.append(Content.assemble((f"  {key:<12}", "bold"), what))
        return Content("\n").join(lines)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
