"""The ranking levers, in one place, so they can be measured and tuned (issue 7).

Scoring is Whoosh's BM25F summed over fields. A query word is looked up in four fields:
the stemmed `title` and `body` (so "mengirimkan" finds "pengiriman") and the unstemmed
`title_exact` and `body_exact` (so an article with the very word typed scores more than
one that only shares its stem). The weights below decide how much each counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import scoring


@dataclass(frozen=True)
class Ranking:
    """How query words are weighted. The defaults are what Warta ships."""

    title_boost: float = 2.0
    # Weight of a match on the stem. 0 leaves the stemmed fields out altogether: plain
    # exact-word search, the "no stemming" side of bench/relevance.py.
    stem_boost: float = 1.0
    # Weight of a match on the exact (unstemmed) form, added to the stemmed match.
    exact_boost: float = 1.0
    # Words typed together that also appear together (within `phrase_slop` positions)
    # score this much more than the same words scattered.
    phrase_boost: float = 2.0
    phrase_slop: int = 1
    # Articles that hold every typed word exactly as typed score this much of those words'
    # exact-field scores again: a stem match must not outrank the very words (issue 7).
    exact_all_boost: float = 3.0
    # Capitalised or all-caps query words (names, abbreviations) searched unstemmed only,
    # so "Bali" does not match "bal". Off: the stem overrides cover the known cases.
    proper_nouns_exact: bool = False
    # A news story names its subject in its headline and opening lines (the lead): typed
    # words found in the title or among the body's first `lead_words` words score their
    # stem match this much again. Measured in bench/relevance.py: what lifts Warta above
    # stemming alone on the morphological-variant queries.
    lead_boost: float = 3.0
    lead_words: int = 100
    # Abbreviations expanded both ways (Korut ⇄ Korea Utara). Off only to measure what
    # the table is worth.
    expand_abbreviations: bool = True
    bm25_b: float = 0.75
    bm25_k1: float = 1.2

    def weighting(self) -> scoring.WeightingModel:
        return scoring.BM25F(B=self.bm25_b, K1=self.bm25_k1)

    def stemmed_fields(self, field: str | None) -> list[tuple[str, float]]:
        """The stemmed fields a word in `field` (None: everywhere) is looked up in."""
        if self.stem_boost <= 0:
            return []
        fields = (("title", self.title_boost * self.stem_boost), ("body", self.stem_boost))
        return [(f, w) for f, w in fields if _in(f, field)]

    def exact_fields(self, field: str | None) -> list[tuple[str, float]]:
        if self.exact_boost <= 0:
            return []
        fields = (
            ("title_exact", self.title_boost * self.exact_boost),
            ("body_exact", self.exact_boost),
        )
        return [(f, w) for f, w in fields if _in(f.removesuffix("_exact"), field)]


def _in(name: str, field: str | None) -> bool:
    return field is None or field == name


DEFAULT_RANKING = Ranking()
