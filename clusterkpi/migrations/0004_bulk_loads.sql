-- Schema 4: canonical tables without primary-key indexes.
-- A primary key makes DuckDB build, keep in memory and write an ART index on every load:
-- three times the cost of the load itself for a million rows. Natural keys stay unique
-- because every write goes through the importer's upsert (a file's duplicate keys are
-- refused; changed rows are deleted before their new version is inserted), and the
-- store serialises write transactions. Key columns stay NOT NULL; checks are kept.

CREATE TABLE members_v4 (
    member_id VARCHAR NOT NULL,
    "name" VARCHAR NOT NULL,
    member_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    region VARCHAR,
    sector VARCHAR,
    joined_on DATE NOT NULL,
    left_on DATE,
    import_id BIGINT NOT NULL,
    CHECK((member_type IN ('sme', 'large_company', 'startup', 'research_lab', 'training_centre', 'funder', 'public_body', 'association'))),
    CHECK(((left_on IS NULL) OR (left_on >= joined_on)))
);
INSERT INTO members_v4 SELECT * FROM members;
DROP TABLE members;
ALTER TABLE members_v4 RENAME TO members;

CREATE TABLE events_v4 (
    event_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    held_on DATE NOT NULL,
    import_id BIGINT NOT NULL,
    CHECK((kind IN ('general_assembly', 'workshop', 'webinar', 'conference', 'networking', 'training', 'b2b_meeting', 'trade_show')))
);
INSERT INTO events_v4 SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;

CREATE TABLE attendance_v4 (
    event_id VARCHAR NOT NULL,
    attendee_key VARCHAR NOT NULL,
    member_id VARCHAR,
    organisation VARCHAR,
    is_member BOOLEAN NOT NULL,
    registered BOOLEAN NOT NULL,
    attended BOOLEAN NOT NULL,
    import_id BIGINT NOT NULL
);
INSERT INTO attendance_v4 SELECT * FROM attendance;
DROP TABLE attendance;
ALTER TABLE attendance_v4 RENAME TO attendance;

CREATE TABLE email_campaigns_v4 (
    campaign_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    audience VARCHAR NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    recipients BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    unique_opens BIGINT NOT NULL,
    unique_clicks BIGINT NOT NULL,
    unsubscribes BIGINT NOT NULL,
    bounces BIGINT NOT NULL,
    import_id BIGINT NOT NULL,
    CHECK((recipients >= 0)),
    CHECK((delivered >= 0)),
    CHECK((unique_opens >= 0)),
    CHECK((unique_clicks >= 0)),
    CHECK((unsubscribes >= 0)),
    CHECK((bounces >= 0))
);
INSERT INTO email_campaigns_v4 SELECT * FROM email_campaigns;
DROP TABLE email_campaigns;
ALTER TABLE email_campaigns_v4 RENAME TO email_campaigns;

CREATE TABLE web_traffic_v4 (
    "day" DATE NOT NULL,
    site VARCHAR DEFAULT('main') NOT NULL,
    sessions BIGINT NOT NULL,
    engaged_sessions BIGINT,
    users BIGINT,
    pageviews BIGINT,
    import_id BIGINT NOT NULL,
    CHECK((sessions >= 0)),
    CHECK((engaged_sessions >= 0)),
    CHECK((users >= 0)),
    CHECK((pageviews >= 0))
);
INSERT INTO web_traffic_v4 SELECT * FROM web_traffic;
DROP TABLE web_traffic;
ALTER TABLE web_traffic_v4 RENAME TO web_traffic;

CREATE TABLE social_daily_v4 (
    "day" DATE NOT NULL,
    network VARCHAR NOT NULL,
    followers BIGINT,
    new_followers BIGINT,
    impressions BIGINT,
    engagements BIGINT,
    posts BIGINT,
    import_id BIGINT NOT NULL,
    page_views BIGINT,
    CHECK((followers >= 0)),
    CHECK((new_followers >= 0)),
    CHECK((impressions >= 0)),
    CHECK((engagements >= 0)),
    CHECK((posts >= 0))
);
INSERT INTO social_daily_v4 SELECT * FROM social_daily;
DROP TABLE social_daily;
ALTER TABLE social_daily_v4 RENAME TO social_daily;

CREATE TABLE press_mentions_v4 (
    mention_id VARCHAR NOT NULL,
    published_on DATE NOT NULL,
    outlet VARCHAR NOT NULL,
    title VARCHAR,
    tone VARCHAR,
    reach BIGINT,
    media_partner BOOLEAN DEFAULT(false) NOT NULL,
    import_id BIGINT NOT NULL,
    CHECK((tone IN ('positive', 'neutral', 'negative'))),
    CHECK((reach >= 0))
);
INSERT INTO press_mentions_v4 SELECT * FROM press_mentions;
DROP TABLE press_mentions;
ALTER TABLE press_mentions_v4 RENAME TO press_mentions;

