"""Survey tools: Google Forms, Microsoft Forms, Typeform, SurveyMonkey, LimeSurvey, HubSpot."""

from __future__ import annotations

from clusterkpi.imports.fields import OCCURRENCE, Adapter, FieldMap, Kind

F = FieldMap

# Questions are free text: they are found by a word of their header (a word starts
# with one of these) and by their values (see survey_fit). FR, EN, DE, ES, IT, PT, NL.
RECOMMEND_WORDS = (
    "recommand",  # fr: recommander, recommanderiez
    "recommend",  # en
    "empfehl",  # de: empfehlen, Empfehlung
    "weiterempfehl",  # de: weiterempfehlen
    "recomend",  # es, pt: recomendar, recomendaría
    "raccomand",  # it: raccomandare
    "consigli",  # it: consigliare, consiglieresti
    "aanbevel",  # nl: aanbevelen
    "aanraden",  # nl
    "nps",
    "net promoter",
)
VISION_WORDS = ("vision", "visione", "leitbild")  # 'visión' loses its accent
MEMBER_WORDS = (
    "adherent",
    "membre du",
    "membre de",
    "member of",
    "a member",
    "mitglied",
    "miembro",
    "socio",
    "membro",
)

NPS = F(
    "nps_score",
    kind=Kind.INTEGER,
    minimum=0,
    maximum=10,
    decimal=".",
    contains=RECOMMEND_WORDS,
)
VISION = F(
    "vision_agreement",
    kind=Kind.INTEGER,
    minimum=1,
    maximum=5,
    decimal=".",
    contains=VISION_WORDS,
)
IS_MEMBER = F("is_member", kind=Kind.BOOLEAN, contains=MEMBER_WORDS)
QUESTIONS = (NPS, VISION, IS_MEMBER)

# Without a yes/no 'are you a member' question, every respondent counts as a member;
# 'no' marks a non-member company. The same response twice: the last row wins.
SURVEY_POST = """SELECT {response_id} AS response_id, survey,
           submitted_at::DATE AS submitted_on,
           CASE WHEN is_member = false THEN 'target_company' ELSE 'member' END
               AS respondent_kind,
           NULL::VARCHAR AS member_id, nps_score, vision_agreement
    FROM {{parsed}}
    QUALIFY row_number() OVER (PARTITION BY response_id ORDER BY _line DESC) = 1"""

# Google Forms: the timestamp and e-mail columns are named in the form owner's
# language (Google's own CSV download and the linked Sheet; FR 'Horodateur',
# 'Adresse e-mail'); a quiz adds 'Score' (FR 'Note'), which is no question.
GOOGLE_FORMS = Adapter(
    name="google_forms",
    label="Google Forms — réponses / responses",
    dataset="survey_responses",
    signature=(("Horodateur", "Timestamp"),),
    # No response id in the export: a hash of the timestamp and the answers read;
    # two people answering in the same second alike are told apart by their order.
    key=(
        "submitted_at",
        "email",
        "nps_score",
        "vision_agreement",
        "is_member",
        OCCURRENCE,
    ),
    key_target="response_id",
    key_prefix="GF-",
    fields=(
        F("response_id"),
        F("submitted_at", ("Horodateur", "Timestamp"), Kind.TIMESTAMP, required=True),
        F("email", ("Adresse e-mail", "Email Address", "Email address")),
        F("quiz_score", ("Score", "Note")),
        *QUESTIONS,
        F("survey", default="Google Forms"),  # the animator may name the survey
    ),
    post=SURVEY_POST.format(response_id="response_id"),
)

TYPEFORM = Adapter(
    name="typeform",
    label="Typeform — réponses / responses",
    dataset="survey_responses",
    signature=("#", "Submit Date (UTC)"),
    # Partial responses have no submit date: only completed ones count.
    row_filter=(("Response Type",), ("completed",)),
    fields=(
        F("token", ("#",), required=True),
        F("submitted_at", ("Submit Date (UTC)",), Kind.TIMESTAMP, required=True,
          formats=("%Y-%m-%d %H:%M:%S",)),
        *QUESTIONS,
        F("survey", default="Typeform"),
    ),
    post=SURVEY_POST.format(response_id="'TF-' || token"),
)  # fmt: skip

# Microsoft Forms (Excel download): 'ID' numbers the responses of one form only, so
# the id hashes it with both times. FR headers as in French tenants' downloads.
MICROSOFT_FORMS = Adapter(
    name="microsoft_forms",
    label="Microsoft Forms — réponses / responses",
    dataset="survey_responses",
    signature=(("ID", "Id"), ("Start time", "Heure de début"),
               ("Completion time", "Heure de fin")),
    key=("token", "started_at", "submitted_at"),
    key_target="response_id",
    key_prefix="MS-",
    fields=(
        F("response_id"),
        F("token", ("ID", "Id"), required=True),
        F("started_at", ("Start time", "Heure de début"), Kind.TIMESTAMP),
        F("submitted_at", ("Completion time", "Heure de fin"), Kind.TIMESTAMP,
          required=True),
        F("email", ("Email", "Adresse de messagerie", "Adresse e-mail")),
        F("respondent", ("Name", "Nom")),
        F("modified_at", ("Last modified time", "Heure de la dernière modification")),
        *QUESTIONS,
        F("survey", default="Microsoft Forms"),
    ),
    post=SURVEY_POST.format(response_id="response_id"),
)  # fmt: skip

