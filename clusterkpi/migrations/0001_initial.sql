-- Schema 1: canonical tables, import lineage, strategy and targets.
-- Every canonical row carries import_id: the import that brought it (lineage, undo).

CREATE SEQUENCE import_id_seq START 1;

CREATE TABLE imports (
    import_id     BIGINT PRIMARY KEY DEFAULT nextval('import_id_seq'),
    source        VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR,
    imported_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    imported_by   VARCHAR NOT NULL DEFAULT 'system',
    rows_added    BIGINT NOT NULL DEFAULT 0,
    rows_updated  BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    status        VARCHAR NOT NULL DEFAULT 'loaded'
);

CREATE TABLE members (
    member_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    member_type VARCHAR NOT NULL CHECK (member_type IN ('sme', 'large_company', 'startup',
                'research_lab', 'training_centre', 'funder', 'public_body', 'association')),
    country     VARCHAR NOT NULL,
    region      VARCHAR,
    sector      VARCHAR,
    joined_on   DATE NOT NULL,
    left_on     DATE,
    import_id   BIGINT NOT NULL,
    CHECK (left_on IS NULL OR left_on >= joined_on)
);

CREATE TABLE events (
    event_id  VARCHAR PRIMARY KEY,
    title     VARCHAR NOT NULL,
    kind      VARCHAR NOT NULL CHECK (kind IN ('general_assembly', 'workshop', 'webinar',
              'conference', 'networking', 'training', 'b2b_meeting', 'trade_show')),
    held_on   DATE NOT NULL,
    import_id BIGINT NOT NULL
);

CREATE TABLE attendance (
    event_id     VARCHAR NOT NULL,
    attendee_key VARCHAR NOT NULL,
    member_id    VARCHAR,
    organisation VARCHAR,
    is_member    BOOLEAN NOT NULL,
    registered   BOOLEAN NOT NULL,
    attended     BOOLEAN NOT NULL,
    import_id    BIGINT NOT NULL,
    PRIMARY KEY (event_id, attendee_key)
);

CREATE TABLE email_campaigns (
    campaign_id  VARCHAR PRIMARY KEY,
    title        VARCHAR NOT NULL,
    audience     VARCHAR NOT NULL,
    sent_at      TIMESTAMP NOT NULL,
    recipients   BIGINT NOT NULL CHECK (recipients >= 0),
    delivered    BIGINT NOT NULL CHECK (delivered >= 0),
    unique_opens BIGINT NOT NULL CHECK (unique_opens >= 0),
    unique_clicks BIGINT NOT NULL CHECK (unique_clicks >= 0),
    unsubscribes BIGINT NOT NULL CHECK (unsubscribes >= 0),
    bounces      BIGINT NOT NULL CHECK (bounces >= 0),
    import_id    BIGINT NOT NULL
);

CREATE TABLE web_traffic (
    day              DATE NOT NULL,
    site             VARCHAR NOT NULL DEFAULT 'main',
    sessions         BIGINT NOT NULL CHECK (sessions >= 0),
    engaged_sessions BIGINT CHECK (engaged_sessions >= 0),
    users            BIGINT CHECK (users >= 0),
    pageviews        BIGINT CHECK (pageviews >= 0),
    import_id        BIGINT NOT NULL,
    PRIMARY KEY (day, site)
);

CREATE TABLE social_daily (
    day           DATE NOT NULL,
    network       VARCHAR NOT NULL,
    followers     BIGINT CHECK (followers >= 0),
    new_followers BIGINT CHECK (new_followers >= 0),
    impressions   BIGINT CHECK (impressions >= 0),
    engagements   BIGINT CHECK (engagements >= 0),
    posts         BIGINT CHECK (posts >= 0),
    import_id     BIGINT NOT NULL,
    PRIMARY KEY (day, network)
);

CREATE TABLE press_mentions (
    mention_id    VARCHAR PRIMARY KEY,
    published_on  DATE NOT NULL,
    outlet        VARCHAR NOT NULL,
    title         VARCHAR,
    tone          VARCHAR CHECK (tone IN ('positive', 'neutral', 'negative')),
    reach         BIGINT CHECK (reach >= 0),
    media_partner BOOLEAN NOT NULL DEFAULT false,
    import_id     BIGINT NOT NULL
);

