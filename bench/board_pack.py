"""Benchmark: time to build the PDF board pack of the demo cluster's 2026Q3 snapshot."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from clusterkpi.catalog import load_catalog
from clusterkpi.config import DATA_DIR
from clusterkpi.demo import load_demo
from clusterkpi.exports import export_snapshot
from clusterkpi.snapshots import create_snapshot
from clusterkpi.store import Store
from clusterkpi.strategy import load_strategy_file, save_strategy

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TODAY = date(2026, 11, 26)
QUARTER = "2026Q3"
GOAL = 15.0
# One paragraph per objective, so that the pages carry commentary as a real pack does.
COMMENTARY = (
    "Trimestre conforme au plan d'action ; priorité au prochain trimestre : relancer "
    "les membres peu actifs et préparer l'assemblée générale."
)


def main() -> None:
    """Freeze 2026Q3 in a fresh demo database, then time the PDF in French and English."""
    OUT.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(DATA_DIR / "kpis.yaml")
    worst = 0.0
    with tempfile.TemporaryDirectory() as work:
        store = Store(Path(work) / "demo.duckdb")
        load_demo(store, TODAY)
        strategy = load_strategy_file(DATA_DIR / "demo_strategy.yaml", catalog, TODAY)
        save_strategy(store, strategy)
        texts = dict.fromkeys(catalog.objectives, COMMENTARY)
        snapshot = create_snapshot(
            store, catalog, QUARTER, "animator", texts, today=TODAY
        )
        for lang in ("fr", "en"):
            out = OUT / f"board_pack_{QUARTER}_{lang}.pdf"
            started = time.perf_counter()
            export_snapshot(store, catalog, snapshot, "pdf", lang, out)
            elapsed = time.perf_counter() - started
            worst = max(worst, elapsed)
            size = out.stat().st_size / 1024
            print(
                f"board pack {QUARTER} ({lang}): {elapsed:.2f} s, {size:.0f} KiB → {out}"
            )
        store.close()
    print(f"goal ≤ {GOAL:.0f} s: {'met' if worst <= GOAL else 'MISSED'}")
    sys.exit(0 if worst <= GOAL else 1)


if __name__ == "__main__":
    main()
