"""Stories at build time (issue 18): the story id written with each article, the table
written with each generation, and --update assigning new articles against the old ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from index import store, story_table
from index.build import build_index
from index.story_stage import SKETCHES
from search.engine import Engine
from tests.helpers import SEEDS
from tests.search.test_stories_search import SEED, _repost


def _stories(index: Path) -> dict[str, str]:
    """path → story id of every article."""
    with Engine(index) as engine:
        return {a.path: a.story for a in engine.iter_articles() if a.story}


def _seed_repost() -> str:
    seed = (SEEDS / SEED).read_text(encoding="utf-8")
    return _repost(
        seed,
        headline="Amerika Cemaskan Transfer Teknologi Rudal Rusia ke Korea Utara",
        date_line="Jumat, 10 November 2023 08:15 WIB",
    )


def test_update_joins_a_new_repost_to_the_story_already_indexed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    index = tmp_path / "ix"
    first = build_index(src, index)
    assert first.stories == 0
    assert len(set(_stories(index).values())) == 5  # the seeds are five stories
    (src / "repost.txt").write_text(_seed_repost(), encoding="utf-8")
    report = build_index(src, index, update=True)
    assert report.indexed == 1
    assert report.stories == 1 and report.story_articles == 2
    stories = _stories(index)
    assert stories["repost.txt"] == stories[SEED]
    # The story id is the first article's, so it did not move.
    with Engine(index) as engine:
        origin = next(a for a in engine.iter_articles() if a.path == SEED)
        assert origin.story == origin.id and origin.origin is True


def test_update_forgets_a_deleted_copy(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "repost.txt").write_text(_seed_repost(), encoding="utf-8")
    index = tmp_path / "ix"
    assert build_index(src, index).stories == 1
    (src / "repost.txt").unlink()
    report = build_index(src, index, update=True)
    assert report.removed == 1
    assert report.stories == 0
    with Engine(index) as engine:
        assert engine.stories() is not None and not engine.stories().any


def test_update_without_sketches_groups_new_articles_among_themselves(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    index = tmp_path / "ix"
    build_index(src, index)
    gen = store.current_generation(index).path
    (gen / story_table.FOLDER / SKETCHES).write_bytes(b"not a table")
    (src / "repost.txt").write_text(_seed_repost(), encoding="utf-8")
    report = build_index(src, index, update=True)
    assert report.story_note is not None and "grouped only among themselves" in report.story_note
    stories = _stories(index)
    assert stories["repost.txt"] != stories[SEED]
    # A rebuild groups them again.
    assert build_index(src, index).stories == 1


def test_the_threshold_is_settable(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "repost.txt").write_text(_seed_repost(), encoding="utf-8")
    assert build_index(src, tmp_path / "strict", story_threshold=0.99).stories == 0
    assert build_index(src, tmp_path / "usual").stories == 1


def test_sketching_in_a_process_of_its_own_gives_the_same_stories(tmp_path: Path) -> None:
    """The story stage of a big build (sketches made and assigned a few batches ahead in
    another process, which then saves them) gives exactly what the inline one of a small
    build gives, in the same order, desks and times weighed alike."""
    from index.stories import StoryIndex
    from index.story_stage import BATCH, Stories, StoryStage
    from tests.index.test_stories import FLOOD, FOOTBALL, INFLATION, RELIEF, REPOST

    texts = [FLOOD, FOOTBALL, REPOST, INFLATION, RELIEF, FLOOD[1:], FOOTBALL[:-1]]
    docs = [
        (f"a{i}", texts[i % len(texts)], ("kompas", "detik", None)[i % 3], (i // 5) * 24)
        for i in range(3 * BATCH + 5)
    ]

    def run(parallel: bool, where: Path) -> list[tuple[str, str]]:
        stage = StoryStage(Stories(StoryIndex()), parallel=parallel)
        try:
            out = []
            for article_id, body, desk, hour in docs:
                doc = {"id": article_id}
                out += [(d["id"], d["story"]) for d in stage.put(article_id, body, desk, hour, doc)]
            out += [(d["id"], d["story"]) for d in stage.finish()]
            where.mkdir()
            stage.save(where, ["a0"])
            return out
        finally:
            stage.close()

    inline = run(parallel=False, where=tmp_path / "inline")
    assert [i for i, _ in inline] == [d[0] for d in docs]
    assert run(parallel=True, where=tmp_path / "parallel") == inline
    assert len({s for _, s in inline}) < len(texts) * 2  # copies joined
    saved = [
        StoryIndex.load(tmp_path / where / story_table.FOLDER / SKETCHES).stories()
        for where in ("inline", "parallel")
    ]
    assert saved[0] == saved[1] and "a0" not in saved[0] and len(saved[0]) == len(docs) - 1
