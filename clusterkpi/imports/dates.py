"""Each date column's format, chosen from its values: the reading that makes them all dates."""

# The choice is made here, in Python, on the column's values; the SQL of transform.py
# then parses every cell with the chosen formats only. Python's %Y needs four digits
# where DuckDB's reads '24' as the year 24: a two-digit year is thus told apart here,
# and its own %y formats are tried first in SQL (DuckDB's %y refuses '2024').

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from clusterkpi.imports.fields import Adapter, FieldMap, Kind
from clusterkpi.imports.report import Problem

ISO_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
)
# Year-first dates are never ambiguous (Google Forms' own CSV download is reported to
# write '2026/01/15 9:05:12 AM GMT+1').
YEAR_FIRST = (
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
)
# A zone or offset after a time ('-05:00', '+0000', 'Z', 'UTC', 'GMT+1') is dropped:
# the local time the export shows is kept, as the animator reads it in the tool (a
# conversion to UTC would move evening rows to the next day). Same text for Python
# and DuckDB's RE2.
ZONE_SUFFIX = (
    r"(\d:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)"
    r"\s*(?:Z|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?|UTC|GMT)$"
)
EARLIEST = date(1950, 1, 1)
# An Excel serial day number (45123 is 2023-07-16): a spreadsheet re-saved the file.
# A column whose every value is one, each a plausible date, is read as such and the
# report says so; a serial among other dates is never guessed, but refused.
EXCEL_SERIAL = r"^\d{5}(\.\d+)?$"
EXCEL_EPOCH = date(1899, 12, 30)
# Distinct values looked at per column, spread over the table: all of most tables.
# SQL still reads every cell, and a cell no chosen format reads is reported, so a
# larger sample would only cost time.
_SAMPLE = 5000

# Month and weekday words in French, English, German and Spanish, lower-case and
# without accents (as strip_accents writes them), turned into English abbreviations:
# DuckDB's %b knows only English.
MONTHS = {
    "jan": ("january", "janvier", "januar", "janner", "enero", "janv", "jan", "ene"),
    "feb": ("february", "fevrier", "februar", "febrero", "fevr", "febr", "feb", "fev"),
    "mar": ("march", "mars", "marz", "maerz", "marzo", "mar"),
    "apr": ("april", "avril", "abril", "apr", "avr", "abr"),
    "may": ("may", "mai", "mayo"),
    "jun": ("june", "juin", "juni", "junio", "jun"),
    "jul": ("july", "juillet", "juli", "julio", "juil", "jul"),
    "aug": ("august", "aout", "agosto", "aug", "ago"),
    "sep": ("september", "septembre", "septiembre", "setiembre", "sept", "sep"),
    "oct": ("october", "octobre", "oktober", "octubre", "oct", "okt"),
    "nov": ("november", "novembre", "noviembre", "nov"),
    "dec": ("december", "decembre", "dezember", "diciembre", "dec", "dez", "dic"),
}
WEEKDAYS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "mo", "di", "mi", "do", "fr", "sa", "so",
    "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
    "mie", "jue", "vie", "sab", "dom",
)  # fmt: skip
# (pattern, replacement) applied in order to the lower-case, accent-free text. A
# leading weekday is dropped only when a word (a month) follows it, or a day number
# and a word: Spanish 'mar 5 ene 2026' is Tuesday, English 'Mar 5, 2026' is March.
WORD_STEPS = (
    (
        r"^(" + "|".join(WEEKDAYS) + r")\.?,?\s+((?:\d{1,2}\.?\s+)?[a-z].*)$",
        r"\2",
    ),
    *((r"\b(" + "|".join(words) + r")\b\.?", month) for month, words in MONTHS.items()),
    (r"\b(de|del|a|at|um)\b", " "),
    (r"(\d)(st|nd|rd|th|er)\b", r"\1"),
    (r"[.,\-]", " "),
    (r"\s+", " "),
)
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p")


class Table(Protocol):
    """Whatever holds a sample of text rows (RawTable, BulkTable)."""

    @property
    def rows(self) -> list[tuple[str, ...]]:
        """The text rows under the header (a sample for a BulkTable)."""
        ...


@dataclass(frozen=True)
class Reading:
    """One way of reading a column: a family of strptime formats of the same order."""

    name: str
    formats: tuple[str, ...]
    order: str | None = None  # 'dmy' or 'mdy' for numeric day/month readings
    words: bool = False  # month and weekday words are translated before strptime
    shape: str | None = None  # a value must match this to be tried (speed only)


