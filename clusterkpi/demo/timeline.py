"""Calendar arithmetic on numpy days: months, weekdays, years, working-day draws."""

from __future__ import annotations

from datetime import date

import numpy as np

DAY = np.timedelta64(1, "D")
ANCHOR = date(2021, 1, 1)  # web, social and e-mail figures are set for this year


def to_day(value: date | str) -> np.datetime64:
    """Return ``value`` as a numpy day."""
    return np.datetime64(value, "D")


def years_since(days: np.ndarray | np.datetime64, origin: date) -> np.ndarray:
    """Return the years (of 365.25 days) from ``origin`` to ``days``."""
    return np.asarray((days - to_day(origin)).astype("int64") / 365.25)


def month_of(days: np.ndarray) -> np.ndarray:
    """Return the month (1–12) of each day."""
    return days.astype("datetime64[M]").astype("int64") % 12 + 1


def month_starts(first: np.datetime64, end: np.datetime64) -> np.ndarray:
    """First days of the months from ``first``'s month to before ``end``'s."""
    months = first.astype("datetime64[M]"), end.astype("datetime64[M]")
    return np.arange(*months, dtype="datetime64[M]").astype("datetime64[D]")


def month_lengths(starts: np.ndarray) -> np.ndarray:
    """Return the number of days of the months starting on ``starts``."""
    ends = (starts.astype("datetime64[M]") + 1).astype("datetime64[D]")
    lengths: np.ndarray = (ends - starts).astype("int64")
    return lengths


def weekday_of(days: np.ndarray) -> np.ndarray:
    """Return the weekday of each day, Monday being 0."""
    return (days.astype("int64") + 3) % 7  # Monday is 0: 1970-01-01 was a Thursday


def draw_days(
    rng: np.random.Generator, start: np.datetime64, end: np.datetime64, n: int
) -> np.ndarray:
    """Draw ``n`` sorted days in [start, end): working days, fewer in August, Xmas."""
    days = np.arange(start, end, dtype="datetime64[D]")
    month = month_of(days)
    late = days - days.astype("datetime64[M]") > 20
    weight = np.where(np.is_busday(days), 1.0, 0.03)
    weight *= np.where(month == 8, 0.35, 1.0) * np.where((month == 12) & late, 0.3, 1)
    return np.sort(rng.choice(days, n, p=weight / weight.sum()))
