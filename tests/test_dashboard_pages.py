"""AppTest runs of the objective, membership and KPI-detail pages on the demo database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi.catalog import Catalog, ObjectiveGroup, Unit
from clusterkpi.i18n import format_ratio, format_value, t
from clusterkpi.membership import count_by_place, count_by_type
from clusterkpi.periods import Grain, parse_period
from clusterkpi.scorecard import ObjectiveBlock, Scorecard, build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy
from clusterkpi.trajectory import Trajectory, build_trajectory
from clusterkpi.ui.context import plain
from tests.demo_db import TODAY
from tests.import_helpers import app_env, run_page

PAGES = [
    "pages/internal.py",
    "pages/external.py",
    "pages/membership.py",
    "pages/kpi.py",
]
GROUP_PAGES = {
    "pages/internal.py": ObjectiveGroup.INTERNAL,
    "pages/external.py": ObjectiveGroup.EXTERNAL,
    "pages/membership.py": ObjectiveGroup.MEMBERSHIP,
}
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _scorecard(
    path: Path, catalog: Catalog, period: str, horizon: Horizon
) -> Scorecard:
    st.cache_resource.clear()  # release the app's connection before opening the file
    store = Store(path)
    try:
        strategy = read_strategy(store, TODAY)
        return build_scorecard(store, catalog, strategy, parse_period(period), horizon)
    finally:
        store.close()


def _trajectory(
    path: Path, catalog: Catalog, kpi_id: str, first: str, last: str
) -> Trajectory:
    st.cache_resource.clear()
    store = Store(path)
    try:
        strategy = read_strategy(store, TODAY)
        return build_trajectory(
            store, catalog, strategy, kpi_id, parse_period(first), parse_period(last)
        )
    finally:
        store.close()


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("script", PAGES)
def test_every_dashboard_page_renders_in_both_languages(
    demo_env: Path, script: str, lang: str
) -> None:
    at = run_page(script, lang=lang)
    assert list(at.exception) == []
    assert list(at.error) == []
    assert len(at.get("plotly_chart")) >= 1


@pytest.mark.parametrize("horizon", list(Horizon))
@pytest.mark.parametrize("script", list(GROUP_PAGES))
def test_objective_pages_show_the_engine_values_targets_and_statuses(
    demo_env: Path, catalog: Catalog, script: str, horizon: Horizon
) -> None:
    at = run_page(script, lang="fr", period="2026Q2", horizon=horizon.value)
    card = _scorecard(demo_env, catalog, "2026Q2", horizon)
    blocks = [b for b in card.blocks if b.group is GROUP_PAGES[script]]
    expected = []
    for block in blocks:
        expected.append(
            f"**:{_colour(block.status.value)}[:material/{_icon(block.status.value)}:"
            f" {t(f'status.{block.status.value}', 'fr')}]** · "
            + (
                t(
                    "objective.pace",
                    "fr",
                    value=format_ratio(block.progress, "fr_FR"),
                    expected=format_ratio(block.expected, "fr_FR"),
                )
                if block.progress is not None
                else t("objective.progress_none", "fr")
            )
            + _behind(catalog, block)
        )
        for c in block.cards:
            unit = catalog.kpis[c.kpi_id].unit
            value = format_value(c.value, unit, "fr_FR")
            expected.append(
                plain(
                    t(
                        "dash.value_target",
                        "fr",
                        value=value,
                        target=format_value(c.target, unit, "fr_FR"),
                    )
                    if c.tracked
                    else t("dash.value_only", "fr", value=value)
                )
            )
    shown = [m.value for m in at.markdown if m.value in expected]
    assert shown == expected
    assert [s.value for s in at.subheader] == [
        catalog.objectives[b.objective_id].label.fr for b in blocks
    ]


def _behind(catalog: Catalog, block: ObjectiveBlock) -> str:
    """The weakest KPI named beside the objective's status, as the page says it."""
    if block.weakest is None:
        return ""
    name = catalog.kpis[block.weakest].label.fr
    kind, count = (
        ("off", block.off_track) if block.off_track else ("risk", block.at_risk)
    )
    text = t(
        f"behind.{kind}_{'one' if count == 1 else 'other'}", "fr", count=count, kpi=name
    )
    if block.off_track and block.at_risk:
        text += " · " + t("behind.also_risk", "fr", count=block.at_risk)
    return " · " + plain(text)


def _icon(status: str) -> str:
    from clusterkpi.i18n import STATUS_ICONS

    return STATUS_ICONS[status][0]


def _colour(status: str) -> str:
    from clusterkpi.i18n import STATUS_ICONS

    return STATUS_ICONS[status][1]


