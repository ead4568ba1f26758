"""Shared fixtures: temporary stores, the real catalogue, Streamlit cache clearing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterkpi import config
from clusterkpi.catalog import Catalog, load_catalog
from clusterkpi.store import Store

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
