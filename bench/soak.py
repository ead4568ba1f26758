"""Soak: a real server under steady browsing for minutes; its memory, sampled every 10 s."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import datetime

from playwright.async_api import async_playwright

from bench.live_server import (
    CHROMIUM_ARGS,
    ROOT,
    Tally,
    browse,
    chromium_path,
    connect,
    make_demo_db,
    percentile,
    rss_kib,
    running_server,
)

OUT = ROOT / "bench" / "out" / "soak"
SAMPLE_S = 10
WARM_S = 60  # caches and the first sessions are in place after a minute


async def soak(url: str, pid: int, sessions: int, seconds: float) -> tuple[list, Tally]:
    """Browse with ``sessions`` sessions for ``seconds``; return RSS samples and tally.

    The first sample (time 0) is the idle server, before any session.
    """
    tally = Tally()
    samples: list[tuple[float, int]] = [(0.0, rss_kib(pid))]
    started = time.monotonic()
    deadline = started + seconds
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        pages = [
            await connect(browser, url, "overview", tally) for _ in range(sessions)
        ]
        # Every page by URL: a new Streamlit session each time, the case where
        # memory that sessions leave behind would pile up.
        tasks = [
            asyncio.create_task(browse(page, url, deadline, tally, reload=True))
            for page in pages
        ]
        while time.monotonic() < deadline:
            samples.append((time.monotonic() - started, rss_kib(pid)))
            await asyncio.sleep(SAMPLE_S)
        await asyncio.gather(*tasks)
        samples.append((time.monotonic() - started, rss_kib(pid)))
        await browser.close()
    return samples, tally


def slope_mib_per_minute(samples: list[tuple[float, int]]) -> float:
    """Return the least-squares slope of RSS over time, in MiB per minute."""
    times = [t / 60 for t, _ in samples]
    sizes = [kib / 1024 for _, kib in samples]
    return statistics.linear_regression(times, sizes).slope


def main() -> None:
    """Run the soak and print RSS start, max, end and the second half's slope."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--sessions", type=int, default=4)
    args = parser.parse_args()
    # A folder per run: two soaks at once must not serve (and rewrite) one file.
    out = OUT / f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    out.mkdir(parents=True)
    db = make_demo_db(out / "demo.duckdb")
    wall = time.perf_counter()
    with running_server(db, out / "server.log") as server:
        samples, tally = asyncio.run(
            soak(server.url, server.pid, args.sessions, args.minutes * 60)
        )
    wall = time.perf_counter() - wall
    (out / "rss.csv").write_text(
        "seconds,rss_kib\n" + "".join(f"{t:.1f},{k}\n" for t, k in samples)
    )
    idle, loaded = samples[0][1] / 1024, samples[1:]
    mib = [kib / 1024 for _, kib in loaded]
    second_half = [s for s in loaded if s[0] >= loaded[-1][0] / 2]
    times = [s for _, s in tally.loads]
    print(f"soak: {args.sessions} sessions browsing for {args.minutes:g} min")
    print(f"page loads: {len(times)}, errors shown: {len(tally.errors)}")
    if times:
        print(
            f"page time: p50 {percentile(times, 50):.2f} s,"
            f" p95 {percentile(times, 95):.2f} s"
        )
    print(f"RSS samples: {len(samples)} (every {SAMPLE_S} s), in {out / 'rss.csv'}")
    warm = next((kib for t, kib in loaded if t >= WARM_S), loaded[-1][1]) / 1024
    print(
        f"RSS idle {idle:.0f} MiB, start {mib[0]:.0f} MiB, after {WARM_S} s"
        f" {warm:.0f} MiB, max {max(mib):.0f} MiB, end {mib[-1]:.0f} MiB"
    )
    print(f"RSS slope, second half: {slope_mib_per_minute(second_half):+.2f} MiB/min")
    print(f"wall time: {wall:.0f} s")
    for error in tally.errors[:20]:
        print("  error:", error)


if __name__ == "__main__":
    main()
