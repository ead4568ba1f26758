"""Strategy editor: positioning, horizon dates and per-KPI targets, with their history."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from clusterkpi.catalog import Unit
from clusterkpi.errors import StrategyError
from clusterkpi.i18n import format_moment, format_value
from clusterkpi.roles import Action
from clusterkpi.strategy import (
    POSITIONING_FIELDS,
    TARGET_FIELDS,
    Horizon,
    Issue,
    save_strategy,
    strategy_history,
)
from clusterkpi.strategy_table import strategy_from_form, target_rows
from clusterkpi.ui.context import PageContext

# Texts typed on several lines; the name and the country code are single fields.
_LONG_TEXTS = POSITIONING_FIELDS[2:]


def strategy_editor(ctx: PageContext) -> None:
    """Show the strategy form; save it (validated, with its history) when submitted."""
    st.title(ctx.t("strategy.title"))
    st.caption(ctx.t("strategy.intro"))
    current = ctx.strategy
    with st.form("strategy_form", border=False):
        st.subheader(ctx.t("strategy.positioning"))
        positioning = _positioning_inputs(ctx)
        st.subheader(ctx.t("strategy.horizons"))
        horizons = _horizon_inputs(ctx)
        st.subheader(ctx.t("strategy.targets"))
        st.caption(ctx.t("strategy.targets_help"))
        frame = pd.DataFrame(target_rows(current, ctx.catalog))
        frame.insert(
            1, "label", [ctx.catalog.kpis[k].label.get(ctx.lang) for k in frame.kpi_id]
        )
        frame.insert(
            2,
            "unit",
            [
                ctx.t(f"strategy.unit.{ctx.catalog.kpis[k].unit.value}")
                for k in frame.kpi_id
            ],
        )
        edited = st.data_editor(
            frame,
            key="targets_editor",
            hide_index=True,
            num_rows="fixed",
            width="stretch",
            height=35 * (len(frame) + 1) + 3,
            disabled=("kpi_id", "label", "unit"),
            column_order=("label", "unit", *TARGET_FIELDS),
            column_config=_columns(ctx),
        )
        submitted = st.form_submit_button(ctx.t("strategy.save"), type="primary")
    if submitted:
        _save(ctx, positioning, horizons, edited.to_dict("records"))
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


def _columns(ctx: PageContext) -> dict[str, object]:
    number = st.column_config.NumberColumn
    return {
        "label": st.column_config.TextColumn(ctx.t("strategy.col.kpi"), width="large"),
        "unit": st.column_config.TextColumn(ctx.t("strategy.col.unit"), width="small"),
        "tracked": st.column_config.CheckboxColumn(ctx.t("strategy.col.tracked")),
        "baseline_value": number(
            ctx.t("strategy.col.baseline_value"), format="localized"
        ),
        "baseline_date": st.column_config.DateColumn(
            ctx.t("strategy.col.baseline_date"), format="localized"
        ),
        "weight": number(
            ctx.t("strategy.col.weight"), min_value=0, max_value=100, format="localized"
        ),
        **{
            h.value: number(ctx.t(f"strategy.col.{h.value}"), format="localized")
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
    if issue.code == "rate_range":
        params["value"] = format_value(
            float(str(params["value"])), Unit.RATE, ctx.locale
        )
    key = f"strategy.issue.{issue.code}"
    if issue.code.startswith("invalid."):
        key = "strategy.issue.invalid"
    try:
        return ctx.t(key, **params)
    except KeyError:
        return str(issue)


def item_text(ctx: PageContext, item: str) -> str:
    """Name a strategy item in words: 'target.open_rate.short' → the KPI and what changed."""
    kind, _, rest = item.partition(".")
    if kind == "positioning":
        return ctx.t(f"strategy.field.{rest}")
    if kind == "horizon":
        return ctx.t(f"horizon.{rest}")
    kpi_id, _, field = rest.rpartition(".")
    label = (
        ctx.catalog.kpis[kpi_id].label.get(ctx.lang)
        if kpi_id in ctx.catalog.kpis
        else kpi_id
    )
    if field in {h.value for h in Horizon}:
        what = ctx.t("detail.item.target", horizon=ctx.t(f"horizon.{field}").lower())
    else:
        what = ctx.t(f"detail.item.{field}")
    return f"{label} — {what}"


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
            {
                ctx.t("detail.col.when"): format_moment(c.changed_at, ctx.locale),
                ctx.t("detail.col.by"): c.changed_by,
                ctx.t("detail.col.item"): item_text(ctx, c.item),
                ctx.t("detail.col.old"): c.old_value or "—",
                ctx.t("detail.col.new"): c.new_value or "—",
            }
            for c in changes[:500]
        ],
        hide_index=True,
        width="stretch",
    )
