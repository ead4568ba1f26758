"""Import page widget: the surveys of an uploaded file that count for the KPIs."""

from __future__ import annotations

import logging

import streamlit as st

from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.survey_choices import (
    FileSurveys,
    file_surveys,
    remembered_surveys,
)
from clusterkpi.ui.context import PageContext, plain


def survey_picker(ctx: PageContext, name: str, raw: bytes) -> tuple[str, ...] | None:
    """Let the animator choose the surveys of a file that count; return the choice.

    Shown only for a survey export holding several surveys (a HubSpot feedback
    export). The surveys already chosen for this shape of file, else those with
    answers on the 0–10 scale, are preselected. Returns None when the selection is
    that default (nothing new to remember), else the surveys chosen, to pass as
    ``ImportOptions.surveys``.
    """
    tables = _several_surveys(name, raw) if len(raw) <= _LARGEST else []
    if not tables:
        return None
    table = tables[0]
    remembered = remembered_surveys(ctx.store, table.header)
    default = _default(table, remembered)
    counts = {s.survey: s for s in table.surveys}
    picked = st.multiselect(
        ctx.t("surveys.picker.label"),
        list(counts),
        default=default,
        format_func=lambda s: ctx.t(
            "surveys.picker.option",
            survey=s,
            rows=counts[s].rows,
            nps=counts[s].on_nps_scale,
        ),
        help=ctx.t("surveys.picker.help"),
        key=f"surveys_{table.table}",
    )
    if remembered:
        st.caption(
            ctx.t("surveys.picker.remembered", surveys=plain(", ".join(remembered)))
        )
    return None if list(picked) == default else tuple(picked)


# Survey exports are small: a larger file is no survey worth reading on every rerun.
_LARGEST = 8 * 1024 * 1024
_LOG = logging.getLogger(__name__)


@st.cache_data(max_entries=16, show_spinner=False)
def _several_surveys(name: str, raw: bytes) -> list[FileSurveys]:
    """Return the survey tables of an upload holding several surveys (read once)."""
    try:
        return [tab for tab in file_surveys(name, raw) if len(tab.surveys) > 1]
    except ImportFileError:
        return []  # the import itself reports why the file cannot be read
    except Exception:  # noqa: BLE001 - the picker is optional: never an error page
        _LOG.exception("surveys of %s could not be listed", name)
        return []


def _default(table: FileSurveys, remembered: tuple[str, ...] | None) -> list[str]:
    names = [s.survey for s in table.surveys]
    if remembered:
        return [n for n in names if n in remembered]
    return [s.survey for s in table.surveys if s.on_nps_scale]
