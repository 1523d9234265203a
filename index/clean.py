"""Boilerplate out of raw page text: the article's paragraphs and captions, nothing else.

A saved news page is a column of lines: mastheads, menus, ad markers and promos, the
headline, the story, a sign-off, then related links, comments and footers. Rather than
listing any site's lines, each line is judged by its shape (does it read like prose, like
a headline, like a menu, a caption credit, a date, a byline, another language) and by
where it sits (above the headline, inside the story, after the sign-off). A short list of
patterns (`data/boilerplate.txt`, extended by the user's own) catches what looks like
prose but is not: "Get iNews App with new looks!", "Baca Juga" headings, comment widgets.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index import words
from index.config import user_config_file
from index.metadata import COPYRIGHT, Head, is_author_line, is_date_line, read_head, split_dateline
from index.mojibake import repair as repair_mojibake
from index.untrusted import CONTROL

log = logging.getLogger(__name__)

SHIPPED_PATTERNS = Path(__file__).with_name("data") / "boilerplate.txt"

# --- untrusted text --------------------------------------------------------------------

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile(f"{CONTROL.pattern[:-1]}\u200b\ufeff]")  # and zero-width marks
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")


def normalize_text(text: str) -> str:
    """Text that cannot drive a terminal: escape sequences and C0/C1 controls removed, NFC;
    and mojibake undone (`index.mojibake`).

    Scraped pages are untrusted and Warta prints them; line ends become "\\n" first so a
    Windows or old-Mac file keeps its lines. Mojibake is repaired before the controls go:
    UTF-8 read as Latin-1 leaves C1 controls that are part of what is repaired.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = repair_mojibake(text)
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    if "\u2028" in text or "\u2029" in text:
        text = _LINE_SEPARATORS.sub("\n", text)
    return unicodedata.normalize("NFC", text)


# --- the pattern list ------------------------------------------------------------------

_TAGS = {"": "drop", "[related]": "related", "[end]": "end"}
_TAG = re.compile(r"^(\[[a-z]+\])\s+")


