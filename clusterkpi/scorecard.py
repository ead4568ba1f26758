"""The board scorecard: every objective and KPI for one period against one horizon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clusterkpi.catalog import Catalog, Kpi, ObjectiveGroup, Unit
from clusterkpi.engine import KpiPoint, evaluate
from clusterkpi.periods import Period
from clusterkpi.progress import (
    DEFAULT_THRESHOLDS,
    SEVERITY,
    Assessment,
    Status,
    Thresholds,
    assess,
    forecast,
    roll_up,
)
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, KpiTarget, Positioning, Strategy

HISTORY = 12  # periods read back for the trend forecast
SPARKLINE = 8  # periods shown in a card's sparkline
BEHIND = (Status.OFF_TRACK, Status.AT_RISK)


@dataclass(frozen=True)
class KpiCard:
    """One KPI on the scorecard; targets are already in the period's terms."""

    kpi_id: str
    value: float | None
    previous: float | None
    target: float | None
    baseline: float | None
    weight: float
    tracked: bool
    assessment: Assessment
    forecast: float | None
    sparkline: list[tuple[str, float | None]]
    manual: bool
    baseline_date: date | None = None

    @property
    def delta(self) -> float | None:
        """Change from the previous period."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def gap(self) -> float | None:
        """Expected minus actual progress: how far behind pace (negative when ahead).

        Progress is clamped to [0, 1] as in the objective roll-up: a KPI that went
        back past its baseline lags by all the progress expected so far, no more.
        """
        done, expected = self.assessment.progress, self.assessment.expected
        if done is None or expected is None:
            return None
        return expected - min(1.0, max(0.0, done))

    def behind_key(self) -> tuple[float, float]:
        """Sort key: furthest behind first; among equal gaps, the one that fell most."""
        return (-(self.gap or 0.0), self.assessment.progress or 0.0)


@dataclass(frozen=True)
class ObjectiveBlock:
    """One objective: its roll-up and the KPIs behind it."""

    objective_id: str
    group: ObjectiveGroup
    status: Status
    progress: float | None
    cards: list[KpiCard]
    expected: float | None = None
    off_track: int = 0
    at_risk: int = 0
    weakest: str | None = None  # the KPI furthest behind among those off track/at risk


@dataclass(frozen=True)
class Scorecard:
    """The whole board scorecard for a period and a horizon."""

    period: Period
    horizon: Horizon
    horizon_date: date
    positioning: Positioning | None
    catalog_version: int
    blocks: list[ObjectiveBlock]

    def card(self, kpi_id: str) -> KpiCard:
        """Return the card of one KPI."""
        return next(c for b in self.blocks for c in b.cards if c.kpi_id == kpi_id)


def target_scale(kpi: Kpi, period: Period) -> float:
    """Return the factor applied to targets: counts over a period are set per quarter."""
    return period.months / 3 if kpi.additive else 1.0


def history(
    store: Store, catalog: Catalog, period: Period
) -> dict[str, list[KpiPoint]]:
    """Compute every KPI over the periods a scorecard reads, ending with ``period``."""
    periods = [period.shift(-i) for i in range(HISTORY - 1, -1, -1)]
    return evaluate(store, catalog, periods)


def build_scorecard(
    store: Store,
    catalog: Catalog,
    strategy: Strategy | None,
    period: Period,
    horizon: Horizon,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    series: dict[str, list[KpiPoint]] | None = None,
) -> Scorecard:
    """Compute the scorecard: KPI values, statuses at ``horizon`` and objective roll-ups.

    ``series`` (from :func:`history`) spares a recomputation when several horizons
    are built for one period.
    """
    if series is None:
        series = history(store, catalog, period)
    horizon_date = (
        strategy.horizons[horizon] if strategy else date(period.end.year + 1, 12, 31)
    )
    targets = strategy.targets if strategy else {}
    blocks = []
    for objective_id, objective in catalog.objectives.items():
        cards = [
            score_kpi(
                kpi_id,
                catalog.kpis[kpi_id],
                series[kpi_id],
                targets.get(kpi_id),
                period,
                horizon,
                horizon_date,
                thresholds,
            )
            for kpi_id in catalog.kpis_of(objective_id)
        ]
        rolled = roll_up(
            [(c.assessment, c.weight) for c in cards if c.tracked], thresholds
        )
        statuses = [c.assessment.status for c in cards if c.tracked]
        behind = weakest_first(cards)
        blocks.append(
            ObjectiveBlock(
                objective_id,
                objective.group,
                rolled.status,
                rolled.progress,
                cards,
                expected=rolled.expected,
                off_track=statuses.count(Status.OFF_TRACK),
                at_risk=statuses.count(Status.AT_RISK),
                weakest=behind[0].kpi_id if behind else None,
            )
        )
    return Scorecard(
        period,
        horizon,
        horizon_date,
        strategy.positioning if strategy else None,
        catalog.version,
        blocks,
    )


def score_kpi(
    kpi_id: str,
    kpi: Kpi,
    points: list[KpiPoint],
    target: KpiTarget | None,
    period: Period,
    horizon: Horizon,
    horizon_date: date,
    thresholds: Thresholds,
) -> KpiCard:
    """Score one KPI for a period against one horizon: value, target, status, trend."""
    current, previous = points[-1], points[-2]
    scale = target_scale(kpi, period)
    # The target of a tracked KPI, else None (an untracked one counts for nothing).
    aim = target if target is not None and target.tracked else None
    goal = aim.target(horizon) if aim is not None else None
    baseline = aim.baseline_value if aim is not None else None
    baseline_date = aim.baseline_date if aim is not None else None
    trend = [
        (p.period.start + (p.period.end - p.period.start) / 2, p.value)
        for p in points
        if p.value is not None
    ]
    # A saved strategy gives a tracked KPI both baseline fields (validate_strategy).
    if goal is not None and baseline is not None and baseline_date is not None:
        assessment = assess(
            current.value,
            baseline * scale,
            goal * scale,
            kpi.direction,
            period.last_day,
            baseline_date,
            horizon_date,
            thresholds,
        )
    else:
        assessment = Assessment(Status.NO_DATA, None, None)
    return KpiCard(
        kpi_id=kpi_id,
        value=current.value,
        previous=previous.value,
        target=goal * scale if goal is not None else None,
        baseline=baseline * scale if baseline is not None else None,
        weight=aim.weight if aim is not None else 0.0,
        tracked=aim is not None,
        assessment=assessment,
        forecast=_within(kpi.unit, forecast(trend, horizon_date)),
        sparkline=[(p.period.label, p.value) for p in points[-SPARKLINE:]],
        manual=current.manual,
        baseline_date=baseline_date,
    )


def weakest_first(cards: list[KpiCard]) -> list[KpiCard]:
    """Return the tracked cards off track or at risk, off track first, then by gap.

    Within a status the KPI furthest behind its expected pace comes first.
    """
    behind = [c for c in cards if c.tracked and c.assessment.status in BEHIND]
    return sorted(
        behind,
        key=lambda c: (SEVERITY.index(c.assessment.status), *c.behind_key()),
    )


def _within(unit: Unit, value: float | None) -> float | None:
    # A straight trend runs out of a KPI's domain (a count below 0): the forecast
    # says where the trend leads, held inside what the KPI can be.
    return None if value is None else unit.clamp(value)
