"""Each date column read with the format its values call for (issue #12, point 2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clusterkpi.imports.dates import (
    EARLIEST,
    ColumnDates,
    choose_readings,
    column_dates,
)
from clusterkpi.imports.fields import FieldMap, Kind
from clusterkpi.imports.report import Problem
from clusterkpi.imports.transform import date_expr
from clusterkpi.store import Store
from tests.import_helpers import every_table, key, load

BOUNDS = (EARLIEST, date(2027, 11, 26))
DAY = FieldMap("day", kind=Kind.DATE)


def chosen(values: list[str], wanted: str | None = None) -> tuple[list[str], bool]:
    readings, ambiguous = choose_readings(DAY, values, wanted, BOUNDS)
    return [r.name for r in readings], ambiguous


def parsed(store: Store, values: list[str]) -> list[datetime | None]:
    """Each value read by the SQL of its column's chosen formats."""
    readings, _ = choose_readings(DAY, values, None, BOUNDS)
    sql = date_expr("v", column_dates(readings, values))
    return [
        store.scalar(f"SELECT {sql} FROM (SELECT ?::VARCHAR AS v)", [v]) for v in values
    ]


# (values, the reading chosen, ambiguous, what each value is)
EXAMPLES = {
    "us_two_digit_year_with_time": (
        ["5/7/24 10:26", "11/29/24 22:28"],
        ["mdy/%y"],
        False,
        [datetime(2024, 5, 7, 10, 26), datetime(2024, 11, 29, 22, 28)],
    ),
    "day_first_two_digit_year": (
        ["07/05/24", "31/12/24"],
        ["dmy/%y"],
        False,
        [datetime(2024, 5, 7), datetime(2024, 12, 31)],
    ),
    "us_four_digit_year": (
        ["11/29/2024 10:26", "5/7/2024 9:05"],
        ["mdy/%Y"],
        False,
        [datetime(2024, 11, 29, 10, 26), datetime(2024, 5, 7, 9, 5)],
    ),
    "iso_with_offsets_keeps_the_local_time": (
        [
            "2023-01-24 23:49:27-05:00",
            "2026-01-01T00:00:00+0000",
            "2026-08-15 12:00 +0000",
            "2026-03-01T08:30:00.250Z",
        ],
        ["iso"],
        False,
        [
            datetime(2023, 1, 24, 23, 49, 27),
            datetime(2026, 1, 1),
            datetime(2026, 8, 15, 12, 0),
            datetime(2026, 3, 1, 8, 30, 0, 250000),
        ],
    ),
    "google_forms_year_first_with_zone": (
        ["2026/01/15 9:05:12 AM GMT+1", "2026/01/15 9:05:12 PM GMT+1"],
        ["year_first"],
        False,
        [datetime(2026, 1, 15, 9, 5, 12), datetime(2026, 1, 15, 21, 5, 12)],
    ),
    "ga4_date_and_hour": (
        ["2026040113", "2026040200"],
        ["ga4_date_hour"],
        False,
        [datetime(2026, 4, 1, 13), datetime(2026, 4, 2, 0)],
    ),
    "ga4_date": (
        ["20260401", "20261231"],
        ["compact"],
        False,
        [datetime(2026, 4, 1), datetime(2026, 12, 31)],
    ),  # fmt: skip
    "french_months": (
        ["5 janv. 2026", "5 janvier 2026", "1er mars 2026", "12 août 2026"],
        ["day_month_name"],
        False,
        [
            datetime(2026, 1, 5),
            datetime(2026, 1, 5),
            datetime(2026, 3, 1),
            datetime(2026, 8, 12),
        ],
    ),  # fmt: skip
    "english_months": (
        ["Jan 5, 2026", "Fri, Jun 5, 2026", "Mar 5, 2026 10:15 am"],
        ["month_name_day"],
        False,
        [datetime(2026, 1, 5), datetime(2026, 6, 5), datetime(2026, 3, 5, 10, 15)],
    ),
    "german_months": (
        ["5. Januar 2026", "5. Mär. 2026", "3. Okt. 2026"],
        ["day_month_name"],
        False,
        [datetime(2026, 1, 5), datetime(2026, 3, 5), datetime(2026, 10, 3)],
    ),
    "spanish_months_and_weekdays": (
        ["5 de enero de 2026", "mar 5 ene 2026", "sáb 7 feb 2026"],
        ["day_month_name"],
        False,
        [datetime(2026, 1, 5), datetime(2026, 1, 5), datetime(2026, 2, 7)],
    ),
    "ambiguous_day_first_by_default": (
        ["03/02/2023", "01/12/2024"],
        ["dmy/%Y"],
        True,
        [datetime(2023, 2, 3), datetime(2024, 12, 1)],
    ),
    "one_day_above_12_makes_the_column_day_first": (
        ["03/02/2023", "15/01/2024"],
        ["dmy/%Y"],
        False,
        [datetime(2023, 2, 3), datetime(2024, 1, 15)],
    ),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_column_gets_the_reading_that_reads_all_its_values(
    store: Store, name: str
) -> None:
    values, readings, ambiguous, expected = EXAMPLES[name]
    assert chosen(values) == (readings, ambiguous)
    assert parsed(store, values) == expected


def test_the_animators_order_decides_only_an_ambiguous_column() -> None:
    assert chosen(["03/02/2023", "01/12/2024"], "mdy") == (["mdy/%Y"], True)
    # A day above 12: month-first is impossible, whatever the animator chose.
    assert chosen(["03/02/2023", "15/01/2024"], "mdy") == (["dmy/%Y"], False)


def test_a_source_format_wins_when_it_reads_every_value() -> None:
    linkedin = FieldMap("day", kind=Kind.DATE, formats=("%m/%d/%Y",))
    readings, ambiguous = choose_readings(linkedin, ["01/02/2026"], None, BOUNDS)
    assert ([r.name for r in readings], ambiguous) == (["declared"], False)
    # Its declared format cannot read these: the values decide.
    readings, _ = choose_readings(linkedin, ["15/01/2026", "3/2/26"], None, BOUNDS)
    assert [r.name for r in readings] == ["dmy/%Y", "dmy/%y"]


def test_a_two_digit_year_is_tried_before_the_four_digit_one(store: Store) -> None:
    # DuckDB's %Y would read '24' as the year 24.
    values = ["15/01/2024", "5/7/24"]
    assert chosen(values) == (["dmy/%Y", "dmy/%y"], False)
    formats = column_dates(choose_readings(DAY, values, None, BOUNDS)[0], values)
    assert formats.formats[0] == "%d/%m/%y"
    assert parsed(store, values) == [datetime(2024, 1, 15), datetime(2024, 7, 5)]


@pytest.mark.parametrize(
    "values",
    [["45123", "45124.5"], ["202604", "202605"], ["2026-W14"], ["2026-04"], ["2026"]],
)
def test_serial_numbers_months_and_weeks_are_never_read_as_days(
    store: Store, values: list[str]
) -> None:
    assert chosen(values) == ([], False)
    assert parsed(store, values) == [None] * len(values)


def test_a_column_without_values_reads_iso_dates() -> None:
    formats = column_dates((), [])
    assert isinstance(formats, ColumnDates)
    assert formats.formats[0] == "%Y-%m-%d"
    assert formats.word_formats == ()


# ------------------------------------------------------------ whole imports

HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Create Date,Last Activity Date\n"
    "1,Ann,Lee,ann@example.com,11/29/2024 10:26,12/03/2024 09:00\n"
    "2,Bob,Ray,bob@example.com,5/7/2024 08:15,5/8/2024 17:45\n"
    "3,Cy,Orr,cy@example.com,01/02/2025 11:00,02/01/2025 12:00\n"
)


