"""The memory of a `warta index` build, process by process (issue 15: peak < 2 GB).

Runs ``warta index CORPUS --index INDEX`` as a fresh process and samples every process of
its tree every `--every` seconds from /proc: RSS (resident pages, counting a page shared
by forked processes once in each) and PSS (smaps_rollup: a shared page divided among its
sharers, so the PSS of the processes adds up to what the build really holds). Processes
are named by the name the build gives each (`index.segment.processes.name_process`:
"writer", "story", "templates", the template pass's helper), numbered in the order they
started; the build's own process is "main".

    .venv/bin/python bench/build_memory.py bench/corpus-100k --index /tmp/mem-ix

prints, per process, its peak RSS and peak PSS and when they were reached, and the peak of
the sums over the tree (one sample's processes added up). Sampling PSS reads every
mapping of a process (a few milliseconds); the build runs the same way without it.
`--code DIR` runs warta from another checkout (`git archive COMMIT | tar -x -C DIR`),
to measure an older commit the same way.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.run import process_tree, resident  # noqa: E402


def _role(pid: int) -> str:
    """The name the build gave the process (`name_process`), or "" for the main one."""
    with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as fh:
        comm = fh.read().strip()
    return comm.removeprefix("warta-") if comm.startswith("warta-") else ""


def _names(pids: list[int], roles: dict[int, str]) -> dict[int, str]:
    """Each process's label: "main" for the root, else its role, numbered when several
    processes share it ("writer 1", "writer 2"), in the order they started."""
    counts: dict[str, int] = {}
    for pid in pids[1:]:
        role = roles.get(pid) or "process"
        counts[role] = counts.get(role, 0) + 1
    seen: dict[str, int] = {}
    names = {pids[0]: "main"} if pids else {}
    for pid in pids[1:]:
        role = roles.get(pid) or "process"
        seen[role] = seen.get(role, 0) + 1
        names[pid] = f"{role} {seen[role]}" if counts[role] > 1 else role
    return names


def _start_time(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        return int(fh.read().rsplit(")", 1)[1].split()[19])


def _rss_pss(pid: int) -> tuple[int, int]:
    rss = resident(pid)
    pss = 0
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
    return rss, pss


def measure(corpus: Path, index_dir: Path, every: float, code: Path = ROOT) -> dict[str, Any]:
    if index_dir.exists():
        shutil.rmtree(index_dir)
    cmd = [sys.executable, "-m", "warta", "index", str(corpus), "--index", str(index_dir)]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=code, stdout=subprocess.DEVNULL)
    order: dict[int, tuple[int, int]] = {}  # pid -> (start time, pid)
    roles: dict[int, str] = {}  # pid -> the name the build gave it, as last read
    peaks: dict[int, dict[str, float]] = {}
    sums = {"rss": 0, "pss": 0, "rss_at": 0.0, "pss_at": 0.0}
    while proc.poll() is None:
        now = time.monotonic() - started
        rss_sum = pss_sum = 0
        for pid in process_tree(proc.pid):
            try:
                if pid not in order:
                    order[pid] = (_start_time(pid), pid)
                roles[pid] = _role(pid) or roles.get(pid, "")  # named just after the fork
                rss, pss = _rss_pss(pid)
            except (OSError, ValueError, IndexError):
                continue
            rss_sum += rss
            pss_sum += pss
            p = peaks.setdefault(pid, {"rss": 0, "pss": 0, "rss_at": 0.0, "pss_at": 0.0})
            if rss > p["rss"]:
                p["rss"], p["rss_at"] = rss, now
            if pss > p["pss"]:
                p["pss"], p["pss_at"] = pss, now
        if rss_sum > sums["rss"]:
            sums["rss"], sums["rss_at"] = rss_sum, now
        if pss_sum > sums["pss"]:
            sums["pss"], sums["pss_at"] = pss_sum, now
        time.sleep(every)
    elapsed = time.monotonic() - started
    if proc.returncode:
        raise SystemExit(f"warta index failed with status {proc.returncode}")
    pids = [pid for _, pid in sorted(order.values()) if pid in peaks]
    names = _names(pids, roles)
    return {
        "elapsed_s": elapsed,
        "processes": [{"role": names[pid], **peaks[pid]} for pid in pids],
        "sums": sums,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index", type=Path, required=True, help="a folder to build into")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the checkout to run warta from (this one)"
    )
    args = parser.parse_args(argv)
    result = measure(args.corpus.resolve(), args.index.resolve(), args.every, args.code)
    print(f"{args.corpus}: built in {result['elapsed_s']:.0f} s")
    print("| process | peak RSS | at | peak PSS | at |")
    print("|---|---:|---:|---:|---:|")
    rows = [*result["processes"], {"role": "sum of the tree", **result["sums"]}]
    for p in rows:
        print(
            f"| {p['role']} | {p['rss'] / 1e6:,.0f} MB | {p['rss_at']:.0f} s "
            f"| {p['pss'] / 1e6:,.0f} MB | {p['pss_at']:.0f} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
