"""Backups: export and restore the whole database; refusals; automatic pre-migration backups."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import clusterkpi.store as store_module
from clusterkpi.backup import MANIFEST, BackupError, backup, read_manifest, restore
from clusterkpi.catalog import load_catalog
from clusterkpi.cli import main
from clusterkpi.store import Store, migrations
from clusterkpi.strategy import load_strategy_file, save_strategy
from tests.demo_db import ROOT, TODAY
from tests.fixture_db import load_fixture
from tests.import_helpers import every_table, load

LATEST = migrations()[-1][0]


def _fill(store: Store) -> None:
    """The fixture cluster, the demo strategy and two real imports (one updates rows)."""
    load_fixture(store)
    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    strategy = load_strategy_file(ROOT / "data" / "demo_strategy.yaml", catalog, TODAY)
    save_strategy(store, strategy)
    assert load(store, "mailchimp/campaigns.csv").status == "loaded"
    assert load(store, "mailchimp/campaigns_2026-05.csv").status == "loaded"


@pytest.fixture(scope="module")
def filled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding data in every kind of table, written once."""
    path = tmp_path_factory.mktemp("filled") / "cluster.duckdb"
    store = Store(path)
    _fill(store)
    store.close()
    return path


@pytest.fixture
def filled(filled_file: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the filled database, open."""
    shutil.copy(filled_file, tmp_path / "cluster.duckdb")
    store = Store(tmp_path / "cluster.duckdb")
    yield store
    store.close()


def _contents(path: Path) -> dict[str, list[tuple]]:
    store = Store(path, apply_migrations=False)
    try:
        return every_table(store)
    finally:
        store.close()


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_backup_then_restore_gives_every_row_of_every_table(
    filled: Store, tmp_path: Path
) -> None:
    manifest = backup(filled, tmp_path / "backup")
    assert manifest.schema_version == LATEST
    assert manifest.tables == filled.row_counts()
    assert manifest.tables["email_campaigns_history"] > 0  # the update was kept
    assert read_manifest(tmp_path / "backup") == manifest
    restore(tmp_path / "backup", tmp_path / "restored.duckdb")
    assert _contents(tmp_path / "restored.duckdb") == every_table(filled)
    assert not Path(f"{tmp_path / 'restored.duckdb'}.wal").exists()


def test_a_restored_database_goes_on_numbering_imports_after_the_last(
    filled: Store, tmp_path: Path
) -> None:
    last = filled.scalar("SELECT max(import_id) FROM imports")
    backup(filled, tmp_path / "backup")
    restore(tmp_path / "backup", tmp_path / "restored.duckdb")
    restored = Store(tmp_path / "restored.duckdb")
    assert load(restored, "mailchimp/campaigns_2026Q3.csv").import_id == last + 1
    restored.close()


def test_a_backup_is_readable_by_its_owner_only(filled: Store, tmp_path: Path) -> None:
    backup(filled, tmp_path / "backup")  # it holds member data and password hashes
    modes = {
        p.name: stat.S_IMODE(p.stat().st_mode)
        for p in [tmp_path / "backup", *(tmp_path / "backup").iterdir()]
    }
    assert modes["backup"] == 0o700
    assert {mode for name, mode in modes.items() if name != "backup"} == {0o600}


def test_backup_refuses_a_folder_that_is_not_empty(
    filled: Store, tmp_path: Path
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    with pytest.raises(BackupError, match="already exists: choose a new folder"):
        backup(filled, tmp_path / "taken")
    assert _files(tmp_path / "taken") == {"notes.txt"}


def test_restore_refuses_an_existing_file_unless_forced(
    filled: Store, tmp_path: Path
) -> None:
    backup(filled, tmp_path / "backup")
    other = tmp_path / "other.duckdb"
    Store(other).close()
    before = other.read_bytes()
    with pytest.raises(BackupError, match="already exists: restore into a new file"):
        restore(tmp_path / "backup", other)
    assert other.read_bytes() == before
    restore(tmp_path / "backup", other, force=True)
    assert _contents(other) == every_table(filled)


def _break_missing_manifest(folder: Path) -> None:
    (folder / MANIFEST).unlink()


def _break_missing_table(folder: Path) -> None:
    (folder / "members.parquet").unlink()


def _break_truncated_table(folder: Path) -> None:
    data = (folder / "members.parquet").read_bytes()
    (folder / "members.parquet").write_bytes(data[: len(data) // 2])


def _break_wrong_counts(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["tables"]["members"] += 1
    (folder / MANIFEST).write_text(json.dumps(manifest))


def _break_garbled_manifest(folder: Path) -> None:
    (folder / MANIFEST).write_text('{"schema_version": 7, "tab')


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_break_missing_manifest, r"not a complete clusterkpi backup \(manifest.json"),
        (_break_missing_table, r"is damaged and was not restored: .*members.parquet"),
        (_break_truncated_table, r"is damaged and was not restored"),
        (_break_wrong_counts, r"does not hold the rows its manifest lists \(members"),
        (_break_garbled_manifest, r"manifest.json is damaged"),
    ],
    ids=["no_manifest", "missing_table", "truncated_table", "wrong_counts", "garbled"],
)
def test_a_damaged_backup_is_refused_and_leaves_nothing_behind(
    filled: Store, tmp_path: Path, damage, message: str
) -> None:
    backup(filled, tmp_path / "backup")
    damage(tmp_path / "backup")
    target = tmp_path / "restored"
    target.mkdir()
    with pytest.raises(BackupError, match=message):
        restore(tmp_path / "backup", target / "new.duckdb")
    assert _files(target) == set()


def test_migrating_a_database_with_data_backs_it_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "old.duckdb"
    with monkeypatch.context() as older:  # the code of one release ago
        older.setattr(store_module, "migrations", lambda: migrations()[:-1])
        store = Store(db)
        load_fixture(store)  # today's importer writes tables of the latest schema
        before = every_table(store)
        store.close()
    assert not (tmp_path / "backups").exists()  # a brand-new file is not backed up
    store = Store(db)
    assert store.schema_version() == LATEST
    store.close()
    [folder] = (tmp_path / "backups").iterdir()
    assert folder.name.startswith(f"old-before-v{LATEST}-")
    assert read_manifest(folder).schema_version == LATEST - 1
    restore(folder, tmp_path / "restored.duckdb")
    assert _contents(tmp_path / "restored.duckdb") == before
    Store(db).close()  # nothing pending: no second backup
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_an_in_memory_database_is_never_backed_up(tmp_path: Path) -> None:
    Store(":memory:").close()
    assert _files(tmp_path) == set()


def test_cli_backup_and_restore_exit_codes(filled: Store, tmp_path: Path) -> None:
    db = Path(filled.path)
    filled.close()  # the CLI opens the file itself
    backup_dir = tmp_path / "cli_backup"
    assert main(["--db", str(db), "backup", str(backup_dir)]) == 0
    assert main(["--db", str(db), "backup", str(backup_dir)]) == 1  # folder taken
    assert main(["--db", str(tmp_path / "none.duckdb"), "backup", "x"]) == 2
    restored = tmp_path / "restored.duckdb"
    assert main(["--db", str(restored), "restore", str(backup_dir)]) == 0
    assert main(["--db", str(restored), "restore", str(backup_dir)]) == 1
    assert main(["--db", str(restored), "restore", str(backup_dir), "--force"]) == 0
    assert main(["--db", str(restored), "restore", str(tmp_path / "none")]) == 1
    assert _contents(restored) == _contents(db)


def test_cli_restore_refuses_to_replace_a_database_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "busy.duckdb"
    Store(db).close()
    assert main(["--db", str(db), "backup", str(tmp_path / "b")]) == 0
    holder = subprocess.Popen(  # the app, holding the file
        [
            sys.executable,
            "-c",
            "import sys, time; from clusterkpi.store import Store;"
            " s = Store(sys.argv[1]); print('open', flush=True); time.sleep(60)",
            str(db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "open\n"
        capsys.readouterr()
        code = main(["--db", str(db), "restore", str(tmp_path / "b"), "--force"])
        assert code == 1
        assert "is in use by another process" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert [p.name for p in tmp_path.iterdir() if "restoring" in p.name] == []
