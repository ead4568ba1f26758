"""AppTest runs of app.py and every page on the demo database: values equal the engine's."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from clusterkpi import config
from clusterkpi.catalog import Catalog
from clusterkpi.i18n import format_value
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy
from tests.demo_db import TODAY
from tests.import_helpers import run_page

PAGES = ["pages/overview.py", "pages/upload.py", "pages/mappings.py"]


def _expected_metrics(
    path: Path, catalog: Catalog, period: str, lang: str, locale: str
) -> dict[str, str]:
    st.cache_resource.clear()  # release the app's connection before opening the file here
    store = Store(path)
    card = build_scorecard(
        store, catalog, read_strategy(store, TODAY), parse_period(period), Horizon.SHORT
    )
    store.close()
    return {
        catalog.kpis[c.kpi_id].label.get(lang): format_value(
            c.value, catalog.kpis[c.kpi_id].unit, locale
        )
        for b in card.blocks
        for c in b.cards
    }


@pytest.mark.parametrize("script", ["app.py", *PAGES])
def test_every_page_renders_without_exception(demo_env: Path, script: str) -> None:
    at = run_page(script, lang="fr")
    assert list(at.exception) == []
    assert list(at.error) == []


@pytest.mark.parametrize(
    ("lang", "locale", "title"),
    [
        ("fr", "fr_FR", "Tableau de bord du conseil"),
        ("en", "en_GB", "Board scorecard"),
    ],
)
def test_overview_shows_every_kpi_with_the_engine_value(
    demo_env: Path, catalog: Catalog, lang: str, locale: str, title: str
) -> None:
    at = run_page("pages/overview.py", lang=lang, period="2026Q2", horizon="medium")
    shown = {m.label: m.value for m in at.metric}
    assert [t.value for t in at.title] == [title]
    assert shown == _expected_metrics(demo_env, catalog, "2026Q2", lang, locale)


def test_overview_defaults_to_last_complete_quarter_and_short_horizon(
    demo_env: Path,
) -> None:
    at = run_page("pages/overview.py", lang="en")
    assert at.selectbox(key="period_picker").value == "2026Q3"
    assert at.radio(key="horizon_picker").value == "short"
    assert at.query_params["period"] == "2026Q3"


def test_overview_on_an_empty_database_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTERKPI_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("CLUSTERKPI_TODAY", TODAY.isoformat())
    config.get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = run_page("pages/overview.py", lang="en")
    assert [i.value for i in at.info] == [
        "No strategy is set yet: values are shown without targets or status.",
        "The database holds no data yet. Load the demo cluster (`python -m clusterkpi demo`)"
        " or import your exports.",
    ]
    assert {m.value for m in at.metric} == {"—"}
    st.cache_resource.clear()
