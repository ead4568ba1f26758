"""Per-file reading choices: the day/month order of dates, each column's decimal mark."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Protocol

from clusterkpi.imports.fields import Adapter, FieldMap, Kind


class Table(Protocol):
    """Whatever holds a sample of text rows (RawTable, BulkTable)."""

    rows: list[tuple[str, ...]]


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
    """Decide a file's day/month order once, from its values: ('dmy'|'mdy', ambiguous).

    Only fields without a source-given format count. When both orders read every
    value, the file is ambiguous: the animator's choice wins, else day first.
    """
    values = [
        row[columns[f.target]].strip()
        for f in _undated(adapter, columns)
        for row in table.rows[:_SAMPLE]
        if columns[f.target] < len(row)
    ]
    values = [v for v in values if v]
    fits = {
        order: all(_parses(v, formats) for v in values)
        for order, formats in (("dmy", DMY), ("mdy", MDY))
    }
    if fits["dmy"] and fits["mdy"]:
        return (wanted or "dmy"), any(not _parses_iso(v) for v in values)
    if fits["mdy"]:
        return "mdy", False
    return "dmy", False


def _undated(adapter: Adapter, columns: dict[str, int]) -> list[FieldMap]:
    return [
        f
        for f in adapter.fields
        if f.kind in (Kind.DATE, Kind.TIMESTAMP)
        and not f.formats
        and f.target in columns
    ]


def _parses(value: str, formats: tuple[str, ...]) -> bool:
    for fmt in formats:
        try:
            datetime.strptime(value, fmt)
            return True
        except ValueError:
            continue
    return value[:10].count("-") == 2 and _parses_iso(value)


def _parses_iso(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
        return True
    except ValueError:
        return False


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
