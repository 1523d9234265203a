"""Extraction quality on real pages and real scraper exports, scored against gold (issue 12).

Search is only as good as what the build pulls out of a page: a wrong title ranks the wrong
words, a date in the wrong zone files an article under the wrong day, an unknown outlet
hides it from the outlet filter, a body full of menus buries the story. This harness runs
Warta exactly as a user does (`warta index DIR --json`, then `warta export`, as child
processes) over the development corpus kept outside the repository
(`../shared/corpora/devpages`, `$WARTA_DEVPAGES` or `--devpages DIR`), in three forms:

- **html**: the 43 saved pages as they are;
- **text**: the same pages as a browser's "Save as text" / innerText gives them, written
  here with selectolax (not through `index/html.py`, so the text path is measured on its
  own rather than on Warta's own idea of the page);
- **records**: the scraper exports (CLICK-ID CSVs, warta-scrap JSON arrays, and the CSV
  conversions of the .xlsx files: the gold is keyed by their rows; Warta reads the .xlsx
  files themselves too, to the same dates, see `index/spreadsheets.py`).

and scores the export against `html_gold.jsonl` (title, publication instant to the minute,
outlet, authors, body words) and, for records, against each row's own columns (rows with
a body indexed, outlet, the day in the row's URL). It asserts nothing: the figures are the
before/after of extraction work, printed as a table and written as one JSON document.

    .venv/bin/python bench/extraction.py
    .venv/bin/python bench/extraction.py --formats html,text --out bench/out/x.json
    .venv/bin/python bench/extraction.py --keep /tmp/extraction-work   # keep pages, indexes
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: `python bench/extraction.py`
    sys.path.insert(0, str(ROOT))

from index import outlets  # noqa: E402
from index.mojibake import repair as repair_mojibake  # noqa: E402

DEFAULT_DEVPAGES = ROOT.parent / "shared" / "corpora" / "devpages"
DEFAULT_OUT = ROOT / "bench" / "out" / "extraction.json"
FORMATS = ("html", "text", "records")
SCHEMA = 1
#: A body whose F1 is under this is listed among the failures (F1 is a score, not a verdict).
BODY_F1_SHOWN = 0.8
#: Failure lines printed per format; the JSON has them all.
FAILURES_SHOWN = 60

# --------------------------------------------------------------------------- the text form

#: Elements whose content a browser does not render as text.
_DROP = frozenset((
    "head", "title", "script", "style", "noscript", "template", "svg", "math", "iframe",
    "object", "embed", "canvas", "audio", "video", "select", "datalist",
))  # fmt: skip
#: Elements innerText surrounds with a blank line (a "required line break count" of 2).
_PARAGRAPH = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6"))
#: Elements that start and end a line (display: block and its table/list kin).
_BLOCK = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "pre",
    "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
))  # fmt: skip
_CELL = frozenset(("td", "th"))
_SPACES = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)


def decode_page(data: bytes) -> str:
    """A saved page's text as a browser would decode it: BOM, then UTF-8 if it is valid,
    then the charset its meta tag names, then Windows-1252 (what browsers use for latin-1)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    name = m.group(1).decode("ascii", errors="replace") if m else "cp1252"
    if name.lower() in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        name = "cp1252"
    try:
        return data.decode(name, errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


def page_text(html: str) -> str:
    """What a browser's "Save as text" (innerText of the document) gives for a page.

    Unrendered elements (head, script, style, noscript, template, svg, iframe, …) and
    elements with the `hidden` attribute are dropped; block elements start a new line, p
    and h1-h6 a paragraph (a blank line either side, as innerText has it); br breaks the
    line; inline text is joined as it stands, whitespace collapsed within a line; runs of
    empty lines become one. CSS is not applied: what a stylesheet hides is kept, as in a
    scraper's innerText of a page saved without its styles.
    """
    tree = LexborHTMLParser(html)
    lines: list[str] = []
    line: list[str] = []

    def flush(blank: bool) -> None:
        text = _SPACES.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            lines.append(text)
        if blank and lines and lines[-1]:
            lines.append("")

    # Iterative walk with explicit "leave" markers: pages nest deeper than Python recurses.
    stack: list[tuple[LexborNode, bool]] = [(tree.root, False)] if tree.root else []
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            flush(tag in _PARAGRAPH)
            continue
        if node.is_text_node:
            line.append(node.text_content or "")
            continue
        if not node.is_element_node or tag in _DROP or "hidden" in node.attributes:
            continue
        if tag == "br":
            flush(False)
            continue
        if tag in _CELL:
            line.append(" ")
        if tag in _PARAGRAPH or tag in _BLOCK:
            flush(tag in _PARAGRAPH)
            stack.append((node, True))
        children = []
        child = node.first_child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    flush(False)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the gold


class CannotRun(Exception):
    """The harness cannot run (no devpages, an unusable --keep folder): one line, exit 2."""


def devpages_dir(arg: str | None) -> Path:
    """--devpages, else $WARTA_DEVPAGES, else ../shared/corpora/devpages beside the checkout."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("WARTA_DEVPAGES")
    return Path(env).expanduser() if env else DEFAULT_DEVPAGES


def load_gold(devpages: Path) -> list[dict[str, Any]]:
    """The gold lines of html_gold.jsonl, one per page, in file order."""
    path = devpages / "html_gold.jsonl"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CannotRun(f"{path}: {err.strerror or err}") from None
    gold = []
    for n, raw in enumerate(text.splitlines(), 1):
        if raw.strip():
            try:
                gold.append(json.loads(raw))
            except ValueError:
                raise CannotRun(f"{path}:{n}: not JSON") from None
    return gold


def record_files(devpages: Path) -> list[tuple[str, Path]]:
    """(name in the archive, source file) of every export Warta reads: the native CSV/JSON
    files and the CSV conversions of the .xlsx ones (the gold is keyed by their rows)."""
    base = devpages / "records"
    found: list[tuple[str, Path]] = []
    for ext in ("csv", "tsv", "json", "jsonl"):
        found += [(p.name, p) for p in base.glob(f"*.{ext}")]
        derived = base / "derived_from_xlsx"
        found += [(f"derived_from_xlsx/{p.name}", p) for p in derived.glob(f"*.{ext}")]
    return sorted(found)


# --------------------------------------------------------------------------- the work folder


def _link(src: Path, dest: Path) -> None:
    """A symlink where the system allows one (no copy of the corpus), else a copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        dest.symlink_to(src.resolve())
    except OSError:
        shutil.copyfile(src, dest)


def lay_out(devpages: Path, work: Path, formats: Sequence[str]) -> dict[str, Path]:
    """The archive folder of each format under `work`; returns {format: folder}."""
    dirs: dict[str, Path] = {}
    pages = sorted((devpages / "html").glob("*.htm*"))
    if "html" in formats:
        dirs["html"] = work / "html"
        dirs["html"].mkdir(parents=True)
        for p in pages:
            _link(p, dirs["html"] / p.name)
    if "text" in formats:
        dirs["text"] = work / "text"
        dirs["text"].mkdir(parents=True)
        for p in pages:
            text = page_text(decode_page(p.read_bytes()))
            (dirs["text"] / f"{p.stem}.txt").write_text(text, encoding="utf-8")
    if "records" in formats:
        dirs["records"] = work / "records"
        dirs["records"].mkdir(parents=True)
        for name, src in record_files(devpages):
            _link(src, dirs["records"] / name)
    return dirs


# --------------------------------------------------------------------------- running Warta


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


def run_warta(source: Path, index_dir: Path, work: Path, label: str) -> dict[str, Any]:
    """`warta index SOURCE --index IDX --json`, then `warta export`, as a user runs them.

    Child processes, so the figures include what a user waits for (interpreter start, the
    build's worker processes) and no state of this process leaks into the build. The
    user's own tables are kept out (an empty WARTA_CONFIG): the figures are the shipped
    Warta's. Returns the wall times, the build report and the export's file.
    """
    env = {
        **os.environ,
        "WARTA_CONFIG": str(work / "config"),
        "WARTA_DATA": str(work / "data"),
        "NO_COLOR": "1",
    }
    (work / "config").mkdir(exist_ok=True)
    base = [sys.executable, "-m", "warta"]
    err = work / f"{label}.index.stderr"
    out = work / f"{label}.index.json"
    t = time.perf_counter()
    with open(out, "wb") as o, open(err, "wb") as e:
        rc = subprocess.run(
            [*base, "index", str(source), "--index", str(index_dir), "--json"],
            cwd=ROOT, env=env, stdout=o, stderr=e, stdin=subprocess.DEVNULL, check=False,
        ).returncode  # fmt: skip
    build_s = time.perf_counter() - t
    if rc != 0:
        return {"error": f"warta index exited {rc}: {_tail(err)}"}
    lines = [ln for ln in out.read_bytes().splitlines() if ln.strip()]
    try:
        report = orjson.loads(lines[-1])
    except (IndexError, orjson.JSONDecodeError):
        return {"error": f"warta index --json printed no report: {_tail(err)}"}
    export = work / f"{label}.export.jsonl"
    err = work / f"{label}.export.stderr"
    t = time.perf_counter()
    with open(export, "wb") as o, open(err, "wb") as e:
        rc = subprocess.run(
            [*base, "export", "--index", str(index_dir)],
            cwd=ROOT, env=env, stdout=o, stderr=e, stdin=subprocess.DEVNULL, check=False,
        ).returncode  # fmt: skip
    export_s = time.perf_counter() - t
    if rc != 0:
        return {"error": f"warta export exited {rc}: {_tail(err)}"}
    return {"build_s": build_s, "export_s": export_s, "report": report, "export": export}


def read_export(path: Path, keys: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """The exported articles, one dict a line; only `keys` kept when given (records run to
    tens of thousands of bodies, which the record scores do not need)."""
    with open(path, "rb") as fh:
        for raw in fh:
            if raw.strip():
                art = orjson.loads(raw)
                yield {k: art.get(k) for k in keys} if keys else art


def build_figures(run: dict[str, Any]) -> dict[str, Any]:
    """The build's wall times and its report, less the per-row list (summarised per file)."""
    report = {k: v for k, v in run["report"].items() if k != "bad_row_details"}
    return {"wall_s": run["build_s"], "export_wall_s": run["export_s"], "report": report}


# --------------------------------------------------------------------------- scoring: pages

_WORD = re.compile(r"\w+")


def collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 time with offset (seconds optional); None if absent, naive or malformed."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.utcoffset() is not None else None


def utc_minute(dt: datetime) -> datetime:
    """The instant in UTC, truncated to the minute: the time a reader sees, zone-free."""
    return dt.astimezone(timezone.utc).replace(second=0, microsecond=0)


def offset_text(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def words(text: str) -> Counter[str]:
    """The text's words as a multiset: lowercase `\\w+` runs (Unicode letters and digits)."""
    return Counter(_WORD.findall(text.lower()))


def overlap_scores(got: Counter[str], expected: Counter[str]) -> dict[str, float]:
    """Precision, recall and F1 of one word multiset against another."""
    common = sum((got & expected).values())
    n_got, n_exp = sum(got.values()), sum(expected.values())
    p = common / n_got if n_got else 0.0
    r = common / n_exp if n_exp else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "words_got": n_got, "words_expected": n_exp}


def author_key(name: str) -> str:
    return collapse(name).casefold()


def _shipped_table() -> outlets.OutletTable:
    """Warta's shipped outlet table alone: the build runs with an empty WARTA_CONFIG, so the
    expected outlet must not come from the user's own outlets.toml either."""
    return outlets.load_table([outlets.SHIPPED])


def expected_outlet(table: outlets.OutletTable, name_or_domain: str | None) -> str | None:
    """The outlet key Warta's table gives for a site, name or URL (None: unknown to it)."""
    if not name_or_domain or len(name_or_domain) > 200:
        return None
    found = table.lookup(name_or_domain)
    return found.key if found else None


def outlet_verdict(expected: str | None, got: str | None) -> str:
    """right, wrong or unknown: a null answer where an outlet is known is "unknown"; any
    answer where the table knows none is "wrong" (Warta must not guess)."""
    if got is None:
        return "right" if expected is None else "unknown"
    return "right" if got == expected else "wrong"


def score_page(
    gold: dict[str, Any],
    path: str,
    art: dict[str, Any] | None,
    skipped: str | None,
    devpages: Path,
    table: outlets.OutletTable,
) -> dict[str, Any]:
    """One page's verdicts; `path` is its file in the archive. A page missing from the
    export scores wrong on every field."""
    exp_outlet = expected_outlet(table, gold.get("outlet_site"))
    out: dict[str, Any] = {
        "file": gold["file"],
        "outlet_site": gold.get("outlet_site"),
        "group": exp_outlet or f"{gold.get('outlet_site')}*",
        "gold_doubtful": "doubtful" in str(gold.get("gold_source", "")).lower(),
        "indexed": art is not None,
        "skipped": None if art is not None else (skipped or "not in the export"),
        "path": path,
    }
    a = art or {}
    title = collapse(a.get("title"))
    out["title"] = {
        "expected": gold.get("title"),
        "got": a.get("title"),
        "right": art is not None and bool(title) and title == collapse(gold.get("title")),
    }
    g_dt, o_dt = parse_instant(gold.get("published")), parse_instant(a.get("published"))
    out["published"] = {
        "expected": gold.get("published"),
        "got": a.get("published"),
        "estimated": a.get("published_estimated"),
        "right": g_dt is not None and o_dt is not None and utc_minute(g_dt) == utc_minute(o_dt),
        "expected_offset": offset_text(g_dt),
        "got_offset": offset_text(o_dt),
        "offset_same": o_dt is not None and offset_text(g_dt) == offset_text(o_dt),
    }
    got_outlet = a.get("outlet")
    out["outlet"] = {
        "expected": exp_outlet,
        "got": got_outlet,
        "verdict": outlet_verdict(exp_outlet, got_outlet) if art is not None else "wrong",
    }
    gold_authors = gold.get("authors") or []
    if gold_authors:
        exp = {author_key(x) for x in gold_authors}
        got = {author_key(x) for x in (a.get("authors") or [])}
        out["authors"] = {
            "expected": gold_authors,
            "got": a.get("authors") or [],
            "right": art is not None and got == exp,
            "recall": len(exp & got) / len(exp),
        }
    else:
        out["authors"] = None
    body_file = gold.get("expected_body_file")
    out["body"] = None
    if body_file:
        try:
            expected = (devpages / body_file).read_text(encoding="utf-8", errors="replace")
        except OSError as err:  # the gold's fault, not the page's: left unscored
            out["body_error"] = f"{body_file}: {err.strerror or err}"
        else:
            ours = "\n".join(a.get("body") or [])
            out["body"] = overlap_scores(words(ours), words(expected))
    out["words"] = a.get("words")
    return out


def _pct(right: int, n: int) -> float | None:
    return 100.0 * right / n if n else None


def summarize_pages(pages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts and rates over a set of scored pages (a format, or one outlet of it)."""
    n = len(pages)
    title = sum(p["title"]["right"] for p in pages)
    time_right = sum(p["published"]["right"] for p in pages)
    dated = [p for p in pages if p["published"]["got"]]
    verdicts = Counter(p["outlet"]["verdict"] for p in pages)
    auth = [p["authors"] for p in pages if p["authors"] is not None]
    body = [p["body"] for p in pages if p["body"] is not None]

    def mean(key: str) -> float | None:
        return statistics.fmean(b[key] for b in body) if body else None

    return {
        "pages": n,
        "indexed": sum(p["indexed"] for p in pages),
        "title": {"right": title, "n": n, "pct": _pct(title, n)},
        "time_minute": {"right": time_right, "n": n, "pct": _pct(time_right, n)},
        "dated": len(dated),
        "offset_same": sum(p["published"]["offset_same"] for p in dated),
        "estimated": sum(bool(p["published"]["estimated"]) for p in dated),
        "outlet": {k: verdicts.get(k, 0) for k in ("right", "wrong", "unknown")},
        "authors": {
            "right": sum(x["right"] for x in auth),
            "n": len(auth),
            "pct": _pct(sum(x["right"] for x in auth), len(auth)),
            "recall_mean": statistics.fmean(x["recall"] for x in auth) if auth else None,
        },
        "body": {
            "n": len(body),
            "f1_mean": mean("f1"),
            "precision_mean": mean("precision"),
            "recall_mean": mean("recall"),
        },
    }


def score_pages(
    fmt: str,
    run: dict[str, Any],
    gold: Sequence[dict[str, Any]],
    devpages: Path,
    table: outlets.OutletTable,
) -> dict[str, Any]:
    """The html or text format: each gold page matched to its exported article by path."""
    ext = ".txt" if fmt == "text" else None
    by_path: dict[str, dict[str, Any]] = {}
    for art in read_export(run["export"]):
        by_path.setdefault(art["path"], art)
    skipped = {s["path"]: s["reason"] for s in run["report"].get("skipped", [])}
    pages, wanted = [], set()
    for g in gold:
        name = g["file"] if ext is None else Path(g["file"]).stem + ext
        wanted.add(name)
        missing = None if (devpages / "html" / g["file"]).is_file() else "missing from devpages"
        art = None if missing else by_path.get(name)
        pages.append(score_page(g, name, art, missing or skipped.get(name), devpages, table))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in pages:
        groups[p["group"]].append(p)
    order = sorted(groups, key=lambda k: (-len(groups[k]), k))
    return {
        "build": build_figures(run),
        "summary": summarize_pages(pages),
        "by_outlet": {k: summarize_pages(groups[k]) for k in order},
        "unscored_articles": sorted(set(by_path) - wanted),
        "pages": pages,
    }


# --------------------------------------------------------------------------- scoring: records

_URL_DAY = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")
_MISSING = ("", "-")
#: The columns the harness reads a row's facts from, in order of preference.
_BODY_COLS = ("content", "desc")
_URL_COLS = ("url", "link")
_SOURCE_COLS = ("source",)
_TITLE_COLS = ("title",)


def _field(row: dict[str, Any], names: Sequence[str]) -> str:
    for name in names:
        if name in row:
            value = row[name]
            return "" if value is None else str(value).strip()
    return ""


def _csv_rows(path: Path) -> Iterator[dict[str, Any] | None]:
    """A CSV file's data rows as dicts; None for a row the csv module cannot parse. Wholly
    blank rows are passed over, as Warta does, so row numbers line up with its `#row`."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        sample = fh.read(65536)
        fh.seek(0)
        delim = "\t" if path.suffix == ".tsv" else ","
        if path.suffix != ".tsv":
            with contextlib.suppress(csv.Error):
                delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        reader = csv.reader(fh, delimiter=delim)
        try:
            header = [h.strip() for h in next(reader)]
        except (StopIteration, csv.Error):
            return
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield None
                continue
            if row and any(cell.strip() for cell in row):
                yield dict(zip(header, row, strict=False))


def read_rows(path: Path) -> list[dict[str, Any] | None]:
    """Every record of an export, parsed here (not by Warta), in Warta's row order."""
    if path.suffix in (".csv", ".tsv"):
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        return list(_csv_rows(path))
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix == ".jsonl":
        out: list[dict[str, Any] | None] = []
        for line in text.splitlines():
            if line.strip():
                try:
                    value = json.loads(line)
                except ValueError:
                    value = None
                out.append(value if isinstance(value, dict) else None)
        return out
    data = json.loads(text)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if lists else [data]
    return [r if isinstance(r, dict) else None for r in data]


def url_host(url: str) -> str | None:
    """The host of a URL, protocol-relative (`//tirto.id/…`) and scheme-less ones included."""
    if not url or url in _MISSING:
        return None
    if url.startswith("//"):
        url = "http:" + url
    elif "://" not in url:
        url = "http://" + url
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def url_day(url: str) -> date | None:
    """The day a URL's path names as /YYYY/MM/DD/ (kompas, okezone, tempo, tribunnews…)."""
    m = _URL_DAY.search(url or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _has_words(text: str) -> bool:
    """A body worth indexing: not empty, not "-", and not CLICK-ID's joined empty <p> list
    ("-,,,"): at least one letter or digit."""
    return text not in _MISSING and _WORD.search(text) is not None


def _title_words(text: str | None) -> list[str]:
    """A title's words, its mojibake undone (index.mojibake): a row whose title a
    spreadsheet broke ("‚ÄúJokowi‚Äù") is still the row of the article indexed with the
    title repaired. The check is that rows and articles are in step, not the spelling."""
    return _WORD.findall(repair_mojibake(text or "").lower())


def score_record_file(
    name: str,
    rows: Sequence[dict[str, Any] | None],
    arts: dict[int, dict[str, Any]],
    bad_reasons: Counter[str],
    table: outlets.OutletTable,
) -> dict[str, Any]:
    """One export file: rows, rows with a body, rows indexed, and the indexed rows' title,
    outlet and URL day checked against the row's own columns."""
    with_body = untitled = bodyless = mismatch = 0
    outlet = Counter[str]()
    expected_keys, got_keys = Counter[str](), Counter[str]()
    day_right = day_n = undated = dated = 0
    examples: dict[str, list[str]] = defaultdict(list)

    def example(kind: str, text: str) -> None:
        if len(examples[kind]) < 3:
            examples[kind].append(text)

    for i, row in enumerate(rows, 1):
        row = row or {}
        has_body = _has_words(_field(row, _BODY_COLS))
        with_body += has_body
        art = arts.get(i)
        if art is None:
            continue
        title = _field(row, _TITLE_COLS)
        if title in _MISSING:
            untitled += 1
            example("title", f"row {i}: title {title!r} indexed as {art.get('title')!r}")
        elif _title_words(title) != _title_words(art.get("title")):
            mismatch += 1
        if not has_body:
            bodyless += 1
            example("bodyless", f"row {i}: {_field(row, _BODY_COLS)[:40]!r}")
        url = _field(row, _URL_COLS)
        source = _field(row, _SOURCE_COLS)
        exp = None
        if source not in _MISSING:
            exp = expected_outlet(table, source)
        if exp is None:
            exp = expected_outlet(table, url_host(url))
        dated += bool(art.get("published"))
        got = art.get("outlet")
        verdict = outlet_verdict(exp, got)
        outlet[verdict] += 1
        expected_keys[exp or "(none)"] += 1
        got_keys[got or "(none)"] += 1
        if verdict != "right":
            example("outlet", f"row {i}: expected {exp} vs got {got}")
        day = url_day(url)
        if day is not None:
            day_n += 1
            published = art.get("published")
            if published and published[:10] == day.isoformat():
                day_right += 1
            else:
                undated += not published
                example("url_date", f"row {i}: URL {day.isoformat()} vs got {published}")
    indexed = len(arts)
    return {
        "file": name,
        "rows": len(rows),
        "unparsed_rows": sum(r is None for r in rows),
        "with_body": with_body,
        "indexed": indexed,
        "dated": dated,
        # Rows neither indexed nor reported as bad rows: dropped as duplicates of another
        # article (the build report counts those only in total). Exact when the report
        # listed every bad row (`bad_row_details_complete`).
        "dropped_unreported": max(len(rows) - indexed - sum(bad_reasons.values()), 0),
        "untitled_indexed": untitled,
        "bodyless_indexed": bodyless,
        "title_mismatch": mismatch,
        "not_indexed_reasons": dict(bad_reasons.most_common()),
        "outlet": {
            **{k: outlet.get(k, 0) for k in ("right", "wrong", "unknown")},
            "pct": _pct(outlet.get("right", 0), indexed),
            "expected": dict(expected_keys.most_common()),
            "got": dict(got_keys.most_common()),
        },
        "url_date": {
            "right": day_right,
            "n": day_n,
            "pct": _pct(day_right, day_n),
            "undated": undated,
        },
        "examples": dict(examples),
        "stray_rows": sorted(r for r in arts if r > len(rows))[:10],
    }


def score_records(
    run: dict[str, Any], devpages: Path, table: outlets.OutletTable
) -> dict[str, Any]:
    """The records format: every export file against its own rows, parsed here."""
    by_file: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    keys = ("path", "title", "outlet", "published")
    for art in read_export(run["export"], keys):
        rel, sep, row = art["path"].rpartition("#")
        if sep and row.isdigit():
            by_file[rel][int(row)] = art
    details = run["report"].get("bad_row_details", [])
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for d in details:
        reasons[d["path"]][d["reason"]] += 1
    skipped = {s["path"]: s["reason"] for s in run["report"].get("skipped", [])}
    files = []
    for name, src in record_files(devpages):
        try:
            rows = read_rows(src)
        except (OSError, ValueError) as err:
            rows = []
            skipped.setdefault(name, f"the harness could not parse it: {err}")
        scored = score_record_file(name, rows, by_file.get(name, {}), reasons[name], table)
        scored["skipped"] = skipped.get(name)
        files.append(scored)
    return {
        "build": build_figures(run),
        "summary": summarize_records(files),
        "bad_row_details_complete": len(details) >= run["report"].get("bad_rows", 0),
        "files": files,
    }


def summarize_records(files: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def total(key: str) -> int:
        return sum(f[key] for f in files)

    indexed = total("indexed")
    right = sum(f["outlet"]["right"] for f in files)
    d_right = sum(f["url_date"]["right"] for f in files)
    d_n = sum(f["url_date"]["n"] for f in files)
    return {
        "files": len(files),
        "rows": total("rows"),
        "with_body": total("with_body"),
        "indexed": indexed,
        "dated": total("dated"),
        "dropped_unreported": total("dropped_unreported"),
        "untitled_indexed": total("untitled_indexed"),
        "bodyless_indexed": total("bodyless_indexed"),
        "title_mismatch": total("title_mismatch"),
        "outlet": {
            **{k: sum(f["outlet"][k] for f in files) for k in ("right", "wrong", "unknown")},
            "pct": _pct(right, indexed),
        },
        "url_date": {"right": d_right, "n": d_n, "pct": _pct(d_right, d_n)},
    }


# --------------------------------------------------------------------------- the report


def _git() -> dict[str, Any]:
    """The commit, and whether index/, search/ or tui/ had uncommitted changes: extraction
    figures mean little without the code they were measured on."""

    def git(*a: str) -> str:
        try:
            r = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True)
        except OSError:
            return ""
        return r.stdout.strip()

    dirty = git("status", "--porcelain", "--", "index", "search", "tui")
    return {"commit": git("rev-parse", "HEAD"), "dirty_core": bool(dirty)}


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _short(value: Any, width: int = 70) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _differing(a: str, b: str, width: int = 60) -> tuple[str, str]:
    """Two long strings shortened around where they part, so the difference shows."""
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    start = max(common - 20, 0) if max(len(a), len(b)) > width else 0

    def cut(s: str) -> str:
        s = ("…" if start else "") + s[start:]
        return repr(s if len(s) <= width else s[: width - 1] + "…")

    return cut(a), cut(b)


def page_failures(fmt: str, pages: Iterable[dict[str, Any]]) -> list[str]:
    """One line per wrong field of each page: `file: field: expected … vs got …`."""
    lines = []
    for p in pages:
        name = p["path"] + (" [gold doubtful]" if p["gold_doubtful"] else "")
        if not p["indexed"]:
            lines.append(f"{name}: not indexed ({p['skipped']})")
            continue
        t, d, o, a, b = p["title"], p["published"], p["outlet"], p["authors"], p["body"]
        if not t["right"]:
            exp, got = _differing(t["expected"] or "", t["got"] or "")
            lines.append(f"{name}: title: expected {exp} vs got {got}")
        if not d["right"]:
            lines.append(f"{name}: published: expected {d['expected']} vs got {d['got']}")
        elif not d["offset_same"]:
            lines.append(
                f"{name}: published offset: expected {d['expected_offset']}"
                f" vs got {d['got_offset']} (same instant)"
            )
        if o["verdict"] != "right":
            lines.append(
                f"{name}: outlet ({o['verdict']}): expected {o['expected']} vs got {o['got']}"
            )
        if a is not None and not a["right"]:
            lines.append(f"{name}: authors: expected {a['expected']} vs got {_short(a['got'], 60)}")
        if b is not None and b["f1"] < BODY_F1_SHOWN:
            lines.append(
                f"{name}: body: F1 {b['f1']:.2f} (precision {b['precision']:.2f},"
                f" recall {b['recall']:.2f}; {b['words_got']} words vs {b['words_expected']})"
            )
    return lines


def record_failures(files: Iterable[dict[str, Any]]) -> list[str]:
    """One line per file and kind of fault, with its count and the first example."""
    lines = []
    for f in files:
        lost = f["with_body"] - (f["indexed"] - f["bodyless_indexed"])
        if f.get("skipped"):
            # "no body column among: a, b — name them with --map body=desc": the list of
            # columns is long and the same for every file of a scraper; the fix is not.
            head, _, fix = f["skipped"].partition(" — ")
            head = head.split(" among:")[0]
            lines.append(
                f"{f['file']}: skipped whole ({head}{f'; {fix}' if fix else ''}),"
                f" {_n(lost, 'row')} with a body lost"
            )
            continue
        if lost > 0:
            why = [f"{r} {n}" for r, n in f["not_indexed_reasons"].items()]
            if f["dropped_unreported"]:
                why.append(f"duplicates {f['dropped_unreported']}")
            lines.append(
                f"{f['file']}: {_n(lost, 'row')} with a body not indexed"
                + (f" (all rows not indexed: {', '.join(why)})" if why else "")
            )
        if f["bodyless_indexed"]:
            eg = (f["examples"].get("bodyless") or [""])[0]
            lines.append(
                f"{f['file']}: {_n(f['bodyless_indexed'], 'row')} without a word of body"
                f" indexed, e.g. {_short(eg, 70)}"
            )
        if f["indexed"] > f["dated"]:
            lines.append(f"{f['file']}: {_n(f['indexed'] - f['dated'], 'indexed row')} undated")
        counts = {
            "title": f["untitled_indexed"],
            "outlet": f["outlet"]["wrong"] + f["outlet"]["unknown"],
            "url_date": f["url_date"]["n"] - f["url_date"]["right"],
        }
        labels = {"title": "title-less rows indexed", "outlet": "outlet", "url_date": "URL date"}
        for kind, n in counts.items():
            if n:
                eg = (f["examples"].get(kind) or [""])[0]
                lines.append(f"{f['file']}: {labels[kind]}: {n:,} wrong, e.g. {_short(eg, 90)}")
        if f["title_mismatch"]:
            lines.append(
                f"{f['file']}: {f['title_mismatch']} indexed titles differ from their row's"
                " (row numbering out of step with Warta's?)"
            )
    return lines


def _p(x: float | None) -> str:
    return "—" if x is None else f"{x:.0f}%"


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _page_row(label: str, s: dict[str, Any], build: str = "") -> str:
    o, a, b = s["outlet"], s["authors"], s["body"]
    verdicts = f"{o['right']}/{o['wrong']}/{o['unknown']}"
    authors = f"{_p(a['pct'])} ({a['n']})"
    body = f"{_f(b['f1_mean'])} ({b['n']})"
    return (
        f"{label:<24}{s['pages']:>6}{s['indexed']:>8}{_p(s['title']['pct']):>7}"
        f"{_p(s['time_minute']['pct']):>10}{verdicts:>14}{authors:>13}{body:>13}{build:>9}"
    )


def table(report: dict[str, Any], failures: int = FAILURES_SHOWN) -> str:
    """The terminal report: per format and outlet (pages) or file (records), then the
    failing fields, so a developer sees both the score and what to look at."""
    lines: list[str] = []
    add = lines.append
    g = report["git"]
    add(
        f"Warta extraction quality · {g['commit'][:8] or 'no git'}"
        f"{' (core modified)' if g['dirty_core'] else ''} · {report['devpages']}"
    )
    for fmt, res in report["formats"].items():
        add("")
        if "not_measured" in res:
            add(f"── {fmt}: not measured: {res['not_measured']}")
            continue
        b = res["build"]
        rep = b["report"]
        if fmt in ("html", "text"):
            s = res["summary"]
            add(
                f"── {fmt}: {s['pages']} pages · build {b['wall_s']:.1f} s wall"
                f" ({rep.get('elapsed_s', 0):.1f} s in the build)"
                f" · export {b['export_wall_s']:.1f} s"
                f" · skipped {len(rep.get('skipped', []))} ──"
            )
            add(
                f"{'outlet':<24}{'pages':>6}{'indexed':>8}{'title':>7}{'time→min':>10}"
                f"{'outlet r/w/u':>14}{'authors (n)':>13}{'body F1 (n)':>13}{'build s':>9}"
            )
            add(_page_row("all", s, f"{b['wall_s']:.1f}"))
            for k, v in res["by_outlet"].items():
                add(_page_row(k, v))
            add(
                f"  dated {s['dated']}/{s['pages']} (estimated {s['estimated']}),"
                f" UTC offset as gold's {s['offset_same']}/{s['dated']};"
                f" authors mean recall {_f(s['authors']['recall_mean'])};"
                f" body mean P {_f(s['body']['precision_mean'])} R {_f(s['body']['recall_mean'])}"
            )
            if any(k.endswith("*") for k in res["by_outlet"]):
                add("  * site not in Warta's outlet table: any outlet given is wrong")
            if res["unscored_articles"]:
                add(f"  {len(res['unscored_articles'])} exported articles have no gold")
            fails = page_failures(fmt, res["pages"])
        else:
            s = res["summary"]
            add(
                f"── records: {s['files']} files, {s['rows']:,} rows"
                f" · build {b['wall_s']:.1f} s wall ({rep.get('elapsed_s', 0):.1f} s in the build)"
                f" · export {b['export_wall_s']:.1f} s"
                f" · bad rows {rep.get('bad_rows', 0):,}"
                f" · same URL twice {rep.get('url_duplicates', 0):,} ──"
            )
            add(
                f"{'file':<46}{'rows':>7}{'w/ body':>8}{'indexed':>8}{'no title':>9}"
                f"{'dated':>8}{'outlet ok':>10}{'URL date ok (n)':>17}"
            )

            def row(label: str, f: dict[str, Any]) -> str:
                d = f["url_date"]
                dn = f"{_p(d['pct'])} ({d['n']:,})" if d["n"] else "—"
                return (
                    f"{label:<46}{f['rows']:>7,}{f['with_body']:>8,}{f['indexed']:>8,}"
                    f"{f['untitled_indexed']:>9,}{_p(_pct(f['dated'], f['indexed'])):>8}"
                    f"{_p(f['outlet']['pct']):>10}{dn:>17}"
                )

            add(row("all", s))
            for f in res["files"]:
                add(row(f["file"], f))
            add(
                f"  outlet right/wrong/unknown {s['outlet']['right']:,}/{s['outlet']['wrong']:,}"
                f"/{s['outlet']['unknown']:,}; body-less rows indexed {s['bodyless_indexed']:,};"
                f" titles unlike their row {s['title_mismatch']:,}"
            )
            fails = record_failures(res["files"])
        if fails and failures:
            add(f"  failing ({len(fails)}):")
            for line in fails[:failures]:
                add(f"    {line}")
            if len(fails) > failures:
                add(f"    … and {len(fails) - failures} more in the JSON (--failures N shows more)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI


def _formats(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in names if x not in FORMATS]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad) or '(none)'}; known: {', '.join(FORMATS)}"
        )
    return [f for f in FORMATS if f in names]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--devpages", default=None, help="corpus folder (default $WARTA_DEVPAGES or "
        "../shared/corpora/devpages)",
    )  # fmt: skip
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="JSON path (bench/out/extraction.json)")
    ap.add_argument("--quiet", action="store_true", help="no table, no progress lines")
    ap.add_argument(
        "--keep", default=None, metavar="DIR",
        help="lay the archives and indexes out in DIR (new or empty) and keep them",
    )  # fmt: skip
    ap.add_argument(
        "--formats", type=_formats, default=list(FORMATS), help="html,text,records (all)"
    )
    ap.add_argument(
        "--failures", type=int, default=FAILURES_SHOWN, metavar="N",
        help=f"failing fields shown per format ({FAILURES_SHOWN}; 0: none)",
    )  # fmt: skip
    return ap.parse_args(argv)


def check_devpages(devpages: Path, formats: Sequence[str]) -> None:
    """CannotRun unless the corpus has what the chosen formats need."""
    if not devpages.is_dir():
        raise CannotRun(f"{devpages}: no devpages folder (set WARTA_DEVPAGES or --devpages)")
    if {"html", "text"} & set(formats):
        if not (devpages / "html").is_dir():
            raise CannotRun(f"{devpages}: no html/ folder")
        if not (devpages / "html_gold.jsonl").is_file():
            raise CannotRun(f"{devpages}: no html_gold.jsonl")
    if "records" in formats and not record_files(devpages):
        raise CannotRun(f"{devpages}: no CSV or JSON files in records/")


def run(args: argparse.Namespace, log: Any) -> dict[str, Any]:
    """Lay out the archives, build and export each, score them; the JSON document."""
    devpages = devpages_dir(args.devpages)
    check_devpages(devpages, args.formats)
    gold = load_gold(devpages) if {"html", "text"} & set(args.formats) else []
    table_ = _shipped_table()
    if args.keep:
        work = Path(args.keep).expanduser()
        if work.exists() and (not work.is_dir() or any(work.iterdir())):
            raise CannotRun(f"--keep {work}: must be a new or empty folder")
        work.mkdir(parents=True, exist_ok=True)
    else:
        # The system's temp folder, never the checkout: no corpus byte lands in the repo.
        work = Path(tempfile.mkdtemp(prefix="warta-extraction-"))
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "git": _git(),
        "devpages": str(devpages.resolve()),
        "settings": {"formats": list(args.formats), "body_f1_shown": BODY_F1_SHOWN},
        "formats": {},
    }
    try:
        log(f"laying out {', '.join(args.formats)} in {work}")
        dirs = lay_out(devpages, work, args.formats)
        for fmt in args.formats:
            log(f"{fmt}: warta index + export")
            result = run_warta(dirs[fmt], work / f"index-{fmt}", work, fmt)
            if "error" in result:
                report["formats"][fmt] = {"not_measured": result["error"]}
                continue
            log(f"{fmt}: built in {result['build_s']:.1f} s; scoring")
            if fmt == "records":
                report["formats"][fmt] = score_records(result, devpages, table_)
            else:
                report["formats"][fmt] = score_pages(fmt, result, gold, devpages, table_)
        for fmt, res in report["formats"].items():
            if "pages" in res:
                res["failures"] = page_failures(fmt, res["pages"])
            elif "files" in res:
                res["failures"] = record_failures(res["files"])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report["work"] = str(work) if args.keep else None
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the harness, print the table, write the JSON; 2 if it cannot run at all."""
    args = parse_args(argv)
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - t0:6.1f} s] {msg}", file=sys.stderr, flush=True)

    try:
        report = run(args, log)
    except CannotRun as err:
        print(f"extraction: {err}", file=sys.stderr)
        return 2
    report["elapsed_s"] = time.perf_counter() - t0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n")
    if not args.quiet:
        print(table(report, max(args.failures, 0)))
        log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
