"""CRM and membership tools: HubSpot companies and contacts, HelloAsso membership orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clusterkpi.imports.adapters.email import EMAIL_PATTERN
from clusterkpi.imports.adapters.vocabulary import COUNTRIES, MEMBER_TYPES
from clusterkpi.imports.fields import Adapter, FieldMap, Kind, normalize
from clusterkpi.member_vocabulary import TARIFF_TYPE_SQL

F = FieldMap

# HubSpot headers follow the user's language. An export with associated records repeats
# names ('Record ID', 'Create Date'... once per object): newer ones suffix the id, or
# every column, with ' - Contact' / ' - Company' (the object's label: ' - Entreprise'
# in French). Sources of each text: docs/hubspot-labels-sources.md.
CONTACT_SUFFIXES = (" - Contact",)
COMPANY_SUFFIXES = (" - Company", " - Entreprise")

HUBSPOT_ID = ("Record ID", "ID de fiche d'informations")
HUBSPOT_EMAIL = ("Email", "E-mail", "Adresse e-mail")
HUBSPOT_CREATED = ("Create Date", "Date de création")
HUBSPOT_MODIFIED = ("Last Modified Date", "Date de dernière modification")
HUBSPOT_ACTIVITY = ("Last Activity Date", "Date de dernière activité",
                    "Date de la dernière activité")  # fmt: skip
HUBSPOT_COMPANY_NAME = ("Company name", "Nom de l'entreprise")
HUBSPOT_DOMAIN = ("Company Domain Name", "Nom de domaine de l'entreprise")


def _vintages(names: tuple[str, ...], suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """Return the names as they are, then with each object suffix."""
    return (*names, *(f"{n}{s}" for n in names for s in suffixes))


CONTACT_IDS = tuple(f"{n}{s}" for n in HUBSPOT_ID for s in CONTACT_SUFFIXES)
COMPANY_IDS = tuple(f"{n}{s}" for n in HUBSPOT_ID for s in COMPANY_SUFFIXES)


@dataclass(frozen=True)
class HubSpotAdapter(Adapter):
    """A HubSpot export of one object, told apart from the export of its associations.

    In an export with associated records, the exported object's columns come first:
    the first record id column tells which object the export is of. A plain 'Record
    ID' first, followed by this object's suffixed id, is an export of another object.
    """

    own_ids: tuple[str, ...] = ()
    other_ids: tuple[str, ...] = ()

    def matches(
        self, header: list[str] | tuple[str, ...], context: Sequence[str] | None = None
    ) -> bool:
        """Tell whether the header is an export of this adapter's object."""
        return super().matches(header, context) and self._is_primary(header)

    def _is_primary(self, header: list[str] | tuple[str, ...]) -> bool:
        own = {normalize(n) for n in self.own_ids}
        other = {normalize(n) for n in self.other_ids}
        plain = {normalize(n) for n in HUBSPOT_ID}
        ids = [n for n in map(normalize, header) if n in own | other | plain]
        if not ids or ids[0] in own:
            return True
        if ids[0] in other:
            return False
        return not any(n in own for n in ids[1:])


# A contacts export often has a company name column too: contacts are tried first.
HUBSPOT_CONTACTS = HubSpotAdapter(
    name="hubspot_contacts",
    label="HubSpot — contacts",
    dataset="contacts",
    signature=(_vintages(HUBSPOT_ID, CONTACT_SUFFIXES),
               _vintages(HUBSPOT_EMAIL, CONTACT_SUFFIXES)),
    fields=(
        F("email", _vintages(HUBSPOT_EMAIL, CONTACT_SUFFIXES), pattern=EMAIL_PATTERN),
        F("created_on", _vintages(HUBSPOT_CREATED, CONTACT_SUFFIXES), Kind.DATE),
        F("changed_on", _vintages((*HUBSPOT_MODIFIED, *HUBSPOT_ACTIVITY),
                                  CONTACT_SUFFIXES), Kind.DATE),
    ),
    # A CRM contact without an e-mail address is no mailing contact: it is left out.
    skip_without=("email",),
    post="""SELECT sha256(lower(email)) AS contact_key, 'hubspot' AS list_name,
           'crm' AS status, created_on AS subscribed_on, changed_on
    FROM {parsed}
    WHERE email IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY contact_key ORDER BY _line DESC) = 1""",
    own_ids=CONTACT_IDS,
    other_ids=COMPANY_IDS,
)  # fmt: skip