CREATE TABLE projects (
    project_id  VARCHAR PRIMARY KEY,
    title       VARCHAR NOT NULL,
    kind        VARCHAR,
    launched_on DATE NOT NULL,
    ended_on    DATE,
    import_id   BIGINT NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= launched_on)
);

CREATE TABLE project_members (
    project_id VARCHAR NOT NULL,
    member_id  VARCHAR NOT NULL,
    role       VARCHAR,
    import_id  BIGINT NOT NULL,
    PRIMARY KEY (project_id, member_id)
);

CREATE TABLE survey_responses (
    response_id      VARCHAR PRIMARY KEY,
    survey           VARCHAR NOT NULL,
    submitted_on     DATE NOT NULL,
    respondent_kind  VARCHAR NOT NULL CHECK (respondent_kind IN ('member', 'target_company', 'partner')),
    member_id        VARCHAR,
    nps_score        INTEGER CHECK (nps_score BETWEEN 0 AND 10),
    vision_agreement INTEGER CHECK (vision_agreement BETWEEN 1 AND 5),
    import_id        BIGINT NOT NULL
);

CREATE TABLE interactions (
    interaction_id VARCHAR PRIMARY KEY,
    occurred_on    DATE NOT NULL,
    kind           VARCHAR NOT NULL CHECK (kind IN ('meeting', 'call', 'b2b_meeting',
                   'inbound_request', 'event_contact')),
    organisation   VARCHAR,
    is_target      BOOLEAN NOT NULL DEFAULT true,
    import_id      BIGINT NOT NULL
);

CREATE TABLE materials (
    material_id  VARCHAR PRIMARY KEY,
    produced_on  DATE NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('newsletter', 'brochure', 'video',
                 'press_release', 'success_story', 'case_study', 'article', 'report', 'other')),
    title        VARCHAR,
    co_produced  BOOLEAN NOT NULL DEFAULT false,
    import_id    BIGINT NOT NULL
);

CREATE TABLE partnerships (
    partnership_id VARCHAR PRIMARY KEY,
    partner_name   VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL CHECK (kind IN ('media', 'institution', 'research',
                   'training', 'funder', 'other_cluster')),
    signed_on      DATE NOT NULL,
    ended_on       DATE,
    import_id      BIGINT NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= signed_on)
);

-- A KPI value entered by hand for one period; it takes precedence over the computed value.
CREATE TABLE observations (
    kpi_id       VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    value        DOUBLE NOT NULL,
    note         VARCHAR,
    import_id    BIGINT NOT NULL,
    PRIMARY KEY (kpi_id, period_start, period_end),
    CHECK (period_end > period_start)
);

CREATE TABLE positioning (
    singleton     BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    cluster_name  VARCHAR NOT NULL,
    home_country  VARCHAR NOT NULL DEFAULT 'FR',
    mission       VARCHAR NOT NULL DEFAULT '',
    identity      VARCHAR NOT NULL DEFAULT '',
    cluster_values VARCHAR NOT NULL DEFAULT '',
    ambition_5y   VARCHAR NOT NULL DEFAULT '',
    ambition_10y  VARCHAR NOT NULL DEFAULT '',
    ambition_15y  VARCHAR NOT NULL DEFAULT '',
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE horizons (
    horizon     VARCHAR PRIMARY KEY CHECK (horizon IN ('short', 'medium', 'long')),
    target_date DATE NOT NULL
);

CREATE TABLE kpi_targets (
    kpi_id         VARCHAR PRIMARY KEY,
    tracked        BOOLEAN NOT NULL DEFAULT true,
    baseline_value DOUBLE,
    baseline_date  DATE,
    weight         DOUBLE NOT NULL DEFAULT 1 CHECK (weight >= 0),
    target_short   DOUBLE,
    target_medium  DOUBLE,
    target_long    DOUBLE,
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);
