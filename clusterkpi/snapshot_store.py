"""The SQL of quarterly snapshots: written once, read back, approval recorded once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from clusterkpi.catalog import ObjectiveGroup
from clusterkpi.progress import Status, Thresholds
from clusterkpi.snapshot_model import (
    FrozenHorizon,
    FrozenKpi,
    FrozenObjective,
    ReviewKind,
    Snapshot,
    SnapshotReview,
)
from clusterkpi.store import Cursor, Store, single_row
from clusterkpi.strategy import Horizon, Positioning

_HEADER = (
    "SELECT snapshot_id, quarter, as_of, created_at, created_by, catalog_version,"
    " strategy, positioning, horizon_short, horizon_medium, horizon_long,"
    " on_track_ratio, at_risk_ratio, notes, approved_at, approved_by FROM snapshots"
)


@dataclass(frozen=True)
class SnapshotSummary:
    """One line of the snapshot list: which quarter, when and by whom, approved or not."""

    snapshot_id: int
    quarter: str
    as_of: date
    created_at: datetime
    created_by: str
    catalog_version: int
    approved_at: datetime | None
    approved_by: str | None

    @property
    def approved(self) -> bool:
        """Tell whether the snapshot was approved."""
        return self.approved_at is not None


def write_snapshot(cur: Cursor, draft: Snapshot) -> Snapshot:
    """Insert a new snapshot inside the caller's transaction; return it as stored.

    The database gives the id and ``created_at`` (the transaction's time, the clock
    imports are dated by); the draft's own values for them are ignored.
    """
    snapshot_id, created_at = single_row(
        cur,
        "INSERT INTO snapshots (quarter, as_of, created_by, catalog_version, strategy,"
        " positioning, horizon_short, horizon_medium, horizon_long, on_track_ratio,"
        " at_risk_ratio, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING snapshot_id, created_at",
        [
            draft.quarter,
            draft.as_of,
            draft.created_by,
            draft.catalog_version,
            draft.strategy_json or None,
            draft.positioning.model_dump_json() if draft.positioning else None,
            *(draft.horizon_dates[h] for h in Horizon),
            draft.thresholds.on_track,
            draft.thresholds.at_risk,
            json.dumps(draft.notes, ensure_ascii=False),
        ],
    )
    objectives = draft.objectives
    _insert(
        cur,
        "snapshot_objectives (snapshot_id, position, objective_id, objective_group,"
        " commentary)",
        [
            (snapshot_id, i, o.objective_id, o.group.value, o.commentary)
            for i, o in enumerate(objectives)
        ],
    )
    _insert(
        cur,
        "snapshot_objective_horizons (snapshot_id, objective_id, horizon, status,"
        " progress)",
        [
            (snapshot_id, o.objective_id, h.value, o.status[h].value, o.progress[h])
            for o in objectives
            for h in Horizon
        ],
    )
    _insert(
        cur,
        "snapshot_kpis (snapshot_id, position, kpi_id, objective_id, value, previous,"
        " baseline, weight, tracked, manual, history)",
        [
            (snapshot_id, i, k.kpi_id, k.objective_id, k.value, k.previous,
             k.baseline, k.weight, k.tracked, k.manual, json.dumps(k.history))
            for i, k in enumerate(draft.kpis)
        ],
    )  # fmt: skip
    _insert(
        cur,
        "snapshot_kpi_horizons (snapshot_id, kpi_id, horizon, target, status,"
        " progress, forecast)",
        [
            (snapshot_id, k.kpi_id, h.horizon.value, h.target, h.status.value,
             h.progress, h.forecast)
            for k in draft.kpis
            for h in k.horizons
        ],
    )  # fmt: skip
    return replace(draft, snapshot_id=snapshot_id, created_at=created_at)


def _insert(cur: Cursor, target: str, rows: Sequence[tuple[Any, ...]]) -> None:
    # ``target`` (table and columns) comes from this module, never from user input.
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        cur.executemany(f"INSERT INTO {target} VALUES ({marks})", rows)


def find_summary(cur: Cursor, quarter: str) -> SnapshotSummary | None:
    """Return the summary of one quarter's snapshot through ``cur``, or None."""
    row = cur.execute(
        "SELECT snapshot_id, quarter, as_of, created_at, created_by, catalog_version,"
        " approved_at, approved_by FROM snapshots WHERE quarter = ?",
        [quarter],
    ).fetchone()
    return SnapshotSummary(*row) if row else None


def load_summaries(store: Store) -> list[SnapshotSummary]:
    """Return every snapshot's summary, latest quarter first."""
    rows = store.rows(
        "SELECT snapshot_id, quarter, as_of, created_at, created_by, catalog_version,"
        " approved_at, approved_by FROM snapshots ORDER BY as_of DESC"
    )
    return [SnapshotSummary(*row) for row in rows]


def record_approval(
    cur: Cursor, snapshot_id: int, user: str, comment: str = ""
) -> None:
    """Record the approval of a snapshot not yet approved, inside the caller's transaction.

    The audit row's primary key refuses a second approval even if a caller skipped
    the check; the header's approval columns are only ever written from NULL. The
    approval is also a review row, carrying the approver's comment ('' for none).
    """
    (approved_at,) = single_row(
        cur,
        "INSERT INTO snapshot_approvals (snapshot_id, approved_by) VALUES (?, ?)"
        " RETURNING approved_at",
        [snapshot_id, user],
    )
    cur.execute(
        "UPDATE snapshots SET approved_at = ?, approved_by = ?"
        " WHERE snapshot_id = ? AND approved_at IS NULL",
        [approved_at, user, snapshot_id],
    )
    record_review(cur, snapshot_id, ReviewKind.APPROVE, comment, user, approved_at)


