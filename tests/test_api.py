"""The public Python API: what a script imports from `warta`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import warta
from warta import Archive, ArchiveStats, IndexMissingError, QueryError, WartaError


def test_the_names_a_script_needs_are_there() -> None:
    for name in warta.__all__:
        assert getattr(warta, name) is not None
    with pytest.raises(AttributeError):
        warta.Engine  # noqa: B018 - the engine is not public
    assert issubclass(QueryError, WartaError) and issubclass(IndexMissingError, WartaError)


def test_archive_searches_with_keywords_and_closes(seeds_index: Path) -> None:
    with Archive(seeds_index) as archive:
        everything = archive.search()
        assert everything.total == 5
        dated = archive.search("rudal", since="2023-09", until=date(2023, 11, 30))
        assert 0 < dated.total <= everything.total
        assert all(h.published and h.published.date() >= date(2023, 9, 1) for h in dated.hits)
        newest = archive.search(sort="newest", limit=2, page=2)
        assert len(newest.hits) == 2 and newest.page == 2
        by_outlet = archive.search(outlets=["iNews.id"])
        assert {h.outlet for h in by_outlet.hits} == {"inews"}
        view = archive.article(dated.hits[0].id, query="rudal")
        assert view.title == dated.hits[0].title and view.body
        assert isinstance(archive.stats(), ArchiveStats) and archive.stats().articles == 5
        assert len(list(archive.articles())) == 5
        with pytest.raises(TypeError):
            archive.search("rudal", ["inews"])  # type: ignore[misc] - keywords only
        with pytest.raises(QueryError):
            archive.search(since="2023-11", until="2023-09")
        with pytest.raises(QueryError):
            archive.search(outlets=["no such outlet"])


def test_build_and_open_errors_are_warta_errors(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        Archive(tmp_path / "none")
    report = warta.build_index(Path(__file__).parents[1] / "seeds", tmp_path / "ix")
    assert report.indexed == 5 and report.to_dict()["articles"] == 5


def test_archive_counts_trends_terms_and_exports(seeds_index: Path, tmp_path: Path) -> None:
    with Archive(seeds_index) as archive:
        trend = archive.trend("rudal", "", interval="year")
        assert isinstance(trend, warta.Trend) and trend.queries == ["rudal", ""]
        every = sum(r.count for r in trend.rows if r.query == "") + trend.undated[""]
        assert every == archive.stats().articles
        terms = archive.terms("rudal", top=3)
        assert terms and all(isinstance(t, warta.Term) for t in terms)
        total = archive.search("rudal").total
        assert archive.export("rudal", tmp_path / "rudal.jsonl") == total
        with pytest.raises(WartaError, match="exists"):
            archive.export("rudal", tmp_path / "rudal.jsonl")


def test_the_api_folds_stories_and_lists_them(tmp_path):
    import shutil

    from tests.helpers import SEEDS
    from tests.index.test_story_build import _seed_repost
    from warta import Archive, StorySummary, build_index

    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "repost.txt").write_text(_seed_repost(), encoding="utf-8")
    build_index(src, tmp_path / "ix")
    with Archive(tmp_path / "ix") as archive:
        folded = archive.search("rudal")
        every = archive.search("rudal", fold=False)
        assert folded.total == every.total and folded.stories == every.total - 1
        found = archive.stories()
        assert [type(s) for s in found] == [StorySummary] and found[0].size == 2
        assert archive.search("rudal", languages=["en"]).total == 0
        by_story = archive.trend("rudal", interval="year", stories=True)
        assert sum(r.count for r in by_story.rows) == folded.stories
