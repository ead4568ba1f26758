"""Quarterly snapshots: freeze, approve, compare and export the board's quarters."""

from __future__ import annotations

from clusterkpi import ui

ctx = ui.setup_page("nav.snapshots", scorecard_controls=False)
ui.snapshots_page(ctx)
