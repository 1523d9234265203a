"""The memoised stemmer (index.stemmer) gives Sastrawi's own stems, word for word."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from index.analysis import lower_words
from index.stemmer import create_stemmer

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ["", "me", "mem", "men", "meng", "meny", "pe", "pem", "pen", "peng", "peny", "per"]
PREFIXES += ["ber", "be", "ter", "te", "di", "ke", "se", "memper", "diper", "ku", "kau"]
SUFFIXES = ["", "kan", "an", "i", "nya", "lah", "kah", "pun", "ku", "mu", "kannya", "annya"]


def _affixed(count: int, seed: int) -> list[str]:
    """Sastrawi's root words with prefixes and suffixes, real and impossible ones alike."""
    roots = [w for w in StemmerFactory().get_words() if w.isalpha()]
    rng = random.Random(seed)
    words = []
    for _ in range(count):
        root = rng.choice(roots)
        words.append(rng.choice(PREFIXES) + root + rng.choice(SUFFIXES))
        if rng.random() < 0.1:  # a reduplication, which Sastrawi stems part by part
            words.append(f"{root}-{words[-1]}")
    return words


def _seed_words() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words.extend(lower_words(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(words))


def _same_stems(words: list[str]) -> None:
    plain = StemmerFactory().create_stemmer()
    memo = create_stemmer()
    got = [memo.stem(w) for w in words]
    want = [plain.stem(w) for w in words]
    assert [(w, g) for w, g, s in zip(words, got, want, strict=True) if g != s] == []
    # Again, every pass now answered from the memo.
    assert [memo.stem(w) for w in words] == want


def test_the_memo_gives_sastrawis_stems_on_affixed_roots() -> None:
    _same_stems(_affixed(6000, seed=15))


def test_the_memo_gives_sastrawis_stems_on_real_text_and_short_words() -> None:
    words = _seed_words()
    assert len(words) > 500
    _same_stems([*words, "di", "ke", "se", "ber", "a", "", "diapa", "kan"])


def test_the_memo_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.stemmer

    monkeypatch.setattr(index.stemmer, "MAX_FORMS", 50)
    memo = create_stemmer()
    words = _affixed(500, seed=3)
    plain = StemmerFactory().create_stemmer()
    assert [memo.stem(w) for w in words] == [plain.stem(w) for w in words]
    assert len(memo.passes) <= 50


@pytest.mark.slow
def test_the_memo_gives_sastrawis_stems_on_a_whole_news_vocabulary() -> None:
    """Every a-z word of IndoSum (about 45,000), when the corpus is beside the checkout."""
    folder = ROOT.parent / "shared" / "corpora" / "indosum"
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        pytest.skip("IndoSum is not beside the checkout")
    import orjson

    words: dict[str, None] = {}
    for path in files:
        for line in path.read_bytes().splitlines():
            record = orjson.loads(line)
            for paragraph in record.get("paragraphs", []):
                for sentence in paragraph:
                    for token in sentence:
                        words.update(dict.fromkeys(lower_words(token)))
    _same_stems([w for w in words if w.isascii() and w.replace("-", "").isalpha()])


def test_every_prefix_rule_of_sastrawi_has_its_first_letters() -> None:
    """A rule the table lacks would be tried on every form: correct, but slow again."""
    memo = create_stemmer()
    assert len(memo.candidates.fits) == len(memo.visitor_provider.get_prefix_visitors()) > 40
    assert all(fit is not None for fit in memo.candidates.fits)
    # A form no rule fits takes no rule; "pe" takes the "pe" rules and the infix ones.
    assert memo.candidates.of("xyzabc") == ()
    assert 15 < len(memo.candidates.of("pengajar")) < 25


def test_rules_left_out_change_no_stem_whatever_the_first_two_letters() -> None:
    """Every pair of letters before real roots and affixed ones: the rules a pair leaves out
    are those that could not have acted."""
    roots = [w for w in StemmerFactory().get_words() if w.isalpha() and len(w) > 3]
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [
        a + b + rng.choice(["", "r", "l", "m", "n", "ng", "ny", "e", "er"]) + rng.choice(roots)
        for a in letters
        for b in letters
    ]
    _same_stems(words)


def test_the_stem_cache_gives_sastrawis_stem_of_the_text() -> None:
    """StemCache hands a word straight to stem_word, skipping the text normalisation and
    split of Sastrawi's stem(): the same stem for every word it stems, hyphened
    reduplications and clitics included; anything else passes through."""
    from index.analysis import _STEMMABLE, StemCache

    plain = StemmerFactory().create_stemmer()
    cache = StemCache()
    overrides = cache._overrides()
    words = [*_seed_words(), *_affixed(2000, seed=21)]
    words += ["anak-anak", "mobil-mobilnya", "buku-bukunya", "nikmat-ku", "-", "a--b", "x-"]
    checked = 0
    for word in words:
        if word in overrides:
            continue
        want = (plain.stem(word) or word) if _STEMMABLE.fullmatch(word) else word
        assert cache.stem(word) == want, word
        checked += 1
    assert checked > 2500
