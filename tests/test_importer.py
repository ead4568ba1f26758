"""The import pipeline on clusterkpi's templates: reject, load, duplicate, update, undo."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
import pytest

from clusterkpi.imports.loading import undo_import
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.import_helpers import DATA, load, snapshot

MEMBER_COLUMNS = ["name", "member_type", "country", "region", "joined_on", "left_on"]


def members(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members ORDER BY name")


def test_a_french_roster_loads_without_any_mapping(store: Store) -> None:
    report = load(store, "templates/adherents.csv")
    assert report.status == "loaded"
    assert [
        (t.source, t.rows_read, t.rows_valid, t.date_order) for t in report.tables
    ] == [("template_members", 4, 4, "dmy")]
    assert (report.rows_added, report.rows_updated, report.rows_rejected) == (4, 0, 0)
    assert members(store) == [
        ("Agro Iberia", "startup", "ES", "Catalunya", date(2025, 3, 12), None),
        (
            "Biscuiterie Maury",
            "sme",
            "FR",
            "Occitanie",
            date(2023, 2, 3),
            date(2025, 12, 31),
        ),
        ("INRAE Toulouse", "research_lab", "FR", "Occitanie", date(2020, 6, 1), None),
        ("Laiterie des Causses", "sme", "FR", "Occitanie", date(2024, 1, 15), None),
    ]
    assert store.rows("SELECT DISTINCT import_id FROM members") == [(report.import_id,)]
    assert store.rows(
        "SELECT file_name, source, rows_added, rows_updated, rows_rejected, status"
        " FROM imports"
    ) == [("adherents.csv", "template_members", 4, 0, 0, "loaded")]


@pytest.mark.parametrize(
    ("fixture", "problems"),
    [
        ("type_inconnu_cp1252.csv",
         [Problem("unknown_category", 3, "Type de structure", "Inconnu")]),
        ("date_impossible.csv",
         [Problem("invalid_date", 3, "Date d'adhésion", "31/02/2023")]),
        ("colonnes_manquantes.csv",
         [Problem("missing_columns", params={"columns": "Type, Date d'adhésion"})]),
    ],
)  # fmt: skip
def test_a_defective_file_is_explained_and_changes_nothing(
    store: Store, fixture: str, problems: list[Problem]
) -> None:
    load(store, "templates/adherents.csv")
    before = snapshot(store)
    report = load(store, f"templates/{fixture}")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == problems
    assert snapshot(store) == before


def test_the_valid_rows_load_when_the_animator_asks(store: Store) -> None:
    report = load(store, "templates/type_inconnu_cp1252.csv", load_valid_rows=True)
    assert report.status == "loaded"
    assert (report.rows_added, report.rows_rejected) == (1, 1)
    assert [r[0] for r in members(store)] == ["Laiterie des Causses"]


def test_empty_words_are_empty_cells_and_a_field_default_fills_them(
    store: Store,
) -> None:
    # 'n/a', '-' and a blank are no value; 'Entreprise cible' defaults to yes.
    report = load(store, "templates/interactions_mots_vides.csv")
    assert (report.status, report.problems) == ("loaded", [])
    assert store.rows(
        "SELECT interaction_id, occurred_on, kind, organisation, is_target"
        " FROM interactions ORDER BY interaction_id"
    ) == [
        ("IN1", date(2026, 3, 12), "call", "Laiterie des Causses", True),
        ("IN2", date(2026, 3, 13), "meeting", None, True),
        ("IN3", date(2026, 3, 14), "call", "Biscuiterie Maury", False),
        ("IN4", date(2026, 3, 15), "call", "Biscuiterie Maury", True),
    ]


def test_the_same_file_twice_adds_nothing_and_says_so(store: Store) -> None:
    first = load(store, "templates/adherents.csv")
    before = snapshot(store)
    again = load(store, "templates/adherents.csv")
    assert again.status == "duplicate"
    assert [p for _, p in again.problems] == [
        Problem("duplicate_file", params={"id": first.import_id})
    ]
    assert again.problems[0][1].message("en") == (
        f"This file was already imported (import #{first.import_id}): nothing was added."
    )
    assert snapshot(store) == before


def test_a_newer_export_updates_rows_by_key_and_undo_restores_them(
    store: Store,
) -> None:
    first = load(store, "templates/adherents.csv")
    newer = (
        (DATA / "templates" / "adherents.csv")
        .read_bytes()
        .replace(
            b"Agro Iberia;Start-up;Espagne;Catalunya;12/03/2025;",
            b"Agro Iberia;Start-up;Espagne;Catalunya;12/03/2025;30/06/2026",
        )
    )
    report = load(store, "adherents-v2.csv", newer)
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 0, 1)
    assert report.tables[0].counts.unchanged == 3
    assert members(store)[0][-1] == date(2026, 6, 30)
    assert undo_import(store, report.import_id, "animator") == {"members": 1}
    assert members(store)[0] == (
        "Agro Iberia",
        "startup",
        "ES",
        "Catalunya",
        date(2025, 3, 12),
        None,
    )
    assert store.scalar("SELECT count(*) FROM members_history") == 0
    assert undo_import(store, first.import_id, "animator") == {"members": 4}
    assert members(store) == []
    assert store.rows("SELECT status, undone_by FROM imports ORDER BY import_id") == [
        ("undone", "animator"),
        ("undone", "animator"),
    ]


def test_a_dry_run_reports_the_same_and_loads_nothing(store: Store) -> None:
    before = snapshot(store)
    checked = load(store, "templates/type_inconnu_cp1252.csv", dry_run=True)
    assert snapshot(store) == before
    real = load(store, "templates/type_inconnu_cp1252.csv")
    assert checked.problems == real.problems
    assert (checked.status, real.status) == ("rejected", "rejected")


def test_an_english_roster_with_month_first_dates_is_read_month_first(
    store: Store,
) -> None:
    report = load(store, "templates/roster_en_mdy.csv")
    assert [(t.date_order, t.date_order_ambiguous) for t in report.tables] == [
        ("mdy", False)
    ]
    assert members(store) == [
        ("Acme Robotics", "large_company", "DE", None, date(2024, 12, 31), None),
        ("Nordic Foods", "sme", "SE", None, date(2025, 1, 15), None),
    ]


def test_ambiguous_dates_are_flagged_and_follow_the_animators_choice(
    store: Store,
) -> None:
    report = load(store, "templates/roster_ambiguous.csv", dry_run=True)
    assert [(t.date_order, t.date_order_ambiguous) for t in report.tables] == [
        ("dmy", True)
    ]
    report = load(store, "templates/roster_ambiguous.csv", date_order="mdy")
    assert [(t.date_order, t.date_order_ambiguous) for t in report.tables] == [
        ("mdy", True)
    ]
    assert [(r[0], r[4]) for r in members(store)] == [
        ("A", date(2024, 1, 2)),
        ("B", date(2024, 3, 4)),
    ]


def test_manual_kpi_values_become_observations_of_their_period(store: Store) -> None:
    report = load(store, "templates/valeurs.csv")
    assert [p for _, p in report.problems] == [
        Problem("invalid_format", 3, "Période", "2026-T2")
    ]
    report = load(store, "templates/valeurs.csv", load_valid_rows=True)
    assert store.rows("SELECT * EXCLUDE (import_id) FROM observations") == [
        ("member_nps", date(2026, 4, 1), date(2026, 7, 1), 41.0, "Enquête externe")
    ]


def test_the_problem_report_downloads_as_csv_in_the_users_language(
    store: Store,
) -> None:
    report = load(store, "templates/date_impossible.csv")
    assert report.problems_csv("fr").splitlines() == [
        "Tableau,Ligne,Colonne,Valeur,Problème",
        "date_impossible.csv,3,Date d'adhésion,31/02/2023,"
        "Ce n'est pas une date dans le format attendu.",
    ]
    frame = pd.read_csv(__import__("io").StringIO(report.problems_csv("en")))
    assert list(frame.columns) == ["Table", "Line", "Column", "Value", "Problem"]


def test_an_empty_file_is_refused_with_a_readable_message(store: Store) -> None:
    report = load(store, "vide.csv", b"")
    assert report.status == "rejected"
    assert [p.message("en") for _, p in report.problems] == [
        "The file vide.csv is empty. Please check the export in the original tool,"
        " then upload it again."
    ]


def _large_interactions(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["Identifiant;Date;Type;Organisation;Entreprise cible"]
    for i in range(rows):
        day = (
            "31/02/2025" if i == bad_row else f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025"
        )
        lines.append(f"IN{i:07d};{day};Rendez-vous;Entreprise {i % 997};oui")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_large_export_is_parsed_by_duckdb_with_exact_line_numbers(
    store: Store,
) -> None:
    raw = _large_interactions(200_000, bad_row=150_000)
    assert len(raw) > 8 * 1024 * 1024  # over the bulk threshold
    report = load(store, "interactions.csv", raw)
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("invalid_date", 150_002, "Date", "31/02/2025")
    ]
    assert store.scalar("SELECT count(*) FROM interactions") == 0
    report = load(store, "interactions.csv", raw, load_valid_rows=True)
    assert (report.rows_added, report.rows_rejected) == (199_999, 1)
    assert store.rows(
        "SELECT interaction_id, occurred_on, kind, organisation, is_target"
        " FROM interactions WHERE interaction_id = 'IN0000029'"
    ) == [("IN0000029", date(2025, 6, 2), "meeting", "Entreprise 29", True)]


def test_the_import_reports_its_progress_by_phase(store: Store) -> None:
    seen: list[tuple[float, str]] = []
    report = load(
        store, "templates/adherents.csv", on_progress=lambda f, p: seen.append((f, p))
    )
    assert report.status == "loaded"
    assert seen == [(0.0, "read"), (0.1, "check")]


def test_an_end_before_the_start_is_refused_on_its_line(store: Store) -> None:
    load(store, "templates/adherents.csv")
    before = snapshot(store)
    report = load(store, "templates/fin_avant_adhesion.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("before_start", 3, "Date de fin", "31/12/2023")
    ]
    assert report.problems[0][1].message("fr") == (
        "Date de fin antérieure à la date de début."
    )
    assert snapshot(store) == before


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_downloadable_templates_import_as_they_are(store: Store, lang: str) -> None:
    from clusterkpi.imports.template_files import template_csv

    for name, dataset, rows in (
        ("template_members", "members", 1),
        ("template_observations", "observations", 1),
    ):
        raw = template_csv(name, lang)
        report = load(store, f"{name}_{lang}.csv", raw)
        assert (report.status, report.rows_added) == ("loaded", rows)
        assert [t.dataset for t in report.tables] == [dataset]


def test_a_database_rule_broken_anyway_refuses_the_whole_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from clusterkpi.imports import importer
    from clusterkpi.imports.adapters.templates import MEMBERS

    # Without the row check, the table's own CHECK (left_on >= joined_on) is the guard.
    unchecked = replace(MEMBERS, not_before=())
    monkeypatch.setitem(importer.ADAPTERS, "template_members", unchecked)
    load(store, "templates/adherents.csv")
    before = snapshot(store)
    report = load(
        store,
        "templates/fin_avant_adhesion.csv",
        source="template_members",
        load_valid_rows=True,
    )
    assert (report.status, report.import_id, report.rows_added) == ("rejected", None, 0)
    assert [p.reason for _, p in report.problems] == ["constraint"]
    assert (
        report.problems[0][1]
        .message("en")
        .startswith(
            "These rows break a rule of the database (for example an end date before the"
            " start date): nothing was loaded. Detail: Constraint Error:"
        )
    )
    assert snapshot(store) == before


def test_overlapping_imports_from_parallel_sessions_keep_every_key_once(
    store: Store,
) -> None:
    """Keys are unique by the upsert under the store's write lock, not by an index."""

    def export(first: int, last: int, kind: str) -> bytes:
        rows = [
            f"IN{i:05d};{1 + i % 28:02d}/03/2026;{kind};Entreprise {i};oui"
            for i in range(first, last)
        ]
        header = "Identifiant;Date;Type;Organisation;Entreprise cible"
        return ("\n".join([header, *rows]) + "\n").encode("utf-8")

    files = [
        ("a.csv", export(0, 3000, "Rendez-vous")),
        ("b.csv", export(1000, 4000, "Appel")),
        ("c.csv", export(2000, 5000, "B2B")),
        ("d.csv", export(0, 5000, "Appel")),
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda f: load(store, *f), files))
    assert [r.status for r in reports] == ["loaded"] * 4
    assert store.rows(
        "SELECT count(*), count(DISTINCT interaction_id) FROM interactions"
    ) == [(5000, 5000)]
