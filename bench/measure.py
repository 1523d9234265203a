"""The measurements `bench/run.py` runs, each in a fresh child process.

Why a child for each: the build's peak memory must be the build's alone (not the corpus
generator's or a previous size's), Warta's stem cache lives in the process (a build warms it,
and that would flatter whatever analyses after it), and Textual wants its own event loop.
So `run.py` writes a spec (JSON) and starts ``python -m bench.measure SPEC``; the child does
one task and writes its result (JSON) to the path the spec names. Nothing here prints.

Tasks:

- ``build``: `index.build.build_index(source, index_dir)` into a fresh folder, timed in process.
- ``query``: warm latency of `Engine.search` over the fixed query set (facets always counted).
- ``peers``: the three comparison engines over the same articles and queries.
- ``tui``: keystroke-to-results in the Textual app, driven by the Pilot, and its memory.
- ``analysis``: `Engine.trend` (by month; by outlet and month), `Engine.terms` and an export
  of every hit of a broad query, warm, with the first (cold) call of each apart.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import resource
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python -m bench.measure` from another cwd
    sys.path.insert(0, str(ROOT))

#: Jakarta time: IndoSum's dates are WIB, and a date filter means a WIB calendar day.
WIB = timezone(timedelta(hours=7), "WIB")

from bench.peers import percentiles  # noqa: E402 - one definition, so ratios compare alike

Query = dict[str, Any]


# --------------------------------------------------------------------------- helpers


def own_memory() -> dict[str, int]:
    """This process's memory now and at its peak, in bytes, from /proc (Linux).

    `ru_maxrss` is the kernel's high-water mark of this process; `children_maxrss` that of
    the largest child it waited for (a build that forks workers shows them there).
    `rssanon`/`rssfile` split the current figure: file pages are the index's mapped files
    (page cache the kernel can reclaim), anonymous pages are what Python itself holds.
    """
    out = {
        "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "children_maxrss_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
                    key, value = line.split(":", 1)
                    out[f"{key.lower()}_bytes"] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def dir_size(path: Path) -> int:
    """Bytes of every file under `path` (what the index costs on disk)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _bounds(q: Query) -> tuple[datetime | None, datetime | None]:
    """A query's date range as the peers take it: whole WIB days, both ends included."""
    since, until = _day(q.get("since")), _day(q.get("until"))
    start = datetime.combine(since, datetime.min.time(), WIB) if since else None
    end = (
        datetime.combine(until, datetime.max.time(), WIB).replace(microsecond=0) if until else None
    )
    return start, end


def _grouped(samples: list[tuple[Query, float]], key: str) -> dict[str, dict[str, float]]:
    by: dict[str, list[float]] = defaultdict(list)
    for q, ms in samples:
        by[q[key]].append(ms)
    return {k: percentiles(v) for k, v in by.items()}


# --------------------------------------------------------------------------- build


def task_build(spec: dict[str, Any]) -> dict[str, Any]:
    """One cold build: a fresh index folder, so no persisted stem cache to start from."""
    from index.build import build_index

    index_dir = Path(spec["index_dir"])
    if index_dir.exists():
        raise SystemExit(f"{index_dir} exists: the benchmark measures a cold build only")
    started = time.perf_counter()
    report = build_index(Path(spec["source"]), index_dir)
    seconds = time.perf_counter() - started
    hits = int(getattr(report, "stem_hits", 0))
    misses = int(getattr(report, "stem_misses", 0))
    return {
        "seconds": seconds,
        "report_elapsed_s": float(getattr(report, "elapsed", 0.0)),
        "indexed": int(report.indexed),
        "total_articles": int(getattr(report, "total_articles", report.indexed)),
        "files": int(getattr(report, "files", 0)),
        "skipped": len(getattr(report, "skipped", [])),
        "duplicates": int(getattr(report, "duplicates", 0)),
        "undated": int(getattr(report, "undated", 0)),
        "stem_hits": hits,
        "stem_misses": misses,
        "stems_loaded": int(getattr(report, "stems_loaded", 0)),
        "stem_hit_rate": hits / (hits + misses) if hits + misses else 0.0,
        "memory": own_memory(),
    }


