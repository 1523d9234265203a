"""From the query tree to Whoosh queries, with abbreviations expanded and ranking applied.

Each query word is analyzed by the one analyzer, so the query's terms are the index's:
its stem goes to the stemmed fields, its exact form to the unstemmed ones (a boost only:
every exact match is a stem match too, so the exact fields never change what matches).
Abbreviations expand here, both ways, as an OR of the typed form and the other form.
The same walk collects what the snippets must highlight and which words to spell-check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.query.spans import SpanFirst

from index.analysis import ANALYZER, EXACT_ANALYZER
from search import query as qs
from search.abbreviations import Abbreviation, AbbreviationTable, load_table
from search.daterange import DateBounds
from search.errors import QueryError
from search.exactness import ExactForm
from search.highlight import HighlightTerms
from search.ranking import DEFAULT_RANKING, Ranking


@dataclass
class CompiledQuery:
    """A query ready to run: the Whoosh query (None: every article) and what comes with it."""

    text: str
    query: wq.Query | None
    # The same matches, without the scoring-only clauses (exact-word boosts, proximity):
    # cheaper to run for the whole result set that facets count.
    match_query: wq.Query | None
    bounds: DateBounds
    highlight: HighlightTerms
    # Words the user typed (positive, not prefixes), for did-you-mean.
    words: list[qs.Word] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # The typed words' exact forms, with the field each was typed in: what the exact-form
    # rescoring (search.exactness) looks for. Abbreviations, prefixes and words of
    # several parts are left out: their forms are not one term.
    exact_forms: tuple[ExactForm, ...] = ()
    # Groups of words typed together (their stems in order) and the fields they are
    # looked for in, for the nearness stage (search.nearness).
    near_groups: tuple[tuple[str, ...], ...] = ()
    near_fields: tuple[str, ...] = ()
    # The typed words as (field suffix, term) for the lead stage (search.lead).
    lead_terms: tuple[tuple[str, str], ...] = ()

    @property
    def notice(self) -> str | None:
        return "; ".join(self.notices) if self.notices else None


def analyze(text: str) -> list[tuple[str, str]]:
    """(stem, exact) pairs of a text, from the one analyzer and its unstemmed twin."""
    stems = [t.text for t in ANALYZER(text)]
    exacts = [t.text for t in EXACT_ANALYZER(text)]
    return list(zip(stems, exacts, strict=True))


def compile_query(
    text: str,
    ranking: Ranking = DEFAULT_RANKING,
    table: AbbreviationTable | None = None,
    *,
    unstemmed: bool = False,
) -> CompiledQuery:
    """Parse and compile a query string; QueryError for one that cannot be searched.

    `unstemmed`: the archive holds articles in other languages than Indonesian, indexed
    as their exact words (index.analysis.Unstemmed): a word is then also looked up in the
    stemmed fields by its typed form (`_Compiler.stemmed_terms`). Off, the query is what
    it was before languages: the extra terms would match nothing and cost a fifth of an
    abbreviation's search time at 100,000 articles."""
    syntax = qs.parse_syntax(text)
    if table is None:
        table = load_table() if ranking.expand_abbreviations else AbbreviationTable(())
    analyzed: dict[str, list[tuple[str, str]]] = {}
    compiler = _Compiler(ranking, table, analyzed=analyzed, unstemmed=unstemmed)
    q = compiler.node(syntax.root, positive=True) if syntax.root is not None else None
    matcher = _Compiler(ranking, table, scoring=False, analyzed=analyzed, unstemmed=unstemmed)
    mq = matcher.node(syntax.root, positive=True) if syntax.root is not None else None
    if q is None and syntax.root is not None:
        raise QueryError(f"nothing to search for in '{text.strip()}' — type some words")
    if q is None and syntax.bounds.is_open and text.strip():
        raise QueryError(f"nothing to search for in '{text.strip()}' — type some words")
    highlight = HighlightTerms(
        frozenset(compiler.stems),
        tuple(dict.fromkeys(compiler.phrases)),
        tuple(dict.fromkeys(compiler.prefixes)),
    )
    return CompiledQuery(
        text,
        q,
        mq,
        syntax.bounds,
        highlight,
        compiler.words,
        syntax.notices,
        tuple(dict.fromkeys(compiler.exact_forms)),
        tuple(dict.fromkeys(compiler.near_groups)),
        compiler.near_fields(),
        tuple(dict.fromkeys(compiler.lead_terms)),
    )


