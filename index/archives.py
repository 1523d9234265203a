"""Zipped and tarred folders (.zip, .tar, .tar.gz, .tgz) read as folders (issue 19).

Archives are how scrapes are mailed and downloaded. Their members are listed as files of
the folder, with paths like `scrape.zip!/kompas/2023/a.txt`, and read straight out of the
archive, never unpacked to disk. The rules of a folder hold for each member, and an
archive adds its own dangers, each a member skipped with its reason:

- a name that climbs out (`../../x`, `/etc/passwd`, `C:\\x`): never read, never written;
- a declared size past the 5 MiB page cap (a zip bomb announces itself here; one that
  lies is cut at the cap by the readers, which never read more than it);
- an encrypted member, a link or a device in a tar, an archive inside an archive.

A member's signature for `--update` is its size and the archive's modification time: a
changed archive is read again whole.
"""

from __future__ import annotations

import contextlib
import os
import re
import tarfile
import weakref
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from index.sources import Found, Skipped, extension, open_regular, shown_name

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
#: Members an archive may list before the rest is left (a listing is read whole).
MAX_MEMBERS = 1_000_000
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _safe_name(name: str) -> str | None:
    """The member's path inside the archive, or None when it climbs out of it."""
    path = name.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path):
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def members(archive: Found) -> Iterator[Found | Skipped]:
    """Every member of an archive as a Found (or a Skipped with its reason)."""
    try:
        if archive.rel.lower().endswith(".zip"):
            yield from _zip_members(archive)
        else:
            yield from _tar_members(archive)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as err:
        yield Skipped(archive.rel, f"unreadable archive ({str(err)[:80] or type(err).__name__})")


def _member(archive: Found, name: str, size: int) -> Found | Skipped:
    safe = _safe_name(name)
    shown = shown_name(name)
    if safe is None:
        return Skipped(f"{archive.rel}!/{shown}", "unsafe path in the archive (not read)")
    rel = f"{archive.rel}!/{shown_name(safe)}"
    if is_archive(safe):
        return Skipped(rel, "an archive inside an archive (not read)")
    return Found(archive.path, rel, extension(safe), size, archive.mtime_ns, member=safe)


# A member as listed: its name, declared size, whether it is a folder, and why it cannot be
# read (None: it can).
Entry = tuple[str, int, bool, str | None]


def _zip_members(archive: Found) -> Iterator[Found | Skipped]:
    with open_regular(archive.path) as fh, zipfile.ZipFile(fh) as zf:
        entries = (
            (i.filename, i.file_size, i.is_dir(), "encrypted" if i.flag_bits & 0x1 else None)
            for i in zf.infolist()
        )
        yield from _listed(archive, entries)


def _tar_members(archive: Found) -> Iterator[Found | Skipped]:
    with open_regular(archive.path) as fh, tarfile.open(fileobj=fh, mode="r:*") as tf:
        entries = (
            (i.name, i.size, i.isdir(), None if i.isfile() else "a link or device in the archive")
            for i in tf
        )
        yield from _listed(archive, entries)


def _listed(archive: Found, entries: Iterator[Entry]) -> Iterator[Found | Skipped]:
    """The members of a listing, up to MAX_MEMBERS, folders passed over."""
    for n, (name, size, is_dir, refused) in enumerate(entries):
        if n >= MAX_MEMBERS:
            yield Skipped(archive.rel, f"more than {MAX_MEMBERS:,} members: the rest left")
            return
        if is_dir:
            continue
        item = _member(archive, name, size)
        yield (
            Skipped(item.rel, f"{refused} (not read)")
            if refused and isinstance(item, Found)
            else item
        )


def open_member(archive_path: os.PathLike[str] | str, member: str) -> BinaryIO:
    """A member's bytes as a stream; the archive is closed when the stream is."""
    fh = open_regular(archive_path)
    try:
        if str(archive_path).lower().endswith(".zip"):
            zf = zipfile.ZipFile(fh)
            try:
                stream: BinaryIO = zf.open(member)  # type: ignore[assignment]
            except RuntimeError as err:  # encrypted
                raise OSError(f"cannot read {member}: {err}") from None
            weakref.finalize(stream, _close_all, zf, fh)
            return stream
        tf = tarfile.open(fileobj=fh, mode="r:*")  # noqa: SIM115 - closed with the stream
        extracted = tf.extractfile(member)
        if extracted is None or not tf.getmember(member).isfile():
            raise OSError(f"{member} is not a file in the archive")
        weakref.finalize(extracted, _close_all, tf, fh)
        return extracted  # type: ignore[return-value]
    except (KeyError, zipfile.BadZipFile, tarfile.TarError) as err:
        fh.close()
        raise OSError(f"cannot read {member} in the archive ({err})") from None
    except BaseException:
        fh.close()
        raise


def _close_all(*closables: object) -> None:
    for c in closables:
        close = getattr(c, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):  # closing after a failed read
                close()


def split_member(rel: str) -> tuple[str, str | None]:
    """`scrape.zip!/kompas/a.txt` → ("scrape.zip", "kompas/a.txt"); a plain path → (rel, None)."""
    archive, sep, member = rel.partition("!/")
    if not sep or not is_archive(archive):
        return rel, None
    return archive, str(PurePosixPath(member))
