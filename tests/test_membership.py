"""Tests for clusterkpi.membership against the fixture cluster, and the engine on the demo."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.engine import evaluate
from clusterkpi.membership import (
    FLOW_COLUMNS,
    HOME_COUNTRY_SQL,
    MEMBER_TYPES,
    SME_TYPES,
    Geography,
    PlaceCount,
    TypeCount,
    TypeMix,
    count_by_place,
    count_by_type,
    count_flows,
)
from clusterkpi.periods import Period, parse_period, periods_between
from clusterkpi.store import Store
from tests.demo_db import make_demo_db
from tests.fixture_db import load_fixture

Q2 = parse_period("2026Q2")
COUNTS = [
    "period",
    "members_start",
    "joins",
    "leaves",
    "members_end",
    "retained",
    "churned",
]

# tests/data/fixture/members.csv, read by hand. A member is in on day d when
# joined_on <= d < left_on. Twelve members: M01 sme FR 2024-03-01, M02 startup FR
# 2024-05-15, M03 large_company FR 2024-09-01, M04 research_lab BE 2025-01-10,
# M05 sme BE 2025-02-20 → 2026-07-01, M06 training_centre FR 2025-06-01 → 2026-05-15,
# M07 startup FR 2025-07-01 → 2026-06-30, M08 public_body FR 2025-11-05 → 2026-02-10,
# M09 sme FR 2026-02-01, M10 sme BE 2026-04-01, M11 association FR 2026-05-20,
# M12 startup BE 2026-06-30.
QUARTERS = [
    # period, members_start, joins, leaves, members_end, retained, churned
    ("2025Q3", 6, 1, 0, 7, 6, 0),  # M01-M06 in; M07 joins
    ("2025Q4", 7, 1, 0, 8, 7, 0),  # M08 joins
    ("2026Q1", 8, 1, 1, 8, 7, 1),  # M09 joins, M08 leaves
    ("2026Q2", 8, 3, 2, 9, 6, 2),  # M10-M12 join; M06, M07 leave (M05 still in)
    ("2026Q3", 9, 0, 1, 8, 8, 1),  # M05 leaves on 07-01
]
QUARTER_RATES = [(1.0, 0.0), (1.0, 0.0), (7 / 8, 1 / 8), (6 / 8, 2 / 8), (8 / 9, 1 / 9)]


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture cluster, loaded once and only read."""
    db = Store(tmp_path_factory.mktemp("membership") / "fixture.duckdb")
    load_fixture(db)
    yield db
    db.close()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo cluster (about 300 members since 2008), built once and only read."""
    db = Store(make_demo_db(tmp_path_factory.mktemp("membership") / "demo.duckdb"))
    yield db
    db.close()


def counts(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return list(frame[COUNTS].itertuples(index=False, name=None))


def rates(frame: pd.DataFrame) -> list[float]:
    """(retention, churn) of each period, flattened for pytest.approx."""
    return [
        v for pair in zip(frame["retention"], frame["churn"], strict=True) for v in pair
    ]


def flat(pairs: list[tuple[float, float]]) -> list[float]:
    return [v for pair in pairs for v in pair]


def quarters(first: str, last: str) -> list[Period]:
    return periods_between(parse_period(first), parse_period(last))


def test_flows_per_quarter_match_the_fixture_counted_by_hand(
    fixture_store: Store,
) -> None:
    frame = count_flows(fixture_store, quarters("2025Q3", "2026Q3"))
    assert list(frame.columns) == list(FLOW_COLUMNS)
    assert counts(frame) == QUARTERS
    assert rates(frame) == pytest.approx(flat(QUARTER_RATES))
    assert list(frame["period_start"].dt.date) == [
        date(2025, 7, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
    ]
    assert list(frame["period_end"].dt.date)[-1] == date(2026, 10, 1)


def test_flows_per_month_and_per_year(fixture_store: Store) -> None:
    months = count_flows(fixture_store, quarters("2026-05", "2026-06"))
    # May: M11 joins, M06 leaves; June: M12 joins, M07 leaves on the 30th.
    assert counts(months) == [
        ("2026-05", 9, 1, 1, 9, 8, 1),
        ("2026-06", 9, 1, 1, 9, 8, 1),
    ]
    years = count_flows(fixture_store, quarters("2025", "2026"))
    # 2025: M04-M08 join, nobody leaves; 2026: M09-M12 join, M05-M08 leave.
    assert counts(years) == [("2025", 3, 5, 0, 8, 3, 0), ("2026", 8, 4, 4, 8, 4, 4)]
    assert rates(years) == pytest.approx([1.0, 0.0, 0.5, 0.5])


def test_member_type_filter_counts_only_those_types(fixture_store: Store) -> None:
    frame = count_flows(fixture_store, quarters("2026Q1", "2026Q2"), ["sme", "startup"])
    # SMEs and start-ups: M01, M02, M05, M07, M09, M10, M12.
    assert counts(frame) == [("2026Q1", 4, 1, 0, 5, 4, 0), ("2026Q2", 5, 2, 1, 6, 4, 1)]
    assert rates(frame) == pytest.approx([1.0, 0.0, 0.8, 0.2])


def test_an_empty_type_list_counts_nobody(fixture_store: Store) -> None:
    frame = count_flows(fixture_store, [Q2], [])
    assert counts(frame) == [("2026Q2", 0, 0, 0, 0, 0, 0)]
    assert math.isnan(frame["retention"][0]) and math.isnan(frame["churn"][0])


def test_retention_is_nan_when_nobody_was_a_member_before(fixture_store: Store) -> None:
    frame = count_flows(fixture_store, quarters("2023Q4", "2024Q1"))
    assert counts(frame) == [("2023Q4", 0, 0, 0, 0, 0, 0), ("2024Q1", 0, 1, 0, 1, 0, 0)]
    assert frame["retention"].isna().tolist() == [True, True]


def test_each_period_is_counted_once_in_date_order(fixture_store: Store) -> None:
    q1, q3 = parse_period("2026Q1"), parse_period("2026Q3")
    frame = count_flows(fixture_store, [q3, q1, q3])
    assert list(frame["period"]) == ["2026Q1", "2026Q3"]


def test_no_period_gives_an_empty_frame_with_every_column(fixture_store: Store) -> None:
    frame = count_flows(fixture_store, [])
    assert (list(frame.columns), len(frame)) == (list(FLOW_COLUMNS), 0)


def test_an_unknown_member_type_is_refused(fixture_store: Store) -> None:
    with pytest.raises(ValueError, match=r"Unknown member types \['SME'\]"):
        count_flows(fixture_store, [Q2], ["sme", "SME"])


def test_type_mix_on_the_last_day_of_2026q2(fixture_store: Store) -> None:
    assert count_by_type(fixture_store, Q2) == TypeMix(
        period=Q2,
        total=9,
        sme_members=6,
        types=(
            TypeCount("sme", 4, 4 / 9),
            TypeCount("startup", 2, 2 / 9),
            TypeCount("large_company", 1, 1 / 9),
            TypeCount("research_lab", 1, 1 / 9),
            TypeCount("association", 1, 1 / 9),
        ),
    )
    assert count_by_type(fixture_store, Q2).sme_share == pytest.approx(2 / 3)


def test_type_mix_with_a_filter_and_without_members(fixture_store: Store) -> None:
    mix = count_by_type(fixture_store, Q2, ["sme", "research_lab"])
    assert mix == TypeMix(
        Q2, 5, 4, (TypeCount("sme", 4, 4 / 5), TypeCount("research_lab", 1, 1 / 5))
    )
    empty = count_by_type(fixture_store, parse_period("2023"))
    assert (empty, empty.sme_share) == (TypeMix(parse_period("2023"), 0, 0, ()), None)


def test_geography_on_the_last_day_of_2026q2(fixture_store: Store) -> None:
    assert count_by_place(fixture_store, Q2) == Geography(
        period=Q2,
        home_country="FR",
        total=9,
        international=4,
        countries=(PlaceCount("FR", None, 5, 5 / 9), PlaceCount("BE", None, 4, 4 / 9)),
        regions=(
            PlaceCount("FR", "Occitanie", 5, 5 / 9),
            PlaceCount("BE", "Wallonie", 3, 3 / 9),
            PlaceCount("BE", "Bruxelles", 1, 1 / 9),
        ),
    )


def test_geography_filtered_and_empty(fixture_store: Store) -> None:
    geo = count_by_place(fixture_store, Q2, ["startup"])
    # Start-ups on 2026-06-30: M02 (FR) and M12 (BE); M07 left that day.
    assert (geo.total, geo.international, geo.international_share) == (2, 1, 0.5)
    empty = count_by_place(fixture_store, parse_period("2023"))
    assert empty == Geography(parse_period("2023"), "FR", 0, 0, (), ())
    assert empty.international_share is None


def test_home_country_comes_from_the_positioning(store: Store) -> None:
    load_fixture(store)
    store.execute(
        "INSERT INTO positioning (cluster_name, home_country) VALUES ('Test', 'BE')"
    )
    geo = count_by_place(store, Q2)
    assert (geo.home_country, geo.international, geo.international_share) == (
        "BE",
        5,
        pytest.approx(5 / 9),
    )


def test_member_types_are_the_values_the_schema_accepts(store: Store) -> None:
    insert = (
        "INSERT INTO members (member_id, name, member_type, country, joined_on,"
        " import_id) VALUES (?, 'x', ?, 'FR', DATE '2026-01-01', 0)"
    )
    for kind in MEMBER_TYPES:
        store.execute(insert, [kind, kind])
    with pytest.raises(Exception, match="CHECK constraint"):
        store.execute(insert, ["other", "other"])
    assert store.rows("SELECT member_type FROM members") == [(k,) for k in MEMBER_TYPES]


def test_sme_and_home_country_rules_are_the_catalogue_kpis(catalog: Catalog) -> None:
    def squash(sql: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"\(\s+", "(", sql))

    sme_sql = squash(catalog.kpis["sme_share"].sql)
    assert f"m.member_type IN {SME_TYPES}" in sme_sql
    assert HOME_COUNTRY_SQL in squash(catalog.kpis["international_members_share"].sql)


@pytest.mark.parametrize(
    ("first", "last"),
    [("2009Q1", "2026Q3"), ("2024-01", "2026-10"), ("2009", "2025")],
)
def test_flows_agree_with_the_engine_on_the_demo(
    demo_store: Store, catalog: Catalog, first: str, last: str
) -> None:
    periods = quarters(first, last)
    frame = count_flows(demo_store, periods)
    kpis = [
        "active_members",
        "new_members",
        "member_retention_rate",
        "member_churn_rate",
    ]
    points = evaluate(demo_store, catalog, periods, kpis)
    assert [p.value for p in points["active_members"]] == list(frame["members_end"])
    assert [p.value for p in points["new_members"]] == list(frame["joins"])
    retention, churn = points["member_retention_rate"], points["member_churn_rate"]
    assert [(p.numerator, p.denominator) for p in retention] == list(
        zip(frame["retained"], frame["members_start"], strict=True)
    )
    assert [(p.numerator, p.denominator) for p in churn] == list(
        zip(frame["churned"], frame["members_start"], strict=True)
    )
    assert [p.value for p in retention] == pytest.approx(list(frame["retention"]))
    assert [p.value for p in churn] == pytest.approx(list(frame["churn"]))
    assert sum(frame["leaves"]) > 0 and frame["members_start"].min() > 0


def test_stock_shares_agree_with_the_engine_on_the_demo(
    demo_store: Store, catalog: Catalog
) -> None:
    periods = quarters("2012Q4", "2026Q3")[::6]
    kpis = ["sme_share", "international_members_share"]
    points = evaluate(demo_store, catalog, periods, kpis)
    mixes = [count_by_type(demo_store, p) for p in periods]
    places = [count_by_place(demo_store, p) for p in periods]
    assert [(p.numerator, p.denominator) for p in points["sme_share"]] == [
        (m.sme_members, m.known) for m in mixes
    ]
    assert [
        (p.numerator, p.denominator) for p in points["international_members_share"]
    ] == [(g.international, g.known) for g in places]
    assert all(g.international > 0 for g in places)


def test_whole_history_at_every_grain_stays_consistent(demo_store: Store) -> None:
    frame = count_flows(demo_store, quarters("2008-01", "2026-10"))
    # Each period starts where the previous one ended, and moves by joins - leaves.
    assert list(frame["members_start"][1:]) == list(frame["members_end"][:-1])
    moved = frame["members_start"] + frame["joins"] - frame["leaves"]
    assert list(moved) == list(frame["members_end"])


Q1 = parse_period("2026Q1")


def _members_with_unknowns(store: Store) -> None:
    rows = [
        ("U1", "sme", "FR"), ("U2", "startup", "BE"), ("U3", "large_company", None),
        ("U4", None, "FR"), ("U5", None, None), ("U6", None, "ES"),
    ]  # fmt: skip
    for member_id, kind, country in rows:
        store.execute(
            "INSERT INTO members (member_id, name, member_type, country, joined_on,"
            " import_id) VALUES (?, ?, ?, ?, DATE '2026-01-05', 0)",
            [member_id, member_id, kind, country],
        )


def test_members_of_unknown_type_are_counted_apart(
    store: Store, catalog: Catalog
) -> None:
    _members_with_unknowns(store)
    mix = count_by_type(store, Q1)
    # Six members: three of unknown type; the SMEs (U1, U2) over the three known,
    # and each type's share over the same base.
    assert mix == TypeMix(
        period=Q1,
        total=6,
        sme_members=2,
        types=(
            TypeCount("sme", 1, 1 / 3),
            TypeCount("startup", 1, 1 / 3),
            TypeCount("large_company", 1, 1 / 3),
        ),
        unknown=3,
    )
    assert (mix.known, mix.sme_share) == (3, pytest.approx(2 / 3))
    [point] = evaluate(store, catalog, [Q1], ["sme_share"])["sme_share"]
    assert (point.numerator, point.denominator) == (2, 3)


def test_members_of_unknown_country_are_counted_apart(
    store: Store, catalog: Catalog
) -> None:
    _members_with_unknowns(store)
    geo = count_by_place(store, Q1)
    # Four members of known country: U1, U4 in France, U2 in Belgium, U6 in Spain.
    assert geo == Geography(
        period=Q1,
        home_country="FR",
        total=6,
        international=2,
        countries=(
            PlaceCount("FR", None, 2, 2 / 6),
            PlaceCount("BE", None, 1, 1 / 6),
            PlaceCount("ES", None, 1, 1 / 6),
        ),
        regions=(),
        unknown=2,
    )
    assert geo.international_share == pytest.approx(2 / 4)
    kpi = "international_members_share"
    [point] = evaluate(store, catalog, [Q1], [kpi])[kpi]
    assert (point.numerator, point.denominator) == (2, 4)


def test_only_members_of_unknown_type_give_no_sme_share(
    store: Store, catalog: Catalog
) -> None:
    store.execute(
        "INSERT INTO members (member_id, name, member_type, country, joined_on,"
        " import_id) VALUES ('U', 'U', NULL, NULL, DATE '2026-01-05', 0)"
    )
    mix = count_by_type(store, Q1)
    assert (mix.total, mix.unknown, mix.sme_share) == (1, 1, None)
    [point] = evaluate(store, catalog, [Q1], ["sme_share"])["sme_share"]
    assert point.value is None
