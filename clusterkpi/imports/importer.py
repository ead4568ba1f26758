"""Imports one file: read, recognise, parse, validate and load it in one transaction."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from clusterkpi.audit import AuditAction, record
from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.bulk import BulkTable, read_bulk, stage_csv
from clusterkpi.imports.dates import choose_dates, serial_warnings
from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.event_choice import (
    EventChoice as EventChoice,  # re-exported: ImportOptions.event
)
from clusterkpi.imports.event_choice import event_params
from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.formats import choose_decimals
from clusterkpi.imports.loading import (
    LoadCounts,
    stage_rows,
    upsert,
)
from clusterkpi.imports.mapping import ColumnMapping, mapped_adapter, mapping_for
from clusterkpi.imports.parsing import drop_plan, read_problems, run_plan
from clusterkpi.imports.reading import RawTable, read_file
from clusterkpi.imports.recognition import recognise
from clusterkpi.imports.report import ImportReport, Problem, TableResult
from clusterkpi.imports.report_tables import unloaded_table
from clusterkpi.imports.survey_choices import prepare_survey
from clusterkpi.imports.table_accounting import (
    account,
    missing_names,
    set_aside_unusable,
)
from clusterkpi.imports.transform import build_plan
from clusterkpi.store import Cursor, Store, is_constraint_error, single_row


@dataclass(frozen=True)
class ImportOptions:
    """The animator's choices for one file."""

    source: str | None = None  # force an adapter by name
    date_order: str | None = None  # 'dmy' or 'mdy' for files whose order is ambiguous
    load_valid_rows: bool = False  # load the valid rows even when some are refused
    dry_run: bool = False
    event: EventChoice | None = None
    user: str = "cli"
    lang: str = "fr"  # the user's language: names missing columns when the file can't
    # Told (fraction of this file done, phase 'read' or 'check') as the import goes.
    on_progress: Callable[[float, str], None] | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    mapping: ColumnMapping | None = None  # a column mapping being built, to check it
    # The surveys that count in a survey export: None uses the choice remembered for
    # the file's shape (else every survey on the 0–10 scale); () forgets it.
    surveys: tuple[str, ...] | None = None


_LOG = logging.getLogger(__name__)


class _Rollback(Exception):
    """Raised inside the transaction to leave the database exactly as it was."""


class _Refused(Exception):
    """The database refused the rows: the file is rejected as a whole."""


class _BulkFailed(Exception):
    """DuckDB's read_csv refused a large file: it is read again in Python."""


def import_file(
    store: Store, name: str, raw: bytes, options: ImportOptions, today: date
) -> ImportReport:
    """Import one file; the database changes only when the report's status is 'loaded'."""
    report = ImportReport(file_name=name, sha256=hashlib.sha256(raw).hexdigest())
    previous = store.scalar(
        "SELECT import_id FROM imports WHERE sha256 = ? AND status = 'loaded'",
        [report.sha256],
    )
    if previous is not None:
        report.status = "duplicate"
        report.import_id = previous
        report.file_problems.append(Problem("duplicate_file", params={"id": previous}))
        return report
    _progress(options, 0.0, "read")
    try:
        bulk = read_bulk(name, raw, _known_header)
        tables = [bulk] if bulk else read_file(name, raw, is_known_header=_known_header)
        try:
            return _load_all(store, report, tables, options, today)
        except _BulkFailed:
            # DuckDB could not split a row of a large file: Python reads it and says
            # which; a refusal there is the file's refusal, like any other.
            report = ImportReport(file_name=name, sha256=report.sha256)
            tables = read_file(name, raw, is_known_header=_known_header)
            return _load_all(store, report, tables, options, today)
    except ImportFileError as exc:
        report.file_problems.append(Problem(f"read_{exc.code}", params=exc.params))
        return report
    except Exception as exc:  # noqa: BLE001 - a refusal, never an error page
        # The transaction was rolled back: the database is as it was. The cause goes
        # to the log for the maintainers; the user reads a refusal in their language.
        _LOG.exception("import of %s failed", name)
        report = ImportReport(file_name=name, sha256=report.sha256)
        report.file_problems.append(
            Problem("read_failed", params={"name": name, "kind": type(exc).__name__})
        )
        return report


