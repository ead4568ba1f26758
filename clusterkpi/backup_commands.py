"""The backup commands of the CLI: back up the whole database, restore it into a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from clusterkpi import config
from clusterkpi.backup import BackupError, Manifest, backup, restore
from clusterkpi.errors import ClusterKpiError
from clusterkpi.store import Store


def add_commands(commands: Any) -> None:
    """Register ``backup`` and ``restore`` on the CLI's subparsers."""
    save = commands.add_parser(
        "backup",
        help="export the whole database into a new folder",
        description="Export every table of the database (--db) into a new folder:"
        " DuckDB's schema and load scripts, one Parquet file per table, and a"
        " manifest with the schema version and row counts. The database is not"
        " migrated first: the backup is the file as it is.",
    )
    save.add_argument("path", type=Path, metavar="PATH", help="new backup folder")
    load = commands.add_parser(
        "restore",
        help="restore a backup into a new database file",
        description="Import a backup folder into the database file named by --db,"
        " after checking every table's row count against the manifest. The file"
        " must not exist, unless --force is given; a refused backup leaves nothing"
        " behind.",
    )
    load.add_argument("path", type=Path, metavar="PATH", help="backup folder")
    load.add_argument(
        "--force",
        action="store_true",
        help="replace the database file if it exists (stop the app first)",
    )


def run_backup(args: argparse.Namespace) -> int:
    """Back up the database; exit 1 with the reason when it is refused."""
    db = config.get_settings().db
    if not Path(db).exists():
        raise ClusterKpiError(f"{db} does not exist: there is nothing to back up.")
    store = Store(db, apply_migrations=False)
    try:
        manifest = backup(store, args.path)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"{db} backed up to {args.path}: {_summary(manifest)}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the --db file; exit 1 with the reason when it is refused."""
    db = config.get_settings().db
    try:
        manifest = restore(args.path, db, force=args.force)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{args.path} restored into {db}: {_summary(manifest)}, as backed up on"
        f" {manifest.created_at}."
    )
    return 0


def _summary(manifest: Manifest) -> str:
    return (
        f"{manifest.rows:,} rows in {len(manifest.tables)} tables,"
        f" schema version {manifest.schema_version}"
    )
