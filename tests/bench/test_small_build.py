"""Smoke test of bench/small_build.py on seeds/: both commands run and the table prints."""

from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import index as whoosh_index

from bench.small_build import compare, main, straight, table

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_straightforward_pipeline_indexes_every_page_stemmed(tmp_path):
    assert straight(SEEDS, tmp_path / "ix") == len(list(SEEDS.glob("*.txt")))
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    with ix.searcher() as s:
        assert s.doc_count() == len(list(SEEDS.glob("*.txt")))
    analyzer = ix.schema["body"].analyzer
    assert [t.text for t in analyzer("Mengkhawatirkan pemerintahan")] == ["khawatir", "perintah"]


def test_both_commands_are_timed_pair_by_pair(tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    result = compare(pages, 5, rounds=1, work=tmp_path)
    assert set(result["sides"]) == {"warta", "straight"}
    assert result["speedup"]["median"] > 0
    assert "articles/s" in table(result)
    assert not list(tmp_path.glob("warta-*")) and not list(tmp_path.glob("straight-*"))


def test_the_pipeline_alone_from_the_command_line(tmp_path, capsys):
    assert main(["straight", str(SEEDS), str(tmp_path / "ix")]) == 0
    assert "indexed" in capsys.readouterr().out
