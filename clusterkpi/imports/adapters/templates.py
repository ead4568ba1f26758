"""clusterkpi's own templates, in French and English, for data no tool exports."""

from __future__ import annotations

from clusterkpi.imports.adapters.vocabulary import (
    COUNTRIES,
    EVENT_KINDS,
    INTERACTION_KINDS,
    MATERIAL_KINDS,
    MEMBER_TYPES,
    PARTNER_KINDS,
    TONES,
)
from clusterkpi.imports.fields import Adapter, FieldMap, Kind

F = FieldMap

MEMBER_NAME = (
    "Nom",
    "Raison sociale",
    "Entreprise",
    "Organisation",
    "Structure",
    "Nom de la structure",
    "Name",
    "Company",
    "Organisation name",
    "Organization",
)
MEMBER_ID = (
    "Identifiant",
    "ID",
    "N° adhérent",
    "Numéro d'adhérent",
    "Code adhérent",
    "Member ID",
    "Member number",
)

MEMBERS = Adapter(
    not_before=(("left_on", "joined_on"),),
    name="template_members",
    label="Liste des adhérents / Member roster",
    dataset="members",
    signature=(),
    key=("name",),
    key_target="member_id",
    key_prefix="M-",
    date_order_from_file=True,
    fields=(
        F("member_id", MEMBER_ID),
        F("name", MEMBER_NAME, required=True),
        F(
            "member_type",
            (
                "Type",
                "Type de structure",
                "Catégorie",
                "Type d'adhérent",
                "Category",
                "Member type",
                "Type of organisation",
            ),
            Kind.CATEGORY,
            # Required: the roster is the cluster's own list, and a row without a type
            # is refused, never typed SME by default (HelloAsso exports, which may not
            # say, leave the type unknown instead: see adapters/crm.py).
            required=True,
            categories=MEMBER_TYPES,
        ),
        F(
            "country",
            ("Pays", "Country", "Pays/Région", "Country/Region"),
            Kind.CATEGORY,
            categories=COUNTRIES,  # no default: a country not given is unknown
        ),
        F("region", ("Région", "Region")),
        F("sector", ("Secteur", "Secteur d'activité", "Filière", "Sector", "Industry")),
        F(
            "joined_on",
            (
                "Date d'adhésion",
                "Adhésion",
                "Membre depuis",
                "Date d'entrée",
                "Joined",
                "Member since",
                "Join date",
                "Joining date",
            ),
            Kind.DATE,
            required=True,
        ),
        F(
            "left_on",
            (
                "Date de fin",
                "Date de sortie",
                "Date de départ",
                "Fin d'adhésion",
                "Left",
                "Left on",
                "End date",
                "Membership end",
            ),
            Kind.DATE,
        ),
    ),
)

EVENT_TITLE = (
    "Événement",
    "Titre",
    "Intitulé",
    "Nom de l'événement",
    "Event",
    "Title",
    "Event name",
)
EVENT_DATE = ("Date", "Date de l'événement", "Event date")

EVENTS = Adapter(
    name="template_events",
    label="Événements / Events",
    dataset="events",
    signature=(),
    key=("title", "held_on"),
    key_target="event_id",
    key_prefix="EV-",
    date_order_from_file=True,
    fields=(
        F("event_id", ("Identifiant événement", "ID événement", "Event ID")),
        F("title", EVENT_TITLE, required=True),
        F(
            "kind",
            ("Type", "Format", "Type d'événement", "Kind", "Event type"),
            Kind.CATEGORY,
            categories=EVENT_KINDS,
            default="workshop",
        ),
        F("held_on", EVENT_DATE, Kind.DATE, required=True),
    ),
)

ATTENDANCE = Adapter(
    name="template_attendance",
    label="Présences aux événements / Event attendance",
    dataset="attendance",
    signature=(),
    date_order_from_file=True,
    fields=(
        F("event_id", ("Identifiant événement", "ID événement", "Event ID")),
        F("event_title", EVENT_TITLE),
        F("event_date", EVENT_DATE, Kind.DATE),
        F(
            "attendee",
            (
                "E-mail",
                "Email",
                "Adresse e-mail",
                "Participant",
                "Nom du participant",
                "Attendee",
                "Email address",
            ),
            required=True,
        ),
        F(
            "organisation",
            ("Organisation", "Entreprise", "Structure", "Company", "Organization"),
        ),
        F("member_id", ("Identifiant adhérent", "N° adhérent", "Member ID")),
        F("is_member", ("Adhérent", "Membre", "Member"), Kind.BOOLEAN),
        F("registered", ("Inscrit", "Registered"), Kind.BOOLEAN, default=True),
        F(
            "attended",
            ("Présent", "Présence", "Attended", "Present"),
            Kind.BOOLEAN,
            default=True,
        ),
    ),
    post="""SELECT * EXCLUDE (_line) FROM (
        SELECT _line, coalesce(event_id, 'EV-' || substr(sha256(concat_ws('|', event_title,
                   event_date::VARCHAR)), 1, 12)) AS event_id,
               lower(attendee) AS attendee_key, member_id, organisation,
               coalesce(is_member, member_id IS NOT NULL) AS is_member,
               coalesce(registered, true) AS registered, coalesce(attended, true) AS attended
        FROM {parsed}
        WHERE event_id IS NOT NULL OR (event_title IS NOT NULL AND event_date IS NOT NULL))
        QUALIFY row_number() OVER (PARTITION BY event_id, attendee_key ORDER BY _line DESC) = 1""",
)

