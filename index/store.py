"""The index directory: generations, the CURRENT pointer, the writer's lock, meta.json.

Layout of an index directory:
    CURRENT           name of the live generation (replaced atomically)
    gen-<stamp>/      a whole Whoosh index plus its meta.json
    stems.json        the persisted stem cache, shared by all generations
    .lock             held by the one process that builds

A build writes a new generation beside the live one and swaps CURRENT with os.replace, so
an interrupted, failed or concurrent build leaves the live index whole, and readers that
hold the old generation keep working.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from index.errors import (
    IndexDamagedError,
    IndexLockedError,
    IndexMissingError,
    IndexVersionError,
)
from index.schema import SCHEMA_VERSION
from index.segment.arrays import EXT as ARRAYS_EXT

CURRENT = "CURRENT"
STEMS = "stems.json"
META = "meta.json"
LOCK = ".lock"


@dataclass(frozen=True)
class Generation:
    """The live index: its Whoosh directory and its meta.json."""

    path: Path
    meta: dict[str, Any]


def missing_message(index_dir: Path) -> str:
    return f"no index at {index_dir} — build one with: warta index DIR"


def current_generation(index_dir: Path) -> Generation:
    """The live generation, or IndexMissingError / IndexVersionError with a one-line reason."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexMissingError(f"index path {index_dir} is a file, not an index folder")
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(missing_message(index_dir)) from None
    except NotADirectoryError:
        raise IndexMissingError(f"index path {index_dir} is not a folder") from None
    except OSError as err:
        raise IndexMissingError(f"cannot read index at {index_dir}: {err.strerror}") from None
    except ValueError:  # not text: a CURRENT pointer overwritten with bytes
        raise IndexMissingError(damaged_message(index_dir, "its CURRENT pointer")) from None
    if not _GENERATION.fullmatch(name):
        raise IndexMissingError(damaged_message(index_dir, "its CURRENT pointer"))
    gen = index_dir / name
    try:
        meta = orjson.loads((gen / META).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        raise IndexMissingError(damaged_message(index_dir, f"no {name}/{META}")) from None
    if not isinstance(meta, dict):
        raise IndexMissingError(damaged_message(index_dir, f"{name}/{META} is not an object"))
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexVersionError(
            f"index at {index_dir} has schema version {meta.get('schema_version')}, this Warta "
            f"reads version {SCHEMA_VERSION} — rebuild the index with: warta index DIR"
        )
    return Generation(gen, meta)


def damaged_message(index_dir: Path, what: str) -> str:
    return f"index at {index_dir} is damaged ({what}) — rebuild it with: warta index DIR"


_GENERATION = re.compile(r"gen-[0-9A-Za-z-]{1,80}")


def generation_token(index_dir: Path) -> str | None:
    """Cheap check for "was the index rebuilt?": the CURRENT pointer's content (None when
    there is none, or it is not one: a damaged pointer never stops a rebuild)."""
    try:
        token = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return None
    return token if _GENERATION.fullmatch(token) else None


def new_generation_dir(index_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = index_dir / f"gen-{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000}.tmp"
    path.mkdir(parents=True)
    return path


#: Files up to this size are checksummed on every open (the table of contents, small
#: columns); larger ones are checked for their size only, which catches truncation.
CHECK_ON_OPEN = 1 << 20


def file_checksums(gen_dir: Path) -> dict[str, list[int]]:
    """[size, crc32] of every Whoosh file of a finished generation, for meta.json.

    Not of the segments' postings arrays (index.segment.arrays): they check themselves,
    term by term, and a damaged one costs speed, so it must not refuse the index."""
    sums: dict[str, list[int]] = {}
    for path in sorted(gen_dir.iterdir()):
        if path.is_file() and path.name != META and not path.name.endswith(ARRAYS_EXT):
            crc = 0
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    crc = zlib.crc32(chunk, crc)
            sums[path.name] = [path.stat().st_size, crc]
    return sums


def _not_writable_by_others(gen_dir: Path) -> None:
    """A generation only its owner can change, whatever the umask: opening refuses one
    that others could write to (where anyone could have planted files)."""
    for path in (gen_dir, *gen_dir.iterdir()):
        with contextlib.suppress(OSError):
            mode = path.stat().st_mode
            if mode & stat.S_IWOTH:
                path.chmod(stat.S_IMODE(mode) & ~stat.S_IWOTH)


def check_permissions(gen: Generation, index_dir: Path) -> None:
    """IndexDamagedError-like refusal (as ssh refuses a key others can write) when the
    live generation or any of its files is writable by every user."""
    for path in (gen.path, *gen.path.iterdir()):
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if mode & stat.S_IWOTH:
            raise IndexMissingError(
                f"index at {index_dir} is writable by every user ({path.name}): anyone could "
                f"have changed it — fix it with: chmod -R o-w {gen.path}, or rebuild it"
            )


def verify_files(gen: Generation, index_dir: Path) -> None:
    """IndexDamagedError when a file of the generation is missing, has changed size, or
    (for the small ones) no longer has the checksum the build wrote. Lucene checks its
    segment files the same way; whole-file checksums of the big ones would cost a read
    of the whole index on every open."""
    sums = gen.meta.get("files")
    if not isinstance(sums, dict):
        return  # built before checksums were kept
    for name, expected in sums.items():
        path = gen.path / name
        try:
            size = path.stat().st_size
        except OSError:
            raise IndexDamagedError(damaged_message(index_dir, f"{name} is missing")) from None
        if not isinstance(expected, list) or len(expected) != 2 or size != expected[0]:
            raise IndexDamagedError(damaged_message(index_dir, f"{name} has changed size"))
        if size <= CHECK_ON_OPEN and zlib.crc32(path.read_bytes()) != expected[1]:
            raise IndexDamagedError(damaged_message(index_dir, f"{name} fails its checksum"))


def write_meta(gen_dir: Path, meta: dict[str, Any]) -> None:
    (gen_dir / META).write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2))


