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
