"""Web analytics exports (GA4 report CSV, Matomo visits summary) → web_traffic."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from clusterkpi.imports.adapters.web_labels import GA4_MARKS, ga4, matomo
from clusterkpi.imports.fields import Adapter, FieldMap, Kind
from clusterkpi.imports.period_cells import (
    CALENDAR,
    ISO_WEEK,
    YEAR_MONTH,
    YEAR_WEEK,
    week_number_expr,
)
from clusterkpi.imports.report_periods import period_values

if TYPE_CHECKING:
    from clusterkpi.imports.reading import RawTable

F = FieldMap

# GA4 is recognised by its '#' comment block (GA4_MARKS, per language).
# English only, like every GA4 text (web_labels says why).
_GA4_START = re.compile(r"^#\s*start date\s*:\s*(\d{8})\s*$", re.I)
_GA4_END = re.compile(r"^#\s*end date\s*:\s*(\d{8})\s*$", re.I)
_GA4_RANGE = re.compile(r"^#\s*(\d{8})\s*-\s*(\d{8})\s*$")

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
# One row per period and site: rows split by another dimension (page path) add up.
# Every web row carries its exclusive end day_end (migration 0008): day + 1 for a day.
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


def ga4_span(table: RawTable) -> dict[str, str]:
    """Return the report's first and last day (ISO) read from a GA4 preamble."""
    found: dict[str, str] = {}
    for line in (raw.strip() for raw in table.preamble):
        ranged = _GA4_RANGE.match(line)
        for key, hit in (
            ("start_date", _GA4_START.match(line) or ranged),
            ("end_date", _GA4_END.match(line) or ranged),
        ):
            if hit and key not in found:
                group = 2 if hit is ranged and key == "end_date" else 1
                day = datetime.strptime(hit.group(group), "%Y%m%d").date()
                found[key] = day.isoformat()
    return found


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
    post=f"""SELECT day, day + 1 AS day_end, site, {_GA4_SUMS}
        FROM {{parsed}} GROUP BY day, site""",
)

# 'Date + hour (YYYYMMDDHH)': the hours of a day add up to the day. Users are left
# out: a user active in two hours of a day would be counted twice.
GA4_HOURLY = Adapter(
    name="ga4_hourly",
    label="Google Analytics 4 — rapport par heure / hourly report",
    dataset="web_traffic",
    signature=(ga4("date_hour"), ga4("sessions")),
    marks=GA4_MARKS,
    fields=(
        F("day", ga4("date_hour"), Kind.DATE, required=True, formats=("%Y%m%d%H",)),
        SITE,
        *(f for f in GA4_METRICS if f.target != "users"),
    ),
    post="""SELECT day, day + 1 AS day_end, site, sum(sessions) AS sessions,
        sum(engaged_sessions) AS engaged_sessions, sum(pageviews) AS pageviews
        FROM {parsed} GROUP BY day, site""",
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
    post=f"""SELECT (start_date::DATE + day_offset::INTEGER) AS day,
        (start_date::DATE + day_offset::INTEGER + 1) AS day_end, site, {_GA4_SUMS}
        FROM {{parsed}} GROUP BY ALL""",
)


def _ga4_period(name: str, dimension: str, reading: str, what: str) -> Adapter:
    """A GA4 report by week or month: one row per period and site (migration 0008)."""
    return Adapter(
        name=name,
        label=f"Google Analytics 4 — rapport par {what}",
        dataset="web_traffic",
        signature=(ga4(dimension), ga4("sessions")),
        marks=GA4_MARKS,
        fields=(
            F("day", ga4(dimension), Kind.PERIOD, required=True, formats=(reading,)),
            SITE,
            *GA4_METRICS,
        ),
        post=_PERIOD_POST.format(sums=_GA4_SUMS),
    )


# A period of one day is stored as such: day_end = day + 1 either way.
_PERIOD_POST = """SELECT day.day_start AS day, day.day_end AS day_end, site, {sums}
    FROM {{parsed}} GROUP BY ALL"""
GA4_MONTHLY = _ga4_period("ga4_monthly", "year_month", YEAR_MONTH, "mois / by month")
GA4_ISO_WEEKLY = _ga4_period(
    "ga4_iso_weekly", "iso_year_iso_week", ISO_WEEK, "semaine ISO / by ISO week"
)
GA4_WEEKLY = _ga4_period("ga4_weekly", "year_week", YEAR_WEEK, "semaine / by week")

# GA4's 'Week' gives the week number alone: the year comes from the preamble's dates.
# 'Week' is the UI name of the GA4 Data API dimension `week` (English only, like
# every GA4 text; kept here until web_labels lists it with its source).
_GA4_WEEK = ("Week",)
# Braces doubled: the post template is formatted with the name of the parsed rows.
_WEEK_OF_REPORT = (
    week_number_expr("week", "start_date::DATE", "end_date::DATE")
    .replace("{", "{{")
    .replace("}", "}}")
)
GA4_WEEK_NUMBER = Adapter(
    name="ga4_week_number",
    label="Google Analytics 4 — rapport par numéro de semaine / by week number",
    dataset="web_traffic",
    signature=(_GA4_WEEK, ga4("sessions")),
    marks=GA4_MARKS,
    extra=ga4_span,
    fields=(
        F("week", _GA4_WEEK, Kind.INTEGER, required=True, minimum=1, maximum=53),
        F("start_date", ("Start date",), Kind.DATE, required=True),
        F("end_date", ("End date",), Kind.DATE, required=True),
        SITE,
        *GA4_METRICS,
    ),
    post=_PERIOD_POST.format(sums=_GA4_SUMS).replace(
        "{parsed}", f"(SELECT *, {_WEEK_OF_REPORT} AS day FROM {{parsed}})"
    ),
)

