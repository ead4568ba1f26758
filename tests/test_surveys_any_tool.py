"""Surveys from any tool: NPS and vision questions found by their wording and values."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.adapters import find_adapter
from clusterkpi.imports.adapters.surveys import (
    GOOGLE_FORMS,
    HUBSPOT_FEEDBACK,
    MICROSOFT_FORMS,
    NPS,
    VISION,
)
from clusterkpi.imports.report import Problem
from clusterkpi.imports.survey_fit import (
    FITS,
    NO,
    POSSIBLE,
    column_fit,
    declared_scale,
    pin_questions,
)
from clusterkpi.imports.survey_headers import joined_header
from clusterkpi.store import Store
from tests.import_helpers import DATA, counts, every_table, kpi, load

SURVEYS = DATA / "surveys"
Row = tuple[str, str, date, str, None, int | None, int | None]


def responses(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT * EXCLUDE (import_id) FROM survey_responses"
        " ORDER BY submitted_on, response_id"
    )


def member_nps(rows: list[Row]) -> float:
    """The NPS of the members' answers, computed from the expected rows."""
    scores = [r[5] for r in rows if r[3] == "member" and r[5] is not None]
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return 100 * (promoters - detractors) / len(scores)


def hashed(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def header_of(name: str, delimiter: str = ",") -> list[str]:
    with (SURVEYS / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle, delimiter=delimiter))


def ms_row(token: str, start: str, end: str, nps: int, vision: int | None,
           kind: str = "member") -> Row:  # fmt: skip
    return (hashed("MS-", token, start, end), "Microsoft Forms",
            date.fromisoformat(end[:10]), kind, None, nps, vision)  # fmt: skip


MICROSOFT_FR = [
    ms_row("1", "2026-01-12 09:02:11", "2026-01-12 09:05:40", 9, 5),
    ms_row("2", "2026-01-12 10:15:00", "2026-01-12 10:19:27", 10, 4),
    ms_row("3", "2026-01-13 14:40:03", "2026-01-13 14:44:59", 6, 3),
    ms_row(
        "4", "2026-01-20 08:30:30", "2026-01-20 08:31:15", 8, None, "target_company"
    ),
    ms_row("5", "2026-01-27 17:05:00", "2026-01-27 17:09:12", 3, 2),
]


def test_french_microsoft_forms_reads_the_0_to_10_question_not_the_1_to_5_one(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "surveys/microsoft_forms_fr.csv")
    assert report.status == "loaded"
    assert counts(report) == [("microsoft_forms", 5, 5, (5, 0, 0))]
    # The first 'recommanderiez' question is announced on 1 to 5: the workshops'
    # rating (4, 5, 2, 3, 4) is not read as the NPS.
    assert responses(store) == sorted(MICROSOFT_FR, key=lambda r: (r[2], r[0]))
    assert kpi(store, catalog, "member_nps", "2026Q1") == pytest.approx(
        member_nps(MICROSOFT_FR)
    )
    # Members agreeing (4 or 5) with the vision: 5 and 4 out of 4 answers.
    assert kpi(store, catalog, "vision_adherence_rate", "2026Q1") == pytest.approx(
        2 / 4
    )


SURVEYMONKEY = [
    ("SM-11840312345", "SurveyMonkey", date(2026, 2, 2), "member", None, 10, 5),
    ("SM-11840319876", "SurveyMonkey", date(2026, 2, 3), "member", None, 7, 4),
    ("SM-11840323456", "SurveyMonkey", date(2026, 2, 5), "target_company", None, 9, 4),
    ("SM-11840331111", "SurveyMonkey", date(2026, 2, 10), "member", None, 4, 2),
]


def test_surveymonkey_two_header_rows_give_one_header_and_every_response(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "surveys/surveymonkey.csv")
    # Four responses: the second header row is neither read nor counted.
    assert counts(report) == [("surveymonkey", 4, 4, (4, 0, 0))]
    assert responses(store) == SURVEYMONKEY
    assert kpi(store, catalog, "member_nps", "2026Q1") == pytest.approx(
        member_nps(SURVEYMONKEY)
    )


