"""Why a table of a file is not loaded, said of that table alone, with its own columns."""

from __future__ import annotations

from typing import Protocol

from clusterkpi.imports.adapters.web_labels import ga4, matomo
from clusterkpi.imports.report import Problem

_SHOWN = 8  # columns named in the message before '…'
# A table counting visits or sessions without a day: a total or a breakdown
# (per country, per source…), which web traffic, kept per day, cannot take.
_VISIT_COUNTS = frozenset(
    label.casefold() for label in (*ga4("sessions"), *matomo("nb_visits"))
)


class _Table(Protocol):
    # Read-only members: the tables are frozen dataclasses.
    @property
    def name(self) -> str: ...
    @property
    def header(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> list[tuple[str, ...]]: ...
    @property
    def title(self) -> str | None: ...


def unloaded_table(table: _Table, alone: bool) -> Problem:
    """Return the problem of a table that no format loads.

    The only table of a file keeps the 'unrecognised' reason (choose a source or map
    the columns). A table of a file of several (GA4 "Reports snapshot", Matomo
    scheduled report), or a table with rows under a line that reads like an empty
    export's, is named by its title and its columns as the file spells them: one
    refused table hides no other, and a table with rows is never called empty.

    Args:
        table: The table (RawTable or BulkTable).
        alone: True for the only table of a file, matched by no format at all.

    Returns:
        'unrecognised', 'table_not_loaded' or, when the table counts visits or
        sessions without a day, 'table_not_loaded_no_days'.
    """
    if alone:
        return Problem("unrecognised", params={"name": table.name})
    columns = [cell for cell in table.header if cell]
    shown = ", ".join(columns[:_SHOWN]) + (", …" if len(columns) > _SHOWN else "")
    counts_visits = any(cell.casefold() in _VISIT_COUNTS for cell in columns)
    return Problem(
        "table_not_loaded_no_days" if counts_visits else "table_not_loaded",
        params={
            "name": table.name,
            "title": table.title or table.name,
            "columns": shown,
            "rows": len(table.rows),
        },
    )
