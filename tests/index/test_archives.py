"""Zipped and tarred folders read in place (issue 19): members as files, never unpacked,
and every way an archive can be hostile skipped with its reason."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from index.build import build_index
from search.engine import Engine
from tests.conftest import SEEDS
from tests.helpers import run_warta

PAGES = sorted(SEEDS.glob("*.txt"))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _seed_members(prefix: str = "scrape/") -> dict[str, bytes]:
    return {f"{prefix}{p.name}": p.read_bytes() for p in PAGES}


def test_a_zip_is_read_as_a_folder_in_place(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _zip(folder / "scrape.zip", _seed_members())
    report = build_index(folder, tmp_path / "ix")
    assert report.indexed == len(PAGES) and not report.skipped
    engine = Engine(tmp_path / "ix")
    paths = sorted(a.path for a in engine.iter_articles())
    assert paths == [f"scrape.zip!/scrape/{p.name}" for p in PAGES]
    assert list(folder.iterdir()) == [folder / "scrape.zip"]  # nothing unpacked
    hit = engine.search("rudal").hits[0]
    raw = run_warta("show", hit.id, "--raw", "--index", str(tmp_path / "ix"))
    assert raw.returncode == 0 and "Korut" in raw.stdout


def test_a_tar_gz_is_read_too_and_update_skips_it_when_unchanged(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with tarfile.open(folder / "scrape.tar.gz", "w:gz") as tf:
        for p in PAGES:
            tf.add(p, arcname=f"kompas/{p.name}")
    report = build_index(folder, tmp_path / "ix")
    assert report.indexed == len(PAGES) and not report.skipped
    again = build_index(folder, tmp_path / "ix", update=True)
    assert again.unchanged == len(PAGES) and again.indexed == 0


def test_hostile_members_are_skipped_with_their_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    page = PAGES[0].read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("a.txt", page)
    members = {
        "../../escape.txt": page,
        "/etc/passwd.txt": page,
        "ok/page.txt": page,
        "bomb.txt": b"\0" * (6 * 1024 * 1024),  # compresses to a few KiB, declares 6 MiB
        "nested.zip": inner.getvalue(),
    }
    _zip(folder / "evil.zip", members)
    # An encrypted member: its flag says so (set in the local and the central header).
    data = bytearray(_zip(folder / "locked.zip", {"secret.txt": page}).read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    (folder / "locked.zip").write_bytes(bytes(data))
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip at all")
    report = build_index(folder, tmp_path / "ix")
    reasons = dict(report.skipped)
    assert reasons["evil.zip!/../../escape.txt"].startswith("unsafe path")
    assert reasons["evil.zip!//etc/passwd.txt"].startswith("unsafe path")
    assert reasons["evil.zip!/bomb.txt"].startswith("larger than 5 MiB")
    assert reasons["evil.zip!/nested.zip"].startswith("an archive inside an archive")
    assert reasons["locked.zip!/secret.txt"].startswith("encrypted")
    assert reasons["broken.zip"].startswith("unreadable archive")
    assert report.indexed == 1  # ok/page.txt
    assert not (tmp_path / "escape.txt").exists() and not (folder.parent / "escape.txt").exists()