def publish(index_dir: Path, tmp_dir: Path) -> Path:
    """Make a finished generation live: rename it into place, then swap CURRENT atomically."""
    _not_writable_by_others(tmp_dir)
    final = tmp_dir.with_suffix("")
    tmp_dir.rename(final)
    _fsync_dir(final)
    pointer_tmp = index_dir / (CURRENT + ".tmp")
    with open(pointer_tmp, "w", encoding="utf-8") as fh:
        fh.write(final.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    return final


def prune(index_dir: Path, keep: int = 2) -> None:
    """Remove old generations and leftovers of crashed builds; keep the newest `keep`.

    The one before the live generation is kept so a reader that opened it a moment ago
    is not pulled from under its feet on systems that do not keep unlinked files open.
    Only called by the lock holder.
    """
    live = generation_token(index_dir)
    gens = sorted(p for p in index_dir.glob("gen-*") if p.is_dir() and p.suffix != ".tmp")
    old = [p for p in gens if p.name != live][: max(0, len(gens) - keep)]
    leftovers = [p for p in index_dir.glob("gen-*.tmp") if p.is_dir()]
    for path in old + leftovers:
        shutil.rmtree(path, ignore_errors=True)
    for part in index_dir.glob("stems-*.part"):  # stem reports of a crashed build
        part.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[int | None]:
    """One builder per index: a second one fails at once instead of waiting.

    The lock is an flock on the lock file, so it dies with the process holding it: a
    build killed with SIGKILL leaves no stale lock to take over. Writer processes forked
    during the build share the open lock file; they release their copy at once
    (`release_inherited_lock`) so that the lock never outlives the build's own process.

    The holder writes its process id into the file (a held lock's message names it) and
    empties the file when it ends, however the build ends in Python. So a process id found
    there on taking the lock is a build that was killed: the body gets that id, to say so
    (its partial files are removed by `prune`), else None.
    """
    global _held_lock_fd
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexMissingError(f"index path {index_dir} is a file, not an index folder")
    index_dir.mkdir(parents=True, exist_ok=True)
    fh = open(index_dir / LOCK, "a+")  # noqa: SIM115 - held for the whole build
    held = False
    try:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            try:
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                raise IndexLockedError(_locked_message(index_dir)) from None
        except OSError:
            raise IndexLockedError(_locked_message(index_dir)) from None
        held = True
        fh.seek(0)
        killed = _pid_in(fh.read(64)) if _written_since_publish(fh, index_dir) else None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        _held_lock_fd = fh.fileno()
        yield killed if killed != os.getpid() else None
    finally:
        _held_lock_fd = None
        if held:  # the build ends here: nothing left to say it was killed
            with contextlib.suppress(OSError):
                fh.seek(0)
                fh.truncate()
        fh.close()


def _written_since_publish(fh: Any, index_dir: Path) -> bool:
    """Whether the lock file changed after the last generation was published: a holder
    that published and was then killed, or a lock file of a release that never emptied
    it, is not a build that died half-way."""
    try:
        current = (index_dir / CURRENT).stat().st_mtime_ns
    except OSError:
        return True
    return os.fstat(fh.fileno()).st_mtime_ns > current


def _pid_in(text: str) -> int | None:
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return int(first) if first.isdigit() and len(first) < 10 else None


_held_lock_fd: int | None = None


def release_inherited_lock() -> None:
    """In a process forked during a build: close this process's copy of the lock file,
    so that the lock is the building process's alone."""
    global _held_lock_fd
    if _held_lock_fd is not None:
        # /dev/null over the descriptor rather than closing it: the file object inherited
        # from the parent closes that number later, which must not be someone else's.
        with contextlib.suppress(OSError):
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, _held_lock_fd)
            os.close(null)
        _held_lock_fd = None


def _locked_message(index_dir: Path) -> str:
    holder = ""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        pid = _pid_in((index_dir / LOCK).read_text(encoding="ascii")[:64])
        if pid is not None:
            holder = f" (process {pid})"
    return (
        f"index at {index_dir} is being built by another warta process{holder}; "
        "try again when it ends"
    )
