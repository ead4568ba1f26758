"""A real browser uploads a Mailchimp export and sees the open rate change on the Overview."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterkpi.catalog import Unit
from clusterkpi.i18n import format_value
from clusterkpi.imports.importer import ImportOptions, import_file
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy
from tests.demo_db import ROOT, TODAY

pytestmark = pytest.mark.browser
EXPORT = ROOT / "tests" / "data" / "imports" / "mailchimp" / "campaigns_2026Q3.csv"


def _open_rate(store: Store) -> str:
    from clusterkpi.catalog import load_catalog

    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    card = build_scorecard(
        store,
        catalog,
        read_strategy(store, TODAY),
        parse_period("2026Q3"),
        Horizon.SHORT,
    )
    return format_value(card.card("newsletter_open_rate").value, Unit.RATE, "fr_FR")


@pytest.fixture(scope="module")
def expected(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    """Open rate of 2026Q3 before and after the import, computed on a copy of the file."""
    copy = tmp_path_factory.mktemp("expected") / "copy.duckdb"
    shutil.copy(demo_db, copy)
    store = Store(copy)
    before = _open_rate(store)
    report = import_file(
        store, EXPORT.name, EXPORT.read_bytes(), ImportOptions(), TODAY
    )
    assert report.status == "loaded"
    after = _open_rate(store)
    store.close()
    return before, after


def _open_rate_card(page: Page):
    return page.locator(
        ".st-key-card_newsletter_open_rate [data-testid='stMetricValue']"
    )


def test_uploading_a_mailchimp_export_changes_the_open_rate(
    page: Page,
    app_url: str,
    expected: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    before, after = expected
    assert before != after
    shots = tmp_path_factory.mktemp("upload_screens")
    page.goto(f"{app_url}/overview?lang=fr&period=2026Q3")
    expect(_open_rate_card(page)).to_have_text(before, timeout=30_000)

    page.goto(f"{app_url}/upload?lang=fr")
    expect(page.get_by_role("heading", name="Importer des données")).to_be_visible(
        timeout=30_000
    )
    page.locator("input[type=file]").set_input_files(str(EXPORT))
    expect(page.get_by_text("campaigns_2026Q3.csv").first).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("campaigns_2026Q3.csv : chargé")).to_be_visible(
        timeout=30_000
    )
    expect(
        page.get_by_text(
            "campaigns_2026Q3.csv reconnu comme « Mailchimp — liste des campagnes »"
            " — lignes lues : 2, valides : 2."
        )
    ).to_be_visible()
    page.screenshot(path=shots / "upload_loaded.png", full_page=True)

    page.goto(f"{app_url}/overview?lang=fr&period=2026Q3")
    expect(_open_rate_card(page)).to_have_text(after, timeout=30_000)
    page.screenshot(path=shots / "overview_after_import.png", full_page=True)


def test_switching_language_changes_the_menu_and_an_attendee_list_fills_its_event(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    page.goto(f"{app_url}/upload?lang=fr")
    expect(page.get_by_role("heading", name="Importer des données")).to_be_visible(
        timeout=30_000
    )
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Importer des données")).to_be_visible()
    sidebar.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Import data")).to_be_visible(
        timeout=30_000
    )
    # The menu is in the new language at once, not one click later.
    expect(sidebar.get_by_role("link", name="Import data")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Importer des données")).to_have_count(0)
    expect(page.get_by_text("at most 50 MB per file")).to_be_visible()

    named = tmp_path / "Atelier IA 2026-03-12 attendees.csv"
    shutil.copy(
        ROOT / "tests" / "data" / "imports" / "eventbrite" / "attendees.csv", named
    )
    page.locator("input[type=file]").set_input_files(str(named))
    title = page.get_by_role("textbox", name="Title of the new event")
    expect(title).to_have_value("Atelier IA", timeout=30_000)
    day = page.get_by_role("group", name="Date of the new event")
    expect(day).to_have_text("2026-03-12")
    expect(page.get_by_text("Title and date read from the file name")).to_be_visible()
