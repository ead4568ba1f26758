"""Tests for quarterly snapshots: freezing, reading back, approval, restatements, compare."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from clusterkpi import snapshots
from clusterkpi.catalog import Catalog
from clusterkpi.errors import SnapshotError
from clusterkpi.periods import parse_period
from clusterkpi.progress import DEFAULT_THRESHOLDS, Status
from clusterkpi.scorecard import Scorecard, build_scorecard, history
from clusterkpi.snapshot_model import (
    Restatement,
    ReviewKind,
    Snapshot,
    SnapshotReview,
)
from clusterkpi.snapshots import (
    KpiComparison,
    SnapshotSummary,
    approve_snapshot,
    compare,
    create_snapshot,
    list_snapshots,
    read_snapshot,
    restatements,
)
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, read_strategy
from tests.demo_db import TODAY, make_demo_db
from tests.import_helpers import every_table, kpi, load

PACKAGE = Path(__file__).resolve().parent.parent / "clusterkpi"
SNAPSHOT_TABLES = [
    "snapshots",
    "snapshot_objectives",
    "snapshot_objective_horizons",
    "snapshot_kpis",
    "snapshot_kpi_horizons",
    "snapshot_approvals",
    "snapshot_reviews",
]
# The KPIs that read e-mail campaigns: a Mailchimp export changes them.
NEWSLETTER = [
    "newsletter_open_rate",
    "newsletter_click_rate",
    "newsletter_click_to_open_rate",
    "newsletter_unsubscribe_rate",
]
Q3 = parse_period("2026Q3")
NOT_A_QUARTER = (
    " is not a quarter: a snapshot freezes a whole quarter, written like 2026Q3."
)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cluster with its strategy, copied by each test that writes."""
    return make_demo_db(tmp_path_factory.mktemp("snapshots") / "demo.duckdb")


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the demo database."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, path)
    store = Store(path)
    yield store
    store.close()


def scorecards(
    store: Store, catalog: Catalog, quarter: str
) -> tuple[dict[Horizon, Scorecard], dict]:
    """The dashboard's scorecard of every horizon for a quarter, and the series."""
    period = parse_period(quarter)
    strategy = read_strategy(store, TODAY)
    series = history(store, catalog, period)
    cards = {
        h: build_scorecard(store, catalog, strategy, period, h, series=series)
        for h in Horizon
    }
    return cards, series


def frozen_rows(store: Store) -> dict[str, list[tuple]]:
    return {
        t: sorted(store.rows(f"SELECT * FROM {t}"), key=repr) for t in SNAPSHOT_TABLES
    }


def now(store: Store) -> object:
    return store.scalar("SELECT current_timestamp::TIMESTAMP")


def test_a_snapshot_freezes_the_scorecard_of_every_horizon(
    demo: Store, catalog: Catalog
) -> None:
    cards, series = scorecards(demo, catalog, "2026Q3")
    snapshot = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    short = cards[Horizon.SHORT]
    assert [
        (k.kpi_id, k.objective_id, k.value, k.previous, k.baseline, k.weight,
         k.tracked, k.manual, list(k.history),
         [(f.horizon, f.day, f.target, f.status, f.progress, f.forecast)
          for f in k.horizons])
        for k in snapshot.kpis
    ] == [
        (c.kpi_id, b.objective_id, c.value, c.previous, c.baseline, c.weight,
         c.tracked, c.manual, [(p.period.label, p.value) for p in series[c.kpi_id]],
         [(h, cards[h].horizon_date, cards[h].card(c.kpi_id).target,
           cards[h].card(c.kpi_id).assessment.status,
           cards[h].card(c.kpi_id).assessment.progress,
           cards[h].card(c.kpi_id).forecast)
          for h in Horizon])
        for b in short.blocks
        for c in b.cards
    ]  # fmt: skip
    assert [
        (o.objective_id, o.group, o.status, o.progress, o.commentary)
        for o in snapshot.objectives
    ] == [
        (
            b.objective_id,
            b.group,
            {h: cards[h].blocks[i].status for h in Horizon},
            {h: cards[h].blocks[i].progress for h in Horizon},
            "",
        )
        for i, b in enumerate(short.blocks)
    ]


