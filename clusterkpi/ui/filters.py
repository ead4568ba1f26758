"""Dashboard filters kept in the URL: chart grain, period range and member types."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from clusterkpi.errors import PeriodError
from clusterkpi.i18n import t
from clusterkpi.membership import MEMBER_TYPES
from clusterkpi.periods import Grain, Period, parse_period, period_of, periods_between
from clusterkpi.ui.context import PageContext, data_span

# Charts open on the last three years: enough for a trend, quick to compute.
DEFAULT_SPAN = {Grain.MONTH: 36, Grain.QUARTER: 12, Grain.YEAR: 5}
# The longest range a user may pick (the large benchmark cluster holds 15 years).
MAX_PERIODS = {Grain.MONTH: 240, Grain.QUARTER: 80, Grain.YEAR: 20}


@dataclass(frozen=True)
class ChartRange:
    """The periods a page charts: from ``first`` to ``last`` at one grain."""

    grain: Grain
    first: Period
    last: Period

    @property
    def periods(self) -> list[Period]:
        """Every period of the range, oldest first."""
        return periods_between(self.first, self.last)


def chart_range(ctx: PageContext) -> ChartRange:
    """Show the grain and 'from' pickers; the range ends with the period of the scorecard.

    Both choices live in the URL (``grain``, ``from``) so that a shared link opens on
    exactly the same charts; values that do not parse fall back to the defaults.
    """
    grains = [g.value for g in Grain]
    wanted = st.query_params.get("grain", Grain.QUARTER.value)
    grain = Grain(
        st.sidebar.segmented_control(
            t("filter.grain", ctx.lang),
            grains,
            default=wanted if wanted in grains else Grain.QUARTER.value,
            format_func=lambda g: t(f"filter.grain.{g}", ctx.lang),
            key="grain_picker",
        )
        or Grain.QUARTER.value
    )
    last = period_of(ctx.period.last_day, grain)
    options = _first_options(ctx, grain, last)
    default = max(last.shift(-(DEFAULT_SPAN[grain] - 1)), options[-1])
    asked = _parse(st.query_params.get("from"), grain)
    first = asked if asked is not None and asked in options else default
    labels = [p.label for p in options]
    chosen = st.sidebar.selectbox(
        t("filter.from", ctx.lang),
        labels,
        index=labels.index(first.label),
        key=f"from_picker_{grain.value}",
    )
    st.query_params["grain"] = grain.value
    st.query_params["from"] = chosen
    return ChartRange(grain, parse_period(chosen), last)


def member_types(ctx: PageContext) -> tuple[str, ...]:
    """Show the member-type filter (URL ``types``, comma-separated); empty means all."""
    asked = st.query_params.get("types", "")
    default = [m for m in asked.split(",") if m in MEMBER_TYPES]
    chosen = st.sidebar.multiselect(
        t("filter.member_types", ctx.lang),
        MEMBER_TYPES,
        default=default,
        format_func=lambda m: t(f"membership.type.{m}", ctx.lang),
        placeholder=t("filter.member_types_all", ctx.lang),
        key="types_picker",
    )
    if chosen:
        st.query_params["types"] = ",".join(chosen)
    elif "types" in st.query_params:
        del st.query_params["types"]
    return tuple(chosen)


def _first_options(ctx: PageContext, grain: Grain, last: Period) -> list[Period]:
    """Return the periods a range may start with, newest first, back to the first data."""
    span = data_span(ctx.data_version)
    oldest = (
        period_of(span[0], grain) if span else last.shift(-(DEFAULT_SPAN[grain] - 1))
    )
    oldest = max(oldest, last.shift(-(MAX_PERIODS[grain] - 1)))
    if oldest.start > last.start:
        oldest = last
    return list(reversed(periods_between(oldest, last)))


def _parse(label: str | None, grain: Grain) -> Period | None:
    if not label:
        return None
    try:
        period = parse_period(label)
    except PeriodError:
        return None
    return period if period.grain is grain else None