# SurveyMonkey (Analyze → Save as → CSV / XLSX, 'Actual answer text'): two header
# rows, joined by survey_headers before the rows are read.
SURVEYMONKEY = Adapter(
    name="surveymonkey",
    label="SurveyMonkey — réponses / responses",
    dataset="survey_responses",
    # Older and re-saved downloads have 'Collector' or no collector column at all.
    signature=("Respondent ID", ("Collector ID", "Collector", "End Date")),
    fields=(
        F("token", ("Respondent ID",), required=True),
        F("submitted_at", ("End Date",), Kind.TIMESTAMP, required=True,
          formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M")),
        F("email", ("Email Address",)),
        *QUESTIONS,
        F("survey", default="SurveyMonkey"),
    ),
    post=SURVEY_POST.format(response_id="'SM-' || token"),
)  # fmt: skip

# LimeSurvey (Responses → Export): question codes ('id', 'submitdate', …) or full
# headings in the survey's language (EN 'Response ID', FR 'ID de la réponse', …).
LIME_ID = ("id", "Response ID", "ID de la réponse")
LIME_SUBMITTED = ("submitdate", "Date submitted", "Date de soumission")
LIMESURVEY = Adapter(
    name="limesurvey",
    label="LimeSurvey — réponses / responses",
    dataset="survey_responses",
    signature=(LIME_ID, LIME_SUBMITTED, ("lastpage", "Last page", "Dernière page"),
               ("startlanguage", "Start language", "Langue de départ")),
    fields=(
        F("token", LIME_ID, required=True),
        # An incomplete response has no submit date: survey_fit leaves it out.
        F("submitted_at", LIME_SUBMITTED, Kind.TIMESTAMP, required=True),
        F("started_at", ("startdate", "Date started", "Date de lancement")),
        F("seed", ("seed", "Seed", "Tête de série")),
        *QUESTIONS,
        F("survey", default="LimeSurvey"),
    ),
    post=SURVEY_POST.format(response_id="'LS-' || token"),
)  # fmt: skip

# HubSpot feedback surveys (Service → Feedback surveys → export of the responses):
# NPS, CSAT, CES and custom surveys side by side, told apart by 'Survey Name'; only
# NPS rows carry a category (Promoter, Passive, Detractor).
HUBSPOT_SURVEY_NAME = ("Survey Name", "Survey name", "Nom de l'enquête",
                       "Nom de l'enquete", "Nom du sondage")  # fmt: skip
HUBSPOT_RATING = ("Rating", "Value", "Note", "Valeur", "Évaluation")
NPS_CATEGORY_COLUMNS = ("NPS", "NPS category", "Catégorie NPS", "Response group",
                        "Groupe de réponses", "Sentiment")  # fmt: skip
NPS_CATEGORIES = ("promoter", "passive", "detractor", "promoteur", "passif",
                  "detracteur", "promoters", "passives", "detractors")  # fmt: skip
HUBSPOT_SUBMITTED = ("Submitted at", "Submission date", "Submission timestamp",
                     "Soumis le", "Date de soumission", "Create Date",
                     "Date de création")  # fmt: skip
HUBSPOT_FEEDBACK = Adapter(
    name="hubspot_feedback",
    label="HubSpot — enquêtes de satisfaction / feedback surveys",
    dataset="survey_responses",
    # Three columns: longer than the contacts' signature (Record ID, Email), which
    # a feedback export has too.
    signature=(HUBSPOT_SURVEY_NAME, HUBSPOT_RATING, HUBSPOT_SUBMITTED),
    key=("survey", "submitted_at", "email", "nps_score"),
    key_target="response_id",
    fields=(
        F("response_id", ("Record ID", "ID de fiche d'informations",
                          "Submission ID", "Feedback submission ID")),
        F("submitted_at", HUBSPOT_SUBMITTED, Kind.TIMESTAMP, required=True),
        F("email", ("Email", "E-mail", "Adresse e-mail", "Contact email")),
        F("nps_score", HUBSPOT_RATING, Kind.INTEGER, minimum=0, maximum=10,
          decimal="."),
        F("nps_category", NPS_CATEGORY_COLUMNS),
        VISION,
        IS_MEMBER,
        F("survey", HUBSPOT_SURVEY_NAME, default="HubSpot"),
    ),
    post=SURVEY_POST.format(response_id="'HS-' || response_id"),
)  # fmt: skip

# HubSpot form submissions (Marketing → Forms → a form → Submissions → Export): the
# form's own fields, named by their labels, after the conversion columns.
HUBSPOT_FORMS = Adapter(
    name="hubspot_forms",
    label="HubSpot — soumissions de formulaire / form submissions",
    dataset="survey_responses",
    signature=(("Conversion Date", "Submitted on", "Date de conversion", "Soumis le"),
               ("Conversion Page", "Page submitted on", "Page de conversion",
                "Page de soumission")),
    key=("submitted_at", "email", "nps_score", "vision_agreement", "is_member",
         OCCURRENCE),
    key_target="response_id",
    key_prefix="HF-",
    fields=(
        F("response_id"),
        F("submitted_at", ("Conversion Date", "Submitted on", "Date de conversion",
                           "Soumis le"), Kind.TIMESTAMP, required=True),
        F("email", ("Email", "E-mail", "Adresse e-mail")),
        F("page", ("Conversion Page", "Page submitted on", "Page de conversion",
                   "Page de soumission")),
        *QUESTIONS,
        F("survey", default="HubSpot"),
    ),
    post=SURVEY_POST.format(response_id="response_id"),
)  # fmt: skip

# Most specific signatures first; Google Forms (a lone 'Timestamp') stays last.
SURVEY_SOURCES = (
    TYPEFORM,
    HUBSPOT_FEEDBACK,
    SURVEYMONKEY,
    LIMESURVEY,
    MICROSOFT_FORMS,
    HUBSPOT_FORMS,
    GOOGLE_FORMS,
)
