-- Schema 14: the board's reviews of a snapshot: the approval's comment, and requests
-- for changes sent back to the animators before an approval. Written by
-- clusterkpi.snapshot_store only, in the transaction of the review; rows are never
-- changed nor deleted. The snapshot rows themselves stay as migration 6 says.

CREATE SEQUENCE snapshot_review_id_seq START 1;

CREATE TABLE snapshot_reviews (
    review_id   BIGINT PRIMARY KEY DEFAULT nextval('snapshot_review_id_seq'),
    snapshot_id BIGINT NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('approve', 'request_changes')),
    comment     VARCHAR NOT NULL DEFAULT '',
    author      VARCHAR NOT NULL,
    reviewed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,  -- "at" is a keyword
    -- A request for changes says what to change; an approval's comment is optional.
    CHECK (kind = 'approve' OR length(trim(comment)) > 0)
);
