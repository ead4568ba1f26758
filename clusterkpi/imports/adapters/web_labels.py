"""Header texts of web-analytics exports (Matomo, GA4) in every language they are read in."""

from __future__ import annotations

# Each measure lists the spellings a header may have: the raw API name first, then
# the translated labels. No text here is a guess: each comes from the file named in
# the comment above its table (details in docs/web-labels-sources.md); a language
# whose texts could not be sourced is left out rather than invented.

# Matomo translates an export's column names into the user's language through
# core/Metrics.php (getDefaultMetricTranslations, getDefaultMetrics,
# getDefaultProcessedMetrics) and, for VisitsSummary.get, the report's own metric
# names. Texts: repository matomo-org/matomo, commit f09912cb702a (2024-10-24),
# lang/{en,fr,de,es,it}.json, section "General":
#   date Date · nb_visits ColumnNbVisits · nb_uniq_visitors ColumnNbUniqVisitors ·
#   nb_actions ColumnNbActions · nb_users ColumnNbUsers · bounce_count ColumnBounces ·
#   sum_visit_length ColumnSumVisitLength · max_actions ColumnMaxActions ·
#   bounce_rate ColumnBounceRate ("%%" is printed "%") · nb_actions_per_visit
#   ColumnActionsPerVisit · avg_time_on_site VisitDuration (the VisitsSummary.get
#   name, see tests/PHPUnit/System/expected/test_csvExport_xp1_inner0_trans-en__
#   VisitsSummary.get_day.csv) and ColumnAvgTimeOnSite · nb_visits_converted
#   ColumnVisitsWithConversions · label ColumnLabel.
# Order in each tuple: API name, en, fr, de, es, it.
MATOMO_LABELS: dict[str, tuple[str, ...]] = {
    "date": ("date", "Date", "Datum", "Fecha", "Data"),
    "label": ("label", "Label", "Nom", "Bezeichnung", "Etiqueta", "Etichetta"),
    "nb_visits": ("nb_visits", "Visits", "Visites", "Besuche", "Visitas", "Visite"),
    "nb_uniq_visitors": (
        "nb_uniq_visitors",
        "Unique visitors",
        "Visiteurs uniques",
        "Eindeutige Besucher",
        "Visitantes únicos",
        "Visitatori unici",
    ),
    "nb_actions": (
        "nb_actions",
        "Actions",
        "Aktionen",
        "Acciones",
        "Azioni nel sito",
    ),
    "nb_users": ("nb_users", "Users", "Utilisateurs", "Benutzer", "Usuarios", "Utenti"),
    "bounce_count": (
        "bounce_count",
        "Bounces",
        "Rebonds",
        "Absprünge",
        "Rebotes",
        "Rimbalzi",
    ),
    "sum_visit_length": (
        "sum_visit_length",
        "Total time spent by visitors (in seconds)",
        "Temps total passé par les visiteurs (en secondes)",
        "Von Besuchern verbrachte Gesamtzeit (in Sekunden)",
        "Tiempo total de los visitantes en el sitio (en segundos)",
        "Durata totale delle visite (in secondi)",
    ),
    "max_actions": (
        "max_actions",
        "Maximum actions in one visit",
        "Nombre maximum d'actions en une visite",
        "Maximale Aktionen pro Besuch",
        "Acciones máximas en una visita",
        "Numero massimo di azioni in una visita",
    ),
    "bounce_rate": (
        "bounce_rate",
        "Bounce Rate",
        "Taux de rebond",
        "Absprungsrate",
        "Porcentaje de rebote",
        "% rimbalzi",
    ),
    "nb_actions_per_visit": (
        "nb_actions_per_visit",
        "Actions per Visit",
        "Actions par visite",
        "Aktionen pro Besuch",
        "Acciones por visita",
        "Azioni per visita",
    ),
    "avg_time_on_site": (
        "avg_time_on_site",
        "Avg. Visit Duration (in seconds)",
        "Durée moy. des visites (en secondes)",
        "Durchschn. Besuchszeit (in Sekunden)",
        "Promedio de duración de las visitas (en segundos)",
        "Durata media delle visite (in secondi)",
        "Avg. Time on Website",
        "Temps moyen sur le site web",
        "Durchschnittszeit auf der Webseite",
        "Promedio de tiempo en el sitio",
        "Tempo medio sul sito",
    ),
    "nb_visits_converted": (
        "nb_visits_converted",
        "Visits with Conversions",
        "Visites avec conversions",
        "Besuche mit Konversionen",
        "Visitas con conversiones",
        "Visite con Conversioni",
    ),
    # What Matomo writes instead of an empty table. core/DataTable/Renderer/Csv.php
    # returns the constant NO_DATA_AVAILABLE ("No data available", never
    # translated); core/ReportRenderer/Csv.php and Tsv.php fall back to
    # CoreHome_ThereIsNoDataForThisReport (plugins/CoreHome/lang/<xx>.json).
    "no_data": (
        "No data available",
        "There is no data for this report.",
        "Il n'y a pas de données pour ce rapport.",
        "Es stehen keine Daten für diesen Bericht zur Verfügung.",
        "No hay datos para este informe.",
        "Non c'è nessun dato in questo report.",
    ),
    # The name of the visits summary report, written as the title of its block in
    # scheduled reports (plugins/VisitsSummary/lang/<xx>.json, "VisitsSummary").
    "visits_summary": (
        "Visits Summary",
        "Récapitulatif des visites",
        "Besucherüberblick",
        "Resumen de visitas",
        "Sommario delle visite",
    ),
}

