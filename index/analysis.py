"""The one analyzer: used to index, to query and to highlight.

Whoosh pickles the analyzer into the index schema, so everything here is a module-level
class with plain attributes: the stem cache lives in the module, never on the objects.

Why the shape of it:
- Sastrawi's own normaliser mangles anything outside a-z ("báo" → "b o", "9/11/2023" →
  three tokens), so only tokens made of a-z letters (and hyphens) are stemmed.
- Hyphenated reduplications ("negara-negara", "bermain-main") are one word and stem to
  their base; other hyphenated compounds ("Rusia-Korea", "non-proliferasi") are split so
  each part is findable on its own.
- Stopwords stay: phrases need them, and Sastrawi's list holds news words (naik, bulan).
- Stemming an unseen word costs up to 0.3 ms, so each distinct word is stemmed once, the
  cache is persisted beside the index, and a rebuild never stems the vocabulary again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from whoosh.analysis import Token, Tokenizer

# Letters and digits (any script, diacritics included), joined by inner hyphens.
_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_STEMMABLE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_HYPHENS = re.compile(r"[-‐‑]")


def is_reduplication(parts: list[str]) -> bool:
    """True for Indonesian reduplication: "mata-mata", "bermain-main", "sayur-mayur".

    Full or affixed reduplication repeats the base; rhyming reduplication (sayur-mayur,
    bolak-balik) keeps the length and the ending. Compounds of two different words
    (Rusia-Korea, real-time) are not reduplication.
    """
    if len(parts) != 2:
        return False
    a, b = (p.lower() for p in parts)
    if not a or not b:
        return False
    if a == b or a.endswith(b) or b.startswith(a):
        return True
    if a.isdigit() or b.isdigit():
        return False
    # rhyming or vowel-changing: same length and the same last two letters, or same start.
    return len(a) == len(b) and len(a) >= 4 and (a[-3:] == b[-3:] or a[:3] == b[:3])


def compound_parts(word: str) -> list[str]:
    """The words a hyphenated match of the word pattern stands for: itself when it is a
    reduplication, else its parts."""
    parts = _HYPHENS.split(word)
    return [word] if len(parts) == 1 or is_reduplication(parts) else parts


def iter_word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the words the analyzer sees, in order."""
    for m in _WORD.finditer(text):
        word = m.group()
        if not _HYPHENS.search(word):
            yield m.span()
            continue
        parts = compound_parts(word)
        if len(parts) == 1:
            yield m.span()
            continue
        offset = m.start()
        for part in parts:
            yield offset, offset + len(part)
            offset += len(part) + 1


def lower_words(text: str) -> list[str]:
    """The analyzer's words of `text`, lowercased, without their spans.

    The build's hot path: the same words as iter_word_spans gives, found by one findall
    instead of a match object per word. Lowercasing the words joined by spaces is the same
    as lowercasing each: a space is neither cased nor case-ignorable, so no word's
    lowercase (not even a final sigma) depends on its neighbours.
    """
    words = _WORD.findall(text)
    if _HYPHENS.search(text):
        split: list[str] = []
        for word in words:
            if _HYPHENS.search(word):
                split.extend(compound_parts(word))
            else:
                split.append(word)
        words = split
    return " ".join(words).lower().split(" ") if words else []


class StemCache:
    """Word → stem for the whole process, persisted beside the index.

    A plain dict guarded by a lock for writers: Textual workers and the build's threads may
    stem at once. Overrides (Sastrawi's known mis-stems, names it must leave alone) come from
    `index/data/stem_overrides.txt` and a user's own copy in the config directory.
    """

    def __init__(self) -> None:
        self.stems: dict[str, str] = {}
        self.overrides: dict[str, str] | None = None
        self.hits = 0
        self.misses = 0
        self.learned: dict[str, str] = {}  # stemmed since the counters were reset
        self._stemmer: Any = None
        self._lock = threading.Lock()

    def _sastrawi(self) -> Any:
        if self._stemmer is None:
            from index.stemmer import create_stemmer

            self._stemmer = create_stemmer()
        return self._stemmer

    def _overrides(self) -> dict[str, str]:
        if self.overrides is None:
            self.overrides = load_overrides()
        return self.overrides

    def stem(self, word: str) -> str:
        """Stem of a lowercase word; words outside a-z pass through untouched.

        Counts misses only: the analyzer reads the dict directly on its hot path and adds
        its lookups to `hits`, so hit rate = (hits - misses) / hits.
        """
        stem = self.stems.get(word)
        if stem is not None:
            return stem
        self.misses += 1
        stem = self._compute(word)
        self.stems[word] = stem
        self.learned[word] = stem
        return stem

    def _compute(self, word: str) -> str:
        override = self._overrides().get(word)
        if override is not None:
            return override
        if not _STEMMABLE.fullmatch(word):
            return word
        # Sastrawi's stem(text) first normalises the text (lowercase, everything but a-z,
        # digits, spaces and hyphens made a space, spaces squeezed) and splits it at
        # spaces: for a word _STEMMABLE matches that is the word itself, so its one word
        # goes straight to stem_word (two regular expressions a word fewer).
        with self._lock:
            stem = self._sastrawi().stem_word(word)
        return stem or word

    def load(self, path: Path) -> int:
        """Merge a persisted cache; a damaged cache file is ignored, it is only a cache."""
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return 0
        if not isinstance(data, dict):
            return 0
        overrides = self._overrides()
        for word, stem in data.items():
            if isinstance(word, str) and isinstance(stem, str) and word not in overrides:
                self.stems.setdefault(word, stem)
        return len(data)

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(orjson.dumps(self.stems))
        tmp.replace(path)

    def reset_counters(self) -> None:
        self.hits = self.misses = 0
        self.learned = {}


