"""SQL reading a cell that names a period (a day, week, month, year or range)."""

# A period cell becomes STRUCT(day_start DATE, day_end DATE), day_end EXCLUSIVE, or
# NULL when the cell is no period in the field's formats (then reported as
# 'invalid_period'). The formats are codes, not strptime patterns:
#   calendar   Matomo's date key: '2026-04-05' (day), '2026-04' (month), '2026'
#              (year), '2009-12-28,2010-01-03' (week or range, both ends inclusive)
#   year_month GA4 'Year month' (yearMonth): '202604'
#   iso_week   GA4 'ISO week of ISO year' (isoYearIsoWeek): '202614', weeks start
#              on Monday, week 01 holds the year's first Thursday
#   year_week  GA4 'Year week' (yearWeek): '202614', weeks start on Sunday and
#              January 1st is always in week 01, so the first and last weeks of a
#              year are cut at the year's edges (Google's definition of 'Week')
# ``raw`` is the SQL of a trimmed cell, written by code; nothing here comes from a file.

from __future__ import annotations

from collections.abc import Callable

CALENDAR = "calendar"
YEAR_MONTH = "year_month"
ISO_WEEK = "iso_week"
YEAR_WEEK = "year_week"


def _span(start: str, end: str) -> str:
    """Return the period struct of two DATE expressions, NULL unless start < end."""
    return (
        f"CASE WHEN ({start}) < ({end}) THEN struct_pack(day_start := ({start}),"
        f" day_end := ({end})) END"
    )


def _day(text: str, pattern: str = "%Y-%m-%d") -> str:
    return f"try_strptime({text}, '{pattern}')::DATE"


def calendar_expr(raw: str) -> str:
    """Return the period of a Matomo date key: a day, a month, a year or a range."""
    cell = f"replace({raw}, ' ', '')"
    first, last = f"split_part({cell}, ',', 1)", f"split_part({cell}, ',', 2)"
    month = _day(f"{cell} || '-01'")
    year = _day(f"{cell} || '-01-01'")
    return (
        f"CASE WHEN regexp_full_match({cell}, '\\d{{4}}-\\d{{2}}-\\d{{2}},"
        f"\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN {_span(_day(first), _day(last) + ' + 1')}"
        f" WHEN regexp_full_match({cell}, '\\d{{4}}-\\d{{2}}-\\d{{2}}')"
        f" THEN {_span(_day(cell), _day(cell) + ' + 1')}"
        f" WHEN regexp_full_match({cell}, '\\d{{4}}-\\d{{2}}')"
        f" THEN {_span(month, f'({month} + INTERVAL 1 MONTH)::DATE')}"
        f" WHEN regexp_full_match({cell}, '\\d{{4}}')"
        f" THEN {_span(year, f'({year} + INTERVAL 1 YEAR)::DATE')} END"
    )


def year_month_expr(raw: str) -> str:
    """Return the month of a GA4 'Year month' value (YYYYMM)."""
    start = _day(f"{raw} || '01'", "%Y%m%d")
    return (
        f"CASE WHEN regexp_full_match({raw}, '\\d{{6}}')"
        f" THEN {_span(start, f'({start} + INTERVAL 1 MONTH)::DATE')} END"
    )


def _year_and_week(raw: str) -> tuple[str, str]:
    return (
        f"TRY_CAST(left({raw}, 4) AS INTEGER)",
        f"TRY_CAST(right({raw}, 2) AS INTEGER)",
    )


def iso_week_expr(raw: str) -> str:
    """Return the Monday-to-Sunday week of a GA4 'ISO week of ISO year' value (YYYYWW)."""
    year, week = _year_and_week(raw)
    jan4 = f"make_date({year}, 1, 4)"
    # Week 01 starts on the Monday on or before January 4th.
    start = f"({jan4} - (isodow({jan4}) - 1)::INTEGER + 7 * ({week} - 1))"
    # Week 53 exists only in long ISO years: the start must fall in that ISO week.
    return (
        f"CASE WHEN regexp_full_match({raw}, '\\d{{6}}') AND {week} BETWEEN 1 AND 53"
        f" AND isoyear({start}) = {year} AND week({start}) = {week}"
        f" THEN {_span(start, f'{start} + 7')} END"
    )


def year_week_expr(raw: str) -> str:
    """Return the week of a GA4 'Year week' value (YYYYWW), cut at the year's edges."""
    year, week = _year_and_week(raw)
    jan1, next_jan1 = f"make_date({year}, 1, 1)", f"make_date({year} + 1, 1, 1)"
    sunday = f"({jan1} - dayofweek({jan1})::INTEGER)"  # the Sunday starting week 01
    start = f"greatest({jan1}, {sunday} + 7 * ({week} - 1))"
    end = f"least({next_jan1}, {sunday} + 7 * {week})"
    return (
        f"CASE WHEN regexp_full_match({raw}, '\\d{{6}}') AND {week} >= 1"
        f" THEN {_span(start, end)} END"
    )


def week_number_expr(week: str, first: str, last: str) -> str:
    """Return the period of a GA4 'Week' number (01-53, no year) in a report's range.

    ``first`` and ``last`` are the SQL of the report's first and last days. A week
    number at or after the first day's belongs to the first day's year, a smaller
    one to the last day's (a report across New Year): a report of up to one year.
    """
    jan1 = f"make_date(year({first}), 1, 1)"
    first_week = f"((dayofyear({first}) - 1 + dayofweek({jan1})) // 7 + 1)"
    year = (
        f"CASE WHEN ({week}) >= {first_week} THEN year({first}) ELSE year({last}) END"
    )
    text = f"({year})::VARCHAR || lpad(({week})::VARCHAR, 2, '0')"
    return year_week_expr(f"({text})")


READERS: dict[str, Callable[[str], str]] = {
    CALENDAR: calendar_expr,
    YEAR_MONTH: year_month_expr,
    ISO_WEEK: iso_week_expr,
    YEAR_WEEK: year_week_expr,
}


def period_expr(raw: str, formats: tuple[str, ...] = ()) -> str:
    """Return the SQL STRUCT(day_start, day_end) of a period cell, NULL if unreadable.

    ``formats`` names the readings to try, in order (codes of READERS); without a
    known code the cell is read as a Matomo date key.
    """
    readers = [READERS[f] for f in formats if f in READERS] or [calendar_expr]
    if len(readers) == 1:
        return readers[0](raw)
    return "coalesce(" + ", ".join(r(raw) for r in readers) + ")"