# --------------------------------------------------------------------------- warta queries


def _filters(q: Query) -> Any:
    from search.models import Filters

    return Filters(
        outlets=(q["outlet"],) if q.get("outlet") else (),
        since=_day(q.get("since")),
        until=_day(q.get("until")),
    )


def task_query(spec: dict[str, Any]) -> dict[str, Any]:
    """Warm latency of Engine.search: one untimed pass, then `rounds` timed passes.

    Timed from outside the call (query text to a page of 20 hits with snippets, the total
    and the facets), not from `took_ms`, so nothing the engine does escapes the clock.
    Opening the index and the first search (which builds the per-index document sets) are
    reported apart: they are the cold start the warm figures leave out.
    """
    from search.engine import Engine

    queries: list[Query] = spec["queries"]
    t0 = time.perf_counter()
    engine = Engine(Path(spec["index_dir"]))
    open_ms = (time.perf_counter() - t0) * 1000
    totals: dict[str, int] = {}
    first_ms: float | None = None
    for q in queries:
        t = time.perf_counter()
        res = engine.search(q["text"], filters=_filters(q), page_size=spec["page_size"])
        if first_ms is None:
            first_ms = (time.perf_counter() - t) * 1000
        totals[q["id"]] = res.total
    samples: list[tuple[Query, float]] = []
    took: list[float] = []
    for _ in range(spec["rounds"]):
        for q in queries:
            filters = _filters(q)
            t = time.perf_counter()
            res = engine.search(q["text"], filters=filters, page_size=spec["page_size"])
            samples.append((q, (time.perf_counter() - t) * 1000))
            took.append(res.took_ms)
    return {
        "articles": engine.doc_count(),
        "open_ms": open_ms,
        "first_search_ms": first_ms or 0.0,
        "ms": percentiles([ms for _, ms in samples]),
        "took_ms": percentiles(took),
        "by_variant": _grouped(samples, "variant"),
        "by_kind": _grouped(samples, "kind"),
        "totals": totals,
        "memory": own_memory(),
    }


# --------------------------------------------------------------------------- peers


def task_peers(spec: dict[str, Any]) -> dict[str, Any]:
    """Build each peer over the articles, then time the same queries, filters included.

    The stemmed peers share one run of Warta's analyzer, in this fresh process: the stem
    cache starts empty, as in Warta's cold build, so neither side is flattered.
    """
    from bench.peers import Analyzed, _StemmedPeer, analyze_articles, make_peers, warta_analyze

    with open(spec["articles"], "rb") as fh:
        articles = pickle.load(fh)  # our own file, written by run.py a moment ago
    queries: list[Query] = spec["queries"]
    workdir = Path(spec["workdir"])
    analyze = warta_analyze()
    wanted = set(spec["peers"])
    out: dict[str, Any] = {}
    analyzed: Analyzed | None = None
    analysis: dict[str, Any] | None = None
    for peer_name in spec["peers"]:
        if peer_name == "tantivy":
            try:
                import tantivy  # noqa: F401
            except ImportError:
                out[peer_name] = {"not_measured": "tantivy is not installed (pip install .[bench])"}
    for peer in make_peers(workdir, analyze):
        if peer.name not in wanted or peer.name in out:
            shutil.rmtree(peer.path, ignore_errors=True)
            continue
        if isinstance(peer, _StemmedPeer) and analyzed is None:
            analyzed = analyze_articles(articles, analyze)
            analysis = {
                "seconds": analyzed.analyze_s,
                "articles_per_s": len(analyzed.rows) / analyzed.analyze_s
                if analyzed.analyze_s
                else 0.0,
                "stem_cache": "cold (fresh process, no persisted cache loaded)",
            }
        build = peer.build(articles, analyzed)
        for q in queries:  # warm-up: readers opened, caches filled
            start, end = _bounds(q)
            peer.query(q["text"], outlet=q.get("outlet"), start=start, end=end, limit=spec["limit"])
        samples: list[tuple[Query, float]] = []
        counts: dict[str, int] = {}
        for _ in range(spec["rounds"]):
            for q in queries:
                start, end = _bounds(q)
                t = time.perf_counter()
                res = peer.query(
                    q["text"], outlet=q.get("outlet"), start=start, end=end, limit=spec["limit"]
                )
                samples.append((q, (time.perf_counter() - t) * 1000))
                counts[q["id"]] = len(res.ids)
        peer.close()
        out[peer.name] = {
            "build": build.to_json(),
            "ms": percentiles([ms for _, ms in samples]),
            "by_variant": _grouped(samples, "variant"),
            "hits": counts,
        }
        shutil.rmtree(peer.path, ignore_errors=True)
    return {"peers": out, "analysis": analysis, "memory": own_memory()}