def test_surveymonkey_headers_join_the_question_and_its_options() -> None:
    with (SURVEYS / "surveymonkey.csv").open(encoding="utf-8", newline="") as handle:
        first, second = list(csv.reader(handle))[:2]
    question = "Which events did you attend this year?"
    assert joined_header(tuple(first), tuple(second)) == (
        "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
        "Email Address", "First Name", "Last Name", "Custom Data 1",
        "How likely is it that you would recommend the cluster to a friend or colleague?",
        f"{question} › Webinars", f"{question} › Trade fair",
        f"{question} › Other (please specify)",
        "How much do you share the cluster's vision? (1 = not at all, 5 = fully)",
        "Are you a member of the cluster?",
        "Anything else you would like to tell us?",
    )  # fmt: skip


def test_limesurvey_question_codes_leave_out_the_incomplete_response(
    store: Store,
) -> None:
    report = load(store, "surveys/limesurvey_codes.csv")
    # Response 3 stopped on page 1 without a submit date: skipped, not refused.
    assert counts(report) == [("limesurvey", 4, 3, (3, 0, 0))]
    assert [t.rows_skipped for t in report.tables] == [1]
    assert [t.filtered for t in report.tables] == [[("réponse incomplète", 1)]]
    assert responses(store) == [
        ("LS-1", "LimeSurvey", date(2026, 3, 2), "member", None, 8, 4),
        ("LS-2", "LimeSurvey", date(2026, 3, 3), "member", None, 10, 5),
        ("LS-4", "LimeSurvey", date(2026, 3, 9), "target_company", None, 6, 3),
    ]


def test_french_limesurvey_full_headings_with_a_scale_announced_0_to_10(
    store: Store,
) -> None:
    report = load(store, "surveys/limesurvey_fr.csv")
    assert counts(report) == [("limesurvey", 3, 3, (3, 0, 0))]
    # Every answer lies in 1–5, but the question says 'de 0 à 10': it is the NPS.
    assert responses(store) == [
        ("LS-12", "LimeSurvey", date(2026, 4, 7), "member", None, 4, 4),
        ("LS-13", "LimeSurvey", date(2026, 4, 8), "member", None, 5, 2),
        ("LS-14", "LimeSurvey", date(2026, 4, 15), "target_company", None, 2, 3),
    ]


HUBSPOT_NPS_ROWS = [
    ("HS-30112001", "NPS adhérents 2026", date(2026, 5, 4), "member", None, 10, None),
    ("HS-30112003", "NPS adhérents 2026", date(2026, 5, 5), "member", None, 8, None),
    ("HS-30112004", "NPS partenaires 2026", date(2026, 5, 6), "member", None, 9, None),
    ("HS-30112006", "NPS adhérents 2026", date(2026, 5, 11), "member", None, 4, None),
    ("HS-30112007", "NPS partenaires 2026", date(2026, 5, 12), "member", None, 6, None),
]


def test_hubspot_feedback_export_counts_only_the_rows_with_an_nps_category(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "surveys/hubspot_feedback.csv")
    # 7 rows: the two CSAT answers (3 and 2 out of 5) carry no NPS category.
    assert counts(report) == [("hubspot_feedback", 7, 5, (5, 0, 0))]
    assert [t.rows_skipped for t in report.tables] == [2]
    assert [t.filtered for t in report.tables] == [[("pas sur l'échelle de 0 à 10", 2)]]
    assert responses(store) == HUBSPOT_NPS_ROWS
    assert kpi(store, catalog, "member_nps", "2026Q2") == pytest.approx(
        member_nps(HUBSPOT_NPS_ROWS)
    )


