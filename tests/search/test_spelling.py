"""Did-you-mean from the index's own words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("rudall", "rudal"),
        ("rusai", "rusia"),
        ("Korut rudall", "Korut rudal"),
        ("Rusai", "Rusia"),
        ("satelit OR nukilr", "satelit OR nuklir"),
    ],
)
def test_misspelt_words_get_a_suggestion(engine, query, suggestion):
    results = engine.search(query)
    assert results.suggestion == suggestion


@pytest.mark.parametrize("query", ["rudal", "Menlu", "Korut", "khawatir", "", "rud*", "Lansia"])
def test_known_words_abbreviations_and_prefixes_get_none(engine, query):
    # "Lansia" is absent from the cleaned text, but nothing indexed is close to it.
    assert engine.search(query).suggestion is None


def test_suggestions_come_from_the_exact_forms(engine):
    # "kekhawatiran" is a word in the index; a typo of it is corrected to it, not a stem.
    assert engine.search("kekhawatiaran").suggestion == "kekhawatiran"
