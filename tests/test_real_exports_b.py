"""Real exports, part B (web, social networks, press): import each, check KPIs by hand."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
import xlrd

from clusterkpi.catalog import Catalog
from clusterkpi.imports.report import ImportReport, TableResult
from clusterkpi.store import Store
from tests.import_helpers import REAL, kpi, load_real

WEB = "day, day_end, site, sessions, users"
SOCIAL = "day, network, new_followers, impressions, engagements, posts"


def refused(tab: TableResult) -> int:
    """Rows refused: all of a table not loaded, else the rows a problem names."""
    if tab.counts is None:
        return tab.rows_read - tab.rows_skipped
    return len({p.line for p in tab.problems if p.line is not None})


def assert_every_row_accounted(report: ImportReport) -> None:
    """read = added + updated + unchanged + refused + skipped, for every table."""
    for tab in report.tables:
        c = tab.counts
        done = (c.added + c.updated + c.unchanged) if c else 0
        assert tab.rows_read == done + refused(tab) + tab.rows_skipped, tab.name


def notes(report: ImportReport) -> list[tuple[str, str | None]]:
    """Every problem and warning of the report: (reason, column)."""
    found = [p for _, p in report.problems] + [
        w for t in report.tables for w in t.warnings
    ]
    return [(p.reason, p.column) for p in found]


def utf16_rows(rel: str, delimiter: str = ",") -> list[list[str]]:
    """The rows of a UTF-16 (BOM) file, as the csv module reads them."""
    text = (REAL / rel).read_bytes().decode("utf-16")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def web(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {WEB} FROM web_traffic ORDER BY day, site")


def social(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {SOCIAL} FROM social_daily ORDER BY day, network")


# --------------------------------------------------------------------------- Matomo


MONTH_EN = "matomo/test_OneVisitorTwoVisits_csv__API.get_month.csv"
# The real English export, and the same export with its header in Matomo's own
# French, Spanish and Italian (lang/*.json): (file, label of 'Visits').
MONTH = [
    (MONTH_EN, "Visits"),
    ("matomo/API.get_month_fr.csv", "Visites"),
    ("matomo/API.get_month_es.csv", "Visitas"),
    ("matomo/API.get_month_it.csv", "Visite"),
]


@pytest.mark.parametrize(("rel", "visits_label"), MONTH)
def test_matomo_api_get_month_stores_the_month(
    store: Store, catalog: Catalog, rel: str, visits_label: str
) -> None:
    english = utf16_rows(MONTH_EN)[0]
    header, row = utf16_rows(rel)
    assert header[english.index("Visits")] == visits_label
    cell = dict(zip(english, row, strict=True))  # same columns, in the same order
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("matomo_visits", 1, 1)
    ]
    assert report.rows_added == 1
    assert_every_row_accounted(report)
    assert cell["Date"] == "2010-03"
    visits, unique = int(cell["Visits"]), int(cell["Unique visitors"])
    assert web(store) == [(date(2010, 3, 1), date(2010, 4, 1), "main", visits, unique)]
    assert kpi(store, catalog, "website_sessions", "2010-03") == visits
    assert kpi(store, catalog, "website_sessions", "2010Q1") == visits


def test_matomo_week_export_keeps_the_week_range(
    store: Store, catalog: Catalog
) -> None:
    rel = "matomo/test_csvExport_multi__VisitsSummary.get_week.csv"
    header, row = utf16_rows(rel)
    cell = dict(zip(header, row, strict=True))
    first, last = (date.fromisoformat(d) for d in cell["date"].split(","))
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("matomo_visits", 1, 1)
    ]
    assert_every_row_accounted(report)
    visits, unique = int(cell["nb_visits"]), int(cell["nb_uniq_visitors"])
    assert web(store) == [(first, last + timedelta(days=1), "main", visits, unique)]


def test_matomo_german_day_export_without_date_is_refused_clearly(
    store: Store, catalog: Catalog
) -> None:
    rel = "matomo/test_csvExport_xp1_inner1_trans-de__VisitsSummary.get_day.csv"
    header, _ = utf16_rows(rel)
    assert "Besuche" in header and "Datum" not in header
    report = load_real(store, rel)
    # Recognised as Matomo from its German labels, refused because no row carries a day.
    assert report.status == "rejected"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("matomo_visits", 1, 0)
    ]
    assert [p.reason for _, p in report.problems] == ["missing_columns"]
    assert_every_row_accounted(report)
    assert web(store) == []
    assert kpi(store, catalog, "website_sessions", "2026-03") is None


def scheduled_blocks(text: str) -> list[list[str]]:
    """The blocks of a Matomo scheduled report: title, header, rows."""
    return [b.split("\n") for b in text.split("\n\n") if b.strip()]


JAN_2010 = "Site 1 - January 2010 - Mail Test report"
SCHEDULED = [
    (f"{JAN_2010}.csv", ",", date(2010, 1, 1), date(2010, 2, 1), "2010-01"),
    (f"{JAN_2010}.tsv", "\t", date(2010, 1, 1), date(2010, 2, 1), "2010-01"),
    (
        "Piwik test - week April 4 – 10, 2011 - Mail Test report.csv",
        ",",
        date(2011, 4, 4),
        date(2011, 4, 11),
        "2011-04",
    ),
]


@pytest.mark.parametrize(("name", "sep", "start", "end", "month"), SCHEDULED)
def test_matomo_scheduled_report_loads_its_visits_summary(
    store: Store,
    catalog: Catalog,
    name: str,
    sep: str,
    start: date,
    end: date,
    month: str,
) -> None:
    text = (REAL / "matomo" / name).read_text(encoding="utf-8")
    blocks = scheduled_blocks(text)
    with_rows = [b for b in blocks if len(b) > 2]
    summary = next(b for b in blocks if b[0] == "Visits Summary")
    cell = dict(zip(summary[1].split(sep), summary[2].split(sep), strict=True))
    report = load_real(store, f"matomo/{name}", load_valid_rows=True)
    assert report.status == "loaded"
    assert_every_row_accounted(report)
    tables = [t for t in report.tables if t.rows_read]
    # One table per block that has rows, each with its own row count.
    assert [t.rows_read for t in tables] == [len(b) - 2 for b in with_rows]
    for tab in tables:  # loaded, or refused with its own reason; never called empty
        # loaded, refused, or left out with its reason (a breakdown no KPI reads)
        assert tab.counts is not None or tab.problems or tab.warnings, tab.name
        assert "no_data" not in [p.reason for p in tab.problems], tab.name
    visits, unique = int(cell["nb_visits"]), int(cell["nb_uniq_visitors"])
    assert web(store) == [(start, end, "main", visits, unique)]
    assert kpi(store, catalog, "website_sessions", month) == visits


# --------------------------------------------------------------------------- GA4


def ga4_table(rel: str) -> pd.DataFrame:
    """The first table of a GA4 report CSV, below its '#' preamble."""
    lines = (REAL / rel).read_text(encoding="utf-8").splitlines()
    body = [x for x in lines if not x.startswith("#")]
    block = body[: body.index("")] if "" in body else body
    return pd.read_csv(io.StringIO("\n".join(block)), dtype=str)


def test_ga4_date_hour_report_adds_up_to_days(store: Store, catalog: Catalog) -> None:
    rel = "ga4/Traffic_acquisition_Date_hour.csv"
    table = ga4_table(rel)
    table["day"] = pd.to_datetime(table["Date + hour (YYYYMMDDHH)"].str[:8]).dt.date
    table["Sessions"] = table["Sessions"].astype(int)
    per_day = table.groupby("day")["Sessions"].sum()
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.rows_read, t.rows_valid) for t in report.tables] == [(len(table),) * 2]
    assert report.rows_added == len(per_day)
    assert_every_row_accounted(report)
    # One row per day: the hours and channels of a day add up.
    assert store.rows(
        "SELECT day, day_end, site, sessions FROM web_traffic ORDER BY day"
    ) == [(d, d + timedelta(days=1), "main", int(s)) for d, s in per_day.items()]
    assert kpi(store, catalog, "website_sessions", "2026-03") == table["Sessions"].sum()


def ga4_blocks(rel: str) -> list[list[str]]:
    """The tables of a GA4 report: header and rows, '#' lines left out."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*(REAL / rel).read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


