"""Real exports, part C (surveys, GA4, X, Matomo): import each, check figures by hand.

Every expected figure is computed here from the file itself with plain Python or pandas,
never with the engine; see tests/data/real/SOURCES.md (part C) for where each file comes from.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.report import ImportReport
from clusterkpi.store import Store
from tests.import_helpers import REAL, kpi, load_real, table_of

# Problems that say a date cell was misread: a date the tool wrote is never refused.
DATE_REASONS = {"invalid_date", "invalid_timestamp", "implausible_date"}
WEB = "day, day_end, site, sessions, users"
SOCIAL = "day, network, impressions, engagements, posts"


def assert_accounted(report: ImportReport) -> None:
    """read = added + updated + unchanged + refused + skipped + held, for every table.

    No part is negative, and a table that was loaded holds nothing back.
    """
    for tab in report.tables:
        c = tab.counts
        written = c.added + c.updated + c.unchanged if c else 0
        held = tab.rows_read - written - tab.rows_refused - tab.rows_skipped
        assert min(written, tab.rows_refused, tab.rows_skipped, held) >= 0, tab.name
        assert (tab.rows_written, tab.rows_held) == (written, held), tab.name
        assert held == 0 or c is None, (tab.name, held)
        assert not [p for p in tab.problems if p.reason in DATE_REASONS], tab.name


def quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def web(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {WEB} FROM web_traffic ORDER BY day, site")


def survey_days(store: Store) -> list[tuple]:
    """(day, NPS score, vision agreement) of every stored response, by day."""
    rows = store.rows(
        "SELECT submitted_on, nps_score, vision_agreement FROM survey_responses"
    )
    return sorted(rows, key=lambda r: (r[0], repr(r[1:])))


def csv_rows(rel: str, encoding: str = "utf-8-sig") -> list[list[str]]:
    """The records of a CSV file as the csv module reads them (blank records dropped)."""
    text = (REAL / rel).read_bytes().decode(encoding)
    return [r for r in csv.reader(io.StringIO(text, newline="")) if r]


# ------------------------------------------------------------------------ LimeSurvey

LIME = "limesurvey/results-name-face_nl.csv"
# LimeSurvey writes this submitdate for a completed response of a survey that keeps
# no date stamp (anonymised responses): it marks "completed", it is not a day.
LIME_NO_DATESTAMP = "1980-01-01 00:00:00"


def lime_responses() -> tuple[list[str], list[dict[str, str]]]:
    rows = csv_rows(LIME)
    header = rows[0]
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:]]


def test_limesurvey_code_headed_export_keeps_complete_responses(
    store: Store, catalog: Catalog
) -> None:
    # A real LimeSurvey 2.x export (question codes as headers, Dutch survey, BSD-3):
    # an empty submitdate marks an unfinished response; no 0-10 or vision question.
    header, answers = lime_responses()
    assert header[:4] == ["id", "submitdate", "lastpage", "startlanguage"]
    unfinished = [a for a in answers if not a["submitdate"]]
    complete = [a for a in answers if a["submitdate"]]
    report = load_real(store, LIME)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused) == (
        "limesurvey",
        len(answers),
        0,
    )
    # This survey keeps no date stamp: LimeSurvey writes 1980-01-01 00:00:00 as the
    # submit date of every complete response. They have no day to be filed under,
    # so they are left out, with that reason, like the unfinished ones.
    assert all(a["submitdate"] == LIME_NO_DATESTAMP for a in complete)
    assert table.skips == {"filtered": len(unfinished) + len(complete)}
    assert sorted(table.filtered) == sorted(
        [
            ("incomplete response", len(unfinished)),
            (
                "no date: the survey keeps no date stamp (LimeSurvey writes"
                " 1980-01-01)",
                len(complete),
            ),
        ]
    )
    assert table.counts is not None and table.counts.added == 0
    assert_accounted(report)
    assert survey_days(store) == []


def test_limesurvey_no_datestamp_placeholder_is_not_a_submission_day(
    store: Store, catalog: Catalog
) -> None:
    # Issue #12, "dates as the tools really write them" / "never an invented date":
    # every complete response of this survey carries LimeSurvey's placeholder, so
    # none of them may be filed under 1 January 1980.
    _, answers = lime_responses()
    placeholders = [a for a in answers if a["submitdate"] == LIME_NO_DATESTAMP]
    assert len(placeholders) == len([a for a in answers if a["submitdate"]])
    report = load_real(store, LIME)
    assert_accounted(report)
    stored = [day for day, _, _ in survey_days(store)]
    assert date(1980, 1, 1) not in stored, (
        len(placeholders),
        stored.count(date(1980, 1, 1)),
    )


# --------------------------------------------------------------------- Google Forms

SSI = "forms/software_in_research_2014_responses_en.csv"


def test_google_forms_export_with_a_blank_record_and_multiline_answers(
    store: Store, catalog: Catalog
) -> None:
    # A real 2014 Google Forms download (CC-BY 2.5 Scotland): 'Timestamp' month first
    # ('8/20/2014 15:33:45'), a record of empty cells under the header, CRLF between
    # records and bare LF inside answers; no 0-10 or vision question.
    rows = csv_rows(SSI, encoding="utf-8")
    header, answers = rows[0], [r for r in rows[1:] if any(r)]
    assert header[0] == "Timestamp" and len(answers) == 150
    days = sorted(datetime.strptime(r[0], "%m/%d/%Y %H:%M:%S").date() for r in answers)
    report = load_real(store, SSI)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused, table.rows_skipped) == (
        "google_forms",
        len(answers),
        0,
        0,
    )
    assert table.counts.added == len(answers)
    assert_accounted(report)
    assert survey_days(store) == [(d, None, None) for d in days]
    for period in sorted({quarter(d) for d in days}):
        assert kpi(store, catalog, "member_nps", period) is None
        assert kpi(store, catalog, "vision_adherence_rate", period) is None


JUPYTER = "forms/jupyter_education_survey_2016_responses_en.csv"
SPACK_2021 = "forms/spack-user-survey-2021-responses.csv"
SPACK_2025 = "forms/spack-user-survey-2025-responses.csv"


def form_days(rel: str) -> list[date]:
    """The day of every response of a Google Forms file ('Timestamp', month first)."""
    rows = csv_rows(rel)
    assert rows[0][0] == "Timestamp"
    return sorted(
        datetime.strptime(r[0], "%m/%d/%Y %H:%M:%S").date() for r in rows[1:] if any(r)
    )


@pytest.mark.parametrize(
    "rel",
    [JUPYTER, SPACK_2021],
    ids=["jupyter_2016", "spack_2021_resaved"],
)
def test_google_forms_surveys_without_a_0_10_question_load_every_response(
    store: Store, catalog: Catalog, rel: str
) -> None:
    # Real Google Forms data (CC0; Apache-2.0 OR MIT). Spack's file was re-saved
    # (UTF-8 BOM, LF only) and asks whether a foundation would make one "more likely
    # to use/recommend" Spack, answered in words: no 0-10 question, so no NPS.
    days = form_days(rel)
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused, table.rows_skipped) == (
        "google_forms",
        len(days),
        0,
        0,
    )
    assert table.counts.added == len(days)
    assert_accounted(report)
    assert survey_days(store) == [(d, None, None) for d in days]
    for period in sorted({quarter(d) for d in days}):
        assert kpi(store, catalog, "member_nps", period) is None


def test_google_forms_two_respondents_in_the_same_second_are_two_responses(
    store: Store, catalog: Catalog
) -> None:
    # Issue #12, "no row is dropped": the first two responses of Spack's 2025 survey
    # share their Timestamp ('4/9/2025 0:13:09') but come from different people
    # (other job, institution, country). Both must be kept, not folded into one.
    rows = csv_rows(SPACK_2025)
    answers = rows[1:]
    assert answers[0][0] == answers[1][0] and answers[0][1:4] != answers[1][1:4]
    assert len({tuple(r) for r in answers}) == len(answers)
    report = load_real(store, SPACK_2025)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert_accounted(report)
    assert (table.rows_read, table.rows_skipped) == (len(answers), 0), table.skips
    assert table.counts.added == len(answers)
    assert survey_days(store) == [(d, None, None) for d in form_days(SPACK_2025)]


K8S_2019 = "surveymonkey/contribex-survey-2019.csv"


def test_surveymonkey_export_with_ip_and_empty_contact_columns(
    store: Store, catalog: Catalog
) -> None:
    # A real SurveyMonkey export (Apache-2.0): two header rows, UTF-8 BOM, CRLF,
    # 'End Date' like '01/17/2020 12:39:43 AM', 1-5 agreement scales but no 0-10
    # recommendation or vision question, so every response loads and no NPS.
    rows = csv_rows(K8S_2019)
    header, answers = rows[0], rows[2:]
    assert header[:4] == ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    end = header.index("End Date")
    days = sorted(
        datetime.strptime(r[end], "%m/%d/%Y %I:%M:%S %p").date() for r in answers
    )
    report = load_real(store, K8S_2019)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused, table.rows_skipped) == (
        "surveymonkey",
        len(answers),
        0,
        0,
    )
    assert table.counts.added == len(answers)
    assert_accounted(report)
    assert survey_days(store) == [(d, None, None) for d in days]
    for period in sorted({quarter(d) for d in days}):
        assert kpi(store, catalog, "member_nps", period) is None
        assert kpi(store, catalog, "vision_adherence_rate", period) is None


# ------------------------------------------------------------------------- Typeform

TYPEFORM_2017 = "typeform/2017-new-coder-survey-part-2.csv"


def test_typeform_2017_export_with_hidden_fields_loads_every_response(
    store: Store, catalog: Catalog
) -> None:
    # A real Typeform download (ODbL): '#' token first, questions, then hidden fields
    # passed from part 1 ('already_working', 'recommend_bootcamp' answered Yes/No or
    # 'xxxxx'), then 'Start Date (UTC)', 'Submit Date (UTC)', 'Network ID'; this 2017
    # vintage has no 'Response Type' column. No 0-10 question, so no NPS.
    rows = csv_rows(TYPEFORM_2017)
    header, answers = rows[0], rows[1:]
    assert header[0] == "#" and header[-3:] == [
        "Start Date (UTC)",
        "Submit Date (UTC)",
        "Network ID",
    ]
    assert "recommend_bootcamp" in header and "Response Type" not in header
    submit = header.index("Submit Date (UTC)")
    days = sorted(
        datetime.strptime(r[submit], "%Y-%m-%d %H:%M:%S").date() for r in answers
    )
    report = load_real(store, TYPEFORM_2017)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused, table.rows_skipped) == (
        "typeform",
        len(answers),
        0,
        0,
    )
    assert table.counts.added == len(answers)
    assert_accounted(report)
    assert survey_days(store) == [(d, None, None) for d in days]
    assert kpi(store, catalog, "member_nps", quarter(days[0])) is None


TYPEFORM_2016 = "typeform/2016 New Coders Survey Part 1.csv"
BOOTCAMP = (
    "Based on your experience, would you recommend this bootcamp to your friends?"
)


def test_typeform_yes_no_recommendation_is_not_a_0_10_score(
    store: Store, catalog: Catalog
) -> None:
    # Issue #12, "surveys from any tool": a real 2016 Typeform download (ODbL) asks
    # "would you recommend this bootcamp to your friends?" as a yes/no question, which
    # Typeform writes 1 / 0 (like every yes/no column of the file). Its wording says
    # "recommend" but its range is not 0-10: no answer may count towards the NPS.
    rows = csv_rows(TYPEFORM_2016)
    header, answers = rows[0], rows[1:]
    column = header.index(BOOTCAMP)
    given = [r[column] for r in answers if r[column]]
    assert set(given) == {"0", "1"} and len(given) == 48
    submit = header.index("Submit Date (UTC)")
    days = sorted(
        datetime.strptime(r[submit], "%Y-%m-%d %H:%M:%S").date() for r in answers
    )
    report = load_real(store, TYPEFORM_2016)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused) == (
        "typeform",
        len(answers),
        0,
    )
    assert_accounted(report)
    assert [day for day, _, _ in survey_days(store)] == days
    assert [s for _, s, _ in survey_days(store) if s is not None] == []
    assert kpi(store, catalog, "member_nps", quarter(days[0])) is None


# -------------------------------------------------------------------------------- X

TWEETS = "x/tweet_activity_metrics_LisaDeBruine_20211201_20220101_en.csv"
DAILY = "x/daily_tweet_activity_metrics_LisaDeBruine_20211201_20220101_en.csv"


def social(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {SOCIAL} FROM social_daily ORDER BY day, network")


def test_x_tweet_activity_export_sums_its_tweets_by_day(
    store: Store, catalog: Catalog
) -> None:
    # A real legacy "Tweet activity" download (CC-BY-SA 4.0): 40 quoted columns,
    # counts as '104.0', '-' in promoted cells, times '2021-12-31 15:59 +0000'.
    frame = pd.read_csv(REAL / TWEETS, dtype=str, keep_default_na=False)
    frame["day"] = frame["time"].str[:10].map(date.fromisoformat)  # UTC day
    for column in ("impressions", "engagements"):
        frame[column] = frame[column].astype(float).astype(int)
    per_day = frame.groupby("day").agg(
        posts=("Tweet id", "size"),
        impressions=("impressions", "sum"),
        engagements=("engagements", "sum"),
    )
    report = load_real(store, TWEETS)
    assert report.status == "loaded"
    table = table_of(report, "social_daily")
    assert (table.source, table.rows_read, table.rows_refused) == (
        "x_tweet_activity",
        len(frame),
        0,
    )
    # One row per day: the other tweets of a day are combined into its totals.
    assert table.counts.added == len(per_day)
    assert table.skips == {"combined": len(frame) - len(per_day)}
    assert_accounted(report)
    assert social(store) == [
        (d, "x", int(r.impressions), int(r.engagements), int(r.posts))
        for d, r in per_day.iterrows()
    ]
    rate = frame["engagements"].sum() / frame["impressions"].sum()
    assert kpi(store, catalog, "social_engagement_rate", "2021-12") == pytest.approx(
        rate
    )
    assert kpi(store, catalog, "social_new_followers", "2021-12") is None


def test_x_daily_tweet_activity_export_gives_the_days(
    store: Store, catalog: Catalog
) -> None:
    # Issue #12, "recognition by best match" and "older and newer header vintages":
    # the same account's download *by day* ('Date', 'Tweets published',
    # 'impressions', 'engagements', ...) carries one row per day of December 2021.
    frame = pd.read_csv(REAL / DAILY, dtype=str, keep_default_na=False)
    days = [date.fromisoformat(d) for d in frame["Date"]]
    impressions = [int(float(v)) for v in frame["impressions"]]
    engagements = [int(float(v)) for v in frame["engagements"]]
    posts = [int(float(v)) for v in frame["Tweets published"]]
    report = load_real(store, DAILY)
    assert_accounted(report)
    assert report.status == "loaded", [(p.reason, p.params) for _, p in report.problems]
    table = table_of(report, "social_daily")
    assert (table.rows_read, table.rows_refused, table.counts.added) == (31, 0, 31)
    assert social(store) == [
        (d, "x", i, e, n)
        for d, i, e, n in zip(days, impressions, engagements, posts, strict=True)
    ]
    rate = sum(engagements) / sum(impressions)
    assert kpi(store, catalog, "social_engagement_rate", "2021-12") == pytest.approx(
        rate
    )


# ------------------------------------------------------------------------------ GA4

GA4_PAGES = "ga4/Pages_and_screens_Page_title_and_screen_class.csv"


def ga4_preamble_and_rows(rel: str) -> tuple[dict[str, str], list[list[str]]]:
    """The '# Key: value' lines of a GA4 download, then its table (header first)."""
    text = (REAL / rel).read_bytes().decode("utf-8")
    lines = text.split("\n")
    meta = dict(
        line[2:].split(": ", 1)
        for line in lines
        if line.startswith("# ") and ": " in line
    )
    body = "\n".join(line for line in lines if not line.startswith("#"))
    return meta, [r for r in csv.reader(io.StringIO(body)) if r]


def test_ga4_pages_report_without_sessions_is_refused_with_its_reason(
    store: Store, catalog: Catalog
) -> None:
    # A real GA4 "Pages and screens" download (MIT): totals per page title over the
    # preamble's range, no day dimension and no Sessions column, titles in many
    # scripts. It cannot feed the daily sessions, so it is refused, nothing written.
    meta, rows = ga4_preamble_and_rows(GA4_PAGES)
    header, pages = rows[0], rows[1:]
    assert (meta["Start date"], meta["End date"]) == ("20231216", "20260113")
    assert "Sessions" not in header and header[1] == "Views"
    report = load_real(store, GA4_PAGES)
    assert report.status == "rejected"
    table = table_of(report, "web_traffic")
    assert (table.rows_read, table.rows_refused, table.rows_written) == (
        len(pages),
        len(pages),
        0,
    )
    assert_accounted(report)
    missing = [p for p in table.problems if p.reason == "missing_columns"]
    assert len(missing) == 1 and "Sessions" in missing[0].params["columns"].split(", ")
    assert web(store) == []
    assert kpi(store, catalog, "website_sessions", "2025Q1") is None


# --------------------------------------------------------------------------- Matomo

ECOMMERCE_TSV = "matomo/Piwik test - week April 4 – 10, 2011 - Mail Test report.tsv"


def scheduled_blocks(text: str) -> list[list[str]]:
    """The blocks of a Matomo scheduled report: title, header, rows."""
    return [b.split("\n") for b in text.split("\n\n") if b.strip()]


def test_matomo_scheduled_report_in_tsv_loads_its_week(
    store: Store, catalog: Catalog
) -> None:
    # Matomo's own e-commerce scheduled report in TSV, period=week (GPL-3.0).
    text = (REAL / ECOMMERCE_TSV).read_text(encoding="utf-8")
    blocks = scheduled_blocks(text)
    with_rows = [b for b in blocks if len(b) > 2]
    summary = next(b for b in blocks if b[0] == "Visits Summary")
    cell = dict(zip(summary[1].split("\t"), summary[2].split("\t"), strict=True))
    report = load_real(store, ECOMMERCE_TSV, load_valid_rows=True)
    assert report.status == "loaded"
    assert_accounted(report)
    tables = [t for t in report.tables if t.rows_read]
    assert [t.rows_read for t in tables] == [len(b) - 2 for b in with_rows]
    for tab in tables:  # loaded, or refused with its own reason; never called empty
        # loaded, refused, or left out with its reason (a breakdown no KPI reads)
        assert tab.counts is not None or tab.problems or tab.warnings, tab.name
        assert "no_data" not in [p.reason for p in tab.problems], tab.name
    visits, unique = int(cell["nb_visits"]), int(cell["nb_uniq_visitors"])
    assert web(store) == [(date(2011, 4, 4), date(2011, 4, 11), "main", visits, unique)]
    assert kpi(store, catalog, "website_sessions", "2011-04") == visits


def utf16_rows(rel: str) -> list[list[str]]:
    text = (REAL / rel).read_bytes().decode("utf-16")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("rel", "visits_column"),
    [
        (
            "matomo/test_csvExport_xp1_inner0_trans-en__VisitsSummary.get_day.csv",
            "Visits",
        ),
        ("matomo/test_csvExport_xp0__VisitsSummary.get_day.csv", "nb_visits"),
    ],
    ids=["english_labels", "api_names"],
)
def test_matomo_day_export_without_date_is_refused_clearly(
    store: Store, catalog: Catalog, rel: str, visits_column: str
) -> None:
    # A single-day export names its day only in the request, never in the file.
    header, row = utf16_rows(rel)
    assert visits_column in header and "date" not in [h.lower() for h in header]
    report = load_real(store, rel)
    assert report.status == "rejected"
    assert [(t.source, t.rows_read, t.rows_refused) for t in report.tables] == [
        ("matomo_visits", 1, 1)
    ]
    assert [p.reason for _, p in report.problems] == ["missing_columns"]
    assert_accounted(report)
    assert web(store) == []


def test_matomo_content_names_week_is_not_taken_for_visits(
    store: Store, catalog: Catalog
) -> None:
    # Contents.getContentNames (impressions of content blocks) is no web-traffic table.
    rel = "matomo/test_csvExport_multi__Contents.getContentNames_week.csv"
    header, *rows = utf16_rows(rel)
    assert header[:3] == ["date", "label", "nb_visits"] and len(rows) == 3
    report = load_real(store, rel)
    assert report.status == "unrecognised"
    assert [(t.dataset, t.rows_read, t.rows_written) for t in report.tables] == [
        (None, len(rows), 0)
    ]
    assert web(store) == []
