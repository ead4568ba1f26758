"""Text from data reaches the page as typed: no link, image or emphasis made from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from clusterkpi import accounts
from clusterkpi.catalog import load_catalog
from clusterkpi.imports.mapping import ColumnMapping, save_mapping
from clusterkpi.roles import Role
from clusterkpi.snapshots import approve_snapshot, create_snapshot
from clusterkpi.store import Store
from clusterkpi.strategy import read_strategy, save_strategy
from tests.demo_db import ROOT, TODAY, make_demo_db

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
PAYLOAD = (
    "[ext](https://evil.example.org) ![i](https://evil.example.org/t.png)"
    " **B** <b>H</b> <img src=https://evil.example.org/x.png>"
)
# A file name holds no slash: the same links and image, written without one.
FILE_PAYLOAD = (
    "[ext](https:evil.example.org) ![i](https:evil.example.org) **B** <b>H</b>"
)
MAPPING_HEADER = ("Nom de la boîte", "Forme", "Arrivée le", "Ville")
LOGIN = "Connexion à clusterkpi"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
ROSTER = (
    "Raison sociale;Type de structure;Pays;Région;Date d'adhésion\n"
    "Laiterie;PME;France;Occitanie;15/01/2024\n"
)
BOITES = "Nom de la boîte;Forme;Arrivée le;Ville\nLaiterie;PME;15/01/2024;Albi\n"
SURVEYS = (
    "Record ID,Survey Name,Survey Type,Submitted at,Email,Rating,NPS,Response\n"
    f'1,"{PAYLOAD}",NPS,2026-05-04 09:12,a@example.org,10,Promoter,\n'
    "2,CSAT salon 2026,CSAT,2026-05-04 10:00,b@example.org,3,,\n"
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with the payload as a name, a text and a comment everywhere."""
    path = make_demo_db(tmp_path_factory.mktemp("e2e_plain") / "demo.duckdb")
    store = Store(path)
    accounts.add_user(store, "admin1", Role.ADMIN, PASSWORD, PAYLOAD, by="test")
    strategy = read_strategy(store, TODAY)
    assert strategy is not None
    positioning = strategy.positioning.model_copy(
        update={"cluster_name": PAYLOAD, "mission": PAYLOAD, "values": PAYLOAD}
    )
    save_strategy(
        store, strategy.model_copy(update={"positioning": positioning}), "admin1"
    )
    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    objective = next(iter(catalog.objectives))
    create_snapshot(
        store, catalog, "2026Q3", "admin1", {objective: PAYLOAD}, today=TODAY
    )
    approve_snapshot(store, "2026Q3", "admin1", PAYLOAD)
    mapping = ColumnMapping.model_validate_json(
        (ROOT / "tests/data/imports/mapping/boites_mapping.json").read_text("utf-8")
    )
    save_mapping(store, MAPPING_HEADER, mapping.model_copy(update={"label": PAYLOAD}))
    store.close()
    return path


@pytest.fixture
def outside(page: Page) -> list[str]:
    """Every request the page makes to evil.example.org (refused, and listed)."""
    asked: list[str] = []

    def refuse(route: Route) -> None:
        asked.append(route.request.url)
        route.abort()

    page.context.route(re.compile(r"evil\.example\.org"), refuse)
    page.on("request", lambda r: "evil" in r.url and asked.append(r.url))
    return asked


def _sign_in(page: Page, url: str) -> None:
    """Log in as the admin whose display name is the payload."""
    page.goto(url)
    expect(page.get_by_role("heading", name=LOGIN)).to_be_visible(timeout=30_000)
    page.get_by_label("Nom d'utilisateur").fill("admin1")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_response(lambda r: "/session/open" in r.url, timeout=30_000):
        page.get_by_role("button", name="Se connecter").click()


