"""The engines a user might pick instead of Warta, over the same articles and queries.

Issue 5 asks where Warta stands, not just how fast it is; a number means little on a noisy
2-core machine unless an engine doing comparable work runs beside it. Three peers:

- ``whoosh-default``: Whoosh with its StandardAnalyzer (no Indonesian stemming): what you
  get by pointing plain Whoosh at the archive; the cost Warta's analysis adds shows against it.
- ``sqlite-fts5``: SQLite FTS5 over Warta's analyzed (stemmed) text: the "just use SQLite"
  answer, given the same morphology so that result sets are comparable.
- ``tantivy``: tantivy-py (Rust) over the same analyzed text: the fast-engine ceiling.

For the two stemmed peers the analysis runs first and is timed apart from the indexing
(`BuildStats.analyze_s` / `index_s`), because the stemming is Warta's cost, not theirs.
Every peer answers top-`limit` ids ranked by its own BM25, with an optional outlet filter
and date range, and counts nothing else (no totals, no facets).

CLI (a quick look without run.py): ``python bench/peers.py --docs 2000 [--plain]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

if __package__ in (None, ""):  # run as `python bench/peers.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

Analyze = Callable[[str], list[str]]


class PeerArticle(Protocol):
    """What a peer reads from an article: `index.article.Article` and
    `bench.corpus.GeneratedArticle` both fit, so peers run before or after Warta's ingest."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> Sequence[str]: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> datetime | None: ...


# --------------------------------------------------------------------------- analyzers

_WORD = re.compile(r"\w+")


def plain_analyze(text: str) -> list[str]:
    """Lowercased word split: a stand-in for Warta's analyzer while it is being written,
    and the "no stemming" baseline."""
    return _WORD.findall(text.lower())


def warta_analyze() -> Analyze:
    """Warta's one analyzer (index/analysis.py) as a text -> tokens function.

    Imported lazily so that this module loads, and the Whoosh-default peer runs, even where
    index/analysis.py does not exist yet. Uses only the Whoosh analyzer protocol: calling
    the analyzer yields tokens with `.text` (Whoosh reuses one Token object, hence the copy).
    """
    from index.analysis import ANALYZER

    def analyze(text: str) -> list[str]:
        return [t.text for t in ANALYZER(text)]

    return analyze


# --------------------------------------------------------------------------- results


@dataclass
class BuildStats:
    """How fast a peer indexed the articles, and how big the result is."""

    peer: str
    articles: int
    mb: float
    analyze_s: float
    index_s: float
    size_bytes: int

    @property
    def seconds(self) -> float:
        return self.analyze_s + self.index_s

    @property
    def articles_per_s(self) -> float:
        """End to end for this peer, analysis included (what the issue's tables compare)."""
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def index_articles_per_s(self) -> float:
        """The engine alone, without Warta's analysis."""
        return self.articles / self.index_s if self.index_s else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        """Fields and derived rates, for the benchmark's JSON record."""
        out = asdict(self)
        out.update(
            seconds=self.seconds,
            articles_per_s=self.articles_per_s,
            index_articles_per_s=self.index_articles_per_s,
            mb_per_s=self.mb_per_s,
        )
        return out


@dataclass
class QueryResult:
    """One answered query: top ids in rank order and the wall time it took, parse to ids."""

    ids: list[str]
    took_ms: float


def percentiles(ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 of latencies: what the issue's targets are stated in."""
    if not ms:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "n": 0}
    if len(ms) == 1:
        return {"p50": ms[0], "p95": ms[0], "p99": ms[0], "n": 1}
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98], "n": len(ms)}


# --------------------------------------------------------------------------- queries

_CLAUSE = re.compile(r'"([^"]*)"|(\S+)')


def parse_clauses(q: str, analyze: Analyze) -> list[list[str]]:
    """A query as analyzed clauses, all required: a one-token clause is a term, a longer
    one (from a "quoted phrase") is a phrase.

    A bare word that analyzes to several tokens becomes several terms, not a phrase; words
    the analyzer drops (stopwords) drop out. Peers share this so they answer the same thing.
    """
    clauses: list[list[str]] = []
    for m in _CLAUSE.finditer(q):
        phrase, word = m.groups()
        if phrase is not None:
            toks = analyze(phrase)
            if toks:
                clauses.append(toks)
        else:
            clauses.extend([t] for t in analyze(word))
    return clauses


def _naive_utc(dt: datetime) -> datetime:
    """Whoosh's DATETIME stores naive datetimes: store and query them all as UTC."""
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(timezone.utc).replace(tzinfo=None)


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _text_mb(art: PeerArticle) -> float:
    return (len(art.title.encode()) + sum(len(p.encode()) for p in art.body)) / 1e6


