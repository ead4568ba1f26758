"""Strategy editor: positioning, horizon dates and per-KPI targets, with their history."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from babel.numbers import format_decimal
from streamlit.elements.lib.column_types import ColumnConfig

from clusterkpi.catalog import Unit
from clusterkpi.errors import StrategyError
from clusterkpi.i18n import format_moment, format_value
from clusterkpi.roles import Action
from clusterkpi.strategy import (
    POSITIONING_FIELDS,
    Horizon,
    Issue,
    save_strategy,
    strategy_history,
)
from clusterkpi.strategy_table import strategy_from_form, target_rows
from clusterkpi.ui.context import PageContext
from clusterkpi.ui.strategy_changes import change_row

# Texts typed on several lines; the name and the country code are single fields.
_LONG_TEXTS = POSITIONING_FIELDS[2:]


def strategy_editor(ctx: PageContext) -> None:
    """Show the strategy form; save it (validated, with its history) when submitted."""
    st.title(ctx.t("strategy.title"))
    st.caption(ctx.t("strategy.intro"))
    with st.form("strategy_form", border=False):
        st.subheader(ctx.t("strategy.positioning"))
        positioning = _positioning_inputs(ctx)
        st.subheader(ctx.t("strategy.horizons"))
        horizons = _horizon_inputs(ctx)
        st.subheader(ctx.t("strategy.targets"))
        st.caption(ctx.t("strategy.targets_help"))
        rows = _targets_inputs(ctx)
        submitted = st.form_submit_button(ctx.t("strategy.save"), type="primary")
    if submitted:
        _save(ctx, positioning, horizons, rows)
    _history(ctx)


def _positioning_inputs(ctx: PageContext) -> dict[str, str]:
    pos = ctx.strategy.positioning if ctx.strategy else None
    values = {f: (getattr(pos, f) if pos else "") for f in POSITIONING_FIELDS}
    left, right = st.columns([3, 1])
    out = {
        "cluster_name": left.text_input(
            ctx.t("strategy.field.cluster_name"), values["cluster_name"], max_chars=120
        ),
        "home_country": right.text_input(
            ctx.t("strategy.field.home_country"),
            values["home_country"] or "FR",
            max_chars=2,
            help=ctx.t("strategy.field.home_country_help"),
        ),
    }
    for field in _LONG_TEXTS:
        out[field] = st.text_area(
            ctx.t(f"strategy.field.{field}"), values[field], height=80, max_chars=2000
        )
    return out


def _horizon_inputs(ctx: PageContext) -> dict[Horizon, date]:
    dates = ctx.strategy.horizons if ctx.strategy else {}
    cols = st.columns(3)
    return {
        h: cols[i].date_input(
            ctx.t(f"horizon.{h.value}"),
            dates.get(h) or date(ctx.today.year + (1, 5, 10)[i], 12, 31),
            min_value=date(2000, 1, 1),
            max_value=date(2100, 12, 31),
            format="DD/MM/YYYY" if ctx.lang == "fr" else "YYYY-MM-DD",
            key=f"horizon_{h.value}",
        )
        for i, h in enumerate(Horizon)
    }


def _targets_inputs(ctx: PageContext) -> list[dict[str, object]]:
    # Two tables over the same rows: the targets, whose three horizons must show
    # without scrolling at 1280 px, then the baseline dates and weights, set once.
    frame = pd.DataFrame(target_rows(ctx.strategy, ctx.catalog))
    kpis = [ctx.catalog.kpis[k] for k in frame.kpi_id]
    frame.insert(1, "label", [k.label.get(ctx.lang) for k in kpis])
    frame.insert(2, "unit", [ctx.t(f"strategy.unit.{k.unit.value}") for k in kpis])
    height = 35 * (len(frame) + 1) + 3
    main = st.data_editor(
        frame,
        key="targets_editor",
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        height=height,
        disabled=("kpi_id", "label", "unit"),
        column_order=_MAIN_COLUMNS,
        column_config=_columns(ctx),
    )
    with st.expander(ctx.t("strategy.details")):
        st.caption(ctx.t("strategy.details_help"))
        details = st.data_editor(
            frame,
            key="targets_details_editor",
            hide_index=True,
            num_rows="fixed",
            width="stretch",
            height=height,
            disabled=("kpi_id", "label", "unit"),
            column_order=_DETAIL_COLUMNS,
            column_config=_columns(ctx),
        )
    # The column names are the str keys of target_rows; pandas types them Hashable.
    rows: list[dict[str, object]] = [
        {str(name): value for name, value in row.items()}
        for row in main.to_dict("records")
    ]
    for row, detail in zip(rows, details.to_dict("records"), strict=True):
        row.update({name: detail[name] for name in _DETAIL_COLUMNS[1:]})
    return rows


_MAIN_COLUMNS = (
    "label",
    "unit",
    "tracked",
    "baseline_value",
    "short",
    "medium",
    "long",
)
_DETAIL_COLUMNS = ("label", "baseline_date", "weight")


def _columns(ctx: PageContext) -> dict[str, ColumnConfig]:
    # Pixel widths: label, unit, tracked, baseline and three targets fill about
    # 770 px, within the content width beside an open sidebar at 1280 px (820 px).
    number = st.column_config.NumberColumn
    return {
        "label": st.column_config.TextColumn(ctx.t("strategy.col.kpi"), width=230),
        "unit": st.column_config.TextColumn(ctx.t("strategy.col.unit"), width=60),
        "tracked": st.column_config.CheckboxColumn(
            ctx.t("strategy.col.tracked"), width=75
        ),
        "baseline_value": number(
            ctx.t("strategy.col.baseline_short"),
            help=ctx.t("strategy.col.baseline_value_help"),
            format="localized",
            width=90,
        ),
        "baseline_date": st.column_config.DateColumn(
            ctx.t("strategy.col.baseline_date"),
            format="DD/MM/YYYY" if ctx.lang == "fr" else "YYYY-MM-DD",
            width=140,
        ),
        "weight": number(
            ctx.t("strategy.col.weight"),
            min_value=0,
            max_value=100,
            format="localized",
            width=90,
        ),
        **{
            h.value: number(
                ctx.t(f"horizon.{h.value}"),
                help=ctx.t(f"strategy.col.{h.value}"),
                format="localized",
                width=105,
            )
            for h in Horizon
        },
    }


def issue_text(ctx: PageContext, issue: str) -> str:
    """Return a strategy problem in the page's language (English text if unknown)."""
    if not isinstance(issue, Issue):
        return issue
    params = dict(issue.params)
    if "kpi" in params and params["kpi"] in ctx.catalog.kpis:
        params["kpi"] = ctx.catalog.kpis[str(params["kpi"])].label.get(ctx.lang)
    if "fields" in params:
        params["fields"] = ", ".join(
            ctx.t(f"strategy.col.{f.strip()}") for f in str(params["fields"]).split(",")
        )
    if "field" in params and issue.code in {"rate_range", "count_whole"}:
        params["field"] = ctx.t(f"strategy.col.{params['field']}")
    if issue.code == "rate_range":
        params["value"] = format_value(
            float(str(params["value"])), Unit.RATE, ctx.locale
        )
    elif issue.code == "count_whole":
        params["value"] = format_decimal(
            float(str(params["value"])), "#,##0.######", locale=ctx.locale
        )
    key = f"strategy.issue.{issue.code}"
    if issue.code.startswith("invalid."):
        key = "strategy.issue.invalid"
    try:
        return ctx.t(key, **params)
    except KeyError:
        return str(issue)


def _save(
    ctx: PageContext,
    positioning: dict[str, str],
    horizons: dict[Horizon, date],
    rows: list[dict[str, object]],
) -> None:
    if not ctx.viewer.may(Action.EDIT_STRATEGY):  # checked again when saving
        st.error(ctx.t("auth.refused"))
        return
    try:
        strategy = strategy_from_form(
            positioning, horizons, rows, ctx.catalog, ctx.today
        )
    except StrategyError as exc:
        st.error(ctx.t("strategy.refused", count=len(exc.issues)))
        for issue in exc.issues:
            st.markdown(f"- {issue_text(ctx, issue)}")
        return
    changed = save_strategy(ctx.store, strategy, user=ctx.user)
    if changed:
        st.success(ctx.t("strategy.saved", count=changed))
    else:
        st.info(ctx.t("strategy.unchanged"))


def _history(ctx: PageContext) -> None:
    st.subheader(ctx.t("strategy.history"))
    changes = strategy_history(ctx.store)
    if not changes:
        st.caption(ctx.t("detail.history_none"))
        return
    st.dataframe(
        [
            change_row(ctx, c, format_moment(c.changed_at, ctx.locale))
            for c in changes[:500]
        ],
        hide_index=True,
        width="stretch",
    )
