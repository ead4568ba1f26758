"""Tests for clusterkpi.charts.kpi: the trajectory figure's JSON, in both languages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from clusterkpi.catalog import Catalog, Direction, Unit
from clusterkpi.charts import kpi_figure
from clusterkpi.charts.kpi import axis_title, nice_ticks
from clusterkpi.i18n import STATUS_ICONS, plotly_separators
from clusterkpi.periods import Grain, parse_period
from clusterkpi.progress import Assessment, Status
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, KpiTarget, Positioning, Strategy
from clusterkpi.trajectory import (
    Baseline,
    HorizonTrack,
    Segment,
    SeriesPoint,
    Trajectory,
    build_trajectory,
    has_data,
)
from tests.fixture_db import load_fixture

BASE = date(2024, 12, 31)
DAYS = {
    Horizon.SHORT: date(2027, 12, 31),
    Horizon.MEDIUM: date(2031, 12, 31),
    Horizon.LONG: date(2036, 12, 31),
}
TARGETS = {Horizon.SHORT: 0.32, Horizon.MEDIUM: 0.33, Horizon.LONG: 0.35}
STATUSES = {
    Horizon.SHORT: Assessment(Status.OFF_TRACK, -0.5, 0.6),
    Horizon.MEDIUM: Assessment(Status.AT_RISK, 0.2, 0.25),
    Horizon.LONG: Assessment(Status.ON_TRACK, 0.2, 0.15),
}
# Trend: from 30 % mid-2026Q3 to 29 %, 27 % and 25 % at the horizons.
TREND = {Horizon.SHORT: 0.29, Horizon.MEDIUM: 0.27, Horizon.LONG: 0.25}


def point(label: str, value: float | None) -> SeriesPoint:
    p = parse_period(label)
    return SeriesPoint(label, p.start, p.end, p.start + (p.end - p.start) / 2, value)


def make_trajectory(
    kpi_id: str = "newsletter_open_rate",
    values: tuple[float | None, ...] = (0.31, None, 0.30),
    tracked: bool = True,
    direction: Direction = Direction.HIGHER,
    unit: Unit = Unit.RATE,
) -> Trajectory:
    labels = ("2026Q1", "2026Q2", "2026Q3")
    tracks = tuple(
        HorizonTrack(
            horizon=h,
            day=DAYS[h],
            target=TARGETS[h],
            pace=Segment(BASE, 0.308, DAYS[h], TARGETS[h]),
            forecast=Segment(date(2026, 8, 16), 0.30, DAYS[h], TREND[h]),
            assessment=STATUSES[h],
        )
        for h in Horizon
    )
    return Trajectory(
        kpi_id=kpi_id,
        direction=direction,
        unit=unit,
        grain=Grain.QUARTER,
        series=tuple(point(lb, v) for lb, v in zip(labels, values, strict=True)),
        baseline=Baseline(BASE, 0.308) if tracked else None,
        horizons=tracks if tracked else (),
        benchmark=None,
    )


def figure_json(
    catalog: Catalog,
    trajectory: Trajectory,
    lang: str = "fr",
    locale: str = "fr_FR",
    horizon: Horizon | None = None,
) -> dict[str, Any]:
    """The figure as the browser receives it (dates as ISO text)."""
    fig = kpi_figure(trajectory, catalog.kpi(trajectory.kpi_id), lang, locale, horizon)
    return json.loads(fig.to_json())


def traces(figure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {trace["meta"]: trace for trace in figure["data"]}


def test_one_target_marker_per_horizon_at_its_date_and_value(
    catalog: Catalog,
) -> None:
    """Distinct symbol per horizon, status colour, status word in the legend name."""
    by_uid = traces(figure_json(catalog, make_trajectory()))
    markers = {
        uid: (t["x"], t["y"], t["marker"]["symbol"], t["marker"]["color"], t["name"])
        for uid, t in by_uid.items()
        if uid.startswith("target-")
    }
    assert markers == {
        "target-short": (
            ["2027-12-31"],
            [0.32],
            "square",
            STATUS_ICONS["off_track"][1],
            "Cible court terme (31 déc. 2027) — En retard",
        ),
        "target-medium": (
            ["2031-12-31"],
            [0.33],
            "diamond",
            STATUS_ICONS["at_risk"][1],
            "Cible moyen terme (31 déc. 2031) — À surveiller",
        ),
        "target-long": (
            ["2036-12-31"],
            [0.35],
            "star",
            STATUS_ICONS["on_track"][1],
            "Cible long terme (31 déc. 2036) — En bonne voie",
        ),
    }


def test_target_hover_gives_value_status_and_progress_in_words(
    catalog: Catalog,
) -> None:
    """Numbers formatted for the locale, the period judged, progress vs expected."""
    fr = traces(figure_json(catalog, make_trajectory()))["target-medium"]
    en = traces(figure_json(catalog, make_trajectory(), "en", "en_GB"))["target-medium"]
    assert (fr["customdata"], fr["hovertemplate"]) == (
        [
            [
                "Cible moyen terme (31 déc. 2031)<br>Cible : 33,0\u00a0%"
                "<br>Statut en 2026Q3 : À surveiller"
                "<br>Progression : 20\u00a0% (attendue : 25\u00a0%)"
            ]
        ],
        "%{customdata[0]}<extra></extra>",
    )
    assert en["customdata"] == [
        [
            "Medium-term target (31 Dec 2031)<br>Target: 33.0%"
            "<br>Status in 2026Q3: At risk<br>Progress: 20% (expected: 25%)"
        ]
    ]


def test_a_pace_line_per_horizon_and_a_dotted_trend_line_per_horizon(
    catalog: Catalog,
) -> None:
    """Pace: baseline → target; trend: last quarter's mid-date → the horizon."""
    by_uid = traces(figure_json(catalog, make_trajectory()))
    lines = {
        uid: (t["x"], t["y"], t["line"]["dash"], t["showlegend"])
        for uid, t in by_uid.items()
        if uid.startswith(("pace-", "forecast-"))
    }
    assert lines == {
        "pace-short": (["2024-12-31", "2027-12-31"], [0.308, 0.32], "dash", True),
        "pace-medium": (
            ["2024-12-31", "2031-12-31"],
            [0.308, 0.33],
            "longdash",
            True,
        ),
        "pace-long": (
            ["2024-12-31", "2036-12-31"],
            [0.308, 0.35],
            "longdashdot",
            True,
        ),
        "forecast-short": (["2026-08-16", "2027-12-31"], [0.30, 0.29], "dot", True),
        "forecast-medium": (["2026-08-16", "2031-12-31"], [0.30, 0.27], "dot", False),
        "forecast-long": (["2026-08-16", "2036-12-31"], [0.30, 0.25], "dot", False),
    }
    assert by_uid["forecast-long"]["customdata"] == [
        ["Tendance (long terme)<br>16 août 2026 : 30,0\u00a0%"],
        ["Tendance (long terme)<br>31 déc. 2036 : 25,0\u00a0%"],
    ]


