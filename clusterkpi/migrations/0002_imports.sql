-- Schema 2: import history for undo, saved column mappings.

ALTER TABLE imports ADD COLUMN undone_at TIMESTAMP;
ALTER TABLE imports ADD COLUMN undone_by VARCHAR;
ALTER TABLE imports ADD COLUMN dataset VARCHAR;

-- Row versions an import replaced: undo puts them back.
CREATE TABLE members_history AS SELECT *, 0::BIGINT AS superseded_by FROM members LIMIT 0;
CREATE TABLE events_history AS SELECT *, 0::BIGINT AS superseded_by FROM events LIMIT 0;
CREATE TABLE attendance_history AS SELECT *, 0::BIGINT AS superseded_by FROM attendance LIMIT 0;
CREATE TABLE email_campaigns_history AS SELECT *, 0::BIGINT AS superseded_by FROM email_campaigns LIMIT 0;
CREATE TABLE web_traffic_history AS SELECT *, 0::BIGINT AS superseded_by FROM web_traffic LIMIT 0;
CREATE TABLE social_daily_history AS SELECT *, 0::BIGINT AS superseded_by FROM social_daily LIMIT 0;
CREATE TABLE press_mentions_history AS SELECT *, 0::BIGINT AS superseded_by FROM press_mentions LIMIT 0;
CREATE TABLE projects_history AS SELECT *, 0::BIGINT AS superseded_by FROM projects LIMIT 0;
CREATE TABLE project_members_history AS SELECT *, 0::BIGINT AS superseded_by FROM project_members LIMIT 0;
CREATE TABLE survey_responses_history AS SELECT *, 0::BIGINT AS superseded_by FROM survey_responses LIMIT 0;
CREATE TABLE interactions_history AS SELECT *, 0::BIGINT AS superseded_by FROM interactions LIMIT 0;
CREATE TABLE materials_history AS SELECT *, 0::BIGINT AS superseded_by FROM materials LIMIT 0;
CREATE TABLE partnerships_history AS SELECT *, 0::BIGINT AS superseded_by FROM partnerships LIMIT 0;
CREATE TABLE observations_history AS SELECT *, 0::BIGINT AS superseded_by FROM observations LIMIT 0;

-- A column mapping the animator made for an unknown export, found again by its header.
CREATE TABLE column_mappings (
    signature  VARCHAR PRIMARY KEY,
    dataset    VARCHAR NOT NULL,
    mapping    VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
