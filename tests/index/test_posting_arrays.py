"""The postings arrays a segment writer writes beside its segment (index.segment.arrays).

They must hold exactly what Whoosh's blocks hold for every term they cover (document
numbers, weights, first positions, each block's offset), be the same file whether written
with the segment or read back from it afterwards, and be refused, not misread, when they
do not belong to the segment or are damaged.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

import index.segment.blocks as block_writer
from index.segment import arrays
from index.segment.pool import TermPoolWriter
from tests.index.test_term_pool import _documents, _write


def _segment(path: Path) -> tuple[object, object]:
    ix = whoosh_index.open_dir(str(path))
    reader = ix.reader()
    return ix, reader


def _arrays_file(path: Path) -> Path:
    (found,) = path.glob("MAIN_*" + arrays.EXT)
    return found


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return _documents(420)


@pytest.mark.parametrize("chunk_blocks", [None, 1], ids=["chunks", "a-block-a-chunk"])
def test_written_with_the_segment_as_read_back_from_it(tmp_path, monkeypatch, docs, chunk_blocks):
    """Byte for byte the file `write_segment_arrays` makes from the finished segment; a
    term's postings cut into chunks of one block put a chunk's edge between every two."""
    monkeypatch.setattr(block_writer, "ARRAYS_FROM", 20)
    monkeypatch.setattr(arrays, "SEGMENT_FROM", 0)
    if chunk_blocks is not None:
        monkeypatch.setattr(block_writer, "CHUNK_BLOCKS", chunk_blocks)
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    written = _arrays_file(path).read_bytes()
    ix, reader = _segment(path)
    again = tmp_path / "again.pra"
    with open(again, "wb") as fh:
        terms = arrays.write_segment_arrays(reader, fh, threshold=20)
    reader.close()
    ix.close()
    assert terms > 50
    assert again.read_bytes() == written


def test_arrays_hold_what_the_blocks_hold(tmp_path, monkeypatch, docs):
    """Every covered term: Whoosh's document numbers, weights and first positions; the
    block offsets Whoosh's matcher goes to; terms below the limit left out."""
    monkeypatch.setattr(block_writer, "ARRAYS_FROM", 20)
    monkeypatch.setattr(arrays, "SEGMENT_FROM", 0)
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    ix, reader = _segment(path)
    pra = arrays.PostingArrays.open(str(_arrays_file(path)), reader.doc_count_all())
    assert pra is not None
    covered = multi_block = 0
    for field, btext in reader.all_terms():
        info = reader._terms.term_info(field, btext)
        positions = reader.schema[field].format.supports("positions")
        if info.is_inlined():
            continue
        got = pra.read(info._offset, info.doc_frequency(), positions)
        if info.doc_frequency() < 20:
            assert got is None
            continue
        assert got is not None, (field, btext)
        ids, weights, firsts, blocks = got
        m = reader.postings(field, btext)
        want_ids, want_weights, want_firsts = [], [], []
        while m.is_active():
            want_ids.append(m.id())
            want_weights.append(m.weight())
            if positions:
                want_firsts.append(m.value_as("positions")[0])
            m.next()
        assert ids.tolist() == want_ids
        assert weights.tolist() == want_weights
        if positions:
            assert firsts is not None and firsts.tolist() == want_firsts
        assert len(blocks) == -(-len(want_ids) // 128)
        multi_block += len(blocks) > 2
        covered += 1
    reader.close()
    ix.close()
    assert covered > 50 and multi_block


def test_arrays_of_another_segment_or_damaged_are_refused(tmp_path, monkeypatch, docs):
    monkeypatch.setattr(block_writer, "ARRAYS_FROM", 20)
    monkeypatch.setattr(arrays, "SEGMENT_FROM", 0)
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    file = _arrays_file(path)
    data = file.read_bytes()
    assert arrays.PostingArrays.open(str(file), len(docs)) is not None
    assert arrays.PostingArrays.open(str(file), len(docs) + 1) is None  # another segment
    assert arrays.PostingArrays.open(str(tmp_path / "missing.pra"), len(docs)) is None
    for damaged in (b"", data[:-5], data[:100] + data[101:], data[:-1] + b"X"):
        file.write_bytes(damaged)
        assert arrays.PostingArrays.open(str(file), len(docs)) is None
    # An entry whose count disagrees with the term info, or whose ids run past the
    # segment, is not read.
    file.write_bytes(data)
    pra = arrays.PostingArrays.open(str(file), len(docs))
    entry = pra._dir[0]
    assert pra.read(int(entry["pst"]), int(entry["n"]) + 1, True) is None
    short = arrays.PostingArrays.open(str(file), 3)
    assert short is None


def test_narrowest_types_keep_values_exactly() -> None:
    for values, kind in (
        (np.array([0, 255]), 1),
        (np.array([0, 256]), 2),
        (np.array([70000]), 3),
        (np.array([1.0, 3.0], dtype=np.float32), 1),
        (np.array([1.5, 3.0], dtype=np.float32), 4),
        (np.array([-1.0], dtype=np.float32), 4),
    ):
        got_kind, stored = arrays._narrowest(values)
        assert got_kind == kind
        assert stored.astype(np.float64).tolist() == values.astype(np.float64).tolist()
    with pytest.raises(ValueError):
        arrays._narrowest(np.array([-1]))


def test_a_damaged_term_is_not_read(tmp_path, monkeypatch, docs):
    """A byte changed inside a term's arrays (the file's size the same, so the index's
    own size check passes): that term is refused by its checksum, the others read."""
    monkeypatch.setattr(block_writer, "ARRAYS_FROM", 20)
    monkeypatch.setattr(arrays, "SEGMENT_FROM", 0)
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    file = _arrays_file(path)
    pra = arrays.PostingArrays.open(str(file), len(docs))
    first, second = pra._dir[0], pra._dir[1]
    assert pra.read(int(first["pst"]), int(first["n"]), True) is not None
    data = bytearray(file.read_bytes())
    data[int(first["at"])] ^= 0x40
    file.write_bytes(bytes(data))
    pra = arrays.PostingArrays.open(str(file), len(docs))
    assert pra.read(int(first["pst"]), int(first["n"]), True) is None
    assert pra.read(int(second["pst"]), int(second["n"]), True) is not None


def test_an_entry_pointing_anywhere_is_refused(tmp_path, monkeypatch, docs):
    """An index from elsewhere is untrusted: a directory entry whose arrays start before
    the file, past the directory, or off the alignment is not read (nor does it raise)."""
    monkeypatch.setattr(block_writer, "ARRAYS_FROM", 20)
    monkeypatch.setattr(arrays, "SEGMENT_FROM", 0)
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    file = _arrays_file(path)
    pra = arrays.PostingArrays.open(str(file), len(docs))
    entry = pra._dir[0].copy()
    for at in (-8, -1, 3, len(file.read_bytes())):
        bad = entry.copy()
        bad["at"] = at
        pra._dir = np.array([bad], dtype=arrays.ENTRY)
        pra._keys = pra._dir["pst"]
        assert pra.read(int(entry["pst"]), int(entry["n"]), True) is None


def test_a_small_segment_gets_no_arrays(tmp_path, docs):
    """Below SEGMENT_FROM documents a segment's lists are all short enough to decode: a
    small build does not pay for writing arrays."""
    assert len(docs) < arrays.SEGMENT_FROM
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    assert not list(path.glob("*" + arrays.EXT))
