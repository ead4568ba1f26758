"""The DuckDB store: the only module that imports duckdb (connections, migrations, queries)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from clusterkpi.errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Nothing may be downloaded at run time: fail fast instead of trying extensions.duckdb.org.
_OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

Params = Sequence[Any] | dict[str, Any] | None


class Cursor(Protocol):
    """A store cursor as the other modules use it (a DuckDB connection, typed).

    ``execute`` returns the cursor itself, whose ``fetchone`` is None past the last
    row: callers say what an absent row means.
    """

    def execute(self, query: str, parameters: object = None) -> Cursor:
        """Run one statement with its parameters."""
        ...

    def executemany(self, query: str, parameters: object = None) -> Cursor:
        """Run one statement once per parameter set."""
        ...

    def fetchone(self) -> tuple[Any, ...] | None:
        """Return the next row of the last result, or None."""
        ...

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Return the remaining rows of the last result."""
        ...

    def df(self) -> pd.DataFrame:
        """Return the last result as a DataFrame."""
        ...

    def complete(self) -> None:
        """Finish the pending result (DuckDB refuses register() while one is unread)."""
        ...

    def register(self, view_name: str, python_object: object) -> Cursor:
        """Expose a DataFrame to SQL under a view name."""
        ...

    def unregister(self, view_name: str) -> Cursor:
        """Drop a view registered by :meth:`register`."""
        ...


def single_row(cur: Cursor, sql: str, params: object = None) -> tuple[Any, ...]:
    """Return the one row a statement always gives (an aggregate, a RETURNING)."""
    row = cur.execute(sql, params).fetchone()
    if row is None:  # a broken invariant, not a user's mistake
        raise StoreError(f"Expected one row, got none from: {sql}")
    return row


