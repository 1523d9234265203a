"""What is distinctive about a set of matches: words, two-word phrases and names that are
over-represented in it against the whole archive.

The statistic is Dunning's log-likelihood (G²) on document counts: how many matching
articles hold the term against how many of the others do. It rewards terms that are both
frequent in the matches and rare elsewhere, and, unlike a ratio, does not crown a word
seen twice. Only over-represented terms are kept; the query's own words are left out
(every match holds them, so they say nothing).

Where the counts come from:
- Candidates are read from a sample of the matches (`SAMPLE` stored articles, spread over
  the whole set): the index keeps no per-article term lists, and decoding the posting
  list of every word of the vocabulary to intersect it with the matches costs seconds.
  A term too rare to show in the sample is too rare in the matches to be distinctive.
- The counts shown (`matches`, `archive`) are then exact, from the index: a word's
  posting list (its stem, in the body), a phrase's or a name's phrase matches on the
  unstemmed body. So the sample decides what is looked at, never what is reported.

Words are counted by stem and shown as the form most used in the matches ("pemerintah",
not the stem "perintah"). Indonesian stopwords are Sastrawi's list; a word in more than
`COMMON_SHARE` of the archive's articles is treated as one too (the archive's own
stopwords: a site's recurring words, English in an English outlet). Names are runs of
capitalised words and abbreviations (KPK, DPR); a lone capitalised word is a name only if
the sample writes it capitalised inside a sentence and never in lower case (`names_of`),
and a name is listed only where it is at least twice as common in the matches as in the
rest of the archive, by how many matches mention it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from whoosh import query as wq

from index.analysis import exact_terms, stem_terms

Kind = Literal["word", "phrase", "name"]
KINDS: tuple[Kind, ...] = ("word", "phrase", "name")

SAMPLE = 400  # stored articles read to find candidates
SHORTLIST = 2  # candidates counted exactly, per term asked for, per kind
COMMON_SHARE = 0.3  # a word in more of the archive's articles than this is a stopword
MIN_SAMPLE_DOCS = 2  # a candidate must appear in at least this many sampled articles,
# and in at least 1 % of them: rarer in the matches, it cannot be among their most telling

_TOKEN = re.compile(r"[^\W\d_]+(?:[-‐‑][^\W\d_]+)*|[.!?;:\"“”(),/–—-]")
_SENTENCE_END = frozenset('.!?;:"“”()')
_BREAK = frozenset(",/–—-")  # end a name or a phrase, not a sentence


@dataclass
class Term:
    """One distinctive term with its exact counts."""

    term: str
    kind: Kind
    score: float  # G², over-representation in the matches
    matches: int  # matching articles that hold it
    archive: int  # articles of the whole archive that hold it


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Sastrawi's Indonesian stopwords (the project's own stemmer ships them)."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


def g2(a: int, n: int, df: int, total: int) -> float:
    """Log-likelihood of `a` of `n` matching articles holding a term that `df` of `total`
    articles hold; negative when the term is under-represented in the matches."""
    b, rest = df - a, total - n
    if n <= 0 or rest <= 0 or a < 0 or b < 0:
        return 0.0
    score = 0.0
    for observed, row, col in (
        (a, n, df),
        (n - a, n, total - df),
        (b, rest, df),
        (rest - b, rest, total - df),
    ):
        expected = row * col / total
        if observed > 0 and expected > 0:
            score += observed * math.log(observed / expected)
    score *= 2
    return score if a / n > b / rest else -score


@dataclass
class Candidates:
    """What a sample of the matches holds, per kind, with sample document counts."""

    words: Counter  # lowercase form → sampled articles
    phrases: Counter  # "a b" → sampled articles
    names: Counter  # "Joko Widodo" → sampled articles
    lower_seen: set[str]
    mid_caps: set[str]  # capitalised words seen inside a sentence, not only at its start


def sample_candidates(texts: Iterable[str]) -> Candidates:
    """Words, two-word phrases and names of each text, counted once per text."""
    stops = stopwords()
    words: Counter = Counter()
    phrases: Counter = Counter()
    names: Counter = Counter()
    lower_seen: set[str] = set()
    mid_caps: set[str] = set()
    for text in texts:
        tokens = _TOKEN.findall(text)
        w, p, nm = set(), set(), set()
        prev: str | None = None
        run: list[tuple[str, bool]] = []  # (token, starts a sentence)
        at_start = True
        for tok in tokens:
            if tok in _BREAK:
                _flush(run, nm)
                prev = None
                continue
            if tok[0] in _SENTENCE_END:
                _flush(run, nm)
                prev, at_start = None, tok in ".!?"
                continue
            low = tok.lower()
            if tok[0].isupper():
                run.append((tok, at_start))
                if not at_start:
                    mid_caps.add(tok)
            else:
                _flush(run, nm)
                lower_seen.add(low)
            at_start = False
            if low in stops or len(low) < 3:
                prev = None
                continue
            w.add(low)
            if prev is not None:
                p.add(f"{prev} {low}")
            prev = low
        _flush(run, nm)
        words.update(w)
        phrases.update(p)
        names.update(nm)
    return Candidates(words, phrases, names, lower_seen, mid_caps)


def _flush(run: list[tuple[str, bool]], names: set[str]) -> None:
    """A run of capitalised tokens → a name candidate, the word that starts its sentence
    marked ("^"): it is capitalised for another reason, and `names_of` judges it."""
    if not run:
        return
    tokens = [tok for tok, _ in run]
    first_starts = run[0][1]
    run.clear()
    if first_starts and tokens[0].lower() in stopwords():
        tokens = tokens[1:]
    if tokens:
        names.add(("^" if first_starts else "") + " ".join(tokens))


def names_of(cands: Candidates) -> Counter:
    """Names out of the capitalised runs: a lone word only if the sample never writes it
    in lower case and writes it capitalised inside a sentence (or it is an abbreviation,
    KPK); a run of more than four words cut at
    the words the sample also writes in lower case (titles: "Bupati Kepulauan Meranti
    Muhammad Adil" gives "Kepulauan Meranti Muhammad Adil" only if "bupati" is seen)."""
    out: Counter = Counter()
    for raw, n in cands.names.items():
        starts = raw.startswith("^")
        tokens = raw.removeprefix("^").split(" ")
        if starts and len(tokens) > 1 and tokens[0].lower() in cands.lower_seen:
            tokens = tokens[1:]  # "Kasus Setya Novanto": the sentence's first word out
        for piece in _pieces(tokens, cands.lower_seen):
            if len(piece) == 1 and starts and piece[0] not in cands.mid_caps:
                continue  # only ever seen opening a sentence: no evidence of a name
            if _is_name(piece, cands.lower_seen):
                out[" ".join(piece)] += n
    return out


def _pieces(tokens: list[str], lower_seen: set[str]) -> list[list[str]]:
    if len(tokens) <= 4:
        return [tokens]
    pieces, current = [], []
    for tok in tokens:
        if tok.lower() in lower_seen and not tok.isupper():
            if current:
                pieces.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        pieces.append(current)
    return [p for p in pieces if len(p) <= 4]


def _is_name(tokens: list[str], lower_seen: set[str]) -> bool:
    if len(tokens) > 1:
        return True
    word = tokens[0]
    if word.isupper():
        return len(word) >= 2 and word.lower() not in stopwords()
    low = word.lower()
    return len(word) >= 3 and low not in lower_seen and low not in stopwords()


def _at_least_twice_as_common(a: int, n: int, df: int, total: int) -> bool:
    rest = total - n
    return rest > 0 and a * rest >= 2 * n * max(df - a, 0)


def rank(
    found: Sequence[tuple[str, Kind, int, int]], matched: int, total: int, top: int
) -> list[Term]:
    """(term, kind, matches, archive) → the `top` most over-represented of each kind;
    names ordered by how many matches mention them, words and phrases by score."""
    out: list[Term] = []
    by_kind: dict[Kind, list[Term]] = defaultdict(list)
    for term, kind, a, df in found:
        score = g2(a, matched, df, total)
        if kind == "name" and not _at_least_twice_as_common(a, matched, df, total):
            continue  # "most mentioned" among names that say something about the matches
        if score > 0:
            by_kind[kind].append(Term(term, kind, round(score, 2), a, df))
    for kind in KINDS:
        terms = by_kind.get(kind, [])
        if kind == "name":
            terms.sort(key=lambda t: (-t.matches, -t.score, t.term))
        else:
            terms.sort(key=lambda t: (-t.score, t.term))
        out.extend(terms[:top])
    return out


def distinctive(
    searcher: Any,
    matched: frozenset[int] | set[int],
    live: frozenset[int],
    query: str,
    top: int = 20,
    docs_for: Callable[[wq.Query], Collection[int]] | None = None,
) -> list[Term]:
    """The `top` most distinctive words, phrases and names of the matched documents.

    `docs_for` gives a query's matching documents (the engine's fast path); Whoosh's
    own matcher when it is None.
    """
    n, total = len(matched), len(live)
    if not n or n >= total:
        return []  # nothing to compare with: every article matches, or none does
    reader = searcher.reader()
    ordered = sorted(matched)
    step = max(1, len(ordered) // SAMPLE)
    sample = ordered[::step][:SAMPLE]
    texts = []
    for docnum in sample:
        stored = searcher.stored_fields(docnum)
        texts.append(f"{stored.get('title') or ''}.\n{stored.get('body') or ''}")
    cands = sample_candidates(texts)
    scale = n / len(sample)
    least = max(MIN_SAMPLE_DOCS, len(sample) // 100)
    own = set(stem_terms(query)) | set(exact_terms(query))
    limit = max(top, 1) * SHORTLIST

    def estimate(sample_docs: int, df: int) -> float:
        return g2(min(round(sample_docs * scale), df), n, df, total)

    # Words, by stem: the archive's count is the stem's document frequency (cheap).
    forms: dict[str, Counter] = defaultdict(Counter)
    for word, k in cands.words.items():
        forms[stem_terms(word)[0] if word else word][word] += k
    by_stem = {stem: sum(c.values()) for stem, c in forms.items()}
    word_est = []
    for stem, k in by_stem.items():
        if k < least or stem in own:
            continue
        df = reader.doc_frequency("body", stem)
        if df > COMMON_SHARE * total:
            continue
        word_est.append((estimate(k, df), stem))
    word_est.sort(reverse=True)

    dfs: dict[str, int] = {}

    def exact_df(word: str) -> int:
        df = dfs.get(word)
        if df is None:
            df = dfs[word] = reader.doc_frequency("body_exact", word)
        return df

    def phrase_est(counts: Counter, drop_common: bool, by_count: bool) -> list[tuple[float, str]]:
        """Candidates in the order they deserve an exact count: by estimated score, or
        (names, listed by how many matches mention them) by the sample's count."""
        out = []
        for term, k in counts.items():
            if k < least or term.lower() in own:
                continue
            parts = exact_terms(term)
            if not parts:
                continue
            dfs_of = [exact_df(p) for p in parts]
            if drop_common and max(dfs_of) > COMMON_SHARE * total:
                continue  # a phrase of an archive stopword: a dateline, a site's name
            df = min(dfs_of)  # a bound: the phrase is in no more articles than its rarest word
            score = estimate(k, df)
            if score > 0:
                out.append((float(k) if by_count else score, term))
        out.sort(reverse=True)
        return out

    def holders(field: str, parts: list[str]) -> frozenset[int]:
        q = wq.Term(field, parts[0]) if len(parts) == 1 else wq.Phrase(field, parts)
        found = docs_for(q) if docs_for is not None else searcher.docs_for_query(q)
        return found if isinstance(found, frozenset) else frozenset(found)

    found: list[tuple[str, Kind, int, int]] = []
    for _, stem in word_est[:limit]:
        docs = holders("body", [stem]) & live
        form = forms[stem].most_common(1)[0][0]
        found.append((form, "word", len(docs & matched), len(docs)))
    for _, phrase in phrase_est(cands.phrases, True, False)[:limit]:
        docs = holders("body_exact", phrase.split()) & live
        found.append((phrase, "phrase", len(docs & matched), len(docs)))
    for _, name in phrase_est(names_of(cands), True, True)[:limit]:
        docs = holders("body_exact", exact_terms(name)) & live
        found.append((name, "name", len(docs & matched), len(docs)))
    return rank(found, n, total, top)
