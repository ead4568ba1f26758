"""The KPI trajectory chart: actual series, baseline, targets, pace, trend and benchmark."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from clusterkpi.catalog import Benchmark, Direction, Grain, Kpi, Unit
from clusterkpi.charts.theme import new_figure
from clusterkpi.i18n import (
    STATUS_ICONS,
    format_day,
    format_percent_tick,
    format_ratio,
    format_value,
    plotly_separators,
    t,
)
from clusterkpi.strategy import Horizon
from clusterkpi.trajectory import (
    Baseline,
    HorizonTrack,
    Segment,
    Trajectory,
    clip_line,
    data_window,
)

# Shapes and dash patterns tell the traces apart without colour (black-and-white
# print); colour only repeats what the status word in the legend already says.
SYMBOLS = {Horizon.SHORT: "square", Horizon.MEDIUM: "diamond", Horizon.LONG: "star"}
ACTUAL_COLOUR = "#1f4e79"
BENCHMARK_COLOUR = "#7b3f98"
ACTUAL_LINE = {"color": ACTUAL_COLOUR, "width": 2.5}
# Okabe-Ito colours (told apart with colour blindness) and three dash patterns (told
# apart in grey print): one per horizon's expected pace.
PACE_LINES = {
    Horizon.SHORT: {"color": "#E69F00", "dash": "dash", "width": 2},
    Horizon.MEDIUM: {"color": "#009E73", "dash": "longdash", "width": 2},
    Horizon.LONG: {"color": "#CC79A7", "dash": "longdashdot", "width": 2},
}
TREND_LINE = {"color": ACTUAL_COLOUR, "dash": "dot", "width": 2}
BENCHMARK_LINE = {"color": BENCHMARK_COLOUR, "dash": "dashdot", "width": 1.5}
# Hover texts are formatted in Python (locale-aware) and passed as customdata.
_HOVER = "%{customdata[0]}<extra></extra>"


def kpi_figure(
    trajectory: Trajectory,
    kpi: Kpi,
    lang: str,
    locale: str,
    horizon: Horizon | None = None,
) -> go.Figure:
    """Return the trajectory chart of one KPI, with texts in ``lang``.

    ``locale`` (e.g. fr_FR) formats hover numbers and sets the axis separators.
    ``kpi`` gives the title and the axis wording; every value drawn, the benchmark
    included, comes from ``trajectory``. The time axis runs from the data (see
    :func:`shown_span`) to ``horizon``'s date (None: the last horizon); lines stop
    there and a target beyond it is marked at the right edge with its date. Each
    trace has a language-independent ``meta`` (plotly.io.to_json drops ``uid``):
    actual, baseline, benchmark, and target-, pace- and forecast-<horizon>. Without
    data the figure is still valid, but the caller should show an empty state (see
    ``trajectory.has_data``).
    """
    first, last = shown_span(trajectory, horizon)
    start, end = _padded(first, last)
    fig = new_figure()
    for rank, track in enumerate(trajectory.horizons):
        fig.add_traces(_guides(track, trajectory, lang, locale, last, rank))
    fig.add_trace(_actual(trajectory, lang, locale))
    if trajectory.baseline is not None:
        fig.add_trace(_baseline(trajectory.baseline, trajectory.unit, lang, locale))
    for rank, track in enumerate(trajectory.horizons):
        edge = end if track.day > last else None
        fig.add_trace(_target(track, trajectory, lang, locale, 3 + rank, edge))
    if trajectory.benchmark is not None:
        _add_benchmark(
            fig, trajectory.benchmark, trajectory.unit, lang, locale, (start, end)
        )
    fig.update_layout(
        title={"text": kpi.label.get(lang), "y": 0.98, "yanchor": "top"},
        separators=plotly_separators(locale),
        hovermode="closest",
        height=480,
        margin={"t": 100 if trajectory.benchmark else 60, "r": 30, "b": 20, "l": 70},
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
        xaxis={"range": [start, end], "tickformat": "%Y", "dtick": "M12"},
        yaxis={
            "title": {"text": axis_title(kpi, trajectory, lang)},
            **_y_ticks(fig, trajectory.unit, locale),
        },
    )
    return fig


def axis_title(kpi: Kpi, trajectory: Trajectory, lang: str) -> str:
    """Return the y-axis title: what is counted, and 'lower is better' when it is."""
    if kpi.unit is not Unit.COUNT:
        title = t(f"chart.axis.{kpi.unit.value}", lang)
    elif kpi.additive:
        title = t(f"chart.axis.flow.{trajectory.grain.value}", lang)
    elif kpi.grain is Grain.STOCK:
        title = t(f"chart.axis.stock.{trajectory.grain.value}", lang)
    else:
        title = t("chart.axis.count", lang)
    if trajectory.direction is Direction.LOWER:
        return t("chart.axis.lower", lang, axis=title)
    return title


def _actual(trajectory: Trajectory, lang: str, locale: str) -> go.Scatter:
    return go.Scatter(
        meta="actual",
        name=t("chart.actual", lang),
        x=[p.mid for p in trajectory.series],
        y=[p.value for p in trajectory.series],
        mode="lines+markers",
        connectgaps=False,
        line=ACTUAL_LINE,
        marker={"symbol": "circle", "size": 7, "color": ACTUAL_COLOUR},
        legendrank=1,
        customdata=[
            [_at(p.label, p.value, trajectory.unit, lang, locale)]
            for p in trajectory.series
        ],
        hovertemplate=_HOVER,
    )


def _baseline(baseline: Baseline, unit: Unit, lang: str, locale: str) -> go.Scatter:
    day, value = baseline.day, baseline.value
    name = t("chart.baseline", lang, date=format_day(day, locale))
    return go.Scatter(
        meta="baseline",
        name=name,
        x=[day],
        y=[value],
        mode="markers",
        marker={"symbol": "x", "size": 11, "color": "black"},
        legendrank=2,
        customdata=[[f"{name}<br>{format_value(value, unit, locale)}"]],
        hovertemplate=_HOVER,
    )


def shown_span(trajectory: Trajectory, horizon: Horizon | None) -> tuple[date, date]:
    """Return the first and last day a chart shows, before its margins.

    From the first period with data (or the baseline, when it falls within the
    chosen periods) to the end of the last period with data or ``horizon``'s date,
    whichever is later; None stands for the last horizon.
    """
    window = data_window(trajectory)
    series = trajectory.series
    days = (
        list(window) if window else [p.start for p in series] + [p.end for p in series]
    )
    if trajectory.baseline is not None and series:
        if series[0].start <= trajectory.baseline.day:
            days.append(trajectory.baseline.day)
    tracks = [t for t in trajectory.horizons if horizon in (None, t.horizon)]
    days += [track.day for track in tracks]
    return min(days), max(days)


def _target(
    track: HorizonTrack,
    trajectory: Trajectory,
    lang: str,
    locale: str,
    rank: int,
    edge: date | None,
) -> go.Scatter:
    """The target marker; beyond the shown range, at its right ``edge``, labelled."""
    status = track.assessment.status.value
    word = t(f"status.{status}", lang)
    day = format_day(track.day, locale)
    target = t(f"chart.target.{track.horizon.value}", lang, date=day)
    value = format_value(track.target, trajectory.unit, locale)
    lines = [
        target,
        t("chart.hover.target", lang, value=value),
        t("chart.hover.status", lang, period=trajectory.series[-1].label, status=word),
    ]
    if track.assessment.progress is not None:
        progress = format_ratio(track.assessment.progress, locale)
        expected = format_ratio(track.assessment.expected, locale)
        lines.append(
            t("chart.hover.progress", lang, progress=progress, expected=expected)
        )
    marker = go.Scatter(
        meta=f"target-{track.horizon.value}",
        name=t("chart.target.status", lang, target=target, status=word),
        legendrank=rank,
        x=[track.day],
        y=[track.target],
        mode="markers",
        marker={
            "symbol": SYMBOLS[track.horizon],
            "size": 15,
            "color": STATUS_ICONS[status][1],
            "line": {"color": "black", "width": 1.5},
        },
        customdata=[["<br>".join(lines)]],
        hovertemplate=_HOVER,
    )
    if edge is not None:
        label = t("chart.target.beyond", lang, value=value, date=day)
        marker.update(
            x=[edge],
            mode="markers+text",
            # An en space keeps the text clear of the marker it stands beside.
            text=[label + "\u2002"],
            textposition="middle left",
            textfont={"size": 12},
            cliponaxis=False,
        )
    return marker


def _guides(
    track: HorizonTrack,
    trajectory: Trajectory,
    lang: str,
    locale: str,
    until: date,
    rank: int,
) -> list[go.Scatter]:
    # Each horizon's pace has its own legend entry (colour and dash differ); the
    # trends of all horizons lie on one line, so one entry explains them.
    pace = _segment("pace", track, track.pace, trajectory, lang, locale, until)
    guides = [
        pace.update(
            name=t("chart.pace.horizon", lang, horizon=_horizon_word(track, lang)),
            mode="lines",
            line=PACE_LINES[track.horizon],
            legendrank=10 + rank,
            legendgroup=pace.meta,
            showlegend=True,
        )
    ]
    if track.forecast is not None:
        trend = _segment(
            "forecast", track, track.forecast, trajectory, lang, locale, until
        )
        # An open marker where the trend lands on the horizon date, if it is shown.
        sizes = [0] * len(trend.x or ())
        if trend.x and trend.x[-1] == track.day:
            sizes[-1] = 12
        marker = {
            "symbol": SYMBOLS[track.horizon] + "-open",
            "size": sizes,
            "color": ACTUAL_COLOUR,
        }
        guides.append(
            trend.update(
                mode="lines+markers",
                line=TREND_LINE,
                marker=marker,
                legendrank=20,
                showlegend=rank == 0,
            )
        )
    return guides


def _segment(
    role: str,
    track: HorizonTrack,
    line: Segment,
    trajectory: Trajectory,
    lang: str,
    locale: str,
    until: date,
) -> go.Scatter:
    label = t(f"chart.{role}.horizon", lang, horizon=_horizon_word(track, lang))
    unit = trajectory.unit
    ends = [(line.start, line.start_value), (line.end, line.end_value)]
    points = clip_line(ends, unit, until)
    return go.Scatter(
        meta=f"{role}-{track.horizon.value}",
        name=t(f"chart.{role}", lang),
        legendgroup=role,
        x=[d for d, _ in points],
        y=[v for _, v in points],
        customdata=[
            [f"{label}<br>{_at(format_day(d, locale), v, unit, lang, locale)}"]
            for d, v in points
        ],
        hovertemplate=_HOVER,
    )


def _add_benchmark(
    fig: go.Figure,
    benchmark: Benchmark,
    unit: Unit,
    lang: str,
    locale: str,
    span: tuple[date, date],
) -> None:
    label = benchmark.label.get(lang)
    value = format_value(benchmark.value, unit, locale)
    note = t(
        "chart.benchmark.note", lang, label=label, value=value, source=benchmark.source
    )
    fig.add_trace(
        go.Scatter(
            meta="benchmark",
            name=t("chart.benchmark", lang, label=label),
            x=list(span),
            y=[benchmark.value, benchmark.value],
            mode="lines",
            line=BENCHMARK_LINE,
            legendrank=90,
            customdata=[[note]] * 2,
            hovertemplate=_HOVER,
        )
    )
    # Above the plot, under the title: on the line itself the note would hide targets.
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=1.02,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        text=note,
        font={"size": 11, "color": BENCHMARK_COLOUR},
    )


def _padded(first: date, last: date) -> tuple[date, date]:
    # A margin so that the markers at both ends are drawn whole.
    pad = timedelta(days=max(30, (last - first).days // 40))
    return first - pad, last + pad


def _y_ticks(fig: go.Figure, unit: Unit, locale: str) -> dict[str, Any]:
    """Return the y axis's tick settings: counts by plotly, rates labelled here.

    plotly writes percentages as '35%' whatever the locale; the ticks of a rate are
    placed here and labelled in the locale's own layout (French: '35 %').
    """
    if unit is not Unit.RATE:
        return {"tickformat": ",~f"}
    values = [y for trace in fig.data for y in (trace.y or ()) if y is not None]
    if not values:
        return {"tickformat": ".1~%"}
    ticks, step = nice_ticks(min(values), max(values))
    # As many decimals (of the percentage) as the step needs, at most three.
    digits = next(
        d for d in range(4) if abs(round(step * 100, d) - step * 100) < 1e-9 or d == 3
    )
    return {
        "tickvals": ticks,
        "ticktext": [format_percent_tick(v, digits, locale) for v in ticks],
    }


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], float]:
    """Return about ``count`` round tick values covering [low, high], and their step."""
    if high - low < 1e-12:  # one value: a band around it
        pad = abs(high) * 0.1 or 0.01
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(
        m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999
    )
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)], step


def _at(when: str, value: float | None, unit: Unit, lang: str, locale: str) -> str:
    return t("chart.hover.at", lang, when=when, value=format_value(value, unit, locale))


def _horizon_word(track: HorizonTrack, lang: str) -> str:
    return t(f"horizon.{track.horizon.value}", lang).lower()
