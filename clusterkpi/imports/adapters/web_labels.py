"""Header texts of web-analytics exports (Matomo, GA4) in every language they are read in."""

from __future__ import annotations

# Each measure lists the spellings a header may have: the raw API name first, then
# the translated labels. Filled from the tools' own translation files (see the
# comments next to each table for where each text comes from).

MATOMO_LABELS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "date"),
    "nb_visits": ("Visits", "Visites", "nb_visits"),
    "nb_actions": ("Actions", "nb_actions"),
    "bounce_count": ("Bounces", "Rebonds", "bounce_count"),
    "nb_uniq_visitors": ("Unique visitors", "Visiteurs uniques", "nb_uniq_visitors"),
}

GA4_LABELS: dict[str, tuple[str, ...]] = {
    "date": ("Date",),
    "nth_day": ("Nth day",),
    "sessions": ("Sessions",),
    "engaged_sessions": ("Engaged sessions", "Sessions avec engagement"),
    "active_users": ("Active users", "Utilisateurs actifs"),
    "total_users": ("Total users", "Nombre total d'utilisateurs"),
    "views": ("Views", "Vues"),
}

# Starts of GA4's comment lines (the preamble), per language.
GA4_MARKS: tuple[str, ...] = (
    "# Start date:",
    "# Property:",
    "# Date de début :",
    "# Propriété :",
)


def matomo(measure: str) -> tuple[str, ...]:
    """Return every header spelling of a Matomo measure (raw name and translations)."""
    return MATOMO_LABELS[measure]


def ga4(measure: str) -> tuple[str, ...]:
    """Return every header spelling of a GA4 dimension or metric."""
    return GA4_LABELS[measure]
