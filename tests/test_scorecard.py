"""Tests for clusterkpi.scorecard: card values, target scaling, statuses, roll-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.engine import KpiPoint, evaluate
from clusterkpi.periods import parse_period
from clusterkpi.progress import DEFAULT_THRESHOLDS, Assessment, Status
from clusterkpi.scorecard import Scorecard, build_scorecard, history, score_kpi
from clusterkpi.store import Store
from clusterkpi.strategy import (
    Horizon,
    KpiTarget,
    Positioning,
    Strategy,
    save_strategy,
    validate_strategy,
)
from tests.fixture_db import load_fixture

Q2 = parse_period("2026Q2")
BASELINE_DAY = date(2025, 12, 31)
# Days from the baseline (2025-12-31) to the end of 2026Q2 (2026-06-30) and to each
# horizon: 2026-12-31, 2030-12-31 (2028 is a leap year), 2035-12-31 (2028, 2032).
EXPECTED = {
    Horizon.SHORT: 181 / 365,
    Horizon.MEDIUM: 181 / 1826,
    Horizon.LONG: 181 / 3652,
}


def target(
    baseline: float, short: float, medium: float, long: float, weight: float = 1.0
) -> KpiTarget:
    return KpiTarget(
        baseline_value=baseline,
        baseline_date=BASELINE_DAY,
        weight=weight,
        short=short,
        medium=medium,
        long=long,
    )


def make_strategy(home_country: str = "FR") -> Strategy:
    return Strategy(
        positioning=Positioning(
            cluster_name="Fixture cluster", home_country=home_country
        ),
        horizons={
            Horizon.SHORT: date(2026, 12, 31),
            Horizon.MEDIUM: date(2030, 12, 31),
            Horizon.LONG: date(2035, 12, 31),
        },
        targets={
            "active_members": target(7, 12, 20, 30, weight=2),
            "new_members": target(1, 2, 4, 6),
            "member_churn_rate": target(0.40, 0.10, 0.05, 0.02),
            "member_retention_rate": KpiTarget(tracked=False),
            "website_sessions": target(600, 1200, 2000, 3000),
            "press_mentions": target(2, 5, 8, 10),
            "newsletter_open_rate": target(0.40, 0.60, 0.65, 0.70),
            "newsletter_unsubscribe_rate": target(0.02, 0.015, 0.01, 0.005),
        },
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture cluster with the test strategy saved; only read by the tests."""
    db = Store(tmp_path_factory.mktemp("scorecard") / "fixture.duckdb")
    load_fixture(db)
    save_strategy(db, make_strategy())
    yield db
    db.close()


@pytest.fixture(scope="module")
def series(cluster: Store, catalog: Catalog) -> dict[str, list[KpiPoint]]:
    """The twelve quarters up to 2026Q2 that every 2026Q2 scorecard reads."""
    return history(cluster, catalog, Q2)


def scorecard_q2(
    cluster: Store,
    catalog: Catalog,
    series: dict[str, list[KpiPoint]],
    horizon: Horizon = Horizon.SHORT,
) -> Scorecard:
    return build_scorecard(
        cluster, catalog, make_strategy(), Q2, horizon, series=series
    )


def test_test_strategy_is_valid(catalog: Catalog) -> None:
    """The strategy the tests use passes the strategy's own validation."""
    assert validate_strategy(make_strategy(), catalog) == []


@pytest.fixture(scope="module")
def q2_values(cluster: Store, catalog: Catalog) -> dict[str, float | None]:
    """evaluate's value of every KPI for 2026Q2 alone."""
    return {
        k: points[0].value for k, points in evaluate(cluster, catalog, [Q2]).items()
    }


def test_scorecard_computes_its_own_history(
    cluster: Store, catalog: Catalog, q2_values: dict[str, float | None]
) -> None:
    """Built without a ready series, each card shows evaluate's value for 2026Q2."""
    board = build_scorecard(cluster, catalog, make_strategy(), Q2, Horizon.SHORT)
    assert {c.kpi_id: c.value for b in board.blocks for c in b.cards} == q2_values


@pytest.mark.parametrize("horizon", list(Horizon))
def test_card_values_equal_evaluate_at_every_horizon(
    cluster: Store,
    catalog: Catalog,
    series: dict[str, list[KpiPoint]],
    q2_values: dict[str, float | None],
    horizon: Horizon,
) -> None:
    """Whatever the horizon, each card shows exactly the value evaluate computes."""
    board = scorecard_q2(cluster, catalog, series, horizon)
    assert {c.kpi_id: c.value for b in board.blocks for c in b.cards} == q2_values
    assert (board.period, board.horizon, board.horizon_date, board.catalog_version) == (
        Q2,
        horizon,
        make_strategy().horizons[horizon],
        2,  # data/kpis.yaml version 2: web and social flows read per day (#12)
    )
    assert [b.objective_id for b in board.blocks] == list(catalog.objectives)