def test_actual_series_leaves_a_gap_where_there_is_no_value(
    catalog: Catalog,
) -> None:
    """No invented zero: null y, gaps kept, '—' in the hover text."""
    actual = traces(figure_json(catalog, make_trajectory()))["actual"]
    assert (actual["x"], actual["y"], actual["connectgaps"], actual["mode"]) == (
        ["2026-02-15", "2026-05-16", "2026-08-16"],
        [0.31, None, 0.30],
        False,
        "lines+markers",
    )
    assert actual["customdata"] == [
        ["2026Q1 : 31,0\u00a0%"],
        ["2026Q2 : —"],
        ["2026Q3 : 30,0\u00a0%"],
    ]


LEGEND = {
    "fr": [
        "Rythme attendu (court terme)",
        "Tendance",
        "Rythme attendu (moyen terme)",
        "Tendance",
        "Rythme attendu (long terme)",
        "Tendance",
        "Réalisé",
        "Point de départ (31 déc. 2024)",
        "Cible court terme (31 déc. 2027) — En retard",
        "Cible moyen terme (31 déc. 2031) — À surveiller",
        "Cible long terme (31 déc. 2036) — En bonne voie",
        "Référence externe : Mailchimp, secteur Business & Finance",
    ],
    "en": [
        "Expected pace (short term)",
        "Trend",
        "Expected pace (medium term)",
        "Trend",
        "Expected pace (long term)",
        "Trend",
        "Actual",
        "Baseline (31 Dec 2024)",
        "Short-term target (31 Dec 2027) — Off track",
        "Medium-term target (31 Dec 2031) — At risk",
        "Long-term target (31 Dec 2036) — On track",
        "Benchmark: Mailchimp, Business & Finance",
    ],
}
TITLES = {
    "fr": ("Taux d'ouverture des lettres d'information", "Taux"),
    "en": ("Newsletter open rate", "Rate"),
}


