"""The audit log: one row per audited change, in its transaction; none for a refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from clusterkpi import accounts
from clusterkpi.accounts import (
    AccountError,
    add_user,
    remove_user,
    set_disabled,
    set_password,
    set_role,
)
from clusterkpi.audit import AuditAction, AuditEntry, audit_entries, record
from clusterkpi.catalog import Catalog
from clusterkpi.imports.importer import ImportOptions, import_file
from clusterkpi.imports.loading import undo_import
from clusterkpi.login import authenticate
from clusterkpi.store import Store
from clusterkpi.strategy import parse_strategy, save_strategy
from tests.import_helpers import app_env, run_page

T0 = datetime(2026, 11, 26, 9, 0, 0)
TODAY = date(2026, 11, 26)
GOOD = "correct horse battery"
ROSTER = Path(__file__).parent / "data" / "imports" / "templates" / "adherents.csv"
STRATEGY = {
    "positioning": {"cluster_name": "Cluster Test"},
    "horizons": {"short": "2027-12-31", "medium": "2031-12-31", "long": "2036-12-31"},
    "targets": {"member_nps": {"tracked": False}},
}

Row = tuple[str, str, str, dict[str, Any] | None]


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def team(store: Store) -> Store:
    """Alice (admin) and Bob (board)."""
    add_user(store, "alice", "admin", GOOD, by="setup")
    add_user(store, "bob", "board", GOOD, by="setup")
    return store


def new_rows(store: Store, action: Callable[[], object]) -> list[Row]:
    """Run ``action`` and return the audit rows it wrote, oldest first."""
    before = store.scalar("SELECT coalesce(max(audit_id), 0) FROM audit_log")
    action()
    return [
        (e.username, e.action, e.target, e.detail)
        for e in reversed(audit_entries(store))
        if e.audit_id > before
    ]


def load_roster(store: Store, **options: Any):
    options.setdefault("user", "animator")
    return import_file(
        store, "adherents.csv", ROSTER.read_bytes(), ImportOptions(**options), TODAY
    )


@pytest.mark.parametrize(
    ("change", "row"),
    [
        (lambda s: add_user(s, "carol", "animator", GOOD, by="alice"),
         ("alice", "user.added", "carol", {"role": "animator", "sso_only": False})),
        (lambda s: add_user(s, "dan@example.org", "board", None, by="alice"),
         ("alice", "user.added", "dan@example.org", {"role": "board", "sso_only": True})),
        (lambda s: remove_user(s, "bob", by="alice"),
         ("alice", "user.removed", "bob", {"role": "board"})),
        (lambda s: set_role(s, "bob", "animator", by="alice"),
         ("alice", "user.role_changed", "bob", {"new": "animator", "old": "board"})),
        (lambda s: set_password(s, "bob", "new and long enough", by="alice"),
         ("alice", "user.password_changed", "bob", None)),
        (lambda s: set_disabled(s, "bob", True, by="alice"),
         ("alice", "user.disabled", "bob", None)),
    ],
)  # fmt: skip
def test_each_account_change_writes_one_row(team: Store, change, row: Row) -> None:
    assert new_rows(team, lambda: change(team)) == [row]


def test_re_enabling_an_account_writes_one_row(team: Store) -> None:
    set_disabled(team, "bob", True, by="alice")
    assert new_rows(team, lambda: set_disabled(team, "bob", False, by="alice")) == [
        ("alice", "user.enabled", "bob", None)
    ]


@pytest.mark.parametrize(
    "refused",
    [
        lambda s: add_user(s, "bob", "board", GOOD),
        lambda s: add_user(s, "carol", "board", "too short"),
        lambda s: set_password(s, "bob", "too short"),
        lambda s: remove_user(s, "nobody"),
        lambda s: set_role(s, "alice", "board"),  # the last admin
        lambda s: set_disabled(s, "alice", True),  # the last admin
    ],
)
def test_a_refused_account_change_writes_nothing(team: Store, refused) -> None:
    with pytest.raises(AccountError):
        new_rows(team, lambda: refused(team))
    assert team.scalar("SELECT count(*) FROM audit_log WHERE username <> 'setup'") == 0


def test_a_change_to_the_same_value_writes_nothing(team: Store) -> None:
    assert new_rows(team, lambda: set_role(team, "bob", "board")) == []
    assert new_rows(team, lambda: set_disabled(team, "bob", False)) == []


def test_logins_are_audited_with_the_attempt_time(team: Store) -> None:
    assert new_rows(team, lambda: authenticate(team, "bob", GOOD, T0)) == [
        ("bob", "login.ok", "bob", None)
    ]
    assert new_rows(team, lambda: authenticate(team, "bob", "nope", T0)) == [
        ("bob", "login.failed", "bob", {"failures": 1})
    ]
    # A name without an account is not written down: it may be a mistyped password.
    assert new_rows(team, lambda: authenticate(team, "hunter2hunter2", "x", T0)) == [
        ("?", "login.failed", "?", {"failures": 1})
    ]
    assert audit_entries(team, limit=1)[0].at == T0


def test_the_failure_that_locks_a_name_is_audited_as_a_lock(team: Store) -> None:
    t = T0
    for _ in range(9):
        t += timedelta(seconds=authenticate(team, "bob", "nope", t).retry_after)
    until = (t + timedelta(minutes=15)).isoformat(sep=" ")
    assert new_rows(team, lambda: authenticate(team, "bob", "nope", t)) == [
        ("bob", "login.locked", "bob", {"failures": 10, "locked_until": until})
    ]
    # Refused attempts (locked, too soon) check nothing and write nothing.
    assert new_rows(team, lambda: authenticate(team, "bob", GOOD, t)) == []


def test_a_strategy_save_is_audited_only_when_something_changed(
    store: Store, catalog: Catalog
) -> None:
    strategy = parse_strategy(STRATEGY, catalog, TODAY)
    counts: list[int] = []

    def save() -> None:
        counts.append(save_strategy(store, strategy, user="alice"))

    assert new_rows(store, save) == [
        ("alice", "strategy.saved", "strategy", {"changes": 7})
    ]
    assert new_rows(store, save) == []
    assert counts == [7, 0]  # name, country, three horizons, tracked, weight; none


def test_a_loaded_file_and_its_undo_are_audited(store: Store) -> None:
    rows = new_rows(store, lambda: load_roster(store))
    assert rows == [
        (
            "animator",
            "import.loaded",
            "adherents.csv",
            {
                "import_id": 1,
                "source": "template_members",
                "rows_added": 4,
                "rows_updated": 0,
                "rows_rejected": 0,
            },
        )
    ]
    assert new_rows(store, lambda: undo_import(store, 1, "bob")) == [
        ("bob", "import.undone", "adherents.csv", {"import_id": 1, "rows_removed": 4})
    ]


def test_checks_duplicates_and_refused_undos_are_not_audited(store: Store) -> None:
    assert new_rows(store, lambda: load_roster(store, dry_run=True)) == []
    load_roster(store)
    assert new_rows(store, lambda: load_roster(store)) == []  # a duplicate
    with pytest.raises(KeyError):
        new_rows(store, lambda: undo_import(store, 99, "bob"))
    assert [e.action for e in audit_entries(store)] == ["import.loaded"]


def test_a_rejected_file_is_not_audited(store: Store) -> None:
    raw = ROSTER.read_bytes().replace(b"Start-up", b"Inconnu")
    report = import_file(store, "bad.csv", raw, ImportOptions(), TODAY)
    assert report.status == "rejected"
    assert audit_entries(store) == []


def test_a_row_written_in_a_rolled_back_transaction_is_gone(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction() as cur:
            record(cur, "alice", AuditAction.SNAPSHOT_CREATED, "2026Q3")
            raise RuntimeError("the change failed")
    assert audit_entries(store) == []


def test_details_that_name_a_secret_are_refused(store: Store) -> None:
    with store.transaction() as cur:
        for key in ("password", "new_Password", "token", "password_hash"):
            with pytest.raises(ValueError, match="^audit detail may not hold secrets"):
                record(cur, "alice", AuditAction.USER_ADDED, "bob", {key: "x"})
    assert audit_entries(store) == []


def test_entries_come_newest_first_limited_and_filtered(store: Store) -> None:
    with store.transaction() as cur:
        for n in range(3):
            record(cur, "alice", AuditAction.SNAPSHOT_CREATED, f"2026Q{n + 1}")
        record(cur, "bob", AuditAction.SNAPSHOT_APPROVED, "2026Q1", at=T0)
    assert [(e.action, e.target) for e in audit_entries(store, limit=2)] == [
        ("snapshot.approved", "2026Q1"),
        ("snapshot.created", "2026Q3"),
    ]
    created = audit_entries(store, action=AuditAction.SNAPSHOT_CREATED)
    assert [e.target for e in created] == ["2026Q3", "2026Q2", "2026Q1"]
    assert audit_entries(store, action=AuditAction.SNAPSHOT_APPROVED) == [
        AuditEntry(4, T0, "bob", "snapshot.approved", "2026Q1", None)
    ]


def test_freezing_and_approving_a_quarter_are_audited(tmp_path) -> None:
    from clusterkpi.audit import AuditAction, audit_entries
    from clusterkpi.catalog import load_catalog
    from clusterkpi.snapshots import approve_snapshot, create_snapshot
    from tests.demo_db import ROOT, TODAY, make_demo_db

    store = Store(make_demo_db(tmp_path / "demo.duckdb"))
    try:
        catalog = load_catalog(ROOT / "data" / "kpis.yaml")
        made = create_snapshot(store, catalog, "2026Q3", "marie", today=TODAY)
        approve_snapshot(store, "2026Q3", "paul")
        entries = [
            (e.username, e.action, e.target, e.detail)
            for e in audit_entries(store)
            if e.action.startswith("snapshot.")
        ]
    finally:
        store.close()
    assert entries == [
        ("paul", AuditAction.SNAPSHOT_APPROVED, "2026Q3", None),
        (
            "marie",
            AuditAction.SNAPSHOT_CREATED,
            "2026Q3",
            {"snapshot_id": made.snapshot_id, "kpis": 30},
        ),
    ]


@pytest.fixture
def audited_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> Iterator[Path]:
    """The app on a database whose log holds accounts, a strategy, an import, an undo."""
    path = tmp_path / "audit.duckdb"
    store = Store(path)
    add_user(store, "carol", "admin", GOOD)  # then removed: the app stays open
    remove_user(store, "carol")
    save_strategy(store, parse_strategy(STRATEGY, catalog, TODAY), user="alice")
    load_roster(store)
    undo_import(store, 1, "bob")
    store.close()
    yield from app_env(path, monkeypatch)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", [
            {"Qui": "bob", "Action": "import annulé", "Sur": "adherents.csv",
             "Détail": "Import n° 1 — lignes retirées : 4."},
            {"Qui": "animator", "Action": "fichier importé", "Sur": "adherents.csv",
             "Détail": "Import n° 1 (Liste des adhérents) — lignes ajoutées : 4, mises"
                       " à jour : 0, refusées : 0."},
            {"Qui": "alice", "Action": "stratégie enregistrée",
             "Sur": "Stratégie et cibles", "Détail": "7 modifications."},
            {"Qui": "Ligne de commande", "Action": "compte supprimé", "Sur": "carol",
             "Détail": "Rôle : Administrateur."},
            {"Qui": "Ligne de commande", "Action": "compte ajouté", "Sur": "carol",
             "Détail": "Rôle : Administrateur."},
        ]),
        ("en", [
            {"Who": "bob", "Action": "import undone", "On": "adherents.csv",
             "Detail": "Import no. 1 — rows removed: 4."},
            {"Who": "animator", "Action": "file imported", "On": "adherents.csv",
             "Detail": "Import no. 1 (Member roster) — rows added: 4, updated: 0,"
                       " rejected: 0."},
            {"Who": "alice", "Action": "strategy saved", "On": "Strategy and targets",
             "Detail": "7 changes."},
            {"Who": "Command line", "Action": "account removed", "On": "carol",
             "Detail": "Role: Administrator."},
            {"Who": "Command line", "Action": "account added", "On": "carol",
             "Detail": "Role: Administrator."},
        ]),
    ],
)  # fmt: skip
def test_the_audit_page_tells_each_entry_in_words(
    audited_app: Path, lang: str, expected: list[dict[str, str]]
) -> None:
    at = run_page("pages/audit.py", lang=lang)
    shown = at.dataframe[0].value.drop(columns=["Quand" if lang == "fr" else "When"])
    assert shown.to_dict("records") == expected
