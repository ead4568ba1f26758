"""The board pack's cover says who approved the snapshot, when, and what they wrote."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterkpi.catalog import Catalog, load_catalog
from clusterkpi.exports import export_snapshot
from clusterkpi.i18n import format_day, number_locale
from clusterkpi.snapshots import (
    approve_snapshot,
    create_snapshot,
    read_snapshot,
    request_changes,
)
from clusterkpi.store import Store
from tests.demo_db import ROOT, TODAY, make_demo_db


@pytest.fixture(scope="module")
def reviewed(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[Store]:
    """The demo with 2026Q2 approved with a comment, 2026Q3 sent back for changes."""
    folder = tmp_path_factory.mktemp("pack_approval")
    store = Store(make_demo_db(folder / "demo.duckdb"))
    for quarter in ("2026Q2", "2026Q3"):
        create_snapshot(store, catalog, quarter, "marie", today=TODAY)
    request_changes(store, "2026Q2", "paul", "Ajoutez la presse.")
    approve_snapshot(store, "2026Q2", "paul", "Bon trimestre <b>malgré</b> tout.")
    request_changes(store, "2026Q3", "paul", "Commentez le web.")
    yield store
    store.close()


def cover(store: Store, catalog: Catalog, quarter: str, lang: str, out: Path) -> str:
    """Return the text of the pack's first page, whitespace collapsed."""
    pdf = export_snapshot(
        store, catalog, read_snapshot(store, quarter), "pdf", lang, out
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(text.split())


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The real catalogue, for a module-scoped database."""
    return load_catalog(ROOT / "data" / "kpis.yaml")


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "✓ Approuvé par paul le {date} — Bon trimestre <b>malgré</b> tout."),
        ("en", "✓ Approved by paul on {date} — Bon trimestre <b>malgré</b> tout."),
    ],
)
def test_the_cover_prints_the_approver_the_day_and_the_comment(
    reviewed: Store, catalog: Catalog, tmp_path: Path, lang: str, line: str
) -> None:
    approved = read_snapshot(reviewed, "2026Q2")
    day = format_day(approved.approved_at.date(), number_locale(lang))
    text = cover(reviewed, catalog, "2026Q2", lang, tmp_path / f"{lang}.pdf")
    assert line.format(date=day) in text


def test_a_snapshot_sent_back_for_changes_is_still_a_draft(
    reviewed: Store, catalog: Catalog, tmp_path: Path
) -> None:
    text = cover(reviewed, catalog, "2026Q3", "fr", tmp_path / "q3.pdf")
    assert "✗ Projet — pas encore approuvé par le conseil" in text
    assert "Approuvé" not in text
