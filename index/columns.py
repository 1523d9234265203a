"""The record fields and the column names that fill them (data/columns.toml).

A light module on purpose: the command line lists the fields in `--map`'s help without
loading the record readers.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_FILE = Path(__file__).with_name("data") / "columns.toml"

with _FILE.open("rb") as _fh:
    COLUMN_NAMES: dict[str, tuple[str, ...]] = {
        field: tuple(names) for field, names in tomllib.load(_fh).items()
    }
FIELDS = tuple(COLUMN_NAMES)
