"""Tests for clusterkpi.exports.pdf_charts: the board pack's KPI charts, as printed."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from clusterkpi.catalog import Catalog, Unit
from clusterkpi.exports import export_snapshot, pdf_objective
from clusterkpi.exports.pdf_charts import (
    ChartSeries,
    chart_series,
    chart_values,
    draw_chart,
    nice_ticks,
    shown_until,
)
from clusterkpi.exports.pdf_document import PackDocument
from clusterkpi.exports.pdf_legend import draw_legend
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon
from tests.test_exports import (
    HORIZON_DAYS,
    SMALL,
    frozen_kpi,
    make_snapshot,
    pdf_pages,
)

A4_WIDTH = 210.0
BASELINE_DAY = date(2024, 12, 31)


def test_every_chart_of_the_pack_spans_the_text_width(
    tmp_path: Path, catalog: Catalog, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """182 mm of 210: more than half the page, and never across a page break."""
    boxes: list[tuple[float, float, float, float]] = []

    def record(pdf: PackDocument, series: ChartSeries, box: Any) -> None:
        boxes.append(box)
        draw_chart(pdf, series, box)

    monkeypatch.setattr(pdf_objective, "draw_chart", record)
    snapshot = make_snapshot(catalog, dict.fromkeys(catalog.objectives, "RAS."))
    export_snapshot(store, catalog, snapshot, "pdf", "fr", tmp_path / "all.pdf")
    assert len(boxes) == len(snapshot.kpis)
    assert {(x, round(w, 1), h) for x, _, w, h in boxes} == {(14.0, 182.0, 56.0)}
    assert 182.0 >= A4_WIDTH / 2
    # The footer starts 16 mm above the bottom of the 297 mm page.
    assert max(y + h for _, y, _, h in boxes) <= 297 - 16


def test_chart_and_key_text_is_8_pt_or_more(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The KPI's name at 9 pt, ticks, years, edge labels and the key at 8 pt."""
    sizes: list[float] = []
    original = PackDocument.set_font

    def record(self: PackDocument, family: Any = None, style: Any = "", size: Any = 0):
        sizes.append(size)
        original(self, family, style, size)

    pdf = PackDocument("fr", "fr_FR", "Essai")
    pdf.add_page()
    monkeypatch.setattr(PackDocument, "set_font", record)
    draw_legend(pdf, pdf.l_margin, 20, pdf.width)
    kpi = frozen_kpi(catalog, "new_members", 0)
    series = chart_series(
        kpi, "Nouveaux adhérents", Unit.COUNT, BASELINE_DAY, date(2027, 12, 31)
    )
    assert len(series.beyond) == 2
    draw_chart(pdf, series, (pdf.l_margin, 40, pdf.width, 56))
    assert sorted(set(sizes)) == [8.0, 9.0]


def test_the_axis_runs_from_the_data_to_the_short_horizon(catalog: Catalog) -> None:
    """Data from 2024Q1, the short horizon at the end of 2027; later targets at the edge."""
    kpi = frozen_kpi(catalog, "new_members", 0)
    series = chart_series(
        kpi, "Nouveaux adhérents", Unit.COUNT, BASELINE_DAY, date(2027, 12, 31)
    )
    assert series.span == (date(2024, 1, 1), date(2027, 12, 31))
    assert series.targets == [(Horizon.SHORT, date(2027, 12, 31), 500.0)]
    assert series.beyond == [
        (Horizon.MEDIUM, date(2031, 12, 31), 600.0),
        (Horizon.LONG, date(2036, 12, 31), 700.0),
    ]
    assert [(h, line[-1]) for h, line in series.pace] == [
        (Horizon.SHORT, (date(2027, 12, 31), 500.0)),
        (Horizon.MEDIUM, (date(2027, 12, 31), 400.0 + 200.0 * 1095 / 2556)),
        (Horizon.LONG, (date(2027, 12, 31), 400.0 + 300.0 * 1095 / 4383)),
    ]
    assert series.trend[-1][0] == date(2027, 12, 31)


def test_without_a_horizon_the_axis_runs_to_the_last_one(catalog: Catalog) -> None:
    kpi = frozen_kpi(catalog, "new_members", 0)
    series = chart_series(kpi, "Nouveaux adhérents", Unit.COUNT, BASELINE_DAY)
    assert (series.span, series.beyond) == (
        (date(2024, 1, 1), HORIZON_DAYS[Horizon.LONG]),
        [],
    )


def test_a_falling_count_trend_stops_at_zero_inside_the_y_axis(
    catalog: Catalog,
) -> None:
    """Forecasts of 2, −0.5 and −1.5: the drawn trend runs along zero, ticks from 0."""
    kpi = frozen_kpi(catalog, "joint_publications", 0)
    falling = tuple(
        replace(h, forecast=value)
        for h, value in zip(kpi.horizons, (2.0, -0.5, -1.5), strict=True)
    )
    history = tuple((q, 3.0) for q, _ in kpi.history)
    kpi = replace(kpi, horizons=falling, history=history, baseline=3.0)
    series = chart_series(kpi, "Publications", Unit.COUNT, BASELINE_DAY)
    assert min(v for _, v in series.trend) == 0.0
    assert series.trend[-1] == (date(2036, 12, 31), 0.0)
    ticks = nice_ticks(min(chart_values(series)), max(chart_values(series)))
    assert (ticks[0], ticks[-1]) == (0.0, 800.0)


def test_a_rate_trend_stays_at_or_below_100_percent(catalog: Catalog) -> None:
    kpi = frozen_kpi(catalog, "newsletter_open_rate", 0)
    rising = tuple(
        replace(h, forecast=value)
        for h, value in zip(kpi.horizons, (0.9, 1.2, 1.5), strict=True)
    )
    series = chart_series(
        replace(kpi, horizons=rising), "Ouverture", Unit.RATE, BASELINE_DAY
    )
    assert max(v for _, v in series.trend) == 1.0


def test_the_pack_labels_later_targets_with_value_and_date(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    snapshot = make_snapshot(catalog, SMALL)
    pdf = export_snapshot(store, catalog, snapshot, "pdf", "fr", tmp_path / "p.pdf")
    objective = pdf_pages(pdf)[2]
    assert re.search(r"cible 60,0\s% 31 déc\. 2031", objective), objective
    assert "Rythme attendu (court terme)" in objective
    assert "Rythme attendu (long terme)" in objective


@pytest.mark.parametrize(
    ("as_of", "until"),
    [
        (date(2026, 9, 30), date(2027, 12, 31)),
        (date(2027, 12, 31), date(2031, 12, 31)),
        (date(2040, 3, 31), date(2036, 12, 31)),
    ],
)
def test_the_pack_shows_the_first_horizon_still_ahead(as_of: date, until: date) -> None:
    assert shown_until(HORIZON_DAYS, as_of) == until


def test_no_horizon_date_leaves_the_axis_to_the_data() -> None:
    assert shown_until({}, date(2026, 9, 30)) is None
