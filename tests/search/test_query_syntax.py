"""Reading query text into a tree: operators, fields, dates, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from search.daterange import DateBounds, parse_period, parse_range
from search.errors import QueryError
from search.query import (
    And,
    AuthorTerm,
    Not,
    Or,
    OutletTerm,
    Phrase,
    Word,
    parse_syntax,
)


def words(node) -> list[str]:
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, (And, Or)):
        return [w for item in node.items for w in words(item)]
    if isinstance(node, Not):
        return words(node.item)
    return []


def test_words_are_anded_by_default():
    root = parse_syntax("rudal nuklir").root
    assert isinstance(root, And)
    assert words(root) == ["rudal", "nuklir"]


def test_or_not_minus_and_parentheses():
    root = parse_syntax("(rudal OR roket) Korut -satelit NOT nuklir").root
    assert isinstance(root, And)
    first, korut, minus, not_ = root.items
    assert isinstance(first, Or) and words(first) == ["rudal", "roket"]
    assert korut == Word("Korut", start=17, end=22)
    assert isinstance(minus, Not) and words(minus) == ["satelit"]
    assert isinstance(not_, Not) and words(not_) == ["nuklir"]


def test_lowercase_or_is_a_word_and_hyphenated_words_are_not_negation():
    root = parse_syntax("rudal or Rusia-Korea").root
    assert isinstance(root, And)
    assert words(root) == ["rudal", "or", "Rusia-Korea"]


def test_phrase_prefix_and_fields():
    root = parse_syntax('"Korea Utara" rud* title:nuklir title:"Kim Jong Un" outlet:kompas').root
    assert isinstance(root, And)
    phrase, prefix, title_word, title_phrase, outlet = root.items
    assert phrase == Phrase("Korea Utara")
    assert isinstance(prefix, Word) and prefix.prefix and prefix.text == "rud"
    assert isinstance(title_word, Word) and title_word.field == "title"
    assert title_phrase == Phrase("Kim Jong Un", "title")
    assert outlet == OutletTerm("kompas")


def test_outlet_names_resolve_to_keys_and_field_groups_apply_inside():
    root = parse_syntax("outlet:(Kompas.com OR inews) author:Rendi").root
    assert isinstance(root, And)
    assert root.items[0] == Or((OutletTerm("kompas"), OutletTerm("inews")))
    assert root.items[1] == AuthorTerm("Rendi")


def test_dates_leave_the_tree_as_one_range():
    parsed = parse_syntax("Korut since:2023-09-01 until:2023-11")
    assert parsed.root == Word("Korut", start=0, end=5)
    assert parsed.bounds == DateBounds(date(2023, 9, 1), date(2023, 11, 30))
    only = parse_syntax("date:2023-09..2023-11")
    assert only.root is None
    assert only.bounds == DateBounds(date(2023, 9, 1), date(2023, 11, 30))


def test_dates_inside_or_apply_to_the_whole_query_with_a_notice():
    parsed = parse_syntax("rudal OR roket since:2023")
    assert words(parsed.root) == ["rudal", "roket"]
    assert parsed.bounds == DateBounds(date(2023, 1, 1), None)
    assert any("whole query" in n for n in parsed.notices)


def test_partial_dates_cover_their_whole_period():
    assert parse_period("2024-02").last == date(2024, 2, 29)
    assert parse_period("2023").first == date(2023, 1, 1)
    assert parse_range("2023-11") == DateBounds(date(2023, 11, 1), date(2023, 11, 30))
    assert parse_range("..2023-06") == DateBounds(None, date(2023, 6, 30))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"Korea Utara', "unbalanced quotes"),
        ("(rudal OR nuklir", "unbalanced parentheses"),
        ("rudal)", "unbalanced parentheses"),
        ("*", "lone '*'"),
        ("r*", "too short"),
        ("penulis:x foo:bar", "unknown field 'foo:'"),
        ("since:2023-13-45", "impossible date"),
        ("until:2023-02-30", "impossible date"),
        ("since:kemarin", "not a date"),
        ("since:2023-12 until:2023-11", "is after"),
        ("date:2023-12..2023-01", "is after"),
        ("x" * 10_000, "too long"),
        ("outlet:nosuchpaper", "unknown outlet"),
        ("-since:2023 rudal", "cannot be negated"),
        ("rudal NOT (roket until:2023)", "cannot be negated"),
        ("since:(2023 OR 2024)", "takes one date"),
    ],
)
def test_bad_queries_raise_one_line(query, message):
    with pytest.raises(QueryError) as err:
        parse_syntax(query)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("query", "expected_words", "notice"),
    [
        ("rudal OR", ["rudal"], "OR"),
        ("AND rudal", ["rudal"], "AND"),
        ("rudal NOT", ["rudal"], "NOT"),
        ("title: rudal", ["rudal"], "title:"),
        ("ru*dal", ["ru", "dal"], "end of a word"),
        ('rudal ""', ["rudal"], "empty quotes"),
        ("() rudal", ["rudal"], "empty parentheses"),
        ("Catatan: rudal", ["Catatan ", "rudal"], "as words"),
    ],
)
def test_slips_are_searched_as_words_with_a_notice(query, expected_words, notice):
    parsed = parse_syntax(query)
    assert words(parsed.root) == expected_words
    assert any(notice in n for n in parsed.notices), parsed.notices


def test_clean_queries_have_no_notice():
    assert parse_syntax('rudal OR (nuklir -satelit) "Korea Utara"').notices == []
