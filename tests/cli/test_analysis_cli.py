"""`warta trend`, `warta terms` and `warta search --export` (issue 17): their output, their
provenance, and every bad input the issue names."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest

from search.export import export_hits
from search.models import Filters
from tests.helpers import run_warta
from tests.search.conftest import build_mini_index
from tests.search.test_trend import ARTICLES

PROVENANCE_KEYS = {"queries", "filters", "warta_version", "index", "generation", "built_at",
                   "articles"}  # fmt: skip


@pytest.fixture
def ix(tmp_path: Path) -> str:
    return str(build_mini_index(tmp_path, ARTICLES).index_dir)


def lines(stdout: str) -> list[dict]:
    return [orjson.loads(x) for x in stdout.splitlines() if x.strip()]


# ── trend ──────────────────────────────────────────────────────────────────────────────


def test_trend_json_rows_then_one_summary_with_provenance(ix):
    ran = run_warta("trend", "banjir", "gempa", "--interval", "month", "--index", ix, "--json")
    assert ran.returncode == 0, ran.stderr
    *rows, summary = lines(ran.stdout)
    assert list(rows[0]) == ["query", "period", "count"]
    assert [(r["query"], r["period"], r["count"]) for r in rows[:3]] == [
        ("banjir", "2023-01-01", 3),
        ("banjir", "2023-02-01", 0),
        ("banjir", "2023-03-01", 1),
    ]
    assert summary["undated"] == {"banjir": 1, "gempa": 0}
    assert set(summary["provenance"]) >= PROVENANCE_KEYS
    assert summary["provenance"]["queries"] == ["banjir", "gempa"]


def test_trend_by_outlet_normalized_says_null_where_the_outlet_published_nothing(ix):
    ran = run_warta(
        "trend", "banjir", "--by", "outlet", "--normalize", "--interval", "month",
        "--index", ix, "--json",
    )  # fmt: skip
    rows = lines(ran.stdout)[:-1]
    assert list(rows[0]) == ["query", "period", "outlet", "count", "share"]
    kompas_feb = next(r for r in rows if r["outlet"] == "kompas" and r["period"] == "2023-02-01")
    assert kompas_feb["count"] == 0 and kompas_feb["share"] is None


def test_trend_table_says_na_and_the_undated_apart(ix):
    ran = run_warta(
        "trend", "banjir", "--by", "outlet", "--normalize", "--interval", "month", "--index", ix
    )
    assert ran.returncode == 0
    assert "n/a" in ran.stdout and "100.0%" in ran.stdout
    assert "not in any period: banjir: 1 undated" in ran.stdout


def test_trend_csv_opens_with_a_provenance_comment(ix):
    ran = run_warta("trend", "banjir", "--interval", "month", "--index", ix, "--csv")
    first, *rest = ran.stdout.splitlines()
    assert first.startswith("# ") and "queries=['banjir']" in first
    table = list(csv.DictReader(io.StringIO("\n".join(rest))))
    assert [r["count"] for r in table] == ["3", "0", "1"]


def test_trend_draws_a_chart_when_asked_and_a_table_alone_when_too_narrow(ix):
    wide = run_warta("trend", "banjir", "--interval", "month", "--index", ix, "--chart",
                     env={"COLUMNS": "100"})  # fmt: skip
    assert "articles per month" in wide.stdout and "┤" in wide.stdout
    narrow = run_warta("trend", "banjir", "--interval", "month", "--index", ix, "--chart",
                       env={"COLUMNS": "40"})  # fmt: skip
    assert "┤" not in narrow.stdout and "2023-02" in narrow.stdout


def test_trend_with_no_dated_match_says_so(ix):
    ran = run_warta("trend", "tsunami", "--index", ix)
    assert ran.returncode == 0 and "no dated article matches" in ran.stdout


def test_trend_stories_without_a_story_table_counts_articles_and_says_so(ix):
    # This index is written without the build (tests/search/conftest.py): no story table.
    ran = run_warta("trend", "banjir", "--stories", "--index", ix, "--json")
    assert ran.returncode == 0, ran.stderr
    assert "no story table" in ran.stderr
    assert lines(ran.stdout)[-1]["counted"] == "articles"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--interval", "fortnight"], "invalid choice"),
        (["--since", "2023-05", "--until", "2023-01"], "2023"),
        (["--since", "kemarin"], "kemarin"),
    ],
)
def test_trend_bad_input_is_one_line_and_status_2(ix, args, message):
    ran = run_warta("trend", "banjir", *args, "--index", ix)
    assert ran.returncode == 2
    assert message in ran.stderr and len(ran.stderr.strip().splitlines()) == 1


# ── terms ──────────────────────────────────────────────────────────────────────────────


def test_terms_json_lines_carry_kind_score_and_both_counts(seeds_index):
    ran = run_warta("terms", "rudal", "--index", str(seeds_index), "--json", "--top", "3")
    assert ran.returncode == 0, ran.stderr
    *terms, summary = lines(ran.stdout)
    assert terms and all(list(t) == ["term", "kind", "score", "matches", "archive"] for t in terms)
    assert all(t["kind"] in ("word", "phrase", "name") for t in terms)
    assert all(0 < t["matches"] <= t["archive"] for t in terms)
    assert set(summary["provenance"]) >= PROVENANCE_KEYS


def test_terms_of_an_empty_or_matchless_query(ix):
    assert run_warta("terms", "", "--index", ix).returncode == 2
    ran = run_warta("terms", "tsunami", "--index", ix)
    assert ran.returncode == 0 and "no article matches" in ran.stdout


# ── export ─────────────────────────────────────────────────────────────────────────────


def test_export_jsonl_writes_every_hit_in_search_order_with_provenance(ix, tmp_path):
    out = tmp_path / "banjir.jsonl"
    ran = run_warta("search", "banjir", "--index", ix, "--export", str(out), "--limit", "1")
    assert ran.returncode == 0, ran.stderr
    head, *records = lines(out.read_text(encoding="utf-8"))
    assert set(head["provenance"]) >= PROVENANCE_KEYS | {"sort"}
    assert len(records) == 5  # every hit, not the page of one
    page = lines(run_warta("search", "banjir", "--index", ix, "--json").stdout)[:-1]
    assert [r["id"] for r in records] == [h["id"] for h in page]
    assert "body" in records[0] and records[0]["rank"] == 1


def test_export_csv_neutralises_formulas_and_leaves_the_body_out_when_asked(tmp_path):
    evil = [{"title": '=HYPERLINK("http://x")', "body": ["Banjir besar."], "outlet": "k"}]
    engine = build_mini_index(tmp_path, evil)
    out = tmp_path / "x.csv"
    assert export_hits(engine, "banjir", Filters(), "relevance", out, body=False) == 1
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# warta export {")
    rows = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    assert rows[0]["title"].startswith("'=HYPERLINK")
    assert "body" not in rows[0]


def test_export_refuses_an_existing_file_unless_forced(ix, tmp_path):
    out = tmp_path / "hits.csv"
    out.write_text("keep me", encoding="utf-8")
    ran = run_warta("search", "banjir", "--index", ix, "--export", str(out))
    assert ran.returncode == 1 and "--force" in ran.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = run_warta("search", "banjir", "--index", ix, "--export", str(out), "--force")
    assert forced.returncode == 0 and out.read_text(encoding="utf-8").startswith("# warta")


@pytest.mark.parametrize("name", ["missing/hits.csv", "hits.xlsx"])
def test_export_to_a_path_that_cannot_be_written_is_one_line(ix, tmp_path, name):
    ran = run_warta("search", "banjir", "--index", ix, "--export", str(tmp_path / name))
    assert ran.returncode == 1
    assert len(ran.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("**/*.partial"))


def test_a_failing_export_leaves_no_half_file(ix, tmp_path, monkeypatch):
    from search.engine import Engine

    engine = Engine(Path(ix))

    def broken(*args, **kwargs):
        yield from []
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine, "iter_hits", broken)
    out = tmp_path / "hits.jsonl"
    with pytest.raises(Exception, match="No space left"):
        export_hits(engine, "banjir", Filters(), "relevance", out)
    assert not out.exists() and not list(tmp_path.glob(".*partial"))
