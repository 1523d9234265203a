"""Per-index sets of document numbers: the articles of each outlet and month, read once.

Facet counts are then set intersections done in C (`len(outlet_docs & matched)`) instead of
Whoosh's per-document Python collectors, which cost tens of milliseconds at 5,000 articles
and far more at 100,000. The sets come from the term index of the `outlet` and `month`
fields (postings, not stored fields); the date sort keys come from the `published` column
the first time a date sort is asked for. One `DocSets` belongs to one open generation.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from index.schema import NO_DATE

if TYPE_CHECKING:
    from index.doc_columns import DocColumns
from search.models import Facets

UNKNOWN_OUTLET = "(unknown)"  # facet key of articles whose outlet is unknown
_LAST = float("inf")
_MICROSECONDS_A_DAY = 86_400_000_000  # Whoosh's DATETIME columns: microseconds since 0001-01-01


class DocSets:
    """Document numbers by outlet and by month, live documents, and date sort keys."""

    def __init__(self, reader: Any, columns: DocColumns | None = None) -> None:
        """From the generation's persisted columns (index.doc_columns) when given: arrays
        mapped from disk, so opening costs a numpy pass and the sets by outlet, month and
        language are made only when a filter or a count asks for them. Without columns
        (an index built before them, or damaged ones), from the term index through
        `reader`: a walk over every posting of three fields. Both give the same sets
        (tests/search/test_docsets.py)."""
        size = self._size = reader.doc_count_all()
        self._columns = columns
        self._lock = threading.Lock()
        self._live: frozenset[int] | None = None
        # Each document's key by field, as lists: made from the columns when first asked
        # (a million-element list costs tens of milliseconds; a first search needs none).
        self._key_lists: dict[str, list[str | None] | None] = {}
        self._raw: list[int] | None = None  # the `published` column, read once
        self._by_field: dict[str, dict[str, frozenset[int]]] = {}
        # Per coded field (columns only): each document's code, and the label of each code.
        self._coded: dict[str, tuple[Any, list[str | None]]] = {}
        if columns is not None:
            self._from_columns(columns)
        else:
            self._live = frozenset(reader.all_doc_ids())
            outlet = self._by_field["outlet"] = self._by_term(reader, "outlet")
            self._by_field["month"] = self._by_term(reader, "month")
            language = self._by_field["language"] = self._by_term(reader, "language")
            known = set().union(*outlet.values()) if outlet else set()
            unknown = self.live - known
            if unknown:
                outlet[UNKNOWN_OUTLET] = frozenset(unknown)
            self._key_lists["outlet"] = _partition(outlet, size)
            self._key_lists["month"] = _partition(self.month, size)
            # Most archives hold one language: every match is then of it, nothing to count.
            only = next(iter(language.items())) if len(language) == 1 else None
            self._one_language = only[0] if only and len(only[1]) == len(self.live) else None
            self._key_lists["language"] = None if self._one_language else _partition(language, size)
            #: No deleted documents: every posting is live, and match sets need no trimming.
            self.all_live = len(self.live) == size
        self._keys: dict[bool, list[float]] = {}
        self._days: list[int] | None = None
        self._by_day: tuple[list[int], list[int]] | None = None

    def _from_columns(self, columns: DocColumns) -> None:
        import numpy as np

        live = self._live_mask = np.asarray(columns.live)
        self.all_live = bool(live.all())
        self._coded["outlet"] = _coded(columns, "outlet", live, UNKNOWN_OUTLET)
        self._coded["month"] = _coded(columns, "month", live, None)
        codes = np.asarray(columns.codes("language"))
        held = np.flatnonzero(np.bincount(codes[live & (codes >= 0)] if len(codes) else codes))
        self._languages_held = frozenset(columns.names["language"][int(c)] for c in held)
        full = len(held) == 1 and bool((codes[live] == held[0]).all())
        self._one_language = columns.names["language"][int(held[0])] if full else None
        if not full:
            self._coded["language"] = _coded(columns, "language", live, None)
        else:
            self._key_lists["language"] = None

    @property
    def live(self) -> frozenset[int]:
        """The live documents' numbers (made from the columns when first asked)."""
        found = self._live
        if found is None:
            import numpy as np

            found = self._live = frozenset(np.flatnonzero(self._live_mask).tolist())
        return found

    def _key_list(self, field: str) -> list[str | None] | None:
        """Each document's key in a coded field (see `_keys_of`), made once."""
        if field not in self._key_lists:
            with self._lock:
                if field not in self._key_lists:
                    self._key_lists[field] = _keys_of(*self._coded[field])
        return self._key_lists[field]

    @property
    def _outlet_of(self) -> list[str | None] | None:
        return self._key_list("outlet")

    @property
    def _month_of(self) -> list[str | None] | None:
        return self._key_list("month")

    @property
    def _language_of(self) -> list[str | None] | None:
        return self._key_list("language")

    def languages_held(self) -> frozenset[str]:
        """The language codes of the live documents (without making their sets)."""
        if self._columns is not None:
            return self._languages_held
        return frozenset(self.language)

    @property
    def outlet(self) -> dict[str, frozenset[int]]:
        """Live documents by outlet key (UNKNOWN_OUTLET: those without an outlet)."""
        return self._sets("outlet")

    @property
    def month(self) -> dict[str, frozenset[int]]:
        """Live documents by month key (NO_DATE: the undated)."""
        return self._sets("month")

    @property
    def language(self) -> dict[str, frozenset[int]]:
        """Live documents by language code."""
        return self._sets("language")

    def _sets(self, field: str) -> dict[str, frozenset[int]]:
        # Made once; two threads asking at once would both make the same dict.
        found = self._by_field.get(field)
        if found is None:
            assert self._columns is not None
            missing = UNKNOWN_OUTLET if field == "outlet" else None
            found = _sets_of(self._columns, field, self._live_mask, missing)
            self._by_field[field] = found
        return found

    def _by_term(self, reader: Any, field: str) -> dict[str, frozenset[int]]:
        sets: dict[str, frozenset[int]] = {}
        for value in reader.field_terms(field):
            docs = frozenset(reader.postings(field, value).all_ids()) & self.live
            if docs:
                sets[value] = docs
        return sets

    def undated(self) -> frozenset[int]:
        return self.month.get(NO_DATE, frozenset())

    def outlets(self, keys: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found |= self.outlet.get(key, frozenset())
        return found

    def languages(self, codes: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for code in codes:
            found |= self.language.get(code, frozenset())
        return found

    def count(self, matched: set[int] | frozenset[int]) -> Facets:
        """Facets of a result set; every article is in exactly one month set ("none")."""
        return self.count_each(matched, matched, matched, matched)

    def count_each(
        self,
        outlets: set[int] | frozenset[int],
        months: set[int] | frozenset[int],
        years: set[int] | frozenset[int],
        languages: set[int] | frozenset[int],
    ) -> Facets:
        """Facets each counted over a set of its own (the months' set also gives the
        undated count): what counting stories needs, one article a story and value
        (search.stories.story_facets). `count` passes one set four times."""
        if not (outlets or months or years or languages):
            return Facets()
        arrays: dict[int, Any] = {}  # each set as an array once, however many facets ask
        outlet = self._count("outlet", outlets, arrays)
        month = self._count("month", months, arrays)
        no_date = month.pop(NO_DATE, 0)
        if years is months:
            by_year = month
        else:
            by_year = self._count("month", years, arrays)
            by_year.pop(NO_DATE, None)
        if self._one_language is not None:
            language = {self._one_language: len(languages)} if languages else {}
        else:
            language = self._count("language", languages, arrays)
        year: dict[str, int] = {}
        for m, n in by_year.items():
            year[m[:4]] = year.get(m[:4], 0) + n
        return Facets(
            outlet=dict(sorted(outlet.items(), key=lambda kv: (-kv[1], kv[0]))),
            year=dict(sorted(year.items())),
            month=dict(sorted(month.items())),
            no_date=no_date,
            language=dict(sorted(language.items(), key=lambda kv: (-kv[1], kv[0]))),
        )

    def _count(
        self, field: str, matched: set[int] | frozenset[int], arrays: dict[int, Any]
    ) -> dict[str, int]:
        coded = self._coded.get(field)
        # Counted from the codes when there are many, or while no list of keys is made
        # (making it costs more than a few counts from the codes).
        if coded is not None and (len(matched) >= NUMPY_COUNT_FROM or field not in self._key_lists):
            return _bincounts(*coded, _as_array(matched, arrays))
        key_of = self._key_list(field)
        # The sets by value are made only when the partition cannot count alone.
        return _counts({} if key_of is not None else self._sets(field), key_of, matched)

    def by_date(self, matched: Iterable[int], newest: bool, limit: int, reader: Any) -> list[int]:
        """The first `limit` documents newest (or oldest) first; undated ones last.

        `reader` is the calling thread's: Whoosh readers do not cross threads.
        """
        keys = self._sort_keys(newest, reader)
        return heapq.nsmallest(limit, sorted(matched), key=keys.__getitem__)

    def days(self, reader: Any) -> list[int]:
        """Every document's publication day (its proleptic ordinal, in the article's own
        zone), 0 for undated ones: what trends count by. Read once per generation."""
        with self._lock:
            if self._days is None:
                undated = self.undated()
                self._days = [
                    0 if d in undated else v // _MICROSECONDS_A_DAY + 1
                    for d, v in enumerate(self._published(reader))
                ]
            return self._days

    def dated_between(self, lo: int, hi: int, reader: Any) -> frozenset[int]:
        """The live documents whose publication day (ordinal) is within lo..hi: a slice
        of the documents in day order (built once), so a new date range costs what it
        holds, not a pass over the whole archive."""
        days = self.days(reader)
        with self._lock:
            if self._by_day is None:
                order = sorted((d for d, day in enumerate(days) if day), key=days.__getitem__)
                self._by_day = ([days[d] for d in order], order)
            keys, order = self._by_day
        found = frozenset(order[bisect_left(keys, lo) : bisect_right(keys, hi)])
        return found if self.all_live else found & self.live

    def _published(self, reader: Any) -> list[int]:
        """The raw `published` column; the caller holds the lock."""
        if self._raw is None:
            if self._columns is not None:
                self._raw = self._columns.published.tolist()
            else:
                self._raw = _published(reader)
        return self._raw

    def month_of(self) -> list[str | None]:
        """Every document's month key ("none" for undated ones)."""
        if self._month_of is not None:
            return self._month_of
        return _first_key_of(self.month, self._size)

    def language_of(self) -> list[str | None] | None:
        """Every document's language, or None when the archive holds one language."""
        return self._language_of

    def outlet_of(self) -> list[str | None]:
        """Every document's outlet key (UNKNOWN_OUTLET where none was found)."""
        if self._outlet_of is not None:
            return self._outlet_of
        return _first_key_of(self.outlet, self._size)

    def _sort_keys(self, newest: bool, reader: Any) -> list[float]:
        with self._lock:
            if newest not in self._keys:
                raw = self._published(reader)
                undated = self.undated()
                sign = -1 if newest else 1
                self._keys[newest] = [
                    _LAST if d in undated else sign * v for d, v in enumerate(raw)
                ]
            return self._keys[newest]


def _published(reader: Any) -> list[int]:
    """The raw sortable `published` value of every document, by global number."""
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    values: list[int] = [0] * reader.doc_count_all()
    for leaf, offset in leaves:
        if not leaf.has_column("published"):
            continue
        column = leaf.column_reader("published", translate=False)
        for i, v in enumerate(column):
            values[offset + i] = v
    return values


def _first_key_of(sets: dict[str, frozenset[int]], size: int) -> list[str | None]:
    """Each document's first key in sorted order, where the sets overlap (an index whose
    documents hold several values of a field; `_partition` gives up on it)."""
    of: list[str | None] = [None] * size
    for key, docs in sorted(sets.items()):
        for d in docs:
            of[d] = of[d] or key
    return of


def _partition(sets: dict[str, frozenset[int]], size: int) -> list[str | None] | None:
    """Each document's one key, when the sets do not overlap; None when some do.

    Counting a result set is then one pass over it (`Counter` in C) instead of one set
    intersection per key: 7,000 matches against some 60 outlets and months cost 5 ms
    the other way at 100,000 articles.
    """
    of: list[str | None] = [None] * size
    for key, docs in sets.items():
        for d in docs:
            if of[d] is not None:
                return None
            of[d] = key
    return of


def _counts(
    sets: dict[str, frozenset[int]],
    key_of: list[str | None] | None,
    matched: set[int] | frozenset[int],
) -> dict[str, int]:
    if key_of is not None:
        counts = Counter(map(key_of.__getitem__, matched))
        counts.pop(None, None)
        return dict(counts)
    counts = {}
    for key, docs in sets.items():
        n = len(docs & matched)  # Python walks the smaller of the two
        if n:
            counts[key] = n
    return counts


def _keyed(columns: DocColumns, field: str, live: Any) -> tuple[Any, list[str | None]]:
    """A coded column with every live document without a value at code len(names) and
    every deleted one at len(names) + 1, and the labels by code (the last two None)."""
    import numpy as np

    names = columns.names[field]
    codes = np.asarray(columns.codes(field))
    keyed = np.where(live, np.where(codes >= 0, codes, len(names)), len(names) + 1)
    return keyed, [*names, None, None]


def _coded(
    columns: DocColumns, field: str, live: Any, missing: str | None
) -> tuple[Any, list[str | None]]:
    """`_keyed`, with `missing` the label of live documents without a value."""
    import numpy as np

    keyed, labels = _keyed(columns, field, live)
    labels[-2] = missing
    return keyed.astype(np.int32), labels


def _keys_of(keyed: Any, labels: list[str | None]) -> list[str | None]:
    """Each document's value (None: a deleted document, or one without a value unless
    `missing` named such documents): what `_partition` makes from the term index."""
    import numpy as np

    return np.array(labels, dtype=object)[keyed].tolist()


#: From this many matches facets are counted in numpy over the coded columns: one pass
#: of C over an array instead of a dict lookup per match (at a million articles, a
#: common word's 300,000 matches cost 40 ms counted the other way).
NUMPY_COUNT_FROM = 2000


def _as_array(matched: set[int] | frozenset[int], arrays: dict[int, Any]) -> Any:
    import numpy as np

    found = arrays.get(id(matched))
    if found is None or found[0] is not matched:
        found = arrays[id(matched)] = (matched, np.fromiter(matched, np.int64, len(matched)))
    return found[1]


def _bincounts(keyed: Any, labels: list[str | None], docs: Any) -> dict[str, int]:
    """Matches by label, from each document's code: what `_counts` gives."""
    import numpy as np

    counts = np.bincount(keyed[docs], minlength=len(labels)).tolist()
    return {label: n for label, n in zip(labels, counts, strict=True) if n and label is not None}


def _sets_of(
    columns: DocColumns, field: str, live: Any, missing: str | None
) -> dict[str, frozenset[int]]:
    """A coded column's live documents by value (`missing`: the key of those without
    one, else they are in no set): what `_by_term` makes from the term index, from one
    sort."""
    import numpy as np

    keyed, labels = _keyed(columns, field, live)
    labels[-2] = missing
    dead = len(labels) - 1
    order = np.argsort(keyed, kind="stable")
    bounds = np.searchsorted(keyed[order], np.arange(dead + 1)).tolist()
    sets: dict[str, frozenset[int]] = {}
    for code, label in enumerate(labels[:dead]):
        lo, hi = bounds[code], bounds[code + 1]
        if label is not None and hi > lo:
            sets[label] = frozenset(order[lo:hi].tolist())
    return sets
