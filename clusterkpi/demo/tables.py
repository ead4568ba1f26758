"""Table layout of the demo cluster: each table's columns and the columns dating it."""

from __future__ import annotations

CLUSTER_NAME = "Pôle Agrinov Occitanie"

# fmt: off
COLUMNS: dict[str, tuple[str, ...]] = {
    "members": ("member_id", "name", "member_type", "country", "region", "sector",
                "joined_on", "left_on"),
    "events": ("event_id", "title", "kind", "held_on"),
    "attendance": ("event_id", "attendee_key", "member_id", "organisation", "is_member",
                   "registered", "attended"),
    "email_campaigns": ("campaign_id", "title", "audience", "sent_at", "recipients",
                        "delivered", "unique_opens", "unique_clicks", "unsubscribes",
                        "bounces"),
    "web_traffic": ("day", "site", "sessions", "engaged_sessions", "users",
                    "pageviews"),
    "social_daily": ("day", "network", "followers", "new_followers", "impressions",
                     "engagements", "posts"),
    "press_mentions": ("mention_id", "published_on", "outlet", "title", "tone", "reach",
                       "media_partner"),
    "projects": ("project_id", "title", "kind", "launched_on", "ended_on"),
    "project_members": ("project_id", "member_id", "role"),
    "survey_responses": ("response_id", "survey", "submitted_on", "respondent_kind",
                         "member_id", "nps_score", "vision_agreement"),
    "interactions": ("interaction_id", "occurred_on", "kind", "organisation",
                     "is_target"),
    "materials": ("material_id", "produced_on", "kind", "title", "co_produced"),
    "partnerships": ("partnership_id", "partner_name", "kind", "signed_on", "ended_on"),
    "observations": ("kpi_id", "period_start", "period_end", "value", "note"),
}
# The column dating each row, and the end dates that are not known yet on `until`.
DATE_COLUMNS = {
    "members": "joined_on", "events": "held_on", "email_campaigns": "sent_at",
    "web_traffic": "day", "social_daily": "day", "press_mentions": "published_on",
    "projects": "launched_on", "survey_responses": "submitted_on",
    "interactions": "occurred_on", "materials": "produced_on",
    "partnerships": "signed_on",
}
END_COLUMNS = {"members": "left_on", "projects": "ended_on", "partnerships": "ended_on"}
# fmt: on