@pytest.mark.parametrize(("lang", "locale"), [("fr", "fr_FR"), ("en", "en_GB")])
def test_texts_follow_the_page_language(
    catalog: Catalog, lang: str, locale: str
) -> None:
    """Title, y-axis title and every legend entry in the page's language."""
    trajectory = replace(
        make_trajectory(), benchmark=catalog.kpi("newsletter_open_rate").benchmark
    )
    figure = figure_json(catalog, trajectory, lang, locale)
    layout = figure["layout"]
    assert [t["name"] for t in figure["data"]] == LEGEND[lang]
    assert (layout["title"]["text"], layout["yaxis"]["title"]["text"]) == TITLES[lang]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fr_FR", ",\u202f"), ("en_GB", ".,"), ("de_DE", ",."), ("de_CH", ".\u2019")],
)
def test_separators_follow_the_locale(
    catalog: Catalog, locale: str, expected: str
) -> None:
    """Decimal mark then group mark, as CLDR gives them for the locale."""
    assert plotly_separators(locale) == expected
    figure = figure_json(catalog, make_trajectory(), "fr", locale)
    assert figure["layout"]["separators"] == expected


@pytest.mark.parametrize("kpi_id", ["newsletter_open_rate", "new_members"])
def test_benchmark_line_exactly_where_the_catalogue_has_one(
    catalog: Catalog, kpi_id: str
) -> None:
    """A dash-dot line across the axis at the value, a note with label and source."""
    kpi = catalog.kpi(kpi_id)
    trajectory = replace(make_trajectory(kpi_id), benchmark=kpi.benchmark)
    figure = figure_json(catalog, trajectory, "en", "en_GB")
    by_uid = traces(figure)
    notes = [a["text"] for a in figure["layout"].get("annotations", [])]
    if kpi.benchmark is None:
        assert ("benchmark" in by_uid, notes) == (False, [])
        return
    line = by_uid["benchmark"]
    assert (line["x"], line["y"], line["line"]["dash"]) == (
        figure["layout"]["xaxis"]["range"],
        [0.2156, 0.2156],
        "dashdot",
    )
    assert notes == [
        "Benchmark: Mailchimp, Business & Finance, 21.6%"
        "<br>Source: Mailchimp email marketing benchmarks, October 2019"
    ]


def test_every_catalogue_benchmark_and_only_those_get_a_line(
    store: Store, catalog: Catalog
) -> None:
    """Built for real on an empty database: a benchmark line iff the KPI has one."""
    quarter = parse_period("2026Q2")
    drawn = {}
    for kpi_id in catalog.kpis:
        trajectory = build_trajectory(store, catalog, None, kpi_id, quarter, quarter)
        assert has_data(trajectory) is False
        by_meta = traces(figure_json(catalog, trajectory))
        if "benchmark" in by_meta:
            drawn[kpi_id] = by_meta["benchmark"]["y"]
    assert drawn == {
        "active_members": [170, 170],
        "member_retention_rate": [0.90, 0.90],
        "sme_share": [0.80, 0.80],
        "event_attendance_rate": [0.68, 0.68],
        "newsletter_open_rate": [0.2156, 0.2156],
        "newsletter_click_rate": [0.0272, 0.0272],
        "newsletter_unsubscribe_rate": [0.0021, 0.0021],
    }


