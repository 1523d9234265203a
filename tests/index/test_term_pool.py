"""TermPoolWriter must write exactly what Whoosh's own SegmentWriter writes.

Postings (documents, weights, positions), field lengths, term statistics and stored fields
are compared term by term between an index written by each, in memory and with the pool
forced to spill many runs to disk, and for the multi-process writer of a build.
"""

from __future__ import annotations

import pickle
import random
from collections import Counter
from itertools import accumulate
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

import index.segment.blocks as block_writer
import index.segment.processes as writers
from index.schema import build_schema
from index.segment.pool import TermPoolWriter

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _documents(count: int) -> list[dict[str, Any]]:
    """Schema-complete documents of real Indonesian text, with repeated words and gaps."""
    words = " ".join(p.read_text(errors="replace") for p in sorted(SEEDS.rglob("*.txt"))).split()
    assert len(words) > 500
    rng = random.Random(5)
    docs = []
    for n in range(count):
        start = rng.randrange(len(words) - 300)
        body = " ".join(words[start : start + rng.randrange(20, 300)])
        title = " ".join(rng.sample(words, rng.randrange(3, 12)))
        doc: dict[str, Any] = {
            "id": f"doc{n:04d}",
            "path": f"outlet/{n}.txt",
            "source": f"outlet/{n}.txt",
            "source_sig": f"{n}:{n * 7}",
            "content_key": f"key{n}",
            "outlet_name": "Contoh",
            "year": "2024" if n % 3 else "none",
            "month": f"2024-{n % 12 + 1:02d}",
            "title": title,
            "title_exact": title,
            "body": body,
            "body_exact": body,
            "authors": "Budi Santoso, Siti" if n % 2 else "",
            "authors_list": ["Budi Santoso", "Siti"] if n % 2 else [],
            "dateline": "JAKARTA" if n % 4 else None,
            "captions": [],
            "words": len(body.split()),
        }
        if n % 5:
            doc["outlet"] = "contoh" if n % 2 else "lain"
        docs.append(doc)
    return docs