PRESS = Adapter(
    name="template_press",
    label="Revue de presse / Press clippings",
    dataset="press_mentions",
    signature=(),
    key=("published_on", "outlet", "title"),
    key_target="mention_id",
    key_prefix="PM-",
    date_order_from_file=True,
    fields=(
        F("mention_id", ("Identifiant", "ID")),
        F(
            "published_on",
            ("Date", "Date de parution", "Published", "Publication date"),
            Kind.DATE,
            required=True,
        ),
        F(
            "outlet",
            ("Média", "Media", "Support", "Titre de presse", "Outlet", "Source"),
            required=True,
        ),
        F("title", ("Titre", "Titre de l'article", "Title", "Headline")),
        F(
            "tone",
            ("Tonalité", "Ton", "Sentiment", "Tone"),
            Kind.CATEGORY,
            categories=TONES,
        ),
        F(
            "reach",
            ("Audience", "Audience/Reach", "Reach", "Diffusion"),
            Kind.INTEGER,
            minimum=0,
        ),
        F(
            "media_partner",
            ("Partenaire média", "Media partner"),
            Kind.BOOLEAN,
            default=False,
        ),
    ),
)

INTERACTIONS = Adapter(
    name="template_interactions",
    label="Échanges avec les cibles / Interactions",
    dataset="interactions",
    signature=(),
    key=("occurred_on", "kind", "organisation"),
    key_target="interaction_id",
    key_prefix="IN-",
    date_order_from_file=True,
    fields=(
        F("interaction_id", ("Identifiant", "ID")),
        F(
            "occurred_on",
            ("Date", "Date de l'échange", "Date"),
            Kind.DATE,
            required=True,
        ),
        F(
            "kind",
            ("Type", "Nature", "Type d'échange", "Kind", "Type of interaction"),
            Kind.CATEGORY,
            required=True,
            categories=INTERACTION_KINDS,
        ),
        F(
            "organisation",
            ("Organisation", "Entreprise", "Structure", "Company", "Organization"),
        ),
        F(
            "is_target",
            ("Entreprise cible", "Cible", "Target", "Target company"),
            Kind.BOOLEAN,
            default=True,
        ),
    ),
)

MATERIALS = Adapter(
    name="template_materials",
    label="Supports de communication / Communication materials",
    dataset="materials",
    signature=(),
    key=("produced_on", "kind", "title"),
    key_target="material_id",
    key_prefix="MT-",
    date_order_from_file=True,
    fields=(
        F("material_id", ("Identifiant", "ID")),
        F(
            "produced_on",
            (
                "Date",
                "Date de parution",
                "Date de production",
                "Produced",
                "Publication date",
            ),
            Kind.DATE,
            required=True,
        ),
        F(
            "kind",
            ("Type", "Type de support", "Support", "Kind"),
            Kind.CATEGORY,
            required=True,
            categories=MATERIAL_KINDS,
        ),
        F("title", ("Titre", "Intitulé", "Title")),
        F(
            "co_produced",
            (
                "Coproduit",
                "Coproduit avec des adhérents",
                "Co-produced",
                "Co-produced with members",
            ),
            Kind.BOOLEAN,
            default=False,
        ),
    ),
)

