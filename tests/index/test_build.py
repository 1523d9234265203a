import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from whoosh import index as whoosh_index

from index import store
from index.article import CONTRACT_KEYS
from index.build import build_index
from index.errors import IndexLockedError, WartaError
from index.summary import report_lines
from tests.helpers import run_warta

NAV_PAGE = "Home\nNews\nSport\nTekno\nOtomotif\nKontak Kami\nTentang Kami\nPedoman Media Siber\n"


def _docs(index_dir: Path) -> dict[str, dict]:
    gen = store.current_generation(index_dir)
    ix = whoosh_index.open_dir(str(gen.path))
    try:
        with ix.searcher() as s:
            return {f["source"]: f for f in s.all_stored_fields()}
    finally:
        ix.close()


def test_seeds_build_reports_every_article(seeds_dir, tmp_path):
    report = build_index(seeds_dir, tmp_path / "ix")
    assert report.indexed == 5
    assert report.skipped == []
    assert report.duplicates == 0
    assert report.total_articles == 5
    assert sum(report.outlets.values()) == 5
    meta = store.current_generation(tmp_path / "ix").meta
    assert meta["report"]["indexed"] == 5
    assert meta["source"] == str(seeds_dir)


def test_bad_files_are_skipped_with_reasons_and_never_stop_the_build(archive, tmp_path):
    (archive / "empty.txt").write_text("")
    (archive / "blank.txt").write_text("   \n\n  ")
    (archive / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 100)
    (archive / "nav.txt").write_text(NAV_PAGE)
    (archive / "page.pdf").write_bytes(b"%PDF-1.4")
    (archive / "dangling.txt").symlink_to(archive / "gone.txt")
    with open(archive / "huge.txt", "wb") as fh:
        fh.truncate(6 * 1024 * 1024)
    report = build_index(archive, tmp_path / "ix")
    reasons = dict(report.skipped)
    assert report.indexed == 5
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert reasons["image.txt"] == "binary file"
    assert reasons["nav.txt"] == "no article body"
    assert reasons["page.pdf"].startswith("unsupported format")
    assert reasons["dangling.txt"] == "broken symlink"
    assert reasons["huge.txt"].startswith("larger than 5 MiB")


def test_ids_are_stable_across_rebuilds(seeds_dir, tmp_path):
    build_index(seeds_dir, tmp_path / "ix")
    first = {k: v["id"] for k, v in _docs(tmp_path / "ix").items()}
    build_index(seeds_dir, tmp_path / "ix")
    assert {k: v["id"] for k, v in _docs(tmp_path / "ix").items()} == first


def test_same_article_saved_twice_is_indexed_once(archive, tmp_path):
    shutil.copy(archive / "000_cdbdf95fd593b164.txt", archive / "copy-of-000.txt")
    report = build_index(archive, tmp_path / "ix")
    assert report.indexed == 5
    assert report.duplicates == 1


def test_update_indexes_only_new_and_changed_files_and_drops_deleted(archive, tmp_path):
    ix = tmp_path / "ix"
    build_index(archive, ix)
    (archive / "004_d72102ca8306deaf.txt").unlink()
    changed = archive / "000_cdbdf95fd593b164.txt"
    changed.write_text(
        changed.read_text().replace("dua kali", "tiga kali") + "\n", encoding="utf-8"
    )
    new = archive / "sub" / "005.txt"
    new.parent.mkdir()
    new.write_text(
        (archive / "003_5718ed46a52a3cac.txt")
        .read_text()
        .replace("Pada Maret lalu", "Pada April lalu")
    )
    report = build_index(archive, ix, update=True)
    assert report.mode == "update"
    assert report.unchanged == 3
    assert report.removed == 1
    assert report.indexed == 2  # the changed file and the new one (not a duplicate: edited)
    docs = _docs(ix)
    assert "004_d72102ca8306deaf.txt" not in docs
    assert "sub/005.txt" in docs
    assert "tiga kali" in docs["000_cdbdf95fd593b164.txt"]["body"]
    assert report.total_articles == 5