def test_a_snapshot_records_the_quarter_the_strategy_and_the_catalogue(
    demo: Store, catalog: Catalog
) -> None:
    strategy = read_strategy(demo, TODAY)
    before = now(demo)
    snapshot = create_snapshot(demo, catalog, "2026q3", "animator", today=TODAY)
    after = now(demo)
    assert before <= snapshot.created_at <= after
    assert (
        snapshot.quarter, snapshot.as_of, snapshot.created_by,
        snapshot.catalog_version, snapshot.positioning, snapshot.horizon_dates,
        snapshot.strategy_json, snapshot.thresholds, snapshot.notes,
        snapshot.approved_at, snapshot.approved_by,
    ) == (
        "2026Q3", date(2026, 9, 30), "animator", catalog.version,
        strategy.positioning, strategy.horizons, strategy.model_dump_json(),
        DEFAULT_THRESHOLDS, {}, None, None,
    )  # fmt: skip
    # Every KPI of the catalogue, each with a value and a history ending with Q3.
    assert sorted(k.kpi_id for k in snapshot.kpis) == sorted(catalog.kpis)
    assert [k.kpi_id for k in snapshot.kpis if k.value is None] == []
    assert {k.history[-1][0] for k in snapshot.kpis} == {"2026Q3"}


def test_a_snapshot_reads_back_equal(demo: Store, catalog: Catalog) -> None:
    snapshot = create_snapshot(
        demo,
        catalog,
        "2026Q3",
        "animator",
        {"credibility": "La presse parle de nous."},
        today=TODAY,
    )
    assert read_snapshot(demo, "2026Q3") == snapshot
    assert read_snapshot(demo, Q3) == snapshot


def test_a_snapshot_without_any_strategy_or_data_reads_back_equal(
    store: Store, catalog: Catalog
) -> None:
    snapshot = create_snapshot(store, catalog, "2026Q3", "animator", today=TODAY)
    assert (snapshot.positioning, snapshot.strategy_json) == (None, "")
    assert snapshot.horizon_dates == {h: date(2027, 12, 31) for h in Horizon}
    assert {(k.value, f.status) for k in snapshot.kpis for f in k.horizons} == {
        (None, Status.NO_DATA)
    }
    assert read_snapshot(store, "2026Q3") == snapshot


def test_commentary_is_kept_per_objective(demo: Store, catalog: Catalog) -> None:
    snapshot = create_snapshot(
        demo,
        catalog,
        "2026Q3",
        "animator",
        {"credibility": "  Deux fois plus d'articles.  ", "sme_value": "Stable."},
        today=TODAY,
    )
    expected = {o: "" for o in catalog.objectives}
    expected.update(
        {"credibility": "Deux fois plus d'articles.", "sme_value": "Stable."}
    )
    assert {o.objective_id: o.commentary for o in snapshot.objectives} == expected


def test_commentary_on_an_unknown_objective_is_refused(
    demo: Store, catalog: Catalog
) -> None:
    with pytest.raises(SnapshotError) as info:
        create_snapshot(
            demo, catalog, "2026Q3", "animator", {"press": "x"}, today=TODAY
        )
    assert str(info.value) == (
        "Commentary for press: no such objective. Objectives are: "
        f"{', '.join(catalog.objectives)}."
    )
    assert frozen_rows(demo) == {t: [] for t in SNAPSHOT_TABLES}


def test_list_shows_every_snapshot_latest_quarter_first(
    demo: Store, catalog: Catalog
) -> None:
    q3 = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    q2 = create_snapshot(demo, catalog, "2026Q2", "chair", today=TODAY)
    assert list_snapshots(demo) == [
        SnapshotSummary(1, "2026Q3", date(2026, 9, 30), q3.created_at, "animator",
                        catalog.version, None, None),
        SnapshotSummary(2, "2026Q2", date(2026, 6, 30), q2.created_at, "chair",
                        catalog.version, None, None),
    ]  # fmt: skip


def test_freezing_a_quarter_twice_is_refused_and_changes_nothing(
    demo: Store, catalog: Catalog
) -> None:
    first = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    before = every_table(demo)
    with pytest.raises(SnapshotError) as info:
        create_snapshot(demo, catalog, "2026Q3", "someone else", today=TODAY)
    assert str(info.value) == (
        f"2026Q3 is already frozen (snapshot 1, created "
        f"{first.created_at:%Y-%m-%d %H:%M} by animator): a snapshot is never changed."
    )
    assert every_table(demo) == before


@pytest.mark.parametrize(
    ("quarter", "today", "message"),
    [
        ("2026Q4", TODAY, "2026Q4 has not ended yet (its last day is 2026-12-31)"),
        ("2026Q3", date(2026, 9, 30), "2026Q3 has not ended yet (its last day is 2026-09-30)"),
        ("2027Q1", TODAY, "2027Q1 has not ended yet (its last day is 2027-03-31)"),
    ],
)  # fmt: skip
def test_a_quarter_not_yet_over_is_refused(
    demo: Store, catalog: Catalog, quarter: str, today: date, message: str
) -> None:
    with pytest.raises(SnapshotError) as info:
        create_snapshot(demo, catalog, quarter, "animator", today=today)
    assert str(info.value) == f"{message}: a quarter is frozen once it is over."
    assert frozen_rows(demo) == {t: [] for t in SNAPSHOT_TABLES}


