"""Admin pages: accounts (add, change role, disable, reset password, remove) and audit log."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from clusterkpi import accounts, audit
from clusterkpi.accounts import AccountError
from clusterkpi.errors import ClusterKpiError
from clusterkpi.i18n import format_moment
from clusterkpi.labels import audit_detail, audit_target, author_label
from clusterkpi.roles import Action, Role
from clusterkpi.ui.context import PageContext, plain
from clusterkpi.ui.reports import source_label


def accounts_page(ctx: PageContext) -> None:
    """List the accounts and offer every change an admin may make."""
    st.title(ctx.t("admin.accounts"))
    users = accounts.list_users(ctx.store)
    if not users:
        st.info(ctx.t("admin.no_accounts"))
    else:
        _users_table(ctx, users)
    left, right = st.columns(2)
    with left:
        _add_form(ctx)
    with right:
        _change_form(ctx, [u.username for u in users])


def _users_table(ctx: PageContext, users: list[accounts.User]) -> None:
    st.dataframe(
        [
            {
                ctx.t("admin.col.username"): u.username,
                ctx.t("admin.col.name"): u.display_name,
                ctx.t("admin.col.role"): ctx.t(f"role.{u.role.value}"),
                ctx.t("admin.col.state"): ctx.t("admin.disabled")
                if u.disabled
                else ctx.t("admin.active"),
                ctx.t("admin.col.created"): format_moment(u.created_at, ctx.locale),
            }
            for u in users
        ],
        hide_index=True,
        width="stretch",
    )


def _add_form(ctx: PageContext) -> None:
    with st.form("add_user", clear_on_submit=True):
        st.subheader(ctx.t("admin.add"))
        username = st.text_input(ctx.t("admin.col.username"), max_chars=64)
        name = st.text_input(ctx.t("admin.col.name"), max_chars=120)
        role = st.selectbox(
            ctx.t("admin.col.role"),
            [r.value for r in Role],
            format_func=lambda r: ctx.t(f"role.{r}"),
        )
        password = st.text_input(ctx.t("auth.password"), type="password")
        again = st.text_input(ctx.t("admin.password_again"), type="password")
        if st.form_submit_button(ctx.t("admin.add_button"), type="primary"):
            if password != again:
                st.error(ctx.t("admin.password_mismatch"))
                return
            _apply(
                ctx,
                lambda: accounts.add_user(
                    ctx.store, username, role, password, name or None, by=ctx.user
                ),
                ctx.t("admin.added", name=plain(username)),
            )


def _change_form(ctx: PageContext, names: list[str]) -> None:
    with st.form("change_user"):
        st.subheader(ctx.t("admin.change"))
        name = st.selectbox(ctx.t("admin.col.username"), names)
        change = st.radio(
            ctx.t("admin.what"),
            ["role", "disable", "enable", "password", "remove"],
            format_func=lambda c: ctx.t(f"admin.do.{c}"),
        )
        role = st.selectbox(
            ctx.t("admin.col.role"),
            [r.value for r in Role],
            format_func=lambda r: ctx.t(f"role.{r}"),
        )
        password = st.text_input(ctx.t("admin.new_password"), type="password")
        if st.form_submit_button(ctx.t("admin.apply")):
            actions = {
                "role": lambda: accounts.set_role(ctx.store, name, role, by=ctx.user),
                "disable": lambda: accounts.set_disabled(
                    ctx.store, name, True, by=ctx.user
                ),
                "enable": lambda: accounts.set_disabled(
                    ctx.store, name, False, by=ctx.user
                ),
                "password": lambda: accounts.set_password(
                    ctx.store, name, password, by=ctx.user
                ),
                "remove": lambda: accounts.remove_user(ctx.store, name, by=ctx.user),
            }
            _apply(ctx, actions[change], ctx.t("admin.changed", name=plain(name)))


def _apply(ctx: PageContext, change: Callable[[], object], done: str) -> None:
    # The role is checked again at the moment of the change, not only at page load.
    if not ctx.viewer.may(Action.MANAGE_ACCOUNTS):
        st.error(ctx.t("auth.refused"))
        return
    try:
        change()
    except AccountError as exc:
        st.error(_account_error(ctx, exc))
        return
    except ClusterKpiError as exc:
        st.error(plain(str(exc)))
        return
    st.success(done)


def _account_error(ctx: PageContext, exc: AccountError) -> str:
    # Names in the parameters come from the form: shown as typed.
    params = {k: plain(str(v)) for k, v in exc.params.items()}
    try:
        return ctx.t(f"account.error.{exc.code}", **params)
    except KeyError:
        return plain(str(exc))


# Column widths (px) of the audit table: the detail, a sentence, takes the most room.
_AUDIT_WIDTHS = {"when": 130, "who": 130, "action": 150, "target": 150, "detail": 560}


def audit_page(ctx: PageContext) -> None:
    """Show the audit log, newest first, optionally one kind of action."""
    st.title(ctx.t("admin.audit"))
    kinds = [a.value for a in audit.AuditAction]
    chosen = st.multiselect(
        ctx.t("admin.audit_filter"),
        kinds,
        format_func=lambda a: ctx.t(f"audit.{a}"),
        placeholder=ctx.t("admin.audit_all"),
        key="audit_filter",
    )
    entries = audit.audit_entries(ctx.store, limit=2000)
    if chosen:
        entries = [e for e in entries if e.action in chosen]
    if not entries:
        st.info(ctx.t("admin.audit_none"))
        return
    st.dataframe(
        [
            {
                ctx.t("admin.col.when"): format_moment(e.at, ctx.locale),
                ctx.t("admin.col.who"): author_label(e.username, ctx.lang),
                ctx.t("admin.col.action"): ctx.t(f"audit.{e.action}"),
                ctx.t("admin.col.target"): audit_target(e.action, e.target, ctx.lang),
                ctx.t("admin.col.detail"): audit_detail(
                    e.action,
                    e.detail,
                    ctx.lang,
                    ctx.locale,
                    lambda s: source_label(ctx, s),
                ),
            }
            for e in entries
        ],
        hide_index=True,
        width="stretch",
        # A detail is a sentence: its column takes the room, the table scrolls sideways.
        column_config={
            ctx.t(f"admin.col.{name}"): st.column_config.TextColumn(width=px)
            for name, px in _AUDIT_WIDTHS.items()
        },
    )
