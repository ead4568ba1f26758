"""Quarterly board snapshots: freeze a quarter, read it, review it, show restatements."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from clusterkpi.audit import AuditAction, record
from clusterkpi.catalog import Catalog
from clusterkpi.errors import PeriodError, SnapshotError
from clusterkpi.lineage import feeding_imports
from clusterkpi.periods import Grain, Period, parse_period
from clusterkpi.progress import DEFAULT_THRESHOLDS, Status, Thresholds
from clusterkpi.scorecard import history
from clusterkpi.snapshot_freeze import freeze
from clusterkpi.snapshot_model import Restatement, ReviewKind, Snapshot, SnapshotReview
from clusterkpi.snapshot_store import (
    SnapshotSummary,
    find_summary,
    load_reviews,
    load_snapshot,
    load_summaries,
    record_approval,
    record_review,
    write_snapshot,
)
from clusterkpi.store import Cursor, Store
from clusterkpi.strategy import Horizon, read_strategy

__all__ = [
    "KpiComparison",
    "SnapshotSummary",
    "approve_snapshot",
    "compare",
    "create_snapshot",
    "list_snapshots",
    "quarter_of",
    "read_snapshot",
    "request_changes",
    "restatements",
    "snapshot_reviews",
]

# Values are recomputed with the same SQL; only float noise may differ.
REL_TOLERANCE = 1e-9
ABS_TOLERANCE = 1e-12
# A review comment is a paragraph for the board pack, not a document.
MAX_COMMENT = 4000


@dataclass(frozen=True)
class KpiComparison:
    """One KPI in two snapshots at one horizon; None where a snapshot lacks it."""

    kpi_id: str
    objective_id: str
    value_a: float | None
    value_b: float | None
    change: float | None  # value_b − value_a
    status_a: Status | None
    status_b: Status | None


def quarter_of(quarter: str | Period) -> Period:
    """Return the quarter a label such as '2026Q3' names; raise SnapshotError otherwise."""
    if isinstance(quarter, Period):
        period = quarter
    else:
        try:
            period = parse_period(quarter)
        except PeriodError:
            raise SnapshotError(
                f"'{quarter}' is not a quarter: write it like 2026Q3."
            ) from None
    if period.grain is not Grain.QUARTER:
        raise SnapshotError(
            f"'{period.label}' is not a quarter: a snapshot freezes a whole quarter,"
            " written like 2026Q3."
        )
    return period


def create_snapshot(
    store: Store,
    catalog: Catalog,
    quarter: str | Period,
    user: str,
    commentary: Mapping[str, str] | None = None,
    *,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Snapshot:
    """Freeze a quarter that has ended: every KPI and objective at every horizon.

    Values, targets, statuses and forecasts are the scorecard's (one ``history``
    read, :func:`build_scorecard` per horizon) for the quarter, with the strategy
    stored now; ``commentary`` maps objective ids to the animator's text. Everything
    is written in one transaction. Raises SnapshotError for a label that is not a
    quarter, a quarter not over as of ``today``, a quarter already frozen, an unknown
    objective in ``commentary`` or an empty ``user``.
    """
    period = quarter_of(quarter)
    by = _user(user)
    if today < period.end:
        raise SnapshotError(
            f"{period.label} has not ended yet (its last day is"
            f" {period.last_day.isoformat()}): a quarter is frozen once it is over."
        )
    texts = _commentary(catalog, commentary or {})
    # Freezing inside the write transaction: no import can land between the values
    # read and created_at, so restatements see every import made after them.
    with store.transaction() as cur:
        existing = find_summary(cur, period.label)
        if existing is not None:
            raise SnapshotError(
                f"{period.label} is already frozen (snapshot {existing.snapshot_id},"
                f" created {existing.created_at:%Y-%m-%d %H:%M} by"
                f" {existing.created_by}): a snapshot is never changed."
            )
        strategy = read_strategy(store, today)
        draft = freeze(store, catalog, strategy, period, thresholds, by, texts)
        made = write_snapshot(cur, draft)
        record(
            cur,
            by,
            AuditAction.SNAPSHOT_CREATED,
            period.label,
            {"snapshot_id": made.snapshot_id, "kpis": len(made.kpis)},
        )
        return made


def _user(user: str) -> str:
    if not user.strip():
        raise SnapshotError("Say who you are: the user name is recorded.")
    return user.strip()


def _commentary(catalog: Catalog, commentary: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(commentary) - set(catalog.objectives))
    if unknown:
        raise SnapshotError(
            f"Commentary for {', '.join(unknown)}: no such objective. Objectives are:"
            f" {', '.join(catalog.objectives)}."
        )
    return {k: v.strip() for k, v in commentary.items()}


def list_snapshots(store: Store) -> list[SnapshotSummary]:
    """Return every snapshot's summary, latest quarter first."""
    return load_summaries(store)