def _write(path: Path, writer_factory: Any, docs: list[dict[str, Any]]) -> Path:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = writer_factory(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    ix.close()
    return path


def _content(path: Path) -> dict[str, Any]:
    """Everything a search can read, keyed by article id rather than document number."""
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as r:
        ids = {doc: fields["id"] for doc, fields in r.iter_docs()}
        stored = {ids[doc]: fields for doc, fields in r.iter_docs()}
        schema = ix.schema
        postings = {}
        stats = {}
        lengths = {}
        for fieldname, btext in r.all_terms():
            fmt = schema[fieldname].format
            m = r.postings(fieldname, btext)
            items = []
            while m.is_active():
                positions = m.value_as("positions") if fmt.supports("positions") else None
                # No value reads back as None from a block, "" from a term inlined in the
                # term table (Whoosh's ListMatcher): the same for every reader of a value.
                items.append((ids[m.id()], m.weight(), m.value() or None, positions))
                m.next()
            postings[fieldname, btext] = sorted(items)
            info = r.term_info(fieldname, btext)
            stats[fieldname, btext] = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
        for fieldname in schema.scorable_names():
            lengths[fieldname] = (
                r.field_length(fieldname),
                r.min_field_length(fieldname),
                r.max_field_length(fieldname),
                {ids[doc]: r.doc_field_length(doc, fieldname) for doc in ids},
            )
    ix.close()
    return {"stored": stored, "postings": postings, "stats": stats, "lengths": lengths}


def _assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["stored"] == want["stored"]
    assert got["lengths"] == want["lengths"]
    assert got["postings"].keys() == want["postings"].keys()
    for key, items in want["postings"].items():
        assert got["postings"][key] == items, key
    assert got["stats"] == want["stats"]


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return _documents(120)


@pytest.fixture(scope="module")
def stock(tmp_path_factory, docs) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("stock") / "ix"
    return _content(_write(path, lambda ix: SegmentWriter(ix, compound=False), docs))


@pytest.mark.slow
@pytest.mark.parametrize("limitmb", [256, 0.02], ids=["in-memory", "spilling"])
def test_term_pool_writer_writes_what_whoosh_writes(tmp_path, docs, stock, limitmb):
    made = []

    def factory(ix):
        made.append(TermPoolWriter(ix, limitmb=limitmb, compound=False))
        return made[-1]

    path = _write(tmp_path / "ix", factory, docs)
    if limitmb < 1:
        assert len(made[0].pool.runs) == 0  # all merged, and the run files deleted
    assert not list((tmp_path / "ix").glob("*.trun"))
    _assert_same(_content(path), stock)


def test_spilling_really_spills(tmp_path, docs):
    path = tmp_path / "ix"
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = TermPoolWriter(ix, limitmb=0.02, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    assert len(writer.pool.runs) > 5
    writer.cancel()
    ix.close()


@pytest.mark.slow
def test_multiprocess_writer_writes_what_whoosh_writes(tmp_path, docs, stock, monkeypatch):
    monkeypatch.setattr(writers, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(writers, "cpu_count", lambda: 2)
    path = tmp_path / "ix"

    def factory(ix):
        writer = writers.open_writer(ix, len(docs), tmp_path)
        assert isinstance(writer, writers._StemReportingWriter)
        return writer

    _write(path, factory, docs)
    _assert_same(_content(path), stock)


def _merged(path: Path, last_writer: Any, docs: list[dict[str, Any]]) -> dict[str, Any]:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    for part in (docs[:40], docs[40:80]):
        w = SegmentWriter(ix, compound=False)
        for doc in part:
            w.add_document(**doc)
        w.commit(merge=False)
    w = last_writer(ix, compound=False)
    for doc in docs[80:]:
        w.add_document(**doc)
    w.commit(optimize=True)
    assert len(ix._segments()) == 1
    ix.close()
    return _content(path)


def test_merging_segments_through_the_pool(tmp_path, docs):
    """A writer that merges earlier segments feeds their postings through TermPool.add.

    (Merging sums the rounded lengths of the merged documents, so the field totals differ
    from a single segment's: the reference merges too.)
    """
    want = _merged(tmp_path / "stock", SegmentWriter, docs)
    _assert_same(_merged(tmp_path / "pool", TermPoolWriter, docs), want)


def _segment_files(path: Path) -> dict[str, bytes]:
    """A segment's files by what they hold (the random segment name left out)."""
    return {
        p.name.split(".", 1)[1]: p.read_bytes()
        for p in path.iterdir()
        if p.name.startswith("MAIN_") and "." in p.name
    }


def _blocks(path: Path) -> dict[tuple[str, bytes], Any]:
    """Every term's statistics and posting blocks, each block's header and data decoded;
    for a term inlined in the term table, its postings."""
    ix = whoosh_index.open_dir(str(path))
    out: dict[tuple[str, bytes], Any] = {}
    with ix.reader() as r:
        for fieldname, btext in r.all_terms():
            info = r.term_info(fieldname, btext)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            stats += (info.max_weight(), info.min_id(), info.max_id())
            if info.is_inlined():
                out[fieldname, btext] = (stats, ("inlined", info.inlined_postings()))
                continue
            m = r.postings(fieldname, btext)
            blocks = []
            while m.is_active():
                m._read_data()
                blocks.append(
                    (
                        m._data,
                        m._blocklength,
                        m._maxid,
                        m._maxweight,
                        m._compression,
                        m._minlength,
                        m._maxlength,
                    )
                )
                m._next_block()
            out[fieldname, btext] = (stats, blocks)
    ix.close()
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("limitmb", "chunk_blocks"),
    [(256, None), (0.05, None), (256, 1)],
    ids=["in-memory", "spilling", "a-block-a-chunk"],
)
def test_segment_is_whooshs_block_for_block(tmp_path, monkeypatch, limitmb, chunk_blocks):
    """The same blocks as Whoosh's writer, with posting lists long enough to fill several of
    the codec's 128-posting blocks: lengths, stored fields and columns byte for byte; the
    postings block by block, decoded (their data is pickled with a newer protocol). A
    term's postings are written a chunk at a time; one block a chunk puts a chunk's edge
    between every two blocks."""
    if chunk_blocks is not None:
        monkeypatch.setattr(block_writer, "CHUNK_BLOCKS", chunk_blocks)
    docs = _documents(420)
    stock = _write(tmp_path / "stock", lambda ix: SegmentWriter(ix, compound=False), docs)
    pool = _write(
        tmp_path / "pool", lambda ix: TermPoolWriter(ix, limitmb=limitmb, compound=False), docs
    )
    want = _segment_files(stock)
    got = _segment_files(pool)
    got.pop("pra", None)  # postings arrays (a big segment only): tests/index/test_posting_arrays.py
    assert {"pst", "trm", "_stored.col", "_body_len.col"} <= want.keys()
    assert got.keys() == want.keys()
    for name, data in want.items():
        if name not in ("pst", "trm"):
            assert got[name] == data, name
    # a smaller postings file: values as bytes, not as calls to _codecs.encode
    assert len(got["pst"]) < 0.7 * len(want["pst"])
    want_blocks = {key: _as_written_here(stats, blocks) for key, (stats, blocks) in
                   _blocks(stock).items()}  # fmt: skip
    got_blocks = _blocks(pool)
    assert max(len(blocks) for _, blocks in want_blocks.values()) >= 3
    assert got_blocks.keys() == want_blocks.keys()
    kinds = Counter()
    for key, (stats, blocks) in want_blocks.items():
        assert got_blocks[key][0] == stats, key
        assert got_blocks[key][1] == blocks, key
        if blocks[0] == "inlined":
            kinds["inlined"] += 1
        else:
            kinds.update(block[4] for block in blocks)  # each block's compression level
    assert kinds["inlined"] and kinds[0] and kinds[3], kinds  # every kind of block met


def _as_written_here(stats: tuple[Any, ...], blocks: list[Any]) -> tuple[Any, Any]:
    """What Whoosh's writer wrote for a term, as the block writer writes it on purpose
    (index.segment.blocks): a single posting inlined, a short block left uncompressed."""
    if len(blocks) == 1 and blocks[0][1] < block_writer.INLINE_BELOW:
        (deltas, weights, values), *_ = blocks[0]
        ids = tuple(accumulate(deltas))
        if not isinstance(weights, tuple):  # minified: None when all 1.0, else one number
            weights = (1.0 if weights is None else weights,) * len(ids)
        return stats, ("inlined", (ids, weights, () if values is None else tuple(values)))
    written = []
    for data, *head in blocks:
        small = len(pickle.dumps(data, block_writer.DATA_PROTOCOL)) < block_writer.COMPRESS_FROM
        written.append((data, *head[:3], 0 if small else head[3], *head[4:]))
    return stats, written


def test_another_whoosh_gets_the_public_path(tmp_path, docs, stock, monkeypatch):
    """Under a Whoosh other than 2.7.4 the block writer stands aside; the content is the same."""
    import index.segment.blocks as block_writer
    from index import whoosh_release

    monkeypatch.setattr(whoosh_release, "RELEASE", (2, 7, 5))
    calls = []
    monkeypatch.setattr(block_writer, "write_term", lambda *a: calls.append(a))
    path = _write(tmp_path / "ix", lambda ix: TermPoolWriter(ix, compound=False), docs)
    assert not calls
    _assert_same(_content(path), stock)


def test_the_compact_term_table_writes_whoosh_s_file(tmp_path):
    """CompactTermTable holds the term table's hashes in arrays; the file is the same, with
    keys sharing a bucket and colliding within its hash table."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    import index.segment.blocks as block_writer

    storage = FileStorage(str(tmp_path))
    rng = random.Random(11)
    keys = sorted(
        {bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12))) for _ in range(3000)}
    )
    items = [(k, bytes(rng.randrange(256) for _ in range(rng.randrange(0, 30)))) for k in keys]
    for name in ("stock", "compact"):
        table = OrderedHashWriter(storage.create_file(name))
        table.extras["fieldmap"] = {"body": 0}
        if name == "compact":
            block_writer.compact_term_table(SimpleNamespace(_tindex=table))
            assert type(table) is block_writer.CompactTermTable
        for key, value in items:
            table.add(key, value)
        table.close()
    assert storage.open_file("compact").read() == storage.open_file("stock").read()
    reader = OrderedHashReader(storage.open_file("compact"))
    assert reader[items[1234][0]] == items[1234][1]
    reader.close()


@pytest.mark.parametrize("count", [2, block_writer.INLINE_BELOW + 3], ids=["inlined", "blocks"])
def test_postings_out_of_order_are_sorted_on_the_way_out(tmp_path, docs, count):
    """Postings handed to the pool out of document order (PostingPool's `add`, as a merge
    does) come out in Whoosh's order, whether the term is inlined or written in blocks."""
    path = tmp_path / "ix"
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = TermPoolWriter(ix, compound=False)
    for doc in docs[:30]:
        writer.add_document(**doc)
    order = list(range(count))[::-1]
    value = writer.schema["body"].format.encode([0])[1]
    for docnum in order:
        writer.pool.add(("body", b"zzacak", docnum, 1.0, value))
    writer.commit()
    with ix.searcher() as s:
        m = s.reader().postings("body", b"zzacak")
        assert list(m.all_ids()) == sorted(order)
        inlined = s.reader().term_info("body", b"zzacak").is_inlined()
        assert inlined == (count < block_writer.INLINE_BELOW)
    ix.close()


def test_a_counted_file_knows_its_position_as_the_system_does(tmp_path):
    """CountedFile's position after writes of every kind Whoosh makes, and after a seek."""
    from array import array

    from whoosh.filedb.structfile import StructFile

    raw = open(tmp_path / "f", "wb")  # noqa: SIM115 - closed through the StructFile
    raw.write(b"head")
    f = StructFile(raw)
    f.file = block_writer.CountedFile(raw)
    f.write(b"abc")
    f.write_int(7)
    f.write_pickle({"x": [1, 2, 3]})
    f.write_array(array("I", range(10)))
    assert f.tell() == raw.tell()
    f.seek(2)
    assert f.tell() == raw.tell() == 2
    f.seek(0, 2)
    f.write(memoryview(b"xyz"))
    assert f.tell() == raw.tell()
    f.close()
    assert raw.closed
