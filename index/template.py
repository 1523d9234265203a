"""A site's template, learned from the archive itself: the lines its pages all repeat.

Every outlet wraps its stories in the same menus, share and follow widgets, promos,
related-article teasers and copyright lines. No rule list can know every outlet's wording,
but the archive shows it: a line that recurs on many pages of the same folder is not
news. Before the build reads its text pages, one cheap pass over their lines counts
in how many distinct pages of each folder every line appears; lines on at least a tenth of
a folder's pages (and on four at the least) are that folder's template. The cleaner then
keeps them out of the headline candidates and the story, while bylines and date lines
among them still count as metadata (a reporter's name recurs in the byline slot of every
story they write: that makes it a name, not boilerplate).

Counting is lossy counting (Manku and Motwani): per folder, counts of lines seen on fewer
than one page in `_BUCKET` are dropped at every bucket's end, so memory stays bounded by
the lines that really recur while any line on more than 0.5% of pages is counted exactly
enough for a 10% threshold. Copies of one story (the same three longest lines) count
once, so an article saved three times does not turn its own paragraphs into template.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import multiprocessing
import os
import signal
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from index.clean import template_key
from index.errors import SkipFile
from index.sources import Found, read_text

log = logging.getLogger(__name__)

FILE = "template.json"
_VERSION = 2
_SHARE = 0.1  # of a folder's distinct pages a line must be on
_MIN_PAGES = 4  # ... and at least this many
_MIN_GROUP = 10  # folders with fewer distinct pages learn nothing
_BUCKET = 200  # pages per lossy-counting bucket
_MAX_LINE = 400  # longer lines are story paragraphs, never counted
_EXAMPLES = 8
_FINGERPRINT = 3  # longest lines that identify a page's story


def group_of(rel: str) -> str:
    """The folder a page's template is learned in: its parent folder ("." at the top)."""
    return str(PurePosixPath(rel).parent)


@dataclass
class _Counts:
    pages: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)  # line -> [count, delta]
    copies: set[int] = field(default_factory=set)  # hashes of the stories seen


@dataclass(frozen=True)
class GroupTemplate:
    """What one folder's pages repeat: its lines (most frequent first; `keys` as the
    cleaner compares them) and how many pages showed it."""

    pages: int
    lines: tuple[str, ...]
    keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(template_key(x) for x in self.lines))


class TemplateLearner:
    """Counts recurring lines per folder over a build's text pages, in bounded memory."""

    def __init__(self) -> None:
        self._groups: dict[str, _Counts] = {}

    def add(self, rel: str, text: str) -> None:
        """One page's text, as read from `rel`."""
        lines = {x for raw in text.splitlines() if (x := raw.strip()) and len(x) <= _MAX_LINE}
        # A story's copy shares its longest lines (its paragraphs), whatever its chrome.
        group = self._groups.setdefault(group_of(rel), _Counts())
        copy = hash(tuple(heapq.nlargest(_FINGERPRINT, lines, key=len)))
        if copy in group.copies:
            return
        group.copies.add(copy)
        group.pages += 1
        bucket = math.ceil(group.pages / _BUCKET)
        counts = group.counts
        for line in lines:
            entry = counts.get(line)
            if entry is None:
                counts[line] = [1, bucket - 1]
            else:
                entry[0] += 1
        if group.pages % _BUCKET == 0:
            for line in [x for x, (n, delta) in counts.items() if n + delta <= bucket]:
                del counts[line]

    def learned(self) -> dict[str, GroupTemplate]:
        """Each folder's template (folders with too few pages learn nothing)."""
        out: dict[str, GroupTemplate] = {}
        for name, group in self._groups.items():
            if group.pages < _MIN_GROUP:
                continue
            bar = max(_MIN_PAGES, math.ceil(_SHARE * group.pages))
            kept = sorted(((n, x) for x, (n, _) in group.counts.items() if n >= bar), reverse=True)
            if not kept:
                continue
            lines = tuple(line for _, line in kept)
            out[name] = GroupTemplate(group.pages, lines)
        return out


def learn(pages: Iterable[tuple[str, str]]) -> dict[str, GroupTemplate]:
    """Templates from (rel, text) pairs: the one pass a build makes before it reads."""
    learner = TemplateLearner()
    for rel, text in pages:
        learner.add(rel, text)
    return learner.learned()


#: Text pages from which the folders are shared out between two processes.
PARALLEL_MIN_PAGES = 2000


