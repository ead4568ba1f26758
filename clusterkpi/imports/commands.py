"""The import commands of the CLI: import, imports (history) and undo."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from clusterkpi import config
from clusterkpi.errors import ClusterKpiError
from clusterkpi.i18n import t
from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.importer import EventChoice, ImportOptions, import_file
from clusterkpi.imports.loading import undo_import
from clusterkpi.imports.mapping import (
    ColumnMapping,
    find_mapping,
    missing_columns,
    read_sample,
)
from clusterkpi.imports.report import ImportReport, accounting
from clusterkpi.store import Store


def add_commands(commands: Any) -> None:
    """Register import, imports and undo on the CLI's subparsers."""
    imp = commands.add_parser(
        "import",
        help="import exported files (CSV, Excel, ZIP)",
        description="Import files exported from the cluster's tools; "
        "a file is loaded whole or not at all.",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    how = imp.add_mutually_exclusive_group()  # a forced source ignores mappings
    how.add_argument(
        "--source", choices=sorted(ADAPTERS), help="force the source format"
    )
    how.add_argument(
        "--mapping",
        metavar="NAME",
        help="read the files with this saved column mapping (see: mappings list)",
    )
    imp.add_argument("--dry-run", action="store_true", help="check only, load nothing")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.add_argument(
        "--load-valid",
        action="store_true",
        help="load the valid rows even when some rows are refused",
    )
    imp.add_argument(
        "--date-order",
        choices=["dmy", "mdy"],
        help="day/month order for files where it is ambiguous",
    )
    imp.add_argument(
        "--event-id", help="attach an attendee list to this existing event"
    )
    imp.add_argument(
        "--event-title", help="attach an attendee list to a new event: title"
    )
    imp.add_argument(
        "--event-date", type=date.fromisoformat, help="… and its date (YYYY-MM-DD)"
    )
    imp.add_argument("--event-kind", default="workshop", help="… and its kind")
    imp.add_argument(
        "--surveys",
        action="append",
        metavar="NAME",
        help="only these surveys of a survey export count (repeatable; remembered"
        " for files of the same shape; --surveys '' forgets the choice)",
    )
    imp.add_argument(
        "--lang", choices=["fr", "en"], default="fr", help="report language"
    )
    imp.add_argument(
        "--user", default="cli", help="who imports (recorded in the history)"
    )
    history = commands.add_parser(
        "imports",
        help="list the import history",
        description="List every import, newest first.",
    )
    history.add_argument("--json", action="store_true", help="print JSON")
    undo = commands.add_parser(
        "undo",
        help="undo an import",
        description="Remove the rows an import brought and restore "
        "the rows it replaced.",
    )
    undo.add_argument("import_id", type=int, metavar="IMPORT_ID")
    undo.add_argument("--user", default="cli", help="who undoes (recorded)")


def run_import(args: argparse.Namespace) -> int:
    """Import each file; exit 0 when every file loaded (or would), 1 otherwise."""
    store = Store(config.get_settings().db)
    event = _event_choice(args)
    files = [(path, _read(path)) for path in args.files]
    mapping = None
    if args.mapping:  # checked on every file before any is imported
        mapping = _named_mapping(store, args.mapping, files, args.lang)
        if mapping is None:
            return 1
    options = ImportOptions(
        source=args.source,
        mapping=mapping,
        date_order=args.date_order,
        load_valid_rows=args.load_valid,
        dry_run=args.dry_run,
        event=event,
        user=args.user,
        lang=args.lang,
        surveys=None
        if args.surveys is None
        else tuple(name for name in args.surveys if name),
    )
    reports = []
    for path, raw in files:
        reports.append(import_file(store, path.name, raw, options, config.today()))
    if args.json:
        print(
            json.dumps(
                [r.to_dict(args.lang) for r in reports],
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    else:
        for report in reports:
            print(render_text(report, args.lang))
    good = {"loaded", "checked", "duplicate"}
    return 0 if all(r.status in good for r in reports) else 1


def _event_choice(args: argparse.Namespace) -> EventChoice | None:
    if not (args.event_id or args.event_title):
        return None
    return EventChoice(
        event_id=args.event_id,
        title=args.event_title,
        held_on=args.event_date,
        kind=args.event_kind,
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ClusterKpiError(f"{path}: {exc.strerror}") from exc


def _named_mapping(
    store: Store, name: str, files: list[tuple[Path, bytes]], lang: str
) -> ColumnMapping | None:
    """Return the saved mapping ``name`` if every file has its columns, else say why."""
    saved = find_mapping(store, name)
    if saved is None:
        print(t("colmap.cli.unknown", lang, name=name), file=sys.stderr)
        return None
    for path, raw in files:
        missing = _missing_for(saved.mapping, path.name, raw)
        if missing:
            print(
                t(
                    "colmap.cli.missing",
                    lang,
                    file=path.name,
                    name=saved.name,
                    columns=", ".join(missing),
                ),
                file=sys.stderr,
            )
            return None
    return saved.mapping


def _missing_for(mapping: ColumnMapping, name: str, raw: bytes) -> list[str]:
    """Return the mapped columns the file lacks (those of its closest table)."""
    try:
        tables = read_sample(name, raw)
    except Exception:  # noqa: BLE001 - the import itself refuses it, with its reason
        return []
    gaps = [
        list(missing_columns(mapping.columns, tab.header).values()) for tab in tables
    ]
    return min(gaps, key=len) if gaps else list(mapping.columns.values())


def render_text(report: ImportReport, lang: str) -> str:
    """Return a plain-text report of one file."""
    lines = [
        t(
            "import.text.head_checked"
            if report.status == "checked"
            else "import.text.head",
            lang,
            file=report.file_name,
            status=t(f"import.status.{report.status}", lang),
            added=report.rows_added,
            updated=report.rows_updated,
            rejected=report.rows_rejected,
        )
    ]
    for table in report.tables:
        label = (
            ADAPTERS[table.source].display_label(lang)
            if table.source in ADAPTERS
            else table.source or "?"
        )
        lines.append(
            t(
                "import.text.table",
                lang,
                name=table.name,
                source=label,
                read=table.rows_read,
                valid=table.rows_valid,
            )
        )
        lines.append(f"    {accounting(table, lang)}")
        if table.runner_up in ADAPTERS:
            runner_up = ADAPTERS[table.runner_up].display_label(lang)
            lines.append(f"    {t('upload.runner_up', lang, source=runner_up)}")
        lines += [f"    ! {w.message(lang)}" for w in table.warnings]
    for name, problem in report.problems:
        where = ", ".join(
            str(x) for x in (problem.line, problem.column) if x is not None
        )
        value = f" « {problem.value} »" if problem.value is not None else ""
        lines.append(
            f"  - {name}{' (' + where + ')' if where else ''}{value}: "
            f"{problem.message(lang)}"
        )
    return "\n".join(lines)


def run_history(args: argparse.Namespace) -> int:
    """Print the import history."""
    store = Store(config.get_settings().db)
    rows = store.query(
        "SELECT import_id, imported_at, imported_by, file_name, source, rows_added,"
        " rows_updated, rows_rejected, status FROM imports ORDER BY import_id DESC"
    )
    if args.json:
        print(rows.to_json(orient="records", date_format="iso", force_ascii=False))
    else:
        print(rows.to_string(index=False))
    return 0


def run_undo(args: argparse.Namespace) -> int:
    """Undo one import."""
    store = Store(config.get_settings().db)
    try:
        removed = undo_import(store, args.import_id, args.user)
    except KeyError:
        raise ClusterKpiError(
            f"import {args.import_id} does not exist or was already undone."
        ) from None
    print(f"import {args.import_id} undone: {sum(removed.values())} rows removed.")
    return 0
