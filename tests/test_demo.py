"""Tests of the demo cluster generator."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.demo import (
    COLUMNS,
    DATE_COLUMNS,
    END_COLUMNS,
    DemoScale,
    generate_demo,
    load_demo,
)
from clusterkpi.store import Store

TODAY = date(2026, 11, 26)
MEMBER_TYPES = {
    "sme",
    "large_company",
    "startup",
    "research_lab",
    "training_centre",
    "funder",
    "public_body",
    "association",
}
PERIOD_2026Q2 = (
    "WITH periods AS (SELECT * FROM (VALUES ('2026Q2', DATE '2026-04-01',"
    " DATE '2026-07-01')) t(period, period_start, period_end)),"
    " kpi AS ({sql}) SELECT * FROM kpi"
)


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_demo(TODAY)


def cut(frames: dict[str, pd.DataFrame], until: date) -> dict[str, pd.DataFrame]:
    """The frames as on ``until``: later rows out, later end dates unknown."""
    last = np.datetime64(until) + np.timedelta64(1, "D")
    out = {}
    for table, frame in frames.items():
        if table in DATE_COLUMNS:
            frame = frame[frame[DATE_COLUMNS[table]] < last]
        frame = frame.reset_index(drop=True)
        if table in END_COLUMNS:
            end = END_COLUMNS[table]
            frame[end] = frame[end].where(frame[end] < last)
        out[table] = frame
    for table, key, parent in (
        ("attendance", "event_id", "events"),
        ("project_members", "project_id", "projects"),
    ):
        kept = out[table][key].isin(out[parent][key])
        out[table] = out[table][kept].reset_index(drop=True)
    return out


def test_generation_is_deterministic(frames: dict[str, pd.DataFrame]) -> None:
    again = generate_demo(TODAY)
    assert {t: again[t].equals(f) for t, f in frames.items()} == dict.fromkeys(
        COLUMNS, True
    )


def test_another_seed_gives_another_cluster(frames: dict[str, pd.DataFrame]) -> None:
    other = generate_demo(TODAY, seed=7)
    assert other["members"].equals(frames["members"]) is False


def test_frames_have_the_table_columns(frames: dict[str, pd.DataFrame]) -> None:
    assert {t: tuple(f.columns) for t, f in frames.items()} == COLUMNS


def test_earlier_rows_do_not_depend_on_until(frames: dict[str, pd.DataFrame]) -> None:
    until = date(2024, 3, 31)
    earlier = generate_demo(until)
    expected = cut(frames, until)
    assert {t: earlier[t].equals(expected[t]) for t in COLUMNS} == dict.fromkeys(
        COLUMNS, True
    )


def test_earlier_rows_do_not_depend_on_until_at_another_scale() -> None:
    scale = DemoScale(members=80, start=date(2019, 5, 17), activity=0.5)
    until = date(2022, 12, 31)
    earlier = generate_demo(until, seed=5, scale=scale)
    expected = cut(generate_demo(date(2024, 2, 29), seed=5, scale=scale), until)
    assert {t: earlier[t].equals(expected[t]) for t in COLUMNS} == dict.fromkeys(
        COLUMNS, True
    )


def test_nothing_is_dated_after_until(frames: dict[str, pd.DataFrame]) -> None:
    last = pd.Timestamp(TODAY) + pd.Timedelta(days=1)
    columns = [*DATE_COLUMNS.items(), *END_COLUMNS.items()]
    latest = {(t, c): bool((frames[t][c].dropna() < last).all()) for t, c in columns}
    assert latest == dict.fromkeys(latest, True)


def test_load_demo_stores_every_frame_under_one_import(
    store: Store, frames: dict[str, pd.DataFrame]
) -> None:
    counts = load_demo(store, TODAY)
    assert counts == {t: len(f) for t, f in frames.items()}
    stored = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in COLUMNS}
    assert stored == counts
    imports = store.rows(
        "SELECT import_id, source, file_name, imported_by, rows_added FROM imports"
    )
    assert imports == [(1, "demo", "demo-cluster", "demo", sum(counts.values()))]
    lineage = {
        t: store.rows(f"SELECT DISTINCT import_id FROM {t}")
        for t, n in counts.items()
        if n
    }
    assert lineage == {t: [(1,)] for t, n in counts.items() if n}


def test_members_are_believable(frames: dict[str, pd.DataFrame]) -> None:
    members = frames["members"]
    day = pd.Timestamp(2026, 6, 30)
    active = (members.joined_on <= day) & (
        members.left_on.isna() | (members.left_on > day)
    )
    types = set(members.member_type)
    assert 150 <= active.sum() <= 250
    assert (types <= MEMBER_TYPES, len(types) >= 6) == (True, True)
    assert members.member_id.is_unique and members.name.is_unique


def test_attendees_are_unique_per_event(frames: dict[str, pd.DataFrame]) -> None:
    attendance = frames["attendance"]
    assert attendance.duplicated(["event_id", "attendee_key"]).sum() == 0


def test_every_kpi_has_a_value_for_2026q2(store: Store, catalog: Catalog) -> None:
    load_demo(store, TODAY)
    missing = []
    for kpi_id, kpi in catalog.kpis.items():
        # Through the engine's wrapper: formulas read its day relations (#12).
        from clusterkpi.engine import compile_kpi, period_params
        from clusterkpi.periods import parse_period

        row = store.query(compile_kpi(kpi), period_params([parse_period("2026Q2")]))
        if "value" in row:
            value = row.value
        else:
            value = row.numerator / row.denominator.where(row.denominator != 0)
        if len(row) != 1 or value.isna().any():
            missing.append(kpi_id)
    assert missing == []
