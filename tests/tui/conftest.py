"""Fixtures for the TUI: an index of seeds/ in a temporary folder (and one with a story
of two articles), and a private data dir.

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


ORIGIN_SEED = "000_cdbdf95fd593b164.txt"
REPOST_FIRST = (
    "SEOUL, KOMPAS.com - Menteri Luar Negeri Amerika Serikat Antony Blinken menyatakan "
    "khawatir atas kerja sama militer Rusia dan Korea Utara yang kian erat, termasuk rencana "
    "transfer teknologi satelit."
)
REPOST_ADDED = (
    "Blinken dijadwalkan melanjutkan lawatan ke Tokyo pada Jumat untuk bertemu Menteri Luar "
    "Negeri Jepang Yoko Kamikawa."
)


def write_story_archive(src: Path) -> None:
    """seeds/ plus a repost of its iNews article by Kompas.com, two hours later: another
    headline (stories ignore headlines), its first paragraph rewritten and one paragraph
    added at the end, so the two are one story of two articles."""
    src.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        (src / seed.name).write_bytes(seed.read_bytes())
    text = (SEEDS / ORIGIN_SEED).read_text(encoding="utf-8")
    lead = next(line for line in text.splitlines() if line.startswith("SEOUL, iNews.id - "))
    for old, new in (
        (lead, REPOST_FIRST),
        ("Follow WhatsApp Channel", REPOST_ADDED + "\n\nFollow WhatsApp Channel"),
        (
            "AS Khawatir Rusia Transfer Teknologi Rudal dan Nuklir ke Korut",
            "Blinken Khawatirkan Transfer Teknologi Rudal Rusia ke Korea Utara",
        ),
        ("Kamis, 09 November 2023 - 20:27:00 WIB", "Kamis, 09 November 2023 - 22:05:00 WIB"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    (src / "900_repost.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def story_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ and a repost of one seed, indexed once for the session: one story of two
    articles (iNews.id's first, Kompas.com's copy) and four articles alone."""
    from index.build import build_index

    base = tmp_path_factory.mktemp("tui-stories")
    write_story_archive(base / "src")
    build_index(base / "src", base / "ix")
    return base / "ix"