def test_x_axis_spans_from_the_data_to_the_last_horizon_by_default(
    catalog: Catalog,
) -> None:
    """From 2026Q1 (the baseline of 2024 lies before the range) to 2036, plus margins.

    Yearly ticks shown as years only: no month names in another language.
    """
    xaxis = figure_json(catalog, make_trajectory())["layout"]["xaxis"]
    assert xaxis["range"] == ["2025-09-23", "2037-04-10"]
    assert (xaxis["tickformat"], xaxis["dtick"]) == ("%Y", "M12")


def test_x_axis_includes_the_baseline_when_it_lies_within_the_range(
    catalog: Catalog,
) -> None:
    """A range that starts in 2024Q4 shows the baseline of 31 Dec 2024."""
    trajectory = make_trajectory()
    trajectory = replace(trajectory, series=(point("2024Q4", 0.30), *trajectory.series))
    xaxis = figure_json(catalog, trajectory, horizon=Horizon.SHORT)["layout"]["xaxis"]
    assert xaxis["range"] == ["2024-09-01", "2028-01-30"]


def test_short_horizon_axis_stops_lines_there_and_marks_later_targets_at_the_edge(
    catalog: Catalog,
) -> None:
    """Data window 2026 plus the short horizon (end of 2027), not the long one (2036)."""
    figure = figure_json(catalog, make_trajectory(), horizon=Horizon.SHORT)
    assert figure["layout"]["xaxis"]["range"] == ["2025-12-02", "2028-01-30"]
    by_uid = traces(figure)
    lines = {
        uid: (t["x"], [round(y, 4) for y in t["y"]], t.get("marker", {}).get("size"))
        for uid, t in by_uid.items()
        if uid.startswith(("pace-", "forecast-"))
    }
    assert lines == {
        "pace-short": (["2024-12-31", "2027-12-31"], [0.308, 0.32], None),
        "pace-medium": (["2024-12-31", "2027-12-31"], [0.308, 0.3174], None),
        "pace-long": (["2024-12-31", "2027-12-31"], [0.308, 0.3185], None),
        "forecast-short": (["2026-08-16", "2027-12-31"], [0.30, 0.29], [0, 12]),
        "forecast-medium": (["2026-08-16", "2027-12-31"], [0.30, 0.2923], [0, 0]),
        "forecast-long": (["2026-08-16", "2027-12-31"], [0.30, 0.2934], [0, 0]),
    }
    targets = {
        uid: (t["x"], t["y"], t["mode"], t.get("text"), t.get("cliponaxis"))
        for uid, t in by_uid.items()
        if uid.startswith("target-")
    }
    assert targets == {
        "target-short": (["2027-12-31"], [0.32], "markers", None, None),
        "target-medium": (
            ["2028-01-30"],
            [0.33],
            "markers+text",
            ["cible 33,0\u00a0% · 31 déc. 2031\u2002"],
            False,
        ),
        "target-long": (
            ["2028-01-30"],
            [0.35],
            "markers+text",
            ["cible 35,0\u00a0% · 31 déc. 2036\u2002"],
            False,
        ),
    }


def test_edge_label_of_a_later_target_in_english(catalog: Catalog) -> None:
    """The value and the date follow the page's language and locale."""
    figure = figure_json(
        catalog, make_trajectory(), "en", "en_GB", horizon=Horizon.MEDIUM
    )
    assert traces(figure)["target-long"]["text"] == ["target 35.0% · 31 Dec 2036\u2002"]


