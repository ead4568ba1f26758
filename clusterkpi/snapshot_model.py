"""A quarterly board snapshot as frozen values: what the board saw and approved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from clusterkpi.catalog import ObjectiveGroup
from clusterkpi.progress import DEFAULT_THRESHOLDS, Status, Thresholds
from clusterkpi.strategy import Horizon, Positioning


@dataclass(frozen=True)
class FrozenHorizon:
    """One KPI against one horizon, as of the quarter's end (targets in quarter terms)."""

    horizon: Horizon
    day: date
    target: float | None
    status: Status
    progress: float | None
    forecast: float | None


@dataclass(frozen=True)
class FrozenKpi:
    """One KPI of a snapshot: its value, and its standing at every horizon."""

    kpi_id: str
    objective_id: str
    value: float | None
    previous: float | None  # the quarter before, as computed at freezing time
    baseline: float | None
    weight: float
    tracked: bool
    manual: bool
    horizons: tuple[FrozenHorizon, ...]
    history: tuple[
        tuple[str, float | None], ...
    ]  # (quarter label, value), oldest first

    def at(self, horizon: Horizon) -> FrozenHorizon:
        """Return the KPI's standing at one horizon."""
        return next(h for h in self.horizons if h.horizon is horizon)


@dataclass(frozen=True)
class FrozenObjective:
    """One objective of a snapshot: roll-up per horizon and the animator's commentary."""

    objective_id: str
    group: ObjectiveGroup
    status: dict[Horizon, Status]
    progress: dict[Horizon, float | None]
    commentary: str


class ReviewKind(StrEnum):
    """What a board member said of a snapshot (``snapshot_reviews.kind``)."""

    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"


@dataclass(frozen=True)
class SnapshotReview:
    """One review of a snapshot: an approval (comment optional) or a change request."""

    kind: ReviewKind
    comment: str
    author: str
    at: datetime


@dataclass(frozen=True)
class Snapshot:
    """A quarter frozen as of its last day; never changed once created."""

    snapshot_id: int
    quarter: str  # e.g. 2026Q3
    as_of: date  # the quarter's last day
    created_at: datetime
    created_by: str
    catalog_version: int
    positioning: Positioning | None
    horizon_dates: dict[Horizon, date]
    objectives: tuple[FrozenObjective, ...]
    kpis: tuple[FrozenKpi, ...]
    approved_at: datetime | None = None
    approved_by: str | None = None
    strategy_json: str = ""  # the strategy in force, as saved (JSON)
    notes: dict[str, str] = field(default_factory=dict)
    thresholds: Thresholds = DEFAULT_THRESHOLDS  # the status thresholds applied
    reviews: tuple[SnapshotReview, ...] = ()  # oldest first

    @property
    def approval_comment(self) -> str:
        """Return the comment the approver gave ('' when none, or not approved)."""
        return next(
            (r.comment for r in self.reviews if r.kind is ReviewKind.APPROVE), ""
        )

    @property
    def change_requests(self) -> tuple[SnapshotReview, ...]:
        """Return the board's requests for changes, oldest first."""
        return tuple(r for r in self.reviews if r.kind is ReviewKind.REQUEST_CHANGES)

    @property
    def approved(self) -> bool:
        """Tell whether a board member or an admin approved the snapshot."""
        return self.approved_at is not None

    def kpi(self, kpi_id: str) -> FrozenKpi:
        """Return one frozen KPI."""
        return next(k for k in self.kpis if k.kpi_id == kpi_id)

    def kpis_of(self, objective_id: str) -> list[FrozenKpi]:
        """Return the frozen KPIs of one objective, in catalogue order."""
        return [k for k in self.kpis if k.objective_id == objective_id]


@dataclass(frozen=True)
class Restatement:
    """A frozen value that data imported later would change."""

    kpi_id: str
    frozen: float | None
    current: float | None
    imports: tuple[
        tuple[int, str, datetime], ...
    ]  # (import_id, file name, imported at)
