"""Freezing a quarter: the scorecard at every horizon turned into a snapshot's values."""

from __future__ import annotations

from datetime import datetime

from clusterkpi.catalog import Catalog
from clusterkpi.engine import KpiPoint
from clusterkpi.periods import Period
from clusterkpi.progress import Thresholds
from clusterkpi.scorecard import Scorecard, build_scorecard, history
from clusterkpi.snapshot_model import (
    FrozenHorizon,
    FrozenKpi,
    FrozenObjective,
    Snapshot,
)
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, Strategy


def freeze(
    store: Store,
    catalog: Catalog,
    strategy: Strategy | None,
    period: Period,
    thresholds: Thresholds,
    user: str,
    commentary: dict[str, str],
) -> Snapshot:
    """Compute a quarter's snapshot, not yet stored, from one ``history`` read.

    Each horizon's figures are :func:`build_scorecard`'s for the quarter, so that
    the snapshot shows exactly what the scorecard showed when it was frozen.
    """
    series = history(store, catalog, period)
    cards = {
        h: build_scorecard(store, catalog, strategy, period, h, thresholds, series)
        for h in Horizon
    }
    blocks = cards[Horizon.SHORT].blocks
    return Snapshot(
        snapshot_id=0,  # the id and the creation time come from the database
        quarter=period.label,
        as_of=period.last_day,
        created_at=datetime.min,
        created_by=user,
        catalog_version=catalog.version,
        positioning=strategy.positioning if strategy else None,
        horizon_dates={h: sc.horizon_date for h, sc in cards.items()},
        objectives=tuple(
            FrozenObjective(
                b.objective_id,
                b.group,
                {h: sc.blocks[i].status for h, sc in cards.items()},
                {h: sc.blocks[i].progress for h, sc in cards.items()},
                commentary.get(b.objective_id, ""),
            )
            for i, b in enumerate(blocks)
        ),
        kpis=tuple(
            _frozen_kpi(cards, b.objective_id, c.kpi_id, series[c.kpi_id])
            for b in blocks
            for c in b.cards
        ),
        strategy_json=strategy.model_dump_json() if strategy else "",
        thresholds=thresholds,
    )


def _frozen_kpi(
    cards: dict[Horizon, Scorecard],
    objective_id: str,
    kpi_id: str,
    points: list[KpiPoint],
) -> FrozenKpi:
    at = {h: sc.card(kpi_id) for h, sc in cards.items()}
    c = at[Horizon.SHORT]
    return FrozenKpi(
        kpi_id,
        objective_id,
        c.value,
        c.previous,
        c.baseline,
        c.weight,
        c.tracked,
        c.manual,
        horizons=tuple(
            FrozenHorizon(
                h,
                cards[h].horizon_date,
                k.target,
                k.assessment.status,
                k.assessment.progress,
                k.forecast,
            )
            for h, k in at.items()
        ),
        history=tuple((p.period.label, p.value) for p in points),
    )
