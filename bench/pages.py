"""Benchmark: each dashboard page through AppTest on the large cluster, cold and warm.

Beside each page, the pandas baseline recomputes the same KPI figures from the raw
tables, as a dashboard without a database engine would on every rerun.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TODAY = "2026-11-26"
PERIOD = "2026Q3"
WARM_RUNS = 5
# Page → what it charts: objective groups (their KPIs), or one KPI for the detail page.
PAGES = {
    "overview": ("pages/overview.py", {}, None),
    "internal": ("pages/internal.py", {}, "internal"),
    "external": ("pages/external.py", {}, "external"),
    "membership": ("pages/membership.py", {}, "membership"),
    "kpi": ("pages/kpi.py", {"kpi": "newsletter_open_rate"}, "kpi"),
    # The same page on a KPI of the 7.3-million-row attendance table.
    "kpi_attend": ("pages/kpi.py", {"kpi": "event_attendance_rate"}, "kpi"),
    "snapshots": ("pages/snapshots.py", {}, None),
    "strategy": ("pages/strategy.py", {}, None),
}


def _app_test(script: str, query: dict[str, str]):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / script), default_timeout=600)
    for key, value in {"lang": "fr", "period": PERIOD, **query}.items():
        at.query_params[key] = value
    return at


def measure_page(name: str) -> tuple[float, float, float]:
    """Return (first, cold, warm median) seconds of one page.

    ``first`` is the page's first run in a fresh process. ``cold`` runs it again
    with every cache emptied, the way a server that has answered one request meets
    a page it has not shown: Streamlit's once-per-process work (its emoji table,
    the scan of component manifests) is behind it, the data work is not.
    """
    # A server has imported these before a page's first request, and plotly builds its
    # validators once per process, on the first figure (about 0.35 s): paid here.
    import pandas as pd
    import streamlit as st

    import clusterkpi.charts.kpi  # noqa: F401
    import clusterkpi.ui  # noqa: F401
    from clusterkpi.charts.membership import members_figure
    from clusterkpi.membership import FLOW_COLUMNS

    members_figure(pd.DataFrame(columns=list(FLOW_COLUMNS)), "fr").to_json()

    script, query, _ = PAGES[name]
    runs = []
    for _ in range(2):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = _app_test(script, query)
        started = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return runs[0], runs[1], statistics.median(warm)


def baseline(name: str, db: Path) -> float:
    """Return the median seconds the pandas baseline takes to recompute a page's figures."""
    from bench.pandas_baseline import all_series
    from clusterkpi.catalog import load_catalog
    from clusterkpi.config import DATA_DIR
    from clusterkpi.periods import parse_period
    from clusterkpi.store import Store
    from clusterkpi.trajectory import trajectory_periods

    catalog = load_catalog(DATA_DIR / "kpis.yaml")
    _, query, group = PAGES[name]
    last = parse_period(PERIOD)
    if name in ("snapshots", "strategy"):
        return float("nan")  # frozen values and settings: nothing to recompute
    if group is None:
        ids, periods = list(catalog.kpis), trajectory_periods(last, last)
    elif group == "kpi":
        ids, periods = [query["kpi"]], trajectory_periods(last.shift(-11), last)
    else:
        ids = [
            k
            for k, v in catalog.kpis.items()
            if catalog.objectives[v.objective].group == group
        ]
        periods = trajectory_periods(last.shift(-11), last)
    store = Store(db)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        all_series(store, ids, periods)
        runs.append(time.perf_counter() - started)
    store.close()
    return statistics.median(runs)


def _child(name: str, db: Path) -> tuple[float, float, float, float]:
    env = {**os.environ, "CLUSTERKPI_DB": str(db), "CLUSTERKPI_TODAY": TODAY}
    out = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--page", name, str(db)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    first, cold, warm, base = out.stdout.strip().splitlines()[-1].split()
    return float(first), float(cold), float(warm), float(base)


def main() -> None:
    """Measure every page in a fresh process each, on the large cluster."""
    db = OUT / "large.duckdb"
    if not db.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "bench.large_cluster", str(db)], check=True, cwd=ROOT
        )
    from clusterkpi.store import Store

    Store(db).close()  # schema migrations happen once, not inside a page's first run
    print(f"dashboard pages on {db.name} (as of {PERIOD}, French), AppTest:")
    print(
        f"{'page':<12} {'first':>7} {'cold':>7} {'warm':>7} {'pandas':>8}"
        f" {'pandas/warm':>12}"
    )
    for name in PAGES:
        first, cold, warm, base = _child(name, db)
        ratio = "n/a" if base != base else f"{base / warm:.0f}x"
        pandas = "n/a" if base != base else f"{base:.2f}s"
        print(
            f"{name:<12} {first:>6.2f}s {cold:>6.2f}s {warm:>6.3f}s {pandas:>8}"
            f" {ratio:>12}"
        )
    print("first: a fresh process's first run; cold: every cache emptied, process warm")
    print("goals: cold <= 1.5 s, warm <= 0.15 s, pandas/warm >= 10x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--page":
        page, path = sys.argv[2], Path(sys.argv[3])
        first, cold, warm = measure_page(page)
        print(f"{first} {cold} {warm} {baseline(page, path)}")
    else:
        main()