class _Compiler:
    def __init__(
        self,
        ranking: Ranking,
        table: AbbreviationTable,
        scoring: bool = True,
        analyzed: dict[str, list[tuple[str, str]]] | None = None,
        unstemmed: bool = False,
    ) -> None:
        self.r = ranking
        self.unstemmed = unstemmed
        # Not scoring: leave out clauses that only add to scores. Every exact-field match
        # is a stemmed-field match too (same text, same tokenizer), so matches stay equal.
        self.scoring = scoring
        self.abbrevs = table.by_first_term()
        self.stems: list[str] = []
        self.phrases: list[tuple[str, ...]] = []
        self.prefixes: list[str] = []
        self.words: list[qs.Word] = []
        self.exact_forms: list[ExactForm] = []
        self.near_groups: list[tuple[str, ...]] = []
        self.lead_terms: list[tuple[str, str]] = []
        # A word is looked at by the terms, the proximity, all-exact and lead boosts, in
        # both compilers: analyzed once.
        self._analyzed = {} if analyzed is None else analyzed

    def analyze(self, text: str) -> list[tuple[str, str]]:
        pairs = self._analyzed.get(text)
        if pairs is None:
            pairs = self._analyzed[text] = analyze(text)
        return pairs

    # ── tree nodes ──────────────────────────────────────────────────────────────────────

    def node(self, node: qs.Node, positive: bool) -> wq.Query | None:
        if isinstance(node, qs.And):
            return self.and_(node.items, positive)
        if isinstance(node, qs.Or):
            parts = [q for q in (self.node(i, positive) for i in node.items) if q is not None]
            return _one_or(parts)
        if isinstance(node, qs.Not):
            inner = self.node(node.item, not positive)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, qs.Word):
            if node.prefix:
                return self.word_run([node], positive)
            # A lone word gets the same boosts as words among others: its ranking must
            # not change when a filter is added to the query.
            return self.and_((node,), positive)
        if isinstance(node, qs.Phrase):
            return self.phrase_node(node, positive)
        if isinstance(node, qs.OutletTerm):
            return wq.Term("outlet", node.key)
        if isinstance(node, qs.LanguageTerm):
            return wq.Term("language", node.code)
        if isinstance(node, qs.AuthorTerm):
            terms = [e for _, e in self.analyze(node.text)]
            if not terms:
                return None
            return wq.Term("authors", terms[0]) if len(terms) == 1 else wq.Phrase("authors", terms)
        raise AssertionError(f"date clause left in the tree: {node!r}")  # pragma: no cover

    def and_(self, items: tuple[qs.Node, ...], positive: bool) -> wq.Query | None:
        """AND of the items; runs of plain words are checked for abbreviations together."""
        parts: list[wq.Query] = []
        run: list[qs.Word] = []
        plain: list[qs.Word] = []

        def flush() -> None:
            if run:
                q = self.word_run(list(run), positive)
                if q is not None:
                    parts.append(q)
                run.clear()

        for item in items:
            if isinstance(item, qs.Word) and not item.prefix:
                if run and run[-1].field != item.field:
                    flush()
                run.append(item)
                if item.field is None:
                    plain.append(item)
                continue
            flush()
            q = self.node(item, positive)
            if q is not None:
                parts.append(q)
        flush()
        if not parts:
            return None
        required = parts[0] if len(parts) == 1 else wq.And(parts)
        boosts: list[wq.Query | None] = []
        if positive and self.scoring:
            boosts = [self.proximity_boost(plain), self.exact_all(plain), self.lead(plain)]
        boost = _one_or([b for b in boosts if b is not None])
        return wq.AndMaybe(required, boost) if boost is not None else required

    def exact_all(self, words: list[qs.Word]) -> wq.Query | None:
        """Every typed word in its exact form: scored again, so the very words come first."""
        if self.r.exact_all_boost <= 0 or len(words) < 2:
            return None
        exacts = [e for w in words for _, e in self.analyze(w.text)]
        fields = self.r.exact_fields(None)
        if len(exacts) < 2 or not fields:
            return None
        per_word = [
            _one_or([wq.Term(f, e, boost=b * self.r.exact_all_boost) for f, b in fields])
            for e in exacts
        ]
        return wq.And([q for q in per_word if q is not None])

    def lead(self, words: list[qs.Word]) -> wq.Query | None:
        """Typed words in the headline or the body's opening words: what the story is
        about, not what it mentions in passing (news puts its subject up front)."""
        if self.r.stem_boost <= 0 or (self.r.lead_boost <= 0 and self.r.lead_gain <= 0):
            return None
        terms: dict[tuple[str, str], None] = {}
        for w in words:
            # A name searched unstemmed (the proper-noun rule) is looked for unstemmed here.
            exact = self.r.proper_nouns_exact and _is_proper(w.text)
            suffix = "_exact" if exact else ""
            for stem, form in self.analyze(w.text):
                terms[(suffix, form if exact else stem)] = None
        if self.r.lead_gain > 0:
            self.lead_terms.extend(terms)
        if self.r.lead_boost <= 0:
            return None
        boost = self.r.lead_boost * self.r.stem_boost
        parts: list[wq.Query] = []
        for suffix, text in terms:
            # The headline opens the story too: without it, a word in the body's first
            # sentence would outrank the same word in the title.
            parts.append(wq.Term("title" + suffix, text, boost=boost))
            body = wq.Term("body" + suffix, text, boost=boost)
            parts.append(LeadTerm(body, limit=self.r.lead_words))
        return _one_or(parts)

    def near_fields(self) -> tuple[str, ...]:
        """The fields the nearness stage looks in: the stemmed ones, or the exact ones
        when stemming is off (the no-stemming baseline)."""
        fields = self.r.stemmed_fields(None) or self.r.exact_fields(None)
        return tuple(f for f, _ in fields)

    def proximity_boost(self, words: list[qs.Word]) -> wq.Query | None:
        """Words typed together score more where they also stand together: a clause of
        the first stage (`phrase_boost`), and a group for the nearness stage."""
        if len(words) < 2:
            return None
        pairs = [p for w in words for p in self.analyze(w.text)]
        if len(pairs) < 2:
            return None
        if self.r.near_gain > 0:
            stemmed = bool(self.r.stemmed_fields(None))
            self.near_groups.append(tuple(s if stemmed else e for s, e in pairs))
        if self.r.phrase_boost <= 0:
            return None
        fields = [(f, w, [s for s, _ in pairs]) for f, w in self.r.stemmed_fields(None)]
        if not fields:  # no stemmed fields: the words as typed
            fields = [(f, w, [e for _, e in pairs]) for f, w in self.r.exact_fields(None)]
        return _one_or(
            [
                wq.Phrase(f, terms, slop=self.r.phrase_slop, boost=self.r.phrase_boost * w)
                for f, w, terms in fields
            ]
        )

    # ── words, phrases, abbreviations ───────────────────────────────────────────────────

    def word_run(self, run: list[qs.Word], positive: bool) -> wq.Query | None:
        """Consecutive words of one field, with abbreviation forms found among them."""
        parts: list[wq.Query] = []
        if run[0].prefix:
            return self.prefix(run[0], positive)
        analyzed = [self.analyze(w.text) for w in run]
        i = 0
        while i < len(run):
            hit = self.abbreviation_at(run, analyzed, i)
            if hit is not None:
                n, _entry, others = hit
                words = zip(run[i : i + n], analyzed[i : i + n], strict=True)
                # An abbreviation is not a misspelling: no did-you-mean for it.
                typed = [self.word(w, a, positive, spell=False) for w, a in words]
                typed_q = _one_and([q for q in typed if q is not None])
                alts = [self.sequence(alt, run[i].field, positive) for alt in others]
                parts.append(_one_or([q for q in [typed_q, *alts] if q is not None]))
                i += n
                continue
            q = self.word(run[i], analyzed[i], positive)
            if q is not None:
                parts.append(q)
            i += 1
        return _one_and(parts)

    def abbreviation_at(
        self, run: list[qs.Word], analyzed: list[list[tuple[str, str]]], i: int
    ) -> tuple[int, Abbreviation, list[tuple[str, ...]]] | None:
        """The abbreviation (or full form) starting at word i: (words used, entry, other forms)."""
        if len(analyzed[i]) != 1:
            return None
        for seq, entry, is_short in self.abbrevs.get(analyzed[i][0][1], ()):
            n = len(seq)
            window = analyzed[i : i + n]
            if len(window) < n or any(len(a) != 1 for a in window):
                continue
            if tuple(a[0][1] for a in window) != seq:
                continue
            if is_short and not entry.matches_written([w.text for w in run[i : i + n]]):
                continue
            if is_short:
                return n, entry, list(entry.expansions)
            # "Amerika Serikat" finds "AS" too (the index holds it lowercased, as "as").
            return n, entry, [entry.terms] + [e for e in entry.expansions if e != seq]
        return None

    def word(
        self, w: qs.Word, analyzed: list[tuple[str, str]], positive: bool, spell: bool = True
    ) -> wq.Query | None:
        if not analyzed:
            return None  # punctuation only
        if positive and spell:
            self.words.append(w)
        if len(analyzed) > 1:  # "Rusia-Korea", "9/11/2023": its parts, in order
            return self.sequence(tuple(e for _, e in analyzed), w.field, positive, analyzed)
        stem, exact = analyzed[0]
        if positive:
            self.stems.append(stem)
            if spell and w.field in (None, "title", "body"):
                self.exact_forms.append((w.field, exact))
        if self.r.proper_nouns_exact and _is_proper(w.text):
            fields = [(f, b) for f, b in self.r.exact_fields(w.field)] or [
                (f, b) for f, b in self.r.stemmed_fields(w.field)
            ]
            return _one_or([wq.Term(f, exact, boost=b) for f, b in fields])
        terms = self.stemmed_terms(w.field, stem, exact)
        terms += [wq.Term(f, exact, boost=b) for f, b in self.boost_fields(w.field)]
        return _one_or(terms)

    def stemmed_terms(self, field: str | None, stem: str, exact: str) -> list[wq.Query]:
        """A word in the stemmed fields: its stem, and its exact form where that differs.

        An article in another language than Indonesian holds its exact words in the
        stemmed fields (index.analysis.Unstemmed), so "berlin" (Sastrawi: "lin") finds an
        English article on Berlin. Indonesian articles never hold such a form there: a
        word Sastrawi changes is not a root, and only roots (or words left as they are)
        are stems, so for them the second term matches nothing and scores nothing.
        """
        fields = self.r.stemmed_fields(field)
        terms: list[wq.Query] = [wq.Term(f, stem, boost=b) for f, b in fields]
        if self.unstemmed and exact != stem:
            terms += [wq.Term(f, exact, boost=b) for f, b in fields]
        return terms

    def boost_fields(self, field: str | None) -> list[tuple[str, float]]:
        """Exact-word fields added beside the stemmed ones: for scoring only.

        Without stemmed fields (a ranking with `stem_boost=0`) they are what matches, so
        the match query needs them too.
        """
        if self.scoring or not self.r.stemmed_fields(field):
            return self.r.exact_fields(field)
        return []

    def phrase_node(self, p: qs.Phrase, positive: bool) -> wq.Query | None:
        analyzed = self.analyze(p.text)
        if not analyzed:
            return None
        exacts = tuple(e for _, e in analyzed)
        if len(analyzed) == 1:
            return self.word(qs.Word(p.text, p.field), analyzed, positive)
        own = self.sequence(exacts, p.field, positive, analyzed)
        for seq, entry, is_short in self.abbrevs.get(exacts[0], ()):
            if seq != exacts:
                continue
            if is_short and not entry.matches_written(p.text.split()):
                continue
            others = (
                list(entry.expansions)
                if is_short
                else [entry.terms] + [e for e in entry.expansions if e != seq]
            )
            alts = [self.sequence(alt, p.field, positive) for alt in others]
            return _one_or([q for q in [own, *alts] if q is not None])
        return own

    def sequence(
        self,
        exacts: tuple[str, ...],
        field: str | None,
        positive: bool,
        analyzed: list[tuple[str, str]] | None = None,
    ) -> wq.Query | None:
        """Words in this order: a phrase over stems, boosted where the exact forms match."""
        if analyzed is None:
            analyzed = self.analyze(" ".join(exacts))
        stems = [s for s, _ in analyzed]
        exact = [e for _, e in analyzed]
        if not stems:
            return None
        if positive:
            if len(stems) == 1:
                self.stems.append(stems[0])
            else:
                self.phrases.append(tuple(stems))
        if len(stems) == 1:
            terms = self.stemmed_terms(field, stems[0], exact[0])
            terms += [wq.Term(f, exact[0], boost=b) for f, b in self.boost_fields(field)]
            return _one_or(terms)
        fields = self.r.stemmed_fields(field)
        phrases = [wq.Phrase(f, stems, boost=b) for f, b in fields]
        if self.unstemmed and exact != stems:  # as another language's article holds them
            phrases += [wq.Phrase(f, exact, boost=b) for f, b in fields]
        phrases += [wq.Phrase(f, exact, boost=b) for f, b in self.boost_fields(field)]
        return _one_or(phrases)

    def prefix(self, w: qs.Word, positive: bool) -> wq.Query | None:
        exact = [e for _, e in self.analyze(w.text)]
        if len(exact) != 1:
            raise QueryError(f"'{w.text}*' is not one word — a prefix is letters before a '*'")
        if positive:
            self.prefixes.append(exact[0])
        fields = self.r.exact_fields(w.field) or [
            (f + "_exact", b) for f, b in self.r.stemmed_fields(w.field)
        ]
        return _one_or([wq.Prefix(f, exact[0], boost=b) for f, b in fields])


def _is_proper(text: str) -> bool:
    """Capitalised or all-caps: a name or an abbreviation."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and letters[0].isupper()


class LeadTerm(SpanFirst):
    """A term among the first `limit` words of its field.

    Whoosh's SpanFirst cannot say how many documents it matches, which an OR of it needs.
    """

    def estimate_size(self, ixreader: Any) -> int:
        return self.q.estimate_size(ixreader)


class _Or(wq.Or):
    """An OR that always walks its clauses lazily.

    Whoosh's automatic choice preloads every posting of every clause into arrays on
    indexes of up to 5,000 documents: for common words in four fields that costs more
    than the whole rest of a search.
    """

    matcher_type = wq.Or.DEFAULT_MATCHER


def _one_or(parts: list[wq.Query]) -> wq.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _Or(parts)


def _one_and(parts: list[wq.Query]) -> wq.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
