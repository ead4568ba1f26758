"""Meltwater exports (UTF-16, tab, title row), as the tool writes them, into press_mentions."""

from __future__ import annotations

from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.engine import evaluate
from clusterkpi.imports.report import Problem
from clusterkpi.periods import parse_period
from clusterkpi.store import Store
from tests.import_helpers import assert_second_import_adds_nothing, load, snapshot

COLUMNS = "mention_id, published_on, outlet, title, tone, reach, media_partner"
EXPORT = [
    ("9f1c2a7be04d41c8a1e2f3a4b5c6d7e8", date(2026, 3, 5), "La Dépêche du Midi",
     "Le cluster numérique lance son accélérateur « Data & IA »", "positive", 1250000, False),
    ("1b7e9d3c5a2f4e6b8d0c1a3e5f7b9d2c", date(2026, 3, 12), "ToulÉco",
     "Cluster numérique : un bilan 2025 en demi-teinte", "neutral", 85000, False),
    ("7c3a5e1f9b2d4c6a8e0f2b4d6a8c0e1f", date(2026, 3, 19), "Le Monde",
     "En Occitanie, les clusters du numérique se réorganisent", "negative", 4800000, False),
    ("3e5b7d9f1a2c4e6f8b0d2a4c6e8f0a1b", date(2026, 3, 27), "actu.fr",
     'Matinale "IA & industrie" : 120 participants', "positive", 620000, False),
    ("5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b", date(2026, 4, 2), "Midi Libre",
     "Appel à projets Occitanie Data 2026, mode d'emploi", "positive", 900000, False),
    ("2d4f6b8a0c2e4a6c8e0b2d4f6a8c0e2d", date(2026, 4, 8), "L'Usine Digitale",
     "Trois start-up du cluster lèvent 12 M€", None, 310000, False),
]  # fmt: skip


def mentions(store: Store) -> list[tuple]:
    return store.rows(f"SELECT {COLUMNS} FROM press_mentions ORDER BY published_on")


def kpis(store: Store, catalog: Catalog, period: str) -> tuple[float | None, ...]:
    ids = ["press_mentions", "positive_coverage_share"]
    points = evaluate(store, catalog, [parse_period(period)], ids)
    return tuple(points[k][0].value for k in ids)


def test_a_meltwater_export_loads_every_mention(store: Store, catalog: Catalog) -> None:
    report = load(store, "meltwater/meltwater_export.csv")
    assert (report.status, report.rows_added, report.rows_rejected) == ("loaded", 6, 0)
    assert [(t.source, t.rows_read, t.rows_valid) for t in report.tables] == [
        ("meltwater", 6, 6)
    ]
    assert mentions(store) == EXPORT
    # March: 4 mentions, 2 positive of 4 rated; April: the unrated one has no tone.
    assert kpis(store, catalog, "2026-03") == (4, 0.5)
    assert kpis(store, catalog, "2026-04") == (2, 1.0)


def test_a_newer_meltwater_export_updates_mentions_by_document_id(
    store: Store, catalog: Catalog
) -> None:
    load(store, "meltwater/meltwater_export.csv")
    report = load(store, "meltwater/meltwater_export_newer.csv")
    assert (report.status, report.rows_added, report.rows_updated) == ("loaded", 1, 2)
    assert mentions(store) == [
        *EXPORT[:4],
        EXPORT[4][:5] + (950000, False),
        EXPORT[5][:4] + ("positive", 310000, False),
        ("8b0d2f4a6c8e0a2c4e6b8d0f2a4c6e8b", date(2026, 4, 10), "Le Figaro",
         "Le numérique occitan mise sur la donnée", "neutral", 3900000, False),
    ]  # fmt: skip
    assert kpis(store, catalog, "2026-04") == (3, pytest.approx(2 / 3))


def test_an_old_french_meltwater_export_gets_hashed_ids_and_french_tones(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "meltwater/meltwater_old_french.csv")
    assert (report.status, report.rows_added) == ("loaded", 3)
    rows = mentions(store)
    assert [r[1:] for r in rows] == [
        (date(2026, 1, 14), "Objectif Gard", "Le cluster numérique fête ses 10 ans",
         "positive", 45000, False),
        (date(2026, 1, 21), "La Gazette de Montpellier",
         "Numérique : la région soutient ses clusters", "neutral", 120000, False),
        (date(2026, 1, 29), "Midi Libre", "Fermeture d'un incubateur à Nîmes", "negative",
         900000, False),
    ]  # fmt: skip
    assert [(r[0][:3], len(r[0])) for r in rows] == [("MW-", 15)] * 3
    load(store, "meltwater/meltwater_export.csv")
    # 2026Q1: 3 old + 4 March mentions; positive: 1 + 2 of 7 rated.
    assert kpis(store, catalog, "2026Q1") == (7, pytest.approx(3 / 7))


@pytest.mark.parametrize("name", ["meltwater_export.csv", "meltwater_old_french.csv"])
def test_the_same_export_twice_adds_nothing(store: Store, name: str) -> None:
    assert_second_import_adds_nothing(store, f"meltwater/{name}")


def test_a_bad_date_is_explained_and_changes_nothing(store: Store) -> None:
    load(store, "meltwater/meltwater_old_french.csv")
    before = snapshot(store)
    report = load(store, "meltwater/bad_date.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("invalid_date", 5, "Date", "31-Feb-2026")
    ]
    assert snapshot(store) == before
