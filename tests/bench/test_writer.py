"""Smoke test of bench/writer.py on seeds/: it reads real pages and reports both phases."""

from __future__ import annotations

from pathlib import Path

from bench.writer import load_documents, main, time_writer

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_documents_are_the_builds(tmp_path):
    docs = load_documents(SEEDS, 3)
    assert len(docs) == 3
    assert all(doc["body"] is doc["body_exact"] and doc["title"] for doc in docs)


def test_both_phases_are_timed_and_printed(capsys):
    docs = load_documents(SEEDS, 50)
    best = time_writer(docs, rounds=1)
    assert set(best) == {"add", "commit"}
    assert all(v > 0 for v in best.values())
    assert main([str(SEEDS), "--docs", "5", "--rounds", "1"]) == 0
    assert "ms/article" in capsys.readouterr().out


def test_a_missing_folder_is_one_line_and_status_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder" in err
