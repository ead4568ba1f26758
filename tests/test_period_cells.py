"""Period cells (Matomo date keys, GA4 week and month dimensions) and their imports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clusterkpi.imports.period_cells import (
    CALENDAR,
    ISO_WEEK,
    YEAR_MONTH,
    YEAR_WEEK,
    period_expr,
)
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.import_helpers import assert_second_import_adds_nothing, load, snapshot

Span = tuple[date, date] | None


def read(cell: str, *formats: str) -> Span:
    """The (start, exclusive end) DuckDB reads from one cell."""
    store = Store(":memory:")
    try:
        found = store.rows(
            f"SELECT {period_expr('c', formats)} FROM (SELECT ?::VARCHAR AS c)", [cell]
        )[0][0]
    finally:
        store.close()
    return None if found is None else (found["day_start"], found["day_end"])


def month(year: int, number: int) -> tuple[date, date]:
    following = date(year + number // 12, number % 12 + 1, 1)
    return date(year, number, 1), following


def iso_week(year: int, week: int) -> tuple[date, date]:
    start = date.fromisocalendar(year, week, 1)
    return start, start + timedelta(days=7)


def google_week(year: int, week: int) -> tuple[date, date]:
    """GA4's 'Week': Sunday to Saturday, week 01 holds 1 January, cut at the year."""
    jan1 = date(year, 1, 1)
    sunday = jan1 - timedelta(days=jan1.isoweekday() % 7)
    start = max(jan1, sunday + timedelta(weeks=week - 1))
    end = min(date(year + 1, 1, 1), sunday + timedelta(weeks=week))
    return start, end


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-04-05", (date(2026, 4, 5), date(2026, 4, 6))),
        ("2026-04", month(2026, 4)),
        ("2026-12", month(2026, 12)),
        ("2026", (date(2026, 1, 1), date(2027, 1, 1))),
        ("2009-12-28,2010-01-03", (date(2009, 12, 28), date(2010, 1, 4))),
        ("2026-01-01, 2026-03-31", (date(2026, 1, 1), date(2026, 4, 1))),
        ("2026-04-05,2026-04-01", None),  # ends before it starts
        ("2026-13", None),
        ("2026-02-30", None),
        ("last30", None),
    ],
)
def test_a_matomo_date_key_names_its_period(cell: str, expected: Span) -> None:
    assert read(cell, CALENDAR) == expected


@pytest.mark.parametrize(
    ("cell", "formats", "expected"),
    [
        ("202604", (YEAR_MONTH,), month(2026, 4)),
        ("202512", (YEAR_MONTH,), month(2025, 12)),
        ("202613", (YEAR_MONTH,), None),
        ("202601", (ISO_WEEK,), iso_week(2026, 1)),  # starts 29 Dec 2025
        ("202614", (ISO_WEEK,), iso_week(2026, 14)),
        ("202053", (ISO_WEEK,), iso_week(2020, 53)),  # 2020 is a long ISO year
        ("202153", (ISO_WEEK,), None),  # 2021 is not
        ("202600", (ISO_WEEK,), None),
        ("202601", (YEAR_WEEK,), google_week(2026, 1)),  # Thu 1 to Sat 3 January
        ("202602", (YEAR_WEEK,), google_week(2026, 2)),
        ("202553", (YEAR_WEEK,), google_week(2025, 53)),  # Sun 28 to Wed 31 Dec
        ("202654", (YEAR_WEEK,), None),
        ("2026-04", (YEAR_MONTH, CALENDAR), month(2026, 4)),
        ("2026-04", (), month(2026, 4)),  # no format: a Matomo date key
    ],
)
def test_ga4_week_and_month_values_name_their_period(
    cell: str, formats: tuple[str, ...], expected: Span
) -> None:
    assert read(cell, *formats) == expected


def test_the_google_week_helper_agrees_with_the_calendar() -> None:
    """The hand-written expectation itself: 1 Jan 2026 is a Thursday."""
    assert google_week(2026, 1) == (date(2026, 1, 1), date(2026, 1, 4))
    assert google_week(2025, 53) == (date(2025, 12, 28), date(2026, 1, 1))


PERIOD_ROWS = "SELECT day, day_end, site, sessions, engaged_sessions, users, pageviews"


def stored(store: Store) -> list[tuple]:
    return store.rows(f"{PERIOD_ROWS} FROM web_traffic ORDER BY day, day_end")