@dataclass(frozen=True)
class ColumnDates:
    """The formats SQL tries on one column's cells, in order."""

    formats: tuple[str, ...]  # read on the cell with its zone dropped
    word_formats: tuple[str, ...] = ()  # read on the cell with its words translated
    excel_serial: bool = False  # every cell an Excel day number (a re-saved file)


@dataclass(frozen=True)
class DateChoice:
    """Every date column's formats, and the day/month order the report states."""

    columns: dict[str, ColumnDates]
    order: str
    ambiguous: bool


def _numeric(order: str, sep: str, year: str) -> Reading:
    day = f"%d{sep}%m{sep}{year}" if order == "dmy" else f"%m{sep}%d{sep}{year}"
    digits = r"\d{4}" if year == "%Y" else r"\d{2}"
    shape = rf"^\d{{1,2}}{re.escape(sep)}\d{{1,2}}{re.escape(sep)}{digits}(\s|$)"
    return Reading(
        f"{order}{sep}{year}", tuple(day + t for t in _TIMES), order, shape=shape
    )


CATALOGUE = (
    Reading("iso", ISO_FORMATS, shape=r"^\d{4}-\d{1,2}-\d{1,2}"),
    Reading("year_first", YEAR_FIRST, shape=r"^\d{4}/"),
    Reading("ga4_date_hour", ("%Y%m%d%H",), shape=r"^\d{10}$"),
    Reading("compact", ("%Y%m%d",), shape=r"^\d{8}$"),
    *(
        _numeric(order, sep, year)
        for year in ("%Y", "%y")
        for sep in ("/", "-", ".")
        for order in ("dmy", "mdy")
    ),
    Reading("day_month_name", tuple("%d %b %Y" + t for t in _TIMES), words=True),
    Reading("month_name_day", tuple("%b %d %Y" + t for t in _TIMES), words=True),
)


@functools.lru_cache(maxsize=65536)
def local_text(value: str) -> str:
    """Return the value without its zone or offset (the local time is kept)."""
    return _pattern(ZONE_SUFFIX).sub(r"\1", value)


@functools.lru_cache(maxsize=65536)
def english_text(value: str) -> str:
    """Return the value with its month and weekday words made English (as SQL does)."""
    text = "".join(
        c
        for c in unicodedata.normalize("NFKD", local_text(value).lower())
        if not unicodedata.combining(c)
    )
    for pattern, replacement in WORD_STEPS:
        text = _pattern(pattern).sub(replacement, text)
    return text.strip()


@functools.lru_cache(maxsize=128)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def choose_dates(
    adapter: Adapter,
    table: Table,
    columns: dict[str, int],
    wanted: str | None,
    today: date,
) -> DateChoice:
    """Choose each date field's formats from its values, and the table's date order.

    A column is ambiguous when a day-first and a month-first reading both read all
    its values. One tool writes all the dates of a file alike: an ambiguous column
    takes the order another column's values settle ('11/29/2024' in 'Create Date'
    makes '12/03/2024' in 'Last Activity Date' December 3), else the animator's
    order, else day first; the table is ambiguous only when no column settles it.
    """
    bounds = (EARLIEST, date(today.year + 1, today.month, min(today.day, 28)))
    fields = [
        (spec, _values(table.rows, columns[spec.target]))
        for spec in adapter.fields
        if spec.kind in (Kind.DATE, Kind.TIMESTAMP) and spec.target in columns
    ]
    first = {
        spec.target: choose_readings(spec, values, wanted, bounds)
        for spec, values in fields
    }
    settled = next(
        (r.order for readings, both in first.values() if not both
         for r in readings if r.order),
        None,
    )  # fmt: skip
    chosen: dict[str, ColumnDates] = {}
    orders: list[str] = []
    for spec, values in fields:
        if excel_serials(values, bounds):
            chosen[spec.target] = ColumnDates((), excel_serial=True)
            continue
        readings, both = first[spec.target]
        if both and settled:
            readings, _ = choose_readings(spec, values, settled, bounds)
        chosen[spec.target] = column_dates(readings, values)
        orders.extend(r.order for r in readings if r.order)
    ambiguous = not settled and any(both for _, both in first.values())
    return DateChoice(chosen, orders[0] if orders else (wanted or "dmy"), ambiguous)


