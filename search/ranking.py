"""The ranking levers, in one place, so they can be measured and tuned (issues 7 and 16).

Scoring has two stages.

1. **Stems, by BM25F** (Whoosh's, summed over fields): each query word is looked up by
   its stem in `title` and `body` (so *mengirimkan* finds *pengiriman*), with more weight
   where the story puts its subject (the headline and the body's first words, the lead)
   and where the typed words stand near one another (within a sentence or two).
2. **The very words, as a share** (`search.exactness`): the stage-1 score is multiplied by
   `1 + exact_gain × share`, where `share` is the fraction of the typed words the article
   holds in exactly the typed form. So among articles of similar stem scores the one
   with the very words comes first, and a stem match better by more than that factor
   (at most 1 + exact_gain) is never outranked by an article that merely uses the typed
   forms.

Why the exact forms moved out of BM25 (issue 16, measured with `bench/relevance.py` on
queries written from IndoSum's human summaries): added to the sum as more fields, an
exact form's bonus grew with that form's rarity, and the all-words-exact clause tripled
it. A reader who typed another form than the article's (*pertumbuhan* for *tumbuh*) then
lifted every article using that form above the one sought: Warta ranked 0.02 below
stemming alone on such queries. Weighing the exact fields by the stem's rarity instead
of the form's did not help (−0.002 on the fit's objective); the multiplicative share
did, more than any other lever.

The weights were fitted by coordinate ascent (`bench/relevance.py --fit`) on the
tuning half of the articles, maximising the smaller margin over the issue's two targets;
each lever's worth on that half is given beside it as the change of MRR@10 on verbatim /
natural queries when that lever alone is moved from the shipped value.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import scoring


@dataclass(frozen=True)
class Ranking:
    """How query words are weighted. The defaults are what Warta ships."""

    # A title match counts this much more than a body match. Was 2 (back at 2: −0.002 /
    # −0.001); the lead boost already counts the title.
    title_boost: float = 1.0
    # Weight of a match on the stem. 0 leaves the stemmed fields out altogether: plain
    # exact-word search, the "no stemming" side of bench/relevance.py.
    stem_boost: float = 1.0
    # Weight of a match on the exact (unstemmed) form, added in BM25 beside the stem's:
    # a small, form-rarity-weighted nudge on top of `exact_gain` (0: −0.003 / −0.002;
    # 2: +0.001 / −0.007).
    exact_boost: float = 1.0
    # Words typed together that also stand together, within `phrase_slop` positions (a
    # sentence or two), score this much more. The old 2 within one position almost never
    # fired for words a reader picks (back at it: −0.023 / −0.007).
    phrase_boost: float = 4.0
    phrase_slop: int = 50
    # Articles holding every typed word exactly as typed score this much of those words'
    # exact-field scores again. Was 3 (back at 3: +0.008 / −0.013; at 1: +0.003 / −0.010):
    # the unbounded all-or-nothing bonus that sank natural variants.
    exact_all_boost: float = 0.0
    # Capitalised or all-caps query words (names, abbreviations) searched unstemmed only,
    # so "Bali" does not match "bal". Off: the stem overrides cover the known cases.
    proper_nouns_exact: bool = False
    # A news story names its subject in its headline and opening lines (the lead): typed
    # words found in the title or among the body's first `lead_words` words score their
    # stem match this much again. Was 3 (back at 3: −0.000 / −0.009; off: −0.006 / −0.010).
    lead_boost: float = 5.0
    lead_words: int = 100
    # Abbreviations expanded both ways (Korut ⇄ Korea Utara). Off only to measure what
    # the table is worth.
    expand_abbreviations: bool = True
    # BM25's length normalisation: 0.9, was 0.75 (back at 0.75: −0.001 / −0.001).
    bm25_b: float = 0.9
    bm25_k1: float = 1.2
    # The exact-form stage (search.exactness): a score times 1 + exact_gain × share of the
    # typed words held in the typed form (0, off: −0.030 / −0.014; 2: −0.003 / −0.002).
    exact_gain: float = 3.0
    # The nearness stage (search.nearness): a score times 1 + near_gain where the typed
    # words stand in order within `near_slop` positions, in the headline or the body.
    near_gain: float = 0.0
    near_slop: int = 50
    # The lead stage (search.lead): a score times 1 + lead_gain × share of the typed words
    # in the headline or among the body's first `lead_words` words.
    lead_gain: float = 0.0

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
