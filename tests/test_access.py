"""Who may open what: the role × page matrix, the menu, sessions, open mode, actions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi import accounts, audit, sessions
from clusterkpi.roles import ALLOWED, Role
from clusterkpi.store import Store
from clusterkpi.ui.auth import TOKEN_KEY, Viewer
from clusterkpi.ui.navigation import MENU, PAGE_ACTIONS, permitted_menu
from tests.demo_db import ROOT, make_demo_db
from tests.import_helpers import app_env

PASSWORD = "correct horse battery"
REFUSED = "Your role does not give access to this page."
LOGIN_TITLE = "Sign in to clusterkpi"
TITLES = {
    "pages/overview.py": "Board scorecard",
    "pages/internal.py": "Internal communication",
    "pages/external.py": "External communication",
    "pages/membership.py": "Membership and attractiveness",
    "pages/kpi.py": "Active members",
    "pages/snapshots.py": "Quarterly snapshots",
    "pages/upload.py": "Import data",
    "pages/strategy.py": "Strategy and targets",
    "pages/mappings.py": "Column mapping",
    "pages/accounts.py": "Accounts",
    "pages/audit.py": "Audit log",
}


@pytest.fixture(scope="module")
def demo_with_accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_demo_db(tmp_path_factory.mktemp("access") / "demo.duckdb")
    store = Store(path)
    for role in (Role.ADMIN, Role.ANIMATOR, Role.BOARD):  # the first must be an admin
        accounts.add_user(store, f"{role.value}1", role, PASSWORD, by="test")
    store.close()
    return path


@pytest.fixture
def env(demo_with_accounts: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(demo_with_accounts, monkeypatch)


def _token(path: Path, username: str) -> str:
    st.cache_resource.clear()
    store = Store(path)
    try:
        return sessions.open_session(store, username, datetime.now())
    finally:
        store.close()


def _run(script: str, token: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    if token is not None:
        at.session_state[TOKEN_KEY] = token
    return at.run()


ENDED = (
    "Your session has ended (signed out, 2 h without activity, 12 h since signing"
    " in, or account disabled): please sign in again."
)


def _with_store(path: Path, change) -> object:  # type: ignore[no-untyped-def]
    st.cache_resource.clear()  # the app's connection goes; the next run reopens it
    store = Store(path)
    try:
        return change(store)
    finally:
        store.close()


def _scripts(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def _send_cookie(monkeypatch: pytest.MonkeyPatch, token: str | None) -> None:
    # AppTest cannot seed st.context.cookies: the browser's cookie is stood in for.
    monkeypatch.setattr("clusterkpi.ui.auth.cookie_token", lambda: token)


def test_every_page_of_the_menu_is_declared_with_its_action() -> None:
    scripts = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
    assert sorted(PAGE_ACTIONS) == scripts
    assert sorted(TITLES) == [s for s in scripts if s != "pages/home.py"]
    assert len([p for _, pages in MENU for p in pages]) == len(scripts) - 1


@pytest.mark.parametrize("script", sorted(TITLES))
def test_anonymous_visitors_get_the_login_form_on_every_page(
    env: Path, script: str
) -> None:
    at = _run(script)
    assert [t.value for t in at.title] == [LOGIN_TITLE]
    assert [i.label for i in at.text_input] == ["User name", "Password"]
    assert list(at.exception) == []


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("script", sorted(TITLES))
def test_the_role_page_matrix(env: Path, script: str, role: Role) -> None:
    at = _run(script, _token(env, f"{role.value}1"))
    assert list(at.exception) == []
    if role in ALLOWED[PAGE_ACTIONS[script]]:
        assert [t.value for t in at.title] == [TITLES[script]]
        assert REFUSED not in [e.value for e in at.error]
    else:
        assert [t.value for t in at.title] == []
        assert [e.value for e in at.error] == [REFUSED]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.BOARD, ["overview", "internal", "external", "membership", "kpi",
                      "snapshots"]),
        (Role.ANIMATOR, ["overview", "internal", "external", "membership", "kpi",
                         "snapshots", "upload", "strategy", "mappings"]),
        (Role.ADMIN, ["overview", "internal", "external", "membership", "kpi",
                      "snapshots", "upload", "strategy", "mappings", "accounts",
                      "audit"]),
    ],
)  # fmt: skip
def test_the_menu_lists_only_the_pages_the_role_may_open(
    role: Role, expected: list[str]
) -> None:
    viewer = Viewer(f"{role.value}1", "x", role, "password")
    menu = permitted_menu(viewer)
    assert [url for _, pages in menu for _, _, _, url in pages] == expected
    assert [section for section, _ in menu] == [
        "nav.section.dashboards",
        *(["nav.section.data"] if role is not Role.BOARD else []),
        *(["nav.section.admin"] if role is Role.ADMIN else []),
    ]


def test_cockpit_runs_the_menu_for_a_signed_in_board_member(env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "cockpit.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.session_state[TOKEN_KEY] = _token(env, "board1")
    at.run()
    assert [t.value for t in at.title] == ["Board scorecard"]
    at.switch_page("pages/upload.py").run()
    assert [e.value for e in at.error] == [REFUSED]
    assert list(at.file_uploader) == []


def test_a_board_member_sees_no_freeze_form_but_may_approve(env: Path) -> None:
    st.cache_resource.clear()
    store = Store(env)
    from clusterkpi.catalog import load_catalog
    from clusterkpi.snapshots import create_snapshot
    from tests.demo_db import TODAY

    create_snapshot(
        store, load_catalog(ROOT / "data/kpis.yaml"), "2026Q2", "animator1", today=TODAY
    )
    store.close()
    board = _run("pages/snapshots.py", _token(env, "board1"), snapshot="2026Q2")
    assert [e.label for e in board.expander] == []
    assert [b.key for b in board.button if b.key == "approve_2026Q2"] == [
        "approve_2026Q2"
    ]
    animator = _run("pages/snapshots.py", _token(env, "animator1"), snapshot="2026Q2")
    assert [e.label for e in animator.expander] == ["Freeze a quarter"]
    assert [b.key for b in animator.button if b.key == "approve_2026Q2"] == []


def test_a_forged_token_or_a_closed_session_gets_the_login_form(env: Path) -> None:
    assert [t.value for t in _run("pages/upload.py", "forged-token").title] == [
        LOGIN_TITLE
    ]
    token = _token(env, "animator1")
    st.cache_resource.clear()
    store = Store(env)
    sessions.close_session(store, token)
    store.close()
    assert [t.value for t in _run("pages/upload.py", token).title] == [LOGIN_TITLE]


def test_logging_in_opens_the_requested_page(env: Path) -> None:
    at = _run("pages/strategy.py")
    at.text_input(key="login_username").set_value("animator1")
    at.text_input(key="login_password").set_value(PASSWORD)
    at = at.button[0].click().run()
    # This run only sends the browser for its cookie (see the next test); until the
    # ticket is used, the Streamlit session's own token signs it in.
    assert [t.value for t in at.title] == []
    assert len(_scripts(at)) == 1
    assert isinstance(at.session_state[TOKEN_KEY], str)
    at = at.run()
    assert [t.value for t in at.title] == ["Strategy and targets"]
    assert _scripts(at) == []


def test_logging_in_hands_the_session_to_the_browser_cookie(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run("pages/kpi.py", kpi="new_members", period="2026Q2")
    at.text_input(key="login_username").set_value("board1")
    at.text_input(key="login_password").set_value(PASSWORD)
    at = at.button[0].click().run()
    assert [t.value for t in at.title] == []  # drawn once, with the cookie
    [script] = _scripts(at)
    found = re.fullmatch(
        r'<script>window\.location\.replace\("/session/open\?ticket=([\w-]{43})&next="'
        r" \+ encodeURIComponent\(location\.pathname \+ location\.search\)\);</script>",
        script,
    )
    assert found is not None
    page_token = at.session_state[TOKEN_KEY]
    cookie = _with_store(
        env, lambda s: sessions.redeem_ticket(s, found.group(1), datetime.now())
    )
    assert isinstance(cookie, str)
    # A reload: a new Streamlit session, with the cookie and nothing else.
    _send_cookie(monkeypatch, cookie)
    again = _run("pages/kpi.py", kpi="new_members", period="2026Q2")
    assert [t.value for t in again.title] == ["New members"]
    assert again.sidebar.selectbox(key="period_picker").value == "2026Q2"
    assert _scripts(again) == []
    # The page's own token was handed over: it signs nobody in any more.
    _send_cookie(monkeypatch, None)
    assert [t.value for t in _run("pages/kpi.py", page_token).title] == [LOGIN_TITLE]


def test_signing_out_revokes_the_cookie_session_at_once(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _token(env, "board1")
    _send_cookie(monkeypatch, token)
    at = _run("pages/overview.py")
    assert [t.value for t in at.title] == ["Board scorecard"]
    at = at.button(key="logout").click().run()
    assert [t.value for t in at.title] == [LOGIN_TITLE]
    # The browser is sent to the route that removes the cookie, back to this page.
    assert _scripts(at) == [
        '<script>window.location.replace("/session/close?next=" +'
        " encodeURIComponent(location.pathname + location.search));</script>"
    ]
    assert [i.value for i in at.info] == []
    user = _with_store(
        env, lambda s: sessions.resolve_session(s, token, datetime.now())
    )
    assert user is None
    # Should the cookie stay (the route never reached), it signs nobody in.
    again = _run("pages/overview.py")
    assert [t.value for t in again.title] == [LOGIN_TITLE]
    assert [i.value for i in again.info] == [ENDED]


def test_disabling_an_account_shows_the_login_form_at_the_next_click(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_store(
        env,
        lambda s: accounts.add_user(s, "board2", Role.BOARD, PASSWORD, by="test"),
    )
    _send_cookie(monkeypatch, _token(env, "board2"))
    at = _run("pages/overview.py")
    assert [t.value for t in at.title] == ["Board scorecard"]
    _with_store(env, lambda s: accounts.set_disabled(s, "board2", True, by="test"))
    at = at.run()
    assert [t.value for t in at.title] == [LOGIN_TITLE]
    assert [i.value for i in at.info] == [ENDED]


def test_a_valid_cookie_wins_over_an_ended_page_token(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _send_cookie(monkeypatch, _token(env, "animator1"))
    at = _run("pages/upload.py", "an-ended-token")
    assert [t.value for t in at.title] == ["Import data"]


class _FrozenClock(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
        return datetime(2026, 11, 26, 10, 0, 0)


def test_a_wrong_password_is_refused_then_slowed_down(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four attempts in the same second, whatever the machine's speed.
    monkeypatch.setattr("clusterkpi.ui.auth.datetime", _FrozenClock)
    at = _run("pages/overview.py")
    errors = []
    for _ in range(4):
        at.text_input(key="login_username").set_value("board1")
        at.text_input(key="login_password").set_value("not the password")
        at = at.button[0].click().run()
        errors.append(at.error[0].value)
    assert errors == [
        "Wrong user name or password.",
        "Wrong user name or password.",
        "Wrong user name or password. Wait 1 s before trying again.",
        "Too many failed attempts: wait 1 s before trying again.",
    ]


def test_open_mode_says_so_while_no_account_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in app_env(make_demo_db(tmp_path / "open.duckdb"), monkeypatch):
        at = _run("pages/strategy.py")
        assert [t.value for t in at.title] == ["Strategy and targets"]
        assert [w.value for w in at.sidebar.warning][0].startswith(
            "Open mode: no account"
        )


def test_a_single_sign_on_identity_gets_its_role_and_is_audited_once(
    env: Path,
) -> None:
    at = AppTest.from_file(str(ROOT / "cockpit.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    at.secrets["clusterkpi"] = {"sso_roles": {"@board.example.org": "board"}}
    at.user = {
        "is_logged_in": True,
        "email": "Claire@Board.example.org",
        "name": "Claire Martin",
    }
    at = at.run()
    assert list(at.exception) == []
    assert "Signed in as Claire Martin (Board member)" in [c.value for c in at.caption]
    at = at.run()  # a second run of the same session records nothing more
    logins = _with_store(
        env, lambda s: audit.audit_entries(s, action=audit.AuditAction.LOGIN_OK)
    )
    assert [(e.username, e.target, e.detail) for e in logins][:1] == [
        ("claire@board.example.org", "claire@board.example.org", {"via": "sso"})
    ]
    assert sum(e.username == "claire@board.example.org" for e in logins) == 1
