"""The board's review of a snapshot: approve after seeing what changed, or ask for changes."""

from __future__ import annotations

import streamlit as st

from clusterkpi import config
from clusterkpi.errors import SnapshotError
from clusterkpi.i18n import format_moment, format_value
from clusterkpi.labels import author_label
from clusterkpi.roles import Action
from clusterkpi.snapshot_model import Restatement, Snapshot
from clusterkpi.snapshots import (
    MAX_COMMENT,
    approve_snapshot,
    read_snapshot,
    request_changes,
    restatements,
)
from clusterkpi.ui.context import PageContext, catalog, open_store, plain

# Which review step is open, as (kind, quarter): it survives the reruns of typing.
_STEP = "snapshot_review_step"
# A message for the next run, shown once the page shows the new state.
FLASH = "snapshot_flash"


def show_flash() -> None:
    """Show, once, the message the last action left for this run."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def finish(message: str, *keys: str) -> None:
    """Leave ``message`` for the next run, forget ``keys``' widget state, rerun."""
    st.session_state[FLASH] = message
    for key in (_STEP, *keys):
        st.session_state.pop(key, None)
    st.rerun()


def change_requests(ctx: PageContext, snap: Snapshot) -> None:
    """Show the board's requests for changes, with author and date, oldest first."""
    asked = snap.change_requests
    if not asked:
        return
    with st.container(border=True, key="change_requests"):
        st.markdown(f":orange[:material/rate_review:] **{ctx.t('review.requests')}**")
        for review in asked:
            who = ctx.t(
                "review.request_by",
                who=author_label(review.author, ctx.lang),
                when=format_moment(review.at, ctx.locale),
            )
            st.markdown(f"**{plain(who)}** — {plain(review.comment)}")


def review_actions(ctx: PageContext, snap: Snapshot) -> bool:
    """Offer a board member to approve or to request changes, one step at a time.

    Return True when the approval step is open: it lists the restatements itself.
    """
    if snap.approved or not ctx.viewer.may(Action.APPROVE_SNAPSHOT):
        return False
    q = snap.quarter
    step = st.session_state.get(_STEP)
    row = st.container(horizontal=True)
    if row.button(
        ctx.t("snap.approve"), key=f"approve_{q}", icon=":material/how_to_vote:"
    ):
        step = st.session_state[_STEP] = ("approve", q)
    if row.button(
        ctx.t("review.request"), key=f"request_{q}", icon=":material/rate_review:"
    ):
        step = st.session_state[_STEP] = ("request", q)
    if step == ("approve", q):
        _approval_step(ctx, snap)
        return True
    if step == ("request", q):
        _request_step(ctx, snap)
    return False


def _approval_step(ctx: PageContext, snap: Snapshot) -> None:
    q = snap.quarter
    with st.container(border=True, key="approval_step"):
        st.markdown(f"**{ctx.t('review.step_title', quarter=q)}**")
        changed = changes_since_freezing(ctx, snap)
        if changed:
            st.warning(
                ctx.t("review.changed", count=len(changed)), icon=":material/history:"
            )
            restatement_table(ctx, changed)
        else:
            st.info(ctx.t("review.unchanged"), icon=":material/check:")
        with st.form(f"approve_form_{q}", border=False):
            comment = st.text_area(
                ctx.t("review.comment"),
                key=f"approval_comment_{q}",
                max_chars=MAX_COMMENT,
                height=90,
            )
            row = st.container(horizontal=True)
            confirm = row.form_submit_button(
                ctx.t("review.confirm"), type="primary", key=f"confirm_approve_{q}"
            )
            cancel = row.form_submit_button(
                ctx.t("review.cancel"), key=f"cancel_approve_{q}"
            )
    if cancel:
        st.session_state.pop(_STEP, None)
        st.rerun()
    if confirm and _allowed(ctx):
        try:
            approve_snapshot(ctx.store, q, ctx.user, comment)
        except SnapshotError as exc:
            _refused(ctx, q, exc)
        else:
            finish(ctx.t("review.approved", quarter=q), f"approval_comment_{q}")


def _request_step(ctx: PageContext, snap: Snapshot) -> None:
    q = snap.quarter
    with st.form(f"request_form_{q}"):
        st.markdown(f"**{ctx.t('review.request_title', quarter=q)}**")
        st.caption(ctx.t("review.request_help"))
        comment = st.text_area(
            ctx.t("review.request_comment"),
            key=f"request_comment_{q}",
            max_chars=MAX_COMMENT,
            height=90,
        )
        row = st.container(horizontal=True)
        send = row.form_submit_button(
            ctx.t("review.request_send"), type="primary", key=f"send_request_{q}"
        )
        cancel = row.form_submit_button(
            ctx.t("review.cancel"), key=f"cancel_request_{q}"
        )
    if cancel:
        st.session_state.pop(_STEP, None)
        st.rerun()
    if not send or not _allowed(ctx):
        return
    if not comment.strip():
        st.error(ctx.t("review.request_empty"))
        return
    try:
        request_changes(ctx.store, q, ctx.user, comment)
    except SnapshotError as exc:
        _refused(ctx, q, exc)
    else:
        finish(ctx.t("review.requested", quarter=q), f"request_comment_{q}")


def _refused(ctx: PageContext, quarter: str, exc: SnapshotError) -> None:
    # Someone approved it since the page was drawn: say so in the page's language.
    now = read_snapshot(ctx.store, quarter)
    if now.approved and now.approved_at:
        when = format_moment(now.approved_at, ctx.locale)
        st.error(
            plain(
                ctx.t(
                    "review.already_approved",
                    who=author_label(now.approved_by, ctx.lang),
                    when=when,
                )
            )
        )
    else:
        st.error(plain(str(exc)))


def _allowed(ctx: PageContext) -> bool:
    # Checked again on submit: the role may have changed since the page was drawn.
    if ctx.viewer.may(Action.APPROVE_SNAPSHOT):
        return True
    st.error(ctx.t("auth.refused"))
    return False


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _cached_restatements(
    db_path: str, catalog_path: str, data_version: str, quarter: str
) -> list[Restatement]:
    store = open_store(db_path)
    return restatements(store, catalog(catalog_path), read_snapshot(store, quarter))


def changes_since_freezing(ctx: PageContext, snap: Snapshot) -> list[Restatement]:
    """Return the KPIs whose value computed now differs from the frozen one (cached)."""
    settings = config.get_settings()
    return _cached_restatements(
        str(settings.db), str(settings.catalog), ctx.data_version, snap.quarter
    )


def restatement_table(ctx: PageContext, changed: list[Restatement]) -> None:
    """Show each restated KPI: frozen and current values, and the imports since."""
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
