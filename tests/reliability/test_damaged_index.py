"""A damaged index says so in one line, and a rebuild always works (issue 14)."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index import store
from tests.helpers import SEEDS, run_warta


def _gen(ix: Path) -> Path:
    return ix / (ix / store.CURRENT).read_text().strip()


def _one(ix: Path, pattern: str) -> Path:
    return next(p for p in sorted(_gen(ix).iterdir()) if p.match(pattern))


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(3)
    for _ in range(max(8, len(data) // 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "binary CURRENT": lambda ix: (ix / store.CURRENT).write_bytes(b"\xff\xfe\x00gen\x9c"),
    "CURRENT naming nothing": lambda ix: (ix / store.CURRENT).write_text("gen-nothing\n"),
    "meta.json a list": lambda ix: (_gen(ix) / store.META).write_text("[1, 2]"),
    "random TOC": lambda ix: _one(ix, "*.toc").write_bytes(os.urandom(300)),
    # A few articles' terms are all inlined in the term table (index.segment.blocks), so
    # it is the term table that holds their postings.
    "truncated term table": lambda ix: _one(ix, "*.trm").write_bytes(
        _one(ix, "*.trm").read_bytes()[:100]
    ),
    "garbled terms": lambda ix: _garble(_one(ix, "*.trm")),
    "empty column": lambda ix: _one(ix, "*_stored.col").write_bytes(b""),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_one_line_and_a_rebuild_works(tmp_path: Path, damage: str) -> None:
    ix = tmp_path / "ix"
    assert run_warta("index", str(SEEDS), "--index", str(ix)).returncode == 0
    DAMAGE[damage](ix)
    for args in (("search", "rudal"), ("stats",), ("search", "")):
        run = run_warta(*args, "--index", str(ix))
        if run.returncode == 0:
            continue  # the damage did not touch what this command reads
        assert run.stderr.count("\n") == 1, (damage, args, run.stderr)
        assert "damaged" in run.stderr or "rebuild" in run.stderr, (damage, run.stderr)
    again = run_warta("index", str(SEEDS), "--index", str(ix))
    assert again.returncode == 0, (damage, again.stderr)
    assert run_warta("search", "rudal", "--index", str(ix)).returncode == 0


def test_an_index_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    path.write_text("not an index")
    for args in (("search", "rudal"), ("index", str(SEEDS))):
        run = run_warta(*args, "--index", str(path))
        assert run.returncode != 0 and run.stderr.count("\n") == 1, run.stderr
        assert "is a file" in run.stderr
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)


def test_a_flipped_bit_is_caught_on_open_by_the_checksums(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    assert run_warta("index", str(SEEDS), "--index", str(ix)).returncode == 0
    terms = _one(ix, "*.trm")  # with the postings of a few articles' terms inlined
    data = bytearray(terms.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size, one bit: a decoder may never notice
    terms.write_bytes(bytes(data))
    run = run_warta("search", "rudal", "--index", str(ix))
    assert run.returncode != 0 and "fails its checksum" in run.stderr
    assert run.stderr.count("\n") == 1


def test_an_index_writable_by_everyone_is_refused(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    old = os.umask(0)  # a careless umask: what Warta writes is still only its owner's
    try:
        assert run_warta("index", str(SEEDS), "--index", str(ix)).returncode == 0
    finally:
        os.umask(old)
    assert run_warta("search", "rudal", "--index", str(ix)).returncode == 0
    toc = _one(ix, "*.toc")
    toc.chmod(0o666)
    run = run_warta("search", "rudal", "--index", str(ix))
    assert run.returncode != 0 and "writable by every user" in run.stderr
    assert run.stderr.count("\n") == 1
