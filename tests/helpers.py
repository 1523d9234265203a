"""What tests share that is not a fixture: where things are, and `warta` run in-process.

Fixtures stay in the conftest files; plain helpers live here so that tests import them
from a module, not from a conftest.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def paths(results: Any) -> list[str]:
    """Seed numbers of the hits, in rank order."""
    return [h.path[:3] for h in results.hits]


@dataclass
class Ran:
    """What a run of `warta` left: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run_warta(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Ran:
    """`warta ARGS` in this process, through `warta.cli.main(argv)`: standard input,
    output (text and binary) and environment variables as a subprocess would see them,
    restored after."""
    from warta.cli import main

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    saved_stdin = sys.stdin
    os.environ.update(env or {})
    sys.stdin = io.StringIO(stdin or "")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse errors and --help
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = saved_stdin
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    out.flush()
    printed: Any = out.buffer.getvalue()  # type: ignore[attr-defined]
    return Ran(code, printed.decode("utf-8"), err.getvalue())