def _load_all(
    store: Store,
    report: ImportReport,
    tables: Sequence[RawTable | BulkTable],
    options: ImportOptions,
    today: date,
) -> ImportReport:
    # A table with a column mapping (being built, else saved for its header) is read
    # with it, unless the animator forced a source.
    mappings = [
        None if options.source else mapping_for(store, tab.header, options.mapping)
        for tab in tables
    ]
    try:
        with store.transaction() as cur:
            _load_tables(cur, report, tables, options, today, mappings)
            if options.dry_run or report.status != "loaded":
                raise _Rollback
            _audit_load(cur, report, options.user)
    except _Refused:
        report.status = "rejected"
        report.import_id = None
        for table in report.tables:
            table.counts, table.rows_valid = LoadCounts(0, 0, 0), 0
    except _Rollback:
        if report.status == "loaded":
            report.status = "checked"
        report.import_id = None
    return report


def _audit_load(cur: Cursor, report: ImportReport, user: str) -> None:
    sources = sorted({tab.source for tab in report.tables if tab.source})
    detail = {
        "import_id": report.import_id,
        "source": ", ".join(sources),
        "rows_added": report.rows_added,
        "rows_updated": report.rows_updated,
        "rows_rejected": report.rows_rejected,
    }
    record(cur, user, AuditAction.IMPORT_LOADED, report.file_name, detail)


def _progress(options: ImportOptions, fraction: float, phase: str) -> None:
    if options.on_progress is not None:
        options.on_progress(fraction, phase)


def _known_header(cells: list[str]) -> bool:
    return any(a.matches(cells) for a in ADAPTERS.values())


def _load_tables(
    cur: Cursor,
    report: ImportReport,
    tables: Sequence[RawTable | BulkTable],
    options: ImportOptions,
    today: date,
    mappings: list[ColumnMapping | None],
) -> None:
    # Numbered after the last recorded import, not from the sequence: a check or a
    # refused file rolls its transaction back, yet keeps the sequence value it drew,
    # and the numbers users read would jump (issue #13).
    import_id: int = single_row(
        cur,
        "INSERT INTO imports (import_id, source, file_name, sha256, imported_by, status)"
        " SELECT coalesce(max(import_id), 0) + 1, 'pending', ?, ?, ?, 'loading'"
        " FROM imports RETURNING import_id",
        [report.file_name, report.sha256, options.user],
    )[0]
    report.import_id = import_id
    for number, (table, mapping) in enumerate(zip(tables, mappings, strict=True)):
        _progress(options, 0.1 + 0.9 * number / len(tables), "check")
        adapter, runner_up = _adapter_for(table, options, mapping)
        if adapter is not None and adapter.dataset == "survey_responses":
            # Surveys: joined header rows, questions by wording and values, the
            # surveys that count (remembered per header shape).
            table, adapter = prepare_survey(cur, table, adapter, options)
        result = TableResult(
            name=table.name,
            source=adapter.name if adapter else None,
            dataset=adapter.dataset if adapter else None,
            rows_read=len(table.rows),
            runner_up=runner_up.name if runner_up else None,
        )
        report.tables.append(result)
        if adapter is None or (adapter.refusal and table.rows):
            alone = adapter is None and len(tables) == 1
            result.problems.append(unloaded_table(table, alone))
            continue
        if adapter.dataset is None:  # recognised, but holds nothing to load
            if adapter.refusal:
                result.problems.append(
                    Problem(adapter.refusal, params={"name": table.name})
                )
            elif result.rows_read:
                result.rows_valid = result.rows_read
                result.skips["not_read"] = result.rows_read
            continue
        chosen = (  # a saved date order applies when the animator chose none
            replace(options, date_order=mapping.date_order)
            if mapping and not options.date_order
            else options
        )
        _load_table(cur, table, adapter, result, chosen, today, import_id)
    set_aside_unusable(report.tables)
    refused = any(tab.problems for tab in report.tables) or not report.tables
    recognised = [tab for tab in report.tables if tab.source]
    if not recognised:
        report.status = "unrecognised"
    elif refused and not options.load_valid_rows:
        report.status = "rejected"
    else:
        report.status = "loaded"
    sources = sorted({tab.source for tab in recognised if tab.source})
    cur.execute(
        "UPDATE imports SET source = ?, dataset = ?, rows_added = ?, rows_updated = ?,"
        " rows_rejected = ?, status = 'loaded' WHERE import_id = ?",
        [
            ", ".join(sources) or "unknown",
            ", ".join(sorted({t.dataset for t in recognised if t.dataset})),
            report.rows_added,
            report.rows_updated,
            report.rows_rejected,
            import_id,
        ],
    )


