"""`warta search`, `show` and `stats`: their output and status, run in-process through
`main(argv)`, with a few end-to-end runs as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from index.article import CONTRACT_KEYS
from tests.helpers import run_warta

ROOT = Path(__file__).resolve().parents[2]
HIT_KEYS = [k for k in CONTRACT_KEYS if k not in ("body", "captions")] + [
    "story_size",
    "folded",
    "folded_outlets",
    "score",
    "snippet",
]
SUMMARY_KEYS = ["total", "stories", "took_ms", "facets", "suggestion"]


def warta(*args: str, stdin: str | None = None, env: dict | None = None):
    """`warta ARGS` in-process through main(argv): fast, and a traceback shows in pytest."""
    return run_warta(*args, stdin=stdin, env=env)


def warta_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`warta ARGS` as a user runs it: a separate process (a few end-to-end checks)."""
    return subprocess.run(
        [sys.executable, "-m", "warta", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=60,
    )


@pytest.fixture(scope="module")
def ix(seeds_index: Path) -> str:
    return str(seeds_index)


def json_lines(stdout: str) -> list[dict]:
    return [orjson.loads(line) for line in stdout.splitlines() if line.strip()]


# ── --json: the documented schema ───────────────────────────────────────────────────────


def test_json_hits_then_one_summary(ix):
    r = warta("search", "Korut", "--json", "--facets", "--index", ix)
    assert r.returncode == 0, r.stderr
    *hits, summary = json_lines(r.stdout)
    assert len(hits) == 5
    for hit in hits:
        assert list(hit) == HIT_KEYS
        assert isinstance(hit["score"], float) and hit["score"] > 0
        assert set(hit["snippet"]) == {"text", "highlights"}
        for start, end in hit["snippet"]["highlights"]:
            assert 0 <= start < end <= len(hit["snippet"]["text"])
    assert list(summary) == SUMMARY_KEYS
    assert summary["total"] == 5
    assert set(summary["facets"]) == {"outlet", "year", "month", "no_date", "language", "counted"}
    assert summary["facets"]["language"] == {"id": 5}
    assert summary["facets"]["month"] == {"2023-06": 1, "2023-09": 1, "2023-11": 2}
    assert summary["facets"]["no_date"] == 1
    assert summary["suggestion"] is None


def test_json_dates_are_iso_with_offset_and_null_when_unknown(ix):
    *hits, _ = json_lines(warta("search", "", "--json", "--index", ix).stdout)
    published = {h["path"][:3]: h["published"] for h in hits}
    assert published["000"] == "2023-11-09T20:27:00+07:00"
    assert published["002"] is None


def test_json_summary_carries_the_suggestion(ix):
    *_, summary = json_lines(warta("search", "rudall", "--json", "--index", ix).stdout)
    assert summary["total"] == 0 and summary["suggestion"] == "rudal"


def test_batch_tags_every_line_with_its_query_number(ix, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("Korut\n\n# a comment\nLansia\nMenlu\n", encoding="utf-8")
    r = warta("search", "--batch", str(queries), "--json", "--index", ix)
    assert r.returncode == 0, r.stderr
    rows = json_lines(r.stdout)
    summaries = [row for row in rows if "total" in row]
    assert [(s["query"], s["total"]) for s in summaries] == [(1, 5), (4, 0), (5, 3)]
    assert {row["query"] for row in rows if "id" in row} == {1, 5}


def test_batch_from_stdin_goes_on_past_a_bad_line(ix):
    r = warta("search", "--batch", "-", "--json", "--index", ix, stdin='Korut\n"oops\nMenlu\n')
    assert r.returncode == 2
    rows = json_lines(r.stdout)
    assert {"query": 2, "error": 'unbalanced quotes: a " is not closed'} in rows
    assert [row["query"] for row in rows if "total" in row] == [1, 3]
    assert "line 2: unbalanced quotes" in r.stderr
    assert "Traceback" not in r.stderr


# ── text output ─────────────────────────────────────────────────────────────────────────


def test_piped_output_is_plain_text_with_totals_and_facets(ix):
    r = warta("search", "khawatir", "--facets", "--index", ix)
    assert r.returncode == 0, r.stderr
    assert "\x1b[" not in r.stdout
    assert "AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut" in r.stdout
    assert "mengkhawatirkan" in r.stdout
    assert "3 articles" in r.stdout
    assert "inews 2" in r.stdout and "2023-11 1" in r.stdout


def test_suggestion_and_notice_are_shown(ix):
    r = warta("search", "rudall", "--index", ix)
    assert "Maksud Anda: rudal" in r.stdout
    r = warta("search", "rudal OR", "--index", ix)
    assert r.returncode == 0 and "note: ignored an OR" in r.stdout


def test_filters_sort_limit_and_page(ix):
    def ids(*args):
        return [
            h["path"][:3]
            for h in json_lines(warta("search", *args, "--json", "--index", ix).stdout)
            if "id" in h
        ]

    assert set(ids("Korut", "--outlet", "inews")) == {"000", "003"}
    assert set(ids("Korut", "--outlet", "inews", "--outlet", "Bisnis.com")) == {
        "000",
        "002",
        "003",
    }
    assert set(ids("Korut", "--since", "2023-09-01")) == {"000", "001", "004"}
    assert set(ids("Korut", "--since", "2023-09-01", "--undated")) == {"000", "001", "002", "004"}
    assert set(ids("Korut", "--until", "2023-09")) == {"003", "004"}
    assert ids("Korut", "--sort", "oldest") == ["003", "004", "001", "000", "002"]
    assert ids("Korut", "--sort", "newest", "--limit", "2", "--page", "2") == ["004", "003"]


def test_show_prints_the_article_json_and_raw(ix, seeds_index):
    from search.engine import Engine

    ids = {a.path[:3]: a.id for a in Engine(seeds_index).iter_articles()}
    r = warta("show", ids["002"], "--json", "--index", ix)
    assert r.returncode == 0, r.stderr
    article = orjson.loads(r.stdout)
    assert list(article) == list(CONTRACT_KEYS)
    assert article["outlet"] == "bisnis" and article["published"] is None
    text = warta("show", ids["002"], "--index", ix).stdout
    assert article["title"] in text and article["body"][0][:40] in text
    raw = warta("show", ids["003"], "--raw", "--index", ix).stdout
    assert "Baca Juga" in raw and "Lansia" in raw


def test_stats(ix):
    r = warta("stats", "--index", ix)
    assert r.returncode == 0, r.stderr
    assert "articles" in r.stdout and "5" in r.stdout and "inews" in r.stdout
    stats = orjson.loads(warta("stats", "--json", "--index", ix).stdout)
    assert stats["articles"] == 5 and stats["undated"] == 1


# ── bad input: one line, exit status 2; no index: exit status 1 ─────────────────────────


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", '"Korea Utara'], "unbalanced quotes"),
        (["search", "(rudal OR nuklir"], "unbalanced parentheses"),
        (["search", "rudal)"], "unbalanced parentheses"),
        (["search", "*"], "lone '*'"),
        (["search", "foo:bar"], "unknown field 'foo:'"),
        (["search", "since:2023-13-45"], "impossible date"),
        (["search", "Korut", "--since", "2023-13-45"], "impossible date"),
        (["search", "since:2023-12 until:2023-11"], "is after"),
        (["search", "Korut", "--since", "2023-12", "--until", "2023-11"], "is after"),
        (["search", "Korut", "--limit", "0"], "--limit must be 1 or more"),
        (["search", "Korut", "--limit", "-3"], "--limit must be 1 or more"),
        (["search", "Korut", "--page", "0"], "--page must be 1 or more"),
        (["search", "Korut", "--limit", "lots"], "invalid int value"),
        (["search", "x" * 10_000], "query too long"),
        (["search", "Korut", "--outlet", "nosuchpaper"], "unknown outlet"),
        (["search", "Korut", "--sort", "sideways"], "invalid choice"),
        (["search", "--batch", "/nonexistent/queries.txt"], "cannot read"),
        (["search", "Korut", "--batch", "-"], "not both"),
        (["search", "!!!"], "nothing to search for"),
        (["show", "nosuchid"], "no article with id 'nosuchid'"),
        (["show", "nosuchid", "--raw", "--json"], "not allowed with"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(ix, args, message):
    r = warta(*args, "--index", ix)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("warta: ")
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("command", [["search", "Korut"], ["show", "abc"], ["stats"]])
def test_missing_index_is_exit_1(tmp_path, command):
    missing = tmp_path / "nothing-here"
    r = warta(*command, "--index", str(missing))
    assert r.returncode == 1
    assert r.stderr == f"warta: no index at {missing} — build one with: warta index DIR\n"


def test_unreadable_index_is_exit_1(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("gen-gone\n", encoding="utf-8")
    r = warta("search", "Korut", "--index", str(broken))
    assert r.returncode == 1
    assert r.stderr.startswith("warta: ") and "rebuild" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_warta_index_environment_variable_is_used(ix):
    r = warta("search", "Korut", "--json", env={"WARTA_INDEX": ix})
    assert r.returncode == 0 and json_lines(r.stdout)[-1]["total"] == 5


def test_the_readme_documents_the_json_keys_it_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Searching", 1)[1].split("\n## ", 1)[0]
    example_hit, example_summary = (
        orjson.loads(block.split("```", 1)[0]) for block in section.split("```json\n")[1:3]
    )
    assert list(example_hit) == HIT_KEYS
    assert list(example_summary) == SUMMARY_KEYS
    assert set(example_summary["facets"]) == {
        "outlet",
        "year",
        "month",
        "no_date",
        "language",
        "counted",
    }


# ── end to end: a separate process ─────────────────────────────────────────────────────


def test_end_to_end_json_and_exit_status(ix):
    run = warta_process("search", "rudal", "--index", ix, "--json")
    assert run.returncode == 0, run.stderr
    lines = json_lines(run.stdout)
    assert list(lines[-1]) == SUMMARY_KEYS and lines[-1]["total"] == len(lines) - 1
    bad = warta_process("search", '"unbalanced', "--index", ix)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
