"""Small vector charts of a KPI against its targets, drawn with fpdf2 lines and shapes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from clusterkpi.catalog import Unit
from clusterkpi.exports.pdf_document import MUTED, PackDocument
from clusterkpi.exports.pdf_legend import (
    GRID_GREY,
    PACE_DASH,
    PACE_GREY,
    TREND_DASH,
    cross,
    marker,
)
from clusterkpi.i18n import format_ratio, format_value, t
from clusterkpi.periods import parse_period
from clusterkpi.snapshot_model import FrozenKpi
from clusterkpi.strategy import Horizon

Place = Callable[[date, float], tuple[float, float]]  # (day, value) → (x, y) in mm


@dataclass(frozen=True)
class ChartSeries:
    """What one KPI chart draws, already placed in time."""

    label: str
    unit: Unit
    actual: list[tuple[date, float | None]]  # mid-quarter, value (None: a gap)
    baseline: tuple[date, float] | None
    targets: list[tuple[Horizon, date, float]]
    trend: list[tuple[date, float]]  # the dotted forecast, from the last value on
    horizon_days: list[date]  # the time axis runs to the last, targets or not


def chart_series(
    kpi: FrozenKpi, label: str, unit: Unit, baseline_day: date | None
) -> ChartSeries:
    """Return the chart of a frozen KPI: history, baseline, targets and trend."""
    actual = []
    for period_label, value in kpi.history:
        period = parse_period(period_label)
        actual.append((period.start + (period.end - period.start) / 2, value))
    known = [(d, v) for d, v in actual if v is not None]
    targets = [
        (h.horizon, h.day, h.target) for h in kpi.horizons if h.target is not None
    ]
    baseline = None
    if kpi.baseline is not None and baseline_day is not None:
        baseline = (baseline_day, kpi.baseline)
    ahead = sorted((h.day, h.forecast) for h in kpi.horizons if h.forecast is not None)
    trend: list[tuple[date, float]] = []
    if known and len(ahead) >= 2:
        # The forecasts lie on one least-squares line: start it at the last value's date.
        (d1, v1), (d2, v2) = ahead[0], ahead[1]
        last = known[-1][0]
        slope = (v2 - v1) / ((d2 - d1).days or 1)
        trend = [(last, v1 + slope * (last - d1).days), *ahead]
    elif known and ahead:
        trend = [known[-1], *ahead]
    days = [h.day for h in kpi.horizons]
    return ChartSeries(label, unit, actual, baseline, targets, trend, days)


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Return round tick values covering [low, high], about ``count`` intervals."""
    if high - low < 1e-12:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(first + len(ticks) * step)
    return ticks


def draw_chart(
    pdf: PackDocument, series: ChartSeries, box: tuple[float, float, float, float]
) -> None:
    """Draw one chart in ``box`` (x, y, width, height in mm)."""
    x, y, w, h = box
    pdf.font(6.5, bold=True)
    pdf.set_xy(x, y)
    pdf.multi_cell(w, 2.9, series.label, align="L", max_line_height=2.9)
    # Every chart of a page then shares one time axis, tracked KPIs or not.
    dates = [d for d, _ in series.actual] + series.horizon_days
    values = [v for _, v in series.actual if v is not None]
    values += [v for _, _, v in series.targets]
    if series.baseline:
        dates.append(series.baseline[0])
        values.append(series.baseline[1])
    if not values:
        pdf.font(6.5, grey=MUTED)
        pdf.text(x + 2, y + h / 2, t("export.chart.no_data", pdf.lang))
        return
    ticks = nice_ticks(min(values), max(values))
    left, top, right, bottom = x + 13, y + 7.5, x + w - 2.5, y + h - 4.5
    d0, d1 = min(dates).toordinal() - 60, max(dates).toordinal() + 60

    def at(day: date, value: float) -> tuple[float, float]:
        fx = (day.toordinal() - d0) / (d1 - d0)
        fy = (value - ticks[0]) / (ticks[-1] - ticks[0])
        return left + fx * (right - left), bottom - fy * (bottom - top)

    _axes(pdf, series.unit, ticks, (left, top, right, bottom), (d0, d1), at)
    # local_context saves fpdf2's own record of colours and dashes with the PDF state:
    # rect_clip alone restores the PDF state only, and later colour changes get lost.
    with (
        pdf.local_context(),
        pdf.rect_clip(left, top - 1.5, right - left, bottom - top + 1.5),
    ):
        _lines(pdf, series, at)
    if series.baseline:
        cross(pdf, *at(*series.baseline))
    for horizon, day, target in series.targets:
        marker(pdf, horizon, *at(day, target))


def _lines(pdf: PackDocument, series: ChartSeries, at: Place) -> None:
    """Draw the pace lines, the trend and the actual series (clipped by the caller)."""
    pdf.set_line_width(0.25)
    pdf.set_draw_color(PACE_GREY)
    pdf.set_dash_pattern(*PACE_DASH)
    if series.baseline:
        for _, day, target in series.targets:
            pdf.line(*at(*series.baseline), *at(day, target))
    pdf.set_draw_color(0)
    pdf.set_line_width(0.35)
    pdf.set_dash_pattern(*TREND_DASH)
    if len(series.trend) > 1:
        pdf.polyline([at(d, v) for d, v in series.trend])
    pdf.set_dash_pattern()
    pdf.set_line_width(0.3)
    pdf.set_fill_color(0)
    # A quarter without a value breaks the line rather than bridging the gap.
    runs: list[list[tuple[float, float]]] = [[]]
    for day, value in series.actual:
        if value is None:
            runs.append([])
        else:
            runs[-1].append(at(day, value))
    for run in runs:
        if len(run) > 1:
            pdf.polyline(run)
        for px, py in run:
            pdf.circle(px, py, 0.4, style="F")


def _axes(
    pdf: PackDocument,
    unit: Unit,
    ticks: list[float],
    plot: tuple[float, float, float, float],
    span: tuple[int, int],
    at: Place,
) -> None:
    left, top, right, bottom = plot
    step = ticks[1] - ticks[0]
    pdf.set_line_width(0.1)
    pdf.set_dash_pattern()
    pdf.font(5.5, grey=MUTED)
    for value in ticks:
        _, ty = at(date.fromordinal(span[0]), value)
        pdf.set_draw_color(GRID_GREY)
        pdf.line(left, ty, right, ty)
        text = _tick(value, step, unit, pdf.locale_code)
        pdf.text(left - 1 - pdf.get_string_width(text), ty + 0.9, text)
    pdf.set_draw_color(MUTED)
    pdf.set_line_width(0.2)
    pdf.line(left, bottom, right, bottom)
    first, last = date.fromordinal(span[0]).year + 1, date.fromordinal(span[1]).year
    every = next(n for n in (1, 2, 3, 5, 10) if (last - first) / n <= 5)
    for year in range(first, last + 1):
        if (year - first) % every:
            continue
        tx, _ = at(date(year, 1, 1), ticks[0])
        pdf.line(tx, bottom, tx, bottom + 0.8)
        label = str(year)
        pdf.text(tx - pdf.get_string_width(label) / 2, bottom + 3.2, label)


def _tick(value: float, step: float, unit: Unit, locale: str) -> str:
    if unit is Unit.RATE and step >= 0.01:
        return format_ratio(value, locale)
    return format_value(0.0 if abs(value) < 1e-12 else value, unit, locale)
