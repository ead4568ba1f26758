"""A board member's journey in a real browser: long horizon, a KPI's detail, its CSV."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterkpi.catalog import load_catalog
from clusterkpi.i18n import t
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy
from clusterkpi.trajectory import build_trajectory
from clusterkpi.values_export import values_csv
from tests.demo_db import ROOT, TODAY

pytestmark = pytest.mark.browser
KPI = "newsletter_open_rate"


@pytest.fixture(scope="module")
def expected(demo_db: Path) -> dict[str, object]:
    """What the engine says, computed before the server opens the file."""
    store = Store(demo_db)
    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    strategy = read_strategy(store, TODAY)
    period = parse_period("2026Q3")
    card = build_scorecard(store, catalog, strategy, period, Horizon.LONG)
    traj = build_trajectory(store, catalog, strategy, KPI, period.shift(-11), period)
    store.close()
    kpi = catalog.kpis[KPI]
    return {
        "label": kpi.label.fr,
        "status": t(f"status.{card.card(KPI).assessment.status.value}", "fr"),
        "csv": values_csv(traj, kpi, "fr"),
    }


def test_board_member_opens_a_kpi_at_the_long_horizon_and_downloads_its_values(
    page: Page,
    app_url: str,
    expected: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    shots = tmp_path_factory.mktemp("journey")
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{app_url}/?lang=fr&period=2026Q3")
    expect(
        page.get_by_role("heading", name="Tableau de bord du conseil")
    ).to_be_visible(timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_text("Long terme", exact=False).click()
    expect(page).to_have_url(re.compile(r"horizon=long"), timeout=20_000)
    card = page.locator(f".st-key-card_{KPI}")
    expect(card).to_contain_text(str(expected["status"]), timeout=20_000)
    page.screenshot(path=shots / "1_overview_long.png", full_page=True)

    card.get_by_text("Détail").click()
    expect(page.get_by_role("heading", name=str(expected["label"]))).to_be_visible(
        timeout=30_000
    )
    assert "kpi=" + KPI in page.url and "horizon=long" in page.url
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=20_000)
    page.screenshot(path=shots / "2_kpi_detail.png", full_page=True)

    page.get_by_text("Valeurs par période").click()  # a folded section
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Télécharger les valeurs (CSV)").click()
    path = download.value.path()
    assert Path(path).read_bytes() == expected["csv"]
    assert download.value.suggested_filename == f"{KPI}_2023Q4_2026Q3.csv"
    page.screenshot(path=shots / "3_values.png", full_page=True)
