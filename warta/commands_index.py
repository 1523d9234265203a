"""`warta index`, `warta export`, `warta outlets` and `warta tui`: their options and runs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import orjson

from index import outlets
from index.columns import FIELDS
from index.errors import WartaError
from index.summary import report_lines
from warta.terminal import index_path, open_engine

if TYPE_CHECKING:
    from index.build import BuildReport

# index.build (and the readers behind it) load lazily: `warta search` must start fast.


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The options of index, export, outlets and tui."""
    p = sub.add_parser("index", help="build the index from a folder of articles")
    p.add_argument("dir", metavar="DIR", help="folder of article files (searched recursively)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    p.add_argument("--outlet", metavar="KEY", help="outlet of pages that do not name theirs")
    p.add_argument("--update", action="store_true", help="only new, changed and deleted files")
    p.add_argument(
        "--map",
        metavar="FIELD=COLUMN,…",
        action="append",
        help="columns of record files (CSV, JSON) for fields: "
        f"{', '.join(FIELDS)}; e.g. body=isi,date=waktu",
    )
    p.add_argument(
        "--sheet", metavar="NAME", help="read only this sheet of each spreadsheet (.xlsx, .ods)"
    )
    p.add_argument(
        "--lang",
        metavar="CODE,…",
        help="index only articles in these languages (ISO 639-1: id, en, ms, jv …)",
    )
    p.add_argument(
        "--story-threshold",
        metavar="S",
        type=float,
        help="how alike two articles must be to be one story, 0-1 (0.5; --update: as built)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("export", help="write every indexed article as JSON Lines")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)

    p = sub.add_parser("outlets", help="list the outlet table")
    p.add_argument("--json", action="store_true", help="one JSON object a line")

    p = sub.add_parser("tui", help="open the terminal UI (the default)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)


def run_index(args: argparse.Namespace) -> int:
    from pathlib import Path

    from index.build import build_index
    from index.progress import Progress
    from index.records import parse_map
    from index.store import generation_token

    if args.outlet and outlets.get(args.outlet.lower()) is None:
        raise WartaError(f"unknown outlet key '{args.outlet}' — list them with: warta outlets")
    columns = parse_map(getattr(args, "map", None))
    languages = _languages(args.lang)
    threshold = args.story_threshold
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise WartaError(f"--story-threshold must be above 0 and at most 1, not {threshold}")
    target = index_path(args)
    live_before = generation_token(target)
    try:
        report = build_index(
            Path(args.dir),
            target,
            outlet=args.outlet.lower() if args.outlet else None,
            update=args.update,
            progress=lambda total: Progress(total),
            columns=columns,
            sheet=args.sheet,
            languages=languages,
            story_threshold=threshold,
        )
    except KeyboardInterrupt:
        # Ctrl-C can land after the new generation went live (while the build tidies
        # up): say which index the user now has, never claim the old one stayed.
        if generation_token(target) != live_before:
            print("warta: interrupted — the new index was already in place", file=sys.stderr)
        else:
            print("warta: interrupted — the previous index is kept", file=sys.stderr)
        return 130
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(report.to_dict()) + b"\n")
    else:
        print_report(report)
    return 0


def _languages(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    from index.language import parse_codes

    try:
        return parse_codes(text)
    except ValueError as err:
        raise WartaError(f"--lang: {err}") from None


def print_report(report: BuildReport) -> None:
    print("\n".join(report_lines(report)))


def run_export(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    out = sys.stdout.buffer
    for article in engine.iter_articles():
        out.write(orjson.dumps(article.to_dict()) + b"\n")
    out.flush()
    return 0


def run_outlets(args: argparse.Namespace) -> int:
    rows = outlets.all_outlets()
    if args.json:
        for o in rows:
            sys.stdout.buffer.write(
                orjson.dumps({"key": o.key, "name": o.name, "aliases": list(o.aliases)}) + b"\n"
            )
        return 0
    width = max(len(o.key) for o in rows)
    for o in rows:
        print(f"{o.key:<{width}}  {o.name}")
    return 0


def run_tui(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise WartaError(
            "the terminal UI needs a terminal — from scripts, use: warta search QUERY --json"
        )
    try:
        from tui.app import run
    except ImportError as err:
        raise WartaError(f"the terminal UI is not available ({err})") from None
    return run(index_path(args))
