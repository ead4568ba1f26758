"""Builds a demo database file (demo cluster + its strategy) for page and browser tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clusterkpi.catalog import load_catalog
from clusterkpi.demo import load_demo
from clusterkpi.store import Store
from clusterkpi.strategy import load_strategy_file, save_strategy

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)


def make_demo_db(path: Path) -> Path:
    """Write the demo cluster with its strategy into a new database file."""
    store = Store(path)
    catalog = load_catalog(ROOT / "data" / "kpis.yaml")
    load_demo(store, TODAY)
    strategy = load_strategy_file(ROOT / "data" / "demo_strategy.yaml", catalog, TODAY)
    save_strategy(store, strategy)
    store.close()
    return path
