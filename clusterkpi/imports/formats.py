"""Per-file reading choices: each column's decimal mark (and the old date-order API)."""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from clusterkpi.imports.dates import choose_dates
from clusterkpi.imports.fields import Adapter, Kind


class Table(Protocol):
    """Whatever holds a sample of text rows (RawTable, BulkTable)."""

    @property
    def rows(self) -> list[tuple[str, ...]]:
        """The text rows under the header (a sample for a BulkTable)."""
        ...


# The day/month format lists of the former per-file choice, kept for callers that pass
# one list to build_plan; dates.py now chooses each column's formats from its values.
DMY = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%d-%m-%Y %H:%M:%S",
)
MDY = (
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m-%d-%Y",
    "%m/%d/%y",
    "%m/%d/%y %H:%M",
)
# A comma followed by exactly three digits ('1,234') is a thousands separator.
_DECIMAL_COMMA = re.compile(
    r"^\s*[-(]?(\d[\d\s\u00a0\u202f]*|\d{1,3}(\.\d{3})+)?,(\d{1,2}|\d{4,})\s*%?\)?\s*$"
)
_SAMPLE = 2000


def choose_date_order(
    adapter: Adapter, table: Table, columns: dict[str, int], wanted: str | None
) -> tuple[str, bool]:
    """Return the table's day/month order ('dmy'|'mdy', ambiguous), as dates.py sees it.

    Each column's format is chosen by dates.choose_dates; this states the order only.
    """
    choice = choose_dates(adapter, table, columns, wanted, date.today())
    return choice.order, choice.ambiguous


def choose_decimals(
    adapter: Adapter, table: Table, columns: dict[str, int]
) -> dict[str, str]:
    """Pick each number column's decimal separator once per file, from its values."""
    chosen = {}
    for spec in adapter.fields:
        if spec.kind not in (Kind.NUMBER, Kind.RATE, Kind.INTEGER) or spec.decimal:
            continue
        if spec.target not in columns:
            continue
        index = columns[spec.target]
        sample = [r[index] for r in table.rows[:_SAMPLE] if index < len(r)]
        comma = any(_DECIMAL_COMMA.match(v) for v in sample)
        chosen[spec.target] = "," if comma else "."
    return chosen