# Words of the period Matomo writes in a scheduled report's file name
# ("<site> - <period> - <description>.csv", plugins/ScheduledReports/API.php): its
# Period::getLocalizedLongString, built from CLDR patterns (Format_Date_Long,
# Format_Month_Long, Format_Interval_Long_*; Spanish puts 'de' between the parts).
# Texts: repository matomo-org/matomo, commit f09912cb702a,
# plugins/Intl/lang/{en,fr,de,es,it}.json: Month_Long_N, Month_Long_StandAlone_N,
# Day_Long_N, Day_Long_StandAlone_N and PeriodWeek.
MATOMO_MONTHS: tuple[tuple[str, ...], ...] = (
    ("January", "janvier", "Januar", "enero", "gennaio"),
    ("February", "février", "Februar", "febrero", "febbraio"),
    ("March", "mars", "März", "marzo"),
    ("April", "avril", "abril", "aprile"),
    ("May", "mai", "Mai", "mayo", "maggio"),
    ("June", "juin", "Juni", "junio", "giugno"),
    ("July", "juillet", "Juli", "julio", "luglio"),
    ("August", "août", "agosto"),
    ("September", "septembre", "septiembre", "settembre"),
    ("October", "octobre", "Oktober", "octubre", "ottobre"),
    ("November", "novembre", "noviembre"),
    ("December", "décembre", "Dezember", "diciembre", "dicembre"),
)
MATOMO_PERIOD_WORDS: tuple[str, ...] = (
    *("week", "semaine", "Woche", "semana", "settimana"),
    *("de",),
    *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    *("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    *("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    *("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
)

# GA4 writes its headers in the UI language, but Google publishes no translation
# file of them, and no public repository holds a GA4 export in French, German,
# Spanish or Italian (searched: '# Date de début', '# Startdatum', '# Fecha de
# inicio', '# Data di inizio', 'Utilisateurs actifs', 'Aktive Nutzer,', 'Usuarios
# activos,', 'Nième jour'): only the English texts are read. They are the UI names
# of the GA4 Data API schema (dimensions date, nthDay, yearMonth, isoYearIsoWeek,
# yearWeek; metrics sessions, engagedSessions, activeUsers, totalUsers,
# screenPageViews), as written in real exports described in
# /work/shared/reference/export-formats.md §4a.
GA4_LABELS: dict[str, tuple[str, ...]] = {
    "date": ("Date",),
    "nth_day": ("Nth day",),
    "year_month": ("Year month",),
    "iso_year_iso_week": ("ISO week of ISO year",),
    "year_week": ("Year week",),
    "date_hour": ("Date + hour (YYYYMMDDHH)",),
    "sessions": ("Sessions",),
    "engaged_sessions": ("Engaged sessions",),
    "active_users": ("Active users",),
    "total_users": ("Total users",),
    "views": ("Views",),
}

# Words of GA4's '#' preamble (same source as GA4_LABELS; English only).
GA4_PREAMBLE: dict[str, tuple[str, ...]] = {
    "start_date": ("Start date",),
    "end_date": ("End date",),
    "property": ("Property",),
    "account": ("Account",),
    "all_users": ("All Users",),
}

# Starts of GA4's comment lines (the preamble), per language.
GA4_MARKS: tuple[str, ...] = tuple(
    f"# {word}:" for key in ("start_date", "property") for word in GA4_PREAMBLE[key]
)


def matomo(measure: str) -> tuple[str, ...]:
    """Return every header spelling of a Matomo measure (raw name and translations)."""
    return MATOMO_LABELS[measure]


def ga4(measure: str) -> tuple[str, ...]:
    """Return every header spelling of a GA4 dimension or metric."""
    return GA4_LABELS[measure]


def ga4_preamble(word: str) -> tuple[str, ...]:
    """Return every spelling of a word of GA4's '#' preamble ('start_date', …)."""
    return GA4_PREAMBLE[word]
