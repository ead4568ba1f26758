"""Vector charts of a KPI against its targets, drawn with fpdf2 lines and shapes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from clusterkpi.catalog import Unit
from clusterkpi.exports.pdf_document import MUTED, PackDocument
from clusterkpi.exports.pdf_legend import (
    GRID_GREY,
    PACE_STYLES,
    TEXT_PT,
    TREND_DASH,
    cross,
    marker,
)
from clusterkpi.i18n import format_day, format_ratio, format_value, t
from clusterkpi.periods import parse_period
from clusterkpi.snapshot_model import FrozenKpi
from clusterkpi.strategy import Horizon
from clusterkpi.trajectory import Point, clip_line

Place = Callable[[date, float], tuple[float, float]]  # (day, value) → (x, y) in mm

TITLE_PT = 9.0  # the KPI's name above its chart
# Room for the tick labels on the left, the title above and the years below (mm).
_LEFT, _TOP, _RIGHT, _BOTTOM = 18.0, 8.5, 3.0, 6.0
_GUTTER = 24.0  # right of the plot: the labels of targets due after the span
_MARGIN_DAYS = 45  # so that the markers at both ends are drawn whole


@dataclass(frozen=True)
class ChartSeries:
    """What one KPI chart draws, already placed in time and cut to its span."""

    label: str
    unit: Unit
    actual: list[tuple[date, float | None]]  # mid-quarter, value (None: a gap)
    baseline: tuple[date, float] | None
    targets: list[tuple[Horizon, date, float]]  # due within the span
    beyond: list[tuple[Horizon, date, float]]  # due later: marked at the right edge
    pace: list[tuple[Horizon, list[Point]]]  # baseline → target, cut at the span's end
    trend: list[Point]  # the dotted forecast from the last value, within the domain
    span: tuple[date, date]  # the data, to the horizon shown


def chart_series(
    kpi: FrozenKpi,
    label: str,
    unit: Unit,
    baseline_day: date | None,
    until: date | None = None,
) -> ChartSeries:
    """Return the chart of a frozen KPI: history, baseline, targets, pace and trend.

    The time axis runs from the first quarter with data to the last one or to
    ``until`` (the horizon shown; None: the last horizon), whichever is later.
    """
    periods = [parse_period(label) for label, _ in kpi.history]
    actual = [
        (p.start + (p.end - p.start) / 2, value)
        for p, (_, value) in zip(periods, kpi.history, strict=True)
    ]
    valued = [
        p for p, (_, v) in zip(periods, kpi.history, strict=True) if v is not None
    ]
    days = [valued[0].start, valued[-1].end] if valued else []
    if not days and periods:
        days = [periods[0].start, periods[-1].end]
    end = until or max((h.day for h in kpi.horizons), default=None)
    days += [end] if end else []
    baseline = None
    if kpi.baseline is not None and baseline_day is not None:
        baseline = (baseline_day, kpi.baseline)
        if periods and baseline_day >= periods[0].start:
            days.append(baseline_day)
    # No day at all means no history and no horizon: "no data" is drawn, not the span.
    span = (min(days), max(days)) if days else (date.min, date.min)
    targets = [
        (h.horizon, h.day, h.target) for h in kpi.horizons if h.target is not None
    ]
    pace = [
        (horizon, clip_line([baseline, (day, target)], unit, span[1]))
        for horizon, day, target in targets
        if baseline is not None
    ]
    return ChartSeries(
        label=label,
        unit=unit,
        actual=actual,
        baseline=baseline,
        targets=[x for x in targets if x[1] <= span[1]],
        beyond=[x for x in targets if x[1] > span[1]],
        pace=pace,
        trend=clip_line(_trend(kpi, actual), unit, span[1]),
        span=span,
    )


def _trend(kpi: FrozenKpi, actual: list[tuple[date, float | None]]) -> list[Point]:
    known = [(d, v) for d, v in actual if v is not None]
    ahead = sorted((h.day, h.forecast) for h in kpi.horizons if h.forecast is not None)
    if known and len(ahead) >= 2:
        # The forecasts lie on one least-squares line: start it at the last value's date.
        (d1, v1), (d2, v2) = ahead[0], ahead[1]
        last = known[-1][0]
        slope = (v2 - v1) / ((d2 - d1).days or 1)
        return [(last, v1 + slope * (last - d1).days), *ahead]
    if known and ahead:
        return [(known[-1][0], float(known[-1][1])), *ahead]
    return []


def chart_values(series: ChartSeries) -> list[float]:
    """Return every value a chart draws: its y axis must cover them all."""
    values = [v for _, v in series.actual if v is not None]
    values += [v for _, _, v in series.targets + series.beyond]
    values += [v for _, line in series.pace for _, v in line]
    values += [v for _, v in series.trend]
    if series.baseline and series.baseline[0] >= series.span[0]:
        values.append(series.baseline[1])
    return values


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
    pdf.font(TITLE_PT, bold=True)
    pdf.set_xy(x, y)
    pdf.multi_cell(w, 4, series.label, align="L", max_line_height=4)
    values = chart_values(series)
    if not values:
        pdf.font(TEXT_PT, grey=MUTED)
        pdf.text(x + 2, y + h / 2, t("export.chart.no_data", pdf.lang))
        return
    ticks = nice_ticks(min(values), max(values))
    gutter = _GUTTER if series.beyond else _RIGHT
    left, top, right, bottom = x + _LEFT, y + _TOP, x + w - gutter, y + h - _BOTTOM
    d0 = series.span[0].toordinal() - _MARGIN_DAYS
    d1 = series.span[1].toordinal() + _MARGIN_DAYS

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
    if series.baseline and series.baseline[0] >= date.fromordinal(d0):
        cross(pdf, *at(*series.baseline))
    for horizon, day, target in series.targets:
        marker(pdf, horizon, *at(day, target))
    _beyond(pdf, series, at(date.fromordinal(d1), 0)[0], at)


def _lines(pdf: PackDocument, series: ChartSeries, at: Place) -> None:
    """Draw the pace lines, the trend and the actual series (clipped by the caller)."""
    for horizon, line in series.pace:
        colour, dash, width = PACE_STYLES[horizon]
        pdf.set_draw_color(*colour)
        pdf.set_line_width(width)
        pdf.set_dash_pattern(*dash)
        if len(line) > 1:
            pdf.polyline([at(d, v) for d, v in line])
    pdf.set_draw_color(0)
    pdf.set_line_width(0.45)
    pdf.set_dash_pattern(*TREND_DASH)
    if len(series.trend) > 1:
        pdf.polyline([at(d, v) for d, v in series.trend])
    pdf.set_dash_pattern()
    pdf.set_line_width(0.4)
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
            pdf.circle(px, py, 0.55, style="F")


def _beyond(pdf: PackDocument, series: ChartSeries, edge: float, at: Place) -> None:
    """Mark targets due after the span at the right edge; value and date beside."""
    placed: list[float] = []
    for horizon, day, target in sorted(series.beyond, key=lambda b: -b[2]):
        _, my = at(day, target)
        marker(pdf, horizon, edge, my)
        value = format_value(target, series.unit, pdf.locale_code)
        # Labels of close targets step down rather than overprint each other.
        ty = max([my, *(p + 7.4 for p in placed)])
        placed.append(ty)
        pdf.font(TEXT_PT, grey=MUTED)
        pdf.text(edge + 2.8, ty - 0.2, t("export.chart.beyond", pdf.lang, value=value))
        pdf.text(edge + 2.8, ty + 3.2, format_day(day, pdf.locale_code))


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
    pdf.font(TEXT_PT, grey=MUTED)
    for value in ticks:
        _, ty = at(date.fromordinal(span[0]), value)
        pdf.set_draw_color(GRID_GREY)
        pdf.line(left, ty, right, ty)
        text = _tick(value, step, unit, pdf.locale_code)
        pdf.text(left - 1.2 - pdf.get_string_width(text), ty + 1.0, text)
    pdf.set_draw_color(MUTED)
    pdf.set_line_width(0.2)
    pdf.line(left, bottom, right, bottom)
    start, end = date.fromordinal(span[0]), date.fromordinal(span[1])
    first = start.year + (start > date(start.year, 1, 1))
    every = next(n for n in (1, 2, 5, 10) if (end.year - first) / n <= 8)
    for year in range(first, end.year + 1, every):
        tx, _ = at(date(year, 1, 1), ticks[0])
        pdf.line(tx, bottom, tx, bottom + 0.8)
        label = str(year)
        pdf.text(tx - pdf.get_string_width(label) / 2, bottom + 4.0, label)


def _tick(value: float, step: float, unit: Unit, locale: str) -> str:
    if unit is Unit.RATE and step >= 0.01:
        return format_ratio(value, locale)
    return format_value(0.0 if abs(value) < 1e-12 else value, unit, locale)


def shown_until(horizon_dates: dict[Horizon, date], as_of: date) -> date | None:
    """Return the horizon a pack's charts run to: the first one still ahead.

    The board reads the quarter against the nearest horizon; the later targets are
    marked at the charts' edge. None when there is no horizon date at all.
    """
    days = sorted(horizon_dates.values())
    ahead = [d for d in days if d > as_of]
    return ahead[0] if ahead else (days[-1] if days else None)
