"""A small, deterministic generator of Indonesian affixed forms, for the variant queries.

The relevance evaluation (bench/relevance.py, issue 7) asks: when a reader types another form
of the word the article uses ("pengiriman" for "mengirimkan"), is the article still found?
To build such queries without a lexicon, this module derives the forms of a root by the
regular rules of Indonesian affixation:

- prefixes me(N)-, pe(N)-, di-, ter-, ber-, per-, ke-, and the circumfixes
  me(N)-…-kan / -i, di-…-kan / -i, pe(N)-…-an, per-…-an, ber-…-an, ke-…-an;
- suffixes -an, -kan, -i and the clitic -nya;
- the nasal sound changes of me(N)-/pe(N)-: k, p, t, s are replaced by ng, m, n, ny
  (kirim → mengirim, pukul → memukul, tulis → menulis, sapu → menyapu) unless a consonant
  cluster follows (proses → memproses), b/f/v take m (bawa → membawa), c/d/j/z/sy take n
  (cari → mencari), vowels, g, h, kh take ng (ambil → mengambil), l/m/n/r/w/y take nothing
  (lihat → melihat), and one-syllable roots take menge-/penge- (bom → mengebom);
- ber-/per-/ter- lose their r before a root that starts with r (renang → berenang).

The generator over-generates on purpose (not every root takes every affix); the caller keeps
only forms the corpus actually uses and that Warta's stemmer maps back to the same root, so
a variant is both a real word and one stemming is supposed to join.
"""

from __future__ import annotations

import re

_VOWELS = "aeiou"
_VOWEL_GROUP = re.compile(r"[aeiou]+")


def syllables(root: str) -> int:
    """Vowel groups: a good-enough syllable count for the menge- rule."""
    return len(_VOWEL_GROUP.findall(root))


def _cluster(root: str) -> bool:
    """True when the root opens with two consonants (proses, traktir, klaim, stabil)."""
    return len(root) > 1 and root[0] not in _VOWELS and root[1] not in _VOWELS + "y"


def nasal(prefix: str, root: str) -> str:
    """me(N)- or pe(N)- (`prefix` is "me" or "pe") joined to a root with its sound change."""
    if not root:
        return prefix
    if syllables(root) == 1:
        return f"{prefix}nge{root}"
    first = root[0]
    if root.startswith(("ng", "ny")) or first in "lmnrwy":
        return prefix + root
    if root.startswith("sy"):
        return f"{prefix}n{root}"
    if first in _VOWELS or first in "gh" or root.startswith("kh"):
        return f"{prefix}ng{root}"
    dropped = not _cluster(root)
    if first == "k":
        return f"{prefix}ng{root[1:]}" if dropped else f"{prefix}ng{root}"
    if first == "p":
        return f"{prefix}m{root[1:]}" if dropped else f"{prefix}m{root}"
    if first == "t":
        return f"{prefix}n{root[1:]}" if dropped else f"{prefix}n{root}"
    if first == "s":
        return f"{prefix}ny{root[1:]}" if dropped else f"{prefix}n{root}"
    if first in "bfv":
        return f"{prefix}m{root}"
    if first in "cdjz":
        return f"{prefix}n{root}"
    return prefix + root


def _r_prefix(prefix: str, root: str) -> str:
    """ber-/per-/ter- + root: the prefix's r drops before an r (ber+renang → berenang)."""
    return (prefix[:-1] if root.startswith("r") else prefix) + root


def affixed_forms(root: str) -> list[str]:
    """Every form the rules above derive from `root`, in a fixed order, without duplicates.

    The root itself is included: "kekhawatiran" → "khawatir" is a variant too.
    """
    if not root.isalpha():
        return []
    bases = [root, root + "kan"]
    if not root.endswith("i"):
        bases.append(root + "i")
    forms: list[str] = [root, root + "an", root + "kan", root + "nya"]
    if not root.endswith("i"):
        forms.append(root + "i")
    for base in bases:
        forms += [nasal("me", base), "di" + base, _r_prefix("ter", base)]
    forms += [
        _r_prefix("ber", root),
        _r_prefix("ber", root + "an"),
        nasal("pe", root),
        nasal("pe", root) + "an",
        _r_prefix("per", root + "an"),
        "ke" + root + "an",
        "memper" + root,
        "memper" + root + "kan",
        "diper" + root + "kan",
    ]
    forms += [f + "nya" for f in (nasal("pe", root) + "an", "ke" + root + "an", root + "an")]
    return list(dict.fromkeys(forms))
