"""Warta at archive scale, beside the engines users would pick instead (issue 5).

One run, on one machine: for each corpus size (default 10,000 and 100,000 articles) it
generates the pages (bench/corpus.py), builds Warta's index cold and end to end, times a
fixed set of queries warm, times a fresh `warta search`, drives the TUI through Textual's
Pilot at the largest size, and runs the three peers (bench/peers.py) over the same articles
and queries, so every figure has a ratio beside it that survives a noisy, shared machine.

Each heavy step runs in a child process (bench/measure.py) so that its peak memory is its
own and no stem cache warmed by one step flatters the next. Prints a table; writes one
JSON document (orjson) to --out.

    .venv/bin/python bench/run.py                       # 10,000 and 100,000
    .venv/bin/python bench/run.py --docs 1000 --out bench/out/smoke.json
    .venv/bin/python bench/run.py --docs 10000 --skip-peers
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(ROOT))

from bench.corpus import load_indosum, write_corpus  # noqa: E402
from bench.measure import dir_size  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
SEEDS = ROOT / "seeds"
PEERS = ("whoosh-default", "sqlite-fts5", "tantivy")
SCHEMA = 1

# --------------------------------------------------------------------------- the workload

# (kind, query text, an outlet that really carries the topic). Every word occurs in IndoSum
# (document frequency over its 3,463 articles in the comment), so grown corpora have hits
# for every query and the outlet and date variants are not empty by construction.
BASES: tuple[tuple[str, str, str], ...] = (
    ("one word", "korupsi", "cnnindonesia"),  # df 180
    ("one word", "startup", "dailysocial"),  # df 322
    ("two words", "liga champions", "goal"),  # df 105
    ("two words", "menteri keuangan", "cnnindonesia"),  # df 50
    ("three words", "presiden joko widodo", "antara"),  # df 123
    ("three words", "pemain gol babak", "juara"),  # df 119
    ("phrase", '"tim nasional"', "juara"),  # df 48
    ("phrase", '"sri mulyani"', "kumparan"),  # df 27
    ("abbreviation", "KPK", "kumparan"),  # df 158
    ("abbreviation", "DPR", "suara"),  # df 156
    ("abbreviation", "Korut", "cnnindonesia"),  # df 22; Warta expands it to Korea Utara
)
#: Half a year inside IndoSum's span (Aug 2016 - Feb 2018): about a fifth of the articles.
DATE_RANGE = ("2017-01-01", "2017-06-30")
VARIANTS = ("plain", "outlet", "date", "outlet+date")
#: The queries typed into the TUI: the last keystroke of each is timed. No phrases (their
#: last key is a closing quote, which re-runs the same words).
TUI_QUERIES = tuple(text for kind, text, _ in BASES if kind != "phrase")
#: Broad queries for the export figure: the one nearest EXPORT_HITS hits is exported.
EXPORT_QUERIES = ("pemerintah", "presiden", "indonesia", "jakarta", "warga", "tahun", "kata")
EXPORT_HITS = 20_000
#: Issue 17's targets for trend, terms and export, at 100,000 articles.
ANALYSIS_TARGETS: dict[str, dict[str, Any]] = {
    "trend_month_ms": {"max": 200, "text": "`trend` by month ≤ 200 ms warm"},
    "trend_outlet_month_ms": {"max": 300, "text": "`trend --by outlet` by month ≤ 300 ms warm"},
    "terms_ms": {"max": 1000, "text": "`terms` ≤ 1 s"},
    "export_20k_s": {"max": 10, "text": "export of 20,000 hits ≤ 10 s"},
}
#: Warta's TUI page; the peers fetch as many ids, so both sides return the same count.
PAGE_SIZE = 20

#: Issue 5's targets, at 100,000 articles on 2 cores.
TARGETS: dict[str, dict[str, Any]] = {
    "build_articles_per_s": {"min": 400, "text": "build ≥ 400 articles/s"},
    "build_100k_s": {"max": 300, "text": "rebuild of 100,000 ≤ 5 min"},
    "query_p95_ms": {"max": 50, "text": "query with facets p95 ≤ 50 ms warm"},
    "cold_search_ms": {"max": 500, "text": "cold `warta search` ≤ 0.5 s"},
    "tui_keystroke_ms": {"max": 100, "text": "TUI keystroke → results ≤ 100 ms"},
    "build_peak_rss_mb": {"max": 1500, "text": "build peak memory < 1.5 GB"},
    "tui_rss_mb": {"max": 500, "text": "TUI memory < 500 MB"},
}


def query_set() -> list[dict[str, Any]]:
    """The fixed query set: every base with no filter, an outlet, a date range, and both.

    Warta counts facets (outlet, year, month) on every search, it has no facet-free mode,
    so every Warta figure here is "with facets"; the peers count none.
    """
    out = []
    for kind, text, outlet in BASES:
        for variant in VARIANTS:
            q: dict[str, Any] = {"id": f"{text} [{variant}]", "kind": kind, "text": text}
            q["variant"] = variant
            q["outlet"] = outlet if "outlet" in variant else None
            q["since"], q["until"] = DATE_RANGE if "date" in variant else (None, None)
            out.append(q)
    return out


# --------------------------------------------------------------------------- child processes


class ChildFailed(RuntimeError):
    """A measurement's child process exited non-zero; the message ends with its stderr."""


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants now, parents before children (Linux /proc;
    those that end while it is read are left out)."""
    seen: list[int] = []
    stack = [pid]
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        try:
            children = []
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    children.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
        seen.append(p)
        stack.extend(children)
    return seen


def resident(pid: int) -> int:
    """A process's resident bytes now (its RSS), 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now (Linux /proc; 0 elsewhere).

    Sampled while a child runs, because a build that forks workers peaks as their sum, and
    no rusage figure reports a sum.
    """
    return sum(map(resident, process_tree(pid)))


def run_child(task: str, spec: dict[str, Any], workdir: Path, label: str) -> dict[str, Any]:
    """Run one bench/measure.py task in a fresh interpreter; return its result plus the
    process's wall time and memory as the parent saw them (`_process`)."""
    spec = {**spec, "task": task, "out": str(workdir / f"{label}.out.json")}
    spec_path = workdir / f"{label}.spec.json"
    spec_path.write_bytes(orjson.dumps(spec))
    err_path = workdir / f"{label}.stderr"
    started = time.perf_counter()
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.measure", str(spec_path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = err_path.read_text(errors="replace").strip().splitlines()[-15:]
        raise ChildFailed(f"{task} failed (exit {proc.returncode}): " + "\n".join(tail))
    result = orjson.loads(Path(spec["out"]).read_bytes())
    # Not usage.ru_maxrss: across exec the kernel keeps the high-water mark of the forked
    # copy of this process, so it would count the parent's memory. The child reports its
    # own (VmHWM); the parent adds the sampled sum over the child's process tree.
    result["_process"] = {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # child and the descendants it waited for
        "tree_peak_rss_bytes": peak,  # sampled every 0.1 s, child plus its descendants
    }
    return result


