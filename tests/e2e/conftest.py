"""Browser fixtures: a real Streamlit server on a demo database, Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import live_server
from tests.demo_db import make_demo_db


def chromium_path() -> str:
    """Return Debian's chromium; installing it is `make test`'s job, so fail loudly."""
    try:
        return live_server.chromium_path()
    except RuntimeError:
        pytest.fail(
            "Debian's chromium is not installed: run `make test` (it installs it)."
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's chromium instead of a Playwright-downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": live_server.CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database file for one test module's server."""
    return make_demo_db(tmp_path_factory.mktemp("e2e") / "demo.duckdb")


@pytest.fixture(scope="module")
def app_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `streamlit run app.py` on the demo database; yield its base URL."""
    log = tmp_path_factory.mktemp("logs") / "streamlit.log"
    with live_server.running_server(demo_db, log) as server:
        yield server.url