def test_a_quarter_can_be_frozen_the_day_after_it_ends(
    demo: Store, catalog: Catalog
) -> None:
    snapshot = create_snapshot(
        demo, catalog, "2026Q3", "animator", today=date(2026, 10, 1)
    )
    assert (snapshot.snapshot_id, snapshot.quarter) == (1, "2026Q3")


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2026-09", f"'2026-09'{NOT_A_QUARTER}"),
        ("2026", f"'2026'{NOT_A_QUARTER}"),
        ("Q3 2026", "'Q3 2026' is not a quarter: write it like 2026Q3."),
        ("2026Q5", "'2026Q5' is not a quarter: write it like 2026Q3."),
    ],
)  # fmt: skip
def test_a_label_that_is_not_a_quarter_is_refused(
    demo: Store, catalog: Catalog, label: str, message: str
) -> None:
    with pytest.raises(SnapshotError) as info:
        create_snapshot(demo, catalog, label, "animator", today=TODAY)
    assert str(info.value) == message
    with pytest.raises(SnapshotError) as info:
        read_snapshot(demo, label)
    assert str(info.value) == message


def test_a_blank_user_is_refused(demo: Store, catalog: Catalog) -> None:
    with pytest.raises(
        SnapshotError, match="^Say who you are: the user name is recorded.$"
    ):
        create_snapshot(demo, catalog, "2026Q3", "  ", today=TODAY)
    create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    with pytest.raises(SnapshotError, match="^Say who you are"):
        approve_snapshot(demo, "2026Q3", "")


def test_approval_is_recorded_with_its_user_and_time(
    demo: Store, catalog: Catalog
) -> None:
    snapshot = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    before = now(demo)
    approved = approve_snapshot(demo, "2026Q3", "board chair")
    after = now(demo)
    assert before <= approved.approved_at <= after
    assert approved == replace(
        snapshot,
        approved_at=approved.approved_at,
        approved_by="board chair",
        reviews=(
            SnapshotReview(ReviewKind.APPROVE, "", "board chair", approved.approved_at),
        ),
    )
    assert read_snapshot(demo, "2026Q3") == approved
    assert demo.rows("SELECT * FROM snapshot_approvals") == [
        (snapshot.snapshot_id, approved.approved_at, "board chair")
    ]
    assert [(s.quarter, s.approved, s.approved_by) for s in list_snapshots(demo)] == [
        ("2026Q3", True, "board chair")
    ]


def test_approving_twice_is_refused_and_changes_nothing(
    demo: Store, catalog: Catalog
) -> None:
    create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    approved = approve_snapshot(demo, "2026Q3", "board chair")
    before = every_table(demo)
    with pytest.raises(SnapshotError) as info:
        approve_snapshot(demo, "2026Q3", "admin")
    assert str(info.value) == (
        f"2026Q3 was already approved by board chair on "
        f"{approved.approved_at:%Y-%m-%d %H:%M}: an approval is recorded once."
    )
    assert every_table(demo) == before


def test_a_quarter_never_frozen_cannot_be_read_or_approved(demo: Store) -> None:
    message = "^There is no snapshot of 2026Q2: freeze it first.$"
    with pytest.raises(SnapshotError, match=message):
        read_snapshot(demo, "2026Q2")
    with pytest.raises(SnapshotError, match=message):
        approve_snapshot(demo, "2026Q2", "board chair")
    assert frozen_rows(demo) == {t: [] for t in SNAPSHOT_TABLES}


def test_the_public_api_has_no_way_to_change_or_delete_a_snapshot() -> None:
    assert sorted(snapshots.__all__) == [
        "KpiComparison",
        "SnapshotSummary",
        "approve_snapshot",
        "compare",
        "create_snapshot",
        "list_snapshots",
        "quarter_of",
        "read_snapshot",
        "request_changes",
        "restatements",
        "snapshot_reviews",
    ]


