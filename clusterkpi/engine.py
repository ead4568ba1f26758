"""The KPI engine: the only place that assembles and runs catalogue formulas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from clusterkpi.catalog import Aggregation, Catalog, Kpi
from clusterkpi.periods import Period
from clusterkpi.store import Store

# The catalogue's SQL reads `periods`; its rows arrive only as query parameters.
_WRAPPER = """WITH periods AS (
    SELECT unnest($labels) AS period,
           unnest($starts)::DATE AS period_start,
           unnest($ends)::DATE AS period_end
),
kpi AS (
{body}
)
SELECT periods.period, kpi.* EXCLUDE (period)
FROM periods LEFT JOIN kpi USING (period)
ORDER BY periods.period_start"""


@dataclass(frozen=True)
class KpiPoint:
    """One KPI value for one period; ``value`` is None where there is no data."""

    period: Period
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    manual: bool = False


@dataclass(frozen=True)
class Coverage:
    """The dates a source table's data speaks for: first row to latest row or import."""

    first: date
    last: date

    def covers(self, period: Period) -> bool:
        """Tell whether the period overlaps what the source speaks for."""
        return self.first < period.end and period.start <= self.last


def compile_kpi(kpi: Kpi) -> str:
    """Return the full SQL the engine runs for a KPI (parameters: labels, starts, ends)."""
    body = "\n".join("    " + line for line in kpi.sql.strip().splitlines())
    return _WRAPPER.format(body=body)


def period_params(periods: Sequence[Period]) -> dict[str, list[Any]]:
    """Return the query parameters that fill `periods` for the given periods."""
    return {
        "labels": [p.label for p in periods],
        "starts": [p.start for p in periods],
        "ends": [p.end for p in periods],
    }


def coverage(store: Store, catalog: Catalog) -> dict[str, Coverage]:
    """Return the coverage of every catalogue source that holds data."""
    found = {}
    for name, source in catalog.sources.items():
        row = store.rows(
            f'SELECT min("{source.date}")::DATE, max("{source.date}")::DATE,'
            f" (SELECT max(imported_at)::DATE FROM imports WHERE import_id IN"
            f' (SELECT DISTINCT import_id FROM "{name}")) FROM "{name}"'
        )[0]
        if row[0] is None:
            continue
        last = max(d for d in (row[1], row[2]) if d is not None)
        found[name] = Coverage(first=row[0], last=last)
    return found


def evaluate(
    store: Store,
    catalog: Catalog,
    periods: Sequence[Period],
    kpi_ids: Sequence[str] | None = None,
) -> dict[str, list[KpiPoint]]:
    """Compute KPIs for the given periods; return {kpi_id: one point per period}.

    A value is None when a source of the KPI does not cover the period, or when a
    ratio's denominator is zero. A manual observation for the exact period replaces
    the computed value.
    """
    ids = list(kpi_ids) if kpi_ids is not None else list(catalog.kpis)
    spans = coverage(store, catalog)
    manual = _observations(store, ids)
    unique = list(dict.fromkeys(periods))
    params = period_params(unique)
    results = {}
    for kpi_id in ids:
        kpi = catalog.kpis[kpi_id]
        frame = store.query(compile_kpi(kpi), params)
        rows = {row.period: row for row in frame.itertuples(index=False)}
        results[kpi_id] = [
            _point(kpi, p, rows[p.label], spans, manual.get((kpi_id, p.start, p.end)))
            for p in periods
        ]
    return results


def _point(
    kpi: Kpi,
    period: Period,
    row: Any,
    spans: dict[str, Coverage],
    manual: float | None,
) -> KpiPoint:
    if manual is not None:
        return KpiPoint(period, manual, manual=True)
    covered = all(s in spans and spans[s].covers(period) for s in kpi.sources)
    if not covered:
        return KpiPoint(period, None)
    if kpi.aggregation is Aggregation.RATIO:
        num, den = _number(row.numerator), _number(row.denominator)
        value = num / den if num is not None and den else None
        return KpiPoint(period, value, num, den)
    value = _number(row.value)
    if value is None and kpi.aggregation is Aggregation.SUM:
        value = 0.0
    return KpiPoint(period, value)


def _number(raw: Any) -> float | None:
    if raw is None or pd.isna(raw):
        return None
    return float(raw)


def _observations(
    store: Store, kpi_ids: list[str]
) -> dict[tuple[str, date, date], float]:
    rows = store.rows(
        "SELECT kpi_id, period_start, period_end, value FROM observations"
        " WHERE list_contains($ids, kpi_id)",
        {"ids": kpi_ids},
    )
    return {(r[0], r[1], r[2]): float(r[3]) for r in rows}


def data_span(store: Store, catalog: Catalog) -> tuple[date, date] | None:
    """Return the first and last dates any source speaks for, or None without data."""
    spans = coverage(store, catalog).values()
    if not spans:
        return None
    return min(s.first for s in spans), max(s.last for s in spans)
