"""A real browser opens the Overview of a live server and reads the demo KPI cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterkpi.catalog import load_catalog
from clusterkpi.i18n import format_value
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy
from tests.demo_db import ROOT, TODAY

pytestmark = pytest.mark.browser
KPIS = ("active_members", "newsletter_open_rate", "member_nps", "website_sessions")


@pytest.fixture(scope="module")
def expected(demo_db: Path) -> dict[str, dict[str, str]]:
    """The values the engine gives for 2026Q3, formatted per language (server not up yet)."""
    store = Store(demo_db)
    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    card = build_scorecard(
        store,
        catalog,
        read_strategy(store, TODAY),
        parse_period("2026Q3"),
        Horizon.SHORT,
    )
    store.close()
    return {
        lang: {
            k: format_value(card.card(k).value, catalog.kpis[k].unit, locale)
            for k in KPIS
        }
        for lang, locale in (("fr", "fr_FR"), ("en", "en_GB"))
    }


def _where_to_act(page: Page, attention: str, moving: str, column: str) -> None:
    """The two opening columns, and the objectives table drawn as part of the page."""
    expect(page.locator(".st-key-needs_attention")).to_contain_text(attention)
    expect(page.locator(".st-key-moving")).to_contain_text(moving)
    # Five links to KPI details; a Markdown table, not a grid that draws itself later.
    expect(page.locator(".st-key-needs_attention a[href*='kpi=']")).to_have_count(5)
    table = page.get_by_test_id("stMarkdown").locator("table")
    expect(table.locator("th").last).to_have_text(column)
    expect(table.locator("tbody tr")).to_have_count(11)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


def _metric(page: Page, kpi_id: str):
    return page.locator(f".st-key-card_{kpi_id} [data-testid='stMetricValue']")


def test_overview_shows_demo_kpi_cards_in_french_then_english(
    page: Page,
    app_url: str,
    expected: dict[str, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The first request to a fresh server opens the page URL directly, before app.py ran.
    page.goto(f"{app_url}/overview?lang=fr&period=2026Q3&horizon=short")
    expect(
        page.get_by_role("heading", name="Tableau de bord du conseil")
    ).to_be_visible(timeout=30_000)
    # Served through app.py's navigation, not Streamlit's discovery of pages/.
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Communication interne")
    expect(nav.get_by_text("overview", exact=True)).to_have_count(0)
    for kpi_id, text in expected["fr"].items():
        expect(_metric(page, kpi_id)).to_have_text(text, timeout=20_000)
    _where_to_act(page, "Points d'attention", "En mouvement", "Où agir")
    shots = tmp_path_factory.mktemp("screens")
    page.screenshot(path=shots / "overview_fr.png", full_page=True)

    page.get_by_test_id("stSidebar").get_by_text("English").click()
    expect(page.get_by_role("heading", name="Board scorecard")).to_be_visible(
        timeout=20_000
    )
    for kpi_id, text in expected["en"].items():
        expect(_metric(page, kpi_id)).to_have_text(text, timeout=20_000)
    _where_to_act(page, "Needs attention", "Moving", "Where to act")
    assert "lang=en" in page.url
    page.screenshot(path=shots / "overview_en.png", full_page=True)
