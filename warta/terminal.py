"""What every command shares about the terminal: untrusted text made printable, the index
the user means, JSON lines on standard output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from index.config import default_index_dir
from index.untrusted import printable

safe = printable  # file names and queries may carry control characters


def index_path(args: argparse.Namespace) -> Path:
    """The index a command works on: --index, else WARTA_INDEX, else the user data dir."""
    return Path(args.index).expanduser() if args.index else default_index_dir()


def open_engine(args: argparse.Namespace) -> Any:
    """The engine over the index the command names (imported late: `warta index` and
    `--help` do not load the search layer)."""
    from search.engine import Engine

    return Engine(index_path(args))


def write_json(obj: dict[str, Any], stream: Any = None) -> None:
    """One JSON object as a line on standard output (or `stream`, a binary file)."""
    (stream or sys.stdout.buffer).write(orjson.dumps(obj) + b"\n")
