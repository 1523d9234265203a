"""Attention over time (issue 17): counts per interval from the columns, zeros kept,
undated apart, shares that never divide by zero."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from search.models import Filters
from search.trend import auto_interval, next_period, period_of, periods_between

WIB = timezone(timedelta(hours=7))


def _at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, 0, tzinfo=WIB)


ARTICLES = [
    {"title": "Banjir di Jakarta", "body": ["Banjir merendam rumah warga."], "outlet": "kompas",
     "published": _at(2023, 1, 5)},
    {"title": "Banjir susulan", "body": ["Banjir kembali datang."], "outlet": "kompas",
     "published": _at(2023, 1, 20)},
    {"title": "Banjir di Bekasi", "body": ["Banjir setinggi lutut."], "outlet": "detik",
     "published": _at(2023, 3, 2)},
    {"title": "Gempa di Cianjur", "body": ["Gempa mengguncang."], "outlet": "detik",
     "published": _at(2023, 3, 9)},
    {"title": "Harga beras naik", "body": ["Harga beras naik lagi."], "outlet": "tempo",
     "published": _at(2023, 2, 14)},
    {"title": "Banjir tanpa tanggal", "body": ["Banjir di arsip lama."], "outlet": "tempo"},
    # 23:30 WIB on 31 January is 1 February in no zone a reader sees: it counts in January.
    {"title": "Banjir malam", "body": ["Banjir tengah malam."], "outlet": "detik",
     "published": _at(2023, 1, 31, 23)},
]  # fmt: skip


@pytest.fixture
def engine(mini_index):
    return mini_index(ARTICLES)


def test_months_are_counted_with_empty_ones_kept_and_undated_apart(engine):
    trend = engine.trend(["banjir"], interval="month")
    assert trend.periods == [date(2023, 1, 1), date(2023, 2, 1), date(2023, 3, 1)]
    assert [r.count for r in trend.rows] == [3, 0, 1]  # February: zero, not skipped
    assert trend.undated == {"banjir": 1}
    assert trend.matched == {"banjir": 5}


def test_by_outlet_gives_one_series_per_outlet_and_the_sums_agree(engine):
    trend = engine.trend(["banjir"], interval="month", by_outlet=True)
    cells = {(r.outlet, r.period.month): r.count for r in trend.rows}
    assert cells[("kompas", 1)] == 2 and cells[("detik", 1)] == 1 and cells[("detik", 3)] == 1
    assert cells[("kompas", 2)] == 0
    assert sum(cells.values()) == 4  # the four dated matches, each once
    assert set(trend.outlets) == {"kompas", "detik"}


def test_normalize_divides_by_the_outlets_articles_and_says_na_where_none(engine):
    trend = engine.trend(["banjir"], interval="month", by_outlet=True, normalize=True)
    share = {(r.outlet, r.period.month): r.share for r in trend.rows}
    assert share[("detik", 3)] == pytest.approx(0.5)  # one flood of two detik articles
    assert share[("kompas", 1)] == pytest.approx(1.0)
    assert share[("kompas", 2)] is None  # kompas published nothing in February: n/a


def test_queries_side_by_side_share_one_axis(engine):
    trend = engine.trend(["banjir", "gempa"], interval="month")
    assert trend.queries == ["banjir", "gempa"]
    by_query = {q: [r.count for r in trend.rows if r.query == q] for q in trend.queries}
    assert by_query == {"banjir": [3, 0, 1], "gempa": [0, 0, 1]}


def test_since_until_fix_the_span_even_with_no_match_in_it(engine):
    trend = engine.trend(
        ["banjir"], Filters(since=date(2024, 1, 1), until=date(2024, 3, 31)), "month"
    )
    assert [r.count for r in trend.rows] == [0, 0, 0]


def test_no_match_gives_no_periods(engine):
    trend = engine.trend(["tsunami"])
    assert trend.rows == [] and trend.matched == {"tsunami": 0}


def test_the_empty_query_counts_every_article(engine):
    trend = engine.trend([""], interval="year")
    assert [r.count for r in trend.rows] == [6] and trend.undated == {"": 1}


def test_weeks_start_on_monday_and_months_roll_over_the_year():
    assert period_of(date(2023, 3, 9), "week") == date(2023, 3, 6)
    assert next_period(date(2023, 12, 1), "month") == date(2024, 1, 1)
    assert periods_between(date(2023, 11, 30), date(2024, 2, 1), "month") == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]


def test_the_automatic_interval_keeps_a_chart_readable():
    assert auto_interval(date(2023, 1, 1), date(2023, 1, 31)) == "day"
    assert auto_interval(date(2023, 1, 1), date(2023, 12, 31)) == "week"
    assert auto_interval(date(2020, 1, 1), date(2023, 12, 31)) == "month"
    assert auto_interval(date(1990, 1, 1), date(2023, 12, 31)) == "year"


def test_matches_reuse_the_searchs_set_and_agree_with_a_fresh_engine(engine):
    from search.engine import Engine

    results = engine.search("banjir", Filters(since=date(2023, 2, 1)), disjunctive=True)
    kept = engine.matches("banjir", Filters(since=date(2023, 2, 1)))
    assert len(kept) == results.total
    fresh = Engine(engine.index_dir)
    for filters in (Filters(since=date(2023, 2, 1)), Filters()):
        assert set(engine.matches("banjir", filters)) == set(fresh.matches("banjir", filters))


def test_the_archive_span_runs_from_the_first_to_the_last_dated_article(engine):
    assert engine.date_span() == (date(2023, 1, 5), date(2023, 3, 9))


@pytest.mark.parametrize(
    "since, until",
    [
        (date(2023, 1, 31), date(2023, 1, 31)),  # the 23:00 article, its own day
        (date(2023, 2, 1), None),
        (None, date(2023, 1, 30)),
        (date(2023, 1, 1), date(2023, 3, 31)),
        (date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_date_filters_from_the_day_column_match_the_stored_dates(engine, since, until):
    """The day column against each article's stored publication time, read one by one:
    the wall-clock day the page prints, both ends of the range included."""
    from search.daterange import DateBounds
    from search.facets import in_days

    bounds = DateBounds(since, until)
    s = engine.searcher()
    sets = engine.docsets()
    want = set()
    for docnum in sets.live:
        iso = s.stored_fields(docnum).get("published_iso")
        if iso is None:
            continue
        day = datetime.fromisoformat(iso).date()  # the page's own day, whatever its zone
        if (since is None or day >= since) and (until is None or day <= until):
            want.add(docnum)
    assert want or (since, until) == (date(2024, 1, 1), date(2024, 12, 31))
    assert in_days(bounds, sets, s.reader()) == want


def test_dates_are_columns_not_terms(engine):
    """`published` and `words` are read from their column and stored field, so a build
    indexes no terms for them (Whoosh's eight a number)."""
    from index.schema import UNINDEXED

    reader = engine.searcher().reader()
    assert {"published", "words"} <= set(UNINDEXED)
    for name in UNINDEXED:
        assert not list(reader.lexicon(name)), name
    assert reader.has_column("published")
