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


def _known(reader: Any, word: str) -> bool:
    return any(reader.doc_frequency(f, word) for f in CHECK_FIELDS)


def correct_word(reader: Any, word: str) -> str | None:
    """The best correction of one lowercase word, or None when it is known or hopeless."""
    if len(word) < MIN_WORD_CHARS or not word.isalpha() or _known(reader, word):
        return None
    best: tuple[int, int, str] | None = None
    for edits in range(1, MAX_EDITS + 1):
        # Longer words afford two edits; short ones only one, or anything matches.
        if edits == 2 and len(word) < 5:
            break
        for candidate in _within(reader, word, edits):
            if candidate == word or not candidate.isalpha():
                continue
            freq = reader.doc_frequency(SPELL_FIELD, candidate)
            key = (edits, -freq, candidate)
            if best is None or key < best:
                best = key
        if best is not None:
            return best[2]
    return None


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


def suggest(reader: Any, text: str, words: list[Word]) -> str | None:
    """The query with its unknown words corrected, or None when nothing needs it."""
    replacements: list[tuple[int, int, str]] = []
    for w in words:
        if w.end <= w.start:
            continue
        terms = exact_terms(w.text)
        if len(terms) != 1:
            continue
        fixed = correct_word(reader, terms[0])
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
