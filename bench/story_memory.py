"""The story index's memory alone (issue 15): N random sketches assigned, then saved.

Runs `index.stories.StoryIndex` in this process, as the build's story process does, and
prints its peak RSS (`ru_maxrss`) and time. Random sketches find almost no candidates,
so this measures what the index holds (ids, sketches, band table), not the assignment's
comparisons.

    .venv/bin/python bench/story_memory.py 1000000 --spill   # the build's way
    .venv/bin/python bench/story_memory.py 1000000           # sketches in memory
    .venv/bin/python bench/story_memory.py 1000000 --code /tmp/warta-OLD   # another commit

`--code DIR` imports Warta from another checkout (`git archive COMMIT | tar -x -C DIR`);
without `--spill` the script runs on any commit since the story index was written.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--code" in sys.argv[:-1]:  # before anything of Warta's is imported
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
elif __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from index.stories import NGRAM, NUM_PERM, Sketch, StoryIndex  # noqa: E402

BATCH = 10_000


def measure(count: int, spill: bool, folder: Path) -> tuple[float, float]:
    """Peak RSS in MB and seconds of assigning `count` random sketches and saving them."""
    index = StoryIndex(spill=folder) if spill else StoryIndex()
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = rng.integers(0, 2**32, size=(min(BATCH, count - first), NUM_PERM), dtype=np.uint32)
        for i, row in enumerate(rows):
            index.assign(f"outlet/2024/{first + i:08d}.txt", Sketch(row, NGRAM), desk="d", hour=1)
    index.save(folder / "sketches.npz")
    seconds = time.perf_counter() - start
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="articles to assign")
    parser.add_argument("--spill", action="store_true", help="sketches in a file (the build's way)")
    parser.add_argument("--code", help="import Warta from this checkout")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        peak, seconds = measure(args.count, args.spill, Path(folder))
    way = "in a file" if args.spill else "in memory"
    print(f"{args.count:,} sketches {way}: peak RSS {peak:.0f} MB, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
