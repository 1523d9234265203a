"""Whoosh writers for a build: one process for small jobs, one per core for big ones.

Whoosh's analysis and posting code is pure Python, so a build is CPU-bound in the writer.
Its MpWriter farms documents out to sub-processes that each write a segment; two things
are added here:
- each sub-process reports the words it stemmed for the first time, so the persisted stem
  cache learns them (otherwise every rebuild would stem the vocabulary again);
- cancelling really stops the sub-processes (Whoosh's own cancel only flips a flag in the
  parent's copy of the Process object, and they would wait on their queue for ever), and
  they ignore Ctrl-C so the parent alone decides what happens and no traceback is printed.
Every segment is written by index.term_pool's TermPoolWriter: it skips Whoosh's
sort/pickle/merge of single postings, indexes the text fields from the analyzer's grouped
positions instead of a Token per word, and hands each term's postings to
index.block_writer whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from multiprocessing import Queue
from pathlib import Path
from typing import Any

import orjson
from whoosh.multiproc import MpWriter, SubWriterTask

from index import store
from index.analysis import STEMS
from index.errors import WartaError
from index.segment.pool import TermPoolWriter

# Below this many articles (expected) a build stays in one process: forking costs more
# than it saves.
PARALLEL_MIN_FILES = 2000


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def open_writer(ix: Any, files: int, report_dir: Path, limitmb: int = 256) -> Any:
    """A writer for `files` articles expected: Whoosh's plain writer, or a multi-process one.

    Segments are written as separate files, not Whoosh's default compound file: a reader
    of a compound segment copies each sub-file into memory (BytesIO over the mmap), which
    is about 100 MB of RSS per 10,000 articles; separate files are read from the page cache.
    """
    procs = min(cpu_count(), 4)
    if files < PARALLEL_MIN_FILES or procs < 2:
        return TermPoolWriter(ix, limitmb=limitmb, compound=False)
    return _StemReportingWriter(
        ix,
        procs=procs,
        batchsize=64,
        multisegment=True,
        limitmb=limitmb,
        compound=False,
        report_dir=report_dir,
    )


def collect_stems(writer: Any) -> tuple[int, int]:
    """Merge what the sub-processes stemmed into the cache; (lookups, misses) they made."""
    if not isinstance(writer, _StemReportingWriter):
        return (0, 0)
    lookups = misses = 0
    for path in writer.stem_reports:
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            continue
        finally:
            path.unlink(missing_ok=True)
        lookups += data["lookups"]
        misses += data["misses"]
        for word, stem in data["learned"].items():
            STEMS.stems.setdefault(word, stem)
    return lookups, misses


_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
FAILED = "failed: "  # a writer's report that it could not finish


def name_process(role: str) -> None:
    """Give this helper process of a build a name `ps` and `top` show ("warta-writer"),
    where every process of a build would otherwise read "warta" or "python": a user
    watching a long build, and bench/build_memory.py, can tell which does what. The
    kernel keeps 15 bytes of it; elsewhere than Linux nothing changes."""
    _prctl(_PR_SET_NAME, f"warta-{role}".encode()[:15])


def _prctl(option: int, value: int | bytes) -> None:
    """Linux's prctl(option, value), where there is one; elsewhere nothing."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(option, value, 0, 0, 0)


def die_with_parent(parent_pid: int) -> None:
    """Make this writer process end when the build that forked it ends, however it ends.

    A parent killed with SIGKILL cannot stop its children, and children left waiting on
    their job queue would live on, holding the index lock (they share its open file):
    every later build would find the index "being built". On Linux the kernel sends
    SIGKILL to the child when the parent dies (PR_SET_PDEATHSIG); elsewhere, and for a
    parent that died before the call took effect, a watcher thread exits when the
    parent is gone.
    """
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="warta-parent-watch", daemon=True).start()


