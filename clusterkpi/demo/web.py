"""Website traffic: daily sessions, engaged sessions, users and pageviews."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.run import Run
from clusterkpi.demo.timeline import ANCHOR, month_of, weekday_of, years_since

_WEEK = np.array([1.18, 1.2, 1.17, 1.12, 1.0, 0.45, 0.38]) * 7 / 6.5  # Monday first
_SEASON = np.array([1.0, 1.05, 1.08, 1.0, 0.97, 1.0, 0.85, 0.6, 1.1, 1.08, 1.05, 0.9])


def _seasonal(days: np.ndarray) -> np.ndarray:
    """Audience level by time of year: summer and Christmas dips, a busy September."""
    month = month_of(days)
    dom = (days - days.astype("datetime64[M]")).astype("int64") + 1
    xmas = ((month == 12) & (dom >= 23)) | ((month == 1) & (dom <= 2))
    level: np.ndarray = _SEASON[month - 1] * np.where(xmas, 0.6, 1.0)
    return level


def _web_block(run: Run, year: int) -> pd.DataFrame:
    """One year of daily website traffic: ~150 sessions a day in 2021, +12 % a year."""
    rng = run.rng("web_traffic", year)
    days = run.days(year)
    n = len(days)
    level = 150 * run.reach * 1.12 ** years_since(days, ANCHOR) * _seasonal(days)
    sessions = rng.poisson(level * _WEEK[weekday_of(days)] * rng.lognormal(0, 0.12, n))
    return pd.DataFrame(
        {
            "day": days,
            "site": "main",
            "sessions": sessions,
            "engaged_sessions": rng.binomial(sessions, rng.uniform(0.55, 0.65, n)),
            "users": rng.binomial(sessions, np.clip(rng.normal(0.8, 0.03, n), 0, 1)),
            "pageviews": sessions + rng.poisson(sessions * 1.3),
        }
    )


def generate_web_traffic(run: Run) -> pd.DataFrame:
    """Daily website traffic over the whole history."""
    return pd.concat([_web_block(run, y) for y in run.years], ignore_index=True)
