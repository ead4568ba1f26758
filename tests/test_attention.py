"""Tests for clusterkpi.attention: KPIs behind pace, status changes, change tones."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.attention import (
    Move,
    Tone,
    card_tone,
    moving,
    needs_attention,
    previous_scorecard,
)
from clusterkpi.catalog import Catalog, Direction
from clusterkpi.engine import KpiPoint
from clusterkpi.progress import Assessment, Status
from clusterkpi.scorecard import KpiCard, build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon
from tests.test_scorecard import Q2, cluster, make_strategy, scorecard_q2, series

__all__ = ["cluster", "series"]  # module fixtures shared with test_scorecard
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
# 2026Q2 ends 181 days after the 2025-12-31 baseline; the short horizon is a year on.
EXPECTED = 181 / 365
MONTH = 365.25 / 12


def test_needs_attention_lists_kpis_behind_pace_furthest_first(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Open rate (off track, progress 0.1) before active members (at risk, 0.4)."""
    lags = needs_attention(scorecard_q2(cluster, catalog, series))
    assert [
        (lag.card.kpi_id, lag.objective_id, lag.points, lag.months) for lag in lags
    ] == [
        (
            "newsletter_open_rate",
            "information_engagement",
            pytest.approx((EXPECTED - 0.1) * 100),
            pytest.approx((EXPECTED - 0.1) * 365 / MONTH),
        ),
        (
            "active_members",
            "membership_attractiveness",
            pytest.approx((EXPECTED - 0.4) * 100),
            pytest.approx((EXPECTED - 0.4) * 365 / MONTH),
        ),
    ]


def test_needs_attention_keeps_the_first_ones(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    board = scorecard_q2(cluster, catalog, series)
    assert [lag.card.kpi_id for lag in needs_attention(board, limit=1)] == [
        "newsletter_open_rate"
    ]


def test_nothing_needs_attention_when_every_kpi_keeps_pace(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """At the long horizon every tracked KPI of the fixture is on track."""
    board = scorecard_q2(cluster, catalog, series, Horizon.LONG)
    assert needs_attention(board) == []


def test_previous_scorecard_reuses_the_series_and_equals_a_fresh_one(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """2026Q1 from 2026Q2's twelve quarters: the same cards as computed afresh."""
    board = scorecard_q2(cluster, catalog, series)
    before = previous_scorecard(cluster, catalog, make_strategy(), board, series)
    fresh = build_scorecard(
        cluster, catalog, make_strategy(), Q2.previous(), Horizon.SHORT
    )
    assert (before.period.label, before.horizon) == ("2026Q1", Horizon.SHORT)
    assert before.blocks == fresh.blocks


def test_moving_lists_status_changes_worse_first_then_data_then_better(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """2026Q1 → 2026Q2 at the short horizon, statuses worked out by hand.

    2026Q1 (expected 90 / 365): sessions 215 and press 0 went back below their
    baselines, new members 1 = baseline: off track; no newsletter sent: no data.
    """
    board = scorecard_q2(cluster, catalog, series)
    before = previous_scorecard(cluster, catalog, make_strategy(), board, series)
    assert moving(board, before) == [
        Move("newsletter_open_rate", Status.NO_DATA, Status.OFF_TRACK),
        Move("newsletter_unsubscribe_rate", Status.NO_DATA, Status.ACHIEVED),
        Move("website_sessions", Status.OFF_TRACK, Status.ON_TRACK),
        Move("press_mentions", Status.OFF_TRACK, Status.ON_TRACK),
        Move("new_members", Status.OFF_TRACK, Status.ACHIEVED),
    ]


def test_moving_puts_a_worsening_first(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    """Read backwards (2026Q2 → 2026Q1), the changes that worsen come first."""
    board = scorecard_q2(cluster, catalog, series)
    before = previous_scorecard(cluster, catalog, make_strategy(), board, series)
    assert [(m.kpi_id, m.before, m.after) for m in moving(before, board)][:2] == [
        ("new_members", Status.ACHIEVED, Status.OFF_TRACK),
        ("website_sessions", Status.ON_TRACK, Status.OFF_TRACK),
    ]


def test_nothing_moves_against_itself(
    cluster: Store, catalog: Catalog, series: dict[str, list[KpiPoint]]
) -> None:
    board = scorecard_q2(cluster, catalog, series)
    assert moving(board, board) == []


# card_tone ------------------------------------------------------------------------


def card(value: float | None, previous: float | None, status: Status) -> KpiCard:
    return KpiCard(
        kpi_id="k",
        value=value,
        previous=previous,
        target=None,
        baseline=None,
        weight=1.0,
        tracked=status is not Status.NO_DATA,
        assessment=Assessment(status, None, None),
        forecast=None,
        sparkline=[],
        manual=False,
        baseline_date=date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("value", "previous", "direction", "status", "tone"),
    [
        # The KPI's way: up for higher-is-better, down for lower-is-better.
        (12, 10, HIGHER, Status.ON_TRACK, Tone.GOOD),
        (8, 10, LOWER, Status.ON_TRACK, Tone.GOOD),
        (8, 10, HIGHER, Status.AT_RISK, Tone.BAD),
        (12, 10, LOWER, Status.OFF_TRACK, Tone.BAD),
        # Never red when achieved or on track, never green when off track.
        (8, 10, HIGHER, Status.ACHIEVED, Tone.NEUTRAL),
        (12, 10, LOWER, Status.ACHIEVED, Tone.NEUTRAL),
        (8, 10, HIGHER, Status.ON_TRACK, Tone.NEUTRAL),
        (12, 10, HIGHER, Status.OFF_TRACK, Tone.NEUTRAL),
        (8, 10, LOWER, Status.OFF_TRACK, Tone.NEUTRAL),
        (12, 10, HIGHER, Status.ACHIEVED, Tone.GOOD),
        (12, 10, HIGHER, Status.AT_RISK, Tone.GOOD),
        # Without a status the direction alone decides.
        (12, 10, LOWER, Status.NO_DATA, Tone.BAD),
        (8, 10, LOWER, Status.NO_DATA, Tone.GOOD),
        # No change, or nothing to compare with.
        (10, 10, HIGHER, Status.ON_TRACK, Tone.NEUTRAL),
        (10, None, HIGHER, Status.OFF_TRACK, Tone.NEUTRAL),
    ],
)
def test_card_tone_follows_direction_and_never_contradicts_status(
    value: float,
    previous: float | None,
    direction: Direction,
    status: Status,
    tone: Tone,
) -> None:
    assert card_tone(card(value, previous, status), direction) is tone
