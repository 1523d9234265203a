"""The build's story step: each article's story id, found as the build writes.

Sketching an article (its words, their shingles, the MinHash: 0.09 ms) and assigning it
(the LSH lookup and insertion: 0.03 ms) would run in the build's main process, which reads
and cleans every page and is the slowest of the build's processes: measured at 100,000
articles, the assignment alone once took 13 s of its time. So a big build hands both to a
process of its own, which holds the story index: the main process sends each batch of
bodies (with their desks and times, `index.stories`) and gets back their story ids a few
batches later. A small build sketches and assigns inline (a process would cost more to
start than it saves).

The story process takes the batches one at a time in the build's order, so the same
folder gives the same stories whichever way they were made. At the end it also drops the
articles the build superseded and saves the sketches (`StoryStage.save`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from index import story_table
from index.article import Article
from index.segment.processes import die_with_parent, name_process
from index.stories import MIN_WORDS, StoryIndex, StoryTableError, sketch
from index.template import group_of

#: The sketches of every article, beside the story table: what --update assigns against.
SKETCHES = "sketches.npz"
BATCH = 64  # articles a job: enough to make a job's overhead small
AHEAD = 8  # batches in flight before the main process waits for the oldest


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # a malformed address (an unclosed IPv6 bracket)
        return None


def desk_and_hour(article: Article, url: str | None, rel: str) -> tuple[str, int | None]:
    """Who wrote an article and when, as the story step weighs them (index.stories, "One
    desk, another day"). The desk is its outlet; when no outlet was found, the host of its
    URL, else the record file `rel` (a row's id holds "#") or the folder a page came from:
    one site's articles, as a scraper saves them. The time is its publication time in
    whole hours since the epoch."""
    if article.outlet:
        desk = article.outlet
    elif url and (host := _host(url)):
        desk = f"host:{host.removeprefix('www.')}"
    elif "#" in article.id:
        desk = f"file:{rel}"
    else:
        desk = f"folder:{group_of(rel)}"
    hour = int(article.published.timestamp() // 3600) if article.published else None
    return desk, hour


class Stories:
    """The story index of a build (index.stories.StoryIndex), with removal that forgives
    an article it never held (one indexed before a sketch file was lost)."""

    def __init__(self, index: StoryIndex) -> None:
        self.index = index

    def assign(self, article_id: str, body: list[str], desk: str | None, hour: int | None) -> str:
        """Sketch an article's body and return its story id (see StoryIndex.assign)."""
        self.discard(article_id)  # a changed file's article, read again
        return self.index.assign(article_id, sketch("", body), desk=desk, hour=hour)

    def discard(self, article_id: str) -> None:
        if article_id in self.index:
            self.index.remove(article_id)

    def save(self, gen_dir: Path) -> None:
        path = gen_dir / story_table.FOLDER / SKETCHES
        path.parent.mkdir(exist_ok=True)
        self.index.save(path)

    def close(self) -> None:
        self.index.close()


def open_stories(
    gen_dir: Path, update: bool, threshold: float | None
) -> tuple[Stories, str | None]:
    """A new story index, or for --update the sketches of the generation being updated
    (copied into `gen_dir` with the rest of it), and a note when they could not be read:
    the new articles are then grouped among themselves."""
    # The sketches are kept in an unnamed file in the new generation's folder, on the
    # index's disk (not /tmp, which may be memory): 256 MB a million articles.
    if update:
        try:
            path = gen_dir / story_table.FOLDER / SKETCHES
            return Stories(StoryIndex.load(path, threshold, spill=gen_dir)), None
        except StoryTableError as err:
            note = f"{err}: new articles were grouped only among themselves"
            return Stories(_new_index(threshold, gen_dir)), note
    return Stories(_new_index(threshold, gen_dir)), None


def _new_index(threshold: float | None, spill: Path) -> StoryIndex:
    if threshold is None:
        return StoryIndex(spill=spill)
    return StoryIndex(threshold=threshold, spill=spill)


# ------------------------------------------------------------------ the story process

#: In the story process: the build's story index (inherited by the fork, never pickled).
_HELD: Stories | None = None

#: One article as the main process sends it: id, body paragraphs, desk, hour.
Item = tuple[str, list[str], str | None, int | None]


def _start(parent_pid: int, stories: Stories) -> None:
    """In the story process, first: die with the build, take the story index, and load
    what sketching needs before the first batch."""
    global _HELD
    die_with_parent(parent_pid)
    name_process("story")
    _HELD = stories
    sketch("", [" ".join(f"kata{i}" for i in range(MIN_WORDS))])


def _assign_batch(items: list[Item]) -> list[str]:
    """In the story process: each article's story id, in order."""
    assert _HELD is not None
    return [_HELD.assign(*item) for item in items]


def _save(discard: list[str], gen_dir: str) -> None:
    """In the story process, last: forget the superseded articles and save the sketches."""
    assert _HELD is not None
    for article_id in discard:
        _HELD.discard(article_id)
    _HELD.save(Path(gen_dir))


def _ready() -> None:
    """A job that does nothing: submitting it starts the story process now."""


class StoryStage:
    """Documents in, documents with their `story` out, in the order they came in."""

    def __init__(self, stories: Stories, parallel: bool) -> None:
        self._stories: Stories | None = stories
        self._pool: ProcessPoolExecutor | None = None
        if parallel:
            # A fork, made now (submit starts the process), before the build starts its
            # language-model thread or loads numpy: not a fresh interpreter ("spawn"),
            # which would run the caller's main module again (a script that builds an
            # index without an `if __name__ == "__main__"` guard would build in the child).
            # The fork inherits the story index (an --update's loaded sketches); from now
            # on only the child holds it, so the main process lets its copy go.
            # It dies with the build, as the writers do: a build killed with SIGKILL
            # would leave it holding the index lock (it shares the lock's open file).
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start,
                initargs=(os.getpid(), stories),
            )
            self._pool.submit(_ready)
            self._stories = None
        self._batch: list[tuple[Item, dict[str, Any]]] = []
        self._flight: deque[tuple[list[dict[str, Any]], Future[Any]]] = deque()

    def put(
        self,
        article_id: str,
        body: list[str],
        desk: str | None,
        hour: int | None,
        doc: dict[str, Any],
    ) -> Iterator[dict[str, Any]]:
        """Take a document (its article's id, body, desk and publication hour,
        `index.stories`); yield those whose story is now known."""
        if self._stories is not None:
            doc["story"] = self._stories.assign(article_id, body, desk, hour)
            yield doc
            return
        self._batch.append(((article_id, body, desk, hour), doc))
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

    def save(self, gen_dir: Path, superseded: list[str]) -> None:
        """Forget the articles the build superseded and save the sketches into the new
        generation (after `finish`)."""
        if self._stories is not None:
            for article_id in superseded:
                self._stories.discard(article_id)
            self._stories.save(gen_dir)
            return
        assert self._pool is not None and not self._flight
        self._pool.submit(_save, superseded, str(gen_dir)).result()

    def close(self, wait: bool = True) -> None:
        """Stop the story process: at the end (waiting for it to exit, so its memory is
        gone), or when the build is cancelled (not waiting: it may be the one hurt)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
        if self._stories is not None:
            self._stories.close()

    def _send(self) -> None:
        assert self._pool is not None
        batch, self._batch = self._batch, []
        future = self._pool.submit(_assign_batch, [item for item, _ in batch])
        self._flight.append(([doc for _, doc in batch], future))

    def _receive(self) -> Iterator[dict[str, Any]]:
        docs, future = self._flight.popleft()
        for doc, story in zip(docs, future.result(), strict=True):
            doc["story"] = story
            yield doc