CREATE TABLE projects_v4 (
    project_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    kind VARCHAR,
    launched_on DATE NOT NULL,
    ended_on DATE,
    import_id BIGINT NOT NULL,
    CHECK(((ended_on IS NULL) OR (ended_on >= launched_on)))
);
INSERT INTO projects_v4 SELECT * FROM projects;
DROP TABLE projects;
ALTER TABLE projects_v4 RENAME TO projects;

CREATE TABLE project_members_v4 (
    project_id VARCHAR NOT NULL,
    member_id VARCHAR NOT NULL,
    "role" VARCHAR,
    import_id BIGINT NOT NULL
);
INSERT INTO project_members_v4 SELECT * FROM project_members;
DROP TABLE project_members;
ALTER TABLE project_members_v4 RENAME TO project_members;

CREATE TABLE survey_responses_v4 (
    response_id VARCHAR NOT NULL,
    survey VARCHAR NOT NULL,
    submitted_on DATE NOT NULL,
    respondent_kind VARCHAR NOT NULL,
    member_id VARCHAR,
    nps_score INTEGER,
    vision_agreement INTEGER,
    import_id BIGINT NOT NULL,
    CHECK((respondent_kind IN ('member', 'target_company', 'partner'))),
    CHECK((nps_score BETWEEN 0 AND 10)),
    CHECK((vision_agreement BETWEEN 1 AND 5))
);
INSERT INTO survey_responses_v4 SELECT * FROM survey_responses;
DROP TABLE survey_responses;
ALTER TABLE survey_responses_v4 RENAME TO survey_responses;

CREATE TABLE interactions_v4 (
    interaction_id VARCHAR NOT NULL,
    occurred_on DATE NOT NULL,
    kind VARCHAR NOT NULL,
    organisation VARCHAR,
    is_target BOOLEAN DEFAULT(true) NOT NULL,
    import_id BIGINT NOT NULL,
    CHECK((kind IN ('meeting', 'call', 'b2b_meeting', 'inbound_request', 'event_contact')))
);
INSERT INTO interactions_v4 SELECT * FROM interactions;
DROP TABLE interactions;
ALTER TABLE interactions_v4 RENAME TO interactions;

CREATE TABLE materials_v4 (
    material_id VARCHAR NOT NULL,
    produced_on DATE NOT NULL,
    kind VARCHAR NOT NULL,
    title VARCHAR,
    co_produced BOOLEAN DEFAULT(false) NOT NULL,
    import_id BIGINT NOT NULL,
    CHECK((kind IN ('newsletter', 'brochure', 'video', 'press_release', 'success_story', 'case_study', 'article', 'report', 'other')))
);
INSERT INTO materials_v4 SELECT * FROM materials;
DROP TABLE materials;
ALTER TABLE materials_v4 RENAME TO materials;

CREATE TABLE partnerships_v4 (
    partnership_id VARCHAR NOT NULL,
    partner_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    signed_on DATE NOT NULL,
    ended_on DATE,
    import_id BIGINT NOT NULL,
    CHECK((kind IN ('media', 'institution', 'research', 'training', 'funder', 'other_cluster'))),
    CHECK(((ended_on IS NULL) OR (ended_on >= signed_on)))
);
INSERT INTO partnerships_v4 SELECT * FROM partnerships;
DROP TABLE partnerships;
ALTER TABLE partnerships_v4 RENAME TO partnerships;

CREATE TABLE observations_v4 (
    kpi_id VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    "value" DOUBLE NOT NULL,
    note VARCHAR,
    import_id BIGINT NOT NULL,
    CHECK((period_end > period_start))
);
INSERT INTO observations_v4 SELECT * FROM observations;
DROP TABLE observations;
ALTER TABLE observations_v4 RENAME TO observations;

CREATE TABLE contacts_v4 (
    contact_key VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    subscribed_on DATE,
    changed_on DATE,
    import_id BIGINT NOT NULL,
    CHECK((status IN ('subscribed', 'unsubscribed', 'cleaned', 'crm')))
);
INSERT INTO contacts_v4 SELECT * FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_v4 RENAME TO contacts;

CREATE TABLE organisations_v4 (
    organisation_id VARCHAR NOT NULL,
    "name" VARCHAR NOT NULL,
    "domain" VARCHAR,
    sector VARCHAR,
    country VARCHAR,
    created_on DATE,
    last_activity_on DATE,
    import_id BIGINT NOT NULL
);
INSERT INTO organisations_v4 SELECT * FROM organisations;
DROP TABLE organisations;
ALTER TABLE organisations_v4 RENAME TO organisations;
