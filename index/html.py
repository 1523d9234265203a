"""A saved HTML page in, one `Article` out: metadata from the markup, body from the story.

A focused extractor on selectolax (the lexbor engine) rather than a general extraction
library: trafilatura gives comparable bodies on news pages but costs 10-30 times as much a
page and dates only to the day, and an Indonesian archive of 100,000 pages must be read in
minutes. The method is readability's in miniature:

1. Metadata from what the page declares for machines: JSON-LD `NewsArticle`, Open Graph
   and `article:` meta tags, other date metas, `<link rel=canonical>`.
2. The story's container: every run of text scores for the block that holds it (fully) and
   that block's parent (three quarters), link text scores nothing, so the block holding
   the most prose wins, whether its paragraphs are `<p>`s or text split by `<br>`s.
3. That container rendered as lines (a line per block and per `<br>`), without scripts,
   styles, forms, navigation, figures and the boxes whose class or id says they are ads,
   related links, share bars or comments; figure captions are kept as captions.
4. The lines cleaned as a record's paragraphs are (`clean_paragraphs`): the same pattern
   list and line judgements as text pages.

Whatever the markup does not declare (no date meta, no site name) is read from the page's
visible text through the text-page parsers, as a fallback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from index import outlets
from index.article import Article, article_id
from index.clean import clean_head, clean_page, clean_paragraphs, normalize_text
from index.dates import parse_date
from index.errors import SkipFile
from index.metadata import find_authors, read_metadata, split_dateline, strip_site_suffix
from index.published import declares_time, is_trusted_offset, reconcile, zone_for

# --- bytes to text ---------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*(?P<cs>[a-z0-9_.:-]+)""", re.IGNORECASE
)


def decode_html(data: bytes) -> str:
    """The page's text: BOM, else UTF-8, else the charset its meta tag or http-equiv names.

    UTF-8 is tried first even when a meta tag says otherwise: saved pages are often
    re-encoded by the browser without the tag being changed, and valid UTF-8 of any length
    is almost never another encoding by accident.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise SkipFile("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m["cs"].decode("ascii").lower()
        if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            name = "cp1252"  # what browsers do: WHATWG maps these labels to windows-1252
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --- markup metadata -------------------------------------------------------------------

_DATE_METAS = (
    "article:published_time",
    "og:article:published_time",
    "published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dtk:publishdate",
    "content_publisheddate",
    "article_date_original",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "release_date",
)
_DATE_RANK = {name: i for i, name in enumerate(_DATE_METAS)}
_NEWS_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}
)
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")
_DASHED_TIME = re.compile(r"T(\d{2})-(\d{2})-(\d{2})")
_COMPACT_OFFSET = re.compile(r"(?<=:\d{2})\s?([+-]\d{2})(\d{2})$")
_WIB = timezone(timedelta(hours=7))


@dataclass
class Markup:
    """What the page declares about itself in meta tags and JSON-LD."""

    title: str | None = None
    og_title: str | None = None
    html_title: str | None = None
    h1: str | None = None
    site_name: str | None = None
    publisher: str | None = None
    published: datetime | None = None
    published_has_time: bool = False
    url: str | None = None
    authors: list[str] = field(default_factory=list)


def parse_markup_date(value: str) -> datetime | None:
    """A date from a meta tag or JSON-LD: ISO 8601, "2023/11/09 20:27:00", Unix seconds."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and 9 <= len(value) <= 13:
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, timezone.utc).astimezone(_WIB)
        except (OverflowError, OSError, ValueError):
            return None
    value = _YMD_SLASH.sub(r"\1-\2-\3", value)
    value = _DASHED_TIME.sub(r"T\1:\2:\3", value)  # "2015-06-16T14-05-11Z"
    value = _COMPACT_OFFSET.sub(r"\1:\2", value)  # "+0700" -> "+07:00"
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            found = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            found = None
        if found is not None:
            return found if found.tzinfo else found.replace(tzinfo=_WIB)
    return parse_date(value)