SNAPSHOTS = [
    ("ga4/Reports_snapshot.csv", date(2026, 2, 1), date(2026, 3, 1), "2026-02"),
    ("ga4/Reports_snapshot_2025.csv", date(2025, 1, 1), date(2026, 1, 1), "2025"),
]
CHANNEL_SESSIONS = "Session primary channel group (Default Channel Group),Sessions"


@pytest.mark.parametrize(("rel", "start", "end", "period"), SNAPSHOTS)
def test_ga4_reports_snapshot_loads_the_sessions_of_its_range(
    store: Store, catalog: Catalog, rel: str, start: date, end: date, period: str
) -> None:
    blocks = ga4_blocks(rel)
    channel = next(b for b in blocks if b[0] == CHANNEL_SESSIONS)
    sessions = sum(int(x.rsplit(",", 1)[1]) for x in channel[1:])
    report = load_real(store, rel, load_valid_rows=True)
    assert report.status == "loaded"
    assert_every_row_accounted(report)
    # Every block with rows is a table of its own: loaded, or refused with its own
    # reason; none is called empty.
    tables = [t for t in report.tables if t.rows_read]
    assert [t.rows_read for t in tables] == [len(b) - 1 for b in blocks if len(b) > 1]
    for tab in tables:
        # loaded, refused, or left out with its reason (a breakdown no KPI reads)
        assert tab.counts is not None or tab.problems or tab.warnings, tab.name
        assert "no_data" not in [p.reason for p in tab.problems], tab.name
    # The channel table totals the report's range (# Start date … # End date).
    assert store.rows("SELECT day, day_end, site, sessions FROM web_traffic") == [
        (start, end, "main", sessions)
    ]
    assert kpi(store, catalog, "website_sessions", period) == sessions


