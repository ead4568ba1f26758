"""Media-monitoring exports (Meltwater) → press_mentions."""

from __future__ import annotations

from clusterkpi.imports.adapters.vocabulary import TONES
from clusterkpi.imports.fields import Adapter, FieldMap, Kind

F = FieldMap

# Meltwater writes '05-Mar-2026' (time in its own column) or, in older exports,
# '14-Jan-2026 08:30AM'.
MELTWATER_DATES = (
    "%d-%b-%Y",
    "%d-%b-%Y %I:%M%p",
    "%d-%b-%Y %I:%M %p",
    "%d-%b-%Y %H:%M",
)
# Mentions Meltwater has not rated carry no tone (they stay out of the tone KPI).
UNRATED = ("not rated", "unrated", "unknown", "non évalué", "non noté", "inconnu")

MELTWATER = Adapter(
    name="meltwater",
    label="Meltwater — mentions",
    dataset="press_mentions",
    signature=("Date", "Hit Sentence", "Reach"),
    row_id="mention_id",
    fields=(
        F("mention_id", ("Document ID",)),
        F("published_on", ("Date",), Kind.DATE, required=True, formats=MELTWATER_DATES),
        F("outlet", ("Source Name", "Source"), required=True),
        F("title", ("Title", "Headline")),
        F(
            "tone",
            ("Sentiment",),
            Kind.CATEGORY,
            categories=TONES,
            empty_values=(*FieldMap.empty_values, *UNRATED),
        ),
        F("reach", ("Reach",), Kind.INTEGER, minimum=0, decimal="."),
        F("media_partner", (), Kind.BOOLEAN, default=False),
    ),
    # Older exports have no Document ID: a hash of date, outlet and title stands in.
    post="""SELECT * EXCLUDE (_line) FROM (
        SELECT _line, coalesce(mention_id, 'MW-' || substr(sha256(concat_ws('|',
                   published_on::VARCHAR, outlet, title)), 1, 12)) AS mention_id,
               published_on, outlet, title, tone, reach, media_partner
        FROM {parsed})
        QUALIFY row_number() OVER (PARTITION BY mention_id ORDER BY _line DESC) = 1""",
)

PRESS_SOURCES = (MELTWATER,)
