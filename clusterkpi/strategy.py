"""The cluster's strategy: positioning, horizon dates and per-KPI baselines and targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clusterkpi.audit import AuditAction, record
from clusterkpi.catalog import Catalog, Unit
from clusterkpi.errors import StrategyError
from clusterkpi.store import Cursor, Store


class Horizon(StrEnum):
    """The three target horizons."""

    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class Issue(str):
    """One strategy problem: its English text, and a code with values for other languages."""

    code: str
    params: dict[str, object]

    def __new__(cls, text: str, code: str, **params: object) -> Issue:
        """Make the issue; ``text`` is what the CLI and the YAML loader print."""
        issue = super().__new__(cls, text)
        issue.code = code
        issue.params = params
        return issue


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
        return {
            Horizon.SHORT: self.short,
            Horizon.MEDIUM: self.medium,
            Horizon.LONG: self.long,
        }[horizon]


# Stored in kpi_targets in this order (the target columns are target_<horizon>).
TARGET_FIELDS = (
    "tracked",
    "baseline_value",
    "baseline_date",
    "weight",
    "short",
    "medium",
    "long",
)
POSITIONING_FIELDS = tuple(Positioning.model_fields)


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
            [
                Issue(
                    f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}",
                    f"invalid.{e['type']}",
                    field=".".join(str(p) for p in e["loc"]),
                    detail=e["msg"],
                )
                for e in exc.errors()
            ]
        ) from None
    issues = validate_strategy(strategy, catalog)
    if issues:
        raise StrategyError(issues)
    return strategy


def validate_strategy(strategy: Strategy, catalog: Catalog) -> list[Issue]:
    """Return every inconsistency between a strategy and the catalogue (empty if none)."""
    issues: list[Issue] = []
    dates = strategy.horizons
    missing = [h.value for h in Horizon if h not in dates]
    if missing:
        issues.append(
            Issue(
                f"horizons: {', '.join(missing)} missing. Fix: give all three dates.",
                "horizons_missing",
                horizons=", ".join(missing),
            )
        )
    elif not dates[Horizon.SHORT] < dates[Horizon.MEDIUM] < dates[Horizon.LONG]:
        issues.append(
            Issue(
                "horizons: dates must increase from short to medium to long.",
                "horizons_order",
            )
        )
    for kpi_id, target in strategy.targets.items():
        if kpi_id not in catalog.kpis:
            issues.append(
                Issue(
                    f"targets.{kpi_id}: no such KPI in the catalogue.",
                    "unknown_kpi",
                    kpi=kpi_id,
                )
            )
            continue
        issues.extend(_check_whole(kpi_id, target, catalog))
        if target.tracked:
            issues.extend(_check_target(kpi_id, target, catalog, dates))
    return issues


# Values that count things (members, partnerships): 2.5 partnerships is not a target.
_COUNTED_FIELDS = ("baseline_value", *[h.value for h in Horizon])


def _check_whole(kpi_id: str, target: KpiTarget, catalog: Catalog) -> list[Issue]:
    if catalog.kpis[kpi_id].unit is not Unit.COUNT:
        return []
    return [
        Issue(
            f"targets.{kpi_id}.{name}: {value:g} is not a whole number, and"
            f" {kpi_id} counts things. Fix: write a whole number.",
            "count_whole",
            kpi=kpi_id,
            field=name,
            value=value,
        )
        for name in _COUNTED_FIELDS
        if (value := getattr(target, name)) is not None and not value.is_integer()
    ]


def _check_target(
    kpi_id: str, target: KpiTarget, catalog: Catalog, dates: dict[Horizon, date]
) -> list[Issue]:
    issues: list[Issue] = []
    needed = ["baseline_value", "baseline_date", *[h.value for h in Horizon]]
    absent = [name for name in needed if getattr(target, name) is None]
    if absent:
        return [
            Issue(
                f"targets.{kpi_id}: {', '.join(absent)} missing. Fix: a tracked KPI"
                " needs a baseline (value and date) and a target per horizon.",
                "target_incomplete",
                kpi=kpi_id,
                fields=", ".join(absent),
            )
        ]
    baseline = target.baseline_date  # None returned above: the check narrows the type
    if (
        baseline is not None
        and dates.get(Horizon.SHORT)
        and baseline >= dates[Horizon.SHORT]
    ):
        issues.append(
            Issue(
                f"targets.{kpi_id}: the baseline date must come before the short"
                " horizon.",
                "baseline_after_short",
                kpi=kpi_id,
            )
        )
    if catalog.kpis[kpi_id].unit is Unit.RATE:
        for name in ("baseline_value", *[h.value for h in Horizon]):
            value = getattr(target, name)
            if not 0 <= value <= 1:
                issues.append(
                    Issue(
                        f"targets.{kpi_id}.{name}: {value} is not a rate between 0"
                        " and 1. Fix: write 25 % as 0.25.",
                        "rate_range",
                        kpi=kpi_id,
                        field=name,
                        value=value,
                    )
                )
    return issues


def load_strategy_file(path: Path | str, catalog: Catalog, today: date) -> Strategy:
    """Read and validate a strategy YAML file."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return parse_strategy(raw, catalog, today)


