"""Mapping targets: the canonical fields of every dataset a column mapping may fill."""

# A target is an Adapter with no signature: it is never recognised by itself, only
# used by a saved column mapping (clusterkpi.imports.mapping). The template tables
# reuse their templates; the datasets tools fill (campaigns, web traffic, social,
# surveys, contacts, organisations) get the targets below. A field is required when
# its table column is NOT NULL with no default, or it can be typed as one value for
# every row (text and category fields: see ColumnMapping.values). A field the file
# does not give stays NULL ("no data"), never 0.

from __future__ import annotations

from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.fields import Adapter, FieldMap, Kind
from clusterkpi.imports.template_files import template_headers

F = FieldMap

# A target field's first alias is its French name, its second its English name (the
# form shows them); the others only preselect a column of a file that uses them.
CONTACT_STATUSES = {
    "abonné": "subscribed", "abonne": "subscribed", "inscrit": "subscribed",
    "subscribed": "subscribed", "désabonné": "unsubscribed",
    "désinscrit": "unsubscribed", "unsubscribed": "unsubscribed",
    "nettoyé": "cleaned", "cleaned": "cleaned", "crm": "crm",
}  # fmt: skip
RESPONDENT_KINDS = {
    "adhérent": "member", "membre": "member", "member": "member",
    "entreprise cible": "target_company", "cible": "target_company",
    "target company": "target_company", "target_company": "target_company",
    "partenaire": "partner", "partner": "partner",
}  # fmt: skip


# The codes the tools' adapters write (social.py), so that one network is one series.
NETWORKS = {
    "linkedin": "linkedin", "x": "x", "twitter": "x", "x twitter": "x",
    "facebook": "facebook", "instagram": "instagram", "youtube": "youtube",
    "mastodon": "mastodon", "bluesky": "bluesky", "tiktok": "tiktok",
    "threads": "threads",
}  # fmt: skip


def _count(target: str, names: tuple[str, ...], required: bool = False) -> FieldMap:
    return F(target, names, Kind.INTEGER, required=required, minimum=0)


def _last_day() -> FieldMap:
    # A row covering a period gives its last day; the table keeps the day after it
    # (day_end, exclusive: migration 0008).
    return F("last_day", ("Dernier jour de la période", "Last day of the period",
                          "Fin de période", "Period end", "End date"),
             Kind.DATE)  # fmt: skip


def _periods_post(single_day: str) -> str:
    # ``single_day``: the day_end of a row that covers one day.
    return (
        "SELECT * EXCLUDE (_line, last_day),"
        f" coalesce(last_day::DATE + 1, {single_day}) AS day_end FROM {{parsed}}"
    )


EMAIL_CAMPAIGNS = Adapter(
    name="target_email_campaigns",
    label="Campagnes e-mail / E-mail campaigns",
    dataset="email_campaigns",
    signature=(),
    # No id column: the campaign's title and send time identify it.
    key=("title", "sent_at"),
    key_target="campaign_id",
    key_prefix="EC-",
    fields=(
        F("campaign_id", ("Identifiant campagne", "Campaign ID", "ID campagne")),
        F("title", ("Titre", "Title", "Objet", "Subject", "Campagne", "Campaign"),
          required=True),
        F("audience", ("Liste", "Audience", "List"), required=True),
        F("sent_at", ("Date d'envoi", "Sent at", "Send date", "Envoyé le"),
          Kind.TIMESTAMP, required=True),
        _count("recipients", ("Destinataires", "Recipients", "Total recipients"), True),
        _count("delivered", ("Délivrés", "Delivered", "Successful deliveries"), True),
        _count("unique_opens", ("Ouvertures uniques", "Unique opens")),
        _count("unique_clicks", ("Clics uniques", "Unique clicks")),
        _count("unsubscribes", ("Désinscriptions", "Unsubscribes"), True),
        _count("bounces", ("Rebonds", "Bounces", "Total bounces"), True),
    ),
)  # fmt: skip

WEB_TRAFFIC = Adapter(
    name="target_web_traffic",
    label="Fréquentation du site / Web traffic",
    dataset="web_traffic",
    signature=(),
    fields=(
        F("day", ("Jour", "Day", "Date"), Kind.DATE, required=True),
        _last_day(),
        F("site", ("Site", "Site", "Website"), default="main"),  # the table's default
        _count("sessions", ("Sessions", "Sessions", "Visites", "Visits"), True),
        _count("engaged_sessions", ("Sessions avec engagement", "Engaged sessions")),
        _count("users", ("Utilisateurs", "Users", "Visiteurs", "Visitors")),
        _count("pageviews", ("Pages vues", "Pageviews", "Vues", "Views")),
    ),
    not_before=(("last_day", "day"),),
    post=_periods_post("day + 1"),  # web rows always carry their end (0008)
)  # fmt: skip

SOCIAL_DAILY = Adapter(
    name="target_social_daily",
    label="Réseaux sociaux par jour / Social networks per day",
    dataset="social_daily",
    signature=(),
    fields=(
        F("day", ("Jour", "Day", "Date"), Kind.DATE, required=True),
        _last_day(),
        F("network", ("Réseau", "Network", "Réseau social"), Kind.CATEGORY,
          required=True, categories=NETWORKS),
        _count("followers", ("Abonnés", "Followers", "Total followers")),
        _count("new_followers", ("Nouveaux abonnés", "New followers")),
        _count("impressions", ("Impressions", "Impressions")),
        _count("engagements", ("Interactions", "Engagements", "Engagement")),
        _count("posts", ("Publications", "Posts")),
        _count("page_views", ("Vues de la page", "Page views")),
    ),
    not_before=(("last_day", "day"),),
    post=_periods_post("NULL::DATE"),  # NULL: the single day `day` (0008)
)  # fmt: skip

