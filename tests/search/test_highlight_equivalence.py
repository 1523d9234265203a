"""`find_matches` gives exactly the spans of a plain run of the analyzer over the text.

The reference below is the straightforward implementation (analyze every word, compare
stems); the shipped one skips texts at C speed and tokenizes more cheaply, so both are run
over every line of the seeds and over tricky made-up texts, for many sets of terms.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.analysis import ANALYZER
from search.compiler import compile_query
from search.highlight import HighlightTerms, Match, _without_overlaps, find_matches, needles

pytestmark = pytest.mark.slow  # a differential suite: run in CI with -m slow

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def reference(text: str, terms: HighlightTerms) -> list[Match]:
    if not terms or not text:
        return []
    lowered = text.lower()
    if not any(n in lowered for n in needles(terms)):
        return []
    tokens = [(t.text, t.startchar, t.endchar) for t in ANALYZER(text, chars=True)]
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in terms.phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    found: list[Match] = []
    for i, (stem, start, end) in enumerate(tokens):
        for phrase in by_first.get(stem, ()):
            n = len(phrase)
            if tuple(t[0] for t in tokens[i : i + n]) == phrase:
                found.append(Match(start, tokens[i + n - 1][2], " ".join(phrase)))
        if stem in terms.stems:
            found.append(Match(start, end, stem))
        elif terms.prefixes:
            word = text[start:end].lower()
            for p in terms.prefixes:
                if word.startswith(p):
                    found.append(Match(start, end, p + "*"))
                    break
    return _without_overlaps(found)


def lines() -> list[str]:
    out = []
    for path in sorted(SEEDS.rglob("*.txt")):
        out.extend(path.read_text(encoding="utf-8", errors="replace").splitlines())
    out += [
        "Rusia-Korea dan negara-negara Korea‐Utara bermain-main; non-proliferasi.",
        "İstanbul İSTANBUL ǅemal ßtraße: Korea-Utara, korea_utara, KOREA UTARA.",
        "mengkhawatirkan-kekhawatiran khawatir‑khawatir ke-2 9/11/2023 rudal-rudal",
        "",
        "   ",
    ]
    return [line for line in out if line is not None]


def test_find_matches_equals_plain_analysis() -> None:
    texts = lines()
    rng = random.Random(5)
    words = [w for t in texts for w in t.split() if w.isalpha()]
    queries = [
        "khawatir",
        "Korea Utara",
        "Korut rudal",
        '"korea utara" nuklir',
        "pemerintah indonesia",
        "yang",
        "rud*",
        "menteri keuangan sri mulyani",
        "negara",
        "main",
    ]
    queries += [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(40)]
    queries += [f'"{" ".join(rng.sample(words, 2))}"' for _ in range(10)]
    checked = 0
    for query in queries:
        terms = compile_query(query).highlight
        for text in texts:
            assert find_matches(text, terms) == reference(text, terms), (query, text)
            checked += 1
    assert checked > 10_000
