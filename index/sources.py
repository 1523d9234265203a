"""Finding and decoding the files of an archive folder.

Every way a file can be bad ends here as a `Skipped` with a reason for the report: a bad
file never ends a build.
"""

from __future__ import annotations

import errno
import os
import stat
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from index.errors import SkipFile, SourceError

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Found:
    """A regular file under the archive folder, not read yet."""

    path: Path
    rel: str  # posix path relative to the archive folder
    ext: str
    size: int
    mtime_ns: int
    # A member of a zip or tar file at `path` (index.archives): its name there.
    member: str | None = None

    @property
    def signature(self) -> str:
        """Changes when the file changes: what --update compares."""
        return f"{self.size}:{self.mtime_ns}"


@dataclass(frozen=True)
class Skipped:
    rel: str
    reason: str


class FoundList:
    """The files a build will read, in order, held compactly: a build keeps every one
    from the first pass to the last, and a `Found` (its Path, its strings) costs about
    750 bytes, 0.75 GB for a million pages in the main process (and in every process it
    forks). Here a file whose path is the folder's path and its `rel` (a page found by
    `discover`) costs its `rel` in UTF-8 and three integers; any other (an archive's
    member, a renamed odd name) is kept as it came. Iterating gives `Found`s equal to
    those appended."""

    def __init__(self) -> None:
        self._prefix: str | None = None
        self._rels = bytearray()
        self._ends = array("q")
        self._sizes = array("q")
        self._mtimes = array("q")
        self._odd: dict[int, Found] = {}

    def append(self, f: Found) -> None:
        path = str(f.path)
        if self._prefix is None and f.member is None and path.endswith("/" + f.rel):
            self._prefix = path[: len(path) - len(f.rel)]
        rel = None
        if (
            f.member is None
            and self._prefix is not None
            and path == self._prefix + f.rel
            and extension(f.rel.rpartition("/")[2]) == f.ext
        ):
            try:
                rel = f.rel.encode("utf-8")
            except UnicodeEncodeError:
                rel = None
        if rel is None:
            self._odd[len(self._ends)] = f
        else:
            self._rels += rel
        self._ends.append(len(self._rels))
        self._sizes.append(f.size)
        self._mtimes.append(f.mtime_ns)

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> Found:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        odd = self._odd.get(i)
        if odd is not None:
            return odd
        start = self._ends[i - 1] if i else 0
        rel = self._rels[start : self._ends[i]].decode("utf-8")
        name = rel.rpartition("/")[2]
        path = Path(f"{self._prefix}{rel}")
        return Found(path, rel, extension(name), self._sizes[i], self._mtimes[i])

    def __iter__(self) -> Iterator[Found]:
        for i in range(len(self)):
            yield self[i]

    def total_size(self) -> int:
        return sum(self._sizes)


def discover(root: Path) -> Iterator[Found | Skipped]:
    """Every file under root, in a stable order; symlinks followed once, loops reported.

    Hidden directories (.git, .cache) are not archive content and are passed over quietly.
    """
    try:
        root_real = root.resolve(strict=True)
    except (OSError, RuntimeError) as err:
        raise SourceError(f"{root}: cannot read folder ({_why(err)})") from None
    if not root_real.is_dir():
        raise SourceError(f"{root}: not a folder")
    from index.archives import is_archive, members

    for item in _walk(root_real, "", {_dir_key(root_real)}):
        if isinstance(item, Found) and is_archive(item.rel):
            yield from members(item)  # a zipped or tarred folder: its files, in place
        else:
            yield item


