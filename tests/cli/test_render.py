"""Terminal rendering: highlights as ANSI on a terminal, plain text otherwise, width-aware."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from search.models import Hit, Snippet
from warta.render import HIGHLIGHT, Style, render_hit, wrap_spans

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def hit() -> Hit:
    text = "Ada kekhawatiran nyata soal rudal balistik yang diluncurkan pekan lalu ke laut."
    return Hit(
        id="abc",
        title="Korut Khawatir\x1b[31m",  # a control character from a scraped page
        outlet="inews",
        outlet_name="iNews.id",
        published=datetime(2023, 11, 9, 20, 27, tzinfo=timezone.utc),
        published_estimated=False,
        authors=[],
        dateline=None,
        path="a.txt",
        words=10,
        score=1.0,
        snippet=Snippet(text, [(4, 16), (28, 33)]),
        title_highlights=[(6, 14)],
    )


def test_colour_highlights_and_wraps_to_the_width():
    out = render_hit(hit(), Style(color=True, width=40))
    assert HIGHLIGHT + "kekhawatiran" in out and HIGHLIGHT + "rudal" in out
    for line in out.splitlines():
        assert len(ANSI.sub("", line)) <= 40
    assert "\x1b[31m" not in out  # the page's own escape is neutralised


def test_plain_style_has_no_escapes_and_no_wrapping():
    out = render_hit(hit(), Style(color=False, width=None))
    assert "\x1b" not in out
    assert "Ada kekhawatiran nyata soal rudal balistik yang diluncurkan pekan lalu ke laut." in out


def test_wrapping_carries_spans_onto_their_lines():
    text = "satu dua tiga empat lima enam"
    lines = wrap_spans(text, [(9, 13), (20, 24)], 12)
    assert [line for line, _ in lines] == ["satu dua", "tiga empat", "lima enam"]
    assert [[line[a:b] for a, b in spans] for line, spans in lines] == [[], ["tiga"], ["lima"]]
