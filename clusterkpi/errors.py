"""Exceptions named for the caller's problem, each carrying a user-facing message."""

from __future__ import annotations

from collections.abc import Sequence


class ClusterKpiError(Exception):
    """Base class: the message is meant for the user."""


class CatalogError(ClusterKpiError):
    """The KPI catalogue file is invalid; ``issues`` lists every problem found."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("\n".join(issues))
        self.issues = issues


class StrategyError(ClusterKpiError):
    """The strategy (positioning, horizons, targets) is invalid."""

    # A Sequence: the strategy's checks give lists of Issue, a str subclass.
    def __init__(self, issues: Sequence[str]) -> None:
        super().__init__("\n".join(issues))
        self.issues = issues


class PeriodError(ClusterKpiError):
    """A period label cannot be parsed."""


class StoreError(ClusterKpiError):
    """The database cannot be opened or is in an unexpected state."""


class SnapshotError(ClusterKpiError):
    """A snapshot cannot be created, found or approved (the message says why)."""
