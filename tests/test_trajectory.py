"""Tests for clusterkpi.trajectory on the demo cluster: series, targets, pace, trend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from clusterkpi import trajectory as trajectory_module
from clusterkpi.catalog import Catalog, Direction, Unit
from clusterkpi.engine import KpiPoint, evaluate
from clusterkpi.errors import PeriodError
from clusterkpi.periods import Grain, Period, parse_period, periods_between
from clusterkpi.progress import Status, forecast
from clusterkpi.scorecard import build_scorecard, history
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, KpiTarget, Strategy, read_strategy
from clusterkpi.trajectory import (
    Baseline,
    Segment,
    Trajectory,
    build_trajectory,
    has_data,
    trajectory_periods,
)
from tests.demo_db import TODAY, make_demo_db

FIRST = parse_period("2025Q1")
LAST = parse_period("2026Q3")  # the last complete quarter on TODAY
BASELINE_DAY = date(2024, 12, 31)
HORIZON_DAYS = {
    Horizon.SHORT: date(2027, 12, 31),
    Horizon.MEDIUM: date(2031, 12, 31),
    Horizon.LONG: date(2036, 12, 31),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo cluster with its strategy; only read by the tests."""
    db = Store(make_demo_db(tmp_path_factory.mktemp("trajectory") / "demo.duckdb"))
    yield db
    db.close()


@pytest.fixture(scope="module")
def strategy(demo: Store) -> Strategy:
    saved = read_strategy(demo, TODAY)
    assert saved is not None
    return saved


@pytest.fixture(scope="module")
def series(demo: Store, catalog: Catalog) -> dict[str, list[KpiPoint]]:
    """Every KPI over the twelve quarters up to LAST, as the 2026Q3 scorecard reads."""
    return history(demo, catalog, LAST)


def build(
    demo: Store,
    catalog: Catalog,
    strategy: Strategy | None,
    kpi_id: str,
    first: str = "2025Q1",
    last: str = "2026Q3",
) -> Trajectory:
    return build_trajectory(
        demo, catalog, strategy, kpi_id, parse_period(first), parse_period(last)
    )


