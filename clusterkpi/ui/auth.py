"""Who is using the app: open mode, single sign-on or a local session; the login form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from clusterkpi import accounts, audit, login, sessions
from clusterkpi.i18n import t
from clusterkpi.roles import Action, Role, may
from clusterkpi.store import Store

TOKEN_KEY = "_auth_token"


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
    order: a single sign-on identity mapped to a role, a local session token. The
    token lives in the server-side session state and is checked against the store on
    every run, so an expired, revoked or disabled account is out at the next click.
    """
    if not accounts.has_accounts(store):
        return OPEN_VIEWER
    sso = _sso_viewer()
    if sso is not None:
        return sso
    token = st.session_state.get(TOKEN_KEY)
    if not isinstance(token, str):
        return None
    user = sessions.resolve_session(store, token, datetime.now())
    if user is None:
        del st.session_state[TOKEN_KEY]
        return None
    return Viewer(
        user.username, user.display_name or user.username, user.role, "password"
    )


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
    """Show the login form; on success open a session and rerun into the app."""
    st.title(t("auth.title", lang))
    st.caption(t("auth.intro", lang))
    if sso_configured():
        if st.button(t("auth.sso", lang), icon=":material/key:", type="primary"):
            st.login()
        if st.user.get("is_logged_in"):
            st.error(t("auth.sso_no_role", lang, email=str(st.user.get("email"))))
        st.divider()
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
        st.session_state[TOKEN_KEY] = sessions.open_session(
            store, result.user.username, datetime.now()
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
    """Close the viewer's session (local or single sign-on)."""
    token = st.session_state.pop(TOKEN_KEY, None)
    if isinstance(token, str):
        sessions.close_session(store, token)
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
            audit.AuditAction.LOGIN,
            viewer.username,
            {"via": "sso"},
        )
    st.session_state["_sso_recorded"] = True