def test_snapshot_sql_only_inserts_except_for_recording_the_approval_once() -> None:
    writes = {
        name: re.findall(
            r"\b(?:UPDATE .+|DELETE\b.*|INSERT INTO \S+)",
            (PACKAGE / name).read_text(encoding="utf-8"),
        )
        for name in ("snapshots.py", "snapshot_freeze.py", "snapshot_store.py")
    }
    assert writes == {
        "snapshots.py": [],
        "snapshot_freeze.py": [],
        "snapshot_store.py": [
            "INSERT INTO snapshots",
            "INSERT INTO {target}",
            "INSERT INTO snapshot_approvals",
            'UPDATE snapshots SET approved_at = ?, approved_by = ?"',
            "INSERT INTO snapshot_reviews",
        ],
    }
    text = (PACKAGE / "snapshot_store.py").read_text(encoding="utf-8")
    assert '" WHERE snapshot_id = ? AND approved_at IS NULL"' in text


def test_a_later_import_leaves_the_frozen_rows_unchanged(
    demo: Store, catalog: Catalog
) -> None:
    snapshot = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    before = frozen_rows(demo)
    assert load(demo, "mailchimp/campaigns_2026Q3.csv").status == "loaded"
    assert frozen_rows(demo) == before
    assert read_snapshot(demo, "2026Q3") == snapshot


def test_nothing_is_restated_right_after_freezing(
    demo: Store, catalog: Catalog
) -> None:
    snapshot = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    assert restatements(demo, catalog, snapshot) == []


def test_a_later_import_into_the_quarter_is_a_restatement(
    demo: Store, catalog: Catalog
) -> None:
    frozen_values = {k: kpi(demo, catalog, k, "2026Q3") for k in NEWSLETTER}
    snapshot = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    report = load(demo, "mailchimp/campaigns_2026Q3.csv")
    imported_at = demo.scalar(
        "SELECT imported_at FROM imports WHERE import_id = ?", [report.import_id]
    )
    current = {k: kpi(demo, catalog, k, "2026Q3") for k in NEWSLETTER}
    assert [k for k in NEWSLETTER if current[k] == frozen_values[k]] == []
    # The demo's own import feeds these KPIs too, but it came before the snapshot.
    assert restatements(demo, catalog, snapshot) == [
        Restatement(
            k,
            frozen_values[k],
            current[k],
            ((report.import_id, "campaigns_2026Q3.csv", imported_at),),
        )
        for k in NEWSLETTER
    ]
    assert [snapshot.kpi(k).value for k in NEWSLETTER] == [
        read_snapshot(demo, "2026Q3").kpi(k).value for k in NEWSLETTER
    ]


def test_an_import_outside_the_quarter_restates_only_its_own_quarter(
    demo: Store, catalog: Catalog
) -> None:
    q3 = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    q1 = create_snapshot(demo, catalog, "2026Q1", "animator", today=TODAY)
    report = load(demo, "mailchimp/campaigns.csv")  # campaigns of January to March
    assert report.status == "loaded"
    assert restatements(demo, catalog, q3) == []
    assert [(r.kpi_id, r.imports[0][:2]) for r in restatements(demo, catalog, q1)] == [
        (k, (report.import_id, "campaigns.csv")) for k in NEWSLETTER
    ]


def test_compare_sets_two_quarters_side_by_side(demo: Store, catalog: Catalog) -> None:
    q2 = create_snapshot(demo, catalog, "2026Q2", "animator", today=TODAY)
    q3 = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    rows = compare(q2, q3, Horizon.MEDIUM)
    assert rows == [
        KpiComparison(
            k.kpi_id,
            k.objective_id,
            k.value,
            q3.kpi(k.kpi_id).value,
            q3.kpi(k.kpi_id).value - k.value,
            k.at(Horizon.MEDIUM).status,
            q3.kpi(k.kpi_id).at(Horizon.MEDIUM).status,
        )
        for k in q2.kpis
    ]
    members = next(r for r in rows if r.kpi_id == "active_members")
    q2_members = kpi(demo, catalog, "active_members", "2026Q2")
    q3_members = kpi(demo, catalog, "active_members", "2026Q3")
    assert (members.value_a, members.value_b, members.change) == (
        q2_members,
        q3_members,
        q3_members - q2_members,
    )


def test_compare_keeps_a_kpi_that_only_one_snapshot_holds(
    demo: Store, catalog: Catalog
) -> None:
    q2 = create_snapshot(demo, catalog, "2026Q2", "animator", today=TODAY)
    q3 = create_snapshot(demo, catalog, "2026Q3", "animator", today=TODAY)
    first = q3.kpis[0]
    older: Snapshot = replace(q2, kpis=q2.kpis[1:])
    rows = compare(older, q3)
    assert [r.kpi_id for r in rows] == [k.kpi_id for k in q2.kpis[1:]] + [first.kpi_id]
    assert rows[-1] == KpiComparison(
        first.kpi_id,
        first.objective_id,
        None,
        first.value,
        None,
        None,
        first.at(Horizon.SHORT).status,
    )
