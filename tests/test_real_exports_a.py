"""Real exports, part A (messaging, CRM, events, surveys): each imports with the right figures.

Every expected figure is computed here from the file itself with pandas or plain Python,
never with the engine; see tests/data/real/SOURCES.md (part A) for where each file comes from.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.importer import EventChoice
from clusterkpi.imports.report import TableResult
from clusterkpi.store import Store
from tests.import_helpers import REAL, kpi, load_real, table_of

# Problems that say a date cell was misread: a date the tool wrote is never refused.
DATE_REASONS = {"invalid_date", "invalid_timestamp", "implausible_date"}


def assert_accounted(table: TableResult) -> None:
    """Every row read is added, updated, unchanged, refused or skipped for a reason."""
    assert table.counts is not None
    c = table.counts
    written = c.added + c.updated + c.unchanged
    assert table.rows_read == (written + table.rows_refused + table.rows_skipped), (
        table.rows_read,
        written,
        table.rows_refused,
        table.skips,
    )
    assert not [p for p in table.problems if p.reason in DATE_REASONS]


def text(rel: str) -> str:
    """The file's text, without its byte-order mark."""
    return (REAL / rel).read_bytes().decode("utf-8-sig")


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def nps(scores: list[int]) -> float:
    """Net promoter score of 0-10 answers: % promoters (9-10) minus % detractors (0-6)."""
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return 100 * (promoters - detractors) / len(scores)


def quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


# ------------------------------------------------------------------ Mailchimp campaigns


def mailchimp_campaigns(rel: str, list_column: str) -> pd.DataFrame:
    """The campaign list read by hand: one row per campaign, dates parsed, quarters."""
    df = pd.read_csv(REAL / rel, dtype=str)
    df["sent_at"] = [
        datetime.strptime(s, "%b %d, %Y %I:%M %p") for s in df["Send Date"]
    ]
    df["quarter"] = [quarter(s.date()) for s in df["sent_at"]]
    df["audience"] = df[list_column]
    for column in ("Total Recipients", "Successful Deliveries", "Unique Opens",
                   "Unique Clicks", "Unsubscribes", "Total Bounces"):  # fmt: skip
        df[column] = df[column].astype(int)
    return df


def campaign_rows(df: pd.DataFrame) -> list[tuple]:
    return sorted(
        (r["Unique Id"], r["Title"], r["audience"], r["sent_at"].to_pydatetime(),
         r["Total Recipients"], r["Successful Deliveries"], r["Unique Opens"],
         r["Unique Clicks"], r["Unsubscribes"], r["Total Bounces"])
        for _, r in df.iterrows()
    )  # fmt: skip


def assert_campaign_kpis(store: Store, catalog: Catalog, df: pd.DataFrame) -> None:
    """Open, click, click-to-open and unsubscribe rates of every quarter of the file."""
    for period, q in df.groupby("quarter"):
        delivered = q["Successful Deliveries"].sum()
        opens, clicks = q["Unique Opens"].sum(), q["Unique Clicks"].sum()
        expected = {
            "newsletter_open_rate": opens / delivered,
            "newsletter_click_rate": clicks / delivered,
            "newsletter_click_to_open_rate": clicks / opens,
            "newsletter_unsubscribe_rate": q["Unsubscribes"].sum() / delivered,
        }
        for kpi_id, value in expected.items():
            assert kpi(store, catalog, kpi_id, period) == pytest.approx(value), (
                kpi_id,
                period,
            )


CAMPAIGN_COLUMNS = ("campaign_id, title, audience, sent_at, recipients, delivered,"
                    " unique_opens, unique_clicks, unsubscribes, bounces")  # fmt: skip


@pytest.mark.parametrize(
    ("rel", "list_column"),
    [
        ("mailchimp/campaigns_2018_list.csv", "List"),
        ("mailchimp/campaigns_2026_audience.csv", "Audience"),
    ],
)
def test_mailchimp_campaign_list_of_either_vintage(
    store: Store, catalog: Catalog, rel: str, list_column: str
) -> None:
    df = mailchimp_campaigns(rel, list_column)
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "email_campaigns")
    assert (table.source, table.rows_read, table.rows_valid) == (
        "mailchimp_campaigns",
        len(df),
        len(df),
    )
    assert (table.counts.added, table.counts.updated) == (len(df), 0)
    assert_accounted(table)
    stored = store.rows(f"SELECT {CAMPAIGN_COLUMNS} FROM email_campaigns")
    assert sorted(stored) == campaign_rows(df)
    assert_campaign_kpis(store, catalog, df)


