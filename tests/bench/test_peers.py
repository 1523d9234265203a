"""The comparison engines must answer the same question as Warta (all words required,
phrases, outlet and date filters), or the side-by-side ratios in the benchmark mean nothing.

Run with a plain lowercase split instead of Warta's analyzer, so these tests do not depend
on index/analysis.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from bench.corpus import WIB
from bench.peers import (
    SqliteFts5Peer,
    TantivyPeer,
    WhooshDefaultPeer,
    parse_clauses,
    percentiles,
    plain_analyze,
)


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: tuple[str, ...]
    outlet: str | None
    published: datetime | None


DOCS = [
    Doc("a", "Korut kirim senjata", ("Korea Utara mengirim senjata ke Rusia.",), "kompas",
        datetime(2023, 11, 9, 20, 27, tzinfo=WIB)),
    Doc("b", "Banjir di Jakarta", ("Banjir merendam Jakarta Utara dan senjata polisi.",),
        "detik", datetime(2023, 1, 5, 8, 0, tzinfo=WIB)),
    Doc("c", "Timnas menang", ("Tim nasional menang 3-0 atas Laos.",), "kompas",
        datetime(2022, 6, 1, 19, 30, tzinfo=WIB)),
    Doc("d", "Harga minyak naik", ("Harga minyak dunia naik, kata menteri.",), None, None),
]  # fmt: skip


def _peers(tmp_path):
    peers = [WhooshDefaultPeer(tmp_path), SqliteFts5Peer(tmp_path, plain_analyze)]
    try:
        import tantivy  # noqa: F401
    except ImportError:
        pass  # the bench extra is not installed; the other two still run
    else:
        peers.append(TantivyPeer(tmp_path, plain_analyze))
    return peers


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    peers = _peers(tmp_path_factory.mktemp("peers"))
    yield [(p, p.build(DOCS)) for p in peers]
    for p in peers:
        p.close()


def test_build_stats(built):
    for peer, stats in built:
        assert stats.peer == peer.name
        assert stats.articles == len(DOCS)
        assert stats.size_bytes > 0 and stats.articles_per_s > 0 and stats.mb > 0
        assert set(stats.to_json()) >= {"articles_per_s", "mb_per_s", "index_articles_per_s"}


@pytest.mark.parametrize(
    ("q", "kwargs", "expected"),
    [
        ("senjata", {}, {"a", "b"}),
        ("senjata rusia", {}, {"a"}),  # every word required
        ('"jakarta utara"', {}, {"b"}),
        ('"utara jakarta"', {}, set()),  # a phrase keeps its order
        ("senjata", {"outlet": "detik"}, {"b"}),
        ("menang", {"outlet": "detik"}, set()),
        (
            "senjata",
            {"start": datetime(2023, 6, 1, tzinfo=WIB), "end": datetime(2023, 12, 31, tzinfo=WIB)},
            {"a"},
        ),
        ("minyak", {}, {"d"}),
        ("tidakada", {}, set()),
    ],
)
def test_peers_answer_the_same(built, q, kwargs, expected):
    for peer, _ in built:
        res = peer.query(q, **kwargs)
        assert set(res.ids) == expected, peer.name
        assert res.took_ms >= 0


def test_limit_and_rank(built):
    for peer, _ in built:
        assert len(peer.query("senjata", limit=1).ids) == 1
        assert peer.query("senjata korut").ids == ["a"]


def test_parse_clauses():
    assert parse_clauses('Korut "kirim senjata" ke', plain_analyze) == [
        ["korut"],
        ["kirim", "senjata"],
        ["ke"],
    ]
    assert parse_clauses("3-0", plain_analyze) == [["3"], ["0"]]
    assert parse_clauses('""', plain_analyze) == []


def test_percentiles():
    p = percentiles([float(i) for i in range(1, 101)])
    assert p["p50"] == pytest.approx(50.5) and p["p99"] == pytest.approx(99.01)
    assert percentiles([])["n"] == 0
