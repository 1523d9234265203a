"""Every hit of a query to a file a researcher can cite: CSV or JSON lines, streamed.

The file opens with its provenance (the query, the filters, the sort, the index's build
time and article count, Warta's version): a JSON object on the first line of a `.jsonl`
file, a `# ` comment line atop a `.csv` (pandas: `read_csv(path, comment="#")`). Then one
record per hit in the order `search` pages them, with the data contract's fields.

Hits are read one stored article at a time (`Engine.iter_hits`), so memory stays flat
whatever the count. The file is written beside its target under a temporary name and
renamed into place at the end: an export that fails half-way leaves no half a file, and an
existing file is replaced only when asked (`force`).

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) get a leading apostrophe: an exported page must not run code in Excel.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from index.article import CONTRACT_KEYS, contract_dict
from index.errors import WartaError
from search.models import Filters, Sort

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(WartaError):
    """An export that cannot be written: the path, and why."""

    exit_code = 1


def provenance(
    engine: Any, queries: list[str], filters: Filters, sort: Sort | None = None
) -> dict[str, Any]:
    """What a table or an export was counted on: cite it with the figures."""
    out: dict[str, Any] = {"queries": queries, "filters": filters.to_dict()}
    if sort is not None:
        out["sort"] = sort
    out.update(engine.provenance())
    return out


def export_format(path: Path) -> str:
    """csv or jsonl, by the file's extension; anything else is refused with the choices."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(
            f"cannot export to {path.name}: name the file .csv or .jsonl (its format)"
        )
    return fmt


def export_hits(
    engine: Any,
    query: str,
    filters: Filters,
    sort: Sort,
    path: Path,
    *,
    body: bool = True,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write every hit of `query` to `path`; the number written."""
    path = Path(path)
    fmt = export_format(path)
    if path.is_dir():
        raise ExportError(f"cannot export to {path}: it is a folder")
    if path.exists() and not force:
        raise ExportError(f"{path} exists — add --force to replace it")
    keys = CONTRACT_KEYS if body else tuple(k for k in CONTRACT_KEYS if k != "body")
    head = provenance(engine, [query], filters, sort)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            write = _csv_writer(fh, keys, head) if fmt == "csv" else _jsonl_writer(fh, keys, head)
            count = 0
            for rank, (article, score) in enumerate(engine.iter_hits(query, filters, sort), 1):
                write(article, rank, score)
                count += 1
                if progress is not None and count % 1000 == 0:
                    progress(count)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


Writer = Callable[[Any, int, float], None]


def _jsonl_writer(fh: Any, keys: tuple[str, ...], head: dict[str, Any]) -> Writer:
    fh.write(orjson.dumps({"provenance": head}).decode() + "\n")

    def write(article: Any, rank: int, score: float) -> None:
        record = contract_dict(article, keys)
        record["rank"] = rank
        record["score"] = round(score, 4)
        fh.write(orjson.dumps(record).decode() + "\n")

    return write


def _csv_writer(fh: Any, keys: tuple[str, ...], head: dict[str, Any]) -> Writer:
    fh.write("# warta export " + orjson.dumps(head).decode() + "\n")
    out = csv.writer(fh)
    out.writerow(["rank", "score", *keys])

    def write(article: Any, rank: int, score: float) -> None:
        record = contract_dict(article, keys)
        out.writerow([rank, round(score, 4), *(_cell(record[k], k) for k in keys)])

    return write


def _cell(value: Any, key: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ("\n\n" if key == "body" else "; ").join(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