def _text(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    text = " ".join(node.text(deep=True).split())
    return text or None


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_items(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _json_ld_items(data["@graph"])
        yield data


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation field: a string, an object or a list."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).casefold() for k in kinds if k}


def _read_json_ld(tree: LexborHTMLParser, markup: Markup) -> None:
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True).strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # bad or absurdly nested JSON-LD: ignored
            continue
        for item in _json_ld_items(data):
            if not _types(item) & _NEWS_TYPES:
                continue
            headline = item.get("headline") or item.get("name")
            if isinstance(headline, str) and headline.strip() and markup.title is None:
                markup.title = " ".join(headline.split())
            published = item.get("datePublished") or item.get("dateCreated")
            if isinstance(published, str) and markup.published is None:
                _declare(markup, published)
            if not markup.authors:
                markup.authors = _names(item.get("author"))
            if markup.publisher is None:
                names = _names(item.get("publisher"))
                markup.publisher = names[0] if names else None
            url = item.get("url") or item.get("mainEntityOfPage")
            if isinstance(url, dict):
                url = url.get("@id")
            if isinstance(url, str) and url.startswith("http") and markup.url is None:
                markup.url = url


def _declare(markup: Markup, raw: str) -> None:
    markup.published = parse_markup_date(raw)
    markup.published_has_time = markup.published is not None and declares_time(raw)


def _read_itemprop_date(tree: LexborHTMLParser, markup: Markup) -> None:
    """`itemprop="datePublished"` on any element: its content or datetime attribute, else
    its text ("18 Jun 2015 at 06:25 WIB"); the first reading with a time of day wins."""
    for node in tree.css('[itemprop="datePublished"], [itemprop="dateCreated"]'):
        attrs = node.attributes
        for raw in (attrs.get("content"), attrs.get("datetime"), _text(node)):
            if not raw:
                continue
            value = parse_markup_date(raw)
            if value is not None and (markup.published is None or declares_time(raw)):
                markup.published, markup.published_has_time = value, declares_time(raw)
                if markup.published_has_time:
                    return


def read_markup(tree: LexborHTMLParser) -> Markup:
    """The page's declared metadata: JSON-LD first, then Open Graph and other meta tags."""
    markup = Markup()
    _read_json_ld(tree, markup)
    metas: dict[str, str] = {}
    best_date: tuple[int, str] | None = None
    for meta in tree.css("meta"):
        attrs = meta.attributes
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content")
        if not name or not content:
            continue
        metas.setdefault(name, content)
        rank = _DATE_RANK.get(name)
        if rank is not None and (best_date is None or rank < best_date[0]):
            best_date = (rank, content)
    markup.og_title = metas.get("og:title") or metas.get("twitter:title")
    markup.html_title = _text(tree.css_first("title"))
    markup.h1 = _text(tree.css_first("h1"))
    markup.site_name = metas.get("og:site_name") or metas.get("application-name")
    if markup.published is None and best_date is not None:
        _declare(markup, best_date[1])
    if markup.published is None:
        _read_itemprop_date(tree, markup)
    if markup.published is None:
        node = tree.css_first("time[datetime]")
        if node is not None:
            _declare(markup, node.attributes.get("datetime") or "")
    if not markup.authors:
        for key in ("author", "article:author", "content_author", "dtk:author", "byl"):
            value = metas.get(key, "").strip()
            if value and not value.startswith("http"):
                markup.authors = [value]
                break
    canonical = tree.css_first('link[rel="canonical"]')
    markup.url = (
        markup.url
        or metas.get("og:url")
        or (canonical.attributes.get("href") if canonical is not None else None)
    )
    return markup


def _strip_site(title: str, site: str | None) -> tuple[str, outlets.Outlet | None]:
    """A title without its " - Outlet" tail: a known outlet, or the page's own site name."""
    stripped, found = strip_site_suffix(title)
    if found or stripped != title:
        return stripped, found
    if site:
        for sep in (" - ", " | ", " – ", " — ", " : "):
            tail = f"{sep}{site}"
            if title.casefold().endswith(tail.casefold()) and len(title) > len(tail) + 5:
                return title[: -len(tail)].rstrip(), outlets.lookup(site)
    return title, None


# --- the story's container --------------------------------------------------------------

_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
    "option", "textarea", "input", "nav", "aside", "footer", "header", "figure", "picture",
    "video", "audio", "canvas", "object", "embed", "map", "head", "-comment",
})  # fmt: skip
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "blockquote", "pre", "table", "tr", "td", "th", "dl", "dt", "dd", "figcaption",
    "address", "hr", "center", "details", "summary", "body",
})  # fmt: skip
_BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|share|sharing|social|sosmed"
    r"|related|terkait|baca-?juga|bacajuga|rekomendasi|recommend\w*|comments?|komentar"
    r"|disqus|ads?|adv|advert\w*|iklan|banner|promo|newsletter|subscribe|langganan"
    r"|sidebar|widget|popular|populer|terpopuler|trending|tags?|topik|sticky|cookie"
    r"|modal|popup|footer|masthead|paging|pagination|author-box|video-embed)(?:$|[\s_-])",
    re.IGNORECASE,
)
_INTO_STORY = 6  # lines rendered into the story for a head (a byline may open it)
# What a reader never sees: left out even when the whole page is rendered.
_HIDDEN_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "iframe", "head", "-comment", "select",
    "option", "textarea", "input", "button", "canvas", "object", "embed", "map", "video",
    "audio", "picture",
})  # fmt: skip
_CHROME_BLOCKS = frozenset({"header", "footer", "nav", "aside", "figure", "form"})
# A paragraph's text counts for the block holding the paragraphs, not the paragraph.
_PARAGRAPH_TAGS = frozenset({
    "p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "pre",
})  # fmt: skip
_MIN_SCORED = 25  # characters of a text run that count as prose evidence


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and "display:none" in style.replace(" ", "").lower())