def load_overrides() -> dict[str, str]:
    """Stem overrides: shipped table plus the user's own, one `word stem` pair a line."""
    table: dict[str, str] = {}
    shipped = resources.files("index").joinpath("data/stem_overrides.txt")
    _read_overrides(shipped.read_text(encoding="utf-8"), table)
    from index.config import user_config_file

    user = user_config_file("stem_overrides.txt")
    if user is not None:
        _read_overrides(user.read_text(encoding="utf-8"), table)
    return table


def _read_overrides(text: str, table: dict[str, str]) -> None:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) == 2:
            table[parts[0].lower()] = parts[1].lower()


STEMS = StemCache()


class Unstemmed(str):
    """Text the stemmed fields index as its exact words: an article in another language.

    Sastrawi would turn English or Malay words into nonsense Indonesian stems that then
    match Indonesian queries; unstemmed, such an article is still found by its own words
    (a query word whose stem is itself, as most foreign words are) without polluting
    Indonesian stems. The mark travels with the text, so every path that indexes it
    (Warta's segment writer, its writer processes, Whoosh's own writer) honours it; the
    build stores the plain text beside it (`_stored_<field>`), never this class.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Unstemmed, (str(self),))


class IndonesianAnalyzer(Tokenizer):
    """Words → lowercase → Sastrawi stems (or not, for the exact-word fields), in one pass.

    One generator instead of Whoosh's tokenizer | filter | filter chain: the analyzer runs
    over every word of every article at build time, and three chained generators per token
    cost more than the stemming itself once the stem cache is warm.
    """

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        cache = STEMS.stems if self.stem and type(value) is not Unstemmed else None
        spans = iter_word_spans(value) if tokenize else ((0, len(value)),)
        pos = start_pos
        looked = 0
        for start, end in spans:
            text = value[start:end].lower()
            if keeporiginal:
                t.original = value[start:end]
            if cache is not None:
                looked += 1
                stem = cache.get(text)
                t.text = stem if stem is not None else STEMS.stem(text)
            else:
                t.text = text
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t
        STEMS.hits += looked

    def terms(self, text: str) -> list[str]:
        """The terms of `text` in order, as the index holds them: the tokens' texts,
        without making a Token for each."""
        words = lower_words(text)
        if not self.stem or type(text) is Unstemmed:
            return words
        get = STEMS.stems.get
        stem = STEMS.stem
        STEMS.hits += len(words)
        return [get(w) or stem(w) for w in words]

    def positions(self, text: str) -> dict[str, list[int]]:
        """Each term of `text` with the positions it holds, in order of first occurrence.

        What the build indexes. The stemmed terms are gathered from the exact words' groups,
        so each distinct word of an article is stemmed once rather than each occurrence,
        and a word that is its own stem shares its position list with the exact field. The
        result is shared with the next caller on the same text: read it, do not change it.
        """
        global _last_positions
        last = _last_positions
        if last[0] is not text and last[0] != text:
            last = _last_positions = (text, _group(lower_words(text)), None)
        if not self.stem or type(text) is Unstemmed:
            return last[1]
        if last[2] is None:
            stemmed = _stem_groups(last[1])
            STEMS.hits += sum(map(len, last[1].values()))
            last = _last_positions = (last[0], last[1], stemmed)
        return last[2]


def _group(words: list[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    get = groups.get
    for pos, word in enumerate(words):
        found = get(word)
        if found is None:
            groups[word] = [pos]
        else:
            found.append(pos)
    return groups


def _stem_groups(exact: dict[str, list[int]]) -> dict[str, list[int]]:
    get = STEMS.stems.get
    stem = STEMS.stem
    groups: dict[str, list[int]] = {}
    for word, positions in exact.items():
        term = get(word) or stem(word)
        found = groups.get(term)
        if found is None:
            groups[term] = positions
        else:
            groups[term] = sorted(found + positions)
    return groups


# The last text grouped by positions(): (text, exact groups, stemmed groups or None).
_last_positions: tuple[str | None, dict[str, list[int]], dict[str, list[int]] | None] = (
    None,
    {},
    None,
)


# The analyzer of the stemmed fields: indexing, querying and highlighting all use it.
ANALYZER = IndonesianAnalyzer(stem=True)
# The exact-word fields: the same words, unstemmed, so exact forms can outrank stem-only
# matches and spelling suggestions are real words.
EXACT_ANALYZER = IndonesianAnalyzer(stem=False)


def stem_terms(text: str) -> list[str]:
    """The stemmed terms of a text, as the index holds them."""
    return ANALYZER.terms(text)


def exact_terms(text: str) -> list[str]:
    """The unstemmed lowercase terms of a text."""
    return EXACT_ANALYZER.terms(text)
