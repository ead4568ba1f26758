"""Login tickets: single use, a minute long, handing a session to a new token."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from clusterkpi import accounts
from clusterkpi.accounts import add_user, get_user, set_disabled
from clusterkpi.roles import Role
from clusterkpi.sessions import (
    ABSOLUTE_LIFETIME,
    IDLE_TIMEOUT,
    TICKET_LIFETIME,
    close_session,
    issue_ticket,
    open_session,
    redeem_ticket,
    resolve_session,
)
from clusterkpi.store import Store

T0 = datetime(2026, 11, 26, 9, 0, 0)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def bob(store: Store) -> Store:
    add_user(store, "alice", Role.ADMIN, "correct horse battery", by="setup")
    add_user(store, "bob", Role.BOARD, "correct horse battery", by="setup")
    return store


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_ticket_hands_the_session_to_a_new_token_once(bob: Store) -> None:
    page_token = open_session(bob, "bob", T0)
    ticket = issue_ticket(bob, page_token, at(1))
    cookie_token = redeem_ticket(bob, ticket, at(2))
    assert isinstance(cookie_token, str)
    assert len(cookie_token) == 43
    assert cookie_token not in (page_token, ticket)
    assert resolve_session(bob, cookie_token, at(3)) == get_user(bob, "bob")
    # One login, one live token: the page's token is gone, the ticket is used.
    assert resolve_session(bob, page_token, at(3)) is None
    assert redeem_ticket(bob, ticket, at(4)) is None
    assert bob.scalar("SELECT count(*) FROM login_tickets") == 0


def test_the_handed_over_session_keeps_its_opening_time(bob: Store) -> None:
    ticket = issue_ticket(bob, open_session(bob, "bob", T0), at(30))
    token = redeem_ticket(bob, ticket, at(31))
    assert bob.rows("SELECT created_at, expires_at FROM sessions") == [
        (T0, T0 + ABSOLUTE_LIFETIME)
    ]
    assert resolve_session(bob, token, at(IDLE_TIMEOUT.total_seconds() - 1))
    assert resolve_session(bob, token, at(ABSOLUTE_LIFETIME.total_seconds())) is None


def test_a_ticket_lasts_a_minute(bob: Store) -> None:
    token = open_session(bob, "bob", T0)
    late = issue_ticket(bob, token, T0)
    assert redeem_ticket(bob, late, T0 + TICKET_LIFETIME) is None
    on_time = issue_ticket(bob, token, T0)
    lifetime = TICKET_LIFETIME.total_seconds()
    assert redeem_ticket(bob, on_time, at(lifetime - 1)) is not None


@pytest.mark.parametrize(
    "end",
    [
        lambda s, token: close_session(s, token),
        lambda s, token: set_disabled(s, "bob", True),
    ],
)
def test_no_ticket_revives_an_ended_session(bob: Store, end) -> None:
    token = open_session(bob, "bob", T0)
    ticket = issue_ticket(bob, token, T0)
    end(bob, token)
    assert redeem_ticket(bob, ticket, at(1)) is None


@pytest.mark.parametrize("ticket", [None, "", "forged"])
def test_unknown_tickets_give_nothing(bob: Store, ticket: str | None) -> None:
    issue_ticket(bob, open_session(bob, "bob", T0), T0)
    assert redeem_ticket(bob, ticket, at(1)) is None


def test_tickets_are_stored_only_as_hashes_and_expired_ones_deleted(
    bob: Store,
) -> None:
    token = open_session(bob, "bob", T0)
    old = issue_ticket(bob, token, T0)
    new = issue_ticket(bob, token, T0 + TICKET_LIFETIME)
    sha = hashlib.sha256
    assert bob.rows("SELECT ticket_hash, session_hash FROM login_tickets") == [
        (sha(new.encode()).hexdigest(), sha(token.encode()).hexdigest())
    ]
    assert old != new