def test_mailchimp_campaign_list_without_open_and_click_columns(
    store: Store, catalog: Catalog
) -> None:
    # Without open and click columns the campaigns still load; the open and click rates
    # say 'no data' (None), never 0, while the unsubscribe rate is computed.
    rel = "mailchimp/campaigns_2025_no_tracking.csv"
    df = pd.read_csv(REAL / rel, dtype=str)
    assert not {"Unique Opens", "Unique Clicks"} & set(df.columns)
    sent = [datetime.strptime(s, "%b %d, %Y %I:%M %p") for s in df["Send Date"]]
    delivered = df["Successful Deliveries"].astype(int)
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "email_campaigns")
    assert (table.rows_read, table.rows_valid, table.counts.added) == (3, 3, 3)
    assert_accounted(table)
    stored = store.rows(
        "SELECT campaign_id, sent_at, delivered, unique_opens, unique_clicks,"
        " unsubscribes FROM email_campaigns"
    )
    assert sorted(stored) == sorted(
        zip(df["Unique Id"], sent, delivered, [None] * 3, [None] * 3,
            df["Unsubscribes"].astype(int), strict=True)
    )  # fmt: skip
    unsubscribes = df["Unsubscribes"].astype(int)
    for period in sorted({quarter(s.date()) for s in sent}):
        inside = [quarter(s.date()) == period for s in sent]
        for kpi_id in ("newsletter_open_rate", "newsletter_click_rate",
                       "newsletter_click_to_open_rate"):  # fmt: skip
            assert kpi(store, catalog, kpi_id, period) is None, (kpi_id, period)
        assert kpi(
            store, catalog, "newsletter_unsubscribe_rate", period
        ) == pytest.approx(unsubscribes[inside].sum() / delivered[inside].sum())


# ------------------------------------------------------------------ Mailchimp audience


@pytest.mark.parametrize(
    ("rel", "status"),
    [
        ("mailchimp/subscribed_members_export_7c1e2d9a4b.csv", "subscribed"),
        ("mailchimp/unsubscribed_members_export_7c1e2d9a4b.csv", "unsubscribed"),
    ],
    ids=["subscribed", "unsubscribed"],
)
def test_mailchimp_audience_export(store: Store, rel: str, status: str) -> None:
    # No status column: the file a row is in (subscribed_, unsubscribed_) says it.
    rows = list(csv.DictReader(io.StringIO(text(rel))))
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "contacts")
    assert (table.rows_read, table.rows_valid, table.counts.added) == (len(rows),) * 3
    assert_accounted(table)

    def day(stamp: str) -> date | None:
        return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").date() if stamp else None

    expected = sorted(
        (email_key(r["Email Address"]), "mailchimp", status,
         day(r["CONFIRM_TIME"]) or day(r["OPTIN_TIME"]), day(r["LAST_CHANGED"]))
        for r in rows
    )  # fmt: skip
    stored = store.rows(
        "SELECT contact_key, list_name, status, subscribed_on, changed_on FROM contacts"
    )
    assert sorted(stored) == expected


# ------------------------------------------------------------------ Brevo


