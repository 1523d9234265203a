"""Properties over everything a user or a page can type (issue 14): the query reader, the
cleaner and the date parser never fail but as they are meant to, on any text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.clean import clean_page, clean_paragraphs, normalize_text
from index.dates import find_date
from index.errors import WartaError
from index.metadata import read_head
from search.engine import Engine

# Text as pages and users produce it: any characters, with the ones queries and pages
# give meaning to made frequent.
SPECIAL = '()"*:-+ \n\t\x1b\u202e\u200bORANDNOT0123456789/.,'
TEXT = st.text(alphabet=st.characters() | st.sampled_from(list(SPECIAL)), max_size=300)
QUERY = st.text(alphabet=st.sampled_from(list(SPECIAL + "abcrudalkorut")), max_size=120)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from index.build import build_index

    target = tmp_path_factory.mktemp("props") / "ix"
    build_index(Path(__file__).resolve().parents[2] / "seeds", target)
    return Engine(target)


@FAST
@given(query=QUERY | TEXT)
def test_any_query_is_answered_or_refused_in_one_line(engine: Engine, query: str) -> None:
    started = time.monotonic()
    try:
        engine.search(query, page_size=5)
    except WartaError as err:
        assert "\n" not in str(err).strip() or "\n" in query
    assert time.monotonic() - started < 2.0


@FAST
@given(text=TEXT)
def test_cleaning_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    page = clean_page(text)
    body, _ = clean_paragraphs(page.body, page.title)
    assert clean_paragraphs(body, page.title)[0] == body
    read_head(text.splitlines())


@FAST
@given(text=TEXT | st.from_regex(r"\d{1,3}[/ .-]\d{1,3}[/ .-]\d{1,500}( \d{1,3}:\d{1,3})?"))
def test_the_date_parser_never_raises(text: str) -> None:
    found = find_date(text)
    if found is not None:
        assert 1900 <= found.value.year <= 2100
