"""Query syntax: the text a user types, read into a small tree of nodes.

What users of a search engine expect, and nothing Whoosh-specific:

    rudal nuklir            all words must match (AND is the default)
    rudal OR nuklir         either
    rudal NOT nuklir        the first without the second; `-nuklir` is the same
    (rudal OR roket) Korut  parentheses group
    "Korea Utara"           a phrase: these words, in this order
    rud*                    words starting with "rud" (at least two letters)
    title:rudal  title:"Korea Utara"  title:(rudal OR roket)
    body:…  outlet:kompas  author:"Rendi Mahendra"  lang:en
    since:2023-09-01  until:2023-11  date:2023-09..2023-11  date:2023-11

Errors a user must fix (an unknown field, unbalanced quotes or parentheses, a lone `*`,
an impossible date, since after until, an over-long query) raise QueryError with one
line. Slips that still leave words to search (a dangling OR, an empty `title:`, a `*`
inside a word) are searched as words, and `notices` says what was read differently.

The tree is compiled to Whoosh queries by `search.compiler`; keeping the two apart lets
the ranking be tuned without touching the syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index import outlets
from search.daterange import DateBounds, parse_period, parse_range
from search.errors import QueryError

MAX_QUERY_CHARS = 1000
MIN_PREFIX_CHARS = 2

TEXT_FIELDS = ("title", "body")
FIELD_ALIASES = {
    "title": "title",
    "judul": "title",
    "body": "body",
    "isi": "body",
    "outlet": "outlet",
    "media": "outlet",
    "author": "author",
    "authors": "author",
    "penulis": "author",
    "lang": "lang",
    "language": "lang",
    "bahasa": "lang",
    "since": "since",
    "until": "until",
    "date": "date",
    "tanggal": "date",
}
DATE_FIELDS = ("since", "until", "date")
FIELD_HELP = "title:, body:, outlet:, author:, lang:, since:, until:, date:"
# Language names a user may type for `lang:`, in Indonesian and English, besides the codes.
LANGUAGE_NAMES = {
    "indonesia": "id",
    "indonesian": "id",
    "inggris": "en",
    "english": "en",
    "melayu": "ms",
    "malay": "ms",
    "jawa": "jv",
    "javanese": "jv",
}
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")

_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}


# ── the tree ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Word:
    """A word as typed (without its field, `-` or `*`), and where it sits in the query."""

    text: str
    field: str | None = None  # "title" / "body"; None: title and body
    prefix: bool = False
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class OutletTerm:
    key: str


@dataclass(frozen=True)
class LanguageTerm:
    code: str  # ISO 639-1, as the build's identifier writes it


@dataclass(frozen=True)
class AuthorTerm:
    text: str


@dataclass(frozen=True)
class DateClause:
    bounds: DateBounds


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | OutletTerm | LanguageTerm | AuthorTerm | DateClause | And | Or | Not


@dataclass
class ParsedSyntax:
    """The tree (None: no words, every article), the date range it asks for, and notices."""

    text: str
    root: Node | None
    bounds: DateBounds
    notices: list[str] = field(default_factory=list)


# ── reading the text into tokens ────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Tok:
    kind: str  # LPAREN RPAREN AND OR NOT NEG PHRASE WORD FIELD
    text: str = ""
    start: int = 0
    end: int = 0
    field: str = ""  # FIELD: the name as typed
    glued: bool = False  # FIELD with no value: a phrase or "(" follows right away


#: Parentheses inside each other a query may hold: the parser and Whoosh recurse per level,
#: and 248 levels (501 characters) exhausted Python's stack.
MAX_NESTING = 32


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    depth = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(f"query nested too deeply: at most {MAX_NESTING} levels of ( )")
            toks.append(_Tok("LPAREN", c, i, i + 1))
            i += 1
        elif c == ")":
            if depth == 0:
                raise QueryError("unbalanced parentheses: a ')' has no '(' before it")
            depth -= 1
            toks.append(_Tok("RPAREN", c, i, i + 1))
            i += 1
        elif c == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QueryError('unbalanced quotes: a " is not closed')
            toks.append(_Tok("PHRASE", text[i + 1 : close], i, close + 1))
            i = close + 1
        elif c in "-+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")-+":
            if c == "-":
                toks.append(_Tok("NEG", c, i, i + 1))
            i += 1  # "+word" is just the word: every word is required already
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            raw = text[i:j]
            op = _OPERATORS.get(raw)
            m = _FIELD.fullmatch(raw)
            if op is not None:
                toks.append(_Tok(op, raw, i, j))
            elif m is not None:
                glued = not m.group(2) and j < n and text[j] in '"('
                toks.append(_Tok("FIELD", m.group(2), i, j, m.group(1), glued))
            else:
                toks.append(_Tok("WORD", raw, i, j))
            i = j
    if depth:
        raise QueryError("unbalanced parentheses: a '(' is not closed")
    return toks


# ── reading tokens into the tree ────────────────────────────────────────────────────────


class _Parser:
    def __init__(self, text: str, toks: list[_Tok]) -> None:
        self.text = text
        self.toks = toks
        self.pos = 0
        self.notices: list[str] = []

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def at_group_end(self) -> bool:
        tok = self.peek()
        return tok is None or tok.kind in ("RPAREN", "OR")

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def parse_or(self, ctx: str | None) -> Node | None:
        items: list[Node] = []
        first = self.parse_and(ctx)
        if first is not None:
            items.append(first)
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.parse_and(ctx)
            if nxt is None or not items:
                self.notice("ignored an OR with nothing on one side")
            if nxt is not None:
                items.append(nxt)
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, ctx: str | None) -> Node | None:
        items: list[Node] = []
        while not self.at_group_end():
            tok = self.peek()
            assert tok is not None
            if tok.kind == "AND":
                self.take()
                if not items or self.at_group_end():
                    self.notice("ignored an AND with nothing on one side")
                continue
            node = self.parse_unary(ctx)
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self, ctx: str | None) -> Node | None:
        tok = self.peek()
        assert tok is not None
        if tok.kind in ("NOT", "NEG"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RPAREN", "OR", "AND"):
                self.notice(
                    f"ignored a {'NOT' if tok.kind == 'NOT' else '-'} with nothing after it"
                )
                return None
            inner = self.parse_unary(ctx)
            return Not(inner) if inner is not None else None
        return self.parse_atom(ctx)

    def parse_atom(self, ctx: str | None) -> Node | None:
        tok = self.take()
        if tok.kind == "LPAREN":
            inner = self.parse_or(ctx)
            self.take()  # the lexer has checked that the ")" is there
            if inner is None:
                self.notice("ignored empty parentheses")
            return inner
        if tok.kind == "PHRASE":
            return self.phrase(tok.text, ctx)
        if tok.kind == "FIELD":
            return self.field(tok, ctx)
        return self.word(tok, ctx)

    def phrase(self, text: str, ctx: str | None) -> Node | None:
        if not text.strip():
            self.notice('ignored empty quotes ""')
            return None
        if ctx == "outlet":
            return self.outlet(text)
        if ctx == "lang":
            return language_term(text)
        if ctx == "author":
            return AuthorTerm(text)
        if ctx in DATE_FIELDS:
            return self.date(ctx, text)
        return Phrase(text, ctx)

    def word(self, tok: _Tok, ctx: str | None) -> Node | None:
        raw = tok.text
        if ctx == "outlet":
            return self.outlet(raw)
        if ctx == "lang":
            return language_term(raw)
        if ctx == "author":
            return AuthorTerm(raw)
        if ctx in DATE_FIELDS:
            return self.date(ctx, raw)
        if "*" in raw:
            stem = raw.rstrip("*")
            if not stem.strip("*"):
                raise QueryError(
                    "a lone '*' matches everything — put at least two letters before it (rud*)"
                )
            if "*" in stem:
                self.notice(f"'*' works only at the end of a word (rud*): read '{raw}' as words")
                cleaned = stem.replace("*", " ").split()
                words = [Word(w, ctx, False, tok.start, tok.end) for w in cleaned]
                return words[0] if len(words) == 1 else And(tuple(words))
            if len(stem) < MIN_PREFIX_CHARS:
                raise QueryError(
                    f"'{raw}' is too short a prefix — give at least {MIN_PREFIX_CHARS} letters"
                )
            return Word(stem, ctx, True, tok.start, tok.end)
        return Word(raw, ctx, False, tok.start, tok.end)

    def field(self, tok: _Tok, ctx: str | None) -> Node | None:
        name = FIELD_ALIASES.get(tok.field.lower())
        value = tok.text
        if name is None:
            if value[:1].isalnum() or tok.glued:
                raise QueryError(f"unknown field '{tok.field}:' — fields are {FIELD_HELP}")
            # "Catatan:" or "https://…": not a field, just words.
            self.notice(f"read '{tok.field}:{value}' as words")
            return self.word(_Tok("WORD", f"{tok.field} {value}", tok.start, tok.end), ctx)
        if tok.glued:
            nxt = self.peek()
            assert nxt is not None
            if nxt.kind == "PHRASE":
                self.take()
                return self.phrase(nxt.text, name)
            if name in DATE_FIELDS:
                raise QueryError(f"{name}: takes one date, not a group (e.g. {name}:2023-11)")
            self.take()  # "("
            inner = self.parse_or(name)
            self.take()  # ")"
            return inner
        if not value:
            self.notice(f"ignored '{tok.field}:' with nothing after it")
            return None
        if name in TEXT_FIELDS:
            return self.word(_Tok("WORD", value, tok.start + len(tok.field) + 1, tok.end), name)
        return self.word(_Tok("WORD", value, tok.start, tok.end), name)

    def outlet(self, text: str) -> OutletTerm:
        found = outlets.get(text.lower()) or outlets.lookup(text)
        if found is None:
            raise QueryError(f"unknown outlet '{text}' — list them with: warta outlets")
        return OutletTerm(found.key)

    def date(self, name: str, text: str) -> DateClause:
        if name == "date":
            return DateClause(parse_range(text))
        period = parse_period(text)
        if name == "since":
            return DateClause(DateBounds(since=period.first))
        return DateClause(DateBounds(until=period.last))


def language_term(text: str) -> LanguageTerm:
    """`lang:en`, `lang:inggris`: the language's ISO 639-1 code, or a QueryError."""
    key = text.strip().lower()
    code = LANGUAGE_NAMES.get(key, key)
    if not _LANGUAGE_CODE.fullmatch(code):
        raise QueryError(
            f"unknown language '{text.strip()}' — give an ISO 639-1 code such as id, en, ms, jv"
        )
    return LanguageTerm(code)


