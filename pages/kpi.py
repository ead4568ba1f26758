"""KPI detail: definition, value and targets, chart, target history, then for analysts."""

from __future__ import annotations

from clusterkpi import ui

ctx = ui.setup_page("nav.kpi")
kpi_id = ui.kpi_picker(ctx)
ui.kpi_detail(ctx, kpi_id, ui.chart_range(ctx))