PARTNERSHIPS = Adapter(
    not_before=(("ended_on", "signed_on"),),
    name="template_partnerships",
    label="Partenariats / Partnerships",
    dataset="partnerships",
    signature=(),
    key=("partner_name", "kind", "signed_on"),
    key_target="partnership_id",
    key_prefix="PA-",
    date_order_from_file=True,
    fields=(
        F("partnership_id", ("Identifiant", "ID")),
        F(
            "partner_name",
            ("Partenaire", "Nom du partenaire", "Partner", "Partner name"),
            required=True,
        ),
        F(
            "kind",
            ("Type", "Type de partenariat", "Kind", "Partnership type"),
            Kind.CATEGORY,
            required=True,
            categories=PARTNER_KINDS,
        ),
        F(
            "signed_on",
            (
                "Date de signature",
                "Signé le",
                "Début",
                "Signed",
                "Signed on",
                "Start date",
            ),
            Kind.DATE,
            required=True,
        ),
        F("ended_on", ("Date de fin", "Fin", "Ended", "End date"), Kind.DATE),
    ),
)

PROJECTS = Adapter(
    not_before=(("ended_on", "launched_on"),),
    name="template_projects",
    label="Projets collaboratifs / Collaborative projects",
    dataset="projects",
    signature=(),
    key=("title",),
    key_target="project_id",
    key_prefix="PR-",
    date_order_from_file=True,
    fields=(
        F("project_id", ("Identifiant projet", "ID projet", "Project ID")),
        F(
            "title",
            ("Projet", "Titre du projet", "Intitulé", "Project", "Project title"),
            required=True,
        ),
        F("kind", ("Type", "Type de projet", "Kind", "Project type")),
        F(
            "launched_on",
            ("Date de lancement", "Lancement", "Début", "Launched", "Start date"),
            Kind.DATE,
            required=True,
        ),
        F("ended_on", ("Date de fin", "Fin", "Ended", "End date"), Kind.DATE),
    ),
)

PROJECT_MEMBERS = Adapter(
    name="template_project_members",
    label="Participants aux projets / Project participants",
    dataset="project_members",
    signature=(),
    fields=(
        F("project_id", ("Identifiant projet", "ID projet", "Project ID")),
        F("project_title", ("Projet", "Titre du projet", "Project", "Project title")),
        F("member_id", ("Identifiant adhérent", "N° adhérent", "Member ID")),
        F("member_name", MEMBER_NAME),
        F("role", ("Rôle", "Role")),
    ),
    post="""SELECT * EXCLUDE (_line) FROM (
        SELECT _line, coalesce(project_id, 'PR-' || substr(sha256(concat_ws('|', project_title)),
                   1, 12)) AS project_id,
               coalesce(member_id, 'M-' || substr(sha256(concat_ws('|', member_name)), 1, 12))
                   AS member_id,
               role
        FROM {parsed}
        WHERE (project_id IS NOT NULL OR project_title IS NOT NULL)
          AND (member_id IS NOT NULL OR member_name IS NOT NULL))
        QUALIFY row_number() OVER (PARTITION BY project_id, member_id ORDER BY _line DESC) = 1""",
)

OBSERVATIONS = Adapter(
    name="template_observations",
    label="Valeurs saisies / Manual KPI values",
    dataset="observations",
    signature=(),
    fields=(
        F("kpi_id", ("KPI", "Indicateur", "Identifiant KPI", "KPI id"), required=True),
        F(
            "period",
            ("Période", "Period"),
            required=True,
            pattern=r"\d{4}([Qq][1-4]|-(0[1-9]|1[0-2]))?",
        ),
        F("value", ("Valeur", "Value"), Kind.NUMBER, required=True),
        F("note", ("Note", "Commentaire", "Comment")),
    ),
    post="""SELECT kpi_id, bounds.period_start, bounds.period_end, value, note
        FROM (SELECT *, CASE
              WHEN regexp_matches(period, '^\\d{{4}}[Qq][1-4]$') THEN {{
                'period_start': make_date(period[1:4]::INT, 3 * period[6:6]::INT - 2, 1),
                'period_end': make_date(period[1:4]::INT, 3 * period[6:6]::INT - 2, 1)
                              + INTERVAL 3 MONTH}}
              WHEN regexp_matches(period, '^\\d{{4}}-(0[1-9]|1[0-2])$') THEN {{
                'period_start': make_date(period[1:4]::INT, period[6:7]::INT, 1),
                'period_end': make_date(period[1:4]::INT, period[6:7]::INT, 1)
                              + INTERVAL 1 MONTH}}
              WHEN regexp_matches(period, '^\\d{{4}}$') THEN {{
                'period_start': make_date(period::INT, 1, 1),
                'period_end': make_date(period::INT + 1, 1, 1)}}
              END AS bounds FROM {parsed})
        WHERE bounds IS NOT NULL""",
)

TEMPLATES = (
    MEMBERS,
    EVENTS,
    ATTENDANCE,
    PRESS,
    INTERACTIONS,
    MATERIALS,
    PARTNERSHIPS,
    PROJECTS,
    PROJECT_MEMBERS,
    OBSERVATIONS,
)
