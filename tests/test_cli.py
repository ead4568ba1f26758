"""The command line: init, demo, kpis (JSON and table), help and bad arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.cli import main
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import build_scorecard, history
from clusterkpi.store import Store, migrations
from clusterkpi.strategy import Horizon, read_strategy
from tests.demo_db import TODAY

REQUIRED_IDS = {
    "active_members", "new_members", "member_retention_rate", "member_churn_rate",
    "sme_share", "international_members_share", "member_participation_rate",
    "members_in_projects_rate", "collaborative_projects_launched",
    "event_attendance_rate", "general_assembly_attendance_rate", "newsletter_open_rate",
    "newsletter_click_rate", "newsletter_click_to_open_rate",
    "newsletter_unsubscribe_rate", "member_nps", "vision_adherence_rate",
    "joint_publications", "website_sessions", "social_followers", "social_new_followers",
    "social_engagement_rate", "press_mentions", "positive_coverage_share",
    "target_company_exchanges", "inbound_requests", "non_member_event_participants",
    "materials_produced", "active_media_partnerships", "new_partners",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERKPI_TODAY", TODAY.isoformat())
        from clusterkpi import config

        config.get_settings.cache_clear()
        assert main(["--db", str(path), "demo"]) == 0
        config.get_settings.cache_clear()
    return path


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERKPI_TODAY", TODAY.isoformat())


def test_init_creates_a_migrated_database(tmp_path: Path, capsys) -> None:
    path = tmp_path / "new.duckdb"
    assert main(["--db", str(path), "init"]) == 0
    latest = migrations()[-1][0]
    assert capsys.readouterr().out == f"{path}: schema version {latest}\n"
    store = Store(path)
    assert store.schema_version() == latest
    store.close()


def test_kpis_json_lists_every_kpi_with_a_value(
    demo_file: Path, catalog: Catalog, capsys
) -> None:
    assert main(["--db", str(demo_file), "kpis", "--period", "2026Q2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"period", "horizon", "kpis"}
    assert report["period"] == "2026Q2"
    assert {k["id"] for k in report["kpis"]} == REQUIRED_IDS
    assert [k["id"] for k in report["kpis"] if k["value"] is None] == []
    store = Store(demo_file)
    strategy = read_strategy(store, TODAY)
    period = parse_period("2026Q2")
    series = history(store, catalog, period)
    cards = {
        h: build_scorecard(store, catalog, strategy, period, h, series=series)
        for h in Horizon
    }
    store.close()
    expected = [
        {
            "id": c.kpi_id,
            "objective": b.objective_id,
            "value": c.value,
            "unit": catalog.kpis[c.kpi_id].unit.value,
            "targets": {h.value: cards[h].card(c.kpi_id).target for h in Horizon},
            "status": {
                h.value: cards[h].card(c.kpi_id).assessment.status.value
                for h in Horizon
            },
        }
        for b in cards[Horizon.SHORT].blocks
        for c in b.cards
    ]
    assert report["kpis"] == expected


def test_kpis_table_prints_one_line_per_kpi(demo_file: Path, capsys) -> None:
    args = ["--db", str(demo_file), "kpis", "--period", "2026Q2", "--horizon", "long"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 30
    assert {line.split()[0] for line in lines} == REQUIRED_IDS


def test_demo_refuses_a_database_that_already_holds_data(
    demo_file: Path, capsys
) -> None:
    assert main(["--db", str(demo_file), "demo"]) == 2
    assert capsys.readouterr().err == (
        f"error: {demo_file} already holds data; the demo loads only into an empty "
        "database (use another --db).\n"
    )


def test_demo_if_empty_leaves_a_loaded_database_alone(demo_file: Path, capsys) -> None:
    assert main(["--db", str(demo_file), "demo", "--if-empty"]) == 0
    assert (
        capsys.readouterr().out == f"{demo_file} already holds data: demo not loaded.\n"
    )


def test_a_bad_period_is_explained_with_a_non_zero_exit(
    demo_file: Path, capsys
) -> None:
    assert main(["--db", str(demo_file), "kpis", "--period", "2026Q5"]) == 2
    assert capsys.readouterr().err == (
        "error: '2026Q5' is not a period: use a quarter (2026Q2), a month (2026-05) "
        "or a year (2026).\n"
    )


def test_kpis_on_a_missing_database_says_how_to_create_it(
    tmp_path: Path, capsys
) -> None:
    path = tmp_path / "absent.duckdb"
    assert main(["--db", str(path), "kpis", "--period", "2026Q2"]) == 2
    assert capsys.readouterr().err == (
        f"error: {path} does not exist: run 'init' or 'demo' first.\n"
    )
    assert not path.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["kpis"], "error: the following arguments are required: --period\n"),
        (
            ["kpis", "--period", "2026Q2", "--horizon", "soon"],
            "error: argument --horizon: invalid choice: 'soon' (choose from 'short', "
            "'medium', 'long')\n",
        ),
        (
            ["frobnicate"],
            "error: argument command: invalid choice: 'frobnicate' "
            "(choose from 'init', 'demo', 'kpis', 'import', 'imports', 'undo',"
            " 'mappings', 'snapshot', 'backup', 'restore', 'users', 'vocabulary')\n",
        ),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    argv: list[str], message: str, capsys
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] + "\n" == message


@pytest.mark.parametrize(
    "command",
    [[], ["init"], ["demo"], ["kpis"], ["import"], ["imports"], ["undo"], ["users"],
     ["users", "add"]],
)  # fmt: skip
def test_every_command_has_help(command: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m clusterkpi")
    assert "--help" in out


def test_a_database_locked_by_another_process_is_explained(
    tmp_path: Path, capsys
) -> None:
    import subprocess
    import sys

    path = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from clusterkpi.store import Store; s = Store(sys.argv[1]);"
         " print('ready', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "ready\n"
        assert main(["--db", str(path), "kpis", "--period", "2026Q2"]) == 2
        assert capsys.readouterr().err == (
            f"error: The database {path} is in use by another process (the app is"
            " probably running): stop it, or use the app's pages instead.\n"
        )
    finally:
        holder.kill()
        holder.wait()
