"""Snapshots page: freeze a quarter, approve it, compare two, download every export."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from clusterkpi import config
from clusterkpi.catalog import Unit
from clusterkpi.errors import SnapshotError
from clusterkpi.exports import SUFFIXES, export_snapshot
from clusterkpi.i18n import format_delta, format_moment, format_value
from clusterkpi.periods import Grain, Period, period_of
from clusterkpi.progress import Thresholds
from clusterkpi.roles import Action
from clusterkpi.snapshot_model import Restatement, Snapshot
from clusterkpi.snapshots import (
    approve_snapshot,
    compare,
    create_snapshot,
    list_snapshots,
    read_snapshot,
    restatements,
)
from clusterkpi.strategy import Horizon
from clusterkpi.ui.context import PageContext, catalog, data_span, open_store, plain

_MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "parquet": "application/zip",
}


def snapshots_page(ctx: PageContext) -> None:
    """Show the snapshot list, the creation form, one snapshot's detail and a comparison."""
    st.title(ctx.t("snap.title"))
    st.caption(ctx.t("snap.intro"))
    summaries = list_snapshots(ctx.store)
    if ctx.viewer.may(Action.CREATE_SNAPSHOT):
        _create_form(ctx, {s.quarter for s in summaries})
    if not summaries:
        st.info(ctx.t("snap.none"))
        return
    st.subheader(ctx.t("snap.list"))
    st.dataframe(
        [
            {
                ctx.t("snap.col.quarter"): s.quarter,
                ctx.t("snap.col.created"): format_moment(s.created_at, ctx.locale)
                + f" · {s.created_by}",
                ctx.t("snap.col.approval"): ctx.t(
                    "snap.approved_by",
                    who=s.approved_by,
                    when=format_moment(s.approved_at, ctx.locale),
                )
                if s.approved_at
                else ctx.t("snap.pending"),
            }
            for s in summaries
        ],
        hide_index=True,
        width="stretch",
    )
    quarters = [s.quarter for s in summaries]
    wanted = st.query_params.get("snapshot")
    chosen = st.selectbox(
        ctx.t("snap.pick"),
        quarters,
        index=quarters.index(wanted) if wanted in quarters else 0,
        key="snapshot_picker",
    )
    st.query_params["snapshot"] = chosen
    _detail(ctx, read_snapshot(ctx.store, chosen))
    if len(quarters) >= 2:
        _comparison(ctx, quarters)


def _create_form(ctx: PageContext, frozen: set[str]) -> None:
    span = data_span(ctx.data_version)
    last = period_of(ctx.today, Grain.QUARTER).previous()
    first = period_of(span[0], Grain.QUARTER) if span else last
    options = [
        p.label
        for p in _quarters(max(first, last.shift(-19)), last)
        if p.label not in frozen
    ]
    with st.expander(
        ctx.t("snap.create"), expanded=not frozen, icon=":material/ac_unit:"
    ):
        if not options:
            st.caption(ctx.t("snap.create_none"))
            return
        with st.form("snapshot_create"):
            quarter = st.selectbox(
                ctx.t("snap.quarter"), options, key="snapshot_quarter"
            )
            st.caption(ctx.t("snap.commentary_help"))
            texts = {
                oid: st.text_area(
                    objective.label.get(ctx.lang),
                    key=f"comment_{oid}",
                    max_chars=4000,
                    height=80,
                )
                for oid, objective in ctx.catalog.objectives.items()
            }
            if st.form_submit_button(ctx.t("snap.create_button"), type="primary"):
                if not ctx.viewer.may(
                    Action.CREATE_SNAPSHOT
                ):  # checked again on submit
                    st.error(ctx.t("auth.refused"))
                    return
                try:
                    made = create_snapshot(
                        ctx.store,
                        ctx.catalog,
                        quarter,
                        ctx.user,
                        {k: v for k, v in texts.items() if v.strip()},
                        today=ctx.today,
                        thresholds=Thresholds(
                            config.get_settings().on_track_ratio,
                            config.get_settings().at_risk_ratio,
                        ),
                    )
                except SnapshotError as exc:
                    st.error(str(exc))
                else:
                    st.success(ctx.t("snap.created", quarter=made.quarter))
                    st.query_params["snapshot"] = made.quarter


def _quarters(first: Period, last: Period) -> list[Period]:
    out, current = [], last
    while current >= first:
        out.append(current)
        current = current.previous()
    return out


