"""GA4 and Matomo exports, as the tools write them, imported into web_traffic."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.adapters.web import ga4_start
from clusterkpi.imports.reading import RawTable
from clusterkpi.imports.report import ImportReport, Problem
from clusterkpi.store import Store
from tests.import_helpers import assert_second_import_adds_nothing, kpi, load, snapshot

COLUMNS = "day, site, sessions, engaged_sessions, users, pageviews"


def traffic(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {COLUMNS} FROM web_traffic ORDER BY day, site")


def sessions(store: Store, catalog: Catalog, period: str) -> float | None:
    return kpi(store, catalog, "website_sessions", period)


def tables(report: ImportReport) -> list[tuple]:
    return [(t.source, t.rows_read, t.rows_valid) for t in report.tables]


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


def test_a_ga4_daily_report_loads_one_row_per_day(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "ga4/ga4_traffic_daily.csv")
    assert (report.status, report.rows_added, report.rows_rejected) == ("loaded", 7, 0)
    assert tables(report) == [("ga4_daily", 7, 7)]
    assert traffic(store) == [
        (d(1), "main", 23, 12, 20, 51),
        (d(2), "main", 58, 35, 49, 171),
        (d(3), "main", 61, 40, 52, 180),
        (d(4), "main", 49, 30, 41, 133),
        (d(5), "main", 55, 37, 47, 160),
        (d(6), "main", 44, 26, 38, 118),
        (d(7), "main", 18, 9, 16, 40),
    ]
    assert sessions(store, catalog, "2026-03") == 23 + 58 + 61 + 49 + 55 + 44 + 18


def test_a_ga4_date_by_page_report_adds_up_to_days(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "ga4/ga4_date_page_path.csv")
    assert (report.status, report.rows_added) == ("loaded", 3)
    assert tables(report) == [("ga4_daily", 8, 8)]
    assert traffic(store) == [
        (d(10), "main", 30 + 12 + 8, 19 + 9 + 6, 27 + 11 + 8, 41 + 15 + 9),
        (d(11), "main", 26 + 14 + 5, 15 + 10 + 3, 24 + 13 + 5, 33 + 18 + 6),
        (d(12), "main", 21 + 7, 12 + 4, 19 + 7, 28 + 8),
    ]
    assert sessions(store, catalog, "2026-03") == 50 + 45 + 28


def test_a_ga4_nth_day_block_counts_from_the_start_date_of_its_preamble(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "ga4/ga4_reports_snapshot.csv")
    assert report.status == "loaded"
    assert tables(report) == [("ga4_nth_day", 4, 4), ("ga4_totals", 3, 3)]
    assert report.problems == []
    assert traffic(store) == [
        (d(13), "main", 45, None, None, None),
        # The source / medium block: one row over # Start date .. # End date.
        (d(13), "main", 98 + 54 + 24, None, None, None),
        (d(14), "main", 52, None, None, None),
        (d(15), "main", 38, None, None, None),
        (d(16), "main", 41, None, None, None),
    ]
    assert store.rows("SELECT day, day_end FROM web_traffic WHERE sessions = 176") == [
        (d(13), d(17))
    ]
    # The daily rows cover every day of the total: it is not added on top.
    assert sessions(store, catalog, "2026Q1") == 45 + 52 + 38 + 41


def test_a_ga4_table_without_days_is_one_row_over_the_report_period(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "ga4/ga4_source_medium_totals.csv")
    assert (report.status, tables(report)) == ("loaded", [("ga4_totals", 3, 3)])
    # Active users are not added across sources (a user may come from two).
    assert store.rows(f"SELECT day_end, {COLUMNS} FROM web_traffic") == [
        (d(1, 5), d(1, 4), "main", 620 + 240 + 95, 410 + 130 + 60, None,
         1800 + 610 + 260)
    ]  # fmt: skip
    assert sessions(store, catalog, "2026-04") == 955


def test_a_newer_overlapping_ga4_export_updates_days_by_key(
    store: Store, catalog: Catalog
) -> None:
    load(store, "ga4/ga4_traffic_daily.csv")
    report = load(store, "ga4/ga4_traffic_daily_newer.csv")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 2, 2)
    assert report.tables[0].counts.unchanged == 1
    assert traffic(store)[4:] == [
        (d(5), "main", 56, 38, 47, 162),
        (d(6), "main", 45, 27, 39, 120),
        (d(7), "main", 18, 9, 16, 40),
        (d(8), "main", 47, 29, 40, 125),
        (d(9), "main", 39, 22, 33, 101),
    ]
    assert (
        sessions(store, catalog, "2026-03")
        == 23 + 58 + 61 + 49 + 56 + 45 + 18 + 47 + 39
    )


def test_matomo_translated_visits_load_with_unique_visitors_and_actions(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "matomo/export_visits_summary_en.csv")
    assert (report.status, report.rows_added) == ("loaded", 7)
    assert tables(report) == [("matomo_visits", 7, 7)]
    assert traffic(store) == [
        (d(1, 4), "main", 41, None, 38, 129),
        (d(2, 4), "main", 37, None, 35, 102),
        (d(3, 4), "main", 30, None, 29, 88),
        (d(4, 4), "main", 9, None, 9, 17),
        (d(5, 4), "main", 0, None, 0, 0),
        (d(6, 4), "main", 47, None, 44, 160),
        (d(7, 4), "main", 42, None, 40, 131),
    ]
    assert sessions(store, catalog, "2026-04") == 41 + 37 + 30 + 9 + 0 + 47 + 42


def test_a_newer_matomo_api_export_updates_the_overlapping_days(
    store: Store, catalog: Catalog
) -> None:
    load(store, "matomo/export_visits_summary_en.csv")
    report = load(store, "matomo/export_visits_summary_api.csv")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 3, 2)
    assert report.tables[0].counts.unchanged == 1
    assert traffic(store)[4:] == [
        (d(5, 4), "main", 3, None, 3, 5),
        (d(6, 4), "main", 48, None, 45, 163),
        (d(7, 4), "main", 42, None, 40, 131),
        (d(8, 4), "main", 39, None, 37, 119),
        (d(9, 4), "main", 35, None, 33, 97),
        (d(10, 4), "main", 28, None, 27, 70),
    ]
    assert (
        sessions(store, catalog, "2026-04")
        == 41 + 37 + 30 + 9 + 3 + 48 + 42 + 39 + 35 + 28
    )


def test_a_french_matomo_tsv_loads(store: Store, catalog: Catalog) -> None:
    report = load(store, "matomo/export_visites_fr.tsv")
    assert (report.status, report.rows_added) == ("loaded", 5)
    assert traffic(store) == [
        (d(4, 5), "main", 55, None, 51, 170),
        (d(5, 5), "main", 50, None, 47, 151),
        (d(6, 5), "main", 44, None, 42, 139),
        (d(7, 5), "main", 41, None, 39, 120),
        (d(8, 5), "main", 6, None, 6, 9),
    ]
    assert sessions(store, catalog, "2026-05") == 55 + 50 + 44 + 41 + 6


def test_n_a_and_a_dash_in_a_count_are_no_value_not_a_problem(store: Store) -> None:
    report = load(store, "ga4/ga4_traffic_daily_na.csv")
    assert (report.status, report.problems, report.rows_added) == ("loaded", [], 7)
    assert traffic(store)[1] == (d(2), "main", 58, None, 49, None)


@pytest.mark.parametrize(
    "path",
    [
        "ga4/ga4_traffic_daily.csv",
        "ga4/ga4_date_page_path.csv",
        "matomo/export_visits_summary_en.csv",
        "matomo/export_visits_summary_api.csv",
        "matomo/export_visites_fr.tsv",
    ],
)
def test_the_same_export_twice_adds_nothing(store: Store, path: str) -> None:
    assert_second_import_adds_nothing(store, path)


@pytest.mark.parametrize(
    ("path", "problems"),
    [
        (
            "ga4/bad_sessions_abc.csv",
            [Problem("invalid_integer", 14, "Sessions", "abc")],
        ),
        (  # beyond what a 64-bit integer holds: refused, not a crash
            "ga4/bad_views_too_large.csv",
            [Problem("invalid_integer", 14, "Views", "100000000000000000000")],
        ),
        (
            "ga4/bad_no_sessions_pages.csv",
            [Problem("missing_columns", params={"columns": "Sessions"})],
        ),
        (
            "matomo/bad_no_data_available.csv",
            [Problem("no_data", params={"name": "bad_no_data_available.csv"})],
        ),
    ],
)
def test_a_defective_export_is_explained_and_changes_nothing(
    store: Store, path: str, problems: list[Problem]
) -> None:
    load(store, "ga4/ga4_traffic_daily.csv")
    before = snapshot(store)
    report = load(store, path)
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == problems
    assert snapshot(store) == before


def test_the_no_data_problem_tells_what_to_check(store: Store) -> None:
    report = load(store, "matomo/bad_no_data_available.csv")
    assert report.problems[0][1].message("en") == (
        "“bad_no_data_available.csv” holds no data (the export says “No data available”):"
        " check the period and the site chosen in the tool, then export again."
    )


@pytest.mark.parametrize(
    ("preamble", "found"),
    [
        (
            ("# All Users", "# Start date: 20260901", "# End date: 20260922"),
            "2026-09-01",
        ),
        (("# ----", "# 20260901-20260922"), "2026-09-01"),
        (("# Reports snapshot",), None),
    ],
)
def test_the_ga4_start_date_comes_from_either_preamble_form(
    preamble: tuple[str, ...], found: str | None
) -> None:
    table = RawTable(
        "r.csv", ("Nth day", "Sessions"), [], [], preamble, None, "utf-8", ","
    )
    assert ga4_start(table) == ({"start_date": found} if found else {})
