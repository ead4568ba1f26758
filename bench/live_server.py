"""A real Streamlit server on a demo database copy, and browser sessions that drive it."""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"
# No internet here: without these flags Chromium keeps calling its update and sync
# services (the browser tests launch it with these flags too).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass(frozen=True)
class Server:
    """A running `streamlit run app.py`: its base URL, process id and database."""

    url: str
    pid: int
    db: Path


def chromium_path() -> str:
    """Return Debian's chromium (never a browser download)."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Debian's chromium is not installed (apt-get install chromium)"
        )
    return path


def make_demo_db(path: Path) -> Path:
    """Write the demo cluster and its strategy into a new file, in a child process.

    A child process, so that this one never holds the file the server will open.
    """
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "clusterkpi", "--db", str(path), "demo"],
        cwd=ROOT,
        env={**os.environ, "CLUSTERKPI_TODAY": TODAY},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def free_port() -> int:
    """Return a TCP port free on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db: Path, log: Path) -> Iterator[Server]:
    """Serve app.py on ``db`` on localhost only; stop the server on exit."""
    port = free_port()
    env = {**os.environ, "CLUSTERKPI_DB": str(db), "CLUSTERKPI_TODAY": TODAY}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                f"--server.port={port}",
                "--server.address=127.0.0.1",
                "--server.headless=true",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url + "/_stcore/health", server)
            yield Server(url, server.pid, db)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_healthy(url: str, server: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit not healthy after {timeout_s} s")


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used, from /proc/<pid>/stat."""
    # The command name, in parentheses, may hold spaces: count fields after it.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    """Return a process's resident set size in KiB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


# Every page of the menu but the mapping and admin pages, with the title (h1) it shows
# in French on the demo database: a page counts as loaded when its title is visible.
PAGE_TITLES = {
    "overview": "Tableau de bord du conseil",
    "internal": "Communication interne",
    "external": "Communication externe",
    "membership": "Adhésion et attractivité",
    "kpi": "Adhérents actifs",
    "snapshots": "Instantanés trimestriels",
    "strategy": "Stratégie et cibles",
    "upload": "Importer des données",
}
# Streamlit's exception box, and the error alerts st.error draws.
ERROR_BOXES = "[data-testid='stException'], [data-testid='stAlertContentError']"
IDLE_APP = "[data-testid='stApp'][data-test-script-state='notRunning']"
MENU_LINK = "[data-testid='stSidebarNavLink']"


@dataclass
class Tally:
    """What the sessions saw: seconds per page load, and every error box shown."""

    loads: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def open_page(
    page: Any, url: str, path: str, tally: Tally, by_menu: bool = False
) -> None:
    """Open one page by URL (or its menu link), time it until its title is visible."""
    started = time.perf_counter()
    try:
        if by_menu:
            await page.locator(f"{MENU_LINK}[href$='/{path}']").click(timeout=120_000)
        else:
            await page.goto(f"{url}/{path}?lang=fr", timeout=120_000)
        title = page.get_by_role("heading", level=1, name=PAGE_TITLES[path])
        await title.wait_for(state="visible", timeout=120_000)
        seconds = time.perf_counter() - started
        # The title shows before the script ends: errors may come later in the page.
        await page.wait_for_selector(IDLE_APP, timeout=120_000)
    except Exception as exc:  # a page that never shows its title is an error too
        tally.errors.append(f"{path}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    tally.loads.append((path, seconds))
    for box in await page.locator(ERROR_BOXES).all():
        tally.errors.append(f"{path}: {(await box.inner_text())[:300]}")


async def connect(browser: Any, url: str, path: str, tally: Tally) -> Any:
    """Open a new session (its own browser context) on a page given by URL."""
    context = await browser.new_context(
        reduced_motion="reduce", viewport={"width": 1024, "height": 700}
    )
    page = await context.new_page()
    await open_page(page, url, path, tally)
    return page


async def browse(
    page: Any,
    url: str,
    deadline: float,
    tally: Tally,
    reload: bool = False,
    start: int = 1,
) -> None:
    """Open every page in turn until the deadline, from the ``start``-th one.

    Through the menu, as a person does; with ``reload`` by URL (a new Streamlit
    session each time, and the whole frontend loaded again).
    """
    paths = list(PAGE_TITLES)
    start = start % len(paths) or 1  # the session is on the first page already
    order = paths[start:] + paths[:start]
    while time.monotonic() < deadline:
        for path in order:
            if time.monotonic() >= deadline:
                break
            await open_page(page, url, path, tally, by_menu=not reload)


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (nearest rank) of non-empty values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
