"""Shared fixtures: temporary stores, the real catalogue, Streamlit cache clearing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterkpi import config
from clusterkpi.catalog import Catalog, load_catalog
from clusterkpi.store import Store
from tests.demo_db import make_demo_db
from tests.import_helpers import app_env

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated database file in a temporary folder."""
    db = Store(tmp_path / "test.duckdb")
    yield db
    db.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The real KPI catalogue shipped in data/kpis.yaml."""
    return load_catalog(ROOT / "data" / "kpis.yaml")


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from default settings, never from the developer's database."""
    for name in ("CLUSTERKPI_DB", "CLUSTERKPI_TODAY", "CLUSTERKPI_CATALOG"):
        monkeypatch.delenv(name, raising=False)
    config.get_settings.cache_clear()
    yield
    config.get_settings.cache_clear()


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cluster in one file, built once, for the tests that only read it."""
    return make_demo_db(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture
def demo_env(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app on the shared demo database, with cold caches."""
    yield from app_env(demo_path, monkeypatch)
