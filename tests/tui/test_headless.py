"""The core stays headless: `warta search` must start fast and run where no UI can."""

from __future__ import annotations

import subprocess
import sys

from tests.tui.conftest import ROOT


def test_index_and_search_never_import_textual() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import index, search\n"
        "for pkg in (index, search):\n"
        "    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if not mod.name.endswith('__main__'): importlib.import_module(mod.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_tui_never_imports_whoosh() -> None:
    """The TUI talks to search.engine only; whoosh stays behind that boundary."""
    for path in (ROOT / "tui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import whoosh" not in text and "from whoosh" not in text, path
