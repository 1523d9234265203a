"""The core is headless: importing index/ and search/ (the CLI included) never loads textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULES = [
    "index.analysis",
    "index.build",
    "index.schema",
    "index.store",
    "search.engine",
    "search.query",
    "search.compiler",
    "search.highlight",
    "search.facets",
    "search.spelling",
    "search.render",
    "search.cli",
    "search.commands_index",
    "search.commands_search",
]


def test_index_and_search_never_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "from search.cli import build_parser, _load_command_modules\n"
        + "_load_command_modules(); build_parser()\n"
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"textual imported by the core: {r.stdout}"