def test_trend_of_a_falling_count_stops_at_zero(catalog: Catalog) -> None:
    """Joint publications: a trend towards −1.5 runs along zero from where it hits it."""
    trajectory = make_trajectory("new_members", values=(4, None, 3), unit=Unit.COUNT)
    tracks = tuple(
        replace(
            track,
            pace=Segment(BASE, 3, track.day, 6),
            forecast=Segment(date(2026, 8, 16), 3.0, track.day, value),
            target=6,
        )
        for track, value in zip(trajectory.horizons, (1.5, -0.5, -1.5), strict=True)
    )
    trajectory = replace(trajectory, baseline=Baseline(BASE, 3), horizons=tracks)
    by_uid = traces(figure_json(catalog, trajectory))
    assert (by_uid["forecast-long"]["x"], by_uid["forecast-long"]["y"]) == (
        ["2026-08-16", "2033-07-17", "2036-12-31"],
        [3.0, 0.0, 0.0],
    )
    assert by_uid["forecast-long"]["marker"]["size"] == [0, 0, 12]
    assert min(y for t in by_uid.values() for y in t["y"] if y is not None) == 0.0


def test_pace_lines_differ_by_colour_and_dash_each_with_its_legend_entry(
    catalog: Catalog,
) -> None:
    """Okabe-Ito colours for colour-blind readers, dash patterns for grey print."""
    by_uid = traces(figure_json(catalog, make_trajectory(), "en", "en_GB"))
    assert [
        (by_uid[f"pace-{h.value}"]["name"], by_uid[f"pace-{h.value}"]["line"])
        for h in Horizon
    ] == [
        (
            "Expected pace (short term)",
            {"color": "#E69F00", "dash": "dash", "width": 2},
        ),
        (
            "Expected pace (medium term)",
            {"color": "#009E73", "dash": "longdash", "width": 2},
        ),
        (
            "Expected pace (long term)",
            {"color": "#CC79A7", "dash": "longdashdot", "width": 2},
        ),
    ]


@pytest.mark.parametrize(
    ("kpi_id", "lang", "title"),
    [
        ("member_churn_rate", "fr", "Taux — plus bas, c'est mieux"),
        ("member_churn_rate", "en", "Rate — lower is better"),
        ("newsletter_unsubscribe_rate", "en", "Rate — lower is better"),
        ("new_members", "fr", "Nombre par trimestre"),
        ("new_members", "en", "Count per quarter"),
        ("active_members", "fr", "Nombre en fin de trimestre"),
        ("social_followers", "en", "Count at quarter end"),
        ("member_nps", "en", "Score"),
    ],
)
def test_y_axis_says_what_is_counted_and_when_lower_is_better(
    catalog: Catalog, kpi_id: str, lang: str, title: str
) -> None:
    """Nothing inverted silently: lower-is-better KPIs say so on the axis."""
    kpi = catalog.kpi(kpi_id)
    trajectory = make_trajectory(kpi_id, direction=kpi.direction, unit=kpi.unit)
    assert axis_title(kpi, trajectory, lang) == title
    layout = figure_json(catalog, trajectory, lang)["layout"]
    assert layout["yaxis"]["title"]["text"] == title


def test_counts_are_grouped_by_the_locale_on_the_axis(catalog: Catalog) -> None:
    unit = catalog.kpi("website_sessions").unit
    trajectory = make_trajectory("website_sessions", (950.0, 1200.0, 1100.0), unit=unit)
    layout = figure_json(catalog, trajectory)["layout"]
    assert (layout["yaxis"]["tickformat"], layout["separators"]) == (",~f", ",\u202f")


@pytest.mark.parametrize(
    ("lang", "locale", "labels"),
    [
        ("fr", "fr_FR", ["24\xa0%", "26\xa0%", "28\xa0%", "30\xa0%", "32\xa0%",
                         "34\xa0%", "36\xa0%"]),
        ("en", "en_GB", ["24%", "26%", "28%", "30%", "32%", "34%", "36%"]),
    ],
)  # fmt: skip
def test_rates_are_percentages_in_the_locales_layout_on_the_axis(
    catalog: Catalog, lang: str, locale: str, labels: list[str]
) -> None:
    """Round ticks over every value drawn (trend 25 %, long-term target 35 %)."""
    layout = figure_json(catalog, make_trajectory(), lang, locale)["layout"]
    assert (layout["yaxis"]["tickvals"], layout["yaxis"]["ticktext"]) == (
        [0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.36],
        labels,
    )


