"""The multi-process writer must give the same index as the one-process writer."""

import index.segment.processes as writers
from index.analysis import STEMS
from index.build import build_index
from search.engine import Engine

QUERIES = ["Korut", "kerja sama militer", '"satelit mata-mata"', "mengirimkan senjata", "rudal"]


def _answers(index_dir):
    engine = Engine(index_dir)
    out = {}
    for q in QUERIES:
        res = engine.search(q, page_size=50)
        out[q] = ([h.id for h in res.hits], [round(h.score, 4) for h in res.hits], res.facets)
    return out, sorted(a.to_dict()["id"] for a in engine.iter_articles())


def test_parallel_build_gives_the_same_answers(seeds_dir, tmp_path, monkeypatch):
    serial = build_index(seeds_dir, tmp_path / "serial")
    STEMS.stems.clear()  # the sub-processes must stem, and report what they learned
    monkeypatch.setattr(writers, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(writers, "cpu_count", lambda: 2)
    parallel = build_index(seeds_dir, tmp_path / "parallel")
    assert parallel.indexed == serial.indexed == 5
    assert _answers(tmp_path / "parallel") == _answers(tmp_path / "serial")
    # What the sub-processes stemmed reached the persisted cache.
    assert parallel.stem_misses > 100
    assert "khawatir" in STEMS.stems.values()
    assert not list((tmp_path / "parallel").glob("stems-*.part"))