# A GA4 table with Sessions but no date dimension (by source / medium, by city…):
# its rows add up to one row over the preamble's '# Start date' … '# End date'.
# Users are left out: a user counted under two sources would be counted twice.
GA4_TOTALS = Adapter(
    name="ga4_totals",
    label="Google Analytics 4 — total de la période / period total",
    dataset="web_traffic",
    signature=(ga4("sessions"),),
    marks=GA4_MARKS,
    extra=ga4_span,
    fields=(
        F("start_date", ("Start date",), Kind.DATE, required=True),
        F("end_date", ("End date",), Kind.DATE, required=True),
        SITE,
        SESSIONS,
        *(f for f in GA4_METRICS if f.target in ("engaged_sessions", "pageviews")),
    ),
    post="""SELECT start_date::DATE AS day, end_date::DATE + 1 AS day_end, site,
        sum(sessions) AS sessions, sum(engaged_sessions) AS engaged_sessions,
        sum(pageviews) AS pageviews
        FROM {parsed} GROUP BY ALL""",
)

# Any other GA4 table: reported with the column it lacks, Sessions (a table without a
# date dimension is a total over the preamble's dates: no day column is missing).
GA4_OTHER = Adapter(
    name="ga4_other",
    label="Google Analytics 4 — rapport sans sessions / report without sessions",
    dataset="web_traffic",
    signature=(),
    marks=GA4_MARKS,
    fields=(
        F("day", ("Date", "Nth day"), Kind.DATE, formats=("%Y%m%d",)),
        SITE,
        SESSIONS,
    ),
)

# Matomo translates its column names into the user's language (texts from its own
# translation files, see web_labels); the raw API names come with
# translateColumnNames=0.
MATOMO = Adapter(
    name="matomo_visits",
    label="Matomo — résumé des visites / visits summary",
    dataset="web_traffic",
    signature=(matomo("nb_visits"), matomo("nb_actions"), matomo("bounce_count")),
    fields=(
        # period=day|week|month|year|range: the date key names the period.
        F("day", matomo("date"), Kind.PERIOD, required=True, formats=(CALENDAR,)),
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
    post="""SELECT day.day_start AS day, day.day_end AS day_end, site,
        sum(sessions) AS sessions, sum(users) AS users, sum(pageviews) AS pageviews
        FROM {parsed} GROUP BY ALL""",
)

# A scheduled e-mail report (CSV or TSV) holds one block per report; the "Visits
# Summary" block is the period's totals, without a date column: the period comes
# from the file's name ("<site> - <period> - <description>.csv"), as Matomo names
# the download (see report_periods).
MATOMO_SUMMARY = Adapter(
    name="matomo_visits_summary",
    label="Matomo — rapport programmé, résumé des visites / scheduled report, visits"
    " summary",
    dataset="web_traffic",
    signature=(matomo("nb_visits"), matomo("nb_uniq_visitors")),
    marks=matomo("visits_summary"),
    extra=period_values,
    fields=(
        F("start_date", ("Start date",), Kind.DATE, required=True),
        F("end_date", ("End date",), Kind.DATE, required=True),
        SITE,
        F("sessions", matomo("nb_visits"), Kind.INTEGER, required=True, minimum=0,
          decimal="."),
        F("users", matomo("nb_uniq_visitors"), Kind.INTEGER, minimum=0, decimal="."),
        F("pageviews", matomo("nb_actions"), Kind.INTEGER, minimum=0, decimal="."),
    ),
    post="""SELECT start_date::DATE AS day, end_date::DATE + 1 AS day_end, site,
        sum(sessions) AS sessions, sum(users) AS users, sum(pageviews) AS pageviews
        FROM {parsed} GROUP BY ALL""",
)  # fmt: skip

MATOMO_NO_DATA = Adapter(
    name="matomo_no_data",
    label="Matomo — export vide / empty export",
    dataset=None,
    signature=(matomo("no_data"),),
    fields=(),
    refusal="no_data",
)

# Order matters: the first adapter whose signature fits reads the table, so the
# dated GA4 reports come before the period total.
WEB_SOURCES = (
    GA4_DAILY,
    GA4_HOURLY,
    GA4_NTH_DAY,
    GA4_MONTHLY,
    GA4_ISO_WEEKLY,
    GA4_WEEKLY,
    GA4_WEEK_NUMBER,
    GA4_TOTALS,
    GA4_OTHER,
    MATOMO,
    MATOMO_SUMMARY,
    MATOMO_NO_DATA,
)
