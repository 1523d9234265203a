"""How well `index/stories.py` groups reposts and keeps different articles apart (issue 18),
and what it costs.

Positives are real articles (IndoSum; the development pages) against a copy carrying the
edits reposting really makes: a rewritten headline, a paragraph dropped, a paragraph added
from another article, another outlet's dateline with "Baca juga" and footer lines, sentences
moved within a paragraph, a quote trimmed, and two of these at once. Negatives are the hard
ones: each article against the article of the same outlet and category, among the ten
nearest in time, that shares most of its vocabulary. Articles are split in two halves by a
hash of their id: `--fit` compares shingle sizes, permutations and the headline on the fit
half; the report (precision, recall, the curve around the threshold) is on the other half.

Then the real-archive checks: every IndoSum article assigned through one `StoryIndex` in
publication order (the merges are listed to be judged), the seed pages and the development
pages together (no merge expected), short texts that share only boilerplate, and the cost:
ms per article for sketch and assignment, bytes per article saved, memory per article held.

    python bench/stories.py [--limit N] [--fit] [--out bench/out/stories.json]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import os
import re
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from random import Random
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: `python bench/stories.py`
    sys.path.insert(0, str(ROOT))

from bench.corpus import DEFAULT_INDOSUM, load_indosum  # noqa: E402
from index import stories  # noqa: E402
from index.analysis import lower_words  # noqa: E402
from index.errors import SkipFile  # noqa: E402
from index.html import decode_html, parse_html_page  # noqa: E402
from index.page import parse_text_page  # noqa: E402

OUT = ROOT / "bench" / "out"
DEVPAGES = Path(DEFAULT_INDOSUM).parent / "devpages"
SEEDS = ROOT / "seeds"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
KINDS = ("headline", "drop_paragraph", "add_paragraph", "boilerplate", "reorder", "quote_trim")
COMBOS = tuple(itertools.combinations(KINDS, 2))
#: The hard negative is the most similar in vocabulary among this many nearest in time.
NEAREST = 10
#: The real-archive checks also list the closest pairs above this that stayed apart.
NEAR_MISS = 0.2


@dataclass(frozen=True)
class Doc:
    """An article as the benchmark needs it (IndoSum record, development page or seed)."""

    id: str
    source: str
    outlet: str
    category: str
    published: datetime | None
    title: str
    body: tuple[str, ...]

    @property
    def words(self) -> int:
        return sum(len(lower_words(p)) for p in self.body)


def half_of(doc_id: str) -> str:
    """ "fit" or "report", by a stable hash of the id (the same split in every run)."""
    return "fit" if hashlib.blake2b(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "report"


# ------------------------------------------------------------------------------ the texts


def indosum_docs(folder: str | None = None, limit: int | None = None) -> list[Doc]:
    records = load_indosum(folder)
    docs = [
        Doc(r.id, "indosum", r.outlet, r.category, r.published, r.title, tuple(r.paragraphs))
        for r in records
    ]
    if limit is not None and limit < len(docs):
        docs = Random(0).sample(docs, limit)
        docs.sort(key=lambda d: d.id)
    return docs


def devpage_docs(folder: Path = DEVPAGES) -> list[Doc]:
    """The development pages' articles, as Warta's HTML reader extracts them."""
    docs = []
    for path in sorted((folder / "html").glob("*.html")):
        try:
            art, _ = parse_html_page(decode_html(path.read_bytes()), f"devpages/{path.name}")
        except SkipFile:
            continue
        outlet = art.outlet or path.name.split("_")[0]
        docs.append(Doc(art.id, "devpages", outlet, "", art.published, art.title, tuple(art.body)))
    return docs


def seed_docs(folder: Path = SEEDS) -> list[Doc]:
    docs = []
    for path in sorted(folder.glob("*.txt")):
        art = parse_text_page(path.read_text(encoding="utf-8"), f"seeds/{path.name}", None)
        docs.append(
            Doc(art.id, "seeds", art.outlet or "", "", art.published, art.title, tuple(art.body))
        )
    return docs


# ------------------------------------------------------------------------------ the edits

# The outlets a repost comes from: its dateline, its footer. (Names and shapes, no text.)
_DATELINES = (
    "JAKARTA, KOMPAS.com - ",
    "Jakarta, CNN Indonesia -- ",
    "Jakarta (ANTARA) - ",
    "Liputan6.com, Jakarta - ",
    "TEMPO.CO, Jakarta - ",
    "JAKARTA, iNews.id - ",
    "Bandung, Beritasatu.com - ",
    "SURABAYA, Okezone.com - ",
)
_FOOTERS = (
    ("(ant/kps)", "Copyright © 2017 KOMPAS.com"),
    ("Editor: Rina Wahyuni", "Simak berita dan artikel lainnya di Google News"),
    ("Sumber: ANTARA", "Ikuti kami di WhatsApp Channel untuk berita terkini"),
    ("(tempo/ian)", "Dapatkan update berita pilihan setiap hari, langsung di ponsel Anda."),
)
_HEADLINE_WRAPS = (
    ("VIDEO: ", ""),
    ("", " - Ini Faktanya"),
    ("Terungkap, ", ""),
    ("", ", Begini Kata Mereka"),
    ("BREAKING: ", ""),
)
_DATELINE = re.compile(r"^[^\"“”\n]{2,45}?\s(?:--|–|—|-)\s+")
_SIGNATURE = re.compile(r"\s*[\(\[][A-Za-z0-9/ .]{1,14}[\)\]]\s*$")
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“]?[A-Z0-9])")
_QUOTE = re.compile(r"[\"“]([^\"“”]{40,})[\"”]")


def _strip_dateline(paragraph: str) -> str:
    m = _DATELINE.match(paragraph)
    if m and len(m.group().split()) <= 6:
        return paragraph[m.end() :]
    return paragraph


def edit_headline(doc: Doc, rng: Random, pool: Sequence[Doc]) -> Doc:
    words = doc.title.split()
    keep = sorted(rng.sample(range(len(words)), max(1, round(len(words) * 0.6))))
    pre, post = rng.choice(_HEADLINE_WRAPS)
    return replace(doc, title=pre + " ".join(words[i] for i in keep) + post)


def edit_drop_paragraph(doc: Doc, rng: Random, pool: Sequence[Doc]) -> Doc:
    body = list(doc.body)
    if len(body) >= 3:
        del body[rng.randrange(1, len(body))]
    elif len(body) == 2:
        del body[1]
    return replace(doc, body=tuple(body))


def edit_add_paragraph(doc: Doc, rng: Random, pool: Sequence[Doc]) -> Doc:
    """A paragraph of another article of the same category (a related-topic addition)."""
    same = [d for d in pool if d.category == doc.category and d.id != doc.id] or [
        d for d in pool if d.id != doc.id
    ]
    other = rng.choice(same)
    long = [p for p in other.body if len(p.split()) >= 20] or list(other.body)
    body = list(doc.body)
    body.insert(rng.randint(1, len(body)), rng.choice(long))
    return replace(doc, body=tuple(body))


def edit_boilerplate(doc: Doc, rng: Random, pool: Sequence[Doc]) -> Doc:
    """Another outlet's dateline, a "Baca juga" teaser line, its footer lines; the
    original's closing signature ("(har)", "[che]") dropped."""
    body = list(doc.body)
    body[0] = rng.choice(_DATELINES) + _strip_dateline(body[0])
    teaser = rng.choice([d for d in pool if d.id != doc.id]).title
    body.insert(min(2, len(body)), f"Baca juga: {teaser}")
    last = _SIGNATURE.sub("", body[-1])
    if last:
        body[-1] = last
    else:
        body.pop()
    body.extend(rng.choice(_FOOTERS))
    return replace(doc, body=tuple(body))


