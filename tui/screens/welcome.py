"""The first screen on a machine with no index: build one from a folder, then search it.

The sample archive shipped with Warta is offered first, so a fresh install is one Enter
away from results. The build runs in a thread worker with the same progress (files, rate,
time left) and the same closing report as `warta index`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from index.build import BuildReport, build_index
from index.errors import WartaError
from index.progress import ProgressCounter, format_clock
from index.summary import report_lines
from index.untrusted import printable

if TYPE_CHECKING:
    from tui.app import WartaApp

SAMPLE = Path(__file__).resolve().parent.parent.parent / "seeds"


class _BuildProgress(ProgressCounter):
    """The `progress` object build_index drives, relayed to the screen from the build thread.

    Counts and words its line as the CLI's bar does (files, and bytes when the build
    reports them, so one huge JSON Lines file does not sit at 0%). Throttled to ten
    updates a second: call_from_thread waits for the UI each time.
    """

    def __init__(self, screen: WelcomeScreen, total: int) -> None:
        super().__init__(total)
        self.screen = screen

    def draw(self, now: float) -> None:
        line = f"indexing {self.status(now)}"
        self.screen.app.call_from_thread(self.screen.show_progress, self.fraction(), line)

    def stage(self, label: str) -> None:
        """A step after reading (writing the index) that can take a while on a big archive."""
        line = f"{label} …  {format_clock(self.elapsed())} elapsed"
        self.screen.app.call_from_thread(self.screen.show_progress, 1.0, line)

    def finish(self) -> None:
        self._tick(force=True)


class WelcomeScreen(Screen[None]):
    """No index at the configured place: say so, and offer to build one."""

    app: WartaApp  # type: ignore[assignment]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "focus_folder", "Folder", show=False, id="warta.welcome.folder"),
    ]

    def __init__(self, index_dir: Path, reason: str | None = None) -> None:
        super().__init__()
        self.index_dir = index_dir
        self.reason = reason
        self.building = False
        self.built = False

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Label("Welcome to Warta", id="welcome-title")
            yield Static(self._intro(), id="welcome-intro")
            yield Label("Folder of articles to index:", classes="field-label")
            with Horizontal(id="welcome-row"):
                yield Input(self._suggested(), id="folder", placeholder="path/to/archive")
                yield Button("Build index", id="build", variant="primary")
            yield ProgressBar(id="build-progress", show_eta=False)
            yield Static(id="build-status")
            yield Static(id="build-report")
        yield Footer()

    def _intro(self) -> Content:
        lines = [
            Content.assemble("There is no index at ", (str(self.index_dir), "bold"), " yet."),
        ]
        if self.reason:
            lines.append(Content.styled(self.reason, "$text-warning"))
        lines.append(
            Content(
                "Warta indexes a folder of saved news pages (.txt, searched recursively): "
                "it strips the site clutter, reads title, outlet and date, and stems the "
                "Indonesian text."
            )
        )
        if SAMPLE.is_dir():
            lines.append(
                Content.styled(
                    "The sample archive that ships with Warta is filled in below: "
                    "press Enter to try it.",
                    "$text-muted",
                )
            )
        return Content("\n").join(lines)

    @staticmethod
    def _suggested() -> str:
        return shown(SAMPLE) if SAMPLE.is_dir() else ""

    def on_mount(self) -> None:
        self.query_one("#build-progress").display = False
        folder = self.query_one("#folder", Input)
        folder.focus()
        folder.cursor_position = len(folder.value)

    def action_focus_folder(self) -> None:
        self.query_one("#folder", Input).focus()

    @on(Input.Submitted, "#folder")
    @on(Button.Pressed, "#build")
    def _start(self) -> None:
        if self.built:
            self.app.show_search()
            return
        if self.building:
            return
        text = self.query_one("#folder", Input).value.strip()
        if not text:
            self._status(Content.styled("Type the folder to index.", "$text-error"))
            return
        source = Path(text).expanduser()
        if not source.is_dir():
            self._status(Content.styled(f"{source} is not a folder.", "$text-error"))
            return
        self.building = True
        self.query_one("#build", Button).disabled = True
        self.query_one("#folder", Input).disabled = True
        self._status(Content(f"Reading {printable(str(source))} …"))
        self._build(source)

    def _status(self, content: Content) -> None:
        self.query_one("#build-status", Static).update(content)

    @work(thread=True, exclusive=True, group="build")
    def _build(self, source: Path) -> None:
        worker = get_current_worker()
        try:
            report = build_index(
                source, self.index_dir, progress=lambda total: _BuildProgress(self, total)
            )
        except WartaError as err:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(err))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._built, report)

    def show_progress(self, fraction: float, line: str) -> None:
        bar = self.query_one("#build-progress", ProgressBar)
        bar.display = True
        bar.update(total=1000, progress=round(fraction * 1000))
        self._status(Content(line))

    def _failed(self, message: str) -> None:
        self.building = False
        self.query_one("#build", Button).disabled = False
        folder = self.query_one("#folder", Input)
        folder.disabled = False
        folder.focus()
        self._status(Content.styled(message, "$text-error"))

    def _built(self, report: BuildReport) -> None:
        """Show the report, then one Enter opens the results (the report is worth a look)."""
        self.query_one("#build-report", Static).update(Content(report_text(report)))
        try:
            self.app.open_engine()
        except WartaError as err:
            self._failed(str(err))
            return
        self.built = True
        self._status(Content.styled("Done. Press Enter to start searching.", "$text-success"))
        button = self.query_one("#build", Button)
        button.label = "Start searching"
        button.disabled = False
        button.focus()


def shown(path: Path) -> str:
    """A path as short as it can be and still be typed back: relative to here if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def report_text(report: BuildReport) -> str:
    """The closing report exactly as `warta index` prints it (one renderer, two front ends)."""
    return "\n".join(report_lines(report))