# --------------------------------------------------------------------------- X


def tweets(rel: str) -> pd.DataFrame:
    frame = pd.read_csv(REAL / rel, dtype=str, keep_default_na=False)
    frame["day"] = frame["time"].str[:10].map(date.fromisoformat)  # UTC day
    for col in ("impressions", "engagements"):
        frame[col] = frame[col].astype(float).astype(int)
    return frame


TWEETS = [
    ("x/tweet_activity_metrics_ClusterDemo_20190101_20190201_en.csv", "2019-01", False),
    ("x/tweet_activity_metrics_resaved.csv", "2016", True),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "month", "damaged"), TWEETS)
def test_x_tweet_activity_counts_every_tweet(
    store: Store, catalog: Catalog, rel: str, month: str, damaged: bool
) -> None:
    frame = tweets(rel)
    # Re-saved by Excel: 103 tweets, ids collapsed to two values (6.49E+17, 6.54E+17).
    assert (frame["Tweet id"].nunique() == 2) is damaged
    per_day = frame.groupby("day").agg(
        posts=("Tweet id", "size"),
        impressions=("impressions", "sum"),
        engagements=("engagements", "sum"),
    )
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("x_tweet_activity", len(frame), len(frame))
    ]
    assert report.rows_added == len(per_day)
    assert_every_row_accounted(report)
    # The report names the damaged column (and keeps every tweet, see posts below).
    assert notes(report) == ([("damaged_key", "Tweet id")] if damaged else [])
    assert social(store) == [
        (d, "x", None, int(r.impressions), int(r.engagements), int(r.posts))
        for d, r in per_day.iterrows()
    ]
    assert store.scalar("SELECT sum(posts) FROM social_daily") == len(frame)
    inside = frame[frame["day"].map(lambda d: d.isoformat().startswith(month))]
    rate = inside["engagements"].sum() / inside["impressions"].sum()
    assert kpi(store, catalog, "social_engagement_rate", month) == pytest.approx(rate)
    # A tweet export says nothing of followers: no data, not 0.
    assert kpi(store, catalog, "social_new_followers", month) is None


# --------------------------------------------------------------------------- LinkedIn


def test_linkedin_followers_workbook_feeds_new_followers_only(
    store: Store, catalog: Catalog
) -> None:
    rel = "linkedin/clusterdemo_followers_1767225600.xls"
    book = xlrd.open_workbook(REAL / rel)  # the old binary .xls LinkedIn writes
    sheets = {
        sh.name: pd.DataFrame(
            [sh.row_values(i) for i in range(1, sh.nrows)], columns=sh.row_values(0)
        )
        for sh in book.sheets()
    }
    daily = sheets["New followers"]
    daily["day"] = pd.to_datetime(daily["Date"], format="%m/%d/%Y").dt.date
    daily["new"] = daily["Total followers"].astype(int)  # the day's new followers
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables][0] == (
        "linkedin_followers",
        len(daily),
        len(daily),
    )
    # The five demographic sheets are read, left out on purpose, and said so.
    assert [(t.rows_read, t.rows_skipped) for t in report.tables[1:]] == [
        (len(frame), len(frame))
        for name, frame in sheets.items()
        if name != "New followers"
    ]
    assert report.rows_added == len(daily)
    assert_every_row_accounted(report)
    assert social(store) == [
        (d, "linkedin", n, None, None, None)
        for d, n in zip(daily["day"], daily["new"], strict=True)
    ]
    november = daily[daily["day"].map(lambda d: d.month == 11)]["new"].sum()
    assert kpi(store, catalog, "social_new_followers", "2025-11") == november
    assert kpi(store, catalog, "social_new_followers", "2025Q4") == daily["new"].sum()
    # A followers export says nothing of impressions: no engagement rate, not 0.
    assert kpi(store, catalog, "social_engagement_rate", "2025-11") is None