def excel_serials(values: Sequence[str], bounds: tuple[date, date]) -> bool:
    """Tell whether every value is an Excel day number of a plausible date."""
    pattern = _pattern(EXCEL_SERIAL)
    return bool(values) and all(
        pattern.match(v) is not None and bounds[0] <= serial_date(v) <= bounds[1]
        for v in values
    )


def serial_date(value: str) -> date:
    """Return the day an Excel day number stands for (1900 date system)."""
    return EXCEL_EPOCH + timedelta(days=int(float(value)))


def _values(rows: Sequence[tuple[str, ...]], index: int) -> list[str]:
    distinct = list(
        dict.fromkeys(r[index].strip() for r in rows if index < len(r) and r[index])
    )
    distinct = [v for v in distinct if v]
    step = max(1, len(distinct) // _SAMPLE)
    return distinct[::step]


def choose_readings(
    spec: FieldMap,
    values: Sequence[str],
    wanted: str | None,
    bounds: tuple[date, date],
) -> tuple[tuple[Reading, ...], bool]:
    """Return the readings of one column (best first) and whether its order is ambiguous.

    The best reading reads the most values as plausible dates, preferring the source's
    declared formats, then the animator's order, then day first; further readings
    (of the same order) read what it leaves. Values no reading makes plausible are
    then given the reading that makes them dates at all, so that the report calls
    them implausible rather than unreadable.
    """
    declared = (Reading("declared", spec.formats),) if spec.formats else ()
    if declared and values and all(_reads(declared[0], v, bounds) for v in values):
        return declared, False  # the source's own format reads every value
    candidates = (*declared, *CATALOGUE)
    read = _read_values(candidates, values, bounds)
    if any(len(read[r]) == len(values) for r in read):
        # Only the readings that read every value can be the best one.
        candidates = tuple(r for r in candidates if r in read)
    else:
        read = {r: {v for v in values if _reads(r, v, bounds)} for r in candidates}
    full = [r for r in candidates if values and len(read[r]) == len(values)]
    orders = {r.order for r in full if r.order}
    ambiguous = orders == {"dmy", "mdy"} and not (declared and declared[0] in full)
    chosen: list[Reading] = []
    left = _cover(candidates, read, set(values), wanted or "dmy", chosen)
    if left:
        wide = (date(1, 1, 1), date(9999, 12, 31))
        read = {r: {v for v in left if _reads(r, v, wide)} for r in candidates}
        _cover(candidates, read, left, wanted or "dmy", chosen)
    return tuple(chosen), ambiguous


def _read_values(
    candidates: tuple[Reading, ...], values: Sequence[str], bounds: tuple[date, date]
) -> dict[Reading, set[str]]:
    """Return what each reading reads, for the readings that read a spread sample.

    A reading that fails one value of the sample cannot read them all: the others
    are left out before the whole column is tried (most columns fit one reading).
    """
    sample = values[:: max(1, len(values) // 100)]
    survivors = [r for r in candidates if all(_reads(r, v, bounds) for v in sample)]
    return {r: {v for v in values if _reads(r, v, bounds)} for r in survivors}


def _cover(
    candidates: tuple[Reading, ...],
    read: dict[Reading, set[str]],
    left: set[str],
    preferred: str,
    chosen: list[Reading],
) -> set[str]:
    """Add to ``chosen`` the readings that read most of ``left``; return what is left."""

    def rank(r: Reading) -> tuple[int, ...]:
        return (
            len(read[r] & left),
            r.name == "declared",
            r.order == preferred,
            -candidates.index(r),
        )

    while left and len(chosen) < 4:
        order = next((r.order for r in chosen if r.order), None)
        usable = [
            r
            for r in candidates
            if r not in chosen and (order is None or r.order in (None, order))
        ]
        best = max(usable, key=rank, default=None)
        if best is None or not read[best] & left:
            break
        chosen.append(best)
        left = left - read[best]
    return left


def _reads(reading: Reading, value: str, bounds: tuple[date, date]) -> bool:
    return _parse(reading, value, bounds) is not None


def _parse(reading: Reading, value: str, bounds: tuple[date, date]) -> str | None:
    """Return the format of ``reading`` that reads ``value`` as a plausible date."""
    if reading.shape is not None and not _pattern(reading.shape).match(value):
        return None
    # A month word has three letters or more ('T', 'Z', 'am' are no months).
    if reading.words and not _pattern(r"[^\W\d_]{3}").search(value):
        return None
    text = english_text(value) if reading.words else local_text(value)
    for fmt in reading.formats:
        for candidate in dict.fromkeys((text,) if reading.words else (value, text)):
            day = _strptime(candidate, fmt)
            if day is not None:
                return fmt if bounds[0] <= day <= bounds[1] else None
    return None


_DIRECTIVES = {
    "d": r"(?P<d>\d{1,2})",
    "m": r"(?P<m>\d{1,2})",
    "Y": r"(?P<Y>\d{4})",
    "y": r"(?P<y>\d{2})",
    "H": r"(?P<H>[01]?\d|2[0-3])",
    "I": r"(?P<I>0?[1-9]|1[0-2])",
    "M": r"(?P<M>[0-5]?\d)",
    "S": r"(?P<S>[0-5]?\d|6[01])",
    "f": r"\d{1,6}",
    "p": r"[AaPp][Mm]",
    "b": r"(?P<b>[a-zA-Z]{3})",
    "%": "%",
}
_ABBREVIATIONS = {m: n for n, m in enumerate(MONTHS, 1)}


@functools.lru_cache(maxsize=256)
def _compiled(fmt: str) -> re.Pattern[str] | None:
    """Return a regex reading ``fmt`` like strptime, or None for other directives."""
    parts = re.split(r"%(.)", fmt)
    pattern = []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            pattern.append(r"\s+".join(map(re.escape, part.split(" "))))
        elif part in _DIRECTIVES:
            pattern.append(_DIRECTIVES[part])
        else:
            return None
    return re.compile("".join(pattern))


def _strptime(text: str, fmt: str) -> date | None:
    # strptime raises and is slow on failure; most values fail most formats, so a
    # regex of the format reads them (its time fields match only valid times).
    pattern = _compiled(fmt)
    if pattern is None:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            return None
    found = pattern.fullmatch(text)
    if found is None:
        return None
    parts = found.groupdict()
    if parts.get("y"):  # as strptime and DuckDB: 69-99 → 19xx, 00-68 → 20xx
        year = int(parts["y"]) + (1900 if int(parts["y"]) >= 69 else 2000)
    else:
        year = int(parts.get("Y") or 1900)
    month = (
        _ABBREVIATIONS.get(parts["b"].lower())
        if parts.get("b")
        else int(parts.get("m") or 1)
    )
    try:
        return date(year, month or 0, int(parts.get("d") or 1))
    except ValueError:
        return None


def column_dates(readings: Iterable[Reading], values: Sequence[str]) -> ColumnDates:
    """Return the SQL formats of a column: the most used first, two-digit years early."""
    readings = tuple(readings)
    if not readings:  # nothing to learn from (no values, or none a date)
        return ColumnDates(ISO_FORMATS + YEAR_FIRST)
    wide = (EARLIEST, date(9999, 12, 31))
    # How often each format is used only orders them: a spread of values tells.
    spread = values[:: max(1, len(values) // 500)]
    used = Counter(
        fmt for v in spread for r in readings if (fmt := _parse(r, v, wide)) is not None
    )

    def ordered(words: bool) -> tuple[str, ...]:
        formats = [f for r in readings if r.words is words for f in r.formats]
        # DuckDB's %Y reads '24' as the year 24; its %y refuses '2024'.
        return tuple(
            sorted(formats, key=lambda f: ("%y" not in f, -used[f], formats.index(f)))
        )

    plain = ordered(False)
    tail = tuple(f for f in ISO_FORMATS + YEAR_FIRST if f not in plain)
    return ColumnDates(plain + tail, ordered(True))


def serial_warnings(
    adapter: Adapter, table: Table, columns: dict[str, int], choice: DateChoice
) -> list[Problem]:
    """Return a warning per column read as Excel day numbers, with an example."""
    found = []
    header = getattr(table, "header", ())
    for spec in adapter.fields:
        dates = choice.columns.get(spec.target)
        if dates is None or not dates.excel_serial:
            continue
        index = columns[spec.target]
        example = next(v for v in _values(table.rows, index))
        column = header[index] if index < len(header) else spec.target
        found.append(
            Problem(
                "dates_excel_read",
                column=column,
                value=example,
                params={"column": column, "example": example,
                        "day": serial_date(example).isoformat()},
            )
        )  # fmt: skip
    return found