def _read_patterns(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {kind: [] for kind in _TAGS.values()}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _TAG.match(line)
        tag = m.group(1) if m else ""
        pattern = line[m.end() :] if m else line
        if tag not in _TAGS:
            log.warning("%s:%d: unknown tag %s, pattern ignored", path, n, tag)
            continue
        try:
            re.compile(pattern)
        except re.error as err:
            log.warning("%s:%d: bad pattern ignored (%s)", path, n, err)
            continue
        if "(?P<" in pattern:
            log.warning("%s:%d: named groups are not allowed, pattern ignored", path, n)
            continue
        found[_TAGS[tag]].append(pattern)
    return found


def compile_patterns(paths: list[Path]) -> re.Pattern[str]:
    """One regex for every pattern file: a named group per kind, so a line costs one match."""
    kinds: dict[str, list[str]] = {kind: [] for kind in _TAGS.values()}
    for path in paths:
        for kind, patterns in _read_patterns(path).items():
            kinds[kind].extend(patterns)
    groups = [
        f"(?P<{kind}>{'|'.join(f'(?:{p})' for p in patterns)})"
        for kind, patterns in kinds.items()
        if patterns
    ]
    return re.compile("|".join(groups), re.IGNORECASE)


@lru_cache(maxsize=1)
def _patterns() -> re.Pattern[str]:
    user = user_config_file("boilerplate.txt")
    return compile_patterns([SHIPPED_PATTERNS] if user is None else [SHIPPED_PATTERNS, user])


def reload_patterns() -> None:
    """Forget the compiled patterns, so a changed user file is read again."""
    _patterns.cache_clear()


# --- line features ---------------------------------------------------------------------

_CLOSERS = "\"'”’)]»*"
_TERMINALS = re.compile(r"[.!?…]+[\"'”’)\]]*(?:\s|$)")
_CREDIT = re.compile(
    r"(?:(?i:\(\s*(?:foto|photo|sumber|source|dok\.?|dokumentasi|ilustrasi|gambar|image"
    r"|kredit|credit|istimewa)\b[^()]{0,60}\))"  # "(Foto: Reuters)", "(Sumber: KCNA)"
    r"|(?:^|[\s.,])/\s*[A-Z][\w.&'-]*(?:\s+(?:via\s+)?[A-Z][\w.&'-]*){0,4}"  # "/ KCNA via REUTERS"
    r"|\(?\b[A-Z]{2,}(?:\s[A-Z]{2,})*/\s*[A-Z][\w .'/-]{0,40}\)?"  # "ANTARA FOTO/Galih/aww"
    r"|©\s*[^©]{2,80}"  # "Hedy Lamarr. ©Sunset Boulevard/Corbis", "©2021 Merdeka.com"
    r")\s*\.?\s*$"
)
_CREDIT_TAIL = 90  # a credit sits in the last characters of a caption
_CAPTION_HEAD = re.compile(r"(?:foto|photo|ilustrasi)\s*:", re.IGNORECASE)
_VI_LETTERS = frozenset(
    "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "ĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
)
_VI_RE = re.compile(f"[{''.join(sorted(_VI_LETTERS))}]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ID_WORDS = words.INDONESIAN_FUNCTION
_EN_WORDS = words.ENGLISH_FUNCTION


def _last_char(line: str) -> str:
    return line.rstrip(_CLOSERS)[-1:] if line else ""


_CUT_TEASER = 10  # words of a headline a list cuts short with "..."


def is_prose(line: str) -> bool:
    """Whether a line reads like sentences of a story, not a headline, menu or label.

    A headline ending in "?" or "!" is prose only when long or holding two sentences,
    so teasers such as "Seberapa modern helikopter ...?" stay out.
    """
    if line.endswith(")"):
        line = _split_tail_signoff(line)[0]
    n = len(line.split())
    end = _last_char(line)
    if end in (".", "…"):
        if n <= _CUT_TEASER and line.endswith(("...", "…")):
            return False  # "Inilah Sederet Kebohongan Kakek ‘Winnie The Pooh...": cut short
        return n >= 5
    if end in ("?", "!"):
        return n >= 16 or len(_TERMINALS.findall(line)) >= 2
    if end == ":":
        return n >= 8
    return n >= 40 and ". " in line


def is_caption(line: str) -> bool:
    """Whether a line is a photo caption: it carries a credit ("(Foto: Reuters)")."""
    if len(line) > 600:
        return False
    if _CAPTION_HEAD.match(line):
        return True
    tail = line[-_CREDIT_TAIL:]
    return ("(" in tail or "/" in tail or "©" in tail) and _CREDIT.search(tail) is not None


def is_foreign(line: str) -> bool:
    """Whether a line is in another language (a Vietnamese caption, an English promo).

    Cheap on purpose: Vietnamese letters in more than a tenth of the letters, or a run
    of English function words with almost no Indonesian ones. Names with accents and a
    stray English term leave an Indonesian sentence well under both bars.
    """
    if not line.isascii():
        vi = len(_VI_RE.findall(line))
        if vi and vi >= 0.1 * len(_LETTER_RE.findall(line)):
            return True
    low = f" {line.casefold()} "
    if " the " not in low and " and " not in low and " of " not in low:
        return False
    words = low.split()
    if len(words) < 8:
        return False
    en = sum(w in _EN_WORDS for w in words)
    idn = sum(w in _ID_WORDS for w in words)
    return en >= 3 and en >= 0.15 * len(words) and idn <= 1


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


# --- the page --------------------------------------------------------------------------


@dataclass
class CleanPage:
    """A page taken apart: the story and what surrounds it.

    `header` and `footer` keep the non-story lines a reader of metadata needs (date lines,
    bylines, mastheads), with ads and promos already gone.
    """

    title: str | None
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    head: Head | None = None


def _classify(line: str, template: frozenset[str] = frozenset()) -> str:
    if not line:
        return "blank"
    if line[0] == "<" and _MARKUP.match(line):
        return "drop"  # markup a page shows as text (a <noscript> tracking pixel)
    if len(line) <= 300:
        m = _patterns().fullmatch(line)
        if m:
            kind = m.lastgroup or "drop"
            return "copyright" if kind == "drop" and COPYRIGHT.match(line) else kind
    if is_author_line(line):
        return "author"
    if is_date_line(line):
        return "date"
    if template and _key(line) in template:
        return "template"  # after bylines and dates: a reporter's name recurs too
    if is_foreign(line):
        return "foreign"
    if is_caption(line):
        return "caption"
    return "prose" if is_prose(line) else "short"


_MARKUP = re.compile(r"<(?:[a-z][a-z0-9]*\b[^>]*|/[a-z][a-z0-9]*\s*)>", re.IGNORECASE)
_MAX_LEAD_IN = 3  # distinct prose lines (standfirst, captions) allowed above a dateline
_GAP = 3  # non-prose lines a run of story paragraphs may hold (a photo, a teaser, an ad)
_MAIN_SHARE = 0.3  # a run this share of the heaviest one's words is story, not a teaser
_DATELINE_REACH = 15  # non-blank lines above the story's first run searched for its dateline
_MAIN_WORDS = 60  # ... or this many words: a story's first part before an inset list


@dataclass
class _Run:
    first: int
    last: int
    words: int
    lines: int


def _prose_runs(kinds: list[str], words: list[int], gap_limit: int = _GAP) -> list[_Run]:
    """Each run of prose lines, runs split by more than `gap_limit` other non-blank lines."""
    runs: list[_Run] = []
    run: _Run | None = None
    gap = 0
    for i, kind in enumerate(kinds):
        if kind == "prose":
            if run is None:
                run = _Run(i, i, 0, 0)
                runs.append(run)
            run.last, run.words, run.lines = i, run.words + words[i], run.lines + 1
            gap = 0
        elif run is not None and kind not in ("blank", "drop"):
            gap += 1
            if gap > gap_limit:
                run, gap = None, 0
    return runs


def _body_start(lines: list[str], kinds: list[str], words: list[int]) -> int | None:
    """Where the story begins: the first run of prose heavy enough to be the story (a
    teaser sentence in a sidebar above it is not), at its dateline paragraph if one
    follows a few standfirst or caption lines.
    """
    runs = _prose_runs(kinds, words)
    if not runs:
        return None
    heaviest = max(run.words for run in runs)
    bar = min(_MAIN_SHARE * heaviest, _MAIN_WORDS)
    first = next(run.first for run in runs if run.words >= bar)
    # A dateline paragraph just above (split from the rest by an inset of teasers) is
    # where the story really starts.
    looked = 0
    for i in range(first - 1, -1, -1):
        if looked >= _DATELINE_REACH:
            break
        if kinds[i] in ("blank", "drop"):
            continue
        looked += 1
        if kinds[i] == "prose" and split_dateline(lines[i]) is not None:
            return i
    seen: set[str] = set()
    for i in range(first, len(kinds)):
        if kinds[i] != "prose":
            continue
        if split_dateline(lines[i]) is not None:
            return i
        seen.add(_key(lines[i]))
        if len(seen) >= _MAX_LEAD_IN:
            break
    return first


_TEASER_WORDS = 25  # a teaser's summary is one short sentence
_TEASER_RUN = 3  # teasers in a row that make a related-articles list
_TEASER_GAP = 4  # lines between teasers (a section label, a date, "Share article")


def _teasers_from(lines: list[str], kinds: list[str], start: int) -> int | None:
    """Where a list of teasers begins after the story: a headline-like line over a
    one-sentence summary, three or more times in a row ("Cari Bukti di Rumah Ibu Angkat
    Angeline" / "Tes menggunakan lie detector terhadap Agustinus."), as outlets list their
    other stories under an article. No shipped pattern is needed to see the shape."""
    shown = [i for i in range(start, len(kinds)) if kinds[i] not in ("blank", "drop", "end")]
    units: list[int] = []  # positions in `shown` of teaser headlines
    for n in range(len(shown) - 1):
        i, j = shown[n], shown[n + 1]
        head, summary = lines[i], lines[j]
        if kinds[i] == "related" and kinds[j] == "prose":
            if len(summary.split()) <= _TEASER_WORDS:
                units.append(n)  # "Berita Terkait" over the first teaser's summary
        elif (
            kinds[i] == "short"
            and len(head.split()) >= 3
            and not head[:1].isdigit()
            and _last_char(head) not in (".", ":", ",")
            and kinds[j] == "prose"
            and len(summary.split()) <= _TEASER_WORDS
        ):
            units.append(n)
    for k in range(len(units) - _TEASER_RUN + 1):
        run = units[k : k + _TEASER_RUN]
        if all(b - a <= _TEASER_GAP for a, b in itertools.pairwise(run)):
            return shown[run[0]]
    return None


def _prose_words(lines: list[str], kinds: list[str]) -> list[int]:
    """Each prose line's weight as story: its words, none for a summary cut short with
    "..." (a teaser list's entries, however long, are no story)."""
    return [
        len(ln.split()) if k == "prose" and not ln.endswith(("...", "…")) else 0
        for ln, k in zip(lines, kinds, strict=True)
    ]


_END_GAP = 6  # lines of chrome (tags, ratings, author box, share bar) that close a story
_AFTER_SHARE = 0.5  # prose past such chrome is story only with this share of its words


def _story_end(kinds: list[str], words: list[int], start: int) -> int:
    """Where the story's prose stops: past a long stretch of page chrome, what prose
    follows is a sidebar's teasers unless it weighs like more of the story."""
    runs = _prose_runs(kinds[start:], words[start:], _END_GAP)
    if not runs:
        return len(kinds)
    story = runs[0]
    last = story.last
    for run in runs[1:]:
        if run.words < _AFTER_SHARE * story.words or run.lines < 2:
            break
        last = run.last
    return start + last + 1


def _body_end(kinds: list[str], start: int) -> int:
    """Where the story ends: at its last sign-off, or at a comment widget, whichever first."""
    end = len(kinds)
    for i in range(start, len(kinds)):
        if kinds[i] == "end":
            end = i
            break
    for i in range(end - 1, start, -1):
        if kinds[i] == "author":
            return i + 1
    return end


_TAIL_SIGNOFF = re.compile(
    r"(?<=[.!?\"”])\s*\((?P<who>[a-zA-Z]{2,5}(?:/[a-zA-Z]{2,5}){0,3}"  # "(ian)", "(Mvi/Ali)"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,3})\)$"  # "(Luh Wayanti)"
)


def _split_tail_signoff(paragraph: str) -> tuple[str, str | None]:
    """ "... sebelum Jepang. (ian)" -> the paragraph and the sign-off "(ian)"."""
    m = _TAIL_SIGNOFF.search(paragraph)
    if m is None:
        return paragraph, None
    return paragraph[: m.start()].rstrip(), f"({m['who']})"


class _Collector:
    """Body and captions in page order, each paragraph once and never the headline."""

    def __init__(self, title: str | None) -> None:
        self.body: list[str] = []
        self.captions: list[str] = []
        self._seen: set[str] = {_key(title)} if title else set()

    def add(self, line: str, caption: bool = False) -> None:
        key = _key(line)
        if key in self._seen:
            return
        self._seen.add(key)
        (self.captions if caption else self.body).append(line)


def _next_nonblank(lines: list[str], i: int) -> str | None:
    for j in range(i + 1, min(len(lines), i + 4)):
        if lines[j]:
            return lines[j]
    return None


def _page_language(lines: list[str], kinds: list[str]) -> None:
    """An English page (The Jakarta Post) is read as English: when other-language lines
    outnumber the Indonesian prose, they are the page's own language, judged by shape."""
    foreign = sum(kind == "foreign" for kind in kinds)
    if not foreign or foreign <= sum(kind == "prose" for kind in kinds):
        return
    for i, kind in enumerate(kinds):
        if kind == "foreign":
            line = lines[i]
            kinds[i] = "caption" if is_caption(line) else "prose" if is_prose(line) else "short"


_ELIGIBLE = frozenset({"short", "prose", "date"})  # kinds a headline can be


def clean_page(text: str, template: frozenset[str] = frozenset()) -> CleanPage:
    """Take a raw text page apart into headline, body paragraphs, captions and the rest.

    `template` holds the keys (`template_key`) of lines this page's site repeats on many
    pages (learned from the archive, see `index.template`): they are never the headline
    nor the story, though bylines and dates among them still count as metadata.
    """
    lines = [line.strip() for line in normalize_text(text).split("\n")]
    kinds = [_classify(line, template) for line in lines]
    _page_language(lines, kinds)
    words = _prose_words(lines, kinds)
    start = _body_start(lines, kinds, words)
    if start is None and template:
        return clean_page(text)  # the template would leave no story: read the page plainly
    if start is None:
        header = [
            ln
            for ln, k in zip(lines, kinds, strict=True)
            if k not in ("blank", "drop", "related", "copyright")
        ]
        eligible = [
            k in _ELIGIBLE for k in kinds if k not in ("blank", "drop", "related", "copyright")
        ]
        head = read_head(header, eligible)
        return CleanPage(title=head.title, header=header, head=head)

    header_idx = [
        i for i in range(start) if kinds[i] not in ("blank", "drop", "related", "end", "copyright")
    ]
    head = read_head(
        [lines[i] for i in header_idx],
        [kinds[i] in _ELIGIBLE for i in header_idx],
        [kinds[i] == "caption" and _CAPTION_HEAD.match(lines[i]) is not None for i in header_idx],
    )
    title = head.title
    out = _Collector(title)

    # Above the story: prose and credited lines below the headline are captions/standfirst.
    below = header_idx[head.index + 1 :] if head.index is not None else header_idx
    for i in below:
        if kinds[i] in ("prose", "caption"):
            out.add(lines[i], caption=True)

    end = min(_body_end(kinds, start), _story_end(kinds, words, start))
    teasers_at = _teasers_from(lines, kinds, start)
    if teasers_at is not None and teasers_at > start:
        end = min(end, teasers_at)
    footer: list[str] = []
    teasers = False
    for i in range(start, end):
        kind, line = kinds[i], lines[i]
        if kind == "related":
            teasers = True
        elif kind == "prose":
            teasers = False
            duplicated = _next_nonblank(lines, i) == line
            out.add(line, caption=duplicated)
        elif kind == "caption":
            out.add(line, caption=True)
        elif kind in ("author", "date") or (kind == "short" and not teasers):
            footer.append(line)
    footer.extend(
        ln
        for ln, k in zip(lines[end:], kinds[end:], strict=True)
        if k in ("short", "author", "template")
    )
    footer.extend(ln for ln, k in zip(lines, kinds, strict=True) if k == "copyright")

    if not out.body and template:
        return clean_page(text)  # the template would leave no story: read the page plainly
    if out.body:
        out.body[-1], signoff = _split_tail_signoff(out.body[-1])
        if signoff:
            footer.append(signoff)
    return CleanPage(
        title=title,
        body=out.body,
        captions=out.captions,
        header=[lines[i] for i in header_idx],
        footer=footer,
        head=head,
    )


def clean_head(texts: list[str]) -> CleanPage:
    """The head of a page whose story is already known (an HTML page's container, read
    apart): every line is header, and the headline, bylines and dates are read from it
    as from a text page's, without looking for the story again."""
    lines = [ln.strip() for text in texts for ln in normalize_text(text).split("\n")]
    kinds = [_classify(line) for line in lines]
    keep = [i for i, k in enumerate(kinds) if k not in ("blank", "drop", "related", "end")]
    keep = [i for i in keep if kinds[i] != "copyright"]
    header = [lines[i] for i in keep]
    head = read_head(
        header,
        [kinds[i] in _ELIGIBLE for i in keep],
        [kinds[i] == "caption" and _CAPTION_HEAD.match(lines[i]) is not None for i in keep],
    )
    footer = [ln for ln, k in zip(lines, kinds, strict=True) if k == "copyright"]
    return CleanPage(title=head.title, header=header, footer=footer, head=head)


def template_key(line: str) -> str:
    """A line as site templates know it: case and spacing do not count, and its mojibake is
    undone as the page's is (the template pass reads the pages' raw lines)."""
    return _key(repair_mojibake(line))


def clean_paragraphs(
    paragraphs: list[str], title: str | None = None
) -> tuple[list[str], list[str]]:
    """Body and captions from a structured record's paragraphs (CSV, JSON bodies).

    The same line judgements as for a page, but a record's fields already say where the
    story is, so nothing is dropped for its position: only boilerplate, repeats, the
    headline, bylines, captions and other-language lines leave the body.
    """
    out = _Collector(normalize_text(title).strip() if title else None)
    lines = [
        " ".join(line.split()) for raw in paragraphs for line in normalize_text(raw).split("\n")
    ]
    kinds = [_classify(line) for line in lines]
    _page_language(lines, kinds)
    teasers = False
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "related":
            teasers = True
        elif kind == "caption":
            out.add(line, caption=True)
        elif kind == "prose" or (kind == "short" and not teasers and _has_words(line)):
            teasers = teasers and kind != "prose"
            out.add(line)
    return out.body, out.captions


_WORD = re.compile(r"[^\W\d_]{2,}")


def _has_words(line: str) -> bool:
    """Three words or more, of letters: not ", - , ," left by a scraper's joins."""
    return len(line.split()) >= 3 and len(_WORD.findall(line)) >= 3