def edit_reorder(doc: Doc, rng: Random, pool: Sequence[Doc]) -> Doc:
    """The sentences of up to two paragraphs put in another order."""
    body = list(doc.body)
    multi = [i for i, p in enumerate(body) if len(_SENTENCE.split(p)) >= 2]
    for i in rng.sample(multi, min(2, len(multi))):
        sentences = _SENTENCE.split(body[i])
        order = list(range(len(sentences)))
        while order == sorted(order):
            rng.shuffle(order)
        body[i] = " ".join(sentences[j] for j in order)
    return replace(doc, body=tuple(body))


def edit_quote_trim(doc: Doc, rng: Random, pool: Sequence[Doc]) -> Doc:
    """The longest quotation cut to its first half; without one, the longest sentence."""
    body = list(doc.body)
    quotes = [(len(m.group(1)), i, m) for i, p in enumerate(body) for m in _QUOTE.finditer(p)]
    if quotes:
        _, i, m = max(quotes, key=lambda q: q[:2])
        words = m.group(1).split()
        cut = " ".join(words[: max(3, len(words) // 2)])
        body[i] = body[i][: m.start(1)] + cut + "..." + body[i][m.end(1) :]
        return replace(doc, body=tuple(body))
    sentences = [(len(s.split()), i, s) for i, p in enumerate(body) for s in _SENTENCE.split(p)]
    _, i, s = max(sentences, key=lambda x: x[:2])
    words = s.split()
    body[i] = body[i].replace(s, " ".join(words[: max(3, len(words) // 2)]) + ".", 1)
    return replace(doc, body=tuple(body))


EDITS: dict[str, Callable[[Doc, Random, Sequence[Doc]], Doc]] = {
    "headline": edit_headline,
    "drop_paragraph": edit_drop_paragraph,
    "add_paragraph": edit_add_paragraph,
    "boilerplate": edit_boilerplate,
    "reorder": edit_reorder,
    "quote_trim": edit_quote_trim,
}


def edited(doc: Doc, kind: str, pool: Sequence[Doc], index: int, seed: int = 0) -> Doc:
    """`doc` with the edit `kind` ("two_edits": the index-th pair of kinds, in turn)."""
    rng = Random(f"{seed}:{doc.id}:{kind}")
    if kind == "two_edits":
        for k in COMBOS[index % len(COMBOS)]:
            doc = EDITS[k](doc, rng, pool)
        return doc
    return EDITS[kind](doc, rng, pool)


def hard_negatives(docs: Sequence[Doc]) -> list[tuple[Doc, Doc]]:
    """Each article and its hardest different article: same outlet and category, among the
    `NEAREST` nearest in time, the most shared vocabulary (word-set Jaccard)."""
    groups: dict[tuple[str, str], list[Doc]] = defaultdict(list)
    for d in docs:
        groups[(d.outlet, d.category)].append(d)
    vocab = {d.id: set(body_words(d.body)) for d in docs}
    pairs: dict[tuple[str, str], tuple[Doc, Doc]] = {}
    for d in docs:
        others = [o for o in groups[(d.outlet, d.category)] if o.id != d.id and o.published]
        if not others or d.published is None:
            continue
        others.sort(key=lambda o: (abs((o.published - d.published).total_seconds()), o.id))
        near = others[:NEAREST]
        best = max(near, key=lambda o: (_jaccard(vocab[d.id], vocab[o.id]), o.id))
        key = (min(d.id, best.id), max(d.id, best.id))
        pairs.setdefault(key, (d, best))
    return [pairs[k] for k in sorted(pairs)]


_WORD = re.compile(r"[^\W_]+")


def body_words(body: Sequence[str]) -> list[str]:
    """The body's words as the sketches see them, near enough for choosing negatives and
    cutting texts (`index.stories.word_hashes` splits the same runs, in bytes)."""
    return _WORD.findall(" ".join(body).lower())


def _jaccard(a: set[Any], b: set[Any]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# --------------------------------------------------------------------------- measurement


@dataclass(frozen=True)
class Config:
    """How sketches are made: shingle size, permutations, whether the headline is in."""

    ngram: int = stories.NGRAM
    num_perm: int = stories.NUM_PERM
    title: bool = False

    @property
    def name(self) -> str:
        return f"n={self.ngram} perm={self.num_perm} title={'in' if self.title else 'out'}"


def make_sketch(doc: Doc, cfg: Config) -> stories.Sketch | None:
    if not cfg.title:
        return stories.sketch(doc.title, list(doc.body), ngram=cfg.ngram, num_perm=cfg.num_perm)
    text = " ".join((doc.title, *doc.body))
    return stories.sketch_text(text, ngram=cfg.ngram, num_perm=cfg.num_perm)


def merged(a: stories.Sketch | None, b: stories.Sketch | None, threshold: float) -> bool:
    """Whether `StoryIndex` puts b in a's story: they share an LSH band and their estimated
    Jaccard similarity reaches the threshold (checked against `StoryIndex` itself)."""
    if a is None or b is None:
        return False
    equal = a.values == b.values
    if equal.mean() < threshold:
        return False
    bands, rows = stories.lsh_params(threshold, len(a.values))
    return bool(equal[: bands * rows].reshape(bands, rows).all(axis=1).any())


def merged_by_index(a: stories.Sketch | None, b: stories.Sketch | None, threshold: float) -> bool:
    index = stories.StoryIndex(threshold, len(a.values) if a is not None else stories.NUM_PERM)
    return index.assign("a", a) == index.assign("b", b)


@dataclass
class PairSet:
    """Sketches of the positive pairs per edit kind and of the hard negative pairs."""

    positives: dict[str, list[tuple[Any, Any]]]
    negatives: list[tuple[Any, Any]]
    exact: dict[str, list[float]]  # true Jaccard of the shingle sets, per kind


def pair_set(docs: Sequence[Doc], pool: Sequence[Doc], cfg: Config, exact: bool = False) -> PairSet:
    sk = {d.id: make_sketch(d, cfg) for d in docs}
    positives: dict[str, list[tuple[Any, Any]]] = {}
    true: dict[str, list[float]] = {}
    for kind in (*KINDS, "two_edits"):
        pairs, jac = [], []
        for i, d in enumerate(docs):
            e = edited(d, kind, pool, i)
            pairs.append((sk[d.id], make_sketch(e, cfg)))
            if exact:
                jac.append(_jaccard(_shingles(d, cfg), _shingles(e, cfg)))
        positives[kind] = pairs
        true[kind] = jac
    negatives = [(sk[a.id], sk[b.id]) for a, b in hard_negatives(docs)]
    if exact:
        true["hard_negative"] = [
            _jaccard(_shingles(a, cfg), _shingles(b, cfg)) for a, b in hard_negatives(docs)
        ]
    return PairSet(positives, negatives, true)


def _shingles(doc: Doc, cfg: Config) -> set[int]:
    text = " ".join((doc.title, *doc.body) if cfg.title else doc.body)
    return set(stories.shingle_hashes(stories.word_hashes(text), cfg.ngram).tolist())


def score(ps: PairSet, threshold: float) -> dict[str, Any]:
    per_kind = {k: _rate(p, threshold) for k, p in ps.positives.items()}
    tp = sum(sum(merged(a, b, threshold) for a, b in p) for p in ps.positives.values())
    n_pos = sum(len(p) for p in ps.positives.values())
    fp = sum(merged(a, b, threshold) for a, b in ps.negatives)
    pos_j = sorted(_estimate(a, b) for p in ps.positives.values() for a, b in p)
    neg_j = sorted(_estimate(a, b) for a, b in ps.negatives)
    return {
        "threshold": threshold,
        "positive_j_p05": pos_j[len(pos_j) // 20] if pos_j else None,
        "negative_j_max": neg_j[-1] if neg_j else None,
        "positives": n_pos,
        "negatives": len(ps.negatives),
        "tp": tp,
        "fp": fp,
        "recall": tp / n_pos if n_pos else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "false_merge_rate": fp / len(ps.negatives) if ps.negatives else 0.0,
        "recall_per_kind": per_kind,
    }


def _estimate(a: stories.Sketch | None, b: stories.Sketch | None) -> float:
    return 0.0 if a is None or b is None else a.similarity(b)


def _rate(pairs: list[tuple[Any, Any]], threshold: float) -> float:
    return sum(merged(a, b, threshold) for a, b in pairs) / len(pairs) if pairs else 0.0


def joins_own_original(docs: Sequence[Doc], pool: Sequence[Doc], threshold: float) -> dict:
    """End to end: one `StoryIndex` holds every original; each edited copy must join the
    story of its own original (not another article's, not a story of its own)."""
    index = stories.StoryIndex(threshold)
    for d in docs:
        index.assign(d.id, make_sketch(d, Config()))
    out = {}
    for kind in (*KINDS, "two_edits"):
        right = wrong = 0
        for i, d in enumerate(docs):
            found = index.nearest(make_sketch(edited(d, kind, pool, i), Config()))
            if found is not None and index.story_of(found[0]) == index.story_of(d.id):
                right += 1
            elif found is not None:
                wrong += 1
        out[kind] = {"own": right / len(docs), "other": wrong}
    return out


# ------------------------------------------------------------------- real-archive checks


def archive_merges(docs: Sequence[Doc], threshold: float) -> dict[str, Any]:
    """Every article assigned through one StoryIndex in publication order; the stories of
    more than one article, with each member's similarity to the story's first."""
    order = sorted(docs, key=lambda d: (d.published is None, d.published or 0, d.id))
    index = stories.StoryIndex(threshold)
    probe = stories.StoryIndex(NEAR_MISS)  # finds the closest earlier article below that
    sk = {}
    near: list[tuple[float, str, str]] = []
    for d in order:
        sk[d.id] = make_sketch(d, Config())
        index.assign(d.id, sk[d.id])
        found = probe.nearest(sk[d.id])
        if found is not None and found[1] < threshold:
            near.append((found[1], found[0], d.id))
        probe.assign(d.id, sk[d.id])
    by_story: dict[str, list[str]] = defaultdict(list)
    for article_id, story in index.stories().items():
        by_story[story].append(article_id)
    docs_by_id = {d.id: d for d in docs}
    groups = []
    for story, members in by_story.items():
        if len(members) < 2:
            continue
        first = docs_by_id[members[0]]
        rows = []
        for m in members:
            d = docs_by_id[m]
            rows.append(
                {
                    "id": m,
                    "outlet": d.outlet,
                    "published": _iso(d.published),
                    "title": d.title,
                    "words": d.words,
                    "similarity": sk[m].similarity(sk[first.id]) if sk[m] else None,
                    "exact_jaccard": _jaccard(_shingles(d, Config()), _shingles(first, Config())),
                }
            )
        groups.append({"story": story, "members": rows})
    unsketched = sum(1 for v in sk.values() if v is None)
    near.sort(key=lambda x: (-x[0], x[1], x[2]))
    misses = [
        {
            "similarity": sim,
            "pair": [
                {
                    "id": i,
                    "outlet": docs_by_id[i].outlet,
                    "published": _iso(docs_by_id[i].published),
                    "title": docs_by_id[i].title,
                }
                for i in (a, b)
            ],
        }
        for sim, a, b in near[:8]
    ]
    return {"articles": len(docs), "unsketched": unsketched, "merges": groups, "near": misses}


# ------------------------------------------------------------------ one desk, another day


def export_articles(folder: Path = DEVPAGES) -> list[tuple[Any, str | None, str]]:
    """Every article the build's readers find under `folder` (pages and scraper exports),
    with its URL and path, each text once: the dated, outlet-named articles the desk rule
    weighs."""
    from index.readers import read_parsed
    from index.sources import Found, discover

    out = []
    seen: set[str] = set()
    for found in discover(folder):
        if not isinstance(found, Found):
            continue
        try:
            for article, url, _ in read_parsed(found):
                key = article.content_key()
                if key not in seen:  # one copy of an article saved twice, as the build
                    seen.add(key)
                    out.append((article, url, found.rel))
        except SkipFile:
            continue
    return out


def desk_series(found: Sequence[tuple[Any, str | None, str]], threshold: float) -> dict:
    """Every article through one StoryIndex in publication order, once blind to desks and
    times and once weighing them (`index.stories`, "One desk, another day"): the pairs
    one story holds of one desk a day or more apart (templated daily reports, follow-ups,
    and a desk's own republications), and of different desks (copies)."""
    from index.story_stage import desk_and_hour

    far = datetime.max.replace(tzinfo=None)
    order = sorted(
        found,
        key=lambda x: (x[0].published.replace(tzinfo=None) if x[0].published else far, x[0].id),
    )
    facts = {a.id: (*desk_and_hour(a, url, rel), a) for a, url, rel in order}
    sketches = {a.id: stories.sketch("", a.body) for a, _, _ in order}
    out: dict[str, Any] = {"articles": len(order)}
    for name, weigh in (("blind", False), ("weighed", True)):
        index = stories.StoryIndex(threshold)
        story = {}
        for a, _, _ in order:
            desk, hour, _ = facts[a.id]
            if weigh:
                story[a.id] = index.assign(a.id, sketches[a.id], desk=desk, hour=hour)
            else:
                story[a.id] = index.assign(a.id, sketches[a.id])
        groups: dict[str, list[str]] = defaultdict(list)
        for article_id, s in story.items():
            groups[s].append(article_id)
        same_desk = other_desk = 0
        series: list[tuple[str, str]] = []
        for members in groups.values():
            for x, y in itertools.combinations(members, 2):
                dx, hx, _ = facts[x]
                dy, hy, _ = facts[y]
                if dx != dy:
                    other_desk += 1
                elif hx is not None and hy is not None and abs(hx - hy) >= stories.SERIES_HOURS:
                    same_desk += 1
                    series.append((x, y))
        out[name] = {
            "stories": sum(1 for m in groups.values() if len(m) > 1),
            "grouped": sum(len(m) for m in groups.values() if len(m) > 1),
            "one_desk_a_day_apart": same_desk,
            "other_desks": other_desk,
            "one_desk_pairs": [
                [
                    facts[x][2].title[:60],
                    facts[y][2].title[:60],
                    facts[x][0],
                    round((facts[y][1] - facts[x][1]) / 24, 1),
                ]
                for x, y in series
            ],
        }
    return out


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def short_texts(docs: Sequence[Doc], threshold: float, totals: Sequence[int]) -> dict[str, Any]:
    """Different articles of one outlet cut so that, with a shared boilerplate block, they
    hold `total` words: how many pairs would merge if such texts were sketched at all, per
    block (a teaser and a footer line; the real 34-word DailySocial closing paragraph;
    both). And how many true copies would join: the same cut text under another outlet's
    dateline and footer lines, as a repost of a short flash would be."""
    closing: dict[str, int] = defaultdict(int)
    for d in docs:
        closing[d.body[-1]] += 1
    shared = [p for p, c in closing.items() if c >= 20 and len(p.split()) >= 10][:1]
    teaser = ["Baca juga: Simak Jadwal Lengkap Hari Ini", *_FOOTERS[1]]
    blocks = {"teaser+footer": teaser}
    if shared:
        blocks["site closing"] = shared
        blocks["both"] = teaser + shared
    ordered = sorted(docs, key=lambda d: (d.outlet, d.published or 0, d.id))
    pairs = [(a, b) for a, b in itertools.pairwise(ordered) if a.outlet == b.outlet]
    saved = stories.MIN_WORDS
    stories.MIN_WORDS = 0
    rows = []
    try:
        for total in totals:
            row: dict[str, Any] = {"total_words": total, "pairs": len(pairs)}
            for name, block in blocks.items():
                size = sum(len(lower_words(p)) for p in block)
                own = total - size
                if own <= 0:
                    row[name] = None
                    continue
                merges = joined = 0
                for a, b in pairs:
                    ta, tb = _cut(a, own), _cut(b, own)
                    sa = stories.sketch("", ta + block)
                    merges += merged(sa, stories.sketch("", tb + block), threshold)
                    copy = [_DATELINES[0] + _strip_dateline(ta[0]), *_FOOTERS[0]]
                    joined += merged(sa, stories.sketch("", copy), threshold)
                row[name] = {"block_words": size, "false_merges": merges, "joined": joined}
            rows.append(row)
    finally:
        stories.MIN_WORDS = saved
    return {
        "blocks": {k: sum(len(lower_words(p)) for p in v) for k, v in blocks.items()},
        "rows": rows,
    }


def _cut(doc: Doc, k: int) -> list[str]:
    """The first k analyzer words of the body, as one paragraph of text."""
    return [" ".join(body_words(doc.body)[:k])]


# --------------------------------------------------------------------------------- cost


def cost(docs: Sequence[Doc], workdir: Path) -> dict[str, Any]:
    """ms per article of sketch and assignment (a first pass, then again; the
    compact bands and datasketch's MinHashLSH), the saved table's bytes per article, the
    time to load it, the memory each index holds."""
    bodies = [(d.id, list(d.body)) for d in docs]
    out: dict[str, Any] = {"articles": len(docs)}
    for label, lsh in (("first", "compact"), ("again", "compact"), ("again", "datasketch")):
        gc.collect()
        index = stories.StoryIndex(lsh=lsh)
        t_words = t_sketch = t_assign = 0.0
        for article_id, body in bodies:
            t0 = time.perf_counter()
            words = stories.word_hashes(" ".join(body))
            t1 = time.perf_counter()
            sk = None
            if len(words) >= stories.MIN_WORDS:
                sk = stories.Sketch(stories.minhash(stories.shingle_hashes(words)))
            t2 = time.perf_counter()
            index.assign(article_id, sk)
            t3 = time.perf_counter()
            t_words += t1 - t0
            t_sketch += t2 - t1
            t_assign += t3 - t2
        n = len(bodies)
        out[f"{label} {lsh}"] = {
            "words_ms": t_words / n * 1000,
            "sketch_ms": t_sketch / n * 1000,
            "assign_ms": t_assign / n * 1000,
            "total_ms": (t_words + t_sketch + t_assign) / n * 1000,
        }
        if lsh == "compact":
            kept = index
    workdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="stories-", dir=workdir))
    path = scratch / "stories.npz"
    t0 = time.perf_counter()
    kept.save(path)
    out["save_ms"] = (time.perf_counter() - t0) * 1000
    size = path.stat().st_size
    out["bytes"] = size
    out["bytes_per_article"] = size / len(docs)
    t0 = time.perf_counter()
    loaded = stories.StoryIndex.load(path)
    out["load_ms"] = (time.perf_counter() - t0) * 1000
    assert loaded.stories() == kept.stories()
    shutil.rmtree(scratch)
    del loaded, kept, index
    sketches = [(a, stories.sketch("", b)) for a, b in bodies]
    for lsh in ("compact", "datasketch"):
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        held = stories.StoryIndex(lsh=lsh)
        for article_id, sk in sketches:
            held.assign(article_id, sk)
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        out[f"memory_bytes_per_article {lsh}"] = (after - before) / len(docs)
        del held
    return out


# ---------------------------------------------------------------------------------- report


def curve_table(rows: list[dict[str, Any]], shipped: float) -> str:
    lines = [
        "| threshold | precision | recall | hard negatives merged | reposts joined |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        mark = " (shipped)" if abs(r["threshold"] - shipped) < 1e-9 else ""
        lines.append(
            f"| {r['threshold']:.2f}{mark} | {r['precision']:.4f} | {r['recall']:.4f} | "
            f"{r['fp']} of {r['negatives']} | {r['tp']} of {r['positives']} |"
        )
    return "\n".join(lines)


def kind_table(row: dict[str, Any], exact: dict[str, list[float]], own: dict | None) -> str:
    lines = [
        "| edit | recall | true Jaccard: mean | 5th percentile | joins its own original |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, rate in row["recall_per_kind"].items():
        jac = sorted(exact.get(kind, []))
        mean = f"{sum(jac) / len(jac):.3f}" if jac else "—"
        low = f"{jac[len(jac) // 20]:.3f}" if jac else "—"
        own_s = f"{own[kind]['own']:.4f}" if own else "—"
        lines.append(f"| {kind} | {rate:.4f} | {mean} | {low} | {own_s} |")
    neg = sorted(exact.get("hard_negative", []))
    if neg:
        lines.append(
            f"| *hard negatives* | — | {sum(neg) / len(neg):.3f} | max {neg[-1]:.3f} | — |"
        )
    return "\n".join(lines)


def fit_grid(docs: Sequence[Doc], pool: Sequence[Doc]) -> list[dict[str, Any]]:
    rows = []
    for ngram, num_perm, title in itertools.product((1, 2, 3, 4, 5), (64, 128), (False, True)):
        cfg = Config(ngram, num_perm, title)
        ps = pair_set(docs, pool, cfg)
        for t in THRESHOLDS:
            s = score(ps, t)
            rows.append({"config": cfg.name, **{k: v for k, v in s.items() if k != "tp"}})
    return rows


def _print_near(found: dict[str, Any]) -> None:
    print(f"\nClosest pairs that stayed apart (estimated similarity ≥ {NEAR_MISS}):\n")
    for n in found["near"]:
        a, b = n["pair"]
        print(
            f"- {n['similarity']:.2f}: {a['outlet']} {(a['published'] or '?')[:10]} "
            f'"{a["title"][:60]}" / {b["outlet"]} {(b["published"] or "?")[:10]} '
            f'"{b["title"][:60]}"'
        )
    print()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="use N IndoSum articles (a fixed sample)")
    ap.add_argument("--indosum", help="IndoSum folder (default: ../shared/corpora/indosum)")
    ap.add_argument("--fit", action="store_true", help="also compare parameters on the fit half")
    ap.add_argument("--out", default=str(OUT / "stories.json"))
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    shipped = stories.DEFAULT_THRESHOLD
    indosum = indosum_docs(args.indosum, args.limit)
    dev = [d for d in devpage_docs() if d.words >= stories.MIN_WORDS]
    halves = {h: [d for d in indosum if half_of(d.id) == h] for h in ("fit", "report")}
    report: dict[str, Any] = {
        "indosum": len(indosum),
        "devpages": len(dev),
        "halves": {h: len(v) for h, v in halves.items()},
        "shipped": {
            "threshold": shipped,
            "ngram": stories.NGRAM,
            "num_perm": stories.NUM_PERM,
            "min_words": stories.MIN_WORDS,
            "lsh": stories.lsh_params(shipped),
        },
    }
    print(
        f"IndoSum {len(indosum):,} articles (fit {len(halves['fit']):,}, report "
        f"{len(halves['report']):,}); {len(dev)} development pages; shipped: threshold "
        f"{shipped}, {stories.NGRAM}-word shingles, {stories.NUM_PERM} permutations, LSH "
        f"bands×rows {stories.lsh_params(shipped)}, min {stories.MIN_WORDS} words\n"
    )

    if args.fit:
        grid = fit_grid(halves["fit"], indosum)
        report["fit"] = grid
        print("## Fit half: parameters compared\n")
        print(
            "| config | threshold | precision | recall | hard negatives merged | "
            "reposts' est. J, 5th pct | hard negatives' est. J, max |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in grid:
            print(
                f"| {r['config']} | {r['threshold']:.1f} | {r['precision']:.4f} | "
                f"{r['recall']:.4f} | {r['fp']} of {r['negatives']} | "
                f"{r['positive_j_p05']:.3f} | {r['negative_j_max']:.3f} |"
            )
        print()

    docs = halves["report"]
    ps = pair_set(docs, indosum, Config(), exact=True)
    curve = [score(ps, t) for t in sorted({*THRESHOLDS, shipped})]
    at = next(r for r in curve if abs(r["threshold"] - shipped) < 1e-9)
    own = joins_own_original(docs, indosum, shipped)
    check = [(a, b) for p in ps.positives.values() for a, b in p[:50]] + ps.negatives[:200]
    agree = all(merged(a, b, shipped) == merged_by_index(a, b, shipped) for a, b in check)
    report["report"] = {"curve": curve, "own_original": own, "index_agrees": agree}
    print("## Report half: precision and recall around the threshold\n")
    print(curve_table(curve, shipped))
    print(
        f"\n(pair decisions checked against StoryIndex on {len(check)} pairs: "
        f"{'agree' if agree else 'DISAGREE'})\n"
    )
    print(f"## Report half: recall per edit at {shipped}\n")
    print(kind_table(at, ps.exact, own))
    print()

    if dev:
        dps = pair_set(dev, dev, Config(), exact=True)
        drow = score(dps, shipped)
        report["devpages"] = drow
        print(f"## Development pages ({len(dev)} with at least {stories.MIN_WORDS} words)\n")
        print(kind_table(drow, dps.exact, None))
        print()

    merges = archive_merges(indosum, shipped)
    report["indosum_merges"] = merges
    print(
        f"## Every IndoSum article through one StoryIndex: {merges['articles']:,} articles, "
        f"{merges['unsketched']} too short, {len(merges['merges'])} stories of more than one\n"
    )
    for g in merges["merges"]:
        for m in g["members"]:
            sim = "first" if m["id"] == g["story"] else f"{m['similarity']:.2f}"
            print(
                f"- {g['story'][:30]} | {m['outlet']} | {m['published'][:16]} | {sim} "
                f"(exact {m['exact_jaccard']:.2f}) | {m['words']} words | {m['title'][:70]}"
            )
    _print_near(merges)

    seeds = seed_docs()
    real = archive_merges([*seeds, *devpage_docs()], shipped)
    report["seeds_and_devpages"] = real
    seed_ids = {s.id for s in seeds}
    seed_merges = [g for g in real["merges"] if any(m["id"] in seed_ids for m in g["members"])]
    print(
        f"## Seeds ({len(seeds)}) and development pages together: "
        f"{len(real['merges'])} stories of more than one ({len(seed_merges)} with a seed)\n"
    )
    for g in real["merges"]:
        print("- " + " + ".join(f"{m['title'][:50]} ({m['outlet']})" for m in g["members"]))
    _print_near(real)

    series = desk_series(export_articles(), shipped)
    report["desk_series"] = series
    print(
        f"## One desk, another day: the development pages and exports ({series['articles']:,} "
        "articles) in publication order\n"
    )
    print(
        "| assignment | stories | articles grouped | pairs of one desk ≥ a day apart | "
        "pairs of different desks |"
    )
    print("|---|---:|---:|---:|---:|")
    for name in ("blind", "weighed"):
        r = series[name]
        print(
            f"| {name} | {r['stories']} | {r['grouped']} | {r['one_desk_a_day_apart']} | "
            f"{r['other_desks']} |"
        )
    print("\nOne desk's pairs a day or more apart still grouped (weighed), to judge:\n")
    for a, b, desk, days in series["weighed"]["one_desk_pairs"]:
        print(f"- {desk}, {days:+.1f} days: {a} | {b}")
    print()

    short = short_texts(indosum, shipped, (40, 50, 60, 70, 80, 100, 120))
    report["short_texts"] = short
    names = list(short["blocks"])
    print("## Short texts sharing only a boilerplate block, if they were sketched\n")
    print(
        f"Pairs of different articles of one outlet ({short['rows'][0]['pairs']:,}), cut to "
        "the total words with the block; false merges / true copies joined. Blocks: "
        + ", ".join(f"{k} {v} words" for k, v in short["blocks"].items())
        + f". Shipped minimum: {stories.MIN_WORDS} words.\n"
    )
    print("| total words | " + " | ".join(names) + " |")
    print("|---:|" + "---:|" * len(names))
    for r in short["rows"]:
        cells = [
            "—" if r[n] is None else f"{r[n]['false_merges']} / {r[n]['joined']}" for n in names
        ]
        print(f"| {r['total_words']} | " + " | ".join(cells) + " |")
    print()

    load_before = os.getloadavg()[0]
    c = cost(indosum, OUT)
    c["load_average"] = [load_before, os.getloadavg()[0]]
    report["cost"] = c
    print(
        f"## Cost over {c['articles']:,} IndoSum articles (one core; load average "
        f"{load_before:.1f} before, {c['load_average'][1]:.1f} after)\n"
    )
    print(
        "| pass | LSH | words ms | sketch ms | assign ms | total ms/article | held bytes/article |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for key in ("first compact", "again compact", "again datasketch"):
        r = c[key]
        label, lsh = key.split()
        print(
            f"| {label} | {lsh} | {r['words_ms']:.3f} | {r['sketch_ms']:.3f} | "
            f"{r['assign_ms']:.3f} | {r['total_ms']:.3f} | "
            f"{c['memory_bytes_per_article ' + lsh]:,.0f} |"
        )
    print(
        f"\nsaved: {c['bytes']:,} bytes ({c['bytes_per_article']:.0f} bytes/article), "
        f"save {c['save_ms']:.0f} ms, load {c['load_ms']:.0f} ms"
    )
    report["seconds"] = time.perf_counter() - t_start
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    print(f"\n{report['seconds']:.0f} s; JSON: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
