"""The abbreviation table: Korut ⇄ Korea Utara, Menlu ⇄ Menteri Luar Negeri, AS ⇄ Amerika Serikat.

Indonesian news writes the same thing both ways, often in the same article, so a query for
one form must find the other. The table is data (`search/data/abbreviations.txt`, plus the
user's own `abbreviations.txt` in the config directory), not code.

Both sides are held as sequences of exact (unstemmed, lowercase) terms, the way the query
compiler sees the words of a query. An abbreviation written in capitals in the table (AS,
BI, DPR) only counts when the query writes it in capitals too: lowercased, "AS" is the
word "as", and expanding every "as" would flood the results.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.analysis import exact_terms
from index.config import user_config_file

log = logging.getLogger(__name__)

FILE_NAME = "abbreviations.txt"


@dataclass(frozen=True)
class Abbreviation:
    """One entry: the short form and the full forms it stands for."""

    short: str  # as written in the table: "AS", "Korut"
    terms: tuple[str, ...]  # its exact terms: ("as",), ("komnas", "ham")
    expansions: tuple[tuple[str, ...], ...]  # exact terms of each full form
    needs_capitals: bool  # "AS" only when the query writes "AS"

    def matches_written(self, written: list[str]) -> bool:
        """Whether the query's words (as typed) name this abbreviation."""
        if not self.needs_capitals:
            return True
        return all(w.isupper() for w in written)


@dataclass(frozen=True)
class AbbreviationTable:
    entries: tuple[Abbreviation, ...]

    def by_first_term(self) -> dict[str, list[tuple[tuple[str, ...], Abbreviation, bool]]]:
        """First exact term → (term sequence, entry, is_short_form), longest sequence first."""
        index: dict[str, list[tuple[tuple[str, ...], Abbreviation, bool]]] = {}
        for entry in self.entries:
            index.setdefault(entry.terms[0], []).append((entry.terms, entry, True))
            for full in entry.expansions:
                index.setdefault(full[0], []).append((full, entry, False))
        for candidates in index.values():
            candidates.sort(key=lambda c: -len(c[0]))
        return index

    def find(self, short: str) -> Abbreviation | None:
        for entry in self.entries:
            if entry.short.casefold() == short.casefold():
                return entry
        return None


def parse_table(text: str, source: str, table: dict[str, Abbreviation]) -> None:
    """Read `SHORT = Full Form | Other Full Form` lines into `table` (later lines win)."""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            log.warning("%s:%d: ignored, expected 'SHORT = Full Form'", source, number)
            continue
        short, _, rest = (part.strip() for part in line.partition("="))
        terms = tuple(exact_terms(short))
        if not terms:
            log.warning("%s:%d: ignored, no word before '='", source, number)
            continue
        key = " ".join(terms)
        expansions = tuple(
            tuple(exact_terms(full)) for full in rest.split("|") if exact_terms(full)
        )
        if not expansions:
            table.pop(key, None)  # `ABBR =` switches a shipped entry off
            continue
        letters = [c for c in short if c.isalpha()]
        needs_capitals = bool(letters) and all(c.isupper() for c in letters)
        table[key] = Abbreviation(short, terms, expansions, needs_capitals)


@lru_cache(maxsize=1)
def load_table() -> AbbreviationTable:
    """The shipped table plus the user's own; cached for the life of the process."""
    table: dict[str, Abbreviation] = {}
    shipped = resources.files("search").joinpath(f"data/{FILE_NAME}")
    parse_table(shipped.read_text(encoding="utf-8"), FILE_NAME, table)
    user = user_config_file(FILE_NAME)
    if user is not None:
        try:
            parse_table(user.read_text(encoding="utf-8"), str(user), table)
        except (OSError, UnicodeDecodeError) as err:
            log.warning("%s: ignored (%s)", user, err)
    return AbbreviationTable(tuple(table.values()))
