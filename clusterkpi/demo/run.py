"""One generation run: the cluster's scale, its random streams and its calendar."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np

from clusterkpi.demo.timeline import to_day, years_since


@dataclass(frozen=True)
class DemoScale:
    """Size of the generated cluster.

    Attributes:
        members: members active at the end of history (2026), roughly.
        start: first day of activity history.
        activity: multiplier on event, attendance, interaction, press and survey
            volumes.
    """

    members: int = 200
    start: date = date(2021, 1, 1)
    activity: float = 1.0


DEFAULT_SCALE = DemoScale()  # the default argument: frozen, so safe to share


@dataclass(frozen=True)
class Run:
    """One generation, with a random stream per (table, year).

    No year sees later ones, so the rows up to a day do not depend on ``until``.
    """

    seed: int
    scale: DemoScale
    until: date

    def rng(self, table: str, year: int) -> np.random.Generator:
        """Return the random stream of ``table`` in ``year``."""
        return np.random.default_rng([self.seed, zlib.crc32(table.encode()), year])

    @property
    def years(self) -> range:
        """Calendar years of the history, from the start's to ``until``'s."""
        return range(self.scale.start.year, self.until.year + 1)

    @property
    def reach(self) -> float:
        """How much bigger than the default the cluster's audience is."""
        return float(np.sqrt(self.scale.members / 200))

    @property
    def volume(self) -> float:
        """Multiplier on activity volumes (events, interactions, press, surveys)."""
        return self.scale.activity * self.reach

    def first(self, year: int) -> np.datetime64:
        """Return the first day of ``year`` that is in the history."""
        return max(to_day(self.scale.start), to_day(f"{year}-01-01"))

    def days(self, year: int) -> np.ndarray:
        """Return the days of ``year`` that are in the history."""
        end = to_day(f"{year + 1}-01-01")
        return np.arange(self.first(year), end, dtype="datetime64[D]")

    def quarters(self, year: int, clip: bool = True) -> list[tuple[np.datetime64, ...]]:
        """Quarters of ``year`` as [start, end) days, clipped to the history start."""
        first = self.first(year) if clip else to_day(f"{year}-01-01")
        out: list[tuple[np.datetime64, ...]] = []
        for q in range(4):
            start = np.datetime64(f"{year}-{3 * q + 1:02d}", "M")
            end = (start + 3).astype("datetime64[D]")
            if max(first, start.astype("datetime64[D]")) < end:
                out.append((max(first, start.astype("datetime64[D]")), end))
        return out

    def growth(self, days: np.ndarray | np.datetime64, rate: float) -> np.ndarray:
        """Multiplier growing by ``rate`` a year since the history start."""
        return np.asarray((1 + rate) ** years_since(days, self.scale.start))
