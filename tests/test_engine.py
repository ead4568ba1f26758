"""Tests for clusterkpi.engine: oracle cases, coverage, observations, parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from clusterkpi.catalog import Catalog
from clusterkpi.engine import (
    Coverage,
    KpiPoint,
    compile_kpi,
    coverage,
    data_span,
    evaluate,
    period_params,
)
from clusterkpi.periods import Period, parse_period
from clusterkpi.store import Store
from tests.fixture_db import load_fixture

CASES_FILE = Path(__file__).resolve().parent / "data" / "kpi_cases.yaml"
Q4_2025 = parse_period("2025Q4")
Q1 = parse_period("2026Q1")
Q2 = parse_period("2026Q2")
Q3 = parse_period("2026Q3")


class KpiCase(BaseModel):
    """One oracle case: a KPI, a period, the hand-computed value and its check query."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kpi: str
    period: str
    expected: float | None
    check_sql: str


class KpiCases(BaseModel):
    """The whole kpi_cases.yaml file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: list[KpiCase]


def load_cases() -> list[KpiCase]:
    raw = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    return KpiCases.model_validate(raw).cases


CASES = load_cases()


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture cluster, loaded once and only read by the oracle tests."""
    db = Store(tmp_path_factory.mktemp("oracle") / "fixture.duckdb")
    load_fixture(db)
    yield db
    db.close()


@pytest.fixture(scope="module")
def case_points(
    fixture_store: Store, catalog: Catalog
) -> dict[tuple[str, str], KpiPoint]:
    """The engine's point for every case, one evaluate call per period label."""
    points = {}
    for label in sorted({c.period for c in CASES}):
        kpi_ids = sorted({c.kpi for c in CASES if c.period == label})
        computed = evaluate(fixture_store, catalog, [parse_period(label)], kpi_ids)
        points.update({(kpi_id, label): computed[kpi_id][0] for kpi_id in kpi_ids})
    return points


@pytest.fixture
def loaded(store: Store) -> Store:
    """A fresh store holding the fixture cluster, free to modify."""
    load_fixture(store)
    return store


def value_of(store: Store, catalog: Catalog, kpi_id: str, period: Period) -> KpiPoint:
    return evaluate(store, catalog, [period], [kpi_id])[kpi_id][0]


def fixture_import(store: Store) -> int:
    return store.scalar("SELECT import_id FROM imports WHERE source = 'fixture'")


def add_import(store: Store, source: str, imported_at: datetime) -> int:
    return store.scalar(
        "INSERT INTO imports (source, file_name, imported_at) VALUES (?, ?, ?)"
        " RETURNING import_id",
        [source, f"{source}.csv", imported_at],
    )


# --------------------------------------------------------------------- oracle cases


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kpi}-{c.period}" for c in CASES])
def test_kpi_value_equals_hand_written_sql_and_hand_computed_number(
    fixture_store: Store,
    case_points: dict[tuple[str, str], KpiPoint],
    case: KpiCase,
) -> None:
    """The engine, the hand-written check query and the hand count agree."""
    engine_value = case_points[(case.kpi, case.period)].value
    checked = fixture_store.scalar(case.check_sql)
    if case.expected is None:
        assert (engine_value, checked) == (None, None)
    else:
        assert engine_value == pytest.approx(case.expected)
        assert float(checked) == pytest.approx(case.expected)


def test_every_catalogue_kpi_has_a_2026q2_case(catalog: Catalog) -> None:
    """Each of the catalogue's KPIs is checked at least for 2026Q2."""
    covered = sorted({c.kpi for c in CASES if c.period == "2026Q2"})
    assert covered == sorted(catalog.kpis)
    assert {c.kpi for c in CASES} <= set(catalog.kpis)


def test_case_file_rejects_a_misspelled_key() -> None:
    """A typo in a case fails loudly instead of being ignored."""
    raw = {
        "cases": [
            {
                "kpi": "new_members",
                "period": "2026Q2",
                "expected": 3,
                "check_sql": "SELECT 3",
                "expectd": 3,
            }
        ]
    }
    with pytest.raises(ValidationError, match="expectd"):
        KpiCases.model_validate(raw)


