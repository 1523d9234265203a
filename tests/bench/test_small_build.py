"""Smoke test of bench/small_build.py on seeds/: both commands run and the table prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from whoosh.analysis import StemmingAnalyzer

from bench.small_build import _sastrawi_stem, compare, main, straight, table

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_straightforward_pipeline_indexes_every_page_stemmed(tmp_path):
    pages = len(list(SEEDS.glob("*.txt")))
    assert straight(SEEDS, tmp_path / "ix") == pages
    # Opened in a process of its own: the pipeline's schema pickles its analyzer, which
    # Warta's safe unpickler (installed by any test that imported the engine) refuses.
    code = "import sys; from whoosh import index; print(index.open_dir(sys.argv[1]).doc_count())"
    ran = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(ran.stdout) == pages
    analyzer = StemmingAnalyzer(stemfn=_sastrawi_stem, stoplist=None)
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
