"""Stem-aware highlighting and snippets.

A word is highlighted when the one analyzer (`index.analysis.ANALYZER`) gives it the stem of
a query word: the query "khawatir" lights up "kekhawatiran" and "mengkhawatirkan", the
very words that made the article match. Phrases light up only where their words stand
together; prefixes (rud*) match the unstemmed word. The same spans serve the snippets of a
result list and the paragraphs of the article reader.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, count

from index.analysis import _WORD, STEMS, iter_word_spans
from search.models import Snippet, Span

SNIPPET_CHARS = 200
MAX_SNIPPET_PARAGRAPHS = 6
ELLIPSIS = "…"


@dataclass(frozen=True)
class HighlightTerms:
    """What to light up: single stems, stem sequences (phrases) and exact-word prefixes."""

    stems: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stems or self.phrases or self.prefixes)


@dataclass(frozen=True)
class Match:
    """A highlighted span and which query term it answers (to prefer passages with more)."""

    start: int
    end: int
    key: str


def needles(terms: HighlightTerms) -> tuple[str, ...]:
    """Substrings that any text a term can match must contain (lowercased).

    A word's stem sits inside the word, except that Indonesian nasal prefixes replace the
    stem's first letter (me+pukul → memukul, me+sapu → menyapu): so the stem minus its
    first letter. Texts without any needle are not analyzed at all, which keeps snippets
    cheap on long articles.
    """
    found = {s[1:] or s for s in terms.stems}
    found.update(p[0][1:] or p[0] for p in terms.phrases)
    found.update(terms.prefixes)
    return tuple(found)


def find_matches(text: str, terms: HighlightTerms) -> list[Match]:
    """Every span of `text` a query term matches, in order, not overlapping.

    Exactly the spans of running the one analyzer over `text` and comparing its stems
    (tests/search/test_highlight_equivalence.py holds the two side by side), but cheaper:
    the tokens and their stems come from the analyzer's word pattern and stem cache
    through `map` rather than a Whoosh token per word, a text none of whose stems is
    wanted stops there, and only the tokens with a wanted stem are looked at one by one.
    """
    if not terms or not text:
        return []
    if not any(n in text.lower() for n in needles(terms)):
        return []
    words, starts, ends = _word_spans(text)
    if not words:
        return []
    stems = _stems(words)
    prefixes = terms.prefixes
    wanted = terms.stems | {p[0] for p in terms.phrases}
    if not prefixes and wanted.isdisjoint(stems):
        return []
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in terms.phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    single = terms.stems
    found: list[Match] = []
    at: Iterable[int] = (
        range(len(stems)) if prefixes else compress(count(), map(wanted.__contains__, stems))
    )
    for i in at:
        stem, start, end = stems[i], starts[i], ends[i]
        for phrase in by_first.get(stem, ()):
            n = len(phrase)
            if tuple(stems[i : i + n]) == phrase:
                found.append(Match(start, ends[i + n - 1], " ".join(phrase)))
        if stem in single:
            found.append(Match(start, end, stem))
        elif prefixes:
            for p in prefixes:
                if words[i].startswith(p):
                    found.append(Match(start, end, p + "*"))
                    break
    return _without_overlaps(found)


_HYPHENS = re.compile(r"[-\u2010\u2011]")
_GROUP = re.Match.group
_START = re.Match.start
_END = re.Match.end


def _word_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """The analyzer's tokens of `text`, lowercased, with their character offsets.

    What `index.analysis.iter_word_spans` yields, found with one `finditer` and `map`s;
    only the words holding a hyphen go through its reduplication rule.
    """
    found = list(_WORD.finditer(text))
    words = list(map(str.lower, map(_GROUP, found)))
    starts = list(map(_START, found))
    ends = list(map(_END, found))
    if not _HYPHENS.search(text):
        return words, starts, ends
    hyphenated = sorted(
        {
            i
            for h in _HYPHENS.finditer(text)
            if (i := bisect_right(starts, h.start()) - 1) >= 0 and h.start() < ends[i]
        }
    )
    for i in reversed(hyphenated):
        base = starts[i]
        word = text[base : ends[i]]
        spans = list(iter_word_spans(word))
        words[i : i + 1] = [word[a:b].lower() for a, b in spans]
        starts[i : i + 1] = [base + a for a, _ in spans]
        ends[i : i + 1] = [base + b for _, b in spans]
    return words, starts, ends


def _stems(words: list[str]) -> list[str]:
    """The analyzer's stem of each lowercase word (from the cache, else computed once)."""
    stems = list(map(STEMS.stems.get, words))
    if None in stems:
        stems = [s if s is not None else STEMS.stem(w) for w, s in zip(words, stems, strict=True)]
    return stems  # type: ignore[return-value]


