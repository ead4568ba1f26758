"""Crash harness: SIGKILL an import at random moments; the database must keep all or nothing."""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "crash"
TODAY = date(2026, 11, 26)
ROWS = 100_000  # one import takes about 1.5 s here


@dataclass
class Outcome:
    """What the runs did: where each kill fell, and every broken promise."""

    runs: int = 0
    during_import: int = 0  # killed before the commit: nothing of it is kept
    after_commit: int = 0  # killed after the commit (closing): all of it is kept
    finished: int = 0  # the child ended before the kill
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """The file every run imports, and what the database must then hold."""

    path: Path
    rows: int
    sha256: str


def write_file(path: Path, rows: int) -> None:
    """Write an interactions file in the French template, ids CR0000000 onwards."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Identifiant;Date;Type;Organisation;Entreprise cible\n")
        for i in range(rows):
            out.write(
                f"CR{i:07d};{1 + i % 28:02d}/{1 + i % 12:02d}/2025;Appel;E{i % 97};oui\n"
            )


def child(db: str, file: str) -> None:
    """Import ``file`` into ``db``, saying where it is on stdout (the killed process)."""
    from clusterkpi.imports.importer import ImportOptions, import_file
    from clusterkpi.store import Store

    store = Store(db)
    print("ready", flush=True)
    options = ImportOptions(on_progress=lambda _, phase: print(phase, flush=True))
    report = import_file(store, "crash.csv", Path(file).read_bytes(), options, TODAY)
    print(f"committed {report.status}", flush=True)
    store.close()
    print("closed", flush=True)


def _spawn(db: Path, file: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.crash_harness", "--child", str(db), str(file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if process.stdout.readline() != "ready\n":
        raise RuntimeError("the import process did not start")
    return process


def measure(base: Path, db: Path, file: Path) -> float:
    """Return the seconds from 'ready' to 'closed' of one import left to finish."""
    shutil.copy(base, db)
    process = _spawn(db, file)
    started = time.perf_counter()
    lines = process.stdout.read().splitlines()
    seconds = time.perf_counter() - started
    if process.wait() != 0 or lines[-2:] != ["committed loaded", "closed"]:
        raise RuntimeError(f"the reference import failed: {lines}")
    return seconds


def check(db: Path, target: Target) -> tuple[bool | None, list[str]]:
    """Reopen the database: tell whether the import is kept, and what is wrong."""
    from clusterkpi.errors import ClusterKpiError
    from clusterkpi.store import Store, migrations

    try:
        store = Store(db)
    except ClusterKpiError as exc:
        return None, [f"the database does not open: {exc}"]
    try:
        problems = []
        kept, distinct = store.rows(
            "SELECT count(*), count(DISTINCT interaction_id) FROM interactions"
            " WHERE interaction_id LIKE 'CR%'"
        )[0]
        imports = store.rows(
            "SELECT status, rows_added FROM imports WHERE sha256 = ?", [target.sha256]
        )
        rows = target.rows
        if kept not in (0, rows) or distinct != kept:
            problems.append(f"{kept} rows of {rows} kept ({distinct} distinct)")
        if imports not in ([], [("loaded", rows)]):
            problems.append(f"import history {imports} with {kept} rows kept")
        elif bool(imports) != bool(kept):
            problems.append(f"import history {imports} disagrees with {kept} rows")
        if store.schema_version() != migrations()[-1][0]:
            problems.append(f"schema version {store.schema_version()}")
        return kept == rows, problems
    finally:
        store.close()


def run_once(
    base: Path, db: Path, target: Target, delay: float, outcome: Outcome
) -> None:
    """One run: a fresh copy of the base database, an import killed after ``delay``."""
    for leftover in (db, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.copy(base, db)
    process = _spawn(db, target.path)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    said = process.stdout.read().splitlines()
    kept, problems = check(db, target)
    outcome.runs += 1
    if process.returncode == 0:
        outcome.finished += 1
    elif kept:
        outcome.after_commit += 1
    else:
        outcome.during_import += 1
    if kept is False and any(line.startswith("committed") for line in said):
        problems.append("the import said it committed, yet it is missing")
    outcome.failures += [f"run {outcome.runs} ({delay:.3f} s): {p}" for p in problems]


def harness(runs: int, rows: int, seed: int, folder: Path) -> tuple[Outcome, float]:
    """Run ``runs`` killed imports; return the outcome and the measured import time."""
    from clusterkpi.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    path, base, db = folder / "crash.csv", folder / "base.duckdb", folder / "run.duckdb"
    write_file(path, rows)
    target = Target(path, rows, hashlib.sha256(path.read_bytes()).hexdigest())
    for leftover in (base, Path(f"{base}.wal")):
        leftover.unlink(missing_ok=True)
    Store(base).close()
    # The median of three: the first import of a fresh file is the slowest.
    duration = statistics.median(measure(base, db, path) for _ in range(3))
    rng = random.Random(seed)
    outcome = Outcome()
    for _ in range(runs):
        run_once(base, db, target, rng.uniform(0, duration), outcome)
    return outcome, duration


def main() -> None:
    """Run the harness and print where the kills fell and the failures (must be 0)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("DB", "FILE"), help="internal")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    started = time.perf_counter()
    outcome, duration = harness(args.runs, args.rows, args.seed, OUT)
    wall = time.perf_counter() - started
    print(f"crash harness: {args.rows:,}-row import, seed {args.seed}")
    print(f"import time (ready → closed, median of 3): {duration:.2f} s")
    print(f"runs: {outcome.runs}")
    print(f"  killed during the import (none of it kept): {outcome.during_import}")
    print(f"  killed after the commit (all of it kept): {outcome.after_commit}")
    print(f"  finished before the kill: {outcome.finished}")
    print(f"failures: {len(outcome.failures)}")
    print(f"wall time: {wall:.0f} s")
    for failure in outcome.failures:
        print("  " + failure)
    sys.exit(1 if outcome.failures else 0)


if __name__ == "__main__":
    main()
