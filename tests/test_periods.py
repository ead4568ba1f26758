"""Tests for reporting periods: parsing, labels, shifting, ranges."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.errors import PeriodError
from clusterkpi.periods import (
    Grain,
    Period,
    last_complete,
    parse_period,
    period_of,
    periods_between,
)


def anatomy(period: Period) -> tuple[Grain, date, date, date, str, int]:
    return (
        period.grain,
        period.start,
        period.end,
        period.last_day,
        period.label,
        period.months,
    )


def test_quarter_label_parses_to_its_three_months() -> None:
    assert anatomy(parse_period("2026Q2")) == (
        Grain.QUARTER,
        date(2026, 4, 1),
        date(2026, 7, 1),
        date(2026, 6, 30),
        "2026Q2",
        3,
    )


def test_month_label_parses_to_its_month() -> None:
    assert anatomy(parse_period("2026-05")) == (
        Grain.MONTH,
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 5, 31),
        "2026-05",
        1,
    )


def test_year_label_parses_to_its_year() -> None:
    assert anatomy(parse_period("2026")) == (
        Grain.YEAR,
        date(2026, 1, 1),
        date(2027, 1, 1),
        date(2026, 12, 31),
        "2026",
        12,
    )


def test_fourth_quarter_ends_on_new_year() -> None:
    assert anatomy(parse_period("2026Q4")) == (
        Grain.QUARTER,
        date(2026, 10, 1),
        date(2027, 1, 1),
        date(2026, 12, 31),
        "2026Q4",
        3,
    )


def test_february_of_a_leap_year_has_29_days() -> None:
    assert parse_period("2028-02").last_day == date(2028, 2, 29)


def test_lower_case_q_and_surrounding_spaces_are_accepted() -> None:
    assert parse_period(" 2026q3 ") == Period(date(2026, 7, 1), Grain.QUARTER)


def test_str_of_a_period_is_its_label() -> None:
    assert [str(parse_period(x)) for x in ("2026Q1", "2026-01", "2026")] == [
        "2026Q1",
        "2026-01",
        "2026",
    ]


@pytest.mark.parametrize("label", ["2026Q5", "26Q1", "2026-13", "Q2 2026", "", "1899"])
def test_bad_label_raises_with_the_accepted_forms(label: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    assert str(info.value) == (
        f"'{label}' is not a period: use a quarter (2026Q2), a month (2026-05) "
        "or a year (2026)."
    )


def test_previous_quarter_of_q1_is_q4_of_the_year_before() -> None:
    assert parse_period("2026Q1").previous() == parse_period("2025Q4")


def test_next_month_of_december_is_january() -> None:
    assert parse_period("2025-12").shift(1) == parse_period("2026-01")


def test_shift_moves_by_whole_periods_both_ways() -> None:
    q = parse_period("2026Q2")
    assert [q.shift(n).label for n in (-5, -2, 0, 3, 7)] == [
        "2025Q1",
        "2025Q4",
        "2026Q2",
        "2027Q1",
        "2028Q1",
    ]


def test_previous_year_is_the_calendar_year_before() -> None:
    assert parse_period("2026").previous() == Period(date(2025, 1, 1), Grain.YEAR)


def test_periods_between_spans_the_year_boundary_inclusive() -> None:
    span = periods_between(parse_period("2025Q3"), parse_period("2026Q2"))
    assert [p.label for p in span] == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]


def test_periods_between_a_period_and_itself_is_that_period() -> None:
    may = parse_period("2026-05")
    assert periods_between(may, may) == [may]


def test_periods_between_reversed_ends_is_empty() -> None:
    assert periods_between(parse_period("2026Q2"), parse_period("2026Q1")) == []


def test_periods_between_different_grains_is_refused() -> None:
    with pytest.raises(PeriodError) as info:
        periods_between(parse_period("2026Q1"), parse_period("2026-05"))
    assert str(info.value) == "Both ends of a range must have the same length."


def test_period_of_a_day_for_each_grain() -> None:
    day = date(2026, 5, 17)
    assert [period_of(day, g) for g in Grain] == [
        Period(date(2026, 5, 1), Grain.MONTH),
        Period(date(2026, 4, 1), Grain.QUARTER),
        Period(date(2026, 1, 1), Grain.YEAR),
    ]


def test_period_of_the_last_day_of_a_quarter_is_that_quarter() -> None:
    assert period_of(date(2026, 9, 30), Grain.QUARTER).label == "2026Q3"


def test_last_complete_quarter_is_the_one_before_today() -> None:
    assert last_complete(date(2026, 5, 17)) == parse_period("2026Q1")


def test_last_complete_quarter_on_new_year_is_last_q4() -> None:
    assert last_complete(date(2026, 1, 1)) == parse_period("2025Q4")


def test_last_complete_month_and_year() -> None:
    today = date(2026, 1, 15)
    assert (last_complete(today, Grain.MONTH), last_complete(today, Grain.YEAR)) == (
        parse_period("2025-12"),
        parse_period("2025"),
    )
