"""The snapshots page: freeze a quarter, approve it, compare two, restatements shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi.catalog import Catalog
from clusterkpi.i18n import format_value
from clusterkpi.snapshots import create_snapshot, read_snapshot
from clusterkpi.store import Store
from tests.demo_db import ROOT, TODAY, make_demo_db
from tests.import_helpers import app_env


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(make_demo_db(tmp_path / "demo.duckdb"), monkeypatch)


def _page(lang: str = "en", **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/snapshots.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _freeze(path: Path, catalog: Catalog, *quarters: str) -> None:
    st.cache_resource.clear()
    store = Store(path)
    try:
        for quarter in quarters:
            create_snapshot(store, catalog, quarter, "marie", today=TODAY)
    finally:
        store.close()
    st.cache_data.clear()


def test_an_empty_list_says_so_and_offers_to_freeze_a_quarter(demo_env: Path) -> None:
    at = _page("fr")
    assert list(at.exception) == []
    assert [i.value for i in at.info] == ["Aucun trimestre n'a encore été figé."]
    assert at.selectbox(key="snapshot_quarter").value == "2026Q3"


def test_freezing_a_quarter_from_the_page_records_the_commentary(
    demo_env: Path, catalog: Catalog
) -> None:
    at = _page()
    at.selectbox(key="snapshot_quarter").set_value("2026Q2")
    at.text_area(key="comment_credibility").set_value("<b>Bon</b> trimestre =1+1")
    [button] = [b for b in at.button if b.label == "Freeze this quarter"]
    at = button.click().run()
    assert [s.value for s in at.success] == ["2026Q2 is frozen."]
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        snap = read_snapshot(store, "2026Q2")
    finally:
        store.close()
    assert (snap.created_by, snap.approved) == ("local", False)
    texts = {o.objective_id: o.commentary for o in snap.objectives}
    assert texts["credibility"] == "<b>Bon</b> trimestre =1+1"
    assert {t for k, t in texts.items() if k != "credibility"} == {""}


def test_approving_from_the_page_is_recorded_once(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q3")
    at = _page(snapshot="2026Q3")
    at.button(key="approve_2026Q3").click().run()
    assert list(at.exception) == []
    assert [b for b in at.button if b.key == "approve_2026Q3"] == []
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        snap = read_snapshot(store, "2026Q3")
    finally:
        store.close()
    assert (snap.approved, snap.approved_by) == (True, "local")


def test_two_quarters_side_by_side_show_the_frozen_values(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q2", "2026Q3")
    at = _page("fr")
    table = at.dataframe[-1].value
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        q2, q3 = read_snapshot(store, "2026Q2"), read_snapshot(store, "2026Q3")
    finally:
        store.close()
    assert list(table.columns[:3]) == ["Indicateur", "2026Q2", "2026Q3"]
    expected = [
        (
            catalog.kpis[k.kpi_id].label.fr,
            format_value(k.value, catalog.kpis[k.kpi_id].unit, "fr_FR"),
            format_value(q3.kpi(k.kpi_id).value, catalog.kpis[k.kpi_id].unit, "fr_FR"),
        )
        for k in q2.kpis
    ]
    shown = zip(table.iloc[:, 0], table.iloc[:, 1], table.iloc[:, 2], strict=True)
    assert list(shown) == expected
    labels = [b.label for b in at.download_button]
    assert labels == [
        "Dossier du conseil (PDF)",
        "Classeur (XLSX)",
        "Tables (CSV, ZIP)",
        "Tables (Parquet, ZIP)",
    ]
