"""The benchmark's pandas baseline computes exactly the engine's figures."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from bench.pandas_baseline import (
    KPIS,
    SOURCE_DATES,
    all_series,
    kpi_series,
    load_tables,
)
from clusterkpi.catalog import load_catalog
from clusterkpi.engine import evaluate
from clusterkpi.periods import (
    Grain,
    Period,
    last_complete,
    parse_period,
    periods_between,
)
from clusterkpi.store import Store
from tests.demo_db import ROOT, TODAY, make_demo_db

CATALOG = load_catalog(ROOT / "data" / "kpis.yaml")
LAST_QUARTER = last_complete(TODAY)
QUARTERS = periods_between(LAST_QUARTER.shift(-11), LAST_QUARTER)
LAST_MONTH = last_complete(TODAY, Grain.MONTH)
MONTHS = periods_between(LAST_MONTH.shift(-23), LAST_MONTH)
# Before the first rows of most sources, the current year, and a year with no data yet.
YEARS = periods_between(parse_period("2019"), parse_period("2027"))
MONTHLY_KPIS = [
    "new_members",
    "member_churn_rate",
    "member_participation_rate",
    "general_assembly_attendance_rate",
    "newsletter_open_rate",
    "member_nps",
    "social_followers",
    "non_member_event_participants",
]


def engine_values(
    store: Store, periods: Sequence[Period], kpi_ids: list[str] | None = None
) -> dict[str, list[float | None]]:
    points = evaluate(store, CATALOG, periods, kpi_ids)
    return {kpi_id: [p.value for p in series] for kpi_id, series in points.items()}


def approx(values: list[float | None]) -> list[Any]:
    """Each number within 1e-9 relative; None only where the engine gives None."""
    return [None if v is None else pytest.approx(v, rel=1e-9) for v in values]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(make_demo_db(tmp_path_factory.mktemp("baseline") / "demo.duckdb"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def quarterly(demo: Store) -> tuple[dict, dict]:
    return all_series(demo, list(CATALOG.kpis), QUARTERS), engine_values(demo, QUARTERS)


def test_the_baseline_declares_every_kpi_with_the_catalogue_sources() -> None:
    assert {k: (s.sources, s.aggregation) for k, s in KPIS.items()} == {
        k: (tuple(kpi.sources), kpi.aggregation) for k, kpi in CATALOG.kpis.items()
    }
    assert SOURCE_DATES == {name: s.date for name, s in CATALOG.sources.items()}


@pytest.mark.parametrize("kpi_id", list(CATALOG.kpis))
def test_every_kpi_matches_the_engine_over_twelve_quarters(
    quarterly: tuple[dict, dict], kpi_id: str
) -> None:
    got, expected = quarterly
    assert any(v is not None for v in expected[kpi_id])
    assert got[kpi_id] == approx(expected[kpi_id])


def test_monthly_values_match_the_engine(demo: Store) -> None:
    got = all_series(demo, MONTHLY_KPIS, MONTHS)
    expected = engine_values(demo, MONTHS, MONTHLY_KPIS)
    assert {k: approx(v) for k, v in expected.items()} == got
    assert 0.0 in got["new_members"]  # covered but empty: a count gives 0
    assert None in got["general_assembly_attendance_rate"]  # no assembly that month


def test_years_outside_the_data_give_none_like_the_engine(demo: Store) -> None:
    got = all_series(demo, list(CATALOG.kpis), YEARS)
    expected = engine_values(demo, YEARS)
    assert {k: approx(v) for k, v in expected.items()} == got
    assert got["website_sessions"][0] is None  # 2019: before the first web row
    assert got["website_sessions"][-1] is None  # 2027: not a 0, not covered yet
    assert got["new_members"][0] == 12.0  # members are covered since 2008


def test_kpi_series_on_loaded_tables_gives_the_same_values(
    demo: Store, quarterly: tuple[dict, dict]
) -> None:
    tables = load_tables(demo)
    for kpi_id in ("sme_share", "social_followers", "member_participation_rate"):
        assert kpi_series(tables, kpi_id, QUARTERS) == quarterly[0][kpi_id]


def test_manual_observations_override_like_the_engine(tmp_path: Path) -> None:
    store = Store(make_demo_db(tmp_path / "demo.duckdb"))
    store.execute(
        "INSERT INTO observations (kpi_id, period_start, period_end, value, import_id)"
        " VALUES ('new_members', DATE '2025-07-01', DATE '2025-10-01', 42, 1),"
        " ('newsletter_open_rate', DATE '2019-01-01', DATE '2019-04-01', 0.25, 1),"
        " ('active_members', DATE '2025-07-01', DATE '2025-08-01', 7, 1)"
    )
    periods = periods_between(parse_period("2019Q1"), LAST_QUARTER)
    ids = ["new_members", "newsletter_open_rate", "active_members"]
    got = all_series(store, ids, periods)
    expected = engine_values(store, periods, ids)
    store.close()
    assert {k: approx(v) for k, v in expected.items()} == got
    labels = [p.label for p in periods]
    assert got["new_members"][labels.index("2025Q3")] == 42.0
    assert got["newsletter_open_rate"][0] == 0.25  # replaces an uncovered period
    assert 7.0 not in got["active_members"]  # a month's value is not a quarter's
