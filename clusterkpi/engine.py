"""The KPI engine: the only place that assembles and runs catalogue formulas."""

from __future__ import annotations

import re
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
),{days}
kpi AS (
{body}
)
SELECT periods.period, kpi.* EXCLUDE (period)
FROM periods LEFT JOIN kpi USING (period)
ORDER BY periods.period_start"""


@dataclass(frozen=True)
class KpiPoint:
    """One KPI value for one period; ``value`` is None where there is no data.

    ``covered_share`` is set (0 < share < 1) when rows covering a period (a week, a
    month) straddle the period's edge: the value then counts the share of their days
    inside the period, and is partial. None: every row lies wholly inside.
    """

    period: Period
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    manual: bool = False
    covered_share: float | None = None

    @property
    def partial(self) -> bool:
        """Tell whether the value counts rows only in part (see covered_share)."""
        return self.covered_share is not None


@dataclass(frozen=True)
class Coverage:
    """The dates a source table's data speaks for: first row to latest row or import."""

    first: date
    last: date

    def covers(self, period: Period) -> bool:
        """Tell whether the period overlaps what the source speaks for."""
        return self.first < period.end and period.start <= self.last


# Day relations the catalogue's SQL may read: name → (table, key, flow columns). A
# row covering several days is spread evenly over them; where rows of one key
# overlap (a month total and the daily rows of that month), each day takes the
# shortest row that has a value for the column, so nothing is counted twice; of
# two rows as long, the one starting later (a deterministic choice).
DAY_RELATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "web_traffic_days": (
        "web_traffic",
        "site",
        ("sessions", "engaged_sessions", "users", "pageviews"),
    ),
    "social_daily_days": (
        "social_daily",
        "network",
        ("new_followers", "impressions", "engagements", "posts", "page_views"),
    ),
}
# Shorter rows first, then the later start (Julian day numbers stay below 10⁷).
_RANK = "(coalesce(day_end, day + 1) - day) * 10000000 - julian(day)"
# Sums of pro-rated parts (176 / 4 × 4) are rounded to absorb floating-point error.
_DIGITS = 9


def _days_sql(table: str, key: str, columns: tuple[str, ...]) -> str:
    picks = ", ".join(
        f"arg_min({c}::DOUBLE / span, _rank) FILTER (WHERE {c} IS NOT NULL) AS {c}"
        for c in columns
    )
    return (
        f"SELECT {key}, d AS day, {picks} FROM (SELECT *,"
        " unnest(range(day, coalesce(day_end, day + 1), INTERVAL 1 DAY))::DATE AS d,"
        f" coalesce(day_end, day + 1) - day AS span, {_RANK} AS _rank FROM {table})"
        f" GROUP BY {key}, d"
    )


def compile_kpi(kpi: Kpi) -> str:
    """Return the full SQL the engine runs for a KPI (parameters: labels, starts, ends)."""
    body = "\n".join("    " + line for line in kpi.sql.strip().splitlines())
    days = "".join(
        f"\n{name} AS (\n    {_days_sql(*spec)}\n),"
        for name, spec in DAY_RELATIONS.items()
        if re.search(rf"\b{name}\b", kpi.sql)
    )
    return _WRAPPER.format(body=body, days=days)


def period_params(periods: Sequence[Period]) -> dict[str, list[Any]]:
    """Return the query parameters that fill `periods` for the given periods."""
    return {
        "labels": [p.label for p in periods],
        "starts": [p.start for p in periods],
        "ends": [p.end for p in periods],
    }


def _span_sql(name: str, date_col: str, end_col: str | None, where: str) -> str:
    # The last day a row speaks for is the day before its exclusive end.
    last = (
        f'max(coalesce("{end_col}", "{date_col}"::DATE + 1))::DATE - 1'
        if end_col
        else f'max("{date_col}")::DATE'
    )
    return (
        f'SELECT min("{date_col}")::DATE, {last},'
        " (SELECT max(imported_at)::DATE FROM imports WHERE import_id IN"
        f' (SELECT DISTINCT import_id FROM "{name}" WHERE {where}))'
        f' FROM "{name}" WHERE {where}'
    )


def _span(store: Store, sql: str) -> Coverage | None:
    row = store.rows(sql)[0]
    if row[0] is None:
        return None
    return Coverage(first=row[0], last=max(d for d in (row[1], row[2]) if d))


def coverage(store: Store, catalog: Catalog) -> dict[str, Coverage]:
    """Return the coverage of every catalogue source that holds data (any column)."""
    found = {}
    for name, source in catalog.sources.items():
        span = _span(store, _span_sql(name, source.date, source.end, "true"))
        if span is not None:
            found[name] = span
    return found


def measure_coverage(
    store: Store, catalog: Catalog, measures: Sequence[str] | None = None
) -> dict[str, Coverage]:
    """Return the coverage of each measure ('table.column') that has values.

    A measure speaks from the first to the last day of the rows where its column is
    not NULL (or the latest import that brought such rows): a tweet export gives
    impressions, not followers.
    """
    wanted = (
        measures
        if measures is not None
        else dict.fromkeys(m for k in catalog.kpis.values() for m in k.measures)
    )
    found = {}
    for measure in wanted:
        table, column = measure.split(".")
        source = catalog.sources[table]
        where = f'"{column}" IS NOT NULL'
        span = _span(store, _span_sql(table, source.date, source.end, where))
        if span is not None:
            found[measure] = span
    return found


