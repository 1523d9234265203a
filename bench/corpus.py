"""Turn IndoSum into raw news pages like seeds/, and grow it to archive scale.

Warta's ingest has to cope with scraped pages (boilerplate, outlet lines, Indonesian date
lines), so the benchmark feeds it pages of that shape rather than clean records; otherwise the
cleaning and metadata steps would go unmeasured. IndoSum gives real, licensed text (CC BY-SA
4.0) but only 3,463 articles; an archive has ~100,000 a year per outlet, so the corpus is grown
by recombining real paragraphs of the same outlet under new ids and dates: the vocabulary,
the term statistics per outlet and the paragraph lengths stay real, only the documents are new.

Everything is deterministic for a seed (one `random.Random(seed)` drives every choice), so
two runs of the benchmark index byte-identical pages.

CLI: ``python bench/corpus.py OUT_DIR --docs N [--seed S] [--real K] [--manifest FILE]``
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from random import Random
from urllib.parse import urlparse

import orjson

ROOT = Path(__file__).resolve().parents[1]
#: Where the IndoSum folds live unless WARTA_INDOSUM or an argument says otherwise.
DEFAULT_INDOSUM = ROOT.parent / "shared" / "corpora" / "indosum"

WIB = timezone(timedelta(hours=7), "WIB")

# IndoSum source label -> (canonical outlet key, display name as the outlet's pages print it).
# Keys follow DESIGN.md: lowercase ascii, the outlet's usual short name.
OUTLETS: dict[str, tuple[str, str]] = {
    "cnn indonesia": ("cnnindonesia", "CNN Indonesia"),
    "kumparan": ("kumparan", "kumparan"),
    "dailysocial.id": ("dailysocial", "DailySocial.id"),
    "antaranews": ("antara", "ANTARA"),
    "merdeka": ("merdeka", "Merdeka.com"),
    "juara.net": ("juara", "JUARA.net"),
    "suara": ("suara", "Suara.com"),
    "rimanews": ("rimanews", "Rimanews"),
    "goal indonesia": ("goal", "Goal.com"),
    "poskotanews": ("poskota", "Poskota News"),
}

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class IndoSumRecord:
    """One distinct IndoSum article with readable text.

    `paragraphs` and `summary` are detokenized so that both the page writer and the
    relevance evaluation (issue 7) work from the text a reader would see.
    """

    id: str
    source: str
    outlet: str
    outlet_name: str
    url: str
    category: str
    published: datetime
    title: str
    paragraphs: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class GeneratedArticle:
    """Ground truth for one written page, so benchmarks can check what the indexer extracted.

    `sources` names the IndoSum ids whose paragraphs the page carries (one id for a real
    article); `body` is the article text without the boilerplate the page adds around it.
    """

    id: str
    path: str
    outlet: str
    outlet_name: str
    published: datetime
    title: str
    body: tuple[str, ...]
    grown: bool
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The manifest line: plain JSON types only."""
        return {
            "id": self.id,
            "path": self.path,
            "outlet": self.outlet,
            "outlet_name": self.outlet_name,
            "published": self.published.isoformat(),
            "title": self.title,
            "grown": self.grown,
            "sources": list(self.sources),
        }


def outlet_for(source: str) -> tuple[str, str]:
    """Canonical key and display name for an IndoSum source label (unknown ones derived)."""
    if source in OUTLETS:
        return OUTLETS[source]
    key = re.sub(r"[^a-z0-9]", "", source.lower()) or "unknown"
    return key, source.title()


# --------------------------------------------------------------------------- detokenizer

