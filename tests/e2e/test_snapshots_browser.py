"""A board member downloads the frozen quarter's board pack from a live server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterkpi.catalog import load_catalog
from clusterkpi.snapshots import create_snapshot
from clusterkpi.store import Store
from tests.demo_db import ROOT, TODAY, make_demo_db

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with 2026Q3 frozen, before the server opens it."""
    path = make_demo_db(tmp_path_factory.mktemp("e2e_snap") / "demo.duckdb")
    store = Store(path)
    create_snapshot(
        store,
        load_catalog(ROOT / "data" / "kpis.yaml"),
        "2026Q3",
        "marie",
        {"credibility": "Trimestre <script>alert(1)</script> solide."},
        today=TODAY,
    )
    store.close()
    return path


def test_the_board_pack_downloads_as_a_pdf_with_the_scorecard(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{app_url}/snapshots?lang=fr&snapshot=2026Q3")
    expect(page.get_by_role("heading", name="Instantané 2026Q3")).to_be_visible(
        timeout=30_000
    )
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Dossier du conseil (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "clusterkpi_2026Q3_fr.pdf"
    assert saved.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(
        ["pdftotext", "-layout", str(saved), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Pôle Agrinov Occitanie" in text
    assert "2026Q3" in text
    assert "Trimestre <script>alert(1)</script> solide." in text
    page.screenshot(path=tmp_path / "snapshots.png", full_page=True)


def test_freeze_then_request_changes_then_approve_with_a_comment(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.goto(f"{app_url}/snapshots?lang=fr&snapshot=2026Q3")
    expect(page.get_by_role("heading", name="Instantané 2026Q3")).to_be_visible(
        timeout=30_000
    )
    page.get_by_text("Figer un trimestre").click()
    page.get_by_label("Trimestre à figer").click()
    page.get_by_role("option", name="2026Q2").click()
    page.get_by_role("button", name="Figer ce trimestre").click()
    # The page shows the new state at once: message, the new snapshot chosen.
    expect(page.get_by_text("2026Q2 est figé.")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Instantané 2026Q2")).to_be_visible()
    expect(page.get_by_text("Aucun trimestre n'a encore été figé.")).to_have_count(0)
    expect(page.get_by_text("Tableau de bord figé")).to_be_visible()

    page.get_by_role("button", name="Demander des modifications").click()
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(
        page.get_by_text("Dites ce qui doit changer : le commentaire est obligatoire.")
    ).to_be_visible(timeout=30_000)
    page.get_by_label("Ce qui doit changer (obligatoire)").fill(
        "Commentez <b>la presse</b>."
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(
        page.get_by_text("Votre demande de modifications sur 2026Q2 est enregistrée.")
    ).to_be_visible(timeout=30_000)
    expect(page.get_by_text("— Commentez <b>la presse</b>.")).to_be_visible()

    page.get_by_role("button", name="Approuver cet instantané").click()
    expect(
        page.get_by_text("Aucun changement depuis le gel", exact=False)
    ).to_be_visible(timeout=30_000)
    page.get_by_label(
        "Commentaire (facultatif, imprimé dans le dossier du conseil)"
    ).fill("Vu en séance.")
    page.get_by_role("button", name="Confirmer l'approbation").click()
    expect(page.get_by_text("2026Q2 est approuvé.")).to_be_visible(timeout=30_000)
    expect(
        page.get_by_text("Commentaire de l'approbation : Vu en séance.")
    ).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Dossier du conseil (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    cover = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(saved), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Approuvé par local le" in " ".join(cover.split())
    assert "— Vu en séance." in " ".join(cover.split())
