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
"""

from __future__ import annotations

from typing import Any

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Context.Context import Context
from Sastrawi.Stemmer.Context.Removal import Removal
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

#: Forms remembered before the memo starts again: enough for a build's vocabulary (the
#: forms of 46,000 distinct words take about 60,000 entries), bounded for a long run.
MAX_FORMS = 200_000

_NOTHING = ()  # a pass that removed no prefix

# A pass's outcome: _NOTHING, or the removal it made (its rule, result, removed part, type).
Outcome = tuple[Any, ...]


class _Context(Context):
    """Sastrawi's stemming context, its prefix passes looked up in a shared memo."""

    def __init__(
        self, word: str, dictionary: Any, visitor_provider: Any, passes: dict[str, Outcome]
    ) -> None:
        super().__init__(word, dictionary, visitor_provider)
        self._passes = passes

    def accept_prefix_visitors(self, visitors: Any) -> Any:
        if self.process_is_stopped or visitors is not self.prefix_visitors:
            return super().accept_prefix_visitors(visitors)
        form = self.current_word
        outcome = self._passes.get(form)
        if outcome is None:
            count = len(self.removals)
            super().accept_prefix_visitors(visitors)
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


class MemoStemmer(Stemmer):
    """`Sastrawi.Stemmer.Stemmer` whose contexts share the memo of prefix passes."""

    def __init__(self, dictionary: Any) -> None:
        super().__init__(dictionary)
        self.passes: dict[str, Outcome] = {}

    def stem_singular_word(self, word: str) -> str:
        context = _Context(word, self.dictionary, self.visitor_provider, self.passes)
        context.execute()
        return str(context.result)


def create_stemmer() -> MemoStemmer:
    """A stemmer over Sastrawi's own root-word dictionary, as its StemmerFactory makes one
    (without the factory's result cache: index.analysis.STEMS is the cache)."""
    return MemoStemmer(ArrayDictionary(StemmerFactory().get_words()))
