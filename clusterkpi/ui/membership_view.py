"""Membership panels: members over time, joins and leaves, retention, mix and geography."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from clusterkpi import config
from clusterkpi.catalog import Unit
from clusterkpi.charts.membership import (
    countries_figure,
    flows_figure,
    members_figure,
    regions_figure,
    retention_figure,
    type_mix_figure,
)
from clusterkpi.engine import coverage
from clusterkpi.i18n import format_value
from clusterkpi.member_vocabulary import VocabularyError, list_terms, replace_terms
from clusterkpi.membership import (
    MEMBER_TYPES,
    Geography,
    TypeMix,
    count_by_place,
    count_by_type,
    count_flows,
)
from clusterkpi.periods import parse_period, periods_between
from clusterkpi.roles import Action
from clusterkpi.ui.context import PageContext, catalog, open_store, plain
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
        "regions": regions_figure(geography, lang, locale),
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
    else:
        _shares(ctx, mix, geography)
        for name, figure in figures.items():
            st.plotly_chart(figure, key=f"membership_{name}", config=_CONFIG)
    vocabulary_editor(ctx)


def _shares(ctx: PageContext, mix: TypeMix, geography: Geography) -> None:
    # Each share is over the members whose type (country) is known, and says how
    # many it leaves out: an unknown type is never counted as an SME, nor as not one.
    left, right = st.columns(2)
    left.metric(
        ctx.t("mpage.sme_share"),
        format_value(mix.sme_share, Unit.RATE, ctx.locale),
        help=ctx.t("member_types.sme_help"),
    )
    # One definition with the KPI and the mix chart's title: start-ups are SMEs.
    left.caption(
        ctx.t(
            "membership.share.sme_caption",
            sme=format_value(mix.sme_members, Unit.COUNT, ctx.locale),
            known=format_value(mix.known, Unit.COUNT, ctx.locale),
            unknown=format_value(mix.unknown, Unit.COUNT, ctx.locale),
        )
    )
    right.metric(
        ctx.t("mpage.international_share"),
        format_value(geography.international_share, Unit.RATE, ctx.locale),
        help=ctx.t("member_types.country_help"),
    )
    if geography.unknown:
        right.caption(_note(ctx, "country", geography.unknown))


def _note(ctx: PageContext, kind: str, count: int) -> str:
    if count == 1:
        return ctx.t(f"member_types.{kind}_note_one")
    return ctx.t(
        f"member_types.{kind}_note", count=format_value(count, Unit.COUNT, ctx.locale)
    )


def vocabulary_editor(ctx: PageContext) -> None:
    """Show the tariff vocabulary; animators and admins may edit and save it."""
    editable = ctx.viewer.may(Action.IMPORT)
    none = ctx.t("member_types.editor.none")
    names = {ctx.t(f"membership.type.{k}"): k for k in MEMBER_TYPES}
    with st.expander(ctx.t("member_types.editor.title")):
        st.caption(ctx.t("member_types.editor.intro"))
        terms = list_terms(ctx.store)
        frame = pd.DataFrame(
            {
                "term": [v.term for v in terms],
                "member_type": [
                    none
                    if v.member_type is None
                    else ctx.t(f"membership.type.{v.member_type}")
                    for v in terms
                ],
            }
        )
        edited = st.data_editor(
            frame,
            key="member_vocabulary_editor",
            hide_index=True,
            num_rows="dynamic" if editable else "fixed",
            disabled=not editable,
            width="stretch",
            column_config={
                "term": st.column_config.TextColumn(
                    ctx.t("member_types.editor.term"), required=True, max_chars=120
                ),
                "member_type": st.column_config.SelectboxColumn(
                    ctx.t("member_types.editor.type"), options=[none, *names]
                ),
            },
        )
        if not editable:
            st.caption(ctx.t("member_types.editor.read_only"))
        elif st.button(ctx.t("member_types.editor.save"), key="member_vocabulary_save"):
            _save_vocabulary(ctx, edited, names)


def _save_vocabulary(
    ctx: PageContext, edited: pd.DataFrame, names: dict[str, str]
) -> None:
    if not ctx.viewer.may(Action.IMPORT):  # checked again when the button is pressed
        st.error(ctx.t("member_types.editor.read_only"))
        return
    entries = [
        (str(row["term"]), names.get(row["member_type"]))
        for _, row in edited.iterrows()
        if isinstance(row["term"], str) and row["term"].strip()
    ]
    try:
        saved = replace_terms(ctx.store, entries)
    except VocabularyError as exc:
        reason = ctx.t(f"member_types.error.{exc.reason}", term=plain(exc.term))
        st.error(ctx.t("member_types.editor.refused", reason=reason))
        return
    st.success(ctx.t("member_types.editor.saved", count=len(saved)))
