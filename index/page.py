"""One raw text page in, one `Article` out."""

from __future__ import annotations

from index.article import Article, article_id
from index.clean import clean_page
from index.errors import SkipFile
from index.metadata import read_metadata


def parse_text_page(
    text: str,
    rel_path: str,
    outlet_hint: str | None = None,
    template: frozenset[str] = frozenset(),
) -> Article:
    """The article in a decoded raw text page (a browser's "save as text", innerText).

    `outlet_hint` (from `--outlet KEY` or a folder named after an outlet key) names the
    outlet only when the page names none itself: the page's own evidence wins.
    Raises SkipFile for a page with no prose paragraph, such as a bare navigation page.
    """
    page = clean_page(text, template)
    if not page.body:
        raise SkipFile("no article body")
    meta = read_metadata(page.header, page.body, page.footer, page.title, outlet_hint, page.head)
    return Article(
        id=article_id(rel_path),
        path=rel_path,
        title=meta.title or "",
        body=page.body,
        outlet=meta.outlet.key if meta.outlet else None,
        outlet_name=meta.outlet.name if meta.outlet else None,
        published=meta.published,
        published_estimated=meta.published_estimated,
        authors=meta.authors,
        dateline=meta.dateline,
        captions=page.captions,
        words=meta.words,
    )
