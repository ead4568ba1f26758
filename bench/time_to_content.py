"""Benchmark: time to content of every menu page in headless chromium, on the large cluster.

A page counts as shown when its title, its first chart, table, metric or form are
visible and Streamlit's script has finished (no running indicator). Measured two
ways: opened in a new tab (a new Streamlit session, from the navigation start) and
through the sidebar menu (from the click). On the Overview, the DOM is sampled
every 25 ms while it loads, to tell whether the header was ever shown without the
objectives table and blocks below it.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from bench.live_server import (
    CHROMIUM_ARGS,
    ROOT,
    chromium_path,
    percentile,
    running_server,
)

# Page → (its French title, what counts as its content). The KPI page's title is its
# default KPI. Content selectors are CSS; the first match must be visible.
CONTENT = {
    "overview": (
        "Tableau de bord du conseil",
        "[data-testid=stMarkdownContainer] table",
    ),
    "internal": ("Communication interne", "[data-testid=stPlotlyChart] .main-svg"),
    "external": ("Communication externe", "[data-testid=stPlotlyChart] .main-svg"),
    "membership": (
        "Adhésion et attractivité",
        "[data-testid=stPlotlyChart] .main-svg",
    ),
    "kpi": ("Adhérents actifs", "[data-testid=stMetric], [data-testid=stPlotlyChart]"),
    "snapshots": (
        "Instantanés trimestriels",
        "[data-testid=stDataFrame], [data-testid=stAlert]",
    ),
    "upload": ("Importer des données", "[data-testid=stFileUploader]"),
    "strategy": ("Stratégie et cibles", "[data-testid=stDataFrame]"),
    "mappings": ("Correspondance des colonnes", "[data-testid=stFileUploader]"),
    "accounts": ("Comptes", "[data-testid=stDataFrame], [data-testid=stAlert]"),
    "audit": ("Journal d'audit", "[data-testid=stDataFrame], [data-testid=stAlert]"),
}
MENU_LINK = "[data-testid=stSidebarNavLink]"
TIMEOUT_MS = 120_000
# The Overview's header, and what must show with it: the objectives table and blocks.
OVERVIEW_BODY = "[data-testid=stMarkdownContainer] table"
OVERVIEW_BLOCKS = "[data-testid=stVerticalBlockBorderWrapper] h3"

# True once the page shows its title and content and the script has finished;
# returns the time (ms since the document's navigation start) it first held.
_SHOWN = """([title, content]) => {
  const visible = (el) => !!el && el.getClientRects().length > 0;
  const idle = document.querySelector(
    "[data-testid=stApp][data-test-script-state=notRunning]");
  const running = document.querySelector("[data-testid=stStatusWidget]");
  const h1 = [...document.querySelectorAll("h1")].find(
    (h) => h.innerText.trim() === title);
  const body = [...document.querySelectorAll(content)].find(
    (el) => visible(el) && !el.closest("[data-stale=true]"));
  return idle && !visible(running) && visible(h1) && body ? performance.now() : 0;
}"""

# Samples, every 25 ms from the document's start: is the Overview header shown, and
# are its objectives table and blocks shown with it?
_SAMPLER = """(() => {
  window.__samples = [];
  const visible = (sel) => [...document.querySelectorAll(sel)].some(
    (el) => el.getClientRects().length > 0 && !el.closest("[data-stale=true]"));
  setInterval(() => {
    const h1 = [...document.querySelectorAll("h1")].find(
      (h) => h.innerText.trim() === "Tableau de bord du conseil");
    const first = document.querySelector("h1");
    const idle = !!document.querySelector(
      "[data-testid=stApp][data-test-script-state=notRunning]");
    window.__samples.push([performance.now(), !!h1 && h1.getClientRects().length > 0,
      visible("TABLE"), visible("BLOCKS"), first ? first.innerText.trim() : "", idle]);
  }, 25);
})();""".replace("TABLE", OVERVIEW_BODY).replace("BLOCKS", OVERVIEW_BLOCKS)


# When (ms) the page's title first showed with the script finished, since a moment.
_SCRIPT_DONE = """([title, since]) => {
  const hit = window.__samples.find((s) => s[0] >= since && s[4] === title && s[5]);
  return hit ? hit[0] : null;
}"""


@dataclass
class Figures:
    """Seconds per page: first loads in a new tab, menu navigations; Overview gaps."""

    first_cold: dict[str, float] = field(default_factory=dict)
    first: dict[str, list[float]] = field(default_factory=dict)
    menu: dict[str, list[float]] = field(default_factory=dict)
    # When the script had finished (title shown, no running indicator), per load.
    script: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    gaps: list[tuple[float, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _wait_shown(page: Any, path: str) -> float:
    """Wait until ``path`` shows its content; return when (ms, document's clock)."""
    title, content = CONTENT[path]
    handle = await page.wait_for_function(
        _SHOWN, arg=[title, content], polling="raf", timeout=TIMEOUT_MS
    )
    return float(await handle.json_value())


async def _overview_gap(page: Any, since_ms: float) -> tuple[float, float]:
    """Return the longest times (s) the header showed without the table, the blocks."""
    samples = await page.evaluate("() => window.__samples")
    return (
        _longest(samples, since_ms, lambda table, blocks: table),
        _longest(samples, since_ms, lambda table, blocks: blocks),
    )


def _longest(samples: list[list[Any]], since_ms: float, shown: Any) -> float:
    longest, start = 0.0, None
    for at, header, table, blocks, *_ in samples:
        if at < since_ms:
            continue
        if header and not shown(table, blocks):
            start = at if start is None else start
            longest = max(longest, at - start)
        else:
            start = None
    return longest / 1000


async def _script_done(
    page: Any, kind: str, path: str, since: float, figures: Figures
) -> None:
    """Record how long after ``since`` the page's script had finished."""
    done = await page.evaluate(_SCRIPT_DONE, [CONTENT[path][0], since])
    if done is not None:
        figures.script.setdefault((kind, path), []).append((done - since) / 1000)


async def first_load(
    context: Any, url: str, path: str, figures: Figures, kind: str = "tab"
) -> float:
    """Open ``path`` in a new tab; return seconds from navigation start to content."""
    page = await context.new_page()
    try:
        await page.goto(f"{url}/{path}?lang=fr", timeout=TIMEOUT_MS)
        seconds = await _wait_shown(page, path) / 1000
        await _script_done(page, kind, path, 0.0, figures)
        if path == "overview":
            figures.gaps.append(await _overview_gap(page, 0.0))
        return seconds
    except Exception as exc:  # noqa: BLE001 - a page that never shows is reported
        figures.errors.append(f"tab {path}: {type(exc).__name__}: {exc}"[:300])
        return float("nan")
    finally:
        await page.close()


async def menu_round(page: Any, paths: list[str], figures: Figures) -> None:
    """Go through ``paths`` by the sidebar menu, timing each from the click."""
    for path in paths:
        started = await page.evaluate("() => performance.now()")
        try:
            await page.locator(f"{MENU_LINK}[href$='/{path}']").click(
                timeout=TIMEOUT_MS
            )
            shown = await _wait_shown(page, path)
        except Exception as exc:  # noqa: BLE001 - a page that never shows is reported
            figures.errors.append(f"menu {path}: {type(exc).__name__}: {exc}"[:300])
            continue
        figures.menu.setdefault(path, []).append((shown - started) / 1000)
        await _script_done(page, "menu", path, started, figures)
        if path == "overview":
            figures.gaps.append(await _overview_gap(page, started))


async def measure(
    url: str, rounds: int, tabs: int, only: list[str] | None = None
) -> tuple[list[str], Figures]:
    """Drive chromium over every menu page; return the pages and their figures."""
    figures = Figures()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        context = await browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="fr-FR"
        )
        await context.add_init_script(_SAMPLER)
        page = await context.new_page()
        await page.goto(f"{url}/overview?lang=fr", timeout=TIMEOUT_MS)
        await _wait_shown(page, "overview")
        hrefs = await page.locator(MENU_LINK).evaluate_all(
            "(links) => links.map((a) => a.getAttribute('href'))"
        )
        paths = [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]
        paths = [p for p in paths if p in CONTENT and (not only or p in only)]
        # The server's first visit of each page: its caches are empty.
        for path in paths:
            figures.first_cold[path] = await first_load(
                context, url, path, figures, "cold"
            )
        figures.gaps.clear()  # the gap goal is about every load: counted from here
        for _ in range(tabs):
            for path in paths:
                figures.first.setdefault(path, []).append(
                    await first_load(context, url, path, figures)
                )
        order = paths[1:] + paths[:1]  # the menu page starts on the Overview
        for _ in range(rounds):
            await menu_round(page, order, figures)
        await browser.close()
    return paths, figures