def test_a_matomo_weekly_export_stores_each_week(store: Store) -> None:
    report = load(store, "matomo/visits_summary_week_en.csv")
    assert (report.status, report.rows_added, report.problems) == ("loaded", 4, [])
    assert stored(store) == [
        (date(2026, 3, 16), date(2026, 3, 23), "main", 240, None, 201, 702),
        (date(2026, 3, 23), date(2026, 3, 30), "main", 221, None, 188, 650),
        (date(2026, 3, 30), date(2026, 4, 6), "main", 210, None, 176, 597),
        (date(2026, 4, 6), date(2026, 4, 13), "main", 230, None, 193, 688),
    ]


def test_a_matomo_monthly_api_export_stores_each_month(store: Store) -> None:
    report = load(store, "matomo/visits_summary_month_api.csv")
    assert (report.status, report.rows_added) == ("loaded", 3)
    assert stored(store) == [
        (*month(2026, 1), "main", 960, None, 810, 2890),
        (*month(2026, 2), "main", 925, None, 790, 2760),
        (*month(2026, 3), "main", 1050, None, 905, 3120),
    ]


def test_a_ga4_year_month_report_adds_up_channels_per_month(store: Store) -> None:
    report = load(store, "ga4/ga4_traffic_year_month.csv")
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("ga4_monthly", 6, 6)
    ]
    assert stored(store) == [
        (*month(2026, 1), "main", 410 + 150, 260 + 80, 350 + 140, 1200 + 390),
        (*month(2026, 2), "main", 380 + 140, 250 + 70, 330 + 130, 1110 + 350),
        (*month(2026, 3), "main", 450 + 170, 300 + 95, 390 + 150, 1330 + 420),
    ]


def test_ga4_iso_weeks_and_google_weeks_store_their_days(store: Store) -> None:
    load(store, "ga4/ga4_traffic_iso_week.csv")
    assert stored(store) == [
        (*iso_week(2026, 13), "main", 301, 190, 260, 880),
        (*iso_week(2026, 14), "main", 287, 180, 250, 842),
        (*iso_week(2026, 15), "main", 312, 200, 270, 901),
    ]
    other = Store(":memory:")
    try:
        load(other, "ga4/ga4_traffic_year_week.csv")
        assert stored(other) == [
            (*google_week(2025, 53), "main", 120, 70, 100, 340),
            (*google_week(2026, 1), "main", 98, 60, 85, 280),
            (*google_week(2026, 2), "main", 305, 190, 260, 870),
        ]
    finally:
        other.close()


@pytest.mark.parametrize(
    "path",
    [
        "matomo/visits_summary_week_en.csv",
        "ga4/ga4_traffic_year_month.csv",
        "ga4/ga4_traffic_iso_week.csv",
        "ga4/ga4_source_medium_totals.csv",
    ],
)
def test_the_same_period_export_twice_adds_nothing(store: Store, path: str) -> None:
    assert_second_import_adds_nothing(store, path)


def test_a_period_row_and_the_daily_rows_it_spans_are_both_kept(store: Store) -> None:
    """Different periods are different rows: neither replaces the other."""
    load(store, "ga4/ga4_traffic_daily.csv")
    daily = stored(store)
    total = (
        b"# Start date: 20260301\n# End date: 20260307\n"
        b"Session source / medium,Sessions\ngoogle / organic,300\n"
    )
    report = load(store, "ga4/total.csv", raw=total)
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 1, 0)
    assert stored(store) == sorted(
        [*daily, (date(2026, 3, 1), date(2026, 3, 8), "main", 300, None, None, None)],
        key=lambda r: (r[0], r[1]),
    )


def test_an_unreadable_period_is_refused_with_its_cell(store: Store) -> None:
    before = snapshot(store)
    bad = (
        b"Date,Unique visitors,Visits,Actions,Bounces\n"
        b'"2026-03-16,2026-03-22",201,240,702,101\n'
        b"last week,188,221,650,95\n"
    )
    report = load(store, "matomo/bad_period.csv", raw=bad)
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("invalid_period", 3, "Date", "last week")
    ]
    assert report.problems[0][1].message("en") == (
        "Not a readable period (a day, week, month, year or a 'start,end' range)."
    )
    assert snapshot(store) == before


def test_a_ga4_week_number_takes_its_year_from_the_report_dates(store: Store) -> None:
    """Weeks 52 and 53 are of 2025 (the report starts 21 Dec 2025), 01 and 02 of 2026."""
    report = load(store, "ga4/ga4_traffic_week_number.csv")
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("ga4_week_number", 4, 4)
    ]
    assert stored(store) == [
        (*google_week(2025, 52), "main", 210, 130, 180, 600),
        (*google_week(2025, 53), "main", 120, 70, 100, 340),
        (*google_week(2026, 1), "main", 98, 60, 85, 280),
        (*google_week(2026, 2), "main", 305, 190, 260, 870),
    ]