def test_update_without_an_index_says_how_to_build_one(archive, tmp_path):
    with pytest.raises(WartaError, match="no index at"):
        build_index(archive, tmp_path / "ix", update=True)


def test_interrupted_build_leaves_the_previous_index_whole(archive, tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    build_index(archive, ix)
    before = _docs(ix)
    calls = {"n": 0}
    import index.build as build_module

    real = build_module.read_parsed

    def interrupt_on_third(found, *args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(found, *args)

    monkeypatch.setattr(build_module, "read_parsed", interrupt_on_third)
    (archive / "000_cdbdf95fd593b164.txt").unlink()
    with pytest.raises(KeyboardInterrupt):
        build_index(archive, ix)
    assert _docs(ix).keys() == before.keys()
    assert not list(ix.glob("*.tmp"))


def test_full_disk_mid_build_keeps_the_previous_index(archive, tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    build_index(archive, ix)
    import index.build as build_module

    def disk_full(found, *args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module, "read_parsed", disk_full)
    with pytest.raises(WartaError, match="No space left on device — the previous index is kept"):
        build_index(archive, ix)
    assert len(_docs(ix)) == 5


def test_a_second_build_fails_at_once_while_one_runs(archive, tmp_path):
    ix = tmp_path / "ix"
    with store.writer_lock(ix), pytest.raises(IndexLockedError, match="another warta process"):
        build_index(archive, ix)


def test_a_build_killed_half_way_is_named_by_the_next_one(archive, tmp_path):
    ix = tmp_path / "ix"
    first = build_index(archive, ix)
    assert first.killed_build is None
    assert (ix / store.LOCK).read_text() == ""  # a build that ended leaves no process id
    # What a build killed before it published leaves: its process id, written after the
    # live generation was published.
    (ix / store.LOCK).write_text("4242\n")
    report = build_index(archive, ix)
    assert report.killed_build == 4242
    assert any("earlier build (process 4242) was stopped" in line for line in report_lines(report))
    assert build_index(archive, ix).killed_build is None


def test_a_lock_file_older_than_the_live_index_is_no_killed_build(archive, tmp_path):
    # A holder killed after it published, or a lock file of a release that never emptied
    # it: the index it left is whole, so nothing is said.
    ix = tmp_path / "ix"
    build_index(archive, ix)
    (ix / store.LOCK).write_text("4242\n")
    current = (ix / store.CURRENT).stat().st_mtime_ns
    os.utime(ix / store.LOCK, ns=(current - 10**9, current - 10**9))
    assert build_index(archive, ix).killed_build is None


def test_a_held_lock_names_its_process(archive, tmp_path):
    ix = tmp_path / "ix"
    with store.writer_lock(ix):
        with pytest.raises(IndexLockedError) as err:
            build_index(archive, ix)
        assert f"(process {os.getpid()})" in str(err.value)
        assert (ix / store.LOCK).read_text() == f"{os.getpid()}\n"  # left as it was
    assert (ix / store.LOCK).read_text() == ""


def test_cli_second_build_exits_with_a_clear_message(archive, tmp_path):
    ix = tmp_path / "ix"
    with store.writer_lock(ix):
        proc = subprocess.run(
            [sys.executable, "-m", "warta", "index", str(archive), "--index", str(ix)],
            capture_output=True,
            text=True,
        )
    assert proc.returncode == 1
    assert "being built by another warta process" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_index_report_and_export(archive, tmp_path):
    ix = tmp_path / "ix"
    (archive / "nav.txt").write_text(NAV_PAGE)
    proc = subprocess.run(
        [sys.executable, "-m", "warta", "index", str(archive), "--index", str(ix)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Indexed 5 articles from 6 files" in proc.stdout
    assert "nav.txt: no article body" in proc.stdout
    assert "indexing: 6/6 files" in proc.stderr  # plain progress lines when not a terminal
    proc = subprocess.run(
        [sys.executable, "-m", "warta", "export", "--index", str(ix)],
        capture_output=True,
    )
    assert proc.returncode == 0
    rows = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 5
    assert all(tuple(row) == CONTRACT_KEYS for row in rows)


def test_cli_export_without_index_exits_1(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "warta", "export", "--index", str(tmp_path / "none")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"warta: no index at {tmp_path / 'none'} — build one with: warta index DIR"
    )


def test_cli_rejects_a_missing_folder(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "warta",
            "index",
            str(tmp_path / "nope"),
            "--index",
            str(tmp_path / "ix"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "cannot read folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_windows_1252_page_indexes_with_its_accents(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    page = (
        "Kafe Tua di Bandung Tetap Ramai\n"
        "Senin, 13 November 2023 - 09:15 WIB\n"
        "BANDUNG - Café “Sudut Kota” di Jalan Braga tetap ramai dikunjungi pelancong, "
        "kata pemiliknya, René Sutanto, kepada wartawan.\n"
        "Menurut René, pengunjung datang untuk menikmati kopi dan suasana gedung tua.\n"
    )
    (src / "kafe.txt").write_bytes(page.encode("cp1252"))
    build_index(src, tmp_path / "ix")
    (doc,) = _docs(tmp_path / "ix").values()
    assert "Café “Sudut Kota”" in doc["body"]
    assert "René Sutanto" in doc["body"]
    assert "\ufffd" not in doc["body"] and "Ã" not in doc["body"]


@pytest.mark.parametrize("after_publish", [False, True], ids=["before", "after"])
def test_ctrl_c_says_which_index_the_user_has(archive, tmp_path, monkeypatch, after_publish):
    """Ctrl-C while a finished build tidies up (the new generation already live) must not
    claim the previous index was kept."""
    ix = tmp_path / "ix"
    build_index(archive, ix)
    live = store.generation_token(ix)
    real_prune = store.prune
    calls = {"n": 0}

    def prune(index_dir, keep=2):
        calls["n"] += 1
        if calls["n"] == (2 if after_publish else 1):
            raise KeyboardInterrupt
        real_prune(index_dir, keep)

    monkeypatch.setattr(store, "prune", prune)
    ran = run_warta("index", str(archive), "--index", str(ix))
    assert ran.returncode == 130
    if after_publish:
        assert store.generation_token(ix) != live
        assert "the new index was already in place" in ran.stderr
    else:
        assert store.generation_token(ix) == live
        assert "the previous index is kept" in ran.stderr


def test_an_index_that_also_indexed_its_columns_updates_and_filters_as_a_new_one(
    archive, tmp_path, monkeypatch
):
    """Indexes built before `published`, `words`, `path`, `content_key` and `story` were
    left unindexed (index.schema.UNINDEXED) keep their own schema: an --update writes
    them as they were, and every date filter and story answers as in a new build."""
    from datetime import date

    from index import schema
    from search.engine import Engine
    from search.models import Filters

    old, new = tmp_path / "old", tmp_path / "new"
    monkeypatch.setattr(schema, "UNINDEXED", ())
    build_index(archive, old)
    monkeypatch.undo()
    extra = archive / "sub" / "005.txt"
    extra.parent.mkdir()
    extra.write_text(
        (archive / "003_5718ed46a52a3cac.txt").read_text().replace("Pada Maret", "Pada April")
    )
    assert build_index(archive, old, update=True).indexed == 1
    build_index(archive, new)
    with Engine(old) as was, Engine(new) as now:
        reader = was.searcher().reader()
        assert list(reader.lexicon("published")), "the old index keeps its terms"
        assert not list(now.searcher().reader().lexicon("published"))
        for filters in (
            Filters(),
            Filters(since=date(2023, 11, 9)),
            Filters(until=date(2023, 11, 8)),
            Filters(since=date(2023, 11, 9), until=date(2023, 11, 9)),
        ):
            got = {(h.path, h.story is not None) for h in was.search("korea", filters).hits}
            want = {(h.path, h.story is not None) for h in now.search("korea", filters).hits}
            assert got == want, filters
            assert got or filters.until == date(2023, 11, 8)
