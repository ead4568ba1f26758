"""Several browser sessions at once on a real server, two importing: no error, no row lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.concurrency import run_concurrency

pytestmark = pytest.mark.browser


def test_sessions_browsing_and_importing_at_once_lose_nothing(tmp_path: Path) -> None:
    # In a thread of its own: after the browser tests, pytest-playwright's event loop
    # is running in this one, and the harness starts its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        run = pool.submit(
            run_concurrency, browsing=3, importing=2, seconds=12, folder=tmp_path
        ).result()
    assert run.tally.errors == []
    assert run.problems == []
    assert {path for path, _ in run.tally.loads} >= {"overview", "upload"}
    assert sum(u.confirmed for u in run.uploads) >= 2
