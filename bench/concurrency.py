"""Concurrency: many browser sessions on one server, two importing; nothing lost, no error."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from bench.live_server import (
    CHROMIUM_ARGS,
    ERROR_BOXES,
    ROOT,
    Server,
    Tally,
    browse,
    chromium_path,
    connect,
    cpu_seconds,
    make_demo_db,
    open_page,
    percentile,
    running_server,
)

OUT = ROOT / "bench" / "out" / "concurrency"
ROWS_PER_FILE = 40
ARRIVING = 4  # sessions that open their first page at the same time
# Imports add interactions and their import record; audit_log records who imported.
GROWING = {"interactions", "imports", "audit_log"}


@dataclass(frozen=True)
class Upload:
    """One file an importing session sent, and whether the page said it was loaded."""

    name: str
    prefix: str  # every row id of the file starts with it
    confirmed: bool


@dataclass
class Run:
    """Everything a run saw, and every loss or duplicate found afterwards."""

    tally: Tally = field(default_factory=Tally)
    first_loads: Tally = field(default_factory=Tally)  # each session's arrival
    uploads: list[Upload] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0  # CPU seconds the server used while all sessions ran


def interactions_csv(prefix: str) -> bytes:
    """A small interactions file (French template) whose ids all start with prefix."""
    lines = ["Identifiant;Date;Type;Organisation;Entreprise cible"]
    for i in range(ROWS_PER_FILE):
        day = 1 + i % 28
        lines.append(f"{prefix}{i:03d};{day:02d}/10/2026;Appel;Entreprise {i};oui")
    return ("\n".join(lines) + "\n").encode()


async def upload_file(page: Any, prefix: str, run: Run) -> None:
    """On the Import data page: upload one new file and import it."""
    name = f"{prefix.lower()}.csv"
    confirmed = False
    try:
        await page.locator("input[type=file]").set_input_files(
            files=[
                {
                    "name": name,
                    "mimeType": "text/csv",
                    "buffer": interactions_csv(prefix),
                }
            ]
        )
        await page.get_by_text(name).first.wait_for(state="visible", timeout=60_000)
        await page.get_by_role("button", name="Importer", exact=True).click()
        await page.get_by_text(f"{name} : chargé").wait_for(
            state="visible", timeout=120_000
        )
        confirmed = True
        for box in await page.locator(ERROR_BOXES).all():
            run.tally.errors.append(f"upload {name}: {(await box.inner_text())[:300]}")
    except Exception as exc:
        run.tally.errors.append(f"upload {name}: {type(exc).__name__}: {exc}"[:300])
    run.uploads.append(Upload(name, prefix, confirmed))


async def import_loop(
    page: Any, url: str, deadline: float, n: int, run: Run, reload: bool
) -> None:
    """One importing session, on the Import data page: a new file each time."""
    number = 0
    while time.monotonic() < deadline:
        if number:  # back from the overview (the uploader starts empty again)
            await open_page(page, url, "upload", run.tally, by_menu=not reload)
        await upload_file(page, f"CC{n}X{number:04d}I", run)
        await open_page(page, url, "overview", run.tally, by_menu=not reload)
        number += 1


async def drive(
    server: Server,
    browsing: int,
    importing: int,
    seconds: float,
    run: Run,
    reload: bool,
) -> None:
    """Connect every session, then run them all at once until ``seconds`` have passed."""
    url = server.url
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        # People arrive a few at a time: 20 browsers loading the whole frontend in
        # the same second measure the machine's CPU, not the app. Timed apart.
        gate = asyncio.Semaphore(ARRIVING)

        async def arrive(path: str) -> Any:
            async with gate:
                return await connect(browser, url, path, run.first_loads)

        pages = await asyncio.gather(
            *(arrive("overview") for _ in range(browsing)),
            *(arrive("upload") for _ in range(importing)),
        )
        started, cpu = time.monotonic(), cpu_seconds(server.pid)
        deadline = started + seconds
        await asyncio.gather(
            *(  # each session starts on another page: every page is busy at once
                browse(p, url, deadline, run.tally, reload, start=n + 1)
                for n, p in enumerate(pages[:browsing])
            ),
            *(
                import_loop(p, url, deadline, n, run, reload)
                for n, p in enumerate(pages[browsing:])
            ),
        )
        run.seconds = time.monotonic() - started
        run.server_cpu = cpu_seconds(server.pid) - cpu
        await browser.close()


def check_rows(db: Path, before: dict[str, int], run: Run) -> None:
    """Every confirmed file's rows are there exactly once; nothing else changed."""
    from clusterkpi.store import Store

    store = Store(db)
    try:
        after = store.row_counts()
        loaded = 0
        for upload in run.uploads:
            count, distinct = store.rows(
                "SELECT count(*), count(DISTINCT interaction_id) FROM interactions"
                " WHERE starts_with(interaction_id, ?)",
                [upload.prefix],
            )[0]
            history = store.rows(
                "SELECT status, rows_added FROM imports WHERE file_name = ?",
                [upload.name],
            )
            if count not in (0, ROWS_PER_FILE) or distinct != count:
                run.problems.append(f"{upload.name}: {count} rows, {distinct} distinct")
            if upload.confirmed and count != ROWS_PER_FILE:
                run.problems.append(f"{upload.name}: said loaded, {count} rows kept")
            if history != ([("loaded", ROWS_PER_FILE)] if count else []):
                run.problems.append(f"{upload.name}: import history {history}")
            loaded += 1 if count else 0
        _check_counts(before, after, loaded, run)
    finally:
        store.close()


