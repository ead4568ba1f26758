"""Tests for the board's reviews of a snapshot: approval comment, requests for changes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterkpi.audit import AuditAction, audit_entries
from clusterkpi.errors import SnapshotError
from clusterkpi.snapshot_model import ReviewKind, SnapshotReview
from clusterkpi.snapshots import (
    MAX_COMMENT,
    approve_snapshot,
    create_snapshot,
    read_snapshot,
    request_changes,
    snapshot_reviews,
)
from clusterkpi.store import Store
from tests.demo_db import TODAY, make_demo_db
from tests.import_helpers import every_table


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cluster with 2026Q2 and 2026Q3 frozen, copied by each test."""
    from clusterkpi.catalog import load_catalog
    from tests.demo_db import ROOT

    path = make_demo_db(tmp_path_factory.mktemp("reviews") / "demo.duckdb")
    store = Store(path)
    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    for quarter in ("2026Q2", "2026Q3"):
        create_snapshot(store, catalog, quarter, "marie", today=TODAY)
    store.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the demo database."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, path)
    store = Store(path)
    yield store
    store.close()


def _audit(store: Store) -> list[tuple[str, str, str, dict | None]]:
    return [
        (e.username, e.action, e.target, e.detail)
        for e in audit_entries(store)
        if e.action in {"snapshot.approved", "snapshot.changes_requested"}
    ]


def test_an_approval_keeps_its_comment_and_audits_it(demo: Store) -> None:
    approved = approve_snapshot(
        demo, "2026Q3", "paul", "  Bon trimestre, *presse* en hausse.  "
    )
    assert approved.approval_comment == "Bon trimestre, *presse* en hausse."
    assert approved.reviews == (
        SnapshotReview(
            ReviewKind.APPROVE,
            "Bon trimestre, *presse* en hausse.",
            "paul",
            approved.approved_at,
        ),
    )
    assert read_snapshot(demo, "2026Q3") == approved
    assert _audit(demo) == [
        (
            "paul",
            "snapshot.approved",
            "2026Q3",
            {"comment": "Bon trimestre, *presse* en hausse."},
        )
    ]


def test_an_approval_without_comment_has_an_empty_one(demo: Store) -> None:
    approved = approve_snapshot(demo, "2026Q3", "paul")
    assert (approved.approval_comment, approved.change_requests) == ("", ())
    assert _audit(demo) == [("paul", "snapshot.approved", "2026Q3", None)]


def test_a_request_for_changes_is_kept_and_approval_stays_possible(
    demo: Store,
) -> None:
    first = request_changes(demo, "2026Q3", "paul", "Commentez la baisse du web.")
    second = request_changes(demo, "2026Q3", "lucie", " Et la presse. ")
    assert first.approved is False
    assert [(r.kind, r.author, r.comment) for r in second.change_requests] == [
        (ReviewKind.REQUEST_CHANGES, "paul", "Commentez la baisse du web."),
        (ReviewKind.REQUEST_CHANGES, "lucie", "Et la presse."),
    ]
    approved = approve_snapshot(demo, "2026Q3", "paul", "Vu.")
    assert approved.change_requests == second.change_requests
    assert (approved.approved_by, approved.approval_comment) == ("paul", "Vu.")
    assert _audit(demo) == [
        ("paul", "snapshot.approved", "2026Q3", {"comment": "Vu."}),
        (
            "lucie",
            AuditAction.SNAPSHOT_CHANGES_REQUESTED,
            "2026Q3",
            {"comment": "Et la presse."},
        ),
        (
            "paul",
            AuditAction.SNAPSHOT_CHANGES_REQUESTED,
            "2026Q3",
            {"comment": "Commentez la baisse du web."},
        ),
    ]


def test_reviews_are_listed_by_quarter(demo: Store) -> None:
    asked = request_changes(demo, "2026Q2", "paul", "Ajoutez un commentaire.")
    approved = approve_snapshot(demo, "2026Q3", "lucie")
    assert snapshot_reviews(demo) == {
        "2026Q2": asked.reviews,
        "2026Q3": approved.reviews,
    }


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_a_request_for_changes_without_comment_is_refused(
    demo: Store, comment: str
) -> None:
    before = every_table(demo)
    with pytest.raises(SnapshotError) as info:
        request_changes(demo, "2026Q3", "paul", comment)
    assert str(info.value) == (
        "Say what should change: a request for changes needs a comment."
    )
    assert every_table(demo) == before


def test_a_request_for_changes_after_the_approval_is_refused(demo: Store) -> None:
    approved = approve_snapshot(demo, "2026Q3", "paul")
    before = every_table(demo)
    with pytest.raises(SnapshotError) as info:
        request_changes(demo, "2026Q3", "lucie", "Trop tard ?")
    assert str(info.value) == (
        f"2026Q3 was already approved by paul on "
        f"{approved.approved_at:%Y-%m-%d %H:%M}: an approval is recorded once."
    )
    assert every_table(demo) == before


def test_a_comment_too_long_is_refused(demo: Store) -> None:
    before = every_table(demo)
    with pytest.raises(SnapshotError) as info:
        approve_snapshot(demo, "2026Q3", "paul", "x" * (MAX_COMMENT + 1))
    assert str(info.value) == "The comment has 4001 characters: keep it under 4000."
    assert every_table(demo) == before


def test_reviews_need_a_frozen_quarter_and_a_user(demo: Store) -> None:
    with pytest.raises(SnapshotError, match="^There is no snapshot of 2026Q1"):
        request_changes(demo, "2026Q1", "paul", "?")
    with pytest.raises(SnapshotError, match="^Say who you are"):
        request_changes(demo, "2026Q3", " ", "?")


def test_the_database_refuses_a_request_without_comment(demo: Store) -> None:
    with pytest.raises(Exception, match="CHECK constraint"):
        demo.execute(
            "INSERT INTO snapshot_reviews (snapshot_id, kind, comment, author)"
            " VALUES (1, 'request_changes', ' ', 'paul')"
        )


def test_a_comment_is_kept_as_typed(demo: Store) -> None:
    asked = request_changes(demo, "2026Q3", "paul", "Précisez <b>ceci</b>.")
    assert read_snapshot(demo, "2026Q3").change_requests == asked.change_requests
    assert asked.change_requests[0].comment == "Précisez <b>ceci</b>."
