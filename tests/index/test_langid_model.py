"""py3langid's model read from Warta's cache: the same answers as the packaged model, a
damaged or unwritable cache costing only time."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from index import langid_model
from tests.index.test_language import ENGLISH, INDONESIAN, JAVANESE, MALAY

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _texts() -> list[str]:
    """Real Indonesian pages of the seeds, cut at several lengths, and other languages."""
    texts = [INDONESIAN, ENGLISH, MALAY, JAVANESE, "", "PRESIDEN", "Anwar Ibrahim"]
    for page in sorted(SEEDS.rglob("*.txt")):
        text = page.read_text(errors="replace")
        texts += [text[:60], text[:300], text[:1500]]
    return texts


@pytest.fixture(scope="module")
def packaged() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "langid").iterdir()) if (cache / "langid").exists() else []


def test_the_cached_model_answers_as_the_packaged_one(tmp_path, monkeypatch, packaged):
    monkeypatch.setenv("WARTA_CACHE", str(tmp_path))
    first = langid_model.load_identifier()  # unpacks the package, then writes the cache
    [entry] = _entries(tmp_path)
    assert {p.name for p in entry.iterdir()} == {f"{n}.npy" for n in langid_model._NAMES}

    def unpack(*_):
        raise AssertionError("the package's model was unpacked again")

    monkeypatch.setattr("py3langid.modelio.load_model", unpack)
    cached = langid_model.load_identifier()
    assert cached.labels == packaged.labels
    for text in _texts():
        want = packaged.classify(text)
        assert first.classify(text) == want
        assert cached.classify(text) == want, text[:60]
        # every language's probability, bit for bit (the table is widened to float32)
        assert cached._decide(text).tobytes() == packaged._decide(text).tobytes()


def test_a_damaged_entry_is_read_from_the_package(tmp_path, monkeypatch, packaged):
    monkeypatch.setenv("WARTA_CACHE", str(tmp_path))
    langid_model.load_identifier()
    [entry] = _entries(tmp_path)
    table = entry / "nextmove.npy"
    size = table.stat().st_size
    table.write_bytes(table.read_bytes()[: size // 2])  # cut short
    assert langid_model._read(entry) is None
    model = langid_model.load_identifier()
    assert model.classify(MALAY) == packaged.classify(MALAY)
    assert table.stat().st_size == size  # made again
    # a table of the wrong shape is refused as well
    langid_model.np.save(table, langid_model.np.zeros(300, "u4"))
    assert langid_model._read(entry) is None
    assert langid_model.load_identifier().classify(ENGLISH) == packaged.classify(ENGLISH)
    assert langid_model._read(entry) is not None


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch, packaged):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("WARTA_CACHE", str(blocked))
    model = langid_model.load_identifier()
    assert model.classify(INDONESIAN) == packaged.classify(INDONESIAN)
    assert blocked.read_text() == "not a folder"
    assert not list(tmp_path.glob("**/.part-*"))


def test_a_new_package_version_gets_its_own_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("WARTA_CACHE", str(tmp_path))
    langid_model.load_identifier()
    monkeypatch.setattr(langid_model.metadata, "version", lambda _: "9.9.9")
    langid_model.load_identifier()
    names = [p.name for p in _entries(tmp_path)]
    assert len(names) == 1 and names[0].startswith("9.9.9-")  # the old version's is gone


def test_an_entry_for_another_model_file_is_removed(tmp_path, monkeypatch, packaged):
    """A reinstalled py3langid (a new file time) gets a new entry; the old one goes."""
    monkeypatch.setenv("WARTA_CACHE", str(tmp_path))
    old = tmp_path / "langid" / "0.4.0-1-2"
    old.mkdir(parents=True)
    (old / "ptc.npy").write_bytes(b"stale")
    writing = tmp_path / "langid" / ".part-another-build"
    writing.mkdir()
    model = langid_model.load_identifier()
    assert model.classify(ENGLISH) == packaged.classify(ENGLISH)
    assert not old.exists() and writing.exists()
    assert len(_entries(tmp_path)) == 2  # this model's entry and the one being written