# Statuses worked out by hand: progress = (value − baseline) / (target − baseline)
# against the expected share of time elapsed (thresholds 0.95 and 0.75 of it).
STATUSES = {
    Horizon.SHORT: {
        "new_members": (Status.ACHIEVED, (3 - 1) / (2 - 1)),
        "website_sessions": (Status.ON_TRACK, (950 - 600) / (1200 - 600)),
        "active_members": (Status.AT_RISK, (9 - 7) / (12 - 7)),
        "newsletter_open_rate": (Status.OFF_TRACK, (0.42 - 0.40) / (0.60 - 0.40)),
        # Lower is better: 1.2 % unsubscribes beats the 1.5 % target.
        "newsletter_unsubscribe_rate": (
            Status.ACHIEVED,
            (0.012 - 0.02) / (0.015 - 0.02),
        ),
        "member_churn_rate": (Status.ON_TRACK, (0.25 - 0.40) / (0.10 - 0.40)),
        "press_mentions": (Status.ON_TRACK, (4 - 2) / (5 - 2)),
    },
    Horizon.MEDIUM: {
        "new_members": (Status.ON_TRACK, (3 - 1) / (4 - 1)),
        "website_sessions": (Status.ON_TRACK, (950 - 600) / (2000 - 600)),
        "active_members": (Status.ON_TRACK, (9 - 7) / (20 - 7)),
        # 0.08 lies between 0.75 and 0.95 of the expected 0.0991.
        "newsletter_open_rate": (Status.AT_RISK, (0.42 - 0.40) / (0.65 - 0.40)),
        "newsletter_unsubscribe_rate": (
            Status.ON_TRACK,
            (0.012 - 0.02) / (0.01 - 0.02),
        ),
        "member_churn_rate": (Status.ON_TRACK, (0.25 - 0.40) / (0.05 - 0.40)),
        "press_mentions": (Status.ON_TRACK, (4 - 2) / (8 - 2)),
    },
    Horizon.LONG: {
        "new_members": (Status.ON_TRACK, (3 - 1) / (6 - 1)),
        "website_sessions": (Status.ON_TRACK, (950 - 600) / (3000 - 600)),
        "active_members": (Status.ON_TRACK, (9 - 7) / (30 - 7)),
        "newsletter_open_rate": (Status.ON_TRACK, (0.42 - 0.40) / (0.70 - 0.40)),
        "newsletter_unsubscribe_rate": (
            Status.ON_TRACK,
            (0.012 - 0.02) / (0.005 - 0.02),
        ),
        "member_churn_rate": (Status.ON_TRACK, (0.25 - 0.40) / (0.02 - 0.40)),
        "press_mentions": (Status.ON_TRACK, (4 - 2) / (10 - 2)),
    },
}


@pytest.mark.parametrize("horizon", list(Horizon))
def test_card_statuses_match_the_hand_computed_ones(
    cluster: Store,
    catalog: Catalog,
    series: dict[str, list[KpiPoint]],
    horizon: Horizon,
) -> None:
    """Achieved, on track, at risk, off track: progress against the time elapsed."""
    board = scorecard_q2(cluster, catalog, series, horizon)
    expected = EXPECTED[horizon]
    for kpi_id, (status, progress) in STATUSES[horizon].items():
        assert board.card(kpi_id).assessment == Assessment(
            status, pytest.approx(progress), pytest.approx(expected)
        ), kpi_id


# Membership objective, tracked cards: active_members (weight 2), new_members, churn;
# every KPI shares the baseline date, so the objective expects what each KPI does.
# Short: 0.575 ≥ 0.95 × 0.496 — on track although active members are at risk.
ROLL_UPS = {
    Horizon.SHORT: (Status.ON_TRACK, (2 * 0.4 + 1.0 + 0.5) / 4, 1, "active_members"),
    Horizon.MEDIUM: (
        Status.ON_TRACK,
        (2 * 2 / 13 + 2 / 3 + 0.15 / 0.35) / 4,
        0,
        None,
    ),
    Horizon.LONG: (Status.ON_TRACK, (2 * 2 / 23 + 2 / 5 + 0.15 / 0.38) / 4, 0, None),
}


