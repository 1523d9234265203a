"""The build's story step: each article's story id, found as the build writes.

Sketching an article (its words, their shingles, the MinHash: 0.15 ms) would run in the
build's main process, which reads and cleans every page and is the slowest of the build's
processes: measured at 100,000 articles, the sketches made inline cost the build a third
of its rate. So a big build sketches in a process of its own, a few batches ahead, and the
main process only assigns (the LSH lookup, 0.03 ms): each document waits in order for its
batch's sketches, then gets its story id and goes to the writer. A small build sketches
inline (a process would cost more to start than it saves).

Assignment stays in the main process and in the build's order, so the same folder gives
the same stories whichever way the sketches were made.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from index import story_table
from index.segment.processes import die_with_parent
from index.stories import MIN_WORDS, NGRAM, Sketch, StoryIndex, StoryTableError, sketch

#: The sketches of every article, beside the story table: what --update assigns against.
SKETCHES = "sketches.npz"
BATCH = 64  # articles a job: enough to make a job's overhead small
AHEAD = 8  # batches in flight before the main process waits for the oldest


class Stories:
    """The story index of a build (index.stories.StoryIndex), with removal that forgives
    an article it never held (one indexed before a sketch file was lost)."""

    def __init__(self, index: StoryIndex) -> None:
        self.index = index

    def assign(self, article_id: str, found: Sketch | None) -> str:
        self.discard(article_id)  # a changed file's article, read again
        return self.index.assign(article_id, found)

    def discard(self, article_id: str) -> None:
        if article_id in self.index:
            self.index.remove(article_id)

    def save(self, gen_dir: Path) -> None:
        path = gen_dir / story_table.FOLDER / SKETCHES
        path.parent.mkdir(exist_ok=True)
        self.index.save(path)


def open_stories(
    gen_dir: Path, update: bool, threshold: float | None
) -> tuple[Stories, str | None]:
    """A new story index, or for --update the sketches of the generation being updated
    (copied into `gen_dir` with the rest of it), and a note when they could not be read:
    the new articles are then grouped among themselves."""
    if update:
        try:
            path = gen_dir / story_table.FOLDER / SKETCHES
            return Stories(StoryIndex.load(path, threshold)), None
        except StoryTableError as err:
            note = f"{err}: new articles were grouped only among themselves"
            index = StoryIndex() if threshold is None else StoryIndex(threshold=threshold)
            return Stories(index), note
    return Stories(StoryIndex() if threshold is None else StoryIndex(threshold=threshold)), None


def _warm_up() -> None:
    """In the sketching process: load what sketching needs before the first batch."""
    sketch("", [" ".join(f"kata{i}" for i in range(MIN_WORDS))])


def _sketch_batch(bodies: list[list[str]]) -> list[bytes | None]:
    """In the sketching process: each body's MinHash values as bytes (None: too short)."""
    out: list[bytes | None] = []
    for body in bodies:
        found = sketch("", body)
        out.append(None if found is None else found.values.tobytes())
    return out


def _from_bytes(raw: bytes | None) -> Sketch | None:
    if raw is None:
        return None
    import numpy as np

    return Sketch(np.frombuffer(raw, dtype=np.uint32).copy(), NGRAM)


class StoryStage:
    """Documents in, documents with their `story` out, in the order they came in."""

    def __init__(self, stories: Stories, parallel: bool) -> None:
        self.stories = stories
        self._pool: ProcessPoolExecutor | None = None
        if parallel:
            # A fork, made now (submit starts the process), before the build starts its
            # language-model thread or loads numpy: not a fresh interpreter ("spawn"),
            # which would run the caller's main module again (a script that builds an
            # index without an `if __name__ == "__main__"` guard would build in the child).
            # The child loads numpy and datasketch while the first batches are read.
            # It dies with the build, as the writers do: a build killed with SIGKILL
            # would leave it holding the index lock (it shares the lock's open file).
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
            self._pool.submit(_warm_up)
        self._batch: list[tuple[str, list[str], dict[str, Any]]] = []
        self._flight: deque[tuple[list[tuple[str, dict[str, Any]]], Future[Any]]] = deque()

    def put(
        self, article_id: str, body: list[str], doc: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """Take a document; yield those whose story is now known."""
        if self._pool is None:
            doc["story"] = self.stories.assign(article_id, sketch("", body))
            yield doc
            return
        self._batch.append((article_id, body, doc))
        if len(self._batch) >= BATCH:
            self._send()
        while len(self._flight) > AHEAD:
            yield from self._receive()

    def finish(self) -> Iterator[dict[str, Any]]:
        """Every document still waiting, with its story."""
        if self._batch:
            self._send()
        while self._flight:
            yield from self._receive()

    def close(self, wait: bool = True) -> None:
        """Stop the sketching process: at the end (waiting for it to exit, so its memory
        is gone), or when the build is cancelled (not waiting: it may be the one hurt)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def _send(self) -> None:
        assert self._pool is not None
        batch, self._batch = self._batch, []
        future = self._pool.submit(_sketch_batch, [body for _, body, _ in batch])
        self._flight.append(([(article_id, doc) for article_id, _, doc in batch], future))

    def _receive(self) -> Iterator[dict[str, Any]]:
        docs, future = self._flight.popleft()
        for (article_id, doc), raw in zip(docs, future.result(), strict=True):
            doc["story"] = self.stories.assign(article_id, _from_bytes(raw))
            yield doc
