"""Accounts (admins): who may use the app, with which role."""

from __future__ import annotations

from clusterkpi import ui

ctx = ui.setup_page(
    "nav.accounts", scorecard_controls=False, action=ui.Action.MANAGE_ACCOUNTS
)
ui.accounts_page(ctx)
