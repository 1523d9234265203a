"""Shared fixtures: the seeds, and an index of them built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory) -> Path:
    """One cache folder for a test session: the language model is decompressed once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory, monkeypatch, _session_cache):
    """Keep the user's own tables, index and cache out of every test."""
    monkeypatch.setenv("WARTA_CONFIG", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("WARTA_INDEX", str(tmp_path_factory.mktemp("default-index") / "ix"))
    monkeypatch.setenv("WARTA_CACHE", str(_session_cache))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory) -> Path:
    """An index of seeds/, built once; tests must not modify it."""
    from index.build import build_index

    target = tmp_path_factory.mktemp("seeds-index") / "ix"
    build_index(SEEDS, target)
    return target


@pytest.fixture
def archive(tmp_path) -> Path:
    """A writable copy of seeds/ to add bad files to."""
    dest = tmp_path / "archive"
    shutil.copytree(SEEDS, dest)
    return dest