def test_brevo_campaign_activity_gives_the_campaign_totals(
    store: Store, catalog: Catalog
) -> None:
    rel = "brevo/campaign-[27].csv"
    df = pd.read_csv(REAL / rel, sep=";", dtype=str, encoding="utf-8-sig")
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "email_campaigns")
    assert (table.rows_read, table.rows_valid, table.counts.added) == (
        len(df),
        len(df),
        1,
    )
    assert table.skips == {"combined": len(df) - 1}
    assert_accounted(table)

    delivered = int(df["Delivered_Date"].notna().sum())
    opens = int(df["Open_Date"].notna().sum())
    clicks = int((df["Clicked_Links_Count"].astype(int) > 0).sum())
    unsubscribes = int(df["Unsubscribe_Date"].notna().sum())
    bounces = int(
        (df["Hard_Bounce_Date"].notna() | df["Soft_Bounce_Date"].notna()).sum()
    )
    sent = datetime.strptime(df["Send_Date"].min(), "%d-%m-%Y %H:%M:%S")
    assert store.rows(f"SELECT {CAMPAIGN_COLUMNS} FROM email_campaigns") == [
        (df["Campaign ID"][0], df["Campaign Name"][0], "brevo", sent, len(df), delivered,
         opens, clicks, unsubscribes, bounces)
    ]  # fmt: skip
    period = quarter(sent.date())
    assert kpi(store, catalog, "newsletter_open_rate", period) == pytest.approx(
        opens / delivered
    )
    assert kpi(store, catalog, "newsletter_click_rate", period) == pytest.approx(
        clicks / delivered
    )
    assert kpi(store, catalog, "newsletter_unsubscribe_rate", period) == pytest.approx(
        unsubscribes / delivered
    )


def test_brevo_contacts_of_a_french_account(store: Store) -> None:
    rel = "brevo/contacts_fr.csv"
    rows = list(csv.DictReader(io.StringIO(text(rel)), delimiter=";"))
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "contacts")
    assert (table.rows_read, table.rows_valid, table.counts.added) == (5, 5, 5)
    assert_accounted(table)

    def day(stamp: str) -> date:
        return datetime.strptime(stamp, "%d-%m-%Y %H:%M").date()

    expected = sorted(
        (email_key(r["EMAIL"]), "brevo",
         "unsubscribed" if r["EMAIL_BLACKLISTED"] == "Yes" else "subscribed",
         day(r["ADDED_TIME"]), day(r["MODIFIED_TIME"]))
        for r in rows
    )  # fmt: skip
    stored = store.rows(
        "SELECT contact_key, list_name, status, subscribed_on, changed_on FROM contacts"
    )
    assert sorted(stored) == expected


# ------------------------------------------------------------------ HubSpot


