"""The house's layers hold (ARCHITECTURE.md): warta → tui → search → index, never upwards.

import-linter reads every import statement, those deferred into functions too, so a lazy
`from tui.app import run` inside `search` fails here, not on a user's machine. The
contracts are in pyproject.toml ([tool.importlinter]); `lint-imports` prints the report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 kept, 0 broken" in run.stdout
