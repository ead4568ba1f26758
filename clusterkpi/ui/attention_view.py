"""Overview's opening: the KPIs that need attention and those whose status moved."""

from __future__ import annotations

import streamlit as st
from babel.numbers import format_decimal

from clusterkpi.attention import Lag, Move, moving, needs_attention
from clusterkpi.progress import Status
from clusterkpi.scorecard import Scorecard
from clusterkpi.ui.context import PageContext, link, plain, shared_params
from clusterkpi.ui.scorecard_view import previous, status_text

SHOWN_MOVES = 5  # further changes fold into an expander


def where_to_act(ctx: PageContext, card: Scorecard) -> None:
    """Show two columns: Needs attention (furthest behind pace) and Moving.

    Nothing when no KPI has a status (no strategy, or no data for any tracked KPI):
    the page says so already, and "nothing is behind" would read as good news.
    """
    cards = [c for b in card.blocks for c in b.cards]
    if all(c.assessment.status is Status.NO_DATA for c in cards):
        return
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True, key="needs_attention"):
        st.subheader(ctx.t("attention.title"), help=ctx.t("attention.help"))
        attention_list(ctx, card)
    with right, st.container(border=True, key="moving"):
        st.subheader(ctx.t("moving.title"))
        moving_list(ctx, card)


def attention_list(ctx: PageContext, card: Scorecard) -> None:
    """List the KPIs furthest behind their expected pace, each with a link to its detail."""
    lags = needs_attention(card)
    if not lags:
        horizon = ctx.t(f"horizon.{card.horizon.value}").lower()
        st.markdown(ctx.t("attention.none", horizon=horizon))
        return
    for lag in lags:
        kpi = ctx.catalog.kpis[lag.card.kpi_id]
        link(
            st,
            "pages/kpi.py",
            "kpi",
            kpi.label.get(ctx.lang),
            ":material/query_stats:",
            {**shared_params(), "kpi": lag.card.kpi_id},
        )
        objective = ctx.catalog.objectives[lag.objective_id].label.get(ctx.lang)
        st.caption(
            f"{status_text(ctx, lag.card.assessment.status.value)} · "
            f"{plain(gap_text(ctx, lag))} · "
            f"{plain(ctx.t('attention.objective', objective=objective))}"
        )


def gap_text(ctx: PageContext, lag: Lag) -> str:
    """Return "58 pts behind pace (≈ 21 months)" in the page's language."""
    points = format_decimal(round(lag.points), "#,##0", locale=ctx.locale)
    if lag.months is None:
        return ctx.t("attention.gap_points", points=points)
    months = round(lag.months) if lag.months >= 10 else round(lag.months, 1)
    if months < 1:
        return ctx.t("attention.gap_less", points=points)
    if months == 1:
        return ctx.t("attention.gap_one", points=points)
    return ctx.t(
        "attention.gap",
        points=points,
        months=format_decimal(months, "#,##0.#", locale=ctx.locale),
    )


def moving_list(ctx: PageContext, card: Scorecard) -> None:
    """List the tracked KPIs whose status changed since the previous period."""
    before = previous(ctx)
    horizon = ctx.t(f"horizon.{card.horizon.value}").lower()
    moves = moving(card, before)
    if not moves:
        st.markdown(ctx.t("moving.none", period=before.period.label))
        return
    st.caption(ctx.t("moving.since", period=before.period.label, horizon=horizon))
    st.markdown("\n".join(move_line(ctx, m) for m in moves[:SHOWN_MOVES]))
    if len(moves) > SHOWN_MOVES:
        rest = moves[SHOWN_MOVES:]
        with st.expander(ctx.t("moving.more", count=len(rest))):
            st.markdown("\n".join(move_line(ctx, m) for m in rest))


def move_line(ctx: PageContext, move: Move) -> str:
    """Return a Markdown list item: KPI name, old status → new status."""
    name = plain(ctx.catalog.kpis[move.kpi_id].label.get(ctx.lang))
    before = status_text(ctx, move.before.value)
    after = status_text(ctx, move.after.value)
    return "- " + ctx.t("moving.line", kpi=f"**{name}**", before=before, after=after)
