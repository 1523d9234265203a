"""Stem-aware highlighting and snippets, on the seeds and on small texts."""

from __future__ import annotations

import re

from search.compiler import compile_query
from search.highlight import find_spans, make_snippet
from search.models import Snippet


def lit(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


def terms(query: str):
    return compile_query(query).highlight


def test_khawatir_lights_up_every_form_of_the_word():
    text = "Ada kekhawatiran nyata. Situasi ini sangat mengkhawatirkan, kata dia, khawatir."
    assert lit(text, find_spans(text, terms("khawatir"))) == [
        "kekhawatiran",
        "mengkhawatirkan",
        "khawatir",
    ]


def test_phrases_light_up_only_where_their_words_stand_together():
    text = "Korea Selatan dan Korea Utara; Korut juga disebut Utara."
    assert lit(text, find_spans(text, terms("Korut"))) == ["Korea Utara", "Korut"]
    assert lit(text, find_spans(text, terms('"Korea Selatan"'))) == ["Korea Selatan"]


def test_prefixes_and_negated_words():
    text = "Rudal balistik dan roket diluncurkan; rudalnya jatuh."
    assert lit(text, find_spans(text, terms("rud*"))) == ["Rudal", "rudalnya"]
    assert lit(text, find_spans(text, terms("roket -rudal"))) == ["roket"]


def test_snippet_holds_highlights_at_word_boundaries(engine, seed_ids):
    results = engine.search("khawatir")
    by_seed = {h.path[:3]: h for h in results.hits}
    snippet = by_seed["004"].snippet
    assert "mengkhawatirkan" in lit(snippet.text, snippet.highlights) or "kekhawatiran" in lit(
        snippet.text, snippet.highlights
    )
    for hit in results.hits:
        check_snippet(hit.snippet, engine.article(hit.id).body)


def check_snippet(snippet: Snippet, paragraphs: list[str]) -> None:
    assert 0 < len(snippet.text) <= 260
    for a, b in snippet.highlights:
        assert 0 <= a < b <= len(snippet.text)
        assert re.fullmatch(r"[\w\- ]+", snippet.text[a:b])
    for piece in snippet.text.split(" … "):
        piece = piece.strip("… ").strip()
        holder = next(p for p in paragraphs if piece in p)
        at = holder.index(piece)
        # whole words: the passage starts and ends at a boundary of its paragraph's words
        assert at == 0 or not holder[at - 1].isalnum()
        end = at + len(piece)
        assert end == len(holder) or not holder[end].isalnum()


def test_snippet_takes_two_passages_when_one_cannot_hold_every_term():
    paragraphs = [
        "Rudal itu diluncurkan pagi hari. " + "Kalimat pengisi tanpa kata kunci. " * 12,
        "Kalimat pengisi lain. " * 8 + "Satelit baru juga disiapkan.",
    ]
    snippet = make_snippet(paragraphs, terms("rudal satelit"))
    assert lit(snippet.text, snippet.highlights) == ["Rudal", "Satelit"]
    assert " … " in snippet.text
    check_snippet(snippet, paragraphs)


def test_no_match_in_the_body_gives_the_lead():
    paragraphs = ["Paragraf pertama berita ini.", "Paragraf kedua."]
    snippet = make_snippet(paragraphs, terms("banjir"))
    assert snippet.text == "Paragraf pertama berita ini. Paragraf kedua."
    assert snippet.highlights == []


def test_article_view_carries_spans_per_paragraph(engine, seed_ids):
    view = engine.article(seed_ids["004"], "khawatir")
    lit_words = {
        w.lower()
        for para, spans in zip(view.body, view.body_highlights, strict=True)
        for w in lit(para, spans)
    }
    assert {"mengkhawatirkan", "kekhawatiran"} <= lit_words
    plain = engine.article(seed_ids["004"])
    assert all(spans == [] for spans in plain.body_highlights)


def test_hit_titles_are_highlighted(engine):
    hit = next(h for h in engine.search("khawatir").hits if h.path.startswith("000"))
    assert lit(hit.title, hit.title_highlights) == ["Khawatir"]
