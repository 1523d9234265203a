"""The per-document columns a generation's searches count by, as arrays (issue 15).

Facets, filters, trends and date sorts need every document's outlet, month, language and
publication time. Read from Whoosh when an index is opened, that is a Python pass over
every posting of three fields (about 2 µs a posting: 0.35 s at 100,000 articles, seconds
at a million) before the first search can answer. So the build writes them once, after
the commit, as numpy arrays beside the segments (`columns/`), and the search side maps
them into memory: opening costs what the first search touches, and the operating
system's page cache, not a Python structure, holds them between processes.

The folder belongs to the generation: built, swapped and deleted with it, like the story
table. It sits outside the files an open verifies (index.store.verify_files) and carries
its own checksums; a missing or damaged folder costs speed, not answers: the search side
reads Whoosh as before (search.docsets).

Each array holds one value a document, by global document number:
- `outlet`, `month`, `language`: int32 codes into the names of `columns.json` (-1: the
  document has no value; a deleted document keeps what it had);
- `published`: uint64, Whoosh's sortable value of the `published` column;
- `live`: bool, False for a deleted document.
"""

from __future__ import annotations

import os
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import numpy as np

FOLDER = "columns"
META = "columns.json"
VERSION = 1
#: The keyword fields kept as codes: each document holds at most one value of each.
CODED = ("outlet", "month", "language")
_ARRAYS = (*CODED, "published", "live")
_DTYPES = {**dict.fromkeys(CODED, "int32"), "published": "uint64", "live": "bool"}


class DocColumnsError(ValueError):
    """The columns are missing, damaged or of another index: one line to show."""


@dataclass(frozen=True)
class DocColumns:
    """A generation's columns, memory-mapped read-only (see the module's docstring)."""

    docs: int
    names: dict[str, list[str]]  # field -> its values, by code
    arrays: dict[str, np.ndarray]

    def codes(self, field: str) -> np.ndarray:
        return self.arrays[field]

    @property
    def published(self) -> np.ndarray:
        return self.arrays["published"]

    @property
    def live(self) -> np.ndarray:
        return self.arrays["live"]

    def publication_times(self) -> list[int | None]:
        """Every document's raw publication time, None for an undated one (the column
        holds 0 for them, which is also a time: the month "none" says which)."""
        from index.schema import NO_DATE

        times: list[int | None] = list(self.published.tolist())
        months = self.names["month"]
        if NO_DATE in months:
            import numpy as np

            undated = np.flatnonzero(self.codes("month") == months.index(NO_DATE))
            for d in undated.tolist():
                times[d] = None
        return times


def write(reader: Any, gen_dir: Path) -> DocColumns:
    """Read the committed generation's columns once, write them into `gen_dir`, and
    return them (the build's story table takes its publication times from them).

    The coded fields are read from their postings, a term at a time: at 300,000 articles
    that took 0.39 s where their sortable columns, a value a document, took 0.81 s.
    """
    import numpy as np

    shutil.rmtree(gen_dir / FOLDER, ignore_errors=True)  # an --update's copy of the old ones
    size = reader.doc_count_all()
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    arrays: dict[str, np.ndarray] = {}
    names: dict[str, list[str]] = {}
    for field in CODED:
        codes = np.full(size, -1, dtype=np.int32)
        values = sorted({v for leaf, _ in leaves for v in leaf.field_terms(field)})
        for code, value in enumerate(values):  # codes in the order of the term index
            for leaf, offset in leaves:
                if (field, value) in leaf:
                    at = np.fromiter(leaf.postings(field, value).all_ids(), np.int64) + offset
                    # Warta's build gives a document one value of each; were there two,
                    # the first in term order would stand.
                    codes[at[codes[at] == -1]] = code
        arrays[field] = codes
        names[field] = values
    published = np.zeros(size, dtype=np.uint64)
    live = np.ones(size, dtype=bool)
    for leaf, offset in leaves:
        n = leaf.doc_count_all()
        if leaf.has_column("published"):
            column = leaf.column_reader("published", translate=False)
            published[offset : offset + n] = np.fromiter(column, dtype=np.uint64, count=n)
        if leaf.has_deletions():
            for i in range(n):
                if leaf.is_deleted(i):
                    live[offset + i] = False
    arrays["published"] = published
    arrays["live"] = live
    _save(gen_dir, size, names, arrays)
    return DocColumns(size, names, arrays)


def _save(gen_dir: Path, size: int, names: dict[str, list[str]], arrays: dict) -> None:
    import numpy as np

    folder = gen_dir / FOLDER
    folder.mkdir(exist_ok=True)
    crcs: dict[str, int] = {}
    for field in _ARRAYS:
        path = folder / f"{field}.npy"
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as out:
            np.save(out, np.ascontiguousarray(arrays[field]), allow_pickle=False)
        os.replace(tmp, path)
        crcs[field] = zlib.crc32(path.read_bytes())
    meta = {"version": VERSION, "docs": size, "names": names, "crc32": crcs}
    tmp = folder / (META + ".tmp")
    tmp.write_bytes(orjson.dumps(meta))
    tmp.replace(folder / META)


def load(gen_dir: Path, docs: int, *, verify: bool = True) -> DocColumns:
    """The generation's columns, memory-mapped and checked against its document count
    (and, with `verify`, their checksums); DocColumnsError says what is wrong."""
    import numpy as np

    folder = gen_dir / FOLDER
    try:
        meta: Any = orjson.loads((folder / META).read_bytes())
    except FileNotFoundError:
        raise DocColumnsError("this index has no document columns (built before them)") from None
    except OSError as err:
        raise DocColumnsError(f"the document columns cannot be read ({err.strerror})") from None
    except orjson.JSONDecodeError:
        raise DocColumnsError("the document columns are damaged") from None
    if not isinstance(meta, dict) or meta.get("version") != VERSION:
        raise DocColumnsError("the document columns are of another version")
    if meta.get("docs") != docs:
        raise DocColumnsError("the document columns do not match the index")
    names, crcs = meta.get("names"), meta.get("crc32")
    if not isinstance(names, dict) or not isinstance(crcs, dict):
        raise DocColumnsError("the document columns are damaged")
    arrays: dict[str, np.ndarray] = {}
    for field in _ARRAYS:
        path = folder / f"{field}.npy"
        try:
            if verify and zlib.crc32(path.read_bytes()) != crcs.get(field):
                raise DocColumnsError("the document columns are damaged (checksum)")
            array = np.load(path, mmap_mode="r", allow_pickle=False)
        except DocColumnsError:
            raise
        except (OSError, ValueError) as err:
            raise DocColumnsError(f"the document columns are damaged ({field})") from err
        if array.shape != (docs,):
            raise DocColumnsError("the document columns do not match the index")
        if array.dtype != _DTYPES[field]:
            raise DocColumnsError(f"the document columns are damaged ({field})")
        arrays[field] = array
    for field in CODED:
        values = names.get(field)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DocColumnsError("the document columns are damaged")
        codes = arrays[field]
        if docs and (int(codes.min()) < -1 or int(codes.max()) >= len(values)):
            raise DocColumnsError("the document columns are damaged (a code out of range)")
    return DocColumns(docs, {f: list(names[f]) for f in CODED}, arrays)