def _without_overlaps(matches: list[Match]) -> list[Match]:
    """Longest first at each start; a span inside an earlier one is dropped."""
    matches.sort(key=lambda m: (m.start, -m.end))
    kept: list[Match] = []
    for m in matches:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def find_spans(text: str, terms: HighlightTerms) -> list[Span]:
    """Character spans to highlight in `text`."""
    return [(m.start, m.end) for m in find_matches(text, terms)]


@dataclass(frozen=True)
class _Window:
    para: int
    start: int
    end: int
    matches: tuple[Match, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(m.key for m in self.matches)


def make_snippet(
    paragraphs: list[str], terms: HighlightTerms, width: int = SNIPPET_CHARS
) -> Snippet:
    """The best one or two passages of about `width` characters, with their highlights.

    One passage when it holds every query term the article matches; otherwise the pair of
    half-width passages that together hold the most. No match in the body (the title
    matched, or there were no words): the article's lead.
    """
    per_para = _matching_paragraphs(paragraphs, terms)
    anchors = [(i, m) for i, ms in enumerate(per_para) for m in ms][:200]
    if not anchors:
        return _lead(paragraphs, width)
    all_keys = frozenset(m.key for _, m in anchors)
    singles = [_window(paragraphs[i], i, m, per_para[i], width) for i, m in anchors]
    best = max(singles, key=_window_score)
    if best.keys >= all_keys or len(anchors) < 2:
        return _render([best], paragraphs)
    half = width // 2 + 10
    halves = [_window(paragraphs[i], i, m, per_para[i], half) for i, m in anchors]
    best_pair: tuple[_Window, _Window] | None = None
    best_score = (len(best.keys), 0, 0)
    for a_i, a in enumerate(halves):
        for b in halves[a_i + 1 :]:
            if a.para == b.para and b.start < a.end:
                continue
            keys = a.keys | b.keys
            score = (len(keys), len(a.matches) + len(b.matches), -b.para)
            if score > best_score:
                best_pair, best_score = (a, b), score
    if best_pair is None:
        return _render([best], paragraphs)
    return _render(list(best_pair), paragraphs)


def _matching_paragraphs(paragraphs: list[str], terms: HighlightTerms) -> list[list[Match]]:
    """Matches per paragraph, looking into at most MAX_SNIPPET_PARAGRAPHS that hold any.

    A long article full of a common word ("pemerintah") would otherwise be analyzed
    whole for a 200-character snippet; the best passages are rarely past the first few.
    """
    found: list[list[Match]] = [[] for _ in paragraphs]
    if not terms:
        return found
    looked = 0
    for i, para in enumerate(paragraphs):
        found[i] = find_matches(para, terms)
        if found[i]:
            looked += 1
            if looked >= MAX_SNIPPET_PARAGRAPHS:
                break
    return found


def _window_score(w: _Window) -> tuple[int, int, int]:
    return (len(w.keys), len(w.matches), -w.para)


def _window(text: str, para: int, anchor: Match, matches: list[Match], width: int) -> _Window:
    """A passage around `anchor`, cut at word boundaries, inside its paragraph."""
    lead_in = min(40, width // 4)
    start = max(0, anchor.start - lead_in)
    if start > 0:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > anchor.end else max(end, anchor.end)
    elif start > 0 and end - start < width:
        # Near the paragraph's end: use the room before the match instead.
        start = max(0, end - width)
        if start > 0:
            space = text.find(" ", start, anchor.start)
            start = space + 1 if space >= 0 else anchor.start
    inside = tuple(m for m in matches if m.start >= start and m.end <= end)
    return _Window(para, start, end, inside)


def _render(windows: Iterable[_Window], paragraphs: list[str]) -> Snippet:
    """Join passages with " … ", shifting each one's highlights into the joined text."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    ordered = sorted(windows, key=lambda w: (w.para, w.start))
    for n, w in enumerate(ordered):
        raw = paragraphs[w.para][w.start : w.end]
        piece = raw.strip()
        base = w.start + len(raw) - len(raw.lstrip())
        sep = (ELLIPSIS + " " if w.start > 0 else "") if n == 0 else " " + ELLIPSIS + " "
        parts.append(sep)
        offset += len(sep)
        spans.extend((offset + m.start - base, offset + m.end - base) for m in w.matches)
        parts.append(piece)
        offset += len(piece)
    last = ordered[-1]
    if last.end < len(paragraphs[last.para].rstrip()):
        parts.append(" " + ELLIPSIS)
    return Snippet("".join(parts), spans)


def _lead(paragraphs: list[str], width: int) -> Snippet:
    text = " ".join(p for p in paragraphs if p)
    if len(text) <= width:
        return Snippet(text)
    space = text.rfind(" ", 0, width)
    cut = space if space > width // 2 else width
    return Snippet(text[:cut].rstrip() + " " + ELLIPSIS)