# --------------------------------------------------------------------------- peers


class Peer(ABC):
    """One comparison engine: build once into its own folder, then answer queries warm."""

    name: str = "peer"

    def __init__(self, workdir: str | os.PathLike[str]) -> None:
        self.path = Path(workdir) / self.name
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)

    @abstractmethod
    def build(
        self, articles: Iterable[PeerArticle], analyzed: Analyzed | None = None
    ) -> BuildStats:
        """Index the articles from scratch and report rates and size.

        `analyzed`, when given, is `analyze_articles(articles, ...)` done once for all peers;
        peers that do their own analysis ignore it.
        """

    @abstractmethod
    def query(
        self,
        q: str,
        *,
        outlet: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 10,
    ) -> QueryResult:
        """Top ids for `q` (all words required, "quoted phrases"), optionally filtered."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release readers; the folder stays for size inspection until the caller removes it."""


Row = tuple[str, str, str, str | None, int | None]


@dataclass
class Analyzed:
    """Articles run through the analyzer once, shared by the stemmed peers.

    Rows are (id, analyzed title, analyzed body, outlet, unix time or None), tokens joined
    by spaces. Sharing matters: Warta's stem cache lives in the process, so whichever peer
    analyzed second would look faster for a warm cache, not for its engine.
    """

    rows: list[Row]
    analyze_s: float
    mb: float


def analyze_articles(articles: Iterable[PeerArticle], analyze: Analyze) -> Analyzed:
    """Analyze every article once and time it (Warta's cost, reported apart from the peers')."""
    t0 = time.perf_counter()
    rows: list[Row] = []
    mb = 0.0
    for art in articles:
        mb += _text_mb(art)
        rows.append(
            (
                art.id,
                " ".join(analyze(art.title)),
                " ".join(analyze("\n".join(art.body))),
                art.outlet,
                int(art.published.timestamp()) if art.published else None,
            )
        )
    return Analyzed(rows, time.perf_counter() - t0, mb)


class _StemmedPeer(Peer):
    """Shared part of the peers that index Warta's analyzed text."""

    def __init__(self, workdir: str | os.PathLike[str], analyze: Analyze | None = None) -> None:
        super().__init__(workdir)
        self.analyze = analyze or warta_analyze()

    def _prepare(self, articles: Iterable[PeerArticle], analyzed: Analyzed | None) -> Analyzed:
        return analyzed if analyzed is not None else analyze_articles(articles, self.analyze)


class WhooshDefaultPeer(Peer):
    """Plain Whoosh 2.7.4: TEXT fields with StandardAnalyzer, BM25F.

    It writes with Whoosh's own multi-process writer, one process per core as Warta's
    build does, so the two build rates compare engines rather than core counts.
    """

    name = "whoosh-default"

    def __init__(self, workdir: str | os.PathLike[str], limitmb: int = 256) -> None:
        super().__init__(workdir)
        self.limitmb = limitmb
        self._searcher: Any = None

    def build(
        self, articles: Iterable[PeerArticle], analyzed: Analyzed | None = None
    ) -> BuildStats:
        from whoosh import fields, index

        schema = fields.Schema(
            id=fields.ID(stored=True),
            outlet=fields.ID(),
            published=fields.DATETIME(),
            title=fields.TEXT(),
            body=fields.TEXT(),
        )
        t0 = time.perf_counter()
        ix = index.create_in(str(self.path), schema)
        from index.segment import cpu_count

        procs = cpu_count()
        writer = (
            ix.writer(limitmb=self.limitmb, procs=procs, multisegment=True)
            if procs > 1
            else ix.writer(limitmb=self.limitmb)
        )
        n, mb = 0, 0.0
        for art in articles:
            doc: dict[str, Any] = {"id": art.id, "title": art.title, "body": "\n".join(art.body)}
            if art.outlet:
                doc["outlet"] = art.outlet
            if art.published:
                doc["published"] = _naive_utc(art.published)
            writer.add_document(**doc)
            n += 1
            mb += _text_mb(art)
        writer.commit()
        took = time.perf_counter() - t0
        self._ix = ix
        return BuildStats(self.name, n, mb, 0.0, took, _dir_size(self.path))

    def query(
        self,
        q: str,
        *,
        outlet: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 10,
    ) -> QueryResult:
        from whoosh import query as wq
        from whoosh.qparser import MultifieldParser

        t0 = time.perf_counter()
        if self._searcher is None:
            self._searcher = self._ix.searcher()
            self._parser = MultifieldParser(["title", "body"], self._ix.schema)
        parsed = self._parser.parse(q)
        filters = []
        if outlet:
            filters.append(wq.Term("outlet", outlet))
        if start or end:
            filters.append(
                wq.DateRange(
                    "published",
                    _naive_utc(start) if start else None,
                    _naive_utc(end) if end else None,
                )
            )
        flt = wq.And(filters) if filters else None
        hits = self._searcher.search(parsed, limit=limit, filter=flt)
        ids = [h["id"] for h in hits]
        return QueryResult(ids, (time.perf_counter() - t0) * 1000)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