def _detail(ctx: PageContext, snap: Snapshot) -> None:
    with st.container(border=True, key="snapshot_detail"):
        st.subheader(ctx.t("snap.detail", quarter=snap.quarter))
        if snap.approved:
            st.markdown(
                ":blue[:material/verified:] "
                + plain(
                    ctx.t(
                        "snap.approved_by",
                        who=snap.approved_by,
                        when=format_moment(snap.approved_at, ctx.locale),
                    )
                )
            )
        else:
            st.markdown(":orange[:material/pending:] " + ctx.t("snap.pending"))
            if ctx.viewer.may(Action.APPROVE_SNAPSHOT) and st.button(
                ctx.t("snap.approve"),
                key=f"approve_{snap.quarter}",
                icon=":material/how_to_vote:",
            ):
                if not ctx.viewer.may(Action.APPROVE_SNAPSHOT):
                    st.error(ctx.t("auth.refused"))
                    return
                try:
                    approve_snapshot(ctx.store, snap.quarter, ctx.user)
                except SnapshotError as exc:
                    st.error(str(exc))
                else:
                    st.rerun()
        _restatements(ctx, snap)
        st.markdown(f"**{ctx.t('snap.exports')}**")
        cols = st.columns(len(SUFFIXES))
        for col, fmt in zip(cols, SUFFIXES, strict=True):
            col.download_button(
                ctx.t(f"snap.export.{fmt}"),
                data=_exporter(ctx, snap, fmt),
                file_name=f"clusterkpi_{snap.quarter}_{ctx.lang}{SUFFIXES[fmt]}",
                mime=_MIME[fmt],
                on_click="ignore",
                icon=":material/download:",
                key=f"export_{fmt}",
            )


def _exporter(ctx: PageContext, snap: Snapshot, fmt: str) -> Callable[[], bytes]:
    store, catalog, lang = ctx.store, ctx.catalog, ctx.lang

    def build() -> bytes:
        # Runs on click, in its own thread: no Streamlit call here.
        with tempfile.TemporaryDirectory() as folder:
            path = export_snapshot(
                store, catalog, snap, fmt, lang, Path(folder) / f"pack{SUFFIXES[fmt]}"
            )
            return path.read_bytes()

    return build


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _cached_restatements(
    db_path: str, catalog_path: str, data_version: str, quarter: str
) -> list[Restatement]:
    store = open_store(db_path)
    return restatements(store, catalog(catalog_path), read_snapshot(store, quarter))


def _restatements(ctx: PageContext, snap: Snapshot) -> None:
    settings = config.get_settings()
    changed = _cached_restatements(
        str(settings.db), str(settings.catalog), ctx.data_version, snap.quarter
    )
    if not changed:
        st.caption(ctx.t("snap.no_restatement"))
        return
    st.warning(ctx.t("snap.restated", count=len(changed)), icon=":material/history:")
    st.dataframe(
        [
            {
                ctx.t("snap.col.kpi"): ctx.catalog.kpis[r.kpi_id].label.get(ctx.lang),
                ctx.t("snap.col.frozen"): format_value(
                    r.frozen, ctx.catalog.kpis[r.kpi_id].unit, ctx.locale
                ),
                ctx.t("snap.col.current"): format_value(
                    r.current, ctx.catalog.kpis[r.kpi_id].unit, ctx.locale
                ),
                ctx.t("snap.col.imports"): ", ".join(
                    f"{name} ({format_moment(at, ctx.locale)})"
                    for _, name, at in r.imports
                )
                or "—",
            }
            for r in changed
        ],
        hide_index=True,
        width="stretch",
    )


def _comparison(ctx: PageContext, quarters: list[str]) -> None:
    st.subheader(ctx.t("snap.compare"))
    left, mid, right = st.columns(3)
    a = left.selectbox(
        ctx.t("snap.compare_a"),
        quarters,
        index=min(1, len(quarters) - 1),
        key="compare_a",
    )
    b = mid.selectbox(ctx.t("snap.compare_b"), quarters, index=0, key="compare_b")
    horizon = Horizon(
        right.selectbox(
            ctx.t("sidebar.horizon"),
            [h.value for h in Horizon],
            format_func=lambda h: ctx.t(f"horizon.{h}"),
            key="compare_horizon",
        )
    )
    if a == b:
        st.info(ctx.t("snap.compare_same"))
        return
    rows = compare(read_snapshot(ctx.store, a), read_snapshot(ctx.store, b), horizon)
    st.dataframe(
        [
            {
                ctx.t("snap.col.kpi"): ctx.catalog.kpis[r.kpi_id].label.get(ctx.lang)
                if r.kpi_id in ctx.catalog.kpis
                else r.kpi_id,
                a: format_value(r.value_a, _unit(ctx, r.kpi_id), ctx.locale),
                b: format_value(r.value_b, _unit(ctx, r.kpi_id), ctx.locale),
                ctx.t("snap.col.change"): format_delta(
                    r.change, _unit(ctx, r.kpi_id), ctx.locale
                )
                or "—",
                ctx.t("snap.col.status", quarter=a): ctx.t(f"status.{r.status_a.value}")
                if r.status_a
                else "—",
                ctx.t("snap.col.status", quarter=b): ctx.t(f"status.{r.status_b.value}")
                if r.status_b
                else "—",
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        height=35 * (len(rows) + 1) + 3,
    )
    st.caption(ctx.t("snap.compare_help"))


def _unit(ctx: PageContext, kpi_id: str) -> Unit:
    return ctx.catalog.kpis[kpi_id].unit if kpi_id in ctx.catalog.kpis else Unit.COUNT
