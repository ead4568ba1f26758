"""Load the tiny fixture cluster (tests/data/fixture/*.csv) into a Store."""

from __future__ import annotations

import csv
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

from clusterkpi.store import Store

FIXTURE_DIR = Path(__file__).resolve().parent / "data" / "fixture"
# The fixture's one import: its date ends what every source speaks for (2026-06-30).
IMPORTED_AT = datetime(2026, 6, 30, 18, 0)

# Every column is typed explicitly: identifiers stay text ('0001' keeps its zeros).
TABLES: dict[str, dict[str, str]] = {
    "members": {
        "member_id": "VARCHAR",
        "name": "VARCHAR",
        "member_type": "VARCHAR",
        "country": "VARCHAR",
        "region": "VARCHAR",
        "sector": "VARCHAR",
        "joined_on": "DATE",
        "left_on": "DATE",
    },
    "events": {
        "event_id": "VARCHAR",
        "title": "VARCHAR",
        "kind": "VARCHAR",
        "held_on": "DATE",
    },
    "attendance": {
        "event_id": "VARCHAR",
        "attendee_key": "VARCHAR",
        "member_id": "VARCHAR",
        "organisation": "VARCHAR",
        "is_member": "BOOLEAN",
        "registered": "BOOLEAN",
        "attended": "BOOLEAN",
    },
    "email_campaigns": {
        "campaign_id": "VARCHAR",
        "title": "VARCHAR",
        "audience": "VARCHAR",
        "sent_at": "TIMESTAMP",
        "recipients": "BIGINT",
        "delivered": "BIGINT",
        "unique_opens": "BIGINT",
        "unique_clicks": "BIGINT",
        "unsubscribes": "BIGINT",
        "bounces": "BIGINT",
    },
    "web_traffic": {
        "day": "DATE",
        "site": "VARCHAR",
        "sessions": "BIGINT",
        "engaged_sessions": "BIGINT",
        "users": "BIGINT",
        "pageviews": "BIGINT",
    },
    "social_daily": {
        "day": "DATE",
        "network": "VARCHAR",
        "followers": "BIGINT",
        "new_followers": "BIGINT",
        "impressions": "BIGINT",
        "engagements": "BIGINT",
        "posts": "BIGINT",
    },
    "press_mentions": {
        "mention_id": "VARCHAR",
        "published_on": "DATE",
        "outlet": "VARCHAR",
        "title": "VARCHAR",
        "tone": "VARCHAR",
        "reach": "BIGINT",
        "media_partner": "BOOLEAN",
    },
    "projects": {
        "project_id": "VARCHAR",
        "title": "VARCHAR",
        "kind": "VARCHAR",
        "launched_on": "DATE",
        "ended_on": "DATE",
    },
    "project_members": {
        "project_id": "VARCHAR",
        "member_id": "VARCHAR",
        "role": "VARCHAR",
    },
    "survey_responses": {
        "response_id": "VARCHAR",
        "survey": "VARCHAR",
        "submitted_on": "DATE",
        "respondent_kind": "VARCHAR",
        "member_id": "VARCHAR",
        "nps_score": "INTEGER",
        "vision_agreement": "INTEGER",
    },
    "interactions": {
        "interaction_id": "VARCHAR",
        "occurred_on": "DATE",
        "kind": "VARCHAR",
        "organisation": "VARCHAR",
        "is_target": "BOOLEAN",
    },
    "materials": {
        "material_id": "VARCHAR",
        "produced_on": "DATE",
        "kind": "VARCHAR",
        "title": "VARCHAR",
        "co_produced": "BOOLEAN",
    },
    "partnerships": {
        "partnership_id": "VARCHAR",
        "partner_name": "VARCHAR",
        "kind": "VARCHAR",
        "signed_on": "DATE",
        "ended_on": "DATE",
    },
}


def load_fixture(store: Store, skip: Collection[str] = ()) -> int:
    """Load the fixture tables but ``skip`` as one 'fixture' import; return its id."""
    with store.transaction() as cur:
        import_id = cur.execute(
            "INSERT INTO imports (source, file_name, imported_at, imported_by)"
            " VALUES ('fixture', 'tests/data/fixture', ?, 'tests') RETURNING import_id",
            [IMPORTED_AT],
        ).fetchone()[0]
        added = 0
        for table, columns in TABLES.items():
            if table not in skip:
                added += _load_table(cur, table, columns, import_id)
        cur.execute(
            "UPDATE imports SET rows_added = ? WHERE import_id = ?", [added, import_id]
        )
    return import_id


def _load_table(cur: Any, table: str, columns: dict[str, str], import_id: int) -> int:
    path = FIXTURE_DIR / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    if header != list(columns):
        raise ValueError(f"{path.name}: header {header} differs from {list(columns)}")
    names = ", ".join(columns)
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    cur.execute(
        f"INSERT INTO {table} ({names}, import_id) SELECT {names}, ?"
        f" FROM read_csv(?, header = true, auto_detect = false, columns = {{{types}}})",
        [import_id, str(path)],
    )
    return cur.execute(
        f"SELECT count(*) FROM {table} WHERE import_id = ?", [import_id]
    ).fetchone()[0]
