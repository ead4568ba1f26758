"""Tests for clusterkpi.charts.membership: the figures' JSON in French and English."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import pytest

from clusterkpi.charts.membership import (
    countries_figure,
    flows_figure,
    members_figure,
    regions_figure,
    retention_figure,
    type_mix_figure,
)
from clusterkpi.charts.theme import data_text
from clusterkpi.i18n import plotly_separators, strings
from clusterkpi.membership import (
    FLOW_COLUMNS,
    MEMBER_TYPES,
    Geography,
    PlaceCount,
    TypeCount,
    TypeMix,
)
from clusterkpi.periods import parse_period

NNBSP, NBSP = "\u202f", "\u00a0"  # French group separator; space before %
Q2 = parse_period("2026Q2")
# A consistent history: nobody before 2026Q1, then 1,200 members who come and go.
FLOWS = pd.DataFrame(
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 4, 1), 0, 1200, 0, 1200, 0, 0,
         math.nan, math.nan),
        ("2026Q2", date(2026, 4, 1), date(2026, 7, 1), 1200, 40, 10, 1230, 1192, 8,
         1192 / 1200, 8 / 1200),
        ("2026Q3", date(2026, 7, 1), date(2026, 10, 1), 1230, 3, 2, 1231, 1228, 2,
         1228 / 1230, 2 / 1230),
    ],
    columns=list(FLOW_COLUMNS),
)  # fmt: skip
EMPTY = FLOWS.iloc[0:0]
MIX = TypeMix(
    Q2, 9, 6, (TypeCount("sme", 4, 4 / 9), TypeCount("startup", 2, 2 / 9),
               TypeCount("association", 3, 3 / 9))
)  # fmt: skip
GEO = Geography(
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


def traces(fig: Any) -> list[dict[str, Any]]:
    return fig.to_dict()["data"]


def layout(fig: Any) -> dict[str, Any]:
    return fig.to_dict()["layout"]


def test_separators_follow_the_locale() -> None:
    assert (plotly_separators("fr_FR"), plotly_separators("en_GB")) == (
        "," + NNBSP,
        ".,",
    )


def test_members_line_in_french_and_english() -> None:
    fr, en = members_figure(FLOWS, "fr"), members_figure(FLOWS, "en")
    (line,) = traces(fr)
    assert [line[k] for k in ("type", "uid", "mode")] == [
        "scatter",
        "members",
        "lines+markers",
    ]
    assert (list(line["x"]), list(line["y"])) == (
        ["2026Q1", "2026Q2", "2026Q3"],
        [1200, 1230, 1231],
    )
    assert list(line["customdata"]) == [
        f"2026Q1 — adhérents : 1{NNBSP}200",
        f"2026Q2 — adhérents : 1{NNBSP}230",
        f"2026Q3 — adhérents : 1{NNBSP}231",
    ]
    assert traces(en)[0]["customdata"][1] == "2026Q2 — members: 1,230"
    assert (line["name"], traces(en)[0]["name"]) == ("Adhérents", "Members")
    assert layout(fr)["title"]["text"] == "Adhérents au dernier jour de chaque période"
    assert layout(en)["title"]["text"] == "Members on the last day of each period"
    axes = [layout(f)["xaxis"]["title"]["text"] for f in (fr, en)]
    assert axes == ["Période", "Period"]
    assert (layout(fr)["separators"], layout(en)["separators"]) == ("," + NNBSP, ".,")


def test_flows_bars_show_leaves_below_zero_and_hatched() -> None:
    fig = flows_figure(FLOWS, "fr")
    joins, leaves = traces(fig)
    assert [(t["type"], t["uid"], t["name"]) for t in (joins, leaves)] == [
        ("bar", "joins", "Adhésions"),
        ("bar", "leaves", "Départs"),
    ]
    assert (list(joins["y"]), list(leaves["y"])) == ([1200, 40, 3], [0, -10, -2])
    assert [t["marker"]["pattern"]["shape"] for t in (joins, leaves)] == ["", "/"]
    assert list(leaves["customdata"]) == [
        "2026Q1 — départs : 0",
        "2026Q2 — départs : 10",
        "2026Q3 — départs : 2",
    ]
    assert layout(fig)["barmode"] == "relative"
    en = flows_figure(FLOWS, "en")
    assert [t["name"] for t in traces(en)] == ["Joins", "Leaves"]
    assert layout(en)["title"]["text"] == "Joins and leaves per period"


def test_retention_and_churn_lines_in_percent() -> None:
    fig = retention_figure(FLOWS, "fr")
    retention, churn = traces(fig)
    assert [(t["uid"], t["name"], t["line"]["dash"]) for t in (retention, churn)] == [
        ("retention", "Fidélisation", "solid"),
        ("churn", "Attrition", "dash"),
    ]
    assert (retention["y"][0], churn["y"][0]) == (None, None)
    assert list(retention["y"][1:]) == pytest.approx([119200 / 1200, 122800 / 1230])
    assert list(churn["y"][1:]) == pytest.approx([800 / 1200, 200 / 1230])
    assert list(retention["customdata"]) == [
        "2026Q1 — fidélisation : — (0 sur 0)",
        f"2026Q2 — fidélisation : 99,3{NBSP}% (1{NNBSP}192 sur 1{NNBSP}200)",
        f"2026Q3 — fidélisation : 99,8{NBSP}% (1{NNBSP}228 sur 1{NNBSP}230)",
    ]
    assert layout(fig)["yaxis"]["ticksuffix"] == NBSP + "%"
    assert layout(fig)["yaxis"]["range"] == [0, 102]
    en = retention_figure(FLOWS, "en")
    # Rates under 10 % keep a second decimal, as everywhere in the app.
    assert list(traces(en)[1]["customdata"][1:]) == [
        "2026Q2 — churn: 0.67% (8 of 1,200)",
        "2026Q3 — churn: 0.16% (2 of 1,230)",
    ]
    assert layout(en)["yaxis"]["ticksuffix"] == "%"
    assert layout(en)["title"]["text"] == "Member retention and churn per period"


def test_type_mix_bars_carry_translated_types_counts_and_shares() -> None:
    fig = type_mix_figure(MIX, "fr")
    (bars,) = traces(fig)
    assert (bars["type"], bars["orientation"], bars["uid"]) == ("bar", "h", "types")
    assert list(bars["y"]) == ["PME", "Start-up", "Association"]
    assert list(bars["x"]) == [4, 2, 3]
    assert list(bars["text"]) == [
        f"4 (44,4{NBSP}%)",
        f"2 (22,2{NBSP}%)",
        f"3 (33,3{NBSP}%)",
    ]
    assert bars["customdata"][0] == f"PME — adhérents : 4 (44,4{NBSP}%)"
    assert layout(fig)["title"]["text"] == (
        "Adhérents par type au 30 juin 2026 — part des PME, start-up comprises :"
        f" 66,7{NBSP}%"
    )
    assert layout(fig)["yaxis"]["autorange"] == "reversed"
    en = type_mix_figure(MIX, "en")
    assert list(traces(en)[0]["y"]) == ["SME", "Start-up", "Association"]
    assert traces(en)[0]["text"][0] == "4 (44.4%)"
    assert layout(en)["title"]["text"] == (
        "Members by type on 30 Jun 2026 — SME share, start-ups included: 66.7%"
    )


def test_countries_bars_split_home_and_abroad_with_the_international_share() -> None:
    fig = countries_figure(GEO, "fr")
    home, abroad = traces(fig)
    assert [
        (t["uid"], t["name"], t["marker"]["pattern"]["shape"]) for t in (home, abroad)
    ] == [
        ("home", "France (pays du cluster)", ""),
        ("abroad", "Hors France", "/"),
    ]
    assert (list(home["y"]), list(home["x"])) == (["France"], [5])
    assert (list(abroad["y"]), list(abroad["x"])) == (["Belgique"], [4])
    assert list(abroad["customdata"]) == [
        f"Belgique — adhérents : 4 (44,4{NBSP}%)<br>Wallonie : 3<br>Bruxelles : 1"
    ]
    assert layout(fig)["title"]["text"] == (
        f"Adhérents par pays au 30 juin 2026 — hors France : 44,4{NBSP}%"
    )
    assert list(layout(fig)["yaxis"]["categoryarray"]) == ["France", "Belgique"]
    en = countries_figure(GEO, "en")
    assert [t["name"] for t in traces(en)] == [
        "France (home country)",
        "Outside France",
    ]
    assert list(traces(en)[1]["y"]) == ["Belgium"]
    assert layout(en)["title"]["text"] == (
        "Members by country on 30 Jun 2026 — outside France: 44.4%"
    )


def test_a_browser_locale_changes_numbers_not_words() -> None:
    fig = members_figure(FLOWS, "fr", "fr_CH")
    assert layout(fig)["separators"] == plotly_separators("fr_CH")
    assert traces(fig)[0]["name"] == "Adhérents"


def test_empty_data_says_so_and_hides_the_axes() -> None:
    empty_geo = Geography(Q2, "FR", 0, 0, (), ())
    figures = [
        members_figure(EMPTY, "fr"),
        flows_figure(EMPTY, "fr"),
        retention_figure(EMPTY, "fr"),
        type_mix_figure(TypeMix(Q2, 0, 0, ()), "fr"),
        countries_figure(empty_geo, "fr"),
        regions_figure(empty_geo, "fr"),
    ]
    for fig in figures:
        assert [a["text"] for a in layout(fig)["annotations"]] == [
            "Aucun adhérent sur cette période."
        ]
        assert (layout(fig)["xaxis"]["visible"], layout(fig)["yaxis"]["visible"]) == (
            False,
            False,
        )
    assert layout(figures[4])["title"]["text"].endswith("hors France : —")


def test_every_member_type_has_a_label_in_both_languages() -> None:
    for lang in ("fr", "en"):
        labels = [strings(lang).get(f"membership.type.{k}") for k in MEMBER_TYPES]
        assert None not in labels and len(set(labels)) == len(MEMBER_TYPES)


def test_both_languages_define_the_same_membership_keys() -> None:
    fr = {k for k in strings("fr") if k.startswith("membership.")}
    en = {k for k in strings("en") if k.startswith("membership.")}
    assert fr == en


MIX_UNKNOWN = TypeMix(
    Q2, 10, 3, (TypeCount("sme", 2, 2 / 6), TypeCount("startup", 1, 1 / 6),
                TypeCount("association", 3, 3 / 6)), unknown=4,
)  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "names", "title"),
    [
        ("en", ["SME", "Start-up", "Association", "Unknown type"],
         "Members by type on 30 Jun 2026 — SME share, start-ups included: 50.0%"
         "<br><sub>4 members of unknown type not counted</sub>"),
        ("fr", ["PME", "Start-up", "Association", "Type inconnu"],
         "Adhérents par type au 30 juin 2026 — part des PME, start-up comprises :"
         f" 50,0{NBSP}%"
         "<br><sub>4 membres de type inconnu non comptés</sub>"),
    ],
)  # fmt: skip
def test_members_of_unknown_type_have_a_bar_and_a_note(
    lang: str, names: list[str], title: str
) -> None:
    # The share: SMEs and start-ups (3) over the 6 members of known type, 50 %.
    fig = type_mix_figure(MIX_UNKNOWN, lang)
    (bars,) = traces(fig)
    assert (list(bars["x"]), list(bars["y"])) == ([2, 1, 3, 4], names)
    assert layout(fig)["title"]["text"] == title


def test_type_shares_add_up_to_the_sme_share_and_unknowns_show_a_count() -> None:
    # SMEs 2/6 and start-ups 1/6 of the known members: the title's 50 %.
    (bars,) = traces(type_mix_figure(MIX_UNKNOWN, "en"))
    assert list(bars["text"]) == ["2 (33.3%)", "1 (16.7%)", "3 (50.0%)", "4"]
    assert bars["customdata"][3] == "Unknown type — members: 4"


def test_regions_bars_name_the_country_of_regions_abroad() -> None:
    fig = regions_figure(GEO, "fr")
    assert [(tr["uid"], list(tr["x"]), list(tr["y"])) for tr in traces(fig)] == [
        ("home", [5], ["Occitanie"]),
        ("abroad", [3, 1], ["Wallonie (Belgique)", "Bruxelles (Belgique)"]),
    ]
    assert traces(fig)[1]["text"][0] == f"3 (33,3{NBSP}%)"
    assert layout(fig)["title"]["text"] == "Adhérents par région au 30 juin 2026"
    assert list(layout(fig)["yaxis"]["categoryarray"]) == [
        "Occitanie",
        "Wallonie (Belgique)",
        "Bruxelles (Belgique)",
    ]


def test_regions_chart_counts_the_members_without_a_region() -> None:
    geo = Geography(
        Q2, "FR", 9, 4, GEO.countries, (PlaceCount("FR", "Occitanie", 5, 5 / 9),)
    )
    assert layout(regions_figure(geo, "en"))["title"]["text"] == (
        "Members by region on 30 Jun 2026"
        "<br><sub>4 members with no known region not counted</sub>"
    )


def test_no_region_imported_says_so_rather_than_no_member() -> None:
    geo = Geography(Q2, "FR", 9, 4, GEO.countries, ())
    fig = regions_figure(geo, "fr")
    assert traces(fig) == []
    assert [a["text"] for a in layout(fig)["annotations"]] == [
        "Aucune région : la liste des adhérents importée n'a pas de colonne région."
    ]
    assert (layout(fig)["xaxis"]["visible"], layout(fig)["yaxis"]["visible"]) == (
        False,
        False,
    )


def test_one_member_of_unknown_country_is_said_in_the_singular() -> None:
    geo = Geography(
        period=Q2,
        home_country="FR",
        total=5,
        international=1,
        countries=(PlaceCount("FR", None, 3, 3 / 5), PlaceCount("BE", None, 1, 1 / 5)),
        regions=(),
        unknown=1,
    )
    fig = countries_figure(geo, "en")
    assert [(tr["uid"], list(tr["x"]), list(tr["y"])) for tr in traces(fig)] == [
        ("home", [3], ["France"]),
        ("abroad", [1], ["Belgium"]),
        ("unknown", [1], ["Unknown country"]),
    ]
    # Belgium over the 4 members of known country: 25 %.
    assert layout(fig)["title"]["text"] == (
        "Members by country on 30 Jun 2026 — outside France: 25.0%"
        "<br><sub>1 member of unknown country not counted</sub>"
    )
    assert list(layout(fig)["yaxis"]["categoryarray"]) == [
        "France",
        "Belgium",
        "Unknown country",
    ]


def test_text_from_data_is_escaped_for_plotly_markup() -> None:
    assert data_text('<b>Nord</b> & <a href="x">Sud</a>') == (
        '&lt;b&gt;Nord&lt;/b&gt; &amp; &lt;a href="x"&gt;Sud&lt;/a&gt;'
    )