def _adapter_for(
    table: RawTable | BulkTable, options: ImportOptions, mapping: ColumnMapping | None
) -> tuple[Adapter | None, Adapter | None]:
    """Return the adapter reading a table (forced, mapped or recognised), runner-up."""
    if options.source:
        return ADAPTERS.get(options.source), None
    if mapping:
        return mapped_adapter(mapping, table.header), None
    return recognise(table.header, (*table.preamble, table.title or ""), table.rows)


def _load_table(
    cur: Cursor,
    table: RawTable | BulkTable,
    adapter: Adapter,
    result: TableResult,
    options: ImportOptions,
    today: date,
    import_id: int,
) -> None:
    if adapter.extra is not None:  # values read from the title or the preamble
        adapter = adapter.with_defaults(adapter.extra(table))
    columns = adapter.column_index(table.header)
    dates = choose_dates(adapter, table, columns, options.date_order, today)
    result.date_order, result.date_order_ambiguous = dates.order, dates.ambiguous
    result.warnings.extend(serial_warnings(adapter, table, columns, dates))
    decimals = choose_decimals(adapter, table, columns)
    plan = build_plan(adapter, table.header, decimals, dates.columns, today)
    if plan.missing:
        result.problems.append(
            Problem(
                "missing_columns",
                params={
                    "columns": ", ".join(
                        missing_names(adapter, plan.missing, table.header, options.lang)
                    )
                },
            )
        )
        return
    params = {
        **plan.params,
        **event_params(cur, adapter, options.event, result, import_id),
        **{f"d_{k}": v for k, v in options.overrides.items()},
    }
    if result.problems:
        return
    # DuckDB 2.0 refuses register() while an earlier table's count is left unfetched.
    cur.complete()
    if isinstance(table, BulkTable):
        path = stage_csv(cur, table)
        try:
            if adapter.row_filter is not None:
                result.rows_read = single_row(cur, "SELECT count(*) FROM stage")[0]
            outcome = run_plan(
                cur, plan, params, adapter, table.header, table.header_line
            )
        except Exception as exc:  # DuckDB could not split a row: the transaction aborts
            raise _BulkFailed from exc
        finally:
            os.unlink(path)
        if adapter.row_filter is None:
            result.rows_read = outcome.kept
    else:
        width = max([len(table.header), *(len(r) for r in table.rows)])
        stage_rows(cur, table.rows, table.lines, width)
        outcome = run_plan(cur, plan, params, adapter, table.header)
    result.problems.extend(read_problems(cur, table.header))
    account(result, outcome, adapter, table.header)
    if result.problems and not options.load_valid_rows:
        result.counts = LoadCounts(0, 0, 0)
    else:
        _upsert(cur, adapter, result, import_id)
        # Rows folded into others by the adapter (a day's total, an attendee's
        # tickets) are accounted for, never lost without a word.
        left_out = sum(result.skips.get(f"without:{f}", 0) for f in outcome.without)
        combined = outcome.valid - outcome.duplicates - left_out - result.rows_written
        if combined > 0:
            result.skips["combined"] = combined
    drop_plan(cur)


def _upsert(cur: Cursor, adapter: Adapter, result: TableResult, import_id: int) -> None:
    try:
        result.counts = upsert(cur, adapter.loaded_dataset(), "final", import_id)
    except Exception as exc:
        if not is_constraint_error(exc):
            raise
        # A rule of the database the rows break (an end before a start, …): the
        # transaction is aborted, so the whole file is refused with the reason.
        result.problems.append(Problem("constraint", params={"detail": str(exc)}))
        raise _Refused from exc
