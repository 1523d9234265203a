"""A small build against the straightforward pipeline, both timed as whole commands (issue 15).

A researcher's first build is a folder of a few thousand pages, and what it costs is mostly
fixed: the interpreter and its imports, the template pass, processes started, a stem cache
that starts empty. The straightforward answer is a short script: read each file, analyse
title and body with a Whoosh `StemmingAnalyzer` whose stem function is Sastrawi's, one
Whoosh writer, commit. Both run here as fresh processes over the same folder, each into a
fresh index folder, so both start from an empty stem cache (Sastrawi's own result cache
included); they alternate, A B A B, and the ratio is taken pair by pair, so a drift of the
machine's speed moves both sides of a pair.

The folder is real articles only: IndoSum's (bench/corpus.py, no grown articles) written as
`<outlet>/<id>.txt` pages into a temporary folder, never into the repository.

    .venv/bin/python bench/small_build.py --docs 3463 --rounds 5
    .venv/bin/python bench/small_build.py straight PAGES_DIR INDEX_DIR   # the pipeline alone

Reports each side's articles a second (articles indexed / the command's wall time) and CPU
seconds, medians over the rounds, and the ratio Warta/straightforward of each pair.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- the pipeline


def _sastrawi_stem(word: str) -> str:
    """Sastrawi's stem of one word, through its cached stemmer made on first use."""
    global _STEMMER
    if _STEMMER is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        _STEMMER = StemmerFactory().create_stemmer()
    return _STEMMER.stem(word)


_STEMMER: Any = None


def straight(pages: Path, index_dir: Path) -> int:
    """The straightforward pipeline: every .txt page's first line as the title and the rest
    as the body, Sastrawi-stemmed by a plain StemmingAnalyzer, one writer, one commit.
    Returns the number of articles indexed."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    analyzer = StemmingAnalyzer(stemfn=_sastrawi_stem, stoplist=None)
    schema = fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer, stored=True),
        body=fields.TEXT(analyzer=analyzer, stored=True),
    )
    index_dir.mkdir(parents=True)
    ix = index.create_in(str(index_dir), schema)
    writer = ix.writer()
    count = 0
    for path in sorted(pages.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        title, _, body = text.partition("\n")
        writer.add_document(path=str(path.relative_to(pages)), title=title, body=body)
        count += 1
    writer.commit()
    return count


# --------------------------------------------------------------------------- the harness


def write_pages(folder: Path, docs: int, seed: int) -> int:
    """IndoSum's real articles (up to `docs`) as pages under `folder`; how many."""
    sys.path.insert(0, str(ROOT))
    from bench.corpus import load_indosum, write_corpus

    records = load_indosum()
    return len(write_corpus(folder, min(docs, len(records)), seed, records=records))


def run_once(cmd: list[str]) -> dict[str, float]:
    """Wall and CPU seconds of one command as a fresh process (its children included)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def warta_command() -> list[str]:
    script = Path(sys.executable).with_name("warta")
    return [str(script)] if script.exists() else [sys.executable, "-m", "warta"]


def compare(pages: Path, articles: int, rounds: int, work: Path) -> dict[str, Any]:
    """Alternate the two commands `rounds` times after one untimed pair (page cache warm)."""
    runs: dict[str, list[dict[str, float]]] = {"warta": [], "straight": []}
    for n in range(rounds + 1):
        for side in ("warta", "straight"):
            out = work / f"{side}-{n}"
            if side == "warta":
                cmd = [*warta_command(), "index", str(pages), "--index", str(out)]
            else:
                cmd = [sys.executable, str(Path(__file__).resolve()), "straight", str(pages)]
                cmd.append(str(out))
            figures = run_once(cmd)
            shutil.rmtree(out, ignore_errors=True)
            if n:  # the first pair warms the page cache and is not counted
                runs[side].append(figures)
    ratios = [b["wall"] / a["wall"] for a, b in zip(runs["warta"], runs["straight"], strict=True)]
    return {
        "articles": articles,
        "rounds": rounds,
        "sides": {
            side: {
                "wall_s": statistics.median(r["wall"] for r in rs),
                "cpu_s": statistics.median(r["cpu"] for r in rs),
                "articles_per_s": statistics.median(articles / r["wall"] for r in rs),
            }
            for side, rs in runs.items()
        },
        "speedup": {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)},
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['articles']:,} real articles, {result['rounds']} pairs, medians",
        "",
        "| command | wall s | CPU s | articles/s |",
        "|---|---:|---:|---:|",
    ]
    names = {"warta": "warta index", "straight": "straightforward (Whoosh + Sastrawi)"}
    for side, fig in result["sides"].items():
        lines.append(
            f"| {names[side]} | {fig['wall_s']:.2f} | {fig['cpu_s']:.2f} | "
            f"{fig['articles_per_s']:.0f} |"
        )
    s = result["speedup"]
    lines.append("")
    lines.append(
        f"Warta / straightforward, pair by pair: {s['median']:.2f} "
        f"(min {s['min']:.2f}, max {s['max']:.2f})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["straight"]:
        ap = argparse.ArgumentParser(prog="small_build.py straight")
        ap.add_argument("pages", type=Path)
        ap.add_argument("index_dir", type=Path)
        args = ap.parse_args(argv[1:])
        print(f"indexed {straight(args.pages, args.index_dir)} articles")
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3463, help="real articles (IndoSum has 3,463)")
    ap.add_argument("--rounds", type=int, default=5, help="timed pairs after one untimed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", type=Path, help="index this folder instead of writing one")
    ap.add_argument("--articles", type=int, help="articles in --pages (default: .txt files)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="warta-small-build-"))
    try:
        if args.pages:
            pages = args.pages
            articles = args.articles or sum(1 for _ in pages.rglob("*.txt"))
        else:
            pages = work / "pages"
            articles = write_pages(pages, args.docs, args.seed)
        print(table(compare(pages, articles, args.rounds, work)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
