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
    # No type, no country and an individual tariff: of unknown type, country unknown.
    (member_id("Anne Petit"), "Anne Petit", None, None, None, None, date(2026, 1, 15),
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
    # Agro Sud (SME) and NovaFerm (start-up) among the 4 members of known type.
    assert kpi(store, catalog, "sme_share", "2026Q1") == pytest.approx(2 / 4)
    # NovaFerm (Belgium) among the 4 members of known country.
    assert kpi(
        store, catalog, "international_members_share", "2026Q1"
    ) == pytest.approx(1 / 4)


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


# ------------------------------------------------------------ HubSpot vintages


@pytest.mark.parametrize(
    ("header", "source"),
    [
        # Newer exports with associations: the exported object's id first, suffixed.
        (["Record ID - Contact", "First Name", "Last Name", "Email", "Create Date",
          "Record ID - Company", "Company name", "Create Date"], "hubspot_contacts"),
        (["Record ID - Contact", "First Name - Contact", "Email - Contact",
          "Record ID - Company", "Company name - Company"], "hubspot_contacts"),
        (["Record ID - Company", "Company name - Company", "Record ID - Contact",
          "Email - Contact"], "hubspot_companies"),
        (["Record ID - Company", "Company name", "City", "Industry"], "hubspot_companies"),
        # Older vintage: the exported object's id plain, the association's suffixed.
        (["Record ID", "First Name", "Last Name", "Email", "Associated Company",
          "Record ID - Company", "Company name"], "hubspot_contacts"),
        (["Record ID", "Company name", "Record ID - Contact", "Email"],
         "hubspot_companies"),
        # Repeated plain names: the first of each belongs to the exported object.
        (["Record ID", "Email", "Create Date", "Record ID", "Company name", "Create Date"],
         "hubspot_contacts"),
        (["ID de fiche d'informations - Contact", "Prénom - Contact", "E-mail - Contact",
          "ID de fiche d'informations - Entreprise", "Nom de l'entreprise - Entreprise"],
         "hubspot_contacts"),
        (["ID de fiche d'informations - Entreprise", "Nom de l'entreprise - Entreprise",
          "Pays/Région - Entreprise"], "hubspot_companies"),
    ],
)  # fmt: skip
def test_every_hubspot_vintage_is_recognised_as_its_own_object(
    header: list[str], source: str
) -> None:
    adapter = find_adapter(header)
    assert adapter is not None and adapter.name == source


@pytest.mark.parametrize(
    ("header", "adapter_name"),
    [
        (["Record ID - Contact", "Email", "Record ID - Company", "Company name"],
         "hubspot_companies"),
        (["Record ID - Company", "Company name", "Record ID - Contact", "Email"],
         "hubspot_contacts"),
        (["Record ID", "Email", "Record ID - Company", "Company name"],
         "hubspot_companies"),
    ],
)  # fmt: skip
def test_a_hubspot_export_is_not_taken_for_its_associated_object(
    header: list[str], adapter_name: str
) -> None:
    from clusterkpi.imports.adapters import ADAPTERS

    assert not ADAPTERS[adapter_name].matches(header)


def test_hubspot_contacts_with_associated_companies_load_the_contacts_columns(
    store: Store,
) -> None:
    # 'Create Date' and 'Last Activity Date' appear twice: the contact's come first.
    report = load(store, "hubspot/contacts_associations_en.csv")
    assert counts(report) == [("hubspot_contacts", 3, 3, (2, 0, 0))]
    assert contacts(store) == HUBSPOT_EN[:2]
    assert store.scalar("SELECT count(*) FROM members") == 0
    assert store.scalar("SELECT count(*) FROM organisations") == 0


def test_hubspot_companies_with_every_column_suffixed_load(store: Store) -> None:
    report = load(store, "hubspot/companies_suffixed_en.csv")
    assert counts(report) == [("hubspot_companies", 2, 2, (2, 0, 0))]
    assert organisations(store) == COMPANIES_EN[:2]
    assert store.scalar("SELECT count(*) FROM contacts") == 0


def test_a_french_hubspot_contacts_export_with_suffixes_is_no_member_roster(
    store: Store,
) -> None:
    report = load(store, "hubspot/contacts_suffixed_fr.csv")
    assert counts(report) == [("hubspot_contacts", 2, 2, (2, 0, 0))]
    assert contacts(store) == [
        (key("m.roux@fromagerie-roux.fr"), "hubspot", "crm", date(2025, 11, 4),
         date(2026, 3, 10)),
        (key("anne.petit@orange.fr"), "hubspot", "crm", date(2026, 1, 15),
         date(2026, 1, 15)),
    ]  # fmt: skip
    assert store.scalar("SELECT count(*) FROM members") == 0


# ------------------------------------------------------------ HelloAsso tariffs

# The fixture's tariffs, and the type an animator reading them would give (by hand).
TARIFFS = {
    "Julie Faure": ("Personne physique", None, None, date(2026, 4, 14)),
    "Atelier Blanc": ("Adhésion entreprise individuelle", "sme", "FR", date(2026, 4, 9)),
    "LISBP": ("Laboratoire / Organisme de formation", "research_lab", "FR",
              date(2026, 4, 2)),
    "Céréalis": ("Adhésion bienfaiteur", None, None, date(2026, 3, 27)),
    "Fermentis Lab": ("Start-up (moins de 3 ans)", "startup", "FR", date(2026, 3, 18)),
    "Danone Recherche": ("Grande entreprise / ETI", "large_company", "FR",
                         date(2026, 3, 11)),
    "Laiterie Mercier": ("Adhésion PME (10 à 249 salariés)", "sme", "ES",
                         date(2026, 3, 4)),
}  # fmt: skip


def test_helloasso_tariffs_give_member_types_through_the_vocabulary(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "helloasso/export-adhesions-tarifs.csv")
    assert counts(report) == [("helloasso_members", 7, 7, (7, 0, 0))]
    assert members(store) == sorted(
        [
            (member_id(name), name, kind, country, None, None, joined, None)
            for name, (_, kind, country, joined) in TARIFFS.items()
        ],
        key=lambda r: (r[6], r[1]),
    )
    known = [kind for _, kind, _, _ in TARIFFS.values() if kind is not None]
    smes = [kind for kind in known if kind in ("sme", "startup")]
    assert (len(known), len(smes)) == (5, 3)
    assert kpi(store, catalog, "sme_share", "2026Q2") == pytest.approx(3 / 5)


def test_an_edited_vocabulary_types_the_next_import(store: Store) -> None:
    from clusterkpi.member_vocabulary import delete_term, set_term

    set_term(store, "Bienfaiteur", "funder")
    assert delete_term(store, "Laboratoire / Organisme de formation")
    load(store, "helloasso/export-adhesions-tarifs.csv")
    types = dict(store.rows("SELECT name, member_type FROM members"))
    # Without the combined term, the longest remaining one in the lab tariff is
    # 'Organisme de formation' (22 letters against 11 for 'Laboratoire').
    assert types == {
        **{name: kind for name, (_, kind, _, _) in TARIFFS.items()},
        "Céréalis": "funder",
        "LISBP": "training_centre",
    }


def test_a_type_column_wins_over_the_tariff(store: Store) -> None:
    export = (
        "Référence commande;Date de la commande;Statut de la commande;Nom adhérent;"
        "Tarif;Entreprise;Type de structure\n"
        "1;04/03/2026;Validé;Roux;Adhésion PME;Fromagerie Roux;Association\n"
        "2;05/03/2026;Validé;Vidal;Adhésion PME;Vidal SA;\n"
        "3;06/03/2026;Validé;Noir;Adhésion;Noir SAS;\n"
    ).encode()
    assert load(store, "export.csv", raw=export).status == "loaded"
    assert dict(store.rows("SELECT name, member_type FROM members")) == {
        "Fromagerie Roux": "association",
        "Vidal SA": "sme",
        "Noir SAS": None,
    }


def test_a_roster_without_a_country_leaves_it_unknown(store: Store) -> None:
    first = (
        "Nom;Type de structure;Pays;Date d'adhésion\n"
        "Agro Sud;PME;France;01/06/2025\n"
        "Vidal SA;ETI;;02/06/2025\n"
    ).encode()
    assert load(store, "adherents.csv", raw=first).status == "loaded"
    again = (
        "Nom;Type de structure;Date d'adhésion\n"
        "Agro Sud;PME;01/06/2025\nNoir SAS;Association;03/06/2025\n"
    ).encode()
    assert load(store, "adherents-2.csv", raw=again).status == "loaded"
    assert store.rows(
        "SELECT name, member_type, country FROM members ORDER BY name"
    ) == [
        # A roster replaces its members' rows (members are not a merged table): the
        # second one gives no country, so none is stored, rather than an invented 'FR'.
        ("Agro Sud", "sme", None),
        ("Noir SAS", "association", None),
        ("Vidal SA", "large_company", None),
    ]