def warta_command() -> list[str]:
    """How a user starts Warta: the installed `warta` script beside this interpreter."""
    script = Path(sys.executable).with_name("warta")
    return [str(script)] if script.exists() else [sys.executable, "-m", "warta"]


def cold_search(index_dir: Path, query: str, runs: int) -> dict[str, Any]:
    """Wall clock of fresh `warta search QUERY --index PATH` processes, as a user runs it.

    One untimed run first, so the figure is a fresh process over a warm OS file cache (the
    state right after a build or a previous search), not a cold disk.
    """
    cmd = [*warta_command(), "search", query, "--index", str(index_dir)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "command": " ".join(["warta", "search", query, "--index", "INDEX"]),
        "runs_ms": times,
        "median_ms": statistics.median(times),
        "min_ms": min(times),
    }


# --------------------------------------------------------------------------- one size


class Log:
    """Progress on stderr with the time since the run began: a 100,000 run takes minutes."""

    def __init__(self, quiet: bool = False) -> None:
        self.t0 = time.perf_counter()
        self.quiet = quiet

    def __call__(self, msg: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.t0:7.1f} s] {msg}", file=sys.stderr, flush=True)


def _text_bytes(truth: Sequence[Any]) -> int:
    return sum(len(a.title.encode()) + sum(len(p.encode()) for p in a.body) for a in truth)


