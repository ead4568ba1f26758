"""What became of a table's rows, for its report: skips, their reasons, column names."""

from __future__ import annotations

from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.header_language import alias_in, header_language
from clusterkpi.imports.parsing import PlanOutcome
from clusterkpi.imports.repeats import filter_column
from clusterkpi.imports.report import TableResult


def account(
    result: TableResult, outcome: PlanOutcome, adapter: Adapter, header: tuple[str, ...]
) -> None:
    """Record on ``result`` what became of the rows: valid, warned, each skip."""
    result.rows_valid = outcome.valid
    result.warnings.extend(outcome.warnings)
    filtered = result.rows_read - outcome.kept
    if filtered:
        result.skips["filtered"] = filtered
        result.filtered = outcome.filtered
        result.filter_column = filter_column(adapter, header)
    if outcome.duplicates:
        result.skips["duplicate_row"] = outcome.duplicates
    for target, count in outcome.without.items():
        if count:
            result.skips[f"without:{target}"] = count
            result.skipped_columns[target] = column_of(adapter, target, header)


def column_of(adapter: Adapter, target: str, header: tuple[str, ...]) -> str:
    """Return a field's column as the file spells it, else the field's first name."""
    index = adapter.column_index(header).get(target)
    if index is not None:
        return header[index]
    return next((f.columns[0] for f in adapter.fields if f.target == target), target)


def missing_names(
    adapter: Adapter, targets: tuple[str, ...], header: tuple[str, ...], lang: str
) -> list[str]:
    """Return the names of missing fields in the language of the file's header."""
    spoken = header_language(header, lang)
    return [
        alias_in(next(f.columns for f in adapter.fields if f.target == t), spoken)
        for t in targets
    ]


# Reasons that say a table's shape gives nothing to read (no bad value in it).
SHAPE_REASONS = frozenset(
    {"missing_columns", "unrecognised", "table_not_loaded",
     "table_not_loaded_no_days", "no_data"}
)  # fmt: skip


def set_aside_unusable(tables: list[TableResult]) -> None:
    """In a file of several tables, leave out those whose shape gives nothing to read.

    A report file (GA4 Reports snapshot, Matomo scheduled report, a workbook) mixes
    the tables clusterkpi reads with breakdowns no KPI uses. Once one table of the
    file loads rows, a table refused only for its shape (missing columns, no
    format, "no data") is not a refusal of the file: its rows are counted as not
    read, its reason stays in the report as a warning, and the others load. A table
    with a bad value still refuses the file.
    """
    if len(tables) < 2 or not any(t.rows_written and not t.problems for t in tables):
        return
    for table in tables:
        if table.problems and all(p.reason in SHAPE_REASONS for p in table.problems):
            table.warnings.extend(table.problems)
            table.problems.clear()
            table.rows_valid = table.rows_read - table.skips.get("filtered", 0)
            table.skips["not_usable"] = table.rows_valid
            table.counts = None
