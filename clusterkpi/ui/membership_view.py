"""Membership panels: members over time, joins and leaves, retention, mix and geography."""

from __future__ import annotations

import streamlit as st

from clusterkpi import config
from clusterkpi.catalog import Unit
from clusterkpi.charts.membership import (
    countries_figure,
    flows_figure,
    members_figure,
    retention_figure,
    type_mix_figure,
)
from clusterkpi.engine import coverage
from clusterkpi.i18n import format_value
from clusterkpi.membership import (
    Geography,
    TypeMix,
    count_by_place,
    count_by_type,
    count_flows,
)
from clusterkpi.periods import parse_period, periods_between
from clusterkpi.ui.context import PageContext, catalog, open_store
from clusterkpi.ui.filters import ChartRange

_CONFIG = {"displaylogo": False}


@st.cache_resource(ttl=3600, max_entries=64, show_spinner=False)
def _panels(
    db_path: str,
    catalog_path: str,
    data_version: str,
    first: str,
    last: str,
    types: tuple[str, ...],
    lang: str,
    locale: str,
) -> tuple[TypeMix, Geography, dict[str, object]]:
    # Shared, never-mutated figures: building them costs more than the rest of a rerun.
    store = open_store(db_path)
    last_period = parse_period(last)
    # Periods the roster does not speak for show no figure rather than a zero.
    covered = coverage(store, catalog(catalog_path)).get("members")
    periods = [
        p
        for p in periods_between(parse_period(first), last_period)
        if covered is not None and covered.covers(p)
    ]
    chosen = list(types) or None
    flows = count_flows(store, periods, chosen)
    mix = count_by_type(store, last_period, chosen)
    geography = count_by_place(store, last_period, chosen)
    figures = {
        "members": members_figure(flows, lang, locale),
        "flows": flows_figure(flows, lang, locale),
        "retention": retention_figure(flows, lang, locale),
        "mix": type_mix_figure(mix, lang, locale),
        "countries": countries_figure(geography, lang, locale),
    }
    return mix, geography, figures


def membership_panels(
    ctx: PageContext, rng: ChartRange, types: tuple[str, ...]
) -> None:
    """Show the membership figures over the range, for the chosen member types."""
    settings = config.get_settings()
    mix, geography, figures = _panels(
        str(settings.db),
        str(settings.catalog),
        ctx.data_version,
        rng.first.label,
        rng.last.label,
        types,
        ctx.lang,
        ctx.locale,
    )
    st.header(ctx.t("mpage.figures"))
    if mix.total == 0:
        st.info(ctx.t("mpage.empty"))
        return
    left, right = st.columns(2)
    left.metric(
        ctx.t("mpage.sme_share"),
        format_value(mix.sme_members / mix.total, Unit.RATE, ctx.locale),
    )
    right.metric(
        ctx.t("mpage.international_share"),
        format_value(geography.international / geography.total, Unit.RATE, ctx.locale),
    )
    for name, figure in figures.items():
        st.plotly_chart(figure, key=f"membership_{name}", config=_CONFIG)
