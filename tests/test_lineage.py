"""Tests for clusterkpi.lineage: the SQL shown for a KPI and the imports feeding it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from clusterkpi.catalog import Aggregation, Catalog, Kpi
from clusterkpi.engine import compile_kpi, coverage, data_span, evaluate, period_params
from clusterkpi.imports.importer import EventChoice
from clusterkpi.imports.loading import KEYS, undo_import
from clusterkpi.lineage import (
    ROWS_IN_RANGE,
    FeedingImport,
    feeding_imports,
    kpi_sql,
    kpi_tables,
)
from clusterkpi.periods import Grain, Period
from clusterkpi.store import Store
from tests.demo_db import make_demo_db
from tests.import_helpers import load

WORKSHOP = EventChoice(title="Atelier IA et agroalimentaire", held_on=date(2026, 2, 12))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def fed(store: Store, import_id: int, **rows: int) -> FeedingImport:
    """The expected entry of one import, its details read from the imports table."""
    head = store.rows(
        "SELECT import_id, file_name, source, imported_at, imported_by, status"
        " FROM imports WHERE import_id = ?",
        [import_id],
    )[0]
    return FeedingImport(*head, rows=rows)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo cluster with its strategy (one import, source 'demo'), read only."""
    store = Store(make_demo_db(tmp_path_factory.mktemp("lineage") / "demo.duckdb"))
    yield store
    store.close()


@pytest.fixture
def campaigns(store: Store) -> tuple[int, int]:
    """Q1 campaigns, then a file that replaces the March one and adds April and May."""
    first = load(store, "mailchimp/campaigns.csv")
    second = load(store, "mailchimp/campaigns_2026-05.csv")
    assert (first.status, second.status) == ("loaded", "loaded")
    return first.import_id, second.import_id


def test_feeding_imports_are_those_with_rows_in_the_range(
    store: Store, catalog: Catalog, campaigns: tuple[int, int]
) -> None:
    first, second = campaigns
    assert feeding_imports(store, catalog, "newsletter_open_rate", *Q1) == [
        fed(store, second, email_campaigns=1),
        fed(store, first, email_campaigns=3),
    ]
    assert feeding_imports(store, catalog, "newsletter_open_rate", *Q2) == [
        fed(store, second, email_campaigns=2)
    ]


def test_an_import_whose_rows_are_outside_the_range_is_left_out(
    store: Store, catalog: Catalog, campaigns: tuple[int, int]
) -> None:
    first, second = campaigns
    autumn = load(store, "mailchimp/campaigns_2026Q3.csv").import_id
    assert feeding_imports(store, catalog, "newsletter_click_rate", *Q1) == [
        fed(store, second, email_campaigns=1),
        fed(store, first, email_campaigns=3),
    ]
    assert feeding_imports(store, catalog, "newsletter_click_rate", *Q3) == [
        fed(store, autumn, email_campaigns=2)
    ]


def test_an_undone_import_feeds_nothing(
    store: Store, catalog: Catalog, campaigns: tuple[int, int]
) -> None:
    first, second = campaigns
    undo_import(store, second, "animator")
    # The March and April campaigns the undone import had replaced are back with the
    # first import; its May campaign is gone.
    assert feeding_imports(store, catalog, "newsletter_open_rate", *Q1) == [
        fed(store, first, email_campaigns=4)
    ]
    assert feeding_imports(store, catalog, "newsletter_open_rate", *Q2) == [
        fed(store, first, email_campaigns=1)
    ]


def test_a_manual_observation_feeds_its_own_kpi_only(
    store: Store, catalog: Catalog, campaigns: tuple[int, int]
) -> None:
    _, second = campaigns
    values = load(store, "templates/valeurs.csv", load_valid_rows=True).import_id
    assert feeding_imports(store, catalog, "member_nps", *Q2) == [
        fed(store, values, observations=1)
    ]
    assert feeding_imports(store, catalog, "member_nps", *Q1) == []
    assert feeding_imports(store, catalog, "newsletter_open_rate", *Q2) == [
        fed(store, second, email_campaigns=2)
    ]


def test_attendance_rows_feed_the_event_kpis_with_their_event(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "eventbrite/attendees.csv", event=WORKSHOP)
    assert feeding_imports(store, catalog, "event_attendance_rate", *Q1) == [
        fed(store, report.import_id, events=1, attendance=7)
    ]
    assert feeding_imports(store, catalog, "event_attendance_rate", *Q2) == []


def test_members_feed_every_range_they_were_members_in(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "helloasso/export-adhesions-2026.csv")
    assert feeding_imports(
        store, catalog, "active_members", date(2025, 6, 1), date(2025, 6, 30)
    ) == [fed(store, report.import_id, members=1)]
    assert feeding_imports(store, catalog, "active_members", *Q1) == [
        fed(store, report.import_id, members=5)
    ]
    assert (
        feeding_imports(
            store, catalog, "active_members", date(2024, 1, 1), date(2024, 12, 31)
        )
        == []
    )


