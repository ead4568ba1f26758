"""The cookie routes: ticket for cookie, flags, local redirects only, other sites refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.testclient import TestClient

from clusterkpi import accounts
from clusterkpi.accounts import add_user, get_user
from clusterkpi.roles import Role
from clusterkpi.session_routes import local_path, session_routes
from clusterkpi.sessions import (
    COOKIE_NAME,
    issue_ticket,
    open_session,
    resolve_session,
)
from clusterkpi.store import Store

DEEP = "/kpi?lang=en&kpi=new_members&period=2026Q2"


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


def client(store: Store, base_url: str = "http://testserver") -> TestClient:
    app = Starlette(routes=session_routes(lambda: store))
    return TestClient(app, base_url=base_url, follow_redirects=False)


def ticket_for(store: Store, username: str = "bob") -> str:
    now = datetime.now()
    return issue_ticket(store, open_session(store, username, now), now)


def test_a_ticket_becomes_an_httponly_strict_cookie_and_a_redirect(
    bob: Store,
) -> None:
    answer = client(bob).get(
        "/session/open",
        params={"ticket": ticket_for(bob), "next": DEEP},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == DEEP
    assert answer.headers["cache-control"] == "no-store"
    token = answer.cookies[COOKIE_NAME]
    assert answer.headers["set-cookie"] == (
        f"{COOKIE_NAME}={token}; HttpOnly; Path=/; SameSite=strict"
    )
    assert resolve_session(bob, token, datetime.now()) == get_user(bob, "bob")


@pytest.mark.parametrize(
    ("base_url", "headers"),
    [
        ("https://cockpit.example.org", {}),
        ("http://testserver", {"X-Forwarded-Proto": "https"}),
        ("http://testserver", {"X-Forwarded-Proto": "https, http"}),
    ],
)
def test_the_cookie_is_secure_over_https(
    bob: Store, base_url: str, headers: dict[str, str]
) -> None:
    answer = client(bob, base_url).get(
        "/session/open", params={"ticket": ticket_for(bob)}, headers=headers
    )
    token = answer.cookies[COOKIE_NAME]
    assert answer.headers["set-cookie"] == (
        f"{COOKIE_NAME}={token}; HttpOnly; Path=/; SameSite=strict; Secure"
    )


def test_a_used_or_forged_ticket_sets_no_cookie(bob: Store) -> None:
    ticket = ticket_for(bob)
    web = client(bob)
    assert COOKIE_NAME in web.get("/session/open", params={"ticket": ticket}).cookies
    for wrong in (ticket, "forged"):
        answer = web.get("/session/open", params={"ticket": wrong, "next": DEEP})
        assert (answer.status_code, answer.headers["location"]) == (303, DEEP)
        assert "set-cookie" not in answer.headers


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_another_site_can_neither_log_in_nor_out(bob: Store, site: str) -> None:
    ticket = ticket_for(bob)
    web = client(bob)
    for path in ("/session/open", "/session/close"):
        answer = web.get(
            path, params={"ticket": ticket}, headers={"Sec-Fetch-Site": site}
        )
        assert (answer.status_code, answer.text) == (403, "Forbidden")
        assert "set-cookie" not in answer.headers
    # Refused before it was looked at: the ticket still works from the app's page.
    answer = web.get(
        "/session/open", params={"ticket": ticket}, headers={"Sec-Fetch-Site": "none"}
    )
    assert COOKIE_NAME in answer.cookies


def test_closing_ends_the_session_at_once_and_removes_the_cookie(
    bob: Store,
) -> None:
    web = client(bob)
    token = web.get("/session/open", params={"ticket": ticket_for(bob)}).cookies[
        COOKIE_NAME
    ]
    answer = web.get(
        "/session/close",
        params={"next": DEEP},
        headers={"Cookie": f"{COOKIE_NAME}={token}"},
    )
    assert (answer.status_code, answer.headers["location"]) == (303, DEEP)
    assert answer.headers["set-cookie"] == (
        f'{COOKIE_NAME}=""; expires={answer.headers["set-cookie"].split("expires=")[1]}'
    )
    assert "Max-Age=0" in answer.headers["set-cookie"]
    assert resolve_session(bob, token, datetime.now()) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (DEEP, DEEP),
        ("/", "/"),
        ("/overview?lang=fr&period=2026Q2#top", "/overview?lang=fr&period=2026Q2#top"),
        (None, "/"),
        ("", "/"),
        ("kpi", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/kpi", "/"),
        ("javascript:alert(1)", "/"),
        ("/kpi\r\nSet-Cookie: x=1", "/"),
        ("/kpi\tx", "/"),
    ],
)
def test_only_local_paths_are_redirected_to(target: str | None, expected: str) -> None:
    assert local_path(target) == expected