def _assert_inert(page: Page, texts: list[str], outside: list[str]) -> None:
    """No link, image or bold text made from the payload; each text shown as typed."""
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    # What a reader sees: plain() keeps URLs from turning into links with invisible
    # word joiners, which are no part of what one reads.
    seen = page.evaluate(
        "() => document.body.innerText.replaceAll('\\u2060', '')"
        ".replaceAll('\\u00a0', ' ')"
    )
    assert [t for t in texts if t not in seen] == []
    found = page.locator("a[href*='evil'], img[src*='evil']").evaluate_all(
        "(els) => els.map((e) => e.outerHTML)"
    )
    found += page.locator("b, strong").evaluate_all(
        "(els) => els.map((e) => e.outerHTML)"
        ".filter((h) => /^<[^>]+>\\s*[BH]\\s*</.test(h))"
    )
    assert found == []
    assert outside == []


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("overview", "Tableau de bord du conseil"),
        ("snapshots", "Instantané 2026Q3"),
        ("mappings", "Correspondance des colonnes"),
        ("accounts", "Comptes"),
        ("audit", "Journal d'audit"),
        ("strategy", "Stratégie et cibles"),
    ],
)
def test_names_and_texts_from_data_are_shown_as_typed(
    page: Page, app_url: str, outside: list[str], path: str, heading: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 2400})
    _sign_in(page, f"{app_url}/{path}?lang=fr")
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(
        timeout=30_000
    )
    if path == "overview":  # the mission and values are folded under the header
        page.get_by_text("Positionnement", exact=True).click()
    # The sidebar's "signed in as" names the account by its display name.
    shown = [f"Connecté : {PAYLOAD} (Administrateur)"]
    shown += {
        "overview": [f"{PAYLOAD} · période", f"— {PAYLOAD}"],
        "snapshots": [
            f"Commentaire de l'approbation : {PAYLOAD}",
            f"— {PAYLOAD}",
        ],
        "mappings": [f"{PAYLOAD} — Liste des adhérents — modifiée le"],
    }.get(path, [])
    _assert_inert(page, shown, outside)
    if path == "accounts":  # the accounts table's cells (a canvas, read as text)
        cell = page.locator("[role=gridcell]", has_text=PAYLOAD)
        expect(cell.first).to_be_attached()
        assert cell.first.inner_text() == PAYLOAD


def test_uploaded_file_and_survey_names_are_shown_as_typed(
    page: Page, app_url: str, outside: list[str]
) -> None:
    page.set_viewport_size({"width": 1280, "height": 2400})
    _sign_in(page, f"{app_url}/upload?lang=fr")
    expect(page.get_by_role("heading", name="Importer des données")).to_be_visible(
        timeout=30_000
    )
    page.locator("input[type=file]").set_input_files(
        [
            {
                "name": f"{FILE_PAYLOAD}.csv",
                "mimeType": "text/csv",
                "buffer": ROSTER.encode(),
            },
            {
                "name": f"{FILE_PAYLOAD} refus.csv",
                "mimeType": "text/csv",
                "buffer": b"rien;de;connu\n1;2;3\n",
            },
            {
                "name": f"{FILE_PAYLOAD} boîtes.csv",
                "mimeType": "text/csv",
                "buffer": BOITES.encode("utf-8"),
            },
            {
                "name": f"{FILE_PAYLOAD} enquêtes.csv",
                "mimeType": "text/csv",
                "buffer": SURVEYS.encode("utf-8"),
            },
        ]
    )
    expect(page.get_by_text("Enquêtes à prendre en compte")).to_be_visible(
        timeout=30_000
    )
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.get_by_text(f"{FILE_PAYLOAD} refus.csv :").first).to_be_visible(
        timeout=30_000
    )
    _assert_inert(
        page,
        [
            f"{FILE_PAYLOAD}.csv : vérifié",
            f"{FILE_PAYLOAD} refus.csv : format non reconnu",
            f"{PAYLOAD} — 1 réponses",
            f"« {PAYLOAD} (correspondance de colonnes) »",
        ],
        outside,
    )
