"""Scorecard view: the cached scorecard, positioning header, summary, objective and KPI cards."""

from __future__ import annotations

from collections import Counter
from datetime import date

import streamlit as st

from clusterkpi import config
from clusterkpi.catalog import Direction
from clusterkpi.i18n import (
    STATUS_ICONS,
    format_day,
    format_delta,
    format_ratio,
    format_value,
    t,
)
from clusterkpi.periods import parse_period
from clusterkpi.progress import Status, Thresholds
from clusterkpi.scorecard import (
    HISTORY,
    KpiCard,
    ObjectiveBlock,
    Scorecard,
    build_scorecard,
)
from clusterkpi.strategy import Horizon, read_strategy
from clusterkpi.ui.context import (
    PageContext,
    cached_points,
    catalog,
    link,
    open_store,
    plain,
    shared_params,
)


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _cached_scorecard(
    db_path: str,
    catalog_path: str,
    data_version: str,
    period: str,
    horizon: str,
    today: date,
) -> Scorecard:
    store = open_store(db_path)
    settings = config.get_settings()
    last = parse_period(period)
    first = last.shift(1 - HISTORY).label
    return build_scorecard(
        store,
        catalog(catalog_path),
        read_strategy(store, today),
        last,
        Horizon(horizon),
        Thresholds(settings.on_track_ratio, settings.at_risk_ratio),
        cached_points(db_path, catalog_path, data_version, first, period),
    )


def scorecard(ctx: PageContext) -> Scorecard:
    """Return the scorecard for the page's choices (cached until the data change)."""
    settings = config.get_settings()
    return _cached_scorecard(
        str(settings.db),
        str(settings.catalog),
        ctx.data_version,
        ctx.period.label,
        ctx.horizon.value,
        ctx.today,
    )


def status_text(ctx: PageContext, status: str) -> str:
    """Return a status as coloured Markdown: icon and word, never colour alone."""
    icon, colour = STATUS_ICONS[status]
    return f":{colour}[:material/{icon}: {t(f'status.{status}', ctx.lang)}]"


def positioning_header(ctx: PageContext, card: Scorecard) -> None:
    """Show the scorecard title and the cluster's positioning."""
    pos = card.positioning
    st.title(ctx.t("overview.title"))
    horizon_name = ctx.t(f"horizon.{card.horizon.value}").lower()
    st.caption(
        plain(
            ctx.t(
                "overview.subtitle",
                cluster=pos.cluster_name if pos else "—",
                period=card.period.label,
                horizon=horizon_name,
                date=format_day(card.horizon_date, ctx.locale),
            )
        )
    )
    if pos is None:
        st.info(ctx.t("overview.no_strategy"))
        return
    with st.expander(ctx.t("overview.positioning"), expanded=False):
        left, right = st.columns(2)
        for key, text in (
            ("mission", pos.mission),
            ("identity", pos.identity),
            ("values", pos.values),
        ):
            left.markdown(f"**{ctx.t(f'overview.{key}')}** — {plain(text)}")
        right.markdown(f"**{ctx.t('overview.ambitions')}**")
        for key in ("ambition_5y", "ambition_10y", "ambition_15y"):
            right.markdown(
                f"- *{ctx.t(f'overview.{key}')}* : {plain(getattr(pos, key))}"
            )


def scorecard_summary(ctx: PageContext, card: Scorecard) -> None:
    """Show the board's at-a-glance view: KPI counts per status, objectives' standing."""
    counts = Counter(
        c.assessment.status.value for b in card.blocks for c in b.cards if c.tracked
    )
    st.markdown(
        "  ·  ".join(
            f"{status_text(ctx, s.value)} **{counts.get(s.value, 0)}**" for s in Status
        )
    )
    rows = [
        {
            ctx.t("summary.objective"): ctx.catalog.objectives[
                b.objective_id
            ].label.get(ctx.lang),
            ctx.t("summary.group"): ctx.t(f"group.{b.group.value}"),
            ctx.t("summary.status"): ctx.t(f"status.{b.status.value}"),
            ctx.t("summary.progress"): None
            if b.progress is None
            else round(b.progress * 100),
        }
        for b in card.blocks
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=35 * (len(rows) + 1) + 3,  # every objective visible, no inner scrolling
        column_config={
            ctx.t("summary.progress"): st.column_config.ProgressColumn(
                format=ctx.t("summary.progress_format"), min_value=0, max_value=100
            )
        },
    )


def objective_heading(ctx: PageContext, block: ObjectiveBlock) -> None:
    """Show an objective's name, status (icon and word), progress and description."""
    objective = ctx.catalog.objectives[block.objective_id]
    st.subheader(objective.label.get(ctx.lang))
    progress = (
        ctx.t("objective.progress", value=format_ratio(block.progress, ctx.locale))
        if block.progress is not None
        else ctx.t("objective.progress_none")
    )
    st.markdown(f"**{status_text(ctx, block.status.value)}** · {progress}")
    st.caption(objective.description.get(ctx.lang))


def objective_block(ctx: PageContext, block: ObjectiveBlock, columns: int = 3) -> None:
    """Show one objective: status, progress and its KPI cards."""
    with st.container(border=True):
        objective_heading(ctx, block)
        cols = st.columns(columns)
        for index, card in enumerate(block.cards):
            with cols[index % columns]:
                kpi_card(ctx, card)


def kpi_card(ctx: PageContext, card: KpiCard) -> None:
    """Show one KPI card: value, delta, sparkline, target and status."""
    kpi = ctx.catalog.kpis[card.kpi_id]
    with st.container(border=True, key=f"card_{card.kpi_id}"):
        spark = [v for _, v in card.sparkline if v is not None]
        st.metric(
            kpi.label.get(ctx.lang),
            format_value(card.value, kpi.unit, ctx.locale),
            delta=format_delta(card.delta, kpi.unit, ctx.locale),
            delta_color="inverse" if kpi.direction is Direction.LOWER else "normal",
            help=kpi.description.get(ctx.lang),
            chart_data=spark if len(spark) >= 2 else None,
            chart_type="line",
        )
        if card.value is None:
            exports = ", ".join(
                e for s in kpi.sources for e in ctx.catalog.sources[s].exports
            )
            st.caption(ctx.t("card.no_data", period=ctx.period.label, exports=exports))
        if card.tracked:
            st.markdown(status_text(ctx, card.assessment.status.value))
            st.caption(
                ctx.t(
                    f"card.target.{ctx.horizon.value}",
                    value=format_value(card.target, kpi.unit, ctx.locale),
                )
            )
        else:
            st.caption(ctx.t("card.no_target"))
        if card.manual:
            st.caption(ctx.t("card.manual"))
        from clusterkpi.ui.partial import partial_note  # rows covering a period: #12

        if (partial := partial_note(ctx, card.kpi_id)) is not None:
            st.caption(partial)
        link(
            st,
            "pages/kpi.py",
            "kpi",
            ctx.t("card.detail"),
            ":material/query_stats:",
            {**shared_params(), "kpi": card.kpi_id},
        )
