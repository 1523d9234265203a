"""A build writes postings arrays beside its segments, and `--update` keeps them right.

The arrays limit is lowered so that a small archive has many terms with arrays; every
answer must still be the one Whoosh's own collector gives, after a first build and after
an update that adds, changes and deletes pages (new segments, merged ones, deletions).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import index.segment.blocks as block_writer
from index import store
from index.build import build_index
from index.segment import arrays
from search.engine import Engine

from .test_fastpath import assert_same

_VOCABULARY = (
    "harga minyak dunia naik turun pemerintah presiden menteri rakyat kota banjir jalan "
    "sekolah rumah sakit pasar beras petani nelayan laut pantai gunung hujan panas"
)
WORDS = _VOCABULARY.split()
QUERIES = ["harga minyak", '"harga minyak"', "pemerintah", "banjir kota", "petani beras -laut"]


def _page(n: int, rng: random.Random) -> str:
    title = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
    paras = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + "."
        for _ in range(rng.randint(2, 5))
    ]
    return f"{title}\n\nSenin, 0{n % 9 + 1} Januari 2024 - 10:{n % 60:02d} WIB\n\n" + "\n\n".join(
        f"JAKARTA - {p}" if i == 0 else p for i, p in enumerate(paras)
    )


def _arrays_read(engine: Engine) -> int:
    """How many of the index's segments have postings arrays the engine reads."""
    s = engine.searcher()
    ctx = engine._fast_context(s, engine.docsets())
    return sum(ctx.arrays.of(leaf) is not None for leaf in ctx.leaves())


def _built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int, rng: random.Random):
    """A folder of `pages` generated pages and an index of it, built with arrays for
    every term of two postings or more in any segment; (pages folder, index folder)."""
    monkeypatch.setattr(block_writer, "ARRAYS_FROM", 2)
    monkeypatch.setattr(arrays, "SEGMENT_FROM", 0)
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(pages):
        (folder / f"a{n:03d}.txt").write_text(_page(n, rng))
    ix = tmp_path / "ix"
    build_index(folder, ix)
    return folder, ix


def test_answers_with_arrays_after_a_build_and_an_update(tmp_path, monkeypatch):
    rng = random.Random(3)
    pages, ix = _built(tmp_path, monkeypatch, 120, rng)
    gen = store.current_generation(ix).path
    assert list(gen.glob("*" + arrays.EXT))
    fast, slow = Engine(ix), Engine(ix, fast=False)
    assert _arrays_read(fast) >= 1
    for q in QUERIES:
        assert_same(fast, slow, q)
    for n in range(0, 120, 7):
        (pages / f"a{n:03d}.txt").unlink()
    for n in range(120, 160):
        (pages / f"a{n:03d}.txt").write_text(_page(n, rng))
    (pages / "a001.txt").write_text(_page(999, rng))
    build_index(pages, ix, update=True)
    fast, slow = Engine(ix), Engine(ix, fast=False)
    assert _arrays_read(fast) >= 1
    for q in QUERIES:
        for page in (1, 2):
            assert_same(fast, slow, q, page=page, page_size=7)


@pytest.mark.parametrize("damage", ["truncated", "bytes changed", "missing"])
def test_damaged_arrays_answer_through_the_blocks(tmp_path, monkeypatch, damage):
    """A damaged or missing arrays file changes no answer and does not refuse the index
    (the generation's checksums leave the arrays out: they check themselves, term by
    term); the terms it covered are read from Whoosh's blocks."""
    _, ix = _built(tmp_path, monkeypatch, 60, random.Random(4))
    slow = Engine(ix, fast=False)
    files = list(store.current_generation(ix).path.glob("*" + arrays.EXT))
    assert files
    for file in files:
        data = bytearray(file.read_bytes())
        if damage == "truncated":
            file.write_bytes(bytes(data[: len(data) // 2]))
        elif damage == "missing":
            file.unlink()
        else:
            for i in range(0, len(data) - 64, 97):
                data[i] ^= 0x5A
            file.write_bytes(bytes(data))
    fast = Engine(ix)
    for q in QUERIES:
        assert_same(fast, slow, q)
