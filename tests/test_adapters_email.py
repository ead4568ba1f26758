"""Mailchimp and Brevo exports, end to end: recognised, loaded, and the KPIs they give."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.import_helpers import counts, every_table, key, kpi, load

LIST = "Adhérents et partenaires"
CAMPAIGN_COLUMNS = ("campaign_id, title, audience, sent_at, recipients, delivered,"
                    " unique_opens, unique_clicks, unsubscribes, bounces")  # fmt: skip


def campaigns(store: Store) -> list[tuple]:
    return store.rows(
        f"SELECT {CAMPAIGN_COLUMNS} FROM email_campaigns ORDER BY sent_at"
    )


def contacts(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT contact_key, list_name, status, subscribed_on, changed_on FROM contacts"
        " ORDER BY subscribed_on, contact_key"
    )


# ------------------------------------------------------------ Mailchimp campaigns

MAILCHIMP_Q1 = [
    ("a1b2c3d4e5", "Lettre n°12 — janvier 2026", LIST, datetime(2026, 1, 15, 9, 30),
     412, 405, 168, 37, 2, 7),
    ("f0e1d2c3b4", "Invitation : assemblée générale, 12 mars", LIST,
     datetime(2026, 2, 3, 14, 15), 415, 409, 221, 88, 1, 6),
    ("9c8b7a6f5e", "Lettre n°13 — février 2026", LIST, datetime(2026, 2, 19, 9, 30),
     418, 410, 160, 29, 3, 8),
    ("3e4f5a6b7c", "Lettre n°14 — mars 2026", LIST, datetime(2026, 3, 19, 9, 30),
     420, 414, 171, 33, 0, 6),
]  # fmt: skip
APRIL = ("7d6c5b4a39", "Lettre n°15 — avril 2026", LIST, datetime(2026, 4, 16, 9, 30),
         425, 418, 150, 30, 2, 7)  # fmt: skip


def test_a_mailchimp_campaign_list_gives_one_row_per_campaign(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "mailchimp/campaigns.csv")
    assert report.status == "loaded"
    assert counts(report) == [("mailchimp_campaigns", 5, 5, (5, 0, 0))]
    assert campaigns(store) == [*MAILCHIMP_Q1, APRIL]
    # Q1: (168 + 221 + 160 + 171) opens over (405 + 409 + 410 + 414) deliveries.
    assert kpi(store, catalog, "newsletter_open_rate", "2026Q1") == pytest.approx(
        720 / 1638
    )
    assert kpi(store, catalog, "newsletter_click_rate", "2026Q1") == pytest.approx(
        187 / 1638
    )
    assert kpi(
        store, catalog, "newsletter_unsubscribe_rate", "2026Q1"
    ) == pytest.approx(6 / 1638)


def test_a_newer_mailchimp_list_updates_campaigns_by_their_id(
    store: Store, catalog: Catalog
) -> None:
    load(store, "mailchimp/campaigns.csv")
    report = load(store, "mailchimp/campaigns_2026-05.csv")
    assert report.status == "loaded"
    assert counts(report) == [("mailchimp_campaigns", 4, 4, (1, 2, 1))]
    assert (report.rows_added, report.rows_updated) == (1, 2)
    assert campaigns(store) == [
        *MAILCHIMP_Q1[:3],
        ("3e4f5a6b7c", "Lettre n°14 — mars 2026", LIST, datetime(2026, 3, 19, 9, 30),
         420, 414, 179, 35, 0, 6),
        ("7d6c5b4a39", "Lettre n°15 — avril 2026", LIST, datetime(2026, 4, 16, 9, 30),
         425, 418, 166, 34, 3, 7),
        ("5b6a7c8d9e", "Lettre n°16 — mai 2026", LIST, datetime(2026, 5, 21, 9, 30),
         430, 425, 158, 31, 1, 5),
    ]  # fmt: skip
    assert kpi(store, catalog, "newsletter_open_rate", "2026Q2") == pytest.approx(
        324 / 843
    )


def test_a_non_number_in_unique_opens_is_refused_and_changes_nothing(
    store: Store,
) -> None:
    load(store, "mailchimp/campaigns.csv")
    before = every_table(store)
    report = load(store, "mailchimp/campaigns_bad_opens.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("invalid_integer", 3, "Unique Opens", "abc")
    ]
    assert every_table(store) == before


# ------------------------------------------------------------ Mailchimp audience

AUDIENCE = [
    (key("old.contact@ancien-domaine.fr"), "mailchimp", "cleaned", date(2023, 11, 5),
     date(2026, 1, 16)),
    (key("contact@groupe-laitier.fr"), "mailchimp", "subscribed", date(2024, 6, 3),
     date(2024, 6, 3)),
    (key("anne.petit@orange.fr"), "mailchimp", "unsubscribed", date(2025, 3, 10),
     date(2026, 2, 4)),
    (key("claire.martin@agro-sud.fr"), "mailchimp", "subscribed", date(2025, 9, 2),
     date(2026, 1, 10)),
    (key("paul.durand@novaferm.be"), "mailchimp", "subscribed", date(2025, 10, 14),
     date(2025, 10, 14)),
    (key("s.leroy@biotech-ouest.fr"), "mailchimp", "subscribed", date(2026, 1, 20),
     date(2026, 2, 1)),
]  # fmt: skip


def test_a_mailchimp_audience_zip_gives_contacts_without_their_addresses(
    store: Store,
) -> None:
    report = load(store, "mailchimp/audience_export_2026-03-31.zip")
    assert report.status == "loaded"
    prefix = "audience_export_2026-03-31.zip › "
    assert [t.name for t in report.tables] == [
        prefix + "subscribed_email_audience_export_5f3a9c1e27.csv",
        prefix + "unsubscribed_email_audience_export_5f3a9c1e27.csv",
        prefix + "cleaned_email_audience_export_5f3a9c1e27.csv",
    ]
    assert counts(report) == [
        ("mailchimp_audience", 4, 4, (4, 0, 0)),
        ("mailchimp_audience", 1, 1, (1, 0, 0)),
        ("mailchimp_audience", 1, 1, (1, 0, 0)),
    ]
    assert contacts(store) == AUDIENCE
    stored = " ".join(map(str, store.rows("SELECT * FROM contacts")))
    assert "@" not in stored


def test_a_newer_audience_export_moves_a_contact_that_left(store: Store) -> None:
    load(store, "mailchimp/audience_export_2026-03-31.zip")
    report = load(store, "mailchimp/audience_export_2026-06-30.zip")
    assert report.status == "loaded"
    sophie = (key("s.leroy@biotech-ouest.fr"), "mailchimp", "unsubscribed",
              date(2026, 1, 20), date(2026, 5, 12))  # fmt: skip
    luc = (key("luc.bernard@groupe-laitier.fr"), "mailchimp", "subscribed",
           date(2026, 4, 22), date(2026, 4, 22))  # fmt: skip
    assert contacts(store) == [*AUDIENCE[:5], sophie, luc]


def test_a_newer_audience_export_counts_each_table_on_its_own(store: Store) -> None:
    load(store, "mailchimp/audience_export_2026-03-31.zip")
    report = load(store, "mailchimp/audience_export_2026-06-30.zip")
    assert counts(report) == [
        ("mailchimp_audience", 4, 4, (1, 0, 3)),
        ("mailchimp_audience", 2, 2, (0, 1, 1)),
        ("mailchimp_audience", 1, 1, (0, 0, 1)),
    ]
    assert (report.rows_added, report.rows_updated) == (1, 1)


# ------------------------------------------------------------ Brevo campaign activity

BREVO_12 = ("12", "Lettre d'information — mars 2026", "brevo",
            datetime(2026, 3, 12, 10, 0), 10, 8, 6, 3, 1, 2)  # fmt: skip
BREVO_14 = ("14", "Invitation — atelier IA et agroalimentaire", "brevo",
            datetime(2026, 2, 5, 9, 0), 6, 6, 3, 1, 0, 0)  # fmt: skip


def test_brevo_recipient_rows_are_counted_into_one_row_per_campaign(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "brevo/campaign-[12].csv")
    assert report.status == "loaded"
    assert counts(report) == [("brevo_campaign", 10, 10, (1, 0, 0))]
    assert load(store, "brevo/campaign-[14].csv").status == "loaded"
    assert campaigns(store) == [BREVO_14, BREVO_12]
    # Q1: 3 + 6 openers, 1 + 3 clickers, 0 + 1 unsubscribes over 6 + 8 deliveries.
    assert kpi(store, catalog, "newsletter_open_rate", "2026Q1") == pytest.approx(
        9 / 14
    )
    assert kpi(store, catalog, "newsletter_click_rate", "2026Q1") == pytest.approx(
        4 / 14
    )
    assert kpi(
        store, catalog, "newsletter_click_to_open_rate", "2026Q1"
    ) == pytest.approx(4 / 9)
    assert kpi(
        store, catalog, "newsletter_unsubscribe_rate", "2026Q1"
    ) == pytest.approx(1 / 14)


def test_a_later_brevo_export_of_a_campaign_updates_its_totals(store: Store) -> None:
    load(store, "brevo/campaign-[12].csv")
    report = load(store, "brevo/campaign-[12]_2026-03-19.csv")
    assert counts(report) == [("brevo_campaign", 10, 10, (0, 1, 0))]
    assert campaigns(store) == [
        ("12", "Lettre d'information — mars 2026", "brevo", datetime(2026, 3, 12, 10, 0),
         10, 8, 8, 5, 1, 2)
    ]  # fmt: skip


def test_a_brevo_export_without_campaign_id_is_refused(store: Store) -> None:
    load(store, "brevo/campaign-[14].csv")
    before = every_table(store)
    report = load(store, "brevo/campaign-[12]_no_campaign_id.csv")
    assert report.status == "rejected"
    assert [t.source for t in report.tables] == ["brevo_campaign"]
    assert [p for _, p in report.problems] == [
        Problem("missing_columns", params={"columns": "Campaign ID"})
    ]
    assert every_table(store) == before


# ------------------------------------------------------------ Brevo contacts

BREVO_FR = [
    (key("claire.martin@agro-sud.fr"), "brevo", "subscribed", date(2024, 6, 18),
     date(2026, 1, 28)),
    (key("paul.durand@novaferm.be"), "brevo", "subscribed", date(2024, 9, 3),
     date(2024, 9, 3)),
    (key("anne.petit@orange.fr"), "brevo", "unsubscribed", date(2025, 1, 11),
     date(2026, 2, 4)),
    (key("info@legumes-bio.fr"), "brevo", "subscribed", date(2025, 2, 20),
     date(2025, 2, 20)),
    (key("t.garcia@agrotech.es"), "brevo", "subscribed", date(2026, 1, 7),
     date(2026, 1, 15)),
]  # fmt: skip


def test_brevo_contacts_load_from_french_and_english_headers(store: Store) -> None:
    french = load(store, "brevo/contacts_fr.csv")
    english = load(store, "brevo/contacts_en.csv")
    assert counts(french) == [("brevo_contacts", 5, 5, (5, 0, 0))]
    assert counts(english) == [("brevo_contacts", 3, 3, (3, 0, 0))]
    assert contacts(store) == [
        *BREVO_FR[:4],
        (key("t.garcia@agrotech.es"), "brevo", "subscribed", date(2026, 1, 7),
         date(2026, 1, 15)),
        (key("direction@cap-export.fr"), "brevo", "subscribed", date(2026, 2, 2),
         date(2026, 2, 2)),
        (key("rd@biotech-ouest.fr"), "brevo", "subscribed", date(2026, 2, 10),
         date(2026, 3, 11)),
        (key("export@agrotech.es"), "brevo", "subscribed", date(2026, 3, 23),
         date(2026, 3, 23)),
    ]  # fmt: skip


def test_a_newer_brevo_contacts_export_updates_a_blacklisted_contact(
    store: Store,
) -> None:
    load(store, "brevo/contacts_fr.csv")
    report = load(store, "brevo/contacts_fr_2026-05.csv")
    assert counts(report) == [("brevo_contacts", 6, 6, (1, 1, 4))]
    assert contacts(store) == [
        *BREVO_FR[:4],
        (key("t.garcia@agrotech.es"), "brevo", "unsubscribed", date(2026, 1, 7),
         date(2026, 5, 2)),
        (key("m.roux@fromagerie-roux.fr"), "brevo", "subscribed", date(2026, 4, 14),
         date(2026, 4, 14)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "rel",
    ["mailchimp/campaigns.csv", "mailchimp/audience_export_2026-03-31.zip",
     "brevo/campaign-[12].csv", "brevo/contacts_fr.csv"],
)  # fmt: skip
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
