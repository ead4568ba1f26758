"""Helpers shared by the import tests: fixture files, table contents, KPIs, page settings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi import config
from clusterkpi.catalog import Catalog
from clusterkpi.engine import evaluate
from clusterkpi.imports.importer import ImportOptions, import_file
from clusterkpi.imports.loading import KEYS
from clusterkpi.imports.report import ImportReport, TableResult
from clusterkpi.periods import parse_period
from clusterkpi.store import Store
from tests.demo_db import ROOT, TODAY

DATA = Path(__file__).parent / "data" / "imports"
REAL = Path(__file__).parent / "data" / "real"  # the corpus of real exports


def load(
    store: Store, rel: str, raw: bytes | None = None, **options: Any
) -> ImportReport:
    """Import DATA/rel (or raw, under rel's file name) as of TODAY."""
    data = (DATA / rel).read_bytes() if raw is None else raw
    return import_file(store, Path(rel).name, data, ImportOptions(**options), TODAY)


def load_real(store: Store, rel: str, **options: Any) -> ImportReport:
    """Import REAL/rel as of TODAY, as the Import page would, messages in English."""
    options.setdefault("lang", "en")
    raw = (REAL / rel).read_bytes()
    return import_file(store, Path(rel).name, raw, ImportOptions(**options), TODAY)


def table_of(report: ImportReport, dataset: str) -> TableResult:
    """The one table of the report that fed this dataset."""
    found = [t for t in report.tables if t.dataset == dataset]
    assert len(found) == 1, [(t.name, t.dataset) for t in report.tables]
    return found[0]


def every_table(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table in the database."""
    return {
        t: sorted(store.rows(f"SELECT * FROM {t}"), key=repr)
        for t in store.table_names()
    }


def snapshot(store: Store, *extra: str) -> dict[str, list[tuple]]:
    """Every row of every table an import may touch, the import history and extra."""
    tables = [*KEYS, *(f"{t}_history" for t in KEYS), "imports", *extra]
    return {t: sorted(store.rows(f"SELECT * FROM {t}"), key=repr) for t in tables}


def counts(report: ImportReport) -> list[tuple]:
    """Per table: source, rows read, rows valid, (added, updated, unchanged)."""
    return [
        (t.source, t.rows_read, t.rows_valid,
         t.counts and (t.counts.added, t.counts.updated, t.counts.unchanged))
        for t in report.tables
    ]  # fmt: skip


def kpi(store: Store, catalog: Catalog, kpi_id: str, period: str) -> float | None:
    """The value of one KPI over one period."""
    return evaluate(store, catalog, [parse_period(period)], [kpi_id])[kpi_id][0].value


def key(email: str) -> str:
    """The contact key of an e-mail address, as the adapters store it."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def app_env(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Body of an AppTest fixture: the app on db as of TODAY, with cold caches."""
    monkeypatch.setenv("CLUSTERKPI_DB", str(db))
    monkeypatch.setenv("CLUSTERKPI_TODAY", TODAY.isoformat())
    config.get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_resource.clear()


def run_page(script: str, **query: str) -> AppTest:
    """Run one page (a path below the project) through AppTest with these URL parameters."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def assert_second_import_adds_nothing(store: Store, rel: str) -> None:
    """Import ``rel`` twice: the second is a 'duplicate' that changes no table."""
    from clusterkpi.imports.report import Problem

    first = load(store, rel)
    before = snapshot(store)
    again = load(store, rel)
    assert (again.status, again.rows_added, again.rows_updated) == ("duplicate", 0, 0)
    assert [p for _, p in again.problems] == [
        Problem("duplicate_file", params={"id": first.import_id})
    ]
    assert snapshot(store) == before
