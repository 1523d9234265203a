"""Stories: near-duplicate articles grouped under one story id (issue 18).

The same story reaches an archive many times: wire copy republished by other outlets,
reposts, one press release rewritten by several desks, one page scraped on several days.
Each copy keeps its own article; they share a *story id*, the id of the first article of
the story that the index met. `bench/stories.py` measures every choice below on real
articles (bench/README.md, "Stories").

How two articles are judged the same story, and why:

- **Shingles.** An article is the set of its body's word 3-grams (`NGRAM`), the words
  being its lowercased runs of letters and digits (`word_hashes`), unstemmed: a repost
  copies words, it does not re-inflect them. Overlapping 3-grams of a copied
  paragraph survive the edits reposting makes (a new dateline, a dropped or added
  paragraph, sentences moved within a paragraph, a trimmed quote), while two different
  articles on one event share few of them even when they share most of their words:
  3-grams gave the widest gap between reposts and the hardest different articles
  (single words and 2-grams let same-topic articles look alike, 4- and 5-grams let
  edits cost reposts more).
- **The headline is left out.** Reposts rewrite headlines more than anything else, and
  different stories on one topic share headline formulas ("Harga Emas Hari Ini ...");
  the body is the evidence. Measured, the headline changes nothing but lifts a few
  texts over the minimum length.
- **Too short to judge.** A body of fewer than `MIN_WORDS` words (a caption, a two-line
  flash) gets no sketch and is always a story of its own: dateline, teaser and footer
  lines that survived cleaning would be most of such a text, and two different texts
  sharing a block of b boilerplate words merge once they are shorter than about 1.5·b
  words. 80 words keep texts apart that share the longest repeated paragraph IndoSum
  has (a 36-word site closing on 318 of DailySocial's pages).
- **MinHash.** `NUM_PERM` minimum hashes estimate the Jaccard similarity of two shingle
  sets, in datasketch's "affine32" scheme with datasketch's permutations (`minhash`).
  The standard error is at most 0.5/sqrt(64) = 0.0625, small beside the gap measured
  between reposts (above 0.7 but for 5%) and different articles (below 0.4); 128 hashes
  measured no better and cost twice.
- **LSH.** Bands of rows of the sketch find the candidates without comparing every pair;
  a candidate joins only when its estimated similarity reaches the threshold
  (`DEFAULT_THRESHOLD`), the most similar one wins. The band table is our own compact
  one (`_Bands`); datasketch's `MinHashLSH` gives the same candidates with eight times
  the memory (`StoryIndex(lsh="datasketch")`).
- **One desk, another day.** Two articles of one outlet published a day or more apart
  (`SERIES_HOURS`) join only from `SAME_DESK_THRESHOLD`, not `DEFAULT_THRESHOLD`. An
  outlet's own articles share what no other outlet's copy shares: its templates (the
  daily gold-price or exchange-rate report, the weekly fixture list), its background
  paragraphs on a running story, boilerplate its cleaning left in. On the development
  exports one desk's reports of different days measured 0.5-0.75 (figures changed,
  template kept), and so did its follow-ups on a running story; its own republications
  of an article on a later day (retitled, moved to another channel) measured 0.8 and
  more. Figures were weighed too, and do not separate them: a price list keeps most of
  its figures (the gram sizes, the year) from one day to the next. A copy by another
  outlet, or by the same outlet within the news cycle (a repost hours later), is judged
  at the ordinary threshold; so is an article without an outlet or a date.
- **Stable hashes.** A shingle's hash is computed from the words' hashes (each a
  polynomial of its bytes, combined as a polynomial in numpy), never from Python's
  salted `hash()`, so a sketch saved by one build matches one made by the next
  process. The saved table
  records the permutations' fingerprint and refuses to load under a MinHash that would
  permute differently.

numpy is imported on first use, and datasketch (which imports scipy: 0.7 s of a small
build's story process) only for the reference LSH: the permutations are drawn as
datasketch draws them (`_Lib.permutations`; a test holds them equal). Which article of a
story came first is the story table's rule (`index.story_table.build_table`), known only
once the build has committed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.story_table import StoryTableError

if TYPE_CHECKING:
    import numpy as np
    from datasketch import LeanMinHash

#: The estimated Jaccard similarity of two articles' shingle sets from which the second
#: joins the first's story. Chosen on `bench/stories.py`'s curve: reposts with one or two
#: real edits measure 0.71 and more but for 5%, and recall stays above 0.99 from 0.3 to
#: 0.6; the most similar different articles in IndoSum, follow-ups that reuse a
#: background paragraph, measure up to 0.36. 0.5 sits in the middle of that gap.
DEFAULT_THRESHOLD = 0.5
#: The similarity from which an article joins the story of an article of the same desk
#: (outlet) published a day or more before or after it ("One desk, another day" above).
SAME_DESK_THRESHOLD = 0.8
#: How far apart (hours) two articles of one desk stand before `SAME_DESK_THRESHOLD`
#: applies: less than a day's news cycle, so a desk's daily reports (published about the
#: same time each day) are apart, and its repost of a text within the cycle is not.
SERIES_HOURS = 18
#: Minimum hashes a sketch (256 bytes as uint32).
NUM_PERM = 64
#: Words a shingle.
NGRAM = 3
#: A body of fewer words gets no sketch and is a story of its own.
MIN_WORDS = 80
#: The permutations' seed (fixed: sketches from different seeds cannot be compared).
SEED = 1
#: Bumped whenever the shingles or their hashes change: old tables then refuse to load.
HASH_VERSION = 2  # 2: words hashed from their bytes in numpy (word_hashes)
#: The smallest chance that a pair of articles exactly at the threshold is an LSH
#: candidate; the bands are chosen for it (`lsh_params`).
CANDIDATE_RECALL = 0.9

_FORMAT = 2  # 2: desks and times; a format-1 file loads with neither known
_NO_TIME = -(2**31)
_SCHEME = "affine32"
_MUL = 0x9E3779B97F4A7C15  # odd 64-bit multiplier of the shingle polynomial
_BYTE_MUL = 0x100000001B3  # FNV's 64-bit prime: the word polynomial's multiplier


class SketchFileError(StoryTableError):
    """A saved sketch file that cannot be used: missing, damaged, or made another way."""


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """The MinHash of one article's shingles: `values` is a uint32 array of `NUM_PERM`
    minimum hashes (picklable and 256 bytes, so worker processes can hand it over);
    `ngram` says how the shingles were made, so an index never mixes two kinds."""

    values: np.ndarray
    ngram: int = NGRAM

    def similarity(self, other: Sketch) -> float:
        """The estimated Jaccard similarity of the two articles' shingle sets."""
        if len(self.values) != len(other.values) or self.ngram != other.ngram:
            raise ValueError("sketches made with different parameters cannot be compared")
        return int((self.values == other.values).sum()) / len(self.values)


