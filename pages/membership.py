"""Membership and attractiveness: the objective, then members, flows, mix and geography."""

from __future__ import annotations

from clusterkpi import ui
from clusterkpi.catalog import ObjectiveGroup

ctx = ui.setup_page("nav.membership")
chart_range = ui.chart_range(ctx)
types = ui.member_types(ctx)
ui.objective_page(ctx, ObjectiveGroup.MEMBERSHIP, chart_range)
ui.membership_panels(ctx, chart_range, types)
