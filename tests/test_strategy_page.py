"""The strategy editor: the table round trip, localised refusals, saving with history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi.catalog import Catalog
from clusterkpi.errors import StrategyError
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy, strategy_history
from clusterkpi.strategy_table import strategy_from_form, target_rows
from tests.demo_db import ROOT, TODAY, make_demo_db
from tests.import_helpers import app_env

POSITIONING = {"cluster_name": "Pôle Test", "home_country": "FR", "mission": "Relier"}
HORIZONS = {
    Horizon.SHORT: date(2027, 12, 31),
    Horizon.MEDIUM: date(2031, 12, 31),
    Horizon.LONG: date(2036, 12, 31),
}


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(make_demo_db(tmp_path / "demo.duckdb"), monkeypatch)


def test_rows_show_rates_in_percent_and_come_back_as_fractions(
    catalog: Catalog,
) -> None:
    rows = target_rows(None, catalog)
    open_rate = next(r for r in rows if r["kpi_id"] == "newsletter_open_rate")
    open_rate.update(
        tracked=True,
        baseline_value=30.0,
        baseline_date=date(2024, 12, 31),
        weight=2.0,
        short=32.0,
        medium=33.5,
        long=35.0,
    )
    strategy = strategy_from_form(POSITIONING, HORIZONS, rows, catalog, TODAY)
    assert list(strategy.targets) == ["newsletter_open_rate"]
    target = strategy.targets["newsletter_open_rate"]
    assert (target.baseline_value, target.short, target.medium, target.long) == (
        0.30,
        0.32,
        0.335,
        0.35,
    )
    again = next(
        r
        for r in target_rows(strategy, catalog)
        if r["kpi_id"] == "newsletter_open_rate"
    )
    assert again == open_rate


def test_a_tracked_kpi_without_targets_is_refused_with_the_fields_missing(
    catalog: Catalog,
) -> None:
    rows = target_rows(None, catalog)
    rows[0]["tracked"] = True
    with pytest.raises(StrategyError) as info:
        strategy_from_form(POSITIONING, HORIZONS, rows, catalog, TODAY)
    [issue] = info.value.issues
    assert (issue.code, issue.params) == (
        "target_incomplete",
        {
            "kpi": rows[0]["kpi_id"],
            "fields": "baseline_value, baseline_date, short, medium, long",
        },
    )


def _page(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/strategy.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def _submit(at: AppTest) -> AppTest:
    labels = ("Enregistrer la stratégie", "Save the strategy")
    [button] = [b for b in at.button if b.label in labels]
    return button.click().run()


def test_the_page_saves_a_changed_target_and_shows_it_in_the_history(
    demo_env: Path, catalog: Catalog
) -> None:
    at = _page("fr")
    assert list(at.exception) == []
    row = list(catalog.kpis).index("newsletter_open_rate")
    at.session_state["targets_editor"] = {
        "edited_rows": {row: {"short": 34.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = _submit(at)
    assert [s.value for s in at.success] == [
        "Stratégie enregistrée : 1 modification(s) conservée(s)."
    ]
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        assert read_strategy(store, TODAY).targets["newsletter_open_rate"].short == 0.34
        latest = strategy_history(store)[0]
        assert (latest.item, latest.old_value, latest.new_value, latest.changed_by) == (
            "target.newsletter_open_rate.short",
            "0.32",
            "0.34",
            "local",  # open mode: no account exists yet
        )
    finally:
        store.close()


def test_the_page_refuses_an_incomplete_target_in_french_and_saves_nothing(
    demo_env: Path, catalog: Catalog
) -> None:
    st.cache_resource.clear()
    store = Store(demo_env)
    before = strategy_history(store)
    store.close()
    at = _page("fr")
    row = list(catalog.kpis).index("newsletter_open_rate")
    at.session_state["targets_editor"] = {
        "edited_rows": {row: {"long": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = _submit(at)
    assert [e.value for e in at.error] == [
        "La stratégie n'a pas été enregistrée (1 problème(s)) :"
    ]
    label = catalog.kpis["newsletter_open_rate"].label.fr
    assert (
        f"- {label} : un indicateur suivi a besoin d'une valeur de départ (valeur et"
        " date) et d'une cible par horizon (manque : Cible long terme)."
        in [m.value for m in at.markdown]
    )
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        assert strategy_history(store) == before
    finally:
        store.close()


def test_the_demo_strategy_comes_back_unchanged_through_the_form(
    tmp_path: Path, catalog: Catalog
) -> None:
    store = Store(make_demo_db(tmp_path / "demo.duckdb"))
    try:
        saved = read_strategy(store, TODAY)
    finally:
        store.close()
    fields = ("cluster_name", "home_country", "mission", "identity", "values")
    positioning = {f: getattr(saved.positioning, f) for f in fields}
    positioning.update(
        {f: getattr(saved.positioning, f) for f in ("ambition_5y", "ambition_10y")}
    )
    positioning["ambition_15y"] = saved.positioning.ambition_15y
    again = strategy_from_form(
        positioning, saved.horizons, target_rows(saved, catalog), catalog, TODAY
    )
    assert again == saved


def test_the_page_refuses_a_fractional_count_naming_the_kpi_and_the_value(
    demo_env: Path, catalog: Catalog
) -> None:
    at = _page("fr")
    row = list(catalog.kpis).index("new_partners")
    at.session_state["targets_editor"] = {
        "edited_rows": {row: {"short": 2.5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = _submit(at)
    assert [e.value for e in at.error] == [
        "La stratégie n'a pas été enregistrée (1 problème(s)) :"
    ]
    assert (
        "- Nouveaux partenaires : 2,5 n'est pas un nombre entier (Cible court terme)."
        " Cet indicateur compte des éléments : saisissez un nombre entier."
        in [m.value for m in at.markdown]
    )


def test_baseline_dates_and_weights_are_edited_in_their_own_table(
    demo_env: Path, catalog: Catalog
) -> None:
    at = _page("en")
    row = list(catalog.kpis).index("new_partners")
    at.session_state["targets_details_editor"] = {
        "edited_rows": {row: {"weight": 3.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = _submit(at)
    assert [s.value for s in at.success] == ["Strategy saved: 1 change(s) recorded."]
    history = at.dataframe[-1].value  # after the two editors
    latest = list(history.iloc[0])
    assert latest[1:] == ["Open mode (no account)", "New partners — weight", "1", "3"]
    assert set(history.iloc[1:, 1]) == {"System"}
