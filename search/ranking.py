"""The ranking levers, in one place, so they can be measured and tuned (issue 7).

Scoring is Whoosh's BM25F summed over fields. A query word is looked up in four fields:
the stemmed `title` and `body` (so "mengirimkan" finds "pengiriman") and the unstemmed
`title_exact` and `body_exact` (so an article with the very word typed scores more than
one that only shares its stem). The weights below decide how much each counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import scoring

from index.analysis import ANALYZER


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
    # How rare an exact form counts as: "form" (its own document frequency, plain BM25) or
    # "stem" (its stem's, so the exact-form bonus is in proportion to the stem match it
    # sits on, however rare the typed form is: see StemRarityBM25F).
    exact_idf: str = "form"
    # The exact-form rescoring (search.exactness): an article's score times
    # 1 + exact_gain x (share of the typed words it holds in the typed form). 0: off.
    exact_gain: float = 0.0

    def weighting(self) -> scoring.WeightingModel:
        if self.exact_idf == "stem":
            return StemRarityBM25F(B=self.bm25_b, K1=self.bm25_k1)
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


# The stemmed field beside each exact-form field.
_STEMMED = {"title_exact": "title", "body_exact": "body"}


class StemRarityBM25F(scoring.BM25F):
    """BM25F whose exact-form fields weigh a word by the rarity of its stem.

    Under plain BM25 the exact-form bonus of a typed word is as large as that form is
    rare. A reader who types a rarer form than the article uses (*pertumbuhan* where it
    writes *tumbuh*) then hands a large bonus to every other article that happens to use
    that form, and the article sought, which shares only the stem, falls behind. Weighed
    by the stem's rarity, the bonus for the very form is the same share of the stem's
    score for every form of the word.
    """

    def idf(self, searcher: object, fieldname: str, text: str | bytes) -> float:
        stemmed = _STEMMED.get(fieldname)
        if stemmed is not None:
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            stems = [t.text for t in ANALYZER(word)]
            parent = searcher.get_parent()  # type: ignore[attr-defined]
            if len(stems) == 1 and parent.doc_frequency(stemmed, stems[0]):
                return super().idf(searcher, stemmed, stems[0])
        return super().idf(searcher, fieldname, text)


def _in(name: str, field: str | None) -> bool:
    return field is None or field == name


DEFAULT_RANKING = Ranking()