HUBSPOT_COMPANIES = HubSpotAdapter(
    name="hubspot_companies",
    label="HubSpot — entreprises / companies",
    dataset="organisations",
    signature=(_vintages(HUBSPOT_ID, COMPANY_SUFFIXES),
               _vintages((*HUBSPOT_COMPANY_NAME, *HUBSPOT_DOMAIN), COMPANY_SUFFIXES)),
    fields=(
        F("organisation_id", _vintages(HUBSPOT_ID, COMPANY_SUFFIXES), required=True),
        F("name", _vintages(HUBSPOT_COMPANY_NAME, COMPANY_SUFFIXES), required=True),
        F("domain", _vintages(HUBSPOT_DOMAIN, COMPANY_SUFFIXES)),
        F("sector", _vintages(("Industry", "Secteur d'activité"), COMPANY_SUFFIXES)),
        F("country", _vintages(("Country/Region", "Pays/Région"), COMPANY_SUFFIXES)),
        F("created_on", _vintages(HUBSPOT_CREATED, COMPANY_SUFFIXES), Kind.DATE),
        F("last_activity_on", _vintages(HUBSPOT_ACTIVITY, COMPANY_SUFFIXES), Kind.DATE),
    ),
    own_ids=COMPANY_IDS,
    other_ids=CONTACT_IDS,
)  # fmt: skip

HELLOASSO_DATES = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S")

# A member is known by name (the same id as the member-roster template), so a renewal
# finds the member again: the earliest order is the joining date, and what the export
# does not say (type, country, region, sector, leaving date) keeps its stored value.
# Nothing is invented: a member whose type neither the export's type column nor its
# tariff (through the animator's vocabulary, member_type_terms) gives is of unknown type
# (NULL), and a member without a country has none.
HELLOASSO_MEMBERS = Adapter(
    name="helloasso_members",
    label="HelloAsso — adhésions / memberships",
    dataset="members",
    signature=("Référence commande",),
    row_filter=(("Statut de la commande",), ("Validé",)),
    fields=(
        F("joined_on", ("Date de la commande",), Kind.DATE, required=True,
          formats=HELLOASSO_DATES),
        F("last_name", ("Nom adhérent",), required=True),
        F("first_name", ("Prénom adhérent",)),
        F("company", ("Entreprise", "Structure", "Nom de la structure", "Nom de l'entreprise",
                      "Raison sociale", "Organisation", "Société")),
        F("member_type", ("Type de structure", "Type d'adhérent", "Type de membre"),
          Kind.CATEGORY, categories=MEMBER_TYPES),
        F("tariff", ("Tarif", "Formule")),
        F("country", ("Pays",), Kind.CATEGORY, categories=COUNTRIES),
        F("region", ("Région",)),
        F("sector", ("Secteur d'activité", "Secteur", "Filière")),
    ),
    post="""SELECT n.member_id, n.name,
           coalesce(n.member_type, m.member_type) AS member_type,
           coalesce(n.country, m.country) AS country,
           coalesce(n.region, m.region) AS region, coalesce(n.sector, m.sector) AS sector,
           least(n.joined_on, m.joined_on) AS joined_on, m.left_on
    FROM (
        SELECT 'M-' || substr(sha256(name), 1, 12) AS member_id, name,
               arg_min(member_type, _line) FILTER (WHERE member_type IS NOT NULL)
                   AS member_type,
               arg_min(country, _line) FILTER (WHERE country IS NOT NULL) AS country,
               arg_min(region, _line) FILTER (WHERE region IS NOT NULL) AS region,
               arg_min(sector, _line) FILTER (WHERE sector IS NOT NULL) AS sector,
               min(joined_on) AS joined_on
        FROM (SELECT * REPLACE (coalesce(member_type, TARIFF_TYPE) AS member_type),
                     coalesce(company, concat_ws(' ', first_name, last_name)) AS name
              FROM {parsed})
        GROUP BY name) AS n
    LEFT JOIN members AS m USING (member_id)""".replace(
        "TARIFF_TYPE", TARIFF_TYPE_SQL.format("tariff")
    ),
)  # fmt: skip

CRM_SOURCES = (HUBSPOT_CONTACTS, HUBSPOT_COMPANIES, HELLOASSO_MEMBERS)
