"""The Whoosh schema: what is searchable, what is countable, what is stored.

Stored data is kept to what a result list and the reader need without reopening the source
file. Dates are faceted through the sortable `month` / `year` keywords (milliseconds)
rather than Whoosh's DateRangeFacet (hundreds of milliseconds at 20,000 articles).
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from index.analysis import ANALYZER, EXACT_ANALYZER

# Bump when the fields change: an index with another version is refused with "rebuild".
SCHEMA_VERSION = 3
NO_DATE = "none"


def build_schema() -> Schema:
    schema = Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        source=ID(stored=True),  # the file an article came from, for --update
        source_sig=STORED(),  # size:mtime_ns of that file when it was read
        url_key=STORED(),  # digest of the article's URL, for --update's newer-copy rule
        content_key=ID(stored=True),  # fingerprint of the cleaned text, for duplicates
        outlet=ID(stored=True, sortable=True),
        outlet_name=STORED(),
        # The wall-clock time the page prints (WIB/WITA/WIT), naive: date filters then mean
        # the dates readers see on the page. The exact instant is kept in published_iso.
        published=DATETIME(stored=False, sortable=True),
        published_iso=STORED(),
        published_estimated=STORED(),
        year=ID(stored=False, sortable=True),
        month=ID(stored=False, sortable=True),
        title=TEXT(analyzer=ANALYZER, stored=True, phrase=True),
        title_exact=TEXT(analyzer=EXACT_ANALYZER, phrase=True),
        body=TEXT(analyzer=ANALYZER, stored=True, phrase=True),
        body_exact=TEXT(analyzer=EXACT_ANALYZER, phrase=True),
        authors=TEXT(analyzer=EXACT_ANALYZER),
        authors_list=STORED(),
        dateline=STORED(),
        captions=STORED(),
        words=NUMERIC(stored=True),
        # ISO 639-1 (index.language). Only Indonesian text is stemmed: the other languages'
        # title and body are indexed as their exact words (index.analysis.Unstemmed).
        language=ID(stored=True, sortable=True),
        # The story id every copy of an article shares (index.stories); which member came
        # first is in the generation's story table (index.story_table).
        story=ID(stored=True, sortable=True),
    )
    # Kept as columns and stored values only, not as terms no search looks up. Whoosh's
    # numeric fields index eight terms a value (one a precision, for its range queries):
    # date filters and facets read the `published` column (search.docsets), and a hit's
    # word count is stored. A path, content key or story id is a term of its own for
    # nearly every article: an --update reads the content keys from the stored fields, and
    # stories come from the story table and column. Their postings and terms (a fifth of a
    # segment's terms) were about 4% of a small build's time. An index built with them indexed
    # reads the same.
    for name in UNINDEXED:
        schema[name].indexed = False
    return schema


# Fields that are columns or stored values but no terms (build_schema).
UNINDEXED = ("published", "words", "path", "content_key", "story")
