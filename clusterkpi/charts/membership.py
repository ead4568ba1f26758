"""Plotly figures of the membership page: members, flows, retention, mix, places."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from babel import Locale

from clusterkpi.catalog import Unit
from clusterkpi.charts.theme import data_text, new_figure
from clusterkpi.i18n import (
    format_day,
    format_ratio,
    format_value,
    number_locale,
    plotly_separators,
    t,
)
from clusterkpi.membership import Geography, PlaceCount, TypeCount, TypeMix

# Two inks that stay apart in greyscale; hatching and dashes carry the rest.
DARK = "#1f3b63"
LIGHT = "#7f93ad"
HATCH = "/"
_HOVER = "%{customdata}<extra></extra>"
_MAX_MARKED_POINTS = 40  # markers on every point only while they stay readable
_BAR_HEIGHT = 30


@dataclass(frozen=True)
class _Words:
    """The page language and number locale, with the formatting the figures share."""

    lang: str
    loc: str

    def __call__(self, key: str, **values: object) -> str:
        return t(f"membership.{key}", self.lang, **values)

    def count(self, value: float) -> str:
        return format_value(float(value), Unit.COUNT, self.loc)

    def rate(self, value: float | None) -> str:
        return format_value(value, Unit.RATE, self.loc)

    def day(self, day: date) -> str:
        return format_day(day, self.loc)

    def country(self, code: str) -> str:
        name: str = Locale.parse(self.lang).territories.get(code, code)
        return name


def members_figure(
    flows: pd.DataFrame, lang: str, locale: str | None = None
) -> go.Figure:
    """Line of the members on the last day of each period (``count_flows`` rows)."""
    w = _Words(lang, locale or number_locale(lang))
    periods, values = list(flows["period"]), [int(v) for v in flows["members_end"]]
    hovers = [
        w("members.hover", period=p, value=w.count(v))
        for p, v in zip(periods, values, strict=True)
    ]
    fig = new_figure(
        _line("members", periods, values, w("members.trace"), hovers, DARK, "solid")
    )
    _layout(fig, w, w("members.title"), w("axis.members"))
    fig.update_yaxes(rangemode="tozero")
    return _mark_empty(fig, w, not periods)


def flows_figure(
    flows: pd.DataFrame, lang: str, locale: str | None = None
) -> go.Figure:
    """Bars of joins (up, solid) and leaves (down, hatched) per period."""
    w = _Words(lang, locale or number_locale(lang))
    periods = list(flows["period"])
    fig = new_figure()
    for column, sign, colour, pattern in (
        ("joins", 1, DARK, ""),
        ("leaves", -1, LIGHT, HATCH),
    ):
        values = [int(v) for v in flows[column]]
        hovers = [
            w(f"flows.hover_{column}", period=p, value=w.count(v))
            for p, v in zip(periods, values, strict=True)
        ]
        fig.add_bar(
            uid=column,
            x=periods,
            y=[sign * v for v in values],
            name=w(f"flows.{column}"),
            marker={
                "color": colour,
                "line": {"color": DARK, "width": 1},
                "pattern": {"shape": pattern, "fgcolor": DARK},
            },
            customdata=hovers,
            hovertemplate=_HOVER,
        )
    _layout(fig, w, w("flows.title"), w("axis.members"))
    fig.update_layout(barmode="relative", bargap=0.15)
    fig.update_yaxes(zeroline=True, zerolinecolor="black", zerolinewidth=1)
    return _mark_empty(fig, w, not periods)


def retention_figure(
    flows: pd.DataFrame, lang: str, locale: str | None = None
) -> go.Figure:
    """Lines of retention (solid) and churn (dashed) per period, in percent (0-100)."""
    w = _Words(lang, locale or number_locale(lang))
    periods, bases = list(flows["period"]), [int(v) for v in flows["members_start"]]
    fig = new_figure()
    for rate, count, colour, dash in (
        ("retention", "retained", DARK, "solid"),
        ("churn", "churned", LIGHT, "dash"),
    ):
        rates = [None if math.isnan(v) else float(v) for v in flows[rate]]
        hovers = [
            w(
                f"retention.hover_{rate}",
                period=p,
                value=w.rate(r),
                count=w.count(c),
                base=w.count(b),
            )
            for p, r, c, b in zip(periods, rates, flows[count], bases, strict=True)
        ]
        percents = [None if r is None else 100 * r for r in rates]
        name = w(f"retention.{rate}")
        fig.add_trace(_line(rate, periods, percents, name, hovers, colour, dash))
    _layout(fig, w, w("retention.title"), w("axis.share"))
    # The locale's own percent layout: French writes "80 %" with a narrow space.
    suffix = format_ratio(1.0, w.loc).replace("100", "", 1)
    fig.update_yaxes(range=[0, 102], ticksuffix=suffix)
    return _mark_empty(fig, w, not periods)


def type_mix_figure(mix: TypeMix, lang: str, locale: str | None = None) -> go.Figure:
    """Horizontal bars of the members by type, labelled with counts and shares.

    Shares are over the members of known type, as the title's SME share (SMEs and
    start-ups): the two bars add up to it. Members of unknown type get their own
    bar, last, with their count only, and the title says they were not counted.
    """
    w = _Words(lang, locale or number_locale(lang))
    items: list[TypeCount] = list(mix.types)
    names = [w(f"type.{c.member_type}") for c in items]
    if mix.unknown:
        items.append(TypeCount("unknown", mix.unknown, 0.0))
        names.append(t("member_types.unknown_type", lang))
    bars = _bars(w, "types", names, items, None, "")
    if mix.unknown:
        # Outside the shares' base: a count, never a share of the others.
        unknown = w.count(mix.unknown)
        bars.text = (*bars.text[:-1], unknown)
        hover = w("bar.hover_count", name=names[-1], count=unknown)
        bars.customdata = (*bars.customdata[:-1], hover)
    fig = new_figure(bars)
    day, share = w.day(mix.period.last_day), w.rate(mix.sme_share)
    counts = [c.members for c in items]
    title = w("mix.title", date=day, share=share) + _unknown_note(w, "sme", mix.unknown)
    _layout(fig, w, title, w("axis.members"), counts)
    return _mark_empty(fig, w, not counts)


def _unknown_note(w: _Words, kind: str, unknown: int) -> str:
    """Return the title's second line saying how many members a share leaves out."""
    if not unknown:
        return ""
    key = f"member_types.{kind}_note" + ("_one" if unknown == 1 else "")
    return "<br><sub>" + t(key, w.lang, count=w.count(unknown)) + "</sub>"


