"""The upload page (AppTest) and the CLI give the same report for the same file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi.cli import main
from tests.demo_db import ROOT
from tests.import_helpers import DATA, app_env


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(tmp_path / "upload.duckdb", monkeypatch)


def _page(lang: str = "fr") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def _upload(at: AppTest, *paths: Path) -> AppTest:
    files = [(p.name, p.read_bytes(), "text/csv") for p in paths]
    at.file_uploader(key="files").set_value(files)
    return at.run()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_checking_a_bad_file_lists_its_problems_and_loads_nothing(
    empty_db: Path,
) -> None:
    at = _upload(_page(), DATA / "templates" / "date_impossible.csv")
    at = _button(at, "Vérifier").click().run()
    assert [e.value for e in at.error] == [
        "date\\_impossible\\.csv : refusé, rien n'a été chargé"  # escaped Markdown
    ]
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {
            "Tableau": "date_impossible.csv",
            "Ligne": 3,
            "Colonne": "Date d'adhésion",
            "Valeur": "31/02/2023",
            "Problème": "Ce n'est pas une date dans le format attendu.",
        }
    ]
    st.cache_resource.clear()
    assert main(["--db", str(empty_db), "imports", "--json"]) == 0


def test_the_cli_dry_run_gives_the_same_report_as_the_page(
    empty_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = DATA / "templates" / "type_inconnu_cp1252.csv"
    at = _upload(_page("en"), fixture)
    at = _button(at, "Check").click().run()
    shown = at.dataframe[0].value.to_dict("records")
    st.cache_resource.clear()  # the CLI opens the same file
    code = main(
        [
            "--db",
            str(empty_db),
            "import",
            str(fixture),
            "--dry-run",
            "--json",
            "--lang",
            "en",
        ]
    )
    assert code == 1
    report = json.loads(capsys.readouterr().out)[0]
    assert report["status"] == "rejected"
    assert [
        {
            "Table": p["table"],
            "Line": p["line"],
            "Column": p["column"],
            "Value": p["value"],
            "Problem": p["message"],
        }
        for p in report["problems"]
    ] == shown
    assert shown == [
        {
            "Table": "type_inconnu_cp1252.csv",
            "Line": 3,
            "Column": "Type de structure",
            "Value": "Inconnu",
            "Problem": "Unknown value: map it to a category.",
        }
    ]


def test_importing_then_undoing_from_the_page(empty_db: Path) -> None:
    at = _upload(_page(), DATA / "templates" / "adherents.csv")
    at = _button(at, "Importer").click().run()
    assert [s.value for s in at.success] == [
        "adherents\\.csv : chargé"
    ]  # escaped Markdown
    history = at.dataframe[0].value
    assert history[["Fichier", "Ajoutées", "État"]].to_dict("records") == [
        {"Fichier": "adherents.csv", "Ajoutées": 4, "État": "loaded"}
    ]
    at.selectbox(key="undo_choice").set_value(1)
    at = _button(at, "Annuler cet import").click().run()
    assert [s.value for s in at.success][-1] == (
        "Import n° 1 annulé : 4 lignes retirées, les indicateurs sont recalculés."
    )
    st.cache_resource.clear()
    from clusterkpi.store import Store

    store = Store(empty_db)
    assert store.rows("SELECT count(*) FROM members") == [(0,)]
    assert store.rows("SELECT status, undone_by FROM imports") == [("undone", "local")]
    store.close()


def test_a_file_name_is_shown_as_typed_never_as_markdown(
    empty_db: Path, tmp_path: Path
) -> None:
    from clusterkpi.ui.context import plain

    name = "[ext](https:evil.example.org) ![i](https:evil.example.org/t.png) **B**.csv"
    source = DATA / "templates" / "date_impossible.csv"
    at = _page()
    at.file_uploader(key="files").set_value([(name, source.read_bytes(), "text/csv")])
    at = _button(at.run(), "Vérifier").click().run()
    # Every Markdown character of the name is escaped: the browser shows it as typed.
    assert [e.value for e in at.error] == [
        f"{plain(name)} : refusé, rien n'a été chargé"
    ]
    assert plain(name).startswith("\\[ext\\]\\(https\\:evil\\.example\\.org\\)")
    shown = [m.value for m in at.markdown if "reconnu comme" in m.value]
    assert shown and all(plain(name) in m for m in shown)