_NO_SPACE_BEFORE = frozenset(
    {",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "...", "..", "…", "”", "’", "/"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "€", "£", "“", "‘", "/", "#"})
_DASHES = frozenset({"-", "–", "—", "--"})
_CONTRACTION = re.compile(r"^'(s|t|re|ll|ve|m|d)$", re.IGNORECASE)
_WS = re.compile(r"\s+")


def _clean_tokens(tokens: Iterable[str]) -> list[str]:
    """Drop whitespace-only tokens (IndoSum keeps \\xa0 and newlines) and merge "- -" to "--"."""
    out: list[str] = []
    for raw in tokens:
        tok = raw.strip()
        if not tok:
            continue
        if not tok.isprintable() or " " in tok:
            tok = _WS.sub(" ", tok)
        if tok == "-" and out and out[-1] == "-":
            out[-1] = "--"
            continue
        out.append(tok)
    return out


def _dateline_dash(tokens: Sequence[str]) -> int:
    """Index of the dash that ends a dateline ("Merdeka.com - ", "JAKARTA (ANTARA News) - ").

    That dash is printed with spaces around it; every other hyphen the tokenizer split off
    ("Go - Jek", "3 - 0", "hari - hari") belongs inside a word. -1 when there is none.
    """
    for i, tok in enumerate(tokens[:14]):
        if tok not in _DASHES or i == 0:
            continue
        if tok != "-":
            return i
        prev = tokens[i - 1]
        if (
            prev == ")"
            or re.search(r"[A-Za-z]\.[A-Za-z]", prev)
            or (prev.isalpha() and prev.isupper() and len(prev) > 1)
            or prev.lower() in _OUTLET_WORDS
        ):
            return i
    return -1


_OUTLET_WORDS = frozenset({"rimanews", "kumparan", "antara", "poskota", "goal"})


def detokenize(tokens: Sequence[str], dateline: bool = False, cleaned: bool = False) -> str:
    """Join IndoSum tokens back into text as a page prints it.

    No space before closing punctuation, quotes hug the words they enclose, parentheses hug
    their content, split hyphens and slashes are rejoined ("27/3", "Go-Jek", "3-0"). Straight
    quotes are paired by position because the tokenizer lost which side they were on.
    `dateline` marks the paragraph that may open with "Outlet - " so that dash keeps spaces;
    `cleaned` says the tokens already went through `_clean_tokens`.
    """
    toks = list(tokens) if cleaned else _clean_tokens(tokens)
    spaced_dash = _dateline_dash(toks) if dateline else -1
    out: list[str] = []
    glue_next = True  # no space before the first token
    dq_open = False
    sq_open = False
    n = len(toks)
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i else ""
        nxt = toks[i + 1] if i + 1 < n else ""
        space = not glue_next
        glue_after = False
        if tok == '"':
            if dq_open:
                space = False
            else:
                glue_after = True
            dq_open = not dq_open
        elif tok == "'":
            if prev[-1:].isdigit():  # a minute mark, "Heri 31'", not a quote
                space = False
            else:
                space = space and not sq_open
                glue_after = not sq_open
                sq_open = not sq_open
        elif tok[0] == "'" and _CONTRACTION.match(tok):
            space = False
        elif tok in _DASHES:
            if i == spaced_dash or tok != "-" or not prev or not nxt:
                space = bool(out) and not glue_next
            else:
                space = False
                glue_after = True
        elif tok.startswith("-") and tok[1:].isalpha():  # "-nya"
            space = False
        elif tok == ":" and prev.isdigit() and nxt.isdigit():  # a time, "19:30"
            space = False
            glue_after = True
        elif tok in _NO_SPACE_BEFORE:  # "/" is also in _NO_SPACE_AFTER: it hugs both sides
            space = False
        if tok in _NO_SPACE_AFTER:
            glue_after = True
        if space:
            out.append(" ")
        out.append(tok)
        glue_next = glue_after
    return "".join(out)


# --------------------------------------------------------------------------- headlines

# fmt: off
_SMALL_WORDS = frozenset((
    "dan", "di", "ke", "dari", "yang", "untuk", "pada", "dengan", "atau", "bagi",
    "oleh", "dalam", "tentang", "sebagai", "vs", "v", "the", "of", "and", "a",
    "an", "in", "on", "at", "to", "for",
))
# fmt: on


def _case_map(paragraphs: Sequence[Sequence[str]]) -> dict[str, str]:
    """How the article itself writes each word away from paragraph starts ("mpr" -> "MPR").

    The slug is all lowercase; the body is the best evidence for acronyms and mixed case.
    Datelines ("JAKARTA, CNN Indonesia --") are skipped: they shout words that are not acronyms.
    Takes cleaned tokens, one list per paragraph.
    """
    lower: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for p_i, toks in enumerate(paragraphs):
        start = max(1, _dateline_dash(toks) + 1) if p_i == 0 else 1
        lower.update(toks[start:])  # only lowercase keys are read below
        for tok in toks[start:]:
            if not tok.islower() and tok.isalnum():
                forms[tok.lower()][tok] += 1
    cased: dict[str, str] = {}
    for low, counts in forms.items():
        form, hits = max(counts.items(), key=lambda kv: kv[1])
        if form != low.capitalize() and hits * 2 > sum(counts.values()) + lower[low]:
            cased[low] = form
    return cased


def _hyphen_pairs(paragraphs: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    """Word pairs the body writes with a hyphen ("go"-"jek", "u"-"22"), to rejoin in slugs."""
    pairs: set[tuple[str, str]] = set()
    for toks in paragraphs:
        for i in range(1, len(toks) - 1):
            if toks[i] == "-":
                pairs.add((toks[i - 1].lower(), toks[i + 1].lower()))
    return pairs


def _slug_words(url: str, rec_id: str) -> list[str]:
    """The words of the headline slug: the URL's best path segment, else the id's slug.

    The id's slug is cut at 50 characters (often mid-word), so the URL is preferred.
    """
    path = urlparse(url).path
    best: list[str] = []
    for seg in path.split("/"):
        seg = re.sub(r"\.html?$", "", seg)
        seg = re.sub(r"^\d{5,}-", "", seg)  # "1821380-untuk-kali..." -> "untuk-kali..."
        if seg.count(".") >= 2:
            seg = seg.replace(".", "-")  # juara.net: "sung.ji-hyun.antar.korea"
        words = [w for w in seg.split("-") if w]
        alpha = [w for w in words if re.search(r"[a-zA-Z]{2}", w)]
        if len(words) >= 3 and len(alpha) >= 2 and len(words) >= len(best):
            best = words
    if best:
        return best
    slug = rec_id.split("-", 1)[1] if "-" in rec_id else rec_id
    words = [w for w in slug.split("-") if w]
    if len(rec_id) >= 61 and len(words) > 1:
        words = words[:-1]  # the id was truncated, likely mid-word
    return words


def headline(
    words: Sequence[str], cased: dict[str, str], pairs: set[tuple[str, str]] | None = None
) -> str:
    """Title-case slug words the way Indonesian outlets do.

    Content words are capitalised, short function words stay lowercase (except first),
    acronyms take the article's own casing, and compounds the body hyphenates are rejoined.
    """
    pairs = pairs or set()
    joined: list[str] = []
    for w in words:
        low = w.lower()
        if joined:
            prev = joined[-1].rsplit("-", 1)[-1].lower()
            if (
                (prev, low) in pairs
                or prev == low  # reduplication: "masing-masing"
                or (prev.isdigit() and low.isdigit())  # scores: "3-0"
            ):
                joined[-1] = f"{joined[-1]}-{low}"
                continue
        joined.append(low)
    out: list[str] = []
    for i, compound in enumerate(joined):
        parts = []
        for part in compound.split("-"):
            if part in cased:
                parts.append(cased[part])
            elif i and part in _SMALL_WORDS and "-" not in compound:
                parts.append(part)
            else:
                parts.append(part[:1].upper() + part[1:])
        out.append("-".join(parts))
    return " ".join(out)


# --------------------------------------------------------------------------- loading


def _timestamp(rec_id: str) -> int:
    head = rec_id.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def _indosum_dir(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        return Path(path)
    return Path(os.environ.get("WARTA_INDOSUM", DEFAULT_INDOSUM))


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> tuple[IndoSumRecord, ...]:
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no IndoSum .jsonl files in {folder}")
    raw: dict[str, dict] = {}
    for f in files:
        with f.open("rb") as fh:
            for line in fh:
                if line.strip():
                    rec = orjson.loads(line)
                    raw.setdefault(rec["id"], rec)  # folds overlap: first copy wins
    records = []
    for rec_id in sorted(raw):
        rec = raw[rec_id]
        paras_tok = [_clean_tokens(t for sent in para for t in sent) for para in rec["paragraphs"]]
        outlet, name = outlet_for(rec["source"])
        paragraphs = tuple(
            text
            for i, toks in enumerate(paras_tok)
            if (text := detokenize(toks, dateline=i == 0, cleaned=True))
        )
        summary = " ".join(detokenize(sent) for sent in rec.get("summary", []))
        title = headline(
            _slug_words(rec.get("source_url", ""), rec_id),
            _case_map(paras_tok),
            _hyphen_pairs(paras_tok),
        )
        records.append(
            IndoSumRecord(
                id=rec_id,
                source=rec["source"],
                outlet=outlet,
                outlet_name=name,
                url=rec.get("source_url", ""),
                category=rec.get("category", ""),
                published=datetime.fromtimestamp(_timestamp(rec_id), WIB),
                title=title,
                paragraphs=paragraphs,
                summary=summary,
            )
        )
    return tuple(r for r in records if r.paragraphs)


def load_indosum(folder: str | os.PathLike[str] | None = None) -> list[IndoSumRecord]:
    """Every distinct IndoSum article (deduplicated by id, sorted by id), detokenized.

    Cached per folder, because detokenizing 3,463 articles takes about a second and both
    the corpus writer and the relevance evaluation want them.
    """
    return list(_load(str(_indosum_dir(folder))))


# --------------------------------------------------------------------------- page writing

# Each outlet prints its date one way; a minority of pages use another real format so the
# metadata extractor meets all of them on every outlet.
_DATE_STYLE = {
    "cnnindonesia": "short",
    "kumparan": "long_dash",
    "dailysocial": "plain",
    "antara": "plain",
    "merdeka": "long_pipe",
    "juara": "long_dash",
    "suara": "long_pipe",
    "rimanews": "numeric",
    "goal": "short",
    "poskota": "long_dash_sec",
}
_DATE_STYLES = ("long_dash", "long_dash_sec", "short", "numeric", "long_pipe", "plain")
# Outlets whose pages put one paragraph a line (seeds/001) rather than blank-line separated.
_TIGHT = frozenset({"poskota", "rimanews", "goal"})

# fmt: off
_FIRST_NAMES = (
    "Rendi", "Ahmad", "Dewi", "Siti", "Budi", "Yulia", "Agus", "Rizky", "Fitri", "Hendra",
    "Nur", "Dimas", "Ayu", "Fajar", "Indra", "Putri", "Bayu", "Lestari", "Wahyu", "Rina",
    "Arif", "Maya", "Eko", "Nanda", "Teguh", "Sari", "Yoga", "Intan", "Hadi", "Ratna",
)
# fmt: on
# fmt: off
_LAST_NAMES = (
    "Mahendra", "Pratama", "Wibowo", "Saputra", "Lestari", "Nugroho", "Hidayat", "Kusuma",
    "Santoso", "Rahmawati", "Setiawan", "Firmansyah", "Siregar", "Hasibuan", "Wijaya",
    "Permana", "Susanto", "Anggraini", "Gunawan", "Harahap",
)
# fmt: on


def format_date(dt: datetime, style: str) -> str:
    """An Indonesian date line in one of the formats real outlets print (always WIB)."""
    dt = dt.astimezone(WIB)
    day = DAYS[dt.weekday()]
    month = MONTHS[dt.month - 1]
    hm = f"{dt.hour:02d}:{dt.minute:02d}"
    if style == "long_dash":  # SINDOnews / iNews: "Kamis, 09 November 2023 - 20:27 WIB"
        return f"{day}, {dt.day:02d} {month} {dt.year} - {hm} WIB"
    if style == "long_dash_sec":  # iNews page header
        return f"{day}, {dt.day:02d} {month} {dt.year} - {hm}:{dt.second:02d} WIB"
    if style == "short":  # detik / CNN Indonesia: "Kamis, 09 Nov 2023 20:27 WIB"
        return f"{day}, {dt.day:02d} {MONTHS_SHORT[dt.month - 1]} {dt.year} {hm} WIB"
    if style == "numeric":  # Kompas: "09/11/2023, 20:27 WIB"
        return f"{dt.day:02d}/{dt.month:02d}/{dt.year}, {hm} WIB"
    if style == "long_pipe":  # Suara / Merdeka: "Kamis, 09 November 2023 | 20:27 WIB"
        return f"{day}, {dt.day:02d} {month} {dt.year} | {hm} WIB"
    if style == "plain":  # ANTARA / Tempo: "Kamis, 9 November 2023 20:27 WIB"
        return f"{day}, {dt.day} {month} {dt.year} {hm} WIB"
    raise ValueError(f"unknown date style {style!r}")


class _Pool:
    """Paragraph pools of a set of real articles, split by position in the article."""

    def __init__(self, records: list[IndoSumRecord]) -> None:
        self.records = records
        self.leads = [(r.id, r.paragraphs[0]) for r in records]
        self.middles = [(r.id, p) for r in records for p in r.paragraphs[1:-1]]
        self.lasts = [(r.id, r.paragraphs[-1]) for r in records if len(r.paragraphs) > 1]
        self.title_of = {r.id: r.title for r in records}
        self.titles = [r.title for r in records]


# Below this many articles a category's pool is too small to recombine without repeating
# the same paragraphs; the outlet's whole pool is used instead.
_MIN_CATEGORY = 30


class _Outlet:
    """Per-outlet pools the writer samples from, built once per corpus.

    Grown articles draw from one category of the outlet (sport with sport) so that a page
    reads like one beat's story and term co-occurrence stays close to real.
    """

    def __init__(self, key: str, records: list[IndoSumRecord], rng: Random) -> None:
        self.key = key
        self.name = records[0].outlet_name
        self.records = records
        self.all = _Pool(records)
        by_cat: dict[str, list[IndoSumRecord]] = defaultdict(list)
        for r in records:
            by_cat[r.category].append(r)
        self.pools = {
            cat: _Pool(rs) if len(rs) >= _MIN_CATEGORY else self.all
            for cat, rs in sorted(by_cat.items())
        }
        self.titles = self.all.titles
        self.editors = [f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}" for _ in range(6)]
        self.style = _DATE_STYLE.get(key, "long_dash")


def _grow(out: _Outlet, rng: Random) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A new article from real paragraphs of one outlet: (title, body, source ids).

    A real article of the outlet is the template (its category and length); lead, middle
    and closing paragraphs come from their own pools so a grown article opens with a
    dateline and ends with a sign-off, as that outlet's real ones do.
    """
    template = rng.choice(out.records)
    pool = out.pools[template.category]
    lead_id, lead = rng.choice(pool.leads)
    n_mid = max(0, len(template.paragraphs) - 2)
    picks = rng.sample(pool.middles, min(n_mid, len(pool.middles))) if n_mid else []
    body = [lead] + [p for _, p in picks]
    sources = [lead_id] + [i for i, _ in picks]
    if pool.lasts and len(template.paragraphs) > 1:
        last_id, last = rng.choice(pool.lasts)
        if last not in body:
            body.append(last)
            sources.append(last_id)
    a = pool.title_of[lead_id].split()
    b = rng.choice(pool.titles).split()
    title = " ".join(a[: math.ceil(len(a) / 2)] + b[len(b) // 2 :])
    return title, tuple(body), tuple(dict.fromkeys(sources))


def _slugify(text: str, limit: int = 50) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def render_page(art: GeneratedArticle, out: _Outlet, rng: Random) -> str:
    """The raw page text: headline, outlet and date lines, body, and some real boilerplate.

    Which boilerplate appears, and where, is drawn per page so the cleaner cannot learn
    one fixed layout.
    """
    style = out.style if rng.random() < 0.8 else rng.choice(_DATE_STYLES)
    date = format_date(art.published, style)
    lines: list[str] = []
    layout = rng.randrange(4)
    if rng.random() < 0.3:
        lines += ["Advertisement", "Share:"]
    if layout == 0:  # site name above the headline (seeds/000)
        lines += [art.outlet_name, art.title, "", date]
    elif layout == 1:  # byline-style outlet line over the date (CNN Indonesia, detik)
        lines += [art.title, art.outlet_name, date]
    elif layout == 2:  # "Kompas.com - 09/11/2023, 20:27 WIB"
        lines += [art.title, "", f"{art.outlet_name} - {date}"]
    else:  # outlet in the footer only
        lines += [art.title, date]
    if rng.random() < 0.4:
        lines.append("Advertisement")
    lines.append("")
    sep = "" if out.key in _TIGHT else None
    teaser_at = rng.randrange(1, len(art.body)) if len(art.body) > 2 else -1
    for i, para in enumerate(art.body):
        if i == teaser_at and rng.random() < 0.7:
            teaser = rng.choice(out.titles)
            if rng.random() < 0.5:
                lines += ["Baca Juga", teaser]
            else:
                lines.append(f"Baca Juga: {teaser}")
            if sep is None:
                lines.append("")
        lines.append(para)
        if sep is None:
            lines.append("")
    if rng.random() < 0.6:
        lines.append(f"Editor : {rng.choice(out.editors)}")
    if rng.random() < 0.5:
        lines.append(
            f"Follow WhatsApp Channel {out.name} untuk update berita terbaru setiap hari! Follow"
        )
    if layout == 3 or rng.random() < 0.3:
        lines.append(out.name)
    if rng.random() < 0.3:
        lines.append("Share:")
    return "\n".join(lines).rstrip("\n") + "\n"


def generate(
    n: int,
    seed: int = 0,
    records: Sequence[IndoSumRecord] | None = None,
    real: int | None = None,
) -> Iterable[tuple[GeneratedArticle, str]]:
    """Yield (ground truth, page text) for n articles, deterministically for a seed.

    The first `real` (default: as many as exist, up to n) are IndoSum articles as they are;
    the rest are grown. Separate from writing so tests and benchmarks can keep pages in memory.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    recs = sorted(records if records is not None else load_indosum(), key=lambda r: r.id)
    if not recs:
        raise ValueError("no records to build a corpus from")
    rng = Random(seed)
    by_outlet: dict[str, list[IndoSumRecord]] = defaultdict(list)
    for r in recs:
        by_outlet[r.outlet].append(r)
    outlets = {k: _Outlet(k, by_outlet[k], rng) for k in sorted(by_outlet)}
    n_real = min(n, len(recs), n if real is None else max(0, real))
    used: set[str] = set()
    for r in rng.sample(recs, n_real):
        used.add(r.id)
        art = GeneratedArticle(
            id=r.id,
            path=f"{r.outlet}/{r.id}.txt",
            outlet=r.outlet,
            outlet_name=r.outlet_name,
            published=r.published,
            title=r.title,
            body=r.paragraphs,
            grown=False,
            sources=(r.id,),
        )
        yield art, render_page(art, outlets[r.outlet], rng)
    stamps = [_timestamp(r.id) for r in recs]
    lo, hi = min(stamps), max(stamps)
    for _ in range(n - n_real):
        out = outlets[rng.choice(recs).outlet]  # outlets in their real proportions
        title, body, sources = _grow(out, rng)
        ts = rng.randint(lo, hi)
        art_id = f"{ts}-{_slugify(title)}"
        k = 1
        while art_id in used:
            k += 1
            art_id = f"{ts}-{_slugify(title, 44)}-{k}"
        used.add(art_id)
        art = GeneratedArticle(
            id=art_id,
            path=f"{out.key}/{art_id}.txt",
            outlet=out.key,
            outlet_name=out.name,
            published=datetime.fromtimestamp(ts, WIB),
            title=title,
            body=body,
            grown=True,
            sources=sources,
        )
        yield art, render_page(art, out, rng)


def write_corpus(
    out_dir: str | os.PathLike[str],
    n: int,
    seed: int = 0,
    *,
    records: Sequence[IndoSumRecord] | None = None,
    real: int | None = None,
) -> list[GeneratedArticle]:
    """Write n pages as OUT_DIR/<outlet>/<id>.txt and return their ground truth.

    The manifest is returned rather than written into OUT_DIR because Warta indexes every
    .jsonl it finds there; the CLI can write it elsewhere with --manifest.
    """
    out = Path(out_dir)
    made: set[str] = set()
    truth: list[GeneratedArticle] = []
    for art, page in generate(n, seed, records=records, real=real):
        folder = art.path.split("/", 1)[0]
        if folder not in made:
            (out / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        with open(out / art.path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(page)
        truth.append(art)
    return truth


def write_manifest(path: str | os.PathLike[str], truth: Sequence[GeneratedArticle]) -> None:
    """One JSON object a line: what each page is, for benchmarks that check extraction."""
    with open(path, "wb") as fh:
        for art in truth:
            fh.write(orjson.dumps(art.to_json()))
            fh.write(b"\n")


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; prints one summary line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", help="folder to write <outlet>/<id>.txt pages into")
    ap.add_argument("--docs", type=int, required=True, help="number of articles to write")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--real", type=int, default=None, help="how many real IndoSum articles")
    ap.add_argument("--indosum", default=None, help="IndoSum folder (default: $WARTA_INDOSUM)")
    ap.add_argument("--manifest", default=None, help="write ground truth JSONL here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    records = load_indosum(args.indosum)
    truth = write_corpus(args.out_dir, args.docs, args.seed, records=records, real=args.real)
    if args.manifest:
        write_manifest(args.manifest, truth)
    grown = sum(a.grown for a in truth)
    print(
        f"wrote {len(truth)} articles ({len(truth) - grown} real, {grown} grown) "
        f"to {args.out_dir} in {time.perf_counter() - t0:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
