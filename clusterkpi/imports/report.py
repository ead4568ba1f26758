"""The import report: every problem with line, column, value and reason, per table."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from clusterkpi.i18n import t
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
        return t(f"import.reason.{self.reason}", lang, **self.params)


@dataclass
class TableResult:
    """What happened to one table of a file (a CSV, a sheet, a block, a ZIP member)."""

    name: str
    source: str | None
    dataset: str | None
    rows_read: int = 0
    rows_skipped: int = 0  # left out on purpose (refunded orders, partial responses)
    rows_valid: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: LoadCounts | None = None
    date_order: str | None = None
    date_order_ambiguous: bool = False


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
        return sum(
            tab.rows_read - tab.rows_skipped - tab.rows_valid for tab in self.tables
        )

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
