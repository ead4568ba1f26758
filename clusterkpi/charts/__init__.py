"""Plotly figure builders: computed results in, plotly figures out; no Streamlit."""

from __future__ import annotations

from clusterkpi.charts.kpi import kpi_figure

__all__ = ["kpi_figure"]