def _is_boilerplate(node: LexborNode) -> bool:
    if _is_hidden(node):
        return True
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return len(marks) > 1 and _BOILERPLATE_ATTR.search(marks) is not None


def _children(node: LexborNode) -> list[LexborNode]:
    return list(node.iter(include_text=True))


def _find_container(body: LexborNode) -> LexborNode:
    """The block holding the most prose that is not link text (see the module docstring)."""
    declared = body.css_first('[itemprop="articleBody"]')
    if declared is not None:
        return declared
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    # (node, nearest block, the block above it, weight): link text weighs nothing, text in
    # a box marked as boilerplate little. Marked boxes are not dropped here, because some
    # sites wrap the whole story in one ("widget Blog", "advert-content-wrap").
    stack: list[tuple[LexborNode, LexborNode | None, LexborNode | None, float]] = [
        (c, body, None, 1.0) for c in reversed(_children(body))
    ]
    while stack:
        node, block, upper, weight = stack.pop()
        tag = node.tag
        if tag == "-text":
            if not weight or block is None:
                continue
            n = len((node.text_content or "").strip())
            if n >= _MIN_SCORED:
                n *= weight
                key = block.mem_id
                nodes[key] = block
                scores[key] = scores.get(key, 0.0) + n
                if upper is not None:
                    ukey = upper.mem_id
                    nodes[ukey] = upper
                    scores[ukey] = scores.get(ukey, 0.0) + 0.75 * n
            continue
        if tag in _SKIP_TAGS:
            continue
        if tag == "a":
            weight = 0.0
        elif weight == 1.0 and _is_boilerplate(node):
            weight = 0.2
        if tag in _BLOCK_TAGS and tag not in _PARAGRAPH_TAGS:
            upper, block = block, node
        stack.extend((c, block, upper, weight) for c in reversed(_children(node)))
    if not scores:
        return body
    best = max(scores, key=lambda k: scores[k])
    return nodes[best]


# --- rendering ------------------------------------------------------------------------


@dataclass
class _Line:
    words: list[str] = field(default_factory=list)
    link_chars: int = 0
    chars: int = 0