def shown_name(name: str) -> str:
    """A file name as Warta stores and shows it. A name that is not valid UTF-8 (the
    bytes of another encoding, kept by Python as surrogates) gets its bad bytes written
    as \\xNN: every name can be stored, printed and reported, and the file is still read
    through its real path."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _dir_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)


def _walk(directory: Path, prefix: str, active: set[tuple[int, int]]) -> Iterator[Found | Skipped]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        yield Skipped(prefix.rstrip("/") or ".", f"unreadable folder ({_why(err)})")
        return
    for entry in entries:
        rel = prefix + shown_name(entry.name)
        if entry.name.startswith("."):
            continue
        try:
            st = os.stat(entry.path)  # follows symlinks
        except FileNotFoundError:
            yield Skipped(rel, "broken symlink")
            continue
        except OSError as err:
            reason = "symlink loop" if err.errno == 40 else f"unreadable ({_why(err)})"
            yield Skipped(rel, reason)
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in active:
                yield Skipped(rel, "symlink loop")
                continue
            active.add(key)
            yield from _walk(Path(entry.path), rel + "/", active)
            active.discard(key)
        elif stat.S_ISREG(st.st_mode):
            yield Found(Path(entry.path), rel, extension(entry.name), st.st_size, st.st_mtime_ns)
        else:
            yield Skipped(rel, "not a regular file")


def extension(name: str) -> str:
    """What a file's format is read by: its last suffix, or `.warc.gz` (a web archive,
    not any gzipped file)."""
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return ".warc.gz"
    return os.path.splitext(lower)[1]


def read_bytes(found: Found) -> bytes:
    """The file's bytes, or SkipFile for empty, oversized and unreadable files."""
    if found.size > MAX_FILE_BYTES:
        raise SkipFile(f"larger than 5 MiB ({found.size / 1048576:.1f} MiB)")
    try:
        if found.member is None:
            data = _read_regular(found.path, MAX_FILE_BYTES + 1)
        else:
            with open_found(found) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise SkipFile(f"unreadable ({_why(err)})") from None
    if len(data) > MAX_FILE_BYTES:
        raise SkipFile("larger than 5 MiB")
    if not data.strip():
        raise SkipFile("empty file")
    return data


def open_found(found: Found) -> BinaryIO:
    """A found file's bytes: the file, or its member of a zip or tar file."""
    if found.member is not None:
        from index.archives import open_member

        return open_member(found.path, found.member)
    return open_regular(found.path)


def open_source(root: Path, rel: str) -> BinaryIO:
    """The source of an indexed article by its path under the archive folder, a member
    of a zip or tar file included (`scrape.zip!/kompas/a.txt`)."""
    from index.archives import open_member, split_member

    archive, member = split_member(rel)
    if member is not None:
        return open_member(root / archive, member)
    return open_regular(root / rel)


def open_regular(path: Path | str) -> BinaryIO:
    """A regular file opened for reading, checked on the open descriptor: a FIFO, a device
    or a socket put where a file was listed is refused at once (OSError), never waited on
    or read for ever. Opened non-blocking, so opening a FIFO cannot hang either."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_regular(path: Path | str, limit: int) -> bytes:
    """At most `limit` bytes of a regular file, checked as `open_regular` checks it.

    Every page of a build is read twice (the template pass, then the build), and a file
    object costs some ten system calls for one small file (open, fstat and fcntl twice,
    the buffer's own fstat and seek, reads, close), which on a virtual machine is most of
    a page's reading time. Here: open, fstat, a read of the size fstat gave (and one more
    to see the end), close.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        chunks: list[bytes] = []
        got = 0
        want = min(info.st_size + 1, limit)
        while got < limit:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            want = min(limit - got, 1 << 16)  # a file that grew since: read on, to the limit
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Latin-1 is the last resort: every byte decodes, and for the bytes where Windows-1252
    has no character it is what the file most likely meant.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SkipFile("undecodable UTF-16 text") from None
    if _looks_binary(data):
        raise SkipFile("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# Every byte but the control characters text never holds (tab, newlines, form feed and
# escape are allowed): deleting these leaves the suspicious bytes, counted in C.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return controls > len(head) * 0.05


def read_text(found: Found) -> str:
    text = decode_text(read_bytes(found))
    if not text.strip():
        raise SkipFile("empty file")
    return text


def _why(err: OSError) -> str:
    return (err.strerror or str(err)).lower()
