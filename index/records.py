"""Scraper exports: JSON Lines, JSON and CSV/TSV files with one article a record.

Every format streams: a JSON Lines file is read a line at a time, a JSON array an element
at a time (an incremental parser over the top-level array), a CSV file a row at a time, so
a 2 GB export costs the memory of one record. A bad record (malformed JSON, a wrong number
of fields, undecodable bytes, no title or body) is reported with its line and skipped; a
file whose columns say nothing Warta knows is skipped whole, with the `--map` that fixes it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from index import outlets
from index.article import Article, article_id
from index.budget import OverBudget, page_budget
from index.clean import clean_paragraphs, normalize_text
from index.columns import COLUMN_NAMES, FIELDS
from index.detokenize import detokenize
from index.errors import SkipFile, WartaError
from index.metadata import split_dateline
from index.published import zone_for
from index.reading import Parsed, ReadContext
from index.record_fields import is_missing, record_date, title_from_body, title_from_url
from index.sources import Found, open_found

# The fields a record can fill and the columns that fill them: data/columns.toml.
_REQUIRED = ("body",)  # a row without a title gets one from its URL or first sentence
_SEPARATORS = re.compile(r"[\s.\-]+")
_BLANK_LINE = re.compile(r"\n\s*\n")
_NAME_SPLIT = re.compile(r"\s*(?:[,;&|]|\bdan\b|\band\b)\s*")
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_CHUNK = 1 << 20
# One record (a JSON element, a JSONL line, a CSV field) larger than this is a bad row:
# no article is 5 MiB of text, and reading one cost up to 35 times its size in memory.
_MAX_RECORD = 5 << 20
_BYTES_EVERY = 256  # records between progress reports


class MapError(WartaError):
    """A `--map` the user wrote that cannot be used."""


def _norm(name: str) -> str:
    return _SEPARATORS.sub("_", str(name).strip().casefold()).strip("_")


def parse_map(spec: str | list[str] | None) -> dict[str, str]:
    """`body=isi,date=waktu` → {"body": "isi", "date": "waktu"}; unknown targets are errors."""
    if not spec:
        return {}
    parts = spec if isinstance(spec, list) else [spec]
    mapping: dict[str, str] = {}
    for part in ",".join(parts).split(","):
        if not part.strip():
            continue
        target, sep, column = part.partition("=")
        target, column = target.strip().casefold(), column.strip()
        if not sep or not target or not column:
            raise MapError(f"--map expects FIELD=COLUMN pairs, got '{part.strip()}'")
        if target not in COLUMN_NAMES:
            raise MapError(f"--map: unknown field '{target}' — valid fields: {', '.join(FIELDS)}")
        mapping[target] = column
    return mapping


def recognise(columns: list[str], user: Mapping[str, str]) -> dict[str, list[str]]:
    """Which of `columns` fill which field: the user's map first, then the known names.

    Authors may come from several columns (penulis and editor); other fields take one.
    """
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(_norm(col), col)
    found: dict[str, list[str]] = {}
    used: set[str] = set()
    for target, col in user.items():
        actual = by_norm.get(_norm(col))
        if actual is not None:
            found[target] = [actual]
            used.add(actual)
    for target, names in COLUMN_NAMES.items():
        if target in found:
            continue
        cols = [by_norm[n] for n in names if n in by_norm and by_norm[n] not in used]
        if cols:
            found[target] = cols if target == "authors" else cols[:1]
            used.update(found[target])
    return found


def _unrecognised(columns: list[str], found: dict[str, list[str]], first: Mapping) -> SkipFile:
    """The file-level skip for missing title/body columns, naming the --map that fixes it."""
    missing = [f for f in _REQUIRED if f not in found]
    free = [c for c in columns if not any(c in cols for cols in found.values())]
    guesses: dict[str, str] = {}
    texts = {c: _as_text(first.get(c)) for c in free}
    if "body" in missing and free:
        longest = max(free, key=lambda c: len(texts[c]))
        if len(texts[longest].split()) >= 8:
            guesses["body"] = longest
    if "title" not in found:
        for c in free:
            if c not in guesses.values() and 3 <= len(texts[c].split()) <= 30:
                guesses["title"] = c
                break
    wanted = ["title"] * ("title" not in found and "title" in guesses) + missing
    fix = ",".join(f"{f}={guesses.get(f, 'COLUMN')}" for f in wanted)
    shown = ", ".join(columns[:30]) + (", …" if len(columns) > 30 else "")
    return SkipFile(
        f"no {' or '.join(missing)} column among: {shown or '(none)'} — name them with --map {fix}"
    )


# --- a record to an Article ------------------------------------------------------------


class BadRow(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return detokenize(value) if _looks_tokenized(value) else "\n\n".join(value)
        return "\n\n".join(_as_text(v) for v in value)
    return str(value)


def _looks_tokenized(values: list[str]) -> bool:
    """A list of single tokens ("Kami", ",", "kata") rather than a list of paragraphs."""
    return bool(values) and all(" " not in v.strip() for v in values)


def _paragraphs(value: Any) -> list[str]:
    """Paragraphs from a body field: a string, a list of paragraphs, paragraphs as token
    lists, or paragraphs as lists of tokenised sentences (IndoSum)."""
    if value is None:
        return []
    if isinstance(value, list):
        out: list[str] = []
        if value and all(isinstance(v, str) for v in value) and _looks_tokenized(value):
            return [detokenize(value)]
        for item in value:
            if isinstance(item, list):
                if all(isinstance(s, list) for s in item):
                    out.append(" ".join(detokenize([str(t) for t in s]) for s in item))
                else:
                    out.append(detokenize([str(t) for t in item]))
            elif item is not None:
                out.extend(_paragraphs(item))
        return out
    text = normalize_text(str(value))
    if _BLANK_LINE.search(text):
        # Blank lines part paragraphs; single newlines inside them are wrapping.
        return [" ".join(p.split()) for p in _BLANK_LINE.split(text) if p.strip()]
    return [line for line in text.split("\n") if line.strip()]


def _authors(values: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                item = item.get("name")
            if not item:
                continue
            for name in _NAME_SPLIT.split(normalize_text(str(item)).strip()):
                if name and len(name.split()) <= 6:
                    seen.setdefault(name, None)
    return list(seen)


def _has_undecodable(record: Mapping[str, Any]) -> bool:
    for value in record.values():
        if isinstance(value, str) and _UNDECODABLE.search(value):
            return True
        if isinstance(value, list) and _UNDECODABLE.search(json.dumps(value)):
            return True
    return False


def record_article(
    record: Mapping[str, Any],
    cols: dict[str, list[str]],
    rel: str,
    row: int,
    hint: str | None,
) -> Parsed:
    """One record as an Article; BadRow when it has no body left after cleaning.

    A row without a title keeps its story: the title is rebuilt from its URL's slug, else
    taken from its first sentence, and the Parsed says so for the build report.
    """
    if _has_undecodable(record):
        raise BadRow("undecodable bytes")

    def first(target: str) -> Any:
        for col in cols.get(target, ()):
            value = record.get(col)
            if not is_missing(value):
                return value
        return None

    title = " ".join(normalize_text(_as_text(first("title"))).split())
    body, captions = clean_paragraphs(_paragraphs(first("body")), title or None)
    if not body:
        raise BadRow("no body")
    url_value = first("url")
    url = str(url_value).strip() if url_value else None
    derived = None
    if not title:
        title = title_from_url(url) or ""
        derived = "title from URL" if title else "title from first sentence"
        title = title or title_from_body(body[0])
    head = split_dateline(body[0])
    outlet = head.outlet if head and head.outlet else None
    name = first("outlet")
    if outlet is None and name:
        outlet = outlets.lookup(_as_text(name))
    if outlet is None and url:
        outlet = outlets.lookup(url)
    if outlet is None and hint:
        outlet = outlets.get(hint)
    home = zone_for(outlet.zone) if outlet and outlet.zone else None
    article = Article(
        id=article_id(f"{rel}#{row}"),
        path=f"{rel}#{row}",
        title=title,
        body=body,
        outlet=outlet.key if outlet else None,
        outlet_name=outlet.name if outlet else None,
        published=record_date(first("date"), first("time"), url, home),
        authors=_authors(
            [record.get(c) for c in cols.get("authors", ()) if not is_missing(record.get(c))]
        ),
        dateline=head.place if head else None,
        captions=captions,
    )
    return Parsed(article, url, derived)


# --- streaming the formats -------------------------------------------------------------


class _Records:
    """Turns a stream of (line, record) into Parsed articles, reporting the bad ones."""

    def __init__(
        self, found: Found, ctx: ReadContext, fh: BinaryIO | None, rel: str | None = None
    ) -> None:
        self.found = found
        self.ctx = ctx
        self.fh = fh
        # What an article's path names: the file (its rows counted), or a spreadsheet's
        # sheet (its rows numbered as the sheet numbers them).
        self.rel = rel or found.rel
        self.by_line = rel is not None
        self.row = 0
        self.reported = 0
        self.cols: dict[str, list[str]] | None = None
        self._cols_by_keys: dict[tuple[str, ...], dict[str, list[str]]] = {}

    def bad(self, line: int, reason: str) -> None:
        self.ctx.bad_row(self.rel, line, reason)

    def progress(self, force: bool = False) -> None:
        """Bytes read so far, to the progress bar (a file read whole, `fh` None, moves
        it when it is done)."""
        if self.fh is not None and (force or self.row % _BYTES_EVERY == 0):
            try:
                pos = self.fh.tell()
            except (OSError, ValueError):
                return
            if pos > self.reported:
                self.ctx.read_bytes(pos - self.reported)
                self.reported = pos

    def columns_for(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        keys = tuple(record)
        cols = self._cols_by_keys.get(keys)
        if cols is None:
            cols = recognise(list(keys), self.ctx.columns)
            if self.cols is None and not all(f in cols for f in _REQUIRED):
                raise _unrecognised(list(keys), cols, record)
            if len(self._cols_by_keys) < 256:
                self._cols_by_keys[keys] = cols
        self.cols = self.cols or cols
        return cols

    def one(self, line: int, record: Any) -> Parsed | None:
        self.row += 1
        self.progress()
        if not isinstance(record, dict):
            self.bad(line, f"not an object ({type(record).__name__})")
            return None
        cols = self.columns_for(record)
        try:
            with page_budget():
                number = line if self.by_line else self.row
                return record_article(record, cols, self.rel, number, self.ctx.outlet_hint)
        except BadRow as bad:
            self.bad(line, bad.reason)
        except OverBudget as over:
            self.bad(line, over.reason)
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as err:  # every row is its own failure domain
            self.bad(line, f"could not be read ({type(err).__name__})")
        return None


def _open(found: Found) -> BinaryIO:
    try:
        return open_found(found)
    except OSError as err:
        raise SkipFile(f"unreadable ({(err.strerror or str(err)).lower()})") from None


def _lines(fh: BinaryIO) -> Iterator[bytes | None]:
    """The file's lines, each read at most _MAX_RECORD bytes at a time: a longer line
    gives None and is skipped to its end without ever being held whole."""
    while True:
        line = fh.readline(_MAX_RECORD + 1)
        if not line:
            return
        if len(line) <= _MAX_RECORD or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = fh.readline(_MAX_RECORD)
        yield None


def read_jsonl(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    """A JSON Lines file, one object a line, in constant memory."""
    with _open(found) as fh:
        recs = _Records(found, ctx, fh)
        seen_any = False
        for line_no, raw in enumerate(_lines(fh), 1):
            if raw is None:
                seen_any = True
                recs.row += 1
                recs.bad(line_no, "line larger than 5 MiB")
                continue
            if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            if not raw.strip():
                continue
            seen_any = True
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                recs.row += 1
                recs.bad(line_no, "undecodable bytes")
                continue
            try:
                record = json.loads(text)
            except (ValueError, RecursionError):
                recs.row += 1
                recs.bad(line_no, "malformed JSON")
                continue
            parsed = recs.one(line_no, record)
            if parsed is not None:
                yield parsed
        recs.progress(force=True)
        if not seen_any:
            raise SkipFile("empty file")


class _JsonStream:
    """An incremental reader of JSON values from a byte stream, for a top-level array.

    Holds at most one element (and a read chunk) in memory; tracks the line each element
    starts on, so a bad record can be reported by line.
    """

    _WS = " \t\r\n"

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self.json = json.JSONDecoder()
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.fh.read(_CHUNK)
        if not data:
            self.eof = True
            self.buf += self.decoder.decode(b"", final=True)
            return False
        if self.pos:
            self.line += self.buf.count("\n", 0, self.pos)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += self.decoder.decode(data)
        return True

    def peek(self) -> str:
        """The next non-space character ("" at the end), consumed up to it."""
        while True:
            n = len(self.buf)
            while self.pos < n and self.buf[self.pos] in self._WS:
                self.pos += 1
            if self.pos < n:
                if self.buf[self.pos] == "\ufeff":
                    self.pos += 1
                    continue
                return self.buf[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected '{char}'")
        self.pos += 1

    def line_here(self) -> int:
        return self.line + self.buf.count("\n", 0, self.pos)

    def value(self) -> Any:
        """The next JSON value; reads more until it is whole (or too large)."""
        self.peek()
        while True:
            try:
                value, end = self.json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if len(self.buf) - self.pos > _MAX_RECORD or not self._more():
                    raise
                continue
            number = isinstance(value, (int, float))
            # A number at the end of the buffer may continue in the next chunk.
            if number and end == len(self.buf) and not self.eof and self._more():
                continue
            self.pos = end
            return value


def _stream_array(stream: _JsonStream) -> Iterator[tuple[int, Any]]:
    """(line, element) for each element of the array that starts at the stream's position."""
    stream.take("[")
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        stream.peek()
        line = stream.line_here()
        yield line, stream.value()
        nxt = stream.peek()
        stream.pos += 1
        if nxt == "]":
            return
        if nxt != ",":
            raise ValueError("expected ',' or ']'")


