"""The upload page (AppTest) and the CLI give the same report for the same file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi.cli import main
from clusterkpi.ui.plain_text import WORD_JOINER
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
    table = at.table[0].value  # a static table: each reason wrapped, whole
    assert as_typed(table.to_dict("records")) == [
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


def as_typed(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """Undo plain()'s escapes: st.table cells are Markdown, shown as typed."""
    return [
        {
            k: re.sub(r"\\(.)", r"\1", v.replace(WORD_JOINER, ""))
            if isinstance(v, str)
            else v
            for k, v in row.items()
        }
        for row in records
    ]


def test_the_cli_dry_run_gives_the_same_report_as_the_page(
    empty_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = DATA / "templates" / "type_inconnu_cp1252.csv"
    at = _upload(_page("en"), fixture)
    at = _button(at, "Check").click().run()
    shown = as_typed(at.table[0].value.to_dict("records"))
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


def _undone_state(db: Path) -> str:
    from clusterkpi.i18n import format_moment
    from clusterkpi.store import Store

    st.cache_resource.clear()  # release the page's connection to read the file here
    store = Store(db)
    [(when,)] = store.rows("SELECT undone_at FROM imports")
    store.close()
    return f"annulé le {format_moment(when, 'fr_FR')}"


def test_importing_then_undoing_from_the_page(empty_db: Path) -> None:
    at = _upload(_page(), DATA / "templates" / "adherents.csv")
    at = _button(at, "Importer").click().run()
    assert [s.value for s in at.success] == [
        "adherents\\.csv : chargé"
    ]  # escaped Markdown
    history = at.dataframe[0].value
    assert history[["Fichier", "Ajoutées", "État"]].to_dict("records") == [
        {"Fichier": "adherents.csv", "Ajoutées": 4, "État": "chargé"}
    ]
    at.selectbox(key="undo_choice").set_value(1)
    at = _button(at, "Annuler cet import").click().run()
    assert [s.value for s in at.success][-1] == (
        "Import n° 1 annulé : 4 lignes retirées, les indicateurs sont recalculés."
    )
    history = at.dataframe[0].value
    assert history[["N°", "Par", "État"]].to_dict("records") == [
        {"N°": 1, "Par": "Mode ouvert (sans compte)", "État": _undone_state(empty_db)}
    ]
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


ATTENDEES = DATA / "eventbrite" / "attendees.csv"


def _upload_as(at: AppTest, name: str, source: Path) -> AppTest:
    at.file_uploader(key="files").set_value([(name, source.read_bytes(), "text/csv")])
    return at.run()


def test_an_attendee_list_named_after_its_event_prefills_a_new_event(
    empty_db: Path,
) -> None:
    at = _upload_as(_page(), "Atelier IA 2026-03-12 attendees.csv", ATTENDEES)
    assert at.selectbox(key="event_pick").value == "new"
    assert at.text_input(key="event_title").value == "Atelier IA"
    assert at.date_input(key="event_date").value == date(2026, 3, 12)
    assert at.selectbox(key="event_kind").value == "workshop"
    assert "Titre et date lus dans le nom du fichier : vérifiez-les." in [
        c.value for c in at.caption
    ]
    assert [w.value for w in at.main.warning] == []
    at = _button(at, "Importer").click().run()
    assert [s.value for s in at.success] == [
        "Atelier IA 2026\\-03\\-12 attendees\\.csv : chargé"
    ]


def test_an_attendee_list_that_names_no_event_leaves_the_date_empty(
    empty_db: Path,
) -> None:
    at = _upload_as(_page("en"), "attendees.csv", ATTENDEES)
    assert at.selectbox(key="event_pick").value == "new"
    assert at.text_input(key="event_title").value == ""
    assert at.date_input(key="event_date").value is None  # never today's date
    assert [w.value for w in at.main.warning] == [
        "Give the event's title and date: without them the attendee list cannot be"
        " imported."
    ]


def test_import_numbers_run_without_gaps_after_checks_and_refusals(
    empty_db: Path,
) -> None:
    at = _upload(_page(), DATA / "templates" / "adherents.csv")
    at = _button(at, "Vérifier").click().run()
    at = _upload(at, DATA / "templates" / "date_impossible.csv")
    at = _button(at, "Importer").click().run()  # refused: nothing recorded
    at = _upload(at, DATA / "templates" / "adherents.csv")
    at = _button(at, "Importer").click().run()
    at = _upload(at, DATA / "brevo" / "contacts_fr.csv")
    at = _button(at, "Importer").click().run()
    history = at.dataframe[-1].value
    assert history[["N°", "Fichier", "Source"]].to_dict("records") == [
        {
            "N°": 2,
            "Fichier": "contacts_fr.csv",
            "Source": "Brevo — export des contacts",
        },
        {"N°": 1, "Fichier": "adherents.csv", "Source": "Liste des adhérents"},
    ]


@pytest.mark.parametrize(
    ("lang", "caption"),
    [
        ("fr", "Glissez vos fichiers dans le cadre ou cliquez sur son bouton · 50 Mo au"
               " plus par fichier · formats : CSV, TSV, TXT, XLSX, XLS, ZIP."),
        ("en", "Drop your files into the box or click its button · at most 50 MB per"
               " file · formats: CSV, TSV, TXT, XLSX, XLS, ZIP."),
    ],
)  # fmt: skip
def test_the_file_picker_states_its_limit_in_the_page_language(
    empty_db: Path, lang: str, caption: str
) -> None:
    assert caption in [c.value for c in _page(lang).caption]


def test_a_long_list_of_problems_scrolls_and_a_short_one_wraps(empty_db: Path) -> None:
    rows = [f"Entreprise {i};PME;31/02/2023" for i in range(101)]
    raw = "\n".join(["Raison sociale;Type de structure;Date d'adhésion", *rows])
    at = _page()
    at.file_uploader(key="files").set_value([("long.csv", raw.encode(), "text/csv")])
    at = _button(at.run(), "Vérifier").click().run()
    assert list(at.table) == []
    assert len(at.dataframe[0].value) == 101  # the problems, then the history


def test_an_empty_history_says_so(empty_db: Path) -> None:
    at = _page()
    assert "Aucun fichier importé pour l'instant." in [c.value for c in at.caption]
    assert list(at.dataframe) == []