def build_figures(built: dict[str, Any], index_dir: Path, pages: int, text: int) -> dict[str, Any]:
    """Rates, sizes and memory of one cold build, from the child's and the parent's view."""
    from index import store

    s = built["seconds"]
    proc = built["_process"]
    mem = built["memory"]
    stems = index_dir / store.STEMS
    return {
        **{k: v for k, v in built.items() if k not in ("memory", "_process")},
        "cold": True,
        "articles_per_s": built["indexed"] / s if s else 0.0,
        "pages_mb_per_s": pages / 1e6 / s if s else 0.0,
        "text_mb_per_s": text / 1e6 / s if s else 0.0,
        "index_bytes": dir_size(index_dir),
        "stem_cache_bytes": stems.stat().st_size if stems.exists() else 0,
        "process_wall_s": proc["wall_s"],
        "cpu_s": proc["cpu_s"],
        "cores_used": proc["cpu_s"] / proc["wall_s"] if proc["wall_s"] else 0.0,
        "vmhwm_bytes": mem.get("vmhwm_bytes", 0),
        "children_maxrss_bytes": mem.get("children_maxrss_bytes", 0),
        "tree_peak_rss_bytes": proc["tree_peak_rss_bytes"],
        "peak_rss_bytes": max(
            mem.get("vmhwm_bytes", 0),
            mem.get("children_maxrss_bytes", 0),
            proc["tree_peak_rss_bytes"],
        ),
    }


def ratios(warta: dict[str, Any], peer: dict[str, Any]) -> dict[str, float | None]:
    """Warta's figure divided by the peer's: build > 1 and query < 1 mean Warta is faster."""

    def div(a: float, b: float) -> float | None:
        return a / b if b else None

    return {
        "build_articles_per_s": div(
            warta["build"]["articles_per_s"], peer["build"]["articles_per_s"]
        ),
        "query_p50": div(warta["query"]["ms"]["p50"], peer["ms"]["p50"]),
        "query_p95": div(warta["query"]["ms"]["p95"], peer["ms"]["p95"]),
        "query_p99": div(warta["query"]["ms"]["p99"], peer["ms"]["p99"]),
    }


