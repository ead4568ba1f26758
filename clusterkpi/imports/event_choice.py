"""The event an attendee export is attached to: chosen by the animator, or created."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.report import Problem, TableResult
from clusterkpi.store import Cursor


@dataclass(frozen=True)
class EventChoice:
    """The event an attendee export is attached to: an existing id, or a new event."""

    event_id: str | None = None
    title: str | None = None
    held_on: date | None = None
    kind: str = "workshop"


def event_params(
    cur: Cursor,
    adapter: Adapter,
    choice: EventChoice | None,
    result: TableResult,
    import_id: int,
) -> dict[str, Any]:
    """Return the event parameter of an attendee table, creating a new event if asked.

    Adds a problem to ``result`` when no event is chosen or the chosen one is unknown.
    """
    if not adapter.needs_event:
        return {}
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
