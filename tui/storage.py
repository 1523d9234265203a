"""What the TUI remembers between runs: query history, saved searches and the theme.

Kept apart from the index on purpose: rebuilding or deleting an index must never cost a user
their saved searches. Everything lives in small JSON files under the user data directory
(`WARTA_DATA` overrides it, so tests and portable setups never touch the real one). Files are
written to a temporary name and renamed, so a crash mid-write leaves the old file whole; an
unreadable file is treated as empty rather than stopping the app from opening.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import platformdirs

from search.models import SORTS, Filters, Sort

log = logging.getLogger(__name__)

HISTORY_LIMIT = 200


def data_dir() -> Path:
    """`WARTA_DATA` if set, else the platform's user data directory for Warta."""
    env = os.environ.get("WARTA_DATA")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("warta"))


def _read_json(path: Path, default: Any) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return default
    except (OSError, orjson.JSONDecodeError) as err:
        log.warning("ignoring unreadable %s (%s)", path, err)
        return default


def _write_json(path: Path, value: Any) -> None:
    """Write atomically; a failure is logged, never raised (losing history is not fatal)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2))
        os.replace(tmp, path)
    except OSError as err:
        log.warning("cannot write %s (%s)", path, err)
        with contextlib.suppress(OSError):
            tmp.unlink()


def filters_from_dict(data: dict[str, Any]) -> Filters:
    """Tolerant of hand edits: unknown keys are ignored, bad dates dropped."""

    def day(value: Any) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    outlets = data.get("outlets") or ()
    return Filters(
        outlets=tuple(str(o) for o in outlets if isinstance(o, str)),
        since=day(data.get("since")),
        until=day(data.get("until")),
        include_undated=bool(data.get("include_undated", True)),
        languages=tuple(str(c) for c in data.get("languages") or () if isinstance(c, str)),
    )


class History:
    """Queries the user committed to (Enter, or opening a hit), newest last, deduplicated.

    Not every debounced keystroke: recording "k", "ko", "kor" would bury the real queries.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "history.json"
        raw = _read_json(self.path, [])
        self.items: list[str] = (
            [q for q in raw if isinstance(q, str)] if isinstance(raw, list) else []
        )

    def add(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        if query in self.items:
            self.items.remove(query)
        self.items.append(query)
        del self.items[:-HISTORY_LIMIT]
        _write_json(self.path, self.items)


@dataclass
class SavedSearch:
    """A named query with its filters and sort: what a journalist re-runs every morning."""

    name: str
    query: str
    filters: Filters = field(default_factory=Filters)
    sort: Sort = "relevance"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "filters": self.filters.to_dict(),
            "sort": self.sort,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavedSearch | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return None
        sort = data.get("sort")
        return cls(
            name=data["name"],
            query=str(data.get("query") or ""),
            filters=filters_from_dict(data.get("filters") or {}),
            sort=sort if sort in SORTS else "relevance",
        )


class SavedSearches:
    """The ordered, editable list of saved searches; the first nine open with keys 1–9."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "saved.json"
        raw = _read_json(self.path, [])
        items = [SavedSearch.from_dict(d) for d in raw] if isinstance(raw, list) else []
        self.items: list[SavedSearch] = [s for s in items if s is not None]

    def save(self) -> None:
        _write_json(self.path, [s.to_dict() for s in self.items])

    def put(self, search: SavedSearch) -> None:
        """Add, or replace the one with the same name in place (keeps its key number)."""
        for i, existing in enumerate(self.items):
            if existing.name == search.name:
                self.items[i] = search
                break
        else:
            self.items.append(search)
        self.save()

    def rename(self, index: int, name: str) -> None:
        """Rename in place; another search already under that name gives way to this one."""
        name = name.strip()
        if not name or not 0 <= index < len(self.items):
            return
        target = self.items[index]
        target.name = name
        self.items = [s for s in self.items if s is target or s.name != name]
        self.save()

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            del self.items[index]
            self.save()

    def move(self, index: int, delta: int) -> int:
        """Move an item up or down; returns its new position."""
        to = index + delta
        if not (0 <= index < len(self.items) and 0 <= to < len(self.items)):
            return index
        self.items[index], self.items[to] = self.items[to], self.items[index]
        self.save()
        return to


@dataclass
class Settings:
    """Small preferences: the theme (so a light-terminal user is not flashed dark each run)
    and a keymap of binding id → keys, e.g. `{"warta.sort": "o"}`, to remap any Warta key.
    """

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Settings:
        raw = _read_json(data_dir() / "settings.json", {})
        if not isinstance(raw, dict):
            raw = {}
        theme = raw.get("theme")
        keymap = raw.get("keymap")
        return cls(
            theme=theme if isinstance(theme, str) else None,
            keymap={str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
            if isinstance(keymap, dict)
            else {},
        )

    def save(self) -> None:
        _write_json(data_dir() / "settings.json", {"theme": self.theme, "keymap": self.keymap})
