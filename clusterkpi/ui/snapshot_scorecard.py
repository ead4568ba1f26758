"""A snapshot's frozen scorecard on the page: objectives, commentary and KPIs as frozen."""

from __future__ import annotations

import streamlit as st

from clusterkpi.catalog import Unit
from clusterkpi.i18n import format_day, format_ratio, format_value
from clusterkpi.snapshot_model import FrozenKpi, FrozenObjective, Snapshot
from clusterkpi.strategy import Horizon
from clusterkpi.ui.context import PageContext, plain
from clusterkpi.ui.scorecard_view import status_text


def frozen_scorecard(ctx: PageContext, snap: Snapshot) -> None:
    """Show what was frozen: objectives per horizon, the commentary, every KPI.

    Everything is read from the snapshot's own rows, never recomputed: the page
    shows what the board pack prints.
    """
    st.markdown(f"**{ctx.t('review.scorecard')}**")
    st.caption(ctx.t("review.scorecard_help", date=format_day(snap.as_of, ctx.locale)))
    st.markdown(_objective_table(ctx, snap))
    _commentary(ctx, snap)
    _kpi_table(ctx, snap)


def _objective_label(ctx: PageContext, objective_id: str) -> str:
    known = ctx.catalog.objectives.get(objective_id)
    return known.label.get(ctx.lang) if known else objective_id


def _objective_table(ctx: PageContext, snap: Snapshot) -> str:
    heads = [ctx.t("review.col.objective")] + [
        ctx.t(
            "horizon.with_date",
            name=ctx.t(f"horizon.{h.value}"),
            date=format_day(snap.horizon_dates[h], ctx.locale),
        )
        for h in Horizon
    ]
    lines = ["| " + " | ".join(plain(h) for h in heads) + " |"]
    lines.append("|" + " --- |" * len(heads))
    lines += [_objective_row(ctx, o) for o in snap.objectives]
    return "\n".join(lines)


def _objective_row(ctx: PageContext, objective: FrozenObjective) -> str:
    cells = [plain(_objective_label(ctx, objective.objective_id))]
    for h in Horizon:
        progress = format_ratio(objective.progress[h], ctx.locale)
        cells.append(
            f"{status_text(ctx, objective.status[h].value)} · {plain(progress)}"
        )
    return "| " + " | ".join(cells) + " |"


def _commentary(ctx: PageContext, snap: Snapshot) -> None:
    st.markdown(f"**{ctx.t('review.commentary')}**")
    written = [o for o in snap.objectives if o.commentary.strip()]
    if not written:
        st.caption(ctx.t("review.no_commentary"))
        return
    for objective in written:
        st.markdown(
            f"**{plain(_objective_label(ctx, objective.objective_id))}** — "
            + plain(objective.commentary)
        )


def _kpi_table(ctx: PageContext, snap: Snapshot) -> None:
    st.markdown(f"**{ctx.t('review.kpis')}**")
    horizon = Horizon(
        st.segmented_control(
            ctx.t("review.kpi_horizon"),
            [h.value for h in Horizon],
            default=Horizon.SHORT.value,
            format_func=lambda h: ctx.t(f"horizon.{h}"),
            key="detail_horizon",
        )
        or Horizon.SHORT.value
    )
    rows = [_kpi_row(ctx, k, horizon) for k in snap.kpis]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=35 * (len(rows) + 1) + 3,
        column_config={
            ctx.t("review.col.objective"): st.column_config.TextColumn(width="medium"),
            ctx.t("snap.col.kpi"): st.column_config.TextColumn(width="large"),
        },
    )


def _kpi_row(ctx: PageContext, kpi: FrozenKpi, horizon: Horizon) -> dict[str, str]:
    known = ctx.catalog.kpis.get(kpi.kpi_id)
    at = kpi.at(horizon)
    # A KPI dropped from the catalogue since keeps its figure, shown as a count.
    unit = known.unit if known else Unit.COUNT
    return {
        ctx.t("review.col.objective"): _objective_label(ctx, kpi.objective_id),
        ctx.t("snap.col.kpi"): known.label.get(ctx.lang) if known else kpi.kpi_id,
        ctx.t("review.col.value"): format_value(kpi.value, unit, ctx.locale),
        ctx.t("review.col.target"): format_value(at.target, unit, ctx.locale),
        ctx.t("review.col.status"): ctx.t(f"status.{at.status.value}"),
        ctx.t("review.col.progress"): format_ratio(at.progress, ctx.locale),
    }
