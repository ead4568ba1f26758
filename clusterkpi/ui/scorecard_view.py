"""Scorecard view: the cached scorecard, positioning header, summary, objective and KPI cards."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Literal

import streamlit as st

from clusterkpi import config
from clusterkpi.attention import Tone, card_tone, previous_scorecard
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


def _cache_key(ctx: PageContext) -> tuple[str, str, str, str, str, date]:
    # What a cached scorecard depends on: the files, the data and the page's choices.
    settings = config.get_settings()
    return (
        str(settings.db),
        str(settings.catalog),
        ctx.data_version,
        ctx.period.label,
        ctx.horizon.value,
        ctx.today,
    )


def scorecard(ctx: PageContext) -> Scorecard:
    """Return the scorecard for the page's choices (cached until the data change)."""
    return _cached_scorecard(*_cache_key(ctx))


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _cached_previous(
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
    cat = catalog(catalog_path)
    strategy = read_strategy(store, today)
    board = _cached_scorecard(
        db_path, catalog_path, data_version, period, horizon, today
    )
    # The same cached series as this period's scorecard: its first periods are the
    # previous period's history, so nothing is evaluated again.
    series = cached_points(db_path, catalog_path, data_version, first, period)
    thresholds = Thresholds(settings.on_track_ratio, settings.at_risk_ratio)
    return previous_scorecard(store, cat, strategy, board, series, thresholds)


def previous(ctx: PageContext) -> Scorecard:
    """Return the scorecard of the period before the page's, at the same horizon."""
    return _cached_previous(*_cache_key(ctx))


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
    """Show the board's at-a-glance view: KPI counts per status."""
    counts = Counter(
        c.assessment.status.value for b in card.blocks for c in b.cards if c.tracked
    )
    st.markdown(
        "  ·  ".join(
            f"{status_text(ctx, s.value)} **{counts.get(s.value, 0)}**" for s in Status
        )
    )


def objectives_table(ctx: PageContext, card: Scorecard) -> None:
    """Show every objective's status, progress, expected pace and where to act.

    A Markdown table: it is part of the page's first paint (a data grid draws
    itself later, leaving a blank block meanwhile).
    """
    head = [
        ctx.t(key)
        for key in (
            "summary.objective",
            "summary.status",
            "summary.progress",
            "summary.expected",
            "summary.weakest",
        )
    ]
    lines = [
        "| " + " | ".join(head) + " |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for block in card.blocks:
        cells = [
            plain(ctx.catalog.objectives[block.objective_id].label.get(ctx.lang)),
            status_text(ctx, block.status.value),
            format_ratio(block.progress, ctx.locale),
            format_ratio(block.expected, ctx.locale),
            plain(behind_text(ctx, block) or "—"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    st.markdown("\n".join(lines))


def behind_text(ctx: PageContext, block: ObjectiveBlock) -> str | None:
    """Return "2 KPIs off track, furthest behind: X · 1 at risk", or None when none lags."""
    if block.weakest is None:
        return None
    name = ctx.catalog.kpis[block.weakest].label.get(ctx.lang)
    kind, count = (
        ("off", block.off_track) if block.off_track else ("risk", block.at_risk)
    )
    plural = "one" if count == 1 else "other"
    text = ctx.t(f"behind.{kind}_{plural}", count=count, kpi=name)
    if block.off_track and block.at_risk:
        text += " · " + ctx.t("behind.also_risk", count=block.at_risk)
    return text


def objective_heading(
    ctx: PageContext, block: ObjectiveBlock, where_to_act: bool = False
) -> None:
    """Show an objective's name, status (icon and word), progress and description.

    With ``where_to_act`` (the scorecard pages) the progress comes with the expected pace
    and the line names the KPI furthest behind.
    """
    objective = ctx.catalog.objectives[block.objective_id]
    st.subheader(objective.label.get(ctx.lang))
    if block.progress is None:
        progress = ctx.t("objective.progress_none")
    elif where_to_act:
        progress = ctx.t(
            "objective.pace",
            value=format_ratio(block.progress, ctx.locale),
            expected=format_ratio(block.expected, ctx.locale),
        )
    else:
        progress = ctx.t(
            "objective.progress", value=format_ratio(block.progress, ctx.locale)
        )
    line = f"**{status_text(ctx, block.status.value)}** · {progress}"
    if where_to_act and (behind := behind_text(ctx, block)) is not None:
        line += f" · {plain(behind)}"
    st.markdown(line)
    st.caption(objective.description.get(ctx.lang))


def objective_block(ctx: PageContext, block: ObjectiveBlock, columns: int = 3) -> None:
    """Show one objective: status, progress and its KPI cards."""
    with st.container(border=True):
        objective_heading(ctx, block, where_to_act=True)
        cols = st.columns(columns)
        for index, card in enumerate(block.cards):
            with cols[index % columns]:
                kpi_card(ctx, card)


def kpi_card(ctx: PageContext, card: KpiCard) -> None:
    """Show one KPI card: value, delta, sparkline, target and status."""
    kpi = ctx.catalog.kpis[card.kpi_id]
    with st.container(border=True, key=f"card_{card.kpi_id}"):
        spark = [v for _, v in card.sparkline if v is not None]
        tone = card_tone(card, kpi.direction)
        st.metric(
            kpi.label.get(ctx.lang),
            format_value(card.value, kpi.unit, ctx.locale),
            delta=format_delta(card.delta, kpi.unit, ctx.locale),
            delta_color=TONE_COLOURS[tone],
            delta_arrow=_arrow(card.delta),
            delta_description=_change_words(ctx, card, kpi.direction),
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


# The delta and the sparkline share one colour (Streamlit draws both with it).
TONE_COLOURS: dict[Tone, Literal["green", "red", "gray"]] = {
    Tone.GOOD: "green",
    Tone.BAD: "red",
    Tone.NEUTRAL: "gray",
}


def _arrow(delta: float | None) -> Literal["up", "down", "off"]:
    # Set from the number: Streamlit reads a formatted "+0" as a rise.
    if not delta:
        return "off"
    return "up" if delta > 0 else "down"


def _change_words(ctx: PageContext, card: KpiCard, direction: Direction) -> str | None:
    """Say "better" or "worse" (the KPI's direction) so that colour is never alone."""
    if card.delta is None:
        return None
    if card.delta == 0:
        key = "same"
    else:
        rising = card.delta > 0
        key = "better" if rising is (direction is Direction.HIGHER) else "worse"
    return ctx.t(f"card.{key}")
