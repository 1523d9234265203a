"""The `warta` command: the one place that parses arguments, renders to the terminal and
opens the TUI. Nothing imports it; it imports the command modules, which import `search`,
`index` and (for `warta tui`) `tui`.

Every error a user can cause is a WartaError: printed as one line on stderr with a non-zero
exit status. Nothing else is caught here, so a traceback always means a bug.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from index.errors import WartaError
from warta import commands_analysis, commands_index, commands_search
from warta.terminal import safe

EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {
    "index": commands_index.run_index,
    "export": commands_index.run_export,
    "outlets": commands_index.run_outlets,
    "tui": commands_index.run_tui,
    "search": commands_search.run_search,
    "show": commands_search.run_show,
    "stats": commands_search.run_stats,
    "trend": commands_analysis.run_trend,
    "terms": commands_analysis.run_terms,
    "stories": commands_analysis.run_stories,
}


class _Parser(argparse.ArgumentParser):
    """argparse with Warta's error convention: one line, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"warta: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="warta",
        description="Full-text search for Indonesian news archives. "
        "With no command, opens the terminal UI.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more")
    parser.add_argument("--index", metavar="PATH", help="index directory (env WARTA_INDEX)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands_index.add_parsers(sub)
    commands_search.add_parsers(sub)
    commands_analysis.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `warta` with `argv` (the process's arguments when None); the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="warta: %(message)s",
    )
    name = args.command or "tui"
    try:
        return COMMANDS[name](args)
    except WartaError as err:
        print(f"warta: {safe(str(err))}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("warta: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `warta search … | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