def measure_size(
    n: int, args: argparse.Namespace, workdir: Path, records: list[Any], log: Log
) -> dict[str, Any]:
    """Every figure at one corpus size; the generated files are removed unless --keep."""
    out: dict[str, Any] = {}
    corpus_dir = workdir / f"corpus-{n}"
    log(f"{n:,}: generating the corpus")
    t = time.perf_counter()
    truth = write_corpus(corpus_dir, n, args.seed, records=records)
    pages = dir_size(corpus_dir)
    text = _text_bytes(truth)
    out["corpus"] = {
        "articles": len(truth),
        "grown": sum(a.grown for a in truth),
        "pages_bytes": pages,
        "text_bytes": text,
        "generate_s": time.perf_counter() - t,
        "seed": args.seed,
    }

    index_dir = workdir / f"index-{n}"
    log(f"{n:,}: building Warta's index (cold: fresh folder, no stem cache)")
    built = run_child(
        "build", {"source": str(corpus_dir), "index_dir": str(index_dir)}, workdir, f"build-{n}"
    )
    out["build"] = build_figures(built, index_dir, pages, text)
    log(f"{n:,}: built {out['build']['indexed']:,} in {out['build']['seconds']:.1f} s")

    queries = query_set()
    log(f"{n:,}: timing {len(queries)} queries x {args.rounds} rounds warm")
    q = run_child(
        "query",
        {
            "index_dir": str(index_dir),
            "queries": queries,
            "rounds": args.rounds,
            "page_size": PAGE_SIZE,
        },
        workdir,
        f"query-{n}",
    )
    q["peak_rss_bytes"] = max(
        q["memory"].get("vmhwm_bytes", 0), q["_process"]["tree_peak_rss_bytes"]
    )
    out["query"] = q
    empty = sorted(k for k, v in q["totals"].items() if not v)
    out["query"]["empty_queries"] = empty

    if args.skip_analysis:
        out["analysis"] = {"not_measured": "--skip-analysis"}
    else:
        log(f"{n:,}: trend, terms and export")
        spec = {
            "index_dir": str(index_dir),
            "queries": sorted({b[1] for b in BASES}),
            "rounds": args.rounds,
            "export_queries": list(EXPORT_QUERIES),
            "export_hits": EXPORT_HITS,
            "workdir": str(workdir),
        }
        out["analysis"] = run_child("analysis", spec, workdir, f"analysis-{n}")

    log(f"{n:,}: cold `warta search`")
    out["cold_search"] = cold_search(index_dir, args.cold_query, args.cold_runs)

    if args.skip_tui:
        out["tui"] = {"not_measured": "--skip-tui"}
    elif n != args.tui_at:
        out["tui"] = {"not_measured": f"measured at {args.tui_at:,} only"}
    else:
        log(f"{n:,}: TUI keystroke to results through the Pilot")
        out["tui"] = measure_tui(index_dir, workdir, n, args)

    if args.skip_peers:
        out["peers"] = {"not_measured": "--skip-peers"}
    else:
        log(f"{n:,}: peers {', '.join(args.peers)}")
        pkl = workdir / f"articles-{n}.pkl"
        with open(pkl, "wb") as fh:
            pickle.dump(truth, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del truth
        spec = {
            "articles": str(pkl),
            "queries": queries,
            "workdir": str(workdir / f"peers-{n}"),
            "peers": list(args.peers),
            "rounds": args.rounds,
            "limit": PAGE_SIZE,
        }
        try:
            peers = run_child("peers", spec, workdir, f"peers-{n}")
        except ChildFailed as err:
            out["peers"] = {"not_measured": str(err)}
        else:
            out["peer_analysis"] = peers["analysis"]
            out["peers"] = peers["peers"]
            for r in out["peers"].values():
                if "build" in r:
                    r["ratio"] = ratios(out, r)
        pkl.unlink(missing_ok=True)
    if not args.keep:
        shutil.rmtree(corpus_dir, ignore_errors=True)
        shutil.rmtree(index_dir, ignore_errors=True)
    return out


def measure_tui(index_dir: Path, workdir: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """The TUI in its own process; a failure is recorded as "not measured: why", not raised,
    because the other figures of a long run are worth keeping."""
    spec = {
        "index_dir": str(index_dir),
        "queries": list(TUI_QUERIES),
        "rounds": args.tui_rounds,
        "data_dir": str(workdir / f"tui-data-{n}"),
    }
    try:
        tui = run_child("tui", spec, workdir, f"tui-{n}")
    except ChildFailed as err:
        return {"not_measured": str(err)}
    mem = tui["memory"]
    tui["rss_bytes"] = mem.get("vmrss_bytes", 0)
    tui["peak_rss_bytes"] = max(mem.get("vmhwm_bytes", 0), tui["_process"]["tree_peak_rss_bytes"])
    return tui


# --------------------------------------------------------------------------- whole run


def _git() -> dict[str, Any]:
    def git(*a: str) -> str:
        r = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True)
        return r.stdout.strip()

    dirty = git("status", "--porcelain", "--", "index", "search", "tui")
    return {"commit": git("rev-parse", "HEAD"), "dirty_core": bool(dirty)}


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    mem = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = int(fh.readline().split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_bytes": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": list(os.getloadavg()),
    }


def evaluate(report: dict[str, Any]) -> dict[str, Any]:
    """Each target against the largest size measured (the targets are stated at 100,000)."""
    n = max(int(k) for k in report["sizes"])
    size = report["sizes"][str(n)]
    b = size["build"]
    tui = size.get("tui", {})
    rate = b["articles_per_s"]
    measured: dict[str, Any] = {
        "build_articles_per_s": rate,
        "build_100k_s": b["seconds"] if n == 100_000 else (100_000 / rate if rate else None),
        "query_p95_ms": size["query"]["ms"]["p95"],
        "cold_search_ms": report["seeds"]["cold_search"]["median_ms"],
        "tui_keystroke_ms": tui["ms"]["p50"] if "ms" in tui else None,
        "build_peak_rss_mb": b["peak_rss_bytes"] / 1e6,
        "tui_rss_mb": tui["peak_rss_bytes"] / 1e6 if "peak_rss_bytes" in tui else None,
    }
    out = {}
    for key, target in TARGETS.items():
        value = measured[key]
        if value is None:
            met = None
        elif "min" in target:
            met = value >= target["min"]
        else:
            met = value <= target["max"]
        note = ""
        if key == "build_100k_s" and n != 100_000:
            note = f"projected from the rate at {n:,}"
        out[key] = {**target, "value": value, "met": met, "at": n, "note": note}
    return out


def evaluate_analysis(report: dict[str, Any]) -> dict[str, Any]:
    """Issue 17's targets against the largest size where trend, terms and export ran."""
    sizes = [int(k) for k, v in report["sizes"].items() if "export" in v.get("analysis", {})]
    if not sizes:
        return {}
    n = max(sizes)
    a = report["sizes"][str(n)]["analysis"]
    measured = {
        "trend_month_ms": a["trend_month"]["max_p50_ms"],
        "trend_outlet_month_ms": a["trend_outlet_month"]["max_p50_ms"],
        "terms_ms": a["terms"]["max_p50_ms"],
        "export_20k_s": a["export"]["per_20000_s"],
    }
    out = {}
    for key, target in ANALYSIS_TARGETS.items():
        value = measured[key]
        met = None if value is None else value <= target["max"]
        out[key] = {**target, "value": value, "met": met, "at": n}
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; returns the JSON document (also written to args.out)."""
    log = Log(args.quiet)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    workdir = (
        Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="run-", dir=OUT_DIR))
    )
    workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "machine": machine(),
        "git": _git(),
        "settings": {
            "docs": args.docs,
            "seed": args.seed,
            "rounds": args.rounds,
            "cold_runs": args.cold_runs,
            "cold_query": args.cold_query,
            "tui_at": args.tui_at,
            "tui_rounds": args.tui_rounds,
            "peers": [] if args.skip_peers else list(args.peers),
            "page_size": PAGE_SIZE,
            "date_range": list(DATE_RANGE),
        },
        "queries": query_set(),
        "tui_queries": list(TUI_QUERIES),
        "targets": TARGETS,
    }
    try:
        log("seeds: building an index of seeds/ for the cold `warta search`")
        seeds_ix = workdir / "index-seeds"
        run_child(
            "build", {"source": str(SEEDS), "index_dir": str(seeds_ix)}, workdir, "build-seeds"
        )
        report["seeds"] = {"cold_search": cold_search(seeds_ix, args.cold_query, args.cold_runs)}
        log("seeds: loading IndoSum")
        records = load_indosum(args.indosum)
        report["sizes"] = {}
        for n in args.docs:
            report["sizes"][str(n)] = measure_size(n, args, workdir, records, log)
        report["machine"]["loadavg_end"] = list(os.getloadavg())
        report["elapsed_s"] = time.perf_counter() - log.t0
        report["summary"] = evaluate(report)
        report["analysis_summary"] = evaluate_analysis(report)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"
    )
    log(f"wrote {out}")
    return report


# --------------------------------------------------------------------------- the table


def _mb(b: float) -> str:
    return f"{b / 1e6:,.0f} MB" if b >= 10e6 else f"{b / 1e6:,.1f} MB"


def _r(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(report: dict[str, Any]) -> str:
    """The terminal table: Warta's figures per size, the peers beside them, the targets."""
    lines: list[str] = []
    add = lines.append
    m = report["machine"]
    add(
        f"Warta benchmark · {m['cpus']} CPUs · load {m['loadavg_start'][0]:.1f}"
        f"→{m.get('loadavg_end', [0])[0]:.1f} · {report['git']['commit'][:8]}"
        f"{' (core modified)' if report['git']['dirty_core'] else ''}"
        f" · seed {report['settings']['seed']}"
    )
    cs = report["seeds"]["cold_search"]
    add(
        f"cold `{cs['command']}` on seeds/: median {cs['median_ms']:.0f} ms"
        f" over {len(cs['runs_ms'])} fresh processes"
    )
    for n, s in report["sizes"].items():
        b, q, c = s["build"], s["query"], s["corpus"]
        add("")
        add(
            f"── {int(n):,} articles ({_mb(c['pages_bytes'])} of pages,"
            f" {_mb(c['text_bytes'])} of text) ──"
        )
        add(
            f"build (cold)   {b['articles_per_s']:>7,.0f} art/s"
            f"  {b['pages_mb_per_s']:.2f} MB/s pages  {b['text_mb_per_s']:.2f} MB/s text"
            f"  {b['seconds']:.1f} s  {b['cores_used']:.1f} cores"
            f"  stem hits {b['stem_hit_rate']:.1%}"
        )
        add(
            f"               index {_mb(b['index_bytes'])}"
            f" (stem cache {_mb(b['stem_cache_bytes'])})  peak RSS {_mb(b['peak_rss_bytes'])}"
            f"  indexed {b['indexed']:,}/{c['articles']:,}"
        )
        add(
            f"query warm     p50 {q['ms']['p50']:.1f}  p95 {q['ms']['p95']:.1f}"
            f"  p99 {q['ms']['p99']:.1f} ms over {q['ms']['n']} searches (facets always;"
            f" open {q['open_ms']:.0f} ms, first search {q['first_search_ms']:.0f} ms)"
        )
        add(
            "   by filter   "
            + "  ".join(f"{k} {v['p50']:.1f}/{v['p95']:.1f}" for k, v in q["by_variant"].items())
            + "  (p50/p95 ms)"
        )
        add(
            "   by kind     "
            + "  ".join(f"{k} {v['p50']:.1f}/{v['p95']:.1f}" for k, v in q["by_kind"].items())
        )
        if q["empty_queries"]:
            few = ", ".join(q["empty_queries"][:4])
            more = len(q["empty_queries"]) - 4
            add(f"   no hits: {few}{f' and {more} more' if more > 0 else ''}")
        add(
            f"cold search    median {s['cold_search']['median_ms']:.0f} ms"
            " (fresh `warta search` on this index)"
        )
        a = s.get("analysis", {})
        if "export" in a:
            ex = a["export"]
            add(
                f"analysis       trend by month p50 ≤ {a['trend_month']['max_p50_ms']:.0f} ms,"
                f" by outlet and month ≤ {a['trend_outlet_month']['max_p50_ms']:.0f} ms,"
                f" terms ≤ {a['terms']['max_p50_ms']:.0f} ms (worst query, warm;"
                f" first calls ≤ {a['trend_month']['max_first_ms']:.0f} /"
                f" {a['trend_outlet_month']['max_first_ms']:.0f} /"
                f" {a['terms']['max_first_ms']:.0f} ms)"
            )
            add(
                f"export         {ex['hits']:,} hits of {ex['query']!r} in {ex['seconds']:.1f} s"
                f" ({_mb(ex['bytes'])} of JSONL; {ex['per_20000_s']:.1f} s per 20,000)"
            )
        elif "not_measured" in a:
            add(f"analysis       not measured: {a['not_measured']}")
        t = s["tui"]
        if "ms" in t:
            add(
                f"TUI            keystroke→results p50 {t['ms']['p50']:.0f}"
                f"  p95 {t['ms']['p95']:.0f} ms (any debounce included;"
                f" engine p50 {t['engine_ms']['p50']:.0f} ms)"
                f"  RSS {_mb(t['rss_bytes'])}, peak {_mb(t['peak_rss_bytes'])}"
            )
        elif int(n) == report["settings"]["tui_at"]:
            add(f"TUI            not measured: {t['not_measured']}")
        peers = s["peers"]
        if "not_measured" in peers:
            add(f"peers          not measured: {peers['not_measured']}")
            continue
        add("")
        add(
            f"{'engine':<16}{'art/s':>8}{'idx art/s':>10}{'MB/s':>7}{'size':>9}"
            f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}  Warta/peer:{'build':>8}{'p50':>8}{'p95':>8}"
        )
        add(
            f"{'warta':<16}{b['articles_per_s']:>8,.0f}{'':>10}{b['text_mb_per_s']:>7.2f}"
            f"{_mb(b['index_bytes']):>9}{q['ms']['p50']:>8.2f}{q['ms']['p95']:>8.2f}{q['ms']['p99']:>8.2f}"
        )
        for name, p in peers.items():
            if "not_measured" in p:
                add(f"{name:<16}not measured: {p['not_measured']}")
                continue
            pb, r = p["build"], p["ratio"]
            add(
                f"{name:<16}{pb['articles_per_s']:>8,.0f}{pb['index_articles_per_s']:>10,.0f}"
                f"{pb['mb_per_s']:>7.2f}{_mb(pb['size_bytes']):>9}{p['ms']['p50']:>8.2f}"
                f"{p['ms']['p95']:>8.2f}{p['ms']['p99']:>8.2f}"
                f"{'':>13}{_r(r['build_articles_per_s']):>8}{_r(r['query_p50']):>8}"
                f"{_r(r['query_p95']):>8}"
            )
        if s.get("peer_analysis"):
            a = s["peer_analysis"]
            add(
                "  (the stemmed peers' art/s include Warta's analyzer,"
                f" {a['articles_per_s']:,.0f} art/s alone, stem cache cold;"
                " Warta's build also reads and cleans pages, the peers do not)"
            )
    analysis = report.get("analysis_summary") or {}
    if analysis:
        add("")
        add("targets (issue 17, stated at 100,000 articles on 2 cores):")
        for t in analysis.values():
            mark = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
            shown = "—" if t["value"] is None else f"{t['value']:,.1f}"
            add(f"  {t['text']:<40} {shown:>10}  {mark} at {t['at']:,}")
    add("")
    add("targets (issue 5, stated at 100,000 articles on 2 cores):")
    for t in report["summary"].values():
        mark = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        v = t["value"]
        shown = "—" if v is None else f"{v:,.1f}"
        note = f" ({t['note']})" if t["note"] else ""
        add(f"  {t['text']:<40} {shown:>10}  {mark} at {t['at']:,}{note}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--docs takes numbers separated by commas, not {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("--docs needs at least one size ≥ 1")
    return sorted(set(sizes))


def _peers(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in names if x not in PEERS]
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown peer {', '.join(bad)}; known: {', '.join(PEERS)}"
        )
    return names


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--docs", type=_sizes, default=[10_000, 100_000], help="sizes, e.g. 1000 or 10000,100000"
    )
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (same seed, same pages)")
    ap.add_argument(
        "--out", default=None, help="JSON path (default bench/out/run-<sizes>-<time>.json)"
    )
    ap.add_argument("--skip-peers", action="store_true", help="Warta only")
    ap.add_argument(
        "--peers", type=_peers, default=list(PEERS), help="which peers, comma-separated"
    )
    ap.add_argument("--skip-tui", action="store_true", help="no TUI keystroke/memory figures")
    ap.add_argument(
        "--skip-analysis", action="store_true", help="no trend, terms or export figures"
    )
    ap.add_argument(
        "--tui-at", type=int, default=None, help="size to drive the TUI at (default: largest)"
    )
    ap.add_argument("--rounds", type=int, default=5, help="timed passes over the query set (5)")
    ap.add_argument("--tui-rounds", type=int, default=2, help="timed passes of TUI keystrokes (2)")
    ap.add_argument("--cold-runs", type=int, default=7, help="fresh `warta search` processes (7)")
    ap.add_argument("--cold-query", default="Korut", help="query of the cold `warta search`")
    ap.add_argument(
        "--indosum", default=None, help="IndoSum folder (default: ../shared/corpora/indosum)"
    )
    ap.add_argument(
        "--workdir", default=None, help="generate and index here and keep it (default: temp)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the corpora and indexes")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args(argv)
    if args.tui_at is None:
        args.tui_at = max(args.docs)
    if args.out is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        args.out = str(OUT_DIR / f"run-{'-'.join(map(str, args.docs))}-{stamp}.json")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON."""
    args = parse_args(argv)
    report = run(args)
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
