"""Login sessions: random tokens stored only as SHA-256, idle and absolute expiry, tickets."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from clusterkpi.accounts import AccountError, User, get_user
from clusterkpi.login import naive_local
from clusterkpi.store import Store

ABSOLUTE_LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
# Streamlit reruns the page script on every click: last_seen is written at most once
# a minute, so the idle timeout is kept to within a minute without a write per click.
TOUCH_INTERVAL = timedelta(minutes=1)
# A login ticket hands a session from the page to the browser's cookie: the browser
# redeems it at once, so a minute is plenty and a leaked ticket soon worthless.
TICKET_LIFETIME = timedelta(seconds=60)
COOKIE_NAME = "clusterkpi_session"


def token_hash(token: str) -> str:
    """Return the stored form of a session token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store: Store, username: str, now: datetime) -> str:
    """Start a session for an enabled account and return its token (shown once).

    Raises AccountError when the account does not exist or is disabled. Sessions that
    have ended are deleted on the way.
    """
    now = naive_local(now)
    user = get_user(store, username)
    if user is None or user.disabled:
        raise AccountError(
            f"No enabled user {username} to open a session for.",
            "unknown_user",
            name=username,
        )
    token = secrets.token_urlsafe(32)
    with store.transaction() as cur:
        cur.execute(
            "DELETE FROM sessions WHERE revoked OR expires_at <= ? OR last_seen <= ?",
            [now, now - IDLE_TIMEOUT],
        )
        cur.execute(
            "INSERT INTO sessions (token_hash, username, created_at, last_seen,"
            " expires_at) VALUES (?, ?, ?, ?, ?)",
            [token_hash(token), user.username, now, now, now + ABSOLUTE_LIFETIME],
        )
    return token


def resolve_session(store: Store, token: str | None, now: datetime) -> User | None:
    """Return the account a token signs in, or None (unknown, ended, or disabled).

    A session ends when it is closed, ABSOLUTE_LIFETIME after it opened, or after
    IDLE_TIMEOUT without use; it also ends with its account (removed or disabled).
    Each use moves its idle deadline forward.
    """
    if not token:
        return None
    return _resolve_hash(store, token_hash(token), naive_local(now))


def _resolve_hash(store: Store, key: str, now: datetime) -> User | None:
    rows = store.rows(
        "SELECT username, last_seen, expires_at, revoked FROM sessions"
        " WHERE token_hash = ?",
        [key],
    )
    if not rows:
        return None
    username, last_seen, expires_at, revoked = rows[0]
    if revoked or now >= expires_at or now - last_seen >= IDLE_TIMEOUT:
        return None
    user = get_user(store, username)
    if user is None or user.disabled:
        return None
    if now - last_seen >= TOUCH_INTERVAL:
        # In a transaction: writes are serialised, so two tabs touching the same
        # session at once do not conflict.
        with store.transaction() as cur:
            cur.execute(
                "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [now, key]
            )
    return user


def issue_ticket(store: Store, token: str, now: datetime) -> str:
    """Return a one-time ticket that hands a session over (valid TICKET_LIFETIME).

    Only its hash is stored, with the hash of the session it hands over. Expired
    tickets are deleted on the way.
    """
    now = naive_local(now)
    ticket = secrets.token_urlsafe(32)
    with store.transaction() as cur:
        cur.execute("DELETE FROM login_tickets WHERE expires_at <= ?", [now])
        cur.execute(
            "INSERT INTO login_tickets (ticket_hash, session_hash, expires_at)"
            " VALUES (?, ?, ?)",
            [token_hash(ticket), token_hash(token), now + TICKET_LIFETIME],
        )
    return ticket


def redeem_ticket(store: Store, ticket: str | None, now: datetime) -> str | None:
    """Use a ticket once: return a new token for its session, or None.

    The session keeps its account, opening time and idle deadline under the new
    token, and the token the page held stops working: one login, one live token,
    the one in the cookie. None for an unknown, used or expired ticket, or a
    session that has ended.
    """
    if not ticket:
        return None
    now = naive_local(now)
    with store.transaction() as cur:
        # Deleted before anything else: a ticket works once, even if the rest fails.
        row = cur.execute(
            "DELETE FROM login_tickets WHERE ticket_hash = ?"
            " RETURNING session_hash, expires_at",
            [token_hash(ticket)],
        ).fetchone()
    if row is None or now >= row[1] or _resolve_hash(store, row[0], now) is None:
        return None
    token = secrets.token_urlsafe(32)
    with store.transaction() as cur:
        cur.execute(
            "UPDATE sessions SET token_hash = ? WHERE token_hash = ?",
            [token_hash(token), row[0]],
        )
    return token


def close_session(store: Store, token: str | None) -> None:
    """End a session (logout); an unknown or empty token is ignored."""
    if token:
        with store.transaction() as cur:
            cur.execute(
                "UPDATE sessions SET revoked = true WHERE token_hash = ?",
                [token_hash(token)],
            )
