"""py3langid's model, kept decompressed in the user's cache so a build does not unpack it.

py3langid ships its model as an xz-compressed npz (4.6 MB, 68 MB unpacked) and unpacks it
on every load: about a second of CPU (xz, then the npz's zip) that every `warta index` paid,
most of a small build's fixed cost after the interpreter's start. The arrays it unpacks
are written once to `<cache>/langid/<key>/` as plain .npy files and read back from there:
the classifier's table memory-mapped and widened to float32 once, the byte automaton
copied into the stdlib array py3langid walks (a 39 MB copy, milliseconds).

The key names py3langid's version and the model file's size and modification time, so an
upgrade of the package makes a new entry instead of reusing a stale one. The entry is
written into a temporary folder and renamed into place, so a reader never sees half of
one; one that cannot be read (cut short, the wrong shapes) is replaced by the model
loaded from the package as before. A cache that cannot be written (read-only home, a full
disk) only costs the second it always cost.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from array import array
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from index.config import cache_dir

#: The model's arrays, in the order py3langid's loader returns them.
_NAMES = ("ptc", "pc", "classes", "nextmove", "row", "output")
#: The stdlib array type codes py3langid's automaton uses, by item size.
_TYPECODE = {2: "H", 4: "I", 8: "L"}


def load_identifier() -> Any:
    """A py3langid LanguageIdentifier of the shipped model, with normalised probabilities:
    from the cache when it holds the model, else from the package (and then cached)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = MODEL_DIR / MODEL_FILE
    folder = _entry(source)
    parts = _read(folder) if folder is not None else None
    if parts is None:
        from py3langid.modelio import load_model

        parts = load_model(source)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)  # a damaged entry is made again
            _write(folder, parts)
    ptc, pc, classes, nextmove, row, output = parts
    # The table is float16; py3langid widens the rows an article uses to float32 for every
    # article it scores (half its scoring time). Widened once here (57 MB while the build
    # reads), the same float32 values go into the same product: the same probabilities,
    # bit for bit (tests/index/test_langid_model.py).
    table = np.asarray(ptc, dtype=np.float32)
    return LanguageIdentifier(
        table, np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row
    )


def _entry(source: Path) -> Path | None:
    """The cache folder for this model file (None: the file cannot be looked at)."""
    try:
        stat = source.stat()
        version = metadata.version("py3langid")
    except (OSError, metadata.PackageNotFoundError):
        return None
    return cache_dir() / "langid" / f"{version}-{stat.st_size}-{stat.st_mtime_ns}"


def _read(folder: Path) -> tuple[Any, ...] | None:
    """The model's parts from a cache entry, or None when there is no usable entry."""
    try:
        loaded = {n: np.load(folder / f"{n}.npy", mmap_mode="r") for n in _NAMES}
    except (OSError, ValueError):
        return None
    ptc, pc, classes = loaded["ptc"], loaded["pc"], loaded["classes"]
    nextmove, row, output = loaded["nextmove"], loaded["row"], loaded["output"]
    if (
        ptc.ndim != 2
        or not ptc.shape[1] == len(pc) == len(classes)
        or len(nextmove) % 256
        or len(row) != len(output)
        or nextmove.dtype.itemsize not in _TYPECODE
        or row.dtype.itemsize not in _TYPECODE
    ):
        return None
    return (
        ptc,
        np.array(pc),
        classes.tolist(),
        _stdlib(nextmove),
        _stdlib(row),
        output.tolist(),
    )


def _stdlib(values: np.ndarray) -> array:
    """A numpy array of unsigned integers as the stdlib array py3langid indexes."""
    out = array(_TYPECODE[values.dtype.itemsize])
    out.frombytes(memoryview(np.ascontiguousarray(values)).cast("B"))
    return out


def _write(folder: Path, parts: tuple[Any, ...]) -> None:
    """Write a cache entry whole, or not at all; any failure leaves no entry behind."""
    arrays = dict(zip(_NAMES, parts, strict=True))
    tmp: str | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".part-", dir=folder.parent)
        for name, value in arrays.items():
            if isinstance(value, array):
                value = np.frombuffer(value, dtype=f"u{value.itemsize}")
            np.save(Path(tmp) / f"{name}.npy", np.asarray(value), allow_pickle=False)
        os.rename(tmp, folder)
        tmp = None
        _forget_others(folder)
    except OSError:
        pass  # another build wrote it first, or the cache cannot be written: load as before
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _forget_others(folder: Path) -> None:
    """Remove the cache's entries for other model files: each reinstall or upgrade of
    py3langid makes a new entry (67 MB), and the old ones would pile up. (Two installs
    used in turn on one machine rewrite their entry each time: a second a build.) An
    entry still being written by another build (`.part-*`) is left alone."""
    for other in folder.parent.iterdir():
        if other != folder and not other.name.startswith(".part-"):
            shutil.rmtree(other, ignore_errors=True)
