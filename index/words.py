"""The word lists the cleaner and the metadata readers judge lines by (data/words.toml).

Kept as data, like the outlet table and the boilerplate patterns, so that a list is
written once and read by every module that needs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_FILE = Path(__file__).with_name("data") / "words.toml"


def _load() -> dict[str, frozenset[str]]:
    with _FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {name: frozenset(w.casefold() for w in words) for name, words in data.items()}


_LISTS = _load()

INDONESIAN_FUNCTION = _LISTS["indonesian_function"]
ENGLISH_FUNCTION = _LISTS["english_function"]
MENU = _LISTS["menu"]
NOT_NAMES = _LISTS["not_names"] | MENU
BYLINE_ROLES = _LISTS["byline_roles"]
HEADLINE_LOWER = _LISTS["headline_lower"]