class SqliteFts5Peer(_StemmedPeer):
    """SQLite FTS5 over the analyzed text; bulk load in one transaction, ranked by bm25()."""

    name = "sqlite-fts5"

    def build(
        self, articles: Iterable[PeerArticle], analyzed: Analyzed | None = None
    ) -> BuildStats:
        an = self._prepare(articles, analyzed)
        rows = an.rows
        t0 = time.perf_counter()
        db = self.path / "fts.db"
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        # Analyzed tokens are whitespace-separated already; keep hyphens and dots inside them.
        con.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, doc_id UNINDEXED, "
            "outlet UNINDEXED, published UNINDEXED, "
            "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-_.'\")"
        )
        with con:
            con.executemany(
                "INSERT INTO docs(doc_id, title, body, outlet, published) VALUES (?,?,?,?,?)",
                rows,
            )
        con.close()
        index_s = time.perf_counter() - t0
        self._con = sqlite3.connect(db, check_same_thread=False)
        return BuildStats(self.name, len(rows), an.mb, an.analyze_s, index_s, _dir_size(self.path))

    @staticmethod
    def match_expr(clauses: list[list[str]]) -> str:
        """FTS5 MATCH text: every clause quoted (so no token is read as an operator)."""

        def quote(toks: list[str]) -> str:
            return '"' + " ".join(toks).replace('"', '""') + '"'

        return " AND ".join(quote(c) for c in clauses)

    def query(
        self,
        q: str,
        *,
        outlet: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 10,
    ) -> QueryResult:
        t0 = time.perf_counter()
        clauses = parse_clauses(q, self.analyze)
        if not clauses:
            return QueryResult([], (time.perf_counter() - t0) * 1000)
        sql = "SELECT doc_id FROM docs WHERE docs MATCH ?"
        args: list[Any] = [self.match_expr(clauses)]
        if outlet:
            sql += " AND outlet = ?"
            args.append(outlet)
        if start:
            sql += " AND published >= ?"
            args.append(int(start.timestamp()))
        if end:
            sql += " AND published <= ?"
            args.append(int(end.timestamp()))
        sql += " ORDER BY rank LIMIT ?"
        args.append(limit)
        ids = [r[0] for r in self._con.execute(sql, args)]
        return QueryResult(ids, (time.perf_counter() - t0) * 1000)

    def close(self) -> None:
        if getattr(self, "_con", None) is not None:
            self._con.close()
            self._con = None


class TantivyPeer(_StemmedPeer):
    """tantivy-py over the analyzed text (whitespace tokenizer, so tokens stay Warta's);
    the writer uses tantivy's default threads, as a user would."""

    name = "tantivy"

    def __init__(
        self,
        workdir: str | os.PathLike[str],
        analyze: Analyze | None = None,
        heap_bytes: int = 256_000_000,
    ) -> None:
        super().__init__(workdir, analyze)
        self.heap_bytes = heap_bytes

    def build(
        self, articles: Iterable[PeerArticle], analyzed: Analyzed | None = None
    ) -> BuildStats:
        import tantivy

        an = self._prepare(articles, analyzed)
        t0 = time.perf_counter()
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
        sb.add_text_field("outlet", tokenizer_name="raw")
        sb.add_integer_field("published", indexed=True, fast=True)
        sb.add_text_field("title", tokenizer_name="whitespace")
        sb.add_text_field("body", tokenizer_name="whitespace")
        schema = sb.build()
        ix = tantivy.Index(schema, path=str(self.path))
        writer = ix.writer(heap_size=self.heap_bytes)
        for doc_id, title, body, outlet, ts in an.rows:
            doc = tantivy.Document(doc_id=doc_id, title=title, body=body)
            if outlet:
                doc.add_text("outlet", outlet)
            if ts is not None:
                doc.add_integer("published", ts)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        ix.reload()
        index_s = time.perf_counter() - t0
        self._tv = tantivy
        self._schema = schema
        self._searcher = ix.searcher()
        return BuildStats(
            self.name, len(an.rows), an.mb, an.analyze_s, index_s, _dir_size(self.path)
        )

    def query(
        self,
        q: str,
        *,
        outlet: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 10,
    ) -> QueryResult:
        tv, schema = self._tv, self._schema
        Q, Occur = tv.Query, tv.Occur
        t0 = time.perf_counter()
        clauses = parse_clauses(q, self.analyze)
        if not clauses:
            return QueryResult([], (time.perf_counter() - t0) * 1000)
        must = []
        for toks in clauses:
            per_field = [
                (
                    Occur.Should,
                    Q.term_query(schema, f, toks[0])
                    if len(toks) == 1
                    else Q.phrase_query(schema, f, toks),
                )
                for f in ("title", "body")
            ]
            must.append((Occur.Must, Q.boolean_query(per_field)))
        if outlet:
            must.append(
                (Occur.Must, Q.const_score_query(Q.term_query(schema, "outlet", outlet), 0.0))
            )
        if start or end:
            rng = Q.range_query(
                schema,
                "published",
                tv.FieldType.Integer,
                int(start.timestamp()) if start else None,
                int(end.timestamp()) if end else None,
            )
            must.append((Occur.Must, rng))
        res = self._searcher.search(Q.boolean_query(must), limit, count=False)
        ids = [self._searcher.doc(addr)["doc_id"][0] for _, addr in res.hits]
        return QueryResult(ids, (time.perf_counter() - t0) * 1000)