def report(paths: list[str], figures: Figures) -> None:
    """Print the table of figures (in brackets: when the script had finished)."""
    print(
        f"{'page':<11} {'server 1st':>14} {'new tab p50':>14} {'new tab max':>11}"
        f" {'menu p50':>14} {'menu p95':>9}"
    )
    for path in paths:
        tab = _numbers(figures.first.get(path, []))
        menu = _numbers(figures.menu.get(path, []))
        cold = _numbers([figures.first_cold[path]])
        print(
            f"{path:<11} {_pair(cold, figures.script.get(('cold', path))):>14}"
            f" {_pair(tab, figures.script.get(('tab', path))):>14}"
            f" {_fmt(max(tab) if tab else None):>11}"
            f" {_pair(menu, figures.script.get(('menu', path))):>14}"
            f" {_fmt(percentile(menu, 95) if menu else None):>9}"
        )
    tabs = _numbers([s for v in figures.first.values() for s in v])
    menus = _numbers([s for v in figures.menu.values() for s in v])
    colds = _numbers(list(figures.first_cold.values()))
    print(
        f"{'all pages':<11} {_fmt(max(colds, default=None)) + ' max':>14}"
        f" {_fmt(statistics.median(tabs) if tabs else None):>14}"
        f" {_fmt(max(tabs, default=None)):>11}"
        f" {_fmt(statistics.median(menus) if menus else None):>14}"
        f" {_fmt(percentile(menus, 95) if menus else None):>9}"
    )
    tables = [g[0] for g in figures.gaps]
    blocks = [g[1] for g in figures.gaps]
    print(
        f"Overview header shown without the objectives table: longest"
        f" {max(tables, default=0.0) * 1000:.0f} ms, without the objective blocks:"
        f" {max(blocks, default=0.0) * 1000:.0f} ms ({len(figures.gaps)} loads,"
        f" {sum(1 for g in tables if g > 0)} with a gap before the table)"
    )
    print(
        "server 1st: each page's first visit after the server started (caches empty);"
        " new tab: later loads in a new tab, from the navigation start; menu: sidebar"
        " link, from the click; (x): when the script had finished, title shown"
    )
    print(
        "goals: menu p95 <= 1.0 s, a new tab <= 2.5 s, the Overview's table with its"
        " header (gap 0 ms)"
    )
    for error in figures.errors:
        print("ERROR", error)


