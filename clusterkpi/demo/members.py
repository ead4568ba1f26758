"""Members: who joins the cluster when, where they come from, and when they leave."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterkpi.demo.names import Names
from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.timeline import (
    DAY,
    month_lengths,
    month_of,
    month_starts,
    to_day,
    years_since,
)
from clusterkpi.demo.vocabulary import (
    FOREIGN,
    FOREIGN_P,
    FR_REGION_P,
    FR_REGIONS,
    SECTOR_P,
    SECTORS,
    STARTUP_SECTORS,
    TYPE_P,
    TYPE_SECTOR,
    TYPES,
)

_CHURN = -np.log(0.90)  # yearly hazard: about 10 % of the members leave each year


@dataclass(frozen=True)
class Members:
    """Every generated member, in joining order, with what the other tables need."""

    frame: pd.DataFrame
    joined: np.ndarray
    left: np.ndarray
    weight: np.ndarray  # keenness: events, projects and the press favour the keen

    def active(self, day: np.datetime64) -> np.ndarray:
        """Return the indices of the members on ``day``."""
        return np.flatnonzero((self.joined <= day) & (self.left > day))

    def pick(self, rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
        """Draw a member active on each day, the keen more often; -1 if none found."""
        hi = np.searchsorted(self.joined, days, side="right")
        cumulative = np.cumsum(self.weight)
        total = cumulative[np.maximum(hi, 1) - 1]
        out = np.full(len(days), -1, dtype=np.int64)
        todo = np.flatnonzero(hi > 0)
        for _ in range(64):
            cand = np.searchsorted(cumulative, rng.random(todo.size) * total[todo])
            cand = np.minimum(cand, hi[todo] - 1)
            ok = self.left[cand] > days[todo]
            out[todo[ok]] = cand[ok]
            todo = todo[~ok]
            if not todo.size:
                break
        return out


_JOIN_SEASON = np.array([1.6, 1.4, 1.3, 0.8, 0.7, 0.7, 0.5, 0.3, 1.4, 1.3, 1.0, 1.0])


def _join_days(run: Run, year: int, rng: np.random.Generator) -> np.ndarray:
    """Joining days of a year: growth and leavers' replacement; peaks Q1 and autumn."""
    starts = month_starts(run.first(year), to_day(f"{year + 1}-01-01"))
    n0 = 0.65 * run.scale.members
    span = max(6.0, years_since(to_day("2026-12-31"), run.scale.start).item())
    rate = np.log(run.scale.members / n0) / span
    size = n0 * np.exp(rate * years_since(starts + 14, run.scale.start))
    season = _JOIN_SEASON[month_of(starts) - 1] / _JOIN_SEASON.mean()
    counts = rng.poisson(size * (rate + _CHURN) / 12 * season)
    quarter = (month_of(starts) - 1) // 3
    for q in np.unique(quarter):  # at least one new member every quarter
        if counts[quarter == q].sum() == 0:
            counts[np.flatnonzero(quarter == q)[0]] = 1
    offsets = rng.random(counts.sum()) * np.repeat(month_lengths(starts), counts)
    days = np.repeat(starts, counts) + offsets.astype(np.int64)
    return np.sort(np.maximum(days, run.first(year)))


def _member_places(
    rng: np.random.Generator, kind: np.ndarray
) -> tuple[np.ndarray, ...]:
    n = len(kind)
    company = np.isin(kind, ("sme", "startup", "large_company"))
    foreign = company & (rng.random(n) < 0.15)
    country = np.where(foreign, rng.choice(list(FOREIGN), n, p=FOREIGN_P), "FR")
    which = rng.integers(0, 3, n)
    abroad = [
        FOREIGN[c][0][i] if c != "FR" else ""
        for c, i in zip(country, which, strict=True)
    ]
    french = np.where(company, rng.choice(FR_REGIONS, n, p=FR_REGION_P), "Occitanie")
    return country, np.where(foreign, abroad, french)


def _member_block(
    rng: np.random.Generator, joined: np.ndarray, origin: np.ndarray
) -> pd.DataFrame:
    """Members joining on ``joined``, their membership counted from ``origin``."""
    n = len(joined)
    kind = rng.choice(TYPES, n, p=TYPE_P)
    drawn = rng.choice(SECTORS, n, p=SECTOR_P)
    drawn = np.where(kind == "startup", rng.choice(STARTUP_SECTORS, n), drawn)
    sector = [TYPE_SECTOR.get(k, s) for k, s in zip(kind, drawn, strict=True)]
    country, region = _member_places(rng, kind)
    left = origin + (rng.exponential(365.25 / _CHURN, n) + 30).astype(np.int64)
    year_end = (left.astype("datetime64[Y]") + 1).astype("datetime64[D]") - DAY
    left = np.where(rng.random(n) < 0.5, year_end, left)  # many just do not renew
    keen = np.where(np.isin(kind, ("research_lab", "large_company")), 3.0, 1.0)
    columns = ("member_type", "country", "region", "sector", "joined_on", "left_on")
    frame = pd.DataFrame(
        dict(zip(columns, (kind, country, region, sector, joined, left), strict=True))
    )
    return frame.assign(weight=rng.lognormal(0, 1.5, n) * keen)


def generate_members(run: Run) -> Members:
    """Members: a cohort joined over the 13 years before the start, then new ones."""
    rng = run.rng("members", 0)
    start = to_day(run.scale.start)
    n0 = round(0.65 * run.scale.members)
    back = (13 * 365 * rng.random(n0) ** 1.4).astype(np.int64) + 1
    blocks = [_member_block(rng, np.sort(start - back), np.full(n0, start))]
    for year in run.years:
        rng = run.rng("members", year)
        joined = _join_days(run, year, rng)
        blocks.append(_member_block(rng, joined, joined))
    frame = number_rows(blocks, "member_id", "M")
    names = Names(run.rng("names", 0))
    kinds = zip(frame.member_type, frame.sector, frame.country, strict=True)
    frame["name"] = [names.pick(*kind) for kind in kinds]
    joined, left = (
        frame[c].to_numpy("datetime64[D]") for c in ("joined_on", "left_on")
    )
    return Members(frame, joined, left, frame.weight.to_numpy(float))