def test_each_objective_chart_has_three_targets_pace_and_forecast_lines(
    demo_env: Path, catalog: Catalog
) -> None:
    at = run_page("pages/external.py", lang="en", period="2026Q2")
    figures = _figures(at)
    card = _scorecard(demo_env, catalog, "2026Q2", Horizon.SHORT)
    first_kpis = [
        b.cards[0].kpi_id for b in card.blocks if b.group is ObjectiveGroup.EXTERNAL
    ]
    assert [f["layout"]["title"]["text"] for f in figures] == [
        catalog.kpis[k].label.en for k in first_kpis
    ]
    for figure, kpi_id in zip(figures, first_kpis, strict=True):
        uids = sorted(trace["meta"] for trace in figure["data"])
        tracked = {
            f"{role}-{h.value}"
            for role in ("target", "pace", "forecast")
            for h in Horizon
        }
        assert tracked <= set(uids), kpi_id
        assert ("benchmark" in uids) == (catalog.kpis[kpi_id].benchmark is not None)


def test_switching_the_kpi_of_an_objective_charts_its_trajectory(
    demo_env: Path, catalog: Catalog
) -> None:
    at = run_page("pages/internal.py", lang="en", period="2026Q2")
    at.segmented_control(key="chart_information_engagement").set_value(
        "newsletter_open_rate"
    ).run()
    titles = [f["layout"]["title"]["text"] for f in _figures(at)]
    assert catalog.kpis["newsletter_open_rate"].label.en in titles
    figure = next(
        f
        for f in _figures(at)
        if f["layout"]["title"]["text"] == "Newsletter open rate"
    )
    expected = _trajectory(
        demo_env, catalog, "newsletter_open_rate", "2023Q3", "2026Q2"
    )
    actual = next(tr for tr in figure["data"] if tr["meta"] == "actual")
    assert actual["x"] == [p.mid.isoformat() for p in expected.series]
    assert actual["y"] == [p.value for p in expected.series]
    benchmark = next(tr for tr in figure["data"] if tr["meta"] == "benchmark")
    assert set(benchmark["y"]) == {catalog.kpis["newsletter_open_rate"].benchmark.value}


def test_filters_live_in_the_url_and_survive_a_rerun(demo_env: Path) -> None:
    at = run_page(
        "pages/membership.py",
        lang="en",
        period="2026Q2",
        grain="month",
        **{"from": "2025-01"},
        types="sme,startup",
    )
    assert at.segmented_control(key="grain_picker").value == "month"
    assert at.selectbox(key="from_picker_month").value == "2025-01"
    assert at.multiselect(key="types_picker").value == ["sme", "startup"]
    at.run()
    assert {k: at.query_params[k] for k in ("grain", "from", "types", "period")} == {
        "grain": "month",
        "from": "2025-01",
        "types": "sme,startup",
        "period": "2026Q2",
    }


def test_filters_ignore_values_that_do_not_parse(demo_env: Path) -> None:
    at = run_page(
        "pages/internal.py",
        lang="en",
        period="2026Q2",
        grain="decade",
        **{"from": "<script>"},
    )
    assert list(at.exception) == []
    assert at.segmented_control(key="grain_picker").value == "quarter"
    assert at.selectbox(key="from_picker_quarter").value == "2023Q3"


def test_membership_page_shows_the_mix_and_international_share(
    demo_env: Path,
) -> None:
    at = run_page("pages/membership.py", lang="fr", period="2026Q2", types="sme")
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        mix = count_by_type(store, parse_period("2026Q2"), ["sme"])
        geo = count_by_place(store, parse_period("2026Q2"), ["sme"])
    finally:
        store.close()
    assert {m.label: m.value for m in at.metric} == {
        t("mpage.sme_share", "fr"): format_value(
            mix.sme_members / mix.total, Unit.RATE, "fr_FR"
        ),
        t("mpage.international_share", "fr"): format_value(
            geo.international / geo.total, Unit.RATE, "fr_FR"
        ),
    }
    assert mix.sme_members == mix.total  # the filter keeps SMEs only


def test_kpi_detail_shows_the_definition_sql_values_and_targets(
    demo_env: Path, catalog: Catalog
) -> None:
    at = run_page(
        "pages/kpi.py",
        lang="en",
        period="2026Q2",
        kpi="newsletter_open_rate",
        grain="year",
    )
    kpi = catalog.kpis["newsletter_open_rate"]
    assert [x.value for x in at.title] == [kpi.label.en]
    from clusterkpi.lineage import kpi_sql

    assert [c.value for c in at.code] == [kpi_sql(kpi)]
    expected = _trajectory(demo_env, catalog, "newsletter_open_rate", "2022", "2026")
    # Targets first, then their history, the values by period, the imports.
    values = at.dataframe[2].value
    assert list(values.iloc[:, 0]) == [p.label for p in reversed(expected.series)]
    assert list(values.iloc[:, 1]) == [
        format_value(p.value, Unit.RATE, "en_GB") for p in reversed(expected.series)
    ]
    targets = at.dataframe[0].value
    assert list(targets.iloc[:, 2]) == [
        format_value(track.target, Unit.RATE, "en_GB") for track in expected.horizons
    ]
    assert at.query_params["kpi"] == "newsletter_open_rate"
    assert [b.label for b in at.get("download_button")] != []


