"""The charts' common look: plotly_white's layout for 2-D charts, built once."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

# plotly_white as a whole sets defaults for every trace type, and a figure copies and
# validates all of it (16 ms a figure, most of a chart's build); the keys a 2-D chart
# reads give the same look for a tenth of that.
_KEYS = (
    "annotationdefaults",
    "colorway",
    "font",
    "hoverlabel",
    "paper_bgcolor",
    "plot_bgcolor",
    "shapedefaults",
    "title",
    "xaxis",
    "yaxis",
)
_WHITE = pio.templates["plotly_white"].layout.to_plotly_json()
TEMPLATE = go.layout.Template(layout={k: _WHITE[k] for k in _KEYS if k in _WHITE})


def new_figure(data: Any = None) -> go.Figure:
    """Return an empty figure (or one of ``data``'s traces) with the charts' look."""
    return go.Figure(data, layout={"template": TEMPLATE})


def data_text(text: str) -> str:
    """Return text from data for a figure: plotly reads <b>, <a href> as markup.

    Plotly decodes the entities &lt; &gt; &amp; back, so the text shows as typed.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