def contacts(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT contact_key, subscribed_on, changed_on FROM contacts ORDER BY 2"
    )


@pytest.mark.parametrize("order", [None, "mdy", "dmy"])
def test_a_us_dated_hubspot_export_is_read_month_first(
    store: Store, order: str | None
) -> None:
    report = load(store, "hubspot/contacts_us.csv", HUBSPOT.encode(), date_order=order)
    assert report.status == "loaded"
    assert [p for _, p in report.problems] == []
    [table] = report.tables
    assert (table.date_order, table.date_order_ambiguous) == ("mdy", False)
    assert contacts(store) == [
        (key("bob@example.com"), date(2024, 5, 7), date(2024, 5, 8)),
        (key("ann@example.com"), date(2024, 11, 29), date(2024, 12, 3)),
        (key("cy@example.com"), date(2025, 1, 2), date(2025, 2, 1)),
    ]


def test_two_digit_years_of_an_eventbrite_like_export_load(store: Store) -> None:
    raw = (
        "Record ID,Email,Create Date,Last Activity Date\n"
        "1,ann@example.com,5/7/24 10:26,11/29/24 22:28\n"
        "2,bob@example.com,1/20/26 22:28,1/22/26 9:05\n"
    )
    report = load(store, "hubspot/contacts_2digits.csv", raw.encode())
    assert report.status == "loaded"
    assert contacts(store) == [
        (key("ann@example.com"), date(2024, 5, 7), date(2024, 11, 29)),
        (key("bob@example.com"), date(2026, 1, 20), date(2026, 1, 22)),
    ]


ROSTER = (
    "Raison sociale;Type de structure;Pays;Région;Date d'adhésion;Date de fin\n"
    "Alpha;PME;France;Occitanie;03/02/2023;\n"
    "Beta;PME;France;Occitanie;15/01/2024;\n"
    "Gamma;PME;France;Occitanie;1/12/2024;\n"
)


def joined(store: Store) -> list[tuple]:
    return store.rows("SELECT name, joined_on FROM members ORDER BY name")


