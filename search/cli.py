"""The `warta` command: index, search, show, export, stats, outlets, and the TUI.

Every error a user can cause is a WartaError: printed as one line on stderr with a non-zero
exit status. Nothing else is caught here, so a traceback always means a bug.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from index.config import default_index_dir
from index.errors import WartaError
from index.untrusted import printable

EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn

    return register


def safe(text: str) -> str:
    """Text fit for a terminal: file names and queries may carry control characters."""
    return printable(text)


def index_path(args: argparse.Namespace) -> Path:
    return Path(args.index).expanduser() if args.index else default_index_dir()


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

    p = sub.add_parser("index", help="build the index from a folder of articles")
    p.add_argument("dir", metavar="DIR", help="folder of article files (searched recursively)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    p.add_argument("--outlet", metavar="KEY", help="outlet of pages that do not name theirs")
    p.add_argument("--update", action="store_true", help="only new, changed and deleted files")
    p.add_argument(
        "--map",
        metavar="FIELD=COLUMN,…",
        action="append",
        help="columns of record files (CSV, JSON) for fields: title, body, date, outlet, "
        "url, authors, category; e.g. body=isi,date=waktu",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("export", help="write every indexed article as JSON Lines")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)

    sub.add_parser("outlets", help="list the outlet table").add_argument(
        "--json", action="store_true"
    )

    p = sub.add_parser("tui", help="open the terminal UI (the default)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)

    for extend in PARSER_EXTENSIONS:
        extend(sub)
    return parser


# Other command modules add their subcommands here (search, show, stats).
PARSER_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    _load_command_modules()
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


def _load_command_modules() -> None:
    from search import commands_index  # noqa: F401

    with contextlib.suppress(ImportError):
        from search import commands_search  # noqa: F401


if __name__ == "__main__":
    # Run through the imported module, so commands register where main() looks for them.
    from search.cli import main as _main

    sys.exit(_main())
