"""Where the board should act: KPIs behind pace, status changes, colours of change."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clusterkpi.catalog import Catalog, Direction
from clusterkpi.engine import KpiPoint
from clusterkpi.progress import (
    DEFAULT_THRESHOLDS,
    SEVERITY,
    Status,
    Thresholds,
    months_behind,
)
from clusterkpi.scorecard import BEHIND, KpiCard, Scorecard, build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Strategy

ATTENTION = 5  # KPIs listed under "Needs attention"


@dataclass(frozen=True)
class Lag:
    """A KPI behind its expected pace, in points of progress and in months."""

    card: KpiCard
    objective_id: str
    points: float  # the gap × 100: points of progress towards the target
    months: float | None  # months of the planned pace the gap represents


def needs_attention(board: Scorecard, limit: int = ATTENTION) -> list[Lag]:
    """Return the KPIs off track or at risk, furthest behind their pace first.

    The gap is expected − actual progress; in months it is the gap divided by the
    planned pace per month (the whole way spread evenly from the baseline date to
    the horizon date), see :func:`clusterkpi.progress.months_behind`.
    """
    lags = [
        Lag(
            card,
            block.objective_id,
            (card.gap or 0.0) * 100,
            months_behind(card.gap or 0.0, card.baseline_date, board.horizon_date)
            if card.baseline_date is not None
            else None,
        )
        for block in board.blocks
        for card in block.cards
        if card.tracked and card.assessment.status in BEHIND
    ]
    lags.sort(key=lambda lag: lag.card.behind_key())
    return lags[:limit]


@dataclass(frozen=True)
class Move:
    """A tracked KPI whose status changed from the previous period."""

    kpi_id: str
    before: Status
    after: Status


def previous_scorecard(
    store: Store,
    catalog: Catalog,
    strategy: Strategy | None,
    board: Scorecard,
    series: dict[str, list[KpiPoint]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Scorecard:
    """Return the scorecard of the period before ``board``'s, at the same horizon.

    ``series`` is the :func:`history` of ``board``'s period: its first periods are
    the previous period's history, so nothing is computed again.
    """
    return build_scorecard(
        store,
        catalog,
        strategy,
        board.period.previous(),
        board.horizon,
        thresholds,
        {kpi_id: points[:-1] for kpi_id, points in series.items()},
    )


def moving(board: Scorecard, before: Scorecard) -> list[Move]:
    """Return the tracked KPIs whose status differs between ``before`` and ``board``.

    KPIs that now stand worse come first (most steps first), then those that
    gained or lost their data, then those that improved; ties keep the
    catalogue's order.
    """
    was = {c.kpi_id: c.assessment.status for b in before.blocks for c in b.cards}
    moves = [
        Move(card.kpi_id, was[card.kpi_id], card.assessment.status)
        for block in board.blocks
        for card in block.cards
        if card.tracked and card.assessment.status is not was[card.kpi_id]
    ]
    return sorted(moves, key=_steps)


def _steps(move: Move) -> int:
    # Negative when worse: SEVERITY lists the worst status first.
    if Status.NO_DATA in (move.before, move.after):
        return 0
    return SEVERITY.index(move.after) - SEVERITY.index(move.before)


class Tone(StrEnum):
    """How a card's change from the previous period is coloured."""

    GOOD = "good"
    BAD = "bad"
    NEUTRAL = "neutral"


# A change's colour may not contradict the status shown under it.
_NOT_BAD = (Status.ACHIEVED, Status.ON_TRACK)
_NOT_GOOD = (Status.OFF_TRACK,)


def card_tone(card: KpiCard, direction: Direction) -> Tone:
    """Return the tone of a card's change: good when it went the KPI's way.

    Higher-is-better KPIs improve when they rise, lower-is-better ones when they
    fall. A change that would contradict the status is neutral instead: an
    achieved or on-track KPI that slipped is never bad, an off-track KPI that
    gained is never good. No change, or no previous value, is neutral.
    """
    if not card.delta:
        return Tone.NEUTRAL
    improved = (card.delta > 0) is (direction is Direction.HIGHER)
    status = card.assessment.status
    if improved:
        return Tone.NEUTRAL if status in _NOT_GOOD else Tone.GOOD
    return Tone.NEUTRAL if status in _NOT_BAD else Tone.BAD
