"""The import report: every problem with line, column, value and reason, per table."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clusterkpi.i18n import format_day, number_locale, t
from clusterkpi.imports.loading import LoadCounts

# Cells that a spreadsheet would run as a formula are neutralised in CSV exports.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    """One problem: a bad cell, a bad row, or a whole file or table refused."""

    reason: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """Return the reason in the user's language."""
        if self.reason.startswith("read_"):  # the reading layer's own messages
            return t(f"read.{self.reason.removeprefix('read_')}", lang, **self.params)
        params = dict(self.params)
        if "how" in params:  # a sub-sentence of the reason, in the same language
            params["how"] = t(f"import.reason.{self.reason}.{params['how']}", lang)
        if "day" in params:  # an ISO day, written the way the user reads dates
            day = date.fromisoformat(str(params["day"]))
            params["day"] = format_day(day, number_locale(lang))
        return t(f"import.reason.{self.reason}", lang, **params)


@dataclass
class TableResult:
    """What happened to one table of a file (a CSV, a sheet, a block, a ZIP member)."""

    name: str
    source: str | None
    dataset: str | None
    rows_read: int = 0
    rows_valid: int = 0  # rows that passed every check (duplicates and combined too)
    problems: list[Problem] = field(default_factory=list)
    counts: LoadCounts | None = None
    date_order: str | None = None
    date_order_ambiguous: bool = False
    # Rows left out on purpose, by reason: 'filtered' (refunded orders, partial
    # responses), 'duplicate_row' (the same row twice), 'combined' (folded into
    # another row: a day's total, one attendee's tickets).
    skips: dict[str, int] = field(default_factory=dict)
    # The filter column's values that were left out, with how many rows had each.
    filtered: list[tuple[str, int]] = field(default_factory=list)
    filter_column: str | None = None
    # Things that did not stop the load but that the animator must know (a damaged
    # id column whose ids were derived from the rows).
    warnings: list[Problem] = field(default_factory=list)
    # The next best reading of the table when it came close (label key, score).
    runner_up: str | None = None
    # For 'without:<field>' skips: the field's column as the file spells it.
    skipped_columns: dict[str, str] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        """Rows left out on purpose, whatever the reason."""
        return sum(self.skips.values())

    @property
    def rows_refused(self) -> int:
        """Rows refused for a problem of their own."""
        return self.rows_read - self.skips.get("filtered", 0) - self.rows_valid

    @property
    def rows_written(self) -> int:
        """Rows the load added, updated or found unchanged."""
        c = self.counts
        return c.added + c.updated + c.unchanged if c else 0

    @property
    def rows_held(self) -> int:
        """Valid rows not written because the file was refused (or nothing to load)."""
        return (
            self.rows_read - self.rows_refused - self.rows_skipped - self.rows_written
        )


@dataclass
class ImportReport:
    """The outcome of importing one file."""

    file_name: str
    sha256: str
    status: str = "rejected"  # loaded, rejected, duplicate, checked, unrecognised
    import_id: int | None = None
    tables: list[TableResult] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[tuple[str, Problem]]:
        """Every problem with the name of the table it belongs to."""
        found = [(self.file_name, p) for p in self.file_problems]
        return found + [(tab.name, p) for tab in self.tables for p in tab.problems]

    @property
    def rows_added(self) -> int:
        """Rows added over all tables."""
        return sum(tab.counts.added for tab in self.tables if tab.counts)

    @property
    def rows_updated(self) -> int:
        """Rows updated over all tables."""
        return sum(tab.counts.updated for tab in self.tables if tab.counts)

    @property
    def rows_rejected(self) -> int:
        """Rows refused over all tables."""
        return sum(tab.rows_refused for tab in self.tables)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """Return the report as JSON-ready data, messages in ``lang``."""
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "status": self.status,
            "import_id": self.import_id,
            "rows_added": self.rows_added,
            "rows_updated": self.rows_updated,
            "rows_rejected": self.rows_rejected,
            "tables": [_table_dict(tab) for tab in self.tables],
            "problems": [
                {
                    "table": name,
                    "line": p.line,
                    "column": p.column,
                    "value": p.value,
                    "reason": p.reason,
                    "message": p.message(lang),
                }
                for name, p in self.problems
            ],
        }

    def problems_csv(self, lang: str) -> str:
        """Return the problems as CSV (formula-like cells neutralised)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                t(f"import.csv.{k}", lang)
                for k in ("table", "line", "column", "value", "reason")
            ]
        )
        for name, p in self.problems:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (name, p.line, p.column, p.value, p.message(lang))
                ]
            )
        return out.getvalue()


def _table_dict(tab: TableResult) -> dict[str, Any]:
    return {
        "name": tab.name,
        "source": tab.source,
        "dataset": tab.dataset,
        "rows_read": tab.rows_read,
        "rows_skipped": tab.rows_skipped,
        "rows_refused": tab.rows_refused,
        "skips": dict(tab.skips),
        "filtered": [list(item) for item in tab.filtered],
        "warnings": [p.reason for p in tab.warnings],
        "runner_up": tab.runner_up,
        "rows_valid": tab.rows_valid,
        "added": tab.counts.added if tab.counts else 0,
        "updated": tab.counts.updated if tab.counts else 0,
        "unchanged": tab.counts.unchanged if tab.counts else 0,
        "date_order": tab.date_order,
        "date_order_ambiguous": tab.date_order_ambiguous,
    }


def safe_cell(value: object) -> str:
    """Return a cell's text, prefixed with ' when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# What a table's rows were combined into, per dataset (the 'combined' skip reason).
COMBINED_INTO = {
    "web_traffic": "day",
    "social_daily": "day",
    "attendance": "attendee",
    "email_campaigns": "campaign",
    "contacts": "contact",
    "members": "member",
    "survey_responses": "response",
    "press_mentions": "mention",
}


def accounting(tab: TableResult, lang: str) -> str:
    """Return the sentence that accounts for every row of a table read.

    read = added + updated + unchanged + refused + skipped (+ held back when the
    file was refused), each skip with its reason.
    """
    counts = tab.counts or LoadCounts(0, 0, 0)
    parts = [
        t(
            "accounting.head",
            lang,
            read=tab.rows_read,
            added=counts.added,
            updated=counts.updated,
            unchanged=counts.unchanged,
            refused=tab.rows_refused,
            skipped=tab.rows_skipped,
        )
    ]
    if tab.skips.get("filtered"):
        values = ", ".join(
            t("accounting.value", lang, value=value or "—", count=count)
            for value, count in tab.filtered
        )
        parts.append(
            t(
                "accounting.filtered",
                lang,
                count=tab.skips["filtered"],
                column=tab.filter_column or "?",
                values=values,
            )
        )
    if tab.skips.get("duplicate_row"):
        parts.append(t("accounting.duplicates", lang, count=tab.skips["duplicate_row"]))
    if tab.skips.get("combined"):
        into = COMBINED_INTO.get(tab.dataset or "", "row")
        parts.append(
            t(f"accounting.combined.{into}", lang, count=tab.skips["combined"])
        )
    for target, column in tab.skipped_columns.items():
        count = tab.skips.get(f"without:{target}", 0)
        parts.append(t("accounting.without", lang, count=count, column=column))
    if tab.skips.get("not_usable"):
        parts.append(t("accounting.not_usable", lang, count=tab.skips["not_usable"]))
    if tab.skips.get("not_read"):
        parts.append(t("accounting.not_read", lang, count=tab.skips["not_read"]))
    if tab.rows_held:
        parts.append(t("accounting.held", lang, count=tab.rows_held))
    return " ".join(parts)
