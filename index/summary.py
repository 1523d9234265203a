"""A build's closing report as text: what `warta index` prints and the TUI shows.

Kept beside the build (not in a front end) so that the command line and the terminal UI,
which may not import each other, render it the same way. File names in it are untrusted
and shown through `printable`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from index.untrusted import printable

if TYPE_CHECKING:
    from index.build import BuildReport

_SHOWN_TEMPLATES = 5
_SHOWN_BAD_ROWS = 20


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def report_lines(report: BuildReport) -> list[str]:
    """The closing report of a build as lines of text, as `warta index` prints it and the
    TUI shows it after a build: one renderer for both front ends."""
    verb = "Updated" if report.mode == "update" else "Indexed"
    lines = [
        f"{verb} {report.indexed:,} articles from {report.files:,} files in "
        f"{report.elapsed:.1f} s ({report.rate:,.0f} articles/s)",
    ]
    if report.killed_build is not None:
        lines.append(
            f"  note: an earlier build (process {report.killed_build}) was stopped before it "
            "ended; what it left half-written was removed"
        )
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
    if report.languages:
        langs = ", ".join(f"{k} {v:,}" for k, v in report.languages.most_common())
        lines.append(f"  languages:       {langs}")
    if report.stories:
        told = "story told" if report.stories == 1 else "stories told"
        alone = report.total_articles - report.story_articles
        lines.append(
            f"  stories:         {report.stories:,} {told} by {report.story_articles:,} "
            f"articles; {alone:,} stand alone"
        )
    if report.story_note:
        lines.append(f"  note: {report.story_note}")
    if report.language_skipped:
        left = ", ".join(f"{k} {v:,}" for k, v in report.language_skipped.most_common())
        lines.append(f"  left out (--lang): {left}")
    looked = report.stem_hits + report.stem_misses
    if looked:
        lines.append(
            f"  stem cache:      {report.stem_hits / looked:.0%} of {looked:,} words from cache "
            f"({report.stem_misses:,} stemmed; {report.stems_loaded:,} loaded from disk)"
        )
    lines.append(f"  skipped files:   {len(report.skipped):,}")
    for rel, reason in report.skipped:
        lines.append(f"    {printable(rel)}: {printable(reason)}")
    if report.bad_row_count:
        lines.append(f"  bad rows:        {report.bad_row_count:,}")
        for rel, line, reason in report.bad_rows[:_SHOWN_BAD_ROWS]:
            lines.append(f"    {printable(rel)}:{line}: {printable(reason)}")
        if report.bad_row_count > _SHOWN_BAD_ROWS:
            rest = report.bad_row_count - _SHOWN_BAD_ROWS
            lines.append(f"    … and {rest:,} more (all in: warta index --json)")
    if report.templates:
        lines.append(
            f"  site templates:  {_n(len(report.templates), 'folder')} "
            f"({report.template_seconds:.1f} s; all in: warta index --json)"
        )
        for t in report.templates[:_SHOWN_TEMPLATES]:
            outs = ", ".join(printable(k) for k in t["outlets"]) or "no articles"
            lines.append(
                f"    {printable(t['group'])}/: {_n(t['lines'], 'line')} on {t['pages']:,} pages "
                f"({outs})"
            )
    if report.derived_count:
        how = Counter(h for _, h in report.derived)
        said = ", ".join(f"{n:,} {h}" for h, n in how.most_common())
        lines.append(f"  titles derived:  {_n(report.derived_count, 'row')} without one ({said})")
    lines.append(f"  index:           {report.index_dir} ({report.total_articles:,} articles)")
    return lines
