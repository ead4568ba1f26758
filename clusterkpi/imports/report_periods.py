"""The period a report table covers, read from its preamble, its title or its file name."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from clusterkpi.imports.adapters.web_labels import (
    MATOMO_MONTHS,
    MATOMO_PERIOD_WORDS,
    ga4_preamble,
)

Period = tuple[date, date]  # first and last day, both included

_TABLE_SEPARATOR = " › "  # reading.SEPARATOR: 'file.csv › 2', 'archive.zip › member'
_NAME_PARTS = re.compile(r"\s+-\s+")  # Matomo: "<site> - <period> - <description>"
_RANGE_DASH = re.compile(r"\s*–\s*")  # CLDR intervals: en dash, maybe thin spaces
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_GA4_RANGE = re.compile(r"^#\s*(\d{8})\s*-\s*(\d{8})\s*$")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_MONTHS = {
    name.casefold(): number
    for number, names in enumerate(MATOMO_MONTHS, start=1)
    for name in names
}
_IGNORED = frozenset(word.casefold() for word in MATOMO_PERIOD_WORDS)


class _Table(Protocol):
    name: str
    preamble: tuple[str, ...]
    title: str | None


def table_period(table: _Table) -> Period | None:
    """Return the period of a report table, or None when nothing in it gives one.

    GA4 writes ``# Start date: YYYYMMDD`` and ``# End date: YYYYMMDD`` (or
    ``# YYYYMMDD-YYYYMMDD``) in each block's preamble. Matomo's scheduled reports
    write no period inside the file (ReportRenderer/Csv.php renders no front page):
    it is in the file name, "<site> - <period> - <description>.csv", in the
    language of the report (see matomo_period); a title line of the same shape is
    read too.

    Args:
        table: A RawTable or BulkTable.

    Returns:
        The first and last day of the period, both included.
    """
    found = ga4_period(table.preamble)
    if found is not None:
        return found
    for text in (*table.preamble, table.title or "", *_name_parts(table.name)):
        for part in _NAME_PARTS.split(text.strip()):
            found = matomo_period(part)
            if found is not None:
                return found
    return None


def period_values(table: _Table) -> dict[str, str]:
    """Return {'start_date', 'end_date'} (ISO, both included) for Adapter.extra.

    Empty when the table gives no period: the adapter's required fields then say
    which are missing, instead of a date being invented.
    """
    found = table_period(table)
    if found is None:
        return {}
    return {"start_date": found[0].isoformat(), "end_date": found[1].isoformat()}


def file_periods(tables: Sequence[_Table]) -> list[Period | None]:
    """Return each table's period; a block without one takes the file's last one.

    A GA4 overview repeats the date range in the first block only in some
    exports; one export always covers one range.
    """
    periods: list[Period | None] = []
    last: dict[str, Period] = {}
    for table in tables:
        file_name = table.name.split(_TABLE_SEPARATOR)[0]
        found = table_period(table) or last.get(file_name)
        if found is not None:
            last[file_name] = found
        periods.append(found)
    return periods


def ga4_period(preamble: Sequence[str]) -> Period | None:
    """Return the period of a GA4 preamble: both its start and its end date."""
    found: dict[str, date] = {}
    for line in preamble:
        text = line.strip()
        ranged = _GA4_RANGE.match(text)
        if ranged:
            return _ordered(_yyyymmdd(ranged.group(1)), _yyyymmdd(ranged.group(2)))
        for key in ("start_date", "end_date"):
            value = _preamble_value(text, ga4_preamble(key))
            if value is not None:
                found[key] = value
    if "start_date" in found and "end_date" in found:
        return _ordered(found["start_date"], found["end_date"])
    return None


def matomo_period(text: str) -> Period | None:
    """Return the period of a text that is only a Matomo period, in en/fr/de/es/it.

    Reads a day ("Wednesday, October 9, 2024"), a month ("October 2024",
    "octubre de 2024"), a year ("2024"), a week or a range ("week October 7 – 13,
    2024", "semana 25 de noviembre – 1 de diciembre de 2024"): a part without a
    month or year takes it from the other part. Any other word makes it no period.
    """
    parts = _RANGE_DASH.split(text.replace("\u2009", " ").replace("\xa0", " "))
    read = [found for part in parts if (found := _date_parts(part)) is not None]
    if len(read) != len(parts) or len(read) > 2:
        return None
    if len(read) == 1:
        return _single(*read[0])
    (day1, month1, year1), (day2, month2, year2) = read
    first = _day(day1, month1 or month2, year1 or year2)
    last = _day(day2, month2 or month1, year2 or year1)
    if first is None or last is None or last < first:
        return None
    return first, last


def _day(day: int | None, month: int | None, year: int | None) -> date | None:
    if day is None or month is None or year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_parts(text: str) -> tuple[int | None, int | None, int | None] | None:
    """Return (day, month, year) of one side of a period, None for a foreign word."""
    day = month = year = None
    for token in _TOKEN.findall(text):
        folded = token.casefold()
        if token.isdigit():
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) <= 2 and day is None:
                day = int(token)
            else:
                return None
        elif folded in _MONTHS and month is None:
            month = _MONTHS[folded]
        elif folded not in _IGNORED:
            return None
    if day is None and month is None and year is None:
        return None
    return day, month, year


def _single(day: int | None, month: int | None, year: int | None) -> Period | None:
    if year is None:
        return None
    try:
        if month is None:
            return None if day is not None else (date(year, 1, 1), date(year, 12, 31))
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None


def _preamble_value(line: str, words: tuple[str, ...]) -> date | None:
    if not line.startswith("#"):
        return None
    body = line.lstrip("#").strip()
    for word in words:
        head, colon, value = body.partition(":")
        if colon and head.strip().casefold() == word.casefold():
            return _yyyymmdd(value.strip())
    return None


def _yyyymmdd(text: str) -> date | None:
    if not _EIGHT_DIGITS.fullmatch(text):  # strptime would read '2026031' too
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _ordered(start: date | None, end: date | None) -> Period | None:
    if start is None or end is None or end < start:
        return None
    return start, end


def _name_parts(name: str) -> list[str]:
    """Return the file and member names of a table name, without their extensions."""
    return [
        re.sub(r"\.[A-Za-z0-9]{1,5}$", "", part)
        for part in name.split(_TABLE_SEPARATOR)
    ]
