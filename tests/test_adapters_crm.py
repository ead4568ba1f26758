"""HubSpot and HelloAsso exports, end to end: organisations, contacts and members."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.adapters import find_adapter
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.import_helpers import counts, every_table, key, kpi, load


def member_id(name: str) -> str:
    """The member roster template's id: the same member from either source."""
    return "M-" + hashlib.sha256(name.encode()).hexdigest()[:12]


# ------------------------------------------------------------ HubSpot companies


def organisations(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT * EXCLUDE (import_id) FROM organisations ORDER BY organisation_id"
    )


COMPANIES_EN = [
    ("9001234501", "Agro Sud", "agro-sud.fr", "Food Production", "France",
     date(2025, 3, 14), date(2026, 3, 2)),
    ("9001234502", "NovaFerm", "novaferm.be", "Biotechnology", "Belgium",
     date(2025, 10, 14), date(2026, 2, 20)),
    ("9001234503", "Biotech Ouest Lab", "biotech-ouest.fr", "Research", "France",
     date(2026, 1, 20), None),
    ("9001234504", "Groupe Laitier", "groupe-laitier.fr", "Dairy", "France",
     date(2024, 6, 3), date(2026, 3, 18)),
    ("9001234505", "Agrotech Iberia, S.L.", "agrotech.es", "Farming", "Spain",
     date(2026, 1, 7), date(2026, 1, 15)),
]  # fmt: skip


def test_hubspot_companies_load_from_an_english_csv_and_a_french_workbook(
    store: Store,
) -> None:
    english = load(store, "hubspot/companies_en.csv")
    french = load(store, "hubspot/companies_fr.xlsx")
    assert counts(english) == [("hubspot_companies", 5, 5, (5, 0, 0))]
    assert [t.name for t in french.tables] == ["companies_fr.xlsx › Companies"]
    assert counts(french) == [("hubspot_companies", 3, 3, (3, 0, 0))]
    assert organisations(store) == [
        *COMPANIES_EN,
        ("9001234507", "Fromagerie Roux", "fromagerie-roux.fr", "Produits laitiers",
         "France", date(2025, 11, 4), None),
        ("9001234508", "Légumes Bio Occitanie", "legumes-bio.fr", "Agriculture", "France",
         date(2026, 2, 17), None),
        ("9001234509", "Coopérative des Causses", None, None, "France", date(2026, 3, 9),
         None),
    ]  # fmt: skip


def test_a_newer_hubspot_companies_export_updates_by_record_id(store: Store) -> None:
    load(store, "hubspot/companies_en.csv")
    report = load(store, "hubspot/companies_en_2026-04.csv")
    assert counts(report) == [("hubspot_companies", 6, 6, (1, 1, 4))]
    assert organisations(store) == [
        *COMPANIES_EN[:2],
        ("9001234503", "Biotech Ouest Lab", "biotech-ouest.fr", "Research", "France",
         date(2026, 1, 20), date(2026, 4, 8)),
        *COMPANIES_EN[3:],
        ("9001234506", "Cap Export", "cap-export.fr", "International Trade and Development",
         "France", date(2026, 4, 2), date(2026, 4, 2)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "source"),
    [
        (["Record ID", "Company name", "Industry"], "hubspot_companies"),
        (["ID de fiche d'informations", "Nom de l'entreprise"], "hubspot_companies"),
        (["Record ID", "Email", "Company Name"], "hubspot_contacts"),
        (["ID de fiche d'informations", "Prénom", "E-mail"], "hubspot_contacts"),
    ],
)
def test_hubspot_is_recognised_from_french_or_english_headers(
    header: list[str], source: str
) -> None:
    adapter = find_adapter(header)
    assert adapter is not None and adapter.name == source


# ------------------------------------------------------------ HubSpot contacts


def contacts(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT * EXCLUDE (import_id) FROM contacts ORDER BY subscribed_on, contact_key"
    )


HUBSPOT_EN = [
    (key("claire.martin@agro-sud.fr"), "hubspot", "crm", date(2025, 3, 14),
     date(2026, 3, 2)),
    (key("paul.durand@novaferm.be"), "hubspot", "crm", date(2025, 10, 14),
     date(2026, 2, 20)),
    (key("export@agrotech.es"), "hubspot", "crm", date(2026, 1, 7), date(2026, 1, 15)),
]  # fmt: skip


def test_hubspot_contacts_with_an_address_become_crm_contacts(store: Store) -> None:
    english = load(store, "hubspot/contacts_en.csv")
    french = load(store, "hubspot/contacts_fr.csv")
    # Jean Rey has no e-mail address: read, valid, but no mailing contact.
    assert counts(english) == [("hubspot_contacts", 4, 4, (3, 0, 0))]
    assert counts(french) == [("hubspot_contacts", 2, 2, (2, 0, 0))]
    assert contacts(store) == [
        *HUBSPOT_EN[:2],
        (key("m.roux@fromagerie-roux.fr"), "hubspot", "crm", date(2025, 11, 4),
         date(2026, 3, 10)),
        HUBSPOT_EN[2],
        (key("direction@cap-export.fr"), "hubspot", "crm", date(2026, 4, 2),
         date(2026, 4, 2)),
    ]  # fmt: skip


