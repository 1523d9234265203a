"""Facet counting in search.docsets: one pass over the matches when outlets and months
partition the documents, one intersection per key when they overlap."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from search import docsets
from search.docsets import _counts, _partition
from search.engine import Engine


def test_partition_counts_equal_intersections() -> None:
    rng = random.Random(3)
    size = 500
    keys = ["a", "b", "c", "d"]
    owner = [rng.choice(keys) for _ in range(size)]
    sets = {k: frozenset(d for d in range(size) if owner[d] == k) for k in keys}
    of = _partition(sets, size)
    assert of == owner
    for n in (0, 1, 37, 499):
        matched = frozenset(rng.sample(range(size), n))
        assert _counts(sets, of, matched) == _counts(sets, None, matched)


def test_overlapping_sets_fall_back_to_intersections() -> None:
    sets = {"a": frozenset({1, 2, 3}), "b": frozenset({3, 4})}
    assert _partition(sets, 5) is None
    assert _counts(sets, None, frozenset({2, 3, 4})) == {"a": 2, "b": 2}


def test_documents_in_no_set_are_not_counted() -> None:
    sets = {"a": frozenset({0, 1})}
    of = _partition(sets, 4)
    assert _counts(sets, of, frozenset({1, 2, 3})) == {"a": 1}


def test_index_facets_add_up(seeds_index: Path) -> None:
    sets = Engine(seeds_index).docsets()
    assert sets._outlet_of is not None and sets._month_of is not None
    facets = sets.count(sets.live)
    assert sum(facets.outlet.values()) == len(sets.live)
    assert sum(facets.month.values()) + facets.no_date == len(sets.live)


# ------------------------------------------------------------ persisted columns (issue 15)

ENGLISH = (
    "The Reuters News\n\nMonday, 4 March 2024\n\n"
    + " ".join(
        "The central bank kept its benchmark rate unchanged on Monday, saying inflation "
        "was within its target range and the currency had steadied after a volatile month."
        for _ in range(4)
    )
    + "\n"
)


def _archive_with_deletions(tmp_path: Path) -> Path:
    """Seeds, an English page, then an --update that deletes one seed and rewrites
    another: unknown outlets, undated articles, two languages, deleted documents and
    two segments."""
    from index.build import build_index
    from tests.helpers import SEEDS

    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "english.txt").write_text(ENGLISH, encoding="utf-8")
    index = tmp_path / "ix"
    build_index(src, index)
    seeds = sorted(src.glob("0*.txt"))
    seeds[0].unlink()
    seeds[1].write_text(seeds[1].read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    build_index(src, index, update=True)
    return index


def _both(index: Path) -> tuple[Any, Any]:
    from index import doc_columns, store
    from search.docsets import DocSets

    engine = Engine(index)
    reader = engine.searcher().reader()
    gen = store.current_generation(index).path
    columns = doc_columns.load(gen, reader.doc_count_all())
    return DocSets(reader, columns), DocSets(reader, None), reader


def test_sets_from_persisted_columns_equal_those_from_the_term_index(tmp_path: Path) -> None:
    fast, slow, reader = _both(_archive_with_deletions(tmp_path))
    assert not slow.all_live and fast.all_live == slow.all_live
    assert fast.live == slow.live
    assert fast.outlet == slow.outlet and list(fast.outlet) == list(slow.outlet)
    assert fast.month == slow.month and fast.language == slow.language
    assert len(fast.language) == 2  # Indonesian and English
    assert fast.languages_held() == slow.languages_held() == {"id", "en"}
    assert fast.outlet_of() == slow.outlet_of() and fast.month_of() == slow.month_of()
    assert fast.language_of() == slow.language_of()
    assert fast.days(reader) == slow.days(reader)
    everything = set(slow.live)
    for newest in (True, False):
        assert fast.by_date(everything, newest, 10, reader) == slow.by_date(
            everything, newest, 10, reader
        )
    some = set(sorted(everything)[::2])
    assert fast.count(some) == slow.count(some) and fast.count(everything) == slow.count(everything)
    days = [d for d in slow.days(reader) if d]
    lo, hi = min(days), max(days)
    assert fast.dated_between(lo, hi, reader) == slow.dated_between(lo, hi, reader)


@pytest.mark.parametrize("numpy_from", [0, 10**9], ids=["numpy", "counter"])
def test_counts_from_columns_equal_those_from_the_term_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numpy_from: int
) -> None:
    """Facets counted over the coded columns in numpy (a big result set) or one match at
    a time: the term index's counts, deleted documents and two languages included."""
    monkeypatch.setattr(docsets, "NUMPY_COUNT_FROM", numpy_from)
    fast, slow, _ = _both(_archive_with_deletions(tmp_path))
    # Nothing a million articles long is made before it is asked for.
    assert fast._live is None and "outlet" not in fast._key_lists
    everything = set(slow.live)
    some, others = set(sorted(everything)[::2]), set(sorted(everything)[1::3])
    for made in (False, True):  # counted from the codes, then from the lists of keys
        if made:
            assert fast.outlet_of() and fast.month_of() and fast.language_of()
        for matched in (everything, some, others, {min(everything)}):
            assert fast.count(matched) == slow.count(matched)
        assert fast.count_each(some, others, everything, some) == slow.count_each(
            some, others, everything, some
        )


def test_damaged_or_missing_columns_fall_back_to_the_term_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import doc_columns, store

    monkeypatch.setattr("search.engine.COLUMNS_FROM_DOCS", 0)  # a small index uses them too

    index = _archive_with_deletions(tmp_path)
    gen = store.current_generation(index).path
    with Engine(index) as engine:
        assert engine.docsets()._columns is not None
        expected = engine.search("banjir").total, engine.docsets().count(engine.docsets().live)
        docs = engine.searcher().reader().doc_count_all()
    with pytest.raises(doc_columns.DocColumnsError, match="do not match"):
        doc_columns.load(gen, docs + 1)
    # Well-formed but of another type, its checksum made to match: refused too.
    import zlib

    import numpy as np
    import orjson

    folder = gen / doc_columns.FOLDER
    np.save(folder / "outlet.npy", np.zeros(docs, dtype=np.float64))
    meta = orjson.loads((folder / doc_columns.META).read_bytes())
    meta["crc32"]["outlet"] = zlib.crc32((folder / "outlet.npy").read_bytes())
    (folder / doc_columns.META).write_bytes(orjson.dumps(meta))
    with pytest.raises(doc_columns.DocColumnsError, match="damaged"):
        doc_columns.load(gen, docs)
    (gen / doc_columns.FOLDER / "outlet.npy").write_bytes(b"damaged")
    with pytest.raises(doc_columns.DocColumnsError, match="damaged"):
        doc_columns.load(gen, docs)
    with Engine(index) as engine:
        assert engine.docsets()._columns is None
        assert (engine.search("banjir").total, engine.docsets().count(engine.docsets().live)) == (
            expected
        )
    shutil.rmtree(gen / doc_columns.FOLDER)
    with pytest.raises(doc_columns.DocColumnsError, match="no document columns"):
        doc_columns.load(gen, docs)
