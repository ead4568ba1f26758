"""One KPI's trajectory: actual series, baseline, and target, pace and trend per horizon."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from clusterkpi.catalog import Benchmark, Catalog, Direction, Unit
from clusterkpi.engine import KpiPoint, evaluate
from clusterkpi.errors import PeriodError
from clusterkpi.periods import Grain, Period, periods_between
from clusterkpi.progress import DEFAULT_THRESHOLDS, Assessment, Thresholds, forecast

# score_kpi is the scorecard's own per-KPI computation: reusing it keeps targets, statuses
# and trend values identical to the scorecard's by construction.
from clusterkpi.scorecard import HISTORY, score_kpi
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, Strategy

Point = tuple[date, float]


@dataclass(frozen=True)
class SeriesPoint:
    """One period of the actual series; ``value`` is None where there is no data."""

    label: str
    start: date
    end: date  # first day after the period, like Period.end
    mid: date
    value: float | None
    manual: bool = False


@dataclass(frozen=True)
class Segment:
    """A straight line from (``start``, ``start_value``) to (``end``, ``end_value``)."""

    start: date
    start_value: float
    end: date
    end_value: float


@dataclass(frozen=True)
class Baseline:
    """The strategy's starting point, scaled to the series' period length."""

    day: date
    value: float


@dataclass(frozen=True)
class HorizonTrack:
    """One horizon: its target, the pace towards it, the trend to it and the status.

    ``pace`` runs from the baseline to the target. ``forecast`` follows the
    least-squares trend the scorecard uses, from the date of the last actual value to
    the horizon date (None with fewer than two values): starting it on the trend
    rather than on the last value keeps the three horizons' lines on one straight
    line. ``assessment`` judges the last period, exactly as the scorecard does.
    """

    horizon: Horizon
    day: date
    target: float
    pace: Segment
    forecast: Segment | None
    assessment: Assessment


@dataclass(frozen=True)
class Trajectory:
    """Where one KPI has been and where it is heading, in the terms of one grain."""

    kpi_id: str
    direction: Direction
    unit: Unit
    grain: Grain
    series: tuple[SeriesPoint, ...]
    baseline: Baseline | None
    horizons: tuple[HorizonTrack, ...]
    benchmark: Benchmark | None

    def horizon(self, horizon: Horizon) -> HorizonTrack:
        """Return the track of one horizon or raise KeyError naming it."""
        for track in self.horizons:
            if track.horizon is horizon:
                return track
        raise KeyError(horizon.value)


def has_data(trajectory: Trajectory) -> bool:
    """Tell whether any period of the series has a value (else show an empty state)."""
    return any(p.value is not None for p in trajectory.series)


def trajectory_periods(first: Period, last: Period) -> list[Period]:
    """Return the periods a trajectory reads: ``first`` to ``last`` and the trend's.

    The range is extended back when shorter than HISTORY periods, so that the trend
    reads the same periods ending with ``last`` as the scorecard does.
    """
    if not periods_between(first, last):
        raise PeriodError(f"The range starts ({first}) after it ends ({last}).")
    return periods_between(min(first, last.shift(1 - HISTORY)), last)


def build_trajectory(
    store: Store,
    catalog: Catalog,
    strategy: Strategy | None,
    kpi_id: str,
    first: Period,
    last: Period,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    points: Sequence[KpiPoint] | None = None,
) -> Trajectory:
    """Compute a KPI's trajectory from ``first`` to ``last`` (both of one grain).

    ``points`` (the KPI's ``engine.evaluate`` points covering at least
    :func:`trajectory_periods`, e.g. a scorecard's ``history``) spares a
    recomputation; otherwise one ``evaluate`` call computes them. Untracked KPIs and
    a missing strategy give a series without baseline or horizons.
    """
    kpi = catalog.kpi(kpi_id)
    periods = trajectory_periods(first, last)
    if points is None:
        points = evaluate(store, catalog, periods, [kpi_id])[kpi_id]
    by_period = {p.period: p for p in points}
    missing = [p.label for p in periods if p not in by_period]
    if missing:
        raise ValueError(f"points lack the periods {', '.join(missing)}.")
    evaluated = [by_period[p] for p in periods]
    trend = evaluated[-HISTORY:]
    target = strategy.targets.get(kpi_id) if strategy else None
    baseline = None
    tracks = []
    for horizon in Horizon:
        day = strategy.horizons.get(horizon) if strategy else None
        if day is None or target is None or target.baseline_date is None:
            continue
        card = score_kpi(kpi_id, kpi, trend, target, last, horizon, day, thresholds)
        if card.target is None or card.baseline is None:
            continue
        baseline = Baseline(target.baseline_date, card.baseline)
        tracks.append(
            HorizonTrack(
                horizon=horizon,
                day=day,
                target=card.target,
                pace=Segment(baseline.day, baseline.value, day, card.target),
                forecast=_forecast_line(trend, day, card.forecast),
                assessment=card.assessment,
            )
        )
    return Trajectory(
        kpi_id=kpi_id,
        direction=kpi.direction,
        unit=kpi.unit,
        grain=last.grain,
        series=tuple(_series_point(p) for p in evaluated if p.period >= first),
        baseline=baseline,
        horizons=tuple(tracks),
        benchmark=kpi.benchmark,
    )


def _mid(period: Period) -> date:
    # The date the scorecard's trend gives each period's value.
    return period.start + (period.end - period.start) / 2


def _series_point(point: KpiPoint) -> SeriesPoint:
    p = point.period
    return SeriesPoint(p.label, p.start, p.end, _mid(p), point.value, point.manual)


def _forecast_line(
    trend: list[KpiPoint], day: date, value: float | None
) -> Segment | None:
    # The same (mid-date, value) inputs as the scorecard's trend.
    known = [(_mid(p.period), p.value) for p in trend if p.value is not None]
    start = forecast(known, known[-1][0]) if known else None
    if value is None or start is None:
        return None
    return Segment(known[-1][0], start, day, value)


def data_window(trajectory: Trajectory) -> tuple[date, date] | None:
    """Return the first day of the first period with a value and the end of the last."""
    known = [p for p in trajectory.series if p.value is not None]
    return (known[0].start, known[-1].end) if known else None


def clip_line(points: Sequence[Point], unit: Unit, until: date) -> list[Point]:
    """Return a polyline cut at ``until`` and held inside ``unit``'s domain.

    Where the line leaves the domain it runs along the bound from the crossing on,
    so its last value is the clamped forecast. Empty when it starts after ``until``.
    """
    cut = _cut(points, until)
    low, high = unit.domain
    line: list[Point] = []
    for a, b in zip(cut, cut[1:], strict=False):
        line.append(a)
        line.extend(_crossings(a, b, [x for x in (low, high) if x is not None]))
    line.extend(cut[-1:])
    return [(day, unit.clamp(value)) for day, value in line]


def _cut(points: Sequence[Point], until: date) -> list[Point]:
    kept = [p for p in points if p[0] <= until]
    later = [p for p in points if p[0] > until]
    if kept and later and kept[-1][0] < until:
        a, b = kept[-1], later[0]
        share = (until - a[0]).days / (b[0] - a[0]).days
        kept.append((until, a[1] + (b[1] - a[1]) * share))
    return kept


def _crossings(a: Point, b: Point, bounds: list[float]) -> list[Point]:
    """Return where the segment a→b crosses the bounds, in order of date."""
    found = []
    for bound in bounds:
        if (a[1] - bound) * (b[1] - bound) < 0:
            share = (bound - a[1]) / (b[1] - a[1])
            day = a[0] + timedelta(days=round((b[0] - a[0]).days * share))
            found.append((day, bound))
    return sorted(found)
