"""Smoke test of bench/run.py: a tiny run end to end, every figure present in the JSON.

It checks behaviour, never speed: the numbers depend on the machine, but a figure that
goes missing (a renamed BuildReport field, a TUI that no longer posts ResultsShown) must
fail here rather than in the one long run someone makes before a release.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from bench import corpus
from bench.run import (
    ANALYSIS_TARGETS,
    BASES,
    PEERS,
    TARGETS,
    VARIANTS,
    main,
    parse_args,
    query_set,
)

pytestmark = pytest.mark.slow  # a differential suite: run in CI with -m slow

DOCS = 200


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    if not corpus._indosum_dir(None).is_dir():
        pytest.skip("IndoSum not found (set WARTA_INDOSUM)")
    out = tmp_path_factory.mktemp("bench-run") / "run.json"
    peers = ["whoosh-default", "sqlite-fts5"]
    try:
        import tantivy  # noqa: F401
    except ImportError:
        pass
    else:
        peers.append("tantivy")
    argv = [
        "--docs", str(DOCS), "--out", str(out), "--peers", ",".join(peers),
        "--rounds", "1", "--tui-rounds", "1", "--cold-runs", "1", "--quiet",
    ]  # fmt: skip
    assert main(argv) == 0
    return orjson.loads(out.read_bytes()), out


def test_query_set_covers_the_issue() -> None:
    qs = query_set()
    assert len(qs) >= 30
    kinds = {q["kind"] for q in qs}
    assert {"one word", "two words", "three words", "phrase", "abbreviation"} <= kinds
    assert {q["variant"] for q in qs} == set(VARIANTS)
    assert len({q["id"] for q in qs}) == len(qs) == len(BASES) * len(VARIANTS)
    for q in qs:
        assert bool(q["outlet"]) == ("outlet" in q["variant"])
        assert bool(q["since"] and q["until"]) == ("date" in q["variant"])


def test_args() -> None:
    args = parse_args([])
    assert args.docs == [10_000, 100_000] and args.tui_at == 100_000
    assert args.peers == list(PEERS)
    args = parse_args(["--docs", "1000", "--skip-peers", "--seed", "3"])
    assert args.docs == [1000] and args.skip_peers and args.seed == 3
    with pytest.raises(SystemExit):
        parse_args(["--peers", "lucene"])


def test_every_figure_is_in_the_json(report: tuple[dict[str, Any], Path]) -> None:
    doc, _ = report
    size = doc["sizes"][str(DOCS)]
    assert size["corpus"]["articles"] == DOCS
    build = size["build"]
    for key in (
        "articles_per_s", "pages_mb_per_s", "text_mb_per_s", "seconds", "stem_hit_rate",
        "index_bytes", "peak_rss_bytes", "cores_used", "cold",
    ):  # fmt: skip
        assert key in build, key
    assert build["indexed"] == DOCS and build["cold"] and build["stems_loaded"] == 0
    assert build["index_bytes"] > 0 and build["peak_rss_bytes"] > 0
    assert 0 < build["stem_hit_rate"] < 1

    query = size["query"]
    assert {"p50", "p95", "p99"} <= query["ms"].keys()
    assert query["ms"]["n"] == len(doc["queries"])
    assert set(query["by_variant"]) == set(VARIANTS)
    assert set(query["totals"]) == {q["id"] for q in doc["queries"]}
    # Unfiltered queries hit something even at 200 articles: the words are real.
    assert all(query["totals"][q["id"]] for q in doc["queries"] if q["variant"] == "plain")

    assert doc["seeds"]["cold_search"]["median_ms"] > 0
    assert size["cold_search"]["median_ms"] > 0

    tui = size["tui"]
    assert "ms" in tui, tui.get("not_measured")
    assert {"p50", "p95", "p99"} <= tui["ms"].keys()
    assert tui["rss_bytes"] > 0 and tui["peak_rss_bytes"] >= tui["rss_bytes"]
    assert len(tui["samples"]) == len(doc["tui_queries"])
    for sample in tui["samples"]:
        # The info line shows the total of the very search the keystroke caused.
        assert sample["info"].startswith(f"{sample['total']:,} article"), sample

    peers = size["peers"]
    assert set(peers) == set(doc["settings"]["peers"])
    for name, peer in peers.items():
        assert peer["build"]["articles"] == DOCS, name
        assert {"p50", "p95", "p99"} <= peer["ms"].keys()
        assert set(peer["ratio"]) == {
            "build_articles_per_s", "query_p50", "query_p95", "query_p99",
        }  # fmt: skip
    analysis = size["analysis"]
    for key in ("trend_month", "trend_outlet_month", "terms"):
        assert set(analysis[key]["by_query"]) == {b[1] for b in BASES}, key
        assert analysis[key]["max_p50_ms"] > 0
    assert analysis["export"]["hits"] > 0 and analysis["export"]["seconds"] > 0
    assert set(doc["analysis_summary"]) == set(ANALYSIS_TARGETS)

    assert set(doc["summary"]) == set(TARGETS)
    for target in doc["summary"].values():
        assert target["value"] is not None and target["met"] in (True, False)


def test_table_prints_every_section(report: tuple[dict[str, Any], Path]) -> None:
    from bench.run import table

    text = table(report[0])
    parts = ("build (cold)", "query warm", "cold search", "TUI", "whoosh-default", "targets")
    for part in (*parts, "analysis", "export", "issue 17"):
        assert part in text, part
