"""The surveys that count: chosen by the animator, remembered with the file's shape."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.adapters.surveys import HUBSPOT_FEEDBACK
from clusterkpi.imports.mapping import header_signature
from clusterkpi.imports.reading import read_file
from clusterkpi.imports.survey_choices import (
    FileSurveys,
    file_surveys,
    prepare_survey,
    remember_surveys,
    remembered_surveys,
)
from clusterkpi.imports.survey_fit import SurveyCount
from clusterkpi.store import Store
from tests.import_helpers import DATA, counts, kpi, load

FEEDBACK = DATA / "surveys" / "hubspot_feedback.csv"


def feedback_header() -> tuple[str, ...]:
    with FEEDBACK.open(encoding="utf-8", newline="") as handle:
        return tuple(next(csv.reader(handle)))


def loaded(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT response_id, survey, nps_score FROM survey_responses ORDER BY response_id"
    )


MEMBERS_NPS = [
    ("HS-30112001", "NPS adhérents 2026", 10),
    ("HS-30112003", "NPS adhérents 2026", 8),
    ("HS-30112006", "NPS adhérents 2026", 4),
]


def test_a_remembered_choice_keeps_only_the_chosen_survey(
    store: Store, catalog: Catalog
) -> None:
    remember_surveys(store, feedback_header(), ("NPS adhérents 2026",), "claire")
    report = load(store, "surveys/hubspot_feedback.csv")
    # 7 rows: the partners' NPS (2 rows) and the CSAT (2 rows) are left out.
    assert counts(report) == [("hubspot_feedback", 7, 3, (3, 0, 0))]
    assert [t.rows_skipped for t in report.tables] == [4]
    assert loaded(store) == MEMBERS_NPS
    # Promoters 10; detractors 4; passive 8: (1 - 1) / 3.
    assert kpi(store, catalog, "member_nps", "2026Q2") == pytest.approx(0.0)


def test_choosing_a_csat_survey_still_counts_only_0_to_10_answers(store: Store) -> None:
    remember_surveys(store, feedback_header(), ("CSAT salon 2026",), "claire")
    report = load(store, "surveys/hubspot_feedback.csv")
    assert counts(report) == [("hubspot_feedback", 7, 0, (0, 0, 0))]
    assert loaded(store) == []


def test_the_choice_is_stored_under_the_header_signature(store: Store) -> None:
    header = feedback_header()
    remember_surveys(
        store, header, ("NPS adhérents 2026", "NPS partenaires 2026"), "paul"
    )
    assert store.rows("SELECT signature, surveys, chosen_by FROM survey_choices") == [
        (
            header_signature(header),
            '["NPS adhérents 2026", "NPS partenaires 2026"]',
            "paul",
        )
    ]
    assert remembered_surveys(store, header) == (
        "NPS adhérents 2026",
        "NPS partenaires 2026",
    )
    # Another shape of export has no choice.
    assert remembered_surveys(store, (*header, "Sentiment")) is None
    remember_surveys(store, header, (), "paul")  # forgotten
    assert store.rows("SELECT * FROM survey_choices") == []


def test_a_choice_given_with_the_import_is_applied_and_remembered(store: Store) -> None:
    table = read_file(FEEDBACK.name, FEEDBACK.read_bytes())[0]
    options = SimpleNamespace(
        surveys=("NPS partenaires 2026",), user="claire", lang="en", overrides={}
    )
    with store.transaction() as cur:
        fitted, adapter = prepare_survey(cur, table, HUBSPOT_FEEDBACK, options)
    assert fitted.header == (*table.header, "Response counted (clusterkpi)")
    assert [row[-1] for row in fitted.rows] == [
        "survey not chosen", "survey not chosen", "survey not chosen", "counted",
        "survey not chosen", "survey not chosen", "counted",
    ]  # fmt: skip
    assert adapter.row_filter == (("Response counted (clusterkpi)",), ("counted",))
    assert remembered_surveys(store, table.header) == ("NPS partenaires 2026",)


def test_by_default_the_rows_say_why_they_do_not_count_in_french(store: Store) -> None:
    table = read_file(FEEDBACK.name, FEEDBACK.read_bytes())[0]
    options = SimpleNamespace(surveys=None, user="claire", lang="fr", overrides={})
    with store.transaction() as cur:
        fitted, _ = prepare_survey(cur, table, HUBSPOT_FEEDBACK, options)
    assert [row[-1] for row in fitted.rows] == [
        "comptée", "pas sur l'échelle de 0 à 10", "comptée", "comptée",
        "pas sur l'échelle de 0 à 10", "comptée", "comptée",
    ]  # fmt: skip


def test_a_later_export_of_the_same_shape_uses_the_remembered_choice(
    store: Store,
) -> None:
    remember_surveys(store, feedback_header(), ("NPS adhérents 2026",), "claire")
    load(store, "surveys/hubspot_feedback.csv")
    later = FEEDBACK.read_text(encoding="utf-8") + (
        "30112008,NPS adhérents 2026,NPS,2026-06-01 10:00,new@agro.fr,9,Promoter,\n"
        "30112009,NPS partenaires 2026,NPS,2026-06-01 11:00,p@region.fr,10,Promoter,\n"
    )
    report = load(store, "surveys/hubspot_feedback_juin.csv", raw=later.encode("utf-8"))
    assert counts(report) == [("hubspot_feedback", 9, 4, (1, 0, 3))]
    assert loaded(store) == [*MEMBERS_NPS, ("HS-30112008", "NPS adhérents 2026", 9)]


def test_file_surveys_lists_each_survey_with_its_0_to_10_rows() -> None:
    found = file_surveys(FEEDBACK.name, FEEDBACK.read_bytes())
    assert found == [
        FileSurveys(
            table=FEEDBACK.name,
            header=feedback_header(),
            source="hubspot_feedback",
            surveys=[
                SurveyCount("NPS adhérents 2026", 3, 3),
                SurveyCount("CSAT salon 2026", 2, 0),
                SurveyCount("NPS partenaires 2026", 2, 2),
            ],
        )
    ]


def test_a_single_survey_file_is_named_by_the_tool_or_the_animator(
    store: Store,
) -> None:
    raw = (DATA / "surveys" / "surveymonkey.csv").read_bytes()
    assert file_surveys("surveymonkey.csv", raw)[0].surveys == [
        SurveyCount("SurveyMonkey", 4, 4)
    ]
    # A remembered choice that names another survey leaves every row out.
    header = tuple(read_file("surveymonkey.csv", raw)[0].header)
    remember_surveys(store, header, ("Baromètre 2026",), "claire")
    report = load(store, "surveys/surveymonkey.csv", overrides={"survey": "Autre"})
    assert counts(report) == [("surveymonkey", 4, 0, (0, 0, 0))]
    report = load(
        store, "surveys/surveymonkey.csv", raw=raw + b"\n",
        overrides={"survey": "Baromètre 2026"},
    )  # fmt: skip
    assert counts(report) == [("surveymonkey", 4, 4, (4, 0, 0))]
    assert store.rows("SELECT DISTINCT survey, min(submitted_on) FROM survey_responses"
                      " GROUP BY survey") == [("Baromètre 2026", date(2026, 2, 2))]  # fmt: skip


def _picker_app(db: str, path: str) -> None:
    """A page holding only the survey picker, its choice kept in the session."""
    from pathlib import Path
    from types import SimpleNamespace

    import streamlit as st

    from clusterkpi.i18n import t
    from clusterkpi.store import Store
    from clusterkpi.ui.survey_picker import survey_picker

    store = Store(db)
    ctx = SimpleNamespace(lang="en", store=store, t=lambda k, **v: t(k, "en", **v))
    file = Path(path)
    st.session_state["choice"] = survey_picker(ctx, file.name, file.read_bytes())
    store.close()


def _picker(db: Path) -> AppTest:
    return AppTest.from_function(_picker_app, args=(str(db), str(FEEDBACK))).run()


def test_the_picker_preselects_the_nps_surveys_and_returns_a_new_choice(
    tmp_path: Path,
) -> None:
    app = _picker(tmp_path / "picker.duckdb")
    [picker] = app.multiselect
    assert picker.label == "Surveys that count"
    assert picker.options == [
        "NPS adhérents 2026 — 3 responses, 3 of them on 0 to 10",
        "CSAT salon 2026 — 2 responses, 0 of them on 0 to 10",
        "NPS partenaires 2026 — 2 responses, 2 of them on 0 to 10",
    ]
    assert picker.value == ["NPS adhérents 2026", "NPS partenaires 2026"]
    assert app.session_state["choice"] is None  # the default: nothing to remember
    picker.unselect("NPS partenaires 2026").run()
    assert app.session_state["choice"] == ("NPS adhérents 2026",)


def test_the_picker_shows_the_remembered_choice(tmp_path: Path) -> None:
    db = tmp_path / "picker.duckdb"
    saved = Store(db)
    remember_surveys(saved, feedback_header(), ("NPS partenaires 2026",), "paul")
    saved.close()
    app = _picker(db)
    assert app.multiselect[0].value == ["NPS partenaires 2026"]
    assert [c.value for c in app.caption] == [
        "Choice remembered for this kind of file: NPS partenaires 2026."
    ]
    assert app.session_state["choice"] is None


def test_the_cli_chooses_the_surveys_that_count_and_remembers_them(
    tmp_path: Path,
) -> None:
    from clusterkpi import config
    from clusterkpi.cli import main

    source = Path(__file__).parent / "data/imports/surveys/hubspot_feedback.csv"
    database = tmp_path / "cli.duckdb"
    argv = ["--db", str(database), "import", "--lang", "en"]
    try:
        first = main([*argv, "--surveys", "NPS adhérents 2026", str(source)])
        again = tmp_path / "hubspot_feedback_again.csv"  # the same shape, new bytes
        again.write_bytes(source.read_bytes() + b"\n")
        main(["--db", str(database), "undo", "1"])
        second = main([*argv, str(again)])  # no --surveys: the remembered choice
        store = Store(database)
        ids = store.rows("SELECT response_id, nps_score FROM survey_responses")
        store.close()
    finally:
        config.get_settings.cache_clear()
    adherents = [
        line.split(",") for line in source.read_text().splitlines()[1:]
        if ",NPS adhérents 2026," in line
    ]  # fmt: skip
    assert (first, second) == (0, 0)
    assert sorted(score for _, score in ids) == sorted(int(r[5]) for r in adherents)
