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


def write(reader: Any, gen_dir: Path) -> bool:
    """Read the committed generation's columns once and write them into `gen_dir`.

    Returns False, writing nothing, when a document holds two values of one coded field
    (an index written otherwise than by Warta's build): the search side then reads Whoosh.
    """
    import numpy as np

    shutil.rmtree(gen_dir / FOLDER, ignore_errors=True)  # an --update's copy of the old ones
    size = reader.doc_count_all()
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    arrays: dict[str, np.ndarray] = {}
    names: dict[str, list[str]] = {}
    for field in CODED:
        codes = np.full(size, -1, dtype=np.int32)
        number: dict[str, int] = {}
        for leaf, offset in leaves:
            if not leaf.has_column(field):
                continue
            for value in leaf.field_terms(field):
                docs = list(leaf.postings(field, value).all_ids())
                if not docs:
                    continue
                at = np.asarray(docs, dtype=np.int64) + offset
                if (codes[at] != -1).any():
                    return False  # two values for one document: not a column
                code = number.setdefault(value, len(number))
                codes[at] = code
        # Codes in the order of the values, as the term index lists them.
        ordered = sorted(number)
        place = {value: i for i, value in enumerate(ordered)}
        remap = np.array([place[v] for v in number] or [0], dtype=np.int32)
        arrays[field] = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1).astype(np.int32)
        names[field] = ordered
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
    return True


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