def test_a_newer_hubspot_contacts_export_updates_by_address(store: Store) -> None:
    load(store, "hubspot/contacts_en.csv")
    report = load(store, "hubspot/contacts_en_2026-04.csv")
    assert counts(report) == [("hubspot_contacts", 5, 5, (1, 1, 2))]
    assert contacts(store) == [
        (key("claire.martin@agro-sud.fr"), "hubspot", "crm", date(2025, 3, 14),
         date(2026, 4, 9)),
        *HUBSPOT_EN[1:],
        (key("direction@cap-export.fr"), "hubspot", "crm", date(2026, 4, 2),
         date(2026, 4, 2)),
    ]  # fmt: skip


# ------------------------------------------------------------ HelloAsso


def members(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT * EXCLUDE (import_id) FROM members ORDER BY joined_on, name"
    )


HELLOASSO = [
    (member_id("Agro Sud"), "Agro Sud", "sme", "FR", None, None, date(2025, 3, 10), None),
    (member_id("Anne Petit"), "Anne Petit", "sme", "FR", None, None, date(2026, 1, 15),
     None),
    (member_id("Groupe Laitier"), "Groupe Laitier", "large_company", "FR", None, None,
     date(2026, 1, 28), None),
    (member_id("Biotech Ouest Lab"), "Biotech Ouest Lab", "research_lab", "FR", None, None,
     date(2026, 2, 11), None),
    (member_id("NovaFerm"), "NovaFerm", "startup", "BE", None, None, date(2026, 3, 2),
     None),
]  # fmt: skip


def test_validated_helloasso_orders_become_members(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "helloasso/export-adhesions-2026.csv")
    assert report.status == "loaded"
    # 8 orders: a refunded and a refused one are left out; Agro Sud ordered twice.
    assert counts(report) == [("helloasso_members", 8, 6, (5, 0, 0))]
    assert members(store) == HELLOASSO
    assert kpi(store, catalog, "new_members", "2026Q1") == 4
    assert kpi(store, catalog, "active_members", "2026Q1") == 5
    assert kpi(store, catalog, "sme_share", "2026Q1") == pytest.approx(3 / 5)
    assert kpi(
        store, catalog, "international_members_share", "2026Q1"
    ) == pytest.approx(1 / 5)


def test_a_newer_helloasso_export_adds_and_corrects_members(store: Store) -> None:
    load(store, "helloasso/export-adhesions-2026.csv")
    report = load(store, "helloasso/export-adhesions-2026-06.csv")
    assert counts(report) == [("helloasso_members", 9, 7, (1, 1, 4))]
    assert members(store) == [
        *HELLOASSO[:4],
        (member_id("NovaFerm"), "NovaFerm", "sme", "BE", None, None, date(2026, 3, 2),
         None),
        (member_id("Cap Export"), "Cap Export", "association", "FR", None, None,
         date(2026, 5, 12), None),
    ]  # fmt: skip


def test_helloasso_keeps_the_earliest_joining_date_and_what_it_does_not_know(
    store: Store,
) -> None:
    roster = (
        "Nom;Type de structure;Pays;Région;Secteur;Date d'adhésion;Date de fin\n"
        "Agro Sud;PME;France;Occitanie;Agroalimentaire;01/06/2025;31/12/2026\n"
    ).encode()
    assert load(store, "adherents.csv", raw=roster).status == "loaded"
    report = load(store, "helloasso/export-adhesions-2026.csv")
    assert counts(report) == [("helloasso_members", 8, 6, (4, 1, 0))]
    assert members(store)[0] == (
        member_id("Agro Sud"), "Agro Sud", "sme", "FR", "Occitanie", "Agroalimentaire",
        date(2025, 3, 10), date(2026, 12, 31),
    )  # fmt: skip


def test_an_impossible_helloasso_date_is_refused_and_changes_nothing(
    store: Store,
) -> None:
    load(store, "helloasso/export-adhesions-2026.csv")
    before = every_table(store)
    report = load(store, "helloasso/export-adhesions_bad_date.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("invalid_date", 5, "Date de la commande", "31/02/2026")
    ]
    assert every_table(store) == before


@pytest.mark.parametrize(
    "rel",
    ["hubspot/companies_en.csv", "hubspot/companies_fr.xlsx", "hubspot/contacts_fr.csv",
     "helloasso/export-adhesions-2026.csv"],
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
