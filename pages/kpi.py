"""KPI detail: chart against targets, definition and SQL, feeding imports, values, targets."""

from __future__ import annotations

from clusterkpi import ui

ctx = ui.setup_page("nav.kpi")
kpi_id = ui.kpi_picker(ctx)
ui.kpi_detail(ctx, kpi_id, ui.chart_range(ctx))
