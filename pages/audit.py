"""Audit log (admins): logins, imports, undos, strategy edits, snapshots, approvals."""

from __future__ import annotations

from clusterkpi import ui

ctx = ui.setup_page("nav.audit", scorecard_controls=False, action=ui.Action.READ_AUDIT)
ui.audit_page(ctx)
