"""Stories in search (issue 18): copies folded into one hit, totals in articles and
stories, origins, the reader's family, `warta stories`, trends counted by story, and a
damaged story table that falls back to one hit per article. The archive is the seeds plus
reposts written here (a changed headline and dateline, a paragraph dropped or added)."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from index import store, story_table
from index.build import build_index
from index.story_table import StoryTableError, build_table
from search.engine import Engine
from tests.helpers import SEEDS, run_warta

SEED = "000_cdbdf95fd593b164.txt"  # iNews, 2023-11-09 20:27 WIB: Rusia, rudal, Korut


def _repost(text: str, *, headline: str, date_line: str, extra: str | None = None) -> str:
    """The seed as another site reposts it: a new headline and date line, its first body
    paragraph dropped, maybe a paragraph of its own added."""
    lines = text.split("\n")
    body_start = next(i for i, line in enumerate(lines) if len(line) > 200)
    out = [headline, "", date_line, "", *lines[body_start + 1 :]]
    if extra:
        out += ["", extra]
    return "\n".join(out)


@pytest.fixture(scope="module")
def story_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stories")
    src = root / "src"
    shutil.copytree(SEEDS, src)
    seed = (SEEDS / SEED).read_text(encoding="utf-8")
    (src / "repost_a.txt").write_text(
        _repost(
            seed,
            headline="Amerika Cemaskan Transfer Teknologi Rudal Rusia ke Korea Utara",
            date_line="Jumat, 10 November 2023 08:15 WIB",
        ),
        encoding="utf-8",
    )
    (src / "repost_b.txt").write_text(
        _repost(
            seed,
            headline="Blinken: Rusia Bisa Bantu Program Nuklir Pyongyang",
            date_line="Sabtu, 11 November 2023 09:00 WIB",
            extra="Baca berita lainnya tentang hubungan Rusia dan Korea Utara di kanal "
            "Internasional kami, yang diperbarui setiap hari oleh tim redaksi.",
        ),
        encoding="utf-8",
    )
    build_index(src, root / "ix")
    return root / "ix"


def _by_path(engine: Engine, query: str, **kwargs: object) -> list[str]:
    return [h.path for h in engine.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_reposts_fold_into_one_hit_with_the_outlets_shown(story_index: Path) -> None:
    with Engine(story_index) as engine:
        folded = engine.search("rudal Korut")
        every = engine.search("rudal Korut", fold=False)
        assert folded.total == every.total  # articles are counted either way
        assert folded.stories == every.total - 2
        assert every.stories is None
        assert len(folded.hits) == len(every.hits) - 2
        top = next(h for h in folded.hits if h.folded)
        assert top.folded == 2
        assert top.story_size == 3
        paths = {h.path for h in every.hits}
        assert {"repost_a.txt", "repost_b.txt", SEED} <= paths


def test_the_earliest_dated_copy_is_the_origin(story_index: Path) -> None:
    with Engine(story_index) as engine:
        hits = {h.path: h for h in engine.search("rudal Korut", fold=False).hits}
        assert hits[SEED].origin is True
        assert hits["repost_a.txt"].origin is False
        assert hits["repost_b.txt"].origin is False
        assert hits[SEED].story == hits["repost_a.txt"].story == hits["repost_b.txt"].story
        # An article alone is its own story and, when dated, its origin.
        alone = next(h for p, h in hits.items() if p not in (SEED, "repost_a.txt", "repost_b.txt"))
        assert alone.story_size == 1 and alone.story == alone.id
        assert alone.origin is (alone.published is not None)


def test_the_reader_lists_the_family_and_what_differs(story_index: Path) -> None:
    with Engine(story_index) as engine:
        hits = {h.path: h for h in engine.search("rudal Korut", fold=False).hits}
        view = engine.article(hits["repost_b.txt"].id)
        assert [m.id for m in view.family] == [hits[SEED].id, hits["repost_a.txt"].id]
        assert view.family[0].origin is True
        assert view.compared_with == hits[SEED].id
        # Its own closing paragraph is marked, the origin's first paragraph is missing.
        assert view.added == [len(view.body) - 1]
        assert len(view.missing) == 1
        origin = engine.article(hits[SEED].id)
        assert origin.compared_with is None and origin.added == [] and origin.missing == []


def test_paging_counts_stories(story_index: Path) -> None:
    with Engine(story_index) as engine:
        first = engine.search("Rusia", page=1, page_size=2)
        second = engine.search("Rusia", page=2, page_size=2)
        every = [h.id for h in engine.search("Rusia", page_size=50).hits]
        assert [h.id for h in first.hits + second.hits] == every[:4]
        assert len({h.story for h in first.hits + second.hits}) == len(first.hits + second.hits)


def test_contract_carries_story_and_origin(story_index: Path) -> None:
    ran = run_warta("export", "--index", str(story_index))
    rows = [orjson.loads(line) for line in ran.stdout.splitlines()]
    by_path = {r["path"]: r for r in rows}
    assert by_path["repost_a.txt"]["story"] == by_path[SEED]["story"]
    assert by_path[SEED]["origin"] is True and by_path["repost_a.txt"]["origin"] is False
    shown = run_warta("show", by_path["repost_a.txt"]["id"], "--json", "--index", str(story_index))
    assert orjson.loads(shown.stdout)["origin"] is False


def test_cli_search_folds_and_all_unfolds(story_index: Path) -> None:
    folded = run_warta("search", "rudal", "Korut", "--index", str(story_index))
    assert folded.returncode == 0, folded.stderr
    assert "+2: " in folded.stdout
    assert " stories" in folded.stdout.splitlines()[-1]
    every = run_warta("search", "rudal", "Korut", "--all", "--index", str(story_index))
    assert "+2: " not in every.stdout
    lines = run_warta("search", "rudal", "--json", "--index", str(story_index)).stdout
    hits = [orjson.loads(x) for x in lines.splitlines()]
    top = next(h for h in hits[:-1] if h["folded"])
    assert top["story_size"] == 3 and top["folded"] == 2
    assert hits[-1]["stories"] == hits[-1]["total"] - 2


def test_warta_stories_lists_the_story(story_index: Path) -> None:
    ran = run_warta("stories", "--json", "--index", str(story_index))
    assert ran.returncode == 0, ran.stderr
    stories = [orjson.loads(x) for x in ran.stdout.splitlines()]
    assert len(stories) == 1
    story = stories[0]
    assert story["size"] == 3 and story["matching"] == 3
    assert story["first"] == "2023-11-09" and story["last"] == "2023-11-11"
    assert story["origin"] == story["articles"][0]
    text = run_warta("stories", "nuklir", "--index", str(story_index)).stdout
    assert "2023-11-09" in text and "story " in text
    none = run_warta("stories", "banjir bandang", "--index", str(story_index))
    assert "no story is told by more than one article" in none.stdout
    bad = run_warta("stories", "--sort", "oldest", "--index", str(story_index))
    assert bad.returncode == 2


def test_trend_counts_each_story_once(story_index: Path) -> None:
    with Engine(story_index) as engine:
        articles = engine.trend(["rudal"], interval="year")
        stories = engine.trend(["rudal"], interval="year", stories=True)
        assert sum(r.count for r in articles.rows) - sum(r.count for r in stories.rows) == 2


def _table_path(index: Path) -> Path:
    return store.current_generation(index).path / story_table.FOLDER / story_table.TABLE


def test_a_damaged_story_table_falls_back_to_articles(story_index: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(story_index, copy)
    path = _table_path(copy)
    path.write_bytes(path.read_bytes()[:-40] + b"garbage")
    with Engine(copy) as engine:
        results = engine.search("rudal Korut")
        assert results.stories is None
        assert all(h.folded == 0 for h in results.hits)
        assert "story table is damaged" in (results.notice or "")
    ran = run_warta("search", "rudal", "--index", str(copy))
    assert ran.returncode == 0
    assert "story table is damaged" in ran.stdout + ran.stderr
    gone = run_warta("stories", "--index", str(copy))
    assert gone.returncode == 1 and "damaged" in gone.stderr


def test_table_rules() -> None:
    table = build_table(["a", "b", "a", None, "a"], [300, 100, 200, None, None])
    assert table.ids == ["a"]
    assert table.members == [[2, 0, 4]]  # by time; the undated one last
    assert table.origin == [2]
    # A tie goes to the first document; an undated first member is never the origin.
    tie = build_table(["t", "u", "t", "u"], [50, None, 50, 70])
    assert tie.members == [[0, 2], [3, 1]] and tie.origin == [0, 3]
    undated = build_table(["s", "s"], [None, None])
    assert undated.origin == [-1]  # no dated member: no origin
    assert not undated.is_origin(0, dated=False)


def test_table_load_refuses_a_table_of_another_index(tmp_path: Path) -> None:
    story_table.save(build_table(["a", "a"], [1, 2]), tmp_path)
    assert story_table.load(tmp_path, 2).members == [[0, 1]]
    with pytest.raises(StoryTableError, match="does not match"):
        story_table.load(tmp_path, 1)
    with pytest.raises(StoryTableError, match="no story table"):
        story_table.load(tmp_path / "elsewhere", 2)


def test_cli_trend_by_story_says_so(story_index: Path) -> None:
    ran = run_warta("trend", "rudal", "--stories", "--json", "--index", str(story_index))
    summary = orjson.loads(ran.stdout.splitlines()[-1])
    assert summary["counted"] == "stories"
    assert summary["provenance"]["counting"] == "stories"
    text = run_warta("trend", "rudal", "--stories", "--no-chart", "--index", str(story_index))
    assert "counted: stories" in text.stdout


def test_facets_can_count_stories(story_index: Path) -> None:
    with Engine(story_index) as engine:
        articles = engine.search("rudal Korut").facets
        stories = engine.search("rudal Korut", by_story=True).facets
        assert articles.counted == "articles" and stories.counted == "stories"
        # The seed and its two reposts are one story, counted once under their month.
        assert articles.month["2023-11"] - stories.month["2023-11"] == 2
        assert sum(stories.year.values()) + stories.no_date == engine.search("rudal Korut").stories
    ran = run_warta(
        "search", "rudal", "--facets", "--count", "stories", "--json", "--index", str(story_index)
    )
    assert orjson.loads(ran.stdout.splitlines()[-1])["facets"]["counted"] == "stories"
    text = run_warta(
        "search", "rudal", "--facets", "--count", "stories", "--index", str(story_index)
    )
    assert "(counting stories" in text.stdout
