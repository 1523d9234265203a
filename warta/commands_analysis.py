"""`warta trend` and `warta terms`: attention over time and what is distinctive, with the
provenance a researcher cites (the queries, the filters, the index, Warta's version).

Both count every match from the index's columns and postings, never a page of hits.
Every bad input is a WartaError: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import shutil
import sys

from search.errors import QueryError
from search.export import provenance
from search.models import Filters
from search.trend import INTERVALS
from warta.commands_search import add_filter_args, filters_from_args
from warta.render import Style
from warta.render_analysis import (
    stories_table,
    story_json,
    terms_json,
    terms_table,
    trend_chart,
    trend_csv,
    trend_row_json,
    trend_summary_json,
    trend_table,
)
from warta.terminal import open_engine, safe, write_json

MAX_QUERIES = 12  # side by side: more is not a comparison a chart can show


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The options of trend and terms."""
    p = sub.add_parser(
        "trend",
        help="matching articles per day, week, month or year",
        description="Count the articles each QUERY matches per interval, side by side. "
        "Each QUERY is one query (quote a query of several words); an empty one ('') counts "
        "every article.",
    )
    p.add_argument("queries", nargs="+", metavar="QUERY", help="a query (repeat to compare)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    add_filter_args(p)
    p.add_argument(
        "--interval",
        choices=INTERVALS,
        help="the period counted (default: chosen by the span, at most 60 periods)",
    )
    p.add_argument("--by", choices=["outlet"], help="one series per outlet")
    p.add_argument(
        "--normalize",
        action="store_true",
        help="share of all the outlet's (or archive's) articles in each period",
    )
    p.add_argument(
        "--stories",
        action="store_true",
        help="count each story once (on its earliest matching article's day), not articles",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object a line")
    out.add_argument("--csv", action="store_true", help="CSV, with a # provenance line")
    p.add_argument(
        "--chart",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw the chart (default: on a terminal wide enough)",
    )

    p = sub.add_parser(
        "stories",
        help="the stories told by several articles: the largest or newest first",
        description="Stories: articles that are copies of one another (wire copy, reposts, "
        "one press release rewritten), grouped when the index was built. With a QUERY, the "
        "stories among its matches.",
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help="the query (empty: every story)")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    add_filter_args(p)
    p.add_argument(
        "--sort",
        choices=("size", "newest"),
        default="size",
        help="most matching articles first (size), or latest article first (newest)",
    )
    p.add_argument("--limit", metavar="N", type=int, default=20, help="stories to list (20)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")

    p = sub.add_parser(
        "terms",
        help="the words, phrases and names distinctive of a query's matches",
        description="The words, two-word phrases and names most over-represented in the "
        "articles QUERY matches, compared with the whole archive (log-likelihood).",
    )
    p.add_argument("query", nargs="+", metavar="QUERY", help="the query")
    p.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS)
    add_filter_args(p)
    p.add_argument("--top", metavar="N", type=int, default=10, help="terms of each kind (10)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")


def _width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def run_trend(args: argparse.Namespace) -> int:
    queries = [q.strip() for q in args.queries]
    if len(queries) > MAX_QUERIES:
        raise QueryError(f"at most {MAX_QUERIES} queries side by side, not {len(queries)}")
    filters = filters_from_args(args)
    engine = open_engine(args)
    trend = engine.trend(
        queries,
        filters,
        args.interval,
        by_outlet=args.by == "outlet",
        normalize=args.normalize,
        stories=args.stories,
    )
    where = provenance(engine, queries, filters)
    counting = "stories" if args.stories and engine.stories() is not None else "articles"
    where["counting"] = counting
    if args.stories and counting == "articles":
        print(f"warta: note: {safe(engine.story_notice or 'no stories')}", file=sys.stderr)
    if args.json:
        for row in trend.rows:
            write_json(trend_row_json(row, trend))
        write_json(trend_summary_json(trend, where))
        return 0
    if args.csv:
        sys.stdout.writelines(trend_csv(trend, where))
        return 0
    style = Style.for_stream(sys.stdout)
    width = style.width or _width()
    if not trend.periods:
        undated = sum(trend.undated.values())
        print(
            "no dated article matches"
            + (f" ({undated:,} undated ones do)" if undated else "")
            + _range_note(filters)
        )
        return 0
    draw = args.chart if args.chart is not None else style.width is not None
    chart = trend_chart(trend, width, style.color) if draw else None
    if chart:
        print(chart)
        print()
    print("\n".join(trend_table(trend, style, width)))
    notes = [
        f"{safe(q or '(every article)')}: {n:,} undated" for q, n in trend.undated.items() if n
    ]
    if notes:
        print(style.paint("not in any period: " + "; ".join(notes), "\x1b[2m"))
    if counting == "stories":
        print(
            style.paint("counted: stories, each on its earliest matching article's day", "\x1b[2m")
        )
    return 0


def _range_note(filters: Filters) -> str:
    if filters.since or filters.until:
        lo = filters.since.isoformat() if filters.since else "the start"
        hi = filters.until.isoformat() if filters.until else "the end"
        return f" between {lo} and {hi}"
    return ""


def run_stories(args: argparse.Namespace) -> int:
    text = " ".join(args.query).strip()
    filters = filters_from_args(args)
    engine = open_engine(args)
    found = engine.top_stories(text, filters, args.sort, args.limit)
    if engine.stories() is None:
        print(f"warta: {safe(engine.story_notice or 'no story table')}", file=sys.stderr)
        return 1
    if args.json:
        for story in found:
            write_json(story_json(story))
        return 0
    if not found:
        where = f" among the matches of {safe(text)!r}" if text else ""
        print(f"no story is told by more than one article{where}")
        return 0
    print("\n".join(stories_table(found, Style.for_stream(sys.stdout), bool(text))))
    return 0


def run_terms(args: argparse.Namespace) -> int:
    if args.top < 1 or args.top > 200:
        raise QueryError(f"--top must be between 1 and 200, not {args.top}")
    text = " ".join(args.query).strip()
    if not text:
        raise QueryError("give a query: terms compares its matches with the whole archive")
    filters = filters_from_args(args)
    engine = open_engine(args)
    matched = len(engine.matches(text, filters))
    terms = engine.terms(text, filters, args.top)
    total = engine.doc_count()
    if args.json:
        for t in terms:
            write_json(terms_json(t))
        write_json(
            {
                "summary": True,
                "matches": matched,
                "archive": total,
                "provenance": provenance(engine, [text], filters),
            }
        )
        return 0
    style = Style.for_stream(sys.stdout)
    if not matched:
        print(f"no article matches {safe(text)!r}")
        return 0
    if not terms:
        why = "it matches every article" if matched >= total else "nothing stands out"
        print(f"no distinctive terms for {safe(text)!r}: {why}")
        return 0
    print("\n".join(terms_table(terms, matched, total, style)))
    return 0
