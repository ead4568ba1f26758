"""LinkedIn, X and Meta exports, as the tools write them, imported into social_daily."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.adapters.social import meta_metric
from clusterkpi.imports.reading import RawTable
from clusterkpi.imports.report import ImportReport, Problem
from clusterkpi.store import Store
from tests.import_helpers import assert_second_import_adds_nothing, kpi, load, snapshot

COLUMNS = "day, network, followers, new_followers, impressions, engagements, posts, page_views"
FOLLOWERS = "linkedin/clusterkpi_followers_1775260800.xls"
DEMOGRAPHICS = ("Location", "Job function", "Seniority", "Industry", "Company size")


def social(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {COLUMNS} FROM social_daily ORDER BY day, network")


def tables(report: ImportReport) -> list[tuple]:
    return [
        (t.name, t.source, t.dataset, t.rows_read, t.rows_valid) for t in report.tables
    ]


def d(month: int, day: int) -> date:
    return date(2026, month, day)


# --------------------------------------------------------------------------- LinkedIn
def test_linkedin_followers_load_new_followers_and_skip_demographics(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, FOLLOWERS)
    assert (report.status, report.rows_added, report.rows_rejected) == ("loaded", 7, 0)
    name = "clusterkpi_followers_1775260800.xls › "
    slugs = ("location", "job_function", "seniority", "industry", "company_size")
    assert tables(report) == [
        (name + "New followers", "linkedin_followers", "social_daily", 7, 7),
        *[
            (name + sheet, f"linkedin_{slug}_followers", None, 3, 3)
            for sheet, slug in zip(DEMOGRAPHICS, slugs, strict=True)
        ],
    ]
    assert social(store) == [
        (d(3, 28), "linkedin", None, 5, None, None, None, None),
        (d(3, 29), "linkedin", None, 2, None, None, None, None),
        (d(3, 30), "linkedin", None, 7, None, None, None, None),
        (d(3, 31), "linkedin", None, 5, None, None, None, None),
        (d(4, 1), "linkedin", None, 8, None, None, None, None),
        (d(4, 2), "linkedin", None, 3, None, None, None, None),
        (d(4, 3), "linkedin", None, 0, None, None, None, None),
    ]
    assert kpi(store, catalog, "social_new_followers", "2026-03") == 5 + 2 + 7 + 5
    assert kpi(store, catalog, "social_followers", "2026-03") is None


def test_a_newer_linkedin_followers_export_updates_days_by_key(
    store: Store, catalog: Catalog
) -> None:
    load(store, FOLLOWERS)
    report = load(store, "linkedin/clusterkpi_followers_1775520000.xls")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 3, 2)
    assert report.tables[0].counts.unchanged == 2
    assert [(r[0], r[3]) for r in social(store)] == [
        (d(3, 28), 5), (d(3, 29), 2), (d(3, 30), 7), (d(3, 31), 6), (d(4, 1), 9),
        (d(4, 2), 3), (d(4, 3), 0), (d(4, 4), 4), (d(4, 5), 1), (d(4, 6), 2),
    ]  # fmt: skip
    assert kpi(store, catalog, "social_new_followers", "2026-03") == 5 + 2 + 7 + 6
    assert (
        kpi(store, catalog, "social_new_followers", "2026-04") == 9 + 3 + 0 + 4 + 1 + 2
    )


def test_linkedin_visitors_fill_page_views_of_the_followers_rows(
    store: Store, catalog: Catalog
) -> None:
    load(store, FOLLOWERS)
    report = load(store, "linkedin/clusterkpi_visitors_1775260800.xls")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 0, 7)
    assert [t[1:] for t in tables(report)][0] == (
        "linkedin_visitors",
        "social_daily",
        7,
        7,
    )
    assert [t[2] for t in tables(report)[1:]] == [None] * 5
    assert social(store) == [
        (d(3, 28), "linkedin", None, 5, None, None, None, 12 + 9 + 2 + 1 + 3 + 0),
        (d(3, 29), "linkedin", None, 2, None, None, None, 7 + 6 + 0 + 1 + 1 + 0),
        (d(3, 30), "linkedin", None, 7, None, None, None, 21 + 15 + 3 + 2 + 4 + 1),
        (d(3, 31), "linkedin", None, 5, None, None, None, 14 + 11 + 1 + 0 + 2 + 1),
        (d(4, 1), "linkedin", None, 8, None, None, None, 18 + 12 + 2 + 2 + 3 + 2),
        (d(4, 2), "linkedin", None, 3, None, None, None, 16 + 10 + 1 + 1 + 2 + 0),
        (d(4, 3), "linkedin", None, 0, None, None, None, 5 + 4 + 0 + 0 + 1 + 0),
    ]
    # No KPI reads page views; the merge keeps the new followers the KPI reads.
    assert kpi(store, catalog, "social_new_followers", "2026-03") == 19


def test_linkedin_content_metrics_give_impressions_and_engagements(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "linkedin/clusterkpi_content_1775260800.xls")
    assert (report.status, report.rows_added) == ("loaded", 7)
    assert tables(report) == [
        ("clusterkpi_content_1775260800.xls › Metrics", "linkedin_content", "social_daily",
         7, 7),
        ("clusterkpi_content_1775260800.xls › All posts", "linkedin_posts", None, 3, 3),
    ]  # fmt: skip
    # engagements = clicks + reactions + comments + reposts (totals)
    assert social(store) == [
        (d(3, 28), "linkedin", None, None, 410, 9 + 14 + 2 + 1, None, None),
        (d(3, 29), "linkedin", None, None, 220, 4 + 6, None, None),
        (d(3, 30), "linkedin", None, None, 1480, 38 + 40 + 6 + 3, None, None),
        (d(3, 31), "linkedin", None, None, 640, 18 + 22 + 3 + 2, None, None),
        (d(4, 1), "linkedin", None, None, 1200, 35 + 51 + 9 + 4, None, None),
        (d(4, 2), "linkedin", None, None, 530, 12 + 15 + 1 + 1, None, None),
        (d(4, 3), "linkedin", None, None, 150, 2 + 3, None, None),
    ]
    rate = kpi(store, catalog, "social_engagement_rate", "2026-03")
    assert rate == pytest.approx((26 + 10 + 87 + 45) / (410 + 220 + 1480 + 640))


# --------------------------------------------------------------------------- X
def test_the_x_account_overview_loads_one_row_per_day(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "x/account_overview_analytics.csv")
    assert (report.status, report.rows_added) == ("loaded", 7)
    assert [t[1:] for t in tables(report)] == [("x_overview", "social_daily", 7, 7)]
    assert social(store) == [
        (d(6, 1), "x", None, 5, 1760, 73, None, None),
        (d(6, 2), "x", None, 0, 905, 35, None, None),
        (d(6, 3), "x", None, 4, 1502, 64, None, None),
        (d(6, 4), "x", None, 3, 1234, 57, None, None),
        (d(6, 5), "x", None, 6, 2480, 118, None, None),
        (d(6, 6), "x", None, 1, 640, 22, None, None),
        (d(6, 7), "x", None, 2, 812, 31, None, None),
    ]
    assert kpi(store, catalog, "social_new_followers", "2026-06") == 21
    rate = kpi(store, catalog, "social_engagement_rate", "2026-06")
    assert rate == pytest.approx(400 / 9333)


def test_a_newer_x_overview_updates_days_by_key(store: Store, catalog: Catalog) -> None:
    load(store, "x/account_overview_analytics.csv")
    report = load(store, "x/account_overview_analytics_newer.csv")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 2, 1)
    assert report.tables[0].counts.unchanged == 1
    assert social(store)[5:] == [
        (d(6, 6), "x", None, 1, 640, 22, None, None),
        (d(6, 7), "x", None, 2, 830, 33, None, None),
        (d(6, 8), "x", None, 2, 1100, 45, None, None),
        (d(6, 9), "x", None, 3, 990, 40, None, None),
    ]
    assert kpi(store, catalog, "social_new_followers", "2026-06") == 21 + 2 + 3


def test_the_x_content_export_counts_posts_and_sums_them_per_day(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "x/account_analytics_content_2026-06-08_2026-06-12.csv")
    assert (report.status, report.rows_added) == ("loaded", 4)
    assert [t[1:] for t in tables(report)] == [("x_content", "social_daily", 5, 5)]
    assert social(store) == [
        (d(6, 8), "x", None, None, 1265, 52, 1, None),
        (d(6, 9), "x", None, None, 1, 0, 1, None),
        (d(6, 11), "x", None, None, 2210 + 940, 131 + 38, 2, None),
        (d(6, 12), "x", None, None, 1830, 96, 1, None),
    ]
    rate = kpi(store, catalog, "social_engagement_rate", "2026-06")
    assert rate == pytest.approx((52 + 0 + 169 + 96) / (1265 + 1 + 3150 + 1830))


def test_the_legacy_tweet_activity_export_counts_tweets_per_utc_day(
    store: Store, catalog: Catalog
) -> None:
    report = load(
        store, "x/tweet_activity_metrics_ClusterNumOcc_20260801_20260829_en.csv"
    )
    assert (report.status, report.rows_added) == ("loaded", 3)
    assert social(store) == [
        (d(8, 14), "x", None, None, 412, 15, 1, None),
        (d(8, 15), "x", None, None, 1503 + 233, 61 + 7, 2, None),
        (d(8, 17), "x", None, None, 871, 33, 1, None),
    ]
    rate = kpi(store, catalog, "social_engagement_rate", "2026-08")
    assert rate == pytest.approx((15 + 68 + 33) / (412 + 1736 + 871))


# --------------------------------------------------------------------------- Meta
def test_two_meta_insight_files_fill_two_columns_of_the_same_rows(
    store: Store, catalog: Catalog
) -> None:
    follows = load(store, "meta/Facebook_follows.csv")
    views = load(store, "meta/Views.csv")
    assert (follows.status, follows.rows_added, follows.rows_updated) == (
        "loaded",
        6,
        0,
    )
    assert (views.status, views.rows_added, views.rows_updated) == ("loaded", 1, 6)
    assert [t.source for t in (*follows.tables, *views.tables)] == ["meta_insights"] * 2
    assert social(store) == [
        (d(2, 1), "facebook", None, 3, 820, None, None, None),
        (d(2, 2), "facebook", None, 1, 640, None, None, None),
        (d(2, 3), "facebook", None, 4, 1150, None, None, None),
        (d(2, 4), "facebook", None, None, 410, None, None, None),
        (d(2, 5), "facebook", None, 2, 2300, None, None, None),
        (d(2, 6), "facebook", None, 5, 1975, None, None, None),
        (d(2, 7), "facebook", None, 1, 530, None, None, None),
    ]
    assert (
        kpi(store, catalog, "social_new_followers", "2026-02") == 3 + 1 + 4 + 2 + 5 + 1
    )
    interactions = load(store, "meta/Content_interactions.csv")
    assert (interactions.rows_added, interactions.rows_updated) == (0, 6)
    assert [r[5] for r in social(store)] == [21, 12, 48, None, 96, 77, 9]
    rate = kpi(store, catalog, "social_engagement_rate", "2026-02")
    assert rate == pytest.approx((21 + 12 + 48 + 96 + 77 + 9) / 7825)


def test_an_instagram_title_loads_the_instagram_network(
    store: Store, catalog: Catalog
) -> None:
    load(store, "meta/Facebook_follows.csv")
    report = load(store, "meta/Instagram_follows.csv")
    assert (report.status, report.rows_added) == ("loaded", 4)
    assert [r for r in social(store) if r[1] == "instagram"] == [
        (d(2, 1), "instagram", None, 7, None, None, None, None),
        (d(2, 2), "instagram", None, 2, None, None, None, None),
        (d(2, 4), "instagram", None, 5, None, None, None, None),
        (d(2, 6), "instagram", None, 11, None, None, None, None),
    ]
    assert kpi(store, catalog, "social_new_followers", "2026-02") == 16 + 7 + 2 + 5 + 11


def test_a_newer_meta_file_updates_its_column_and_keeps_the_others(
    store: Store, catalog: Catalog
) -> None:
    load(store, "meta/Facebook_follows.csv")
    load(store, "meta/Views.csv")
    report = load(store, "meta/Facebook_follows_newer.csv")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 3, 1)
    assert report.tables[0].counts.unchanged == 1
    assert social(store)[5:] == [
        (d(2, 6), "facebook", None, 6, 1975, None, None, None),
        (d(2, 7), "facebook", None, 1, 530, None, None, None),
        (d(2, 8), "facebook", None, 2, None, None, None, None),
        (d(2, 9), "facebook", None, 3, None, None, None, None),
        (d(2, 10), "facebook", None, 1, None, None, None, None),
    ]
    assert (
        kpi(store, catalog, "social_new_followers", "2026-02")
        == 3 + 1 + 4 + 2 + 6 + 1 + 6
    )


def test_the_meta_post_export_counts_posts_and_engagements_per_day(
    store: Store, catalog: Catalog
) -> None:
    load(store, "meta/Views.csv")
    report = load(store, "meta/Feb-01-2026_Feb-07-2026_posts.csv")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 0, 3)
    assert [t.source for t in report.tables] == ["meta_posts"]
    # engagements = reactions + comments + shares
    assert [r for r in social(store) if r[6] is not None] == [
        (d(2, 2), "facebook", None, None, 640, 52 + 9 + 6, 1, None),
        (d(2, 3), "facebook", None, None, 1150, 1250 + 31 + 18 + 22 + 4 + 2, 2, None),
        (d(2, 6), "facebook", None, None, 1975, 75 + 12 + 20, 1, None),
    ]
    rate = kpi(store, catalog, "social_engagement_rate", "2026-02")
    assert rate == pytest.approx((67 + 1327 + 107) / 7825)


# --------------------------------------------------------------------------- all
@pytest.mark.parametrize(
    "path",
    [
        FOLLOWERS,
        "linkedin/clusterkpi_visitors_1775260800.xls",
        "linkedin/clusterkpi_content_1775260800.xls",
        "x/account_overview_analytics.csv",
        "x/account_analytics_content_2026-06-08_2026-06-12.csv",
        "x/tweet_activity_metrics_ClusterNumOcc_20260801_20260829_en.csv",
        "meta/Facebook_follows.csv",
        "meta/Feb-01-2026_Feb-07-2026_posts.csv",
    ],
)
def test_the_same_export_twice_adds_nothing(store: Store, path: str) -> None:
    assert_second_import_adds_nothing(store, path)


@pytest.mark.parametrize(
    ("path", "status", "problems"),
    [
        (
            "linkedin/bad_negative_page_views_visitors_1775260800.xls",
            "rejected",
            [Problem("below_min", 4, "Total page views (total)", "-3")],
        ),
        (
            "x/bad_negative_impressions.csv",
            "rejected",
            [Problem("below_min", 4, "Impressions", "-120")],
        ),
        (
            "meta/bad_unknown_metric_Facebook_visits.csv",
            "unrecognised",
            [
                Problem(
                    "unrecognised",
                    params={"name": "bad_unknown_metric_Facebook_visits.csv"},
                )
            ],
        ),
    ],
)
def test_a_defective_export_is_explained_and_changes_nothing(
    store: Store, path: str, status: str, problems: list[Problem]
) -> None:
    load(store, FOLLOWERS)
    before = snapshot(store)
    report = load(store, path)
    assert report.status == status
    assert [p for _, p in report.problems] == problems
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("title", "name", "found"),
    [
        (
            "Facebook follows",
            "f.csv",
            {"metric": "new_followers", "network": "facebook"},
        ),
        (
            "Instagram follows",
            "f.csv",
            {"metric": "new_followers", "network": "instagram"},
        ),
        (
            "Views",
            "Instagram_views.csv",
            {"metric": "impressions", "network": "instagram"},
        ),
        ("Reach", "export.csv", {"metric": "impressions", "network": "facebook"}),
        (
            "Content interactions",
            "c.csv",
            {"metric": "engagements", "network": "facebook"},
        ),
        ("Facebook visits", "v.csv", {}),
    ],
)
def test_the_meta_title_decides_the_network_and_the_column(
    title: str, name: str, found: dict[str, str]
) -> None:
    table = RawTable(
        name, ("Date", "Primary"), [], [], ("sep=,", title), title, "", ","
    )
    assert meta_metric(table) == found
