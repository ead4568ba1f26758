"""Tests for the strategy: default horizons, validation messages, storage round trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from clusterkpi import strategy as strategy_module
from clusterkpi.catalog import Catalog, Unit
from clusterkpi.errors import StrategyError
from clusterkpi.store import Store
from clusterkpi.strategy import (
    Horizon,
    KpiTarget,
    Positioning,
    Strategy,
    default_horizons,
    load_strategy_file,
    parse_strategy,
    read_strategy,
    save_strategy,
    strategy_history,
    target_history,
)

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)
HORIZONS = {"short": "2027-12-31", "medium": "2031-12-31", "long": "2036-12-31"}
HORIZON_DATES = {
    Horizon.SHORT: date(2027, 12, 31),
    Horizon.MEDIUM: date(2031, 12, 31),
    Horizon.LONG: date(2036, 12, 31),
}
OPEN_RATE = {
    "baseline_value": 0.2,
    "baseline_date": "2026-01-01",
    "weight": 2,
    "short": 0.22,
    "medium": 0.25,
    "long": 0.3,
}
RATE_FIX = "is not a rate between 0 and 1. Fix: write 25 % as 0.25."


def raw_strategy(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "positioning": {"cluster_name": "Cluster Test", "mission": "Connect makers."},
        "horizons": dict(HORIZONS),
        "targets": {
            "newsletter_open_rate": dict(OPEN_RATE),
            "member_nps": {"tracked": False},
        },
    }
    raw.update(changes)
    return raw


def issues_of(raw: Any, catalog: Catalog) -> list[str]:
    with pytest.raises(StrategyError) as info:
        parse_strategy(raw, catalog, TODAY)
    return info.value.issues


def test_default_horizons_end_next_year_then_five_and_ten_years_later() -> None:
    assert default_horizons(TODAY) == HORIZON_DATES


def test_valid_strategy_parses_to_its_models(catalog: Catalog) -> None:
    assert parse_strategy(raw_strategy(), catalog, TODAY) == Strategy(
        positioning=Positioning(cluster_name="Cluster Test", mission="Connect makers."),
        horizons=HORIZON_DATES,
        targets={
            "newsletter_open_rate": KpiTarget(
                baseline_value=0.2,
                baseline_date=date(2026, 1, 1),
                weight=2.0,
                short=0.22,
                medium=0.25,
                long=0.3,
            ),
            "member_nps": KpiTarget(tracked=False),
        },
    )


def test_missing_horizons_default_from_today(catalog: Catalog) -> None:
    raw = raw_strategy()
    del raw["horizons"]
    assert parse_strategy(raw, catalog, TODAY).horizons == HORIZON_DATES


def test_strategy_that_is_not_a_mapping_is_rejected(catalog: Catalog) -> None:
    assert issues_of(["positioning"], catalog) == [
        "The strategy must be a mapping with positioning, horizons and targets."
    ]


def test_target_for_an_unknown_kpi_is_reported(catalog: Catalog) -> None:
    raw = raw_strategy(targets={"open_rate": dict(OPEN_RATE)})
    assert issues_of(raw, catalog) == [
        "targets.open_rate: no such KPI in the catalogue."
    ]


def test_tracked_kpi_without_every_target_is_reported(catalog: Catalog) -> None:
    partial = {"baseline_value": 0.2, "baseline_date": "2026-01-01", "short": 0.22}
    raw = raw_strategy(targets={"newsletter_open_rate": partial})
    assert issues_of(raw, catalog) == [
        "targets.newsletter_open_rate: medium, long missing. Fix: a tracked KPI needs "
        "a baseline (value and date) and a target per horizon."
    ]


def test_untracked_kpi_needs_no_targets(catalog: Catalog) -> None:
    raw = raw_strategy(targets={"newsletter_open_rate": {"tracked": False}})
    assert parse_strategy(raw, catalog, TODAY).targets == {
        "newsletter_open_rate": KpiTarget(tracked=False)
    }


def test_rate_target_written_in_percent_is_reported(catalog: Catalog) -> None:
    raw = raw_strategy(targets={"newsletter_open_rate": {**OPEN_RATE, "short": 25}})
    assert issues_of(raw, catalog) == [
        f"targets.newsletter_open_rate.short: 25.0 {RATE_FIX}"
    ]


def test_count_target_above_one_is_accepted(catalog: Catalog) -> None:
    counts = {
        **OPEN_RATE,
        "baseline_value": 120,
        "short": 130,
        "medium": 160,
        "long": 200,
    }
    raw = raw_strategy(targets={"active_members": counts})
    assert parse_strategy(raw, catalog, TODAY).targets["active_members"].long == 200.0


def test_fractional_count_target_and_baseline_are_reported(catalog: Catalog) -> None:
    partners = {
        **OPEN_RATE,
        "baseline_value": 2.5,
        "short": 3,
        "medium": 3.5,
        "long": 4,
    }
    raw = raw_strategy(targets={"new_partners": partners})
    assert issues_of(raw, catalog) == [
        "targets.new_partners.baseline_value: 2.5 is not a whole number, and"
        " new_partners counts things. Fix: write a whole number.",
        "targets.new_partners.medium: 3.5 is not a whole number, and"
        " new_partners counts things. Fix: write a whole number.",
    ]


def test_fractional_count_of_an_untracked_kpi_is_reported(catalog: Catalog) -> None:
    raw = raw_strategy(targets={"new_partners": {"tracked": False, "short": 2.5}})
    issue = issues_of(raw, catalog)[0]
    assert (issue.code, issue.params) == (
        "count_whole",
        {"kpi": "new_partners", "field": "short", "value": 2.5},
    )


def test_fractional_score_target_is_accepted(catalog: Catalog) -> None:
    nps = {**OPEN_RATE, "baseline_value": 29.5, "short": 32.5, "medium": 38, "long": 45}
    raw = raw_strategy(targets={"member_nps": nps})
    assert parse_strategy(raw, catalog, TODAY).targets["member_nps"].short == 32.5


def test_demo_strategy_sets_whole_numbers_for_every_count(catalog: Catalog) -> None:
    demo = load_strategy_file(ROOT / "data" / "demo_strategy.yaml", catalog, TODAY)
    fractional = [
        (kpi_id, name, getattr(target, name))
        for kpi_id, target in demo.targets.items()
        if catalog.kpis[kpi_id].unit is Unit.COUNT
        for name in ("baseline_value", "short", "medium", "long")
        if not float(getattr(target, name)).is_integer()
    ]
    counts = [k for k in demo.targets if catalog.kpis[k].unit is Unit.COUNT]
    assert (len(counts), fractional) == (14, [])


def test_horizons_out_of_order_are_reported(catalog: Catalog) -> None:
    swapped = {"short": "2031-12-31", "medium": "2027-12-31", "long": "2036-12-31"}
    raw = raw_strategy(horizons=swapped, targets={})
    assert issues_of(raw, catalog) == [
        "horizons: dates must increase from short to medium to long."
    ]


def test_missing_horizon_is_reported(catalog: Catalog) -> None:
    raw = raw_strategy(horizons={"short": "2027-12-31", "medium": "2031-12-31"})
    assert issues_of(raw, catalog) == [
        "horizons: long missing. Fix: give all three dates."
    ]


def test_baseline_date_after_the_short_horizon_is_reported(catalog: Catalog) -> None:
    late = {**OPEN_RATE, "baseline_date": "2028-01-01"}
    raw = raw_strategy(targets={"newsletter_open_rate": late})
    assert issues_of(raw, catalog) == [
        "targets.newsletter_open_rate: the baseline date must come before the short "
        "horizon."
    ]


def test_extra_key_is_rejected(catalog: Catalog) -> None:
    raw = raw_strategy(budget=1000)
    assert issues_of(raw, catalog) == ["budget: Extra inputs are not permitted"]


def test_misspelled_target_key_is_rejected(catalog: Catalog) -> None:
    raw = raw_strategy(targets={"newsletter_open_rate": {**OPEN_RATE, "goal": 0.4}})
    assert issues_of(raw, catalog) == [
        "targets.newsletter_open_rate.goal: Extra inputs are not permitted"
    ]


def test_every_problem_is_reported_at_once(catalog: Catalog) -> None:
    raw = raw_strategy(
        targets={
            "open_rate": dict(OPEN_RATE),
            "newsletter_open_rate": {**OPEN_RATE, "long": 30},
        }
    )
    assert issues_of(raw, catalog) == [
        "targets.open_rate: no such KPI in the catalogue.",
        f"targets.newsletter_open_rate.long: 30.0 {RATE_FIX}",
    ]


def test_read_strategy_of_an_empty_store_is_none(store: Store) -> None:
    assert read_strategy(store, TODAY) is None


def test_saved_strategy_reads_back_equal(store: Store, catalog: Catalog) -> None:
    raw = raw_strategy(
        positioning={
            "cluster_name": "Cluster Test",
            "home_country": "BE",
            "mission": "Connect makers.",
            "identity": "Makers of the valley.",
            "values": "Openness, trust.",
            "ambition_5y": "100 members.",
            "ambition_10y": "A European reference.",
            "ambition_15y": "A global reference.",
        }
    )
    raw["targets"]["active_members"] = {
        **OPEN_RATE,
        "baseline_value": 120,
        "short": 130,
        "medium": 160,
        "long": 200,
    }
    strategy = parse_strategy(raw, catalog, TODAY)
    save_strategy(store, strategy)
    assert read_strategy(store, TODAY) == strategy


def test_saving_again_replaces_the_stored_strategy(
    store: Store, catalog: Catalog
) -> None:
    save_strategy(store, parse_strategy(raw_strategy(), catalog, TODAY))
    second = parse_strategy(raw_strategy(targets={}), catalog, TODAY)
    save_strategy(store, second)
    assert read_strategy(store, TODAY) == second


def changes(store: Store, kpi_id: str | None = None) -> list[tuple]:
    """The recorded changes, newest first, as (user, item, old, new)."""
    return [
        (c.changed_by, c.item, c.old_value, c.new_value)
        for c in strategy_history(store, kpi_id)
    ]


FIRST_SAVE = [
    ("system", "positioning.cluster_name", None, "Cluster Test"),
    ("system", "positioning.home_country", None, "FR"),
    ("system", "positioning.mission", None, "Connect makers."),
    ("system", "horizon.short", None, "2027-12-31"),
    ("system", "horizon.medium", None, "2031-12-31"),
    ("system", "horizon.long", None, "2036-12-31"),
    ("system", "target.member_nps.tracked", None, "false"),
    ("system", "target.member_nps.weight", None, "1.0"),
    ("system", "target.newsletter_open_rate.tracked", None, "true"),
    ("system", "target.newsletter_open_rate.baseline_value", None, "0.2"),
    ("system", "target.newsletter_open_rate.baseline_date", None, "2026-01-01"),
    ("system", "target.newsletter_open_rate.weight", None, "2.0"),
    ("system", "target.newsletter_open_rate.short", None, "0.22"),
    ("system", "target.newsletter_open_rate.medium", None, "0.25"),
    ("system", "target.newsletter_open_rate.long", None, "0.3"),
]


@pytest.fixture
def saved(store: Store, catalog: Catalog) -> Store:
    """A store holding raw_strategy(), saved once by 'system'."""
    assert save_strategy(store, parse_strategy(raw_strategy(), catalog, TODAY)) == 15
    return store


def test_first_save_records_every_value_set(saved: Store) -> None:
    assert changes(saved) == FIRST_SAVE[::-1]


def test_changing_a_target_records_old_and_new_values(
    saved: Store, catalog: Catalog
) -> None:
    raw = raw_strategy()
    raw["targets"]["newsletter_open_rate"].update(short=0.24, weight=3)
    count = save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="alice")
    assert count == 2
    assert changes(saved)[:3] == [
        ("alice", "target.newsletter_open_rate.short", "0.22", "0.24"),
        ("alice", "target.newsletter_open_rate.weight", "2.0", "3.0"),
        FIRST_SAVE[-1],
    ]


def test_changing_a_horizon_and_a_positioning_text_records_them(
    saved: Store, catalog: Catalog
) -> None:
    raw = raw_strategy(
        positioning={"cluster_name": "Cluster Test", "identity": "Makers."},
        horizons={**HORIZONS, "medium": "2032-06-30"},
    )
    save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="bob")
    assert changes(saved)[:4] == [
        ("bob", "horizon.medium", "2031-12-31", "2032-06-30"),
        ("bob", "positioning.identity", None, "Makers."),
        ("bob", "positioning.mission", "Connect makers.", None),
        FIRST_SAVE[-1],
    ]


def test_removing_a_target_records_its_values_as_unset(
    saved: Store, catalog: Catalog
) -> None:
    raw = raw_strategy()
    del raw["targets"]["member_nps"]
    save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="alice")
    assert changes(saved, "member_nps") == [
        ("alice", "target.member_nps.weight", "1.0", None),
        ("alice", "target.member_nps.tracked", "false", None),
        ("system", "target.member_nps.weight", None, "1.0"),
        ("system", "target.member_nps.tracked", None, "false"),
    ]


def test_saving_an_unchanged_strategy_records_nothing(
    saved: Store, catalog: Catalog
) -> None:
    before = saved.rows("SELECT * FROM strategy_changes ORDER BY change_id")
    stamp = saved.rows("SELECT updated_at FROM positioning")
    again = parse_strategy(raw_strategy(), catalog, TODAY)
    assert save_strategy(saved, again, user="alice") == 0
    assert saved.rows("SELECT * FROM strategy_changes ORDER BY change_id") == before
    assert saved.rows("SELECT updated_at FROM positioning") == stamp


def test_history_of_one_kpi_holds_only_its_target_items(
    saved: Store, catalog: Catalog
) -> None:
    raw = raw_strategy(positioning={"cluster_name": "Renamed"})
    raw["targets"]["newsletter_open_rate"]["long"] = 0.35
    raw["targets"]["member_nps"]["weight"] = 0.5
    save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="alice")
    assert changes(saved, "newsletter_open_rate") == [
        ("alice", "target.newsletter_open_rate.long", "0.3", "0.35"),
        *FIRST_SAVE[:7:-1],
    ]


def test_an_invalid_strategy_is_refused_before_anything_is_recorded(
    saved: Store, catalog: Catalog
) -> None:
    raw = raw_strategy(targets={"newsletter_open_rate": {**OPEN_RATE, "short": 25}})
    with pytest.raises(StrategyError):
        save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="alice")
    assert changes(saved) == FIRST_SAVE[::-1]


def test_a_save_the_database_refuses_records_nothing(
    saved: Store, catalog: Catalog
) -> None:
    before = read_strategy(saved, TODAY)
    # A negative weight passes no validation: the database's check refuses it after
    # the changes were recorded, in the same transaction.
    bad = before.model_copy(
        update={
            "positioning": Positioning(cluster_name="Renamed"),
            "targets": {"member_nps": KpiTarget.model_construct(weight=-1.0)},
        }
    )
    with pytest.raises(Exception, match="CHECK constraint"):
        save_strategy(saved, bad, user="alice")
    assert changes(saved) == FIRST_SAVE[::-1]
    assert read_strategy(saved, TODAY) == before


def test_an_exception_mid_save_records_nothing(
    saved: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = read_strategy(saved, TODAY)

    def fail_after_deleting(cur: Any, strategy: Strategy) -> None:
        cur.execute("DELETE FROM kpi_targets")
        raise RuntimeError("disk full")

    monkeypatch.setattr(strategy_module, "_write", fail_after_deleting)
    raw = raw_strategy(positioning={"cluster_name": "Renamed"})
    with pytest.raises(RuntimeError, match="disk full"):
        save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="alice")
    assert changes(saved) == FIRST_SAVE[::-1]
    assert read_strategy(saved, TODAY) == before


def test_target_history_gives_each_version_newest_first(
    saved: Store, catalog: Catalog
) -> None:
    raw = raw_strategy()
    raw["targets"]["newsletter_open_rate"].update(short=0.24, weight=3)
    save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="alice")
    raw["targets"] = {}
    save_strategy(saved, parse_strategy(raw, catalog, TODAY), user="bob")
    first = parse_strategy(raw_strategy(), catalog, TODAY).targets
    versions = target_history(saved, "newsletter_open_rate")
    assert [(v.changed_by, v.target) for v in versions] == [
        ("bob", None),
        (
            "alice",
            first["newsletter_open_rate"].model_copy(
                update={"short": 0.24, "weight": 3.0}
            ),
        ),
        ("system", first["newsletter_open_rate"]),
    ]
    stamps = saved.rows(
        "SELECT DISTINCT changed_at FROM strategy_changes ORDER BY changed_at DESC"
    )
    assert [(v.changed_at,) for v in versions] == stamps
    assert target_history(saved, "active_members") == []


def test_migration_records_a_strategy_saved_before_the_history_existed(
    saved: Store,
) -> None:
    saved_at = saved.scalar("SELECT updated_at FROM positioning")
    with saved.transaction() as cur:
        cur.execute("DROP TABLE strategy_changes")
        cur.execute("DROP SEQUENCE strategy_change_id_seq")
        cur.execute("DELETE FROM schema_version WHERE version = 5")
    assert saved.migrate() == [5]
    assert changes(saved) == FIRST_SAVE[::-1]
    assert saved.rows("SELECT DISTINCT changed_at FROM strategy_changes") == [
        (saved_at,)
    ]
