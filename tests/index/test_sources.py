import os
from pathlib import Path

import pytest

from index.errors import SkipFile
from index.sources import Found, FoundList, Skipped, decode_text, discover, read_text


def _found(path, root):
    st = path.stat()
    return Found(path, path.relative_to(root).as_posix(), path.suffix, st.st_size, st.st_mtime_ns)


def test_utf8_with_and_without_bom():
    assert decode_text(b"Jumat, kekhawatiran") == "Jumat, kekhawatiran"
    assert decode_text(b"\xef\xbb\xbf" + "Café".encode()) == "Café"


def test_windows_1252_and_latin1_keep_their_accents():
    text = "Café “Bandung” – naïve"
    assert decode_text(text.encode("cp1252")) == text
    assert decode_text("Curaçao ¿qué?".encode("latin-1")) == "Curaçao ¿qué?"


def test_utf16_with_bom():
    assert decode_text("Korea Utara".encode("utf-16")) == "Korea Utara"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"  \n\t \n", "empty file"), (b"\x00\x01\x02PNG\x00" * 50, "binary")],
)
def test_bad_contents_are_skipped_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        read_text(_found(path, tmp_path))


def test_oversized_file_is_skipped_without_reading_it(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:
        fh.truncate(5 * 1024 * 1024 + 1)
    with pytest.raises(SkipFile, match="larger than 5 MiB"):
        read_text(_found(path, tmp_path))


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("isi")
    real_open = os.open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)  # files are opened with os.open (open_regular)
    with pytest.raises(SkipFile, match="unreadable \\(permission denied\\)"):
        read_text(_found(path, tmp_path))


def test_discover_reports_broken_symlinks_and_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.txt").write_text("x")
    (tmp_path / "a" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "a" / "up").symlink_to(tmp_path)  # a directory loop
    (tmp_path / "self1.txt").symlink_to(tmp_path / "self2.txt")
    (tmp_path / "self2.txt").symlink_to(tmp_path / "self1.txt")  # a file loop
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    items = list(discover(tmp_path))
    found = [i.rel for i in items if isinstance(i, Found)]
    skipped = {i.rel: i.reason for i in items if isinstance(i, Skipped)}
    assert found == ["a/page.txt"]
    assert skipped == {
        "a/dangling.txt": "broken symlink",
        "a/up": "symlink loop",
        "self1.txt": "symlink loop",
        "self2.txt": "symlink loop",
    }


def test_symlinked_folder_is_followed_once(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "p.txt").write_text("x")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(real, root / "link")
    assert [i.rel for i in discover(root)] == ["link/p.txt"]


def test_the_found_list_gives_back_what_was_found(tmp_path: Path) -> None:
    """A build's files held compactly: the same `Found`s, in order, odd ones included."""
    (tmp_path / "a").mkdir()
    for name in ("a/one.txt", "a/Two.HTML", "b.csv", "c.warc.gz", "noext"):
        (tmp_path / name).write_bytes(b"x" * len(name))
    found = [f for f in discover(tmp_path) if isinstance(f, Found)]
    odd = Found(tmp_path / "z.zip", "z.zip/inner.txt", ".txt", 3, 4, member="inner.txt")
    elsewhere = Found(Path("/elsewhere/x.txt"), "x.txt", ".txt", 1, 2)
    items = [*found[:2], odd, *found[2:], elsewhere]
    held = FoundList()
    for f in items:
        held.append(f)
    assert list(held) == items and len(held) == len(items)
    assert held[-1] == elsewhere and held[2] == odd and held[0] == items[0]
    assert held.total_size() == sum(f.size for f in items)
    with pytest.raises(IndexError):
        held[len(items)]


def test_a_page_is_read_whole_and_one_that_grew_past_the_limit_is_skipped(tmp_path: Path):
    """read_bytes reads a regular file by its descriptor: all of it, whatever size the
    listing saw, and never more than the limit (a file that grew since is refused)."""
    from index import sources

    page = tmp_path / "a.txt"
    text = "Banjir melanda Jakarta. " * 5000  # 120 KB: more than one read of the old size
    page.write_text(text, encoding="utf-8")
    listed = Found(page, "a.txt", ".txt", 10, 0)  # listed when it was 10 bytes long
    assert sources.read_bytes(listed) == text.encode()
    page.write_bytes(b"x" * (sources.MAX_FILE_BYTES + 10))
    with pytest.raises(SkipFile, match="larger than 5 MiB"):
        sources.read_bytes(listed)
    assert sources._read_regular(page, 100) == b"x" * 100
