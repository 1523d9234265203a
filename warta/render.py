"""Terminal rendering of search results, articles and stats: the CLI's face.

On a terminal: colours and highlights as ANSI codes, lines fitted to the width. Piped, or
with NO_COLOR set: plain text, one field a line, nothing cut, ready for grep. No extra
dependency: the few codes needed are written here. Everything printed passes through
`safe()`, since titles and snippets come from scraped pages.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from index.article import HIT_KEYS, contract_dict
from index.dates import zone_name
from search.models import ArticleView, Facets, Hit, SearchResults, Span
from warta.terminal import safe

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
CYAN = "\x1b[36m"
GREEN = "\x1b[32m"
MAGENTA = "\x1b[35m"
YELLOW = "\x1b[33m"
HIGHLIGHT = "\x1b[1;33m"

SNIPPET_LINES = 3


@dataclass(frozen=True)
class Style:
    """Whether to colour, and how wide the lines may be (None: do not fit to a width)."""

    color: bool
    width: int | None

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        tty = _isatty(stream)
        color = tty and not os.environ.get("NO_COLOR")
        width = shutil.get_terminal_size((100, 24)).columns if tty else None
        return cls(color, max(40, width) if width else None)

    def paint(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.color and text else text


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def format_date(published: datetime | None, estimated: bool = False) -> str:
    if published is None:
        return "no date"
    return ("~" if estimated else "") + published.strftime("%Y-%m-%d")


def _cut(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: max(1, width - 1)].rstrip() + "…"


def styled(text: str, spans: list[Span], style: Style, base: str = "") -> str:
    """`text` with its spans highlighted (ANSI), or as is when not colouring.

    `base` is the style the text is in (a bold title): restored after each highlight.
    """
    text = safe(text)
    if not style.color or not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(style.paint(text[start:end], HIGHLIGHT) + base)
        last = end
    out.append(text[last:])
    return "".join(out)


def wrap_spans(text: str, spans: list[Span], width: int) -> list[tuple[str, list[Span]]]:
    """Greedy word wrap that carries each line's share of the highlight spans."""
    lines: list[tuple[str, list[Span]]] = []
    words: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        j = i
        while j < n and not text[j].isspace():
            j += 1
        if j > i:
            words.append((i, j))
        i = j
    line_start: int | None = None
    line_end = 0
    for start, end in words:
        if line_start is None:
            line_start, line_end = start, end
        elif end - line_start > width:
            lines.append(_line(text, line_start, line_end, spans))
            line_start, line_end = start, end
        else:
            line_end = end
    if line_start is not None:
        lines.append(_line(text, line_start, line_end, spans))
    return lines


def _line(text: str, start: int, end: int, spans: list[Span]) -> tuple[str, list[Span]]:
    own = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
    return text[start:end], own


def _block(text: str, spans: list[Span], style: Style, indent: str, max_lines: int | None) -> str:
    if style.width is None:
        return indent + styled(text, spans, style)
    lines = wrap_spans(text, spans, max(20, style.width - len(indent)))
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last, last_spans = lines[-1]
        lines[-1] = (last.rstrip(" …") + " …", last_spans)
    return "\n".join(indent + styled(line, s, style) for line, s in lines)


# ── search results ──────────────────────────────────────────────────────────────────────


def render_hit(hit: Hit, style: Style) -> str:
    date = format_date(hit.published, hit.published_estimated)
    outlet = hit.outlet_name or hit.outlet or "unknown outlet"
    head_plain = f"{date:<11} {outlet[:16]:<16} "
    room = None if style.width is None else max(10, style.width - len(head_plain))
    title = _cut(safe(hit.title), room)
    spans = [(a, b) for a, b in hit.title_highlights if b <= len(title)]
    head = (
        style.paint(f"{date:<11}", GREEN)
        + " "
        + style.paint(f"{outlet[:16]:<16}", CYAN)
        + " "
        + style.paint(styled(title, spans, style, BOLD), BOLD)
    )
    ident = style.paint(f"id {hit.id}  {safe(hit.path)}{_language_note(hit.language)}", DIM)
    snippet = _block(hit.snippet.text, hit.snippet.highlights, style, "    ", SNIPPET_LINES)
    folded = f"\n    {style.paint(folded_line(hit), YELLOW)}" if hit.folded else ""
    return f"{head}\n    {ident}{folded}\n{snippet}"


