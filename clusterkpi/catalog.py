"""The KPI catalogue: pydantic models, loading and validation of data/kpis.yaml."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clusterkpi.errors import CatalogError

KPI_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MEASURE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")  # table.column
_FIXES = {
    "extra_forbidden": "remove it or check its spelling",
    "missing": "add it",
    "enum": "use one of the allowed values",
    "literal_error": "use one of the allowed values",
}


class Direction(StrEnum):
    """Which way is better."""

    HIGHER = "higher"
    LOWER = "lower"


class Grain(StrEnum):
    """A flow is counted over a period; a stock is read as of the period's last day."""

    FLOW = "flow"
    STOCK = "stock"


class Aggregation(StrEnum):
    """How the KPI's SQL yields a value per period."""

    RATIO = "ratio"  # columns numerator, denominator: pooled Σ num / Σ den
    SUM = "sum"  # column value: a count or total, 0 when covered but empty
    LEVEL = "level"  # column value: a reading, no value when absent


class Unit(StrEnum):
    """How values are shown."""

    RATE = "rate"  # fraction 0..1, shown as a percentage
    COUNT = "count"
    SCORE = "score"  # e.g. NPS, −100..+100

    @property
    def domain(self) -> tuple[float | None, float | None]:
        """Return the values a KPI of this unit can take (None: unbounded)."""
        return _DOMAINS[self]

    def clamp(self, value: float) -> float:
        """Return ``value`` held inside this unit's domain (a trend never leaves it)."""
        low, high = self.domain
        if low is not None and value < low:
            return low
        if high is not None and value > high:
            return high
        return value


# Counts are never negative, rates stay within 0–100 %, scores (NPS) within ±100.
_DOMAINS: dict[Unit, tuple[float | None, float | None]] = {
    Unit.COUNT: (0.0, None),
    Unit.RATE: (0.0, 1.0),
    Unit.SCORE: (-100.0, 100.0),
}


class ObjectiveGroup(StrEnum):
    """Where an objective sits on the scorecard."""

    INTERNAL = "internal"
    EXTERNAL = "external"
    MEMBERSHIP = "membership"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages of the UI."""

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (French for anything but 'en')."""
        return self.en if lang == "en" else self.fr


class Objective(_Strict):
    """A communication objective of the cluster."""

    group: ObjectiveGroup
    label: Text
    description: Text


class Source(_Strict):
    """A canonical table KPIs read, with its date column and the exports that feed it."""

    date: str = Field(pattern=KPI_ID.pattern)
    # The exclusive end of a row that covers a period (NULL: the single day `date`).
    end: str | None = Field(default=None, pattern=KPI_ID.pattern)
    exports: list[str] = Field(min_length=1)


class Benchmark(_Strict):
    """An external reference value, shown as a line, never as a target."""

    value: float
    label: Text
    source: str = Field(min_length=1)


class Kpi(_Strict):
    """One KPI: definition, formula and presentation."""

    label: Text
    description: Text
    objective: str
    unit: Unit
    direction: Direction
    grain: Grain
    aggregation: Aggregation
    sources: list[str] = Field(min_length=1)
    # The nullable columns the formula reads, as 'table.column': the KPI has data only
    # where each of them has values (coverage per measure). Empty: the sources'
    # coverage.
    measures: list[str] = Field(default_factory=list)
    sql: str = Field(min_length=10)
    benchmark: Benchmark | None = None

    @field_validator("measures")
    @classmethod
    def _measure_names(cls, measures: list[str]) -> list[str]:
        for measure in measures:
            if not MEASURE.match(measure):
                raise ValueError(f"'{measure}' is not written table.column")
        return measures

    @property
    def additive(self) -> bool:
        """Counts over a period add up across periods (targets are per quarter)."""
        return self.grain is Grain.FLOW and self.aggregation is Aggregation.SUM


class Catalog(_Strict):
    """The whole catalogue; KPIs keep the file's order."""

    version: int = Field(ge=1)
    objectives: dict[str, Objective]
    sources: dict[str, Source]
    kpis: dict[str, Kpi]

    def kpi(self, kpi_id: str) -> Kpi:
        """Return one KPI or raise KeyError naming it."""
        return self.kpis[kpi_id]

    def kpis_of(self, objective_id: str) -> list[str]:
        """Return the ids of the KPIs of one objective, in catalogue order."""
        return [k for k, kpi in self.kpis.items() if kpi.objective == objective_id]