# ------------------------------------------------------------------------------ libraries


class _Lib:
    """numpy, datasketch and the permutations, loaded once on first use. datasketch (and
    the scipy it imports, about 50 MB) loads only where permutations are made: the
    build's main process, which only assigns, does without it until it saves."""

    def __init__(self) -> None:
        import numpy

        self.np = numpy
        self._permutations: dict[int, tuple[Any, Any]] = {}
        # word_hashes: which UTF-8 bytes belong to words, and the powers of its polynomial.
        self.word_bytes = numpy.zeros(256, dtype=bool)
        for c in b"abcdefghijklmnopqrstuvwxyz0123456789":
            self.word_bytes[c] = True
        self.word_bytes[0x80:] = True
        self.powers = numpy.cumprod(numpy.full(256, _BYTE_MUL, dtype=numpy.uint64))
        self.powers = numpy.concatenate(([numpy.uint64(1)], self.powers[:-1]))

    @property
    def datasketch(self) -> Any:
        import datasketch

        return datasketch

    @property
    def MinHash(self) -> Any:
        return self.datasketch.MinHash

    @property
    def LeanMinHash(self) -> Any:
        return self.datasketch.LeanMinHash

    @property
    def MinHashLSH(self) -> Any:
        return self.datasketch.MinHashLSH

    def permutations(self, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
        """datasketch's affine permutations (a odd, b) of its "affine32" scheme for
        `num_perm` hashes and our seed: the MinHash of every sketch."""
        found = self._permutations.get(num_perm)
        if found is None:
            found = self._affine32(num_perm)
            self._permutations[num_perm] = found
        return found

    def _affine32(self, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
        """`MinHash(num_perm, seed=SEED, scheme="affine32").permutations` of datasketch
        2.0 (`MinHash._init_permutations`), drawn here without importing datasketch and
        the scipy it loads: numpy's legacy RandomState(SEED), a = 2 * randint(2**31) + 1
        (odd), then b = randint(2**32), both uint32."""
        np = self.np
        gen = np.random.RandomState(SEED)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        return a, b

    def fingerprint(self, num_perm: int) -> bytes:
        """What the saved table records of the permutations, to refuse foreign ones."""
        a, b = self.permutations(num_perm)
        data = a.astype("<u4").tobytes() + b.astype("<u4").tobytes()
        return hashlib.blake2b(data, digest_size=8).digest()


_LIB: _Lib | None = None


def _lib() -> _Lib:
    global _LIB
    if _LIB is None:
        _LIB = _Lib()
    return _LIB


# --------------------------------------------------------------------------------- sketch


def word_hashes(text: str) -> np.ndarray:
    """A stable 64-bit hash of each word of `text` (uint64, in order), computed over the
    whole text at once in numpy.

    A word is a run of ASCII letters and digits and non-ASCII characters, case folded by
    `str.lower`; everything else separates words, and so do the general punctuation
    block (curly quotes, dashes, ellipsis: U+2000-U+207F) and Latin-1's symbols (U+00A0-
    U+00BF: no-break space, guillemets). A word's hash is the polynomial of its UTF-8
    bytes, mixed by SplitMix64's finalizer: the same in every process and on every
    machine. Splitting words in Python (a regular expression, then a cached hash a word)
    was two thirds of the sketching time in a build's story process.
    """
    lib = _lib()
    np = lib.np
    b = np.frombuffer(text.lower().encode("utf-8"), dtype=np.uint8)
    word = lib.word_bytes[b]
    if len(b) > 2:
        punct = np.flatnonzero((b[:-2] == 0xE2) & ((b[1:-1] == 0x80) | (b[1:-1] == 0x81)))
        for k in range(3):
            word[punct + k] = False
    if len(b) > 1:
        latin = np.flatnonzero((b[:-1] == 0xC2) & (b[1:] >= 0xA0) & (b[1:] <= 0xBF))
        for k in range(2):
            word[latin + k] = False
    at = np.flatnonzero(word)
    if not len(at):
        return np.empty(0, dtype=np.uint64)
    first = np.empty(len(at), dtype=bool)
    first[0] = True
    np.not_equal(at[1:], at[:-1] + 1, out=first[1:])
    starts = np.flatnonzero(first)
    lengths = np.diff(np.append(starts, len(at)))
    offset = np.arange(len(at)) - np.repeat(starts, lengths)
    terms = (b[at].astype(np.uint64) + np.uint64(1)) * lib.powers[np.minimum(offset, 255)]
    h = np.add.reduceat(terms, starts)
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


def shingle_hashes(hashes: np.ndarray, ngram: int = NGRAM) -> np.ndarray:
    """A stable 32-bit hash of each `ngram`-word shingle (uint32, one per position), from
    the words' hashes (`word_hashes`): the polynomial w0·M^(n-1) + … + w(n-1) modulo 2^64
    folded to 32 bits, cheaper than hashing each shingle's text."""
    np = _lib().np
    count = len(hashes) - ngram + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    combined = hashes[:count].copy()
    mul = np.uint64(_MUL)
    for k in range(1, ngram):
        combined *= mul
        combined += hashes[k : k + count]
    combined ^= combined >> np.uint64(32)
    return combined.astype(np.uint32)


def minhash(hashes: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash (uint32, `num_perm` values) of a set given by its 32-bit hashes.

    datasketch's `MinHash` with its "affine32" scheme and its permutations for our seed,
    computed for the whole set at once: each hash mixed by the MurmurHash3 finalizer,
    then a·h + b modulo 2^32 for each permutation, the minimum of each. The values are
    the library's (`tests/index/test_stories.py` holds them equal to `update_batch`'s);
    the library feeds its hash function one shingle at a time from Python, which cost
    0.20 ms an article against 0.02 here: most of the story step's share of the build.
    """
    np = _lib().np
    a, b = _lib().permutations(num_perm)
    if len(hashes) == 0:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    h = hashes.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    permuted = np.multiply.outer(h, a)
    permuted += b
    return permuted.min(axis=0)


def sketch_text(text: str, *, ngram: int = NGRAM, num_perm: int = NUM_PERM) -> Sketch | None:
    """The sketch of a text, or None when it has fewer than `MIN_WORDS` words."""
    hashes = word_hashes(text)
    if len(hashes) < MIN_WORDS:
        return None
    return Sketch(minhash(shingle_hashes(hashes, ngram), num_perm), ngram)


def sketch(
    title: str, body: list[str], *, ngram: int = NGRAM, num_perm: int = NUM_PERM
) -> Sketch | None:
    """The sketch of an article, or None when its body is too short to judge.

    `title` is accepted and ignored on purpose: reposts rewrite headlines, and stories of
    one topic share headline words (see the module's docstring). The paragraphs are read
    on as one text (a shingle may span a paragraph break). `ngram` and `num_perm` are for
    the benchmark; a `StoryIndex` takes sketches made one way only.
    """
    del title
    return sketch_text(" ".join(body), ngram=ngram, num_perm=num_perm)


# ------------------------------------------------------------------------------- the index


def candidate_chance(similarity: float, bands: int, rows: int) -> float:
    """The chance that two articles of this Jaccard similarity share an LSH band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) of the LSH: the most rows a band that still make a pair at exactly
    `threshold` a candidate with at least `CANDIDATE_RECALL` chance.

    More rows a band mean fewer chance candidates: two unrelated articles (estimated
    similarity about 0.001, a few hundredths for one outlet's articles sharing a footer)
    collide in a band of r rows with chance J^r, and every collision costs a check. At
    the shipped 0.5 and 64 hashes this gives 21 bands of 3 rows: a pair at 0.5 is a
    candidate 94% of the time, at 0.6 99.4%, at 0.7 99.99% (reposts measure 0.7-1.0);
    32 bands of two rows make 50 times more chance candidates (752 colliding pairs among
    IndoSum's 3,463 articles against 14), a number that grows with the archive. Computed,
    not optimized by datasketch's integral (scipy's quad, tens of milliseconds).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    best = (num_perm // 2, 2)  # at least two bands, as datasketch requires
    for rows in range(2, num_perm // 2 + 1):
        bands = num_perm // rows
        if bands >= 2 and candidate_chance(threshold, bands, rows) >= CANDIDATE_RECALL:
            best = (bands, rows)
    return best


class _Bands:
    """The LSH band table, compact: sorted runs of two numpy columns (band key, slot), 12
    bytes a band and article, plus a dict of the latest insertions merged into the
    newest run when it reaches an eighth of the table, but never more than `_RECENT_MAX`
    band keys (a dict entry costs about 170 bytes: unbounded, the dict held 130 MB at
    300,000 articles). A merge places the sorted new keys among the run's by binary
    search (linear, no sort of both). A run that reaches `_RUN_MAX` keys is frozen and a
    new one started, so a merge never copies more than one run: at a million articles
    (21 million band keys) one table merged whole doubled 250 MB at every merge, the
    story process's peak. A query searches every run (five at a million articles).

    Same candidates as datasketch's `MinHashLSH` with `params=(bands, rows)` (tests
    check it), whose dict of sets holds about 300 bytes a band and article: a whole
    `StoryIndex` held 7.0 KB an article on it (700 MB for 100,000 articles, most of the
    build's memory target) against 0.89 KB on this one (bench/README.md, "Stories"), and
    0.67 KB at 300,000 articles once the ids were held compactly (`StoryIndex`).
    A band's key is its `rows` values folded into 64 bits with the band's own salt; two
    different bands colliding only adds a candidate, which the similarity check drops.
    """

    _MERGE_MIN = 4096
    _RECENT_MAX = 1 << 17
    _RUN_MAX = 1 << 22  # band keys of a run that is frozen: 48 MB
    _LOAD_ROWS = 1 << 16  # sketches whose keys are made at once when a table is loaded

    def __init__(self, bands: int, rows: int) -> None:
        np = _lib().np
        self.bands, self.rows = bands, rows
        salt = hashlib.blake2b(b"warta stories bands", digest_size=64).digest()
        salt = (salt * (8 * bands // len(salt) + 1))[: 8 * bands]
        self._salt = np.frombuffer(salt, dtype="<u8").astype(np.uint64) + np.arange(
            bands, dtype=np.uint64
        )
        self._frozen: list[tuple[np.ndarray, np.ndarray]] = []  # full runs, never merged
        self._keys = np.empty(0, dtype=np.uint64)  # the newest run
        self._slots = np.empty(0, dtype=np.uint32)
        self._held = 0  # band keys in every run
        self._recent: dict[int, list[int]] = {}
        self._pending = 0
        self._dead: set[int] = set()

    def keys(self, values: np.ndarray) -> np.ndarray:
        """Band keys (uint64, `bands` of them on the last axis) of one sketch or many."""
        np = _lib().np
        lead = values.shape[:-1]
        v = values[..., : self.bands * self.rows].reshape(*lead, self.bands, self.rows)
        v = v.astype(np.uint64)
        # One sketch (the assignment's hot path) skips broadcast_to's cost.
        h = np.broadcast_to(self._salt, (*lead, self.bands)) if lead else self._salt
        h = h.copy()
        mul = np.uint64(_MUL)
        for j in range(self.rows):
            h *= mul
            h += v[..., j]
        h ^= h >> np.uint64(29)
        return h

    def insert(self, slot: int, values: np.ndarray, keys: np.ndarray | None = None) -> None:
        """Add a sketch (`keys`: its band keys when the caller has them already)."""
        recent = self._recent
        for key in (self.keys(values) if keys is None else keys).tolist():
            bucket = recent.get(key)
            if bucket is None:
                recent[key] = [slot]
            else:
                bucket.append(slot)
        self._pending += self.bands
        if self._pending >= self._merge_at():
            self._merge()

    def _merge_at(self) -> int:
        return max(self._MERGE_MIN, min(self._held // 8, self._RECENT_MAX))

    def insert_many(self, slots: np.ndarray, matrix: np.ndarray) -> None:
        """Insert many sketches at once (loading a saved table), a block at a time: the
        keys of a whole table at once would cost 8 bytes a hash and article."""
        np = _lib().np
        for start in range(0, len(slots), self._LOAD_ROWS):
            end = start + self._LOAD_ROWS
            keys = self.keys(matrix[start:end]).reshape(-1)
            owners = np.repeat(slots[start:end].astype(np.uint32), self.bands)
            self._absorb(keys, owners)

    def remove(self, slot: int) -> None:
        self._dead.add(slot)
        if len(self._dead) * self.bands >= self._merge_at():
            self._merge()

    def query(self, values: np.ndarray, keys: np.ndarray | None = None) -> set[int]:
        """The slots sharing a band with the sketch (`keys`: as for `insert`)."""
        np = _lib().np
        if keys is None:
            keys = self.keys(values)
        found: set[int] = set()
        for run_keys, run_slots in self._runs():
            lo = np.searchsorted(run_keys, keys, "left")
            hi = np.searchsorted(run_keys, keys, "right")
            for i in np.flatnonzero(hi > lo).tolist():
                found.update(run_slots[lo[i] : hi[i]].tolist())
        if self._recent:
            get = self._recent.get
            for key in keys.tolist():
                bucket = get(key)
                if bucket:
                    found.update(bucket)
        if self._dead:
            found -= self._dead
        return found

    def _runs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        yield from self._frozen
        if len(self._keys):
            yield self._keys, self._slots

    def _merge(self) -> None:
        np = _lib().np
        keys: list[int] = []
        owners: list[int] = []
        for key, bucket in self._recent.items():
            for slot in bucket:
                keys.append(key)
                owners.append(slot)
        self._recent = {}
        self._pending = 0
        self._absorb(np.array(keys, dtype=np.uint64), np.array(owners, dtype=np.uint32))

    def _purge(self) -> np.ndarray:
        """Drop the removed slots' keys from every run, one run at a time; the removed
        slots, as an array."""
        np = _lib().np
        dead = np.fromiter(self._dead, dtype=np.uint32, count=len(self._dead))
        for i, (run_keys, run_slots) in enumerate(self._frozen):
            live = ~np.isin(run_slots, dead)
            if not live.all():
                self._frozen[i] = (run_keys[live], run_slots[live])
        live = ~np.isin(self._slots, dead)
        self._keys, self._slots = self._keys[live], self._slots[live]
        self._held = len(self._keys) + sum(len(k) for k, _ in self._frozen)
        return dead

    def _absorb(self, keys: np.ndarray, owners: np.ndarray) -> None:
        np = _lib().np
        if self._dead:
            dead = self._purge()
            live = ~np.isin(owners, dead)
            keys, owners = keys[live], owners[live]
            self._dead = set()
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        del order
        old_keys, old_slots = self._keys, self._slots
        # The stable sort of both runs, made without sorting them: each new key goes after
        # the old ones equal to it, and after the new ones before it.
        at = np.searchsorted(old_keys, keys, "right")
        at += np.arange(len(keys), dtype=at.dtype)
        size = len(old_keys) + len(keys)
        new_keys = np.empty(size, dtype=np.uint64)
        new_slots = np.empty(size, dtype=np.uint32)
        new_keys[at] = keys
        new_slots[at] = owners
        old = np.ones(size, dtype=bool)
        old[at] = False
        del at
        self._keys = self._slots = None  # type: ignore[assignment]  # freed before filling
        new_keys[old] = old_keys
        del old_keys
        new_slots[old] = old_slots
        self._held += len(keys)
        if size >= self._RUN_MAX:
            self._frozen.append((new_keys, new_slots))
            new_keys = np.empty(0, dtype=np.uint64)
            new_slots = np.empty(0, dtype=np.uint32)
        self._keys, self._slots = new_keys, new_slots


class _DatasketchBands:
    """The same table on datasketch's `MinHashLSH` (the reference; `lsh="datasketch"`)."""

    def __init__(self, bands: int, rows: int, num_perm: int) -> None:
        self._lsh = _lib().MinHashLSH(num_perm=num_perm, params=(bands, rows))

    def keys(self, values: np.ndarray) -> None:
        return None  # the library hashes its own bands

    def insert(self, slot: int, values: np.ndarray, keys: None = None) -> None:
        self._lsh.insert(slot, _lean(values), check_duplication=False)

    def insert_many(self, slots: np.ndarray, matrix: np.ndarray) -> None:
        with self._lsh.insertion_session() as session:
            for slot, values in zip(slots.tolist(), matrix, strict=True):
                session.insert(slot, _lean(values), check_duplication=False)

    def remove(self, slot: int) -> None:
        self._lsh.remove(slot)

    def query(self, values: np.ndarray, keys: None = None) -> set[int]:
        return set(self._lsh.query(_lean(values)))


def _lean(values: np.ndarray) -> LeanMinHash:
    return _lib().LeanMinHash(seed=SEED, hashvalues=values, scheme=_SCHEME)


class _Texts:
    """Strings by number, in one UTF-8 buffer: an article id costs its bytes and 8 more,
    not a str object (about 100 bytes) and the dict and list slots that point at it."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("q")

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, text: str) -> None:
        self._data += _utf8(text)
        self._ends.append(len(self._data))

    def __getitem__(self, i: int) -> str:
        return self.raw(i).decode("utf-8", "surrogatepass")

    def raw(self, i: int) -> bytes:
        start = self._ends[i - 1] if i else 0
        return bytes(self._data[start : self._ends[i]])


class _Lookup:
    """The live slot of each article id: an open-addressing table of (hash, slot) in two
    flat arrays, filled to between a quarter and two thirds, 24 to 64 bytes an article
    where a dict of str keys cost about 150 (the str objects included). The
    hash is Python's own (a build's processes share its seed; nothing of it is saved),
    and a hit is confirmed against the id itself (`_Texts`), so a collision costs a
    comparison, never a wrong answer."""

    _EMPTY = 0  # no hash is 0 (`_hash`)
    _GONE = -1  # a removed entry: lookups probe on past it

    def __init__(self, ids: _Texts) -> None:
        self._ids = ids
        self._hashes = array("Q", bytes(8 * 64))
        self._slots = array("q", bytes(8 * 64))
        self._used = 0  # entries holding a slot or _GONE

    @staticmethod
    def _hash(text: str) -> int:
        return (hash(text) & 0xFFFFFFFFFFFFFFFF) or 1

    def find(self, text: str) -> int | None:
        h = self._hash(text)
        hashes, slots = self._hashes, self._slots
        mask = len(hashes) - 1
        i = h & mask
        while True:
            found = hashes[i]
            if found == self._EMPTY:
                return None
            if found == h:
                slot = slots[i]
                if slot != self._GONE and self._ids[slot] == text:
                    return slot
            i = (i + 1) & mask

    def add(self, text: str, slot: int) -> None:
        """Map `text` (not in the table) to `slot`."""
        if 3 * (self._used + 1) > 2 * len(self._hashes):
            self._rebuild()
        self._put(self._hash(text), slot)
        self._used += 1

    def remove(self, text: str) -> None:
        h = self._hash(text)
        hashes, slots = self._hashes, self._slots
        mask = len(hashes) - 1
        i = h & mask
        while hashes[i] != self._EMPTY:
            if hashes[i] == h and slots[i] != self._GONE and self._ids[slots[i]] == text:
                slots[i] = self._GONE
                return
            i = (i + 1) & mask
        raise KeyError(text)

    def _put(self, h: int, slot: int) -> None:
        hashes = self._hashes
        mask = len(hashes) - 1
        i = h & mask
        while hashes[i] != self._EMPTY:
            i = (i + 1) & mask
        hashes[i] = h
        self._slots[i] = slot

    def _rebuild(self) -> None:
        """Twice the live entries' room, filled from the old arrays as they are walked (a
        list of the live pairs first cost 100 MB at a million articles)."""
        old_hashes, old_slots = self._hashes, self._slots
        live = sum(1 for h, s in zip(old_hashes, old_slots, strict=True) if h and s != self._GONE)
        size = 64
        while size < 2 * (live + 1):
            size *= 2
        self._hashes = array("Q", bytes(8 * size))
        self._slots = array("q", bytes(8 * size))
        for h, slot in zip(old_hashes, old_slots, strict=True):
            if h and slot != self._GONE:
                self._put(h, slot)
        self._used = live


class _Rows:
    """Each slot's sketch, desk and hour, in blocks of `BLOCK` slots: growing never copies
    what is held (a doubled array costs three times the sketches while it is filled), and
    a block's pages are resident only once written.

    With `spill` (a folder), the sketches live in an unnamed temporary file there, not in
    memory: the newest block is held, each full one written out, and a candidate's
    sketch read back when asked (`os.pread`, one read a run of neighbouring slots). They
    are 256 bytes an article, the story process's largest part (256 MB at a million
    articles), and are read for a few candidates an article; the operating system's page
    cache keeps what is read often."""

    BLOCK = 1 << 12

    def __init__(self, num_perm: int, spill: Path | None = None) -> None:
        self.num_perm = num_perm
        self._values: list[np.ndarray] = []
        self._desk: list[np.ndarray] = []
        self._hour: list[np.ndarray] = []
        # Closed by `close`, or with the index when it is let go.
        self._file = None if spill is None else tempfile.TemporaryFile(dir=spill)  # noqa: SIM115
        self._held = -1  # with a file: the block held in memory (`_values[0]`)
        self._written = -1  # the last block written to the file

    def close(self) -> None:
        """Let the spill file go (it has no name: nothing is left behind)."""
        if self._file is not None:
            self._file.close()

    def set(self, slot: int, values: np.ndarray | None, desk: int, hour: int) -> None:
        np = _lib().np
        block, at = divmod(slot, self.BLOCK)
        while block >= len(self._desk):
            if self._file is None:
                self._values.append(np.empty((self.BLOCK, self.num_perm), dtype=np.uint32))
            self._desk.append(np.full(self.BLOCK, -1, dtype=np.int32))
            self._hour.append(np.full(self.BLOCK, _NO_TIME, dtype=np.int32))
        if values is not None:
            self._held_block(block)[at] = values
        self._desk[block][at] = desk
        self._hour[block][at] = hour

    def _held_block(self, block: int) -> np.ndarray:
        """The block of sketches to write `block`'s rows into."""
        if self._file is None:
            return self._values[block]
        if block != self._held:
            if self._held >= 0:
                self._write(self._held, self._values[0])
                self._written = max(self._written, self._held)
            if not self._values:
                np = _lib().np
                self._values.append(np.zeros((self.BLOCK, self.num_perm), dtype=np.uint32))
            if block <= self._written:  # back to a block written out (never in a build)
                self._values[0][:] = self._read(block * self.BLOCK, self.BLOCK)
            else:
                self._values[0].fill(0)
            self._held = block
        return self._values[0]

    def _row_bytes(self) -> int:
        return 4 * self.num_perm

    def _write(self, block: int, rows: np.ndarray) -> None:
        assert self._file is not None
        data = _lib().np.ascontiguousarray(rows, dtype="<u4").tobytes()
        fd = self._file.fileno()
        offset = block * self.BLOCK * self._row_bytes()
        while data:
            written = os.pwrite(fd, data, offset)
            data, offset = data[written:], offset + written

    def _read(self, first: int, count: int) -> np.ndarray:
        """`count` rows from slot `first` on, from the file (a block never written reads
        as zeros)."""
        np = _lib().np
        assert self._file is not None
        size = count * self._row_bytes()
        data = os.pread(self._file.fileno(), size, first * self._row_bytes())
        if len(data) < size:
            data += bytes(size - len(data))
        return np.frombuffer(data, dtype="<u4").reshape(count, self.num_perm)

    def fill(self, n: int, desk: np.ndarray, hour: np.ndarray) -> None:
        """Slots 0 to n-1 at once (a loaded table): the desk and hour of every slot;
        their sketches come after (`put_many`)."""
        for start in range(0, n, self.BLOCK):
            end = min(n, start + self.BLOCK)
            self.set(end - 1, None, int(desk[end - 1]), int(hour[end - 1]))
            block = start // self.BLOCK
            self._desk[block][: end - start] = desk[start:end]
            self._hour[block][: end - start] = hour[start:end]

    def put_many(self, slots: np.ndarray, values: np.ndarray) -> None:
        """The sketches of these sorted slots (held already, `fill`), in slot order."""
        np = _lib().np
        if not len(slots):
            return
        which = slots // self.BLOCK
        cuts = (np.flatnonzero(which[1:] != which[:-1]) + 1).tolist()
        for lo, hi in zip([0, *cuts], [*cuts, len(slots)], strict=True):
            block = self._held_block(int(which[lo]))
            block[slots[lo:hi] % self.BLOCK] = values[lo:hi]

    def _gather(self, blocks: list[np.ndarray], slots: np.ndarray) -> np.ndarray:
        np = _lib().np
        which = slots // self.BLOCK
        at = slots % self.BLOCK
        if not len(slots) or which[0] == which[-1]:
            return blocks[int(which[0]) if len(slots) else 0][at]
        parts = [
            blocks[int(b)][at[which == b]] for b in np.unique(which)
        ]  # slots are sorted, so the parts come in their order
        return np.concatenate(parts)

    def value_parts(self, slots: np.ndarray) -> Iterator[np.ndarray]:
        """The sketches of these slots (sorted) a block at a time."""
        np = _lib().np
        if not len(slots):
            return
        which = slots // self.BLOCK
        cuts = np.flatnonzero(which[1:] != which[:-1]) + 1
        for part in np.split(slots, cuts):
            block = int(part[0]) // self.BLOCK
            if self._file is None:
                yield self._values[block][part % self.BLOCK]
            elif block == self._held:
                yield self._values[0][part % self.BLOCK].copy()
            else:
                yield self._read(block * self.BLOCK, self.BLOCK)[part % self.BLOCK]

    def values(self, slots: np.ndarray) -> np.ndarray:
        """The sketches of these slots (sorted), one row each."""
        np = _lib().np
        if not len(slots):
            return np.empty((0, self.num_perm), dtype=np.uint32)
        if self._file is None:
            return self._gather(self._values, slots)
        out = np.empty((len(slots), self.num_perm), dtype=np.uint32)
        held = slots // self.BLOCK == self._held
        if held.any():
            out[held] = self._values[0][slots[held] % self.BLOCK]
        away = np.flatnonzero(~held)
        if len(away):
            wanted = slots[away]
            cuts = (np.flatnonzero(np.diff(wanted) != 1) + 1).tolist()
            for lo, hi in zip([0, *cuts], [*cuts, len(wanted)], strict=True):
                out[away[lo:hi]] = self._read(int(wanted[lo]), hi - lo)
        return out

    def desk(self, slots: np.ndarray) -> np.ndarray:
        if not len(slots):
            return _lib().np.empty(0, dtype=_lib().np.int32)
        return self._gather(self._desk, slots)

    def hour(self, slots: np.ndarray) -> np.ndarray:
        if not len(slots):
            return _lib().np.empty(0, dtype=_lib().np.int32)
        return self._gather(self._hour, slots)


class StoryIndex:
    """Every assigned article's sketch and story, and the LSH that finds near-duplicates.

    Assignment is in the caller's order and deterministic: the same articles assigned in
    the same order get the same story ids, in any process. A story id is the id of the
    article that started the story, and it stays when that article is later removed, so
    links to a story never move (a new article that then comes under the removed one's
    id starts its story as id-2, id-3…, see `_new_story`). Held in memory: about 0.67 KB
    an article at 300,000 (the sketch 256 bytes, the band table 252, the id, its slot and
    story), 1.1 KB before the ids were held this way; with `spill` (a folder: a build's
    staging generation) the sketches are kept in a temporary file there (`_Rows`), and
    about 0.4 KB an article is resident.

    `lsh="datasketch"` puts the bands in datasketch's `MinHashLSH` instead: the same
    stories, about eight times the memory (`_Bands`).

    How the articles are held: one slot an article, in assignment order; a removed
    article leaves its slot dead until the table is saved and loaded again. Its id is
    kept by slot in one buffer (`_Texts`), found by a table of hashes (`_Lookup`). Its
    story is a number, `_code`: a slot, for a story named by the id of the article in
    that slot (every story a build starts), or -1-i for the i-th of `_extra`, a story
    named otherwise (id-2 after a removed founder, a loaded story whose founder is
    gone). `_count` holds each story's live members by its number.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = NUM_PERM,
        ngram: int = NGRAM,
        *,
        lsh: str = "compact",
        spill: Path | None = None,
    ) -> None:
        if num_perm < 4:
            raise ValueError(f"num_perm must be at least 4, got {num_perm}")
        self.threshold = float(threshold)
        self.num_perm = num_perm
        self.ngram = ngram
        self.lsh = lsh
        self.bands, self.rows = lsh_params(self.threshold, num_perm)
        if lsh == "compact":
            self._bands: _Bands | _DatasketchBands = _Bands(self.bands, self.rows)
        elif lsh == "datasketch":
            self._bands = _DatasketchBands(self.bands, self.rows, num_perm)
        else:
            raise ValueError(f"lsh must be 'compact' or 'datasketch', got {lsh!r}")
        self._ids = _Texts()
        self._lookup = _Lookup(self._ids)
        self._live = bytearray()
        self._sketched = bytearray()
        self._code = array("q")
        self._count = array("l")  # live members of the story numbered by this slot
        self._extra: list[str] = []
        self._extra_count: list[int] = []
        # Stories with members whose name is not the id of a live article's own slot
        # (its founder was removed, or it is an extra): what `_new_story` must avoid.
        self._orphans: dict[str, int] = {}
        self._rows = _Rows(num_perm, spill)
        self._size = 0
        self._desk_names: list[str] = []
        self._desk_number: dict[str, int] = {}

    def __len__(self) -> int:
        return self._size

    def close(self) -> None:
        """Let go of the sketches' spill file, if any (also let go when the index is)."""
        self._rows.close()

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._lookup.find(article_id) is not None

    def _slot_of(self, article_id: str) -> int:
        slot = self._lookup.find(article_id)
        if slot is None:
            raise KeyError(article_id)
        return slot

    def _label(self, code: int) -> str:
        return self._ids[code] if code >= 0 else self._extra[-1 - code]

    def story_of(self, article_id: str) -> str:
        """The story id of an assigned article (KeyError for an unknown one)."""
        return self._label(self._code[self._slot_of(article_id)])

    def stories(self) -> dict[str, str]:
        """Article id → story id, in assignment order."""
        return {
            self._ids[slot]: self._label(self._code[slot])
            for slot in range(len(self._ids))
            if self._live[slot]
        }

    def nearest(
        self, sketch: Sketch | None, *, desk: str | None = None, hour: int | None = None
    ) -> tuple[str, float] | None:
        """The assigned article this sketch would join and their estimated similarity, or
        None: the LSH's candidates whose similarity reaches the threshold (for a candidate
        of the same `desk` published `SERIES_HOURS` or more from `hour`:
        `SAME_DESK_THRESHOLD`), the most
        similar, then the earliest assigned (never a set's order, which varies by run)."""
        found = self._nearest(sketch, desk, hour, None)
        return None if found is None else (self._ids[found[0]], found[1])

    def assign(
        self,
        article_id: str,
        sketch: Sketch | None,
        *,
        desk: str | None = None,
        hour: int | None = None,
    ) -> str:
        """Add an article and return its story id: the story of its nearest near-duplicate
        already assigned, else a new story named by its own id (`_new_story`). An article
        without a sketch (too short) always starts its own story. `desk` names who wrote
        it (an outlet) and `hour` when (its publication time in hours since the epoch);
        either may be None (unknown)."""
        if article_id in self:
            raise ValueError(f"article {article_id!r} is already assigned; remove it first")
        if not article_id or "\n" in article_id:
            raise ValueError("an article id is a non-empty line")
        keys = None if sketch is None else self._bands.keys(self._check(sketch))
        found = self._nearest(sketch, desk, hour, keys)
        slot = len(self._ids)
        if found is not None:
            code = self._code[found[0]]
        else:
            label = self._new_story(article_id)
            code = slot if label == article_id else self._new_extra(label)
        values = None if sketch is None else sketch.values
        when = _NO_TIME if hour is None else hour
        self._append(article_id, code, values, keys, self._desk_of(desk), when)
        return self._label(code)

    def _nearest(
        self, sketch: Sketch | None, desk: str | None, hour: int | None, keys: Any
    ) -> tuple[int, float] | None:
        """The slot this sketch would join and their estimated similarity, or None."""
        if sketch is None:
            return None
        np = _lib().np
        values = self._check(sketch)
        candidates = self._bands.query(values, keys)
        if not candidates:
            return None
        slots = np.array(sorted(candidates), dtype=np.int64)
        same = (self._rows.values(slots) == values).sum(axis=1)
        need = np.full(len(slots), self.threshold * self.num_perm)
        number = self._desk_number.get(desk, -1) if desk is not None else -1
        if number >= 0 and hour is not None:
            hours = self._rows.hour(slots).astype(np.int64)
            apart = np.abs(hours - hour) >= SERIES_HOURS
            series = (self._rows.desk(slots) == number) & apart & (hours != _NO_TIME)
            need[series] = max(self.threshold, SAME_DESK_THRESHOLD) * self.num_perm
        same = np.where(same >= need - 1e-9, same, -1)
        best = int(np.argmax(same))  # the first of the most similar: the earliest slot
        if same[best] < 0:
            return None
        return int(slots[best]), int(same[best]) / self.num_perm

    def _desk_of(self, desk: str | None) -> int:
        if desk is None:
            return -1
        number = self._desk_number.get(desk)
        if number is None:
            number = self._desk_number[desk] = len(self._desk_names)
            self._desk_names.append(desk)
        return number

    def remove(self, article_id: str) -> None:
        """Forget an article (its file was deleted); the other articles of its story keep
        their story id. KeyError for an unknown article."""
        slot = self._slot_of(article_id)
        self._lookup.remove(article_id)
        if self._sketched[slot]:
            self._bands.remove(slot)
            self._sketched[slot] = 0
        self._live[slot] = 0
        self._size -= 1
        self._add_member(self._code[slot], -1)
        if self._count[slot] > 0:  # it founded a story that lives on: named by it still
            self._orphans[article_id] = slot

    # -- persistence

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the table to `path` atomically (a temporary file renamed over it).

        One uncompressed numpy .npz, about 4·NUM_PERM + 50 bytes an article: the
        sketches as one uint32 matrix, the ids, the distinct story ids and the desks as
        UTF-8 lines, a story number, a sketched flag, a desk number and an hour an article.
        The LSH is not saved: `load` rebuilds it from the sketches in one sort.
        """
        np = _lib().np
        path = Path(path)
        live_mask = np.frombuffer(bytes(self._live), dtype=np.uint8).astype(bool)
        live = np.flatnonzero(live_mask)
        sketched_all = np.frombuffer(bytes(self._sketched), dtype=np.uint8).astype(bool)
        # The ids and the story names as UTF-8 lines made from the bytes held, and each
        # story's number by the order of first use: no str an article, no dict of them.
        ids, labels = bytearray(), bytearray()
        numbers = np.full(len(self._ids), -1, dtype=np.int64)  # by story number (a slot)
        extra_numbers: dict[int, int] = {}
        count = 0
        story = np.empty(len(live), dtype=np.uint32)
        for i, slot in enumerate(live.tolist()):
            if i:
                ids += b"\n"
            ids += self._ids.raw(slot)
            code = self._code[slot]
            number = int(numbers[code]) if code >= 0 else extra_numbers.get(code, -1)
            if number < 0:
                number, count = count, count + 1
                if code >= 0:
                    numbers[code] = number
                else:
                    extra_numbers[code] = number
                if number:
                    labels += b"\n"
                labels += self._ids.raw(code) if code >= 0 else _utf8(self._extra[-1 - code])
            story[i] = number
        del numbers
        rows = live[sketched_all[live]] if len(live) else live
        arrays = {
            "meta": np.array(
                [_FORMAT, self.num_perm, self.ngram, SEED, HASH_VERSION], dtype=np.int64
            ),
            "threshold": np.array([self.threshold], dtype=np.float64),
            "permutations": np.frombuffer(_lib().fingerprint(self.num_perm), dtype=np.uint8),
            "ids": np.frombuffer(bytes(ids), dtype=np.uint8),
            "labels": np.frombuffer(bytes(labels), dtype=np.uint8),
            "story": story,
            "sketched": sketched_all[live] if len(live) else np.empty(0, dtype=bool),
            "values": _Parts((len(rows), self.num_perm), self._rows.value_parts(rows)),
            "desks": _blob(self._desk_names),
            "desk": self._rows.desk(live).astype(np.int32),
            "hour": self._rows.hour(live).astype(np.int32),
        }
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as out:
                _savez(out, arrays)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        threshold: float | None = None,
        *,
        lsh: str = "compact",
        spill: Path | None = None,
    ) -> StoryIndex:
        """The table `save` wrote, ready to assign new articles against (`threshold`:
        the saved one unless given; `spill`: as for a new index). The sketches are read
        a block at a time, never whole. Raises StoryTableError when the file is missing,
        damaged, or made with other shingles or permutations."""
        path = Path(path)
        if threshold is not None:
            lsh_params(threshold)  # a caller's mistake is not a damaged table
        if lsh not in ("compact", "datasketch"):
            raise ValueError(f"lsh must be 'compact' or 'datasketch', got {lsh!r}")
        try:
            with _opened(path) as arrays:
                return cls._from_arrays(path, arrays, threshold, lsh, spill)
        except StoryTableError:
            raise
        except FileNotFoundError:
            raise SketchFileError(f"story sketches {path} is missing; rebuild the index") from None
        except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError) as err:
            raise SketchFileError(f"story sketches {path} is damaged ({_reason(err)})") from None
        except zipfile.BadZipFile as err:  # not an OSError nor a ValueError
            raise SketchFileError(f"story sketches {path} is damaged ({_reason(err)})") from None

    @classmethod
    def _from_arrays(
        cls,
        path: Path,
        arrays: dict[str, Any],
        threshold: float | None,
        lsh: str,
        spill: Path | None,
    ) -> StoryIndex:
        np = _lib().np

        def bad(why: str) -> SketchFileError:
            return SketchFileError(f"story sketches {path} is damaged ({why})")

        meta = arrays["meta"]
        if meta.dtype != np.int64 or meta.shape != (5,) or int(meta[0]) not in (1, _FORMAT):
            raise bad("unknown format")
        num_perm, ngram, seed, version = (int(v) for v in meta[1:])
        if seed != SEED or version != HASH_VERSION or not 4 <= num_perm <= 4096 or ngram < 1:
            raise StoryTableError(
                f"story sketches {path} were made with other shingles; rebuild the index"
            )
        if arrays["permutations"].tobytes() != _lib().fingerprint(num_perm):
            raise StoryTableError(
                f"story sketches {path} were made with other MinHash permutations; "
                "rebuild the index"
            )
        saved = float(arrays["threshold"].reshape(-1)[0])
        ids = _lines(arrays["ids"])
        labels = _lines(arrays["labels"])
        story, sketched, values = arrays["story"], arrays["sketched"], arrays["values"]
        n = len(ids)
        if int(meta[0]) >= 2:
            desk_names, desk, hour = _lines(arrays["desks"]), arrays["desk"], arrays["hour"]
        else:  # saved before desks and days were kept: neither is known
            desk_names = []
            desk, hour = np.full(n, -1, dtype=np.int32), np.full(n, _NO_TIME, dtype=np.int32)
        if desk.dtype != np.int32 or hour.dtype != np.int32 or not desk.shape == hour.shape == (n,):
            raise bad("desks or times do not fit the articles")
        if n and not -1 <= int(desk.min()) <= int(desk.max()) < len(desk_names):
            raise bad("a desk out of range")
        if len(set(ids)) != n or "" in ids:
            raise bad("an article id twice or empty")
        if story.shape != (n,) or sketched.shape != (n,) or sketched.dtype != np.bool_:
            raise bad("columns of different lengths")
        if values.dtype != np.uint32 or values.shape != (int(sketched.sum()), num_perm):
            raise bad("sketches do not fit the articles")
        if n and int(story.max()) >= len(labels):
            raise bad("a story id out of range")
        index = cls(
            saved if threshold is None else threshold, num_perm, ngram, lsh=lsh, spill=spill
        )
        for slot, article_id in enumerate(ids):
            index._ids.append(article_id)
            index._lookup.add(article_id, slot)
        index._live = bytearray(b"\x01") * n
        index._size = n
        codes = []
        for label in labels:  # a story named by a loaded article's id: numbered by its slot
            slot = index._lookup.find(label)
            codes.append(slot if slot is not None else index._new_extra(label))
        index._code = array("q", [codes[i] for i in story.tolist()])
        index._count = array("l", [0]) * n
        for code in index._code:
            index._add_member(code, 1)
        for label, code in list(index._orphans.items()):
            if not index._extra_count[-1 - code]:  # a name no article has
                del index._orphans[label]
        index._sketched = bytearray(sketched.tobytes())
        slots = np.flatnonzero(sketched)
        index._rows.fill(n, desk, hour)
        index._desk_names = list(desk_names)
        index._desk_number = {name: i for i, name in enumerate(desk_names)}
        done = 0
        for part in values.parts(_Bands._LOAD_ROWS):
            these = slots[done : done + len(part)]
            index._rows.put_many(these, part)
            index._bands.insert_many(these, part)
            done += len(part)
        return index

    # -- internals

    def _new_story(self, article_id: str) -> str:
        """The id of a story this article starts: its own id, unless a story of that id
        still has members (the article that started it was removed and another article
        now has its id, as a rewritten file keeps its path): then its id and "-2", "-3"…,
        so two unrelated stories never share an id."""
        if not self._has_members(article_id):
            return article_id
        n = 2
        while self._has_members(f"{article_id}-{n}"):
            n += 1
        return f"{article_id}-{n}"

    def _has_members(self, label: str) -> bool:
        """Whether a story of this id has live members: one named by a live article's id
        is numbered by that article's slot; every other is among the orphans."""
        if label in self._orphans:
            return True
        slot = self._lookup.find(label)
        return slot is not None and self._count[slot] > 0

    def _new_extra(self, label: str) -> int:
        """The number of a new story named `label`, which is no live article's own."""
        self._extra.append(label)
        self._extra_count.append(0)
        code = -len(self._extra)
        self._orphans[label] = code
        return code

    def _add_member(self, code: int, delta: int) -> None:
        if code >= 0:
            self._count[code] += delta
            left = self._count[code]
        else:
            self._extra_count[-1 - code] += delta
            left = self._extra_count[-1 - code]
        if not left:
            label = self._label(code)
            if self._orphans.get(label) == code:
                del self._orphans[label]

    def _append(
        self,
        article_id: str,
        code: int,
        values: np.ndarray | None,
        keys: Any,
        desk: int,
        hour: int,
    ) -> None:
        slot = len(self._ids)
        self._ids.append(article_id)
        self._lookup.add(article_id, slot)
        self._live.append(1)
        self._size += 1
        self._code.append(code)
        self._count.append(0)
        self._add_member(code, 1)
        self._sketched.append(values is not None)
        self._rows.set(slot, values, desk, hour)
        if values is not None:
            self._bands.insert(slot, values, keys)

    def _check(self, sketch: Sketch) -> np.ndarray:
        if sketch.ngram != self.ngram or len(sketch.values) != self.num_perm:
            raise ValueError(
                f"a sketch of {sketch.ngram}-word shingles and {len(sketch.values)} hashes, "
                f"an index of {self.ngram} and {self.num_perm}"
            )
        return sketch.values


@dataclass(frozen=True)
class _Parts:
    """An array to save that is never made whole: its shape and its rows' parts, in order
    (the sketches of a million articles would take 256 MB at once)."""

    shape: tuple[int, int]
    parts: Iterator[np.ndarray]


def _savez(out: Any, arrays: dict[str, Any]) -> None:
    """`numpy.savez(out, **arrays)`, byte for byte, where an array may be `_Parts`: written
    part by part after the header its whole would have."""
    np = _lib().np
    fmt = np.lib.format
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key, value in arrays.items():
            with zf.open(f"{key}.npy", "w", force_zip64=True) as fid:
                if not isinstance(value, _Parts):
                    fmt.write_array(fid, np.asanyarray(value), allow_pickle=False)
                    continue
                header = fmt.header_data_from_array_1_0(np.empty((0, value.shape[1]), "<u4"))
                header["shape"] = value.shape
                fmt.write_array_header_1_0(fid, header)
                written = 0
                for part in value.parts:
                    fid.write(np.ascontiguousarray(part, dtype="<u4").tobytes())
                    written += len(part)
                if written != value.shape[0]:
                    raise ValueError("the parts do not make the array")


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _blob(lines: list[str]) -> np.ndarray:
    np = _lib().np
    return np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8)


def _lines(blob: np.ndarray) -> list[str]:
    if blob.dtype != _lib().np.uint8 or blob.ndim != 1:
        raise ValueError("not a text column")
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


_KEYS = ("meta", "threshold", "permutations", "ids", "labels", "story", "sketched", "values")
_KEYS_2 = ("desks", "desk", "hour")  # format 2 adds each article's desk and time


@contextmanager
def _opened(path: Path) -> Iterator[dict[str, Any]]:
    """A saved table's small arrays, and its sketches as `_StoredRows` (read while the
    file is open)."""
    np = _lib().np
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError("not a sketch file")
    with loaded as archive:
        meta = archive["meta"]
        keys = _KEYS if meta.shape == (5,) and int(meta[0]) == 1 else (*_KEYS, *_KEYS_2)
        arrays: dict[str, Any] = {key: archive[key] for key in keys if key != "values"}
        arrays["values"] = _StoredRows(archive.zip, "values.npy")
        yield arrays


class _StoredRows:
    """A saved 2-D array read a block of rows at a time: its `shape` and `dtype` from
    the .npy header, its rows by `parts` (a million articles' sketches are 256 MB)."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self._archive, self._name = archive, name
        with archive.open(name) as member:
            self.shape, self.dtype = self._header(member)

    @staticmethod
    def _header(member: Any) -> tuple[tuple[int, ...], Any]:
        fmt = _lib().np.lib.format
        version = fmt.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, fortran, dtype = fmt.read_array_header_2_0(member)
        else:
            raise ValueError(f"a .npy format {version} not written here")
        if len(shape) != 2 or (fortran and shape[0] > 1 and shape[1] > 1):
            raise ValueError("sketches not saved as rows")
        return shape, dtype

    def parts(self, rows: int) -> Iterator[Any]:
        """The rows in order, `rows` at a time."""
        np = _lib().np
        count, width = self.shape
        row_bytes = width * self.dtype.itemsize
        with self._archive.open(self._name) as member:
            self._header(member)
            for start in range(0, count, rows):
                take = min(rows, count - start)
                data = member.read(take * row_bytes)
                if len(data) != take * row_bytes:
                    raise ValueError("sketches cut short")
                yield np.frombuffer(data, dtype=self.dtype).reshape(take, width)


def _reason(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else type(err).__name__
