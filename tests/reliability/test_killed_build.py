"""A build killed at any moment (issue 14): the previous index answers the same, the next
build is not blocked, and no writer process outlives its parent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEEDS, run_warta

pytestmark = pytest.mark.slow  # real builds of 8,000 files, killed: run with -m slow


def _archive(folder: Path, pages: int) -> None:
    """`pages` small text pages made from the seeds' paragraphs: enough files for a
    build to fork its writer processes."""
    paras = [
        line
        for seed in sorted(SEEDS.glob("*.txt"))
        for line in seed.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= 20
    ]
    folder.mkdir(parents=True)
    for n in range(pages):
        story = "\n".join(paras[(n + k) % len(paras)] for k in range(3))
        (folder / f"p{n:05d}.txt").write_text(
            f"Berita Nomor {n} tentang Kerja Sama Kawasan\nKamis, 09 November 2023 - 10:00 WIB\n"
            f"{story}\n",
            encoding="utf-8",
        )


def _as_at_a_terminal() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _signal_masks(pid: int) -> str:
    """The SigBlk/SigIgn/SigCgt lines of a process's status (bit 2 is SIGINT)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return "no status"
    return " ".join(x for x in lines if x.startswith(("SigBlk", "SigIgn", "SigCgt")))


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("delay", [0.05, 0.8, 2.0], ids=["early", "mid", "late"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_build_leaves_the_index_and_no_orphan(
    tmp_path: Path, sig: int, delay: float
) -> None:
    src, ix = tmp_path / "src", tmp_path / "ix"
    _archive(src, 8000)
    assert run_warta("index", str(SEEDS), "--index", str(ix)).returncode == 0
    before = run_warta("search", "rudal", "--index", str(ix), "--json").stdout
    errors = (tmp_path / "stderr").open("wb")
    build = subprocess.Popen(
        [sys.executable, "-m", "warta", "index", str(src), "--index", str(ix)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=errors,  # a file, not a pipe nobody reads: that could itself block the build
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        # A test runner may ignore or block signals, and a child inherits that: a user's
        # build at a terminal takes them.
        preexec_fn=_as_at_a_terminal,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:
        time.sleep(0.2)
        workers = _children(build.pid)
    assert workers, "the build forked no writer process"
    time.sleep(delay)
    if build.poll() is not None:
        pytest.skip("the build ended before it could be killed (a fast machine)")
    # Every process it has now: the writers and the story sketching process.
    workers = sorted(set(workers) | set(_children(build.pid)))
    # What the build does with signals right before it gets one (a failure says it).
    masks = _signal_masks(build.pid)
    os.kill(build.pid, sig)
    try:
        # Generous: two busy test workers can slow the clean-up of an interrupted build.
        build.wait(timeout=90)
    except subprocess.TimeoutExpired:
        # Say where it hangs: faulthandler prints every thread's stack on SIGABRT.
        os.kill(build.pid, signal.SIGABRT)
        build.wait(timeout=10)
        err = (tmp_path / "stderr").read_text(errors="replace")
        pytest.fail(f"the build did not end after {sig!r}:\n{err[-4000:]}")
    finally:
        errors.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "a writer or sketcher outlived its build"
    said = (tmp_path / "stderr").read_text(errors="replace")
    finished = sig == signal.SIGINT and (
        "the new index was already in place" in said or build.returncode == 0
    )
    if finished:
        # Ctrl-C landed while a finished build tidied up, or (seen twice under the loaded
        # slow suite, exit 0, SIGINT caught and not blocked: `masks`) the build never acted
        # on it and ran to its end. Either way the promise holds only if the new index is
        # whole: a build publishes all of it or nothing.
        stats = json.loads(run_warta("stats", "--index", str(ix), "--json").stdout)
        assert stats["articles"] == 8000, (stats, masks, said[-2000:])
    else:
        after = run_warta("search", "rudal", "--index", str(ix), "--json").stdout
        assert [json.loads(x)["id"] for x in after.splitlines()[:-1]] == [
            json.loads(x)["id"] for x in before.splitlines()[:-1]
        ], f"exit {build.returncode}; {masks}; {said[-2000:]}"
    again = run_warta("index", str(SEEDS), "--index", str(ix))
    assert again.returncode == 0, again.stderr
    # A build that could not end in Python (SIGKILL; SIGTERM, which warta leaves at its
    # default) is named by the next one; one interrupted with Ctrl-C ended cleanly.
    noticed = f"an earlier build (process {build.pid}) was stopped" in again.stdout
    assert noticed == (sig != signal.SIGINT), again.stdout
