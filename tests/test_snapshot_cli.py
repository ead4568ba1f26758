"""The snapshot commands: create, list, show, approve, request changes, export; refusals exit 1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from clusterkpi import config
from clusterkpi.catalog import Catalog
from clusterkpi.cli import main
from clusterkpi.progress import Thresholds
from clusterkpi.snapshots import read_snapshot, restatements
from clusterkpi.store import Store
from tests.demo_db import ROOT, TODAY, make_demo_db
from tests.import_helpers import DATA

AUTUMN = DATA / "mailchimp" / "campaigns_2026Q3.csv"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_db(tmp_path_factory.mktemp("snapshot_cli") / "demo.duckdb")


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database file."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, path)
    return path


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERKPI_TODAY", TODAY.isoformat())


def run(db: Path, *argv: str) -> int:
    return main(["--db", str(db), "snapshot", *argv])


def stored(db: Path, quarter: str):
    store = Store(db)
    try:
        return read_snapshot(store, quarter)
    finally:
        store.close()


def quarters(db: Path) -> list[tuple]:
    store = Store(db)
    try:
        return store.rows("SELECT quarter FROM snapshots ORDER BY quarter")
    finally:
        store.close()


def test_create_freezes_the_quarter_with_the_comments_and_thresholds(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("CLUSTERKPI_ON_TRACK_RATIO", "0.9")
    argv = ["create", "2026Q3", "--user", "animator", "--comment",
            "credibility=La presse = nos membres.", "--comment", "sme_value=Stable."]  # fmt: skip
    assert run(db, *argv) == 0
    assert capsys.readouterr() == (
        "2026Q3 frozen as of 2026-09-30: snapshot 1, 30 KPIs, by animator.\n",
        "",
    )
    snapshot = stored(db, "2026Q3")
    assert (snapshot.created_by, snapshot.thresholds) == (
        "animator",
        Thresholds(0.9, 0.75),
    )
    assert {
        o.objective_id: o.commentary for o in snapshot.objectives if o.commentary
    } == {
        "credibility": "La presse = nos membres.",
        "sme_value": "Stable.",
    }


def test_create_without_user_records_cli(db: Path, capsys) -> None:
    assert run(db, "create", "2026Q2") == 0
    assert stored(db, "2026Q2").created_by == "cli"


def test_creating_a_frozen_quarter_again_exits_1_with_the_reason(
    db: Path, capsys
) -> None:
    assert run(db, "create", "2026Q3", "--user", "animator") == 0
    first = stored(db, "2026Q3")
    capsys.readouterr()
    assert run(db, "create", "2026Q3") == 1
    assert capsys.readouterr() == (
        "",
        f"error: 2026Q3 is already frozen (snapshot 1, created "
        f"{first.created_at:%Y-%m-%d %H:%M} by animator): a snapshot is never "
        "changed.\n",
    )
    assert stored(db, "2026Q3") == first


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["create", "2026Q4"],
         "2026Q4 has not ended yet (its last day is 2026-12-31): a quarter is frozen "
         "once it is over."),
        (["create", "2026-09"],
         "'2026-09' is not a quarter: a snapshot freezes a whole quarter, written "
         "like 2026Q3."),
        (["create", "2026Q3", "--comment", "credibility=a", "--comment",
          "credibility=b"],
         "Commentary for credibility is given twice."),
        (["create", "2026Q3", "--comment", "press=x"],
         "Commentary for press: no such objective. Objectives are: identity_vision, "
         "information_engagement, joint_messages, cooperative_projects, "
         "notoriety_visibility, target_exchanges, credibility, sme_value, "
         "communication_materials, media_partnerships, membership_attractiveness."),
        (["show", "2026Q2"], "There is no snapshot of 2026Q2: freeze it first."),
        (["approve", "2026Q2", "--user", "chair"],
         "There is no snapshot of 2026Q2: freeze it first."),
        (["approve", "2026Q2", "--user", " "],
         "Say who you are: the user name is recorded."),
    ],
)  # fmt: skip
def test_refusals_exit_1_with_the_reason_and_write_nothing(
    db: Path, argv: list[str], message: str, capsys
) -> None:
    assert run(db, *argv) == 1
    assert capsys.readouterr() == ("", f"error: {message}\n")
    assert quarters(db) == []


def test_a_comment_without_an_objective_is_a_usage_error(db: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(db, "create", "2026Q3", "--comment", "Bon trimestre")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: argument --comment: 'Bon trimestre' is not OBJECTIVE_ID=TEXT "
        "(e.g. credibility='Press up 20 %')"
    )


def test_approve_needs_a_user(db: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(db, "approve", "2026Q3")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: the following arguments are required: --user"
    )


def test_approve_records_the_user_once(db: Path, capsys) -> None:
    assert run(db, "create", "2026Q3") == 0
    assert run(db, "approve", "2026Q3", "--user", "board chair") == 0
    approved = stored(db, "2026Q3")
    assert approved.approved_by == "board chair"
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"2026Q3 approved by board chair on {approved.approved_at:%Y-%m-%d %H:%M}."
    )
    assert run(db, "approve", "2026Q3", "--user", "admin") == 1
    assert capsys.readouterr() == (
        "",
        f"error: 2026Q3 was already approved by board chair on "
        f"{approved.approved_at:%Y-%m-%d %H:%M}: an approval is recorded once.\n",
    )
    assert stored(db, "2026Q3") == approved


def test_list_prints_each_snapshot_latest_quarter_first(db: Path, capsys) -> None:
    assert run(db, "list") == 0
    assert capsys.readouterr().out == "No snapshot yet.\n"
    assert run(db, "create", "2026Q2", "--user", "animator") == 0
    assert run(db, "create", "2026Q3", "--user", "animator") == 0
    assert run(db, "approve", "2026Q2", "--user", "chair") == 0
    q2, q3 = stored(db, "2026Q2"), stored(db, "2026Q3")
    capsys.readouterr()
    assert run(db, "list") == 0
    assert capsys.readouterr().out == (
        f"2026Q3  #2  created {q3.created_at:%Y-%m-%d %H:%M} by animator  "
        "not approved\n"
        f"2026Q2  #1  created {q2.created_at:%Y-%m-%d %H:%M} by animator  "
        f"approved {q2.approved_at:%Y-%m-%d %H:%M} by chair\n"
    )
    assert run(db, "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"snapshot_id": 2, "quarter": "2026Q3", "as_of": "2026-09-30",
         "created_at": str(q3.created_at), "created_by": "animator",
         "catalog_version": 2, "approved": False, "approved_at": None,
         "approved_by": None},
        {"snapshot_id": 1, "quarter": "2026Q2", "as_of": "2026-06-30",
         "created_at": str(q2.created_at), "created_by": "animator",
         "catalog_version": 2, "approved": True,
         "approved_at": str(q2.approved_at), "approved_by": "chair"},
    ]  # fmt: skip


def test_show_json_gives_the_frozen_values_and_the_restatements(
    db: Path, catalog: Catalog, capsys
) -> None:
    assert run(db, "create", "2026Q3", "--user", "animator") == 0
    assert main(["--db", str(db), "import", str(AUTUMN), "--user", "animator"]) == 0
    capsys.readouterr()
    assert run(db, "show", "2026Q3", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    store = Store(db)
    snapshot = read_snapshot(store, "2026Q3")
    changed = restatements(store, catalog, snapshot)
    store.close()
    assert shown["kpis"] == [
        {"id": k.kpi_id, "objective": k.objective_id, "value": k.value,
         "previous": k.previous,
         "targets": {f.horizon.value: f.target for f in k.horizons},
         "status": {f.horizon.value: f.status.value for f in k.horizons}}
        for k in snapshot.kpis
    ]  # fmt: skip
    assert shown["restatements"] == [
        {"kpi": r.kpi_id, "frozen": r.frozen, "current": r.current,
         "imports": [{"id": 2, "file_name": "campaigns_2026Q3.csv",
                      "imported_at": str(r.imports[0][2])}]}
        for r in changed
    ]  # fmt: skip
    assert [r["kpi"] for r in shown["restatements"]] == [
        "newsletter_open_rate",
        "newsletter_click_rate",
        "newsletter_click_to_open_rate",
        "newsletter_unsubscribe_rate",
    ]
    assert (shown["quarter"], shown["as_of"], shown["approved_by"]) == (
        "2026Q3",
        "2026-09-30",
        None,
    )


def test_show_text_lists_objectives_kpis_and_restatements(db: Path, capsys) -> None:
    assert run(db, "create", "2026Q3", "--user", "animator", "--comment",
               "credibility=Bonne presse.") == 0  # fmt: skip
    snapshot = stored(db, "2026Q3")
    capsys.readouterr()
    assert run(db, "show", "2026Q3") == 0
    lines = capsys.readouterr().out.splitlines()
    nps = snapshot.kpi("member_nps")
    credibility = next(
        o for o in snapshot.objectives if o.objective_id == "credibility"
    )
    assert lines[:2] == [
        f"2026Q3 as of 2026-09-30 (snapshot 1, created "
        f"{snapshot.created_at:%Y-%m-%d %H:%M} by animator, catalogue version 2), "
        "not approved",
        "horizons: short 2027-12-31, medium 2031-12-31, long 2036-12-31",
    ]
    at = lines.index("credibility: " + " / ".join(credibility.status.values()))
    assert lines[at + 1] == "  « Bonne presse. »"
    assert (
        f"  {'member_nps':<34} {nps.value:>12.4g}  "
        + " / ".join(f.status.value for f in nps.horizons)
    ) in lines
    assert lines[-1] == "restatements (data imported since): 0"


def test_export_without_the_exports_module_is_explained(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert run(db, "create", "2026Q3") == 0
    capsys.readouterr()
    monkeypatch.setitem(sys.modules, "clusterkpi.exports", None)
    out = db.parent / "pack.pdf"
    assert run(db, "export", "2026Q3", "--format", "pdf", "--out", str(out)) == 1
    assert capsys.readouterr() == (
        "",
        "error: Snapshot exports are not available: the clusterkpi.exports module "
        "is missing from this installation.\n",
    )
    assert not out.exists()


def test_export_hands_the_frozen_snapshot_to_the_exporter(
    db: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    calls = []

    def export_snapshot(store, catalog, snapshot, fmt, lang, out_path):
        calls.append((type(store), catalog, snapshot, fmt, lang, out_path))
        return out_path

    fake = types.ModuleType("clusterkpi.exports")
    fake.export_snapshot = export_snapshot
    monkeypatch.setitem(sys.modules, "clusterkpi.exports", fake)
    assert run(db, "create", "2026Q3") == 0
    capsys.readouterr()
    out = db.parent / "pack.xlsx"
    argv = ["export", "2026Q3", "--format", "xlsx", "--lang", "en", "--out", str(out)]
    assert run(db, *argv) == 0
    assert capsys.readouterr() == (f"2026Q3 exported as xlsx: {out}\n", "")
    assert calls == [(Store, catalog, stored(db, "2026Q3"), "xlsx", "en", out)]


@pytest.mark.parametrize(
    "argv",
    [["export", "2026Q3", "--format", "docx", "--out", "x"],
     ["export", "2026Q3", "--format", "pdf", "--lang", "de", "--out", "x"],
     ["export", "2026Q3", "--format", "pdf"]],
)  # fmt: skip
def test_export_options_are_checked_before_anything_runs(
    db: Path, argv: list[str], capsys
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(db, *argv)
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "action",
    [[], ["create"], ["list"], ["show"], ["approve"], ["request-changes"], ["export"]],
)
def test_every_snapshot_command_has_help(action: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["snapshot", *action, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m clusterkpi snapshot {' '.join(action)}")


def test_snapshot_commands_on_a_missing_database_say_how_to_create_it(
    tmp_path: Path, capsys
) -> None:
    path = tmp_path / "absent.duckdb"
    assert run(path, "list") == 2
    assert capsys.readouterr().err == (
        f"error: {path} does not exist: run 'init' or 'demo' first.\n"
    )
    assert not path.exists()


def test_the_module_command_exits_0_then_1_for_the_same_quarter(db: Path) -> None:
    config.get_settings.cache_clear()
    env = {**os.environ, "CLUSTERKPI_TODAY": TODAY.isoformat()}
    command = [sys.executable, "-m", "clusterkpi", "--db", str(db), "snapshot",
               "create", "2026Q3", "--user", "animator"]  # fmt: skip
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert (first.returncode, first.stdout, first.stderr) == (
        0,
        "2026Q3 frozen as of 2026-09-30: snapshot 1, 30 KPIs, by animator.\n",
        "",
    )
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr.startswith("error: 2026Q3 is already frozen (snapshot 1, ")


def test_approve_keeps_the_comment_for_the_board_pack(db: Path, capsys) -> None:
    assert run(db, "create", "2026Q3") == 0
    assert run(db, "approve", "2026Q3", "--user", "paul", "--comment", " Vu. ") == 0
    approved = stored(db, "2026Q3")
    assert (approved.approved_by, approved.approval_comment) == ("paul", "Vu.")


def test_request_changes_is_recorded_shown_and_leaves_approval_open(
    db: Path, capsys
) -> None:
    assert run(db, "create", "2026Q3", "--user", "marie") == 0
    capsys.readouterr()
    assert run(db, "request-changes", "2026Q3", "--user", "paul",
               "--comment", "Commentez le web.") == 0  # fmt: skip
    [asked] = stored(db, "2026Q3").change_requests
    assert capsys.readouterr().out == (
        f"2026Q3: changes requested by paul on {asked.at:%Y-%m-%d %H:%M}.\n"
    )
    assert run(db, "approve", "2026Q3", "--user", "paul", "--comment", "Merci.") == 0
    approved = stored(db, "2026Q3")
    capsys.readouterr()
    assert run(db, "show", "2026Q3") == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("reviews: 2")
    assert lines[at + 1 : at + 3] == [
        f"  {asked.at:%Y-%m-%d %H:%M} paul requested changes: « Commentez le web. »",
        f"  {approved.approved_at:%Y-%m-%d %H:%M} paul approved: « Merci. »",
    ]
    assert run(db, "show", "2026Q3", "--json") == 0
    assert json.loads(capsys.readouterr().out)["reviews"] == [
        {"kind": "request_changes", "author": "paul", "at": str(asked.at),
         "comment": "Commentez le web."},
        {"kind": "approve", "author": "paul", "at": str(approved.approved_at),
         "comment": "Merci."},
    ]  # fmt: skip


def test_request_changes_needs_a_comment(db: Path, capsys) -> None:
    assert run(db, "create", "2026Q3") == 0
    with pytest.raises(SystemExit) as exit_info:
        run(db, "request-changes", "2026Q3", "--user", "paul")
    assert exit_info.value.code == 2
    capsys.readouterr()
    assert run(db, "request-changes", "2026Q3", "--user", "paul", "--comment", " ") == 1
    assert capsys.readouterr().err == (
        "error: Say what should change: a request for changes needs a comment.\n"
    )
    assert stored(db, "2026Q3").reviews == ()