def _json_elements(stream: _JsonStream) -> Iterator[tuple[int, Any]]:
    """The records of a JSON file: the top-level array, or the first list of objects in a
    top-level object ({"articles": [...]}), or a single top-level object."""
    first = stream.peek()
    if first == "[":
        yield from _stream_array(stream)
        return
    if first != "{":
        raise ValueError("not a JSON array or object")
    start_line = stream.line_here()
    stream.take("{")
    single: dict[str, Any] = {}
    while stream.peek() not in ("}", ""):
        key = stream.value()
        stream.take(":")
        if stream.peek() == "[":
            elements = _stream_array(stream)
            head = next(elements, None)
            if head is not None and isinstance(head[1], dict):
                yield head
                yield from elements
                return
            single[key] = [head[1], *(v for _, v in elements)] if head else []
        else:
            single[key] = stream.value()
        if stream.peek() == ",":
            stream.pos += 1
    yield start_line, single


def read_json(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    """A JSON file of records, streamed an element at a time."""
    with _open(found) as fh:
        recs = _Records(found, ctx, fh)
        stream = _JsonStream(fh)
        if stream.peek() == "":
            raise SkipFile("empty file")
        elements = _json_elements(stream)
        while True:
            try:
                item = next(elements, None)
            except (ValueError, RecursionError):
                line = stream.line_here()
                if recs.row == 0:
                    raise SkipFile(f"malformed JSON at line {line}") from None
                recs.bad(line, "malformed JSON: the rest of the file is skipped")
                break
            if item is None:
                break
            parsed = recs.one(*item)
            if parsed is not None:
                yield parsed
        recs.progress(force=True)


_DELIMITERS = ",;\t|"


def _sniff_delimiter(sample: str, ext: str) -> str:
    if ext == ".tsv":
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _sniff_encoding(sample: bytes) -> str:
    """UTF-8, unless the file's first megabyte has bytes that are not UTF-8 and no
    character that is (an Excel export in cp1252); then bad bytes in a UTF-8 file are
    bad rows, and a cp1252 file keeps its accents."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        text = sample.decode("utf-8", errors="replace")
        if not any(ord(ch) > 127 and ch != "\ufffd" for ch in text):
            return "cp1252"
    return "utf-8"


def read_csv(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    """A CSV or TSV file with a header row: BOM, CRLF, quoted newlines, `;`/tab/`|`."""
    with _open(found) as fh:
        head = fh.read(_CHUNK)
        if not head.strip():
            raise SkipFile("empty file")
        encoding = _sniff_encoding(head)
        fh.seek(0)
        text = io.TextIOWrapper(
            fh,
            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
            errors="surrogateescape" if encoding == "utf-8" else "replace",
            newline="",
        )
        sample = head.decode(encoding, errors="replace").lstrip("\ufeff")[:65536]
        delimiter = _sniff_delimiter(sample, found.ext)
        # Article bodies outgrow csv's 128 KiB default; a field past a record's 5 MiB is
        # a bad row. Set per file: the limit is the csv module's, shared by the process.
        csv.field_size_limit(_MAX_RECORD)
        reader = csv.reader(text, delimiter=delimiter)
        recs = _Records(found, ctx, fh)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as err:
            raise SkipFile(f"no header row ({err or 'empty'})") from None
        header = [h.strip() for h in header]
        width = len(header)
        line = reader.line_num
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                line = reader.line_num
                recs.row += 1
                recs.bad(start, f"malformed CSV ({err})")
                continue
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != width and not (len(row) > width and not any(row[width:])):
                recs.row += 1
                recs.bad(start, f"{len(row)} fields, the header has {width}")
                continue
            parsed = recs.one(start, dict(zip(header, row, strict=False)))
            if parsed is not None:
                yield parsed
        recs.progress(force=True)
