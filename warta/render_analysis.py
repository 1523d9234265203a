"""Trend and terms on a terminal: tables, a chart drawn by plotext, CSV and JSON lines.

Every table carries its provenance (`Provenance`): the queries, the filters, the index and
when it was built, Warta's version, so that a figure pasted into a paper says how it was
made. Query text and outlet keys come from users and pages: made printable before shown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from search.keyness import KINDS, Term
from search.models import StorySummary
from search.trend import Trend, TrendRow
from warta.render import Style
from warta.terminal import safe

#: Narrowest terminal a chart is drawn on; below it the table alone says it all.
CHART_MIN_WIDTH = 60
CHART_HEIGHT = 14
_BOLD, _DIM = "\x1b[1m", "\x1b[2m"


def trend_row_json(row: TrendRow, trend: Trend) -> dict[str, Any]:
    """One row of `warta trend --json`: query, period (the interval's first day), outlet
    with --by outlet, count, share with --normalize (null where nothing was published)."""
    out: dict[str, Any] = {"query": row.query, "period": row.period.isoformat()}
    if trend.by_outlet:
        out["outlet"] = row.outlet
    out["count"] = row.count
    if trend.normalized:
        out["share"] = None if row.share is None else round(row.share, 6)
    return out


def trend_summary_json(trend: Trend, provenance: dict[str, Any]) -> dict[str, Any]:
    """The last line of `warta trend --json`: what was counted apart, and on what."""
    return {
        "summary": True,
        "interval": trend.interval,
        "periods": len(trend.periods),
        "matched": trend.matched,
        "undated": trend.undated,
        "counted": provenance.get("counting", "articles"),
        "provenance": provenance,
    }


def trend_csv(trend: Trend, provenance: dict[str, Any]) -> Iterator[str]:
    """CSV lines: a `# ` comment line with the provenance (read with comment='#'), a
    header, one row per cell of the table."""
    yield "# " + _provenance_line(provenance) + "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = ["query", "period"] + (["outlet"] if trend.by_outlet else []) + ["count"]
    writer.writerow(header + (["share"] if trend.normalized else []))
    for row in trend.rows:
        cells: list[Any] = [row.query, row.period.isoformat()]
        if trend.by_outlet:
            cells.append(row.outlet)
        cells.append(row.count)
        if trend.normalized:
            cells.append("" if row.share is None else f"{row.share:.6f}")
        writer.writerow(cells)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _provenance_line(provenance: dict[str, Any]) -> str:
    return "; ".join(f"{k}={safe(str(v))}" for k, v in provenance.items() if v not in (None, []))


def period_label(trend: Trend, index: int) -> str:
    p = trend.periods[index]
    if trend.interval == "year":
        return f"{p.year}"
    if trend.interval == "month":
        return f"{p.year}-{p.month:02d}"
    return p.isoformat()


def _series(trend: Trend) -> list[tuple[str, list[TrendRow]]]:
    """(label, rows over the periods) for each query, or each query and outlet."""
    width = len(trend.periods)
    out = []
    for i in range(0, len(trend.rows), width):
        rows = trend.rows[i : i + width]
        label = rows[0].query or "(every article)"
        if trend.by_outlet:
            label = (
                f"{rows[0].outlet}" if len(trend.queries) == 1 else f"{label} · {rows[0].outlet}"
            )
        out.append((safe(label), rows))
    return out


def _cell(row: TrendRow, normalized: bool) -> str:
    if not normalized:
        return f"{row.count:,}"
    return "n/a" if row.share is None else f"{row.share * 100:.1f}%"


def trend_table(trend: Trend, style: Style, width: int) -> list[str]:
    """Periods down, one column per series; a long table (period, series, value) when
    the series are too many for the terminal's width."""
    series = _series(trend)
    labels = [period_label(trend, i) for i in range(len(trend.periods))]
    first = max([len("period"), *map(len, labels)])
    cells = [[_cell(r, trend.normalized) for r in rows] for _, rows in series]
    widths = [max(len(name), *map(len, col)) for (name, _), col in zip(series, cells, strict=True)]
    wide = first + sum(w + 2 for w in widths)
    if wide <= width:
        head = "period".ljust(first) + "".join(
            f"  {name[:w].rjust(w)}" for (name, _), w in zip(series, widths, strict=True)
        )
        lines = [style.paint(head, _BOLD)]
        for i, label in enumerate(labels):
            lines.append(
                label.ljust(first)
                + "".join(f"  {col[i].rjust(w)}" for col, w in zip(cells, widths, strict=True))
            )
        return lines
    name_w = min(max(len(n) for n, _ in series), max(width - first - 14, 10))
    lines = [style.paint(f"{'period'.ljust(first)}  {'series'.ljust(name_w)}  value", _BOLD)]
    for (name, _), col in zip(series, cells, strict=True):
        for i, label in enumerate(labels):
            lines.append(f"{label.ljust(first)}  {name[:name_w].ljust(name_w)}  {col[i]:>8}")
    return lines


#: Most lines one chart draws: more are unreadable in a terminal's colours.
CHART_MAX_SERIES = 8


def trend_chart(trend: Trend, width: int, color: bool) -> str | None:
    """The trend as a line chart (plotext), or None when it cannot be drawn well: too
    narrow a terminal, a single period."""
    if width < CHART_MIN_WIDTH or len(trend.periods) < 2:
        return None
    import plotext

    fig = plotext.figure
    fig.clear()
    fig.plot_size(min(width, 120), CHART_HEIGHT)
    fig.theme("simple" if color else "colorless")
    xs = list(range(1, len(trend.periods) + 1))
    series = _series(trend)[:CHART_MAX_SERIES]
    top = 0.0
    for name, rows in series:
        if trend.normalized:
            ys = [100 * (r.share or 0.0) for r in rows]
        else:
            ys = [float(r.count) for r in rows]
        top = max(top, *ys)
        signal = fig.signal(xs, ys, marker="braille").lines(True)
        fig.draw(signal.label(name[:30]) if len(series) > 1 else signal)
    # From zero, never from the smallest count: attention drawn from 150 up exaggerates.
    # The headroom keeps the legend clear of the lines.
    fig.ruler("y").lim(0, (top or 1.0) * (1.35 if len(series) > 1 else 1.05))
    ticks = _ticks(len(xs), min(width, 120) // 14)
    fig.ruler("x").ticks([xs[i] for i in ticks], [period_label(trend, i) for i in ticks])
    whose = "the outlet's" if trend.by_outlet else "all"
    unit = f"% of {whose} articles" if trend.normalized else "articles"
    fig.title(f"{unit} per {trend.interval}")
    return fig.build().string(colorless=not color)


def _ticks(count: int, most: int) -> list[int]:
    """At most `most` evenly spread indices out of `count`, the first and the last in."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / max(most - 1, 1)
    return sorted({round(i * step) for i in range(most)})


def terms_json(term: Term) -> dict[str, Any]:
    return {
        "term": term.term,
        "kind": term.kind,
        "score": term.score,
        "matches": term.matches,
        "archive": term.archive,
    }


def terms_table(terms: list[Term], matched: int, total: int, style: Style) -> list[str]:
    """One block per kind: the term, its score, its articles in the matches and archive."""
    lines = [style.paint(f"{matched:,} matching articles against {total:,} in the archive", _DIM)]
    heads = {"word": "words", "phrase": "two-word phrases", "name": "names"}
    for kind in KINDS:
        rows = [t for t in terms if t.kind == kind]
        if not rows:
            continue
        w = max(len(safe(t.term)) for t in rows)
        lines.append("")
        lines.append(
            style.paint(
                f"{heads[kind].ljust(w)}  {'score':>9}  {'matches':>8}  {'archive':>8}", _BOLD
            )
        )
        for t in rows:
            lines.append(
                f"{safe(t.term).ljust(w)}  {t.score:>9,.1f}  {t.matches:>8,}  {t.archive:>8,}"
            )
    return lines


# ── stories ─────────────────────────────────────────────────────────────────────────────


def story_json(story: StorySummary) -> dict[str, Any]:
    """A story as `warta stories --json` prints it."""
    return {
        "story": story.story,
        "size": story.size,
        "matching": story.matching,
        "title": story.title,
        "origin": story.origin_id,
        "outlets": list(story.outlets),
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "articles": list(story.articles),
    }


def stories_table(stories: list[StorySummary], style: Style, queried: bool) -> list[str]:
    """Size, first and last day, the first outlet and headline; the other outlets under."""
    head = f"{'articles':>8}  {'first':<10}  {'last':<10}  {'first outlet':<16}  headline"
    lines = [style.paint(head, _DIM)]
    width = style.width
    for s in stories:
        count = f"{s.matching}/{s.size}" if queried and s.matching != s.size else f"{s.size}"
        first = s.first.isoformat() if s.first else "no date"
        last = s.last.isoformat() if s.last else ""
        outlet = safe(s.outlets[0]) if s.outlets else "unknown outlet"
        row = f"{count:>8}  {first:<10}  {last:<10}  {outlet[:16]:<16}  "
        title = safe(s.title)
        if width is not None and len(row) + len(title) > width:
            title = title[: max(10, width - len(row) - 1)] + "…"
        lines.append(row + style.paint(title, _BOLD))
        others = ", ".join(safe(o) for o in s.outlets[1:])
        story_id = f"story {s.story}" + (f" · also {others}" if others else "")
        lines.append(" " * 10 + style.paint(story_id, _DIM))
    return lines
