"""Benchmark: scorecard time (cold, warm, cached) and peak memory on the large cluster."""

from __future__ import annotations

import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

from clusterkpi.catalog import load_catalog
from clusterkpi.config import DATA_DIR
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TODAY_PERIOD = "2026Q3"


def _timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    """Generate the large cluster in a child process, then time the scorecard here."""
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "large.duckdb"
    if not db.exists():
        subprocess.run(
            [sys.executable, "-m", "bench.large_cluster", str(db)],
            check=True,
            cwd=ROOT,
        )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    store = Store(db)
    catalog = load_catalog(DATA_DIR / "kpis.yaml")
    rows = store.scalar(
        "SELECT sum(estimated_size) FROM duckdb_tables() WHERE schema_name = 'main'"
    )
    period = parse_period(TODAY_PERIOD)

    def compute():  # type: ignore[no-untyped-def]
        strategy = read_strategy(store, period.end)
        return build_scorecard(store, catalog, strategy, period, Horizon.SHORT)

    _, cold = _timed(compute)
    _, warm = _timed(compute)
    frozen = pickle.dumps(compute())
    _, cached = _timed(lambda: (store.data_version(), pickle.loads(frozen)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"large cluster: {rows:,} rows in {db.name}")
    print(f"scorecard {TODAY_PERIOD}, 30 KPIs x 12 quarters:")
    print(f"  cold (first run after opening the file): {cold:.2f} s")
    print(f"  warm (recomputed, DuckDB buffers warm):  {warm:.2f} s")
    print(
        f"  cached (data-version check + cached scorecard, as the app serves reruns): "
        f"{cached * 1000:.1f} ms"
    )
    print(
        f"  peak RSS: {peak / 1024:.0f} MiB (before opening the database: "
        f"{rss_before / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
