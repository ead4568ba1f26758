"""The charts' visual vocabulary: marker shapes, line patterns and the key explaining them."""

from __future__ import annotations

from clusterkpi.exports.pdf_document import MUTED, PackDocument
from clusterkpi.i18n import t
from clusterkpi.strategy import Horizon

# Black-and-white print: the series differ by line pattern and grey, markers by shape.
TARGET_GREY, GRID_GREY = 120, 215
TREND_DASH = (0.3, 0.8)
# One pace line per horizon: an Okabe-Ito colour (told apart with colour blindness)
# and a dash length of its own (told apart in grey print): colour, dash, width.
PACE_STYLES = {
    Horizon.SHORT: ((230, 159, 0), (1.0, 0.8), 0.45),
    Horizon.MEDIUM: ((0, 158, 115), (2.6, 1.0), 0.45),
    Horizon.LONG: ((204, 121, 167), (5.0, 1.2), 0.45),
}
TEXT_PT = 8.0  # the smallest text of a chart and its key, as printed
# What a key sample draws: a series by name, a target's marker, or ("pace", horizon).
_Sample = str | Horizon | tuple[str, Horizon]


def cross(pdf: PackDocument, cx: float, cy: float, size: float = 1.3) -> None:
    """Draw the baseline's × marker centred on (cx, cy)."""
    pdf.set_draw_color(0)
    pdf.set_line_width(0.35)
    pdf.set_dash_pattern()
    pdf.line(cx - size, cy - size, cx + size, cy + size)
    pdf.line(cx - size, cy + size, cx + size, cy - size)


def marker(pdf: PackDocument, horizon: Horizon, cx: float, cy: float) -> None:
    """Draw a horizon's target marker: square, diamond or triangle, told apart by shape."""
    pdf.set_draw_color(0)
    pdf.set_line_width(0.25)
    pdf.set_dash_pattern()
    r = 1.25
    if horizon is Horizon.SHORT:
        pdf.set_fill_color(0)
        pdf.rect(cx - r, cy - r, 2 * r, 2 * r, style="DF")
    elif horizon is Horizon.MEDIUM:
        pdf.set_fill_color(255)
        s = r * 1.35
        pdf.polygon(
            [(cx, cy - s), (cx + s, cy), (cx, cy + s), (cx - s, cy)], style="DF"
        )
    else:
        pdf.set_fill_color(TARGET_GREY)
        s = r * 1.4
        pdf.polygon(
            [(cx, cy - s), (cx + s, cy + s * 0.8), (cx - s, cy + s * 0.8)], style="DF"
        )


def draw_legend(pdf: PackDocument, x: float, y: float, width: float) -> float:
    """Draw the key of the charts from (x, y); return the height used."""
    lang = pdf.lang
    items: list[tuple[_Sample, str]] = [
        ("actual", t("export.legend.actual", lang)),
        ("baseline", t("export.legend.baseline", lang)),
        *((h, t(f"export.legend.target.{h.value}", lang)) for h in Horizon),
        *((("pace", h), _pace_label(h, lang)) for h in Horizon),
        ("trend", t("export.legend.trend", lang)),
    ]
    pdf.font(TEXT_PT, grey=MUTED)
    cx, cy = x, y + 2
    for kind, label in items:
        needed = 10.5 + pdf.get_string_width(label) + 3
        if cx + needed > x + width:
            cx, cy = x, cy + 4.5
        _sample(pdf, kind, cx, cy)
        pdf.set_text_color(MUTED)
        pdf.text(cx + 10.5, cy + 1.1, label)
        cx += needed
    return cy + 2.5 - y


def _pace_label(horizon: Horizon, lang: str) -> str:
    word = t(f"horizon.{horizon.value}", lang).lower()
    return t("chart.pace.horizon", lang, horizon=word)


def _sample(pdf: PackDocument, kind: _Sample, cx: float, cy: float) -> None:
    pdf.set_draw_color(0)
    pdf.set_dash_pattern()
    if isinstance(kind, Horizon):
        marker(pdf, kind, cx + 4.5, cy)
    elif kind == "baseline":
        cross(pdf, cx + 4.5, cy, 1.1)
    elif kind == "actual":
        pdf.set_line_width(0.4)
        pdf.line(cx, cy, cx + 9, cy)
        pdf.set_fill_color(0)
        pdf.circle(cx + 4.5, cy, 0.55, style="F")
    else:
        colour, dash, width = (
            PACE_STYLES[kind[1]]
            if isinstance(kind, tuple)
            else ((0,), TREND_DASH, 0.45)
        )
        pdf.set_draw_color(*colour)
        pdf.set_line_width(width)
        pdf.set_dash_pattern(*dash)
        pdf.line(cx, cy, cx + 9, cy)
        pdf.set_dash_pattern()
