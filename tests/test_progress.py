"""Tests for progress arithmetic: progress, expected pace, status, forecast, roll-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clusterkpi.catalog import Direction
from clusterkpi.progress import (
    Assessment,
    RollUp,
    Status,
    Thresholds,
    assess,
    expected_progress,
    forecast,
    months_behind,
    progress,
    roll_up,
)

HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
# A ten-day plan: halfway on day 5, so the expected progress is exactly 0.5.
START = date(2026, 1, 1)
DUE = date(2026, 1, 11)
HALFWAY = date(2026, 1, 6)


def midway(
    actual: float, baseline: float = 0, target: float = 1000, **kw
) -> Assessment:
    direction = kw.pop("direction", HIGHER)
    return assess(actual, baseline, target, direction, HALFWAY, START, DUE, **kw)


# progress -----------------------------------------------------------------------


def test_progress_higher_is_share_of_the_way_covered() -> None:
    assert progress(60, 50, 100, HIGHER) == pytest.approx(0.2)


def test_progress_lower_is_better_is_positive_when_improving() -> None:
    assert progress(0.04, 0.05, 0.03, LOWER) == pytest.approx(0.5)


def test_progress_lower_is_better_is_negative_when_worsening() -> None:
    assert progress(0.06, 0.05, 0.03, LOWER) == pytest.approx(-0.5)


def test_progress_past_the_target_exceeds_one() -> None:
    assert progress(150, 50, 100, HIGHER) == pytest.approx(2.0)


def test_progress_when_target_equals_baseline_higher_is_held_or_not() -> None:
    assert [progress(a, 10, 10, HIGHER) for a in (9, 10, 11)] == [0.0, 1.0, 1.0]


def test_progress_when_target_equals_baseline_lower_is_held_or_not() -> None:
    assert [progress(a, 10, 10, LOWER) for a in (9, 10, 11)] == [1.0, 1.0, 0.0]


# expected_progress ----------------------------------------------------------------


def test_expected_progress_before_the_baseline_is_zero() -> None:
    assert expected_progress(date(2025, 12, 1), START, DUE) == 0.0


def test_expected_progress_after_the_target_date_is_one() -> None:
    assert expected_progress(date(2026, 3, 1), START, DUE) == 1.0


def test_expected_progress_midway_is_the_elapsed_share() -> None:
    assert expected_progress(HALFWAY, START, DUE) == 0.5


def test_expected_progress_over_a_year_counts_days() -> None:
    # 2026-01-01 → 2027-01-01 is 365 days; 2026-04-01 is day 90.
    assert expected_progress(
        date(2026, 4, 1), date(2026, 1, 1), date(2027, 1, 1)
    ) == pytest.approx(90 / 365)


def test_expected_progress_of_an_empty_span_is_one() -> None:
    assert expected_progress(START, START, START) == 1.0


# assess ---------------------------------------------------------------------------


def test_assess_without_data_is_no_data() -> None:
    assert midway(None) == Assessment(Status.NO_DATA, None, None)


def test_assess_reaching_the_target_early_is_achieved() -> None:
    assert midway(1000) == Assessment(Status.ACHIEVED, 1.0, 0.5)


def test_assess_past_the_target_date_without_reaching_it_is_off_track() -> None:
    late = assess(990, 0, 1000, HIGHER, date(2026, 2, 1), START, DUE)
    assert late == Assessment(Status.OFF_TRACK, pytest.approx(0.99), 1.0)


def test_assess_on_the_target_date_without_reaching_it_is_off_track() -> None:
    due_day = assess(990, 0, 1000, HIGHER, DUE, START, DUE)
    assert due_day == Assessment(Status.OFF_TRACK, pytest.approx(0.99), 1.0)


def test_assess_exactly_095_of_expected_is_on_track() -> None:
    assert 475 / 1000 == 0.95 * 0.5  # the boundary is exact in floating point
    assert midway(475) == Assessment(Status.ON_TRACK, 0.475, 0.5)


def test_assess_between_075_and_095_of_expected_is_at_risk() -> None:
    assert midway(450) == Assessment(Status.AT_RISK, pytest.approx(0.45), 0.5)


def test_assess_exactly_075_of_expected_is_at_risk() -> None:
    assert midway(375) == Assessment(Status.AT_RISK, 0.375, 0.5)


def test_assess_below_075_of_expected_is_off_track() -> None:
    assert midway(200) == Assessment(Status.OFF_TRACK, pytest.approx(0.2), 0.5)


def test_assess_lower_is_better_improving_on_pace_is_on_track() -> None:
    assert midway(0.04, 0.05, 0.03, direction=LOWER) == Assessment(
        Status.ON_TRACK, pytest.approx(0.5), 0.5
    )


def test_assess_lower_is_better_worsening_is_off_track() -> None:
    assert midway(0.06, 0.05, 0.03, direction=LOWER) == Assessment(
        Status.OFF_TRACK, pytest.approx(-0.5), 0.5
    )


def test_assess_lower_is_better_below_target_is_achieved() -> None:
    assert midway(0.025, 0.05, 0.03, direction=LOWER) == Assessment(
        Status.ACHIEVED, pytest.approx(1.25), 0.5
    )


def test_assess_uses_custom_thresholds() -> None:
    loose = Thresholds(on_track=0.5, at_risk=0.25)
    # expected 0.5: on track from 0.25, at risk from 0.125.
    assert [midway(a, thresholds=loose).status for a in (300, 200, 100)] == [
        Status.ON_TRACK,
        Status.AT_RISK,
        Status.OFF_TRACK,
    ]
    assert [midway(a).status for a in (300, 200, 100)] == [Status.OFF_TRACK] * 3


# forecast -------------------------------------------------------------------------


def test_forecast_through_two_points_extends_their_line() -> None:
    points = [(date(2026, 1, 1), 10.0), (date(2026, 1, 11), 20.0)]
    assert forecast(points, date(2026, 1, 21)) == pytest.approx(30.0)


def test_forecast_with_fewer_than_two_points_is_none() -> None:
    assert (forecast([], START), forecast([(START, 5.0)], DUE)) == (None, None)


def test_forecast_with_every_point_on_one_date_is_none() -> None:
    assert forecast([(START, 5.0), (START, 7.0)], DUE) is None


def test_forecast_of_noisy_points_is_the_least_squares_line() -> None:
    # x = 0, 10, 20, 30 days; y = 1, 3, 2, 5. Mean x 15, mean y 2.75,
    # Sxx = 500, Sxy = 26.25 - 1.25 - 3.75 + 33.75 = 55, slope 0.11 per day.
    # At day 40: 2.75 + 0.11 * 25 = 5.5.
    points = [
        (START + timedelta(days=d), y) for d, y in ((0, 1), (10, 3), (20, 2), (30, 5))
    ]
    assert forecast(points, START + timedelta(days=40)) == pytest.approx(5.5)


# roll_up --------------------------------------------------------------------------


def test_roll_up_weighs_clamped_progress_against_weighted_expected_pace() -> None:
    items = [
        (Assessment(Status.ON_TRACK, 0.5, 0.5), 2.0),
        (Assessment(Status.ACHIEVED, 1.4, 0.5), 1.0),  # counts as 1.0
        (Assessment(Status.OFF_TRACK, -0.2, 0.5), 1.0),  # counts as 0.0
    ]
    # progress (2 × 0.5 + 1 × 1.0 + 1 × 0.0) / 4 = 0.5; expected 0.5: 0.5 ≥ 0.95 × 0.5
    assert roll_up(items) == RollUp(Status.ON_TRACK, 0.5, 0.5)


def test_roll_up_is_on_track_when_one_kpi_lags_but_the_objective_keeps_pace() -> None:
    items = [
        (Assessment(Status.ACHIEVED, 1.0, 0.5), 1.0),
        (Assessment(Status.OFF_TRACK, 0.0, 0.5), 1.0),
        (Assessment(Status.ON_TRACK, 0.5, 0.5), 2.0),
    ]
    # (1.0 + 0.0 + 2 × 0.5) / 4 = 0.5 against 0.5: on track despite one KPI off track.
    assert roll_up(items) == RollUp(Status.ON_TRACK, 0.5, 0.5)


def test_roll_up_weighs_expected_pace_of_kpis_with_different_baselines() -> None:
    items = [
        (Assessment(Status.AT_RISK, 0.25, 0.3), 3.0),
        (Assessment(Status.OFF_TRACK, 0.25, 0.75), 1.0),
    ]
    # progress 0.25; expected (3 × 0.3 + 0.75) / 4 = 0.4125; 0.25 / 0.4125 ≈ 0.61
    assert roll_up(items) == RollUp(Status.OFF_TRACK, 0.25, pytest.approx(0.4125))


@pytest.mark.parametrize(
    ("done", "status"),
    [
        (0.50, Status.ON_TRACK),  # 0.50 / 0.50 = 1.0
        (0.475, Status.ON_TRACK),  # exactly 0.95 × 0.5
        (0.40, Status.AT_RISK),  # 0.80
        (0.375, Status.AT_RISK),  # exactly 0.75 × 0.5
        (0.25, Status.OFF_TRACK),  # 0.50
    ],
)
def test_roll_up_uses_the_kpi_thresholds(done: float, status: Status) -> None:
    items = [(Assessment(Status.ON_TRACK, done, 0.5), 1.0)] * 2
    assert roll_up(items) == RollUp(status, done, 0.5)


def test_roll_up_uses_custom_thresholds() -> None:
    items = [(Assessment(Status.AT_RISK, 0.4, 0.5), 1.0)]
    strict = Thresholds(on_track=1.0, at_risk=0.9)
    assert roll_up(items, strict) == RollUp(Status.OFF_TRACK, 0.4, 0.5)


def test_roll_up_is_achieved_only_when_every_kpi_is() -> None:
    achieved = (Assessment(Status.ACHIEVED, 1.5, 0.5), 1.0)
    nearly = (Assessment(Status.ON_TRACK, 0.9, 0.5), 1.0)
    assert (roll_up([achieved, achieved]), roll_up([achieved, nearly])) == (
        RollUp(Status.ACHIEVED, 1.0, 0.5),
        RollUp(Status.ON_TRACK, 0.95, 0.5),
    )


def test_roll_up_once_every_horizon_passed_is_off_track_unless_achieved() -> None:
    items = [
        (Assessment(Status.ACHIEVED, 1.0, 1.0), 1.0),
        (Assessment(Status.OFF_TRACK, 0.9, 1.0), 1.0),
    ]
    # 0.95 ≥ 0.95 × 1.0, but the target date has passed: as for a KPI, off track.
    assert roll_up(items) == RollUp(Status.OFF_TRACK, 0.95, 1.0)


def test_roll_up_ignores_kpis_without_data() -> None:
    items = [
        (Assessment(Status.NO_DATA, None, None), 5.0),
        (Assessment(Status.ON_TRACK, 0.6, 0.5), 1.0),
    ]
    assert roll_up(items) == RollUp(Status.ON_TRACK, 0.6, 0.5)


def test_roll_up_without_any_data_is_no_data() -> None:
    items = [(Assessment(Status.NO_DATA, None, None), 1.0)] * 2
    assert (roll_up(items), roll_up([])) == (
        RollUp(Status.NO_DATA, None, None),
        RollUp(Status.NO_DATA, None, None),
    )


def test_roll_up_with_zero_total_weight_counts_each_kpi_once() -> None:
    items = [
        (Assessment(Status.ON_TRACK, 0.5, 0.5), 0.0),
        (Assessment(Status.OFF_TRACK, 0.1, 0.5), 0.0),
    ]
    # (0.5 + 0.1) / 2 = 0.3 against 0.5: 0.6 of the pace, below 0.75.
    assert roll_up(items) == RollUp(Status.OFF_TRACK, 0.3, 0.5)


# months_behind --------------------------------------------------------------------


def test_months_behind_is_the_gap_at_the_planned_pace() -> None:
    # 2024-12-31 → 2027-12-31: 1,095 days, at 365.25 / 12 = 30.4375 days a month.
    three_years = months_behind(0.5, date(2024, 12, 31), date(2027, 12, 31))
    assert three_years == pytest.approx(1095 / 30.4375 / 2)


def test_months_behind_of_no_gap_or_an_empty_span_is_zero() -> None:
    assert (
        months_behind(0.0, START, DUE),
        months_behind(0.4, DUE, START),
    ) == (0.0, 0.0)
