"""Snapshots page: freeze a quarter, read and review it, compare two, download exports."""

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
from clusterkpi.labels import author_label
from clusterkpi.periods import Grain, Period, period_of
from clusterkpi.progress import Thresholds
from clusterkpi.roles import Action
from clusterkpi.snapshot_model import ReviewKind, Snapshot, SnapshotReview
from clusterkpi.snapshot_store import SnapshotSummary
from clusterkpi.snapshots import (
    compare,
    create_snapshot,
    list_snapshots,
    read_snapshot,
    snapshot_reviews,
)
from clusterkpi.strategy import Horizon
from clusterkpi.ui.context import PageContext, data_span, plain
from clusterkpi.ui.snapshot_review import (
    FLASH,
    change_requests,
    changes_since_freezing,
    restatement_table,
    review_actions,
    show_flash,
)
from clusterkpi.ui.snapshot_scorecard import frozen_scorecard

# A refusal met while freezing, for the run that follows the click.
_FREEZE_ERROR = "snapshot_freeze_error"
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
    show_flash()
    summaries = list_snapshots(ctx.store)
    if ctx.viewer.may(Action.CREATE_SNAPSHOT):
        _create_form(ctx, {s.quarter for s in summaries})
    if not summaries:
        st.info(ctx.t("snap.none"))
        return
    st.subheader(ctx.t("snap.list"))
    reviews = snapshot_reviews(ctx.store)
    st.dataframe(
        [
            {
                ctx.t("snap.col.quarter"): s.quarter,
                ctx.t("snap.col.created"): format_moment(s.created_at, ctx.locale)
                + f" · {author_label(s.created_by, ctx.lang)}",
                ctx.t("snap.col.approval"): _approval_state(
                    ctx, s, reviews.get(s.quarter, ())
                ),
            }
            for s in summaries
        ],
        hide_index=True,
        width="stretch",
    )
    quarters = [s.quarter for s in summaries]
    wanted = st.query_params.get("snapshot")
    if st.session_state.get("snapshot_picker") not in quarters:
        # The URL chooses the first time; the picker's own state after that.
        st.session_state["snapshot_picker"] = (
            wanted if wanted in quarters else quarters[0]
        )
    chosen = st.selectbox(ctx.t("snap.pick"), quarters, key="snapshot_picker")
    st.query_params["snapshot"] = chosen
    _detail(ctx, read_snapshot(ctx.store, chosen))
    if len(quarters) >= 2:
        _comparison(ctx, quarters)


def _approval_state(
    ctx: PageContext, summary: SnapshotSummary, reviews: tuple[SnapshotReview, ...]
) -> str:
    if summary.approved_at:
        return ctx.t(
            "snap.approved_by",
            who=author_label(summary.approved_by, ctx.lang),
            when=format_moment(summary.approved_at, ctx.locale),
        )
    asked = [r for r in reviews if r.kind is ReviewKind.REQUEST_CHANGES]
    if asked:
        return ctx.t("review.pending_requests", count=len(asked))
    return ctx.t("snap.pending")


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
            st.selectbox(ctx.t("snap.quarter"), options, key="snapshot_quarter")
            st.caption(ctx.t("snap.commentary_help"))
            for oid, objective in ctx.catalog.objectives.items():
                st.text_area(
                    objective.label.get(ctx.lang),
                    key=f"comment_{oid}",
                    max_chars=4000,
                    height=80,
                )
            # Frozen in the click's callback, before the page runs: the list, the
            # picker and the form below then all show the new state at once.
            st.form_submit_button(
                ctx.t("snap.create_button"),
                type="primary",
                on_click=_freeze_clicked,
                args=(ctx,),
            )
        refused = st.session_state.pop(_FREEZE_ERROR, None)
        if refused:
            st.error(refused)


def _freeze_clicked(ctx: PageContext) -> None:
    if not ctx.viewer.may(Action.CREATE_SNAPSHOT):  # checked again on submit
        st.session_state[_FREEZE_ERROR] = ctx.t("auth.refused")
        return
    keys = {oid: f"comment_{oid}" for oid in ctx.catalog.objectives}
    texts = {oid: st.session_state.get(key) or "" for oid, key in keys.items()}
    settings = config.get_settings()
    try:
        made = create_snapshot(
            ctx.store,
            ctx.catalog,
            st.session_state["snapshot_quarter"],
            ctx.user,
            {k: v for k, v in texts.items() if v.strip()},
            today=ctx.today,
            thresholds=Thresholds(settings.on_track_ratio, settings.at_risk_ratio),
        )
    except SnapshotError:
        # The picker offers only ended quarters not yet frozen: a refusal here means
        # someone froze it meanwhile (the library's own message is for the CLI).
        st.session_state[_FREEZE_ERROR] = ctx.t(
            "snap.freeze_raced", quarter=st.session_state["snapshot_quarter"]
        )
        return
    st.session_state[FLASH] = ctx.t("snap.created", quarter=made.quarter)
    st.query_params["snapshot"] = made.quarter
    st.session_state["snapshot_picker"] = made.quarter
    st.session_state.pop("snapshot_quarter", None)  # that quarter is no longer offered
    for key in keys.values():
        st.session_state[key] = ""


def _quarters(first: Period, last: Period) -> list[Period]:
    out, current = [], last
    while current >= first:
        out.append(current)
        current = current.previous()
    return out


def _detail(ctx: PageContext, snap: Snapshot) -> None:
    with st.container(border=True, key="snapshot_detail"):
        st.subheader(ctx.t("snap.detail", quarter=snap.quarter))
        if snap.approved_at is not None:  # snap.approved, in a form mypy narrows
            st.markdown(
                ":blue[:material/verified:] "
                + plain(
                    ctx.t(
                        "snap.approved_by",
                        who=author_label(snap.approved_by, ctx.lang),
                        when=format_moment(snap.approved_at, ctx.locale),
                    )
                )
            )
            if snap.approval_comment:
                st.markdown(
                    plain(
                        ctx.t("review.approval_comment", comment=snap.approval_comment)
                    )
                )
        else:
            st.markdown(":orange[:material/pending:] " + ctx.t("snap.pending"))
        change_requests(ctx, snap)
        if not review_actions(ctx, snap):
            _restatements(ctx, snap)
        _downloads(ctx, snap)
        frozen_scorecard(ctx, snap)


def _downloads(ctx: PageContext, snap: Snapshot) -> None:
    st.markdown(f"**{ctx.t('snap.exports')}**")
    row = st.container(horizontal=True)
    for fmt in SUFFIXES:
        row.download_button(
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


def _restatements(ctx: PageContext, snap: Snapshot) -> None:
    changed = changes_since_freezing(ctx, snap)
    if not changed:
        st.caption(ctx.t("snap.no_restatement"))
        return
    st.warning(ctx.t("snap.restated", count=len(changed)), icon=":material/history:")
    restatement_table(ctx, changed)


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
