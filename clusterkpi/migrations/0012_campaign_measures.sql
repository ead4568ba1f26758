-- Schema 12: a campaign export without open or click columns (older and newer Mailchimp
-- vintages) loads its campaigns; their open and click counts are unknown, not zero.

ALTER TABLE email_campaigns ALTER COLUMN unique_opens DROP NOT NULL;
ALTER TABLE email_campaigns ALTER COLUMN unique_clicks DROP NOT NULL;
