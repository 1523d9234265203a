"""What a query compiles to: the fields a word is looked up in, and the ranking levers."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from search.compiler import compile_query
from search.ranking import Ranking


def terms_of(q: wq.Query) -> set[tuple[str, str]]:
    return {(t.fieldname, t.text) for t in q.leaves() if isinstance(t, wq.Term)}


def test_a_word_is_looked_up_stemmed_and_exact():
    q = compile_query("kekhawatiran", unstemmed=True).query
    assert terms_of(q) == {
        ("title", "khawatir"),
        ("body", "khawatir"),
        ("title_exact", "kekhawatiran"),
        ("body_exact", "kekhawatiran"),
        # The typed form in the stemmed fields: where another language's article holds
        # its words unstemmed (an Indonesian article never holds a non-root there).
        ("title", "kekhawatiran"),
        ("body", "kekhawatiran"),
    }


def test_the_typed_form_joins_the_stemmed_fields_only_for_a_mixed_archive():
    plain = terms_of(compile_query("kekhawatiran").query)
    assert ("body", "kekhawatiran") not in plain and ("body", "khawatir") in plain


def test_field_words_stay_in_their_field():
    assert {f for f, _ in terms_of(compile_query("title:rudal").query)} == {
        "title",
        "title_exact",
    }


def test_levers_change_the_query():
    no_exact = compile_query("rudal", Ranking(exact_boost=0)).query
    assert {f for f, _ in terms_of(no_exact)} == {"title", "body"}
    proper = compile_query("Bali", Ranking(proper_nouns_exact=True)).query
    assert {f for f, _ in terms_of(proper)} == {"title_exact", "body_exact"}
    lower = compile_query("bali", Ranking(proper_nouns_exact=True)).query
    assert ("body", "bali") in terms_of(lower) or any(f == "body" for f, _ in terms_of(lower))


def test_words_typed_together_get_a_proximity_boost_and_negations_do_not():
    # Shipped: a group for the nearness stage, no first-stage clause.
    assert compile_query("harga beras").near_groups == (("harga", "beras"),)
    assert compile_query("harga beras").near_fields == ("title", "body")
    assert compile_query("harga -beras").near_groups == ()
    assert not isinstance(compile_query("harga beras").query, wq.AndMaybe)
    # The clause, kept for measuring.
    clause = Ranking(phrase_boost=4)

    def phrases(text: str) -> list[wq.Phrase]:
        q = compile_query(text, clause).query
        return [p for p in q.leaves() if isinstance(p, wq.Phrase)]

    assert {p.fieldname for p in phrases("harga beras")} == {"title", "body"}
    assert phrases("harga -beras") == []


@pytest.mark.parametrize(
    "query",
    ["khawatir", "Korut rudal", '"Korea Utara" -satelit', "Blink* OR Menlu", "title:Blinken AS"],
)
@pytest.mark.parametrize("ranking", [Ranking(), Ranking(proper_nouns_exact=True)])
def test_the_match_query_matches_exactly_what_the_scored_query_does(engine, query, ranking):
    # Facets and totals come from match_query, hits from query: they must agree.
    compiled = compile_query(query, ranking)
    s = engine.searcher()
    assert set(s.docs_for_query(compiled.query)) == set(s.docs_for_query(compiled.match_query))
    assert set(s.docs_for_query(compiled.match_query))