def record_review(
    cur: Cursor,
    snapshot_id: int,
    kind: ReviewKind,
    comment: str,
    author: str,
    at: datetime | None = None,
) -> datetime:
    """Add one review row inside the caller's transaction; return its time.

    ``at`` defaults to the transaction's time.
    """
    reviewed_at: datetime = single_row(
        cur,
        "INSERT INTO snapshot_reviews (snapshot_id, kind, comment, author, reviewed_at)"
        " VALUES (?, ?, ?, ?, coalesce(?, current_timestamp::TIMESTAMP))"
        " RETURNING reviewed_at",
        [snapshot_id, kind.value, comment, author, at],
    )[0]
    return reviewed_at


def load_reviews(store: Store) -> dict[str, tuple[SnapshotReview, ...]]:
    """Return every snapshot's reviews by quarter, oldest first; a quarter without any is absent."""
    found: dict[str, list[SnapshotReview]] = {}
    for quarter, *review in store.rows(
        "SELECT s.quarter, r.kind, r.comment, r.author, r.reviewed_at"
        " FROM snapshot_reviews r JOIN snapshots s USING (snapshot_id)"
        " ORDER BY r.reviewed_at, r.review_id"
    ):
        found.setdefault(quarter, []).append(_review(*review))
    return {q: tuple(rows) for q, rows in found.items()}


def _review(kind: str, comment: str, author: str, at: datetime) -> SnapshotReview:
    return SnapshotReview(ReviewKind(kind), comment, author, at)


def _reviews(cur: Cursor, sid: int) -> tuple[SnapshotReview, ...]:
    rows = cur.execute(
        "SELECT kind, comment, author, reviewed_at FROM snapshot_reviews"
        " WHERE snapshot_id = ? ORDER BY reviewed_at, review_id",
        [sid],
    ).fetchall()
    return tuple(_review(*row) for row in rows)


def load_snapshot(store: Store, quarter: str) -> Snapshot | None:
    """Return the snapshot of one quarter as it was frozen, or None if there is none."""
    with store.cursor() as cur:
        head = cur.execute(f"{_HEADER} WHERE quarter = ?", [quarter]).fetchone()
        if head is None:
            return None
        sid = head[0]
        objectives = _objectives(cur, sid)
        dates = dict(zip(Horizon, head[8:11], strict=True))
        kpis = _kpis(cur, sid, dates)
        reviews = _reviews(cur, sid)
    return Snapshot(
        snapshot_id=sid,
        quarter=head[1],
        as_of=head[2],
        created_at=head[3],
        created_by=head[4],
        catalog_version=head[5],
        positioning=Positioning.model_validate_json(head[7]) if head[7] else None,
        horizon_dates=dates,
        objectives=objectives,
        kpis=kpis,
        approved_at=head[14],
        approved_by=head[15],
        strategy_json=head[6] or "",
        notes=json.loads(head[13]),
        thresholds=Thresholds(head[11], head[12]),
        reviews=reviews,
    )


def _objectives(cur: Cursor, sid: int) -> tuple[FrozenObjective, ...]:
    standing = {
        (o, Horizon(h)): (Status(s), p)
        for o, h, s, p in cur.execute(
            "SELECT objective_id, horizon, status, progress"
            " FROM snapshot_objective_horizons WHERE snapshot_id = ?",
            [sid],
        ).fetchall()
    }
    rows = cur.execute(
        "SELECT objective_id, objective_group, commentary FROM snapshot_objectives"
        " WHERE snapshot_id = ? ORDER BY position",
        [sid],
    ).fetchall()
    return tuple(
        FrozenObjective(
            objective_id=o,
            group=ObjectiveGroup(group),
            status={h: standing[o, h][0] for h in Horizon},
            progress={h: standing[o, h][1] for h in Horizon},
            commentary=commentary,
        )
        for o, group, commentary in rows
    )


def _kpis(cur: Cursor, sid: int, dates: dict[Horizon, date]) -> tuple[FrozenKpi, ...]:
    standing: dict[str, list[FrozenHorizon]] = {}
    for kpi_id, h, target, status, progress, trend in cur.execute(
        "SELECT kpi_id, horizon, target, status, progress, forecast"
        " FROM snapshot_kpi_horizons WHERE snapshot_id = ?",
        [sid],
    ).fetchall():
        horizon = Horizon(h)
        standing.setdefault(kpi_id, []).append(
            FrozenHorizon(
                horizon, dates[horizon], target, Status(status), progress, trend
            )
        )
    order = list(Horizon)
    rows = cur.execute(
        "SELECT kpi_id, objective_id, value, previous, baseline, weight, tracked,"
        " manual, history FROM snapshot_kpis WHERE snapshot_id = ? ORDER BY position",
        [sid],
    ).fetchall()
    return tuple(
        FrozenKpi(
            kpi_id,
            objective_id,
            value,
            previous,
            baseline,
            weight,
            tracked,
            manual,
            horizons=tuple(
                sorted(standing[kpi_id], key=lambda f: order.index(f.horizon))
            ),
            history=tuple((q, v) for q, v in json.loads(history)),
        )
        for (
            kpi_id,
            objective_id,
            value,
            previous,
            baseline,
            weight,
            tracked,
            manual,
            history,
        ) in rows
    )
