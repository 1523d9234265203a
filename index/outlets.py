"""The outlet table: every way a page names its publisher, mapped to one canonical key.

The table is data (`index/data/outlets.toml`) so that users can teach Warta a new outlet
by dropping an `outlets.toml` into their config directory, without touching code.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.config import user_config_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).with_name("data") / "outlets.toml"
_KEY = re.compile(r"[a-z0-9]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


@dataclass(frozen=True)
class Outlet:
    """One publisher: its canonical key, its display name and the spellings that name it."""

    key: str
    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    zone: str | None = None  # WIB, WITA or WIT: where the newsroom's clocks are (None: WIB)


def _spelling(text: str) -> str:
    """The form names are compared in: case, spaces and punctuation do not count."""
    return _NOT_ALNUM.sub("", text.casefold())


def _host(text: str) -> str | None:
    """The host of a domain or URL ("https://news.detik.com/x" -> "news.detik.com")."""
    t = _SCHEME.sub("", text.strip().casefold())
    t = t.split("/", 1)[0].split("?", 1)[0].rstrip(".")
    if t.startswith("www."):
        t = t[4:]
    return t if "." in t and " " not in t else None


def _merge(table: dict[str, Outlet], data: dict[str, Any], source: str) -> None:
    for key, spec in data.items():
        if not _KEY.fullmatch(key) or not isinstance(spec, dict):
            log.warning("%s: outlet %r ignored: needs a lowercase a-z0-9 key", source, key)
            continue
        old = table.get(key)
        name = str(spec.get("name") or (old.name if old else key))
        domains = tuple(str(d).casefold() for d in spec.get("domains", ()))
        aliases = tuple(str(a) for a in spec.get("aliases", ()))
        zone = spec.get("zone") or (old.zone if old else None)
        if old:
            domains = old.domains + tuple(d for d in domains if d not in old.domains)
            aliases = old.aliases + tuple(a for a in aliases if a not in old.aliases)
        table[key] = Outlet(key, name, domains, aliases, str(zone).upper() if zone else None)


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


class OutletTable:
    """A loaded outlet table with its lookup indexes built once."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.by_key = {o.key: o for o in outlets}
        self._hosts: dict[str, Outlet] = {}
        self._names: dict[str, Outlet] = {}
        for o in self.by_key.values():
            for d in o.domains:
                self._hosts.setdefault(d, o)
            for spelling in (o.key, o.name, *o.aliases, *o.domains):
                s = _spelling(spelling)
                if s:
                    self._names.setdefault(s, o)

    def lookup(self, name_or_domain: str) -> Outlet | None:
        host = _host(name_or_domain)
        if host:
            labels = host.split(".")
            for i in range(len(labels) - 1):
                found = self._hosts.get(".".join(labels[i:]))
                if found:
                    return found
        return self._names.get(_spelling(name_or_domain))


def load_table(paths: Iterable[Path]) -> OutletTable:
    """The table from TOML files, later files adding to earlier ones."""
    table: dict[str, Outlet] = {}
    for path in paths:
        try:
            _merge(table, _read(path), str(path))
        except (OSError, tomllib.TOMLDecodeError) as err:
            if path == SHIPPED:
                raise
            log.warning("outlet table %s ignored: %s", path, err)
    return OutletTable(table.values())


@lru_cache(maxsize=1)
def _table() -> OutletTable:
    user = user_config_file("outlets.toml")
    return load_table([SHIPPED] if user is None else [SHIPPED, user])


def lookup(name_or_domain: str) -> Outlet | None:
    """The outlet a name, alias, domain or URL names; None if the table does not know it.

    "detik.com", "news.detik.com", "detikNews" and "Detik" all give the `detik` outlet.
    """
    if not name_or_domain or len(name_or_domain) > 200:
        return None
    return _table().lookup(name_or_domain)


def get(key: str) -> Outlet | None:
    """The outlet with this canonical key (as given by `--outlet` or a folder name)."""
    return _table().by_key.get(key.strip().casefold())


def all_outlets() -> list[Outlet]:
    """Every known outlet, shipped and the user's own, sorted by key."""
    return sorted(_table().by_key.values(), key=lambda o: o.key)


def reload() -> None:
    """Forget the loaded table, so a changed user file is read again (tests, long sessions)."""
    _table.cache_clear()


_DESK = re.compile(r"^(?P<brand>[a-z]{3,})[A-Z][A-Za-z]+(?:\.[a-z.]+)?$")


def lookup_desk(name: str) -> Outlet | None:
    """The outlet of a desk written as brand + section: "detikSport", "kompasTV".

    Indonesian outlets name their desks this way in bylines and mastheads; the brand is
    the lowercase head, so one rule covers desks the table has never listed.
    """
    m = _DESK.match(name.strip())
    return lookup(m["brand"]) if m else None
