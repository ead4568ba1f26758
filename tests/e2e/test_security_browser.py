"""A live server with accounts: direct URLs, roles, the login slowdown, inert payloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterkpi import accounts
from clusterkpi.roles import Role
from clusterkpi.store import Store
from tests.demo_db import make_demo_db

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
PAYLOAD = '<img src=x onerror="window.__pwned=1">'
LOGIN = "Connexion à clusterkpi"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with an admin, an animator and a board member."""
    path = make_demo_db(tmp_path_factory.mktemp("e2e_sec") / "demo.duckdb")
    store = Store(path)
    for role in (Role.ADMIN, Role.ANIMATOR, Role.BOARD):
        accounts.add_user(store, f"{role.value}1", role, PASSWORD, by="test")
    store.close()
    return path


def _sign_in(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    """Log in on ``url`` and wait for the browser to get its session cookie."""
    page.goto(url)
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_response(lambda r: "/session/open" in r.url, timeout=30_000):
        page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("path", ["upload", "strategy", "accounts", "audit"])
def test_anonymous_visitors_opening_a_restricted_url_get_the_login_form(
    page: Page, app_url: str, path: str
) -> None:
    page.goto(f"{app_url}/{path}?lang=fr")
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    expect(page.locator("input[type=file]")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)


def test_a_board_member_cannot_reach_the_upload_or_strategy_pages(
    page: Page, app_url: str
) -> None:
    _sign_in(page, f"{app_url}/overview?lang=fr", "board1")
    expect(
        page.get_by_role("heading", name="Tableau de bord du conseil")
    ).to_be_visible(timeout=30_000)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Instantanés trimestriels")
    expect(nav).not_to_contain_text("Importer des données")
    expect(nav).not_to_contain_text("Stratégie et cibles")
    for path in ("upload", "strategy"):
        # A typed URL keeps the login (its cookie), and the page refuses the role.
        page.goto(f"{app_url}/{path}?lang=fr")
        expect(
            page.get_by_text("Votre rôle ne donne pas accès à cette page.")
        ).to_be_visible(timeout=30_000)
        expect(page.locator("input[type=file]")).to_have_count(0)


def test_repeated_wrong_passwords_are_slowed_down(page: Page, app_url: str) -> None:
    wrong = "Nom d'utilisateur ou mot de passe incorrect."
    expected = [
        re.compile(f"^{re.escape(text)}$")
        for text in (wrong, wrong, f"{wrong} Attendez 1 s avant de réessayer.")
    ]
    # The fourth try comes within the second (refused unchecked) or just after it
    # (checked, wrong again, and the wait doubles): slowed down either way.
    expected.append(
        re.compile(
            "^(Trop d'essais infructueux : attendez 1 s avant de réessayer\\."
            f"|{re.escape(wrong)} Attendez 2 s avant de réessayer\\.)$"
        )
    )
    page.goto(f"{app_url}/overview?lang=fr")
    for message in expected:
        expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
        page.get_by_label("Nom d'utilisateur").fill("animator1")
        page.get_by_label("Mot de passe").fill("wrong password!")
        page.get_by_role("button", name="Se connecter").click()
        # Waiting for the text itself: a loaded machine may still show the previous
        # message for a while. Two refusals in a row read the same: let the run end
        # before the next try too (a click during a run would interrupt it).
        page.wait_for_timeout(500)
        expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
        alert = page.get_by_test_id("stAlertContentError").first
        expect(alert).to_have_text(message, timeout=30_000)


def test_script_payloads_in_an_imported_file_are_shown_as_text(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    roster = tmp_path / "adherents_<b>gras<b>.csv"
    roster.write_text(
        "Raison sociale;Type de structure;Pays;Région;Date d'adhésion\n"
        "<script>window.__pwned=2</script>;PME;France;Occitanie;15/01/2024\n"
        f"Laiterie;{PAYLOAD};France;Occitanie;15/01/2024\n",
        encoding="utf-8",
    )
    _sign_in(page, f"{app_url}/upload?lang=fr", "animator1")
    expect(page.get_by_role("heading", name="Importer des données")).to_be_visible(
        timeout=30_000
    )
    page.locator("input[type=file]").set_input_files(str(roster))
    page.get_by_role("button", name="Vérifier", exact=True).click()
    # The refused cell is listed in the problems table (a static table: each reason
    # whole, its cells rendered as Markdown, so escaped).
    cell = page.locator("table td", has_text=PAYLOAD)
    expect(cell.first).to_be_attached(timeout=30_000)
    assert cell.first.inner_text() == PAYLOAD
    expect(page.get_by_text(roster.name).first).to_be_visible()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("b", has_text="gras").count() == 0
    assert dialogs == []
