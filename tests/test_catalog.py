"""Tests for the KPI catalogue: the real file, and one bad fixture per defect."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clusterkpi.catalog import Aggregation, Catalog, Unit, load_catalog, parse_catalog
from clusterkpi.engine import compile_kpi, period_params
from clusterkpi.errors import CatalogError
from clusterkpi.periods import parse_period
from clusterkpi.store import Store

BAD = Path(__file__).resolve().parent / "data" / "catalog"

KPI_IDS = {
    "active_members",
    "new_members",
    "member_retention_rate",
    "member_churn_rate",
    "sme_share",
    "international_members_share",
    "member_participation_rate",
    "members_in_projects_rate",
    "collaborative_projects_launched",
    "event_attendance_rate",
    "general_assembly_attendance_rate",
    "newsletter_open_rate",
    "newsletter_click_rate",
    "newsletter_click_to_open_rate",
    "newsletter_unsubscribe_rate",
    "member_nps",
    "vision_adherence_rate",
    "joint_publications",
    "website_sessions",
    "social_followers",
    "social_new_followers",
    "social_engagement_rate",
    "press_mentions",
    "positive_coverage_share",
    "target_company_exchanges",
    "inbound_requests",
    "non_member_event_participants",
    "materials_produced",
    "active_media_partnerships",
    "new_partners",
}
OBJECTIVE_IDS = {
    "identity_vision",
    "information_engagement",
    "joint_messages",
    "cooperative_projects",
    "notoriety_visibility",
    "target_exchanges",
    "credibility",
    "sme_value",
    "communication_materials",
    "media_partnerships",
    "membership_attractiveness",
}
PERIODS_SQL_FIX = (
    "Fix: join the periods relation (period, period_start, period_end) "
    "so the engine can pass bounds."
)
ID_FIX = "Fix: use lower-case letters, digits and underscores, starting with a letter."


def issues_of(name: str) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(BAD / name)
    return info.value.issues


# The real catalogue ------------------------------------------------------------


def test_real_catalogue_has_exactly_the_thirty_kpis(catalog: Catalog) -> None:
    assert set(catalog.kpis) == KPI_IDS
    assert len(catalog.kpis) == 30


def test_real_catalogue_declares_the_eleven_objectives(catalog: Catalog) -> None:
    assert set(catalog.objectives) == OBJECTIVE_IDS


def test_every_real_kpi_references_a_declared_objective(catalog: Catalog) -> None:
    undeclared = {
        kpi_id: kpi.objective
        for kpi_id, kpi in catalog.kpis.items()
        if kpi.objective not in OBJECTIVE_IDS
    }
    assert undeclared == {}


def test_every_real_objective_is_measured_by_a_kpi(catalog: Catalog) -> None:
    unmeasured = [o for o in sorted(OBJECTIVE_IDS) if not catalog.kpis_of(o)]
    assert unmeasured == []


def test_every_real_rate_benchmark_is_a_fraction(catalog: Catalog) -> None:
    benchmarks = {
        kpi_id: kpi.benchmark.value
        for kpi_id, kpi in catalog.kpis.items()
        if kpi.unit is Unit.RATE and kpi.benchmark is not None
    }
    assert benchmarks == {
        "member_retention_rate": 0.90,
        "sme_share": 0.80,
        "event_attendance_rate": 0.68,
        "newsletter_open_rate": 0.2156,
        "newsletter_click_rate": 0.0272,
        "newsletter_unsubscribe_rate": 0.0021,
    }
    assert {k: v for k, v in benchmarks.items() if not 0 <= v <= 1} == {}


def test_every_real_kpi_sql_runs_on_an_empty_store(
    catalog: Catalog, store: Store
) -> None:
    periods = [parse_period("2026Q1"), parse_period("2026Q2")]
    params = period_params(periods)
    outcome = {}
    for kpi_id, kpi in catalog.kpis.items():
        with store.cursor() as cur:
            cur.execute(compile_kpi(kpi), params)
            columns = [d[0] for d in cur.description]
            outcome[kpi_id] = (columns, cur.fetchall())
    expected = {}
    for kpi_id, kpi in catalog.kpis.items():
        if kpi.aggregation is Aggregation.RATIO:
            expected[kpi_id] = (
                ["period", "numerator", "denominator"],
                [("2026Q1", None, None), ("2026Q2", None, None)],
            )
        else:
            expected[kpi_id] = (
                ["period", "value"],
                [("2026Q1", None), ("2026Q2", None)],
            )
    assert outcome == expected


# Bad catalogues: one defect per file ------------------------------------------


def test_valid_fixture_loads_with_both_kpis() -> None:
    catalog = load_catalog(BAD / "valid.yaml")
    assert list(catalog.kpis) == ["press_mentions", "positive_coverage_share"]
    assert catalog.kpis_of("notoriety_visibility") == [
        "press_mentions",
        "positive_coverage_share",
    ]


def test_unknown_kpi_key_is_reported_with_its_name() -> None:
    assert issues_of("unknown_kpi_key.yaml") == [
        "KPI 'press_mentions': field 'formule': Extra inputs are not permitted. "
        "Fix: remove it or check its spelling."
    ]


def test_missing_label_is_reported() -> None:
    assert issues_of("missing_label.yaml") == [
        "KPI 'press_mentions': field 'label': Field required. Fix: add it."
    ]


def test_bad_direction_lists_the_allowed_values() -> None:
    assert issues_of("bad_direction.yaml") == [
        "KPI 'press_mentions': field 'direction': Input should be 'higher' or 'lower'. "
        "Fix: use one of the allowed values."
    ]


def test_undeclared_objective_lists_the_declared_ones() -> None:
    assert issues_of("undeclared_objective.yaml") == [
        "KPI 'positive_coverage_share': objective 'credibility' is not declared. "
        "Fix: use one of notoriety_visibility."
    ]


def test_undeclared_source_is_reported() -> None:
    assert issues_of("undeclared_source.yaml") == [
        "KPI 'press_mentions': source 'press' is not declared. "
        "Fix: add it under 'sources' or correct the name."
    ]


def test_sql_that_ignores_periods_is_reported() -> None:
    assert issues_of("sql_without_periods.yaml") == [
        f"KPI 'press_mentions': sql does not read 'periods'. {PERIODS_SQL_FIX}"
    ]


def test_ratio_sql_without_denominator_column_is_reported() -> None:
    assert issues_of("ratio_without_denominator.yaml") == [
        "KPI 'positive_coverage_share': sql has no column 'denominator'. "
        "Fix: a ratio KPI selects numerator and denominator per period."
    ]


def test_rate_benchmark_written_in_percent_is_reported() -> None:
    assert issues_of("rate_benchmark_in_percent.yaml") == [
        "KPI 'positive_coverage_share': benchmark 21.5 is not a fraction. "
        "Fix: write rates as fractions (21.5 % → 0.215)."
    ]


def test_invalid_kpi_id_is_reported() -> None:
    assert issues_of("invalid_kpi_id.yaml") == [
        f"KPI 'Open-Rate': invalid id. {ID_FIX}"
    ]


def test_sql_with_semicolon_is_reported() -> None:
    assert issues_of("sql_with_semicolon.yaml") == [
        "KPI 'press_mentions': sql holds ';'. Fix: write a single SELECT statement."
    ]


def test_every_problem_is_reported_at_once() -> None:
    assert issues_of("three_defects.yaml") == [
        "KPI 'press_mentions': field 'formule': Extra inputs are not permitted. "
        "Fix: remove it or check its spelling.",
        "KPI 'positive_coverage_share': benchmark 21.5 is not a fraction. "
        "Fix: write rates as fractions (21.5 % → 0.215).",
        "KPI 'media_partner_mentions': source 'press' is not declared. "
        "Fix: add it under 'sources' or correct the name.",
    ]


def test_catalogue_that_is_not_a_mapping_is_rejected() -> None:
    assert issues_of("not_a_mapping.yaml") == [
        "The catalogue must be a mapping with version, objectives, sources and kpis. "
        "Fix: start from data/kpis.yaml."
    ]


def test_catalogue_that_is_not_yaml_is_reported_with_the_parser_error() -> None:
    path = BAD / "broken_yaml.yaml"
    with pytest.raises(yaml.YAMLError) as parser:
        # The catalogue reads with libyaml's parser when PyYAML has it, as here.
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # noqa: S506
    assert issues_of("broken_yaml.yaml") == [
        f"{path}: cannot be read as YAML ({parser.value}). Fix the file."
    ]


def test_missing_catalogue_file_is_reported() -> None:
    path = BAD / "no_such_catalogue.yaml"
    assert issues_of("no_such_catalogue.yaml") == [
        f"{path}: cannot be read as YAML "
        f"([Errno 2] No such file or directory: '{path}'). Fix the file."
    ]


def test_empty_kpis_section_is_reported() -> None:
    raw = yaml.safe_load((BAD / "valid.yaml").read_text(encoding="utf-8"))
    raw["kpis"] = {}
    with pytest.raises(CatalogError) as info:
        parse_catalog(raw)
    assert info.value.issues == [
        "kpis: missing or empty. Fix: declare at least one KPI under 'kpis'.",
        "objective 'notoriety_visibility': no KPI measures it. "
        "Fix: attach a KPI or remove the objective.",
    ]


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        (Unit.COUNT, -1.5, 0.0),
        (Unit.COUNT, 1234.0, 1234.0),
        (Unit.RATE, 1.2, 1.0),
        (Unit.RATE, -0.1, 0.0),
        (Unit.RATE, 0.35, 0.35),
        (Unit.SCORE, -130.0, -100.0),
        (Unit.SCORE, 42.0, 42.0),
    ],
)
def test_a_unit_holds_a_value_inside_what_a_kpi_can_be(
    unit: Unit, value: float, expected: float
) -> None:
    assert unit.clamp(value) == expected
