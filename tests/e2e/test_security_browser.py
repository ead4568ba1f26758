"""A live server with accounts: direct URLs, roles, the login slowdown, inert payloads."""

from __future__ import annotations

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
    page.goto(url)
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
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
        # A new page load is a new session: sign in again, then be refused.
        _sign_in(page, f"{app_url}/{path}?lang=fr", "board1")
        expect(
            page.get_by_text("Votre rôle ne donne pas accès à cette page.")
        ).to_be_visible(timeout=30_000)
        expect(page.locator("input[type=file]")).to_have_count(0)


def test_repeated_wrong_passwords_are_slowed_down(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/overview?lang=fr")
    messages = []
    for _ in range(4):
        expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
        page.get_by_label("Nom d'utilisateur").fill("animator1")
        page.get_by_label("Mot de passe").fill("wrong password!")
        page.get_by_role("button", name="Se connecter").click()
        # Two refusals in a row read the same: let the run end before reading, and
        # before the next try (a click during a run would interrupt it).
        page.wait_for_timeout(500)
        expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
        page.wait_for_timeout(300)
        alert = page.get_by_test_id("stAlertContentError").first
        expect(alert).to_be_visible(timeout=20_000)
        messages.append(alert.inner_text())
    wrong = "Nom d'utilisateur ou mot de passe incorrect."
    assert messages[:3] == [
        wrong,
        wrong,
        f"{wrong} Attendez 1 s avant de réessayer.",
    ]
    # The fourth try comes within the second (refused unchecked) or just after it
    # (checked, wrong again, and the wait doubles): slowed down either way.
    assert messages[3] in (
        "Trop d'essais infructueux : attendez 1 s avant de réessayer.",
        f"{wrong} Attendez 2 s avant de réessayer.",
    )


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
    # The refused cell is listed in the problems table (a canvas grid: its cells are
    # in the page for screen readers, as text).
    cell = page.locator("[role=gridcell]", has_text=PAYLOAD)
    expect(cell.first).to_be_attached(timeout=30_000)
    assert cell.first.inner_text() == PAYLOAD
    expect(page.get_by_text(roster.name).first).to_be_visible()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("b", has_text="gras").count() == 0
    assert dialogs == []
