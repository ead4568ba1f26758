"""The cluster's strategy: positioning, horizon dates and per-KPI baselines and targets."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clusterkpi.catalog import Catalog, Unit
from clusterkpi.errors import StrategyError
from clusterkpi.store import Store


class Horizon(StrEnum):
    """The three target horizons."""

    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Positioning(_Strict):
    """Who the cluster is and where it wants to be in 5, 10 and 15 years."""

    cluster_name: str = Field(min_length=1)
    home_country: str = Field(default="FR", pattern=r"^[A-Z]{2}$")
    mission: str = ""
    identity: str = ""
    values: str = ""
    ambition_5y: str = ""
    ambition_10y: str = ""
    ambition_15y: str = ""


class KpiTarget(_Strict):
    """A tracked KPI's baseline, weight and target per horizon."""

    tracked: bool = True
    baseline_value: float | None = None
    baseline_date: date | None = None
    weight: float = Field(default=1.0, ge=0)
    short: float | None = None
    medium: float | None = None
    long: float | None = None

    def target(self, horizon: Horizon) -> float | None:
        """Return the target for one horizon."""
        return getattr(self, horizon.value)


class Strategy(_Strict):
    """The whole strategy in force."""

    positioning: Positioning
    horizons: dict[Horizon, date]
    targets: dict[str, KpiTarget]


def default_horizons(today: date) -> dict[Horizon, date]:
    """Return the default horizon dates: end of next year, then +5 and +10 years."""
    return {
        Horizon.SHORT: date(today.year + 1, 12, 31),
        Horizon.MEDIUM: date(today.year + 5, 12, 31),
        Horizon.LONG: date(today.year + 10, 12, 31),
    }


def parse_strategy(raw: Any, catalog: Catalog, today: date) -> Strategy:
    """Validate strategy data against the catalogue; raise StrategyError with every issue."""
    if not isinstance(raw, dict):
        raise StrategyError(
            ["The strategy must be a mapping with positioning, horizons and targets."]
        )
    data = dict(raw)
    data.setdefault("horizons", default_horizons(today))
    try:
        strategy = Strategy.model_validate(data)
    except ValidationError as exc:
        raise StrategyError(
            [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from None
    issues = validate_strategy(strategy, catalog)
    if issues:
        raise StrategyError(issues)
    return strategy


def validate_strategy(strategy: Strategy, catalog: Catalog) -> list[str]:
    """Return every inconsistency between a strategy and the catalogue (empty if none)."""
    issues = []
    dates = strategy.horizons
    missing = [h.value for h in Horizon if h not in dates]
    if missing:
        issues.append(
            f"horizons: {', '.join(missing)} missing. Fix: give all three dates."
        )
    elif not dates[Horizon.SHORT] < dates[Horizon.MEDIUM] < dates[Horizon.LONG]:
        issues.append("horizons: dates must increase from short to medium to long.")
    for kpi_id, target in strategy.targets.items():
        if kpi_id not in catalog.kpis:
            issues.append(f"targets.{kpi_id}: no such KPI in the catalogue.")
            continue
        if target.tracked:
            issues.extend(_check_target(kpi_id, target, catalog, dates))
    return issues


def _check_target(
    kpi_id: str, target: KpiTarget, catalog: Catalog, dates: dict[Horizon, date]
) -> list[str]:
    issues = []
    needed = ["baseline_value", "baseline_date", *[h.value for h in Horizon]]
    absent = [name for name in needed if getattr(target, name) is None]
    if absent:
        return [
            f"targets.{kpi_id}: {', '.join(absent)} missing. Fix: a tracked KPI needs "
            "a baseline (value and date) and a target per horizon."
        ]
    if dates.get(Horizon.SHORT) and target.baseline_date >= dates[Horizon.SHORT]:
        issues.append(
            f"targets.{kpi_id}: the baseline date must come before the short horizon."
        )
    if catalog.kpis[kpi_id].unit is Unit.RATE:
        for name in ("baseline_value", *[h.value for h in Horizon]):
            value = getattr(target, name)
            if not 0 <= value <= 1:
                issues.append(
                    f"targets.{kpi_id}.{name}: {value} is not a rate between 0 "
                    "and 1. Fix: write 25 % as 0.25."
                )
    return issues


def load_strategy_file(path: Path | str, catalog: Catalog, today: date) -> Strategy:
    """Read and validate a strategy YAML file."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return parse_strategy(raw, catalog, today)


def save_strategy(store: Store, strategy: Strategy) -> None:
    """Replace the stored strategy with ``strategy`` in one transaction."""
    pos = strategy.positioning
    with store.transaction() as cur:
        cur.execute("DELETE FROM positioning")
        cur.execute(
            "INSERT INTO positioning (cluster_name, home_country, mission, identity,"
            " cluster_values, ambition_5y, ambition_10y, ambition_15y)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                pos.cluster_name,
                pos.home_country,
                pos.mission,
                pos.identity,
                pos.values,
                pos.ambition_5y,
                pos.ambition_10y,
                pos.ambition_15y,
            ],
        )
        cur.execute("DELETE FROM horizons")
        for horizon, day in strategy.horizons.items():
            cur.execute("INSERT INTO horizons VALUES (?, ?)", [horizon.value, day])
        cur.execute("DELETE FROM kpi_targets")
        for kpi_id, t in strategy.targets.items():
            cur.execute(
                "INSERT INTO kpi_targets (kpi_id, tracked, baseline_value, baseline_date,"
                " weight, target_short, target_medium, target_long)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    kpi_id,
                    t.tracked,
                    t.baseline_value,
                    t.baseline_date,
                    t.weight,
                    t.short,
                    t.medium,
                    t.long,
                ],
            )


def read_strategy(store: Store, today: date) -> Strategy | None:
    """Return the stored strategy, or None when none was ever saved."""
    pos = store.rows(
        "SELECT cluster_name, home_country, mission, identity, cluster_values,"
        " ambition_5y, ambition_10y, ambition_15y FROM positioning"
    )
    if not pos:
        return None
    keys = (
        "cluster_name",
        "home_country",
        "mission",
        "identity",
        "values",
        "ambition_5y",
        "ambition_10y",
        "ambition_15y",
    )
    horizons = {
        Horizon(h): d
        for h, d in store.rows("SELECT horizon, target_date FROM horizons")
    }
    targets = {
        r[0]: KpiTarget(
            tracked=r[1],
            baseline_value=r[2],
            baseline_date=r[3],
            weight=r[4],
            short=r[5],
            medium=r[6],
            long=r[7],
        )
        for r in store.rows(
            "SELECT kpi_id, tracked, baseline_value, baseline_date, weight, target_short,"
            " target_medium, target_long FROM kpi_targets ORDER BY kpi_id"
        )
    }
    return Strategy(
        positioning=Positioning(**dict(zip(keys, pos[0], strict=True))),
        horizons=horizons or default_horizons(today),
        targets=targets,
    )
