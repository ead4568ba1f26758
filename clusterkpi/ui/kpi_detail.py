"""KPI detail: definition, value and targets, chart, target history, then the SQL."""

from __future__ import annotations

import streamlit as st

from clusterkpi.catalog import Unit
from clusterkpi.i18n import format_day, format_value
from clusterkpi.labels import author_label
from clusterkpi.lineage import feeding_imports, kpi_sql
from clusterkpi.strategy import strategy_history
from clusterkpi.trajectory import Trajectory
from clusterkpi.ui.context import PageContext, plain
from clusterkpi.ui.filters import ChartRange
from clusterkpi.ui.objective_view import kpi_chart, trajectory
from clusterkpi.ui.reports import source_label
from clusterkpi.ui.scorecard_view import scorecard, status_text
from clusterkpi.ui.strategy_changes import change_row
from clusterkpi.values_export import values_csv, values_rows


def kpi_picker(ctx: PageContext) -> str:
    """Show the KPI selector; the choice lives in the URL (``kpi``)."""
    ids = list(ctx.catalog.kpis)
    wanted = st.query_params.get("kpi")
    chosen = st.sidebar.selectbox(
        ctx.t("detail.pick"),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda k: ctx.catalog.kpis[k].label.get(ctx.lang),
        key="kpi_picker",
    )
    st.query_params["kpi"] = chosen
    return chosen


def kpi_detail(ctx: PageContext, kpi_id: str, rng: ChartRange) -> None:
    """Show one KPI: what it is, where it stands against its targets, its chart and history.

    The values by period, the imports behind them and the SQL come last, folded.
    """
    kpi = ctx.catalog.kpis[kpi_id]
    st.title(kpi.label.get(ctx.lang))
    st.caption(plain(_objective_line(ctx, kpi.objective)))
    _definition(ctx, kpi_id)
    traj = trajectory(ctx, kpi_id, rng)
    st.subheader(ctx.t("detail.section.now"))
    _value_line(ctx, kpi_id)
    _targets(ctx, kpi_id, traj)
    kpi_chart(ctx, kpi_id, rng)
    _history(ctx, kpi_id)
    with st.expander(ctx.t("detail.section.values")):
        _values(ctx, kpi_id, traj)
    with st.expander(ctx.t("detail.section.analysts")):
        _sources(ctx, kpi_id, rng)
        st.markdown(f"**{ctx.t('detail.sql')}**")
        st.code(kpi_sql(kpi), language="sql")


def _objective_line(ctx: PageContext, objective_id: str) -> str:
    # The membership objective bears its group's name: say it once, not twice.
    objective = ctx.catalog.objectives[objective_id]
    group = ctx.t(f"group.{objective.group.value}")
    label = objective.label.get(ctx.lang)
    if label == group:
        return group
    return ctx.t("detail.subtitle", objective=label, group=group)


def _value_line(ctx: PageContext, kpi_id: str) -> None:
    kpi = ctx.catalog.kpis[kpi_id]
    card = scorecard(ctx).card(kpi_id)
    value = format_value(card.value, kpi.unit, ctx.locale)
    line = ctx.t("detail.value", period=ctx.period.label, value=value)
    from clusterkpi.ui.partial import partial_note  # rows covering a period: #12

    if (partial := partial_note(ctx, kpi_id)) is not None:
        line += f" · {partial}"
    if card.tracked:
        line += f" · {status_text(ctx, card.assessment.status.value)}"
    st.markdown(line)


def _definition(ctx: PageContext, kpi_id: str) -> None:
    kpi = ctx.catalog.kpis[kpi_id]
    st.markdown(plain(kpi.description.get(ctx.lang)))
    st.markdown(
        ctx.t(
            "detail.facts",
            unit=ctx.t(f"detail.unit.{kpi.unit.value}"),
            direction=ctx.t(f"detail.direction.{kpi.direction.value}"),
            grain=ctx.t(f"detail.grain.{kpi.grain.value}"),
            aggregation=ctx.t(f"detail.aggregation.{kpi.aggregation.value}"),
        )
    )
    if kpi.benchmark is not None:
        st.markdown(
            plain(
                ctx.t(
                    "detail.benchmark",
                    value=format_value(kpi.benchmark.value, kpi.unit, ctx.locale),
                    label=kpi.benchmark.label.get(ctx.lang),
                    source=kpi.benchmark.source,
                )
            )
        )


