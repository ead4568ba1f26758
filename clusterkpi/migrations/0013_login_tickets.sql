-- Schema 13: one-time login tickets. After a login the page sends the browser to a
-- small HTTP route with a ticket; the route exchanges it for the session's cookie (a
-- page script cannot set an HttpOnly cookie). Written by clusterkpi.sessions only.
-- Only a SHA-256 of the ticket and of the session token is stored: a copy of the
-- database does not let anyone redeem a ticket nor take over the session.

CREATE TABLE login_tickets (
    ticket_hash  VARCHAR PRIMARY KEY,
    session_hash VARCHAR NOT NULL,   -- the sessions.token_hash the ticket hands over
    expires_at   TIMESTAMP NOT NULL
);
