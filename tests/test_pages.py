"""AppTest runs of cockpit.py and every page on the demo database: values equal the engine's."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from clusterkpi import config
from clusterkpi.attention import (
    Tone,
    card_tone,
    moving,
    needs_attention,
    previous_scorecard,
)
from clusterkpi.catalog import Catalog
from clusterkpi.i18n import format_value
from clusterkpi.periods import parse_period
from clusterkpi.progress import Status
from clusterkpi.scorecard import Scorecard, build_scorecard, history
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy, save_strategy
from clusterkpi.ui.context import plain
from tests.demo_db import TODAY
from tests.fixture_db import load_fixture
from tests.import_helpers import app_env, run_page
from tests.test_scorecard import make_strategy

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


@pytest.mark.parametrize("script", ["cockpit.py", *PAGES])
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


def _boards(path: Path, catalog: Catalog, period: str) -> tuple[Scorecard, Scorecard]:
    """The short-horizon scorecard of ``period`` and of the quarter before it."""
    st.cache_resource.clear()  # release the app's connection before opening the file here
    store = Store(path)
    strategy = read_strategy(store, TODAY)
    series = history(store, catalog, parse_period(period))
    board = build_scorecard(
        store, catalog, strategy, parse_period(period), Horizon.SHORT, series=series
    )
    before = previous_scorecard(store, catalog, strategy, board, series)
    store.close()
    return board, before


def test_overview_opens_with_needs_attention_and_moving(
    demo_env: Path, catalog: Catalog
) -> None:
    """Links to the five KPIs furthest behind pace, then the status changes."""
    at = run_page("pages/overview.py", lang="en", period="2026Q3", horizon="short")
    board, before = _boards(demo_env, catalog, "2026Q3")
    lags = needs_attention(board)
    links = [m.value for m in at.markdown if m.value.startswith(":material/query")]
    assert links[: len(lags)] == [
        f":material/query_stats: [{plain(catalog.kpis[g.card.kpi_id].label.get('en'))}]"
        f"(/kpi?lang=en&period=2026Q3&horizon=short&kpi={g.card.kpi_id})"
        for g in lags
    ]
    assert [k.card.kpi_id for k in lags] == [
        "newsletter_click_to_open_rate",
        "materials_produced",
        "newsletter_click_rate",
        "joint_publications",
        "active_media_partnerships",
    ]
    captions = [c.value for c in at.caption]
    assert captions[1] == (
        ":red[:material/error: Off track] · 58 pts behind pace \\(≈ 21 months\\)"
        " · Objective\\: Information sharing and engagement"
    )
    assert "Status changes since 2026Q2, short term targets." in captions
    moves = moving(board, before)
    shown = "\n".join(m.value for m in at.markdown if m.value.startswith("- **"))
    assert shown.count("\n") + 1 == len(moves) == 14
    assert shown.startswith(
        "- **General assembly attendance rate**: :blue[:material/verified: Achieved]"
        " → :red[:material/error: Off track]"
    )


def test_overview_objectives_table_renders_with_the_page(
    demo_env: Path, catalog: Catalog
) -> None:
    """A Markdown table (no data grid drawn later): status, progress, pace, weakest."""
    at = run_page("pages/overview.py", lang="fr", period="2026Q3", horizon="short")
    board, _ = _boards(demo_env, catalog, "2026Q3")
    assert list(at.dataframe) == []
    table = next(m.value for m in at.markdown if m.value.startswith("| Objectif"))
    rows = table.splitlines()
    assert rows[0] == "| Objectif | Statut | Progression | Attendu | Où agir |"
    assert len(rows) == 2 + len(board.blocks) == 13
    assert rows[2] == (
        "| Identité et vision partagées | :red[:material/error: En retard] | 0\xa0% | 58\xa0% |"
        " 2 KPI en retard, le plus en retard \\: Participation à l'assemblée générale |"
    )
    assert rows[4].endswith("| 1 KPI en retard \\: Publications conjointes |")
    assert (
        "**:green[:material/check_circle: En bonne voie]** · Progression 57\xa0%"
        " · attendue 58\xa0% · 1 KPI en retard \\: Retombées presse"
        " · 1 à surveiller"
    ) in [m.value for m in at.markdown]
    assert [b.status for b in board.blocks].count(Status.OFF_TRACK) == 8
    assert [b.status for b in board.blocks].count(Status.ON_TRACK) == 3


TONE_PROTO = {
    Tone.GOOD: 1,
    Tone.BAD: 0,
    Tone.NEUTRAL: 2,
}  # MetricColor GREEN, RED, GRAY


def test_overview_change_colours_follow_direction_and_status(
    demo_env: Path, catalog: Catalog
) -> None:
    """Each card's delta and sparkline colour is its tone; achieved is never red."""
    at = run_page("pages/overview.py", lang="en", period="2026Q3", horizon="short")
    board, _ = _boards(demo_env, catalog, "2026Q3")
    cards = {
        catalog.kpis[c.kpi_id].label.get("en"): c for b in board.blocks for c in b.cards
    }
    shown = {m.label: m.proto.color for m in at.metric}
    assert shown == {
        label: TONE_PROTO[card_tone(c, catalog.kpis[c.kpi_id].direction)]
        for label, c in cards.items()
    }
    by_status = {
        (c.assessment.status, shown[label]) for label, c in cards.items() if c.tracked
    }
    assert (Status.ACHIEVED, 0) not in by_status
    assert (Status.OFF_TRACK, 1) not in by_status
    assert {m.proto.delta_description for m in at.metric} <= {
        "better",
        "worse",
        "no change",
        "",
    }


def test_overview_says_when_no_kpi_needs_attention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixture cluster at the long horizon: every tracked KPI keeps its pace."""
    store = Store(tmp_path / "fixture.duckdb")
    load_fixture(store)
    save_strategy(store, make_strategy())
    store.close()
    for _ in app_env(tmp_path / "fixture.duckdb", monkeypatch):
        at = run_page("pages/overview.py", lang="en", period="2026Q2", horizon="long")
        assert list(at.exception) == []
        assert "No KPI is off track or at risk against the long term targets." in [
            m.value for m in at.markdown
        ]