def _sources(ctx: PageContext, kpi_id: str, rng: ChartRange) -> None:
    kpi = ctx.catalog.kpis[kpi_id]
    for source in kpi.sources:
        exports = ", ".join(ctx.catalog.sources[source].exports)
        st.markdown(plain(ctx.t("detail.source", table=source, exports=exports)))
    fed = feeding_imports(
        ctx.store, ctx.catalog, kpi_id, rng.first.start, rng.last.last_day
    )
    if not fed:
        st.info(ctx.t("detail.no_imports", first=rng.first.label, last=rng.last.label))
        return
    st.markdown(
        f"**{ctx.t('detail.imports', first=rng.first.label, last=rng.last.label)}**"
    )
    st.dataframe(
        [
            {
                ctx.t("detail.col.file"): f.file_name,
                ctx.t("detail.col.source"): ", ".join(
                    source_label(ctx, one) for one in f.source.split(", ") if one
                ),
                ctx.t("detail.col.imported_at"): format_day(
                    f.imported_at.date(), ctx.locale
                ),
                ctx.t("detail.col.by"): author_label(f.imported_by, ctx.lang),
                ctx.t("detail.col.rows"): ", ".join(
                    f"{table}: {count}" for table, count in f.rows.items()
                ),
            }
            for f in fed
        ],
        hide_index=True,
        width="stretch",
    )


def _values(ctx: PageContext, kpi_id: str, traj: Trajectory) -> None:
    kpi = ctx.catalog.kpis[kpi_id]
    st.dataframe(
        values_rows(traj, kpi, ctx.lang, ctx.locale), hide_index=True, width="stretch"
    )
    st.download_button(
        ctx.t("detail.download"),
        data=values_csv(traj, kpi, ctx.lang),
        file_name=f"{kpi_id}_{traj.series[0].label}_{traj.series[-1].label}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="values_csv",
    )


def _targets(ctx: PageContext, kpi_id: str, traj: Trajectory) -> None:
    kpi = ctx.catalog.kpis[kpi_id]
    if not traj.horizons:
        st.info(ctx.t("card.no_target"))
        return
    if traj.baseline is not None:
        st.markdown(
            ctx.t(
                "detail.baseline",
                value=format_value(traj.baseline.value, kpi.unit, ctx.locale),
                date=format_day(traj.baseline.day, ctx.locale),
            )
        )
    st.dataframe(
        [
            {
                ctx.t("detail.col.horizon"): ctx.t(f"horizon.{track.horizon.value}"),
                ctx.t("detail.col.date"): format_day(track.day, ctx.locale),
                ctx.t("detail.col.target"): format_value(
                    track.target, kpi.unit, ctx.locale
                ),
                ctx.t("detail.col.forecast"): format_value(
                    track.forecast.end_value if track.forecast else None,
                    kpi.unit,
                    ctx.locale,
                ),
                ctx.t("detail.col.status"): ctx.t(
                    f"status.{track.assessment.status.value}"
                ),
            }
            for track in traj.horizons
        ],
        hide_index=True,
        width="stretch",
    )
    if kpi.unit is Unit.COUNT:
        grain = ctx.t(f"filter.grain.{traj.grain.value}").lower()
        st.caption(ctx.t("detail.scaled", grain=grain))


def _history(ctx: PageContext, kpi_id: str) -> None:
    st.subheader(ctx.t("detail.history"))
    changes = strategy_history(ctx.store, kpi_id)
    if not changes:
        st.caption(ctx.t("detail.history_none"))
        return
    st.dataframe(
        [
            change_row(ctx, c, format_day(c.changed_at.date(), ctx.locale))
            for c in changes
        ],
        hide_index=True,
        width="stretch",
    )
