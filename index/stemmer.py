"""Sastrawi's stemmer with its repeated prefix passes remembered: the same stems, sooner.

A build's first run stems its whole vocabulary (the stem cache, index.analysis, starts
empty), and Sastrawi spends most of that time in one step: a pass over its 41 prefix rules
(`Context.accept_prefix_visitors`), each rule trying its regular expressions on the word.
One word can run the same pass on the same form many times: `remove_prefixes` repeats it
three times even when the first removed nothing, the precedence rule may try prefixes
before suffixes and then again after, and the "pengembalian akhiran" loop tries them once
more for each suffix it puts back. Different words meet the same forms too ("pemerintah"
inside "pemerintahan", "pemerintahnya").

What a pass does depends on nothing but the form it starts from (and the dictionary, fixed
for a stemmer): it tries the rules in order and stops at the first that removes a prefix,
which it records as one `Removal` and whose result becomes the form; or no rule applies and
nothing changes. So the outcome of a pass is remembered by form and replayed, which leaves
every stem Sastrawi's own (held equal on whole vocabularies by tests/index/test_stemmer.py).
A word Sastrawi stops early (three letters or fewer) takes the pass unremembered, since a
stopped context's pass ends after its first rule.

A pass the memo has not seen is run with the rules that cannot act left out. Each of
Sastrawi's prefix rules acts only on a form whose first two letters fit it ("ber…" rules on
"be", the infix rules on a consonant and "e" or "i", "ku"/"kau" on "ku"/"ka"): a rule that
does not fit leaves the context as it was, and the pass's checks after it then find nothing
new, so skipping it changes nothing but the time (30-odd rules tried with a regular
expression each, for most forms). The first two letters' candidate rules are worked out
once from `_FIRST_TWO`, a table by rule number; a rule missing from it (another Sastrawi)
is always tried. A removal's "removed part" (prefix or suffix) is the form without the
first occurrence of the result; Sastrawi finds it with the result as a regular expression (a
new pattern to compile for every result, which also pushes the fixed ones out of `re`'s
cache), here with `str.replace`, the same for the letters and hyphens a result is made of.
"""

from __future__ import annotations

import re
from typing import Any

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Context.Context import Context
from Sastrawi.Stemmer.Context.Removal import Removal
from Sastrawi.Stemmer.Context.Visitor.AbstractDisambiguatePrefixRule import (
    AbstractDisambiguatePrefixRule,
)
from Sastrawi.Stemmer.Context.Visitor.PrefixDisambiguator import PrefixDisambiguator
from Sastrawi.Stemmer.Context.Visitor.RemoveDerivationalSuffix import RemoveDerivationalSuffix
from Sastrawi.Stemmer.Context.Visitor.RemoveInflectionalParticle import (
    RemoveInflectionalParticle,
)
from Sastrawi.Stemmer.Context.Visitor.RemoveInflectionalPossessivePronoun import (
    RemoveInflectionalPossessivePronoun,
)
from Sastrawi.Stemmer.Context.Visitor.RemovePlainPrefix import RemovePlainPrefix
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

#: Forms remembered before the memo starts again: enough for a build's vocabulary (the
#: forms of 46,000 distinct words take about 60,000 entries), bounded for a long run.
MAX_FORMS = 200_000

_NOTHING = ()  # a pass that removed no prefix

# A pass's outcome: _NOTHING, or the removal it made (its rule, result, removed part, type).
Outcome = tuple[Any, ...]

_CONSONANT = "[bcdfghjklmnpqrstvwxyz]"
#: The first two letters a form must have for each of Sastrawi's prefix rules (by the
#: number in its class name, DisambiguatorPrefixRule<n>) to act on it, read from each
#: rule's pattern ("^ber([aiueo].*)$": "be"; "^([bcdfg…])(in[aiueo])(.*)$": a consonant,
#: then "i"). A necessary condition, not the rule.
_FIRST_TWO: dict[int, str] = {
    **dict.fromkeys((1, 2, 3, 4, 5), "be"),
    **dict.fromkeys((6, 7, 8, 9, 35), "te"),
    **dict.fromkeys(range(10, 20), "me"),
    **dict.fromkeys((20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 36), "pe"),
    **dict.fromkeys((37, 38, 39), f"{_CONSONANT}e"),
    40: f"{_CONSONANT}i",
    41: "ku",
    42: "ka",
}
_PLAIN_PREFIXES = ("di", "ke", "se")  # RemovePlainPrefix's "^(di|ke|se)"
#: Sastrawi's suffix rules and the affix type each records in its removal.
_SUFFIX_TYPES: dict[type, str] = {
    RemoveInflectionalParticle: "P",
    RemoveInflectionalPossessivePronoun: "PP",
    RemoveDerivationalSuffix: "DS",
}
_RULE_NUMBER = re.compile(r"DisambiguatorPrefixRule(\d+)[a-z]?")
_LITERAL = re.compile(r"[a-z-]*")  # a result that means itself as a regular expression


def _fit(visitor: Any) -> re.Pattern[str] | None:
    """The first two letters `visitor` can act on, as a pattern; None: any (a rule this
    module does not know)."""
    if type(visitor) is RemovePlainPrefix:
        return re.compile("|".join(_PLAIN_PREFIXES))
    if type(visitor) is not PrefixDisambiguator:
        return None
    parts = []
    for disambiguator in visitor.disambiguators:
        number = _RULE_NUMBER.fullmatch(type(disambiguator).__name__)
        fit = _FIRST_TWO.get(int(number.group(1))) if number else None
        if fit is None:
            return None
        parts.append(fit)
    return re.compile("|".join(parts)) if parts else None


