"""Matomo and GA4 header texts: each language read, each text from the tool's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterkpi.imports.adapters.web import MATOMO, MATOMO_NO_DATA
from clusterkpi.imports.adapters.web_labels import (
    GA4_LABELS,
    GA4_MARKS,
    MATOMO_LABELS,
    MATOMO_MONTHS,
    MATOMO_PERIOD_WORDS,
    ga4,
    matomo,
)
from clusterkpi.imports.reading import read_file
from tests.import_helpers import DATA

SOURCES = Path(__file__).parent.parent / "docs" / "web-labels-sources.md"

# The Visits Overview columns as Matomo's lang/<xx>.json spell them (General.Date,
# ColumnNbVisits, ColumnNbActions, ColumnBounces, ColumnNbUniqVisitors), copied
# here by hand from matomo-org/matomo at f09912cb702a.
MATOMO_HEADERS = {
    "en": ("Date", "Unique visitors", "Visits", "Actions", "Bounces"),
    "fr": ("Date", "Visiteurs uniques", "Visites", "Actions", "Rebonds"),
    "de": ("Datum", "Eindeutige Besucher", "Besuche", "Aktionen", "Absprünge"),
    "es": ("Fecha", "Visitantes únicos", "Visitas", "Acciones", "Rebotes"),
    "it": ("Data", "Visitatori unici", "Visite", "Azioni nel sito", "Rimbalzi"),
}


@pytest.mark.parametrize("lang", sorted(MATOMO_HEADERS))
def test_a_matomo_visits_overview_is_read_in_each_language(lang: str) -> None:
    header = MATOMO_HEADERS[lang]
    assert MATOMO.matches(header)
    assert MATOMO.column_index(header) == {
        "day": 0,
        "users": 1,
        "sessions": 2,
        "pageviews": 3,
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "visits_summary_total_de.csv",
            {
                "Eindeutige Besucher": "nb_uniq_visitors",
                "Benutzer": "nb_users",
                "Besuche": "nb_visits",
                "Aktionen": "nb_actions",
                "Besuche mit Konversionen": "nb_visits_converted",
                "Absprünge": "bounce_count",
                "Von Besuchern verbrachte Gesamtzeit (in Sekunden)": "sum_visit_length",
                "Maximale Aktionen pro Besuch": "max_actions",
                "Absprungsrate": "bounce_rate",
                "Aktionen pro Besuch": "nb_actions_per_visit",
                "Durchschn. Besuchszeit (in Sekunden)": "avg_time_on_site",
                "Metadaten: is_aggregate": None,
            },
        ),
        (
            "visits_summary_total_en.csv",
            {
                "Unique visitors": "nb_uniq_visitors",
                "Users": "nb_users",
                "Visits": "nb_visits",
                "Actions": "nb_actions",
                "Visits with Conversions": "nb_visits_converted",
                "Bounces": "bounce_count",
                "Total time spent by visitors (in seconds)": "sum_visit_length",
                "Maximum actions in one visit": "max_actions",
                "Bounce Rate": "bounce_rate",
                "Actions per Visit": "nb_actions_per_visit",
                "Avg. Visit Duration (in seconds)": "avg_time_on_site",
            },
        ),
    ],
)
def test_every_column_of_a_real_translated_matomo_export_is_known(
    name: str, expected: dict[str, str | None]
) -> None:
    # Matomo's own renderer output (its system tests, trans-de and trans-en).
    (table,) = read_file(name, (DATA / "matomo" / name).read_bytes())
    found = {
        cell: next((m for m, texts in MATOMO_LABELS.items() if cell in texts), None)
        for cell in table.header
    }
    assert found == expected
    assert table.rows == [
        ("2", "0", "2", "2", "0", "2", "542", "1", "100\xa0%", "1", "271", "0")
        if name.endswith("_de.csv")
        else ("2", "0", "2", "2", "0", "2", "542", "1", "100%", "1", "271")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "No data available",
        "There is no data for this report.",
        "Il n'y a pas de données pour ce rapport.",
        "Es stehen keine Daten für diesen Bericht zur Verfügung.",
        "No hay datos para este informe.",
        "Non c'è nessun dato in questo report.",
    ],
)
def test_matomo_s_no_data_line_is_known_in_each_language(text: str) -> None:
    assert MATOMO_NO_DATA.matches((text,))
    assert not MATOMO.matches((text,))


def test_a_matomo_api_header_keeps_its_raw_names_first() -> None:
    raw = {m: texts[0] for m, texts in MATOMO_LABELS.items()}
    assert raw == {
        "date": "date",
        "label": "label",
        "nb_visits": "nb_visits",
        "nb_uniq_visitors": "nb_uniq_visitors",
        "nb_actions": "nb_actions",
        "nb_users": "nb_users",
        "bounce_count": "bounce_count",
        "sum_visit_length": "sum_visit_length",
        "max_actions": "max_actions",
        "bounce_rate": "bounce_rate",
        "nb_actions_per_visit": "nb_actions_per_visit",
        "avg_time_on_site": "avg_time_on_site",
        "nb_visits_converted": "nb_visits_converted",
        "no_data": "No data available",
        "visits_summary": "Visits Summary",
    }
    assert matomo("nb_visits") == MATOMO_LABELS["nb_visits"]


def test_ga4_is_read_in_english_only_for_want_of_a_source() -> None:
    # Google publishes no translation of GA4's column names, and no public
    # export in another language was found: none is guessed.
    assert GA4_LABELS == {
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
    assert GA4_MARKS == ("# Start date:", "# Property:")
    assert ga4("sessions") == ("Sessions",)


def test_every_text_is_listed_with_its_source() -> None:
    listed = SOURCES.read_text(encoding="utf-8")
    texts = {
        *(t for texts in MATOMO_LABELS.values() for t in texts),
        *(t for texts in GA4_LABELS.values() for t in texts),
        *(t for names in MATOMO_MONTHS for t in names),
        *MATOMO_PERIOD_WORDS,
    }
    assert sorted(t for t in texts if f"`{t}`" not in listed) == []