def _numbers(values: list[float]) -> list[float]:
    return [v for v in values if not math.isnan(v)]


def _pair(seconds: list[float], script: list[float] | None) -> str:
    if not seconds:
        return "—"
    done = f" ({statistics.median(script):.2f})" if script else ""
    return f"{statistics.median(seconds):.2f}{done}"


def _fmt(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f}s"


def build_large(path: Path) -> None:
    """Build the large cluster into ``path`` in a child process (it holds no lock)."""
    subprocess.run(
        [sys.executable, "-m", "bench.large_cluster", str(path)], check=True, cwd=ROOT
    )
    from clusterkpi.store import Store

    Store(path).close()  # schema migrations happen here, not in a page's first run


def main() -> None:
    """Build the large cluster, serve it, measure every menu page, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="menu rounds")
    parser.add_argument("--tabs", type=int, default=3, help="new-tab rounds")
    parser.add_argument("--db", type=Path, help="a large cluster already built")
    parser.add_argument("--pages", nargs="*", help="only these pages (URL paths)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clusterkpi_ttc_") as tmp:
        db = args.db or Path(tmp) / "large.duckdb"
        if args.db is None:
            build_large(db)
        started = time.perf_counter()
        with running_server(db, Path(tmp) / "streamlit.log") as server:
            paths, figures = asyncio.run(
                measure(server.url, args.rounds, args.tabs, args.pages)
            )
        print(
            f"time to content on the large cluster, headless chromium 1280 px, French"
            f" ({args.tabs} new-tab and {args.rounds} menu rounds,"
            f" {time.perf_counter() - started:.0f} s):"
        )
        report(paths, figures)


if __name__ == "__main__":
    main()