class _Candidates:
    """Sastrawi's prefix rules by the first two letters of a form: those that may act on
    it, in Sastrawi's order (worked out once for each pair of letters)."""

    def __init__(self, visitors: list[Any]) -> None:
        self.visitors = visitors
        self.fits = [_fit(v) for v in visitors]
        self.by_start: dict[str, tuple[Any, ...]] = {}

    def of(self, form: str) -> tuple[Any, ...]:
        start = form[:2]
        found = self.by_start.get(start)
        if found is None:
            found = tuple(
                v
                for v, fit in zip(self.visitors, self.fits, strict=True)
                if fit is None or fit.fullmatch(start)
            )
            self.by_start[start] = found
        return found


def _removed_part(result: str, form: str) -> str:
    """`re.sub(result, "", form, count=1)`, as Sastrawi's visitors compute it."""
    if _LITERAL.fullmatch(result):
        return form.replace(result, "", 1)
    return re.sub(result, "", form, count=1)  # pragma: no cover - results are a-z words


class _Context(Context):
    """Sastrawi's stemming context, its prefix passes looked up in a shared memo."""

    def __init__(
        self,
        word: str,
        dictionary: Any,
        visitor_provider: Any,
        passes: dict[str, Outcome],
        candidates: _Candidates,
    ) -> None:
        super().__init__(word, dictionary, visitor_provider)
        self._passes = passes
        self._candidates = candidates

    def accept_prefix_visitors(self, visitors: Any) -> Any:
        if self.process_is_stopped or visitors is not self.prefix_visitors:
            return super().accept_prefix_visitors(visitors)
        form = self.current_word
        outcome = self._passes.get(form)
        if outcome is None:
            count = len(self.removals)
            self._pass(form)
            if len(self.removals) > count:
                made = self.removals[-1]
                outcome = (made.visitor, made.result, made.removedPart, made.affixType)
            else:
                outcome = _NOTHING
            if len(self._passes) >= MAX_FORMS:
                self._passes.clear()
            self._passes[form] = outcome
            return None
        if outcome:
            visitor, result, removed, affix = outcome
            self.add_removal(Removal(visitor, form, result, removed, affix))
            self.current_word = result
        return None

    def _pass(self, form: str) -> None:
        """Context.accept_prefix_visitors over the rules that may act on `form`.

        Sastrawi's loop stops after a rule when the form is a root word, or the rule made
        a removal. A rule left out would have done nothing, after which neither holds
        unless the form was a root word from the start: then Sastrawi stops after its
        first rule, and so does this.
        """
        contains = self.dictionary.contains
        if contains(form) or len(form) < 2:
            visitors = self.prefix_visitors[:1] if contains(form) else self.prefix_visitors
        else:
            visitors = self._candidates.of(form)
        count = len(self.removals)
        for visitor in visitors:
            self.accept(visitor)
            if contains(self.current_word) or self.process_is_stopped:
                return
            if len(self.removals) > count:
                return

    def accept(self, visitor: Any) -> None:
        """Context.accept (`visitor.visit(self)`), Sastrawi's own rules without `re` for
        the removed part; any other visitor as it is."""
        kind = type(visitor)
        affix = _SUFFIX_TYPES.get(kind)
        if affix is not None:
            word = self.current_word
            result = visitor.remove(word)
            if result != word:
                removed = _removed_part(result, word)
                self.add_removal(Removal(visitor, word, result, removed, affix))
                self.current_word = result
        elif kind is PrefixDisambiguator and kind.visit is AbstractDisambiguatePrefixRule.visit:
            self._disambiguate(visitor)
        elif kind is RemovePlainPrefix:
            self._plain_prefix(visitor)
        else:
            visitor.visit(self)

    def _disambiguate(self, visitor: Any) -> None:
        """AbstractDisambiguatePrefixRule.visit, its removed part found without `re`."""
        word = self.current_word
        result = None
        for disambiguator in visitor.disambiguators:
            result = disambiguator.disambiguate(word)
            if self.dictionary.contains(result):
                break
        if result is None:
            return
        self.add_removal(Removal(visitor, word, result, _removed_part(result, word), "DP"))
        self.current_word = result

    def _plain_prefix(self, visitor: Any) -> None:
        """RemovePlainPrefix.visit: "di", "ke" or "se" off the front."""
        word = self.current_word
        result = word[2:] if word.startswith(_PLAIN_PREFIXES) else word
        if result != word:
            self.add_removal(Removal(visitor, word, result, _removed_part(result, word), "DP"))
            self.current_word = result


class MemoStemmer(Stemmer):
    """`Sastrawi.Stemmer.Stemmer` whose contexts share the memo of prefix passes."""

    def __init__(self, dictionary: Any) -> None:
        super().__init__(dictionary)
        self.passes: dict[str, Outcome] = {}
        self.candidates = _Candidates(self.visitor_provider.get_prefix_visitors())

    def stem_singular_word(self, word: str) -> str:
        context = _Context(
            word, self.dictionary, self.visitor_provider, self.passes, self.candidates
        )
        context.execute()
        return str(context.result)


def create_stemmer() -> MemoStemmer:
    """A stemmer over Sastrawi's own root-word dictionary, as its StemmerFactory makes one
    (without the factory's result cache: index.analysis.STEMS is the cache)."""
    return MemoStemmer(ArrayDictionary(StemmerFactory().get_words()))
