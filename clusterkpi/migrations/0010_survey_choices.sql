-- Schema 10: the surveys that count, chosen by the animator for one shape of export.
-- A file of that shape (the same header signature as column_mappings) imports only
-- the rows of these surveys, on the 0-10 scale, until the choice changes.
CREATE TABLE survey_choices (
    signature  VARCHAR PRIMARY KEY,
    surveys    VARCHAR NOT NULL,  -- a JSON list of survey names
    chosen_by  VARCHAR NOT NULL,
    chosen_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
