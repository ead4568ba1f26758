"""Social-network exports (LinkedIn, X, Meta) → social_daily, one row per day and network."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clusterkpi.imports.fields import Adapter, FieldMap, Kind, normalize

if TYPE_CHECKING:
    from clusterkpi.imports.reading import RawTable

F = FieldMap


def count(target: str, *columns: str, required: bool = False) -> FieldMap:
    """Return a field reading a count (never negative; ',' only separates thousands)."""
    return F(target, columns, Kind.INTEGER, required=required, minimum=0, decimal=".")


def network(name: str) -> FieldMap:
    """Return the field that sets the network of every row."""
    return F("network", (), default=name)


# --------------------------------------------------------------------------- LinkedIn
LINKEDIN_DAY = F("day", ("Date",), Kind.DATE, required=True, formats=("%m/%d/%Y",))

LINKEDIN_FOLLOWERS = Adapter(
    name="linkedin_followers",
    label="LinkedIn — nouveaux abonnés / new followers",
    dataset="social_daily",
    signature=("Date", "Organic followers", "Total followers"),
    # 'Total followers' is the day's new followers (all types), not the follower count.
    fields=(
        LINKEDIN_DAY,
        network("linkedin"),
        count("new_followers", "Total followers", required=True),
    ),
)

LINKEDIN_VISITORS = Adapter(
    name="linkedin_visitors",
    label="LinkedIn — visiteurs / visitors",
    dataset="social_daily",
    signature=("Date", "Total page views (total)", "Total unique visitors (total)"),
    fields=(
        LINKEDIN_DAY,
        network("linkedin"),
        count("page_views", "Total page views (total)", required=True),
    ),
)

LINKEDIN_CONTENT = Adapter(
    name="linkedin_content",
    label="LinkedIn — statistiques des posts / content metrics",
    dataset="social_daily",
    signature=("Date", "Impressions (total)", "Clicks (total)"),
    fields=(
        LINKEDIN_DAY,
        network("linkedin"),
        count("impressions", "Impressions (total)", required=True),
        count("clicks", "Clicks (total)"),
        count("reactions", "Reactions (total)"),
        count("comments", "Comments (total)"),
        count("reposts", "Reposts (total)", "Shares (total)"),
    ),
    post="""SELECT day, network, impressions,
            list_sum([clicks, reactions, comments, reposts]) AS engagements
        FROM {parsed}
        QUALIFY row_number() OVER (PARTITION BY day, network ORDER BY _line DESC) = 1""",
)

# Recognised so that the whole workbook loads, but nothing in them is loaded: the
# posts sheet would write the rows the Metrics sheet wrote in the same import, and
# the demographic sheets are snapshots without a date.
LINKEDIN_SKIPPED = (
    Adapter(
        name="linkedin_posts",
        label="LinkedIn — liste des posts (ignorée) / all posts (skipped)",
        dataset=None,
        signature=("Post title", "Post link", "Created date"),
        fields=(),
    ),
    *(
        Adapter(
            name=f"linkedin_{normalize(dimension).replace(' ', '_')}_{suffix}",
            label=f"LinkedIn — {dimension}, ignoré / {dimension}, skipped",
            dataset=None,
            signature=(dimension, value),
            fields=(),
        )
        for dimension in (
            "Location",
            "Job function",
            "Seniority",
            "Industry",
            "Company size",
        )
        for value, suffix in (
            ("Total followers", "followers"),
            ("Total views", "views"),
        )
    ),
)

# --------------------------------------------------------------------------- X
X_DAY = ("%a, %b %d, %Y",)  # "Fri, Jun 5, 2026"
# One row per post → posts, impressions and engagements per day.
PER_POST = """SELECT day, network, count(*) AS posts, sum(impressions) AS impressions,
            sum(engagements) AS engagements
        FROM (SELECT * FROM {parsed}
              QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY _line DESC) = 1)
        GROUP BY day, network"""

X_OVERVIEW = Adapter(
    name="x_overview",
    label="X — vue d'ensemble du compte / account overview",
    dataset="social_daily",
    signature=("Date", "Impressions", "Engagements", "New follows", "Unfollows"),
    fields=(
        F("day", ("Date",), Kind.DATE, required=True, formats=X_DAY),
        network("x"),
        count("new_followers", "New follows"),
        count("impressions", "Impressions"),
        count("engagements", "Engagements"),
    ),
)

X_CONTENT = Adapter(
    name="x_content",
    label="X — statistiques des posts / content",
    dataset="social_daily",
    signature=("Post id", "Date", "Impressions", "Engagements"),
    row_id="post_id",
    fields=(
        F("post_id", ("Post id",), required=True),
        F("day", ("Date",), Kind.DATE, required=True, formats=X_DAY),
        network("x"),
        count("impressions", "Impressions"),
        count("engagements", "Engagements"),
    ),
    post=PER_POST,
)

X_TWEET_ACTIVITY = Adapter(
    name="x_tweet_activity",
    label="X (Twitter) — activité des tweets, ancien export / Tweet activity, legacy",
    dataset="social_daily",
    signature=("Tweet id", "time", "impressions", "engagements"),
    row_id="post_id",
    fields=(
        F("post_id", ("Tweet id",), required=True),
        # Legacy exports give UTC times: '2026-08-15 12:00 +0000'.
        F(
            "day",
            ("time",),
            Kind.DATE,
            required=True,
            formats=("%Y-%m-%d %H:%M +0000",),
        ),
        network("x"),
        count("impressions", "impressions"),
        count("engagements", "engagements"),
    ),
    post=PER_POST,
)

# The legacy "by day" download of the same analytics page: one row per day, with
# the number of tweets published that day; the follows column counts follows from
# tweets, not the account's new followers, so it is not read.
X_DAILY_ACTIVITY = Adapter(
    name="x_daily_activity",
    label="X (Twitter) — activité par jour, ancien export / daily activity, legacy",
    dataset="social_daily",
    signature=("Date", "Tweets published", "impressions", "engagements"),
    fields=(
        F("day", ("Date",), Kind.DATE, required=True, formats=("%Y-%m-%d",)),
        network("x"),
        count("posts", "Tweets published"),
        count("impressions", "impressions"),
        count("engagements", "engagements"),
    ),
)

# --------------------------------------------------------------------------- Meta
# Title of a Meta Business Suite insights file → the column its 'Primary' values
# fill. French titles are guesses.
META_METRICS = {
    "Facebook follows": "new_followers", "Instagram follows": "new_followers",
    "Abonnements Facebook": "new_followers", "Abonnements Instagram": "new_followers",
    "Views": "impressions", "Facebook views": "impressions", "Instagram views": "impressions",
    "Vues": "impressions", "Reach": "impressions", "Facebook reach": "impressions",
    "Instagram reach": "impressions", "Couverture": "impressions",
    "Content interactions": "engagements", "Interactions avec le contenu": "engagements",
}  # fmt: skip


def meta_metric(table: RawTable) -> dict[str, str]:
    """Return the network and the column a Meta insights file fills, from its title.

    A title without the network's name ('Views') is Facebook's unless the file name
    says Instagram.
    """
    titles = {normalize(k): v for k, v in META_METRICS.items()}
    metric = titles.get(normalize(table.title or ""))
    if metric is None:
        return {}
    named = normalize(f"{table.title} {table.name}")
    return {
        "metric": metric,
        "network": "instagram" if "instagram" in named else "facebook",
    }


META_INSIGHTS = Adapter(
    name="meta_insights",
    label="Meta Business Suite — statistiques par indicateur / insights per metric",
    dataset="social_daily",
    signature=("Date", "Primary"),
    marks=tuple(META_METRICS),
    extra=meta_metric,
    fields=(
        F("day", ("Date",), Kind.DATE, required=True),
        # Both come from the title (see meta_metric); missing only when forced.
        F("network", ("Network",), required=True),
        F("metric", ("Metric",), required=True),
        count("value", "Primary"),
    ),
    post="""SELECT day, network,
            CASE WHEN metric = 'new_followers' THEN value END AS new_followers,
            CASE WHEN metric = 'impressions' THEN value END AS impressions,
            CASE WHEN metric = 'engagements' THEN value END AS engagements
        FROM {parsed}
        QUALIFY row_number() OVER (PARTITION BY day, network ORDER BY _line DESC) = 1""",
)

META_POSTS = Adapter(
    name="meta_posts",
    label="Meta Business Suite — publications / posts",
    dataset="social_daily",
    signature=("Post ID", "Page ID", "Page name", "Publish time"),
    row_id="post_id",
    fields=(
        F("post_id", ("Post ID",), required=True),
        F(
            "day",
            ("Publish time",),
            Kind.DATE,
            required=True,
            formats=("%m/%d/%Y %H:%M",),
        ),
        network("facebook"),
        count("reactions", "Reactions"),
        count("comments", "Comments"),
        count("shares", "Shares"),
    ),
    post="""SELECT day, network, count(*) AS posts,
            sum(list_sum([reactions, comments, shares])) AS engagements
        FROM (SELECT * FROM {parsed}
              QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY _line DESC) = 1)
        GROUP BY day, network""",
)

SOCIAL_SOURCES = (
    LINKEDIN_FOLLOWERS,
    LINKEDIN_VISITORS,
    LINKEDIN_CONTENT,
    *LINKEDIN_SKIPPED,
    META_INSIGHTS,
    META_POSTS,  # before X content: 'Post ID' and 'Post id' look alike
    X_OVERVIEW,
    X_CONTENT,
    X_TWEET_ACTIVITY,
    X_DAILY_ACTIVITY,
)
