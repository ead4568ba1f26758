"""Benchmark: import throughput and peak memory against DuckDB's own read_csv."""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ROWS = 1_000_000
TODAY = date(2026, 11, 26)
KINDS = ("Rendez-vous", "Appel", "B2B", "Demande entrante")


def write_canonical(path: Path) -> None:
    """A 1M-row interactions file written like the French template (';', DD/MM/YYYY)."""
    rng = random.Random(1)
    start = date(2012, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("Identifiant;Date;Type;Organisation;Entreprise cible\n")
        for i in range(ROWS):
            day = start + timedelta(days=rng.randrange(5400))
            out.write(
                f"IN{i:07d};{day:%d/%m/%Y};{rng.choice(KINDS)};"
                f"Entreprise {rng.randrange(20000)};oui\n"
            )


def write_ga4(path: Path) -> None:
    """A 1M-row GA4 'Date × Page path' report with its '#' preamble."""
    rng = random.Random(2)
    start = date(2024, 1, 1)
    days = 366
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "# ----------------------------------------\n"
            "# Pages and screens: Page path and screen class\n"
            "# Account: Pôle Agrinov\n# Property: agrinov.fr\n"
            "# ----------------------------------------\n#\n# All Users\n"
            f"# Start date: {start:%Y%m%d}\n"
            f"# End date: {start + timedelta(days=days - 1):%Y%m%d}\n"
        )
        out.write(
            "Date,Page path and screen class,Sessions,Engaged sessions,"
            "Total users,Views\n"
        )
        for i in range(ROWS):
            day = start + timedelta(days=i % days)
            sessions = rng.randrange(1, 40)
            out.write(
                f"{day:%Y%m%d},/page/{i // days},{sessions},{sessions // 2},"
                f"{sessions},{sessions * 2}\n"
            )


def measure(kind: str, path: str) -> dict[str, float]:
    """Run one measurement in this (fresh) process: seconds and peak RSS growth."""
    from clusterkpi.imports.importer import ImportOptions, import_file
    from clusterkpi.store import Store

    db = OUT / f"bench_{kind}.duckdb"
    for leftover in (db, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)
    store = Store(db)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if kind == "read_csv":
        with store.cursor() as cur:
            cur.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?)", [path])
        status = "read"
    else:
        report = import_file(
            store, Path(path).name, Path(path).read_bytes(), ImportOptions(), TODAY
        )
        status = report.status
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    store.close()
    return {
        "seconds": seconds,
        "peak_growth_mb": (peak - base) / 1024,
        "status": status,
    }


def _child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--measure", kind, str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_growth_mb": statistics.median(r["peak_growth_mb"] for r in runs),
        "status": runs[0]["status"],
    }


def main() -> None:
    """Write both files, then time DuckDB's read_csv and our import of each, side by side."""
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "canonical template (interactions)": OUT / "interactions_1m.csv",
        "GA4 Date × Page path export": OUT / "ga4_1m.csv",
    }
    writers = (write_canonical, write_ga4)
    for (_, path), writer in zip(files.items(), writers, strict=True):
        if not path.exists():
            writer(path)
    for label, path in files.items():
        size = path.stat().st_size / 1024 / 1024
        # Alternate the two, three rounds each, and keep the medians: on a shared
        # machine one round can be off by a factor of two.
        rounds = [(_child("read_csv", path), _child("import", path)) for _ in range(3)]
        duck = _median([d for d, _ in rounds])
        ours = _median([o for _, o in rounds])
        print(f"{label}: {ROWS:,} rows, {size:.1f} MB")
        print(f"  DuckDB read_csv into a table: {duck['seconds']:.2f} s (median of 3)")
        print(
            f"  clusterkpi import ({ours['status']}): {ours['seconds']:.2f} s "
            f"= {ours['seconds'] / duck['seconds']:.1f}x read_csv (goal <= 2x)"
        )
        print(
            f"  peak memory growth: import {ours['peak_growth_mb']:.0f} MB "
            f"= {ours['peak_growth_mb'] / size:.1f}x the file (goal <= 1.5x); "
            f"read_csv {duck['peak_growth_mb']:.0f} MB"
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    else:
        main()
