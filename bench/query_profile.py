"""Where the query time goes on a big index: the bench query set, cold then warm, under
cProfile (issue 15: "profile the 300k cold and warm passes first").

The cold pass is the first search of each query after opening the index (what a user
meets first: posting lists decoded for the first time); the warm pass repeats the set.
For each pass: latency percentiles, then the functions with the most time of their own
and the most cumulative time.

    python bench/query_profile.py --index PATH [--top 25] [--out bench/out/profile.json]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.measure import _filters, percentiles  # noqa: E402
from bench.run import PAGE_SIZE, query_set  # noqa: E402
from search.engine import Engine  # noqa: E402


def one_pass(engine: Engine, queries: list[dict[str, Any]], top: int) -> dict[str, Any]:
    """Every query once under the profiler: latencies and the profile's top entries."""
    times: list[float] = []
    profiler = cProfile.Profile()
    for q in queries:
        filters = _filters(q)
        t = time.perf_counter()
        profiler.enable()
        engine.search(q["text"], filters=filters, page_size=PAGE_SIZE)
        profiler.disable()
        times.append((time.perf_counter() - t) * 1000)
    out: dict[str, Any] = {"ms": percentiles(times)}
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats(key).print_stats(top)
        lines = [x for x in buf.getvalue().splitlines() if x.strip()]
        start = next(i for i, x in enumerate(lines) if x.lstrip().startswith("ncalls"))
        out[key] = lines[start:]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "query_profile.json"))
    args = ap.parse_args(argv)
    queries = query_set()
    t = time.perf_counter()
    engine = Engine(Path(args.index))
    report: dict[str, Any] = {"open_ms": (time.perf_counter() - t) * 1000}
    report["articles"] = engine.doc_count()
    report["cold"] = one_pass(engine, queries, args.top)
    report["warm"] = one_pass(engine, queries, args.top)
    for name in ("cold", "warm"):
        ms = report[name]["ms"]
        print(f"{name}: p50 {ms['p50']:.1f}  p95 {ms['p95']:.1f}  p99 {ms['p99']:.1f} ms")
        for key in ("tottime", "cumulative"):
            print(f"  by {key}:")
            print("\n".join("    " + line[:150] for line in report[name][key]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
