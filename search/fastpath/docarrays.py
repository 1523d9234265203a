"""Sets of document numbers as sorted numpy arrays, and the set algebra the plan needs.

Intersections and unions of whole posting lists go through a dense mask over every
document number of the index: one byte a document, a few hundred microseconds at a
million, where sorting merged lists or hashing Python ints costs tens of milliseconds.
Small arrays (a batch of candidates) are searched instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from search.fastpath.postings import DENSE_FROM, DOC

EMPTY_DOCS = np.zeros(0, dtype=DOC)
EMPTY_DOCS.setflags(write=False)


def as_docs(docs: Iterable[int]) -> np.ndarray:
    """Any collection of document numbers as a sorted array."""
    if isinstance(docs, np.ndarray):
        return docs
    out = np.fromiter(docs, dtype=DOC)
    out.sort()
    return out


def dense(count: int, n: int) -> bool:
    """True when a mask over `n` documents pays for sets of `count` elements."""
    return count * DENSE_FROM >= n


def mask_of(docs: np.ndarray, n: int) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[docs] = True
    return m


def contains(docs: np.ndarray, docnum: int) -> bool:
    i = int(np.searchsorted(docs, docnum))
    return i < len(docs) and int(docs[i]) == docnum


def member(docs: np.ndarray, of: np.ndarray, n: int) -> np.ndarray:
    """Which of `docs` (sorted) are in `of` (sorted): a boolean array parallel to docs."""
    if not len(of) or not len(docs):
        return np.zeros(len(docs), dtype=bool)
    if dense(min(len(docs), len(of)), n):
        return mask_of(of, n)[docs]
    return searched(docs, of)


def searched(values: np.ndarray, of: np.ndarray) -> np.ndarray:
    """Which of `values` are in `of` (sorted, non-empty), by binary search: for any
    integers, not only document numbers."""
    where = np.searchsorted(of, values)
    np.minimum(where, len(of) - 1, out=where)
    return of[where] == values


def intersect(arrays: Sequence[np.ndarray], n: int) -> np.ndarray:
    """The documents in every array, smallest array first."""
    if not arrays:
        return EMPTY_DOCS
    ordered = sorted(arrays, key=len)
    out = ordered[0]
    for other in ordered[1:]:
        if not len(out):
            break
        out = out[member(out, other, n)]
    return out


def union(arrays: Sequence[np.ndarray], n: int) -> np.ndarray:
    """The documents in any array."""
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return EMPTY_DOCS
    if len(arrays) == 1:
        return arrays[0]
    total = sum(map(len, arrays))
    if dense(total, n):
        m = np.zeros(n, dtype=bool)
        for a in arrays:
            m[a] = True
        return np.flatnonzero(m).astype(DOC)
    return np.unique(np.concatenate(arrays))


def difference(docs: np.ndarray, out: np.ndarray, n: int) -> np.ndarray:
    """`docs` without the documents of `out`."""
    if not len(out) or not len(docs):
        return docs
    return docs[~member(docs, out, n)]