def folded_line(hit: Hit, limit: int = 4) -> str:
    """`+4: Kompas.com, detikNews, …`: the copies of the hit's story that also match."""
    names = [safe(n) for n in hit.folded_outlets[:limit]]
    more = len(hit.folded_outlets) > limit
    return (
        f"+{hit.folded:,}: " + ", ".join(names) + (", …" if more else "")
        if names
        else (f"+{hit.folded:,} more of this story")
    )


def _language_note(code: str | None) -> str:
    """A hit's language where it is not Indonesian, the archive's own."""
    return f"  lang {safe(code)}" if code and code != "id" else ""


def render_facets(facets: Facets, style: Style) -> str:
    rows = [
        ("outlet", facets.outlet),
        ("year", facets.year),
        ("month", facets.month),
    ]
    if set(facets.language) - {"id"}:
        rows.append(("language", facets.language))
    out = []
    for name, counts in rows:
        items = "  ".join(f"{safe(k)} {v:,}" for k, v in counts.items()) or "—"
        label = style.paint(f"{name:<8}", MAGENTA)
        out.append(_block_labelled(label, f"{name:<8}", items, style))
    out.append(style.paint(f"{'no date':<8}", MAGENTA) + f" {facets.no_date:,}")
    if facets.counted != "articles":
        out.append(style.paint(f"(counting {facets.counted}: each once under every value)", DIM))
    return "\n".join(out)


def _block_labelled(label: str, plain_label: str, text: str, style: Style) -> str:
    if style.width is None:
        return f"{label} {text}"
    indent = " " * (len(plain_label) + 1)
    body = _block(text, [], style, indent, None)
    return label + " " + body[len(indent) :]


def render_summary(results: SearchResults, style: Style, facets: bool) -> str:
    shown = len(results.hits)
    first = (results.page - 1) * results.page_size + 1 if shown else 0
    last = first + shown - 1 if shown else 0
    noun = "article" if results.total == 1 else "articles"
    line = f"{results.total:,} {noun}"
    if results.stories is not None and results.stories != results.total:
        line += f" in {results.stories:,} {'story' if results.stories == 1 else 'stories'}"
    units = results.stories if results.stories is not None else results.total
    if results.total and (first != 1 or last != units):
        line += f" (showing {first:,}–{last:,})"
    line += f" · {results.took_ms:.0f} ms"
    lines = [style.paint(line, DIM)]
    if results.suggestion:
        lines.append("Maksud Anda: " + style.paint(safe(results.suggestion), BOLD))
    if results.notice:
        lines.append(style.paint(f"note: {safe(results.notice)}", DIM))
    if facets:
        lines.append(render_facets(results.facets, style))
    return "\n".join(lines)


def render_results(results: SearchResults, style: Style, facets: bool) -> str:
    blocks = [render_hit(h, style) for h in results.hits]
    blocks.append(render_summary(results, style, facets))
    return "\n\n".join(blocks)


# ── one article ─────────────────────────────────────────────────────────────────────────


def render_article(view: ArticleView, style: Style) -> str:
    out = [style.paint(styled(view.title, view.title_highlights, style, BOLD), BOLD)]
    meta = [
        view.outlet_name or view.outlet or "unknown outlet",
        format_date(view.published, view.published_estimated)
        + (
            f" {view.published.strftime('%H:%M')} {zone_name(view.published)}"
            if view.published
            else ""
        ),
    ]
    if view.dateline:
        meta.append(view.dateline)
    if view.authors:
        meta.append(", ".join(view.authors))
    meta.append(f"{view.words:,} words")
    if view.language and view.language != "id":
        meta.append(f"language {view.language}")
    out.append(style.paint(safe(" · ".join(meta)), DIM))
    out.append(style.paint(f"id {view.id}  {safe(view.path)}", DIM))
    for i, para in enumerate(view.body):
        spans = view.body_highlights[i] if i < len(view.body_highlights) else []
        out.append("")
        out.append(_block(para, spans, style, "", None))
    if view.captions:
        out.append("")
        for caption in view.captions:
            out.append(style.paint(_block("Foto: " + caption, [], style, "", None), DIM))
    if view.family:
        out.append("")
        out.append(render_family(view, style))
    return "\n".join(out)