def read_snapshot(store: Store, quarter: str | Period) -> Snapshot:
    """Return one quarter's snapshot as frozen; raise SnapshotError if there is none."""
    period = quarter_of(quarter)
    found = load_snapshot(store, period.label)
    if found is None:
        raise SnapshotError(f"There is no snapshot of {period.label}: freeze it first.")
    return found


def approve_snapshot(
    store: Store, quarter: str | Period, user: str, comment: str = ""
) -> Snapshot:
    """Record, once, that ``user`` approved a quarter's snapshot; return the snapshot.

    ``comment`` (optional) is kept with the approval and printed in the board pack.
    Raises SnapshotError when there is no such snapshot, it was already approved or
    the comment is longer than MAX_COMMENT characters.
    """
    period = quarter_of(quarter)
    by = _user(user)
    text = _comment(comment)
    with store.transaction() as cur:
        found = _unapproved(cur, period)
        record_approval(cur, found.snapshot_id, by, text)
        record(
            cur,
            by,
            AuditAction.SNAPSHOT_APPROVED,
            period.label,
            {"comment": text} if text else None,
        )
    return read_snapshot(store, period)


def request_changes(
    store: Store, quarter: str | Period, user: str, comment: str
) -> Snapshot:
    """Record that ``user`` asks the animators to change a snapshot before approving.

    The snapshot stays as frozen and may still be approved later. Raises
    SnapshotError when there is no such snapshot, it was already approved, or the
    comment is empty or longer than MAX_COMMENT characters.
    """
    period = quarter_of(quarter)
    by = _user(user)
    text = _comment(comment)
    if not text:
        raise SnapshotError(
            "Say what should change: a request for changes needs a comment."
        )
    with store.transaction() as cur:
        found = _unapproved(cur, period)
        record_review(cur, found.snapshot_id, ReviewKind.REQUEST_CHANGES, text, by)
        record(
            cur,
            by,
            AuditAction.SNAPSHOT_CHANGES_REQUESTED,
            period.label,
            {"comment": text},
        )
    return read_snapshot(store, period)


def snapshot_reviews(store: Store) -> dict[str, tuple[SnapshotReview, ...]]:
    """Return the reviews of every snapshot by quarter, oldest first."""
    return load_reviews(store)


def _unapproved(cur: Cursor, period: Period) -> SnapshotSummary:
    found = find_summary(cur, period.label)
    if found is None:
        raise SnapshotError(f"There is no snapshot of {period.label}: freeze it first.")
    if found.approved:
        raise SnapshotError(
            f"{period.label} was already approved by {found.approved_by} on"
            f" {found.approved_at:%Y-%m-%d %H:%M}: an approval is recorded once."
        )
    return found


def _comment(comment: str) -> str:
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise SnapshotError(
            f"The comment has {len(text)} characters: keep it under {MAX_COMMENT}."
        )
    return text


def restatements(
    store: Store, catalog: Catalog, snapshot: Snapshot
) -> list[Restatement]:
    """Return every KPI whose value for the snapshot's quarter has changed since.

    Each names the imports loaded after the snapshot that feed that KPI over the
    quarter, newest first (none if the cause is another: an undone import, say).
    """
    period = quarter_of(snapshot.quarter)
    series = history(store, catalog, period)
    found = []
    for frozen in snapshot.kpis:
        if frozen.kpi_id not in series:
            continue
        current = series[frozen.kpi_id][-1].value
        if _same(frozen.value, current):
            continue
        fed = feeding_imports(
            store, catalog, frozen.kpi_id, period.start, period.last_day
        )
        later = tuple(
            (f.import_id, f.file_name, f.imported_at)
            for f in fed
            if f.imported_at > snapshot.created_at
        )
        found.append(Restatement(frozen.kpi_id, frozen.value, current, later))
    return found


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)


def compare(
    a: Snapshot, b: Snapshot, horizon: Horizon = Horizon.SHORT
) -> list[KpiComparison]:
    """Return every KPI of two snapshots side by side at one horizon.

    KPIs follow ``a``'s order, then those only ``b`` holds (the catalogue changed).
    """
    in_a = {k.kpi_id: k for k in a.kpis}
    in_b = {k.kpi_id: k for k in b.kpis}
    rows = []
    for kpi_id in dict.fromkeys([*in_a, *in_b]):
        ka, kb = in_a.get(kpi_id), in_b.get(kpi_id)
        owner = in_a.get(kpi_id) or in_b[kpi_id]
        va = ka.value if ka else None
        vb = kb.value if kb else None
        rows.append(
            KpiComparison(
                kpi_id=kpi_id,
                objective_id=owner.objective_id,
                value_a=va,
                value_b=vb,
                change=vb - va if va is not None and vb is not None else None,
                status_a=ka.at(horizon).status if ka else None,
                status_b=kb.at(horizon).status if kb else None,
            )
        )
    return rows
