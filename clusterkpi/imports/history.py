"""Read side of the import history: past imports and the events an attendee list may join."""

from __future__ import annotations

import pandas as pd

from clusterkpi.store import Store


def import_history(store: Store, limit: int = 200) -> pd.DataFrame:
    """Return the latest imports, newest first."""
    return store.query(
        "SELECT import_id, imported_at, imported_by, file_name, source, rows_added,"
        " rows_updated, rows_rejected, status, undone_at FROM imports"
        " ORDER BY import_id DESC LIMIT ?",
        [limit],
    )


def undoable_imports(store: Store) -> list[tuple[int, str]]:
    """Return (id, file name) of imports that can still be undone, newest first."""
    return [
        (r[0], r[1])
        for r in store.rows(
            "SELECT import_id, file_name FROM imports WHERE status = 'loaded' AND source <> 'demo'"
            " ORDER BY import_id DESC"
        )
    ]


def events_for_attendance(store: Store) -> list[tuple[str, str]]:
    """Return (event id, 'date — title') of known events, newest first."""
    return [
        (r[0], f"{r[1]} — {r[2]}")
        for r in store.rows(
            "SELECT event_id, held_on, title FROM events ORDER BY held_on DESC, title LIMIT 500"
        )
    ]
