"""`warta index`, `warta export`, `warta outlets` and `warta tui`."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING

import orjson

from index import outlets
from index.errors import WartaError
from search.cli import command, index_path, safe

if TYPE_CHECKING:
    from index.build import BuildReport

# index.build (and the readers behind it) load lazily: `warta search` must start fast.


@command("index")
def run_index(args: argparse.Namespace) -> int:
    from pathlib import Path

    from index.build import build_index
    from index.progress import Progress
    from index.records import parse_map

    if args.outlet and outlets.get(args.outlet.lower()) is None:
        raise WartaError(f"unknown outlet key '{args.outlet}' — list them with: warta outlets")
    columns = parse_map(getattr(args, "map", None))
    target = index_path(args)
    try:
        report = build_index(
            Path(args.dir),
            target,
            outlet=args.outlet.lower() if args.outlet else None,
            update=args.update,
            progress=lambda total: Progress(total),
            columns=columns,
        )
    except KeyboardInterrupt:
        print("warta: interrupted — the previous index is kept", file=sys.stderr)
        return 130
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(report.to_dict()) + b"\n")
    else:
        print_report(report)
    return 0


_SHOWN_TEMPLATES = 5
_SHOWN_BAD_ROWS = 20


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def print_report(report: BuildReport) -> None:
    verb = "Updated" if report.mode == "update" else "Indexed"
    lines = [
        f"{verb} {report.indexed:,} articles from {report.files:,} files in "
        f"{report.elapsed:.1f} s ({report.rate:,.0f} articles/s)",
    ]
    if report.mode == "update":
        lines.append(
            f"  unchanged files: {report.unchanged:,}; removed articles: {report.removed:,}"
        )
    lines.append(f"  duplicates:      {report.duplicates:,}")
    lines.append(f"  without a date:  {report.undated:,}")
    if report.url_duplicates:
        lines.append(f"  same URL twice:  {report.url_duplicates:,} (the newer copy kept)")
    if report.formats:
        fmts = ", ".join(
            f"{k} {_n(v, 'file')} ({_n(report.format_articles[k], 'article')})"
            for k, v in report.formats.most_common()
        )
        lines.append(f"  formats:         {fmts}")
    if report.outlets:
        outs = ", ".join(f"{k} {v:,}" for k, v in report.outlets.most_common())
        lines.append(f"  outlets:         {outs}")
    looked = report.stem_hits + report.stem_misses
    if looked:
        lines.append(
            f"  stem cache:      {report.stem_hits / looked:.0%} of {looked:,} words from cache "
            f"({report.stem_misses:,} stemmed; {report.stems_loaded:,} loaded from disk)"
        )
    lines.append(f"  skipped files:   {len(report.skipped):,}")
    for rel, reason in report.skipped:
        lines.append(f"    {safe(rel)}: {reason}")
    if report.bad_row_count:
        lines.append(f"  bad rows:        {report.bad_row_count:,}")
        for rel, line, reason in report.bad_rows[:_SHOWN_BAD_ROWS]:
            lines.append(f"    {safe(rel)}:{line}: {reason}")
        if report.bad_row_count > _SHOWN_BAD_ROWS:
            rest = report.bad_row_count - _SHOWN_BAD_ROWS
            lines.append(f"    … and {rest:,} more (all in: warta index --json)")
    if report.templates:
        lines.append(
            f"  site templates:  {_n(len(report.templates), 'folder')} "
            f"({report.template_seconds:.1f} s; all in: warta index --json)"
        )
        for t in report.templates[:_SHOWN_TEMPLATES]:
            outs = ", ".join(safe(k) for k in t["outlets"]) or "no articles"
            lines.append(
                f"    {safe(t['group'])}/: {_n(t['lines'], 'line')} on {t['pages']:,} pages "
                f"({outs})"
            )
    if report.derived_count:
        how = Counter(h for _, h in report.derived)
        said = ", ".join(f"{n:,} {h}" for h, n in how.most_common())
        lines.append(f"  titles derived:  {_n(report.derived_count, 'row')} without one ({said})")
    lines.append(f"  index:           {report.index_dir} ({report.total_articles:,} articles)")
    print("\n".join(lines))


@command("export")
def run_export(args: argparse.Namespace) -> int:
    from search.engine import Engine

    engine = Engine(index_path(args))
    out = sys.stdout.buffer
    for article in engine.iter_articles():
        out.write(orjson.dumps(article.to_dict()) + b"\n")
    out.flush()
    return 0


@command("outlets")
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


@command("tui")
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