SURVEY_RESPONSES = Adapter(
    name="target_survey_responses",
    label="Réponses aux enquêtes / Survey responses",
    dataset="survey_responses",
    signature=(),
    # No id column: the answer's time as written (see TWINS), respondent and scores.
    key=("submitted_text", "respondent", "survey", "nps_score", "vision_agreement"),
    key_target="response_id",
    key_prefix="SR-",
    fields=(
        F("response_id", ("Identifiant réponse", "Response ID", "ID réponse")),
        F("survey", ("Enquête", "Survey", "Questionnaire", "Survey name"),
          required=True),
        F("submitted_on", ("Date de réponse", "Submitted on", "Horodateur",
                           "Timestamp", "Submitted at"), Kind.DATE, required=True),
        F("submitted_text", ()),
        F("respondent", ("Répondant", "Respondent", "E-mail", "Email")),
        F("respondent_kind", ("Type de répondant", "Respondent kind"), Kind.CATEGORY,
          required=True, categories=RESPONDENT_KINDS),
        F("member_id", ("Identifiant adhérent", "Member ID", "N° adhérent")),
        F("nps_score", ("Note de recommandation (0-10)", "Recommendation score (0-10)",
                        "NPS", "Score NPS"), Kind.INTEGER, minimum=0, maximum=10),
        F("vision_agreement", ("Adhésion à la vision (1-5)", "Vision agreement (1-5)"),
          Kind.INTEGER, minimum=1, maximum=5),
    ),
)  # fmt: skip

CONTACTS = Adapter(
    name="target_contacts",
    label="Contacts des listes de diffusion / Mailing-list contacts",
    dataset="contacts",
    signature=(),
    fields=(
        F("email", ("Adresse e-mail", "Email address", "E-mail", "Email", "Courriel"),
          required=True, pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+"),
        F("list_name", ("Liste", "List", "Audience"), required=True),
        F("status", ("Statut", "Status"), Kind.CATEGORY, required=True,
          categories=CONTACT_STATUSES),
        F("subscribed_on", ("Inscrit le", "Subscribed on", "Date d'inscription"),
          Kind.DATE),
        F("changed_on", ("Modifié le", "Changed on", "Dernière modification"),
          Kind.DATE),
    ),
    # Only a hash of the address is kept; the same address twice in a file: the last
    # row wins, as with the tools' own contact exports.
    post="""SELECT sha256(lower(email)) AS contact_key, list_name, status,
            subscribed_on, changed_on
        FROM {parsed}
        QUALIFY row_number() OVER (PARTITION BY contact_key, list_name
                                   ORDER BY _line DESC) = 1""",
)  # fmt: skip

ORGANISATIONS = Adapter(
    name="target_organisations",
    label="Organisations du CRM / CRM organisations",
    dataset="organisations",
    signature=(),
    key=("name",),
    key_target="organisation_id",
    key_prefix="ORG-",
    fields=(
        F("organisation_id", ("Identifiant", "ID", "Company ID")),
        F("name", ("Nom", "Name", "Entreprise", "Company name"), required=True),
        F("domain", ("Domaine", "Domain", "Site web", "Website")),
        F("sector", ("Secteur", "Sector", "Industry")),
        F("country", ("Pays", "Country")),
        F("created_on", ("Créée le", "Created on", "Date de création"), Kind.DATE),
        F("last_activity_on", ("Dernière activité", "Last activity"), Kind.DATE),
    ),
)  # fmt: skip

TARGET_SOURCES = (
    EMAIL_CAMPAIGNS,
    WEB_TRAFFIC,
    SOCIAL_DAILY,
    SURVEY_RESPONSES,
    CONTACTS,
    ORGANISATIONS,
)
# Every dataset a mapping may fill, with its target: the templates' own first.
TARGETS: dict[str, Adapter] = {
    a.dataset: a for a in (*TEMPLATES, *TARGET_SOURCES) if a.dataset
}
# Fields that may take one value, typed by the animator, for every row of a file
# without their column (a LinkedIn page export has no network column); never a
# field that tells rows apart (a name, an attendee, a date, a count).
TYPED_VALUES: dict[str, frozenset[str]] = {
    "members": frozenset({"member_type", "country", "sector", "region"}),
    "events": frozenset({"kind"}),
    "press_mentions": frozenset({"outlet", "tone"}),
    "interactions": frozenset({"kind", "organisation"}),
    "materials": frozenset({"kind"}),
    "partnerships": frozenset({"kind"}),
    "projects": frozenset({"kind"}),
    "email_campaigns": frozenset({"audience"}),
    "web_traffic": frozenset({"site"}),
    "social_daily": frozenset({"network"}),
    "survey_responses": frozenset({"survey", "respondent_kind"}),
    "contacts": frozenset({"list_name", "status"}),
    "organisations": frozenset({"sector", "country"}),
}
# Fields the animator never picks: they read the same cell as another field (here the
# answer's time as written, so that two answers of one day get two ids).
TWINS: dict[str, dict[str, str]] = {
    "survey_responses": {"submitted_text": "submitted_on"},
}


def field_names(target: Adapter, lang: str) -> dict[str, str]:
    """Return each field of a target as the form names it in ``lang``."""
    if target in TEMPLATES:
        headers = template_headers(target, lang)
        return {f.target: h for f, h in zip(target.fields, headers, strict=True)}
    english = lang == "en"
    return {
        f.target: f.columns[1 if english and len(f.columns) > 1 else 0]
        for f in target.fields
        if f.columns
    }


def pickable_fields(target: Adapter) -> tuple[FieldMap, ...]:
    """Return the fields the animator maps to columns (twins read another's cell)."""
    twins = TWINS.get(target.dataset or "", {})
    return tuple(f for f in target.fields if f.target not in twins)
