"""CRM and membership tools: HubSpot companies and contacts, HelloAsso membership orders."""

from __future__ import annotations

from clusterkpi.imports.adapters.email import EMAIL_PATTERN
from clusterkpi.imports.adapters.vocabulary import COUNTRIES, MEMBER_TYPES
from clusterkpi.imports.fields import Adapter, FieldMap, Kind

F = FieldMap

HUBSPOT_ID = ("Record ID", "ID de fiche d'informations")
HUBSPOT_EMAIL = ("Email", "E-mail", "Adresse e-mail")
HUBSPOT_CREATED = ("Create Date", "Date de création")
HUBSPOT_ACTIVITY = ("Last Activity Date", "Date de dernière activité",
                    "Date de la dernière activité")  # fmt: skip

# A contacts export often has a 'Company Name' column too: contacts are tried first.
HUBSPOT_CONTACTS = Adapter(
    name="hubspot_contacts",
    label="HubSpot — contacts",
    dataset="contacts",
    signature=(HUBSPOT_ID, HUBSPOT_EMAIL),
    fields=(
        F("email", HUBSPOT_EMAIL, pattern=EMAIL_PATTERN),
        F("created_on", HUBSPOT_CREATED, Kind.DATE),
        F("changed_on", ("Last Modified Date", "Date de dernière modification",
                         *HUBSPOT_ACTIVITY), Kind.DATE),
    ),
    # A CRM contact without an e-mail address is no mailing contact: it is left out.
    post="""SELECT sha256(lower(email)) AS contact_key, 'hubspot' AS list_name,
           'crm' AS status, created_on AS subscribed_on, changed_on
    FROM {parsed}
    WHERE email IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY contact_key ORDER BY _line DESC) = 1""",
)  # fmt: skip

HUBSPOT_COMPANIES = Adapter(
    name="hubspot_companies",
    label="HubSpot — entreprises / companies",
    dataset="organisations",
    signature=(HUBSPOT_ID, ("Company name", "Nom de l'entreprise", "Company Domain Name",
                            "Nom de domaine de l'entreprise")),
    fields=(
        F("organisation_id", HUBSPOT_ID, required=True),
        F("name", ("Company name", "Nom de l'entreprise"), required=True),
        F("domain", ("Company Domain Name", "Nom de domaine de l'entreprise")),
        F("sector", ("Industry", "Secteur d'activité")),
        F("country", ("Country/Region", "Pays/Région")),
        F("created_on", HUBSPOT_CREATED, Kind.DATE),
        F("last_activity_on", HUBSPOT_ACTIVITY, Kind.DATE),
    ),
)  # fmt: skip

HELLOASSO_DATES = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S")

# A member is known by name (the same id as the member-roster template), so a renewal
# finds the member again: the earliest order is the joining date, and what the export
# does not say (type, country, region, sector, leaving date) keeps its stored value.
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
        F("country", ("Pays",), Kind.CATEGORY, categories=COUNTRIES),
        F("region", ("Région",)),
        F("sector", ("Secteur d'activité", "Secteur", "Filière")),
    ),
    post="""SELECT n.member_id, n.name,
           coalesce(n.member_type, m.member_type, 'sme') AS member_type,
           coalesce(n.country, m.country, 'FR') AS country,
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
        FROM (SELECT *, coalesce(company, concat_ws(' ', first_name, last_name)) AS name
              FROM {parsed})
        GROUP BY name) AS n
    LEFT JOIN members AS m USING (member_id)""",
)  # fmt: skip

CRM_SOURCES = (HUBSPOT_CONTACTS, HUBSPOT_COMPANIES, HELLOASSO_MEMBERS)