PEERS: dict[str, type[Peer]] = {p.name: p for p in (WhooshDefaultPeer, SqliteFts5Peer, TantivyPeer)}


def make_peers(workdir: str | os.PathLike[str], analyze: Analyze | None = None) -> list[Peer]:
    """The three peers in the issue's order; `analyze` defaults to Warta's analyzer."""
    an = analyze or warta_analyze()
    return [WhooshDefaultPeer(workdir), SqliteFts5Peer(workdir, an), TantivyPeer(workdir, an)]


# A small query set for the CLI; run.py owns the full, fixed set of at least 30.
SAMPLE_QUERIES = (
    "korupsi",
    "timnas",
    "banjir jakarta",
    "harga minyak",
    "pengiriman senjata",
    "menteri keuangan",
    "liga champions",
    "kebakaran hutan riau",
    "presiden joko widodo",
    '"tim nasional"',
    "KPK",
    "Pilkada DKI",
)


def run_peers(
    articles: Sequence[PeerArticle],
    queries: Sequence[str],
    workdir: str | os.PathLike[str],
    analyze: Analyze | None = None,
    repeat: int = 3,
) -> dict[str, dict[str, Any]]:
    """Build every peer over `articles` and time each query `repeat` times warm (after one
    untimed warm-up pass). Returns {peer: {"build": ..., "query_ms": percentiles, "hits": ...}}.

    The analysis for the stemmed peers runs once, before them, and both report its time.
    """
    an = analyze or warta_analyze()
    report: dict[str, dict[str, Any]] = {}
    analyzed: Analyzed | None = None
    for peer in make_peers(workdir, an):
        if isinstance(peer, _StemmedPeer) and analyzed is None:
            analyzed = analyze_articles(articles, an)
        build = peer.build(articles, analyzed)
        for q in queries:
            peer.query(q)
        times: list[float] = []
        hits: dict[str, list[str]] = {}
        for _ in range(repeat):
            for q in queries:
                res = peer.query(q)
                times.append(res.took_ms)
                hits[q] = res.ids
        peer.close()
        report[peer.name] = {
            "build": build.to_json(),
            "query_ms": percentiles(times),
            "hits": hits,
        }
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Build the peers over a generated corpus and print their rates and latencies."""
    from bench.corpus import generate

    ap = argparse.ArgumentParser(description="Run the comparison engines on a generated corpus")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plain", action="store_true", help="lowercase split, not Warta's analyzer")
    ap.add_argument("--workdir", default=None, help="keep peer indexes here (default: temp)")
    args = ap.parse_args(argv)
    analyze = plain_analyze if args.plain else warta_analyze()
    articles = [art for art, _page in generate(args.docs, args.seed)]
    tmp = args.workdir or tempfile.mkdtemp(prefix="warta-peers-")
    try:
        report = run_peers(articles, SAMPLE_QUERIES, tmp, analyze)
    finally:
        if not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{'peer':<16}{'art/s':>9}{'idx art/s':>11}{'MB/s':>7}{'size MB':>9}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    )
    for name, r in report.items():
        b, ms = r["build"], r["query_ms"]
        print(
            f"{name:<16}{b['articles_per_s']:>9.0f}{b['index_articles_per_s']:>11.0f}"
            f"{b['mb_per_s']:>7.2f}{b['size_bytes'] / 1e6:>9.1f}"
            f"{ms['p50']:>8.2f}{ms['p95']:>8.2f}{ms['p99']:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