def test_hubspot_form_submissions_read_the_form_questions(store: Store) -> None:
    report = load(store, "surveys/hubspot_forms.csv")
    assert counts(report) == [("hubspot_forms", 3, 3, (3, 0, 0))]
    # No response id: a hash of the date and the answers read (the yes/no as text).
    assert responses(store) == sorted(
        [
            (hashed("HF-", "2026-06-02 09:30:00", "claire.martin@agro-sud.fr", "9",
                    "5", "true"), "HubSpot", date(2026, 6, 2), "member", None, 9, 5),
            (hashed("HF-", "2026-06-03 11:05:00", "paul.durand@novaferm.be", "5",
                    "3", "true"), "HubSpot", date(2026, 6, 3), "member", None, 5, 3),
            (hashed("HF-", "2026-06-09 15:47:00", "export@agrotech.es", "8", "4",
                    "false"), "HubSpot", date(2026, 6, 9), "target_company", None,
             8, 4),
        ],
        key=lambda r: (r[2], r[0]),
    )  # fmt: skip


def test_google_forms_quiz_score_and_a_1_to_5_rating_are_not_the_nps(
    store: Store,
) -> None:
    report = load(store, "surveys/google_forms_quiz_en.csv")
    assert counts(report) == [("google_forms", 4, 4, (4, 0, 0))]
    answers = [
        ("2026-07-01 09:12:44", "claire.martin@agro-sud.fr", 10, 5),
        ("2026-07-01 14:03:10", "paul.durand@novaferm.be", 9, 4),
        ("2026-07-02 10:20:05", "s.leroy@biotech-ouest.fr", 7, 4),
        ("2026-07-06 16:41:51", "luc.bernard@groupe-laitier.fr", 4, 2),
    ]
    expected = [
        (hashed("GF-", stamp, email, str(nps), str(vision)), "Google Forms",
         date.fromisoformat(stamp[:10]), "member", None, nps, vision)
        for stamp, email, nps, vision in answers
    ]  # fmt: skip
    assert responses(store) == sorted(expected, key=lambda r: (r[2], r[0]))


@pytest.mark.parametrize(
    ("name", "delimiter", "source"),
    [
        ("microsoft_forms_fr.csv", ";", "microsoft_forms"),
        ("surveymonkey.csv", ",", "surveymonkey"),
        ("limesurvey_codes.csv", ",", "limesurvey"),
        ("limesurvey_fr.csv", ";", "limesurvey"),
        ("hubspot_feedback.csv", ",", "hubspot_feedback"),
        ("hubspot_forms.csv", ",", "hubspot_forms"),
        ("google_forms_quiz_en.csv", ",", "google_forms"),
    ],
)
def test_each_tool_is_recognised_by_its_header(
    name: str, delimiter: str, source: str
) -> None:
    adapter = find_adapter(header_of(name, delimiter))
    assert adapter is not None and adapter.name == source


def test_an_nps_answer_out_of_range_refuses_the_file_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    load(store, "surveys/surveymonkey.csv")
    before = every_table(store)
    text = (SURVEYS / "microsoft_forms_fr.csv").read_text(encoding="utf-8")
    bad = text.replace(";4;9;5;Oui", ";4;11;5;Oui")
    report = load(store, "surveys/ms_bad.csv", raw=bad.encode("utf-8"))
    assert report.status == "rejected"
    question = header_of("microsoft_forms_fr.csv", ";")[7]
    assert [p for _, p in report.problems] == [Problem("above_max", 2, question, "11")]
    assert every_table(store) == before


# Headers in five languages: the recommendation and vision questions by their words.
@pytest.mark.parametrize(
    ("nps_header", "vision_header"),
    [
        ("Recommanderiez-vous le cluster ?", "Partagez-vous la vision du cluster ?"),
        ("Would you recommend the cluster?", "Do you share the cluster's vision?"),
        (
            "Würden Sie den Cluster weiterempfehlen?",
            "Teilen Sie die Vision des Clusters?",
        ),
        ("¿Recomendaría el clúster?", "¿Comparte la visión del clúster?"),
        ("Raccomanderesti il cluster?", "Condividi la visione del cluster?"),
        (
            "Consiglieresti il cluster a un collega?",
            "Condividi la visione del cluster?",
        ),
        ("Wie wahrscheinlich ist es, dass Sie uns empfehlen?", "Leitbild: Zustimmung?"),
    ],
)
def test_questions_are_found_in_every_language(
    nps_header: str, vision_header: str
) -> None:
    header = ["ID", "Start time", "Completion time", vision_header, nps_header]
    rows = [["1", "", "", "4", "9"], ["2", "", "", "2", "10"], ["3", "", "", "5", "0"]]
    columns = pin_questions(MICROSOFT_FORMS, header, rows).column_index(header)
    assert (columns["nps_score"], columns["vision_agreement"]) == (4, 3)


