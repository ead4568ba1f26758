"""Internal communication: each objective against its targets, with its KPIs' trajectories."""

from __future__ import annotations

from clusterkpi import ui
from clusterkpi.catalog import ObjectiveGroup

ctx = ui.setup_page("nav.internal")
ui.objective_page(ctx, ObjectiveGroup.INTERNAL, ui.chart_range(ctx))
