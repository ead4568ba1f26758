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


# Worst first: orders KPIs when naming an objective's weakest one.
SEVERITY = (Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED)


@dataclass(frozen=True)
class Thresholds:
    """Status thresholds as fractions of the expected progress."""

    on_track: float = 0.95
    at_risk: float = 0.75


DEFAULT_THRESHOLDS = Thresholds()
DAYS_PER_MONTH = 365.25 / 12


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
    else:
        status = pace_status(done, expected, thresholds)
    return Assessment(status, done, expected)


def pace_status(done: float, expected: float, thresholds: Thresholds) -> Status:
    """Return on track, at risk or off track for progress ``done`` against ``expected``."""
    if done >= thresholds.on_track * expected:
        return Status.ON_TRACK
    if done >= thresholds.at_risk * expected:
        return Status.AT_RISK
    return Status.OFF_TRACK


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
    """An objective's standing: weighted progress against weighted expected pace."""

    status: Status
    progress: float | None
    expected: float | None = None


def roll_up(
    items: Sequence[tuple[Assessment, float]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> RollUp:
    """Combine (assessment, weight) pairs of one objective's tracked KPIs.

    Over the KPIs with data, progress is Σ wᵢ·clamp(pᵢ, 0, 1) / Σ wᵢ (so that one
    KPI far past its target cannot hide another that lags) and expected is
    Σ wᵢ·eᵢ / Σ wᵢ; when every weight is 0 each KPI counts once. The status
    compares them as :func:`assess` compares a KPI's: achieved when every KPI is,
    off track once every horizon has passed (expected = 1), else on track, at
    risk or off track by the same thresholds. With no data at all: "no data".
    """
    with_data = [(a, w) for a, w in items if a.status is not Status.NO_DATA]
    if not with_data:
        return RollUp(Status.NO_DATA, None, None)
    if sum(w for _, w in with_data) <= 0:
        with_data = [(a, 1.0) for a, _ in with_data]
    total = sum(w for _, w in with_data)
    done = sum(w * min(1.0, max(0.0, a.progress or 0.0)) for a, w in with_data) / total
    expected = sum(w * (a.expected or 0.0) for a, w in with_data) / total
    if all(a.status is Status.ACHIEVED for a, _ in with_data):
        status = Status.ACHIEVED
    elif expected >= 1.0:
        status = Status.OFF_TRACK
    else:
        status = pace_status(done, expected, thresholds)
    return RollUp(status, done, expected)


def months_behind(gap: float, baseline_date: date, target_date: date) -> float:
    """Return how many months of the planned pace a progress ``gap`` represents.

    The plan covers the whole way (progress 1) evenly from the baseline date to
    the target date, i.e. 1 / months per month; a gap of g is g × months months.
    """
    return gap * max(0, (target_date - baseline_date).days) / DAYS_PER_MONTH