@pytest.mark.parametrize("order", [None, "mdy"])
def test_a_day_first_roster_is_read_day_first_even_when_mdy_is_asked(
    store: Store, order: str | None
) -> None:
    report = load(store, "templates/adherents.csv", ROSTER.encode(), date_order=order)
    assert report.status == "loaded"
    [table] = report.tables
    # The report says which order was used: day first, the only one that fits.
    assert (table.date_order, table.date_order_ambiguous) == ("dmy", False)
    assert joined(store) == [
        ("Alpha", date(2023, 2, 3)),
        ("Beta", date(2024, 1, 15)),
        ("Gamma", date(2024, 12, 1)),
    ]


def test_an_ambiguous_roster_follows_the_animators_order(store: Store) -> None:
    raw = ROSTER.replace("15/01/2024", "10/01/2024")
    report = load(store, "templates/adherents.csv", raw.encode(), date_order="mdy")
    [table] = report.tables
    assert (table.date_order, table.date_order_ambiguous) == ("mdy", True)
    assert joined(store) == [
        ("Alpha", date(2023, 3, 2)),
        ("Beta", date(2024, 10, 1)),
        ("Gamma", date(2024, 1, 12)),
    ]


def test_month_names_of_every_language_load(store: Store) -> None:
    raw = (
        "Raison sociale;Type de structure;Pays;Région;Date d'adhésion;Date de fin\n"
        "Alpha;PME;France;Occitanie;5 janv. 2026;\n"
        "Beta;PME;France;Occitanie;5. März 2025;\n"
        "Gamma;PME;France;Occitanie;12 de agosto de 2024;\n"
        "Delta;PME;France;Occitanie;1er décembre 2023;\n"
    )
    report = load(store, "templates/adherents.csv", raw.encode())
    assert report.status == "loaded"
    assert joined(store) == [
        ("Alpha", date(2026, 1, 5)),
        ("Beta", date(2025, 3, 5)),
        ("Delta", date(2023, 12, 1)),
        ("Gamma", date(2024, 8, 12)),
    ]


def test_excel_day_numbers_are_refused_with_their_reason(store: Store) -> None:
    before = every_table(store)
    raw = (
        "Raison sociale;Type de structure;Pays;Région;Date d'adhésion;Date de fin\n"
        "Alpha;PME;France;Occitanie;45123;\n"
        "Beta;PME;France;Occitanie;15/01/2024;\n"
    )
    report = load(store, "templates/adherents.csv", raw.encode())
    assert report.status == "rejected"
    [table] = report.tables
    assert [(p.reason, p.value) for p in table.problems] == [
        ("dates_excel_serial", "45123")
    ]
    assert every_table(store) == before
    assert (
        Problem("dates_excel_serial")
        .message("en")
        .startswith("A number instead of a date")
    )


def test_a_column_of_excel_day_numbers_only_is_read_and_said(store: Store) -> None:
    raw = (
        "Raison sociale;Type de structure;Pays;Région;Date d'adhésion;Date de fin\n"
        "Alpha;PME;France;Occitanie;45123;\n"
        "Beta;PME;France;Occitanie;45307.75;\n"
    )
    report = load(store, "templates/adherents.csv", raw.encode())
    assert report.status == "loaded"
    assert store.rows("SELECT name, joined_on FROM members ORDER BY name") == [
        ("Alpha", date(1899, 12, 30) + timedelta(days=45123)),
        ("Beta", date(1899, 12, 30) + timedelta(days=45307)),
    ]
    [table] = report.tables
    assert [(w.reason, w.column, w.value) for w in table.warnings] == [
        ("dates_excel_read", "Date d'adhésion", "45123")
    ]
    assert (
        table.warnings[0]
        .message("en")
        .startswith("The column “Date d'adhésion” holds Excel day numbers, not dates")
    )
    assert "(“45123” is 16 Jul 2023)" in table.warnings[0].message("en")


def test_a_date_before_1950_is_called_implausible(store: Store) -> None:
    raw = ROSTER.replace("1/12/2024", "1/12/1924")
    report = load(store, "templates/adherents.csv", raw.encode())
    assert report.status == "rejected"
    [table] = report.tables
    assert [(p.reason, p.value) for p in table.problems] == [
        ("implausible_date", "1/12/1924")
    ]


def test_ga4_date_and_hour_is_read_where_the_source_declares_days(
    store: Store,
) -> None:
    ga4_day = FieldMap("day", kind=Kind.DATE, formats=("%Y%m%d",))
    values = ["2026030207", "2026030423"]
    readings, ambiguous = choose_readings(ga4_day, values, None, BOUNDS)
    assert ([r.name for r in readings], ambiguous) == (["ga4_date_hour"], False)
    sql = date_expr("v", column_dates(readings, values))
    assert [
        store.scalar(f"SELECT ({sql})::DATE FROM (SELECT ?::VARCHAR AS v)", [v])
        for v in values
    ] == [date(2026, 3, 2), date(2026, 3, 4)]
