"""Did-you-mean: a query word the index has never seen, replaced by a close, frequent one.

Suggestions come from the unstemmed `body_exact` lexicon, so they are words as written
("rudal", never a bare stem like "khawatir" for "kekhawatiran"). A candidate must be one
or two edits away; among those, fewer edits win, then the word more articles use.
"""

from __future__ import annotations

from typing import Any

from index.analysis import exact_terms
from search.query import Word

SPELL_FIELD = "body_exact"
CHECK_FIELDS = ("body_exact", "title_exact")
MIN_WORD_CHARS = 3
MAX_EDITS = 2
TWO_EDITS_FROM = 8  # letters


def _known(reader: Any, word: str) -> bool:
    return any(reader.doc_frequency(f, word) for f in CHECK_FIELDS)


def correct_word(reader: Any, word: str) -> str | None:
    """The best correction of one lowercase word, or None when it is known or hopeless."""
    if len(word) < MIN_WORD_CHARS or not word.isalpha() or _known(reader, word):
        return None
    best: tuple[int, int, str] | None = None
    # Whoosh's automaton counts a swap of two letters ("rusai") as two edits.
    for candidate in _within(reader, word, MAX_EDITS):
        if candidate == word or not candidate.isalpha():
            continue
        edits = swap_distance(word, candidate)
        # Long words afford two edits; shorter ones one, or anything matches
        # ("lansia" is two edits from "langka").
        if edits > (MAX_EDITS if len(word) >= TWO_EDITS_FROM else 1):
            continue
        key = (edits, -reader.doc_frequency(SPELL_FIELD, candidate), candidate)
        if best is None or key < best:
            best = key
    return best[2] if best is not None else None


def swap_distance(a: str, b: str) -> int:
    """Edits between two words, a swap of neighbouring letters counting as one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _within(reader: Any, word: str, edits: int) -> set[str]:
    """Lexicon words within `edits` edits, sharing the first letter (typos rarely hit it).

    Asked of each segment in turn: Whoosh answers that with an automaton over the term
    index, where the multi-segment reader would walk every term.
    """
    found: set[str] = set()
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    for leaf, _ in leaves:
        found.update(leaf.terms_within(SPELL_FIELD, word, edits, prefix=1))
    return found


def suggest(
    reader: Any, text: str, words: list[Word], cache: dict[str, str | None] | None = None
) -> str | None:
    """The query with its unknown words corrected, or None when nothing needs it.

    `cache` (word → correction) belongs to one open index: the TUI searches again on
    every keystroke, and an automaton walk of the lexicon costs milliseconds.
    """
    replacements: list[tuple[int, int, str]] = []
    for w in words:
        if w.end <= w.start:
            continue
        terms = exact_terms(w.text)
        if len(terms) != 1:
            continue
        if cache is not None and terms[0] in cache:
            fixed = cache[terms[0]]
        else:
            fixed = correct_word(reader, terms[0])
            if cache is not None:
                if len(cache) >= 4096:
                    cache.clear()
                cache[terms[0]] = fixed
        if fixed is None:
            continue
        typed = text[w.start : w.end]
        at = typed.lower().rfind(w.text.lower())
        if at < 0:
            continue
        replacements.append((w.start + at, w.start + at + len(w.text), _same_case(w.text, fixed)))
    if not replacements:
        return None
    out = text
    for start, end, new in sorted(replacements, reverse=True):
        out = out[:start] + new + out[end:]
    return out


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