@pytest.mark.parametrize("horizon", list(Horizon))
def test_objective_rolls_up_weighted_progress_against_expected_pace(
    cluster: Store,
    catalog: Catalog,
    series: dict[str, list[KpiPoint]],
    horizon: Horizon,
) -> None:
    """new_members' progress of 2 counts as 1; untracked KPIs take no part."""
    board = scorecard_q2(cluster, catalog, series, horizon)
    block = next(
        b for b in board.blocks if b.objective_id == "membership_attractiveness"
    )
    status, progress, at_risk, weakest = ROLL_UPS[horizon]
    assert (
        block.status,
        block.progress,
        block.expected,
        block.off_track,
        block.at_risk,
        block.weakest,
    ) == (
        status,
        pytest.approx(progress),
        pytest.approx(EXPECTED[horizon]),
        0,
        at_risk,
        weakest,
    )
    assert [(c.kpi_id, c.tracked, c.weight) for c in block.cards] == [
        ("active_members", True, 2.0),
        ("new_members", True, 1.0),
        ("member_retention_rate", False, 0.0),
        ("member_churn_rate", True, 1.0),
        ("international_members_share", False, 0.0),
        ("new_partners", False, 0.0),
    ]


def test_objective_keeping_pace_names_its_kpi_off_track(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Open rate off track (0.1), unsubscribes achieved (1.6 counts as 1).

    (0.1 + 1.0) / 2 = 0.55 ≥ 0.95 × 181/365: the objective is on track, and the
    block names the KPI that lags.
    """
    board = scorecard_q2(cluster, catalog, series)
    block = next(b for b in board.blocks if b.objective_id == "information_engagement")
    assert (
        block.status,
        block.progress,
        block.expected,
        block.off_track,
        block.at_risk,
        block.weakest,
    ) == (
        Status.ON_TRACK,
        pytest.approx(0.55),
        pytest.approx(181 / 365),
        1,
        0,
        "newsletter_open_rate",
    )


def test_gap_is_expected_minus_clamped_progress(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Ahead of pace the gap is negative; past the target progress counts as 1."""
    board = scorecard_q2(cluster, catalog, series)
    gaps = {
        k: board.card(k).gap
        for k in ("newsletter_open_rate", "new_members", "member_retention_rate")
    }
    assert gaps == {
        "newsletter_open_rate": pytest.approx(181 / 365 - 0.1),
        "new_members": pytest.approx(181 / 365 - 1.0),
        "member_retention_rate": None,  # untracked
    }


def test_objective_without_tracked_kpis_has_no_data(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Credibility's KPIs carry no target: the objective has no status."""
    board = scorecard_q2(cluster, catalog, series)
    block = next(b for b in board.blocks if b.objective_id == "credibility")
    assert (block.status, block.progress) == (Status.NO_DATA, None)


def test_untracked_kpi_has_no_weight_target_or_status(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Switched off (retention) or absent (international share): shown, not judged."""
    board = scorecard_q2(cluster, catalog, series)
    for kpi_id, value in (
        ("member_retention_rate", 0.75),
        ("international_members_share", 4 / 9),
    ):
        c = board.card(kpi_id)
        assert (c.tracked, c.weight, c.target, c.baseline, c.assessment) == (
            False,
            0.0,
            None,
            None,
            Assessment(Status.NO_DATA, None, None),
        ), kpi_id
        assert c.value == pytest.approx(value)


def test_tracked_kpi_without_data_has_no_data_status(
    store: Store, catalog: Catalog
) -> None:
    """Without any press data the tracked press KPI has no value and no status."""
    load_fixture(store, skip=("press_mentions",))
    strategy = make_strategy()
    board = build_scorecard(store, catalog, strategy, Q2, Horizon.SHORT)
    press = board.card("press_mentions")
    assert (press.value, press.tracked, press.target, press.assessment) == (
        None,
        True,
        5.0,
        Assessment(Status.NO_DATA, None, None),
    )
    # Notoriety keeps only website_sessions (on track, 350 / 600): no-data is skipped.
    block = next(b for b in board.blocks if b.objective_id == "notoriety_visibility")
    assert (block.status, block.progress) == (Status.ON_TRACK, pytest.approx(350 / 600))


def test_delta_is_value_minus_previous_period(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """2026Q2 against 2026Q1; no delta when 2026Q1 has no value."""
    board = scorecard_q2(cluster, catalog, series)
    deltas = {
        k: (board.card(k).value, board.card(k).previous, board.card(k).delta)
        for k in ("active_members", "website_sessions", "member_nps")
    }
    assert deltas == {
        "active_members": (9.0, 8.0, 1.0),
        "website_sessions": (950.0, 215.0, 735.0),
        "member_nps": (25.0, None, None),
    }


def test_sparkline_holds_the_last_eight_quarters(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Eight (label, value) pairs ending with 2026Q2; None before the data."""
    board = scorecard_q2(cluster, catalog, series)
    assert board.card("active_members").sparkline == [
        ("2024Q3", 3.0),
        ("2024Q4", 3.0),
        ("2025Q1", 5.0),
        ("2025Q2", 6.0),
        ("2025Q3", 7.0),
        ("2025Q4", 8.0),
        ("2026Q1", 8.0),
        ("2026Q2", 9.0),
    ]
    assert board.card("website_sessions").sparkline == [
        ("2024Q3", None),
        ("2024Q4", None),
        ("2025Q1", None),
        ("2025Q2", None),
        ("2025Q3", None),
        ("2025Q4", 210.0),
        ("2026Q1", 215.0),
        ("2026Q2", 950.0),
    ]


def test_additive_targets_scale_to_a_year(cluster: Store, catalog: Catalog) -> None:
    """Quarterly count targets ×4 for 2026; stocks and rates keep theirs."""
    board = build_scorecard(
        cluster, catalog, make_strategy(), parse_period("2026"), Horizon.SHORT
    )
    scaled = {
        k: (board.card(k).value, board.card(k).baseline, board.card(k).target)
        for k in (
            "new_members",
            "website_sessions",
            "active_members",
            "newsletter_open_rate",
        )
    }
    assert scaled == {
        "new_members": (4.0, 4.0, 8.0),
        "website_sessions": (1165.0, 2400.0, 4800.0),
        # Members on 2026-12-31: M05 leaves on 2026-07-01.
        "active_members": (8.0, 7.0, 12.0),
        "newsletter_open_rate": (pytest.approx(0.42), 0.40, 0.60),
    }
    # The year ends on the short horizon: anything short of the target is off track.
    assert board.card("new_members").assessment == Assessment(
        Status.OFF_TRACK, 0.0, 1.0
    )


def test_additive_targets_scale_to_a_month(cluster: Store, catalog: Catalog) -> None:
    """Quarterly count targets ×1/3 for May 2026, which makes 1 new member enough."""
    may = parse_period("2026-05")
    board = build_scorecard(cluster, catalog, make_strategy(), may, Horizon.SHORT)
    new = board.card("new_members")
    active = board.card("active_members")
    assert (new.value, new.baseline, new.target) == (
        1.0,
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
    )
    assert (active.baseline, active.target) == (7.0, 12.0)
    # (1 − 1/3) / (2/3 − 1/3) = 2, with 151 of 365 days elapsed.
    assert new.assessment == Assessment(
        Status.ACHIEVED, pytest.approx(2.0), pytest.approx(151 / 365)
    )


def test_scorecard_without_strategy_tracks_nothing(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """No strategy: values shown, every card untracked, every objective no data."""
    board = build_scorecard(cluster, catalog, None, Q2, Horizon.SHORT, series=series)
    cards = [c for b in board.blocks for c in b.cards]
    assert (board.positioning, board.horizon_date) == (None, date(2027, 12, 31))
    assert {(c.tracked, c.weight, c.target, c.assessment) for c in cards} == {
        (False, 0.0, None, Assessment(Status.NO_DATA, None, None))
    }
    assert {(b.status, b.progress) for b in board.blocks} == {(Status.NO_DATA, None)}
    assert {c.kpi_id: c.value for c in cards} == {
        k: points[-1].value for k, points in series.items()
    }


def test_saved_home_country_decides_who_is_international(
    store: Store, catalog: Catalog
) -> None:
    """With Belgium as home, the French members are the international ones: 5 of 9."""
    load_fixture(store)
    strategy = make_strategy(home_country="BE")
    save_strategy(store, strategy)
    board = build_scorecard(store, catalog, strategy, Q2, Horizon.SHORT)
    assert board.positioning == Positioning(
        cluster_name="Fixture cluster", home_country="BE"
    )
    assert board.card("international_members_share").value == pytest.approx(5 / 9)


def test_a_falling_count_forecasts_zero_not_a_negative_count(
    catalog: Catalog,
) -> None:
    kpi_id = next(k for k, kpi in catalog.kpis.items() if kpi.unit.value == "count")
    quarters = [parse_period(q) for q in ("2025Q3", "2025Q4", "2026Q1", "2026Q2")]
    points = [
        KpiPoint(q, v) for q, v in zip(quarters, (9.0, 6.0, 3.0, 0.0), strict=True)
    ]
    card = score_kpi(
        kpi_id,
        catalog.kpis[kpi_id],
        points,
        None,
        Q2,
        Horizon.LONG,
        date(2035, 12, 31),
        DEFAULT_THRESHOLDS,
    )
    # The straight trend falls about 3 a quarter: far below 0 by 2035.
    assert card.forecast == 0.0
