"""KPIs over rows that cover a period: whole rows, straddling rows, overlapping rows."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.engine import KpiPoint, evaluate
from clusterkpi.periods import parse_period
from clusterkpi.store import Store
from clusterkpi.ui.partial import partial_text
from tests.import_helpers import load

MARCH, APRIL, Q1 = (
    parse_period("2026-03"),
    parse_period("2026-04"),
    parse_period("2026Q1"),
)


def points(store: Store, catalog: Catalog, kpi_id: str, *labels: str) -> list:
    found = evaluate(store, catalog, [parse_period(x) for x in labels], [kpi_id])
    return [(p.value, p.covered_share) for p in found[kpi_id]]


def insert(store: Store, table: str, rows: list[tuple]) -> None:
    """Rows written by hand (columns: day, day_end, key, then the measures)."""
    columns = {
        "web_traffic": "day, day_end, site, sessions",
        "social_daily": "day, day_end, network, impressions, engagements",
    }[table]
    marks = ", ".join("?" for _ in columns.split(","))
    with store.transaction() as cur:
        for row in rows:
            cur.execute(
                f"INSERT INTO {table} ({columns}, import_id) VALUES ({marks}, 1)", row
            )


def test_weekly_rows_count_whole_inside_and_in_part_across_the_edge(
    store: Store, catalog: Catalog
) -> None:
    """Matomo weeks 16-22, 23-29 March, 30 March-5 April, 6-12 April."""
    load(store, "matomo/visits_summary_week_en.csv")
    march = 240 + 221 + Fraction(210 * 2, 7)  # 30 and 31 March of the third week
    april = Fraction(210 * 5, 7) + 230
    assert points(
        store, catalog, "website_sessions", "2026-03", "2026-04", "2026Q1"
    ) == [
        (float(march), (7 + 7 + 2) / (7 + 7 + 7)),
        (float(april), (5 + 7) / (7 + 7)),
        (float(march), (7 + 7 + 2) / (7 + 7 + 7)),
    ]


def test_monthly_rows_add_up_over_a_quarter_and_are_whole(
    store: Store, catalog: Catalog
) -> None:
    load(store, "ga4/ga4_traffic_year_month.csv")
    jan, feb, mar = 410 + 150, 380 + 140, 450 + 170
    assert points(store, catalog, "website_sessions", "2026-02", "2026Q1") == [
        (feb, None),
        (jan + feb + mar, None),
    ]


def test_a_year_row_read_by_quarter_is_partial_and_never_dropped(
    store: Store, catalog: Catalog
) -> None:
    insert(store, "web_traffic", [(date(2026, 1, 1), date(2027, 1, 1), "main", 3650)])
    q1_days = (date(2026, 4, 1) - date(2026, 1, 1)).days  # 90
    assert points(store, catalog, "website_sessions", "2026Q1", "2026") == [
        (pytest.approx(3650 * q1_days / 365), q1_days / 365),
        (3650, None),
    ]


def test_daily_rows_win_over_a_total_of_the_same_days(
    store: Store, catalog: Catalog
) -> None:
    """A GA4 snapshot: sessions per day and by source over the same four days."""
    load(store, "ga4/ga4_reports_snapshot.csv")
    assert store.rows("SELECT count(*) FROM web_traffic") == [(5,)]
    assert points(store, catalog, "website_sessions", "2026-03") == [
        (45 + 52 + 38 + 41, None)
    ]


def test_a_total_counts_for_the_days_no_daily_row_covers(
    store: Store, catalog: Catalog
) -> None:
    load(store, "ga4/ga4_traffic_daily.csv")  # 1 to 7 March
    daily = 23 + 58 + 61 + 49 + 55 + 44 + 18
    insert(store, "web_traffic", [(date(2026, 3, 1), date(2026, 3, 15), "main", 700)])
    # 8 to 14 March: 7 of the total's 14 days, at 700 / 14 a day.
    assert points(store, catalog, "website_sessions", "2026-03") == [
        (daily + 700 * 7 / 14, None)
    ]


def test_of_two_overlapping_weeks_each_day_counts_once(
    store: Store, catalog: Catalog
) -> None:
    """A range 1-7 March and a week 4-10 March: the later week wins 4-7 March."""
    insert(
        store,
        "web_traffic",
        [
            (date(2026, 3, 1), date(2026, 3, 8), "main", 700),
            (date(2026, 3, 4), date(2026, 3, 11), "main", 140),
        ],
    )
    first_kept = 700 * 3 / 7  # 1 to 3 March
    assert points(store, catalog, "website_sessions", "2026-03") == [
        (first_kept + 140, None)  # every kept day lies in March
    ]


def test_sites_are_counted_apart(store: Store, catalog: Catalog) -> None:
    insert(
        store,
        "web_traffic",
        [
            (date(2026, 3, 1), date(2026, 4, 1), "main", 310),
            (date(2026, 3, 1), date(2026, 3, 2), "events", 5),
        ],
    )
    assert points(store, catalog, "website_sessions", "2026-03") == [(315, None)]


def test_a_ratio_over_straddling_rows_pools_the_shares(
    store: Store, catalog: Catalog
) -> None:
    """Engagements over impressions, each prorated the same way."""
    insert(
        store,
        "social_daily",
        [
            (date(2026, 3, 30), date(2026, 4, 6), "linkedin", 7000, 350),
            (date(2026, 3, 1), None, "x", 1000, 20),
        ],
    )
    impressions = 7000 * 2 / 7 + 1000
    engagements = 350 * 2 / 7 + 20
    found = evaluate(store, catalog, [MARCH], ["social_engagement_rate"])
    point = found["social_engagement_rate"][0]
    assert (point.numerator, point.denominator) == (engagements, impressions)
    assert point.value == pytest.approx(engagements / impressions)
    assert point.covered_share == (2 + 1) / (7 + 1)
    assert point.partial


def test_a_kpi_without_period_rows_is_whole(store: Store, catalog: Catalog) -> None:
    load(store, "ga4/ga4_traffic_daily.csv")
    point = evaluate(store, catalog, [MARCH], ["website_sessions"])["website_sessions"][
        0
    ]
    assert (point.covered_share, point.partial) == (None, False)


@pytest.mark.parametrize(
    ("lang", "locale", "text"),
    [("fr", "fr_FR", "partiel (76\u00a0%)"), ("en", "en_GB", "partial (76%)")],
)
def test_a_partial_value_says_the_share_covered(
    lang: str, locale: str, text: str
) -> None:
    point = KpiPoint(MARCH, 521.0, covered_share=16 / 21)
    assert partial_text(point, lang, locale) == text
    assert partial_text(KpiPoint(MARCH, 521.0), lang, locale) is None
    assert partial_text(KpiPoint(MARCH, None, covered_share=0.5), lang, locale) is None
