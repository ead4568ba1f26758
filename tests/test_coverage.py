"""Coverage per measure: a KPI has data only where the columns it reads have values."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.catalog import Catalog, parse_catalog
from clusterkpi.engine import Coverage, coverage, data_span, measure_coverage
from clusterkpi.errors import CatalogError
from clusterkpi.store import Store
from tests.import_helpers import kpi, load

TWEETS = "x/account_analytics_content_2026-06-08_2026-06-12.csv"
OVERVIEW = "x/account_overview_analytics.csv"


def test_a_tweet_export_gives_no_new_followers_not_zero(
    store: Store, catalog: Catalog
) -> None:
    """Tweets carry impressions and engagements, never follower counts."""
    load(store, TWEETS)
    impressions, engagements = store.rows(
        "SELECT sum(impressions), sum(engagements) FROM social_daily"
        " WHERE day >= DATE '2026-04-01' AND day < DATE '2026-07-01'"
    )[0]
    assert store.rows("SELECT count(new_followers) FROM social_daily") == [(0,)]
    assert kpi(store, catalog, "social_new_followers", "2026Q2") is None
    assert kpi(store, catalog, "social_followers", "2026Q2") is None
    assert kpi(store, catalog, "social_engagement_rate", "2026Q2") == pytest.approx(
        engagements / impressions
    )


def test_new_followers_count_once_an_export_gives_them(
    store: Store, catalog: Catalog
) -> None:
    load(store, TWEETS)
    load(store, OVERVIEW)
    gained = store.rows(
        "SELECT sum(new_followers) FROM social_daily WHERE day >= DATE '2026-04-01'"
        " AND day < DATE '2026-07-01'"
    )[0][0]
    assert gained > 0
    assert kpi(store, catalog, "social_new_followers", "2026Q2") == gained


def test_each_measure_speaks_from_its_first_to_its_last_value(
    store: Store, catalog: Catalog
) -> None:
    load(store, TWEETS)
    days = store.rows(
        "SELECT min(day), max(day) FROM social_daily WHERE impressions IS NOT NULL"
    )[0]
    # The import itself (the day it ran) extends what the export speaks for.
    imported = store.rows("SELECT max(imported_at)::DATE FROM imports")[0][0]
    span = Coverage(days[0], max(days[1], imported))
    assert measure_coverage(store, catalog) == {
        "social_daily.engagements": span,
        "social_daily.impressions": span,
    }
    # The table as a whole, for the pages that ask per source, is unchanged.
    assert coverage(store, catalog) == {"social_daily": span}
    assert data_span(store, catalog) == (span.first, span.last)


def test_a_period_row_covers_up_to_its_last_day(store: Store, catalog: Catalog) -> None:
    """Rows written without an import (no import date): the rows alone decide."""
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO web_traffic (day, day_end, site, sessions, users, import_id)"
            " VALUES (DATE '2026-01-01', DATE '2026-04-01', 'main', 2935, NULL, 999),"
            " (DATE '2026-01-01', DATE '2026-02-01', 'main', 960, 810, 999)"
        )
    whole = Coverage(date(2026, 1, 1), date(2026, 3, 31))  # 1 April is excluded
    assert coverage(store, catalog)["web_traffic"] == whole
    assert measure_coverage(
        store, catalog, ["web_traffic.sessions", "web_traffic.users"]
    ) == {
        "web_traffic.sessions": whole,
        "web_traffic.users": Coverage(date(2026, 1, 1), date(2026, 1, 31)),
    }


def _catalog_with(kpi_body: dict) -> dict:
    return {
        "version": 1,
        "objectives": {
            "o": {
                "group": "external",
                "label": {"fr": "o", "en": "o"},
                "description": {"fr": "o", "en": "o"},
            }
        },
        "sources": {
            "web_traffic": {"date": "day", "end": "day_end", "exports": ["GA4"]},
            "members": {"date": "joined_on", "exports": ["roster"]},
        },
        "kpis": {"k": kpi_body},
    }


def _kpi(measures: list[str]) -> dict:
    return {
        "label": {"fr": "k", "en": "k"},
        "description": {"fr": "k", "en": "k"},
        "objective": "o",
        "unit": "count",
        "direction": "higher",
        "grain": "flow",
        "aggregation": "sum",
        "sources": ["web_traffic"],
        "measures": measures,
        "sql": "SELECT p.period, sum(w.sessions) AS value FROM periods AS p"
        " JOIN web_traffic_days AS w ON w.day >= p.period_start GROUP BY p.period",
    }


def test_the_catalogue_accepts_declared_measures() -> None:
    parsed = parse_catalog(_catalog_with(_kpi(["web_traffic.sessions"])))
    assert parsed.kpis["k"].measures == ["web_traffic.sessions"]
    assert parsed.sources["web_traffic"].end == "day_end"
    assert parsed.sources["members"].end is None


@pytest.mark.parametrize(
    ("measures", "message"),
    [
        (
            ["members.sessions"],
            "KPI 'k': measure 'members.sessions' is not of a source of the KPI. Fix: "
            "use one of web_traffic or add 'members' to its sources.",
        ),
        (
            ["web_traffic.users"],
            "KPI 'k': measure 'web_traffic.users': the sql never reads 'users'. Fix: "
            "list the columns the formula reads.",
        ),
        (
            ["sessions"],
            "KPI 'k': field 'measures': Value error, 'sessions' is not written "
            "table.column. Fix: correct the value.",
        ),
    ],
)
def test_a_wrong_measure_is_refused_with_a_fix(
    measures: list[str], message: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(_catalog_with(_kpi(measures)))
    assert caught.value.issues == [message]


def test_every_catalogue_measure_is_a_nullable_column_of_its_table(
    store: Store, catalog: Catalog
) -> None:
    declared = {m for k in catalog.kpis.values() for m in k.measures}
    assert declared == {
        "web_traffic.sessions",
        "social_daily.followers",
        "social_daily.new_followers",
        "social_daily.engagements",
        "social_daily.impressions",
    }
    for measure in declared:
        table, column = measure.split(".")
        assert column in store.columns(table)