def test_series_equals_what_evaluate_computes(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """One point per quarter from FIRST to LAST, with evaluate's value."""
    trajectory = build(demo, catalog, strategy, "newsletter_open_rate")
    periods = periods_between(FIRST, LAST)
    expected = evaluate(demo, catalog, periods, ["newsletter_open_rate"])
    assert [(p.label, p.value) for p in trajectory.series] == [
        (point.period.label, point.value) for point in expected["newsletter_open_rate"]
    ]
    assert [(p.start, p.end, p.mid) for p in trajectory.series[:3]] == [
        (date(2025, 1, 1), date(2025, 4, 1), date(2025, 2, 15)),
        (date(2025, 4, 1), date(2025, 7, 1), date(2025, 5, 16)),
        (date(2025, 7, 1), date(2025, 10, 1), date(2025, 8, 16)),
    ]
    assert (
        trajectory.kpi_id,
        trajectory.direction,
        trajectory.unit,
        trajectory.grain,
    ) == ("newsletter_open_rate", Direction.HIGHER, Unit.RATE, Grain.QUARTER)


def test_periods_without_data_have_no_value_never_zero(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """Before any source covers it, even a count has no value, and no data to draw."""
    trajectory = build(demo, catalog, strategy, "new_members", "1990Q1", "1990Q4")
    assert [(p.label, p.value) for p in trajectory.series] == [
        ("1990Q1", None),
        ("1990Q2", None),
        ("1990Q3", None),
        ("1990Q4", None),
    ]
    assert has_data(trajectory) is False
    assert has_data(build(demo, catalog, strategy, "new_members")) is True


def test_one_evaluate_call_computes_the_trajectory(
    demo: Store,
    catalog: Catalog,
    strategy: Strategy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the KPI asked for, over the range extended to the trend's twelve quarters."""
    calls = []

    def counting(
        store: Store, catalog: Catalog, periods: list[Period], kpi_ids: list[str]
    ) -> dict[str, list[KpiPoint]]:
        calls.append(([p.label for p in periods], kpi_ids))
        return evaluate(store, catalog, periods, kpi_ids)

    monkeypatch.setattr(trajectory_module, "evaluate", counting)
    build(demo, catalog, strategy, "member_churn_rate")
    labels = [p.label for p in periods_between(parse_period("2023Q4"), LAST)]
    assert calls == [(labels, ["member_churn_rate"])]


def test_trajectory_periods_extend_a_short_range_to_the_trend_history() -> None:
    """Twelve periods ending with ``last`` at least, else the range as asked."""
    short = trajectory_periods(parse_period("2026-08"), parse_period("2026-09"))
    assert (short[0].label, short[-1].label, len(short)) == ("2025-10", "2026-09", 12)
    long = trajectory_periods(parse_period("2020"), parse_period("2026"))
    assert [p.label for p in long] == [str(y) for y in range(2015, 2027)]
    wide = trajectory_periods(parse_period("2020Q1"), LAST)
    assert (wide[0].label, len(wide)) == ("2020Q1", 27)


def test_bad_ranges_are_refused(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """Start after end, mixed lengths, or ready points that miss a period."""
    with pytest.raises(PeriodError, match="starts"):
        build(demo, catalog, strategy, "new_members", "2026Q3", "2026Q1")
    with pytest.raises(PeriodError, match="same length"):
        build(demo, catalog, strategy, "new_members", "2026-01", "2026Q3")
    too_short = evaluate(demo, catalog, [LAST], ["new_members"])["new_members"]
    with pytest.raises(ValueError, match="points lack the periods 2023Q4, "):
        build_trajectory(
            demo, catalog, strategy, "new_members", FIRST, LAST, points=too_short
        )


@pytest.mark.parametrize("horizon", list(Horizon))
def test_targets_statuses_and_trend_equal_the_scorecard(
    demo: Store,
    catalog: Catalog,
    strategy: Strategy,
    series: dict[str, list[KpiPoint]],
    horizon: Horizon,
) -> None:
    """For every KPI, the last period's standing is the scorecard's, horizon by horizon."""
    board = build_scorecard(demo, catalog, strategy, LAST, horizon, series=series)
    first = LAST.shift(-11)
    got, expected = {}, {}
    for kpi_id in catalog.kpis:
        trajectory = build_trajectory(
            demo, catalog, strategy, kpi_id, first, LAST, points=series[kpi_id]
        )
        track = trajectory.horizon(horizon)
        trend = track.forecast.end_value if track.forecast else None
        assert trajectory.baseline is not None
        got[kpi_id] = (track.assessment, track.target, trajectory.baseline.value, trend)
        card = board.card(kpi_id)
        expected[kpi_id] = (card.assessment, card.target, card.baseline, card.forecast)
    assert got == expected
    # The comparison means something only if the statuses differ between KPIs.
    assert len({a.status for a, *_ in got.values()}) >= 3


def test_ready_points_give_the_same_trajectory(
    demo: Store,
    catalog: Catalog,
    strategy: Strategy,
    series: dict[str, list[KpiPoint]],
) -> None:
    """A scorecard's history as ``points`` spares evaluate and changes nothing."""
    first = LAST.shift(-11)
    for kpi_id in ("website_sessions", "member_nps", "sme_share"):
        computed = build_trajectory(demo, catalog, strategy, kpi_id, first, LAST)
        ready = build_trajectory(
            demo, catalog, strategy, kpi_id, first, LAST, points=series[kpi_id]
        )
        assert ready == computed


NEW_MEMBERS_SCALED = {
    # period: (baseline, short, medium, long); demo targets are 7 → 9, 11, 13 a quarter.
    "2026-09": (7 / 3, 3.0, 11 / 3, 13 / 3),
    "2026Q3": (7.0, 9.0, 11.0, 13.0),
    "2026": (28.0, 36.0, 44.0, 52.0),
}


@pytest.mark.parametrize("last", list(NEW_MEMBERS_SCALED))
def test_count_targets_scale_to_the_period_length(
    demo: Store, catalog: Catalog, strategy: Strategy, last: str
) -> None:
    """Quarterly count targets are ⅓ for a month and ×4 for a year; stocks keep theirs."""
    trajectory = build(demo, catalog, strategy, "new_members", last, last)
    assert trajectory.baseline is not None
    scaled = (trajectory.baseline.value, *[t.target for t in trajectory.horizons])
    assert scaled == pytest.approx(NEW_MEMBERS_SCALED[last])
    # The pace lines join the scaled baseline to the scaled targets.
    assert [t.pace for t in trajectory.horizons] == [
        Segment(
            BASELINE_DAY, trajectory.baseline.value, HORIZON_DAYS[t.horizon], t.target
        )
        for t in trajectory.horizons
    ]
    stock = build(demo, catalog, strategy, "active_members", last, last)
    assert stock.baseline == Baseline(BASELINE_DAY, 180.0)
    assert [t.target for t in stock.horizons] == [210.0, 250.0, 300.0]


def test_pace_runs_from_the_baseline_to_each_target(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """Open rate: 30.8 % on 2024-12-31 towards 32 %, 33 % and 35 %."""
    trajectory = build(demo, catalog, strategy, "newsletter_open_rate")
    assert trajectory.baseline == Baseline(BASELINE_DAY, 0.308)
    assert [(t.horizon, t.day, t.target, t.pace) for t in trajectory.horizons] == [
        (h, HORIZON_DAYS[h], goal, Segment(BASELINE_DAY, 0.308, HORIZON_DAYS[h], goal))
        for h, goal in zip(Horizon, (0.32, 0.33, 0.35), strict=True)
    ]


def test_trend_line_is_the_least_squares_trend_of_the_last_twelve_quarters(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """From the last quarter's mid-date to each horizon, on one straight line."""
    points = evaluate(
        demo, catalog, periods_between(LAST.shift(-11), LAST), ["website_sessions"]
    )["website_sessions"]
    known = [
        (p.period.start + (p.period.end - p.period.start) / 2, p.value)
        for p in points
        if p.value is not None
    ]
    assert known[-1][0] == date(2026, 8, 16)
    # A two-quarter range still reads the trend over twelve quarters.
    trajectory = build(demo, catalog, strategy, "website_sessions", "2026Q2")
    assert [p.label for p in trajectory.series] == ["2026Q2", "2026Q3"]
    start = forecast(known, date(2026, 8, 16))
    assert [t.forecast for t in trajectory.horizons] == [
        Segment(date(2026, 8, 16), start, day, forecast(known, day))
        for day in HORIZON_DAYS.values()
    ]


def test_lower_is_better_kpi_has_falling_targets_and_its_own_statuses(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """Churn: 1.44 % in 2026Q3 already beats every target (3 %, 2.5 %, 2 %)."""
    trajectory = build(demo, catalog, strategy, "member_churn_rate")
    last = trajectory.series[-1].value
    assert last == pytest.approx(0.0144, abs=5e-5)
    assert trajectory.direction is Direction.LOWER
    assert [
        (t.target, t.assessment.status, t.assessment.progress)
        for t in trajectory.horizons
    ] == [
        (goal, Status.ACHIEVED, pytest.approx((last - 0.05) / (goal - 0.05)))
        for goal in (0.03, 0.025, 0.02)
    ]


def test_untracked_kpi_or_no_strategy_gives_a_series_without_targets(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """Switched off, absent from the strategy, or no strategy at all: values only."""
    tracked = build(demo, catalog, strategy, "sme_share")
    switched_off = strategy.model_copy(
        update={"targets": {**strategy.targets, "sme_share": KpiTarget(tracked=False)}}
    )
    absent = strategy.model_copy(update={"targets": {}})
    for variant in (switched_off, absent, None):
        bare = build(demo, catalog, variant, "sme_share")
        assert (bare.baseline, bare.horizons, bare.series) == (
            None,
            (),
            tracked.series,
        )


def test_benchmark_comes_from_the_catalogue(
    demo: Store, catalog: Catalog, strategy: Strategy
) -> None:
    """The open rate carries Mailchimp's figure; new members have none."""
    open_rate = build(demo, catalog, strategy, "newsletter_open_rate")
    assert open_rate.benchmark == catalog.kpi("newsletter_open_rate").benchmark
    assert open_rate.benchmark is not None
    assert (open_rate.benchmark.value, open_rate.benchmark.label.get("en")) == (
        0.2156,
        "Mailchimp, Business & Finance",
    )
    assert build(demo, catalog, strategy, "new_members").benchmark is None


def test_clip_line_cuts_at_the_shown_end() -> None:
    """A line past the axis's end stops there, at its value on that day."""
    line = [(date(2026, 1, 1), 10.0), (date(2026, 1, 11), 20.0)]
    assert trajectory_module.clip_line(line, Unit.COUNT, date(2026, 1, 6)) == [
        (date(2026, 1, 1), 10.0),
        (date(2026, 1, 6), 15.0),
    ]
    assert trajectory_module.clip_line(line, Unit.COUNT, date(2025, 12, 31)) == []


def test_clip_line_keeps_a_count_at_zero_from_where_it_reaches_it() -> None:
    """3 → −1.5 over 9 days crosses zero on day 6 and runs along it after."""
    line = [(date(2026, 1, 1), 3.0), (date(2026, 1, 10), -1.5)]
    assert trajectory_module.clip_line(line, Unit.COUNT, date(2027, 1, 1)) == [
        (date(2026, 1, 1), 3.0),
        (date(2026, 1, 7), 0.0),
        (date(2026, 1, 10), 0.0),
    ]


def test_clip_line_keeps_a_rate_within_0_and_100_percent() -> None:
    """A rate rising from 80 % to 120 % stops at 100 %; a score stays within ±100."""
    line = [(date(2026, 1, 1), 0.8), (date(2026, 1, 5), 1.2)]
    assert trajectory_module.clip_line(line, Unit.RATE, date(2026, 1, 5)) == [
        (date(2026, 1, 1), 0.8),
        (date(2026, 1, 3), 1.0),
        (date(2026, 1, 5), 1.0),
    ]
    score = [(date(2026, 1, 1), -90.0), (date(2026, 1, 3), -110.0)]
    assert trajectory_module.clip_line(score, Unit.SCORE, date(2026, 1, 3)) == [
        (date(2026, 1, 1), -90.0),
        (date(2026, 1, 2), -100.0),
        (date(2026, 1, 3), -100.0),
    ]
