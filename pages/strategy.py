"""Strategy (animators): positioning, horizon dates and targets, with their history."""

from __future__ import annotations

from clusterkpi import ui

ctx = ui.setup_page(
    "nav.strategy", scorecard_controls=False, action=ui.Action.EDIT_STRATEGY
)
ui.strategy_editor(ctx)
