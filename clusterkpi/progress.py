"""Pure progress arithmetic: progress, expected pace, status, forecast and roll-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clusterkpi.catalog import Direction


class Status(StrEnum):
    """Where a KPI or objective stands against a target."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


# Worst first: the roll-up keeps the worst status of an objective's KPIs.
SEVERITY = (Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED)


@dataclass(frozen=True)
class Thresholds:
    """Status thresholds as fractions of the expected progress."""

    on_track: float = 0.95
    at_risk: float = 0.75


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Assessment:
    """A KPI's standing against one horizon's target."""

    status: Status
    progress: float | None
    expected: float | None


def progress(
    actual: float, baseline: float, target: float, direction: Direction
) -> float:
    """Return (actual − baseline) / (target − baseline), the share of the way covered.

    The formula needs no direction: for a lower-is-better KPI both differences are
    negative when it improves. A target equal to its baseline is a threshold to
    hold: 1.0 when the actual is on the right side of it, else 0.0.
    """
    if target == baseline:
        held = actual >= target if direction is Direction.HIGHER else actual <= target
        return 1.0 if held else 0.0
    return (actual - baseline) / (target - baseline)


def expected_progress(as_of: date, baseline_date: date, target_date: date) -> float:
    """Return the elapsed share of the baseline→target time, clamped to [0, 1]."""
    span = (target_date - baseline_date).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_of - baseline_date).days / span))


def assess(
    actual: float | None,
    baseline: float,
    target: float,
    direction: Direction,
    as_of: date,
    baseline_date: date,
    target_date: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Assessment:
    """Return the status of ``actual`` against a target due on ``target_date``.

    Achieved when progress ≥ 1; once the target date has passed anything else is off
    track; before it: on track when progress ≥ on_track × expected, at risk when
    ≥ at_risk × expected, else off track.
    """
    if actual is None:
        return Assessment(Status.NO_DATA, None, None)
    done = progress(actual, baseline, target, direction)
    expected = expected_progress(as_of, baseline_date, target_date)
    if done >= 1.0:
        status = Status.ACHIEVED
    elif as_of >= target_date:
        status = Status.OFF_TRACK
    elif done >= thresholds.on_track * expected:
        status = Status.ON_TRACK
    elif done >= thresholds.at_risk * expected:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Assessment(status, done, expected)


def forecast(points: Sequence[tuple[date, float]], at: date) -> float | None:
    """Return the least-squares linear trend of ``points`` evaluated at ``at``.

    None with fewer than two points or when all points share one date.
    """
    if len(points) < 2:
        return None
    xs = [d.toordinal() for d, _ in points]
    ys = [v for _, v in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    return mean_y + slope * (at.toordinal() - mean_x)


@dataclass(frozen=True)
class RollUp:
    """An objective's standing: weighted mean progress and worst status."""

    status: Status
    progress: float | None


def roll_up(items: Sequence[tuple[Assessment, float]]) -> RollUp:
    """Combine (assessment, weight) pairs of one objective's tracked KPIs.

    Progress is Σ wᵢ·clamp(pᵢ, 0, 1) / Σ wᵢ over the KPIs with data, so that one
    KPI far past its target cannot hide another that lags. The status is the worst
    status among KPIs with data; with no data at all it is "no data".
    """
    with_data = [(a, w) for a, w in items if a.status is not Status.NO_DATA]
    if not with_data:
        return RollUp(Status.NO_DATA, None)
    worst = min((a.status for a, _ in with_data), key=SEVERITY.index)
    total = sum(w for _, w in with_data)
    if total <= 0:
        return RollUp(worst, None)
    mean = sum(w * min(1.0, max(0.0, a.progress or 0.0)) for a, w in with_data) / total
    return RollUp(worst, mean)