# libyaml's parser when PyYAML has it: ten times faster than the pure-Python one. Both
# offer the same interface; the type checker sees the pure-Python one.
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key given twice (YAML would keep the last one)."""

    def construct_mapping(
        self, node: yaml.MappingNode, deep: bool = False
    ) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is declared twice", key_node.start_mark
                )
            seen.add(key)
        # The base loader is typed Any (picked by getattr): say what it returns.
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def load_catalog(path: Path | str) -> Catalog:
    """Load and validate a catalogue file; raise CatalogError listing every problem."""
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(
            [f"{path}: cannot be read as YAML ({exc}). Fix the file."]
        ) from exc
    return parse_catalog(raw)


def parse_catalog(raw: Any) -> Catalog:
    """Validate catalogue data; raise CatalogError listing every problem at once."""
    if not isinstance(raw, dict):
        raise CatalogError(
            [
                "The catalogue must be a mapping with version, objectives, "
                "sources and kpis. Fix: start from data/kpis.yaml."
            ]
        )
    issues: list[str] = []
    kpis_raw = raw.get("kpis")
    if not isinstance(kpis_raw, dict) or not kpis_raw:
        issues.append(
            "kpis: missing or empty. Fix: declare at least one KPI under 'kpis'."
        )
        kpis_raw = {}
    kpis: dict[str, Kpi] = {}
    for kpi_id, body in kpis_raw.items():
        if not KPI_ID.match(str(kpi_id)):
            issues.append(
                f"KPI '{kpi_id}': invalid id. Fix: use lower-case letters, "
                "digits and underscores, starting with a letter."
            )
        try:
            kpis[kpi_id] = Kpi.model_validate(body)
        except ValidationError as exc:
            issues.extend(_describe(f"KPI '{kpi_id}'", exc))
    head = {k: v for k, v in raw.items() if k != "kpis"}
    try:
        catalog_head = _Head.model_validate(head)
    except ValidationError as exc:
        issues.extend(_describe("catalogue", exc))
        raise CatalogError(issues) from None
    referenced = {
        body.get("objective") for body in kpis_raw.values() if isinstance(body, dict)
    }
    issues.extend(_cross_check(catalog_head, kpis, referenced))
    if issues:
        raise CatalogError(issues)
    return Catalog(
        version=catalog_head.version,
        objectives=catalog_head.objectives,
        sources=catalog_head.sources,
        kpis=kpis,
    )


class _Head(_Strict):
    version: int = Field(ge=1)
    objectives: dict[str, Objective] = Field(min_length=1)
    sources: dict[str, Source] = Field(min_length=1)


def _describe(where: str, exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "(root)"
        fix = _FIXES.get(error["type"], "correct the value")
        out.append(f"{where}: field '{field}': {error['msg']}. Fix: {fix}.")
    return out


def _cross_check(
    head: _Head, kpis: dict[str, Kpi], referenced: set[object]
) -> list[str]:
    issues = []
    for kpi_id, kpi in kpis.items():
        where = f"KPI '{kpi_id}'"
        if kpi.objective not in head.objectives:
            issues.append(
                f"{where}: objective '{kpi.objective}' is not declared. Fix: use one "
                f"of {', '.join(sorted(head.objectives))}."
            )
        for source in kpi.sources:
            if source not in head.sources:
                issues.append(
                    f"{where}: source '{source}' is not declared. Fix: add it under "
                    "'sources' or correct the name."
                )
        issues.extend(_check_sql(where, kpi))
        issues.extend(_check_measures(where, kpi))
        if (
            kpi.unit is Unit.RATE
            and kpi.benchmark
            and not 0 <= kpi.benchmark.value <= 1
        ):
            issues.append(
                f"{where}: benchmark {kpi.benchmark.value} is not a fraction. "
                "Fix: write rates as fractions (21.5 % → 0.215)."
            )
    for objective_id in head.objectives:
        if objective_id not in referenced:
            issues.append(
                f"objective '{objective_id}': no KPI measures it. Fix: attach a KPI "
                "or remove the objective."
            )
    return issues


def _check_measures(where: str, kpi: Kpi) -> list[str]:
    issues = []
    for measure in kpi.measures:
        table, column = measure.split(".")
        if table not in kpi.sources:
            issues.append(
                f"{where}: measure '{measure}' is not of a source of the KPI. Fix: use "
                f"one of {', '.join(kpi.sources)} or add '{table}' to its sources."
            )
        if not re.search(rf"\b{column}\b", kpi.sql):
            issues.append(
                f"{where}: measure '{measure}': the sql never reads '{column}'. Fix: "
                "list the columns the formula reads."
            )
    return issues


def _check_sql(where: str, kpi: Kpi) -> list[str]:
    sql = kpi.sql.lower()
    issues = []
    if ";" in sql:
        issues.append(f"{where}: sql holds ';'. Fix: write a single SELECT statement.")
    if not re.match(r"^\s*(select|with)\b", sql):
        issues.append(
            f"{where}: sql must be a SELECT. Fix: start it with SELECT or WITH."
        )
    if not re.search(r"\bperiods\b", sql):
        issues.append(
            f"{where}: sql does not read 'periods'. Fix: join the periods relation "
            "(period, period_start, period_end) so the engine can pass bounds."
        )
    needed = (
        ("numerator", "denominator")
        if kpi.aggregation is Aggregation.RATIO
        else ("value",)
    )
    for column in needed:
        if not re.search(rf"\bas\s+{column}\b", sql):
            issues.append(
                f"{where}: sql has no column '{column}'. Fix: a {kpi.aggregation} KPI "
                f"selects {' and '.join(needed)} per period."
            )
    return issues
