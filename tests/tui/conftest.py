"""Fixtures for the TUI: an index of seeds/ in a temporary folder, and a private data dir.

Every test gets its own WARTA_DATA, so history and saved searches never leak between tests
or into the user's real data directory.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from tests.helpers import SEEDS


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (Pilot is async; no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def _private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "warta-data"
    monkeypatch.setenv("WARTA_DATA", str(data))
    return data


@pytest.fixture(scope="session")
def tui_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ indexed once for the session; tests only read it."""
    from index.build import build_index

    target = tmp_path_factory.mktemp("tui-index") / "ix"
    build_index(SEEDS, target)
    return target
