"""Survey tools: Google Forms and Typeform responses (member NPS, shared vision)."""

from __future__ import annotations

from clusterkpi.imports.fields import Adapter, FieldMap, Kind

F = FieldMap

# Questions are free text: they are found by a word of their header.
NPS = F(
    "nps_score",
    kind=Kind.INTEGER,
    minimum=0,
    maximum=10,
    decimal=".",
    contains=("recommand", "recommend"),
)
VISION = F(
    "vision_agreement",
    kind=Kind.INTEGER,
    minimum=1,
    maximum=5,
    decimal=".",
    contains=("vision",),
)
IS_MEMBER = F(
    "is_member",
    kind=Kind.BOOLEAN,
    contains=("adherent", "membre du", "membre de", "member of", "a member"),
)

# Without a yes/no 'are you a member' question, every respondent counts as a member;
# 'no' marks a non-member company. The same response twice: the last row wins.
SURVEY_POST = """SELECT {response_id} AS response_id, survey,
           submitted_at::DATE AS submitted_on,
           CASE WHEN is_member = false THEN 'target_company' ELSE 'member' END
               AS respondent_kind,
           NULL::VARCHAR AS member_id, nps_score, vision_agreement
    FROM {{parsed}}
    QUALIFY row_number() OVER (PARTITION BY response_id ORDER BY _line DESC) = 1"""

GOOGLE_FORMS = Adapter(
    name="google_forms",
    label="Google Forms — réponses / responses",
    dataset="survey_responses",
    signature=(("Horodateur", "Timestamp"),),
    # No response id in the export: a hash of the timestamp and the answers read.
    key=("submitted_at", "email", "nps_score", "vision_agreement", "is_member"),
    key_target="response_id",
    key_prefix="GF-",
    fields=(
        F("response_id"),
        F("submitted_at", ("Horodateur", "Timestamp"), Kind.TIMESTAMP, required=True),
        F("email", ("Adresse e-mail", "Email Address", "Email address")),
        NPS,
        VISION,
        IS_MEMBER,
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
        NPS,
        VISION,
        IS_MEMBER,
        F("survey", default="Typeform"),
    ),
    post=SURVEY_POST.format(response_id="'TF-' || token"),
)  # fmt: skip

SURVEY_SOURCES = (TYPEFORM, GOOGLE_FORMS)
