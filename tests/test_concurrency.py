"""Several browser sessions at once on a real server, two importing: no error, no row lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.concurrency import run_concurrency

pytestmark = pytest.mark.browser


def test_sessions_browsing_and_importing_at_once_lose_nothing(tmp_path: Path) -> None:
    run = run_concurrency(browsing=3, importing=2, seconds=12, folder=tmp_path)
    assert run.tally.errors == []
    assert run.problems == []
    assert {path for path, _ in run.tally.loads} >= {"overview", "upload"}
    assert sum(u.confirmed for u in run.uploads) >= 2
