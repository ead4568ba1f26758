"""A login kept in a cookie: reload, new tab, shared link, logout, disabled account."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterkpi import accounts
from clusterkpi.roles import Role
from clusterkpi.sessions import COOKIE_NAME
from clusterkpi.store import Store
from tests.demo_db import make_demo_db

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
LOGIN = "Connexion à clusterkpi"
# A deep link: a KPI detail at a chosen quarter and horizon, in French.
DEEP = "/kpi?lang=fr&kpi=new_members&period=2026Q2&horizon=medium"
TITLE = "Nouvelles adhésions"
SIGNED_IN = "Connecté : {name} (Membre du conseil)"
ENDED = (
    "Votre session a pris fin (déconnexion, 2 h sans activité, 12 h depuis la"
    " connexion, ou compte désactivé) : connectez-vous de nouveau."
)
MAIL = "https://mail.example.org/inbox"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with an admin and two board members."""
    path = make_demo_db(tmp_path_factory.mktemp("e2e_login") / "demo.duckdb")
    store = Store(path)
    accounts.add_user(store, "admin1", Role.ADMIN, PASSWORD, by="test")
    for name in ("board1", "board2"):
        accounts.add_user(store, name, Role.BOARD, PASSWORD, by="test")
    store.close()
    return path


def _sign_in(page: Page, url: str, username: str) -> None:
    """Log in on ``url`` and wait for the browser to get its session cookie."""
    page.goto(url)
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_response(lambda r: "/session/open" in r.url, timeout=30_000):
        page.get_by_role("button", name="Se connecter").click()


def _expect_deep_view(page: Page, app_url: str, name: str) -> None:
    """The KPI page of the deep link, with its quarter and horizon, for ``name``."""
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(SIGNED_IN.format(name=name))).to_be_visible(
        timeout=30_000
    )
    period = sidebar.get_by_role("combobox", name="Période")
    expect(period).to_have_value("2026Q2", timeout=30_000)
    horizon = sidebar.get_by_role("radio", name="Moyen terme (31 déc. 2031)")
    expect(horizon).to_be_checked(timeout=30_000)
    expect(page.get_by_role("heading", name=LOGIN)).to_have_count(0)
    assert page.url.startswith(f"{app_url}{DEEP}")


def _session_cookies(context: BrowserContext) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == COOKIE_NAME]


def test_a_login_survives_a_reload_a_new_tab_and_a_shared_link(
    page: Page, context: BrowserContext, app_url: str
) -> None:
    _sign_in(page, f"{app_url}{DEEP}", "board1")
    _expect_deep_view(page, app_url, "board1")
    [cookie] = _session_cookies(context)
    assert {k: cookie[k] for k in ("path", "httpOnly", "sameSite", "secure")} == {
        "path": "/",
        "httpOnly": True,
        "sameSite": "Strict",
        "secure": False,  # plain http on localhost; Secure over HTTPS
    }
    assert len(cookie["value"]) == 43
    assert page.evaluate("() => document.cookie").find(COOKIE_NAME) == -1

    page.reload()
    _expect_deep_view(page, app_url, "board1")

    tab = context.new_page()
    tab.goto(f"{app_url}{DEEP}")
    _expect_deep_view(tab, app_url, "board1")

    # A link in a mail opened from another site: the page's own connection still
    # carries the SameSite=Strict cookie.
    context.route(
        MAIL,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<a id="shared" href="{app_url}{DEEP}">KPI</a>',
        ),
    )
    shared = context.new_page()
    shared.goto(MAIL)
    shared.click("#shared")
    _expect_deep_view(shared, app_url, "board1")
    assert _session_cookies(context) == [cookie]


def test_signing_out_ends_the_session_and_its_cookie(
    page: Page, context: BrowserContext, app_url: str
) -> None:
    _sign_in(page, f"{app_url}{DEEP}", "board1")
    _expect_deep_view(page, app_url, "board1")
    [cookie] = _session_cookies(context)
    with page.expect_response(lambda r: "/session/close" in r.url, timeout=30_000):
        page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    assert _session_cookies(context) == []
    # The old cookie, put back, signs nobody in: the session was revoked.
    context.add_cookies([cookie])
    page.goto(f"{app_url}{DEEP}")
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(ENDED)).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_have_count(0)


def test_a_disabled_account_gets_the_login_form_at_its_next_click(
    page: Page, browser: Browser, app_url: str
) -> None:
    _sign_in(page, f"{app_url}{DEEP}", "board2")
    _expect_deep_view(page, app_url, "board2")

    admin_context = browser.new_context()
    admin = admin_context.new_page()
    _sign_in(admin, f"{app_url}/accounts?lang=fr", "admin1")
    expect(admin.get_by_role("heading", name="Comptes")).to_be_visible(timeout=30_000)
    admin.get_by_role("combobox", name="Nom d'utilisateur").click()
    admin.get_by_role("option", name="board2").click()
    admin.get_by_role("radiogroup", name="Modification").get_by_text(
        "Désactiver"
    ).click()
    admin.get_by_role("button", name="Appliquer").click()
    expect(admin.get_by_text("Compte board2 modifié.")).to_be_visible(timeout=30_000)
    admin_context.close()

    page.get_by_test_id("stSidebar").get_by_text("Long terme").click()
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(ENDED)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