# --------------------------------------------------------------------------- TUI


async def _drive_tui(spec: dict[str, Any]) -> dict[str, Any]:
    """Type each query but its last character, let that search settle, then time the last
    keystroke until the results it causes are on screen (total shown in the info line).

    That last keystroke is what a user waits on. It includes any debounce (the app waits
    DEBOUNCE_S only while keys outrun the answers), because the target (100 ms) is about
    what the user feels.
    """
    from textual.message import Message

    from tui.app import WartaApp
    from tui.screens import main as main_screen
    from tui.widgets.search_bar import SearchBar

    shown: list[tuple[float, str, int, float]] = []

    def note(message: Message) -> None:
        """Textual's test hook sees every message as it is dispatched: the app's
        ResultsShown is posted once the results widgets have been updated."""
        if isinstance(message, WartaApp.ResultsShown):
            r = message.results
            shown.append((time.perf_counter(), r.query, r.total, r.took_ms))

    app = WartaApp(Path(spec["index_dir"]))

    async def until_shown(query: str, after: int, timeout: float = 60.0) -> int:
        deadline = time.perf_counter() + timeout
        while True:
            for i in range(after, len(shown)):
                if shown[i][1] == query:
                    return i
            failed = getattr(app, "_exception", None)
            if failed is not None:
                raise RuntimeError(f"the app failed: {failed!r}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no results shown for {query!r} within {timeout:.0f} s")
            await asyncio.sleep(0.001)

    samples: list[dict[str, Any]] = []
    t_start = time.perf_counter()
    async with app.run_test(size=(120, 40), message_hook=note) as pilot:
        await until_shown("", 0)
        startup_ms = (time.perf_counter() - t_start) * 1000
        bar = app.screen.query_one(SearchBar)
        for _ in range(spec["rounds"]):
            for text in spec["queries"]:
                prefix, last = text[:-1], text[-1]
                mark = len(shown)
                bar.value = prefix
                bar.cursor_position = len(prefix)
                await until_shown(prefix, mark)
                await pilot.pause()
                mark = len(shown)
                pressed = time.perf_counter()
                await pilot.press("space" if last == " " else last)
                i = await until_shown(text, mark)
                at, _, total, took = shown[i]
                info = str(app.screen.query_one("#results-info").content)
                samples.append(
                    {
                        "query": text,
                        "ms": (at - pressed) * 1000,
                        "engine_ms": took,
                        "total": total,
                        "info": info,
                    }
                )
    return {
        "startup_ms": startup_ms,
        "debounce_ms": main_screen.DEBOUNCE_S * 1000,
        "samples": samples,
    }