class _StemReportingTask(SubWriterTask):
    def __init__(self, *args: Any, report_dir: Path, reports: Any) -> None:
        super().__init__(*args)
        self.report_dir = report_dir
        self.reports = reports
        self.parent_pid = os.getpid()

    def run(self) -> None:
        die_with_parent(self.parent_pid)
        name_process("writer")
        store.release_inherited_lock()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            STEMS.reset_counters()
            self._write_segment()
            path = self.report_dir / f"stems-{os.getpid()}.part"
            path.write_bytes(
                orjson.dumps(
                    {"lookups": STEMS.hits, "misses": STEMS.misses, "learned": STEMS.learned}
                )
            )
            self.reports.put(str(path))
        except BaseException as err:
            # One line for the parent, no traceback on the user's terminal: the parent
            # refuses to publish a generation that lacks this writer's articles.
            self.reports.put(f"{FAILED}{type(err).__name__}: {str(err)[:200]}")
            sys.exit(1)

    def _write_segment(self) -> None:
        """SubWriterTask.run of Whoosh 2.7.4 with a TermPoolWriter for a whole segment.

        Only multisegment mode is used here: merging sub-segments into the parent needs
        Whoosh's sorted run file, which a TermPool does not leave behind.
        """
        if not self.multisegment:  # pragma: no cover - open_writer never asks for it
            super().run()
            return
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = TermPoolWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class _Results:
    """The writers' result queue as Whoosh's commit reads it, with patience and a count.

    Whoosh waits one second for each writer's segment and goes on without it: on a busy
    machine a finished writer's segment could be left out of the index. Here the wait is
    long enough for any machine, and the commit checks that every segment arrived.
    """

    WAIT_S = 120.0

    def __init__(self, queue: Any, writer: Any) -> None:
        self.queue = queue
        self.writer = writer
        self.received = 0

    def get(self, timeout: float | None = None) -> Any:
        # Whoosh asks after joining every writer: a writer that finished well has put its
        # segment, so waiting long costs nothing; after a failed one, nothing is coming.
        failed = any(t.exitcode not in (0, None) for t in self.writer.tasks)
        wait = timeout if failed else max(timeout or 0.0, self.WAIT_S)
        item = self.queue.get(timeout=wait)
        self.received += 1
        return item

    def __getattr__(self, name: str) -> Any:
        return getattr(self.queue, name)


class _StemReportingWriter(MpWriter):
    def __init__(self, ix: Any, *, report_dir: Path, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.resultqueue = self.results = _Results(self.resultqueue, self)
        self.report_dir = report_dir
        self.reports: Any = Queue()
        self.stem_reports: list[Path] = []
        # Every writer process is forked now, before the build loads what only the main
        # process needs (the language model, the story sketches' numpy and datasketch):
        # Whoosh forks them at the first batches, when those pages would be copied into
        # each (the build's measured peak grew by half a gigabyte) and a loading thread
        # could hold a lock across the fork.
        while len(self.tasks) < self.procs:
            self._new_task()

    def _new_task(self) -> Any:
        task = _StemReportingTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.results.queue,
            self.subargs,
            self.multisegment,
            report_dir=self.report_dir,
            reports=self.reports,
        )
        self.tasks.append(task)
        task.start()
        return task

    def commit(self, *args: Any, **kwargs: Any) -> None:
        super().commit(*args, **kwargs)
        for _ in self.tasks:
            try:
                self.stem_reports.append(Path(self.reports.get(timeout=10)))
            except Exception:  # a sub-process that died reports nothing; only a cache
                break

    def _commit_toc(self, segments: Any) -> None:
        """Publish the segments only if every writer process finished: Whoosh's own commit
        goes on without a writer that died (a full disk, the OOM killer), and would make
        a generation live that silently lacks its articles."""
        failed = [t for t in self.tasks if t.exitcode not in (0, None)]
        if not failed and self.results.received < len(self.tasks):
            raise WartaError(
                f"index build failed: {len(self.tasks) - self.results.received} writer "
                "process(es) finished but their segment never arrived — the previous index is kept"
            )
        if failed:
            reason = "exit status " + ", ".join(str(t.exitcode) for t in failed)
            with contextlib.suppress(Exception):
                while True:
                    item = self.reports.get(timeout=1)
                    if isinstance(item, str) and item.startswith(FAILED):
                        reason = item[len(FAILED) :]
                        break
            raise WartaError(
                f"index build failed in a writer process ({reason}) — the previous index is kept"
            )
        super()._commit_toc(segments)

    def cancel(self) -> None:
        # Batches still buffered for the writers are never read now: without this the
        # queue's feeder thread blocks on a full pipe to terminated writers, and the
        # process hangs at exit joining it (seen after Ctrl-C mid-build).
        for queue in (self.jobqueue, self.results.queue, self.reports):
            with contextlib.suppress(Exception):
                queue.cancel_join_thread()
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=5)
        self.tasks = []
        super().cancel()
