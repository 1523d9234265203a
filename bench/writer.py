"""The index writer alone: CPU milliseconds an article to add documents and to write a segment.

`bench/run.py` times a whole build, which mixes reading pages, two writer processes and a
noisy machine. Optimising the writer needs a steadier figure: here the pages are read and
cleaned once, up front, and the same documents go through one `TermPoolWriter` several
times; each phase reports its best round in CPU time (`time.process_time`), so other load
on the machine matters less. A first, untimed round warms the stem cache, as a real build
is warm after its first few thousand articles.

    .venv/bin/python bench/writer.py bench/corpus-10k --docs 3000 --rounds 3
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402

from index.build import BuildReport, _read_all, document  # noqa: E402
from index.reading import ReadContext  # noqa: E402
from index.schema import build_schema  # noqa: E402
from index.segment.pool import TermPoolWriter  # noqa: E402
from index.sources import Found, discover  # noqa: E402


def load_documents(folder: Path, limit: int) -> list[dict[str, Any]]:
    """The Whoosh documents of the first `limit` articles under `folder`, as a build makes them."""
    found = [f for f in discover(folder) if isinstance(f, Found)]
    report = BuildReport(str(folder), "")
    ctx = ReadContext(None, {}, report.add_bad_row)
    docs: list[dict[str, Any]] = []
    for f, parsed in _read_all(found, ctx, report):
        if parsed is not None:  # None: the file's end
            article = parsed.article
            docs.append(document(article, f, article.content_key()))
            if len(docs) >= limit:
                return docs
    return docs


def time_writer(docs: list[dict[str, Any]], rounds: int) -> dict[str, float]:
    """Best CPU seconds over `rounds` (after one warm-up round) of adding and committing."""
    best = {"add": float("inf"), "commit": float("inf")}
    work = Path(tempfile.mkdtemp(prefix="warta-writer-"))
    try:
        for n in range(rounds + 1):
            path = work / str(n)
            path.mkdir()
            ix = whoosh_index.create_in(str(path), build_schema())
            writer = TermPoolWriter(ix, limitmb=256, compound=False)
            t0 = time.process_time()
            for doc in docs:
                writer.add_document(**doc)
            t1 = time.process_time()
            writer.commit()
            t2 = time.process_time()
            ix.close()
            shutil.rmtree(path)
            if n:
                best["add"] = min(best["add"], t1 - t0)
                best["commit"] = min(best["commit"], t2 - t1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="pages to index (a bench/corpus.py folder)")
    ap.add_argument("--docs", type=int, default=3000, help="articles to use (3000)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds (3)")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"writer: {args.folder}: not a folder", file=sys.stderr)
        return 2
    docs = load_documents(args.folder, args.docs)
    if not docs:
        print(f"writer: {args.folder}: no articles", file=sys.stderr)
        return 2
    best = time_writer(docs, max(args.rounds, 1))
    per = {k: v / len(docs) * 1000 for k, v in best.items()}
    print(
        f"{len(docs):,} articles, best of {args.rounds}: add {per['add']:.2f} ms/article, "
        f"commit {per['commit']:.2f} ms/article, total {per['add'] + per['commit']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
