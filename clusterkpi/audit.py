"""The audit log: who did what and when, written inside the transaction of the change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from clusterkpi.store import Cursor, Store

# A detail key that could carry a secret is refused outright: the audit log is shown
# to admins and copied with the database, so no password may ever reach it.
_SECRET_WORDS = ("password", "passwd", "secret", "token", "hash")


class AuditAction(StrEnum):
    """Every action the audit log records (``action`` column)."""

    LOGIN_OK = "login.ok"
    LOGIN_FAILED = "login.failed"
    LOGIN_LOCKED = "login.locked"  # the failure that locked the name
    USER_ADDED = "user.added"
    USER_REMOVED = "user.removed"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    IMPORT_LOADED = "import.loaded"
    IMPORT_UNDONE = "import.undone"
    STRATEGY_SAVED = "strategy.saved"
    SNAPSHOT_CREATED = "snapshot.created"
    SNAPSHOT_APPROVED = "snapshot.approved"
    SNAPSHOT_CHANGES_REQUESTED = "snapshot.changes_requested"


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log."""

    audit_id: int
    at: datetime
    username: str  # who acted
    action: str  # an AuditAction value
    target: str  # what the action was done to (a user, a file, a quarter…)
    detail: dict[str, Any] | None


def record(
    cur: Cursor,
    username: str,
    action: AuditAction,
    target: str,
    detail: dict[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Append one audit row through ``cur``, inside the caller's transaction.

    Called in the same transaction as the change it records, so that the change and
    its trace are committed (or rolled back) together. ``at`` defaults to the
    transaction's time. Raises ValueError for a detail key that names a secret.

    Example::

        with store.transaction() as cur:
            ...  # the change
            record(cur, user, AuditAction.SNAPSHOT_CREATED, "2026Q3", {"kpis": 30})
    """
    secret = [k for k in detail or {} if any(w in k.lower() for w in _SECRET_WORDS)]
    if secret:
        raise ValueError(f"audit detail may not hold secrets: {secret}")
    text = (
        None
        if detail is None
        else json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    )
    cur.execute(
        "INSERT INTO audit_log (logged_at, username, action, target, detail)"
        " VALUES (coalesce(?, current_timestamp::TIMESTAMP), ?, ?, ?, ?)",
        [at, username, AuditAction(action).value, target, text],
    )


def audit_entries(
    store: Store, limit: int = 500, action: AuditAction | None = None
) -> list[AuditEntry]:
    """Return the newest audit entries first, at most ``limit``, optionally of one action."""
    where, params = ("WHERE action = ?", [str(action)]) if action else ("", [])
    rows = store.rows(
        "SELECT audit_id, logged_at, username, action, target, detail FROM audit_log"
        f" {where} ORDER BY audit_id DESC LIMIT ?",
        [*params, int(limit)],
    )
    return [
        AuditEntry(
            audit_id,
            at,
            username,
            action,
            target,
            None if text is None else json.loads(text),
        )
        for audit_id, at, username, action, target, text in rows
    ]
