"""How much `warta terms` loses by finding its candidates in a sample, and what the other
ways would cost (issue 17: "reads term vectors or postings, not bodies, unless a
measurement shows a better way").

For each query it runs the shipped `Engine.terms` and an exhaustive one (every matching
article read for candidates, four times the shortlist counted exactly), and reports the
time of each and how many of the exhaustive top N the shipped one also lists, per kind.
It also times what a postings-only pass would need: the posting list of every word of the
body vocabulary decoded and intersected with the matches (timed on a slice of the
vocabulary and scaled to all of it). Warta keeps no term vectors (they would add to every
article's index size), so that is the only way to candidates without reading text.

    python bench/keyness.py --index PATH [--top 10] [--out bench/out/keyness.json]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from search import keyness  # noqa: E402
from search.engine import Engine  # noqa: E402
from search.models import Filters  # noqa: E402

QUERIES = (
    "korupsi", "startup", "liga champions", "menteri keuangan", "presiden joko widodo",
    '"sri mulyani"', "KPK", "banjir", "gempa", "harga minyak",
)  # fmt: skip
VOCABULARY_SLICE = 2_000


def _terms(engine: Engine, query: str, top: int) -> tuple[list[Any], float]:
    engine.forget_matches()
    t = time.perf_counter()
    found = engine.terms(query, Filters(), top)
    return found, (time.perf_counter() - t) * 1000


def compare(engine: Engine, query: str, top: int) -> dict[str, Any]:
    shipped, shipped_ms = _terms(engine, query, top)
    saved = keyness.SAMPLE, keyness.SHORTLIST
    keyness.SAMPLE, keyness.SHORTLIST = 10**9, saved[1] * 4
    try:
        full, full_ms = _terms(engine, query, top)
    finally:
        keyness.SAMPLE, keyness.SHORTLIST = saved
    overlap = {}
    for kind in keyness.KINDS:
        want = {t.term for t in full if t.kind == kind}
        got = {t.term for t in shipped if t.kind == kind}
        overlap[kind] = len(want & got) / len(want) if want else None
    return {
        "matches": len(engine.matches(query)),
        "shipped_ms": shipped_ms,
        "exhaustive_ms": full_ms,
        "overlap": overlap,
    }


def postings_pass_estimate(engine: Engine, query: str) -> dict[str, Any]:
    """Seconds to intersect every body word's postings with the matches, from a slice."""
    matched = engine.matches(query)
    reader = engine.searcher().reader()
    words = [t for t in reader.lexicon("body")]
    step = max(1, len(words) // VOCABULARY_SLICE)
    sample = words[::step][:VOCABULARY_SLICE]
    t = time.perf_counter()
    for w in sample:
        ids = reader.postings("body", w).all_ids()
        _ = sum(1 for d in ids if d in matched)
    seconds = time.perf_counter() - t
    return {
        "vocabulary": len(words),
        "timed": len(sample),
        "estimated_s": seconds * len(words) / max(len(sample), 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, help="an index built by `warta index`")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "keyness.json"))
    args = ap.parse_args(argv)
    engine = Engine(Path(args.index))
    engine.search("")
    report: dict[str, Any] = {"articles": engine.doc_count(), "top": args.top, "queries": {}}
    for q in QUERIES:
        report["queries"][q] = compare(engine, q, args.top)
    report["postings_pass"] = postings_pass_estimate(engine, "korupsi")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    print(f"{report['articles']:,} articles, top {args.top} of each kind")
    print(f"{'query':<24}{'matches':>8}{'shipped ms':>12}{'full ms':>9}  overlap word/phrase/name")
    for q, r in report["queries"].items():
        ov = " / ".join("—" if v is None else f"{v:.2f}" for v in r["overlap"].values())
        print(
            f"{q:<24}{r['matches']:>8,}{r['shipped_ms']:>12,.0f}{r['exhaustive_ms']:>9,.0f}  {ov}"
        )
    p = report["postings_pass"]
    print(
        f"postings-only candidates: {p['vocabulary']:,} body words, about "
        f"{p['estimated_s']:.1f} s a query (timed on {p['timed']:,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
