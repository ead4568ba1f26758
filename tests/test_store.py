"""Tests for the DuckDB store: migrations, file mode, transactions, threads, frames."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from clusterkpi.store import Store, append_frame, is_constraint_error, migrations

CANONICAL_TABLES = [
    "members",
    "events",
    "attendance",
    "email_campaigns",
    "web_traffic",
    "social_daily",
    "press_mentions",
    "projects",
    "project_members",
    "survey_responses",
    "interactions",
    "materials",
    "partnerships",
    "observations",
]
HISTORY_TABLES = [
    f"{t}_history" for t in [*CANONICAL_TABLES, "contacts", "organisations"]
]
SNAPSHOT_TABLES = [
    "snapshots",
    "snapshot_objectives",
    "snapshot_objective_horizons",
    "snapshot_kpis",
    "snapshot_kpi_horizons",
    "snapshot_approvals",
    "snapshot_reviews",
]
ACCOUNT_TABLES = ["users", "login_failures", "sessions", "login_tickets", "audit_log"]
ALL_TABLES = sorted(
    [
        *CANONICAL_TABLES,
        *HISTORY_TABLES,
        "contacts",
        "organisations",
        "column_mappings",
        "member_type_terms",
        "survey_choices",
        "imports",
        "positioning",
        "horizons",
        "kpi_targets",
        "schema_version",
        "strategy_changes",
        *SNAPSHOT_TABLES,
        *ACCOUNT_TABLES,
    ]
)
MIGRATIONS = [
    (1, "initial"),
    (2, "imports"),
    (3, "contacts"),
    (4, "bulk_loads"),
    (5, "strategy_history"),
    (6, "snapshots"),
    (7, "accounts"),
    (8, "periods"),
    (9, "member_types"),
    (10, "survey_choices"),
    (11, "mapping_names"),
    (12, "campaign_measures"),
    (13, "login_tickets"),
    (14, "snapshot_reviews"),
]
INSERT_MEMBER = (
    "INSERT INTO members (member_id, name, member_type, country, joined_on, import_id)"
    " VALUES (?, ?, ?, 'FR', DATE '2025-01-15', 1)"
)


def test_migrations_folder_holds_the_numbered_migrations() -> None:
    assert [(version, name) for version, name, _ in migrations()] == MIGRATIONS


def test_new_file_gets_every_migration_and_every_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "new.duckdb")
    try:
        assert store.schema_version() == MIGRATIONS[-1][0]
        assert store.rows("SELECT version, name FROM schema_version") == MIGRATIONS
        assert store.table_names() == ALL_TABLES
    finally:
        store.close()


def test_reopening_a_migrated_file_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "reopen.duckdb"
    Store(path).close()
    again = Store(path)
    try:
        assert again.migrate() == []
        assert again.schema_version() == MIGRATIONS[-1][0]
        assert again.rows("SELECT version FROM schema_version") == [
            (v,) for v, _ in MIGRATIONS
        ]
    finally:
        again.close()


def test_new_database_file_is_readable_by_its_owner_only(store: Store) -> None:
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_every_canonical_table_records_its_import(store: Store) -> None:
    without_lineage = [
        t for t in CANONICAL_TABLES if "import_id" not in store.columns(t)
    ]
    assert without_lineage == []


def test_transaction_commits_when_the_block_succeeds(store: Store) -> None:
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO imports (source, file_name) VALUES ('members', 'a.csv')"
        )
    assert store.rows("SELECT import_id, source, file_name FROM imports") == [
        (1, "members", "a.csv")
    ]


def test_transaction_rolls_back_when_the_block_raises(store: Store) -> None:
    with pytest.raises(RuntimeError, match="^abort$"):
        with store.transaction() as cur:
            cur.execute(
                "INSERT INTO imports (source, file_name) VALUES ('members', 'a.csv')"
            )
            raise RuntimeError("abort")
    assert store.rows("SELECT * FROM imports") == []


def test_check_violation_raises_and_leaves_the_table_unchanged(store: Store) -> None:
    store.execute(INSERT_MEMBER, ["M001", "Acme", "sme"])
    with pytest.raises(duckdb.ConstraintException) as info:
        store.execute(INSERT_MEMBER, ["M002", "Bolt", "pme"])
    assert is_constraint_error(info.value) is True
    assert store.rows("SELECT member_id, member_type FROM members") == [("M001", "sme")]


def test_check_violation_inside_a_transaction_undoes_the_earlier_rows(
    store: Store,
) -> None:
    with pytest.raises(duckdb.ConstraintException):
        with store.transaction() as cur:
            cur.execute(INSERT_MEMBER, ["M001", "Acme", "sme"])
            cur.execute(INSERT_MEMBER, ["M002", "Bolt", "pme"])
    assert store.rows("SELECT member_id FROM members") == []


def test_other_errors_are_not_constraint_errors() -> None:
    assert is_constraint_error(ValueError("member_type")) is False


def test_cursors_serve_four_threads_at_once(store: Store) -> None:
    store.execute("INSERT INTO imports (source, file_name) VALUES ('members', 'a.csv')")
    start = threading.Barrier(4)
    errors: list[str] = []
    results: list[int] = []

    def work() -> None:
        start.wait()
        for i in range(50):
            try:
                results.append(store.scalar("SELECT count(*) + ? FROM imports", [i]))
            except Exception as exc:  # every failure is collected, none is lost
                errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == sorted([1 + i for i in range(50)] * 4)


def test_data_version_changes_when_an_import_is_recorded(store: Store) -> None:
    # imports count | max import_id | targets | positioning | horizons | observations
    assert store.data_version() == "0|||||0"
    store.execute("INSERT INTO imports (source, file_name) VALUES ('members', 'm.csv')")
    assert store.data_version() == "1|1||||0"


def test_append_frame_matches_columns_by_name(store: Store) -> None:
    frame = pd.DataFrame(
        {"file_name": ["a.csv", "b.csv"], "source": ["members", "events"]}
    )
    with store.transaction() as cur:
        added = append_frame(cur, "imports", frame)
    assert added == 2
    assert store.rows(
        "SELECT import_id, source, file_name, imported_by, status FROM imports"
        " ORDER BY import_id"
    ) == [
        (1, "members", "a.csv", "system", "loaded"),
        (2, "events", "b.csv", "system", "loaded"),
    ]


def test_append_frame_with_no_rows_inserts_nothing(store: Store) -> None:
    frame = pd.DataFrame({"source": pd.Series([], dtype=str), "file_name": []})
    with store.cursor() as cur:
        assert append_frame(cur, "imports", frame) == 0
    assert store.rows("SELECT * FROM imports") == []


def test_write_ahead_log_is_readable_by_its_owner_only(store: Store) -> None:
    # The WAL holds the latest member rows until a checkpoint: protect it like the file.
    store.execute(INSERT_MEMBER, ["M001", "Acme", "sme"])
    folder = Path(store.path).parent
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in sorted(folder.iterdir())}
    assert modes == {"test.duckdb": 0o600, "test.duckdb.wal": 0o600}