def test_the_demo_import_feeds_a_kpi_with_its_row_counts(
    demo: Store, catalog: Catalog
) -> None:
    expected = demo.rows(
        "SELECT count(*) FROM email_campaigns WHERE sent_at >= DATE '2026-01-01'"
        " AND sent_at < DATE '2026-04-01'"
    )[0][0]
    assert expected > 0
    assert feeding_imports(demo, catalog, "newsletter_open_rate", *Q1) == [
        fed(demo, 1, email_campaigns=expected)
    ]


def test_an_unknown_kpi_raises_key_error(store: Store, catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="open_rate"):
        feeding_imports(store, catalog, "open_rate", *Q1)


def test_kpi_tables_are_its_sources_the_tables_it_reads_and_observations(
    catalog: Catalog,
) -> None:
    assert kpi_tables(catalog.kpi("member_participation_rate")) == [
        "members",
        "events",
        "attendance",
        "projects",
        "project_members",
        "observations",
    ]
    assert kpi_tables(catalog.kpi("website_sessions")) == [
        "web_traffic",
        "observations",
    ]


def test_every_imported_table_a_kpi_reads_has_a_range_rule(catalog: Catalog) -> None:
    missing = {
        (kpi_id, table)
        for kpi_id, kpi in catalog.kpis.items()
        for table in KEYS
        if re.search(rf"\b{table}\b", kpi.sql) and table not in ROWS_IN_RANGE
    }
    assert missing == set()
    read = {t for kpi in catalog.kpis.values() for t in kpi_tables(kpi)}
    assert read == set(ROWS_IN_RANGE)


def test_kpi_sql_is_the_engine_sql_apart_from_whitespace(catalog: Catalog) -> None:
    for kpi in catalog.kpis.values():
        assert kpi_sql(kpi).split() == compile_kpi(kpi).split()


def test_kpi_sql_lays_out_a_formula_indented_as_a_whole(catalog: Catalog) -> None:
    indented = catalog.kpi("new_members").model_copy(
        update={
            "sql": "\n      SELECT p.period, count(m.member_id) AS value  \n"
            "      FROM periods AS p\n\n\n"
            "      JOIN members AS m\n"
            "        ON m.joined_on >= p.period_start AND m.joined_on < p.period_end\n"
            "      GROUP BY p.period\n"
        }
    )
    assert kpi_sql(indented) == (
        "WITH periods AS (\n"
        "    SELECT unnest($labels) AS period,\n"
        "           unnest($starts)::DATE AS period_start,\n"
        "           unnest($ends)::DATE AS period_end\n"
        "),\n"
        "kpi AS (\n"
        "    SELECT p.period, count(m.member_id) AS value\n"
        "    FROM periods AS p\n"
        "\n"
        "    JOIN members AS m\n"
        "      ON m.joined_on >= p.period_start AND m.joined_on < p.period_end\n"
        "    GROUP BY p.period\n"
        ")\n"
        "SELECT periods.period, kpi.* EXCLUDE (period)\n"
        "FROM periods LEFT JOIN kpi USING (period)\n"
        "ORDER BY periods.period_start"
    )


def _value(kpi: Kpi, row: tuple) -> float | None:
    """The engine's reading of one row of the KPI's own SQL (the oracle)."""
    if kpi.aggregation is Aggregation.RATIO:
        num, den = row[1], row[2]
        return None if num is None or not den else float(num) / float(den)
    if row[1] is None:
        return 0.0 if kpi.aggregation is Aggregation.SUM else None
    return float(row[1])


def test_running_kpi_sql_gives_the_values_the_engine_reports(
    demo: Store, catalog: Catalog
) -> None:
    store = demo
    first, last = data_span(store, catalog)
    periods = [Period(date(first.year, 1, 1), Grain.QUARTER)]
    while periods[-1].end <= last:
        periods.append(periods[-1].shift(1))
    spans = coverage(store, catalog)
    engine = evaluate(store, catalog, periods)
    compared = 0
    for kpi_id, kpi in catalog.kpis.items():
        rows = store.rows(kpi_sql(kpi), period_params(periods))
        mine = [
            _value(kpi, row)
            if all(s in spans and spans[s].covers(p) for s in kpi.sources)
            else None
            for p, row in zip(periods, rows, strict=True)
        ]
        assert [p.value for p in engine[kpi_id]] == pytest.approx(mine), kpi_id
        compared += sum(v is not None for v in mine)
    assert compared > 20 * len(catalog.kpis)  # most points hold a value
