"""The ranking levers, in one place, so they can be measured and tuned (issues 7 and 16).

Scoring has two stages.

1. **Stems, by BM25F** (Whoosh's, summed over fields): each query word is looked up by
   its stem in `title` and `body` (so *mengirimkan* finds *pengiriman*), and by its exact
   form in `title_exact` and `body_exact`, a headline match counting `title_boost` times.
2. **Bounded factors** (`search.rerank`), each multiplying the stage-1 score:
   - *the very words* (`search.exactness`): `1 + exact_gain × share` of the typed words
     the article holds in exactly the typed form;
   - *the lead* (`search.lead`): `1 + lead_gain × share` of the typed words in the
     headline or among the body's first `lead_words` words (news puts its subject there);
   - *nearness* (`search.nearness`): `1 + near_gain` where the typed words stand in
     order within `near_slop` positions (a sentence or two).
   So among articles of similar stem scores the one with the very words, in its lead,
   standing together, comes first, and a stem match better by more than the product of
   the factors is never outranked. Because every factor is bounded, the top k is exact
   from a window of the first stage, and the fast path ranks the first stage on plain
   BM25F sums, verifying only where bounds differ: the lead and proximity used to be
   first-stage clauses, which loosened those bounds and cost a third of the warm query
   time at 100,000 articles.

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
    # Words typed together that also stand together, within `phrase_slop` positions,
    # scored again in the first stage. Off: the nearness factor (`near_gain`) does it,
    # bounded, so the fast path prunes (4 with slop 50, the clause it replaced: −0.008 /
    # −0.004 against the factors, and warm p95 at 100,000 articles 35 ms against 28).
    phrase_boost: float = 0.0
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
    # stem match this much again, in the first stage. Off: the lead factor (`lead_gain`)
    # does it, bounded (5, the clause it replaced, with phrase_boost 4: see phrase_boost).
    lead_boost: float = 0.0
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
    # words stand in order within `near_slop` positions, in the headline or the body
    # (0.5: −0.002 / +0.001; 1: +0.000 / −0.006; slop 20: −0.007 / −0.008; slop 100:
    # −0.004 / +0.002, each measured with the lead still a clause).
    near_gain: float = 0.75
    near_slop: int = 50
    # The lead stage (search.lead): a score times 1 + lead_gain × share of the typed words
    # in the headline or among the body's first `lead_words` words (0.5: −0.001 / −0.001;
    # 2: −0.000 / −0.002; a title_boost of 2 beside it: −0.009 / +0.001).
    lead_gain: float = 1.0

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