def test_a_kpi_without_data_says_which_export_feeds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    yield_env = app_env(tmp_path / "empty.duckdb", monkeypatch)
    next(yield_env)
    at = run_page("pages/kpi.py", lang="en", kpi="press_mentions", period="2026Q2")
    kpi = catalog.kpis["press_mentions"]
    exports = ", ".join(e for s in kpi.sources for e in catalog.sources[s].exports)
    no_data = t(
        "dash.no_data",
        "en",
        kpi=kpi.label.en,
        first="2023Q3",
        last="2026Q2",
        exports=exports,
    )
    # No strategy either: the targets say so, then the chart's place says why it is empty.
    assert [i.value for i in at.info][:2] == [t("card.no_target", "en"), plain(no_data)]
    assert at.get("plotly_chart") == []
    assert list(at.exception) == []


def test_grain_changes_the_chart_periods(demo_env: Path, catalog: Catalog) -> None:
    at = run_page("pages/kpi.py", lang="en", period="2026Q2", kpi="new_members")
    at.segmented_control(key="grain_picker").set_value(Grain.YEAR.value).run()
    figure = _figures(at)[0]
    actual = next(tr for tr in figure["data"] if tr["meta"] == "actual")
    expected = _trajectory(demo_env, catalog, "new_members", "2022", "2026")
    assert actual["y"] == [p.value for p in expected.series]
    assert at.query_params["grain"] == "year"


def test_membership_page_says_start_ups_count_as_smes_and_charts_regions(
    demo_env: Path,
) -> None:
    at = run_page("pages/membership.py", lang="fr", period="2026Q2")
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        mix = count_by_type(store, parse_period("2026Q2"))
        geo = count_by_place(store, parse_period("2026Q2"))
    finally:
        store.close()
    caption = t(
        "membership.share.sme_caption",
        "fr",
        sme=format_value(mix.sme_members, Unit.COUNT, "fr_FR"),
        known=format_value(mix.known, Unit.COUNT, "fr_FR"),
        unknown="0",
    )
    assert caption in [c.value for c in at.caption]
    metric = next(m for m in at.metric if m.label == t("mpage.sme_share", "fr"))
    mix_title = next(
        f["layout"]["title"]["text"]
        for f in _figures(at)
        if f["layout"]["title"]["text"].startswith("Adhérents par type")
    )
    # The card and the mix chart give the same share, by the same definition.
    assert mix_title.endswith(f": {metric.value}")
    regions = next(
        f
        for f in _figures(at)
        if f["layout"]["title"]["text"].startswith("Adhérents par région")
    )
    charted = {
        (y, x) for tr in regions["data"] for y, x in zip(tr["y"], tr["x"], strict=True)
    }
    assert sum(x for _, x in charted) == sum(r.members for r in geo.regions)
    assert ("Occitanie", geo.regions[0].members) in charted


def test_kpi_detail_reads_definition_targets_chart_history_then_analysts(
    demo_env: Path, catalog: Catalog
) -> None:
    at = run_page("pages/kpi.py", lang="fr", period="2026Q2", kpi="new_partners")
    # The membership objective bears its group's name: said once.
    assert [c.value for c in at.caption][0] == "Adhésion et attractivité"
    assert [h.value for h in at.subheader] == [
        "Valeur et cibles",
        "Historique des cibles",
    ]
    assert [e.label for e in at.expander] == [
        "Valeurs par période",
        "Pour les analystes",
    ]
    from clusterkpi.lineage import kpi_sql

    assert [c.value for c in at.expander[1].code] == [
        kpi_sql(catalog.kpis["new_partners"])
    ]
    history = at.dataframe[1].value
    rows = {tuple(r) for r in history.itertuples(index=False)}
    assert {r[1] for r in rows} == {"Système"}  # the demo's seeding, in words
    whats = {r[2]: (r[3], r[4]) for r in rows}
    assert whats == {
        "Nouveaux partenaires — suivi": ("—", "oui"),
        "Nouveaux partenaires — valeur de départ": ("—", "2"),
        "Nouveaux partenaires — date de départ": ("—", "31 déc. 2024"),
        "Nouveaux partenaires — poids": ("—", "1"),
        "Nouveaux partenaires — cible à court terme": ("—", "3"),
        "Nouveaux partenaires — cible à moyen terme": ("—", "3"),
        "Nouveaux partenaires — cible à long terme": ("—", "4"),
    }


def test_kpi_detail_history_formats_rates_in_the_locale(demo_env: Path) -> None:
    at = run_page(
        "pages/kpi.py", lang="en", period="2026Q2", kpi="newsletter_open_rate"
    )
    history = at.dataframe[1].value
    rows = {r[2]: r[4] for r in history.itertuples(index=False)}
    assert rows["Newsletter open rate — long term target"] == "35.0%"
    assert rows["Newsletter open rate — baseline date"] == "31 Dec 2024"
    assert {r[1] for r in history.itertuples(index=False)} == {"System"}
