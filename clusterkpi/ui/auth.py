"""Who is using the app: open mode, single sign-on or a local session; the login form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from clusterkpi import accounts, audit, login, sessions
from clusterkpi.i18n import t
from clusterkpi.roles import Action, Role, may
from clusterkpi.session_routes import CLOSE_PATH, OPEN_PATH
from clusterkpi.store import Store
from clusterkpi.ui.plain_text import plain

TOKEN_KEY = "_auth_token"
# A login ticket waiting to be handed to the browser, and a cookie waiting to go.
TICKET_KEY = "_auth_ticket"
FORGET_KEY = "_auth_forget_cookie"


@dataclass(frozen=True)
class Viewer:
    """The person behind the page, and how we know them."""

    username: str
    display_name: str
    role: Role
    how: str  # "open" (no account exists yet), "sso" or "password"

    def may(self, action: Action) -> bool:
        """Tell whether this viewer may perform an action."""
        return may(self.role, action)


OPEN_VIEWER = Viewer("local", "local", Role.ADMIN, "open")


def current_viewer(store: Store) -> Viewer | None:
    """Return who is using the app, or None when they must log in.

    While no account exists the app is open (a fresh demo on localhost). Then, in
    order: a single sign-on identity mapped to a role, the session cookie, the
    session token of this Streamlit session (a login whose cookie is not set yet).
    Tokens are checked against the store on every run, so an expired, revoked or
    disabled account is out at the next click.
    """
    if not accounts.has_accounts(store):
        return OPEN_VIEWER
    sso = _sso_viewer()
    if sso is not None:
        return sso
    now = datetime.now()
    user = sessions.resolve_session(store, cookie_token(), now)
    if user is None:
        token = st.session_state.get(TOKEN_KEY)
        user = sessions.resolve_session(store, token, now) if token else None
        if user is None:
            st.session_state.pop(TOKEN_KEY, None)
            return None
        _hand_over()
    return Viewer(
        user.username, user.display_name or user.username, user.role, "password"
    )


def cookie_token() -> str | None:
    """Return the session token of the browser's cookie, if it sent one."""
    token = st.context.cookies.get(sessions.COOKIE_NAME)
    return token if isinstance(token, str) and token else None


def _hand_over() -> None:
    """Send the browser to the route that sets the cookie, back to the same URL."""
    ticket = st.session_state.pop(TICKET_KEY, None)
    if isinstance(ticket, str):
        _send_browser(OPEN_PATH, ticket)
        # The page is drawn once the browser is back with its cookie, not twice.
        st.stop()


def _send_browser(path: str, ticket: str = "") -> None:
    # The current path and query are read in the browser: the page comes back with
    # the same view (page, period, horizon, language) it showed.
    query = f"?ticket={ticket}&next=" if ticket else "?next="
    here = "encodeURIComponent(location.pathname + location.search)"
    script = f"window.location.replace({json.dumps(path + query)} + {here});"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def _sso_viewer() -> Viewer | None:
    if not st.user.get("is_logged_in"):
        return None
    email = str(st.user.get("email") or "").lower()
    role = login.role_for_email(email, _sso_rules())
    if role is None:
        return None
    return Viewer(email, str(st.user.get("name") or email), role, "sso")


def _sso_rules() -> dict[str, str]:
    try:
        return dict(st.secrets.get("clusterkpi", {}).get("sso_roles", {}))
    except FileNotFoundError:
        return {}


def sso_configured() -> bool:
    """Tell whether single sign-on (OIDC through st.login) is set up in the secrets."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def login_form(store: Store, lang: str) -> None:
    """Show the login form; on success open a session and rerun into the app.

    The rerun hands the session to the browser's cookie (a one-time ticket, see
    current_viewer); after a logout, this form sends the browser to remove it.
    """
    st.title(t("auth.title", lang))
    st.caption(t("auth.intro", lang))
    if sso_configured():
        if st.button(t("auth.sso", lang), icon=":material/key:", type="primary"):
            st.login()
        if st.user.get("is_logged_in"):
            st.error(
                t("auth.sso_no_role", lang, email=plain(str(st.user.get("email"))))
            )
        st.divider()
    if st.session_state.pop(FORGET_KEY, False):
        _send_browser(CLOSE_PATH)
    elif cookie_token() is not None:
        # The browser still holds a session this store no longer accepts.
        st.info(t("sessions.ended", lang), icon=":material/schedule:")
    with st.form("login", border=True):
        username = st.text_input(t("auth.username", lang), key="login_username")
        password = st.text_input(
            t("auth.password", lang), type="password", key="login_password"
        )
        submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
    if not submitted:
        return
    result = login.authenticate(store, username, password, datetime.now())
    if result.user is not None:
        token = sessions.open_session(store, result.user.username, datetime.now())
        st.session_state[TOKEN_KEY] = token
        st.session_state[TICKET_KEY] = sessions.issue_ticket(
            store, token, datetime.now()
        )
        st.rerun()
    st.error(_refusal(result, lang))


def _refusal(result: login.LoginResult, lang: str) -> str:
    if result.status is login.LoginStatus.LOCKED and result.locked_until:
        return t("auth.locked", lang, time=result.locked_until.strftime("%H:%M"))
    if result.status is login.LoginStatus.TOO_SOON:
        return t("auth.wait", lang, seconds=result.retry_after)
    if result.retry_after:
        # This failure starts the delays: say so at once.
        return (
            t("auth.wrong", lang)
            + " "
            + t("auth.wait_next", lang, seconds=result.retry_after)
        )
    return t("auth.wrong", lang)


def logout(store: Store) -> None:
    """Close the viewer's session at once (local or single sign-on).

    The session is revoked in the store now; the browser is then sent to the route
    that removes its cookie (from the login form, on the next run).
    """
    token = st.session_state.pop(TOKEN_KEY, None)
    if isinstance(token, str):
        sessions.close_session(store, token)
    st.session_state.pop(TICKET_KEY, None)
    cookie = cookie_token()
    if cookie is not None:
        sessions.close_session(store, cookie)
        st.session_state[FORGET_KEY] = True
    if st.user.get("is_logged_in"):
        st.logout()


def refuse(lang: str, action: Action) -> None:
    """Stop a page the viewer's role does not allow, saying so."""
    st.error(t("auth.refused", lang), icon=":material/block:")
    st.caption(t(f"auth.needs.{action.value}", lang))
    st.stop()


def record_login(store: Store, viewer: Viewer) -> None:
    """Record a single sign-on login once per session (local logins record themselves)."""
    if viewer.how != "sso" or st.session_state.get("_sso_recorded"):
        return
    with store.transaction() as cur:
        audit.record(
            cur,
            viewer.username,
            audit.AuditAction.LOGIN_OK,
            viewer.username,
            {"via": "sso"},
        )
    st.session_state["_sso_recorded"] = True