def learn_pages(found: Sequence[Found]) -> dict[str, GroupTemplate]:
    """`learn` over the text pages among `found`, the folders shared out between this
    process and a forked one when there are enough pages and cores.

    This pass reads every text page before the writers start, on one core while the
    other waits: at a million pages, minutes. A folder's template depends on its own
    pages only, so two processes that each take whole folders learn what one would.
    """
    names: dict[str, int] = {}
    folder = array("I")  # each file's folder, numbered; pages by folder
    pages: Counter[int] = Counter()
    for f in found:
        number = names.setdefault(group_of(f.rel), len(names))
        folder.append(number)
        if f.ext == ".txt":
            pages[number] += 1
    if pages.total() < PARALLEL_MIN_PAGES or len(pages) < 2 or not _can_fork():
        return learn(text_pages(found))
    theirs = _share(pages)
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    helper = multiprocessing.get_context("fork").Process(
        target=_learn_for, args=(found, folder, theirs, send, os.getpid()), daemon=True
    )
    helper.start()
    send.close()
    try:
        learned = learn(text_pages(_among(found, folder, theirs, False)))
        try:
            learned.update(receive.recv())
        except (EOFError, OSError):  # the helper died: learn its folders here
            learned.update(learn(text_pages(_among(found, folder, theirs, True))))
    except BaseException:
        helper.kill()  # Ctrl-C or a failure here: its folders are not wanted any more
        raise
    finally:
        receive.close()
        helper.join(timeout=5)
        if helper.is_alive():  # pragma: no cover - it has sent or died by now
            helper.kill()
    by_number = list(names)
    # In the order one pass lists them: by each folder's first text page.
    return {by_number[n]: learned[by_number[n]] for n in pages if by_number[n] in learned}


def _can_fork() -> bool:
    from index.segment.processes import cpu_count

    return cpu_count() >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _share(pages: Mapping[int, int]) -> frozenset[int]:
    """The folders the helper takes: about half the pages, the largest folders first."""
    mine = theirs = 0
    taken: set[int] = set()
    for number, count in sorted(pages.items(), key=lambda item: (-item[1], item[0])):
        if theirs < mine:
            taken.add(number)
            theirs += count
        else:
            mine += count
    return frozenset(taken)


def _among(
    found: Sequence[Found], folder: array, folders: frozenset[int], inside: bool
) -> Iterator[Found]:
    """The files of `found` in (or, `inside` false, outside) the numbered `folders`; a
    file of the other side is not made into a `Found` (a Path each) at all."""
    for n in range(len(found)):
        if (folder[n] in folders) is inside:
            yield found[n]


def _learn_for(
    found: Sequence[Found], folder: array, folders: frozenset[int], send: Any, parent: int
) -> None:
    """The helper process: learn the templates of `folders` and send them back."""
    from index import store
    from index.segment.processes import die_with_parent, name_process

    die_with_parent(parent)
    name_process("templates")
    store.release_inherited_lock()  # the lock is the build's alone (as its writers do)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build decides what Ctrl-C does
    try:
        send.send(learn(text_pages(_among(found, folder, folders, True))))
    finally:
        send.close()


def lookup(templates: Mapping[str, GroupTemplate], rel: str) -> frozenset[str]:
    """The template lines for the page at `rel` (empty where nothing was learned)."""
    found = templates.get(group_of(rel))
    return found.keys if found else frozenset()


def save(templates: Mapping[str, GroupTemplate], path: Path) -> None:
    """Write the learned templates beside the index, for `--update` to reuse."""
    doc = {
        "version": _VERSION,
        "groups": {
            name: {
                "pages": t.pages,
                "lines": list(t.lines),
            }
            for name, t in templates.items()
        },
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


def load(path: Path) -> dict[str, GroupTemplate]:
    """The templates a full build saved; empty (with a warning) when unreadable."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("version") != _VERSION:
            raise ValueError(f"version {doc.get('version')!r}")
        return {
            str(name): GroupTemplate(int(spec["pages"]), tuple(str(x) for x in spec["lines"]))
            for name, spec in doc["groups"].items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        log.warning("learned template %s ignored: %s", path, err)
        return {}


def report(
    templates: Mapping[str, GroupTemplate], outlets_by_group: Mapping[str, Counter[str]]
) -> list[dict[str, Any]]:
    """What was learned, per folder with the outlets its pages came out as, for
    `warta index --json` and the closing report."""
    return [
        {
            "group": name,
            "outlets": dict(outlets_by_group.get(name, Counter()).most_common()),
            "pages": t.pages,
            "lines": len(t.lines),
            "examples": list(t.lines[:_EXAMPLES]),
        }
        for name, t in sorted(templates.items(), key=lambda kv: (-kv[1].pages, kv[0]))
    ]


def text_pages(found: Iterable[Found]) -> Iterator[tuple[str, str]]:
    """(rel, text) of every readable text page among `found`; an unreadable one is left
    for the build's own read to report."""
    for f in found:
        if f.ext != ".txt":
            continue
        try:
            yield f.rel, read_text(f)
        except (SkipFile, OSError):
            continue
