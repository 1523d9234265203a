"""Building the index: files → Articles → a new Whoosh generation, swapped in atomically.

Only this module writes a Whoosh index. A full build writes a fresh generation; --update
copies the live one and applies the changes of the folder (new, changed, deleted files).
Either way the live index is untouched until the finished generation replaces it, so
Ctrl-C, a crash or a full disk leave it whole.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from whoosh import index as whoosh_index

from index import (
    __version__,
    doc_columns,
    language,
    safe_unpickle,
    store,
    story_table,
    template,
)
from index.analysis import STEMS, Unstemmed
from index.article import Article
from index.errors import IndexDamagedError, SkipFile, WartaError
from index.readers import FORMAT_NAMES, STREAMED, format_of, read_parsed
from index.reading import Parsed, ReadContext
from index.schema import NO_DATE, SCHEMA_VERSION, build_schema
from index.segment import PARALLEL_MIN_FILES, collect_stems, open_writer
from index.sources import Found, FoundList, Skipped, discover
from index.story_stage import StoryStage, desk_and_hour, open_stories
from index.template import group_of

log = logging.getLogger(__name__)
safe_unpickle.install()  # --update reads the live index: no code from it


@dataclass
class BuildReport:
    """What a build did, for the closing report and meta.json."""

    source: str
    index_dir: str
    mode: str = "rebuild"
    files: int = 0
    indexed: int = 0
    duplicates: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # Records skipped inside files that were read: (file, line, reason), the first
    # MAX_BAD_ROWS of them; bad_row_count counts them all.
    bad_rows: list[tuple[str, int, str]] = field(default_factory=list)
    bad_row_count: int = 0
    url_duplicates: int = 0
    # Records indexed with a field Warta filled in: (path#row, how), the first
    # MAX_BAD_ROWS of them; derived_count counts them all.
    derived: list[tuple[str, str]] = field(default_factory=list)
    derived_count: int = 0
    format_articles: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)
    undated: int = 0
    # Articles indexed per language (ISO 639-1), and those --lang left out.
    languages: Counter[str] = field(default_factory=Counter)
    language_skipped: Counter[str] = field(default_factory=Counter)
    # Articles that share their story with another (index.stories), the stories they
    # make, and a note when --update could not group new articles with the old ones.
    story_articles: int = 0
    stories: int = 0
    story_note: str | None = None
    story_threshold: float | None = None
    total_articles: int = 0
    elapsed: float = 0.0
    # What the build learned of each folder's site template (index.template.report), the
    # outlets its text pages came out as, and the seconds the learning pass took.
    templates: list[dict[str, Any]] = field(default_factory=list)
    template_outlets: defaultdict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    template_seconds: float = 0.0
    stem_hits: int = 0
    stem_misses: int = 0
    stems_loaded: int = 0
    # The process id of an earlier build of this index that was killed before it ended
    # (index.store.writer_lock); its partial files were removed before this one began.
    killed_build: int | None = None

    @property
    def rate(self) -> float:
        return self.indexed / self.elapsed if self.elapsed else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "mode": self.mode,
            "files": self.files,
            "indexed": self.indexed,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "outlets": dict(self.outlets.most_common()),
            "formats": dict(self.formats.most_common()),
            "format_articles": dict(self.format_articles.most_common()),
            "url_duplicates": self.url_duplicates,
            "bad_rows": self.bad_row_count,
            "bad_row_details": [{"path": p, "line": n, "reason": r} for p, n, r in self.bad_rows],
            "derived": self.derived_count,
            "derived_details": [{"path": p, "how": how} for p, how in self.derived],
            "undated": self.undated,
            "languages": dict(self.languages.most_common()),
            "language_skipped": dict(self.language_skipped.most_common()),
            "stories": {
                "grouped_articles": self.story_articles,
                "stories": self.stories,
                "note": self.story_note,
                "threshold": self.story_threshold,
            },
            "articles": self.total_articles,
            "elapsed_s": round(self.elapsed, 3),
            "stem_cache": {"hits": self.stem_hits, "misses": self.stem_misses},
            "templates": self.templates,
            "template_s": round(self.template_seconds, 3),
            "killed_build": self.killed_build,
        }

    def add_derived(self, path: str, how: str) -> None:
        self.derived_count += 1
        if len(self.derived) < MAX_BAD_ROWS:
            self.derived.append((path, how))

    def add_bad_row(self, rel: str, line: int, reason: str) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < MAX_BAD_ROWS:
            self.bad_rows.append((rel, line, reason))


MAX_BAD_ROWS = 1000
# A progress object has advance(files) and finish(); it may also have expect_bytes(total)
# and advance_bytes(n), to move inside big record files.
ProgressFactory = Callable[[int], Any]


def build_index(
    source: Path,
    index_dir: Path,
    *,
    outlet: str | None = None,
    update: bool = False,
    progress: ProgressFactory | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    languages: frozenset[str] | None = None,
    story_threshold: float | None = None,
) -> BuildReport:
    """Index every article under `source` into `index_dir` (rebuild, or --update).

    `columns` is the user's `--map` for record files (field → column name); `sheet` the
    one sheet of each spreadsheet to read (`--sheet`; None: every sheet); `languages` the
    ISO 639-1 codes to index (`--lang`; None: every language); `story_threshold` the
    similarity from which two articles are one story (None: index.stories' default, or
    the one the index was built with, for --update).
    """
    started = time.monotonic()
    source = Path(source)
    report = BuildReport(str(source.resolve()), str(index_dir), "update" if update else "rebuild")
    with store.writer_lock(index_dir) as killed:
        report.killed_build = killed
        store.prune(index_dir)
        found = FoundList()  # every file, held compactly until the build ends
        for item in discover(source):
            if isinstance(item, Skipped):
                report.skipped.append((item.rel, item.reason))
            else:
                found.append(item)
        report.files = len(found) + len(report.skipped)
        templates, report.template_seconds = _templates(index_dir, found, update)
        stems_path = index_dir / store.STEMS
        report.stems_loaded = STEMS.load(stems_path)
        STEMS.reset_counters()
        tmp = store.new_generation_dir(index_dir)
        try:
            ctx = ReadContext(
                outlet,
                dict(columns or {}),
                report.add_bad_row,
                templates=templates,
                sheet=sheet,
                languages=languages,
            )
            _write_generation(tmp, index_dir, found, report, ctx, update, progress, story_threshold)
            report.stem_misses = STEMS.misses
            report.stem_hits = max(STEMS.hits - STEMS.misses, 0)
            report.elapsed = time.monotonic() - started
            report.templates = template.report(templates, report.template_outlets)
            template.save(templates, tmp / template.FILE)
            meta = _meta(report)
            meta["files"] = store.file_checksums(tmp)  # verified on open (index.store)
            store.write_meta(tmp, meta)
            store.publish(index_dir, tmp)
        except BaseException as err:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(err, OSError):
                raise WartaError(
                    f"index build failed: {err.strerror or err} — the previous index is kept"
                ) from None
            raise
        try:
            STEMS.save(stems_path)
        except OSError as err:
            log.warning("could not save the stem cache: %s", err)
        store.prune(index_dir)
    return report


def _write_generation(
    tmp: Path,
    index_dir: Path,
    found: FoundList,
    report: BuildReport,
    ctx: ReadContext,
    update: bool,
    progress: ProgressFactory | None,
    story_threshold: float | None = None,
) -> None:
    todo = found
    seen_keys = ContentKeys()
    urls = _Urls()
    dropped: list[str] = []
    if update:
        ix, todo = _prepare_update(tmp, index_dir, found, report, seen_keys, urls, dropped)
    else:
        ix = whoosh_index.create_in(str(tmp), build_schema())
    keeps_urls = "url_key" in ix.schema.names()  # an index built before it kept none
    bar = progress(len(todo)) if progress else None
    if bar is not None and hasattr(bar, "advance_bytes"):
        bar.expect_bytes(todo.total_size())
        ctx.read_bytes = bar.advance_bytes
    expected = expected_articles(todo)
    # The writer and story processes are forked with everything this process holds (the
    # files to read, the templates, the imports): frozen, the collector leaves those
    # objects alone, and the children's collections do not copy the pages they share.
    gc.freeze()
    try:
        writer = open_writer(ix, expected, index_dir)
    finally:
        gc.unfreeze()
    stage: StoryStage | None = None
    try:
        stories, report.story_note = open_stories(tmp, update, story_threshold)
        report.story_threshold = stories.index.threshold
        for article_id in dropped:
            stories.discard(article_id)
        gc.freeze()
        try:
            stage = StoryStage(stories, parallel=expected >= PARALLEL_MIN_FILES)
        finally:
            gc.unfreeze()
        del stories  # the stage holds it (or its process does)
        # Only now: the writer and sketching processes are forked, and need none of this.
        language.preload()
        current: Found | None = None
        for f, parsed in _read_all(todo, ctx, report):
            if f is not current:  # the file's first article, or the end of an empty one
                current = f
                if update:
                    writer.delete_by_term("source", f.rel)
            if parsed is None:  # the file's end
                if bar is not None:
                    if hasattr(bar, "advance_bytes") and f.ext not in STREAMED:
                        bar.advance_bytes(f.size)
                    bar.advance()
                continue
            article, url, derived = parsed
            if not _admit_language(article, ctx.languages, report):
                continue
            if derived:
                report.add_derived(article.path, derived)
            key = article.content_key()
            if url and not urls.admit(article, url, key, f, report, seen_keys):
                continue
            if key in seen_keys:
                report.duplicates += 1
                continue
            seen_keys.add(key)
            doc = document(article, f, key)
            if url and keeps_urls:
                doc["url_key"] = url_digest(url).hex()
            desk, hour = desk_and_hour(article, url, f.rel)
            for ready in stage.put(article.id, article.body, desk, hour, doc):
                writer.add_document(**ready)
            _count(article, report)
            if f.ext == ".txt":
                report.template_outlets[group_of(f.rel)][article.outlet or "(unknown)"] += 1
            report.format_articles[format_of(f)] += 1
        for ready in stage.finish():
            writer.add_document(**ready)
        # The writers' last work (sorting and writing their segments) is the build's peak
        # of memory: what only the reading needed is let go first.
        stage.save(tmp, list(urls.superseded))
        stage.close()
        language.release()
        if bar is not None and hasattr(bar, "stage"):
            bar.stage("writing the index")
        writer.commit()
        lookups, misses = collect_stems(writer)
        STEMS.hits += lookups
        STEMS.misses += misses
        if urls.superseded:
            # Older copies of a URL seen again: only committed documents can be deleted.
            writer = ix.writer(compound=False)
            for doc_id in urls.superseded:
                writer.delete_by_term("id", doc_id)
            writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        if stage is not None:
            stage.close(wait=False)
        if bar is not None:
            bar.finish()
        ix.close()
    done = whoosh_index.open_dir(str(tmp))
    try:
        report.total_articles = done.doc_count()
        with done.reader() as reader:
            columns = doc_columns.write(reader, tmp)
            stories = story_table.read_stories(reader)
        table = story_table.build_table(stories, columns.publication_times())
        story_table.save(table, tmp)
        report.stories = len(table.members)
        report.story_articles = table.grouped
    finally:
        done.close()


class ContentKeys:
    """The content keys (`Article.content_key`) of the articles a build keeps, to leave
    out a copy: each as the integer its 32 hex digits spell (about 85 bytes in a set, a
    str 123), any other key as it is."""

    def __init__(self) -> None:
        self._keys: set[int | str] = set()

    @staticmethod
    def _held(key: str) -> int | str:
        if len(key) == 32:
            try:
                number = int(key, 16)
            except ValueError:
                return key
            if f"{number:032x}" == key:  # the one spelling of that number ("0x…" is not)
                return number
        return key

    def __contains__(self, key: str) -> bool:
        return self._held(key) in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str) -> None:
        self._keys.add(self._held(key))

    def update(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.add(key)

    def discard(self, key: str) -> None:
        self._keys.discard(self._held(key))


# Stored fields --update keeps per article for the newer-copy rule (index.build._Urls).
_URL_RULE_FIELDS = (
    "id",
    "source",
    "source_sig",
    "content_key",
    "outlet",
    "published_iso",
    "url_key",
    "language",
)


def _prepare_update(
    tmp: Path,
    index_dir: Path,
    found: FoundList,
    report: BuildReport,
    seen_keys: ContentKeys,
    urls: _Urls,
    dropped: list[str],
) -> tuple[Any, FoundList]:
    """Copy the live generation and find what changed; delete what is gone. `dropped`
    gets the ids of the articles of changed and deleted files."""
    live = store.current_generation(index_dir)
    shutil.copytree(live.path, tmp, dirs_exist_ok=True)
    (tmp / store.META).unlink(missing_ok=True)
    try:
        ix = whoosh_index.open_dir(str(tmp))
    except safe_unpickle.RefusedPickle as err:
        raise IndexDamagedError(
            f"index at {index_dir} was not updated: {err} — rebuild it with: warta index DIR"
        ) from None
    indexed: dict[str, str] = {}
    keys_by_source: dict[str, list[str]] = {}
    ids_by_source: dict[str, list[str]] = {}
    with_urls: list[dict[str, Any]] = []
    with ix.searcher() as s:
        for fields in s.all_stored_fields():
            indexed[fields["source"]] = fields["source_sig"]
            keys_by_source.setdefault(fields["source"], []).append(fields["content_key"])
            ids_by_source.setdefault(fields["source"], []).append(fields["id"])
            if fields.get("url_key"):  # what the URL rule needs, not the stored body
                with_urls.append({k: fields.get(k) for k in _URL_RULE_FIELDS})
    current = {f.rel for f in found}
    todo = FoundList()
    for f in found:
        if indexed.get(f.rel) != f.signature:
            todo.append(f)
    changed = {f.rel for f in todo}
    gone = [rel for rel in indexed if rel not in current]
    for rel, keys in keys_by_source.items():
        if rel not in changed and rel not in gone:
            seen_keys.update(keys)
    for fields in with_urls:  # what stays: the copies a newer one read now may replace
        if fields["source"] not in changed and fields["source"] not in gone:
            sig = str(fields.get("source_sig") or "0:0")
            urls.remember_live(fields, int(sig.rpartition(":")[2] or 0))
    report.unchanged = len(found) - len(todo)
    for rel in (*changed, *gone):
        dropped.extend(ids_by_source.get(rel, ()))
    if gone:
        writer = ix.writer(compound=False)
        for rel in gone:
            report.removed += writer.delete_by_term("source", rel) or 0
        writer.commit()
    return ix, todo


#: Bytes of a record file or web archive per article, roughly (the CLICK-ID exports hold
#: about 2 KB of text a row; a crawled page with its HTTP and WARC headers, gzipped, 3-6 KB).
BYTES_PER_RECORD = 4096


def expected_articles(todo: Iterable[Found]) -> int:
    """About how many articles a build will write: one a page, and a file that holds
    many (a CSV, a JSON export, a web archive) counted by its size. A single 100 MB
    export is a big build, which the writer processes are for."""
    return sum(f.size // BYTES_PER_RECORD if f.ext in STREAMED else 1 for f in todo)


def _templates(
    index_dir: Path, found: FoundList, update: bool
) -> tuple[dict[str, template.GroupTemplate], float]:
    """The site templates to clean with: learned anew by a full build (one pass over the
    text pages), kept from the full build by --update, so an update cleans as it did."""
    started = time.monotonic()
    if update:
        live = store.current_generation(index_dir)
        learned = template.load(live.path / template.FILE)
    else:
        learned = template.learn_pages(found)
    return learned, time.monotonic() - started


# Articles whose languages are named together (and files whose ends are held with them).
LANGUAGE_BATCH = 64


def _read_all(
    found: Iterable[Found], ctx: ReadContext, report: BuildReport
) -> Iterator[tuple[Found, Parsed | None]]:
    """Every article of every file in order, as (file, parsed); (file, None) follows a
    file's last article, and stands alone for a file that gave none. Streamed: a record
    file is never held whole, only LANGUAGE_BATCH articles are.

    Their languages are named a batch at a time (`_name_languages`): the identifier walks
    a byte automaton of 39 MB, and one article's look at it between the reading and
    cleaning of the next found little of it left in the processor's cache. Measured in
    a build of 3,463 pages, it cost 0.23 ms an article so, 0.14 ms in batches.
    """
    pending: list[tuple[Found, Parsed | None]] = []
    articles = 0
    for f in found:
        for parsed in _articles_of(f, ctx, report):
            pending.append((f, parsed))
            articles += 1
            if articles >= LANGUAGE_BATCH:
                _name_languages(pending)
                yield from pending
                pending, articles = [], 0
        pending.append((f, None))
        if len(pending) >= 4 * LANGUAGE_BATCH:  # many files without an article
            _name_languages(pending)
            yield from pending
            pending, articles = [], 0
    _name_languages(pending)
    yield from pending


def _name_languages(items: list[tuple[Found, Parsed | None]]) -> None:
    """Name the language of each article its source did not name (`_admit_language`
    then reads it)."""
    for _, parsed in items:
        if parsed is not None and parsed.article.language is None:
            article = parsed.article
            article.language = language.identify(article.title, article.body)


def _articles_of(f: Found, ctx: ReadContext, report: BuildReport) -> Iterator[Parsed]:
    count = 0
    try:
        for parsed in read_parsed(f, ctx):
            count += 1
            yield parsed
    except SkipFile as skip:
        reason = skip.reason if not count else f"{skip.reason} (after {count:,} articles)"
        report.skipped.append((f.rel, reason))
        if not count:
            return
    except (MemoryError, KeyboardInterrupt, OSError):
        raise  # the machine's trouble (a full disk), not this file's: the build stops whole
    except Exception as err:  # every file is its own failure domain
        # A page no reader foresaw (nesting that exhausts the recursion limit, a number
        # too large for a date, a codec error) is skipped with its reason: never the end
        # of a build. The articles read before the failure are kept.
        reason = f"could not be read ({type(err).__name__}: {str(err)[:80]})"
        if count:
            reason += f" (after {count:,} articles)"
        log.debug("%s: %s", f.rel, reason, exc_info=True)
        report.skipped.append((f.rel, reason))
        if not count:
            return
    report.formats[format_of(f)] += 1


def url_digest(url: str) -> bytes:
    """A URL's identity: 12 bytes of its normal form's hash."""
    return hashlib.blake2b(_normal_url(url).encode(), digest_size=12).digest()


def _normal_url(url: str) -> str:
    """One spelling per URL: no scheme, "www.", fragment, tracking parameters or final "/"."""
    u = url.strip()
    u = u.split("#", 1)[0]
    if "://" in u:
        u = u.split("://", 1)[1]
    host, _, rest = u.partition("/")
    host = host.casefold().removeprefix("www.")
    path, _, query = rest.partition("?")
    params = [p for p in query.split("&") if p and not p.startswith(("utm_", "fbclid", "gclid"))]
    return f"{host}/{path.rstrip('/')}" + (f"?{'&'.join(params)}" if params else "")


# What _Urls keeps of an article per URL: (newer-copy rank, id, content key, outlet,
# dated, format, language).
_UrlEntry = tuple[tuple[float, int, int], str, str, str | None, bool, str, str]


class _Urls:
    """Articles by URL, so that a URL seen twice (a scraper run on two days) is one article.

    The newer copy wins: the later publication time, then the later modified file, then
    the later row. The older one, already written, is deleted after the commit.
    """

    def __init__(self) -> None:
        self.seen: dict[bytes, _UrlEntry] = {}
        self.superseded: list[str] = []
        self.order = 0
        self.live: set[bytes] = set()  # URLs whose copy is in the live index (--update)

    def remember_live(self, fields: dict[str, Any], mtime_ns: int) -> None:
        """An article of the live index that --update keeps: a newer copy of its URL read
        now replaces it, an older one is left out, as a rebuild would decide."""
        key = fields.get("url_key")
        if not key:
            return
        published = fields.get("published_iso")
        stamp = datetime.fromisoformat(published).timestamp() if published else float("-inf")
        digest = bytes.fromhex(key)
        fmt = FORMAT_NAMES.get(PurePosixPath(fields["source"]).suffix.lower(), "text")
        self.seen[digest] = (
            (stamp, mtime_ns, 0),
            fields["id"],
            fields["content_key"],
            fields.get("outlet"),
            published is not None,
            fmt,
            fields.get("language") or language.INDONESIAN,
        )
        self.live.add(digest)

    def admit(
        self,
        article: Article,
        url: str,
        key: str,
        f: Found,
        report: BuildReport,
        seen_keys: ContentKeys,
    ) -> bool:
        self.order += 1
        digest = url_digest(url)
        stamp = article.published.timestamp() if article.published else float("-inf")
        rank = (stamp, f.mtime_ns, self.order)
        fmt = format_of(f)
        prev = self.seen.get(digest)
        if prev is not None:
            report.url_duplicates += 1
            if rank < prev[0] or key == prev[2]:
                return False
            _, old_id, old_key, old_outlet, old_dated, old_fmt, old_language = prev
            self.superseded.append(old_id)
            seen_keys.discard(old_key)
            if digest in self.live:  # the copy in the live index: removed by this update
                self.live.discard(digest)
                report.removed += 1
                self.seen[digest] = self._entry(article, key, rank, fmt)
                return True
            report.indexed -= 1
            outlet_key = old_outlet or "(unknown)"
            report.outlets[outlet_key] -= 1
            if report.outlets[outlet_key] <= 0:
                del report.outlets[outlet_key]
            report.format_articles[old_fmt] -= 1
            report.languages[old_language] -= 1
            if report.languages[old_language] <= 0:
                del report.languages[old_language]
            if not old_dated:
                report.undated -= 1
        self.seen[digest] = self._entry(article, key, rank, fmt)
        return True

    @staticmethod
    def _entry(article: Article, key: str, rank: tuple[float, int, int], fmt: str) -> _UrlEntry:
        return (
            rank,
            article.id,
            key,
            article.outlet,
            article.published is not None,
            fmt,
            article.language or language.INDONESIAN,
        )


def document(article: Article, found: Found, content_key: str) -> dict[str, Any]:
    """The Whoosh fields of an article."""
    published = article.published
    # One string object for both fields: pickled once on its way to a writer process, and
    # analysed once there (the analyzer's memo recognises the same object at once).
    body = "\n".join(article.body)
    doc: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "source": found.rel,
        "source_sig": found.signature,
        "content_key": content_key,
        "outlet_name": article.outlet_name,
        "published_iso": published.isoformat() if published else None,
        "published_estimated": article.published_estimated,
        "year": published.strftime("%Y") if published else NO_DATE,
        "month": published.strftime("%Y-%m") if published else NO_DATE,
        "title": article.title,
        "title_exact": article.title,
        "body": body,
        "body_exact": body,
        "authors": ", ".join(article.authors),
        "authors_list": list(article.authors),
        "dateline": article.dateline,
        "captions": list(article.captions),
        "words": article.words,
        "language": article.language or language.INDONESIAN,
        "story": article.id,  # alone until the story stage says otherwise (story_stage)
    }
    if doc["language"] != language.INDONESIAN:
        # Indexed as its exact words, stored as the plain text (index.analysis.Unstemmed).
        doc["title"] = Unstemmed(article.title)
        doc["body"] = Unstemmed(body)
        doc["_stored_title"] = article.title
        doc["_stored_body"] = body
    if article.outlet:
        doc["outlet"] = article.outlet
    if published is not None:
        doc["published"] = published.replace(tzinfo=None)
    return doc


def _admit_language(article: Article, wanted: frozenset[str] | None, report: BuildReport) -> bool:
    """Say if --lang lets the article in (`_read_all` named its language as it read it)."""
    if wanted is not None and article.language not in wanted:
        report.language_skipped[article.language] += 1
        return False
    return True


def _count(article: Article, report: BuildReport) -> None:
    report.indexed += 1
    report.languages[article.language or language.INDONESIAN] += 1
    report.outlets[article.outlet or "(unknown)"] += 1
    if article.published is None:
        report.undated += 1


def _meta(report: BuildReport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "warta_version": __version__,
        "source": report.source,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "report": report.to_dict(),
    }
