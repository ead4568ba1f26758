"""The strategy as an editable table: one row per KPI, rates in percent, and back."""

from __future__ import annotations

from datetime import date
from typing import Any

from clusterkpi.catalog import Catalog, Unit
from clusterkpi.strategy import (
    POSITIONING_FIELDS,
    TARGET_FIELDS,
    Horizon,
    Strategy,
    parse_strategy,
)

# Columns of the targets table, in order; "kpi_id" is the row's key.
COLUMNS = ("kpi_id", *TARGET_FIELDS)
_VALUES = ("baseline_value", "short", "medium", "long")


def _shown(value: float | None, unit: Unit) -> float | None:
    # Animators think of rates in percent (32 %), the store keeps fractions (0.32).
    if value is None:
        return None
    return round(value * 100, 6) if unit is Unit.RATE else value


def _stored(value: Any, unit: Unit) -> float | None:
    if value is None or value != value:  # NaN from an emptied editor cell
        return None
    # Rounded: 2.95 / 100 is 0.029500000000000002, which would read as a change.
    return round(float(value) / 100, 10) if unit is Unit.RATE else float(value)


def target_rows(strategy: Strategy | None, catalog: Catalog) -> list[dict[str, Any]]:
    """Return one row per catalogue KPI with its target settings (rates in percent)."""
    rows = []
    for kpi_id, kpi in catalog.kpis.items():
        target = strategy.targets.get(kpi_id) if strategy else None
        row: dict[str, Any] = {
            "kpi_id": kpi_id,
            "tracked": bool(target and target.tracked),
            "baseline_value": _shown(target.baseline_value, kpi.unit)
            if target
            else None,
            "baseline_date": target.baseline_date if target else None,
            "weight": target.weight if target else 1.0,
        }
        for horizon in Horizon:
            value = target.target(horizon) if target else None
            row[horizon.value] = _shown(value, kpi.unit)
        rows.append(row)
    return rows


def strategy_from_form(
    positioning: dict[str, str],
    horizons: dict[Horizon, date],
    rows: list[dict[str, Any]],
    catalog: Catalog,
    today: date,
) -> Strategy:
    """Build and validate a strategy from the editor's values; raise StrategyError.

    A KPI left untracked with nothing set is left out of the targets; a tracked one
    keeps every value given, in the store's units.
    """
    targets: dict[str, dict[str, Any]] = {}
    for row in rows:
        kpi_id = str(row["kpi_id"])
        unit = catalog.kpis[kpi_id].unit if kpi_id in catalog.kpis else Unit.COUNT
        values = {name: _stored(row.get(name), unit) for name in _VALUES}
        day = row.get("baseline_date")
        tracked = bool(row.get("tracked"))
        if not tracked and day is None and all(v is None for v in values.values()):
            continue
        weight = row.get("weight")
        targets[kpi_id] = {
            "tracked": tracked,
            "baseline_date": day if isinstance(day, date) or day is None else str(day),
            "weight": 1.0 if weight is None or weight != weight else float(weight),
            **values,
        }
    raw = {
        "positioning": {
            k: (positioning.get(k) or "").strip() for k in POSITIONING_FIELDS
        },
        "horizons": {h.value: d for h, d in horizons.items()},
        "targets": targets,
    }
    return parse_strategy(raw, catalog, today)
