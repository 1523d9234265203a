"""No code from an index (issue 14): an index whose pickles name anything Warta never
writes is refused in one line, and nothing in it runs."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from index import safe_unpickle, store
from tests.helpers import SEEDS, run_warta


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def _poison_toc(ix: Path, marker: Path) -> None:
    from whoosh.fields import Schema
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    class EvilSchema(Schema):  # a schema by type, a shell command when unpickled
        def __reduce__(self) -> tuple:
            return (os.system, (f"touch {marker}",))

    gen = ix / (ix / store.CURRENT).read_text().strip()
    storage = FileStorage(str(gen))
    toc = TOC.read(storage, "MAIN")
    toc.schema.__class__ = EvilSchema
    for old in gen.glob("_MAIN_*.toc"):
        old.unlink()
    toc.write(storage, "MAIN")
    # An attacker controls the whole folder: the checksums are written to match.
    meta = json.loads((gen / store.META).read_text())
    meta["files"] = store.file_checksums(gen)
    (gen / store.META).write_text(json.dumps(meta))


def test_a_poisoned_index_runs_nothing_and_says_why(tmp_path: Path) -> None:
    ix, marker = tmp_path / "ix", tmp_path / "pwned"
    assert run_warta("index", str(SEEDS), "--index", str(ix)).returncode == 0
    _poison_toc(ix, marker)
    for args in (("search", "rudal"), ("stats",), ("export",), ("index", str(SEEDS), "--update")):
        run = run_warta(*args, "--index", str(ix))
        assert run.returncode != 0, args
        assert run.stderr.count("\n") == 1 and "system" in run.stderr, (args, run.stderr)
        assert "never writes" in run.stderr
    assert not marker.exists()
    assert run_warta("index", str(SEEDS), "--index", str(ix)).returncode == 0  # a rebuild works
    assert run_warta("search", "rudal", "--index", str(ix)).returncode == 0


def test_what_a_warta_index_holds_is_admitted(tmp_path: Path) -> None:
    """Every global named by the pickles of a real index is in ALLOWED (the whole suite
    runs through the restricted unpickler too); a stranger's global is refused."""
    assert safe_unpickle.loads(pickle.dumps({"a": [1, 2.0, b"x", (3,)]}, 2))
    try:
        safe_unpickle.loads(pickle.dumps(_Evil(tmp_path / "x")))
    except safe_unpickle.RefusedPickle as err:
        assert "system" in str(err)
    else:
        raise AssertionError("a pickle naming os.system was loaded")
    assert not (tmp_path / "x").exists()