# --------------------------------------------------------------------------- Meta


def meta_series(rel: str) -> list[tuple[date, int]]:
    rows = utf16_rows(rel)
    assert rows[0] == ["sep=", ""] and rows[2] == ["Date", "Primary"]
    return [(date.fromisoformat(d[:10]), int(v)) for d, v in rows[3:]]


def test_meta_views_fill_impressions_only(store: Store, catalog: Catalog) -> None:
    series = meta_series("meta/Views.csv")
    report = load_real(store, "meta/Views.csv")
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("meta_insights", len(series), len(series))
    ]
    assert report.rows_added == len(series)
    assert_every_row_accounted(report)
    assert social(store) == [(d, "facebook", None, v, None, None) for d, v in series]
    # Views feed impressions: engagements and new followers stay 'no data'.
    assert kpi(store, catalog, "social_engagement_rate", "2026-01") is None
    assert kpi(store, catalog, "social_new_followers", "2026-01") is None


def test_meta_instagram_follows_sum_over_the_month(
    store: Store, catalog: Catalog
) -> None:
    series = meta_series("meta/Instagram_follows.csv")
    report = load_real(store, "meta/Instagram_follows.csv")
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("meta_insights", len(series), len(series))
    ]
    assert_every_row_accounted(report)
    assert social(store) == [(d, "instagram", v, None, None, None) for d, v in series]
    total = sum(v for _, v in series)
    assert kpi(store, catalog, "social_new_followers", "2026-01") == total
    assert kpi(store, catalog, "social_engagement_rate", "2026-01") is None


def test_meta_posts_resaved_with_damaged_ids_keep_every_post(
    store: Store, catalog: Catalog
) -> None:
    rel = "meta/Feb-01-2026_Feb-07-2026_posts_resaved.csv"
    frame = pd.read_csv(REAL / rel, dtype=str, encoding="utf-8-sig")
    assert frame["Post ID"].nunique() == 1  # every id reads 1.22158E+17
    frame["day"] = pd.to_datetime(
        frame["Publish time"], format="%m/%d/%Y %H:%M"
    ).dt.date
    frame["eng"] = sum(
        frame[c].astype(int) for c in ("Reactions", "Comments", "Shares")
    )
    per_day = frame.groupby("day").agg(posts=("eng", "size"), eng=("eng", "sum"))
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("meta_posts", len(frame), len(frame))
    ]
    assert report.rows_added == len(per_day)
    assert_every_row_accounted(report)
    assert notes(report) == [("damaged_key", "Post ID")]
    assert social(store) == [
        (d, "facebook", None, None, int(r.eng), int(r.posts))
        for d, r in per_day.iterrows()
    ]
    assert store.scalar("SELECT sum(posts) FROM social_daily") == len(frame)
    assert kpi(store, catalog, "social_new_followers", "2026-02") is None


# --------------------------------------------------------------------------- Meltwater


def test_meltwater_utf16_tab_export_counts_mentions_and_tone(
    store: Store, catalog: Catalog
) -> None:
    rel = "meltwater/Cluster_Demo_-_Nov_3_2025_-_Nov_30_2025.csv"
    header, *rows = utf16_rows(rel, "\t")
    cells = [dict(zip(header, r, strict=True)) for r in rows]
    report = load_real(store, rel)
    assert report.status == "loaded"
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("meltwater", len(cells), len(cells))
    ]
    assert report.rows_added == len(cells)
    assert_every_row_accounted(report)
    tones = {"Positive": "positive", "Neutral": "neutral", "Negative": "negative"}
    expected = sorted(
        (
            c["Document ID"],
            datetime.strptime(c["Date"], "%d-%b-%Y").date(),
            c["Source Name"],
            tones.get(c["Sentiment"]),
            int(c["Reach"]) if c["Reach"] else None,
        )
        for c in cells
    )
    assert (
        store.rows(
            "SELECT mention_id, published_on, outlet, tone, reach FROM press_mentions"
            " ORDER BY mention_id"
        )
        == expected
    )
    by_month: dict[str, int] = Counter(d.strftime("%Y-%m") for _, d, *_ in expected)
    assert kpi(store, catalog, "press_mentions", "2025-11") == by_month["2025-11"]
    rated: dict[str, int] = defaultdict(int)
    for _, d, _, tone, _ in expected:
        if tone and d.strftime("%Y-%m") == "2025-11":
            rated[tone] += 1
    share = rated["positive"] / sum(rated.values())
    assert kpi(store, catalog, "positive_coverage_share", "2025-11") == pytest.approx(
        share
    )
