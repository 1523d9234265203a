"""Query latency: cold `warta search` wall clock, and warm p50/p95 of Engine.search with facets.

    .venv/bin/python bench/query_latency.py                      # index seeds/ into a tmp dir
    .venv/bin/python bench/query_latency.py --index /tmp/ix5k    # an index you built
    .venv/bin/python bench/query_latency.py --index IX --json    # one JSON document

Cold: a fresh `python -m search search QUERY --json` process per run (interpreter start,
imports, opening the index, one query), timed from outside. Warm: one Engine, a fixed list
of queries covering the syntax (words, phrases, OR/NOT, prefixes, fields, dates,
abbreviations, a misspelling, the empty query, date sorts), each run `--rounds` times after
one warm-up round; every search counts facets over the whole result set and builds the
snippets of a 20-hit page, as the TUI asks for them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES: list[tuple[str, str]] = [
    ("word", "presiden"),
    ("word", "khawatir"),
    ("stem", "mengirimkan"),
    ("two words", "harga beras"),
    ("three words", "pemerintah kebijakan ekonomi"),
    ("phrase", '"Joko Widodo"'),
    ("or", "banjir OR longsor"),
    ("not", "sepak bola -Persija"),
    ("prefix", "korup*"),
    ("abbrev", "KPK"),
    ("abbrev", "Korut"),
    ("field", "title:gempa"),
    ("date", "pemilu since:2017-01 until:2017-12"),
    ("misspelt", "presidne"),
    ("empty", ""),
]
SORTED = [("newest", "Jakarta"), ("oldest", "Jakarta")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def cold(index: Path, runs: int, query: str = "Korut") -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "search", "search", query, "--json", "--index", str(index)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        times.append((time.perf_counter() - started) * 1000)
    return times


def warm(index: Path, rounds: int) -> tuple[dict[str, list[float]], list[float]]:
    """Wall-clock times by kind of query, and the CPU time of every search.

    CPU time is printed too because on a shared machine other processes inflate wall
    time; the process's own CPU time is what the search costs.
    """
    from search.engine import Engine

    engine = Engine(index)
    plan = [(kind, q, "relevance") for kind, q in QUERIES] + [
        (f"sort {s}", q, s) for s, q in SORTED
    ]
    for _, q, sort in plan:  # warm-up: caches, searchers, stems
        engine.search(q, sort=sort)
    times: dict[str, list[float]] = {}
    cpu: list[float] = []
    for _ in range(rounds):
        for kind, q, sort in plan:
            started, started_cpu = time.perf_counter(), time.process_time()
            engine.search(q, sort=sort)
            times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return times, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="index to query (default: build seeds/ in tmp)")
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = None
    index = args.index
    if index is None:
        from index.build import build_index

        tmp = tempfile.TemporaryDirectory()
        index = Path(tmp.name) / "ix"
        build_index(ROOT / "seeds", index)
    from search.engine import Engine

    docs = Engine(index).doc_count()
    cold_ms = cold(index, args.cold_runs)
    warm_ms, cpu_ms = warm(index, args.rounds)
    every = [t for ts in warm_ms.values() for t in ts]
    report = {
        "index": str(index),
        "articles": docs,
        "cold_ms": {"median": statistics.median(cold_ms), "runs": cold_ms},
        "warm_ms": {
            "p50": percentile(every, 0.50),
            "p95": percentile(every, 0.95),
            "max": max(every),
            "searches": len(every),
            "cpu_p50": percentile(cpu_ms, 0.50),
            "cpu_p95": percentile(cpu_ms, 0.95),
            "by_kind": {
                k: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95)}
                for k, v in warm_ms.items()
            },
        },
    }
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        print(f"index {index}: {docs:,} articles")
        print(
            f"cold `warta search Korut --json`: median {report['cold_ms']['median']:.0f} ms "
            f"over {args.cold_runs} runs"
        )
        w = report["warm_ms"]
        print(
            f"warm Engine.search with facets: p50 {w['p50']:.1f} ms, p95 {w['p95']:.1f} ms, "
            f"max {w['max']:.1f} ms over {w['searches']} searches"
        )
        print(f"  CPU time of those searches: p50 {w['cpu_p50']:.1f} ms, p95 {w['cpu_p95']:.1f} ms")
        for kind, v in w["by_kind"].items():
            print(f"  {kind:<12} p50 {v['p50']:6.1f} ms   p95 {v['p95']:6.1f} ms")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