def render(
    root: LexborNode,
    captions: list[str] | None = None,
    *,
    whole_page: bool = False,
    until: LexborNode | None = None,
) -> list[str]:
    """The text of a subtree as lines: one per block element and per `<br>`.

    Lines that are mostly link text and do not end a sentence (menus, related headlines)
    are left out; figure captions go to `captions` when a list is given. With
    `whole_page`, the page is rendered as a reader sees it, page chrome included (the
    `<header>` with the headline and byline, boxes marked as author or share bars), for
    the text-page reader to find the visible byline and date in. With `until`, rendering
    stops a few lines into that node (the story's container): what is wanted is the head
    above the story, not the story again.
    """
    skip = _HIDDEN_TAGS if whole_page else _SKIP_TAGS
    until_id = until.mem_id if until is not None else None
    limit: int | None = None
    lines: list[str] = []
    cur = _Line()

    def flush() -> None:
        nonlocal cur
        if cur.words:
            text = " ".join(" ".join(cur.words).split())
            linky = cur.link_chars > 0.6 * max(cur.chars, 1)
            if text and (
                whole_page or not (linky and not text.rstrip("\"'”’)").endswith((".", "!", "?")))
            ):
                lines.append(text)
        cur = _Line()

    stack: list[tuple[LexborNode, bool, bool]] = [
        (c, False, False) for c in reversed(_children(root))
    ]
    while stack:
        node, closing, in_link = stack.pop()
        tag = node.tag
        if closing:
            flush()
            if limit is not None and len(lines) >= limit:
                break
            continue
        if until_id is not None and node.mem_id == until_id:
            limit = len(lines) + _INTO_STORY
        if tag == "-text":
            text = node.text_content or ""
            if text:
                cur.words.append(text)
                n = len(text.strip())
                cur.chars += n
                if in_link:
                    cur.link_chars += n
            continue
        if tag == "br":
            flush()
            continue
        if tag == "figure" and captions is not None:
            for cap in node.css("figcaption"):
                text = _text(cap)
                if text:
                    captions.append(text)
            continue
        if tag in skip or (_is_hidden(node) if whole_page else _is_boilerplate(node)):
            continue
        block = tag in _BLOCK_TAGS or (whole_page and tag in _CHROME_BLOCKS)
        if block:
            flush()
            stack.append((node, True, in_link))
        stack.extend((c, False, in_link or tag == "a") for c in reversed(_children(node)))
    flush()
    return lines


# --- the page -------------------------------------------------------------------------


#: Elements nested inside each other a page may hold. The HTML parser's cost grows with
#: the square of the depth (40,000 nested <div>s: 1.4 s; a 2.2 MB page of them: 149 s);
#: real pages stay under a hundred.
MAX_DEPTH = 5000
_TAG = re.compile(
    r"<(/?)(?:div|section|article|span|table|tr|td|ul|ol|li|p|blockquote|b|i|a)\b", re.I
)


def _check_depth(text: str) -> None:
    """SkipFile for a page nested past MAX_DEPTH. Counted only on pages holding that many
    tags at all, so the common page pays one count."""
    if text.count("<") < MAX_DEPTH:
        return
    depth = 0
    for m in _TAG.finditer(text):
        depth += -1 if m.group(1) else 1
        if depth > MAX_DEPTH:
            raise SkipFile(f"nested more than {MAX_DEPTH:,} elements deep")


