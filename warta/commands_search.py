"""`warta search`, `warta show` and `warta stats`: the search API from the shell.

`--json` prints one JSON object a line (hits, then one summary) so results compose with
jq, Datasette and researchers' own scripts; the schema is documented in the README under
"Searching". Every bad input is a WartaError: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from search.errors import QueryError
from search.filters import make_filters
from search.models import SORTS, Filters, SearchResults
from warta.render import (
    Style,
    article_json,
    hit_json,
    render_article,
    render_results,
    render_stats,
    summary_json,
)
from warta.terminal import open_engine, safe, write_json


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The options of search, show and stats."""
    p = sub.add_parser(
        "search",
        help="search the index",
        description="Search the index. Query syntax: words (all must match), OR, NOT or "
        '-word, (groups), "phrases", prefix*, title:, body:, outlet:, author:, '
        "since:2023-09-01, until:2023-11, date:2023-09..2023-11.",
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help="the query (empty: newest first)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    add_filter_args(p)
    p.add_argument(
        "--sort", choices=SORTS, default="relevance", help="order of the hits (relevance)"
    )
    p.add_argument("--limit", metavar="N", type=int, default=10, help="hits per page (10)")
    p.add_argument("--page", metavar="N", type=int, default=1, help="page number (1)")
    p.add_argument("--facets", action="store_true", help="counts per outlet, year, month, language")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.add_argument(
        "--all",
        action="store_true",
        help="every article its own hit (default: copies of one story are one hit)",
    )
    p.add_argument(
        "--count",
        choices=("articles", "stories"),
        default="articles",
        help="what --facets counts: articles, or stories (each once under every outlet, month)",
    )
    p.add_argument(
        "--batch", metavar="FILE", help="run one query a line from FILE (- for standard input)"
    )
    p.add_argument(
        "--export",
        metavar="FILE",
        help="write every hit (not a page) to FILE.csv or FILE.jsonl, with its provenance",
    )
    p.add_argument("--force", action="store_true", help="with --export, replace FILE")
    p.add_argument(
        "--no-body", action="store_true", help="with --export, leave the article text out"
    )

    p = sub.add_parser("show", help="print one article")
    p.add_argument("id", metavar="ID")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    how = p.add_mutually_exclusive_group()
    how.add_argument("--raw", action="store_true", help="the source file as it is on disk")
    how.add_argument("--json", action="store_true", help="the article as JSON")
    p.add_argument("--query", "-q", metavar="QUERY", default="", help="highlight these terms")

    p = sub.add_parser("stats", help="the archive's shape: articles, outlets, dates, size")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="one JSON object")


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """--outlet, --lang, --since, --until, --undated: the filters search, trend and terms
    share."""
    p.add_argument(
        "--outlet", metavar="KEY", action="append", default=[], help="only this outlet (repeat)"
    )
    p.add_argument(
        "--lang",
        metavar="CODE",
        action="append",
        default=[],
        help="only articles in this language (ISO 639-1: id, en, ms …; repeat)",
    )
    p.add_argument("--since", metavar="DATE", help="published on or after (YYYY[-MM[-DD]])")
    p.add_argument("--until", metavar="DATE", help="published on or before (YYYY[-MM[-DD]])")
    p.add_argument(
        "--undated", action="store_true", help="with --since/--until, keep undated articles too"
    )


# ── search ──────────────────────────────────────────────────────────────────────────────


def filters_from_args(args: argparse.Namespace) -> Filters:
    """--outlet/--lang/--since/--until as Filters; bad values are QueryErrors (exit 2)."""
    return make_filters(
        args.outlet,
        args.since,
        args.until,
        True if args.undated else None,
        languages=getattr(args, "lang", ()),
    )


def _check_numbers(args: argparse.Namespace) -> None:
    if args.limit < 1:
        raise QueryError(f"--limit must be 1 or more, not {args.limit}")
    if args.limit > 1000:
        raise QueryError(f"--limit must be 1000 or less, not {args.limit}")
    if args.page < 1:
        raise QueryError(f"--page must be 1 or more, not {args.page}")


