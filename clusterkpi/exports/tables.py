"""The flat tables of a snapshot (scorecard, values, targets) shared by CSV, XLSX, Parquet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from clusterkpi.catalog import Catalog
from clusterkpi.imports.report import safe_cell
from clusterkpi.snapshot_model import FrozenKpi, Snapshot
from clusterkpi.strategy import Horizon

Cell = str | float | bool | date | None
# Control characters other than tab, line feed and carriage return are refused by XLSX
# (openpyxl raises) and mean nothing in a CSV: commentary pasted from elsewhere may hold some.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TEXT, _NUMBER, _DATE, _BOOL = "text", "number", "date", "bool"

SCORECARD_COLUMNS = (
    ("cluster", _TEXT),
    ("quarter", _TEXT),
    ("objective_id", _TEXT),
    ("objective", _TEXT),
    ("group", _TEXT),
    *(
        (f"{name}_{h.value}", kind)
        for h in Horizon
        for name, kind in (("status", _TEXT), ("progress", _NUMBER))
    ),
    ("commentary", _TEXT),
)
VALUES_COLUMNS = (
    ("cluster", _TEXT),
    ("quarter", _TEXT),
    ("objective_id", _TEXT),
    ("kpi_id", _TEXT),
    ("kpi", _TEXT),
    ("unit", _TEXT),
    ("period", _TEXT),
    ("value", _NUMBER),
)
TARGETS_COLUMNS = (
    ("cluster", _TEXT),
    ("quarter", _TEXT),
    ("objective_id", _TEXT),
    ("kpi_id", _TEXT),
    ("kpi", _TEXT),
    ("unit", _TEXT),
    ("direction", _TEXT),
    ("tracked", _BOOL),
    ("weight", _NUMBER),
    ("baseline", _NUMBER),
    ("value", _NUMBER),
    ("horizon", _TEXT),
    ("horizon_date", _DATE),
    ("target", _NUMBER),
    ("status", _TEXT),
    ("progress", _NUMBER),
    ("forecast", _NUMBER),
)


@dataclass(frozen=True)
class Table:
    """One flat table: stable snake_case column names, and rows of plain values.

    Codes (status, group, unit, direction, horizon) stay codes so that files of
    several clusters or languages can be stacked; labels are in the export's language.
    Every text cell is already neutralised against spreadsheet formulas.
    """

    name: str
    columns: tuple[tuple[str, str], ...]  # (name, kind): text, number, date or bool
    rows: list[tuple[Cell, ...]]

    @property
    def names(self) -> list[str]:
        """Return the column names, in order."""
        return [name for name, _ in self.columns]

    def frame(self) -> pd.DataFrame:
        """Return the rows as a DataFrame with one dtype per column kind."""
        data = {}
        for index, (name, kind) in enumerate(self.columns):
            values = [row[index] for row in self.rows]
            dtype = {_TEXT: "str", _NUMBER: "float64", _BOOL: "bool"}.get(kind, object)
            data[name] = pd.Series(values, dtype=dtype)
        return pd.DataFrame(data, columns=self.names)


def snapshot_tables(catalog: Catalog, snapshot: Snapshot, lang: str) -> list[Table]:
    """Return the scorecard, values and targets tables of a snapshot, labels in ``lang``."""
    cluster = snapshot.positioning.cluster_name if snapshot.positioning else ""
    head = (_text(cluster), snapshot.quarter)
    scorecard: list[tuple[Cell, ...]] = [
        (
            *head,
            o.objective_id,
            _text(_objective_label(catalog, o.objective_id, lang)),
            o.group.value,
            *(cell for h in Horizon for cell in (o.status[h].value, o.progress.get(h))),
            _text(o.commentary),
        )
        for o in snapshot.objectives
    ]
    kpis = [k for o in snapshot.objectives for k in snapshot.kpis_of(o.objective_id)]
    values: list[tuple[Cell, ...]] = [
        (*head, *_kpi_head(catalog, k, lang), period, value)
        for k in kpis
        for period, value in k.history
    ]
    targets: list[tuple[Cell, ...]] = [
        (
            *head,
            *_kpi_head(catalog, k, lang)[:4],
            _direction(catalog, k.kpi_id),
            k.tracked,
            k.weight,
            k.baseline,
            k.value,
            f.horizon.value,
            f.day,
            f.target,
            f.status.value,
            f.progress,
            f.forecast,
        )
        for k in kpis
        for f in k.horizons
    ]
    return [
        Table("scorecard", SCORECARD_COLUMNS, scorecard),
        Table("values", VALUES_COLUMNS, values),
        Table("targets", TARGETS_COLUMNS, targets),
    ]


def _kpi_head(catalog: Catalog, kpi: FrozenKpi, lang: str) -> tuple[str, ...]:
    known = catalog.kpis.get(kpi.kpi_id)
    label = known.label.get(lang) if known else kpi.kpi_id
    unit = known.unit.value if known else ""
    return (kpi.objective_id, kpi.kpi_id, _text(label), unit)


def _direction(catalog: Catalog, kpi_id: str) -> str:
    known = catalog.kpis.get(kpi_id)
    return known.direction.value if known else ""


def _objective_label(catalog: Catalog, objective_id: str, lang: str) -> str:
    # A snapshot outlives catalogue edits: an objective removed since keeps its id.
    known = catalog.objectives.get(objective_id)
    return known.label.get(lang) if known else objective_id


def _text(value: str) -> str:
    # Neutralise first (a leading CR counts), then keep one line ending everywhere:
    # XLSX readers turn a bare CR into LF anyway.
    safe = safe_cell(_CONTROL.sub("", value))
    return safe.replace("\r\n", "\n").replace("\r", "\n")
