"""Strategy history in words: what changed, old and new values in the locale, and who."""

from __future__ import annotations

from datetime import date

from babel.numbers import format_decimal

from clusterkpi.catalog import Unit
from clusterkpi.i18n import format_day, format_value
from clusterkpi.labels import author_label, yes_no
from clusterkpi.strategy import Horizon, StrategyChange
from clusterkpi.ui.context import PageContext

# Items whose stored text is a KPI value in the KPI's unit (rates as fractions).
_VALUE_FIELDS = {"baseline_value", *(h.value for h in Horizon)}


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


def value_text(ctx: PageContext, item: str, text: str | None) -> str:
    """Return a stored item value as the page shows it: '0.35' → '35,0 %', dates too."""
    if text is None:
        return "—"
    kind, _, rest = item.partition(".")
    if kind == "horizon":
        return _day(ctx, text)
    if kind != "target":
        return text
    kpi_id, _, field = rest.rpartition(".")
    try:
        if field == "tracked":
            return yes_no(text == "true", ctx.lang)
        if field == "baseline_date":
            return _day(ctx, text)
        if field == "weight":
            return _number(ctx, float(text))
        if field in _VALUE_FIELDS and kpi_id in ctx.catalog.kpis:
            return _kpi_value(ctx, float(text), ctx.catalog.kpis[kpi_id].unit)
    except ValueError:
        pass  # a text older code wrote differently: shown as stored
    return text


def _kpi_value(ctx: PageContext, value: float, unit: Unit) -> str:
    # format_value rounds counts of 100 and more; a history keeps every digit given.
    if unit is Unit.COUNT:
        return _number(ctx, value)
    return format_value(value, unit, ctx.locale)


def _number(ctx: PageContext, value: float) -> str:
    return format_decimal(value, "#,##0.######", locale=ctx.locale)


def _day(ctx: PageContext, text: str) -> str:
    try:
        return format_day(date.fromisoformat(text), ctx.locale)
    except ValueError:
        return text


def change_row(ctx: PageContext, change: StrategyChange, when: str) -> dict[str, str]:
    """Return one history row: when, by whom, what, before and after, all in words."""
    return {
        ctx.t("detail.col.when"): when,
        ctx.t("detail.col.by"): author_label(change.changed_by, ctx.lang),
        ctx.t("detail.col.item"): item_text(ctx, change.item),
        ctx.t("detail.col.old"): value_text(ctx, change.item, change.old_value),
        ctx.t("detail.col.new"): value_text(ctx, change.item, change.new_value),
    }