def test_a_recommend_question_with_answers_only_in_1_to_5_is_no_nps() -> None:
    header = ["Timestamp", "Would you recommend our events?", "Would you recommend us?"]
    rows = [["x", "4", "9"], ["y", "5", "7"], ["z", "2", "10"]]
    pinned = pin_questions(GOOGLE_FORMS, header, rows)
    assert pinned.column_index(header) == {"submitted_at": 0, "nps_score": 2}
    # Without another candidate, a 1–5 'recommend' column is not read as the NPS.
    alone = pin_questions(GOOGLE_FORMS, header[:2], [r[:2] for r in rows])
    assert alone.column_index(header[:2]) == {"submitted_at": 0}


def test_column_fit_by_values_and_announced_scale() -> None:
    assert [
        column_fit(NPS, "Recommend?", ["9", "10", "3"]),
        column_fit(NPS, "Recommend?", ["1", "4", "5"]),
        column_fit(NPS, "Recommend? (0-10)", ["1", "4", "5"]),
        column_fit(NPS, "Recommend? (1-5)", ["9"]),
        column_fit(NPS, "Recommend?", ["9", "10", "12"]),
        column_fit(NPS, "Recommend?", ["Promoter", "Passive"]),
        column_fit(VISION, "Vision?", ["1", "5", "3"]),
        column_fit(VISION, "Vision?", ["7", "9", "10"]),
    ] == [FITS, NO, FITS, NO, POSSIBLE, NO, FITS, NO]
    assert [
        declared_scale("Sur une échelle de 0 à 10"),
        declared_scale("(1-5)"),
        declared_scale("von 0 bis 10"),
        declared_scale("note sur 10"),
        declared_scale("out of 5"),
        declared_scale("Your vision?"),
    ] == [(0, 10), (1, 5), (0, 10), (0, 10), (1, 5), None]


def test_hubspot_feedback_is_not_taken_for_contacts() -> None:
    header = header_of("hubspot_feedback.csv")
    assert find_adapter(header) is HUBSPOT_FEEDBACK


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_microsoft_forms_excel_download_in_english(store: Store) -> None:
    start, end = datetime(2026, 3, 2, 9, 5, 1), datetime(2026, 3, 2, 9, 7, 40)
    raw = workbook([
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
         "How likely are you to recommend the cluster? ", "Do you share our vision?",
         "Are you a member of the cluster?"],
        [7, start, end, "anonymous", None, None, 9, 4, "Yes"],
        [8, start.replace(day=3), end.replace(day=3), "anonymous", None, None, 0, 1,
         "No"],
    ])  # fmt: skip
    report = load(store, "surveys/Member survey(1-2).xlsx", raw=raw)
    assert counts(report) == [("microsoft_forms", 2, 2, (2, 0, 0))]
    assert responses(store) == [
        ms_row("7", "2026-03-02 09:05:01", "2026-03-02 09:07:40", 9, 4),
        ms_row("8", "2026-03-03 09:05:01", "2026-03-03 09:07:40", 0, 1,
               "target_company"),
    ]  # fmt: skip


def test_surveymonkey_excel_download_has_the_same_two_header_rows(
    store: Store,
) -> None:
    with (SURVEYS / "surveymonkey.csv").open(encoding="utf-8", newline="") as handle:
        rows: list[list[object]] = [list(r) for r in csv.reader(handle)]
    report = load(store, "surveys/surveymonkey.xlsx", raw=workbook(rows))
    assert counts(report) == [("surveymonkey", 4, 4, (4, 0, 0))]
    assert responses(store) == SURVEYMONKEY