def evaluate(
    store: Store,
    catalog: Catalog,
    periods: Sequence[Period],
    kpi_ids: Sequence[str] | None = None,
) -> dict[str, list[KpiPoint]]:
    """Compute KPIs for the given periods; return {kpi_id: one point per period}.

    A value is None when a source (or a declared measure) of the KPI does not cover
    the period, or when a ratio's denominator is zero. A manual observation for the
    exact period replaces the computed value. Rows straddling a period's edge count
    with the share of their days inside it, and the point says so (covered_share).
    """
    ids = list(kpi_ids) if kpi_ids is not None else list(catalog.kpis)
    spans = coverage(store, catalog)
    measured = measure_coverage(
        store,
        catalog,
        list(dict.fromkeys(m for i in ids for m in catalog.kpis[i].measures)),
    )
    manual = _observations(store, ids)
    unique = list(dict.fromkeys(periods))
    params = period_params(unique)
    shares = _shares(store, catalog, ids, params)
    results = {}
    for kpi_id in ids:
        kpi = catalog.kpis[kpi_id]
        frame = store.query(compile_kpi(kpi), params)
        rows = {row.period: row for row in frame.itertuples(index=False)}
        covered = {p.label: _covered(kpi, p, spans, measured) for p in unique}
        share = {p.label: _share(kpi, p.label, shares) for p in unique}
        results[kpi_id] = [
            _point(kpi, p, rows[p.label], covered[p.label], share[p.label],
                   manual.get((kpi_id, p.start, p.end)))
            for p in periods
        ]  # fmt: skip
    return results


def _covered(
    kpi: Kpi, period: Period, spans: dict[str, Coverage], measured: dict[str, Coverage]
) -> bool:
    if kpi.measures:
        return all(m in measured and measured[m].covers(period) for m in kpi.measures)
    return all(s in spans and spans[s].covers(period) for s in kpi.sources)


# The share of the days of the rows that count for a period lying inside it. Where
# rows of one key overlap, each day belongs to the row DAY_RELATIONS picks for it:
# a month total hidden by daily rows does not make the value partial.
_SHARE_SQL = """WITH spans AS (
    SELECT {key} AS k, day AS row_start, coalesce(day_end, day + 1) AS row_end
    FROM {table} WHERE {column} IS NOT NULL
), pieces AS (
    SELECT *, unnest(range(row_start, row_end, INTERVAL 1 DAY))::DATE AS d FROM spans
), shortest AS (
    SELECT * FROM pieces QUALIFY row_number() OVER (
        PARTITION BY k, d ORDER BY row_end - row_start, row_start DESC) = 1
), kept AS (  -- a row's days that it keeps, counted after the shortest rows won
    SELECT *, count(*) OVER (PARTITION BY k, row_start, row_end) AS whole
    FROM shortest
), periods AS (
    SELECT unnest($labels) AS period, unnest($starts)::DATE AS period_start,
           unnest($ends)::DATE AS period_end
), touched AS (
    SELECT p.period, count(*) AS inside, any_value(whole) AS whole
    FROM periods AS p JOIN kept ON kept.d >= p.period_start AND kept.d < p.period_end
    GROUP BY p.period, k, row_start, row_end
)
SELECT period, sum(inside) / sum(whole) FROM touched GROUP BY period
HAVING sum(inside) < sum(whole)"""


def _shares(
    store: Store, catalog: Catalog, ids: list[str], params: dict[str, list[Any]]
) -> dict[tuple[str, str], float]:
    """Return {(measure, period label): covered share} where the share is below 1."""
    keys = {table: key for table, key, _ in DAY_RELATIONS.values()}
    found = {}
    measures = dict.fromkeys(m for i in ids for m in catalog.kpis[i].measures)
    for measure in measures:
        table, column = measure.split(".")
        if table not in keys or catalog.sources[table].end is None:
            continue
        sql = _SHARE_SQL.format(table=table, key=keys[table], column=column)
        for label, share in store.rows(sql, params):
            found[(measure, label)] = float(share)
    return found


def _share(kpi: Kpi, label: str, shares: dict[tuple[str, str], float]) -> float | None:
    """The smallest covered share among the KPI's measures; None when all are whole."""
    found = [shares[(m, label)] for m in kpi.measures if (m, label) in shares]
    return min(found) if found else None


def _point(
    kpi: Kpi,
    period: Period,
    row: Any,
    covered: bool,
    share: float | None,
    manual: float | None,
) -> KpiPoint:
    if manual is not None:
        return KpiPoint(period, manual, manual=True)
    if not covered:
        return KpiPoint(period, None)
    if kpi.aggregation is Aggregation.RATIO:
        num, den = _rounded(row.numerator), _rounded(row.denominator)
        value = num / den if num is not None and den else None
        return KpiPoint(period, value, num, den, covered_share=share)
    if kpi.aggregation is Aggregation.SUM:
        value = _rounded(row.value)
        return KpiPoint(period, 0.0 if value is None else value, covered_share=share)
    value = _number(row.value)
    return KpiPoint(period, value, covered_share=share)


def _rounded(raw: Any) -> float | None:
    value = _number(raw)
    return None if value is None else round(value, _DIGITS)


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