def countries_figure(
    geography: Geography, lang: str, locale: str | None = None
) -> go.Figure:
    """Horizontal bars of the members by country: home country solid, others hatched.

    The title gives the international share; hovering a bar lists its regions.
    """
    w = _Words(lang, locale or number_locale(lang))
    home = w.country(geography.home_country)
    fig = new_figure()
    for abroad in (False, True):
        places = [
            c
            for c in geography.countries
            if (c.country != geography.home_country) == abroad
        ]
        if not places:
            continue
        names = [w.country(c.country) for c in places]
        legend = w("places.abroad" if abroad else "places.home", country=home)
        regions = [_regions(w, c.country, geography.regions) for c in places]
        uid, pattern = ("abroad", HATCH) if abroad else ("home", "")
        fig.add_trace(_bars(w, uid, names, places, legend, pattern, regions))
    if geography.unknown:
        # Members whose country is unknown: a dotted bar of their own, last.
        name = t("member_types.unknown_country", lang)
        share = geography.unknown / geography.total
        unknown = [PlaceCount("", None, geography.unknown, share)]
        fig.add_trace(_bars(w, "unknown", [name], unknown, name, "."))
    counts = [c.members for c in geography.countries]
    counts += [geography.unknown] if geography.unknown else []
    title = w(
        "places.title",
        date=w.day(geography.period.last_day),
        home=home,
        share=w.rate(geography.international_share),
    ) + _unknown_note(w, "country", geography.unknown)
    _layout(fig, w, title, w("axis.members"), counts)
    names = [w.country(c.country) for c in geography.countries]
    if geography.unknown:
        names.append(t("member_types.unknown_country", lang))
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    return _mark_empty(fig, w, not counts)


