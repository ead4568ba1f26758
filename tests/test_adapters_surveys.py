"""Google Forms and Typeform responses, end to end: member NPS and shared-vision answers."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.adapters.surveys import GOOGLE_FORMS, TYPEFORM
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.import_helpers import counts, every_table, kpi, load

NPS_QUESTION = (
    "Sur une échelle de 0 à 10, quelle est la probabilité que vous recommandiez le "
    "cluster à un confrère ?"
)


def responses(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT * EXCLUDE (import_id) FROM survey_responses"
        " ORDER BY submitted_on, response_id"
    )


def forms_row(stamp: str, email: str, nps: int | None, vision: int | None, member: bool,
              survey: str = "Google Forms") -> tuple:  # fmt: skip
    """A Forms response; its id hashes the timestamp and the answers read, as stored."""
    parts = [stamp, email, nps, vision, "true" if member else "false"]
    digest = hashlib.sha256("|".join(str(p) for p in parts if p is not None).encode())
    kind = "member" if member else "target_company"
    day = date.fromisoformat(stamp[:10])
    return ("GF-" + digest.hexdigest()[:12], survey, day, kind, None, nps, vision)


def sorted_rows(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda r: (r[2], r[0]))


FORMS_FR = [
    forms_row("2026-03-02 09:15:04", "claire.martin@agro-sud.fr", 10, 5, True),
    forms_row("2026-03-02 11:47:30", "paul.durand@novaferm.be", 9, 4, True),
    forms_row("2026-03-03 08:02:11", "s.leroy@biotech-ouest.fr", 8, 3, True),
    forms_row("2026-03-05 17:20:45", "luc.bernard@groupe-laitier.fr", 6, 4, True),
    forms_row("2026-03-09 10:10:10", "anne.petit@orange.fr", 3, 2, True),
    forms_row("2026-03-12 14:33:02", "rd@biotech-ouest.fr", 9, 5, True),
    forms_row("2026-03-16 09:01:59", "export@agrotech.es", 7, 4, False),
    forms_row("2026-03-17 18:45:00", "m.roux@fromagerie-roux.fr", 10, None, True),
]


def test_french_google_forms_answers_give_the_member_nps(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "forms/enquete_adherents_2026.csv")
    assert report.status == "loaded"
    assert counts(report) == [("google_forms", 8, 8, (8, 0, 0))]
    assert [t.date_order for t in report.tables] == ["dmy"]
    assert responses(store) == sorted_rows(FORMS_FR)
    # 7 members: promoters 10, 9, 9, 10; detractors 6, 3; the non-member is left out.
    assert kpi(store, catalog, "member_nps", "2026Q1") == pytest.approx(100 * 2 / 7)
    # Members who agree (4 or 5) with the vision: 5, 4, 4, 5 out of 6 answers.
    assert kpi(store, catalog, "vision_adherence_rate", "2026Q1") == pytest.approx(
        4 / 6
    )


def test_english_google_forms_answers_with_year_first_timestamps(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "forms/member_survey_en.csv")
    assert counts(report) == [("google_forms", 5, 5, (5, 0, 0))]
    # The NPS question also says 'member of': the yes/no question is the other one.
    assert responses(store) == sorted_rows([
        forms_row("2026-04-14 09:05:12", "t.garcia@agrotech.es", 9, 4, False),
        forms_row("2026-04-14 14:41:55", "claire.martin@agro-sud.fr", 10, 5, True),
        forms_row("2026-04-15 10:00:03", "luc.bernard@groupe-laitier.fr", 7, 4, True),
        forms_row("2026-04-20 16:18:40", "rd@biotech-ouest.fr", 5, 2, True),
        forms_row("2026-04-21 08:59:59", "paul.durand@novaferm.be", 9, 3, True),
    ])  # fmt: skip
    assert kpi(store, catalog, "member_nps", "2026Q2") == pytest.approx(100 * 1 / 4)
    assert kpi(store, catalog, "vision_adherence_rate", "2026Q2") == pytest.approx(
        2 / 4
    )


def test_a_later_forms_download_adds_only_the_new_answers(store: Store) -> None:
    load(store, "forms/enquete_adherents_2026.csv")
    report = load(store, "forms/enquete_adherents_2026_fin_mars.csv")
    assert counts(report) == [("google_forms", 10, 10, (2, 0, 8))]
    assert responses(store) == sorted_rows([
        *FORMS_FR,
        forms_row("2026-03-24 08:30:12", "info@legumes-bio.fr", 5, 3, True),
        forms_row("2026-03-30 12:00:41", "t.garcia@agrotech.es", 8, None, False),
    ])  # fmt: skip


def test_the_animator_may_name_the_survey(store: Store) -> None:
    survey = "Baromètre adhérents 2026"
    load(store, "forms/enquete_adherents_2026.csv", overrides={"survey": survey})
    assert store.rows("SELECT DISTINCT survey FROM survey_responses") == [(survey,)]


def test_an_nps_answer_above_ten_is_refused_and_changes_nothing(store: Store) -> None:
    load(store, "typeform/responses.csv")
    before = every_table(store)
    report = load(store, "forms/enquete_nps_12.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("above_max", 4, NPS_QUESTION, "12")
    ]
    assert every_table(store) == before


TYPEFORM_ROWS = [
    ("TF-k2x9v7q1m0a3b5c8d4e6f1g2h3i4j5k6", "Typeform", date(2026, 5, 4), "member", None,
     9, 5),
    ("TF-p8n3b6v1c4x7z0a2s5d8f1g4h7j0k3l6", "Typeform", date(2026, 5, 4), "member", None,
     10, 4),
    ("TF-z9x8c7v6b5n4m3l2k1j0h9g8f7d6s5a4", "Typeform", date(2026, 5, 6), "member", None,
     7, 3),
    ("TF-m5n6b7v8c9x0z1a2s3d4f5g6h7j8k9l0", "Typeform", date(2026, 5, 7),
     "target_company", None, 8, 4),
    ("TF-a0s9d8f7g6h5j4k3l2q1w0e9r8t7y6u5", "Typeform", date(2026, 5, 11), "member", None,
     4, 2),
    ("TF-r4t5y6u7i8o9p0l1k2j3h4g5f6d7s8a9", "Typeform", date(2026, 5, 12), "member", None,
     10, 5),
]  # fmt: skip


def test_completed_typeform_responses_give_the_member_nps(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "typeform/responses.csv")
    assert report.status == "loaded"
    # 7 responses, one partial: left out.
    assert counts(report) == [("typeform", 7, 6, (6, 0, 0))]
    assert responses(store) == TYPEFORM_ROWS
    # 5 members: promoters 9, 10, 10; detractor 4.
    assert kpi(store, catalog, "member_nps", "2026Q2") == pytest.approx(100 * 2 / 5)
    assert kpi(store, catalog, "vision_adherence_rate", "2026Q2") == pytest.approx(
        3 / 5
    )


def test_a_later_typeform_download_adds_the_responses_completed_since(
    store: Store,
) -> None:
    load(store, "typeform/responses.csv")
    report = load(store, "typeform/responses_2026-06.csv")
    assert counts(report) == [("typeform", 8, 8, (2, 0, 6))]
    assert responses(store) == [
        *TYPEFORM_ROWS[:2],
        ("TF-q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6", "Typeform", date(2026, 5, 5), "member",
         None, 6, 3),
        *TYPEFORM_ROWS[2:],
        ("TF-h3j4k5l6z7x8c9v0b1n2m3q4w5e6r7t8", "Typeform", date(2026, 6, 2), "member",
         None, 9, 4),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "rel", ["forms/enquete_adherents_2026.csv", "typeform/responses.csv"]
)
def test_the_same_export_twice_adds_nothing(store: Store, rel: str) -> None:
    first = load(store, rel)
    before = every_table(store)
    again = load(store, rel)
    assert (again.status, again.import_id, again.rows_added) == (
        "duplicate",
        first.import_id,
        0,
    )
    assert every_table(store) == before


def test_questions_are_found_by_a_word_of_their_header() -> None:
    header = [
        "Horodateur",
        "Recommanderiez-vous le cluster à un membre de votre réseau ?",
        "Revision du plan d'action",
        "Êtes-vous <strong>adhérente</strong> ?",
        "La vision du cluster vous parle-t-elle ? (1-5)",
    ]
    # A word starts a header word ('revision' is no 'vision'); a column two fields
    # could read goes to the first ('membre de' is also a member question's word).
    assert GOOGLE_FORMS.column_index(header) == {
        "submitted_at": 0,
        "nps_score": 1,
        "is_member": 3,
        "vision_agreement": 4,
    }
    assert TYPEFORM.column_index(["#", "Submit Date (UTC)", "Comments"]) == {
        "token": 0,
        "submitted_at": 1,
    }