def test_small_rates_get_two_decimals_on_the_axis(catalog: Catalog) -> None:
    """Unsubscribes around 0.25 %: ticks 0,20 %, 0,22 % … stay apart."""
    trajectory = make_trajectory(
        "newsletter_unsubscribe_rate", (0.002, 0.003, 0.0025), tracked=False
    )
    layout = figure_json(catalog, trajectory)["layout"]
    assert layout["yaxis"]["ticktext"] == [
        "0,20\xa0%", "0,22\xa0%", "0,24\xa0%", "0,26\xa0%", "0,28\xa0%", "0,30\xa0%"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "ticks", "step"),
    [
        (0.25, 0.35, [0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.36], 0.02),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 0.2),
        (0.3, 0.3, [0.26, 0.28, 0.3, 0.32, 0.34], 0.02),  # one value: a band around it
        (12.0, 13.0, [12.0, 12.2, 12.4, 12.6, 12.8, 13.0], 0.2),
    ],
)
def test_nice_ticks_are_round_and_cover_the_values(
    low: float, high: float, ticks: list[float], step: float
) -> None:
    assert nice_ticks(low, high) == (ticks, step)


def test_untracked_kpi_shows_only_its_series(catalog: Catalog) -> None:
    """No baseline, target, pace or trend traces without a tracked target."""
    figure = figure_json(catalog, make_trajectory("sme_share", tracked=False))
    assert list(traces(figure)) == ["actual"]


def test_empty_series_still_gives_a_valid_figure(catalog: Catalog) -> None:
    """The caller shows an empty state, but the figure itself does not break."""
    empty = make_trajectory(values=(None, None, None), tracked=False)
    assert (has_data(empty), has_data(make_trajectory())) == (False, True)
    figure = figure_json(catalog, empty)
    assert traces(figure)["actual"]["y"] == [None, None, None]
    assert figure["layout"]["xaxis"]["range"] == ["2025-12-02", "2026-10-31"]


def test_figure_from_the_fixture_cluster_draws_its_trajectory(
    store: Store, catalog: Catalog
) -> None:
    """End to end on the fixture cluster: 42 % in 2026Q2 against 60, 65 and 70 %."""
    load_fixture(store)
    days = (date(2026, 12, 31), date(2030, 12, 31), date(2035, 12, 31))
    strategy = Strategy(
        positioning=Positioning(cluster_name="Fixture cluster"),
        horizons=dict(zip(Horizon, days, strict=True)),
        targets={
            "newsletter_open_rate": KpiTarget(
                baseline_value=0.40,
                baseline_date=date(2025, 12, 31),
                short=0.60,
                medium=0.65,
                long=0.70,
            )
        },
    )
    trajectory = build_trajectory(
        store,
        catalog,
        strategy,
        "newsletter_open_rate",
        parse_period("2026Q1"),
        parse_period("2026Q2"),
    )
    by_uid = traces(figure_json(catalog, trajectory, "en", "en_GB"))
    # The statuses test_scorecard works out by hand for the same strategy.
    assert [
        (t["x"], t["y"], t["name"])
        for uid, t in by_uid.items()
        if uid.startswith("target-")
    ] == [
        (["2026-12-31"], [0.60], "Short-term target (31 Dec 2026) — Off track"),
        (["2030-12-31"], [0.65], "Medium-term target (31 Dec 2030) — At risk"),
        (["2035-12-31"], [0.70], "Long-term target (31 Dec 2035) — On track"),
    ]
    assert by_uid["actual"]["customdata"][-1] == ["2026Q2: 42.0%"]
