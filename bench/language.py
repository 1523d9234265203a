"""Which language identifier Warta should use (issue 19): py3langid against lingua, on
real Indonesian news and the English pages among the development pages.

Texts: every IndoSum article (Indonesian, title and body), the development HTML pages as
Warta extracts them (`index.html.parse_html_page`; the two English outlets, The Jakarta
Post and Jakarta Globe, are English, the rest Indonesian), and the development record
exports' rows with a body (Indonesian). For each identifier: accuracy, how many
Indonesian texts it calls Malay (the confusion that matters: the two are close kin), the
English pages found, and the time per text (after one warm-up call; a detector's model is
loaded once per build).

    pip install py3langid lingua-language-detector   # not in the bench extra: 100 MB
    python bench/language.py [--limit N] [--chars 500,1000,5000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.corpus import load_indosum  # noqa: E402

DEVPAGES = ROOT.parent / "shared" / "corpora" / "devpages"
ENGLISH_OUTLETS = ("thejakartapost", "thejakartaglobe")


def texts(limit: int | None) -> list[tuple[str, str, str]]:
    """(set, expected ISO 639-1 code, text) of every text measured."""
    from index.html import decode_html, parse_html_page

    out: list[tuple[str, str, str]] = []
    for rec in load_indosum()[:limit]:
        out.append(("indosum", "id", rec.title + "\n" + "\n".join(rec.paragraphs)))
    for page in sorted((DEVPAGES / "html").glob("*.html")):
        article, _ = parse_html_page(decode_html(page.read_bytes()), page.name, None)
        lang = "en" if page.name.startswith(ENGLISH_OUTLETS) else "id"
        out.append(("devpages html", lang, article.title + "\n" + "\n".join(article.body)))
    return out


def py3langid_detector() -> Callable[[str], str]:
    import py3langid

    return lambda text: py3langid.classify(text)[0]


def lingua_detector() -> Callable[[str], str]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found is not None else "unknown"

    return detect


def warta_detector() -> Callable[[str], str]:
    """What the build ships: index.language.identify (py3langid with Warta's rules: a
    first look at 600 characters, 3,000 when unsure, Malay only when sure)."""
    from index.language import identify

    def detect(text: str) -> str:
        title, _, body = text.partition("\n")
        return identify(title, body.split("\n"))

    return detect


DETECTORS: dict[str, Callable[[], Callable[[str], str]]] = {
    "warta": warta_detector,
    "py3langid": py3langid_detector,
    "lingua": lingua_detector,
}


def measure(name: str, corpus: Sequence[tuple[str, str, str]], chars: int) -> dict[str, Any]:
    t = time.perf_counter()
    detect = DETECTORS[name]()
    load_s = time.perf_counter() - t
    detect(corpus[0][2])
    t = time.perf_counter()
    got = [detect(text[:chars]) for _, _, text in corpus]
    per_text_ms = (time.perf_counter() - t) * 1000 / len(corpus)
    by_set: dict[str, dict[str, Any]] = {}
    for (which, want, _), lang in zip(corpus, got, strict=True):
        s = by_set.setdefault(which, {"n": 0, "right": 0, "as": Counter()})
        s["n"] += 1
        s["right"] += lang == want
        if lang != want:
            s["as"][f"{want}->{lang}"] += 1
    english = [lang for (_, want, _), lang in zip(corpus, got, strict=True) if want == "en"]
    return {
        "load_s": load_s,
        "per_text_ms": per_text_ms,
        "accuracy": sum(s["right"] for s in by_set.values()) / len(corpus),
        "by_set": {k: {**v, "as": dict(v["as"])} for k, v in by_set.items()},
        "id_as_ms": sum(
            1 for (_, w, _), g in zip(corpus, got, strict=True) if w == "id" and g == "ms"
        ),
        "english_found": f"{sum(1 for g in english if g == 'en')}/{len(english)}",
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="IndoSum articles (default: all)")
    ap.add_argument(
        "--chars",
        default="500,1000,5000",
        help="how much of each text is identified (characters; several sizes)",
    )
    ap.add_argument(
        "--detectors",
        default=",".join(DETECTORS),
        help="which to measure (warta: the shipped rule, which reads as much as it needs)",
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "language.json"))
    args = ap.parse_args(argv)
    corpus = texts(args.limit)
    report = {}
    for name in args.detectors.split(","):
        if name == "warta":  # its own sample sizes: the whole text is given
            report[name] = measure(name, corpus, 10**9)
            continue
        for chars in (int(c) for c in args.chars.split(",")):
            report[f"{name} {chars}"] = measure(name, corpus, chars)
    for name, r in report.items():
        print(
            f"{name:<16} accuracy {r['accuracy']:.4f} over {len(corpus):,} texts;"
            f" Indonesian called Malay {r['id_as_ms']}; English found {r['english_found']};"
            f" {r['per_text_ms']:.2f} ms a text; model load {r['load_s']:.1f} s"
        )
        for which, s in r["by_set"].items():
            print(f"    {which:<14} {s['right']:,}/{s['n']:,}  misses {s['as']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
