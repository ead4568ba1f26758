"""The period of a report table: GA4's preamble, Matomo's period in five languages."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.reading import RawTable, read_file
from clusterkpi.imports.report_periods import (
    file_periods,
    ga4_period,
    matomo_period,
    period_values,
    table_period,
)
from tests.import_helpers import DATA


def known(cells: list[str]) -> bool:
    """Any registered format's header, as the importer recognises headers."""
    return any(adapter.matches(cells) for adapter in ADAPTERS.values())


def table(
    name: str, preamble: tuple[str, ...] = (), title: str | None = None
) -> RawTable:
    return RawTable(name, ("a", "b"), [], [], preamble, title, "utf-8", ",")


# Verbatim expectations of Matomo's own unit tests (tests/PHPUnit/Unit/Period/
# DayTest.php, WeekTest.php, MonthTest.php, RangeTest.php at f09912cb702a).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday, October 9, 2024", (date(2024, 10, 9), date(2024, 10, 9))),
        ("October 2024", (date(2024, 10, 1), date(2024, 10, 31))),
        ("week October 7 – 13, 2024", (date(2024, 10, 7), date(2024, 10, 13))),
        (
            "week November 25 – December 1, 2024",
            (date(2024, 11, 25), date(2024, 12, 1)),
        ),
        (
            "week December 30, 2024 – January 5, 2025",
            (date(2024, 12, 30), date(2025, 1, 5)),
        ),
        ("semana 7–13 de octubre de 2024", (date(2024, 10, 7), date(2024, 10, 13))),
        (
            "semana 25 de noviembre – 1 de diciembre de 2024",
            (date(2024, 11, 25), date(2024, 12, 1)),
        ),
        (
            "semana 30 de diciembre de 2024 – 5 de enero de 2025",
            (date(2024, 12, 30), date(2025, 1, 5)),
        ),
        ("May 9 – 21, 2023", (date(2023, 5, 9), date(2023, 5, 21))),
    ],
)
def test_matomo_s_own_period_strings_give_their_days(
    text: str, expected: tuple[date, date]
) -> None:
    assert matomo_period(text) == expected


# Rendered by hand from the CLDR patterns of plugins/Intl/lang/<xx>.json
# (Format_Date_Long, Format_Month_Long, Format_Interval_Long_D/M/Y; the M and Y
# intervals put thin spaces around the dash in French).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mercredi 9 octobre 2024", (date(2024, 10, 9), date(2024, 10, 9))),
        ("octobre 2024", (date(2024, 10, 1), date(2024, 10, 31))),
        ("semaine 7–13 octobre 2024", (date(2024, 10, 7), date(2024, 10, 13))),
        (
            "semaine 25 novembre\u2009–\u20091 décembre 2024",
            (date(2024, 11, 25), date(2024, 12, 1)),
        ),
        ("Mittwoch, 9. Oktober 2024", (date(2024, 10, 9), date(2024, 10, 9))),
        ("Februar 2024", (date(2024, 2, 1), date(2024, 2, 29))),
        ("Woche 7.–13. Oktober 2024", (date(2024, 10, 7), date(2024, 10, 13))),
        ("octubre de 2024", (date(2024, 10, 1), date(2024, 10, 31))),
        ("mercoledì 9 ottobre 2024", (date(2024, 10, 9), date(2024, 10, 9))),
        ("settimana 07–13 ottobre 2024", (date(2024, 10, 7), date(2024, 10, 13))),
        ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
    ],
)
def test_matomo_periods_in_french_german_spanish_italian(
    text: str, expected: tuple[date, date]
) -> None:
    assert matomo_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Visits Summary",
        "Cluster 2024",
        "October 32, 2024",
        "October 13 – 7, 2024",
        "7 – 13 – 20 octobre 2024",
        "9 October",
        "",
    ],
)
def test_a_text_that_is_not_only_a_period_gives_none(text: str) -> None:
    assert matomo_period(text) is None


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        (
            ("# All Users", "# Start date: 20260313", "# End date: 20260316"),
            (date(2026, 3, 13), date(2026, 3, 16)),
        ),
        (("# 20260901-20260922",), (date(2026, 9, 1), date(2026, 9, 22))),
        (("# Start date: 20260313",), None),  # no end: not a period
        (("# Start date: 20260316", "# End date: 20260313"), None),
        (("# Start date: 2026031", "# End date: 20260316"), None),
        (("Start date: 20260313", "End date: 20260316"), None),  # not comments
    ],
)
def test_ga4_preamble_gives_start_and_end(
    preamble: tuple[str, ...], expected: tuple[date, date] | None
) -> None:
    assert ga4_period(preamble) == expected


def test_each_block_of_a_ga4_snapshot_has_the_period_of_its_preamble() -> None:
    name = "ga4_reports_snapshot.csv"
    tables = read_file(name, (DATA / "ga4" / name).read_bytes())
    period = (date(2026, 3, 13), date(2026, 3, 16))
    assert [table_period(t) for t in tables] == [period, period]


def test_a_matomo_scheduled_report_takes_its_period_from_its_file_name() -> None:
    # plugins/ScheduledReports/API.php names the file
    # "$reportTitle - $prettyDate - $description"; the content is Matomo's own.
    raw = (DATA / "matomo" / "scheduled_report_month_en.csv").read_bytes()
    name = "Site 1 - January 2010 - Monthly report - 2010.csv"
    tables = read_file(name, raw, known)
    january = (date(2010, 1, 1), date(2010, 1, 31))
    assert len(tables) == 68
    assert {table_period(t) for t in tables} == {january}
    assert table_period(table("Site 1 - Monthly report.csv")) is None


def test_a_title_line_of_a_period_gives_it_too() -> None:
    week = table("report.csv › 2", ("Visits Summary - week October 7 – 13, 2024",))
    assert table_period(week) == (date(2024, 10, 7), date(2024, 10, 13))
    assert table_period(table("x.csv", title="semaine 7–13 octobre 2024")) == (
        date(2024, 10, 7),
        date(2024, 10, 13),
    )


def test_a_block_without_dates_takes_the_period_of_its_file() -> None:
    first = table(
        "overview.csv › 1", ("# Start date: 20260301", "# End date: 20260331")
    )
    second = table("overview.csv › 2", ("# City",))
    other = table("other.csv", ("# Property: x",))
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert file_periods([first, second, other]) == [march, march, None]


def test_period_values_feed_an_adapter_s_start_and_end_fields() -> None:
    named = table("Site 1 - week October 7 – 13, 2024 - Weekly.csv › 2")
    assert period_values(named) == {
        "start_date": "2024-10-07",
        "end_date": "2024-10-13",
    }
    assert period_values(table("Site 1 - Weekly.csv")) == {}
