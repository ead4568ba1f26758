"""Databases written by old releases migrate in place without losing a row, backed up first."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from clusterkpi.backup import read_manifest, restore
from clusterkpi.store import Store, migrations
from tests.import_helpers import every_table, load

UPGRADE = Path(__file__).parent / "data" / "upgrade"
LATEST = migrations()[-1][0]
# (fixture, schema version it was written with): see tests/data/upgrade/README.md.
FIXTURES = [("v1_demo", 1), ("v3_demo", 3)]

Tables = dict[str, tuple[list[str], list[tuple]]]


def _unpack(name: str, folder: Path) -> Path:
    path = folder / f"{name}.duckdb"
    with gzip.open(UPGRADE / f"{name}.duckdb.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def _order(row: tuple) -> tuple:
    # Numbers by value (version 10 after 9), everything else by its repr.
    return tuple(
        (0, f"{v:020d}")
        if isinstance(v, int) and not isinstance(v, bool)
        else (1, repr(v))
        for v in row
    )


def _tables(store: Store, columns: dict[str, list[str]] | None = None) -> Tables:
    """Every row of every table, limited to the given columns per table if any."""
    found = {}
    for table in columns or store.table_names():
        names = columns[table] if columns else store.columns(table)
        select = ", ".join(f'"{c}"' for c in names)
        rows = store.rows(f'SELECT {select} FROM "{table}"')
        found[table] = (names, sorted(rows, key=_order))
    return found


@pytest.mark.parametrize(("name", "version"), FIXTURES)
def test_an_old_database_migrates_in_place_keeping_every_row(
    name: str, version: int, tmp_path: Path
) -> None:
    path = _unpack(name, tmp_path)
    old_store = Store(path, apply_migrations=False)
    assert old_store.schema_version() == version
    old = _tables(old_store)
    old_store.close()
    assert sum(len(rows) for _, rows in old.values()) > 30_000  # the demo cluster

    store = Store(path)
    assert store.schema_version() == LATEST
    assert [v for (v,) in store.rows("SELECT version FROM schema_version")] == list(
        range(1, LATEST + 1)
    )
    kept = _tables(store, {table: names for table, (names, _) in old.items()})
    old_versions = old.pop("schema_version")[1]
    new_versions = kept.pop("schema_version")[1]
    assert old_versions == new_versions[:version]  # the old history, untouched
    assert kept == old
    store.close()


@pytest.mark.parametrize(("name", "version"), FIXTURES)
def test_the_automatic_backup_restores_the_database_as_it_was_before(
    name: str, version: int, tmp_path: Path
) -> None:
    path = _unpack(name, tmp_path)
    before = Store(path, apply_migrations=False)
    old = every_table(before)
    before.close()
    Store(path).close()
    [folder] = (tmp_path / "backups").iterdir()
    assert folder.name.startswith(f"{name}-before-v{version + 1}-")
    manifest = read_manifest(folder)
    assert manifest.schema_version == version
    assert manifest.tables == {table: len(rows) for table, rows in old.items()}
    restore(folder, tmp_path / "restored.duckdb")
    restored = Store(tmp_path / "restored.duckdb", apply_migrations=False)
    assert every_table(restored) == old
    restored.close()


def test_an_upgraded_database_takes_new_imports_and_keeps_its_undone_one(
    tmp_path: Path,
) -> None:
    store = Store(_unpack("v3_demo", tmp_path))
    last = store.scalar("SELECT max(import_id) FROM imports")
    report = load(store, "mailchimp/campaigns_2026Q3.csv")
    assert (report.status, report.import_id) == ("loaded", last + 1)
    assert store.rows(
        "SELECT status FROM imports WHERE file_name = 'member_survey_en.csv'"
    ) == [("undone",)]
    store.close()
