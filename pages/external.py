"""External communication: each objective against its targets, with its KPIs' trajectories."""

from __future__ import annotations

from clusterkpi import ui
from clusterkpi.catalog import ObjectiveGroup

ctx = ui.setup_page("nav.external")
ui.objective_page(ctx, ObjectiveGroup.EXTERNAL, ui.chart_range(ctx))
