"""Objective pages: each objective's standing, its weighted KPIs and their trajectories."""

from __future__ import annotations

from datetime import date

import streamlit as st

from clusterkpi import config
from clusterkpi.catalog import ObjectiveGroup, Unit
from clusterkpi.charts import kpi_figure
from clusterkpi.i18n import format_day, format_value
from clusterkpi.periods import parse_period
from clusterkpi.progress import Thresholds
from clusterkpi.scorecard import ObjectiveBlock
from clusterkpi.strategy import Horizon, read_strategy
from clusterkpi.trajectory import (
    Trajectory,
    build_trajectory,
    has_data,
)
from clusterkpi.ui.context import (
    PageContext,
    cached_points,
    catalog,
    link,
    open_store,
    plain,
    shared_params,
)
from clusterkpi.ui.filters import ChartRange
from clusterkpi.ui.scorecard_view import objective_heading, scorecard, status_text

KPI_PAGE = "pages/kpi.py"


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached_trajectory(
    db_path: str,
    catalog_path: str,
    data_version: str,
    kpi_id: str,
    first: str,
    last: str,
    today: date,
) -> Trajectory:
    store = open_store(db_path)
    settings = config.get_settings()
    points = cached_points(db_path, catalog_path, data_version, first, last)
    return build_trajectory(
        store,
        catalog(catalog_path),
        read_strategy(store, today),
        kpi_id,
        parse_period(first),
        parse_period(last),
        Thresholds(settings.on_track_ratio, settings.at_risk_ratio),
        points[kpi_id],
    )


@st.cache_resource(ttl=3600, max_entries=256, show_spinner=False)
def _cached_figure(
    db_path: str,
    catalog_path: str,
    data_version: str,
    kpi_id: str,
    first: str,
    last: str,
    today: date,
    lang: str,
    locale: str,
    horizon: str,
) -> object:
    # A shared, never-mutated figure: building one costs more than the rest of a rerun.
    traj = _cached_trajectory(
        db_path, catalog_path, data_version, kpi_id, first, last, today
    )
    kpi = catalog(catalog_path).kpis[kpi_id]
    return kpi_figure(traj, kpi, lang, locale, Horizon(horizon))


def trajectory(ctx: PageContext, kpi_id: str, rng: ChartRange) -> Trajectory:
    """Return one KPI's trajectory over the range (cached until the data change)."""
    settings = config.get_settings()
    return _cached_trajectory(
        str(settings.db),
        str(settings.catalog),
        ctx.data_version,
        kpi_id,
        rng.first.label,
        rng.last.label,
        ctx.today,
    )


def objective_page(ctx: PageContext, group: ObjectiveGroup, rng: ChartRange) -> None:
    """Show every objective of one group with its KPIs and a trajectory chart."""
    card = scorecard(ctx)
    st.title(ctx.t(f"group.{group.value}"))
    st.caption(
        ctx.t(
            "dash.subtitle",
            period=card.period.label,
            horizon=ctx.t(f"horizon.{card.horizon.value}").lower(),
            date=format_day(card.horizon_date, ctx.locale),
            first=rng.first.label,
            last=rng.last.label,
        )
    )
    for block in card.blocks:
        if block.group is group:
            objective_section(ctx, block, rng)


def objective_section(ctx: PageContext, block: ObjectiveBlock, rng: ChartRange) -> None:
    """One objective: status and progress, its KPIs with weights, a chosen KPI's chart."""
    with st.container(border=True, key=f"objective_{block.objective_id}"):
        objective_heading(ctx, block, where_to_act=True)
        _kpi_table(ctx, block)
        ids = [c.kpi_id for c in block.cards]
        chosen = st.segmented_control(
            ctx.t("dash.chart_of"),
            ids,
            default=ids[0],
            format_func=lambda k: ctx.catalog.kpis[k].label.get(ctx.lang),
            key=f"chart_{block.objective_id}",
        )
        kpi_chart(ctx, chosen or ids[0], rng)


def _kpi_table(ctx: PageContext, block: ObjectiveBlock) -> None:
    for card in block.cards:
        kpi = ctx.catalog.kpis[card.kpi_id]
        left, mid, right = st.columns([3, 3, 2], vertical_alignment="center")
        link(
            left,
            KPI_PAGE,
            "kpi",
            kpi.label.get(ctx.lang),
            ":material/query_stats:",
            {**shared_params(), "kpi": card.kpi_id},
        )
        target = (
            ctx.t(
                "dash.value_target",
                value=format_value(card.value, kpi.unit, ctx.locale),
                target=format_value(card.target, kpi.unit, ctx.locale),
            )
            if card.tracked
            else ctx.t(
                "dash.value_only", value=format_value(card.value, kpi.unit, ctx.locale)
            )
        )
        from clusterkpi.ui.partial import partial_note  # rows covering a period: #12

        if (partial := partial_note(ctx, card.kpi_id)) is not None:
            target += f" · {partial}"
        mid.markdown(plain(target))
        weight = (
            ctx.t(
                "dash.weight", weight=format_value(card.weight, Unit.COUNT, ctx.locale)
            )
            if card.tracked
            else ctx.t("card.no_target")
        )
        status = status_text(ctx, card.assessment.status.value) if card.tracked else ""
        right.markdown(f"{status}  \n{weight}")


def kpi_chart(ctx: PageContext, kpi_id: str, rng: ChartRange) -> None:
    """Show a KPI's trajectory chart, or say which export feeds it when it has no data.

    The time axis runs from the data within ``rng`` to the horizon chosen in the
    sidebar: an earlier 'from' or a longer horizon widens it.
    """
    if not has_data(trajectory(ctx, kpi_id, rng)):
        empty_state(ctx, kpi_id, rng)
        return
    settings = config.get_settings()
    figure = _cached_figure(
        str(settings.db),
        str(settings.catalog),
        ctx.data_version,
        kpi_id,
        rng.first.label,
        rng.last.label,
        ctx.today,
        ctx.lang,
        ctx.locale,
        ctx.horizon.value,
    )
    st.plotly_chart(figure, key=f"fig_{kpi_id}", config={"displaylogo": False})


def empty_state(ctx: PageContext, kpi_id: str, rng: ChartRange) -> None:
    """Say that a KPI has no data over the range, which exports feed it, and where to load."""
    kpi = ctx.catalog.kpis[kpi_id]
    exports = ", ".join(e for s in kpi.sources for e in ctx.catalog.sources[s].exports)
    st.info(
        plain(
            ctx.t(
                "dash.no_data",
                kpi=kpi.label.get(ctx.lang),
                first=rng.first.label,
                last=rng.last.label,
                exports=exports,
            )
        ),
        icon=":material/info:",
    )
    link(
        st,
        "pages/upload.py",
        "upload",
        ctx.t("dash.go_upload"),
        ":material/upload_file:",
        {"lang": ctx.lang},
    )