def regions_figure(
    geography: Geography, lang: str, locale: str | None = None
) -> go.Figure:
    """Horizontal bars of the members by region, as the roster records them.

    Regions of the home country are solid, others hatched; members without a
    region are counted in the title. Without any region recorded (the roster
    imported had no region column), the figure says so instead of showing bars.
    """
    w = _Words(lang, locale or number_locale(lang))
    fig = new_figure()
    for abroad in (False, True):
        places = [
            r
            for r in geography.regions
            if (r.country != geography.home_country) == abroad
        ]
        if not places:
            continue
        names = [_region_name(w, r, geography.home_country) for r in places]
        home = w.country(geography.home_country)
        legend = w("places.abroad" if abroad else "places.home", country=home)
        uid, pattern = ("abroad", HATCH) if abroad else ("home", "")
        fig.add_trace(_bars(w, uid, names, places, legend, pattern))
    counts = [r.members for r in geography.regions]
    located = sum(counts)
    title = w("regions.title", date=w.day(geography.period.last_day))
    if counts and located < geography.total:
        missing = geography.total - located
        key = "regions.unknown" + ("_one" if missing == 1 else "")
        title += "<br><sub>" + w(key, count=w.count(missing)) + "</sub>"
    _layout(fig, w, title, w("axis.members"), counts)
    names = [_region_name(w, r, geography.home_country) for r in geography.regions]
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    if not counts and geography.total:
        # Members, but no region recorded: not "no member", but "no region imported".
        fig.add_annotation(
            text=w("regions.no_data"),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    return _mark_empty(fig, w, not counts)


def _region_name(w: _Words, place: PlaceCount, home_country: str) -> str:
    # A region abroad names its country: "Catalogne" alone would not say where it is.
    region = data_text(str(place.region))
    if place.country == home_country:
        return region
    return w("regions.abroad", region=region, country=w.country(place.country))


def _regions(w: _Words, country: str, regions: Sequence[PlaceCount]) -> list[str]:
    return [
        w("places.region", region=data_text(str(r.region)), count=w.count(r.members))
        for r in regions
        if r.country == country
    ]


def _line(
    uid: str,
    x: list[str],
    y: Sequence[float | None],
    name: str,
    hovers: list[str],
    colour: str,
    dash: str,
) -> go.Scatter:
    # Solid line with filled dots or dashed line with open squares: apart in greyscale.
    symbol = "circle" if dash == "solid" else "square-open"
    return go.Scatter(
        uid=uid,
        x=x,
        y=list(y),
        name=name,
        mode="lines+markers" if len(x) <= _MAX_MARKED_POINTS else "lines",
        line={"color": colour, "dash": dash, "width": 2},
        marker={"symbol": symbol, "size": 7},
        customdata=hovers,
        hovertemplate=_HOVER,
    )


def _bars(
    w: _Words,
    uid: str,
    names: list[str],
    items: Sequence[TypeCount | PlaceCount],
    legend: str | None,
    pattern: str,
    details: list[list[str]] | None = None,
) -> go.Bar:
    # Counts and shares are written on the bars: the figure reads without colour.
    counted = [(w.count(i.members), w.rate(i.share)) for i in items]
    labels = [w("bar.label", count=n, share=s) for n, s in counted]
    hovers = [
        "<br>".join([w("bar.hover", name=k, count=n, share=s), *more])
        for k, (n, s), more in zip(
            names, counted, details or [[]] * len(names), strict=True
        )
    ]
    return go.Bar(
        uid=uid,
        x=[i.members for i in items],
        y=names,
        orientation="h",
        text=labels,
        textposition="outside",
        cliponaxis=False,
        name=legend,
        showlegend=legend is not None,
        marker={
            "color": LIGHT,
            "line": {"color": DARK, "width": 1},
            "pattern": {"shape": pattern, "fgcolor": DARK},
        },
        customdata=hovers,
        hovertemplate=_HOVER,
    )


def _layout(
    fig: go.Figure, w: _Words, title: str, y_title: str, bars: list[int] | None = None
) -> None:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=plotly_separators(w.loc),
        font={"family": "Liberation Sans, Arial, sans-serif", "color": "black"},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
    )
    if bars is None:
        fig.update_xaxes(title_text=w("axis.period"), type="category")
        fig.update_yaxes(title_text=y_title, tickformat=",~f")
        return
    # Horizontal bars: counts along x with room for the outside labels, biggest on top.
    fig.update_layout(height=160 + _BAR_HEIGHT * max(len(bars), 3), bargap=0.2)
    fig.update_xaxes(
        title_text=y_title, tickformat=",~f", range=[0, 1.25 * max(bars, default=1)]
    )
    fig.update_yaxes(autorange="reversed", automargin=True, ticklabelstandoff=6)


def _mark_empty(fig: go.Figure, w: _Words, empty: bool) -> go.Figure:
    if empty:
        fig.add_annotation(
            text=w("no_data"), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    return fig