def save_strategy(store: Store, strategy: Strategy, user: str = "system") -> int:
    """Replace the stored strategy and record what changed, in one transaction.

    Every changed item gets a ``strategy_changes`` row (old → new, by ``user``); a
    first save records every value set, with no old value. When nothing changed,
    nothing is written. Returns the number of items changed.
    """
    new = strategy_items(strategy)
    with store.transaction() as cur:
        old = strategy_items(_stored(lambda sql: cur.execute(sql).fetchall()))
        changes = [
            (user, item, old.get(item), new.get(item))
            for item in dict.fromkeys([*new, *old])
            if old.get(item) != new.get(item)
        ]
        if not changes:
            return 0
        cur.executemany(
            "INSERT INTO strategy_changes (changed_by, item, old_value, new_value)"
            " VALUES (?, ?, ?, ?)",
            changes,
        )
        _write(cur, strategy)
        detail = {"changes": len(changes)}
        record(cur, user, AuditAction.STRATEGY_SAVED, "strategy", detail)
    return len(changes)


def _write(cur: Cursor, strategy: Strategy) -> None:
    pos = strategy.positioning
    cur.execute("DELETE FROM positioning")
    cur.execute(
        "INSERT INTO positioning (cluster_name, home_country, mission, identity,"
        " cluster_values, ambition_5y, ambition_10y, ambition_15y)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [getattr(pos, key) for key in POSITIONING_FIELDS],
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
            [kpi_id, *(getattr(t, name) for name in TARGET_FIELDS)],
        )


def read_strategy(store: Store, today: date) -> Strategy | None:
    """Return the stored strategy, or None when none was ever saved."""
    stored = _stored(store.rows)
    if stored is None or stored.horizons:
        return stored
    return stored.model_copy(update={"horizons": default_horizons(today)})


def _stored(rows: Callable[[str], list[tuple[Any, ...]]]) -> Strategy | None:
    """Read the stored strategy through ``rows`` (horizons empty when none stored)."""
    pos = rows(
        "SELECT cluster_name, home_country, mission, identity, cluster_values,"
        " ambition_5y, ambition_10y, ambition_15y FROM positioning"
    )
    if not pos:
        return None
    horizons = {
        Horizon(h): d for h, d in rows("SELECT horizon, target_date FROM horizons")
    }
    targets = {
        r[0]: KpiTarget(**dict(zip(TARGET_FIELDS, r[1:], strict=True)))
        for r in rows(
            "SELECT kpi_id, tracked, baseline_value, baseline_date, weight, target_short,"
            " target_medium, target_long FROM kpi_targets ORDER BY kpi_id"
        )
    }
    return Strategy(
        positioning=Positioning(**dict(zip(POSITIONING_FIELDS, pos[0], strict=True))),
        horizons=horizons,
        targets=targets,
    )


def strategy_items(strategy: Strategy | None) -> dict[str, str | None]:
    """Return a strategy as {item: value as text}, under the names its history uses.

    Items: ``positioning.<field>``, ``horizon.<horizon>``, ``target.<kpi>.<field>``.
    Empty texts are None, like values never set.
    """
    if strategy is None:
        return {}
    items = {
        f"positioning.{k}": _text(getattr(strategy.positioning, k))
        for k in POSITIONING_FIELDS
    }
    items.update(
        {f"horizon.{h.value}": _text(strategy.horizons.get(h)) for h in Horizon}
    )
    for kpi_id in sorted(strategy.targets):
        target = strategy.targets[kpi_id]
        items.update(
            {
                f"target.{kpi_id}.{name}": _text(getattr(target, name))
                for name in TARGET_FIELDS
            }
        )
    return items


def _text(value: object) -> str | None:
    # The same text as DuckDB's casts to VARCHAR, which migration 0005 used.
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class StrategyChange:
    """One recorded change of one strategy item (values as text, None: not set)."""

    change_id: int
    changed_at: datetime
    changed_by: str
    item: str
    old_value: str | None
    new_value: str | None


def strategy_history(store: Store, kpi_id: str | None = None) -> list[StrategyChange]:
    """Return the strategy's recorded changes, newest first.

    With ``kpi_id``, only the changes of that KPI's target items.
    """
    where, params = "", []
    if kpi_id is not None:
        where, params = " WHERE starts_with(item, ?)", [f"target.{kpi_id}."]
    rows = store.rows(
        "SELECT change_id, changed_at, changed_by, item, old_value, new_value"
        f" FROM strategy_changes{where} ORDER BY change_id DESC",
        params,
    )
    return [StrategyChange(*row) for row in rows]


@dataclass(frozen=True)
class TargetVersion:
    """A KPI's target as one save left it; ``target`` None: removed from the strategy."""

    changed_at: datetime
    changed_by: str
    target: KpiTarget | None


def target_history(store: Store, kpi_id: str) -> list[TargetVersion]:
    """Return every version of one KPI's target, newest first."""
    current: dict[str, str | None] = {}
    versions = []
    oldest_first = reversed(strategy_history(store, kpi_id))
    # The rows of one save share its transaction's timestamp and its user.
    for (at, by), changes in groupby(
        oldest_first, lambda c: (c.changed_at, c.changed_by)
    ):
        for change in changes:
            current[change.item.rsplit(".", 1)[1]] = change.new_value
        versions.append(TargetVersion(at, by, _target(current)))
    return versions[::-1]


def _target(texts: dict[str, str | None]) -> KpiTarget | None:
    values: dict[str, Any] = {}
    for name, text in texts.items():
        if text is None:
            continue
        if name == "tracked":
            values[name] = text == "true"
        elif name == "baseline_date":
            values[name] = date.fromisoformat(text)
        else:
            values[name] = float(text)
    return KpiTarget(**values) if values else None
