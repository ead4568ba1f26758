-- Schema 3: mailing-list contacts and CRM organisations; LinkedIn page views.

CREATE TABLE contacts (
    contact_key  VARCHAR NOT NULL,   -- a hash of the lower-cased e-mail: no address kept
    list_name    VARCHAR NOT NULL,
    status       VARCHAR NOT NULL CHECK (status IN ('subscribed', 'unsubscribed', 'cleaned', 'crm')),
    subscribed_on DATE,
    changed_on   DATE,
    import_id    BIGINT NOT NULL,
    PRIMARY KEY (contact_key, list_name)
);

CREATE TABLE organisations (
    organisation_id VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    domain          VARCHAR,
    sector          VARCHAR,
    country         VARCHAR,
    created_on      DATE,
    last_activity_on DATE,
    import_id       BIGINT NOT NULL
);

ALTER TABLE social_daily ADD COLUMN page_views BIGINT;
ALTER TABLE social_daily_history ADD COLUMN page_views BIGINT;

CREATE TABLE contacts_history AS SELECT *, 0::BIGINT AS superseded_by FROM contacts LIMIT 0;
CREATE TABLE organisations_history AS SELECT *, 0::BIGINT AS superseded_by FROM organisations LIMIT 0;
