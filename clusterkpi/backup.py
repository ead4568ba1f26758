"""Whole-database backups: export to a folder with a manifest, restore into a new file."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from clusterkpi import __version__
from clusterkpi.errors import ClusterKpiError, StoreError
from clusterkpi.store import Store, migrations

MANIFEST = "manifest.json"
# What DuckDB's EXPORT DATABASE writes besides one Parquet file per table.
EXPORT_FILES = ("schema.sql", "load.sql")


class BackupError(ClusterKpiError):
    """A backup cannot be written or restored (the message says why)."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: written last, so a backup without it is incomplete."""

    schema_version: int
    tables: dict[str, int]  # row count per table
    created_at: str
    clusterkpi_version: str
    database: str

    @property
    def rows(self) -> int:
        """Return the number of rows over every table."""
        return sum(self.tables.values())


def backup(store: Store, path: Path) -> Manifest:
    """Export the whole database into the new folder ``path``; return its manifest.

    The export goes to a hidden sibling folder, renamed to ``path`` once complete, so
    a folder named ``path`` is never a half-written backup.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} already exists: choose a new folder for the backup.")
    partial = path.parent / f".{path.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Owner-only files, like the database: opening the Store set the umask.
        version, counts = store.export_to(partial)
        manifest = Manifest(
            schema_version=version,
            tables=counts,
            created_at=datetime.now().isoformat(timespec="seconds"),
            clusterkpi_version=__version__,
            database=str(store.path),
        )
        (partial / MANIFEST).write_text(
            json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8"
        )
        if path.exists():
            path.rmdir()  # the empty folder the caller may have made
        partial.rename(path)
    except (OSError, StoreError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"The backup to {path} failed: {exc}") from exc
    return manifest


def backup_before_migration(store: Store, version: int) -> Path:
    """Back up a database about to be migrated to ``version``; return the folder.

    Called by ``Store.migrate``; the folder sits beside the database, in ``backups/``.
    """
    db = Path(store.path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = db.parent / "backups" / f"{db.stem}-before-v{version}-{stamp}"
    try:
        backup(store, folder)
    except BackupError as exc:
        raise StoreError(f"{exc} The schema was not migrated.") from exc
    return folder


def read_manifest(folder: Path) -> Manifest:
    """Return a backup's manifest; refuse a folder that is not a complete backup."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder: there is no backup there.")
    missing = [n for n in (MANIFEST, *EXPORT_FILES) if not (folder / n).is_file()]
    if missing:
        raise BackupError(
            f"{folder} is not a complete clusterkpi backup ({', '.join(missing)}"
            " missing): it was not restored."
        )
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
        if not all(isinstance(n, int) for n in manifest.tables.values()):
            raise TypeError("row counts must be integers")
    except (ValueError, TypeError, AttributeError) as exc:
        raise BackupError(
            f"{folder / MANIFEST} is damaged ({exc}): the backup was not restored."
        ) from exc
    return manifest


def restore(folder: Path, db_path: Path, force: bool = False) -> Manifest:
    """Restore a backup into a new database file ``db_path``; return its manifest.

    The backup is imported into a temporary file beside ``db_path`` and its row
    counts checked against the manifest; only then is the file renamed into place.
    An existing ``db_path`` is replaced only with ``force``. On any refusal nothing is
    left behind.
    """
    manifest = read_manifest(folder)
    latest = migrations()[-1][0]
    if manifest.schema_version > latest:
        raise BackupError(
            f"The backup has schema version {manifest.schema_version}, newer than this"
            f" clusterkpi's ({latest}): restore it with a newer clusterkpi."
        )
    db_path = Path(db_path)
    if db_path.exists() and not force:
        raise BackupError(
            f"{db_path} already exists: restore into a new file, or add --force to"
            " replace it."
        )
    temporary = db_path.parent / f".{db_path.name}.restoring-{os.getpid()}"
    _remove_database(temporary)
    try:
        _import_checked(folder, temporary, manifest)
        if db_path.exists():
            _release(db_path)
        os.replace(temporary, db_path)
    except BaseException:
        _remove_database(temporary)
        raise
    _sync_folder(db_path.parent)
    return manifest


def _import_checked(folder: Path, temporary: Path, manifest: Manifest) -> None:
    store = Store(temporary, apply_migrations=False)
    try:
        counts = store.import_from(folder)
    except StoreError as exc:
        raise BackupError(
            f"The backup {folder} is damaged and was not restored: {exc}"
        ) from exc
    finally:
        store.close()  # checkpoints: the file holds everything, no write-ahead log
    if counts != manifest.tables:
        differences = ", ".join(
            f"{table} {manifest.tables.get(table, 0)} → {counts.get(table, 0)}"
            for table in sorted({*counts, *manifest.tables})
            if counts.get(table) != manifest.tables.get(table)
        )
        raise BackupError(
            f"The backup {folder} does not hold the rows its manifest lists"
            f" ({differences}): it was not restored."
        )


def _release(db_path: Path) -> None:
    """Make sure no process holds the file being replaced and no log replays on it."""
    try:
        Store(db_path, apply_migrations=False).close()  # folds its log into the file
    except StoreError as exc:
        if "in use" in str(exc):
            raise BackupError(str(exc)) from exc
        # A damaged file is what a restore replaces: its log must not outlive it.
    Path(f"{db_path}.wal").unlink(missing_ok=True)


def _remove_database(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
