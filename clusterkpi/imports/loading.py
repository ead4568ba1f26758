"""Loading parsed rows into a canonical table: staging, upsert with history, undo."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterkpi.audit import AuditAction, record
from clusterkpi.store import Cursor, Store, single_row

# Canonical tables an import may write, with their natural keys (primary keys).
KEYS: dict[str, tuple[str, ...]] = {
    "members": ("member_id",),
    "events": ("event_id",),
    "attendance": ("event_id", "attendee_key"),
    "email_campaigns": ("campaign_id",),
    "web_traffic": ("day", "day_end", "site"),  # day_end: see migration 0008
    "social_daily": ("day", "network"),
    "press_mentions": ("mention_id",),
    "projects": ("project_id",),
    "project_members": ("project_id", "member_id"),
    "survey_responses": ("response_id",),
    "interactions": ("interaction_id",),
    "materials": ("material_id",),
    "partnerships": ("partnership_id",),
    "observations": ("kpi_id", "period_start", "period_end"),
    "contacts": ("contact_key", "list_name"),
    "organisations": ("organisation_id",),
}
# Daily metric rows are assembled from several exports (one file per metric): a column
# a file does not carry keeps its stored value instead of being emptied.
MERGED = frozenset({"social_daily", "web_traffic"})


@dataclass(frozen=True)
class LoadCounts:
    """What a load did to one table."""

    added: int
    updated: int
    unchanged: int


def stage_rows(
    cur: Cursor, rows: list[tuple[str, ...]], lines: list[int], width: int
) -> None:
    """Create the TEMP table ``stage`` (_line, c0 … c<width-1>) from text rows."""
    padded = [tuple(r[:width]) + ("",) * (width - len(r)) for r in rows]
    frame = pd.DataFrame(padded, columns=[f"c{i}" for i in range(width)], dtype="str")
    frame.insert(0, "_line", pd.Series(lines, dtype="int64"))
    cur.register("_staged", frame)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE stage AS SELECT * FROM _staged")
    finally:
        cur.unregister("_staged")


def table_columns(cur: Cursor, table: str) -> list[str]:
    """Return a canonical table's columns, without import_id."""
    rows = cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main'"
        " AND table_name = ? AND column_name <> 'import_id' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def upsert(cur: Cursor, table: str, source: str, import_id: int) -> LoadCounts:
    """Write the rows of relation ``source`` into ``table`` by natural key.

    Rows identical to the stored ones are left alone; changed rows are replaced and
    their previous version kept in ``<table>_history`` so that undo can restore it.
    ``table`` and ``source`` are names written in code, never user input.
    """
    keys = KEYS[table]
    columns = table_columns(cur, table)
    cols = ", ".join(columns)
    on = " AND ".join(f"t.{k} = c.{k}" for k in keys)
    total = single_row(cur, f"SELECT count(*) FROM {source}")[0]
    empty = single_row(cur, f"SELECT NOT EXISTS (SELECT 1 FROM {table})")[0]
    if empty:  # a first load: every row is new, nothing to compare or keep
        cur.execute(
            f"INSERT INTO {table} ({cols}, import_id) SELECT {cols}, ? FROM {source}",
            [import_id],
        )
        return LoadCounts(added=total, updated=0, unchanged=0)
    incoming = _merged(source, table, columns, keys) if table in MERGED else source
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _changed AS SELECT {cols} FROM {incoming}"
        f" EXCEPT SELECT {cols} FROM {table}"
    )
    # DuckDB answers an INSERT with one row: the count of rows inserted.
    updated = single_row(
        cur,
        f"INSERT INTO {table}_history BY NAME SELECT t.*, ? AS superseded_by"
        f" FROM {table} AS t WHERE EXISTS (SELECT 1 FROM _changed AS c WHERE {on})",
        [import_id],
    )[0]
    cur.execute(
        f"DELETE FROM {table} AS t WHERE EXISTS (SELECT 1 FROM _changed AS c"
        f" WHERE {on})"
    )
    cur.execute(
        f"INSERT INTO {table} ({cols}, import_id) SELECT {cols}, ? FROM _changed",
        [import_id],
    )
    changed = single_row(cur, "SELECT count(*) FROM _changed")[0]
    return LoadCounts(
        added=changed - updated, updated=updated, unchanged=total - changed
    )


def _merged(source: str, table: str, columns: list[str], keys: tuple[str, ...]) -> str:
    picks = ", ".join(
        f"s.{c}" if c in keys else f"coalesce(s.{c}, t.{c}) AS {c}" for c in columns
    )
    using = ", ".join(keys)
    return f"(SELECT {picks} FROM {source} AS s LEFT JOIN {table} AS t USING ({using}))"


def undo_import(store: Store, import_id: int, user: str) -> dict[str, int]:
    """Remove an import's rows and restore the versions it replaced; return rows removed.

    Raises KeyError when no loaded import has this id.
    """
    with store.transaction() as cur:
        row = cur.execute(
            "SELECT status, file_name FROM imports WHERE import_id = ?", [import_id]
        ).fetchone()
        if row is None or row[0] != "loaded":
            raise KeyError(import_id)
        removed = {}
        for table in KEYS:
            count = single_row(
                cur, f"SELECT count(*) FROM {table} WHERE import_id = ?", [import_id]
            )[0]
            cur.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])
            on = " AND ".join(f"t.{k} = h.{k}" for k in KEYS[table])
            # A later import may have replaced the same row since: its version stays.
            cur.execute(
                f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (superseded_by)"
                f" FROM {table}_history AS h WHERE superseded_by = ? AND import_id <> ?"
                f" AND NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {on})",
                [import_id, import_id],
            )
            cur.execute(
                f"DELETE FROM {table}_history WHERE superseded_by = ? OR import_id = ?",
                [import_id, import_id],
            )
            if count:
                removed[table] = count
        cur.execute(
            "UPDATE imports SET status = 'undone', undone_at = current_timestamp,"
            " undone_by = ? WHERE import_id = ?",
            [user, import_id],
        )
        detail = {"import_id": import_id, "rows_removed": sum(removed.values())}
        record(cur, user, AuditAction.IMPORT_UNDONE, row[1], detail)
    return removed
