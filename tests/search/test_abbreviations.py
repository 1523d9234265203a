"""The abbreviation table: shipped entries, the capitals rule, and a user's own file."""

from __future__ import annotations

import pytest

from search.abbreviations import load_table, parse_table
from search.compiler import compile_query


@pytest.fixture
def fresh_table():
    load_table.cache_clear()
    yield
    load_table.cache_clear()


def phrases(query: str) -> set[tuple[str, ...]]:
    return set(compile_query(query).highlight.phrases)


def test_shipped_entries_expand_both_ways():
    assert ("korea", "utara") in phrases("Korut")
    assert ("menteri", "luar", "negeri") in phrases("menlu")  # mixed case: any case
    assert "korut" in compile_query("Korea Utara").highlight.stems
    # Phrases are held as stems; "Bangsa-Bangsa" is one word, stemmed to "bangsa".
    assert phrases("PBB") == {("serikat", "bangsa")}


def test_capitalised_abbreviations_expand_only_in_capitals():
    assert ("amerika", "serikat") in phrases("AS")
    assert phrases("as") == set()
    assert phrases("dpr") == set()
    assert ("dewan", "wakil", "rakyat") in phrases("DPR")


def test_parse_table_reads_lines_and_switches_entries_off():
    table: dict = {}
    parse_table(
        "Korut = Korea Utara | Korea Utara Raya\n# note\nbogus line\nAS = Amerika Serikat",
        "t",
        table,
    )
    assert table["korut"].expansions == (("korea", "utara"), ("korea", "utara", "raya"))
    assert table["as"].needs_capitals and not table["korut"].needs_capitals
    parse_table("AS =\n", "user", table)
    assert "as" not in table


def test_a_users_file_adds_entries_and_switches_shipped_ones_off(
    tmp_path, monkeypatch, fresh_table
):
    config = tmp_path / "config"
    config.mkdir()
    (config / "abbreviations.txt").write_text("Jokowi = Joko Widodo\nKorut =\n", encoding="utf-8")
    monkeypatch.setenv("WARTA_CONFIG", str(config))
    load_table.cache_clear()
    assert ("joko", "widodo") in phrases("Jokowi")
    assert phrases("Korut") == set()