def render_family(view: ArticleView, style: Style) -> str:
    """The story's other articles: date, outlet, headline, id, and what each adds to or
    lacks from this one, in paragraphs."""
    size = len(view.family) + 1
    role = "the first to report it" if view.origin else "a copy"
    lines = [style.paint(f"Story of {size} articles; this one is {role}:", BOLD)]
    for m in view.family:
        date = format_date(m.published, False)
        outlet = safe(m.outlet_name or m.outlet or "unknown outlet")
        mark = "first " if m.origin else "      "
        diff = f"+{m.added} −{m.missing} paragraphs" if m.added or m.missing else "same text"
        lines.append(
            f"  {mark}{date:<11} {outlet[:16]:<16} {safe(m.title)}"
            + style.paint(f"  id {m.id} · {diff}", DIM)
        )
    return "\n".join(lines)


def article_json(view: ArticleView) -> dict[str, Any]:
    """The data contract's keys, exactly, as `warta export` writes them."""
    return contract_dict(view)


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit: the contract's keys minus body and captions, plus score and snippet."""
    out = contract_dict(hit, HIT_KEYS)
    out["story_size"] = hit.story_size
    out["folded"] = hit.folded
    out["folded_outlets"] = list(hit.folded_outlets)
    out["score"] = round(hit.score, 4)
    out["snippet"] = {
        "text": hit.snippet.text,
        "highlights": [list(s) for s in hit.snippet.highlights],
    }
    return out


def summary_json(results: SearchResults) -> dict[str, Any]:
    f = results.facets
    return {
        "total": results.total,
        "stories": results.stories,
        "took_ms": round(results.took_ms, 2),
        "facets": {
            "outlet": f.outlet,
            "year": f.year,
            "month": f.month,
            "no_date": f.no_date,
            "language": f.language,
            "counted": f.counted,
        },
        "suggestion": results.suggestion,
    }


# ── the archive ─────────────────────────────────────────────────────────────────────────


def render_stats(stats: dict[str, Any], style: Style) -> str:
    label = lambda s: style.paint(f"{s:<16}", MAGENTA)  # noqa: E731
    span = (
        f"{(stats['first_published'] or '')[:10]} … {(stats['last_published'] or '')[:10]}"
        if stats["first_published"]
        else "—"
    )
    lines = [
        f"{label('articles')}{stats['articles']:,}",
        f"{label('dates')}{span}",
        f"{label('without a date')}{stats['undated']:,}",
        f"{label('outlets')}{len(stats['outlets']):,}",
    ]
    names = stats.get("outlet_names") or {}
    width = max((len(k) for k in stats["outlets"]), default=0)
    for key, count in stats["outlets"].items():
        name = names.get(key) or ""
        lines.append(f"  {safe(key):<{width}}  {count:>7,}  {style.paint(safe(name), DIM)}")
    if len(stats.get("languages") or {}) > 1:
        langs = "  ".join(f"{safe(k)} {c:,}" for k, c in stats["languages"].items())
        lines.append(f"{label('languages')}{langs}")
    if stats["years"]:
        years = "  ".join(f"{y} {c:,}" for y, c in stats["years"].items())
        lines.append(f"{label('per year')}{years}")
    lines += [
        f"{label('index size')}{_size(stats['index_bytes'])}",
        f"{label('built')}{stats.get('built_at') or '—'}",
        f"{label('from folder')}{safe(str(stats.get('source') or '—'))}",
        f"{label('index')}{safe(stats['index'])}",
    ]
    return "\n".join(lines)


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover


def out(text: str, stream: TextIO = sys.stdout) -> None:
    stream.write(text + "\n")
