"""Facet counting in search.docsets: one pass over the matches when outlets and months
partition the documents, one intersection per key when they overlap."""

from __future__ import annotations

import random
from pathlib import Path

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
