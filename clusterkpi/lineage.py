"""Where a KPI's figure comes from: the SQL the engine runs and the imports feeding it."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime

from clusterkpi.catalog import Catalog, Kpi
from clusterkpi.engine import compile_kpi
from clusterkpi.store import Store

# The rows of each canonical table that speak for the dates $first..$last (both
# inclusive). Dated rows count when their date falls in the range; stock rows
# (members, projects, partnerships) when they existed during it; attendance and
# project members follow their event's or project's dates. Manual observations count
# when their period overlaps the range. Declared once here: lineage reads nothing else.
ROWS_IN_RANGE: dict[str, str] = {
    "members": "joined_on <= $last AND (left_on IS NULL OR left_on >= $first)",
    "events": "held_on BETWEEN $first AND $last",
    "attendance": "event_id IN (SELECT event_id FROM events"
    " WHERE held_on BETWEEN $first AND $last)",
    "email_campaigns": "sent_at::DATE BETWEEN $first AND $last",
    # A row may cover a period (day .. day_end exclusive, README, "Rows that cover a period").
    "web_traffic": "day <= $last AND coalesce(day_end, day + 1) > $first",
    # A stock reading such as followers looks back up to 92 days from the period's
    # end: over a quarter that stays inside the range.
    "social_daily": "day <= $last AND coalesce(day_end, day + 1) > $first",
    "press_mentions": "published_on BETWEEN $first AND $last",
    "projects": "launched_on <= $last AND (ended_on IS NULL OR ended_on >= $first)",
    "project_members": "project_id IN (SELECT project_id FROM projects"
    " WHERE launched_on <= $last AND (ended_on IS NULL OR ended_on >= $first))",
    "survey_responses": "submitted_on BETWEEN $first AND $last",
    "interactions": "occurred_on BETWEEN $first AND $last",
    "materials": "produced_on BETWEEN $first AND $last",
    "partnerships": "signed_on <= $last AND (ended_on IS NULL OR ended_on >= $first)",
    "observations": "kpi_id = $kpi AND period_start <= $last AND period_end > $first",
}
_READS = re.compile(r"\b(?:FROM|JOIN)\s+\"?([a-z_][a-z0-9_]*)", re.IGNORECASE)


@dataclass(frozen=True)
class FeedingImport:
    """One import whose rows feed a KPI over a date range."""

    import_id: int
    file_name: str
    source: str
    imported_at: datetime
    imported_by: str
    status: str
    rows: dict[str, int]  # table → rows of this import in the range, tables in order

    @property
    def total(self) -> int:
        """Return the number of this import's rows feeding the range, all tables."""
        return sum(self.rows.values())


def kpi_sql(kpi: Kpi) -> str:
    """Return the SQL the engine runs for a KPI, laid out for reading.

    It is :func:`clusterkpi.engine.compile_kpi`'s text with only its whitespace
    tidied: the catalogue formula dedented, tabs expanded, trailing blanks and
    repeated empty lines removed. Its parameters are ``$labels``, ``$starts`` and
    ``$ends`` (see :func:`clusterkpi.engine.period_params`).
    """
    body = textwrap.dedent(kpi.sql.expandtabs(4)).strip()
    # compile_kpi strips only the first line: a formula indented as a whole in the
    # catalogue would otherwise come out with a ragged first line.
    sql = compile_kpi(kpi.model_copy(update={"sql": body}))
    lines: list[str] = []
    for line in sql.splitlines():
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def kpi_tables(kpi: Kpi) -> list[str]:
    """Return the canonical tables a KPI's value depends on, in ROWS_IN_RANGE order.

    These are its catalogue sources plus the tables its SQL reads (attendance for an
    event KPI, say), and always its manual observations.
    """
    named = {t.lower() for t in _READS.findall(kpi.sql)} | set(kpi.sources)
    named.add("observations")
    return [t for t in ROWS_IN_RANGE if t in named]


def feeding_imports(
    store: Store, catalog: Catalog, kpi_id: str, first: date, last: date
) -> list[FeedingImport]:
    """Return the imports whose rows feed a KPI from ``first`` to ``last`` (inclusive).

    Rows are those of the KPI's tables (see :func:`kpi_tables`) chosen by
    ``ROWS_IN_RANGE``. Only rows still in the tables count: an undone import, or one
    whose rows later imports all replaced, feeds nothing. Newest import first.
    Raises KeyError for a KPI the catalogue does not hold.
    """
    tables = kpi_tables(catalog.kpi(kpi_id))
    counted = " UNION ALL ".join(
        f"SELECT '{t}' AS tbl, import_id, count(*) AS n FROM {t}"
        f" WHERE {ROWS_IN_RANGE[t]} GROUP BY import_id"
        for t in tables
    )
    rows = store.rows(
        f"WITH fed AS ({counted})"
        " SELECT i.import_id, i.file_name, i.source, i.imported_at, i.imported_by,"
        " i.status, f.tbl, f.n FROM fed AS f JOIN imports AS i USING (import_id)"
        " ORDER BY i.import_id DESC",
        {"first": first, "last": last, "kpi": kpi_id},
    )
    heads: dict[int, tuple[int, str, str, datetime, str, str]] = {}
    counts: dict[int, dict[str, int]] = {}
    for import_id, name, source, at, by, status, table, n in rows:
        head = (import_id, name, source, at, by, status)
        heads.setdefault(import_id, head)
        counts.setdefault(import_id, {})[table] = int(n)
    return [
        FeedingImport(*head, rows={t: counts[i][t] for t in tables if t in counts[i]})
        for i, head in heads.items()
    ]
