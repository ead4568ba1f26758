-- Schema 7: local accounts, the failed-login throttle, login sessions and the audit log.
-- Written by clusterkpi.accounts, clusterkpi.sessions and clusterkpi.audit only.
-- Timestamps are naive local time, like every other timestamp of the database.
-- No foreign keys: DuckDB cannot cascade a delete, and removing a user deletes its
-- sessions in the same transaction instead.

CREATE TABLE users (
    username      VARCHAR PRIMARY KEY CHECK (username = lower(username) AND username <> ''),
    display_name  VARCHAR NOT NULL DEFAULT '',
    role          VARCHAR NOT NULL CHECK (role IN ('board', 'animator', 'admin')),
    password_hash VARCHAR CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
                                        -- NULL: signs in through SSO only
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by    VARCHAR NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT false
);

-- One row per login name with a current streak of failures, whether or not an account
-- has that name (probing names is slowed like guessing passwords). The name is kept
-- only as a SHA-256: people type passwords into the name field. Deleted on success.
CREATE TABLE login_failures (
    name_hash    VARCHAR PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures > 0),
    last_failure TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- A signed-in browser session. Only a SHA-256 of the random token is stored: a copy
-- of the database does not let anyone take over a session.
CREATE TABLE sessions (
    token_hash VARCHAR PRIMARY KEY,
    username   VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,   -- absolute expiry; idle expiry uses last_seen
    revoked    BOOLEAN NOT NULL DEFAULT false
);

-- Who did what, when: logins, account changes, imports, undos, strategy edits,
-- snapshots. Never holds a password. `detail` is a JSON object (or NULL).
CREATE SEQUENCE audit_id_seq START 1;

CREATE TABLE audit_log (
    audit_id  BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,  -- "at" is a keyword
    username  VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    target    VARCHAR NOT NULL DEFAULT '',
    detail    VARCHAR
);