def migrations() -> list[tuple[int, str, str]]:
    """Return the schema migrations as (version, name, sql), in version order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:4])
        found.append((version, path.stem[5:], path.read_text(encoding="utf-8")))
    return found


class Store:
    """One DuckDB database: a root connection, and a fresh cursor for every use.

    DuckDB connections are not thread-safe while Streamlit runs each session in its
    own thread, so queries never run on the root connection itself.
    """

    def __init__(self, path: Path | str, *, apply_migrations: bool = True) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        # Natural keys are kept unique by the importer's upsert, not by indexes
        # (schema 4): write transactions of this process run one at a time.
        self._writes = threading.RLock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # The database and the write-ahead log DuckDB recreates at every checkpoint
            # hold member data: files this process creates are its owner's only.
            os.umask(os.umask(0o077) | 0o077)
            if Path(self.path).exists():
                os.chmod(self.path, 0o600)
        try:
            self._root = duckdb.connect(self.path, config=dict(_OFFLINE))
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"The database {self.path} is in use by another process (the app"
                    " is probably running): stop it, or use the app's pages instead."
                ) from exc
            raise StoreError(f"Cannot open the database {self.path}: {exc}") from exc
        if apply_migrations:  # off only to read or restore a file exactly as it is
            self.migrate()

    def close(self) -> None:
        """Close the root connection (and with it the database file)."""
        self._root.close()

    @contextmanager
    def cursor(self) -> Iterator[Cursor]:
        """Yield a new connection to the same database, closed on exit."""
        with self._lock:
            cur = self._root.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """Yield a cursor inside one transaction: committed on success, else rolled back.

        Transactions are serialised within the process; another process cannot open
        the file while this one holds it.
        """
        with self._writes, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run one read query and return its rows as a DataFrame."""
        with self.cursor() as cur:
            return cur.execute(sql, params).df()

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run one query and return its rows as tuples."""
        with self.cursor() as cur:
            return cur.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Params = None) -> Any:
        """Run one query and return the first column of its first row (None if empty)."""
        row = self.rows(sql, params)
        return row[0][0] if row else None

    def execute(self, sql: str, params: Params = None) -> None:
        """Run one statement in its own transaction."""
        with self.cursor() as cur:
            cur.execute(sql, params)

    def schema_version(self) -> int:
        """Return the highest applied migration version (0 for an empty database)."""
        return int(self.scalar("SELECT coalesce(max(version), 0) FROM schema_version"))

    def migrate(self) -> list[int]:
        """Apply pending migrations, each in its own transaction; return the versions applied.

        Before the first pending migration runs on a file that already holds tables,
        the whole database is exported (``clusterkpi.backup``) to the folder
        ``backups/<file stem>-before-v<N>-<timestamp>`` beside the file, N being the
        first version about to be applied; ``python -m clusterkpi restore`` brings it
        back. No backup for ':memory:' nor for a brand-new empty file. A backup that
        fails stops the migration (StoreError).
        """
        has_tables = bool(self.table_names())
        with self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                " name VARCHAR NOT NULL, applied_at TIMESTAMP DEFAULT current_timestamp)"
            )
        done = {row[0] for row in self.rows("SELECT version FROM schema_version")}
        # Every missing version is applied, not only those above the highest: a
        # migration merged late (numbered below one already run) still runs.
        pending = [m for m in migrations() if m[0] not in done]
        if pending and has_tables and self.path != ":memory:":
            # Imported here: the backup module builds on this one.
            from clusterkpi.backup import backup_before_migration

            backup_before_migration(self, pending[0][0])
        applied = []
        for version, name, sql in pending:
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute(
                    "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                    [version, name],
                )
            applied.append(version)
        return applied

    def export_to(self, directory: Path) -> tuple[int, dict[str, int]]:
        """Export the whole database (schema, then Parquet per table) into ``directory``.

        Returns the schema version and the row count of every table, read in the same
        transaction as the export, so they describe exactly what was written.
        """
        target = str(directory).replace("'", "''")  # EXPORT takes no parameter
        with self._writes, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                counts = self._row_counts(cur)
                version = single_row(
                    cur, "SELECT coalesce(max(version), 0) FROM schema_version"
                )[0]
                cur.execute(
                    f"EXPORT DATABASE '{target}' (FORMAT parquet, COMPRESSION zstd)"
                )
            except duckdb.Error as exc:
                raise StoreError(f"Cannot export the database: {exc}") from exc
            finally:
                cur.execute("ROLLBACK")  # the export changed nothing
        return int(version), counts

    def import_from(self, directory: Path) -> dict[str, int]:
        """Load an exported database into this (empty) one; return its row counts."""
        source = str(directory).replace("'", "''")  # IMPORT takes no parameter
        with self._writes, self.cursor() as cur:
            try:
                cur.execute(f"IMPORT DATABASE '{source}'")
            except duckdb.Error as exc:
                raise StoreError(str(exc).splitlines()[0]) from exc
            return self._row_counts(cur)

    def row_counts(self) -> dict[str, int]:
        """Return the row count of every base table of the main schema."""
        with self.cursor() as cur:
            return self._row_counts(cur)

    def _row_counts(self, cur: Cursor) -> dict[str, int]:
        names = cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return {
            name: single_row(cur, f'SELECT count(*) FROM "{name}"')[0]
            for (name,) in names
        }

    def table_names(self) -> list[str]:
        """Return the names of the base tables in the main schema."""
        return [
            r[0]
            for r in self.rows(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
                " ORDER BY table_name"
            )
        ]

    def columns(self, table: str) -> list[str]:
        """Return the column names of one table, in order."""
        return [
            r[0]
            for r in self.rows(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                [table],
            )
        ]

    def data_version(self) -> str:
        """Return a token that changes whenever data or strategy change (cache key)."""
        row = self.rows(
            "SELECT (SELECT count(*) FILTER (WHERE status = 'loaded') FROM imports),"
            " (SELECT max(import_id) FROM imports),"
            " (SELECT max(updated_at) FROM kpi_targets),"
            " (SELECT max(updated_at) FROM positioning),"
            " (SELECT string_agg(target_date::VARCHAR, ',' ORDER BY horizon) FROM horizons),"
            " (SELECT count(*) FROM observations)"
        )[0]
        return "|".join("" if v is None else str(v) for v in row)


def append_frame(cur: Cursor, table: str, frame: pd.DataFrame) -> int:
    """Insert a DataFrame's rows into ``table`` (columns matched by name); return the count.

    ``table`` must come from code, never from user input.
    """
    if frame.empty:
        return 0
    cur.register("_incoming", frame)
    try:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _incoming")
    finally:
        cur.unregister("_incoming")
    return len(frame)


def is_constraint_error(exc: BaseException) -> bool:
    """Tell whether an exception is a DuckDB constraint violation."""
    return isinstance(exc, duckdb.ConstraintException)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame to a Parquet file with DuckDB's built-in writer.

    A private in-memory database does the work, so an export never touches (or waits
    for) the application's database file, and nothing is downloaded.
    """
    con = duckdb.connect(":memory:", config=dict(_OFFLINE))
    try:
        con.register("_frame", frame)
        # COPY takes no parameter for its target: quote the path as a SQL literal.
        target = str(path).replace("'", "''")
        con.execute(f"COPY _frame TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
