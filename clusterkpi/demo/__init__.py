"""Demo data: a deterministic, believable agri-food cluster to try clusterkpi on."""

from __future__ import annotations

from clusterkpi.demo.cluster import generate_demo, load_demo
from clusterkpi.demo.run import DemoScale
from clusterkpi.demo.tables import CLUSTER_NAME, COLUMNS, DATE_COLUMNS, END_COLUMNS

__all__ = [
    "CLUSTER_NAME",
    "COLUMNS",
    "DATE_COLUMNS",
    "END_COLUMNS",
    "DemoScale",
    "generate_demo",
    "load_demo",
]
