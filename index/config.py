"""Where Warta keeps its things: the index, the user's own tables, and its caches."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "warta"


def default_index_dir() -> Path:
    """`WARTA_INDEX` if set, else the platform's user data directory."""
    env = os.environ.get("WARTA_INDEX")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP)) / "index"


def cache_dir() -> Path:
    """`WARTA_CACHE` if set, else the platform's user cache directory: what can be made
    again from installed files (index.langid_model), never anything of the user's."""
    env = os.environ.get("WARTA_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP))


def config_dir() -> Path:
    env = os.environ.get("WARTA_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP))


def user_config_file(name: str) -> Path | None:
    """A user's own copy of a shipped table, if there is one; it adds to the shipped one."""
    path = config_dir() / name
    return path if path.is_file() else None
