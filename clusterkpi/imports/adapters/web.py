"""Web analytics exports (GA4 report CSV, Matomo visits summary) → web_traffic."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from clusterkpi.imports.adapters.web_labels import GA4_MARKS, ga4, matomo
from clusterkpi.imports.fields import Adapter, FieldMap, Kind

if TYPE_CHECKING:
    from clusterkpi.imports.reading import RawTable

F = FieldMap

# GA4 is recognised by its '#' comment block (GA4_MARKS, per language).
_GA4_START = re.compile(r"^#\s*(?:start date|date de d[ée]but)\s*:\s*(\d{8})\s*$", re.I)
_GA4_RANGE = re.compile(r"^#\s*(\d{8})\s*-\s*\d{8}\s*$")

SITE = F("site", (), default="main")
SESSIONS = F(
    "sessions", ga4("sessions"), Kind.INTEGER, required=True, minimum=0, decimal="."
)
GA4_METRICS = (
    SESSIONS,
    F(
        "engaged_sessions",
        ga4("engaged_sessions"),
        Kind.INTEGER,
        minimum=0,
        decimal=".",
    ),
    F(
        "users",
        (*ga4("active_users"), *ga4("total_users")),
        Kind.INTEGER,
        minimum=0,
        decimal=".",
    ),
    F("pageviews", ga4("views"), Kind.INTEGER, minimum=0, decimal="."),
)
# One row per day and site: rows split by another dimension (page path) add up.
_GA4_SUMS = """sum(sessions) AS sessions, sum(engaged_sessions) AS engaged_sessions,
    sum(users) AS users, sum(pageviews) AS pageviews"""


def ga4_start(table: RawTable) -> dict[str, str]:
    """Return the report's start date (ISO) read from a GA4 preamble, if it gives one."""
    for line in table.preamble:
        found = _GA4_START.match(line.strip()) or _GA4_RANGE.match(line.strip())
        if found:
            return {
                "start_date": datetime.strptime(found.group(1), "%Y%m%d")
                .date()
                .isoformat()
            }
    return {}


GA4_DAILY = Adapter(
    name="ga4_daily",
    label="Google Analytics 4 — rapport par jour / daily report",
    dataset="web_traffic",
    signature=("Date", "Sessions"),
    marks=GA4_MARKS,
    fields=(
        F("day", ("Date",), Kind.DATE, required=True, formats=("%Y%m%d",)),
        SITE,
        *GA4_METRICS,
    ),
    post=f"SELECT day, site, {_GA4_SUMS} FROM {{parsed}} GROUP BY day, site",
)

GA4_NTH_DAY = Adapter(
    name="ga4_nth_day",
    label="Google Analytics 4 — série « Nth day » / 'Nth day' series",
    dataset="web_traffic",
    signature=("Nth day", "Sessions"),
    marks=GA4_MARKS,
    extra=ga4_start,
    fields=(
        F("day_offset", ("Nth day",), Kind.INTEGER, required=True, minimum=0),
        F("start_date", ("Start date",), Kind.DATE, required=True),
        SITE,
        *GA4_METRICS,
    ),
    post=f"""SELECT (start_date::DATE + day_offset::INTEGER) AS day, site, {_GA4_SUMS}
        FROM {{parsed}} GROUP BY ALL""",
)

# Any other GA4 table: reported with the columns it lacks (a day dimension, Sessions).
GA4_OTHER = Adapter(
    name="ga4_other",
    label="Google Analytics 4 — rapport sans sessions par jour / other report",
    dataset="web_traffic",
    signature=(),
    marks=GA4_MARKS,
    fields=(
        F("day", ("Date", "Nth day"), Kind.DATE, required=True, formats=("%Y%m%d",)),
        SITE,
        SESSIONS,
    ),
)

# Matomo translates its column names into the user's language (French labels are
# guesses); the raw API names come with translateColumnNames=0.
MATOMO = Adapter(
    name="matomo_visits",
    label="Matomo — résumé des visites / visits summary",
    dataset="web_traffic",
    signature=(matomo("nb_visits"), matomo("nb_actions"), matomo("bounce_count")),
    fields=(
        F("day", ("Date",), Kind.DATE, required=True, formats=("%Y-%m-%d",)),
        SITE,
        F(
            "sessions",
            matomo("nb_visits"),
            Kind.INTEGER,
            required=True,
            minimum=0,
            decimal=".",
        ),
        F(
            "users",
            matomo("nb_uniq_visitors"),
            Kind.INTEGER,
            minimum=0,
            decimal=".",
        ),
        F("pageviews", matomo("nb_actions"), Kind.INTEGER, minimum=0, decimal="."),
    ),
)

MATOMO_NO_DATA = Adapter(
    name="matomo_no_data",
    label="Matomo — export vide / empty export",
    dataset=None,
    signature=("No data available",),
    fields=(),
    refusal="no_data",
)

WEB_SOURCES = (GA4_DAILY, GA4_NTH_DAY, GA4_OTHER, MATOMO, MATOMO_NO_DATA)