def first_columns(rel: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a file whose header repeats names (contact, then company)."""
    rows = list(csv.reader(io.StringIO(text(rel))))
    return rows[0], rows[1:]


def test_hubspot_contacts_with_suffixed_and_repeated_headers(store: Store) -> None:
    # ' - Contact' / ' - Company' suffixes; 'Create Date', 'Phone Number' and 'Last
    # Activity Date' appear twice: the first is the contact's, the second the company's.
    rel = "hubspot/contacts_with_company_en.csv"
    header, rows = first_columns(rel)
    email, created, activity = (header.index(n) for n in
                                ("Email", "Create Date", "Last Activity Date"))  # fmt: skip

    def day(stamp: str) -> date | None:  # US order, two-digit year: '5/7/24 10:26'
        return datetime.strptime(stamp, "%m/%d/%y %H:%M").date() if stamp else None

    expected = sorted(
        (email_key(r[email]), "hubspot", "crm", day(r[created]), day(r[activity]))
        for r in rows
        if r[email]
    )
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "contacts")
    assert table.source == "hubspot_contacts"
    assert (table.rows_read, table.rows_refused) == (len(rows), 0)
    assert table.counts.added == len(expected)
    assert_accounted(table)
    # The contact without an e-mail address is left out with a reason of its own: it
    # was folded into no other row.
    assert table.rows_skipped == len(rows) - len(expected)
    assert "combined" not in table.skips
    stored = store.rows(
        "SELECT contact_key, list_name, status, subscribed_on, changed_on FROM contacts"
    )
    assert sorted(stored) == expected


def test_hubspot_contacts_of_a_french_account(store: Store) -> None:
    rel = "hubspot/contacts_fr.csv"
    rows = list(csv.DictReader(io.StringIO(text(rel))))
    expected = sorted(
        (email_key(r["E-mail"]), "hubspot", "crm",
         datetime.strptime(r["Date de création"], "%d/%m/%Y %H:%M").date(), None)
        for r in rows
    )  # fmt: skip
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "contacts")
    assert (table.source, table.rows_read, table.rows_valid) == (
        "hubspot_contacts",
        5,
        5,
    )
    assert table.counts.added == 5
    assert_accounted(table)
    stored = store.rows(
        "SELECT contact_key, list_name, status, subscribed_on, changed_on FROM contacts"
    )
    assert sorted(stored) == expected


# ------------------------------------------------------------------ Eventbrite

EVENT_DAY = date(2024, 12, 5)


def test_eventbrite_attendee_summary(store: Store, catalog: Catalog) -> None:
    rel = "eventbrite/attendee_summary_2024-12-05.csv"
    df = pd.read_csv(REAL / rel, dtype=str)
    registered = df[df["Attendee Status"].isin(["Attending", "Checked In"])]
    attendees = registered.groupby(registered["Email"].str.lower())["Attendee Status"]
    came = attendees.apply(lambda s: (s == "Checked In").any())
    report = load_real(
        store, rel, event=EventChoice(title="Cluster day", held_on=EVENT_DAY)
    )
    assert report.status == "loaded"
    table = table_of(report, "attendance")
    assert table.rows_read == len(df)
    assert table.skips == {
        "filtered": len(df) - len(registered),
        "combined": len(registered) - len(came),
    }
    assert table.counts.added == len(came)
    assert_accounted(table)
    assert store.rows("SELECT title, held_on FROM events") == [
        ("Cluster day", EVENT_DAY)
    ]
    assert sorted(
        store.rows("SELECT attendee_key, registered, attended FROM attendance")
    ) == sorted((k, True, bool(v)) for k, v in came.items())
    period = quarter(EVENT_DAY)
    assert kpi(store, catalog, "event_attendance_rate", period) == pytest.approx(
        came.sum() / len(came)
    )
    # No member is known yet: everyone who came is a non-member participant.
    assert kpi(store, catalog, "non_member_event_participants", period) == came.sum()


# ------------------------------------------------------------------ HelloAsso

# The default tariff vocabulary (migration 0009), as an animator reads the tariffs.
TARIFF_TYPES = {
    "Adhésion PME": "sme",
    "Grande entreprise": "large_company",
    "Start-up": "startup",
    "Laboratoire / Organisme de formation": "research_lab",
    "Personne physique": None,
}
COUNTRY_CODES = {"France": "FR", "Espagne": "ES", "Pays-Bas": "NL", "Belgique": "BE"}


def test_helloasso_memberships_with_tariffs_as_member_types(
    store: Store, catalog: Catalog
) -> None:
    rel = "helloasso/export-adhesions-2026.csv"
    df = pd.read_csv(REAL / rel, sep=";", dtype=str, encoding="utf-8-sig")
    valid = df[df["Statut de la commande"] == "Validé"]
    names = valid["Raison sociale"].fillna(
        valid["Prénom adhérent"] + " " + valid["Nom adhérent"]
    )
    joined = [
        datetime.strptime(d, "%d/%m/%Y %H:%M").date()
        for d in valid["Date de la commande"]
    ]
    types = [TARIFF_TYPES[t] for t in valid["Tarif"]]  # None: a private person
    countries = [COUNTRY_CODES[c] for c in valid["Pays"]]
    expected = sorted(zip(names, types, countries, joined, strict=True), key=repr)
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "members")
    assert (table.rows_read, table.rows_valid) == (len(df), len(valid))
    assert table.skips == {"filtered": len(df) - len(valid)}
    assert table.counts.added == len(valid)
    assert_accounted(table)
    stored = store.rows("SELECT name, member_type, country, joined_on FROM members")
    assert sorted(stored, key=repr) == expected

    period = "2026Q1"
    known = [t for t in types if t is not None]
    assert kpi(store, catalog, "new_members", period) == len(valid)
    assert kpi(store, catalog, "sme_share", period) == pytest.approx(
        sum(t in ("sme", "startup") for t in known) / len(known)
    )
    assert kpi(store, catalog, "international_members_share", period) == pytest.approx(
        sum(c != "FR" for c in countries) / len(countries)
    )


# ------------------------------------------------------------------ surveys


def responses(store: Store) -> list[tuple]:
    return sorted(
        store.rows(
            "SELECT submitted_on, respondent_kind, nps_score, vision_agreement"
            " FROM survey_responses"
        ),
        key=repr,
    )


def assert_survey_kpis(store: Store, catalog: Catalog, rows: list[tuple]) -> None:
    """Member NPS and vision adherence of every quarter, from (day, kind, nps, vision)."""
    for period in sorted({quarter(day) for day, *_ in rows}):
        members = [r for r in rows if quarter(r[0]) == period and r[1] == "member"]
        scores = [s for _, _, s, _ in members if s is not None]
        visions = [v for _, _, _, v in members if v is not None]
        got_nps = kpi(store, catalog, "member_nps", period)
        got_vision = kpi(store, catalog, "vision_adherence_rate", period)
        assert got_nps == (pytest.approx(nps(scores)) if scores else None), period
        expected_vision = (
            sum(v >= 4 for v in visions) / len(visions) if visions else None
        )
        assert got_vision == (pytest.approx(expected_vision) if visions else None), (
            period
        )


def kind(member: bool) -> str:
    return "member" if member else "target_company"


def survey_case(
    store: Store, catalog: Catalog, rel: str, expected: list[tuple], *, read: int,
    skipped: int = 0,
) -> None:  # fmt: skip
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.rows_read, table.rows_refused, table.rows_skipped) == (
        read,
        0,
        skipped,
    )
    assert table.counts.added == len(expected)
    assert_accounted(table)
    assert responses(store) == sorted(expected, key=repr)
    assert_survey_kpis(store, catalog, expected)


def google_forms_fr() -> list[tuple]:
    rows = list(
        csv.reader(io.StringIO(text("forms/enquete_satisfaction_horodateur_fr.csv")))
    )
    header = rows[0]
    member = header.index("Êtes-vous adhérent du cluster ?")
    score = next(i for i, h in enumerate(header) if "recommandiez" in h)
    vision = next(i for i, h in enumerate(header) if "vision" in h)
    return [
        (datetime.strptime(r[0], "%d/%m/%Y %H:%M:%S").date(), kind(r[member] == "Oui"),
         int(r[score]), int(r[vision]))
        for r in rows[1:]
    ]  # fmt: skip


def typeform() -> list[tuple]:
    df = pd.read_csv(REAL / "typeform/responses_nps_2025Q4.csv", dtype=str)
    done = df[df["Response Type"] == "completed"]
    member = next(c for c in df.columns if "member" in c)
    score = next(c for c in df.columns if "recommend" in c)
    vision = next(c for c in df.columns if "vision" in c)
    return [
        (datetime.strptime(r["Submit Date (UTC)"], "%Y-%m-%d %H:%M:%S").date(),
         kind(r[member] == "1"), int(r[score]), int(r[vision]))
        for _, r in done.iterrows()
    ]  # fmt: skip


def surveymonkey() -> list[tuple]:
    # Two header rows: the question, then 'Response' (or the option) under it.
    rows = list(csv.reader(io.StringIO(text("surveymonkey/member_survey_2026.csv"))))
    header = rows[0]
    score = next(i for i, h in enumerate(header) if "recommend" in h)
    vision = next(i for i, h in enumerate(header) if "vision" in h)
    end = header.index("End Date")
    return [
        (datetime.strptime(r[end], "%m/%d/%Y %I:%M:%S %p").date(), "member",
         int(r[score]), int(r[vision]))
        for r in rows[2:]
    ]  # fmt: skip


def microsoft_forms() -> list[tuple]:
    df = pd.read_csv(
        REAL / "msforms/member_survey_2026.csv", dtype=str, encoding="utf-8-sig"
    )
    score = next(c for c in df.columns if "recommend" in c)
    vision = next(c for c in df.columns if "vision" in c)
    member = next(c for c in df.columns if "member" in c)
    return [
        (datetime.strptime(r["Completion time"], "%m/%d/%y %H:%M:%S").date(),
         kind(r[member] == "Yes"), int(r[score]), int(r[vision]))
        for _, r in df.iterrows()
    ]  # fmt: skip


def limesurvey() -> list[tuple]:
    df = pd.read_csv(
        REAL / "limesurvey/results-survey428193.csv", dtype=str, encoding="utf-8-sig"
    )
    done = df[df["submitdate"].notna()]  # an empty submit date: an unfinished response
    return [
        (datetime.strptime(r["submitdate"], "%Y-%m-%d %H:%M:%S").date(), "member",
         int(r["NPSrecommend"]), int(r["VISION"]))
        for _, r in done.iterrows()
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rel", "expected", "read", "skipped"),
    [
        ("forms/enquete_satisfaction_horodateur_fr.csv", google_forms_fr, 7, 0),
        ("typeform/responses_nps_2025Q4.csv", typeform, 6, 1),
        ("surveymonkey/member_survey_2026.csv", surveymonkey, 6, 0),
        ("msforms/member_survey_2026.csv", microsoft_forms, 6, 0),
        ("limesurvey/results-survey428193.csv", limesurvey, 6, 1),
    ],
    ids=[
        "google_forms_fr",
        "typeform",
        "surveymonkey",
        "microsoft_forms",
        "limesurvey",
    ],
)
def test_survey_export_gives_member_nps_and_vision(
    store: Store, catalog: Catalog, rel: str, expected: Callable[[], list[tuple]],
    read: int, skipped: int,
) -> None:  # fmt: skip
    rows = expected()
    assert len(rows) == read - skipped
    survey_case(store, catalog, rel, rows, read=read, skipped=skipped)


def test_google_forms_real_export_without_a_scored_question(
    store: Store, catalog: Catalog
) -> None:
    # A real export (CC-BY 4.0): 'Timestamp' written month first ('8/21/2019 13:10:31');
    # no 0-10 or vision question, so every response is kept and the KPIs say no data.
    rel = "forms/autistica_turing_responses_en.csv"
    rows = list(csv.DictReader(io.StringIO(text(rel))))
    days = sorted(
        datetime.strptime(r["Timestamp"], "%m/%d/%Y %H:%M:%S").date() for r in rows
    )
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused) == (
        "google_forms",
        len(rows),
        0,
    )
    assert table.counts.added == len(rows)
    assert_accounted(table)
    stored = store.rows(
        "SELECT submitted_on, nps_score, vision_agreement FROM survey_responses"
    )
    assert sorted(stored) == [(d, None, None) for d in days]
    for period in sorted({quarter(d) for d in days}):
        assert kpi(store, catalog, "member_nps", period) is None
        assert kpi(store, catalog, "vision_adherence_rate", period) is None


def excel_serial_day(cell: str) -> date:
    """The day of an Excel serial date-time ('43290.53487'), as a re-saved sheet writes it."""
    return date(1899, 12, 30) + timedelta(days=int(float(cell)))


@pytest.mark.parametrize(
    ("rel", "end_day"),
    [
        # As SurveyMonkey wrote it: 'End Date' like '06/08/2020 10:47:25 AM'.
        (
            "surveymonkey/osposurvey_2020_results.csv",
            lambda cell: datetime.strptime(cell, "%m/%d/%Y %I:%M:%S %p").date(),
        ),
        # Re-saved in a spreadsheet: dates became serial numbers, no 'Collector ID'.
        ("surveymonkey/osposurvey_2018_results_resaved.csv", excel_serial_day),
    ],
    ids=["as_exported_2020", "resaved_2018"],
)
def test_surveymonkey_real_export_without_a_scored_question(
    store: Store, catalog: Catalog, rel: str, end_day: Callable[[str], date]
) -> None:
    # Real exports (CC-BY-SA 4.0), two header rows. The only scale question (1-5,
    # 'how business-critical', 1 = extremely) is no recommendation or vision question.
    rows = list(csv.reader(io.StringIO(text(rel))))
    header, answers = rows[0], rows[2:]
    days = sorted(end_day(r[header.index("End Date")]) for r in answers)
    report = load_real(store, rel)
    assert report.status == "loaded"
    table = table_of(report, "survey_responses")
    assert (table.source, table.rows_read, table.rows_refused) == (
        "surveymonkey",
        len(answers),
        0,
    )
    assert table.counts.added == len(answers)
    assert_accounted(table)
    stored = store.rows(
        "SELECT submitted_on, nps_score, vision_agreement FROM survey_responses"
    )
    assert sorted(stored) == [(d, None, None) for d in days]
    for period in sorted({quarter(d) for d in days}):
        assert kpi(store, catalog, "member_nps", period) is None
        assert kpi(store, catalog, "vision_adherence_rate", period) is None