def _check_counts(
    before: dict[str, int], after: dict[str, int], loaded: int, run: Run
) -> None:
    grown = {"interactions": loaded * ROWS_PER_FILE, "imports": loaded}
    for table in sorted({*before, *after}):
        expected = before.get(table, 0) + grown.get(table, 0)
        if table in GROWING - grown.keys():
            continue  # the audit trail: not data, and its growth is not ours to count
        if after.get(table) != expected:
            run.problems.append(
                f"{table}: {after.get(table)} rows, {expected} expected"
            )


def run_concurrency(
    browsing: int, importing: int, seconds: float, folder: Path, reload: bool = False
) -> Run:
    """Serve a copy of the demo database and drive it; return what was seen."""
    from clusterkpi.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    demo = make_demo_db(folder / "demo.duckdb")
    db = folder / "served.duckdb"
    shutil.copy(demo, db)
    store = Store(db)
    before = store.row_counts()
    store.close()
    run = Run()
    with running_server(db, folder / "server.log") as server:
        asyncio.run(drive(server, browsing, importing, seconds, run, reload))
    check_rows(db, before, run)
    return run


def main() -> None:
    """Run the sessions, then print page times, errors, uploads and the row checks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--browsing", type=int, default=18)
    parser.add_argument("--importing", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--reload",
        action="store_true",
        help="open every page by its URL (a new session each time), not via the menu",
    )
    args = parser.parse_args()
    # A folder per run: two runs at once must not serve (and rewrite) one file.
    out = OUT / f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    run = run_concurrency(args.browsing, args.importing, args.seconds, out, args.reload)
    how = "every page by its URL" if args.reload else "pages opened through the menu"
    print(
        f"concurrency: {args.browsing + args.importing} sessions ({args.browsing}"
        f" browsing, {args.importing} importing) at once for {run.seconds:.0f} s;"
        f" {how}"
    )
    _print_times("first page of each session (arriving 4 at a time)", run.first_loads)
    _print_times("page time (until the title shows)", run.tally)
    per_page = Counter(path for path, _ in run.tally.loads)
    print(
        "loads per page: " + ", ".join(f"{p} {n}" for p, n in sorted(per_page.items()))
    )
    print(
        f"server CPU: {run.server_cpu:.0f} s in {run.seconds:.0f} s"
        f" ({run.server_cpu / run.seconds:.0%} of one core; {os.cpu_count()} cores,"
        " shared with the browser)"
    )
    confirmed = sum(u.confirmed for u in run.uploads)
    print(f"files imported: {confirmed} confirmed of {len(run.uploads)} sent")
    errors = run.first_loads.errors + run.tally.errors
    print(f"errors shown: {len(errors)}")
    print(f"rows lost or duplicated: {len(run.problems)} problems")
    for line in [*errors, *run.problems][:30]:
        print("  " + line)


def _print_times(label: str, tally: Tally) -> None:
    times = [seconds for _, seconds in tally.loads]
    if times:
        print(
            f"{label}: {len(times)} loads, p50 {percentile(times, 50):.2f} s,"
            f" p95 {percentile(times, 95):.2f} s, max {max(times):.2f} s"
        )


if __name__ == "__main__":
    main()
