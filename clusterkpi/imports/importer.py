"""Imports one file: read, recognise, parse, validate and load it in one transaction."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from clusterkpi.audit import AuditAction, record
from clusterkpi.imports.adapters import ADAPTERS, find_adapter
from clusterkpi.imports.bulk import BulkTable, read_bulk, stage_csv
from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.formats import DMY, MDY, choose_date_order, choose_decimals
from clusterkpi.imports.loading import (
    LoadCounts,
    stage_rows,
    upsert,
)
from clusterkpi.imports.mapping import ColumnMapping, mapped_adapter, mapping_for
from clusterkpi.imports.parsing import drop_plan, read_problems, run_plan
from clusterkpi.imports.reading import RawTable, read_file
from clusterkpi.imports.report import ImportReport, Problem, TableResult
from clusterkpi.imports.transform import build_plan
from clusterkpi.store import Store, is_constraint_error


@dataclass(frozen=True)
class EventChoice:
    """The event an attendee export is attached to: an existing id, or a new event."""

    event_id: str | None = None
    title: str | None = None
    held_on: date | None = None
    kind: str = "workshop"


@dataclass(frozen=True)
class ImportOptions:
    """The animator's choices for one file."""

    source: str | None = None  # force an adapter by name
    date_order: str | None = None  # 'dmy' or 'mdy' for files whose order is ambiguous
    load_valid_rows: bool = False  # load the valid rows even when some are refused
    dry_run: bool = False
    event: EventChoice | None = None
    user: str = "cli"
    # Told (fraction of this file done, phase 'read' or 'check') as the import goes.
    on_progress: Callable[[float, str], None] | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    mapping: ColumnMapping | None = None  # a column mapping being built, to check it


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
    except ImportFileError as exc:
        report.file_problems.append(Problem(f"read_{exc.code}", params=exc.params))
        return report
    try:
        return _load_all(store, report, tables, options, today)
    except _BulkFailed:
        # DuckDB could not split a row of a large file: Python reads it and says which.
        report = ImportReport(file_name=name, sha256=report.sha256)
        tables = read_file(name, raw, is_known_header=_known_header)
        return _load_all(store, report, tables, options, today)


def _load_all(
    store: Store,
    report: ImportReport,
    tables: list[RawTable | BulkTable],
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


def _audit_load(cur: Any, report: ImportReport, user: str) -> None:
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
    cur: Any,
    report: ImportReport,
    tables: list[RawTable],
    options: ImportOptions,
    today: date,
    mappings: list[ColumnMapping | None],
) -> None:
    import_id = cur.execute(
        "INSERT INTO imports (source, file_name, sha256, imported_by, status)"
        " VALUES ('pending', ?, ?, ?, 'loading') RETURNING import_id",
        [report.file_name, report.sha256, options.user],
    ).fetchone()[0]
    report.import_id = import_id
    for number, (table, mapping) in enumerate(zip(tables, mappings, strict=True)):
        _progress(options, 0.1 + 0.9 * number / len(tables), "check")
        adapter = (
            ADAPTERS.get(options.source)
            if options.source
            else mapped_adapter(mapping, table.header)
            if mapping
            else find_adapter(table.header, (*table.preamble, table.title or ""))
        )
        result = TableResult(
            name=table.name,
            source=adapter.name if adapter else None,
            dataset=adapter.dataset if adapter else None,
            rows_read=len(table.rows),
        )
        report.tables.append(result)
        if adapter is None:
            result.problems.append(Problem("unrecognised", params={"name": table.name}))
            continue
        if adapter.dataset is None:  # recognised, but holds nothing to load
            if adapter.refusal:
                result.problems.append(
                    Problem(adapter.refusal, params={"name": table.name})
                )
            else:
                result.rows_valid = result.rows_read
            continue
        chosen = (  # a saved date order applies when the animator chose none
            replace(options, date_order=mapping.date_order)
            if mapping and not options.date_order
            else options
        )
        _load_table(cur, table, adapter, result, chosen, today, import_id)
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


def _load_table(
    cur: Any,
    table: RawTable,
    adapter: Adapter,
    result: TableResult,
    options: ImportOptions,
    today: date,
    import_id: int,
) -> None:
    if adapter.extra is not None:  # values read from the title or the preamble
        adapter = adapter.with_defaults(adapter.extra(table))
    columns = adapter.column_index(table.header)
    order, ambiguous = choose_date_order(adapter, table, columns, options.date_order)
    result.date_order, result.date_order_ambiguous = order, ambiguous
    decimals = choose_decimals(adapter, table, columns)
    plan = build_plan(
        adapter, table.header, decimals, DMY if order == "dmy" else MDY, today
    )
    if plan.missing:
        result.problems.append(
            Problem(
                "missing_columns",
                params={"columns": ", ".join(_first_names(adapter, plan.missing))},
            )
        )
        return
    params = {
        **plan.params,
        **_event_params(cur, adapter, options, result, import_id),
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
                result.rows_read = cur.execute("SELECT count(*) FROM stage").fetchone()[
                    0
                ]
            kept, valid = run_plan(cur, plan, params, adapter, table.header_line)
        except Exception as exc:  # DuckDB could not split a row: the transaction aborts
            raise _BulkFailed from exc
        finally:
            os.unlink(path)
        if adapter.row_filter is None:
            result.rows_read = kept
    else:
        width = max([len(table.header), *(len(r) for r in table.rows)])
        stage_rows(cur, table.rows, table.lines, width)
        kept, valid = run_plan(cur, plan, params, adapter)
    result.problems.extend(read_problems(cur, table.header))
    result.rows_valid = valid
    result.rows_skipped = result.rows_read - kept
    if result.problems and not options.load_valid_rows:
        result.counts = LoadCounts(0, 0, 0)
    else:
        _upsert(cur, adapter, result, import_id)
    drop_plan(cur)


def _upsert(cur: Any, adapter: Adapter, result: TableResult, import_id: int) -> None:
    try:
        result.counts = upsert(cur, adapter.dataset, "final", import_id)
    except Exception as exc:
        if not is_constraint_error(exc):
            raise
        # A rule of the database the rows break (an end before a start, …): the
        # transaction is aborted, so the whole file is refused with the reason.
        result.problems.append(Problem("constraint", params={"detail": str(exc)}))
        raise _Refused from exc


def _first_names(adapter: Adapter, targets: tuple[str, ...]) -> list[str]:
    return [
        next(f.columns[0] for f in adapter.fields if f.target == t) for t in targets
    ]


def _event_params(
    cur: Any,
    adapter: Adapter,
    options: ImportOptions,
    result: TableResult,
    import_id: int,
) -> dict[str, Any]:
    if not adapter.needs_event:
        return {}
    choice = options.event
    if choice is None or not (choice.event_id or (choice.title and choice.held_on)):
        result.problems.append(Problem("needs_event"))
        return {}
    if choice.event_id:
        if not cur.execute(
            "SELECT 1 FROM events WHERE event_id = ?", [choice.event_id]
        ).fetchall():
            result.problems.append(
                Problem("unknown_event", params={"id": choice.event_id})
            )
        return {"d_event_id": choice.event_id}
    event_id = (
        "EV-"
        + hashlib.sha256(f"{choice.title}|{choice.held_on}".encode()).hexdigest()[:12]
    )
    cur.execute(
        "INSERT INTO events (event_id, title, kind, held_on, import_id) SELECT"
        " ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM events WHERE event_id = ?)",
        [event_id, choice.title, choice.kind, choice.held_on, import_id, event_id],
    )
    return {"d_event_id": event_id}