def run_search(args: argparse.Namespace) -> int:
    _check_numbers(args)
    text = " ".join(args.query)
    if args.batch and text:
        raise QueryError("give a QUERY or --batch FILE, not both")
    filters = filters_from_args(args)
    if args.batch and args.export:
        raise QueryError("--export writes one query's hits: not with --batch")
    if args.batch:
        lines = list(_batch_lines(args.batch))
        return _run_batch(open_engine(args), lines, filters, args)
    if args.export:
        return _run_export(open_engine(args), text, filters, args)
    engine = open_engine(args)
    results = _search(engine, text, filters, args)
    _print_results(results, args, query_no=None)
    return 0


def _search(engine: Any, text: str, filters: Filters, args: argparse.Namespace) -> SearchResults:
    """One page of one query as the options ask: the single query and --batch alike."""
    return engine.search(
        text,
        filters,
        args.sort,
        args.page,
        args.limit,
        disjunctive=True,
        fold=not args.all,
        by_story=args.count == "stories",
    )


def _run_export(engine: Any, text: str, filters: Filters, args: argparse.Namespace) -> int:
    from pathlib import Path

    from search.export import export_format, export_hits

    target = Path(args.export).expanduser()
    export_format(target)  # a wrong extension is said before any work
    count = export_hits(
        engine, text, filters, args.sort, target, body=not args.no_body, force=args.force
    )
    print(f"warta: wrote {count:,} hits to {safe(str(target))}", file=sys.stderr)
    return 0


def _batch_lines(source: str) -> Iterator[tuple[int, str]]:
    if source == "-":
        stream: TextIO = sys.stdin
        yield from _numbered(stream)
        return
    try:
        with open(source, encoding="utf-8-sig") as fh:
            yield from _numbered(fh)
    except OSError as err:
        raise QueryError(f"cannot read {source}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise QueryError(f"{source} is not UTF-8 text") from None


def _numbered(stream: TextIO) -> Iterator[tuple[int, str]]:
    """(line number, query) for each line that holds one; blank lines and # comments skip."""
    for number, line in enumerate(stream, 1):
        text = line.strip()
        if text and not text.startswith("#"):
            yield number, text


def _run_batch(
    engine: Any, lines: list[tuple[int, str]], filters: Filters, args: argparse.Namespace
) -> int:
    """Every query in one process; a bad line is reported and skipped, not fatal."""
    failed = 0
    style = Style.for_stream(sys.stdout)
    for number, text in lines:
        try:
            results = _search(engine, text, filters, args)
        except QueryError as err:
            failed += 1
            if args.json:
                write_json({"query": number, "error": str(err)})
            print(f"warta: line {number}: {safe(str(err))}", file=sys.stderr)
            continue
        if not args.json:
            sys.stdout.write(style.paint(f"# {number}: {safe(text)}", "\x1b[1m") + "\n")
        _print_results(results, args, query_no=number)
        if not args.json:
            sys.stdout.write("\n")
    sys.stdout.flush()
    return 2 if failed else 0


def _print_results(results: SearchResults, args: argparse.Namespace, query_no: int | None) -> None:
    if args.json:
        out = sys.stdout.buffer
        for hit in results.hits:
            obj = hit_json(hit)
            if query_no is not None:
                obj["query"] = query_no
            write_json(obj, out)
        summary = summary_json(results)
        if query_no is not None:
            summary["query"] = query_no
        write_json(summary, out)
        out.flush()
        if results.notice:
            print(f"warta: note: {safe(results.notice)}", file=sys.stderr)
        return
    sys.stdout.write(render_results(results, Style.for_stream(sys.stdout), args.facets) + "\n")
    sys.stdout.flush()


# ── show, stats ─────────────────────────────────────────────────────────────────────────


def run_show(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    if args.raw:
        sys.stdout.write(engine.raw(args.id))
        sys.stdout.flush()
        return 0
    view = engine.article(args.id, args.query)
    if args.json:
        write_json(article_json(view))
        return 0
    sys.stdout.write(render_article(view, Style.for_stream(sys.stdout)) + "\n")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    stats = open_engine(args).stats()
    if args.json:
        write_json(stats)
        return 0
    sys.stdout.write(render_stats(stats, Style.for_stream(sys.stdout)) + "\n")
    return 0