def parse_html_page(
    text: str, rel_path: str, outlet_hint: str | None = None
) -> tuple[Article, str | None]:
    """The article of a decoded HTML page, and the URL the page declares for itself.

    Raises SkipFile for a page without an article body.
    """
    _check_depth(text)
    tree = LexborHTMLParser(text)
    body_node = tree.body
    if body_node is None:
        raise SkipFile("no article body")
    markup = read_markup(tree)

    title, title_outlet = _declared_title(markup)

    container = _find_container(body_node)
    figure_captions: list[str] = []
    lines = render(container, figure_captions)
    parent = container.parent
    if parent is not None and parent.tag not in ("body", "html"):
        # The lead photo usually sits just above the story's container, beside it.
        for cap in parent.css("figcaption"):
            text = _text(cap)
            if text and text not in figure_captions:
                figure_captions.append(text)
    body, captions = clean_paragraphs(lines, title)
    fallback = None
    if not body:
        # No container stood out: read the whole page as a text page would be read.
        fallback = clean_page("\n".join(render(body_node, whole_page=True)))
        body, captions = fallback.body, fallback.captions
        title = title or fallback.title
    if not body:
        raise SkipFile("no article body")
    captions = [normalize_text(c) for c in figure_captions] + captions

    outlet = _declared_outlet(body, markup, title_outlet)
    published = markup.published
    estimated = False
    authors = [normalize_text(a) for a in markup.authors if plausible_author(a)]
    suspect_time = published is None or not (
        markup.published_has_time and is_trusted_offset(published)
    )
    if outlet is None or suspect_time or not authors or not title:
        # Read the page as its reader sees it: the byline's names and time of day, in the
        # part of the page that holds the headline and the story (all of it when the
        # outlet is still unknown: a copyright footer may name it).
        if fallback is None and outlet is None:
            fallback = clean_page("\n".join(render(body_node, whole_page=True)))
        elif fallback is None:
            region = _story_region(tree, container, body_node)
            fallback = clean_head(render(region, whole_page=True, until=container))
        meta = read_metadata(
            fallback.header,
            body,
            fallback.footer,
            title or fallback.title,
            head=fallback.head,
        )
        title = title or meta.title
        outlet = outlet or meta.outlet
        visible = None if meta.published_estimated else meta.published
        if published is None and meta.published_estimated:
            published, estimated = meta.published, True
        else:
            home = zone_for(outlet.zone if outlet else None)
            published = reconcile(published, markup.published_has_time, visible, home)
        authors = authors or meta.authors or find_authors(lines)
    if outlet is None and outlet_hint:
        outlet = outlets.get(outlet_hint)
    head = split_dateline(body[0])
    article = Article(
        id=article_id(rel_path),
        path=rel_path,
        title=normalize_text(title or "").strip(),
        body=body,
        outlet=outlet.key if outlet else None,
        outlet_name=outlet.name if outlet else None,
        published=published,
        published_estimated=estimated,
        authors=authors,
        dateline=head.place if head else None,
        captions=captions,
    )
    if not article.title:
        raise SkipFile("no title")
    return article, markup.url


def _story_region(tree: LexborHTMLParser, container: LexborNode, body: LexborNode) -> LexborNode:
    """The smallest part of the page holding both the story and its heading (`<h1>`):
    where the byline and the date stand, without the menus and sidebars around it."""
    heading = tree.css_first("h1")
    if heading is None:
        return body
    ancestors: set[int] = set()
    node: LexborNode | None = container
    while node is not None:
        ancestors.add(node.mem_id)
        node = node.parent
    node = heading
    while node is not None:
        if node.mem_id in ancestors:
            return node if node.tag not in ("html", "#document") else body
        node = node.parent
    return body


_ORGANISATION = re.compile(r"\b(?:PT|CV|Tbk|Redaksi|Admin|Newsroom|Media|Group)\b\.?", re.I)


def plausible_author(name: str) -> bool:
    """Whether a declared author is a writer: not the publisher ("PT. VIVA MEDIA BARU -
    VIVA.co.id", "Liputan6.com") nor bare initials ("bgs"), which a visible byline names
    better."""
    name = name.strip()
    if not name or len(name) > 80 or outlets.lookup(name) or outlets.lookup_desk(name):
        return False
    if _ORGANISATION.search(name) or any(outlets.lookup(p) for p in re.split(r"\s+[-|]\s+", name)):
        return False
    return " " in name or len(name) > 5 or not name.islower()


def _declared_title(markup: Markup) -> tuple[str | None, outlets.Outlet | None]:
    """The headline the markup declares, without its site name. Where the page's own
    heading is the declared title less a label ("Foto : …"), the heading is what a
    reader sees and wins."""
    for candidate in (markup.title, markup.og_title, markup.h1, markup.html_title):
        if not candidate:
            continue
        title, found = _strip_site(candidate, markup.site_name)
        h1 = markup.h1
        if h1 and len(h1) >= 10 and h1 != title and title.endswith(h1):
            title = h1
        return title, found
    return None, None


def _declared_outlet(
    body: list[str], markup: Markup, title_outlet: outlets.Outlet | None
) -> outlets.Outlet | None:
    """The publisher, strongest evidence first: the story's own dateline names the original
    publisher of a repost, then what the markup declares, then the page's domain."""
    head = split_dateline(body[0])
    if head and head.outlet:
        return head.outlet
    for name in (markup.publisher, markup.site_name):
        if name:
            found = outlets.lookup(name)
            if found:
                return found
    if title_outlet:
        return title_outlet
    if markup.url:
        return outlets.lookup(markup.url)
    return None
