"""Reporting periods: months ("2026-05"), quarters ("2026Q2") and years ("2026")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clusterkpi.errors import PeriodError


class Grain(StrEnum):
    """Length of a reporting period."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_MONTHS_PER = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), Grain.QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), Grain.MONTH),
    (re.compile(r"^(\d{4})$"), Grain.YEAR),
)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: ``start`` inclusive, ``end`` exclusive."""

    start: date
    grain: Grain

    @property
    def end(self) -> date:
        """First day after the period."""
        return _add_months(self.start, _MONTHS_PER[self.grain])

    @property
    def last_day(self) -> date:
        """Last day inside the period (the 'as of' date of stock KPIs)."""
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        """Canonical label: 2026-05, 2026Q2 or 2026."""
        if self.grain is Grain.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.grain is Grain.QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def months(self) -> int:
        """Number of months the period spans."""
        return _MONTHS_PER[self.grain]

    def shift(self, n: int) -> Period:
        """Return the period ``n`` steps later (earlier when negative)."""
        return Period(_add_months(self.start, n * self.months), self.grain)

    def previous(self) -> Period:
        """Return the period just before this one."""
        return self.shift(-1)

    def __str__(self) -> str:
        return self.label


def parse_period(label: str) -> Period:
    """Parse '2026Q2', '2026-05' or '2026'; raise PeriodError with the accepted forms."""
    text = label.strip()
    for pattern, grain in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2200:
            break
        if grain is Grain.QUARTER:
            return Period(date(year, 3 * int(match.group(2)) - 2, 1), grain)
        if grain is Grain.MONTH:
            return Period(date(year, int(match.group(2)), 1), grain)
        return Period(date(year, 1, 1), grain)
    raise PeriodError(
        f"'{label}' is not a period: use a quarter (2026Q2), a month (2026-05) or a year (2026)."
    )


def period_of(day: date, grain: Grain) -> Period:
    """Return the period of the given grain that contains ``day``."""
    if grain is Grain.MONTH:
        return Period(date(day.year, day.month, 1), grain)
    if grain is Grain.QUARTER:
        return Period(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), grain)
    return Period(date(day.year, 1, 1), grain)


def periods_between(first: Period, last: Period) -> list[Period]:
    """Return every period from ``first`` to ``last`` inclusive (same grain)."""
    if first.grain is not last.grain:
        raise PeriodError("Both ends of a range must have the same length.")
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = current.shift(1)
    return out


def last_complete(today: date, grain: Grain = Grain.QUARTER) -> Period:
    """Return the most recent period of ``grain`` that ended before ``today``."""
    return period_of(today, grain).previous()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