def _take_dates(root: Node | None, notices: list[str]) -> tuple[Node | None, DateBounds]:
    """Move date clauses out of the tree into one range for the whole query.

    Dates filter the whole query wherever they are typed ("rudal OR roket since:2023"
    means both words since 2023); inside an OR that is said in a notice. A negated date
    has no clear meaning and is refused.
    """
    found: list[DateBounds] = []

    def strip(node: Node, under_or: bool) -> Node | None:
        if isinstance(node, DateClause):
            if under_or:
                msg = "since:, until: and date: apply to the whole query, not one side of OR"
                if msg not in notices:
                    notices.append(msg)
            found.append(node.bounds)
            return None
        if isinstance(node, Not):
            if _has_date(node.item):
                raise QueryError("since:, until: and date: cannot be negated — use the other one")
            return node
        if isinstance(node, (And, Or)):
            kept = [
                k for k in (strip(i, under_or or isinstance(node, Or)) for i in node.items) if k
            ]
            if not kept:
                return None
            return kept[0] if len(kept) == 1 else type(node)(tuple(kept))
        return node

    root = strip(root, False) if root is not None else None
    bounds = DateBounds()
    for b in found:
        bounds = bounds.narrowed(b.since, b.until)
    return root, bounds


def _has_date(node: Node) -> bool:
    if isinstance(node, DateClause):
        return True
    if isinstance(node, (And, Or)):
        return any(_has_date(i) for i in node.items)
    if isinstance(node, Not):
        return _has_date(node.item)
    return False


def parse_syntax(text: str) -> ParsedSyntax:
    """Read a query into a tree; QueryError for what cannot be searched as given."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long ({len(text):,} characters; the limit is {MAX_QUERY_CHARS:,})"
        )
    parser = _Parser(text, _lex(text))
    root = parser.parse_or(None)
    while parser.peek() is not None:  # only a stray ")" could stop the top level early
        parser.take()
    root, bounds = _take_dates(root, parser.notices)
    bounds.check()
    return ParsedSyntax(text, root, bounds, parser.notices)