def task_tui(spec: dict[str, Any]) -> dict[str, Any]:
    """Keystroke-to-results and memory of the TUI over the index, in its own process."""
    data = Path(spec["data_dir"])
    data.mkdir(parents=True, exist_ok=True)
    os.environ["WARTA_DATA"] = str(data)  # no history or settings of the user's leak in
    os.environ["WARTA_CONFIG"] = str(data / "config")
    driven = asyncio.run(_drive_tui(spec))
    ms = [s["ms"] for s in driven["samples"]]
    engine = [s["engine_ms"] for s in driven["samples"]]
    return {
        **driven,
        "ms": percentiles(ms),
        "engine_ms": percentiles(engine),
        "beyond_debounce_ms": percentiles([m - driven["debounce_ms"] for m in ms]),
        "memory": own_memory(),
    }


# --------------------------------------------------------------------------- analysis


def _timed(fn: Any, rounds: int) -> dict[str, float]:
    """The first call apart (it reads columns and postings for the first time), then
    `rounds` warm calls."""
    t = time.perf_counter()
    fn()
    first = (time.perf_counter() - t) * 1000
    warm = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        warm.append((time.perf_counter() - t) * 1000)
    return {"first_ms": first, **percentiles(warm)}


def task_analysis(spec: dict[str, Any]) -> dict[str, Any]:
    """Trend, terms and export over the index, each query timed on its own (issue 17's
    targets: trend by month ≤ 200 ms, by outlet and month ≤ 300 ms, terms ≤ 1 s warm;
    an export of 20,000 hits ≤ 10 s)."""
    from search.engine import Engine
    from search.export import export_hits
    from search.models import Filters

    engine = Engine(Path(spec["index_dir"]))
    engine.search("")  # the per-index sets, as any session's first search builds them
    rounds = spec["rounds"]
    out: dict[str, Any] = {"trend_month": {}, "trend_outlet_month": {}, "terms": {}}

    def fresh(fn: Any) -> Any:
        # The engine keeps its last match sets (the TUI's timeline reuses its search's);
        # each timed call matches anew, as a `warta trend` process does.
        engine.forget_matches()
        return fn()

    for text in spec["queries"]:
        out["trend_month"][text] = _timed(
            lambda t=text: fresh(lambda: engine.trend([t], Filters(), "month")), rounds
        )
        out["trend_outlet_month"][text] = _timed(
            lambda t=text: fresh(lambda: engine.trend([t], Filters(), "month", by_outlet=True)),
            rounds,
        )
        out["terms"][text] = _timed(
            lambda t=text: fresh(lambda: engine.terms(t, Filters(), 10)), rounds
        )
    for key in ("trend_month", "trend_outlet_month", "terms"):
        per_query = out[key]
        out[key] = {
            "by_query": per_query,
            "max_p50_ms": max(v["p50"] for v in per_query.values()),
            "max_first_ms": max(v["first_ms"] for v in per_query.values()),
        }
    # The export: of a few broad queries, the one whose hits come nearest the size asked.
    target = spec["export_hits"]
    totals = {q: len(engine.matches(q)) for q in spec["export_queries"]}
    query = min(totals, key=lambda q: abs(totals[q] - target))
    path = Path(spec["workdir"]) / "export.jsonl"
    path.unlink(missing_ok=True)
    t = time.perf_counter()
    written = export_hits(engine, query, Filters(), "relevance", path)
    seconds = time.perf_counter() - t
    out["export"] = {
        "query": query,
        "hits": written,
        "seconds": seconds,
        "bytes": path.stat().st_size,
        "per_20000_s": seconds * 20_000 / written if written else None,
    }
    path.unlink(missing_ok=True)
    out["memory"] = own_memory()
    return out


TASKS = {
    "build": task_build,
    "query": task_query,
    "peers": task_peers,
    "tui": task_tui,
    "analysis": task_analysis,
}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.measure SPEC.json``: run one task, write its result JSON."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m bench.measure SPEC.json", file=sys.stderr)
        return 2
    spec = orjson.loads(Path(args[0]).read_bytes())
    result = TASKS[spec["task"]](spec)
    Path(spec["out"]).write_bytes(orjson.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
