"""E-mailing tools: Mailchimp and Brevo campaign reports and audience (contact) exports."""

from __future__ import annotations

from clusterkpi.imports.fields import Adapter, FieldMap, Kind

F = FieldMap

# A plausible address; the address itself is never stored, only its hash.
EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[^@\s]+"
EMAIL = ("Email Address", "Email address", "Adresse e-mail", "Adresse email", "E-mail",
         "Email", "Courriel")  # fmt: skip
MAILCHIMP_STAMP = ("%Y-%m-%d %H:%M:%S",)
BREVO_DATES = ("%d-%m-%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")
BREVO_STAMPS = ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y")


def _count(target: str, *columns: str, required: bool = True) -> FieldMap:
    # Mailchimp may quote thousands ("1,234"): a comma is never a decimal mark here.
    return F(target, columns, Kind.INTEGER, required=required, minimum=0, decimal=".")


MAILCHIMP_CAMPAIGNS = Adapter(
    name="mailchimp_campaigns",
    label="Mailchimp — liste des campagnes / campaign list",
    dataset="email_campaigns",
    # Vintages: 'List' became 'Audience'; some exports have no open or click columns
    # (their campaigns load, their rates stay "no data").
    signature=("Unique Id", "Send Date", ("Total Recipients", "Successful Deliveries")),
    row_id="campaign_id",
    fields=(
        F("campaign_id", ("Unique Id",), required=True),
        F("title", ("Title",), required=True),
        F("audience", ("List", "Audience", "Audience Name", "List Name"), required=True),
        F("sent_at", ("Send Date",), Kind.TIMESTAMP, required=True,
          formats=("%b %d, %Y %I:%M %p",)),
        _count("recipients", "Total Recipients"),
        _count("delivered", "Successful Deliveries"),
        _count("unique_opens", "Unique Opens", required=False),
        _count("unique_clicks", "Unique Clicks", required=False),
        _count("unsubscribes", "Unsubscribes"),
        _count("bounces", "Total Bounces"),
    ),
)  # fmt: skip

# One row per e-mail address; the same address twice in a file: the last row wins.
CONTACTS_POST = """SELECT sha256(lower(email)) AS contact_key, {list_name} AS list_name,
           {status} AS status, {subscribed_on}::DATE AS subscribed_on,
           {changed_on}::DATE AS changed_on
    FROM {{parsed}}
    QUALIFY row_number() OVER (PARTITION BY contact_key ORDER BY _line DESC) = 1"""

MAILCHIMP_AUDIENCE = Adapter(
    name="mailchimp_audience",
    label="Mailchimp — export d'audience / audience export",
    dataset="contacts",
    signature=("MEMBER_RATING", "LEID", "EUID"),
    fields=(
        F("email", EMAIL, required=True, pattern=EMAIL_PATTERN),
        F("optin_at", ("OPTIN_TIME",), Kind.TIMESTAMP, formats=MAILCHIMP_STAMP),
        F("confirm_at", ("CONFIRM_TIME",), Kind.TIMESTAMP, formats=MAILCHIMP_STAMP),
        F("changed_at", ("LAST_CHANGED",), Kind.TIMESTAMP, formats=MAILCHIMP_STAMP),
        F("unsubscribed_at", ("UNSUB_TIME",), Kind.TIMESTAMP, formats=MAILCHIMP_STAMP),
        F("cleaned_at", ("CLEAN_TIME",), Kind.TIMESTAMP, formats=MAILCHIMP_STAMP),
    ),
    # The export has no status column: only the unsubscribed and cleaned files of the
    # ZIP have UNSUB_TIME / CLEAN_TIME, filled on each of their rows.
    post=CONTACTS_POST.format(
        list_name="'mailchimp'",
        status="CASE WHEN cleaned_at IS NOT NULL THEN 'cleaned'"
        " WHEN unsubscribed_at IS NOT NULL THEN 'unsubscribed' ELSE 'subscribed' END",
        subscribed_on="coalesce(confirm_at, optin_at)",
        changed_on="coalesce(changed_at, unsubscribed_at, cleaned_at)",
    ),
)

BREVO_CAMPAIGN = Adapter(
    name="brevo_campaign",
    label="Brevo — activité d'une campagne / campaign activity",
    dataset="email_campaigns",
    # Both the ';' export (Email_ID) and the ',' variant (Email) carry these two.
    signature=("Send_Date", "Delivered_Date"),
    fields=(
        F("campaign_id", ("Campaign ID",), required=True),
        F("title", ("Campaign Name",), required=True),
        F("sent_at", ("Send_Date",), Kind.TIMESTAMP, required=True, formats=BREVO_STAMPS),
        F("delivered_at", ("Delivered_Date",), Kind.TIMESTAMP, formats=BREVO_STAMPS),
        F("opened_at", ("Open_Date",), Kind.TIMESTAMP, formats=BREVO_STAMPS),
        F("clicks", ("Clicked_Links_Count",), Kind.INTEGER, minimum=0, decimal="."),
        F("unsubscribed_at", ("Unsubscribe_Date",), Kind.TIMESTAMP, formats=BREVO_STAMPS),
        F("hard_bounced_at", ("Hard_Bounce_Date",), Kind.TIMESTAMP, formats=BREVO_STAMPS),
        F("soft_bounced_at", ("Soft_Bounce_Date",), Kind.TIMESTAMP, formats=BREVO_STAMPS),
    ),
    # One row per recipient: the campaign's totals are counted here.
    post="""SELECT campaign_id, min(title) AS title, 'brevo' AS audience,
           min(sent_at) AS sent_at, count(*) AS recipients,
           count(delivered_at) AS delivered, count(opened_at) AS unique_opens,
           count(*) FILTER (WHERE clicks > 0) AS unique_clicks,
           count(unsubscribed_at) AS unsubscribes,
           count(*) FILTER (WHERE hard_bounced_at IS NOT NULL
                              OR soft_bounced_at IS NOT NULL) AS bounces
    FROM {parsed}
    GROUP BY campaign_id""",
)  # fmt: skip

BREVO_CONTACTS = Adapter(
    name="brevo_contacts",
    label="Brevo — export des contacts / contacts export",
    dataset="contacts",
    signature=("EMAIL", "ADDED_TIME", "MODIFIED_TIME"),
    fields=(
        F("email", ("EMAIL",), required=True, pattern=EMAIL_PATTERN),
        F("blacklisted", ("EMAIL_BLACKLISTED",), Kind.BOOLEAN),
        F("added_on", ("ADDED_TIME",), Kind.DATE, formats=BREVO_DATES),
        F("modified_on", ("MODIFIED_TIME",), Kind.DATE, formats=BREVO_DATES),
    ),
    post=CONTACTS_POST.format(
        list_name="'brevo'",
        status="CASE WHEN blacklisted THEN 'unsubscribed' ELSE 'subscribed' END",
        subscribed_on="added_on",
        changed_on="modified_on",
    ),
)

EMAIL_SOURCES = (
    MAILCHIMP_CAMPAIGNS,
    MAILCHIMP_AUDIENCE,
    BREVO_CAMPAIGN,
    BREVO_CONTACTS,
)
