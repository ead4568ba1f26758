"""Build the benchmark's large cluster: 2,000 members, 15 years, ~10 million activity rows."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from clusterkpi.catalog import load_catalog
from clusterkpi.config import DATA_DIR
from clusterkpi.demo import DemoScale, load_demo
from clusterkpi.store import Store
from clusterkpi.strategy import load_strategy_file, save_strategy

TODAY = date(2026, 11, 26)
LARGE = DemoScale(members=2000, start=date(2012, 1, 1), activity=60.0)


def build(path: Path) -> dict[str, int]:
    """Write the large cluster (with the demo strategy) into a new database file."""
    store = Store(path)
    counts = load_demo(store, TODAY, scale=LARGE)
    catalog = load_catalog(DATA_DIR / "kpis.yaml")
    save_strategy(
        store, load_strategy_file(DATA_DIR / "demo_strategy.yaml", catalog, TODAY)
    )
    store.close()
    return counts


def main() -> None:
    """Build the file named on the command line and print its row counts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    path = parser.parse_args().path
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    counts = build(path)
    print(
        f"generated {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s"
    )
    for table, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {table:<18} {n:>12,}")


if __name__ == "__main__":
    main()