# ------------------------------------------------------------------------ coverage


def test_coverage_runs_from_first_row_to_the_import_date(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Each source speaks from its first dated row to its import (2026-06-30)."""
    last = date(2026, 6, 30)
    assert coverage(fixture_store, catalog) == {
        "members": Coverage(date(2024, 3, 1), last),
        "events": Coverage(date(2026, 3, 12), last),
        "email_campaigns": Coverage(date(2025, 11, 20), last),
        "web_traffic": Coverage(date(2025, 12, 30), last),
        "social_daily": Coverage(date(2026, 1, 15), last),
        "press_mentions": Coverage(date(2025, 5, 10), last),
        "projects": Coverage(date(2025, 9, 15), last),
        "survey_responses": Coverage(date(2025, 11, 15), last),
        "interactions": Coverage(date(2026, 2, 14), last),
        "materials": Coverage(date(2025, 12, 5), last),
        "partnerships": Coverage(date(2025, 3, 1), last),
    }
    assert data_span(fixture_store, catalog) == (date(2024, 3, 1), last)


def test_data_span_of_an_empty_store_is_none(store: Store, catalog: Catalog) -> None:
    """Without any data there is no span and no coverage."""
    assert (coverage(store, catalog), data_span(store, catalog)) == ({}, None)


def test_sum_kpi_in_a_covered_empty_quarter_is_zero(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Press data run from 2025-05-10: quarters without a mention count 0."""
    points = evaluate(
        fixture_store,
        catalog,
        [parse_period("2025Q3"), Q4_2025, Q1],
        ["press_mentions"],
    )
    assert points == {
        "press_mentions": [
            KpiPoint(parse_period("2025Q3"), 0.0),
            KpiPoint(Q4_2025, 0.0),
            KpiPoint(Q1, 0.0),
        ]
    }


def test_sum_kpi_after_the_latest_data_and_import_is_none(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Nothing speaks for 2026Q3: the last row and the import are of 2026-06-30."""
    assert value_of(fixture_store, catalog, "press_mentions", Q3) == KpiPoint(Q3, None)


def test_sum_kpi_before_the_first_data_is_none(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Web traffic starts on 2025-12-30: 2025Q3 has no value, not zero."""
    q3_2025 = parse_period("2025Q3")
    assert value_of(fixture_store, catalog, "website_sessions", q3_2025) == KpiPoint(
        q3_2025, None
    )


def test_a_later_import_extends_its_source_coverage(
    loaded: Store, catalog: Catalog
) -> None:
    """A press import made on 2026-08-15 makes 2026Q3 a covered, empty quarter."""
    import_id = add_import(loaded, "press_mentions", datetime(2026, 8, 15, 9, 0))
    loaded.execute(
        "INSERT INTO press_mentions (mention_id, published_on, outlet, import_id)"
        " VALUES ('PM6', DATE '2026-06-02', 'Tech Weekly', ?)",
        [import_id],
    )
    points = evaluate(loaded, catalog, [Q2, Q3], ["press_mentions", "website_sessions"])
    assert points == {
        "press_mentions": [KpiPoint(Q2, 5.0), KpiPoint(Q3, 0.0)],
        "website_sessions": [KpiPoint(Q2, 950.0), KpiPoint(Q3, None)],
    }


def test_ratio_with_zero_denominator_is_none(loaded: Store, catalog: Catalog) -> None:
    """A 2026Q1 campaign that reached nobody gives 0 / 0: no open rate."""
    loaded.execute(
        "INSERT INTO email_campaigns VALUES ('C0', 'Bounced entirely', 'members',"
        " TIMESTAMP '2026-02-03 10:00:00', 40, 0, 0, 0, 0, 40, ?)",
        [fixture_import(loaded)],
    )
    assert value_of(loaded, catalog, "newsletter_open_rate", Q1) == KpiPoint(
        Q1, None, 0.0, 0.0
    )


def test_ratio_point_carries_its_numerator_and_denominator(
    fixture_store: Store, catalog: Catalog
) -> None:
    """The open rate of 2026Q2 is 210 opens over 500 delivered e-mails."""
    assert value_of(fixture_store, catalog, "newsletter_open_rate", Q2) == KpiPoint(
        Q2, 0.42, 210.0, 500.0
    )


def test_kpi_needs_every_one_of_its_sources(loaded: Store, catalog: Catalog) -> None:
    """Without any member data the general-assembly rate has no value."""
    loaded.execute("DELETE FROM members")
    point = value_of(loaded, catalog, "general_assembly_attendance_rate", Q2)
    assert point == KpiPoint(Q2, None)


def test_participation_rate_without_project_data_is_none(
    store: Store, catalog: Catalog
) -> None:
    """The rate reads projects too: without project data it has no value."""
    load_fixture(store, skip=("projects", "project_members"))
    point = value_of(store, catalog, "member_participation_rate", Q2)
    assert point == KpiPoint(Q2, None)


def test_general_assembly_rate_counts_only_members_of_that_day(
    loaded: Store, catalog: Catalog
) -> None:
    """M06, who left on 2026-05-15, comes to the assembly as a guest: still 5 of 9."""
    loaded.execute(
        "INSERT INTO attendance VALUES ('E3', 'M06', 'M06', 'Campus Pro',"
        " false, true, true, ?)",
        [fixture_import(loaded)],
    )
    point = value_of(loaded, catalog, "general_assembly_attendance_rate", Q2)
    assert point == KpiPoint(Q2, pytest.approx(5 / 9), 5.0, 9.0)


# -------------------------------------------------------------------- observations


def add_observation(store: Store, kpi_id: str, period: Period, value: float) -> None:
    import_id = add_import(store, "observations", datetime(2026, 7, 2, 8, 0))
    store.execute(
        "INSERT INTO observations (kpi_id, period_start, period_end, value, note,"
        " import_id) VALUES (?, ?, ?, ?, 'counted by hand', ?)",
        [kpi_id, period.start, period.end, value, import_id],
    )


def test_manual_observation_replaces_the_computed_value(
    loaded: Store, catalog: Catalog
) -> None:
    """A hand count of 7 press mentions for 2026Q2 wins over the 4 in the data."""
    add_observation(loaded, "press_mentions", Q2, 7.0)
    points = evaluate(loaded, catalog, [Q1, Q2], ["press_mentions", "website_sessions"])
    assert points == {
        "press_mentions": [KpiPoint(Q1, 0.0), KpiPoint(Q2, 7.0, manual=True)],
        "website_sessions": [KpiPoint(Q1, 215.0), KpiPoint(Q2, 950.0)],
    }


def test_manual_observation_of_zero_is_kept(loaded: Store, catalog: Catalog) -> None:
    """An observed 0 is a value, not a missing observation."""
    add_observation(loaded, "newsletter_open_rate", Q2, 0.0)
    assert value_of(loaded, catalog, "newsletter_open_rate", Q2) == KpiPoint(
        Q2, 0.0, manual=True
    )


def test_manual_observation_only_replaces_its_exact_period(
    loaded: Store, catalog: Catalog
) -> None:
    """An observation for May 2026 leaves the 2026Q2 value computed."""
    may = parse_period("2026-05")
    add_observation(loaded, "press_mentions", may, 2.0)
    points = evaluate(loaded, catalog, [Q2, may], ["press_mentions"])
    assert points == {
        "press_mentions": [KpiPoint(Q2, 4.0), KpiPoint(may, 2.0, manual=True)]
    }


# --------------------------------------------------------------------- evaluation


def test_evaluate_returns_one_point_per_period_in_order(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Three consecutive quarters give three points, oldest first."""
    points = evaluate(fixture_store, catalog, [Q4_2025, Q1, Q2], ["website_sessions"])
    assert points == {
        "website_sessions": [
            KpiPoint(Q4_2025, 210.0),
            KpiPoint(Q1, 215.0),
            KpiPoint(Q2, 950.0),
        ]
    }


def test_evaluate_keeps_the_requested_order_of_periods(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Periods requested out of calendar order each get their own value."""
    points = evaluate(fixture_store, catalog, [Q2, Q4_2025, Q1], ["website_sessions"])
    assert points == {
        "website_sessions": [
            KpiPoint(Q2, 950.0),
            KpiPoint(Q4_2025, 210.0),
            KpiPoint(Q1, 215.0),
        ]
    }


def test_evaluate_tells_apart_periods_that_start_on_the_same_day(
    fixture_store: Store, catalog: Catalog
) -> None:
    """2026Q1 and the year 2026 both start on 2026-01-01 yet keep their own value."""
    year = parse_period("2026")
    points = evaluate(fixture_store, catalog, [Q1, year], ["website_sessions"])
    assert points == {"website_sessions": [KpiPoint(Q1, 215.0), KpiPoint(year, 1165.0)]}


def test_evaluate_of_a_repeated_period_counts_its_rows_once(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Asking twice for 2026Q2 gives its 950 sessions twice, not 1900."""
    points = evaluate(fixture_store, catalog, [Q2, Q2], ["website_sessions"])
    assert points == {"website_sessions": [KpiPoint(Q2, 950.0), KpiPoint(Q2, 950.0)]}


def test_evaluate_without_kpi_ids_computes_the_whole_catalogue(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Every catalogue KPI comes back, in catalogue order, one point each."""
    points = evaluate(fixture_store, catalog, [Q2])
    periods = {kpi_id: [p.period for p in series] for kpi_id, series in points.items()}
    assert list(periods.items()) == [(kpi_id, [Q2]) for kpi_id in catalog.kpis]


def test_evaluate_of_no_period_gives_empty_series(
    fixture_store: Store, catalog: Catalog
) -> None:
    """Asking for no period yields an empty series per KPI."""
    assert evaluate(fixture_store, catalog, [], ["new_members"]) == {"new_members": []}


# -------------------------------------------------------------- compiled SQL / params


def test_compiled_sql_holds_the_formula_and_period_parameters(catalog: Catalog) -> None:
    """Each KPI's SQL is embedded whole; periods come from $labels, $starts, $ends."""
    for kpi_id, kpi in catalog.kpis.items():
        sql = compile_kpi(kpi)
        body = "\n".join("    " + line for line in kpi.sql.strip().splitlines())
        assert body in sql, kpi_id
        params = ("$labels" in sql, "$starts" in sql, "$ends" in sql)
        assert params == (True, True, True), kpi_id
        assert re.findall(r"\d{4}-\d{2}-\d{2}|\d{4}Q\d", sql) == [], kpi_id


def test_period_params_carry_labels_and_bounds() -> None:
    """Labels and bounds travel as lists of values, never as SQL text."""
    assert period_params([Q1, Q2]) == {
        "labels": ["2026Q1", "2026Q2"],
        "starts": [date(2026, 1, 1), date(2026, 4, 1)],
        "ends": [date(2026, 4, 1), date(2026, 7, 1)],
    }


HOSTILE = "2026Q2'); DROP TABLE members; --"


class HostilePeriod(Period):
    """2026Q2 under a label crafted to break out of a string literal."""

    @property
    def label(self) -> str:
        return HOSTILE


def test_hostile_period_label_is_data_not_sql(loaded: Store, catalog: Catalog) -> None:
    """A label with SQL in it is only a value: KPIs compute and tables stay intact."""
    hostile = HostilePeriod(Q2.start, Q2.grain)
    tables = loaded.table_names()
    points = evaluate(loaded, catalog, [hostile], ["active_members", "new_members"])
    assert points == {
        "active_members": [KpiPoint(hostile, 9.0)],
        "new_members": [KpiPoint(hostile, 3.0)],
    }
    sql = compile_kpi(catalog.kpi("new_members"))
    frame = loaded.query(sql, period_params([hostile]))
    assert frame.to_dict("records") == [{"period": HOSTILE, "value": 3}]
    assert (loaded.table_names(), loaded.scalar("SELECT count(*) FROM members")) == (
        tables,
        12,
    )
