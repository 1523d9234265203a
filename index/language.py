"""Which language an article is written in: an ISO 639-1 code from py3langid.

Why py3langid, and why these rules (bench/language.py has the figures):
- It was more accurate than lingua on IndoSum and the development pages, ten times faster
  and a twentieth of the size; its model loads once per build, on a thread while the
  folder is walked, from a decompressed copy in the user's cache (index.langid_model).
- Indonesian and Malay are close kin and the identifier's one real confusion. Real Malay
  text scores Malay at 0.99 and over, while the Indonesian articles it calls Malay score
  0.5-0.6 with Indonesian a close second. Malay therefore needs to be sure; a close call
  goes to Indonesian, the language the archive is kept for.
- The first 300 characters are read first (a tenth of a millisecond: py3langid walks
  the text byte by byte in Python, so its cost is the length read). Indonesian found there
  stands, since a closer look could only confirm it under the rule above; any other
  verdict the identifier is not sure of (a title in capitals, a script left in the page, a
  Malay-looking opening) is taken again from the first 1,500 characters. A text it still
  cannot place (a caption of a few words) is taken as Indonesian rather than as the
  language of its likeliest guess. On IndoSum and the development pages that costs 0.11 ms
  an article, with no article misnamed at first looks of 200 to 600 characters
  (bench/language.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

INDONESIAN = "id"
SAMPLE = 300
LONG_SAMPLE = 1500
SURE = 0.9  # the probability at which a first look is trusted (and Malay accepted)
PLAUSIBLE = 0.5  # below it, the identifier's best guess is not taken at all

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from index.langid_model import load_identifier

            _identifier = load_identifier()
        return _identifier


def release() -> None:
    """Let the model go (about 75 MB): a build calls it when its reading is done. The
    next `identify` loads it again."""
    global _identifier
    with _lock:
        _identifier = None


def preload() -> threading.Thread:
    """Load the model on a thread, so a build's first article does not wait for it."""
    thread = threading.Thread(target=_model, name="warta-language-model", daemon=True)
    thread.start()
    return thread


def identify(title: str, body: Sequence[str]) -> str:
    """The ISO 639-1 code of an article's language (Indonesian when in doubt)."""
    text = _sample(title, body, LONG_SAMPLE)
    if not text.strip():
        return INDONESIAN
    model = _model()
    best, p = model.classify(text[:SAMPLE])
    if best == INDONESIAN and p >= PLAUSIBLE:
        return INDONESIAN  # the answer a closer look could only confirm
    # Malay is always read again at length: a short opening about Malaysia ("Perdana
    # Menteri", "Anwar") can look surely Malay in an Indonesian article (seen in the
    # development exports).
    if (p < SURE or best == "ms") and len(text) > SAMPLE:
        best, p = model.classify(text)
    if p < PLAUSIBLE or (best == "ms" and p < SURE):
        return INDONESIAN
    return str(best)


def _sample(title: str, body: Iterable[str], limit: int) -> str:
    """The title and the first paragraphs, up to about `limit` characters."""
    parts = [title]
    size = len(title)
    for paragraph in body:
        if size >= limit:
            break
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)[:limit]


def known(code: str) -> bool:
    """True for a language code the identifier can answer."""
    return code in _model().labels


def parse_codes(text: str) -> frozenset[str]:
    """`--lang id,en` as a set of codes; ValueError names a code that is not one."""
    codes = frozenset(c.strip().lower() for c in text.split(",") if c.strip())
    if not codes:
        raise ValueError("no language named — give ISO 639-1 codes such as id or id,en")
    unknown = sorted(c for c in codes if not known(c))
    if unknown:
        raise ValueError(
            f"unknown language code '{unknown[0]}' — give ISO 639-1 codes such as id, en, ms, jv"
        )
    return codes
